-- changes to the platform's objects: grants, comments; emitted as such
GRANT SELECT ON auth.users TO env_platform_anon;
REVOKE SELECT ON auth.users FROM env_platform_admin;
GRANT USAGE ON SCHEMA auth TO env_platform_anon;
COMMENT ON TABLE auth.users IS 'platform users, read by profiles';
COMMENT ON COLUMN auth.users.email IS 'verified by the platform';
COMMENT ON COLUMN auth.users.created IS NULL;
CREATE INDEX users_email_idx ON auth.users (lower(email));
