-- The figures per field for the subtree of unit $1 in year $2, from the roll-ups.
SELECT s.field, s.registered, s.completed, s.estimated_cost_vnd, s.actual_value_vnd
  FROM subtree_stats s
 WHERE s.unit_id = $1
   AND s.year = $2
   AND s.registered <> 0
