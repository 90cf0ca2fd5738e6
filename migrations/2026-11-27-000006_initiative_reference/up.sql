-- Mã: a stable reference for each initiative, printed in the exports and used to match
-- rows when a spreadsheet is imported again. Registered here it is 'MH-' and the id;
-- an imported row keeps the reference its file gave it.
ALTER TABLE initiatives ADD COLUMN reference text;
UPDATE initiatives SET reference = 'MH-' || id;

CREATE FUNCTION initiatives_default_reference() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reference IS NULL OR btrim(NEW.reference) = '' THEN
        NEW.reference := 'MH-' || NEW.id;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER initiatives_default_reference BEFORE INSERT ON initiatives
    FOR EACH ROW EXECUTE FUNCTION initiatives_default_reference();

ALTER TABLE initiatives ALTER COLUMN reference SET NOT NULL;
ALTER TABLE initiatives ADD CONSTRAINT initiatives_reference_key UNIQUE (reference);
ALTER TABLE initiatives ADD CONSTRAINT initiatives_reference_check
    CHECK (reference = btrim(reference) AND length(reference) BETWEEN 1 AND 50);
