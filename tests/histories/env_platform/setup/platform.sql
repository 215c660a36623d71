-- what the platform provides before any migration runs
CREATE ROLE env_platform_anon NOLOGIN;
CREATE ROLE env_platform_admin NOLOGIN;
CREATE SCHEMA auth;
CREATE TABLE auth.users (id UUID PRIMARY KEY, email TEXT NOT NULL, created TIMESTAMPTZ);
GRANT SELECT ON auth.users TO env_platform_admin;
COMMENT ON TABLE auth.users IS 'managed by the platform';
COMMENT ON COLUMN auth.users.created IS 'set by the platform';
CREATE FUNCTION auth.uid() RETURNS UUID LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$;
CREATE TABLE auth.sessions (id BIGINT PRIMARY KEY, user_id UUID);
