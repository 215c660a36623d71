-- the old tables are empty on a fresh database: every copy below finds no row
CREATE TABLE permissions (
    id serial PRIMARY KEY,
    account_email text NOT NULL,
    scope text NOT NULL,
    ticket bigint DEFAULT nextval('ticket_no')
);
INSERT INTO permissions (account_email, scope)
SELECT a.email, g.scope FROM accounts a JOIN grants g ON g.account_id = a.id
ORDER BY g.granted_at;
INSERT INTO permissions (account_email, scope)
SELECT DISTINCT a.email, 'read' FROM accounts a, grants g WHERE g.account_id = a.id;
INSERT INTO permissions (account_email, scope, ticket)
SELECT a.email, max(g.scope), nextval('ticket_no') FROM accounts a LEFT JOIN grants g ON g.account_id = a.id
GROUP BY a.email;
INSERT INTO permissions (account_email, scope)
WITH recent AS (SELECT * FROM grants WHERE granted_at IS NOT NULL)
SELECT a.email, r.scope FROM accounts a, LATERAL (SELECT scope FROM recent WHERE recent.account_id = a.id) r
UNION ALL
SELECT email, 'none' FROM accounts WHERE NOT EXISTS (SELECT 1 FROM grants);
INSERT INTO permissions (account_email, scope)
(SELECT upper(email), coalesce(plan, 'free') FROM accounts WHERE plan IS NOT NULL);
UPDATE notes SET body = a.email FROM accounts a WHERE a.id = notes.id;
DELETE FROM notes USING grants g WHERE g.account_id = notes.id;
WITH recent AS (SELECT * FROM grants) INSERT INTO permissions (account_email, scope) SELECT a.email, r.scope FROM accounts a JOIN recent r ON r.account_id = a.id;
-- an aggregate without GROUP BY makes one row even from no row: not a no-op
CREATE TABLE audit (id integer);
CREATE TABLE stats (events bigint, any_event boolean);
INSERT INTO stats SELECT count(*), count(*) > 0 FROM audit;
DROP TABLE grants;
DROP TABLE accounts;
INSERT INTO permissions (account_email, scope) VALUES ('x@example.org', 'write');
CREATE TABLE counters (id serial PRIMARY KEY, n integer DEFAULT 0, ticket bigint DEFAULT nextval('ticket_no'));
INSERT INTO counters DEFAULT VALUES;
INSERT INTO counters DEFAULT VALUES;
