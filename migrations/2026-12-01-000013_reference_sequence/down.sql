CREATE OR REPLACE FUNCTION initiatives_default_reference() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    suffix INTEGER := 1;
BEGIN
    IF NEW.reference IS NULL OR btrim(NEW.reference) = '' THEN
        NEW.reference := 'MH-' || NEW.id;
        WHILE EXISTS (SELECT 1 FROM initiatives WHERE reference = NEW.reference) LOOP
            suffix := suffix + 1;
            NEW.reference := 'MH-' || NEW.id || '-' || suffix;
        END LOOP;
    END IF;
    RETURN NEW;
END $$;
