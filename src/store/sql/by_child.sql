-- The figures of each direct child of unit $1 (each over its own subtree) in year $2,
-- from the roll-ups: a few rows per child, however many initiatives lie below.
-- (list_in_summary_order.sql orders the siblings of the exported list the same way.)
SELECT c.id                                       AS unit_id,
       c.code,
       c.name,
       c.kind,
       c.active,
       coalesce(su.units, 1) > 1                  AS has_children,
       coalesce(f.registered, 0)::bigint          AS registered,
       coalesce(f.in_progress, 0)::bigint         AS in_progress,
       coalesce(f.completed, 0)::bigint           AS completed,
       coalesce(f.cancelled, 0)::bigint           AS cancelled,
       coalesce(f.estimated_cost_vnd, 0)::bigint  AS estimated_cost_vnd,
       coalesce(f.actual_value_vnd, 0)::bigint    AS actual_value_vnd,
       (coalesce(su.expected_units, 0)
        + coalesce(cv.registered_inactive_units, 0))::bigint AS expected_units,
       coalesce(cv.registered_units, 0)::bigint   AS registered_units
  FROM units c
  LEFT JOIN subtree_units su ON su.unit_id = c.id
  LEFT JOIN LATERAL (
        SELECT sum(v.registered_units) AS registered_units,
               sum(v.registered_inactive_units) AS registered_inactive_units
          FROM rollup_coverage v
         WHERE v.unit_id = c.id AND v.year = $2
       ) cv ON TRUE
  LEFT JOIN LATERAL (
        SELECT sum(s.registered)         AS registered,
               sum(s.in_progress)        AS in_progress,
               sum(s.completed)          AS completed,
               sum(s.cancelled)          AS cancelled,
               sum(s.estimated_cost_vnd) AS estimated_cost_vnd,
               sum(s.actual_value_vnd)   AS actual_value_vnd
          FROM subtree_stats s
         WHERE s.unit_id = c.id AND s.year = $2
       ) f ON TRUE
 WHERE c.parent_id = $1
   AND (c.active OR f.registered > 0)
 ORDER BY CASE c.kind
              WHEN 'province_committee' THEN 1 WHEN 'bloc_committee' THEN 2
              WHEN 'grassroots_committee' THEN 3 WHEN 'grassroots_cell' THEN 4
              WHEN 'attached_cell' THEN 5 ELSE 6 END,
          lower(unaccent(c.name)), c.id
