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

-- The sign-in time is bookkeeping, not news, in the history (as updated_at is).
CREATE OR REPLACE FUNCTION audit_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ignored TEXT[] := ARRAY['updated_at', 'updated_by', 'version', 'path', 'password_hash',
                            'review_changed_at', 'last_sign_in_at'];
    old_row JSONB;
    new_row JSONB;
    before_changes JSONB;
    after_changes JSONB;
    entity_id INTEGER;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_row := to_jsonb(OLD) - ignored;
        entity_id := OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_row := to_jsonb(NEW) - ignored;
        entity_id := NEW.id;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(n.key, n.value) INTO after_changes
          FROM jsonb_each(new_row) n WHERE n.value IS DISTINCT FROM old_row -> n.key;
        SELECT jsonb_object_agg(o.key, o.value) INTO before_changes
          FROM jsonb_each(old_row) o WHERE o.value IS DISTINCT FROM new_row -> o.key;
        IF to_jsonb(OLD) -> 'password_hash' IS DISTINCT FROM to_jsonb(NEW) -> 'password_hash' THEN
            after_changes := coalesce(after_changes, '{}'::jsonb) || '{"password": "changed"}';
            before_changes := coalesce(before_changes, '{}'::jsonb);
        END IF;
        IF after_changes IS NULL THEN
            RETURN NULL;
        END IF;
    ELSE
        before_changes := old_row;
        after_changes := new_row;
    END IF;
    INSERT INTO audit_log (actor_id, entity, entity_id, action, before, after, reason)
    VALUES (nullif(current_setting('lamtheobac.actor_id', true), '')::integer,
            TG_ARGV[0], entity_id,
            CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
            before_changes, after_changes,
            nullif(current_setting('lamtheobac.reason', true), ''));
    RETURN NULL;
END $$;
