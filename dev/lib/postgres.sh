# Sourced by .ci/run and dev/cluster.sh: a PostgreSQL server of our own, in a directory of its own, on loopback.
#
# It is initialised as the role $POSTGRES_USER (a superuser, password $POSTGRES_PASSWORD) with the database
# $POSTGRES_DB, UTF-8 with the C.UTF-8 locale. PostgreSQL refuses to run as root: as root, the directory is given
# to the `postgres` user (from Debian's package) and the server runs as that user.

: "${POSTGRES_HOST:=127.0.0.1}"
: "${POSTGRES_PORT:=55432}"
: "${POSTGRES_USER:=filings}"
: "${POSTGRES_PASSWORD:=filings}"
: "${POSTGRES_DB:=filings}"
: "${FILINGS_POSTGRES_DIR:=/tmp/filings-postgres-$POSTGRES_PORT}"
export POSTGRES_HOST POSTGRES_PORT POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB FILINGS_POSTGRES_DIR

postgres_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
    echo "$dir"
}

# Runs a command as the user the server runs as.
as_postgres_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres: initialises the cluster on first use, starts it, and creates the database; idempotent.
start_postgres() {
    local bin
    bin=$(postgres_bin) || return 1
    if [ ! -f "$FILINGS_POSTGRES_DIR/data/PG_VERSION" ]; then
        mkdir -p "$FILINGS_POSTGRES_DIR"
        [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$FILINGS_POSTGRES_DIR"
        local pwfile="$FILINGS_POSTGRES_DIR/pwfile"
        as_postgres_owner sh -c "printf '%s\n' '$POSTGRES_PASSWORD' > '$pwfile'"
        as_postgres_owner "$bin/initdb" -D "$FILINGS_POSTGRES_DIR/data" --username="$POSTGRES_USER" \
            --pwfile="$pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        as_postgres_owner rm -f "$pwfile"
    fi
    if ! as_postgres_owner "$bin/pg_ctl" -D "$FILINGS_POSTGRES_DIR/data" status >/dev/null 2>&1; then
        as_postgres_owner "$bin/pg_ctl" -D "$FILINGS_POSTGRES_DIR/data" -l "$FILINGS_POSTGRES_DIR/server.log" -w \
            -o "-p $POSTGRES_PORT -k $FILINGS_POSTGRES_DIR -c listen_addresses=$POSTGRES_HOST -c max_connections=300 -c fsync=${POSTGRES_FSYNC:-on}" \
            start >/dev/null
    fi
    PGPASSWORD=$POSTGRES_PASSWORD psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_DB'" | grep -q 1 \
        || PGPASSWORD=$POSTGRES_PASSWORD psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" \
            -d postgres -qc "CREATE DATABASE \"$POSTGRES_DB\""
}

# stop_postgres [MODE]: stops the server (fast by default; immediate is a crash).
stop_postgres() {
    local bin
    bin=$(postgres_bin) || return 1
    as_postgres_owner "$bin/pg_ctl" -D "$FILINGS_POSTGRES_DIR/data" -m "${1:-fast}" -w stop >/dev/null 2>&1 || true
}
