ALTER TABLE units DROP COLUMN document_abbreviation;
DROP TABLE report_settings;
