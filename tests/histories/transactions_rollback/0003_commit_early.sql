-- COMMIT inside the tool's transaction ends it early; what follows runs on its own
ALTER TABLE wallet_note ADD COLUMN written TIMESTAMPTZ;
COMMIT;
BEGIN;
ALTER TABLE wallet_note DROP COLUMN written;
DELETE FROM wallet WHERE id = 3;
ROLLBACK;
COMMENT ON TABLE wallet IS 'one per owner';
