-- renaming a table or column renames none of the implicit names
ALTER TABLE account RENAME TO member;
ALTER TABLE member RENAME COLUMN email TO mail;
CREATE INDEX ON member (lower(mail));
CREATE INDEX ON membership (team);
