#!/usr/bin/env bash
# Proves that the Swift <-> protobuf-c converters and the RPC path leak nothing, with LeakSanitizer: runs the codec
# benchmark (every message converted to protobuf-c, packed, unpacked and freed many times), then serves Health,
# Store, Query, Get and Stats calls over real connections on an SQLite store and stops the server with SIGTERM. Any
# leak fails the script.
#
# By default it checks the plain debug build (the one `swift build --build-tests` makes) with LeakSanitizer's
# runtime preloaded (Debian's liblsan0): it replaces malloc and free, so it finds the same leaks without a second
# build of the package. `dev/check-leaks.sh --asan` builds the server and the benchmark with AddressSanitizer
# instead (into .build-asan, about 9 minutes here), which also catches use-after-free and overflows on that path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export LSAN_OPTIONS=suppressions=$PWD/dev/lsan-suppressions.txt:print_suppressions=0:exitcode=23
if [ "${1:-}" = --asan ]; then
    export ASAN_OPTIONS=detect_leaks=1:exitcode=23
    swift build --scratch-path .build-asan --sanitize=address --product filings-bench
    swift build --scratch-path .build-asan --sanitize=address --product filings-server
    bin=.build-asan/debug
    run=()
else
    # awk reads the whole listing: stopping at the first match would end ldconfig with SIGPIPE, which pipefail and
    # set -e turn into the script's exit.
    lsan=$(ldconfig -p | awk '$1 == "liblsan.so.0" && /x86-64/ && !found { print $NF; found = 1 }')
    [ -n "$lsan" ] || { echo "LeakSanitizer's runtime is missing: apt-get install liblsan0" >&2; exit 1; }
    swift build --product filings-bench
    swift build --product filings-server
    bin=.build/debug
    run=(env LD_PRELOAD="$lsan")
fi

echo "== codec round trips under LeakSanitizer"
"${run[@]}" "$bin/filings-bench" codec --duration 0.5

echo "== RPC calls under LeakSanitizer"
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp Tests/FilingsParserTests/Fixtures/*.txt "$work/corpus/"
printf 'pleased\nkind:PRESS_RELEASE order:newest\nsales OR revenue -loss\n' >"$work/queries.txt"
"${run[@]}" "$bin/filings-server" --listen 127.0.0.1:0 --store "sqlite:$work/store/filings.sqlite" --log-level warning >"$log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
addr=$(awk '/listening on/ {print $5; exit}' "$log")
"${run[@]}" "$bin/filings-bench" rpc --addr "$addr" --connections 4 --concurrency 16 --duration 2 --warmup 0.2
"${run[@]}" "$bin/filings-bench" rpc --addr "$addr" --rpc store --corpus "$work/corpus" --connections 2 --duration 1 --warmup 0
"${run[@]}" "$bin/filings-bench" rpc --addr "$addr" --rpc mix --mix query=4,get=1,health=1 --queries "$work/queries.txt" \
    --connections 2 --concurrency 4 --duration 1 --warmup 0
kill -TERM "$server"
status=0
wait "$server" || status=$?
if [ "$status" -ne 0 ] || grep -q LeakSanitizer "$log"; then
    cat "$log"
    echo "leak check failed (server exit $status)" >&2
    exit 1
fi
echo "no leaks"
