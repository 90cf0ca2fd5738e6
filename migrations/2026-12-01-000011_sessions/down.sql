-- The audit function as the review migration left it.
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

ALTER TABLE users DROP COLUMN last_sign_in_at, DROP COLUMN must_change_password;
DROP TABLE sessions;
