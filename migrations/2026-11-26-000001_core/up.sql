-- The core schema: the unit tree, user accounts, initiatives and the audit log.
-- The database refuses impossible rows on its own, so a bug in the application
-- cannot store a negative amount, an unknown status or a unit that is its own ancestor.

CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Units: a tree of any depth. `path` is the chain of ids from the root ("1.2.17"),
-- kept by triggers, so a whole subtree is one indexed `path <@ $root` condition.
CREATE TABLE units (
    id                   SERIAL PRIMARY KEY,
    code                 TEXT NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,39}$'),
    name                 TEXT NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 300),
    kind                 TEXT NOT NULL CHECK (kind IN ('province_committee', 'bloc_committee',
                             'grassroots_committee', 'grassroots_cell', 'attached_cell',
                             'mass_organization')),
    parent_id            INTEGER REFERENCES units (id),
    path                 LTREE NOT NULL,
    expected_to_register BOOLEAN NOT NULL DEFAULT TRUE,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX units_code_key ON units (code);
CREATE INDEX units_path_idx ON units USING GIST (path);
CREATE INDEX units_parent_idx ON units (parent_id);

-- Before a unit is stored, its path is its parent's path plus its own id; a move
-- under one of its own descendants is refused.
CREATE FUNCTION units_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent_path LTREE;
BEGIN
    IF NEW.parent_id IS NULL THEN
        NEW.path := NEW.id::text::ltree;
    ELSE
        SELECT path INTO parent_path FROM units WHERE id = NEW.parent_id;
        IF parent_path IS NULL THEN
            RAISE EXCEPTION 'parent unit % does not exist', NEW.parent_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF TG_OP = 'UPDATE' THEN
            -- One move at a time, so two crossing moves cannot build a cycle; then
            -- read the parent's path again, as committed by any move just finished.
            PERFORM pg_advisory_xact_lock(hashtext('lamtheobac.units.move'));
            SELECT path INTO parent_path FROM units WHERE id = NEW.parent_id;
        END IF;
        IF TG_OP = 'UPDATE' AND parent_path <@ OLD.path THEN
            RAISE EXCEPTION 'unit % cannot move under its own descendant', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        NEW.path := parent_path || NEW.id::text;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER units_set_path BEFORE INSERT OR UPDATE OF parent_id ON units
    FOR EACH ROW EXECUTE FUNCTION units_set_path();

-- After a move, every descendant takes the new prefix.
CREATE FUNCTION units_move_subtree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.path IS DISTINCT FROM OLD.path THEN
        UPDATE units
           SET path = NEW.path || subpath(path, nlevel(OLD.path))
         WHERE path <@ OLD.path AND id <> NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER units_move_subtree AFTER UPDATE OF parent_id ON units
    FOR EACH ROW EXECUTE FUNCTION units_move_subtree();

-- Users. Usernames are stored in lower case, so uniqueness is case-insensitive.
-- An admin may have no unit (the first admin exists before any unit); everyone
-- else is scoped to the subtree of their unit.
CREATE TABLE users (
    id            SERIAL PRIMARY KEY,
    username      TEXT NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,49}$'),
    display_name  TEXT NOT NULL CHECK (char_length(btrim(display_name)) BETWEEN 1 AND 200),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'secretary')),
    unit_id       INTEGER REFERENCES units (id),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (role = 'admin' OR unit_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE INDEX users_unit_idx ON users (unit_id);

-- Initiatives: the registered models and works. Money is whole đồng.
CREATE TABLE initiatives (
    id                 SERIAL PRIMARY KEY,
    year               INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    kind               TEXT NOT NULL CHECK (kind IN ('model', 'work')),
    title              TEXT NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 300),
    field              TEXT NOT NULL CHECK (field IN ('professional', 'admin_reform',
                           'serving_people', 'cultural_office', 'social_welfare', 'other')),
    description        TEXT NOT NULL DEFAULT '' CHECK (char_length(description) <= 10000),
    unit_id            INTEGER NOT NULL REFERENCES units (id),
    estimated_cost_vnd BIGINT NOT NULL DEFAULT 0 CHECK (estimated_cost_vnd >= 0),
    actual_value_vnd   BIGINT CHECK (actual_value_vnd >= 0),
    status             TEXT NOT NULL DEFAULT 'registered'
                           CHECK (status IN ('registered', 'in_progress', 'completed', 'cancelled')),
    start_date         DATE NOT NULL,
    due_date           DATE NOT NULL,
    completion_date    DATE,
    created_by         INTEGER NOT NULL REFERENCES users (id),
    updated_by         INTEGER NOT NULL REFERENCES users (id),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    version            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (due_date >= start_date),
    CHECK (completion_date IS NULL OR completion_date >= start_date),
    CHECK (status <> 'completed' OR (completion_date IS NOT NULL AND actual_value_vnd IS NOT NULL))
);
CREATE INDEX initiatives_year_unit_idx ON initiatives (year, unit_id);
CREATE INDEX initiatives_unit_idx ON initiatives (unit_id);

-- The audit log: one row per create, update or delete of an initiative, unit or user,
-- written by triggers in the same transaction, so no code path can forget it.
-- The application names the actor with `SET LOCAL lamtheobac.actor_id`.
CREATE TABLE audit_log (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_id  INTEGER REFERENCES users (id),
    entity    TEXT NOT NULL CHECK (entity IN ('initiative', 'unit', 'user')),
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    before    JSONB,
    after     JSONB,
    reason    TEXT
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);

CREATE FUNCTION audit_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- Bookkeeping columns are not news; the password hash is never copied.
    ignored TEXT[] := ARRAY['updated_at', 'updated_by', 'version', 'path', 'password_hash'];
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
            TG_ARGV[0], entity_id, CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END, before_changes, after_changes,
            nullif(current_setting('lamtheobac.reason', true), ''));
    RETURN NULL;
END $$;

CREATE TRIGGER initiatives_audit AFTER INSERT OR UPDATE OR DELETE ON initiatives
    FOR EACH ROW EXECUTE FUNCTION audit_changes('initiative');
CREATE TRIGGER units_audit AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION audit_changes('unit');
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_changes('user');

-- The log is append-only: rows can be added, never changed or removed.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
