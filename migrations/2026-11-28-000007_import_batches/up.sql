-- Spreadsheet imports. An uploaded file is staged here between the preview and the
-- admin's confirmation; confirming reads the file again from this row, plans it again
-- inside the transaction that applies it, and stamps `applied_at`, so a file goes in
-- at most once. Unapplied batches older than a day are deleted by the next upload.
CREATE TABLE import_batches (
    id            SERIAL PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('units', 'users', 'initiatives')),
    file_name     TEXT NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    bytes         BYTEA NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 10485760),
    sha256        TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    -- The unit whose subtree bounds the import; NULL: the whole tree (admins only).
    scope_unit_id INTEGER REFERENCES units (id),
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_at    TIMESTAMPTZ
);
CREATE INDEX import_batches_created_by_idx ON import_batches (created_by, created_at);
CREATE INDEX import_batches_unapplied_idx ON import_batches (created_at) WHERE applied_at IS NULL;

-- An imported initiative keeps the reference its file gave it, which may be one of the
-- 'MH-' || id form from another installation. A registration whose own 'MH-' || id is
-- already taken that way gets the next free 'MH-<id>-<n>' instead of failing.
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
