DROP TABLE budget;
GRANT ALL ON ledger_entry TO privileges_owner WITH GRANT OPTION;
REVOKE UPDATE ON ledger_entry FROM privileges_writer;
GRANT USAGE ON SCHEMA reporting TO privileges_reader;
ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM privileges_reader;
CREATE TABLE later (x INT);
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO privileges_writer;
COMMENT ON SCHEMA reporting IS 'owned by privileges_owner';
REVOKE ALL ON SCHEMA public FROM PUBLIC;
