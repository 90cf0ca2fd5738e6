-- The pre-roll-up query, as of commit 43e733f (src/store/sql/by_child.sql): counted from the raw
-- rows over the subtree on every request. Kept here for bench/run.sh to compare against.
-- The figures of each direct child of unit $1 (each over its own subtree) in year $2.
WITH root AS (
    SELECT path, nlevel(path) AS depth FROM units WHERE id = $1
),
below AS (
    -- Every unit under the root, labelled with the child of the root it lies under.
    SELECT u.id,
           u.expected_to_register AND u.active AS expected,
           ltree2text(subpath(u.path, root.depth, 1))::integer AS child_id
      FROM units u, root
     WHERE u.path <@ root.path
       AND nlevel(u.path) > root.depth
),
figures AS (
    SELECT b.child_id,
           count(*)                                                       AS registered,
           count(*) FILTER (WHERE i.status = 'in_progress')               AS in_progress,
           count(*) FILTER (WHERE i.status = 'completed')                 AS completed,
           count(*) FILTER (WHERE i.status = 'cancelled')                 AS cancelled,
           sum(i.estimated_cost_vnd)                                      AS estimated_cost_vnd,
           sum(i.actual_value_vnd) FILTER (WHERE i.status = 'completed')  AS actual_value_vnd
      FROM below b
      JOIN initiatives i ON i.unit_id = b.id AND i.year = $2
     GROUP BY b.child_id
),
coverage AS (
    SELECT b.child_id,
           count(*) FILTER (WHERE b.expected) AS expected_units,
           count(*) FILTER (WHERE b.expected AND EXISTS (
               SELECT 1 FROM initiatives i WHERE i.unit_id = b.id AND i.year = $2
           )) AS registered_units
      FROM below b
     GROUP BY b.child_id
)
SELECT c.id                                         AS unit_id,
       c.code,
       c.name,
       c.kind,
       c.active,
       EXISTS (SELECT 1 FROM units g WHERE g.parent_id = c.id) AS has_children,
       coalesce(f.registered, 0)::bigint            AS registered,
       coalesce(f.in_progress, 0)::bigint           AS in_progress,
       coalesce(f.completed, 0)::bigint             AS completed,
       coalesce(f.cancelled, 0)::bigint             AS cancelled,
       coalesce(f.estimated_cost_vnd, 0)::bigint    AS estimated_cost_vnd,
       coalesce(f.actual_value_vnd, 0)::bigint      AS actual_value_vnd,
       coalesce(v.expected_units, 0)::bigint        AS expected_units,
       coalesce(v.registered_units, 0)::bigint      AS registered_units
  FROM units c
  LEFT JOIN figures f ON f.child_id = c.id
  LEFT JOIN coverage v ON v.child_id = c.id
 WHERE c.parent_id = $1
   AND (c.active OR f.registered > 0)
 ORDER BY CASE c.kind
              WHEN 'province_committee' THEN 1 WHEN 'bloc_committee' THEN 2
              WHEN 'grassroots_committee' THEN 3 WHEN 'grassroots_cell' THEN 4
              WHEN 'attached_cell' THEN 5 ELSE 6 END,
          lower(unaccent(c.name)), c.id
