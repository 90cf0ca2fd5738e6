#!/usr/bin/env bash
# The dashboard benchmark (see BENCHMARKS.md).
#
#  1. installs wrk if missing, builds the release binary;
#  2. seeds database $BENCH_DB with `lamtheobac bench-seed` when it is missing or empty;
#  3. starts the release server, signs in as the bench admin;
#  4. for four nodes (the root, the largest province, the largest bloc or district committee
#     in it, a cell) runs wrk on /dashboard and /api/v1/stats and samples the server's RSS;
#  5. times the pre-roll-up queries (bench/naive/*.sql, from commit 43e733f) and the
#     roll-up queries (src/store/sql/*.sql) in psql at the same nodes, median of N runs;
#  6. issue 10 (national scale for writes and pages): every page and API call of the issue's
#     table at the four nodes, single client (bench/pages.sh); the write rush with pgbench,
#     spread over the country and concentrated in one committee and its cells, against a
#     copy of the table without triggers (bench/writes.sh); the registration rush through
#     HTTP with real sessions while wrk loads the root dashboard (bench/http_rush.py); then
#     a recount proves the roll-ups exact, and the data set is put back;
#  7. prints a markdown summary (also written to $BENCH_OUT/summary.md).
#
# Settings (environment): BENCH_DB (lamtheobac_bench), BENCH_SERVER_URL
# (postgres://postgres@127.0.0.1:5432), BENCH_UNITS (250000), BENCH_INITIATIVES (2500000),
# BENCH_YEARS (5), BENCH_RESEED=1 (seed again with --replace), BENCH_YEAR (current),
# BENCH_PORT (18080), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_DURATION (15s),
# BENCH_SKIP_SQL=1 (wrk only), BENCH_SKIP_WRK=1, BENCH_SKIP_EXPORTS=1, BENCH_EXPORT_RUNS (3), BENCH_WARMUP (3s), BENCH_TIMEOUT (30s: wrk's per-request timeout; slower answers count
# as socket errors and have no latency), BENCH_SQL_RUNS (7), BENCH_SKIP_BUILD=1, BENCH_BIN (the binary to
# serve, target/release/lamtheobac), BENCH_JIT (off: set on the bench database), BENCH_OUT (target/bench),
# LAMTHEOBAC_BENCH_PASSWORD (bench-password-2026); for the server DATABASE_POOL_SIZE
# (default here 4) and RUST_LOG (default here warn: no access log line per request).
# Issue 10's parts: BENCH_SKIP_PAGES=1, BENCH_SKIP_WRITES=1 (pgbench), BENCH_SKIP_HTTP_RUSH=1;
# BENCH_PAGE_RUNS (20), BENCH_PAGE_MIN_RUNS (5), BENCH_PAGE_BUDGET (5 s per page and node);
# BENCH_PG_CLIENTS (16), BENCH_PG_HOT_CLIENTS (8), BENCH_PG_DURATION (20 s),
# BENCH_PG_MAX_TRIES (1), BENCH_PG_AUDITED (1) (see bench/writes.sh); BENCH_RUSH_CLIENTS (16),
# BENCH_RUSH_DURATION (20 s), BENCH_RUSH_SECRETARIES (64), BENCH_RUSH_WRK_CONNECTIONS (4:
# wrk's load on the root dashboard meanwhile). Only the new parts, on an existing data set:
# BENCH_SKIP_WRK=1 BENCH_SKIP_EXPORTS=1 BENCH_SKIP_SQL=1.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DB=${BENCH_DB:-lamtheobac_bench}
BENCH_SERVER_URL=${BENCH_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
BENCH_UNITS=${BENCH_UNITS:-250000}
BENCH_INITIATIVES=${BENCH_INITIATIVES:-2500000}
BENCH_YEARS=${BENCH_YEARS:-5}
BENCH_PORT=${BENCH_PORT:-18080}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
BENCH_DURATION=${BENCH_DURATION:-15s}
BENCH_WARMUP=${BENCH_WARMUP:-3s}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-30s}
BENCH_SQL_RUNS=${BENCH_SQL_RUNS:-7}
BENCH_OUT=${BENCH_OUT:-target/bench}
PASSWORD=${LAMTHEOBAC_BENCH_PASSWORD:-bench-password-2026}
DB_URL="$BENCH_SERVER_URL/$BENCH_DB"
BIN=${BENCH_BIN:-target/release/lamtheobac}
BASE="http://127.0.0.1:$BENCH_PORT"

