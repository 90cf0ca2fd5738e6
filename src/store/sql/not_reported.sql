-- (after follow_up_walk.sql: the walk's condition, then the list)
-- Units in the subtree of unit $1 that still owe a completion report for year $2:
-- approved (or returned) initiatives that are neither completed, cancelled nor reported.
-- The walk goes down only where the roll-ups say a report is owed.
     WHERE (SELECT sum(s.awaiting_report) FROM rollup_stats s
             WHERE s.unit_id = c.id AND s.year = $2) > 0
)
SELECT u.id, u.code, u.name,
       count(*)::bigint AS owed,
       (SELECT string_agg(s.display_name, ', ' ORDER BY s.id)
          FROM users s
         WHERE s.unit_id = u.id AND s.role = 'secretary' AND s.active) AS secretaries,
       count(*) OVER () AS total
  FROM walk w
  JOIN units u ON u.id = w.id
  JOIN initiatives i ON i.unit_id = u.id AND i.year = $2
 WHERE i.review IN ('approved', 'returned_completion')
   AND i.status IN ('registered', 'in_progress')
 GROUP BY u.id, u.code, u.name
 ORDER BY u.name, u.id
