-- Carrying an unfinished initiative into the next year (Chuyển tiếp sang năm sau).
--
-- The carried initiative is a new row of year Y+1 that points at the original of
-- year Y, which stays in Y as unfinished so that Y's figures stay honest. An
-- initiative is carried over at most once (the unique index), never onto itself, and
-- only from a state that allows it: the trigger below repeats the application's
-- rule under a row lock, so no path and no race can carry a pending, completed or
-- cancelled initiative, or carry one twice.

ALTER TABLE initiatives
    ADD COLUMN carried_from_id INTEGER
        -- Purging the original (admins only) keeps the carried one, unlinked.
        REFERENCES initiatives (id) ON DELETE SET NULL,
    ADD CONSTRAINT initiatives_not_carried_from_itself CHECK (carried_from_id <> id);
-- Also the index that finds the carried one from its original.
CREATE UNIQUE INDEX initiatives_carried_from_key ON initiatives (carried_from_id);

CREATE FUNCTION initiatives_check_carry_over() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    original initiatives%ROWTYPE;
BEGIN
    IF NEW.carried_from_id IS NULL
       OR (TG_OP = 'UPDATE' AND NEW.carried_from_id IS NOT DISTINCT FROM OLD.carried_from_id) THEN
        RETURN NEW;
    END IF;
    -- Lock the original: a step on it waits until this carry commits or rolls back.
    SELECT * INTO original FROM initiatives WHERE id = NEW.carried_from_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW; -- the foreign key reports it
    END IF;
    IF original.status NOT IN ('registered', 'in_progress')
       OR original.review NOT IN ('approved', 'returned_completion') THEN
        RAISE EXCEPTION 'initiative % cannot be carried over from status %, review %',
            original.id, original.status, original.review
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.year <> original.year + 1 OR NEW.unit_id <> original.unit_id THEN
        RAISE EXCEPTION 'initiative % is carried over into the next year of the same unit',
            original.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER initiatives_carry_over_check
    BEFORE INSERT OR UPDATE OF carried_from_id ON initiatives
    FOR EACH ROW EXECUTE FUNCTION initiatives_check_carry_over();

-- The carried one's history starts with its creation (carried_from_id in the row); the
-- original's history gets a line of its own, with the same who, when and reason.
CREATE FUNCTION audit_carry_over() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (actor_id, entity, entity_id, action, before, after, reason)
    VALUES (nullif(current_setting('lamtheobac.actor_id', true), '')::integer,
            'initiative', NEW.carried_from_id, 'update', '{}'::jsonb,
            jsonb_build_object('carried_over_to', NEW.id, 'carried_over_year', NEW.year),
            nullif(current_setting('lamtheobac.reason', true), ''));
    RETURN NULL;
END $$;
CREATE TRIGGER initiatives_carry_over_audit AFTER INSERT ON initiatives
    FOR EACH ROW WHEN (NEW.carried_from_id IS NOT NULL)
    EXECUTE FUNCTION audit_carry_over();
