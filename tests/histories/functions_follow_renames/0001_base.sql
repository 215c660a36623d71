-- expressions call functions by identity (their OID): a rename or a move is followed
CREATE SCHEMA util;
CREATE FUNCTION make_code() RETURNS text LANGUAGE sql AS $$ SELECT 'c-' || md5(random()::text) $$;
CREATE FUNCTION is_valid_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT c LIKE 'c-%' $$;
CREATE FUNCTION norm(c text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(c) $$;
CREATE DOMAIN code_text AS text CHECK (is_valid_code(VALUE));
CREATE TABLE item (
    id int PRIMARY KEY,
    code text NOT NULL DEFAULT make_code() CHECK (is_valid_code(code)),
    label code_text,
    shown text GENERATED ALWAYS AS (norm(code)) STORED
);
CREATE INDEX item_norm ON item (norm(code)) WHERE is_valid_code(code);
CREATE VIEW item_codes AS SELECT id, norm(code) AS code FROM item;
ALTER TABLE item ENABLE ROW LEVEL SECURITY;
CREATE POLICY item_valid ON item USING (is_valid_code(code));
