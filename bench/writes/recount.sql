-- Proves the roll-ups exact: recounts every figure from the raw rows with the GROUP BY
-- logic of rebuild_rollups() (migrations/2026-11-27-000003_rollups/up.sql) into
-- temporary tables, and compares them with what the triggers keep, summed by the
-- natural key (so a roll-up table split over counter slots compares the same). A key
-- missing on one side counts as zeros. Prints one line per table:
--   table|keys compared|keys that differ
-- and, for a table that differs, up to five of the differing keys on stderr-like lines
-- starting with "diff|". One snapshot for the recount and the roll-ups.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET work_mem = '256MB';
BEGIN ISOLATION LEVEL REPEATABLE READ;

CREATE TEMP TABLE lineage ON COMMIT DROP AS
SELECT u.id AS unit_id, a AS ancestor, u.expected_to_register, u.active
  FROM units u, unnest(string_to_array(ltree2text(u.path), '.')::int[]) AS a;

CREATE TEMP TABLE expect_units ON COMMIT DROP AS
SELECT ancestor AS unit_id, count(*) AS units,
       count(*) FILTER (WHERE expected_to_register AND active) AS expected_units
  FROM lineage GROUP BY ancestor;

CREATE TEMP TABLE expect_stats ON COMMIT DROP AS
WITH own AS (
    SELECT unit_id, year, field,
           count(*) AS registered,
           count(*) FILTER (WHERE status = 'registered') AS not_started,
           count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
           count(*) FILTER (WHERE status = 'completed') AS completed,
           count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
           sum(estimated_cost_vnd) AS estimated_cost_vnd,
           coalesce(sum(actual_value_vnd) FILTER (WHERE status = 'completed'), 0) AS actual_value_vnd,
           count(*) FILTER (WHERE review = 'pending_approval') AS awaiting_approval,
           count(*) FILTER (WHERE review = 'pending_acceptance') AS awaiting_acceptance,
           count(*) FILTER (WHERE review IN ('approved', 'returned_completion')
                              AND status IN ('registered', 'in_progress')) AS awaiting_report
      FROM initiatives GROUP BY unit_id, year, field
)
SELECT l.ancestor AS unit_id, own.year, own.field,
       sum(registered) AS registered, sum(not_started) AS not_started,
       sum(in_progress) AS in_progress, sum(completed) AS completed,
       sum(cancelled) AS cancelled, sum(estimated_cost_vnd) AS estimated_cost_vnd,
       sum(actual_value_vnd) AS actual_value_vnd, sum(awaiting_approval) AS awaiting_approval,
       sum(awaiting_acceptance) AS awaiting_acceptance, sum(awaiting_report) AS awaiting_report
  FROM own JOIN lineage l USING (unit_id)
 GROUP BY l.ancestor, own.year, own.field;

CREATE TEMP TABLE expect_coverage ON COMMIT DROP AS
WITH own AS (
    SELECT unit_id, year, count(*) AS registered FROM initiatives GROUP BY unit_id, year
),
spread AS (
    SELECT l.ancestor AS unit_id, own.year, count(*) AS registered_units,
           count(*) FILTER (WHERE NOT l.active) AS registered_inactive_units
      FROM own JOIN lineage l USING (unit_id)
     WHERE l.expected_to_register
     GROUP BY l.ancestor, own.year
)
SELECT coalesce(own.unit_id, spread.unit_id) AS unit_id, coalesce(own.year, spread.year) AS year,
       coalesce(own.registered, 0) AS own_registered,
       coalesce(spread.registered_units, 0) AS registered_units,
       coalesce(spread.registered_inactive_units, 0) AS registered_inactive_units
  FROM own FULL JOIN spread USING (unit_id, year);

CREATE TEMP TABLE expect_open_due ON COMMIT DROP AS
SELECT l.ancestor AS unit_id, i.year, i.due_date, count(*) AS open
  FROM initiatives i JOIN lineage l USING (unit_id)
 WHERE i.status IN ('registered', 'in_progress')
 GROUP BY l.ancestor, i.year, i.due_date;

-- What the triggers keep, summed by the natural key.
CREATE TEMP TABLE have_stats ON COMMIT DROP AS
SELECT unit_id, year, field, sum(registered) AS registered, sum(not_started) AS not_started,
       sum(in_progress) AS in_progress, sum(completed) AS completed, sum(cancelled) AS cancelled,
       sum(estimated_cost_vnd) AS estimated_cost_vnd, sum(actual_value_vnd) AS actual_value_vnd,
       sum(awaiting_approval) AS awaiting_approval, sum(awaiting_acceptance) AS awaiting_acceptance,
       sum(awaiting_report) AS awaiting_report
  FROM subtree_stats GROUP BY unit_id, year, field;
