-- Server-side sessions: the cookie carries a random token, the table its SHA-256, so a
-- session ends on the server (sign-out, password change, deactivation, timeouts) and
-- every node sees the same sessions.
CREATE TABLE sessions (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   BYTEA NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '' CHECK (char_length(user_agent) <= 300),
    ip           TEXT CHECK (char_length(ip) <= 64)
);
-- A user's sessions: the account page, ending them all, deleting their expired ones.
CREATE INDEX sessions_user_idx ON sessions (user_id);
-- The bounded sweep of idle sessions at each sign-in.
CREATE INDEX sessions_last_seen_idx ON sessions (last_seen_at);

-- A password set by someone else (an admin, an import) is temporary: the person must
-- choose their own before anything else.
ALTER TABLE users
    ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN last_sign_in_at TIMESTAMPTZ;

-- The sign-in time is bookkeeping, not news: an update that changes only it writes no
-- history line (the audit function compares whole rows).
DROP TRIGGER users_audit ON users;
CREATE TRIGGER users_audit AFTER INSERT OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_changes('user');
CREATE TRIGGER users_audit_update AFTER UPDATE ON users
    FOR EACH ROW
    WHEN ((to_jsonb(OLD) - 'last_sign_in_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_sign_in_at'))
    EXECUTE FUNCTION audit_changes('user');
