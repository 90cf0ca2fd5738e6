-- A registration's reference is 'MH-' || id, or the next free 'MH-<id>-<n>' when an
-- import already holds that one. The free one was looked for with a bare EXISTS, which
-- does not see a row another transaction has inserted and not yet committed: an import
-- writing 'MH-50' while initiative 50 was registered made the second insert fail on the
-- unique constraint (a 500). Now every insert first takes a transaction lock on the
-- reference it writes, default or given, and the default path takes it before looking:
-- whoever comes second waits for the first to commit, then sees its row and moves on to
-- the next suffix. The existing references and their format stay as they are.
CREATE OR REPLACE FUNCTION initiatives_default_reference() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    suffix INTEGER := 1;
BEGIN
    IF NEW.reference IS NULL OR btrim(NEW.reference) = '' THEN
        NEW.reference := 'MH-' || NEW.id;
        LOOP
            PERFORM pg_advisory_xact_lock(hashtext('lamtheobac.initiatives.reference'),
                                          hashtext(NEW.reference));
            EXIT WHEN NOT EXISTS (SELECT 1 FROM initiatives WHERE reference = NEW.reference);
            suffix := suffix + 1;
            NEW.reference := 'MH-' || NEW.id || '-' || suffix;
        END LOOP;
    ELSE
        PERFORM pg_advisory_xact_lock(hashtext('lamtheobac.initiatives.reference'),
                                      hashtext(NEW.reference));
    END IF;
    RETURN NEW;
END $$;
