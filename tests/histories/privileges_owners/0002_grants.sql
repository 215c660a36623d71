CREATE TABLE budget (id SERIAL, amount NUMERIC);
GRANT INSERT, UPDATE ON entry TO privileges_writer;
GRANT SELECT (name), UPDATE (name) ON account TO privileges_writer;
REVOKE SELECT ON account FROM privileges_reader;
-- grants follow renames
ALTER TABLE entry RENAME TO ledger_entry;
ALTER TABLE ledger_entry RENAME COLUMN amount TO value;
ALTER TABLE budget OWNER TO privileges_owner;
-- objects made under SET ROLE belong to that role, and the default privileges of the
-- migrating role do not apply to them
SET ROLE privileges_owner;
CREATE TABLE reporting.summary (total NUMERIC);
CREATE VIEW reporting.balance AS SELECT account_id, sum(value) AS total FROM public.ledger_entry GROUP BY account_id;
RESET ROLE;
