"""What the fold models it checks as PostgreSQL would (issue 15), for kinds of statement
``squash`` exited 0 on while PostgreSQL 15 refuses them: a view naming a column twice
(``SELECT a, a``, ``SELECT * FROM t JOIN u ON ...`` where both have ``id``); ``CREATE OR
REPLACE`` of a routine changing its kind, its ``OUT`` parameters' row, an input parameter's
name or dropping a default; ``CAST(1 AS varchar())``; a PL/pgSQL ``RETURN`` value with
``UNION`` or ``INTO``, a ``PERFORM`` call's argument with a label; an index's built-in
operator class on a column of another built-in type (``(b int4_ops)`` on text); a column's
``DEFAULT true IS NOT NULL``. Each case is asked
of a real PostgreSQL in the same test, beside valid neighbours, and the fold's verdict must
agree: refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike, first_line, refusal
from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

_PL = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ "

#: (statements after SETUP, apart at ";\n"; whether PostgreSQL takes them)
CASES: list[tuple[str, bool]] = [
    # a view's columns are named once each
    ("CREATE VIEW v AS SELECT * FROM t JOIN u ON t.id = u.id", False),
    ("CREATE VIEW v AS SELECT a, a FROM t", False),
    ("CREATE MATERIALIZED VIEW w AS SELECT a, a FROM t", False),
    ("CREATE MATERIALIZED VIEW IF NOT EXISTS w AS SELECT a, a FROM t", False),
    ("CREATE OR REPLACE VIEW v AS SELECT a, a FROM t", False),
    ("CREATE VIEW t AS SELECT a, a FROM t", False),
    ("CREATE VIEW v (x, x) AS SELECT a, b FROM t", False),
    ("CREATE VIEW v (a) AS SELECT b, a FROM t", False),
    ("CREATE VIEW v (x) AS SELECT * FROM t JOIN u ON true", True),
    ("CREATE VIEW v AS SELECT a, a FROM t UNION SELECT c, id FROM u", False),
    ("CREATE VIEW v AS SELECT t.*, u.* FROM t, u", False),
    ("CREATE VIEW v AS SELECT * FROM t t1, t t2", False),
    ("CREATE VIEW v AS SELECT id, * FROM t", False),
    ("CREATE VIEW v AS SELECT *, * FROM u", False),
    ("CREATE VIEW v AS SELECT a, b a FROM t", False),
    ("CREATE VIEW v AS SELECT DISTINCT a, a FROM t", False),
    ("CREATE VIEW v AS SELECT a AS x, b AS x FROM t", False),
    ("CREATE VIEW v AS SELECT a AS from, b AS from FROM t", False),
    ("CREATE VIEW v AS SELECT t.a, x.a FROM t, t x", False),
    ("CREATE VIEW v AS SELECT \"id\", id FROM t", False),
    ("CREATE VIEW v AS SELECT t, t.a AS t FROM t", False),
    ("CREATE VIEW v AS SELECT * FROM t LEFT JOIN u ON left(t.b, 1) = 'x'", False),
    ("CREATE VIEW v AS SELECT * FROM t CROSS JOIN u", False),
    ("CREATE VIEW v AS SELECT * FROM public.t FULL OUTER JOIN public.u ON true WHERE t.a = 1",
     False),
    ("CREATE VIEW v AS SELECT t.id, u.* FROM t LEFT JOIN u ON u.id = t.id", False),
    ("CREATE VIEW w AS SELECT a, b FROM t;\nCREATE VIEW v AS SELECT * FROM w, t", False),
    ("CREATE TABLE w (z int, q int);\nALTER TABLE w RENAME COLUMN z TO id;\n"
     "CREATE VIEW v AS SELECT * FROM w, t", False),
    ("CREATE SCHEMA s;\nCREATE TABLE s.t (id int, z int);\nCREATE VIEW v AS SELECT * FROM s.t, u",
     False),
    ("CREATE VIEW v AS SELECT * FROM t JOIN u USING (id)", True),
    ("CREATE VIEW v AS SELECT * FROM t NATURAL JOIN u", True),
    ("CREATE VIEW v AS SELECT t.id, u.id AS uid FROM t JOIN u ON t.id = u.id", True),
    ("SELECT * FROM t JOIN u ON t.id = u.id;\nSELECT a, a FROM t", True),
    ("CREATE VIEW v AS SELECT count(*) FROM (SELECT a, a FROM t) s", True),
    ("CREATE VIEW v (x, y) AS SELECT a, a FROM t", True),
    ("CREATE VIEW v (x) AS SELECT a, a FROM t", True),
    ("CREATE VIEW v (id) AS SELECT * FROM t", True),
    ("CREATE VIEW v AS SELECT a AS A, a AS \"A\", a \"a \" FROM t", True),
    ("CREATE VIEW v AS SELECT a FROM t UNION SELECT c FROM u", True),
    ("CREATE VIEW v AS WITH x AS (SELECT a, a FROM t) SELECT 1", True),
    ("CREATE VIEW v AS SELECT t.*, u.c FROM t, u", True),
    ("CREATE VIEW v AS SELECT u.* FROM t, u", True),
    ("CREATE VIEW v AS SELECT x.id, y.id AS id2 FROM t x CROSS JOIN t y", True),
    ("CREATE VIEW v AS SELECT t.id AS tid, u.* FROM t LEFT JOIN u ON u.id = t.id", True),
    ("CREATE VIEW v AS SELECT current_catalog, a AS b, b AS as, id AS from FROM t", True),
    ("CREATE VIEW v AS SELECT a IS NULL AS x1, a ISNULL AS x2, a NOTNULL AS x3, "
     "b COLLATE \"C\" AS x4, a IS DISTINCT FROM 1, b FROM t", True),
    ("CREATE VIEW v AS SELECT a, (SELECT c FROM u LIMIT 1) AS a2, b AS \"b \" FROM t "
     "ORDER BY a", True),
    ("CREATE VIEW v AS SELECT a, b FROM t GROUP BY a, b HAVING count(*) > 1 UNION ALL "
     "SELECT c, 'x' FROM u", True),
    ("CREATE VIEW w AS SELECT a, b FROM t;\nCREATE VIEW v AS SELECT w.*, t.id FROM w, t", True),
    ("CREATE TABLE w (id int, q int);\nALTER TABLE w DROP COLUMN id;\n"
     "CREATE VIEW v AS SELECT * FROM w, t", True),
    ("CREATE SCHEMA s;\nCREATE TABLE s.t (q int, z int);\nCREATE VIEW v AS SELECT * FROM s.t, u",
     True),
    ("CREATE MATERIALIZED VIEW w AS SELECT a FROM t;\n"
     "CREATE MATERIALIZED VIEW IF NOT EXISTS w AS SELECT a, a FROM t", True),
    # CREATE OR REPLACE keeps a routine's kind, result, input names and defaults
    ("CREATE FUNCTION f(x int, OUT y int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT y text) LANGUAGE sql AS $$ SELECT 'a' $$", False),
    ("CREATE FUNCTION f(x int, OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT a int) LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f(x int, OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT a int, OUT c int) LANGUAGE sql AS $$ SELECT 1, 2 "
     "$$", False),
    ("CREATE FUNCTION f(x int, OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT a int, OUT b text) LANGUAGE sql AS $$ "
     "SELECT 1, 'x' $$", False),
    ("CREATE FUNCTION f(x int, OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int) RETURNS TABLE (a int, b int) LANGUAGE sql AS $$ "
     "SELECT 1, 2 $$", False),
    ("CREATE FUNCTION f(x int, OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int) RETURNS record LANGUAGE sql AS $$ SELECT 1, 2 $$",
     False),
    ("CREATE FUNCTION f(x int) RETURNS record LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 "
     "$$", False),
    ("CREATE FUNCTION f(x int, OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT a int, OUT int) LANGUAGE sql AS $$ SELECT 1, 2 $$",
     False),
    ("CREATE FUNCTION f(x int, OUT a int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int) RETURNS bigint LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f(x int) RETURNS TABLE (a int, b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int) RETURNS TABLE (a int, \"B\" int) LANGUAGE sql AS $$ "
     "SELECT 1, 2 $$", False),
    ("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(y int) RETURNS int LANGUAGE sql AS $$ SELECT 2 $$", False),
    ("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT 2 $$", False),
    ("CREATE FUNCTION f(INOUT x int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(INOUT y int) LANGUAGE sql AS $$ SELECT 2 $$", False),
    ("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "ALTER FUNCTION f(int) RENAME TO g;\n"
     "CREATE OR REPLACE FUNCTION g(y int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f(x int, y int DEFAULT 1) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, y int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
     False),
    ("CREATE PROCEDURE p(x int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE PROCEDURE p(x int, OUT y int) LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE PROCEDURE p(x int, OUT y int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE PROCEDURE p(x int, OUT z int) LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE PROCEDURE p(x int, OUT y int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE PROCEDURE p(x int, OUT y text) LANGUAGE sql AS $$ SELECT 'a' $$", False),
    ("CREATE PROCEDURE p(x int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE PROCEDURE p(y int) LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE PROCEDURE f() LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE PROCEDURE f() LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN "
     "RETURN x; END $$", True),
    ("CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT 2 $$", True),
    ("CREATE FUNCTION f(x int, y int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(X int, \"y\" int) RETURNS int LANGUAGE sql AS $$ SELECT 2 $$",
     True),
    ("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x text) RETURNS text LANGUAGE sql AS $$ SELECT 'a' $$", True),
    ("CREATE FUNCTION f(INOUT x int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(INOUT x text) LANGUAGE sql AS $$ SELECT 'a' $$", True),
    ("CREATE FUNCTION f(x int, OUT y int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT z int) LANGUAGE sql AS $$ SELECT 1 $$", True),
    ("CREATE FUNCTION f(x int, OUT a int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", True),
    ("CREATE FUNCTION f() RETURNS TABLE (a int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f() RETURNS TABLE (b int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f() RETURNS SETOF int LANGUAGE sql AS $$ SELECT 1 $$", True),
    ("CREATE FUNCTION f(x int, OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT a integer, OUT b int4) RETURNS record "
     "LANGUAGE sql AS $$ SELECT 1, 2 $$", True),
    ("CREATE FUNCTION f(x int, OUT a varchar(3), OUT b timestamptz) LANGUAGE sql AS $$ "
     "SELECT 'a', now() $$;\nCREATE OR REPLACE FUNCTION f(x int, OUT a varchar(5), "
     "OUT b timestamp with time zone) LANGUAGE sql AS $$ SELECT 'a', now() $$", True),
    ("CREATE FUNCTION f(x int, OUT a int, OUT int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT a int, OUT column2 int) LANGUAGE sql AS $$ "
     "SELECT 1, 2 $$", True),
    ("CREATE FUNCTION f(x int) RETURNS TABLE (a int, b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT a int, OUT b int) RETURNS SETOF record "
     "LANGUAGE sql AS $$ SELECT 1, 2 $$", True),
    ("CREATE FUNCTION f(INOUT x int, OUT y int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int, OUT x int, OUT y int) LANGUAGE sql AS $$ SELECT 1, 2 "
     "$$", True),
    ("CREATE FUNCTION f(x int, y int DEFAULT 1) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION f(x int DEFAULT 0, y int = 1) RETURNS int LANGUAGE sql AS $$ "
     "SELECT 1 $$", True),
    ("CREATE PROCEDURE p(INOUT x int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE PROCEDURE p(INOUT x int) LANGUAGE plpgsql AS $$ BEGIN x := 2; END $$",
     True),
    ("CREATE PROCEDURE p(int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE PROCEDURE p(x int) LANGUAGE sql AS $$ SELECT 2 $$", True),
    # a CAST's type has one or more modifiers, or none
    ("SELECT CAST(1 AS varchar())", False),
    ("SELECT CAST(1 AS int())", False),
    ("CREATE VIEW v AS SELECT CAST(a AS numeric()) FROM t", False),
    ("SELECT CAST(1 AS pg_catalog.varchar())", False),
    ("SELECT CAST(1 AS character varying())", False),
    ("SELECT CAST(1 AS double precision())", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN CAST(1 AS varchar()); "
     "END $$", False),
    ("SELECT CAST(1 AS varchar(3)), CAST(1 AS int), CAST(b AS text), CAST((SELECT 1 AS x) AS "
     "text), CAST(ARRAY[1] AS int[]) FROM t", True),
    ("SELECT lower(CAST(b AS varchar)) AS varchar, a AS int FROM t", True),
    # PL/pgSQL reads a RETURN's or an assignment's value as a select list with its clauses but
    # no set operation nor INTO; PERFORM's as a SELECT's
    (_PL + "BEGIN RETURN 1 UNION SELECT 2; END $$", False),
    (_PL + "BEGIN RETURN 1 INTERSECT SELECT 1; END $$", False),
    (_PL + "DECLARE x int; BEGIN RETURN 1 INTO x; END $$", False),
    (_PL + "DECLARE x int; BEGIN RETURN x INTO; END $$", False),
    (_PL + "DECLARE x int; BEGIN x := 1 UNION SELECT 2; RETURN x; END $$", False),
    (_PL + "DECLARE x int; BEGIN x := 1 INTO x; RETURN x; END $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; RETURN 1 UNION "
     "SELECT 2; END", False),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM lower(NEW.b x); "
     "RETURN NEW; END $$", False),
    (_PL + "BEGIN PERFORM lower('a' x); RETURN 1; END $$", False),
    (_PL + "BEGIN PERFORM a b c FROM t; RETURN 1; END $$", False),
    (_PL + "BEGIN RETURN (SELECT 1 UNION SELECT 2 LIMIT 1); END $$", True),
    (_PL + "BEGIN RETURN a FROM t WHERE true ORDER BY 1 LIMIT 1; END $$", True),
    ("CREATE FUNCTION f() RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN RETURN NEXT 1; "
     "RETURN QUERY SELECT 1 UNION SELECT 2; RETURN; END $$", True),
    (_PL + "DECLARE x int; BEGIN SELECT 1 INTO x; PERFORM 1 INTO x; PERFORM 1 UNION SELECT 2; "
     "x := (SELECT a FROM t UNION SELECT c FROM u LIMIT 1); x = a FROM t WHERE id = 1; "
     "RETURN x; END $$", True),
    (_PL + "DECLARE r record; BEGIN FOR r IN SELECT 1 AS a UNION SELECT 2 LOOP RETURN r.a; "
     "END LOOP; RETURN 0; END $$", True),
    (_PL + "BEGIN RETURN t.into FROM (SELECT 1 AS into) t; END $$", True),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM lower(NEW.b); "
     "PERFORM lower(NEW.b) x; PERFORM lower(NEW.b COLLATE \"C\"); PERFORM pg_notify('ch', "
     "json_build_object('id', NEW.id, 'op', TG_OP)::text); RETURN NEW; END $$", True),
    (_PL + "BEGIN PERFORM * FROM t; PERFORM 1 FROM t FOR UPDATE; PERFORM DISTINCT a FROM t; "
     "PERFORM (SELECT 1); PERFORM x.a FROM t x; PERFORM count(a) n, sum(a) s FROM t; "
     "PERFORM FROM t; PERFORM; PERFORM ALL 1; PERFORM DISTINCT ON (a) a FROM t; RETURN 1; "
     "END $$", True),
    (_PL + "BEGIN IF true THEN PERFORM 1; ELSE PERFORM 2; END IF; LOOP PERFORM 3; EXIT; "
     "END LOOP; RETURN 1; EXCEPTION WHEN others THEN PERFORM 4; RETURN 0; END $$", True),
    # a built-in operator class takes its own type
    ("CREATE INDEX ON t (b int4_ops)", False),
    ("CREATE INDEX ON t USING hash (b int4_ops)", False),
    ("CREATE INDEX ON t (a text_pattern_ops)", False),
    ("CREATE TABLE w (x int);\nCREATE INDEX ON w USING hash (x int8_ops)", False),
    ("CREATE TABLE w (x timestamptz);\nCREATE INDEX ON w (x timestamp_ops)", False),
    ("CREATE INDEX ON t (b COLLATE \"C\" text_pattern_ops, a int4_ops DESC)", True),
    ("CREATE TABLE w (x varchar(10), y serial, z int8, q bool, r timestamptz, s char(3));\n"
     "CREATE INDEX ON w (x text_ops, y int4_ops, z int8_ops, q bool_ops, r timestamptz_ops, "
     "s bpchar_pattern_ops);\nCREATE INDEX ON w (x text_pattern_ops)", True),
    ("CREATE DOMAIN d AS int;\nCREATE TABLE w (x d);\nCREATE INDEX ON w (x int4_ops)", True),
    ("CREATE TABLE w (x jsonb);\nCREATE INDEX ON w USING gin (x jsonb_ops);\n"
     "CREATE INDEX ON w (x jsonb_ops)", True),
    # a column's DEFAULT is a b_expr: no IS [NOT] NULL (ALTER COLUMN SET DEFAULT's is an a_expr)
    ("CREATE TABLE w (x int DEFAULT true IS NOT NULL)", False),
    ("CREATE TABLE w (x boolean DEFAULT true IS NULL)", False),
    ("ALTER TABLE t ADD COLUMN x boolean DEFAULT 1 IS NOT NULL", False),
    ("CREATE TABLE w (x boolean DEFAULT (true IS NOT NULL), y boolean DEFAULT 1 IS DISTINCT "
     "FROM 2 NOT NULL, z int DEFAULT 1 NOT NULL, q int DEFAULT NULL NULL, r boolean DEFAULT 1 "
     "IS NOT DISTINCT FROM 2 NOT NULL, s boolean NOT NULL DEFAULT false)", True),
    ("ALTER TABLE t ADD COLUMN x boolean;\n"
     "ALTER TABLE t ALTER COLUMN x SET DEFAULT true IS NOT NULL", True),
]


@pytest.mark.parametrize(("statements", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statements: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], valid)


@pytest.mark.parametrize("statement", ["CREATE VIEW v AS SELECT * FROM t JOIN u ON t.id = u.id",
                                       "CREATE VIEW v (x, x) AS SELECT a, b FROM t"])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, statement]))
    with pytest.raises(InputError) as refused:
        fold_sql(";\n".join([*SETUP, statement]) + ";\n")
    assert f"<sql>:3: {said}" in str(refused.value)
