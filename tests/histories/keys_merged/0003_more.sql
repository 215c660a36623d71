CREATE TABLE tag (name text, CONSTRAINT tag_name_a UNIQUE (name), CONSTRAINT tag_name_b UNIQUE (name));
ALTER TABLE tag RENAME CONSTRAINT tag_name_a TO tag_name_key;
ALTER TABLE account DROP CONSTRAINT account_email_key;