. bench/lib.sh
RUN_STARTED=$(now_s)
declare -A PART_S

# ---------------------------------------------------------------------------- tools, build
need_tool wrk wrk
[ "${BENCH_SKIP_WRITES:-0}" = 1 ] || need_tool pgbench postgresql-contrib
for tool in psql curl openssl awk python3; do
  command -v "$tool" >/dev/null || { echo "run.sh needs $tool" >&2; exit 1; }
done
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "cargo build --release"
  cargo build --release --quiet
fi

mkdir -p "$BENCH_OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lamtheobac-bench.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------- data set
exists=$(psql -X -At "$BENCH_SERVER_URL/postgres" \
  -c "SELECT count(*) FROM pg_database WHERE datname = '$BENCH_DB'")
units=0
if [ "$exists" = 1 ]; then
  units=$(psql_db -c "SELECT CASE WHEN to_regclass('units') IS NULL THEN 0
                                  ELSE (SELECT count(*) FROM units) END")
fi
SEED_LINE="reused the existing data set"
if [ "$units" = 0 ] || [ "${BENCH_RESEED:-0}" = 1 ]; then
  log "bench-seed --units $BENCH_UNITS --initiatives $BENCH_INITIATIVES --years $BENCH_YEARS"
  replace=()
  [ "$units" = 0 ] || replace=(--replace)
  start=$(date +%s.%N)
  DATABASE_URL="$DB_URL" LAMTHEOBAC_BENCH_PASSWORD="$PASSWORD" "$BIN" bench-seed \
    --units "$BENCH_UNITS" --initiatives "$BENCH_INITIATIVES" --years "$BENCH_YEARS" \
    "${replace[@]}" | tee "$BENCH_OUT/seed.log"
  SEED_LINE=$(printf 'seeded in %.0f s' "$(calc "$(date +%s.%N) - $start")")
fi
read -r UNITS INITIATIVES < <(psql_db -F ' ' -c \
  "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM initiatives)")
log "data set: $UNITS units, $INITIATIVES initiatives ($SEED_LINE)"

# The bench database's own settings: no JIT (an interactive application's queries should
# not pay for compiling plans; it only ever slowed the naive queries down here).
psql_db -c "ALTER DATABASE \"$BENCH_DB\" SET jit = ${BENCH_JIT:-off}"

YEAR=${BENCH_YEAR:-$(psql_db -c "SELECT max(year) FROM initiatives")}
TODAY=$(psql_db -c "SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date")

# The four nodes: the root; the province with the largest subtree; that province's
# agencies' bloc (Đảng ủy Khối các cơ quan); an attached cell in the bloc that registered
# this year.
ROOT=$(psql_db -c "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
PROVINCE=$(psql_db -c "SELECT u.id FROM units u JOIN subtree_units s ON s.unit_id = u.id
                        WHERE u.kind = 'province_committee' ORDER BY s.units DESC, u.id LIMIT 1")
BLOC=$(psql_db -c "SELECT u.id FROM units u JOIN subtree_units s ON s.unit_id = u.id
                    WHERE u.parent_id = $PROVINCE AND u.kind = 'bloc_committee'
                    ORDER BY (u.code LIKE '%-K1') DESC, s.units DESC, u.id LIMIT 1")
CELL=$(psql_db -c "SELECT u.id FROM units u
                    WHERE u.path <@ (SELECT path FROM units WHERE id = $BLOC)
                      AND u.kind = 'attached_cell'
                      AND EXISTS (SELECT 1 FROM initiatives i WHERE i.unit_id = u.id AND i.year = $YEAR)
                    ORDER BY u.id LIMIT 1")
NODES=(root province bloc cell)
declare -A NODE_ID=([root]=$ROOT [province]=$PROVINCE [bloc]=$BLOC [cell]=$CELL)
declare -A NODE_DESC
for node in "${NODES[@]}"; do
  NODE_DESC[$node]=$(psql_db -F ' · ' -c "SELECT u.name, s.units || ' units'
                                            FROM units u JOIN subtree_units s ON s.unit_id = u.id
                                           WHERE u.id = ${NODE_ID[$node]}")
done

# ---------------------------------------------------------------------------- server
log "starting the release server on $BASE"
mkdir -p "$WORK/uploads"
SESSION_KEY=$(openssl rand -base64 64 | tr -d '\n')
# 4 connections, not the default 16: on 2 cores more backends only queue for the CPU
# (BENCHMARKS.md has the comparison).
POOL=${DATABASE_POOL_SIZE:-4}
DATABASE_URL="$DB_URL" SESSION_KEY="$SESSION_KEY" UPLOAD_DIR="$WORK/uploads" DATABASE_POOL_SIZE="$POOL" \
  BIND="127.0.0.1:$BENCH_PORT" COOKIE_SECURE=false RUST_LOG="${RUST_LOG:-warn}" \
  "$BIN" serve >"$BENCH_OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "$BASE/healthz" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$BENCH_OUT/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null "$BASE/healthz"

COOKIE=$(sign_in bench "$WORK/cookies")
check=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE/api/v1/stats?year=$YEAR&unit=$ROOT")
[ "$check" = 200 ] || { echo "the session does not open /api/v1/stats (HTTP $check)" >&2; exit 1; }

# ---------------------------------------------------------------------------- wrk
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
rss_kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$SERVER_PID/status"; }
# CPU time per request from cpu_ticks and backend_ticks (bench/lib.sh).
TICKS_PER_S=$(getconf CLK_TCK)
declare -A RESULT PEAK SERVER_CPU PG_CPU
[ "${BENCH_SKIP_WRK:-0}" = 1 ] && WRK_NODES=() || WRK_NODES=("${NODES[@]}")
for node in "${WRK_NODES[@]}"; do
  id=${NODE_ID[$node]}
  for endpoint in dashboard stats; do
    case $endpoint in
      dashboard) url="$BASE/dashboard?year=$YEAR&unit=$id" ;;
      stats) url="$BASE/api/v1/stats?year=$YEAR&unit=$id" ;;
    esac
    log "wrk $node ($id) $endpoint"
    wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_WARMUP" --timeout "$BENCH_TIMEOUT" \
      -H "Cookie: $COOKIE" "$url" >/dev/null
    server_before=$(cpu_ticks "$SERVER_PID")
    pg_before=$(backend_ticks)
    wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --timeout "$BENCH_TIMEOUT" --latency \
      -s bench/report.lua -H "Cookie: $COOKIE" "$url" >"$WORK/wrk.out" &
    wrk_pid=$!
    peak=0
    while kill -0 "$wrk_pid" 2>/dev/null; do
      rss=$(rss_kb VmRSS)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss
      sleep 0.2
    done
    wait "$wrk_pid"
    server_after=$(cpu_ticks "$SERVER_PID")
    pg_after=$(backend_ticks)
    cat "$WORK/wrk.out" >&2
    RESULT[$node.$endpoint]=$(grep '^BENCH ' "$WORK/wrk.out")
    PEAK[$node.$endpoint]=$peak
    requests=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"${RESULT[$node.$endpoint]}")
    SERVER_CPU[$node.$endpoint]=$(calc "($server_after - $server_before) * 1000 / $TICKS_PER_S / ($requests + 0.000001)")
    PG_CPU[$node.$endpoint]=$(calc "($pg_after - $pg_before) * 1000 / $TICKS_PER_S / ($requests + 0.000001)")
  done
done
HWM=$(rss_kb VmHWM)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------- exports
# The root's whole year as CSV and as XLSX (every initiative of the year: 500,000 with the
# default data set), BENCH_EXPORT_RUNS times each; the median time, the size, the rows in
# the file (read back with Python) and the server's peak RSS while it streamed.
EXPORT_RUNS=${BENCH_EXPORT_RUNS:-3}
declare -A EXPORT_MS EXPORT_BYTES EXPORT_PEAK EXPORT_ROWS EXPORT_CPU
EXPORT_KINDS=()
[ "${BENCH_SKIP_EXPORTS:-0}" = 1 ] || EXPORT_KINDS=(csv xlsx)
EXPORT_EXPECTED=$(psql_db -c "SELECT count(*) FROM initiatives WHERE year = $YEAR")
for kind in "${EXPORT_KINDS[@]}"; do
  case $kind in
    csv) url="$BASE/exports/initiatives.csv?year=$YEAR&unit=$ROOT" ;;
    xlsx) url="$BASE/exports/annual.xlsx?year=$YEAR&unit=$ROOT" ;;
  esac
  log "export $kind of the root ($EXPORT_EXPECTED initiatives), $EXPORT_RUNS runs"
  times=()
  peak=0
  server_before=$(cpu_ticks "$SERVER_PID")
  for _ in $(seq 1 "$EXPORT_RUNS"); do
    curl -fsS -H "Cookie: $COOKIE" -o "$WORK/export.$kind" \
      -w '%{time_total} %{size_download}\n' "$url" >"$WORK/curl.out" &
    curl_pid=$!
    while kill -0 "$curl_pid" 2>/dev/null; do
      rss=$(rss_kb VmRSS)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss
      sleep 0.1
    done
    wait "$curl_pid"
    read -r seconds size <"$WORK/curl.out"
    times+=("$seconds")
  done
  EXPORT_CPU[$kind]=$(calc "($(cpu_ticks "$SERVER_PID") - $server_before) / $TICKS_PER_S / $EXPORT_RUNS")
  EXPORT_MS[$kind]=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] * 1000 }')
  EXPORT_BYTES[$kind]=$size
  EXPORT_PEAK[$kind]=$peak
  EXPORT_ROWS[$kind]=$(python3 - "$WORK/export.$kind" "$kind" <<'PY'
import csv, re, sys, zipfile
path, kind = sys.argv[1], sys.argv[2]
if kind == "csv":
    with open(path, encoding="utf-8-sig", newline="") as f:
        print(sum(1 for _ in csv.reader(f)) - 1)
else:
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet2.xml").decode()
    # Two title rows and the header row come before the initiatives.
    print(len(re.findall(r"<row ", xml)) - 3)
PY
)
done
HWM_AFTER_EXPORTS=$(rss_kb VmHWM)

