-- The units in the subtree of unit $1 expected to register that have nothing in year $2.
SELECT u.id, u.code, u.name,
       (SELECT string_agg(s.display_name, ', ' ORDER BY s.id)
          FROM users s
         WHERE s.unit_id = u.id AND s.role = 'secretary' AND s.active) AS secretaries
  FROM units u
 WHERE u.expected_to_register
   AND u.active
   AND u.path <@ (SELECT path FROM units WHERE id = $1)
   AND NOT EXISTS (SELECT 1 FROM initiatives i WHERE i.unit_id = u.id AND i.year = $2)
 ORDER BY u.name, u.id
