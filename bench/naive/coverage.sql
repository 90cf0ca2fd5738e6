-- The pre-roll-up query, as of commit 43e733f (src/store/sql/coverage.sql): counted from the raw
-- rows over the subtree on every request. Kept here for bench/run.sh to compare against.
-- Coverage for the subtree of unit $1 in year $2: the active units expected to
-- register, and how many of them registered at least one initiative.
SELECT count(*)::bigint AS expected_units,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM initiatives i WHERE i.unit_id = u.id AND i.year = $2
       ))::bigint AS registered_units
  FROM units u
 WHERE u.expected_to_register
   AND u.active
   AND u.path <@ (SELECT path FROM units WHERE id = $1)
