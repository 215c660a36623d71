"""What the fold models it checks as PostgreSQL would (issue 15), for kinds of statement
``squash`` exited 0 on while PostgreSQL 15 refuses them: ``CREATE OR REPLACE VIEW``
changing a column's type; ``ALTER COLUMN ... TYPE`` of a
column a view, a SQL-standard routine, a policy or a trigger reads; ``DROP COLUMN`` of a
column a view's kept ``*`` covers (``t.*``, ``NATURAL JOIN``); a policy's ``USING`` or ``WITH
CHECK`` expression its command does not take; a foreign key referencing columns no primary
key, unique constraint or unique index has; a key naming a column a table kept verbatim does
not define; a prefix ``-`` before a string with an operator after it, or before a text column
in a view; a column-name key word as a routine argument's name (``f(int text)``); ``lower``
with two arguments in an index; a data statement's typed constant of a type that does not
exist (``coalesce(note, id '')``). Each case
is asked of a real PostgreSQL in the same test, beside valid neighbours, and the fold's verdict
must agree: refused by both, or taken by both; where the fold cannot judge exactly it stops
folding (a fold limit), which counts as neither refusing what PostgreSQL takes nor taking what
it refuses."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_verdict
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

_RLS = "ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"

#: (statements after SETUP, apart at ";\n"; PostgreSQL's verdict: True taken, False refused,
#: and the fold refuses too; "stop": refused, and the fold stops folding there)
CASES: list[tuple[str, bool | str]] = [
    # a column's type stays while a view, a SQL-standard routine, a policy or a trigger reads it
    ("CREATE VIEW v AS SELECT a FROM t;\nALTER TABLE t ALTER COLUMN a TYPE bigint", False),
    ("CREATE VIEW v AS SELECT a FROM t;\nALTER TABLE t ALTER COLUMN a TYPE integer", False),
    ("CREATE VIEW v AS SELECT id FROM t WHERE a > 1;\n"
     "ALTER TABLE t ALTER COLUMN a SET DATA TYPE bigint", False),
    ("CREATE VIEW v AS SELECT * FROM t;\nALTER TABLE t ALTER COLUMN b TYPE varchar(10)", False),
    ("CREATE MATERIALIZED VIEW w AS SELECT a FROM t;\nALTER TABLE t ALTER COLUMN a TYPE bigint",
     False),
    ("CREATE VIEW v AS SELECT a FROM t;\nALTER VIEW v RENAME TO w;\n"
     "ALTER TABLE t RENAME COLUMN a TO z;\nALTER TABLE t ALTER COLUMN z TYPE bigint", False),
    ("CREATE VIEW v AS SELECT a FROM t;\n"
     "ALTER TABLE t ALTER COLUMN b TYPE varchar(3), ALTER COLUMN a TYPE bigint", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a FROM t; END;\n"
     "ALTER TABLE t ALTER COLUMN a TYPE bigint", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN (SELECT a FROM t LIMIT 1);\n"
     "ALTER TABLE t ALTER COLUMN a TYPE bigint", False),
    (_RLS + "CREATE POLICY p ON t USING (a > 0);\nALTER TABLE t ALTER COLUMN a TYPE bigint",
     False),
    ("CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
     "CREATE TRIGGER tr BEFORE UPDATE OF a ON t FOR EACH ROW EXECUTE FUNCTION tf();\n"
     "ALTER TABLE t ALTER COLUMN a TYPE bigint", False),
    ("CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
     "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.a > 0) EXECUTE FUNCTION "
     "tf();\nALTER TABLE t ALTER COLUMN a TYPE bigint", False),
    ("CREATE VIEW v AS SELECT * FROM u NATURAL JOIN t;\nALTER TABLE t ALTER COLUMN a TYPE bigint",
     "stop"),
    ("CREATE VIEW v AS SELECT t.* FROM t;\nALTER TABLE t ALTER COLUMN a TYPE bigint", "stop"),
    ("CREATE VIEW v AS SELECT id FROM t;\nALTER TABLE t ALTER COLUMN a TYPE bigint", True),
    ("CREATE VIEW v AS SELECT a FROM t;\nALTER TABLE t ALTER COLUMN b TYPE varchar(10)", True),
    ("CREATE VIEW v AS SELECT a FROM t;\nDROP VIEW v;\nALTER TABLE t ALTER COLUMN a TYPE bigint",
     True),
    ("CREATE VIEW v AS SELECT a FROM t;\nCREATE OR REPLACE VIEW v AS SELECT 1 AS a;\n"
     "ALTER TABLE t ALTER COLUMN a TYPE bigint", True),
    ("CREATE VIEW v AS SELECT count(*), t FROM t GROUP BY t;\n"
     "CREATE VIEW w AS SELECT 1 FROM t WHERE t IS NOT NULL;\n"
     "ALTER TABLE t ALTER COLUMN a TYPE bigint", True),
    ("CREATE VIEW v AS SELECT x.a FROM t x JOIN u ON true;\n"
     "CREATE TABLE w (c int);\nCREATE VIEW vw AS SELECT c FROM w;\n"
     "ALTER TABLE u ALTER COLUMN c TYPE bigint", True),
    (_RLS + "CREATE POLICY p ON t USING (b = 'x');\n"
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN (SELECT id FROM t LIMIT 1);\n"
     "ALTER TABLE t ALTER COLUMN a TYPE bigint", True),
    # a view keeping a * of the table depends on each column it covered
    ("CREATE VIEW v AS SELECT * FROM t NATURAL JOIN u;\nALTER TABLE t DROP COLUMN a", "stop"),
    ("CREATE VIEW v AS SELECT * FROM t NATURAL JOIN u;\nALTER TABLE u DROP COLUMN c", "stop"),
    ("CREATE VIEW v AS SELECT t.* FROM t;\nALTER TABLE t DROP COLUMN a", "stop"),
    ("CREATE VIEW v AS SELECT x.* FROM t x JOIN u ON true;\nALTER TABLE t DROP COLUMN b",
     "stop"),
    ("CREATE VIEW v AS SELECT * FROM t JOIN u USING (id);\nALTER TABLE t DROP COLUMN b", "stop"),
    ("CREATE VIEW v AS SELECT id FROM t NATURAL JOIN u;\nALTER TABLE t DROP COLUMN a", True),
    ("CREATE VIEW v AS SELECT u.* FROM t JOIN u USING (id);\nALTER TABLE t DROP COLUMN a", True),
    ("CREATE VIEW v AS SELECT t FROM t;\nALTER TABLE t DROP COLUMN a", True),
    ("CREATE VIEW v AS SELECT t.id, a * 2 AS x FROM t NATURAL JOIN u;\n"
     "ALTER TABLE t DROP COLUMN b", True),
    ("CREATE VIEW v AS SELECT count(*) FROM t NATURAL JOIN u;\nALTER TABLE u DROP COLUMN c",
     True),
    # CREATE OR REPLACE VIEW keeps each column's type
    ("CREATE VIEW v AS SELECT a, b FROM t;\nCREATE OR REPLACE VIEW v AS SELECT a::bigint AS a, b "
     "FROM t", False),
    ("CREATE VIEW v AS SELECT b FROM t;\nCREATE OR REPLACE VIEW v AS SELECT b::varchar AS b FROM t",
     False),
    ("CREATE VIEW v AS SELECT 1 AS x;\nCREATE OR REPLACE VIEW v AS SELECT 'a'::text AS x", False),
    ("CREATE VIEW v AS SELECT 'a' AS y;\nCREATE OR REPLACE VIEW v AS SELECT 1 AS y", False),
    ("CREATE VIEW v AS SELECT x.a, x.b FROM t x;\n"
     "CREATE OR REPLACE VIEW v AS SELECT x.a::numeric AS a, x.b FROM t AS x", False),
    ("CREATE TABLE w (s serial, x varchar(5), y timestamptz);\n"
     "CREATE VIEW v AS SELECT s, x, y FROM w;\n"
     "CREATE OR REPLACE VIEW v AS SELECT s, x, y::timestamp AS y FROM w", False),
    ("CREATE VIEW v AS SELECT id, a FROM t;\n"
     "CREATE OR REPLACE VIEW v AS SELECT CAST(id AS bigint) AS id, a FROM t", False),
    ("CREATE VIEW v AS SELECT a, b FROM t;\n"
     "CREATE OR REPLACE VIEW v AS SELECT id AS a, b::text AS b, a + 1 AS c FROM t", True),
    ("CREATE VIEW v AS SELECT a, b FROM t;\n"
     "CREATE OR REPLACE VIEW v AS SELECT a::int4 AS a, CAST(b AS text) AS b FROM t", True),
    ("CREATE VIEW v AS SELECT a, b FROM t;\n"
     "CREATE OR REPLACE VIEW v AS SELECT c AS a, lower(b) AS b FROM t, u", True),
    ("CREATE TABLE w (s serial, x varchar(5), y timestamptz);\n"
     "CREATE VIEW v AS SELECT s, x, y FROM w;\n"
     "CREATE OR REPLACE VIEW v AS SELECT s::integer AS s, x, y::timestamp with time zone AS y, "
     "1 AS z FROM w", True),
    ("CREATE VIEW v AS SELECT 1 AS x, 'a' AS y, 3000000000 AS z, 1.5 AS q;\n"
     "CREATE OR REPLACE VIEW v AS SELECT 2 AS x, 'b'::text AS y, 3000000001 AS z, 2.5 AS q", True),
    ("CREATE VIEW v AS SELECT a FROM t;\nDROP VIEW v;\n"
     "CREATE OR REPLACE VIEW v AS SELECT b FROM t", True),
    # a foreign key references a primary key, a unique constraint or a unique index's columns
    ("CREATE TABLE w (x int REFERENCES u (id))", False),
    ("CREATE TABLE w (x int REFERENCES t (a))", False),
    ("CREATE TABLE w (x int, y int, FOREIGN KEY (x, y) REFERENCES t (id, a))", False),
    ("CREATE UNIQUE INDEX ON u (id) WHERE c > 0;\nCREATE TABLE w (x int REFERENCES u (id))",
     False),
    ("CREATE UNIQUE INDEX ON u ((id + 1));\nCREATE TABLE w (x int REFERENCES u (id))", False),
    ("ALTER TABLE u ADD UNIQUE (id, c);\nCREATE TABLE w (x int REFERENCES u (id))", False),
    ("CREATE TABLE w (x int);\nALTER TABLE w ADD FOREIGN KEY (x) REFERENCES u (c) NOT VALID",
     False),
    ("CREATE TABLE w (x int, y int REFERENCES w (x))", False),
    ("ALTER TABLE u ADD CONSTRAINT ux EXCLUDE USING btree (id WITH =);\n"
     "CREATE TABLE w (x int REFERENCES u (id))", False),
    ("CREATE TABLE p (LIKE t);\nCREATE TABLE w (x int REFERENCES p (id))", False),
    ("CREATE TABLE p (id int);\nCREATE UNIQUE INDEX pi ON p (id);\nDROP INDEX pi;\n"
     "CREATE TABLE w (x int REFERENCES p (id))", False),
    ("CREATE TABLE p (id int, k int, UNIQUE (id, k));\nALTER TABLE p DROP CONSTRAINT p_id_k_key;\n"
     "CREATE TABLE w (x int, y int, FOREIGN KEY (x, y) REFERENCES p (k, id))", False),
    ("CREATE SCHEMA s;\nCREATE TABLE s.p (id int);\nCREATE TABLE w (x int REFERENCES s.p (id))",
     False),
    ("CREATE TABLE w (x int REFERENCES u)", False),
    ("ALTER TABLE u ADD UNIQUE (id) DEFERRABLE;\nCREATE TABLE w (x int REFERENCES u (id))",
     False),
    ("ALTER TABLE u ADD PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED;\n"
     "CREATE TABLE w (x int REFERENCES u)", False),
    ("CREATE TABLE w (x int REFERENCES t (id), y int REFERENCES t);\n"
     "ALTER TABLE u ADD UNIQUE (id);\nCREATE TABLE w2 (x int REFERENCES u (id))", True),
    ("CREATE UNIQUE INDEX ON u (id DESC) INCLUDE (c);\nCREATE TABLE w (x int REFERENCES u (id))",
     True),
    ("ALTER TABLE u ADD UNIQUE (id, c);\n"
     "CREATE TABLE w (x int, y int, FOREIGN KEY (x, y) REFERENCES u (c, id) ON DELETE CASCADE)",
     True),
    ("CREATE TABLE w (x int PRIMARY KEY, y int REFERENCES w (x), z int REFERENCES w (q), "
     "q int UNIQUE)", True),
    ("CREATE TABLE w (y int, x int, FOREIGN KEY (y) REFERENCES w, PRIMARY KEY (x))", True),
    ("CREATE TABLE w (x int, y int);\n"
     "ALTER TABLE w ADD FOREIGN KEY (y) REFERENCES w (x), ADD UNIQUE (x)", True),
    ("ALTER TABLE u ADD UNIQUE (id) DEFERRABLE;\nALTER TABLE u ADD UNIQUE (id) NOT DEFERRABLE;\n"
     "CREATE TABLE w (x int REFERENCES u (id))", True),
    ("ALTER TABLE u ADD UNIQUE (id) DEFERRABLE;\nCREATE UNIQUE INDEX ON u (id);\n"
     "CREATE TABLE w (x int REFERENCES u (id))", True),
    ("CREATE UNIQUE INDEX ui ON u (id);\nALTER TABLE u ADD UNIQUE USING INDEX ui;\n"
     "CREATE TABLE w (x int REFERENCES u (id))", True),
    ("CREATE TABLE p (LIKE t INCLUDING ALL);\nCREATE TABLE w (x int REFERENCES p (id))", True),
    ("CREATE UNIQUE INDEX ON u (id);\nCREATE TABLE p (LIKE u INCLUDING INDEXES);\n"
     "CREATE TABLE w (x int REFERENCES p (id))", True),
    ("CREATE TABLE p (id int PRIMARY KEY) PARTITION BY RANGE (id);\n"
     "CREATE TABLE w (x int REFERENCES p (id))", True),
    ("CREATE TABLE p (id int, k int UNIQUE);\nALTER TABLE p RENAME COLUMN k TO z;\n"
     "CREATE UNIQUE INDEX pi ON p (id) NULLS NOT DISTINCT;\n"
     "CREATE TABLE w (x int REFERENCES p (z), y int REFERENCES p (id))", True),
    ("CREATE TABLE p (id int);\nALTER TABLE p ADD CONSTRAINT pk PRIMARY KEY (id);\n"
     "ALTER TABLE p RENAME CONSTRAINT pk TO pk2;\nCREATE TABLE w (x int REFERENCES p)", True),
    # a table kept verbatim names its own columns in its keys
    ("CREATE TABLE w (x int COMPRESSION pglz, UNIQUE (nope))", False),
    ("CREATE TABLE w (x int, UNIQUE (nope)) ON COMMIT DELETE ROWS", False),
    ("CREATE TEMPORARY TABLE w (x int, CONSTRAINT k PRIMARY KEY (x, y))", False),
    ("CREATE TEMP TABLE w (x int, y int, UNIQUE NULLS DISTINCT (x, z))", False),
    ("CREATE TEMP TABLE w (x int, EXCLUDE (x WITH =), UNIQUE (exclude))", False),
    ("CREATE TEMP TABLE w (x int, \"Y\" int, CONSTRAINT k PRIMARY KEY (x, \"Y\"), "
     "UNIQUE NULLS NOT DISTINCT (x))", True),
    ("CREATE TEMP TABLE w (x int, UNIQUE (a)) INHERITS (t)", True),
    ("CREATE TEMP TABLE w (LIKE t, UNIQUE (a))", True),
    ("CREATE TYPE ty AS (x int);\nCREATE TABLE w OF ty (UNIQUE (x))", True),
    ("CREATE UNLOGGED TABLE w (x int, UNIQUE (x)) WITH (fillfactor = 70)", True),
    ("CREATE TEMP TABLE w (exclude int, x int, EXCLUDE USING btree (x WITH =), "
     "UNIQUE (exclude))", True),
    # a prefix - takes no string alone nor a column of a type no - takes
    ("SELECT - 'bob' || 'x'", False),
    ("CREATE VIEW v AS SELECT - 'bob' || 'x' AS y", False),
    ("SELECT - 'bob' AS x", False),
    ("SELECT - 'a' COLLATE \"C\"", False),
    ("SELECT - '1' ^ 2", False),
    ("SELECT - '1' IS NULL", False),
    ("SELECT - '1' FROM t", False),
    ("CREATE VIEW v AS SELECT id, - b FROM t", False),
    ("CREATE VIEW v AS SELECT id, -b AS x FROM t", False),
    ("CREATE VIEW v AS SELECT id, - t.b AS x FROM t", False),
    ("CREATE TABLE w (d varchar(3));\nCREATE VIEW v AS SELECT - d FROM w", False),
    ("CREATE TABLE w (d boolean);\nCREATE VIEW v AS SELECT - d FROM w", False),
    ("CREATE TABLE w (d date);\nCREATE VIEW v AS SELECT - d FROM w", False),
    ("CREATE TABLE w (d jsonb);\nCREATE VIEW v AS SELECT - d FROM w", False),
    ("SELECT - '1'::int + 2, - '1'::int AS x, (- 1) || 'x'", True),
    ("CREATE VIEW v AS SELECT id, - a, - b::int AS y, -(b)::int AS z FROM t", True),
    ("CREATE VIEW v AS SELECT - x.b FROM t, u x(b)", True),
    ("CREATE TABLE w (l numeric, m interval, n float8);\n"
     "CREATE VIEW v AS SELECT - l AS l, - m AS m, -n AS n FROM w", True),
    # a column-name key word is no routine argument's name
    ("CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "REVOKE EXECUTE ON FUNCTION f(int text) FROM public", False),
    ("CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "GRANT EXECUTE ON FUNCTION f(varchar text) TO public", False),
    ("CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "DROP FUNCTION f(bigint text)", False),
    ("CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "COMMENT ON FUNCTION f(int text) IS 'x'", False),
    ("CREATE FUNCTION f(a int, boolean text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f(OUT int text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f(numeric integer) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f(time timestamptz) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f(interval day, bit varying, national character varying, time without "
     "time zone, timestamp(3) with time zone, character varying(3), dec(10,2), float(24), "
     "int[], integer ARRAY, double precision, char varying, interval minute to second) "
     "RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "REVOKE EXECUTE ON FUNCTION f(interval day, bit varying, national character varying, "
     "time without time zone, timestamp(3) with time zone, character varying(3), dec(10,2), "
     "float(24), int[], integer ARRAY, double precision, char varying, interval minute to "
     "second) FROM public", True),
    ("CREATE FUNCTION f(int4 text, \"int\" text, json text, authorization int, binary int) "
     "RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "REVOKE EXECUTE ON FUNCTION f(x text, IN y text, text, int, int) FROM public",
     "before 16"),
    ("CREATE FUNCTION f(int4 text, \"int\" text, authorization int, binary int) "
     "RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "REVOKE EXECUTE ON FUNCTION f(x text, IN y text, int, int) FROM public", True),
    # lower, upper, initcap and md5 take one argument
    ("CREATE TABLE w (cod text, e text);\nCREATE INDEX ON w (lower(cod,e))", False),
    ("CREATE TABLE w (cod text, e int);\nCREATE INDEX ON w (upper(cod, e), lower(cod))", False),
    ("CREATE TABLE w (cod text, e text);\nCREATE INDEX ON w (lower(cod, 'x'))", False),
    ("CREATE TABLE w (cod text, e text);\nCREATE INDEX ON w ((lower(cod) || e))", True),
    ("CREATE TABLE w (cod varchar(5), e text);\n"
     "CREATE INDEX ON w (lower(cod), upper(e), md5(e), initcap(cod))", True),
    ("CREATE TABLE w (cod text, e text);\nCREATE FUNCTION lower(text, text) RETURNS text "
     "LANGUAGE sql IMMUTABLE AS $$ SELECT $1 $$;\nCREATE INDEX ON w (lower(cod, e))", True),
    ("CREATE TABLE w (r int4range);\nCREATE INDEX ON w (lower(r))", True),
    # a data statement's typed constant names a type that exists
    ("UPDATE t SET b = coalesce(b, id '')", False),
    ("INSERT INTO t (id, b) VALUES (1, coalesce(NULL, id ''))", False),
    ("INSERT INTO t (id, b) SELECT 1, nope 'x'", False),
    ("UPDATE t SET b = 'x', a = (SELECT count(*) FROM u WHERE c = nope '1')", False),
    ("CREATE TYPE mood AS ENUM ('ok');\n"
     "CREATE TABLE w (m mood, x text, i interval, z timestamptz, bb bit(2), y text);\n"
     "INSERT INTO w VALUES (mood 'ok', E'x', interval '1 day', timestamp with time zone "
     "'2020-01-01', B'01', U&'d\\0061t');\n"
     "UPDATE w SET x = text 'a', i = interval '2 days', z = timestamptz '2020-01-01', "
     "m = public.mood 'ok' WHERE x LIKE 'a' ESCAPE '!'", True),
    ("INSERT INTO t (id, b) SELECT 1, varchar 'x' FROM u WHERE c = int4 '1'", True),
    ("CREATE EXTENSION citext;\nCREATE TABLE w (x citext);\nINSERT INTO w VALUES (citext 'A');\n"
     "UPDATE w SET x = trim(both ' ' FROM citext 'b')", True),
    # a policy's command takes USING, WITH CHECK or both
    (_RLS + "CREATE POLICY p ON t FOR SELECT USING (true);\n"
     "ALTER POLICY p ON t WITH CHECK (a > 0)", False),
    (_RLS + "CREATE POLICY p ON t FOR DELETE USING (true);\n"
     "ALTER POLICY p ON t WITH CHECK (a > 0)", False),
    (_RLS + "CREATE POLICY p ON t FOR INSERT WITH CHECK (true);\n"
     "ALTER POLICY p ON t USING (a > 0)", False),
    (_RLS + "CREATE POLICY p ON t FOR SELECT USING (true);\nALTER POLICY p ON t RENAME TO q;\n"
     "ALTER POLICY q ON t TO public WITH CHECK (a > 0)", False),
    ("CREATE POLICY p ON t FOR SELECT USING (true) WITH CHECK (true)", False),
    ("CREATE POLICY p ON t FOR DELETE WITH CHECK (true)", False),
    ("CREATE POLICY p ON t FOR INSERT USING (true)", False),
    ("CREATE POLICY p ON t AS RESTRICTIVE FOR INSERT TO public USING (true) WITH CHECK (true)",
     False),
    (_RLS + "CREATE POLICY p ON t FOR INSERT WITH CHECK (true);\n"
     "ALTER POLICY p ON t WITH CHECK (a > 0)", True),
    (_RLS + "CREATE POLICY p ON t FOR UPDATE USING (true);\n"
     "ALTER POLICY p ON t WITH CHECK (a > 0)", True),
    (_RLS + "CREATE POLICY p ON t USING (true);\n"
     "ALTER POLICY p ON t USING (a > 0) WITH CHECK (a > 0)", True),
    (_RLS + "CREATE POLICY p ON t FOR SELECT USING (true);\nALTER POLICY p ON t USING (a > 0);\n"
     "ALTER POLICY p ON t TO public", True),
    ("CREATE POLICY p ON t FOR UPDATE USING (true) WITH CHECK (true);\n"
     "CREATE POLICY q ON t FOR ALL WITH CHECK (true);\n"
     "CREATE POLICY r ON t FOR delete USING (a > 0);\n"
     "CREATE POLICY s ON t FOR insert TO public WITH CHECK (a > 0)", True),
]


@pytest.mark.parametrize(("statements", "verdict"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statements: str, verdict: bool | str) -> None:
    assert_verdict(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], verdict)
