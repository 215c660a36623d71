-- add a column, backfill it from the rows already there, then make it required
ALTER TABLE users ADD COLUMN handle text;
UPDATE users SET handle = lower(split_part(email, '@', 1));
ALTER TABLE users ALTER COLUMN handle SET NOT NULL;
