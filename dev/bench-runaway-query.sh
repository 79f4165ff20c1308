#!/usr/bin/env bash
# What a query too broad to answer costs the server: every letter as a prefix (`a* OR b* OR … z*`, every term of
# the index, ranked) once to its end, then RUNS times with a 50 ms deadline, and the server's CPU time (user and
# system, from /proc) for each part. A read that stops when its caller goes away costs about its 50 ms; one that
# does not costs the complete query's CPU again, on a reader the other callers wait for.
#
#   dev/bench-runaway-query.sh STORE_FILE [RUNS] [SERVER_BINARY]
#
# STORE_FILE is a SQLite store (a copy: the server may merge its indexes). The complete query runs with a 600 s
# deadline and --max-query-time 600. After the stopped calls, the script waits until the server has used no CPU
# for 2 s, so that reads still running after their answer are counted. SERVER_BINARY (default
# .build/release/filings-server) lets a build of another commit run the same steps, for a before/after pair.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
store=${1:?usage: dev/bench-runaway-query.sh STORE_FILE [RUNS] [SERVER_BINARY]}
runs=${2:-3}
server_binary=${3:-.build/release/filings-server}
work=$(mktemp -d /tmp/filings-bench-runaway.XXXXXX)
# shellcheck source=dev/lib/server.sh
source dev/lib/server.sh
[ -x .build/release/filings ] || build_release
cli=.build/release/filings
limit=()
# A build from before the limit (d83147e and older) has no such flag.
if "$server_binary" --help | grep -q -- --max-query-time; then limit=(--max-query-time 600); fi
start_server "$work/server.log" --store "sqlite:$store" "${limit[@]}"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

quiet() { # waits until the server has used no CPU for 2 s
    local last="" still=0 ticks
    while [ "$still" -lt 2 ]; do
        sleep 1
        ticks=$(cpu_ticks)
        if [ "$ticks" = "$last" ]; then still=$((still + 1)); else still=0; fi
        last=$ticks
    done
}
ms() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", t * 1000 / hz }'; }

set -f
query=$(printf '%s* OR ' a b c d e f g h i j k l m n o p q r s t u v w x y)z*
quiet
before=$(cpu_ticks)
start=$(date +%s.%N)
$cli query --addr "$addr" --deadline 600 --limit 20 -- $query | tail -n 1
end=$(date +%s.%N)
echo "complete: $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s, server CPU $(ms $(($(cpu_ticks) - before))) ms"
quiet
before=$(cpu_ticks)
for _ in $(seq "$runs"); do
    $cli query --addr "$addr" --deadline 0.05 --limit 20 -- $query 2>&1 | tail -n 1 || true
done
quiet
echo "$runs with a 50 ms deadline: server CPU $(ms $(($(cpu_ticks) - before))) ms in all, until the server was idle"
