CREATE SCHEMA bookkeeping;
CREATE TABLE wallet (id INT PRIMARY KEY, owner TEXT NOT NULL, balance NUMERIC NOT NULL DEFAULT 0);
-- a savepoint rolled back to: PostgreSQL discards what came after it, and so does the fold
SAVEPOINT before_experiment;
ALTER TABLE wallet ADD COLUMN experiment INT;
CREATE INDEX wallet_experiment_idx ON wallet (experiment);
INSERT INTO wallet (id, owner, experiment) VALUES (1, 'trial', 7);
DROP TABLE wallet;
ROLLBACK TO SAVEPOINT before_experiment;
ALTER TABLE wallet ADD COLUMN currency CHAR(3) NOT NULL DEFAULT 'EUR';
SAVEPOINT kept;
CREATE INDEX wallet_owner_idx ON wallet (owner);
INSERT INTO wallet (id, owner) VALUES (2, 'ann'), (3, 'bob');
RELEASE SAVEPOINT kept;
