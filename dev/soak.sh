#!/usr/bin/env bash
# Soak proof (issue 12): MINUTES (default 10) of mixed open-loop load — store, delete, query, get, health — at 70%
# of the capacity measured first on a scratch store, against a release server on a fresh SQLite store. Prints
# p99 and the server's RSS per minute; fails on any status but OK, on RSS that grows over the last half, or on
# RSS over 100 MB. Loopback only; bounded in time. Usage: dev/soak.sh [MINUTES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes=${1:-10}
source dev/lib/server.sh
build_release
bin=.build/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# Corpus B (stored and deleted during the run): 2,000 distinct variants of the seed filings. Corpus A (read by
# get and query): the seeds themselves, stored before the run and never deleted.
python3 - "$work" <<'PY'
import os, sys, glob
work = sys.argv[1]
seeds = sorted(glob.glob("Tests/FilingsParserTests/Fixtures/*.txt"))
os.makedirs(f"{work}/a"); os.makedirs(f"{work}/b")
for i, path in enumerate(seeds):
    open(f"{work}/a/{i}.txt", "wb").write(open(path, "rb").read())
for i in range(2000):
    text = open(seeds[i % len(seeds)], "rb").read()
    open(f"{work}/b/{i:05d}.txt", "wb").write(text + f"\nReference number {i} of the soak corpus.\n".encode())
PY
printf 'pleased\nkind:PRESS_RELEASE order:newest\nsales OR revenue -loss\nannounced order:oldest limit:50\n' \
    >"$work/queries.txt"
mix="store=2,delete=1,query=4,get=2,health=1"
field() { python3 -c "import json,sys
for line in sys.stdin:
    r = json.loads(line); print($1)"; }

start_filled() {  # $1: store directory; sets server and addr; stores both corpora (the steady state)
    start_server "$1.log" --store "sqlite:$1/filings.sqlite" --log-level warning
    "$bin/filings" store --addr "$addr" --json "$work/a" | field 'r["id"]' >"$work/ids.txt"
    "$bin/filings" store --addr "$addr" "$work/b" >/dev/null
}
load() {  # extra arguments for filings-bench rpc
    "$bin/filings-bench" rpc --addr "$addr" --rpc mix --mix "$mix" --corpus "$work/b" --queries "$work/queries.txt" \
        --ids "$work/ids.txt" --connections 4 --concurrency 8 --json "$@"
}

start_filled "$work/scratch"
capacity=$(load --duration 20 --warmup 2 | field 'round(r["callsPerSecond"])')
kill -TERM $server; wait $server || true
rate=$((capacity * 7 / 10))
echo "capacity ${capacity} calls/s (closed loop, ${mix}); soak at ${rate} calls/s for ${minutes} min"

start_filled "$work/soak"
echo "minute  calls/s  p50_ms  p99_ms  rss_mib  statuses"
rss=()
bad=0
for minute in $(seq "$minutes"); do
    report=$(load --rate "$rate" --duration 60 --warmup 0)
    kib=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
    rss+=("$kib")
    line=$(echo "$report" | field '"%7.0f %7.2f %7.2f" % (r["callsPerSecond"], r["latency"]["p50Ms"], r["latency"]["p99Ms"])')
    statuses=$(echo "$report" | field '",".join(f"{k}={v}" for k, v in sorted(r["statuses"].items()))')
    printf '%6d %s %8.1f  %s\n' "$minute" "$line" "$(awk "BEGIN { print $kib / 1024 }")" "$statuses"
    echo "$statuses" | grep -qv '^OK=[0-9]*$' && bad=1
done
kill -TERM $server; wait $server || true
if [ "$(grep -vc 'listening on' "$work/soak.log")" -gt 0 ]; then
    echo "server warnings (first 10 of $(grep -vc 'listening on' "$work/soak.log")):"
    grep -v 'listening on' "$work/soak.log" | head -n 10
fi
python3 - "$bad" "${rss[@]}" <<'PY'
import sys
bad, rss = int(sys.argv[1]), [int(x) / 1024 for x in sys.argv[2:]]
tail = rss[len(rss) // 2:]
ok = True
def check(cond, text):
    global ok
    print(("ok   " if cond else "FAIL ") + text); ok &= cond
check(not bad, "no status but OK")
check(max(tail) - min(tail) <= max(5.0, 0.1 * min(tail)), f"RSS flat over the last half: {min(tail):.1f}..{max(tail):.1f} MiB")
check(max(rss) < 100, f"RSS under 100 MiB: peak {max(rss):.1f} MiB")
sys.exit(0 if ok else 1)
PY