-- Each unit's own count lives in unit_registered; coverage is summed over any slots.
CREATE TEMP TABLE have_coverage ON COMMIT DROP AS
SELECT unit_id, year, sum(own_registered) AS own_registered,
       sum(registered_units) AS registered_units,
       sum(registered_inactive_units) AS registered_inactive_units
  FROM (SELECT unit_id, year, 0 AS own_registered, registered_units, registered_inactive_units
          FROM subtree_coverage
        UNION ALL
        SELECT unit_id, year, initiatives, 0, 0 FROM unit_registered) AS kept
 GROUP BY unit_id, year;
CREATE TEMP TABLE have_open_due ON COMMIT DROP AS
SELECT unit_id, year, due_date, sum(open) AS open FROM subtree_open_due GROUP BY unit_id, year, due_date;
CREATE TEMP TABLE have_units ON COMMIT DROP AS
SELECT unit_id, sum(units) AS units, sum(expected_units) AS expected_units
  FROM subtree_units GROUP BY unit_id;

CREATE TEMP TABLE diffs ON COMMIT DROP AS
SELECT 'subtree_stats' AS tbl, format('unit %s year %s field %s', unit_id, year, field) AS key,
       format('have %s expected %s',
              ROW(h.registered, h.not_started, h.in_progress, h.completed, h.cancelled,
                  h.estimated_cost_vnd, h.actual_value_vnd, h.awaiting_approval,
                  h.awaiting_acceptance, h.awaiting_report),
              ROW(e.registered, e.not_started, e.in_progress, e.completed, e.cancelled,
                  e.estimated_cost_vnd, e.actual_value_vnd, e.awaiting_approval,
                  e.awaiting_acceptance, e.awaiting_report)) AS detail
  FROM have_stats h FULL JOIN expect_stats e USING (unit_id, year, field)
 WHERE ROW(coalesce(h.registered, 0), coalesce(h.not_started, 0), coalesce(h.in_progress, 0),
           coalesce(h.completed, 0), coalesce(h.cancelled, 0), coalesce(h.estimated_cost_vnd, 0),
           coalesce(h.actual_value_vnd, 0), coalesce(h.awaiting_approval, 0),
           coalesce(h.awaiting_acceptance, 0), coalesce(h.awaiting_report, 0))
       IS DISTINCT FROM
       ROW(coalesce(e.registered, 0), coalesce(e.not_started, 0), coalesce(e.in_progress, 0),
           coalesce(e.completed, 0), coalesce(e.cancelled, 0), coalesce(e.estimated_cost_vnd, 0),
           coalesce(e.actual_value_vnd, 0), coalesce(e.awaiting_approval, 0),
           coalesce(e.awaiting_acceptance, 0), coalesce(e.awaiting_report, 0))
UNION ALL
SELECT 'subtree_coverage', format('unit %s year %s', unit_id, year),
       format('have %s expected %s', ROW(h.own_registered, h.registered_units, h.registered_inactive_units),
              ROW(e.own_registered, e.registered_units, e.registered_inactive_units))
  FROM have_coverage h FULL JOIN expect_coverage e USING (unit_id, year)
 WHERE ROW(coalesce(h.own_registered, 0), coalesce(h.registered_units, 0), coalesce(h.registered_inactive_units, 0))
       IS DISTINCT FROM
       ROW(coalesce(e.own_registered, 0), coalesce(e.registered_units, 0), coalesce(e.registered_inactive_units, 0))
UNION ALL
SELECT 'subtree_open_due', format('unit %s year %s due %s', unit_id, year, due_date),
       format('have %s expected %s', h.open, e.open)
  FROM have_open_due h FULL JOIN expect_open_due e USING (unit_id, year, due_date)
 WHERE coalesce(h.open, 0) <> coalesce(e.open, 0)
UNION ALL
SELECT 'subtree_units', format('unit %s', unit_id),
       format('have %s expected %s', ROW(h.units, h.expected_units), ROW(e.units, e.expected_units))
  FROM have_units h FULL JOIN expect_units e USING (unit_id)
 WHERE ROW(coalesce(h.units, 0), coalesce(h.expected_units, 0))
       IS DISTINCT FROM ROW(coalesce(e.units, 0), coalesce(e.expected_units, 0));

SELECT t.tbl, t.keys, (SELECT count(*) FROM diffs d WHERE d.tbl = t.tbl)
  FROM (VALUES ('subtree_stats', (SELECT count(*) FROM have_stats h FULL JOIN expect_stats e USING (unit_id, year, field))),
               ('subtree_coverage', (SELECT count(*) FROM have_coverage h FULL JOIN expect_coverage e USING (unit_id, year))),
               ('subtree_open_due', (SELECT count(*) FROM have_open_due h FULL JOIN expect_open_due e USING (unit_id, year, due_date))),
               ('subtree_units', (SELECT count(*) FROM have_units h FULL JOIN expect_units e USING (unit_id)))) AS t (tbl, keys);
SELECT 'diff', tbl, key, detail
  FROM (SELECT d.*, row_number() OVER (PARTITION BY tbl ORDER BY key) AS r FROM diffs d) x
 WHERE r <= 5;
COMMIT;
