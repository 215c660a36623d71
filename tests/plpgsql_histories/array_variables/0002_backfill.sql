-- a backfill over an empty table with a word list: nothing to update on a fresh database
DO $$
DECLARE
  words text[] := ARRAY['apple', 'pear', 'plum'];
  ids int[] := ARRAY[1, 2, 3];
  i int;
BEGIN
  ALTER TABLE environment ADD COLUMN shortcode text;
  UPDATE environment SET shortcode = words[1 + floor(random() * 3)::int] || '-' || slug;
  ALTER TABLE environment ALTER COLUMN shortcode SET NOT NULL;
  FOREACH i IN ARRAY ids LOOP
    INSERT INTO colour (id, name) VALUES (i, words[i]);
  END LOOP;
END $$;
