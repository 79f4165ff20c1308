#!/usr/bin/env bash
# SQLite and PostgreSQL side by side, in one run: ingest over the RPC (16 connections, one document per Store,
# durable acknowledgements) into one server on each backend and into three PostgreSQL replicas; then the query
# sets of Benchmarks/queries (one caller, 20 hits a page) on each; and bytes on disk per document.
#
#   dev/bench-backends.sh CORPUS_DIR [DOCUMENTS] [QUERY_SECONDS]
#
# CORPUS_DIR comes from dev/make-scale-corpus.py. Release binaries are built if missing. PostgreSQL runs from
# Debian's package in a directory of its own (dev/lib/postgres.sh), as the cluster's replicas do (dev/cluster.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
corpus=${1:?usage: dev/bench-backends.sh CORPUS_DIR [DOCUMENTS] [QUERY_SECONDS]}
documents=${2:-20000}
seconds=${3:-8}
work=$(mktemp -d /tmp/filings-bench-backends.XXXXXX)
chmod 755 "$work" # PostgreSQL's directory is inside, owned by the user PostgreSQL runs as
export POSTGRES_PORT=${POSTGRES_PORT:-56543} FILINGS_POSTGRES_DIR="$work/postgres"
# shellcheck source=dev/lib/server.sh
source dev/lib/server.sh
# shellcheck source=dev/lib/postgres.sh
source dev/lib/postgres.sh
[ -x .build/release/filings-bench ] || build_release
bench=.build/release/filings-bench
cli=.build/release/filings
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    stop_postgres fast
}
trap cleanup EXIT

ingest() { # ingest NAME ADDRS
    echo "== ingest: $1, $documents documents, 16 connections per address"
    $bench --rpc store --corpus "$corpus" --addr "$2" --connections 16 --concurrency 1 --requests "$documents" \
        | grep -E "calls/s|p50|statuses" | sed 's/^/   /'
}

queries() { # queries NAME ADDR
    for set in Benchmarks/queries/*.txt; do
        echo "== queries: $1, $(basename "$set" .txt)"
        $bench --rpc query --queries "$set" --addr "$2" --connections 1 --concurrency 1 --duration "$seconds" \
            | grep -E "calls/s|p50|statuses" | sed 's/^/   /'
    done
}

on_disk() { # on_disk ADDR
    $cli stats --addr "$1" | awk -v n="$documents" '/^store/ {print "   " $0}'
}

# SQLite: one server.
start_server "$work/sqlite.log" --store "sqlite:$work/sqlite/filings.sqlite"
pids+=("$server")
ingest sqlite "$addr"
queries sqlite "$addr"
on_disk "$addr"
kill "$server"

# PostgreSQL: one server, then three replicas over a new database.
start_postgres
start_server "$work/postgres-1.log" \
    --store "postgres://$POSTGRES_USER:$POSTGRES_PASSWORD@$POSTGRES_HOST:$POSTGRES_PORT/$POSTGRES_DB"
pids+=("$server")
ingest "postgres, 1 replica" "$addr"
# Autovacuum analyzes a table within a minute or so of a load this size; until then the planner has no statistics
# of the new rows and plans as for an empty table. Measure the queries as they run from then on.
PGPASSWORD=$POSTGRES_PASSWORD psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB" -qc \
    "VACUUM ANALYZE"
queries "postgres, 1 replica" "$addr"
on_disk "$addr"
kill "$server"

PGPASSWORD=$POSTGRES_PASSWORD psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -qc \
    "CREATE DATABASE replicas"
replicas=()
for n in 1 2 3; do
    start_server "$work/replica-$n.log" \
        --store "postgres://$POSTGRES_USER:$POSTGRES_PASSWORD@$POSTGRES_HOST:$POSTGRES_PORT/replicas" \
        --store-pool-size 8
    pids+=("$server")
    replicas+=("$addr")
done
all=$(IFS=,; echo "${replicas[*]}")
ingest "postgres, 3 replicas" "$all"
echo "(logs in $work)"
