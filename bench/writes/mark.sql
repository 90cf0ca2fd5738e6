-- The benchmark's mark (bench/writes.sh mark): rows the benchmark registers get ids
-- above initiative_mark and are deleted afterwards; status changes touch rows at or
-- below it and are put back from bench_status_before (setup.sql). psql variables: year,
-- actor (the bench admin, named as the actor of the benchmark's own changes).
\set ON_ERROR_STOP on
CREATE TABLE bench_state AS
SELECT (SELECT coalesce(max(id), 0) FROM initiatives) AS initiative_mark,
       (SELECT coalesce(max(id), 0) FROM audit_log) AS audit_mark,
       :year AS year, :actor AS actor, now() AS started;