# ---------------------------------------------------------------------------- SQL
# One query with its parameters replaced ($1 the node, then the values given); prints the
# median of BENCH_SQL_RUNS runs (after one warm-up run) in ms, as psql's \timing measures it.
median_ms() {
  local file=$1 id=$2 script="$WORK/query.sql"
  shift 2
  [ -f "$file" ] || { echo "median_ms: no $file" >&2; exit 1; }
  local subst=(-e "s/\\\$1/$id/g") n=2
  for value in "$@"; do subst+=(-e "s/\\\$$n/$value/g"); n=$((n + 1)); done
  {
    echo '\timing on'
    for _ in $(seq 0 "$BENCH_SQL_RUNS"); do
      sed "${subst[@]}" "$file"
      echo ';'
    done
  } >"$script"
  psql -X -q -v ON_ERROR_STOP=1 -o /dev/null "$DB_URL" -f "$script" \
    | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n +2 | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# The naive queries (headline, coverage, per child) against what the dashboard runs for the
# same figures now: by_year.sql for one year (headline and coverage) and by_child.sql.
QUERIES=(year by_child)
declare -A LABEL=([year]="headline + coverage" [by_child]="by_child")
declare -A NAIVE ROLLUP
[ "${BENCH_SQL_SKIP:-${BENCH_SKIP_SQL:-0}}" = 1 ] && BENCH_SQL_NODES=() || BENCH_SQL_NODES=("${NODES[@]}")
for node in "${BENCH_SQL_NODES[@]}"; do
  id=${NODE_ID[$node]}
  log "SQL $node (naive, roll-up; $BENCH_SQL_RUNS runs each)"
  headline=$(median_ms bench/naive/headline.sql "$id" "$YEAR" "'$TODAY'::date")
  coverage=$(median_ms bench/naive/coverage.sql "$id" "$YEAR")
  NAIVE[$node.year]=$(calc "$headline + $coverage")
  ROLLUP[$node.year]=$(median_ms src/store/sql/by_year.sql "$id" "$YEAR" "$YEAR" "'$TODAY'::date")
  NAIVE[$node.by_child]=$(median_ms bench/naive/by_child.sql "$id" "$YEAR")
  ROLLUP[$node.by_child]=$(median_ms src/store/sql/by_child.sql "$id" "$YEAR")
done

# ---------------------------------------------------------------------------- issue 10
# National scale for writes and pages (BENCHMARKS.md). The pages first, on the data set
# as seeded; then the write rushes, the recount, and the data set put back.
SKIP_PAGES=${BENCH_SKIP_PAGES:-0}
SKIP_WRITES=${BENCH_SKIP_WRITES:-0}
SKIP_HTTP_RUSH=${BENCH_SKIP_HTTP_RUSH:-0}
RUSH_CLIENTS=${BENCH_RUSH_CLIENTS:-16}
RUSH_DURATION=${BENCH_RUSH_DURATION:-20}
RUSH_WRK=${BENCH_RUSH_WRK_CONNECTIONS:-4}
export DB_URL BENCH_DB BENCH_OUT BASE PASSWORD BENCH_YEAR=$YEAR
rm -f "$BENCH_OUT"/{pages,writes,http_rush,recount}.md
if [ "$SKIP_PAGES" != 1 ] || [ "$SKIP_HTTP_RUSH" != 1 ]; then
  # Reviewers and secretaries of the nodes, secretaries for the rush (bench/users.sql).
  psql_db -v rush="${BENCH_RUSH_SECRETARIES:-64}" -v province="$PROVINCE" -v bloc="$BLOC" \
    -v cell="$CELL" -f bench/users.sql >"$WORK/rush_users"
fi

if [ "$SKIP_PAGES" != 1 ]; then
  started=$(now_s)
  NODES="${NODES[*]}" ROOT_COOKIE=$COOKIE bench/pages.sh
  PART_S[pages]=$(since "$started")
fi

if [ "$SKIP_WRITES" != 1 ]; then
  started=$(now_s)
  bench/writes.sh prepare
  PART_S[writes_prepare]=$(since "$started")
  started=$(now_s)
  bench/writes.sh rush
  PART_S[writes_rush]=$(since "$started")
fi

if [ "$SKIP_HTTP_RUSH" != 1 ]; then
  started=$(now_s)
  bench/writes.sh mark
  dashboard="$BASE/dashboard?year=$YEAR&unit=$ROOT"
  dash_wrk="wrk -t1 -c$RUSH_WRK -d${RUSH_DURATION}s --timeout $BENCH_TIMEOUT --latency -s bench/report.lua -H 'Cookie: $COOKIE' '$dashboard'"
  log "the root dashboard alone: wrk -t1 -c$RUSH_WRK -d${RUSH_DURATION}s"
  LOAD_RUSH_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  bash -c "$dash_wrk" >"$WORK/dash_alone.out"
  log "HTTP registration rush: $RUSH_CLIENTS clients, ${RUSH_DURATION}s, with the same wrk on the root dashboard"
  rush_rows_before=$(psql_db -c "SELECT count(*) FROM initiatives i JOIN users u ON u.id = i.created_by
                                  WHERE u.username LIKE 'bench.rush.%'")
  # The CPU counters are read when the rush starts (after the sign-ins), by the command
  # that runs wrk alongside it.
  cat >"$WORK/alongside.sh" <<SH
. bench/lib.sh
echo "\$(cpu_ticks $SERVER_PID) \$(backend_ticks)" >"$WORK/rush_cpu_start"
exec $dash_wrk
SH
  deadlocks_before=$(psql_db -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
  LAMTHEOBAC_BENCH_PASSWORD=$PASSWORD python3 bench/http_rush.py --base "$BASE" --users "$WORK/rush_users" \
    --year "$YEAR" --clients "$RUSH_CLIENTS" --duration "$RUSH_DURATION" \
    --alongside "bash $WORK/alongside.sh" --alongside-out "$WORK/dash_rush.out" >"$WORK/rush.json"
  LOAD_RUSH_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
  sleep 1
  rush_deadlocks=$(( $(psql_db -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()") - deadlocks_before ))
  read -r server_before pg_before <"$WORK/rush_cpu_start"
  rush_server_s=$(calc "($(cpu_ticks "$SERVER_PID") - $server_before) / $TICKS_PER_S")
  rush_pg_s=$(calc "($(backend_ticks) - $pg_before) / $TICKS_PER_S")
  rush_rows=$(( $(psql_db -c "SELECT count(*) FROM initiatives i JOIN users u ON u.id = i.created_by
                               WHERE u.username LIKE 'bench.rush.%'") - rush_rows_before ))
  cat "$WORK/rush.json" "$WORK/dash_alone.out" "$WORK/dash_rush.out" >&2
  python3 - "$WORK/rush.json" "$rush_rows" "$(grep '^BENCH ' "$WORK/dash_alone.out")" \
    "$(grep '^BENCH ' "$WORK/dash_rush.out")" "$LOAD_RUSH_BEFORE" "$LOAD_RUSH_AFTER" \
    "$RUSH_WRK" "$POOL" "$rush_server_s" "$rush_pg_s" "$rush_deadlocks" >"$BENCH_OUT/http_rush.md" <<'PY'
import json, sys
rush = json.load(open(sys.argv[1]))
stored, alone, during, load_before, load_after, wrk, pool, server_s, pg_s, deadlocks = sys.argv[2:12]
def fields(line):
    return dict(part.split("=", 1) for part in line.split()[1:])
alone, during = fields(alone), fields(during)
print("### Registration rush through HTTP")
print()
print(f"bench/http_rush.py: {rush['clients']} clients (threads, one keep-alive connection each), "
      f"{rush['seconds']} s, {rush['sessions']} secretaries signed in (bench.rush.NNN, one unit each, "
      f"spread over the country; {rush['sign_in_seconds']} s to sign in), each POST /initiatives the "
      "registration form with the session's CSRF token (the 303 is not followed). Meanwhile "
      f"wrk -t1 -c{wrk} on the root dashboard; the same wrk alone just before. Server pool {pool}. "
      f"Load average before: {load_before}; after: {load_after}.")
print()
statuses = ", ".join(f"{k}: {v}" for k, v in rush["statuses"].items())
# CPU per answer, the dashboard requests included (they share the server and the pool).
answers = rush["requests"] + int(during["requests"])
per = lambda seconds: float(seconds) * 1000 / max(answers, 1)
print("| registrations/s | registered (303) | rows stored | answers | 5xx | deadlocks (pg_stat_database) | connection errors | POST p50 ms | p95 ms | p99 ms | server CPU ms/answer | PostgreSQL CPU ms/answer |")
print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
print(f"| **{rush['registrations_per_s']}** | {rush['registered']} | {stored} | {statuses} | "
      f"**{rush['server_errors']}** | {deadlocks} | {rush['connection_errors']} | {rush['p50_ms']} | "
      f"{rush['p95_ms']} | {rush['p99_ms']} | {per(server_s):.2f} | {per(pg_s):.2f} |")
print()
print("| root dashboard (wrk) | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, r in (("alone", alone), ("during the rush", during)):
    print(f"| {name} | {r['rps']} | {r['p50_ms']} | **{r['p95_ms']}** | {r['p99_ms']} | "
          f"{r['non2xx']} | {r['socket_errors']} |")
print()
print("Targets: ≥ 500 registrations/s, no 5xx.")
print()
PY
  cat "$BENCH_OUT/http_rush.md" >&2
  PART_S[http_rush]=$(since "$started")
fi

if [ "$SKIP_WRITES" != 1 ] || [ "$SKIP_HTTP_RUSH" != 1 ]; then
  started=$(now_s)
  bench/writes.sh recount
  PART_S[recount]=$(since "$started")
  started=$(now_s)
  bench/writes.sh cleanup
  PART_S[cleanup]=$(since "$started")
fi

# ---------------------------------------------------------------------------- summary
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
{
  echo "## lamtheobac dashboard benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Data: $UNITS units, $INITIATIVES initiatives ($SEED_LINE); year $YEAR, today $TODAY."
  echo "Server: $BIN, DATABASE_POOL_SIZE=$POOL, workers = cores ($(nproc)), RUST_LOG=${RUST_LOG:-warn}; database jit=${BENCH_JIT:-off}."
  echo "wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION --timeout $BENCH_TIMEOUT (after a $BENCH_WARMUP warm-up), signed in as bench (admin)."
  echo "Machine load average (1, 5, 15 min) before wrk: $LOAD_BEFORE; after: $LOAD_AFTER."
  echo
  if [ "${#EXPORT_KINDS[@]}" -gt 0 ]; then
    echo "Exports of the root for $YEAR ($EXPORT_EXPECTED initiatives), median of $EXPORT_RUNS downloads with curl:"
    echo
    echo "| file | median s | server CPU s | size MB | rows in the file | peak server RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|"
    for kind in "${EXPORT_KINDS[@]}"; do
      printf '| %s | %.1f | %.1f | %.1f | %s | %.1f |\n' "$kind" "$(calc "${EXPORT_MS[$kind]} / 1000")" \
        "${EXPORT_CPU[$kind]}" "$(calc "${EXPORT_BYTES[$kind]} / 1048576")" "${EXPORT_ROWS[$kind]}" \
        "$(calc "${EXPORT_PEAK[$kind]} / 1024")"
    done
    echo
    printf 'Server RSS high-water mark (VmHWM) after the exports: %.1f MB.\n' "$(calc "$HWM_AFTER_EXPORTS / 1024")"
    echo
  fi
  [ "${#WRK_NODES[@]}" -gt 0 ] && {
  echo "| node | unit | endpoint | p50 ms | p95 ms | p99 ms | req/s | non-2xx | socket errors | peak RSS MB | server CPU ms/req | PostgreSQL CPU ms/req |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for node in "${WRK_NODES[@]}"; do
    for endpoint in dashboard stats; do
      r=${RESULT[$node.$endpoint]}
      printf '| %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s | %.1f | %.2f | %.2f |\n' \
        "$node" "${NODE_ID[$node]}" "${NODE_DESC[$node]}" "$endpoint" \
        "$(field "$r" p50_ms)" "$(field "$r" p95_ms)" "$(field "$r" p99_ms)" \
        "$(field "$r" rps)" "$(field "$r" non2xx)" "$(field "$r" socket_errors)" \
        "$(calc "${PEAK[$node.$endpoint]} / 1024")" \
        "${SERVER_CPU[$node.$endpoint]}" "${PG_CPU[$node.$endpoint]}"
    done
  done
  echo
  }
  printf 'Server RSS high-water mark (VmHWM) over the whole run: %.1f MB.\n' "$(calc "$HWM / 1024")"
  echo
  if [ "${#BENCH_SQL_NODES[@]}" -gt 0 ]; then
  echo "SQL, median of $BENCH_SQL_RUNS runs in psql (\\timing), naive = bench/naive (43e733f: headline.sql + coverage.sql, by_child.sql), roll-up = src/store/sql (by_year.sql for the year, by_child.sql):"
  echo
  echo "| node | query | naive ms | roll-up ms | ratio |"
  echo "|---|---|---:|---:|---:|"
  for node in "${NODES[@]}"; do
    naive_total=0
    rollup_total=0
    for query in "${QUERIES[@]}"; do
      n=${NAIVE[$node.$query]} r=${ROLLUP[$node.$query]}
      naive_total=$(calc "$naive_total + $n")
      rollup_total=$(calc "$rollup_total + $r")
      printf '| %s | %s | %.2f | %.3f | %.0f× |\n' "$node" "${LABEL[$query]}" "$n" "$r" "$(calc "$n / $r")"
    done
    printf '| %s | **all** | **%.2f** | **%.3f** | **%.0f×** |\n' "$node" "$naive_total" \
      "$rollup_total" "$(calc "$naive_total / $rollup_total")"
  done
  echo
  fi
  if [ "$SKIP_PAGES" != 1 ] || [ "$SKIP_WRITES" != 1 ] || [ "$SKIP_HTTP_RUSH" != 1 ]; then
    echo "## National scale for writes and pages (issue 10)"
    echo
    for part in pages writes http_rush recount; do
      [ -f "$BENCH_OUT/$part.md" ] && cat "$BENCH_OUT/$part.md"
    done
    echo "Time taken by each part (s):"
    echo
    echo "| part | s |"
    echo "|---|---:|"
    for part in pages writes_prepare writes_rush http_rush recount cleanup; do
      [ -n "${PART_S[$part]:-}" ] && echo "| $part | ${PART_S[$part]} |"
    done
    echo "| whole run.sh | $(since "$RUN_STARTED") |"
    echo
  fi
} | tee "$BENCH_OUT/summary.md"
