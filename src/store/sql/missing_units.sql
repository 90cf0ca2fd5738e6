-- The units in the subtree of unit $1 expected to register that have nothing in year $2.
SELECT u.id, u.code, u.name
  FROM units u
 WHERE u.expected_to_register
   AND u.active
   AND u.path <@ (SELECT path FROM units WHERE id = $1)
   AND NOT EXISTS (SELECT 1 FROM initiatives i WHERE i.unit_id = u.id AND i.year = $2)
 ORDER BY u.name, u.id
