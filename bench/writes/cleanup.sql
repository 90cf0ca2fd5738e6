-- Puts the data set back after the benchmark's writes (bench/writes.sh cleanup): the
-- rows the status changes touched get their old values again, the registrations made
-- by the benchmark (ids above the mark: pgbench's and the HTTP rush's) are deleted, and
-- the helper tables are dropped. Both go through the triggers, so the roll-ups follow.
-- In batches of 500 rows, each its own transaction: one transaction changing the same
-- roll-up rows tens of thousands of times would walk an ever longer chain of its own
-- row versions. The audit log keeps what the benchmark wrote (it is append-only), and
-- the sequences have moved on.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT to_regclass('bench_status_before') IS NOT NULL AS have_status_before \gset
\if :have_status_before
CREATE TEMP TABLE bench_restore AS
SELECT (row_number() OVER (ORDER BY b.id))::int AS n, b.*
  FROM bench_status_before b JOIN initiatives i ON i.id = b.id
 WHERE i.version <> b.version;
\else
CREATE TEMP TABLE bench_restore (n int, id int);
\endif
DO $$
DECLARE
    actor text := (SELECT actor::text FROM bench_state);
    mark int := (SELECT initiative_mark FROM bench_state);
    last_restore int := (SELECT coalesce(max(n), 0) FROM bench_restore);
    last_id int := (SELECT coalesce(max(id), 0) FROM initiatives);
    step constant int := 500;
    low int;
BEGIN
    low := 1;
    WHILE low <= last_restore LOOP
        PERFORM set_config('lamtheobac.actor_id', actor, true),
                set_config('lamtheobac.reason', 'benchmark cleanup', true);
        UPDATE initiatives i
           SET status = b.status, review = b.review, actual_value_vnd = b.actual_value_vnd,
               completion_date = b.completion_date, result_summary = b.result_summary,
               review_note = b.review_note, review_changed_at = b.review_changed_at,
               updated_by = b.updated_by, updated_at = b.updated_at, version = b.version
          FROM bench_restore b
         WHERE i.id = b.id AND b.n BETWEEN low AND low + step - 1;
        COMMIT;
        low := low + step;
    END LOOP;
    low := mark + 1;
    WHILE low <= last_id LOOP
        PERFORM set_config('lamtheobac.actor_id', actor, true),
                set_config('lamtheobac.reason', 'benchmark cleanup', true);
        DELETE FROM initiatives WHERE id BETWEEN low AND low + step - 1;
        COMMIT;
        low := low + step;
    END LOOP;
END $$;
DROP TABLE IF EXISTS initiatives_bare, bench_audit_log, bench_reg_units, bench_status_pick,
    bench_status_before, bench_hot_units, bench_hot_pick, bench_state;
DROP SEQUENCE IF EXISTS bench_bare_reference_seq;
DROP FUNCTION IF EXISTS bench_audit_changes();
VACUUM (ANALYZE) initiatives, rollup_stats, unit_registered, rollup_coverage, rollup_open_due,
    rollup_pending, rollup_pending_tree;
