#!/usr/bin/env bash
# The write rush at the SQL level (see BENCHMARKS.md, "National scale for writes and
# pages"), called by bench/run.sh; it can also run alone on a seeded database:
#
#   bench/writes.sh mark      notes where the benchmark's rows start (bench/writes/mark.sql),
#                             unless a mark is there already
#   bench/writes.sh prepare   the mark, helper tables, the copy without triggers
#                             (bench/writes/setup.sql); cleans up a previous run first
#   bench/writes.sh rush      the pgbench runs; writes $BENCH_OUT/writes.md
#   bench/writes.sh recount   recounts the roll-ups from the raw rows; writes $BENCH_OUT/recount.md
#   bench/writes.sh cleanup   puts the data set back (bench/writes/cleanup.sql)
#
# Each pgbench run: CHECKPOINT, then pgbench -n -M prepared -j BENCH_PG_THREADS for
# BENCH_PG_DURATION seconds, --max-tries BENCH_PG_MAX_TRIES (1: a deadlock victim
# counts as failed, not retried) --failures-detailed; deadlocks also read from
# pg_stat_database before and after.
#
# Settings (environment): DB_URL (postgres://postgres@127.0.0.1:5432/$BENCH_DB),
# BENCH_DB (lamtheobac_bench), BENCH_OUT (target/bench), BENCH_YEAR (the latest year in
# the data), BENCH_PG_CLIENTS (16: the spread-out runs), BENCH_PG_HOT_CLIENTS (8: the
# committee and its cells), BENCH_PG_DURATION (20), BENCH_PG_THREADS (2),
# BENCH_PG_MAX_TRIES (1), BENCH_PG_AUDITED=0 (skip the runs on the copy with the audit
# trigger).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DB=${BENCH_DB:-lamtheobac_bench}
DB_URL=${DB_URL:-postgres://postgres@127.0.0.1:5432/$BENCH_DB}
BENCH_OUT=${BENCH_OUT:-target/bench}
CLIENTS=${BENCH_PG_CLIENTS:-16}
HOT_CLIENTS=${BENCH_PG_HOT_CLIENTS:-8}
DURATION=${BENCH_PG_DURATION:-20}
THREADS=${BENCH_PG_THREADS:-2}
MAX_TRIES=${BENCH_PG_MAX_TRIES:-1}

. bench/lib.sh
mkdir -p "$BENCH_OUT"

marked() { [ "$(psql_db -c "SELECT to_regclass('bench_state') IS NOT NULL")" = t ]; }
prepared() { [ "$(psql_db -c "SELECT to_regclass('bench_status_pick') IS NOT NULL")" = t ]; }

mark() {
  marked && return 0
  local year actor
  year=${BENCH_YEAR:-$(psql_db -c "SELECT max(year) FROM initiatives")}
  actor=$(psql_db -c "SELECT id FROM users WHERE username = 'bench'")
  [ -n "$actor" ] || { echo "no bench admin in the data set" >&2; exit 1; }
  psql_db -v year="$year" -v actor="$actor" -f bench/writes/mark.sql
}

prepare() {
  need_tool pgbench postgresql-contrib
  if marked; then
    log "the benchmark's rows of a previous run are still there: cleaning up first"
    cleanup
  fi
  mark
  local year actor
  read -r year actor < <(psql_db -F ' ' -c "SELECT year, actor FROM bench_state")
  log "write rush: preparing (year $year; helper tables, copy of initiatives without triggers)"
  psql_db -v year="$year" -v actor="$actor" -f bench/writes/setup.sql
}

deadlocks() { psql_db -c "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"; }

# One pgbench run: name, script template, table, pick table, clients, variable for the
# pick table's size. Appends a line "name|table|clients|seconds|tps|transactions|failed|
# serialization|deadlock failures|retried|latency ms|deadlocks" to $WORK/runs.
run_pgbench() {
  local name=$1 template=$2 table=$3 pick=$4 clients=$5 count_var=$6
  local script="$WORK/$name.sql" out="$WORK/$name.out" count before after status
  sed -e "s/@TABLE@/$table/g" -e "s/@UNITS@/$pick/g" -e "s/@PICK@/$pick/g" "$template" >"$script"
  count=$(psql_db -c "SELECT count(*) FROM $pick")
  psql_db -c "CHECKPOINT"
  log "pgbench $name: $table, $clients clients, ${DURATION}s ($count to pick from)"
  before=$(deadlocks)
  status=0
  pgbench -n -M prepared -f "$script" -c "$clients" -j "$THREADS" -T "$DURATION" \
    --max-tries="$MAX_TRIES" --failures-detailed \
    -D year="$YEAR" -D actor="$ACTOR" -D "$count_var=$count" "$DB_URL" >"$out" 2>"$out.err" || status=$?
  # The backends report their counters when they end; give them a moment.
  sleep 1
  after=$(deadlocks)
  cat "$out" >&2
  if [ "$status" != 0 ] || grep -q 'aborted' "$out" "$out.err"; then
    grep -v '^$' "$out.err" | tail -5 >&2
    echo "pgbench $name failed (exit $status)" >&2
    exit 1
  fi
  value() { sed -n "s/^$1[^0-9]*\([0-9.]*\).*/\1/p" "$out" | head -1; }
  printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$name" "$table" "$clients" "$DURATION" \
    "$(value 'tps =')" "$(value 'number of transactions actually processed:')" \
    "$(value 'number of failed transactions:')" "$(value 'number of serialization failures:')" \
    "$(value 'number of deadlock failures:')" "$(value 'number of transactions retried:')" \
    "$(value 'latency average =')" "$((after - before))" >>"$WORK/runs"
}

audit_on() { psql_db -c "CREATE TRIGGER bench_audit AFTER INSERT OR UPDATE OR DELETE ON initiatives_bare
                          FOR EACH ROW EXECUTE FUNCTION bench_audit_changes('initiative')"; }
audit_off() { psql_db -c "DROP TRIGGER IF EXISTS bench_audit ON initiatives_bare"; }

rush() {
  prepared || { echo "bench/writes.sh rush: run prepare first" >&2; exit 1; }
  read -r YEAR ACTOR < <(psql_db -F ' ' -c "SELECT year, actor FROM bench_state")
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/lamtheobac-writes.XXXXXX")
  trap 'rm -rf "$WORK"' RETURN
  : >"$WORK/runs"
  local reg=bench/writes/register.sql st=bench/writes/status.sql
  local started
  started=$(now_s)
  local load_before load_after
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  # Spread over the country, each against the copy without triggers right after it.
  run_pgbench reg_spread "$reg" initiatives bench_reg_units "$CLIENTS" nunits
  run_pgbench reg_spread_bare "$reg" initiatives_bare bench_reg_units "$CLIENTS" nunits
  run_pgbench status_spread "$st" initiatives bench_status_pick "$CLIENTS" npick
  run_pgbench status_spread_bare "$st" initiatives_bare bench_status_pick "$CLIENTS" npick
  if [ "${BENCH_PG_AUDITED:-1}" = 1 ]; then
    audit_on
    run_pgbench reg_spread_audit "$reg" initiatives_bare bench_reg_units "$CLIENTS" nunits
    run_pgbench status_spread_audit "$st" initiatives_bare bench_status_pick "$CLIENTS" npick
    audit_off
  fi
  # Concentrated: one grassroots committee and four of its cells.
  run_pgbench status_hot "$st" initiatives bench_hot_pick "$HOT_CLIENTS" npick
  run_pgbench status_hot_bare "$st" initiatives_bare bench_hot_pick "$HOT_CLIENTS" npick
  run_pgbench reg_hot "$reg" initiatives bench_hot_units "$HOT_CLIENTS" nunits
  run_pgbench reg_hot_bare "$reg" initiatives_bare bench_hot_units "$HOT_CLIENTS" nunits
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  local seconds
  seconds=$(since "$started")
  summarize "$load_before" "$load_after" "$seconds" >"$BENCH_OUT/writes.md"
  cat "$BENCH_OUT/writes.md" >&2
}

summarize() {
  local load_before=$1 load_after=$2 seconds=$3
  declare -A TPS DL FAIL
  local name table clients dur tps n failed ser dlf retried lat dl
  local committee cells
  committee=$(psql_db -F ' · ' -c "SELECT u.id || ' ' || u.name FROM bench_hot_units h JOIN units u ON u.id = h.id WHERE h.n = 1")
  cells=$(psql_db -c "SELECT string_agg(h.id::text, ', ' ORDER BY h.n) FROM bench_hot_units h WHERE h.n > 1")
  local fields
  fields=$(psql_db -c "SELECT string_agg(i.field, ', ' ORDER BY p.n) FROM bench_hot_pick p JOIN initiatives i ON i.id = p.id")
  echo "### Write rush (pgbench)"
  echo
  echo "pgbench -n -M prepared -j $THREADS -T $DURATION --max-tries=$MAX_TRIES --failures-detailed; year $YEAR;" \
    "CHECKPOINT before each run; machine load average before: $load_before; after: $load_after; $seconds s in all."
  echo "Registrations: bench/writes/register.sql (the unit at random among the units expected to register, or among the committee and its cells);" \
    "status changes: bench/writes/status.sql (one workflow step on a random initiative of the year that is not cancelled, or on one of the five)."
  echo "Committee and cells: $committee; cells $cells; their five initiatives' fields: $fields."
  echo "Copies: *bare* = initiatives_bare, LIKE initiatives INCLUDING ALL (defaults, NOT NULL and CHECK constraints, every index) plus the foreign keys to units and users, no trigger;" \
    "*bare + audit* = the same with the project's audit trigger function (writing to a copy of audit_log)."
  echo
  echo "| run | table | clients | transactions/s | transactions | failed | of which deadlocks | deadlocks (pg_stat_database) | latency avg ms |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  while IFS='|' read -r name table clients dur tps n failed ser dlf retried lat dl; do
    TPS[$name]=$tps DL[$name]=$dl FAIL[$name]=${failed:-0}
    printf '| %s | %s | %s | %.1f | %s | %s | %s | %s | %.2f |\n' "$name" "$table" "$clients" "$tps" \
      "$n" "${failed:-0}" "${dlf:-0}" "$dl" "$lat"
  done <"$WORK/runs"
  echo
  ratio() { [ -n "${TPS[$1]:-}" ] && [ -n "${TPS[$2]:-}" ] && printf '%.1f%%' "$(calc "100 * ${TPS[$1]} / ${TPS[$2]}")" || echo "–"; }
  local total_dl=0 total_failed=0
  for name in "${!DL[@]}"; do
    total_dl=$((total_dl + DL[$name]))
    total_failed=$((total_failed + FAIL[$name]))
  done
  echo "| ratio | value | target |"
  echo "|---|---:|---|"
  echo "| registrations spread: triggers ÷ bare | **$(ratio reg_spread reg_spread_bare)** | ≥ 50% |"
  echo "| registrations spread: triggers ÷ bare + audit | $(ratio reg_spread reg_spread_audit) | (what the roll-ups alone cost) |"
  echo "| status changes spread: triggers ÷ bare | $(ratio status_spread status_spread_bare) | |"
  echo "| status changes spread: triggers ÷ bare + audit | $(ratio status_spread status_spread_audit) | |"
  echo "| status changes, committee and cells ÷ spread (triggers) | **$(ratio status_hot status_spread)** | ≥ 25% |"
  echo "| registrations, committee and cells ÷ spread (triggers) | **$(ratio reg_hot reg_spread)** | ≥ 25% |"
  echo "| status changes, committee and cells: triggers ÷ bare | $(ratio status_hot status_hot_bare) | (the five rows themselves allow the bare rate) |"
  echo "| deadlocks in all runs (pg_stat_database) | **$total_dl** | 0 |"
  echo "| failed transactions in all runs | $total_failed | 0 |"
  echo
}

recount() {
  local started out seconds bad=0 tbl keys diffs
  log "recount: the roll-ups against the raw rows"
  started=$(now_s)
  out=$(psql_db -F '|' -f bench/writes/recount.sql)
  seconds=$(since "$started")
  {
    echo "### Recount"
    echo
    echo "bench/writes/recount.sql: every roll-up recounted from the raw rows (rebuild_rollups()' GROUP BY logic into temporary tables, one REPEATABLE READ snapshot)" \
      "and compared with the roll-up tables summed by their natural key; $seconds s."
    echo
    echo "| table | keys compared | keys that differ |"
    echo "|---|---:|---:|"
    while IFS='|' read -r tbl keys diffs; do
      [ "$tbl" = diff ] && continue
      printf '| %s | %s | %s |\n' "$tbl" "$keys" "$diffs"
      [ "$diffs" = 0 ] || bad=1
    done <<<"$out"
    echo
    if [ "$bad" = 0 ]; then
      echo "**The roll-ups are exact** after the rushes."
    else
      echo "**The roll-ups are NOT exact** after the rushes; first differences:"
      echo
      grep '^diff|' <<<"$out" | cut -d'|' -f2- | sed 's/^/    /'
    fi
    echo
  } >"$BENCH_OUT/recount.md"
  cat "$BENCH_OUT/recount.md" >&2
}

cleanup() {
  marked || return 0
  log "putting the data set back (bench/writes/cleanup.sql)"
  psql_db -f bench/writes/cleanup.sql
}

case ${1:-} in
  mark) mark ;;
  prepare) prepare ;;
  rush) rush ;;
  recount) recount ;;
  cleanup) cleanup ;;
  all) prepare; rush; recount; cleanup ;;
  *) echo "usage: bench/writes.sh mark|prepare|rush|recount|cleanup|all" >&2; exit 2 ;;
esac
