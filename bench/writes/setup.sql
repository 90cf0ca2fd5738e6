-- The write rush's preparation (bench/writes.sh prepare, after mark.sql): what the
-- pgbench scripts pick from, a copy of initiatives without triggers, and what cleanup
-- needs to put the data set back. psql variables: year (the year registered and
-- changed), actor (a user id).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- Registrations spread over the country: any unit expected to register.
CREATE TABLE bench_reg_units AS
SELECT (row_number() OVER (ORDER BY id))::int AS n, id
  FROM units WHERE expected_to_register AND active;
ALTER TABLE bench_reg_units ADD PRIMARY KEY (n);

-- Status changes spread over the country: any initiative of the year that is not
-- cancelled (a cancelled one takes no further workflow step).
CREATE TABLE bench_status_pick AS
SELECT (row_number() OVER (ORDER BY id))::int AS n, id
  FROM initiatives WHERE year = :year AND status <> 'cancelled';
ALTER TABLE bench_status_pick ADD PRIMARY KEY (n);

-- What the status changes may alter, to put it back afterwards.
CREATE TABLE bench_status_before AS
SELECT i.id, i.status, i.review, i.actual_value_vnd, i.completion_date, i.result_summary,
       i.review_note, i.review_changed_at, i.updated_by, i.updated_at, i.version
  FROM initiatives i JOIN bench_status_pick p ON p.id = i.id;
ALTER TABLE bench_status_before ADD PRIMARY KEY (id);

-- The concentrated case: one grassroots committee and four of its cells (the first
-- committee by id with four active cells, all expected to register), each with one
-- initiative, in five different fields, registered here for the year after :year,
-- where they have none: each is its unit's only initiative of that year. A workflow
-- step on a unit's only initiative takes it out of the unit's count and puts it back,
-- so each change also moves the coverage of the committee and every unit above it
-- (the case that deadlocks when a committee and its cell lock those rows in opposite
-- orders).
CREATE TABLE bench_hot_units (n int PRIMARY KEY, id int NOT NULL);
INSERT INTO bench_hot_units
SELECT t.n::int, t.id
  FROM (SELECT c.id FROM units c
         WHERE c.kind = 'grassroots_committee' AND c.active AND c.expected_to_register
           AND (SELECT count(*) FROM units cell
                 WHERE cell.parent_id = c.id AND cell.active AND cell.expected_to_register) >= 4
         ORDER BY c.id LIMIT 1) committee,
       LATERAL unnest(ARRAY[committee.id] ||
                      ARRAY(SELECT cell.id FROM units cell
                             WHERE cell.parent_id = committee.id AND cell.active
                               AND cell.expected_to_register
                             ORDER BY cell.id LIMIT 4)) WITH ORDINALITY AS t (id, n);
SELECT count(*) = 5 AS hot_found FROM bench_hot_units \gset
\if :hot_found
\else
    \echo 'no grassroots committee with four active cells expected to register'
    \quit 3
\endif
CREATE TABLE bench_hot_pick (n int PRIMARY KEY, id int NOT NULL);
BEGIN;
SELECT set_config('lamtheobac.actor_id', :'actor', true) AS actor_set \gset
WITH registered AS (
    INSERT INTO initiatives (year, kind, title, field, description, unit_id, estimated_cost_vnd,
                             status, start_date, due_date, created_by, updated_by)
    SELECT :year + 1, 'model', 'Mô hình đăng ký sớm cho năm sau (benchmark)',
           (ARRAY['professional', 'admin_reform', 'serving_people', 'cultural_office',
                  'social_welfare'])[h.n],
           '', h.id, 0, 'registered', make_date(:year + 1, 1, 1), make_date(:year + 1, 6, 30),
           :actor, :actor
      FROM bench_hot_units h
     ORDER BY h.n
    RETURNING id, unit_id
)
INSERT INTO bench_hot_pick SELECT h.n, r.id FROM registered r JOIN bench_hot_units h ON h.id = r.unit_id;
COMMIT;

-- The same table without triggers. LIKE ... INCLUDING ALL keeps the columns, their
-- defaults (the id from the same sequence), NOT NULL and CHECK constraints and every
-- index (primary key, unique reference, the others); the foreign keys to units and
-- users are added again (NOT VALID: checked for new rows only). It has no trigger:
-- no roll-up, no audit, no default reference (a column default gives one instead) and
-- no carry-over check. It holds a copy of every row, so updates find the same rows
-- and the indexes have the same size.
CREATE SEQUENCE bench_bare_reference_seq;
CREATE TABLE initiatives_bare (LIKE initiatives INCLUDING ALL);
ALTER TABLE initiatives_bare
    ALTER COLUMN reference SET DEFAULT 'MH-B' || nextval('bench_bare_reference_seq'),
    ADD FOREIGN KEY (unit_id) REFERENCES units (id) NOT VALID,
    ADD FOREIGN KEY (created_by) REFERENCES users (id) NOT VALID,
    ADD FOREIGN KEY (updated_by) REFERENCES users (id) NOT VALID;
INSERT INTO initiatives_bare SELECT * FROM initiatives;

-- The audited variant: the project's own audit function, writing to a copy of the
-- audit log, attached to initiatives_bare for the runs that measure what the audit
-- trail alone costs (bench/writes.sh adds and drops the trigger around them).
CREATE TABLE bench_audit_log (LIKE audit_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
DO $$
DECLARE
    body text := pg_get_functiondef('audit_changes'::regproc);
    copy text;
BEGIN
    copy := replace(replace(body, 'public.audit_changes()', 'public.bench_audit_changes()'),
                    'INSERT INTO audit_log', 'INSERT INTO bench_audit_log');
    IF copy = body OR position('bench_audit_log' IN copy) = 0 THEN
        RAISE EXCEPTION 'audit_changes() no longer looks as expected: cannot copy it';
    END IF;
    EXECUTE copy;
END $$;

VACUUM (ANALYZE) initiatives_bare, bench_reg_units, bench_status_pick, bench_status_before,
    bench_hot_units, bench_hot_pick;
