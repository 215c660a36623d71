CREATE TABLE environment (id text PRIMARY KEY, slug text);
INSERT INTO environment VALUES ('e1', NULL);
-- procedural SQL the fold cannot follow: environment becomes a barrier
DO $$
DECLARE
    words text[] := ARRAY['red', 'blue'];
BEGIN
    UPDATE environment SET slug = words[1] || '-' || id;
END
$$;
