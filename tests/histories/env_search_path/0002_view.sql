CREATE VIEW paying AS
    SELECT s.id, t.name FROM subscription s JOIN tenant t ON t.id = s.tenant_id WHERE s.plan = 'paid';
CREATE FUNCTION tenant_name(i INT) RETURNS TEXT LANGUAGE sql STABLE AS $$ SELECT name FROM tenant WHERE id = i $$;
ALTER TABLE subscription OWNER TO env_search_path_owner;
ALTER TABLE subscription RENAME COLUMN plan TO tier;
