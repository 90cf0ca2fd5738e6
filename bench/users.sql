-- The accounts the HTTP parts of the benchmark sign in with (bench/run.sh), made
-- again on every run (same names, same units): they share the bench admin's password
-- hash, so they sign in with the bench password (argon2 hashing is not available in
-- SQL). psql variables: rush (how many secretaries for the registration rush),
-- province, bloc, cell (the nodes' unit ids).
--   bench.rush.NNN   secretaries of units expected to register, spread over the country
--                    (a pseudo-random but fixed choice), one unit each;
--   bench.rv.NODE    a reviewer whose scope is the node (province, bloc, cell);
--   bench.sec.NODE   a secretary whose scope is the node.
-- Prints the rush secretaries as "username unit_id" lines.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;
SELECT set_config('lamtheobac.actor_id', (SELECT min(id) FROM users WHERE username = 'bench')::text, true) AS actor_set \gset
WITH wanted (username, display_name, role, unit_id) AS (
    SELECT format('bench.rush.%s', lpad(n::text, 3, '0')), format('Bí thư %s (benchmark)', u.name), 'secretary', u.id
      FROM (SELECT id, name, row_number() OVER (ORDER BY md5(id::text)) AS n
              FROM units WHERE expected_to_register AND active) u
     WHERE n <= :rush
    UNION ALL
    SELECT format('bench.%s.%s', r.short, node.name), format('%s %s (benchmark)', r.title, u.name), r.role, u.id
      FROM (VALUES ('province', :province), ('bloc', :bloc), ('cell', :cell)) AS node (name, id)
      JOIN units u ON u.id = node.id,
           (VALUES ('rv', 'reviewer', 'Ban Thường vụ'), ('sec', 'secretary', 'Bí thư')) AS r (short, role, title)
)
INSERT INTO users (username, display_name, password_hash, role, unit_id, active)
SELECT w.username, w.display_name, admin.password_hash, w.role, w.unit_id, true
  FROM wanted w, (SELECT password_hash FROM users WHERE username = 'bench') admin
ON CONFLICT (username) DO UPDATE
   SET display_name = excluded.display_name, password_hash = excluded.password_hash,
       role = excluded.role, unit_id = excluded.unit_id, active = true
 WHERE (users.display_name, users.password_hash, users.role, users.unit_id, users.active)
       IS DISTINCT FROM (excluded.display_name, excluded.password_hash, excluded.role,
                         excluded.unit_id, true);
COMMIT;
SELECT username || ' ' || unit_id FROM users WHERE username LIKE 'bench.rush.%' ORDER BY username LIMIT :rush;
