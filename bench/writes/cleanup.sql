-- Puts the data set back after the benchmark's writes (bench/writes.sh cleanup): the
-- rows the status changes touched get their old values again, the registrations made
-- by the benchmark (ids above the mark: pgbench's and the HTTP rush's) are deleted, and
-- the helper tables are dropped. Both go through the triggers, so the roll-ups follow.
-- The audit log keeps what the benchmark wrote (it is append-only), and the sequences
-- have moved on.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT to_regclass('bench_status_before') IS NOT NULL AS have_status_before \gset
BEGIN;
SELECT set_config('lamtheobac.actor_id', actor::text, true) AS actor_set,
       set_config('lamtheobac.reason', 'benchmark cleanup', true) AS reason_set
  FROM bench_state \gset
\if :have_status_before
UPDATE initiatives i
   SET status = b.status, review = b.review, actual_value_vnd = b.actual_value_vnd,
       completion_date = b.completion_date, result_summary = b.result_summary,
       review_note = b.review_note, review_changed_at = b.review_changed_at,
       updated_by = b.updated_by, updated_at = b.updated_at, version = b.version
  FROM bench_status_before b
 WHERE i.id = b.id AND i.version <> b.version;
\endif
DELETE FROM initiatives WHERE id > (SELECT initiative_mark FROM bench_state);
COMMIT;
DROP TABLE IF EXISTS initiatives_bare, bench_audit_log, bench_reg_units, bench_status_pick,
    bench_status_before, bench_hot_units, bench_hot_pick, bench_state;
DROP SEQUENCE IF EXISTS bench_bare_reference_seq;
DROP FUNCTION IF EXISTS bench_audit_changes();
VACUUM (ANALYZE) initiatives, subtree_stats, subtree_coverage, subtree_open_due;
