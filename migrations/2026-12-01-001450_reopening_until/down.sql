ALTER TABLE registration_reopenings DROP COLUMN until;
