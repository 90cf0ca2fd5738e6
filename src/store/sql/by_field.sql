-- The figures per field for the subtree of unit $1 in year $2.
SELECT i.field,
       count(*)::bigint                                                       AS registered,
       count(*) FILTER (WHERE i.status = 'completed')::bigint                 AS completed,
       coalesce(sum(i.estimated_cost_vnd), 0)::bigint                         AS estimated_cost_vnd,
       coalesce(sum(i.actual_value_vnd) FILTER (WHERE i.status = 'completed'), 0)::bigint
                                                                              AS actual_value_vnd
  FROM initiatives i
  JOIN units u ON u.id = i.unit_id
 WHERE i.year = $2
   AND u.path <@ (SELECT path FROM units WHERE id = $1)
 GROUP BY i.field
