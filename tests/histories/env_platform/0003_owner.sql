ALTER TABLE auth.sessions OWNER TO env_platform_admin;
GRANT EXECUTE ON FUNCTION auth.uid() TO env_platform_anon;
REVOKE EXECUTE ON FUNCTION auth.uid() FROM PUBLIC;
COMMENT ON FUNCTION auth.uid() IS 'the user of the request';
COMMENT ON SCHEMA auth IS 'owned by the platform';
ALTER TABLE profile ADD COLUMN session_id BIGINT REFERENCES auth.sessions (id);
