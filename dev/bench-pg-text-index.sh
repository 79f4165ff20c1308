#!/usr/bin/env bash
# GIN and RUM side by side on a PostgreSQL store that filings-server filled: the relevance queries of
# Benchmarks/queries/fulltext.txt as the store runs them (GIN finds the matches, ts_rank sorts them all), then
# the same with a RUM index, whose `<=>` ordering can come out of the index, and the counts either way.
# Prints, per query, the median of RUNS executions (EXPLAIN ANALYZE's execution time) and how many of
# RUM's first 20 are ts_rank's first 20. The RUM index is dropped at the end.
#
#   POSTGRES_PORT=... FILINGS_POSTGRES_DIR=... dev/bench-pg-text-index.sh [DATABASE] [RUNS]
#
# Needs the postgresql-15-rum package (Debian 12). The database is one a filings-server has migrated and
# filled (dev/bench-backends.sh leaves one in its work directory).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
database=${1:-filings}
runs=${2:-5}
# shellcheck source=dev/lib/postgres.sh
source dev/lib/postgres.sh
start_postgres
sql() { PGPASSWORD=$POSTGRES_PASSWORD psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d "$database" -qtAX "$@"; }

# The relevance queries of Benchmarks/queries/fulltext.txt, as PostgresFilingQuery.tsquery writes them.
queries=(
    "'merger' & 'agreement'"
    "('net' <-> 'income')"
    "'acqui':* & !'terminated'"
    "('dividend' | 'repurchase')"
    "'pleased' & 'announce'"
    "('fourth' <-> 'quarter') & 'revenue'"
    "'clinical' & 'trial'"
)

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

time_sql() { # time_sql SQL: median execution time in ms over $runs runs (one warm-up)
    sql -c "EXPLAIN (ANALYZE) $1" >/dev/null
    for _ in $(seq "$runs"); do
        sql -c "EXPLAIN (ANALYZE) $1" | sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p'
    done | median
}

echo "== $(sql -c 'SELECT count(*) FROM filings') filings; GIN index $(sql -c "SELECT pg_size_pretty(pg_relation_size('filings_search'))")"
declare -A gin_ms count_ms gin_top
for q in "${queries[@]}"; do
    tsq="to_tsquery('simple', \$\$$q\$\$)"
    gin_ms[$q]=$(time_sql "SELECT row, ts_rank(search, $tsq, 1) AS s FROM filings WHERE search @@ $tsq ORDER BY s DESC, row LIMIT 21")
    count_ms[$q]=$(time_sql "SELECT count(*) FROM filings WHERE search @@ $tsq")
    gin_top[$q]=$(sql -c "SELECT string_agg(row::text, ',') FROM (SELECT row FROM filings WHERE search @@ $tsq ORDER BY ts_rank(search, $tsq, 1) DESC, row LIMIT 20) t")
done

sql -c "CREATE EXTENSION IF NOT EXISTS rum"
started=$(date +%s%N)
sql -c "CREATE INDEX filings_search_rum ON filings USING rum (search rum_tsvector_ops)"
built=$((($(date +%s%N) - started) / 1000000))
trap 'sql -c "DROP INDEX IF EXISTS filings_search_rum"' EXIT
echo "== RUM index built in $built ms, $(sql -c "SELECT pg_size_pretty(pg_relation_size('filings_search_rum'))")"

printf '%-40s %10s %12s %10s %10s %12s %8s\n' query matches "GIN+rank" "RUM <=>" "RUM count" "GIN count" "top-20"
for q in "${queries[@]}"; do
    tsq="to_tsquery('simple', \$\$$q\$\$)"
    matches=$(sql -c "SELECT count(*) FROM filings WHERE search @@ $tsq")
    rum_ms=$(time_sql "SELECT row, search <=> $tsq AS d FROM filings WHERE search @@ $tsq ORDER BY search <=> $tsq LIMIT 21")
    rum_count_ms=$(time_sql "SELECT count(*) FROM filings WHERE search @@ $tsq")
    rum_top=$(sql -c "SELECT string_agg(row::text, ',') FROM (SELECT row FROM filings WHERE search @@ $tsq ORDER BY search <=> $tsq LIMIT 20) t")
    same=$(comm -12 <(tr , '\n' <<<"${gin_top[$q]}" | sort) <(tr , '\n' <<<"$rum_top" | sort) | grep -c . || true)
    printf '%-40s %10s %10s ms %7s ms %7s ms %9s ms %5s/%s\n' "$q" "$matches" "${gin_ms[$q]}" "$rum_ms" \
        "$rum_count_ms" "${count_ms[$q]}" "$same" "$((matches < 20 ? matches : 20))"
done
echo "== plans of the first query"
q=${queries[0]}
tsq="to_tsquery('simple', \$\$$q\$\$)"
sql -c "EXPLAIN (ANALYZE, BUFFERS) SELECT row, search <=> $tsq AS d FROM filings WHERE search @@ $tsq ORDER BY search <=> $tsq LIMIT 21" | sed 's/^/   /'
