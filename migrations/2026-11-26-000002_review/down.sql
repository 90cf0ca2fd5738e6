DROP TABLE IF EXISTS registration_reopenings;
DROP TABLE IF EXISTS deadlines;
DROP TABLE IF EXISTS evidence_files;
DROP FUNCTION IF EXISTS audit_evidence();
ALTER TABLE initiatives
    DROP CONSTRAINT IF EXISTS initiatives_completed_only_when_accepted,
    DROP CONSTRAINT IF EXISTS initiatives_report_has_value_and_date,
    DROP COLUMN IF EXISTS review,
    DROP COLUMN IF EXISTS review_changed_at,
    DROP COLUMN IF EXISTS review_note,
    DROP COLUMN IF EXISTS result_summary;
