#!/usr/bin/env bash
# Health at 1x1, 1x64 and 16x64 against filings-server and against grpc-swift-2, alternating, RUNS times each.
# Usage (from the repository root): Benchmarks/GRPCComparison/compare.sh [RUNS] [SECONDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
runs=${1:-3}
seconds=${2:-10}
(cd ../.. && swift build -c release --product filings-server >/dev/null && swift build -c release --product filings-bench >/dev/null)
swift build -c release >/dev/null
filings=../../.build/release
grpc=.build/release/grpc-health-bench
"$filings/filings-server" --listen 127.0.0.1:7978 --log-level warning >/dev/null 2>&1 &
ours=$!
"$grpc" serve --port 7979 >/dev/null 2>&1 &
theirs=$!
trap 'kill $ours $theirs 2>/dev/null || true' EXIT
sleep 1
for shape in "1 1" "1 64" "16 64"; do
    set -- $shape
    for run in $(seq "$runs"); do
        echo "== filings ${1}x${2} run $run"
        "$filings/filings-bench" rpc --addr 127.0.0.1:7978 --connections "$1" --concurrency "$2" --duration "$seconds" --warmup 2
        echo "== grpc-swift-2 ${1}x${2} run $run"
        "$grpc" load --port 7979 --connections "$1" --concurrency "$2" --duration "$seconds" --warmup 2
    done
done
