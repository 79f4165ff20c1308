#!/usr/bin/env bash
# Xapian, issue 13's first candidate for top-k full text, measured on a store's own text beside the store:
# indexes every filing's title (weighted 5x) and text from an SQLite store, then runs a query set with BM25
# (k1 1.2, b 0.75), the first 20 hits of each query RUNS times; p50/p99 per query. dev/xapian-probe/probe.cc.
#
#   dev/bench-xapian.sh STORE.sqlite [QUERIES] [RUNS]
#
# STORE.sqlite is a filings SQLite store (stop its server first, or copy it); the Xapian database is written
# beside it (STORE.sqlite.xapian). Installs libxapian-dev when it is missing (Debian).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
store=${1:?usage: dev/bench-xapian.sh STORE.sqlite [QUERIES] [RUNS]}
queries=${2:-Benchmarks/queries/fulltext.txt}
runs=${3:-50}
[ -f /usr/include/xapian.h ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxapian-dev libsqlite3-dev g++
build=$(mktemp -d /tmp/xapian-probe.XXXXXX)
trap 'rm -rf "$build"' EXIT
probe=$build/probe
# The filings' text comes from their blobs, as the store's snippets read it (the index keeps no copy).
(cd "$build" && gcc -O2 -c -I"$OLDPWD/Sources/CFilingsProto/include" "$OLDPWD"/Sources/CFilingsSQLite/filing_text.c \
    "$OLDPWD"/Sources/CFilingsProto/filings/v1/*.c "$OLDPWD"/Sources/CFilingsProto/filings/rpc/v1/*.c)
g++ -O2 -std=c++17 -ISources/CFilingsSQLite -o "$probe" dev/xapian-probe/probe.cc "$build"/*.o -lxapian -lsqlite3 \
    -ldeflate -lprotobuf-c
"$probe" index "$store" "$store.xapian"
du -sh "$store.xapian"
"$probe" query "$store.xapian" "$queries" "$runs"
