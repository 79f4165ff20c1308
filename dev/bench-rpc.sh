#!/usr/bin/env bash
# The RPC benchmark of the README: a release server on loopback, Health calls at 1x1, 1x64 and 16x64
# (connections x calls in flight), each RUNS times; then a long 16x64 run while the server's RSS is sampled.
# Usage: dev/bench-rpc.sh [RUNS] [SECONDS] [LONG_SECONDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-3}
seconds=${2:-10}
long=${3:-60}
swift build -c release --product filings-server >/dev/null
swift build -c release --product filings-bench >/dev/null
bin=.build/release
log=$(mktemp)
"$bin/filings-server" --listen 127.0.0.1:0 --store none --log-level warning >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
addr=$(awk '/listening on/ {print $5; exit}' "$log")

echo "== codec"
"$bin/filings-bench" codec --duration 3
for shape in "1 1" "1 64" "16 64"; do
    set -- $shape
    for run in $(seq "$runs"); do
        echo "== health ${1}x${2} run $run"
        "$bin/filings-bench" rpc --addr "$addr" --connections "$1" --concurrency "$2" --duration "$seconds" --warmup 2
    done
done

echo "== health 16x64 for ${long}s, server RSS every 10s"
"$bin/filings-bench" rpc --addr "$addr" --connections 16 --concurrency 64 --duration "$long" --warmup 1 &
bench=$!
for _ in $(seq $((long / 10 + 1))); do
    echo "rss_kib $(awk '/VmRSS/ {print $2}' /proc/$server/status)"
    sleep 10
done
wait $bench
echo "rss_kib $(awk '/VmRSS/ {print $2}' /proc/$server/status) (after)"
