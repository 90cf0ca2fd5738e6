DROP TRIGGER IF EXISTS initiatives_carry_over_audit ON initiatives;
DROP TRIGGER IF EXISTS initiatives_carry_over_check ON initiatives;
DROP FUNCTION IF EXISTS audit_carry_over();
DROP FUNCTION IF EXISTS initiatives_check_carry_over();
DROP INDEX IF EXISTS initiatives_carried_from_key;
ALTER TABLE initiatives
    DROP CONSTRAINT IF EXISTS initiatives_not_carried_from_itself,
    DROP COLUMN IF EXISTS carried_from_id;
