# Sourced by the dev/ proof scripts: release binaries, and a filings-server on a free loopback port.

# Builds filings-server, filings and filings-bench in release.
build_release() {
    for product in filings-server filings filings-bench; do
        swift build -c release --product "$product" >/dev/null
    done
}

# start_server LOG [ARGS...]: starts $server_binary (default .build/release/filings-server) on 127.0.0.1:0 with ARGS,
# its output in LOG; sets $server (its pid) and $addr (HOST:PORT) once it listens.
start_server() {
    local log=$1
    shift
    "${server_binary:-.build/release/filings-server}" --listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
    server=$!
    for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.1; done
    addr=$(awk '/listening on/ {print $5; exit}' "$log")
}

# The started server's user and system time so far, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$server/stat"
}
