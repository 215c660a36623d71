ALTER TYPE plan ADD VALUE 'trial' BEFORE 'free';
-- a structural change to a bootstrap table is kept as written
ALTER TABLE tenant ADD COLUMN region TEXT;
COMMENT ON TABLE tenant IS 'from the bootstrap script';
GRANT SELECT ON paying TO env_search_path_owner;
GRANT SELECT ON tenant TO env_search_path_owner;
