DROP TRIGGER users_audit_update ON users;
DROP TRIGGER users_audit ON users;
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_changes('user');
ALTER TABLE users DROP COLUMN last_sign_in_at, DROP COLUMN must_change_password;
DROP TABLE sessions;
