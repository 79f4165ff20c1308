#!/usr/bin/env bash
# How query latency grows with the store: the query sets of Benchmarks/queries (one caller, 20 hits a page) on a
# SQLite store, then again after each corpus is stored into it over the RPC (16 connections, durable
# acknowledgements), each time once the store has merged its indexes (it does after 1 s without writes). Prints the
# documents stored, the ingest rate into the store as it was, bytes on disk per document, each set's p50/p99 and
# each full-text query's p50 and p99.
#
#   dev/bench-growth.sh STORE_FILE [CORPUS_DIR...]
#
# STORE_FILE is a SQLite store (created when missing) that the script grows: use a copy. Each CORPUS_DIR comes from
# dev/make-scale-corpus.py with a seed of its own (documents already stored are not stored again). SECONDS_PER_SET
# (default 8) sets how long each set runs; each single query runs 3 s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
store=${1:?usage: dev/bench-growth.sh STORE_FILE [CORPUS_DIR...]}
shift
seconds=${SECONDS_PER_SET:-8}
work=$(mktemp -d /tmp/filings-bench-growth.XXXXXX)
# shellcheck source=dev/lib/server.sh
source dev/lib/server.sh
[ -x .build/release/filings-bench ] || build_release
bench=.build/release/filings-bench
cli=.build/release/filings
start_server "$work/server.log" --store "sqlite:$store"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

quiet() { # waits until the server has used no CPU for 2 s (it merges its indexes after 1 s without writes)
    local ticks last="" still=0 start
    start=$(date +%s)
    while [ "$still" -lt 2 ]; do
        ticks=$(cpu_ticks)
        if [ "$ticks" = "$last" ]; then still=$((still + 1)); else still=0; fi
        last=$ticks
        sleep 1
    done
    echo "   quiet $(($(date +%s) - start)) s after the last write"
}

measure() {
    echo "== $($cli stats --addr "$addr" | awk '/^store/')"
    for set in Benchmarks/queries/*.txt; do
        $bench --rpc query --queries "$set" --addr "$addr" --connections 1 --concurrency 1 --duration 3 >/dev/null
        printf '   %-9s %s\n' "$(basename "$set" .txt)" "$($bench --rpc query --queries "$set" --addr "$addr" \
            --connections 1 --concurrency 1 --duration "$seconds" | grep -E "p50" | sed 's/ *latency (ms) *//')"
    done
    while IFS= read -r query; do
        printf '%s\n' "$query" >"$work/query.txt"
        printf '   %-42s %s\n' "$query" "$($bench --rpc query --queries "$work/query.txt" --addr "$addr" \
            --connections 1 --concurrency 1 --duration 3 | grep -E "p50" | awk '{print "p50", $6, "p99", $10}')"
    done <Benchmarks/queries/fulltext.txt
}

quiet
measure
for corpus in "$@"; do
    documents=$(find "$corpus" -type f | wc -l)
    echo "== ingest: $documents documents from $corpus, 16 connections"
    $bench --rpc store --corpus "$corpus" --addr "$addr" --connections 16 --concurrency 1 --requests "$documents" \
        --warmup 0 | grep -E "calls/s|p50|statuses" | sed 's/^/   /'
    quiet
    measure
done
