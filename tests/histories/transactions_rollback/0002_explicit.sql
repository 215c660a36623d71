-- no-transaction
-- outside the tool's transaction: BEGIN ... ROLLBACK undoes, BEGIN ... COMMIT keeps
BEGIN;
CREATE TABLE wallet_audit (id INT);
ALTER TABLE wallet RENAME COLUMN owner TO holder;
ROLLBACK;
BEGIN;
SET LOCAL search_path TO bookkeeping, public;
CREATE TABLE wallet_event (wallet_id INT REFERENCES wallet (id), amount NUMERIC);
COMMIT;
-- the rolled-back table never existed
DROP TABLE IF EXISTS wallet_audit;
CREATE TABLE wallet_note (wallet_id INT, note TEXT);
