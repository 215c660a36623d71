CREATE VIEW ledger_all AS SELECT * FROM ledger;
ALTER TABLE ledger ADD COLUMN e INT;
REVOKE SELECT ON ledger FROM combo_reader;
GRANT INSERT, UPDATE ON ledger TO combo_reader;
COMMENT ON VIEW ledger_all IS 'expanded at creation';
