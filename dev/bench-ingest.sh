#!/usr/bin/env bash
# Ingest over the RPC (16 connections, one document per Store, durable acknowledgements) into a new SQLite store,
# then the same documents again (every one already stored), while a second client calls Health at 50 calls/s for
# the first seconds of each pass: documents/s of each pass, the server's CPU time per document (user and system, from
# /proc: steadier than documents/s on a shared machine), split by thread, and Health's latency under the load, in one
# run. The split reads each thread's time from /proc, which costs the server nothing: `perf record` on the server
# slowed this ingest sixfold on a 2-core VM, and its profile with it.
#
#   dev/bench-ingest.sh CORPUS_DIR [DOCUMENTS] [SERVER_BINARY]
#
# HEALTH_SECONDS (default 15) sets how long Health is called in each pass: 50 calls a second, so 60 gives 3,000
# samples, which a p99 needs on a noisy machine; give the pass enough DOCUMENTS to keep ingest running that long.
#
# CORPUS_DIR comes from dev/make-scale-corpus.py. SERVER_BINARY (default .build/release/filings-server) lets a
# build of another commit run the same passes, for a before/after pair.
#
# CONCURRENCY=N (default 1) gives each of the 16 connections N Store calls in flight.
#
# STORE=FILE starts from a copy of the SQLite store FILE instead of a new one (issue 13 measures ingest into a store
# that already holds 100,000 documents): build it once from another seed's corpus, let it merge its indexes (a
# server left idle does), and give it documents it does not hold. The copy is flushed to disk before the server
# starts: otherwise the first commits' fsyncs wait for the copy's writeback, and the run shows stalls of 300-500 ms
# that are the copy's, not the server's. Needs the store's size free in /tmp.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
corpus=${1:?usage: dev/bench-ingest.sh CORPUS_DIR [DOCUMENTS] [SERVER_BINARY]}
documents=${2:-20000}
server_binary=${3:-.build/release/filings-server}
work=$(mktemp -d /tmp/filings-bench-ingest.XXXXXX)
# shellcheck source=dev/lib/server.sh
source dev/lib/server.sh
[ -x .build/release/filings-bench ] || build_release
bench=.build/release/filings-bench
server=""
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -n "${STORE:-}" ]; then
    cp "$STORE" "$work/filings.sqlite"
    [ -f "$STORE-wal" ] && cp "$STORE-wal" "$work/filings.sqlite-wal"
    sync
fi
start_server "$work/server.log" --store "sqlite:$work/filings.sqlite"

# Each live thread of the server: "TID NAME TICKS", the name without its number (sqlite-reader-2: sqlite-reader).
thread_ticks() {
    for task in /proc/"$server"/task/*; do
        awk -v tid="${task##*/}" -v name="$(sed 's/-*[0-9]*$//' "$task/comm")" \
            '{ print tid, name, $14 + $15 }' "$task/stat" 2>/dev/null || true
    done
}

# by_thread BEFORE AFTER TICKS: CPU per document by thread name between two thread_ticks listings; what the process
# spent in threads that ended meanwhile (a connection's thread ends with it) is the rest of TICKS.
by_thread() {
    awk -v total="$3" -v hz="$(getconf CLK_TCK)" -v n="$documents" '
        FNR == NR { before[$1] = $3; next }
        { spent[$2] += $3 - ($1 in before ? before[$1] : 0) }
        END {
            for (name in spent) { rest -= spent[name]; printf "     %-16s %.2f ms\n", name, spent[name] * 1000 / hz / n }
            printf "     %-16s %.2f ms\n", "(ended threads)", (total + rest) * 1000 / hz / n
        }' "$1" "$2" | sort -k2 -nr
}

pass() { # pass NAME
    echo "== $1: $documents documents, 16 connections × ${CONCURRENCY:-1} calls"
    local ticks_before
    thread_ticks >"$work/threads-before.txt"
    ticks_before=$(cpu_ticks)
    $bench --rpc health --addr "$addr" --connections 1 --concurrency 1 --rate 50 --duration "${HEALTH_SECONDS:-15}" \
        >"$work/health.txt" 2>&1 &
    local health=$!
    # No warm-up: its calls would store documents beyond the first pass's, and the second pass would not send the
    # same documents again.
    $bench --rpc store --corpus "$corpus" --addr "$addr" --connections 16 --concurrency "${CONCURRENCY:-1}" \
        --requests "$documents" \
        --warmup 0 \
        | grep -E "calls/s|p50|statuses" | sed 's/^/   /'
    local ticks=$(($(cpu_ticks) - ticks_before))
    thread_ticks >"$work/threads-after.txt"
    wait "$health" || true
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$documents" \
        'BEGIN { printf "   server CPU   %.2f ms per document (Health calls included), by thread:\n", t * 1000 / hz / n }'
    by_thread "$work/threads-before.txt" "$work/threads-after.txt" "$ticks"
    echo "   Health at 50 calls/s, meanwhile:"
    grep -E "p50|statuses" "$work/health.txt" | sed 's/^/   /'
}

pass "new documents"
pass "the same documents again"
