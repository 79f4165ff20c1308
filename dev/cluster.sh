#!/usr/bin/env bash
# The docker-compose.yml topology without Docker: a local PostgreSQL, three filings-server replicas over it, and
# HAProxy (Debian's package) in front, from the settings in deploy/cluster.env.
#
#   dev/cluster.sh up | down | status | restart-postgres
#
# Ports: HAProxy on $FILINGS_CLUSTER_PORT (default 7878), the replicas on that +3, +4, +5 (7881-7883), their
# metrics (GET /metrics, /healthz) on $FILINGS_CLUSTER_METRICS_PORT +1, +2, +3 (default 9465-9467), PostgreSQL on
# $POSTGRES_PORT (default 55432). Binaries from $FILINGS_BIN (default .build/release, built if
# missing). State (logs, pids, the database) in $FILINGS_CLUSTER_DIR (default /tmp/filings-cluster-PORT).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

set -a
# shellcheck source=/dev/null
source deploy/cluster.env
set +a
: "${FILINGS_CLUSTER_PORT:=7878}"
: "${FILINGS_CLUSTER_METRICS_PORT:=$((FILINGS_CLUSTER_PORT + 1586))}"
: "${FILINGS_CLUSTER_DIR:=/tmp/filings-cluster-$FILINGS_CLUSTER_PORT}"
: "${FILINGS_BIN:=$root/.build/release}"
: "${POSTGRES_PORT:=55432}"
export FILINGS_POSTGRES_DIR="$FILINGS_CLUSTER_DIR/postgres"
# shellcheck source=dev/lib/postgres.sh
source dev/lib/postgres.sh

replicas=(1 2 3)
replica_port() { echo $((FILINGS_CLUSTER_PORT + 2 + $1)); }
metrics_port() { echo $((FILINGS_CLUSTER_METRICS_PORT + $1)); }

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

up() {
    mkdir -p "$FILINGS_CLUSTER_DIR"
    if [ ! -x "$FILINGS_BIN/filings-server" ]; then
        swift build -c release --product filings-server >/dev/null
    fi
    start_postgres
    for n in "${replicas[@]}"; do
        local pidfile="$FILINGS_CLUSTER_DIR/filings-$n.pid" log="$FILINGS_CLUSTER_DIR/filings-$n.log"
        running "$pidfile" && continue
        FILINGS_LISTEN="127.0.0.1:$(replica_port "$n")" FILINGS_METRICS_LISTEN="127.0.0.1:$(metrics_port "$n")" \
            FILINGS_STORE="postgres://$POSTGRES_USER@$POSTGRES_HOST:$POSTGRES_PORT/$POSTGRES_DB" \
            "$FILINGS_BIN/filings-server" >"$log" 2>&1 &
        echo $! >"$pidfile"
    done
    for n in "${replicas[@]}"; do
        for _ in $(seq 100); do grep -q "listening on" "$FILINGS_CLUSTER_DIR/filings-$n.log" && break; sleep 0.1; done
        grep -q "listening on" "$FILINGS_CLUSTER_DIR/filings-$n.log" \
            || { echo "replica $n did not start:" >&2; cat "$FILINGS_CLUSTER_DIR/filings-$n.log" >&2; exit 1; }
    done
    if ! running "$FILINGS_CLUSTER_DIR/haproxy.pid"; then
        FILINGS_FRONTEND="127.0.0.1:$FILINGS_CLUSTER_PORT" \
            FILINGS_REPLICA_1="127.0.0.1:$(replica_port 1)" \
            FILINGS_REPLICA_2="127.0.0.1:$(replica_port 2)" \
            FILINGS_REPLICA_3="127.0.0.1:$(replica_port 3)" \
            haproxy -D -f deploy/haproxy.cfg -p "$FILINGS_CLUSTER_DIR/haproxy.pid"
    fi
    status
}

# A replica stops within its grace period (10 s), 10 s more for its store to close, and 5 s once cancelled
# (ShutdownPolicy); one still running after 30 s is killed, and `down` fails, saying so, as it does when a
# replica's log says it crashed.
down() {
    local failed=0
    if running "$FILINGS_CLUSTER_DIR/haproxy.pid"; then kill "$(cat "$FILINGS_CLUSTER_DIR/haproxy.pid")"; fi
    for n in "${replicas[@]}"; do
        local pidfile="$FILINGS_CLUSTER_DIR/filings-$n.pid"
        if running "$pidfile"; then kill "$(cat "$pidfile")"; fi
    done
    for n in "${replicas[@]}"; do
        local pidfile="$FILINGS_CLUSTER_DIR/filings-$n.pid"
        for _ in $(seq 300); do running "$pidfile" || break; sleep 0.1; done
        if running "$pidfile"; then
            echo "filings-$n (pid $(cat "$pidfile")) did not stop within 30 s of SIGTERM; killed" >&2
            kill -KILL "$(cat "$pidfile")"
            failed=1
        elif grep -qE "Fatal error:|Program crashed" "$FILINGS_CLUSTER_DIR/filings-$n.log" 2>/dev/null; then
            echo "filings-$n crashed; see $FILINGS_CLUSTER_DIR/filings-$n.log" >&2
            failed=1
        fi
        rm -f "$pidfile"
    done
    stop_postgres fast
    echo "cluster stopped (state kept in $FILINGS_CLUSTER_DIR)"
    return "$failed"
}

status() {
    local state
    if as_postgres_owner "$(postgres_bin)/pg_isready" -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT"; then
        state=up
    else
        state=down
    fi
    echo "postgres   $POSTGRES_HOST:$POSTGRES_PORT  $state"
    for n in "${replicas[@]}"; do
        running "$FILINGS_CLUSTER_DIR/filings-$n.pid" && state="up (pid $(cat "$FILINGS_CLUSTER_DIR/filings-$n.pid"))" \
            || state=down
        echo "filings-$n  127.0.0.1:$(replica_port "$n")  $state  metrics 127.0.0.1:$(metrics_port "$n")"
    done
    running "$FILINGS_CLUSTER_DIR/haproxy.pid" && state=up || state=down
    echo "haproxy    127.0.0.1:$FILINGS_CLUSTER_PORT  $state"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    restart-postgres)
        stop_postgres fast
        start_postgres
        ;;
    *)
        echo "usage: dev/cluster.sh up|down|status|restart-postgres" >&2
        exit 2
        ;;
esac
