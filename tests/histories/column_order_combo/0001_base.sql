CREATE ROLE combo_reader;
CREATE TABLE ledger (id BIGSERIAL PRIMARY KEY, a INT, b INT, c INT);
GRANT SELECT ON ledger TO combo_reader;
CREATE VIEW ledger_ab AS SELECT a, b FROM ledger;
GRANT SELECT ON ledger_ab TO combo_reader;
