SET search_path TO public, app;
-- account is public.account here, app.account by its qualified name
CREATE VIEW both_accounts AS SELECT p.id FROM account p JOIN app.account q USING (id);
CREATE TABLE IF NOT EXISTS account (x INT);
CREATE VIEW setting_keys AS SELECT key FROM setting;
-- a moved table keeps its identity: the view follows it
ALTER TABLE setting SET SCHEMA audit;
SET search_path TO app;
-- there is no app.setting (the public one moved to audit): a no-op
DROP TABLE IF EXISTS setting;
ALTER TABLE account RENAME COLUMN email TO mail;
COMMENT ON VIEW audit.recent IS 'follows the rename of app.account.email';
