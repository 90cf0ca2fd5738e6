-- (after follow_up_walk.sql: the walk's condition, then the list)
-- The units in the subtree of unit $1 expected to register that have nothing in year $2.
-- The walk goes down only into subtrees where the roll-ups say someone is missing, so
-- its cost follows the number of missing units, not the size of the tree.
      JOIN subtree_units su ON su.unit_id = c.id
     WHERE su.expected_units
           > coalesce((SELECT sum(v.registered_units - v.registered_inactive_units)
                         FROM rollup_coverage v
                        WHERE v.unit_id = c.id AND v.year = $2), 0)
)
SELECT u.id, u.code, u.name,
       (SELECT string_agg(s.display_name, ', ' ORDER BY s.id)
          FROM users s
         WHERE s.unit_id = u.id AND s.role = 'secretary' AND s.active) AS secretaries,
       count(*) OVER () AS total
  FROM walk w
  JOIN units u ON u.id = w.id
  LEFT JOIN unit_registered own ON own.unit_id = u.id AND own.year = $2
 WHERE u.expected_to_register
   AND u.active
   AND coalesce(own.initiatives, 0) = 0
 ORDER BY u.name, u.id
