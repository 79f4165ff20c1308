#!/usr/bin/env bash
# Where the bytes that ingest writes go: stores DOCUMENTS new documents over the RPC (16 connections) into a copy of
# STORE_FILE, and counts the pages the write-ahead log received for them, by the table or index that owns each page.
# A page written in N commits counts N times: that is what the writer wrote and the checkpointer copies again.
#
#   dev/bench-wal-pages.sh STORE_FILE CORPUS_DIR [DOCUMENTS]
#
# STORE_FILE is a SQLite store the server is not running on (it is copied; needs its size free in /tmp). Use one
# that has merged its indexes (as a store does once idle): a merge running when the count starts would be counted
# with the ingest. CORPUS_DIR holds documents that are not in it yet (dev/make-scale-corpus.py with another seed).
#
# How: a reader of this script keeps a read transaction open from before the first Store to after the last, so that
# the log keeps every frame; the frames' page numbers are then mapped to their owners with SQLite's dbstat. A page
# freed and reused meanwhile is counted under its last owner. The writer still manages to start the log over now and
# then (seen after about 64 commits, its restart interval; not understood yet): the run then fails, saying so, and
# DOCUMENTS (default 300, which took 44-46 commits at 16 connections on an idle machine) must be smaller. On a busy
# machine commits hold fewer calls, so run it on an idle one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
store=${1:?usage: dev/bench-wal-pages.sh STORE_FILE CORPUS_DIR [DOCUMENTS]}
corpus=${2:?usage: dev/bench-wal-pages.sh STORE_FILE CORPUS_DIR [DOCUMENTS]}
documents=${3:-300}
work=$(mktemp -d /tmp/filings-wal-pages.XXXXXX)
# shellcheck source=dev/lib/server.sh
source dev/lib/server.sh
[ -x .build/release/filings-bench ] && [ -x .build/release/filings-server ] || build_release
server=""
holder=""
trap 'kill $server $holder 2>/dev/null || true; rm -rf "$work"' EXIT

cp "$store" "$work/filings.sqlite"
[ -f "$store-wal" ] && cp "$store-wal" "$work/filings.sqlite-wal"
python3 -c "import sqlite3; sqlite3.connect('$work/filings.sqlite').execute('PRAGMA wal_checkpoint(TRUNCATE)')"
start_server "$work/server.log" --store "sqlite:$work/filings.sqlite"
[ -n "$addr" ] || { cat "$work/server.log"; exit 1; }

# The reader that pins the log (a connection of this script, not of the server): it says so on its stdout once its
# snapshot is open, and ends when its stdin closes.
mkfifo "$work/hold"
python3 -u - "$work/filings.sqlite" <"$work/hold" >"$work/holder.out" <<'PY' &
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN")
db.execute("SELECT count(*) FROM filings").fetchone()
print("holding", flush=True)
sys.stdin.read()
db.execute("COMMIT")
PY
holder=$!
exec 3>"$work/hold"
for _ in $(seq 100); do grep -q holding "$work/holder.out" && break; sleep 0.1; done
if ! grep -q holding "$work/holder.out"; then
    echo "the reader could not open its snapshot:" >&2
    cat "$work/holder.out" >&2
    exit 1
fi
# The frames of the log's current generation (those with the header's salts) so far: not the ingest's.
frames() {
    python3 - "$1" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
if len(data) < 32:
    print(0)
    sys.exit()
frame, salts, n = 24 + struct.unpack(">I", data[8:12])[0], data[16:24], 0
while 32 + (n + 1) * frame <= len(data) and data[32 + n * frame + 8:32 + n * frame + 16] == salts:
    n += 1
print(n)
PY
}
frames_before=$(frames "$work/filings.sqlite-wal")

.build/release/filings-bench --rpc store --corpus "$corpus" --addr "$addr" --connections 16 --concurrency 1 \
    --requests "$documents" --warmup 0 | grep -E "calls/s|statuses"
cp "$work/filings.sqlite-wal" "$work/sample-wal"
exec 3>&-
wait "$holder" || true
kill "$server"
wait "$server" 2>/dev/null || true
server=""

python3 - "$work/filings.sqlite" "$work/sample-wal" "$documents" "$frames_before" <<'PY'
import collections, sqlite3, struct, sys
path, wal, documents, skip = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
data = open(wal, "rb").read()
page_size, restarts = struct.unpack(">II", data[8:16])
if restarts:
    sys.exit(f"the log was started over {restarts} times during the run: store fewer documents")
frame = 24 + page_size
writes, commits = collections.Counter(), 0
for offset in range(32 + skip * frame, len(data) - frame + 1, frame):
    if data[offset + 8:offset + 16] != data[16:24]:
        break  # a frame of an earlier generation of the log: the ingest's end
    page, size_after_commit = struct.unpack(">II", data[offset:offset + 8])
    writes[page] += 1
    commits += size_after_commit != 0
db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
owner = {page: name for name, page in db.execute("SELECT name, pageno FROM dbstat")}
frames, pages = collections.Counter(), collections.Counter()
for page, count in writes.items():
    name = owner.get(page, "(free now)")
    frames[name] += count
    pages[name] += 1
total = sum(frames.values())
print(f"{documents} documents, {commits} commits, {total} pages of {page_size} bytes written: "
      f"{total * page_size / documents / 1024:.1f} KiB per document")
print(f"{'table or index':32} {'KiB/doc':>8} {'share':>6} {'pages':>7} {'writes/page':>11}")
for name, count in frames.most_common(20):
    print(f"{name:32} {count * page_size / documents / 1024:8.1f} {100 * count / total:5.1f}% {pages[name]:7}"
          f" {count / pages[name]:11.2f}")
PY
