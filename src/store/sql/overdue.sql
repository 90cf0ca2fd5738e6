-- Initiatives in the subtree of unit $1 for year $2 past their due date ($3 is today)
-- and neither completed nor cancelled, the most overdue first. The walk goes down only
-- where the roll-ups hold something overdue.
WITH RECURSIVE walk AS (
    SELECT u.id FROM units u WHERE u.id = $1
    UNION ALL
    SELECT c.id
      FROM walk w
      JOIN units c ON c.parent_id = w.id
     -- A scalar sum over the slots, read by the child's key (an EXISTS over the summing
     -- view would be planned as a join with every unit's sums).
     WHERE (SELECT sum(o.open) FROM rollup_open_due o
             WHERE o.unit_id = c.id AND o.year = $2 AND o.due_date < $3) > 0
)
SELECT i.id, i.title, i.due_date, u.name AS unit_name
  FROM walk w
  JOIN units u ON u.id = w.id
  JOIN initiatives i ON i.unit_id = u.id AND i.year = $2
 WHERE i.due_date < $3
   AND i.status IN ('registered', 'in_progress')
 ORDER BY i.due_date, i.id
 LIMIT 100
