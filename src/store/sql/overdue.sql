-- (after follow_up_walk.sql: the walk's condition, then the list)
-- Initiatives in the subtree of unit $1 for year $2 past their due date ($3 is today)
-- and neither completed nor cancelled nor reported and waiting for acceptance (what the
-- roll-ups count as open, migration ..._open_excludes_reported), the most overdue first. The walk goes down only
-- where the roll-ups hold something overdue. store::stats adds the LIMIT and OFFSET.
     WHERE (SELECT sum(o.open) FROM rollup_open_due o
             WHERE o.unit_id = c.id AND o.year = $2 AND o.due_date < $3) > 0
)
SELECT i.id, i.title, i.due_date, u.name AS unit_name, count(*) OVER () AS total
  FROM walk w
  JOIN units u ON u.id = w.id
  JOIN initiatives i ON i.unit_id = u.id AND i.year = $2
 WHERE i.due_date < $3
   AND i.status IN ('registered', 'in_progress')
   AND i.review <> 'pending_acceptance'
 ORDER BY i.due_date, i.id
