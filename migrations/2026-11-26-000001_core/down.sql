DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS initiatives;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS units;
DROP FUNCTION IF EXISTS audit_log_refuse_change();
DROP FUNCTION IF EXISTS audit_changes();
DROP FUNCTION IF EXISTS units_move_subtree();
DROP FUNCTION IF EXISTS units_set_path();
