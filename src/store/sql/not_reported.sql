-- Units in the subtree of unit $1 that still owe a completion report for year $2:
-- approved (or returned) initiatives that are neither completed, cancelled nor reported.
SELECT u.id, u.code, u.name,
       count(*)::bigint AS owed,
       (SELECT string_agg(s.display_name, ', ' ORDER BY s.id)
          FROM users s
         WHERE s.unit_id = u.id AND s.role = 'secretary' AND s.active) AS secretaries
  FROM initiatives i
  JOIN units u ON u.id = i.unit_id
 WHERE i.year = $2
   AND u.path <@ (SELECT path FROM units WHERE id = $1)
   AND i.review IN ('approved', 'returned_completion')
   AND i.status IN ('registered', 'in_progress')
 GROUP BY u.id, u.code, u.name
 ORDER BY u.name, u.id
