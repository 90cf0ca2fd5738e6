#!/usr/bin/env bash
# Two release binaries on the same data set, taking turns in one run, on the dashboard
# under wrk: BEFORE (a binary built from an older commit) against AFTER (default: this
# checkout's target/release/lamtheobac). Used for the session check on the server (issue
# 11: BEFORE kept the session in the cookie alone) and for the use-case layer (issue 12:
# BEFORE read the dashboard in three trips in READ COMMITTED, AFTER in one snapshot).
# Each round starts one binary, signs in, warms up, then runs
# `wrk -t2 -c16 -d${BENCH_DURATION}` on /dashboard (the root reviewer bench.tw, default
# year); the rounds alternate BEFORE, AFTER, BEFORE, AFTER… so drift hits both alike.
# Prints a markdown table of each round and the medians with their ratio.
#
#   BEFORE=/tmp/lamtheobac-before bench/dashboard_ab.sh
#
# Needs an existing bench data set (bench/run.sh or `lamtheobac bench-seed`), DB_URL
# (default postgres://postgres@127.0.0.1:5432/lamtheobac_bench50k), wrk, curl, openssl.
# The AFTER binary migrates the data set on its first start (the new tables are unused
# by BEFORE). Sessions table: BENCH_SESSIONS (100000) extra rows of other people's
# sessions are inserted first, so the lookup is made in a table of realistic size
# (BENCH_SESSIONS=0: none). BENCH_TITLE names the table printed. "xact/req" is how many
# transactions the data set's database committed or rolled back per request during the
# measured run (pg_stat_database): each autocommit statement counts as one, so it shows
# the trips a page makes.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

: "${BEFORE:?set BEFORE to the binary to compare against}"
AFTER=${AFTER:-target/release/lamtheobac}
DB_URL=${DB_URL:-postgres://postgres@127.0.0.1:5432/lamtheobac_bench50k}
PASSWORD=${LAMTHEOBAC_BENCH_PASSWORD:-bench-password-2026}
ROUNDS=${BENCH_ROUNDS:-3}
BENCH_DURATION=${BENCH_DURATION:-15s}
PORT=${BENCH_PORT:-18431}
BASE="http://127.0.0.1:$PORT"
POOL=${DATABASE_POOL_SIZE:-4}
SESSIONS=${BENCH_SESSIONS:-100000}
TITLE=${BENCH_TITLE:-Session check on the server}
need_tool wrk wrk

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lamtheobac-sessions.XXXXXX")
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/uploads"
SESSION_KEY=$(openssl rand -base64 64 | tr -d '\n')

start_server() {
  DATABASE_URL="$DB_URL" SESSION_KEY="$SESSION_KEY" UPLOAD_DIR="$WORK/uploads" \
    DATABASE_POOL_SIZE="$POOL" BIND="127.0.0.1:$PORT" COOKIE_SECURE=false RUST_LOG=warn \
    "$1" serve >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$BASE/healthz" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "the server did not answer /healthz" >&2
  exit 1
}

# The AFTER binary's first start applies its migrations; then the sessions table gets
# other people's sessions (random hashes, recent, the bench admin's).
start_server "$AFTER"
stop_server
if [ "$SESSIONS" -gt 0 ]; then
  psql_db -c "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, user_agent, ip)
              SELECT sha256(convert_to(g::text || random()::text, 'UTF8')),
                     (SELECT id FROM users WHERE username = 'bench'),
                     now() - interval '1 hour', now() - (g % 600) * interval '1 second',
                     'bench', '127.0.0.1'
                FROM generate_series(1, $SESSIONS) g
              ON CONFLICT DO NOTHING" || echo "(sessions table not filled: its columns differ)" >&2
  psql_db -c "ANALYZE sessions" || true
fi
total_sessions=$(psql_db -c "SELECT count(*) FROM sessions" 2>/dev/null || echo "?")

declare -a RPS_before P50_before P95_before XACT_before RPS_after P50_after P95_after XACT_after
{
  echo "| round | binary | req/s | p50 ms | p95 ms | p99 ms | non-2xx | xact/req |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|"
} >"$WORK/rounds.md"
transactions() {
  psql_db -c "SELECT pg_stat_clear_snapshot(); SELECT xact_commit + xact_rollback
                FROM pg_stat_database WHERE datname = current_database()" | tail -1
}
for round in $(seq 1 "$ROUNDS"); do
  for which in before after; do
    if [ "$which" = before ]; then bin=$BEFORE; else bin=$AFTER; fi
    start_server "$bin"
    cookie=$(sign_in bench.tw "$WORK/jar")
    wrk -t2 -c16 -d3s -H "Cookie: $cookie" "$BASE/dashboard" >/dev/null
    xact_start=$(transactions)
    line=$(wrk -t2 -c16 -d"$BENCH_DURATION" --latency -s bench/report.lua \
      -H "Cookie: $cookie" "$BASE/dashboard" | grep '^BENCH ')
    stop_server
    # The statistics collector reports with a delay of up to a second.
    sleep 1.5
    xact_end=$(transactions)
    value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    rps=$(value rps) p50=$(value p50_ms) p95=$(value p95_ms) p99=$(value p99_ms) bad=$(value non2xx)
    xact=$(calc "($xact_end - $xact_start) / $(value requests)")
    printf '| %s | %s | %s | %s | %s | %s | %s | %.2f |\n' \
      "$round" "$which" "$rps" "$p50" "$p95" "$p99" "$bad" "$xact" >>"$WORK/rounds.md"
    eval "RPS_$which+=($rps) P50_$which+=($p50) P95_$which+=($p95) XACT_$which+=($xact)"
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "### $TITLE: /dashboard, root reviewer, wrk -t2 -c16 -d$BENCH_DURATION, pool $POOL, $total_sessions rows in sessions"
echo
cat "$WORK/rounds.md"
echo
echo "| median | before | after | after / before |"
echo "|---|---:|---:|---:|"
for metric in RPS P50 P95 XACT; do
  eval "b=\$(median \"\${${metric}_before[@]}\") a=\$(median \"\${${metric}_after[@]}\")"
  echo "| $metric | $b | $a | $(calc "$a / $b") |"
done
