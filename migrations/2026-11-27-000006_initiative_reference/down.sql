DROP TRIGGER initiatives_default_reference ON initiatives;
DROP FUNCTION initiatives_default_reference();
ALTER TABLE initiatives DROP COLUMN reference;
