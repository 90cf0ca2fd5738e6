-- Initiatives in the subtree of unit $1 for year $2 past their due date ($3 is today)
-- and neither completed nor cancelled, the most overdue first.
SELECT i.id, i.title, i.due_date, u.name AS unit_name
  FROM initiatives i
  JOIN units u ON u.id = i.unit_id
 WHERE i.year = $2
   AND u.path <@ (SELECT path FROM units WHERE id = $1)
   AND i.due_date < $3
   AND i.status IN ('registered', 'in_progress')
 ORDER BY i.due_date, i.id
 LIMIT 100
