#!/usr/bin/env bash
# Xapian, issue 13's first candidate for ranked full text, measured on a store's own text beside the store
# (dev/xapian-probe/probe.cc says what each step measures):
#
#   dev/bench-xapian.sh STORE.sqlite [COPIES] [QUERIES] [RUNS]
#
# Indexes every filing's title (each word counted 5 times) and text from an SQLite store, without positions, COPIES
# times over (default 1; 10 makes a store of 100,000 an index of 1,000,000 with the same words); then, with BM25
# (k1 1.2, b 0.75) over statistics frozen per query: whether the pruned first page is the exact one, p50/p99 of the
# first 20 hits of each query RUNS times (default 50), pages deep in the ranking, phrases checked in the store's
# FTS5 index hit by hit, how much of each query's postings an index sorted by score would read, and the peer: FTS5
# ranking the same documents with SQLite's bm25(). STORE.sqlite is a filings SQLite store (stop its server first, or
# copy it); the Xapian index and the FTS5 table are written beside it (STORE.sqlite.xapian-COPIES,
# STORE.sqlite.fts5-COPIES) and kept for a rerun: delete them to index again. At COPIES 10 they take about 30 and
# 11 minutes to build and 5.5 and 14 GB. Installs libxapian-dev when it is missing (Debian).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
store=${1:?usage: dev/bench-xapian.sh STORE.sqlite [COPIES] [QUERIES] [RUNS]}
copies=${2:-1}
queries=${3:-Benchmarks/queries/fulltext.txt}
runs=${4:-50}
[ -f /usr/include/xapian.h ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxapian-dev libsqlite3-dev g++
build=$(mktemp -d /tmp/xapian-probe.XXXXXX)
trap 'rm -rf "$build"' EXIT
probe=$build/probe
# The filings' text comes from their blobs, as the store's snippets read it (the index keeps no copy).
(cd "$build" && gcc -O2 -c -I"$OLDPWD/Sources/CFilingsProto/include" "$OLDPWD"/Sources/CFilingsSQLite/filing_text.c \
    "$OLDPWD"/Sources/CFilingsProto/filings/v1/*.c "$OLDPWD"/Sources/CFilingsProto/filings/rpc/v1/*.c)
g++ -O2 -std=c++17 -ISources/CFilingsSQLite -o "$probe" dev/xapian-probe/probe.cc "$build"/*.o -lxapian -lsqlite3 \
    -ldeflate -lprotobuf-c
index=$store.xapian-$copies
if [ ! -d "$index" ]; then
    "$probe" index "$store" "$index.partial" "$copies"
    mv "$index.partial" "$index"
fi
du -sh "$index"
echo "== the pruned first page against every match, scored alike"
"$probe" check "$index" "$queries"
echo "== the first 20 hits, $runs runs a query"
"$probe" query "$index" "$queries" "$runs"
echo "== pages deep in the ranking"
"$probe" deep "$index" "$queries"
echo "== phrases without positions, checked hit by hit (copies share their filing's key)"
"$probe" phrases "$index" "$store" "$queries"
echo "== what postings sorted by score would read (the threshold algorithm)"
"$probe" ordered "$index" "$queries"
# The peer in the same run: FTS5 over the same documents, ranked by SQLite's own bm25() (the store's filings_rank
# prunes more, but needs the store around it).
peer=$store.fts5-$copies
if [ ! -f "$peer" ]; then
    "$probe" fts5 "$store" "$peer.partial" "$copies"
    mv "$peer.partial" "$peer"
fi
echo "== FTS5's bm25() on the same documents, $runs runs a query"
"$probe" fts5query "$peer" "$queries" "$runs"
