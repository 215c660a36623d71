"""False refusals found by writing migration statements the way projects write them and asking
PostgreSQL 15 and the fold about each: statements PostgreSQL applies that ``squash`` refused
(exit 2), each beside its nearest neighbour PostgreSQL refuses, which the fold must still refuse.
Every verdict is asked of a real PostgreSQL in the same test; PostgreSQL's message must hold the
error fragment, and so must the fold's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postgresql_verdict import assert_refused_alike
from schemafold import fold_sql
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # PL/pgSQL's integer FOR loop whose upper bound is signed: 1..-1 is a range, not a '.'
    # before an operator
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ DECLARE i int; BEGIN "
     "FOR i IN -5..-1 LOOP NULL; END LOOP; FOR i IN REVERSE 1 .. -3 BY 2 LOOP NULL; END LOOP; "
     "FOR i IN 0..+2 LOOP NULL; END LOOP; END $$", None),
    ("DO $$ BEGIN FOR i IN 10..-10 BY 5 LOOP RAISE NOTICE '%', i; END LOOP; END $$", None),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ DECLARE i int; BEGIN "
     "FOR i IN 1..-1 LOOP NULL; END LOOP $$", "syntax error at end of input"),
    # setval(pg_get_serial_sequence('t', 'c'), ...) on a column that owns no sequence: NULL,
    # and setval, strict, does nothing; a column that does not exist is still refused
    ("SELECT setval(pg_get_serial_sequence('t', 'id'), coalesce(max(id), 1)) FROM t", None),
    ("CREATE SEQUENCE s;\nCREATE TABLE w (id int DEFAULT nextval('s'));\n"
     "SELECT setval(pg_get_serial_sequence('w', 'id'), 5)", None),
    ("CREATE TABLE w (id serial);\nALTER TABLE w RENAME COLUMN id TO ident;\n"
     "SELECT setval(pg_get_serial_sequence('w', 'ident'), 70)", None),
    ("SELECT setval(pg_get_serial_sequence('t', 'nope'), 1)",
     'column "nope" of relation "t" does not exist'),
    ("SELECT setval(pg_get_serial_sequence('t', 'ID'), 1)",
     'column "ID" of relation "t" does not exist'),
    # a routine's argument types written otherwise than at its creation: qualified or not,
    # a column's %TYPE; a type that is another, or none, is still refused
    ("CREATE FUNCTION f(a t) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "DROP FUNCTION f(public.t)", None),
    ("CREATE TYPE mood AS ENUM ('a');\n"
     "CREATE FUNCTION f(a public.mood, b t[]) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "COMMENT ON FUNCTION f(mood, public.t[]) IS 'x';\n"
     "GRANT EXECUTE ON FUNCTION f(\"public\".\"mood\", t[]) TO PUBLIC", None),
    ("CREATE FUNCTION f(a t.a%TYPE) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "DROP FUNCTION f(integer)", None),
    ("CREATE FUNCTION f(p t) RETURNS text LANGUAGE sql AS 'SELECT p.b';\n"
     "CREATE OR REPLACE FUNCTION public.f(p public.t) RETURNS text LANGUAGE sql AS "
     "'SELECT upper(p.b)';\nDROP FUNCTION f(t)", None),
    ("CREATE FUNCTION f(p t) RETURNS text LANGUAGE sql AS 'SELECT p.b';\n"
     "CREATE FUNCTION public.f(p public.t) RETURNS text LANGUAGE sql AS 'SELECT p.b'",
     'function "f" already exists with same argument types'),
    ("CREATE FUNCTION f(a t) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "DROP FUNCTION f(public.u)", "function f("),
    ("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "DROP FUNCTION f(t.b%TYPE)", "function f("),
    ("CREATE SCHEMA s;\nCREATE TYPE s.e AS ENUM ('a');\nCREATE TYPE e AS ENUM ('b');\n"
     "CREATE FUNCTION f(a s.e) RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP FUNCTION f(e)",
     "function f(e) does not exist"),
    # type names PostgreSQL reads as another's: float(p), dec, national character varying,
    # an interval's fields, an array's dimensions; "char" is not character
    ("CREATE FUNCTION f(x float(10), y float(25), z dec, w national character varying(3), "
     "v interval day to second, q int[][]) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "DROP FUNCTION f(real, double precision, numeric, varchar, interval, integer[])", None),
    ("CREATE FUNCTION f(x float(24)) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "DROP FUNCTION f(float8)", "function f(double precision) does not exist"),
    ("CREATE FUNCTION f(x \"char\") RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "DROP FUNCTION f(pg_catalog.\"char\")", None),
    ("CREATE FUNCTION f(x \"char\") RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
     "DROP FUNCTION f(char)", "function f(character) does not exist"),
    # the special values strtod reads for real and double precision; numeric has no such
    ("CREATE TABLE w (id int, f float8, r real);\nINSERT INTO w VALUES (1, '-NaN', '+nan'), "
     "(2, 'nan(123)', 'NAN()'), (3, '+INFINITY', '-Inf'), (4, ' -nan ', 'inFinity')", None),
    ("CREATE TABLE w (id int, f float8);\nINSERT INTO w VALUES (1, 'nan(12')",
     'invalid input syntax for type double precision: "nan(12"'),
    ("CREATE TABLE w (id int, n numeric);\nINSERT INTO w VALUES (1, '-NaN')",
     'invalid input syntax for type numeric: "-NaN"'),
    # one DROP naming a table and the tables referencing it, a view and the views reading it:
    # PostgreSQL drops them together; what depends on them and is not named still refuses
    ("CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, "
     "pid int REFERENCES p);\nCREATE TABLE g (cid int REFERENCES c);\nDROP TABLE p, c, g", None),
    ("CREATE TABLE a (id int PRIMARY KEY, b_id int);\nCREATE TABLE b (id int PRIMARY KEY, "
     "a_id int REFERENCES a);\nALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b;\n"
     "DROP TABLE IF EXISTS a, b, nope", None),
    ("CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, "
     "pid int REFERENCES p);\nCREATE TABLE g (cid int REFERENCES c);\nDROP TABLE p, c",
     "depend on"),
    ("CREATE VIEW v1 AS SELECT id FROM t;\nCREATE VIEW v2 AS SELECT id FROM v1;\n"
     "CREATE VIEW v3 AS SELECT id FROM v2;\nDROP VIEW v1, v2, v3;\nDROP TABLE t", None),
    ("CREATE MATERIALIZED VIEW m1 AS SELECT id FROM t;\n"
     "CREATE MATERIALIZED VIEW m2 AS SELECT id FROM m1;\nDROP MATERIALIZED VIEW m1, m2", None),
    ("CREATE VIEW v1 AS SELECT id FROM t;\nCREATE VIEW v2 AS SELECT id FROM v1;\n"
     "CREATE VIEW v3 AS SELECT id FROM v2;\nDROP VIEW v1, v2", "depend"),
    # a statement's SET DEFAULT is read as the type its ALTER ... TYPE gives the column, in
    # either order (PostgreSQL changes types in an earlier pass)
    ("ALTER TABLE t ALTER COLUMN a SET DEFAULT 'x', ALTER COLUMN a TYPE text", None),
    ("ALTER TABLE t ALTER COLUMN b SET DEFAULT '5', ALTER COLUMN b TYPE int USING b::int;\n"
     "INSERT INTO t (id) VALUES (1)", None),
    ("ALTER TABLE t ALTER COLUMN b SET DEFAULT 'five', ALTER COLUMN b TYPE int USING b::int",
     'invalid input syntax for type integer: "five"'),
    ("ALTER TABLE t ALTER COLUMN a SET DEFAULT 'x', ALTER COLUMN b TYPE varchar(5)",
     'invalid input syntax for type integer: "x"'),
    # names a type and a relation share only where PostgreSQL's catalogs do: an enum, domain or
    # range type may take a sequence's or an index's name, an index an enum's; a composite
    # type is a relation too, and a sequence, table or view checks the types' names
    ("CREATE SEQUENCE s;\nCREATE TYPE s AS ENUM ('a');\nCREATE INDEX ix ON t (a);\n"
     "CREATE DOMAIN ix AS int;\nCREATE TYPE e AS ENUM ('a');\nCREATE INDEX e ON t (b)", None),
    ("CREATE INDEX ix ON t (a);\nCREATE TYPE ix AS (x int)", "already exists"),
    ("CREATE TYPE c AS (x int);\nCREATE INDEX c ON t (a)", 'relation "c" already exists'),
    ("CREATE TYPE e AS ENUM ('a');\nCREATE SEQUENCE e", "already exists"),
    ("CREATE VIEW vv AS SELECT 1 AS x;\nCREATE TYPE vv AS ENUM ('a')",
     'type "vv" already exists'),
    ("CREATE TYPE mood AS ENUM ('a');\nCREATE SEQUENCE s;\nALTER SEQUENCE s RENAME TO mood;\n"
     "CREATE INDEX i ON t (a);\nALTER INDEX i RENAME TO t_ix;\nCREATE TYPE t_ix AS ENUM ('b')",
     None),
    ("CREATE SCHEMA s;\nCREATE TYPE s.mood AS ENUM ('a');\nCREATE INDEX mood ON t (a);\n"
     "ALTER TYPE s.mood SET SCHEMA public", None),
    ("CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE w (id int);\nALTER TABLE w RENAME TO mood",
     "already exists"),
    ("CREATE INDEX i ON t (a);\nCREATE TYPE c2 AS (x int);\nALTER TYPE c2 RENAME TO i",
     "already exists"),
    # COMMENT ON COLUMN on a composite type's attribute
    ("CREATE TYPE pair AS (x int, y text);\nCOMMENT ON COLUMN pair.x IS 'the x';\n"
     "COMMENT ON COLUMN public.pair.y IS 'the y'", None),
    ("CREATE TYPE pair AS (x int, y text);\nCOMMENT ON COLUMN pair.z IS 'no such'",
     'column "z" of relation "pair" does not exist'),
    ("CREATE TYPE mood AS ENUM ('a');\nCOMMENT ON COLUMN mood.a IS 'x'",
     'relation "mood" does not exist'),
]


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_judged_as_postgresql_judges(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, fragment: str | None) -> None:
    assert_refused_alike(pg_cluster, fresh_db(), [*BASE, *statement.split(";\n")], fragment)


def test_setval_of_a_column_owning_no_sequence_changes_nothing() -> None:
    """The sequence a column's default draws from but the column does not own keeps its
    position (``pg_get_serial_sequence`` gives NULL for that column); a serial's is set."""
    result = fold_sql("CREATE SEQUENCE s;\n"
                      "CREATE TABLE w (id int DEFAULT nextval('s'), v int);\n"
                      "INSERT INTO w (v) VALUES (1), (2);\n"
                      "SELECT setval(pg_get_serial_sequence('w', 'id'), 50);\n"
                      "CREATE TABLE x (id serial);\n"
                      "SELECT setval(pg_get_serial_sequence('x', 'id'), 70);\n")
    assert result.data_notes.explicit_sequences == ("public.x_id_seq",)
