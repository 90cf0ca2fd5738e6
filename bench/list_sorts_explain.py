"""EXPLAIN ANALYZE of one page of the initiatives list in each sort (issue 14), at the
root, a province, a bloc and a cell of `bench-seed --units 50000 --initiatives 300000
--years 2`: the queries store/list_sorted.rs writes, the first page and a keyset page,
the median of three runs after a warm-up. Node ids are those of that seed (seed 2026).
Usage: BENCH_DATABASE_URL=postgres://… python3 bench/list_sorts_explain.py"""
import json, os, subprocess, statistics
DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lamtheobac_i14list")
def psql(sql):
    done = subprocess.run(["psql", "-At", "-X", DB], input="SET jit = off;\n" + sql,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().removeprefix("SET").strip()
KEYS = {
 "newest": ([], []),
 "unit": (["units.name", "units.id"], ["(units.name || '')", "(units.id + 0)"]),
 "title": (["initiatives.title"], ["(initiatives.title || '')"]),
 "cost": (["initiatives.estimated_cost_vnd"], ["(initiatives.estimated_cost_vnd + 0)"]),
 "value": (["COALESCE(initiatives.actual_value_vnd, -1)"], ["(COALESCE(initiatives.actual_value_vnd, -1) + 0)"]),
 "status": (["initiatives.status"], ["(initiatives.status || '')"]),
 "due": (["initiatives.due_date"], ["(initiatives.due_date + 0)"]),
 "updated": (["initiatives.updated_at"], ["(initiatives.updated_at + interval '0 s')"]),
}
NODES = [("root (50,000 units)", None, False), ("province 37972 (810 units)", 37972, True), ("bloc 37973 (360 units)", 37973, True), ("cell 37993 (1 unit)", 37993, True)]
YEAR = 2026
def query(sort, direction, unit, opaque, after=None):
    plain, op = KEYS[sort]
    terms = (op if opaque else plain) + (["(initiatives.id + 0)"] if opaque else ["initiatives.id"])
    where = [f"initiatives.year = {YEAR}"]
    if unit:
        where.append(f"units.path <@ (SELECT subtree_root.path FROM units subtree_root WHERE subtree_root.id = {unit})")
    if after is not None:
        cmp = "<" if direction == "DESC" else ">"
        where.append(f"({', '.join(terms)}) {cmp} ({', '.join(after)})")
        if sort == "unit" and not opaque:
            where.append(f"(units.name, units.id) {cmp}= ({after[0]}, {after[1]})")
    order = ", ".join(f"{t} {direction}" for t in terms)
    return f"SELECT initiatives.id FROM initiatives INNER JOIN units ON units.id = initiatives.unit_id WHERE {' AND '.join(where)} ORDER BY {order} LIMIT 26"
def lit(v):
    return "'" + v.replace("'", "''") + "'"
def cursor_of(sort, direction, unit, opaque):
    ids = psql(query(sort, direction, unit, opaque)).split("\n")
    rid = ids[24] if len(ids) > 24 else ids[-1]
    plain, _ = KEYS[sort]
    cols = plain + ["initiatives.id"]
    row = psql(f"SELECT {', '.join(c + '::text' for c in cols)} FROM initiatives JOIN units ON units.id = initiatives.unit_id WHERE initiatives.id = {rid}").split("|")
    types = {"unit": ["text", "int"], "title": ["text"], "cost": ["bigint"], "value": ["bigint"], "status": ["text"], "due": ["date"], "updated": ["timestamptz"], "newest": []}[sort] + ["int"]
    return [f"{lit(v)}::{t}" for v, t in zip(row, types)]
def rows_read(plan):
    # The largest row count any step handles (per-loop counts are rounded averages, so
    # a nested loop's own total is the exact one).
    best = 0
    def walk(node):
        nonlocal best
        if node.get("Relation Name") != "units" and node.get("Parent Relationship") not in ("InitPlan", "SubPlan"):
            best = max(best, (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"])
        for child in node.get("Plans", []):
            walk(child)
    walk(plan)
    return best
def measure(sql):

    times, read, top = [], None, None
    for _ in range(4):
        # Inside a subtree the list turns parallel plans off (store/list_sorted.rs).
        prefix = "SET max_parallel_workers_per_gather = 0;\n" if "(initiatives.id + 0)" in sql else ""
        out = psql(prefix + "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = json.loads(out[out.index("["):])[0]
        times.append(plan["Execution Time"])
        read = rows_read(plan["Plan"])
        top = plan["Plan"]
    def shape(node, depth=0):
        name = node["Node Type"] + (" " + node.get("Index Name", "") if node.get("Index Name") else "")
        s = name
        kids = [shape(c) for c in node.get("Plans", []) if c.get("Parent Relationship") != "SubPlan" and c.get("Parent Relationship") != "InitPlan"]
        return s + (" ← " + ", ".join(kids) if kids else "")
    return statistics.median(times[1:]), read, shape(top)
print("| node | sort | page 1: ms / initiatives rows read | keyset page: ms / rows read | plan (page 1) |")
print("|---|---|---:|---:|---|")
for label, unit, opaque in NODES:
    for sort in KEYS:
        direction = "DESC" if sort in ("newest", "cost", "value", "updated") else "ASC"
        t1, r1, shape1 = measure(query(sort, direction, unit, opaque))
        after = cursor_of(sort, direction, unit, opaque)
        t2, r2, _ = measure(query(sort, direction, unit, opaque, after))
        print(f"| {label} | {sort} {direction.lower()} | {t1:.2f} / {r1:,} | {t2:.2f} / {r2:,} | {shape1} |", flush=True)
