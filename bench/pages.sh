#!/usr/bin/env bash
# Every page and API call of issue 10's table at the four nodes, single client (called
# by bench/run.sh, which starts the server and exports what this needs): for each, one
# warm-up request, then BENCH_PAGE_RUNS (20) requests one after the other with curl,
# or fewer (at least BENCH_PAGE_MIN_RUNS, 5) for a page that has taken more than
# BENCH_PAGE_BUDGET (5) seconds; p50, p95 (nearest rank) and the size of the answer.
# Writes $BENCH_OUT/pages.md.
#
# Who asks, at each node: at the root the bench admin (the national administrator);
# at the province, the bloc and the cell a reviewer whose scope is that unit
# (bench.rv.NODE), except /initiatives/new, asked by a secretary of that unit
# (bench.sec.NODE: reviewers do not register). /admin/units is for admins only, so it
# is asked at the root only. Default parameters everywhere: the first page of each.
#
# Needs (environment): BASE, PASSWORD, BENCH_OUT, NODES ("root province bloc cell"),
# NODE_ID_root … NODE_ID_cell, ROOT_COOKIE (the admin's session cookie).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

RUNS=${BENCH_PAGE_RUNS:-20}
MIN_RUNS=${BENCH_PAGE_MIN_RUNS:-5}
BUDGET=${BENCH_PAGE_BUDGET:-5}
PAGES=(
  "/initiatives"
  "/initiatives?q=cai+cach"
  "/initiatives/new"
  "/admin/imports"
  "/admin/units"
  "/api/v1/units"
  "/api/v1/initiatives"
  "/review"
  "/dashboard"
)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lamtheobac-pages.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

declare -A COOKIE
for node in $NODES; do
  if [ "$node" = root ]; then
    COOKIE[root.rv]=$ROOT_COOKIE COOKIE[root.sec]=$ROOT_COOKIE
  else
    COOKIE[$node.rv]=$(sign_in "bench.rv.$node" "$WORK/jar")
    COOKIE[$node.sec]=$(sign_in "bench.sec.$node" "$WORK/jar")
  fi
done

# Nearest-rank percentile of the numbers on stdin.
percentile() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; print v[i] }'; }

started=$(now_s)
{
  echo "### Pages and API, single client"
  echo
  echo "curl, one request after another: one warm-up, then $RUNS (at least $MIN_RUNS, fewer once a page has taken ${BUDGET} s); p50 and p95 (nearest rank) of curl's time_total, the answer's size (no compression asked)." \
    "Root: the bench admin; province, bloc, cell: a reviewer of that unit (bench.rv.NODE), a secretary (bench.sec.NODE) for /initiatives/new; /admin/units (admins only) at the root only."
  echo
  echo "| page | node | as | HTTP | runs | p50 ms | p95 ms | KB |"
  echo "|---|---|---|---:|---:|---:|---:|---:|"
} >"$BENCH_OUT/pages.md"
for page in "${PAGES[@]}"; do
  for node in $NODES; do
    role=rv
    [ "$page" = /initiatives/new ] && role=sec
    if [ "$page" = /admin/units ] && [ "$node" != root ]; then
      continue
    fi
    case $node.$role in
      root.*) who=admin ;;
      *.rv) who="bench.rv.$node" ;;
      *) who="bench.sec.$node" ;;
    esac
    cookie=${COOKIE[$node.$role]}
    log "page $page at $node ($who), $RUNS runs"
    : >"$WORK/times"
    : >"$WORK/codes"
    page_started=$(now_s)
    for i in $(seq 0 "$RUNS"); do
      curl -s -o /dev/null -H "Cookie: $cookie" -w '%{http_code} %{time_total} %{size_download}\n' \
        "$BASE$page" >"$WORK/one"
      read -r code seconds bytes <"$WORK/one"
      echo "$code" >>"$WORK/codes"
      [ "$i" = 0 ] || echo "$seconds" >>"$WORK/times"
      # A slow page stops after MIN_RUNS once it has had its BUDGET of seconds.
      [ "$i" -ge "$MIN_RUNS" ] && [ "$(since "$page_started")" -ge "$BUDGET" ] && break
    done
    runs=$(wc -l <"$WORK/times")
    code=$(sort -u "$WORK/codes" | paste -sd/)
    p50=$(percentile 50 <"$WORK/times")
    p95=$(percentile 95 <"$WORK/times")
    printf '| `%s` | %s | %s | %s | %s | %.1f | %.1f | %.1f |\n' "$page" "$node" "$who" "$code" "$runs" \
      "$(calc "$p50 * 1000")" "$(calc "$p95 * 1000")" "$(calc "$bytes / 1024")" >>"$BENCH_OUT/pages.md"
  done
done
{
  echo
  echo "Targets at the root of 250,000 units: p95 ≤ 50 ms and ≤ 200 KB for every page and call; $(since "$started") s for this table."
  echo
} >>"$BENCH_OUT/pages.md"
cat "$BENCH_OUT/pages.md" >&2
