CREATE OR REPLACE FUNCTION initiatives_default_reference() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reference IS NULL OR btrim(NEW.reference) = '' THEN
        NEW.reference := 'MH-' || NEW.id;
    END IF;
    RETURN NEW;
END $$;

DROP TABLE import_batches;
