-- the history leans on the platform's auth.users, auth.uid() and roles
CREATE TABLE profile (
    id UUID PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL
);
ALTER TABLE profile ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_profile ON profile FOR ALL TO env_platform_anon USING (id = auth.uid());
GRANT SELECT, UPDATE (display_name) ON profile TO env_platform_anon;
