-- The review workflow, evidence files and deadlines.
--
-- `review` is where an initiative stands with the bloc committee. An initiative is
-- completed only once a reviewer has accepted it (Nghiệm thu): the database holds
-- `status = 'completed'` exactly when `review = 'accepted'`.

ALTER TABLE initiatives
    ADD COLUMN review TEXT NOT NULL DEFAULT 'approved'
        CHECK (review IN ('pending_approval', 'returned_registration', 'approved',
                          'pending_acceptance', 'returned_completion', 'accepted')),
    ADD COLUMN review_changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The reviewer's reason for the last return, shown to the secretary.
    ADD COLUMN review_note TEXT CHECK (char_length(review_note) <= 2000),
    ADD COLUMN result_summary TEXT NOT NULL DEFAULT '' CHECK (char_length(result_summary) <= 5000);

-- Rows from before the workflow: what was completed counts as accepted.
UPDATE initiatives SET review = 'accepted' WHERE status = 'completed';
ALTER TABLE initiatives ALTER COLUMN review SET DEFAULT 'pending_approval';
ALTER TABLE initiatives
    ADD CONSTRAINT initiatives_completed_only_when_accepted
        CHECK ((status = 'completed') = (review = 'accepted')),
    ADD CONSTRAINT initiatives_report_has_value_and_date
        CHECK (review NOT IN ('pending_acceptance', 'accepted')
               OR (completion_date IS NOT NULL AND actual_value_vnd IS NOT NULL));

-- The inboxes: what waits for a reviewer, what was returned to a secretary.
CREATE INDEX initiatives_review_idx ON initiatives (review, review_changed_at)
    WHERE review IN ('pending_approval', 'returned_registration',
                     'pending_acceptance', 'returned_completion');

-- The workflow's own timestamp is bookkeeping, not news, in the history.
CREATE OR REPLACE FUNCTION audit_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ignored TEXT[] := ARRAY['updated_at', 'updated_by', 'version', 'path', 'password_hash',
                            'review_changed_at'];
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

-- Evidence files. The bytes live under UPLOAD_DIR, named by their SHA-256; a removed
-- file keeps its row (and its bytes) until an admin purges the initiative.
CREATE TABLE evidence_files (
    id            SERIAL PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id),
    sha256        TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    original_name TEXT NOT NULL CHECK (char_length(original_name) BETWEEN 1 AND 255),
    content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp',
                      'application/pdf',
                      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
    size_bytes    BIGINT NOT NULL CHECK (size_bytes > 0),
    uploaded_by   INTEGER NOT NULL REFERENCES users (id),
    uploaded_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    removed_by    INTEGER REFERENCES users (id),
    removed_at    TIMESTAMPTZ,
    CHECK ((removed_by IS NULL) = (removed_at IS NULL))
);
CREATE INDEX evidence_files_initiative_idx ON evidence_files (initiative_id);
CREATE INDEX evidence_files_sha256_idx ON evidence_files (sha256);

-- Adding and removing evidence shows in the initiative's history.
CREATE FUNCTION audit_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change JSONB;
BEGIN
    IF TG_OP = 'INSERT' THEN
        change := jsonb_build_object('evidence_added', NEW.original_name);
    ELSIF OLD.removed_at IS NULL AND NEW.removed_at IS NOT NULL THEN
        change := jsonb_build_object('evidence_removed', NEW.original_name);
    ELSE
        RETURN NULL;
    END IF;
    INSERT INTO audit_log (actor_id, entity, entity_id, action, before, after, reason)
    VALUES (nullif(current_setting('lamtheobac.actor_id', true), '')::integer,
            'initiative', NEW.initiative_id, 'update', '{}'::jsonb, change,
            nullif(current_setting('lamtheobac.reason', true), ''));
    RETURN NULL;
END $$;
CREATE TRIGGER evidence_files_audit AFTER INSERT OR UPDATE ON evidence_files
    FOR EACH ROW EXECUTE FUNCTION audit_evidence();

-- Deadlines per year and per unit (a bloc, usually); they apply to its whole subtree.
CREATE TABLE deadlines (
    year                  INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    unit_id               INTEGER NOT NULL REFERENCES units (id),
    registration_deadline DATE,
    reporting_deadline    DATE,
    updated_by            INTEGER NOT NULL REFERENCES users (id),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (year, unit_id),
    CHECK (reporting_deadline IS NULL OR registration_deadline IS NULL
           OR reporting_deadline >= registration_deadline)
);

-- A reviewer lets one unit (and its subtree) register after the deadline.
CREATE TABLE registration_reopenings (
    year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    reopened_by INTEGER NOT NULL REFERENCES users (id),
    reopened_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (year, unit_id)
);
