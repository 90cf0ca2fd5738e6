-- What an annual report says besides its figures, per unit and year: the number the
-- office gives it, the day it is signed, the place, the signer, Nơi nhận and the
-- written sections. Nothing stored means the defaults (the reporting deadline or
-- 31 December, REPORT_PLACE, BÍ THƯ). Like `deadlines`, the row has no id of its own,
-- so the audit log (keyed by entity id) does not follow it; updated_at/by say who
-- last changed it.
CREATE TABLE report_settings (
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    document_number INTEGER CHECK (document_number BETWEEN 1 AND 99999),
    report_date     DATE,
    place           TEXT NOT NULL DEFAULT '' CHECK (char_length(place) <= 100),
    signer_name     TEXT NOT NULL DEFAULT '' CHECK (char_length(signer_name) <= 100),
    signer_position TEXT NOT NULL DEFAULT 'secretary'
                        CHECK (signer_position IN ('secretary', 'deputy')),
    recipients      TEXT NOT NULL DEFAULT '' CHECK (char_length(recipients) <= 2000),
    assessment      TEXT NOT NULL DEFAULT '' CHECK (char_length(assessment) <= 20000),
    next_year       TEXT NOT NULL DEFAULT '' CHECK (char_length(next_year) <= 20000),
    updated_by      INTEGER NOT NULL REFERENCES users (id),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (unit_id, year),
    CHECK (report_date IS NULL OR extract(year FROM report_date) BETWEEN 2000 AND 2101)
);

-- A unit's own document abbreviation (the "ĐUK" of "Số 25-BC/ĐUK") when the one its
-- kind gives is not what it uses; NULL takes the kind's.
ALTER TABLE units
    ADD COLUMN document_abbreviation TEXT
        CHECK (document_abbreviation IS NULL
               OR char_length(document_abbreviation) BETWEEN 1 AND 20);
