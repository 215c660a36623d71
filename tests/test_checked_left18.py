"""What the fold checks as PostgreSQL would (issue 15), for statements ``squash`` exited 0 on
while PostgreSQL 15 refuses them: a reserved or type-or-function-name key word, unquoted, as
a table's, view's, sequence's or column's name (``CREATE TABLE left``, ``ADD COLUMN from``,
``RENAME TO table``; ``system_user``, reserved from 16 on, stays a name); a statement, or a
PL/pgSQL one, ending on ``*`` after an operand (``RETURNING a *``, ``SET a = a *;`` in a
body); an ``UPDATE`` assigning a column twice; a foreign key
referencing a column twice; a unique index of an access method other than btree; a
``COLLATE`` or ``COMPRESSION`` on a column (``COLLATE`` on an index's column) of a type
taking none (``int``); a column-name or reserved key word as a ``RETURNS TABLE`` column's
name (``RETURNS TABLE (int text)``); creating in schema ``public`` under ``SET ROLE`` a
role the history made with nothing giving it ``CREATE`` there (a stop: a cluster upgraded
from 14 takes it). Each case is asked
of a real PostgreSQL in the same test, beside valid neighbours, and the fold's verdict must
agree: refused by both, or taken by both; where the fold cannot judge exactly it stops
folding (a fold limit), which counts as neither refusing what PostgreSQL takes nor taking
what it refuses."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_verdict
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: (statements after SETUP, apart at ";\n"; PostgreSQL's verdict: True taken, False refused,
#: and the fold refuses too; "stop": refused, and the fold stops folding there)
CASES: list[tuple[str, bool | str]] = [
    # a reserved or type-or-function-name key word is no table's, view's, sequence's or
    # column's name unquoted
    ("CREATE TABLE left (x int)", False),
    ("CREATE TABLE t2 (to int)", False),
    ("CREATE TABLE t2 (x int, overlaps text)", False),
    ("ALTER TABLE t ADD COLUMN from int", False),
    ("ALTER TABLE t ADD from int", False),
    ("ALTER TABLE t ADD COLUMN IF NOT EXISTS from int", False),
    ("ALTER TABLE t RENAME TO table", False),
    ("ALTER TABLE t RENAME CONSTRAINT t_pkey TO select", False),
    ("CREATE SEQUENCE left", False),
    ("CREATE VIEW left AS SELECT 1 AS x", False),
    ("CREATE VIEW v (from) AS SELECT 1", False),
    ("CREATE VIEW v (x, overlaps) AS SELECT 1, 2", False),
    ("CREATE TABLE \"left\" (x int, \"to\" int, key int, int int, between int, name text)",
     True),
    ("CREATE TABLE w (x int, system_user int)", "before 16"),
    ("CREATE TABLE public.left (x int)", True),
    ("CREATE TABLE system_user (x int)", "before 16"),
    ("CREATE INDEX system_user ON t (a)", "before 16"),
    ("ALTER TABLE t ADD COLUMN \"from\" int, ADD COLUMN key int, ADD COLUMN precision int", True),
    ("ALTER TABLE t RENAME TO \"table\"", True),
    ("CREATE SEQUENCE public.left", True),
    ("CREATE SEQUENCE key", True),
    ("CREATE VIEW v (x, \"from\", key, between) AS SELECT 1, 2, 3, 4", True),
    ("CREATE VIEW public.left AS SELECT 1 AS x", True),
    # a statement ending on * after an operand in a list of expressions: a file cut short
    ("UPDATE t SET a = 1 RETURNING a *", False),
    ("DELETE FROM t RETURNING id *", False),
    ("INSERT INTO t VALUES (1) RETURNING id, (a) *", False),
    ("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = excluded.a *", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = a *; "
     "END $$", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM t WHERE a = "
     "a *; END $$", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = 1 "
     "RETURNING a *; END $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN x := x *; "
     "RETURN x; END $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN "
     "RETURN x *; END $$", False),
    ("UPDATE t SET a = 1 RETURNING *;\nUPDATE t SET a = 1 RETURNING t.*;\n"
     "UPDATE t SET a = 1 RETURNING a, *;\nUPDATE t SET a = t.a * 2 RETURNING a * 2", True),
    ("LOCK TABLE t *;\nLOCK t, u *;\nTRUNCATE t *;\nTRUNCATE TABLE t, u *;\n"
     "CREATE PUBLICATION pb FOR TABLE t, u *;\nSELECT * FROM t *;\nDELETE FROM t *", True),
    ("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = excluded.a * 2 RETURNING *",
     True),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; r record; BEGIN "
     "UPDATE t SET a = t.a * 2 WHERE t.a > 0; DELETE FROM t *; PERFORM count(*) FROM t; "
     "UPDATE t SET a = 1 RETURNING * INTO r; x := x * 2; RETURN x * x; END $$", True),
    ("CREATE FUNCTION g() RETURNS SETOF t LANGUAGE sql AS $$ SELECT * FROM t * $$", True),
    # an UPDATE assigns a whole column once
    ("UPDATE t SET a = 1, a = 2", False),
    ("UPDATE t SET a = 1, b = 'x', \"a\" = 2", False),
    ("UPDATE t SET a = 1, A = 2 WHERE id = 0", False),
    ("UPDATE t SET a = 1, b = 'x' WHERE id = 0", True),
    ("CREATE TABLE w (x int[]);\nUPDATE w SET x[1] = 1, x[2] = 2", True),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = 1, "
     "a = 2; END $$", True),
    # a foreign key's referenced columns are apart; only btree makes a unique index
    ("CREATE TABLE p (a int, b int, UNIQUE (a, b));\n"
     "CREATE TABLE w (x int, y int, FOREIGN KEY (x, y) REFERENCES p (a, a))", False),
    ("CREATE TABLE p (a int, b int, UNIQUE (a, b));\nCREATE TABLE w (x int, y int);\n"
     "ALTER TABLE w ADD FOREIGN KEY (x, y) REFERENCES p (b, B)", False),
    ("CREATE TABLE w (x int, y int, FOREIGN KEY (x, y) REFERENCES w (x, x))", False),
    ("CREATE TABLE p (a int, b int, UNIQUE (a, b));\n"
     "CREATE TABLE w (x int, y int, FOREIGN KEY (x, y) REFERENCES p (b, a), "
     "FOREIGN KEY (x, x) REFERENCES p (a, b))", True),
    ("CREATE TABLE p (a int, b int, UNIQUE (a, b));\n"
     "CREATE TABLE IF NOT EXISTS t (x int, y int, FOREIGN KEY (x, y) REFERENCES p (a, a))",
     True),
    ("CREATE UNIQUE INDEX ON t USING hash (a)", False),
    ("CREATE UNIQUE INDEX ui ON t USING HASH (a)", False),
    ("CREATE UNIQUE INDEX IF NOT EXISTS t_pkey ON t USING hash (a)", False),
    ("CREATE UNIQUE INDEX ON t USING gist (a)", False),
    ("CREATE UNIQUE INDEX ON t USING gin (a)", False),
    ("CREATE UNIQUE INDEX ON t USING brin (a)", False),
    ("CREATE UNIQUE INDEX ON t USING spgist (b)", False),
    ("CREATE INDEX ON t USING hash (a);\nCREATE UNIQUE INDEX ON t USING btree (a);\n"
     "CREATE UNIQUE INDEX ON t (b);\nALTER TABLE t ADD EXCLUDE USING hash (a WITH =)", True),
    # a type that takes no collation nor compression (written as a key word, or a serial)
    ("CREATE TABLE w (x serial COLLATE \"C\")", False),
    ("CREATE TABLE w (x INTEGER COLLATE \"C\")", False),
    ("CREATE TABLE w (x double precision COLLATE \"C\")", False),
    ("CREATE TABLE w (x int NOT NULL COLLATE pg_catalog.\"C\")", False),
    ("CREATE TABLE w (x int COMPRESSION pglz COLLATE \"C\")", False),
    ("ALTER TABLE t ADD COLUMN z int COLLATE \"C\"", False),
    ("CREATE TABLE w (x bigserial COMPRESSION pglz)", False),
    ("CREATE TABLE w (x int COMPRESSION nosuch)", False),
    ("ALTER TABLE t ADD COLUMN z int COMPRESSION pglz", False),
    ("CREATE INDEX ON t (a COLLATE \"C\")", False),
    ("CREATE INDEX ON t (a COLLATE \"C\" DESC)", False),
    ("CREATE INDEX IF NOT EXISTS t_pkey ON t (a COLLATE \"C\")", False),
    ("CREATE TABLE w (s serial, y bigint, z double precision);\n"
     "CREATE INDEX ON w (z COLLATE \"C\")", False),
    ("CREATE TABLE w (x int COLLATE \"C\" UNIQUE, y text REFERENCES u (id))", False),
    ("CREATE TABLE w (x text COMPRESSION pglz, y jsonb COMPRESSION pglz, "
     "z varchar(3) COLLATE \"C\", n numeric COMPRESSION pglz, d int COMPRESSION default)",
     True),
    ("CREATE TABLE IF NOT EXISTS t (a int COLLATE \"C\");\n"
     "ALTER TABLE t ADD COLUMN IF NOT EXISTS a int COLLATE \"C\";\n"
     "ALTER TABLE t ADD COLUMN IF NOT EXISTS a int COMPRESSION pglz", True),
    ("CREATE INDEX ON t (b COLLATE \"C\", a);\n"
     "CREATE INDEX ON t (id, b COLLATE \"C\" text_pattern_ops);\n"
     "CREATE INDEX ON t ((a::text) COLLATE \"C\");\n"
     "CREATE INDEX ON t (b COLLATE pg_catalog.default text_pattern_ops DESC);\n"
     "CREATE INDEX ON t (b COLLATE pg_catalog.default)", True),
    ("CREATE TABLE w (s serial, y bigint);\nALTER TABLE w ALTER COLUMN y TYPE text;\n"
     "CREATE INDEX ON w (y COLLATE \"C\")", True),
    # a RETURNS TABLE column's name is no column-name nor reserved key word
    ("CREATE FUNCTION f() RETURNS TABLE (int text) LANGUAGE sql AS $$ SELECT 'a' $$", False),
    ("CREATE FUNCTION f() RETURNS TABLE (x int, between text) LANGUAGE sql AS "
     "$$ SELECT 1, 'a' $$", False),
    ("CREATE FUNCTION f() RETURNS TABLE (x int, out text) LANGUAGE sql AS $$ SELECT 1, 'a' $$",
     False),
    ("CREATE FUNCTION f() RETURNS TABLE (x int, setof text) LANGUAGE sql AS "
     "$$ SELECT 1, 'a' $$", False),
    ("CREATE FUNCTION f() RETURNS TABLE (x int, none text) LANGUAGE sql AS $$ SELECT 1, 'a' $$",
     False),
    ("CREATE FUNCTION f() RETURNS TABLE (x variadic int) LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f() RETURNS TABLE (x out int) LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE FUNCTION f() RETURNS TABLE (left int, json text, key text, system_user text, "
     "\"int\" text, \"y\" public.t, z double precision, w text[], v interval day) "
     "LANGUAGE sql AS $$ SELECT 1, 'a', 'b', 'c', 'd', NULL::t, 1.0::float8, '{}'::text[], "
     "'1 day'::interval $$", "before 16"),
    ("CREATE FUNCTION f() RETURNS TABLE (left int, key text, \"int\" text, \"y\" public.t, "
     "z double precision, w text[], v interval day) LANGUAGE sql AS $$ SELECT 1, 'b', 'd', "
     "NULL::t, 1.0::float8, '{}'::text[], '1 day'::interval $$", True),
    # creating in schema public as a role the history made, which has no CREATE there on
    # PostgreSQL 15 (a cluster upgraded from 14 takes it): the fold stops
    ("CREATE ROLE l18a;\nSET ROLE l18a;\nCREATE TABLE w (x int)", "stop"),
    ("CREATE ROLE l18a;\nSET SESSION AUTHORIZATION l18a;\nCREATE TABLE w (x int)", "stop"),
    ("CREATE ROLE l18a;\nSET ROLE l18a;\nCREATE TABLE public.w (x int)", "stop"),
    ("CREATE ROLE l18a;\nSET ROLE l18a;\nCREATE VIEW w AS SELECT 1 AS x", "stop"),
    ("CREATE ROLE l18a;\nSET ROLE l18a;\n"
     "CREATE FUNCTION w() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", "stop"),
    ("CREATE ROLE l18a;\nSET ROLE l18a;\nCREATE TYPE w AS ENUM ('a')", "stop"),
    ("CREATE ROLE l18a;\nGRANT CREATE ON SCHEMA public TO l18a;\nSET ROLE l18a;\n"
     "CREATE TABLE w (x int);\nRESET ROLE", True),
    ("CREATE ROLE l18a SUPERUSER;\nSET ROLE l18a;\nCREATE TABLE w (x int);\nRESET ROLE", True),
    ("CREATE ROLE l18a;\nCREATE ROLE l18b;\nGRANT CREATE ON SCHEMA public TO l18a;\n"
     "GRANT l18a TO l18b;\nSET ROLE l18b;\nCREATE TABLE w (x int);\nRESET ROLE", True),
    ("CREATE ROLE l18a;\nGRANT ALL ON SCHEMA public TO PUBLIC;\nSET ROLE l18a;\n"
     "CREATE TABLE w (x int);\nRESET ROLE", True),
    ("CREATE ROLE l18a;\nCREATE SCHEMA s AUTHORIZATION l18a;\nSET ROLE l18a;\n"
     "CREATE TABLE s.w (x int);\nRESET ROLE", True),
    ("CREATE ROLE l18a;\nALTER SCHEMA public OWNER TO l18a;\nSET ROLE l18a;\n"
     "CREATE TABLE w (x int);\nRESET ROLE", True),
    ("CREATE ROLE l18a;\nSET ROLE l18a;\nRESET ROLE;\nCREATE TABLE w (x int)", True),
]


@pytest.mark.parametrize(("statements", "verdict"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statements: str, verdict: bool | str) -> None:
    assert_verdict(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], verdict)
