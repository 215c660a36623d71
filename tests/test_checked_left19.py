"""What the fold checks as PostgreSQL would (issue 15), for statements ``squash`` exited 0 on
while PostgreSQL 15 refuses them: an UPDATE's SET list assigning a column twice where
PostgreSQL rewrites the statement when it meets it (a top-level ``WITH`` query's ``UPDATE``,
``ON CONFLICT DO UPDATE``, ``MERGE``, an analyzed SQL body; not a rule's action, nor a
PL/pgSQL body); rows of different widths in a statement PostgreSQL analyzes (``VALUES (1,
2), (3)``, ``SELECT 1, 2 UNION SELECT 3``, ``INSERT INTO t (a, b) SELECT 1 UNION SELECT
2``); an index's ``INCLUDE`` column that does not exist; a column's ``DEFAULT NOT ...``; a
cast's type followed by a name in a condition (``WHERE a::int zz > 1``); an operator
before a ``)`` (``(a*)``); ``COLLATE`` or ``COMPRESSION`` on ``int4``, ``uuid``, ``date``...,
``COLLATE`` on an array of them; a composite type's attribute named ``left``; a storage
parameter's value (``fillfactor = case``); ``DELETE FROM $1`` in a SQL body; and a stop
for creating in ``public`` as a ``NOINHERIT`` role only a member of one with ``CREATE``
there. Each case is asked of a real PostgreSQL in the same test, beside valid neighbours,
and the fold's verdict must agree: refused by both, or taken by both; where the fold cannot
judge exactly it stops folding (a fold limit), which counts as neither refusing what
PostgreSQL takes nor taking what it refuses."""

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
    # a column assigned twice, wherever PostgreSQL rewrites the UPDATE when it meets it
    ("WITH x AS (UPDATE t SET a = 1, a = 2 RETURNING id) SELECT * FROM x", False),
    ("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 1, a = 2", False),
    ("MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = 1, a = 2", False),
    ("UPDATE t SET (a, a) = (1, 2)", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC UPDATE t SET a = 1, a = 2; "
     "END", False),
    ("CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC UPDATE t SET a = 1, A = 2; END", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1) "
     "ON CONFLICT (id) DO UPDATE SET a = 1, a = 2; END", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC WITH x AS (UPDATE t SET "
     "a = 1, a = 2 RETURNING id) SELECT * FROM x; END", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC UPDATE t SET (a, b) = "
     "(1, 'x'), a = 2; END", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ UPDATE t SET a = 1, a = 2 $$", False),
    ("CREATE TABLE w (x int[]);\nCREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC "
     "UPDATE w SET x[1] = 1, x = '{}'; END", False),
    ("CREATE TYPE pt AS (x int, y int);\nCREATE TABLE w (p pt);\n"
     "UPDATE w SET p.x = 1, p = ROW(1, 2)", False),
    # elements and fields merge; a rule's action, a PL/pgSQL body, a body not analyzed
    ("CREATE TABLE w (x int[]);\nCREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC "
     "UPDATE w SET x[1] = 1, x[2] = 2; END;\n"
     "WITH q AS (UPDATE w SET x[1] = 1, x[2] = 2 RETURNING 1) SELECT * FROM q", True),
    ("CREATE TYPE pt AS (x int, y int);\nCREATE TABLE w (p pt, q int[], r pt[]);\n"
     "UPDATE w SET p.x = 1, p.y = 2, q[1] = 1, q[2:3] = '{2,3}', r[1].x = 1, r[1].y = 2",
     True),
    ("CREATE RULE r AS ON INSERT TO u DO ALSO UPDATE t SET a = 1, a = 2", True),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = 1, "
     "a = 2; RETURN NULL; END $$", True),
    ("CREATE FUNCTION f(x anyelement) RETURNS void LANGUAGE sql AS $$ UPDATE t SET a = 1, "
     "a = 2 $$", True),
    ("SET check_function_bodies = off;\nCREATE FUNCTION f() RETURNS void LANGUAGE sql AS "
     "$$ UPDATE t SET a = 1, a = 2 $$", True),
    ("MERGE INTO t USING u ON t.id = u.id WHEN MATCHED AND u.c > 0 THEN UPDATE SET a = 1 "
     "WHEN MATCHED THEN UPDATE SET b = 'x', a = 2 WHEN NOT MATCHED THEN INSERT (id, a) "
     "VALUES (u.id, u.c)", True),
    ("UPDATE t SET a = CASE WHEN a > 0 THEN 1 ELSE 2 END, b = coalesce(b, 'x', 'y'), "
     "id = (SELECT max(id) FROM u WHERE c IN (1, 2))", True),
    ("WITH x AS (UPDATE t SET a = 1 RETURNING id), y AS (UPDATE u SET c = 1, id = 2 "
     "RETURNING id) INSERT INTO t (id, a) SELECT id, 1 FROM x ON CONFLICT (id) DO UPDATE "
     "SET a = excluded.a, b = excluded.b WHERE t.a IS DISTINCT FROM excluded.a", True),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC SELECT id FROM t FOR UPDATE; "
     "UPDATE t SET a = 1, b = 'x'; END;\nUPDATE t AS set SET a = 1, b = 'x'", True),
    # rows of different widths: VALUES lists, the arms of a set operation, an INSERT's query
    ("VALUES (1, 2), (3)", False),
    ("INSERT INTO t VALUES (1, 2), (3)", False),
    ("INSERT INTO t (id, a) VALUES (1, 2), (3)", False),
    ("CREATE VIEW v AS SELECT * FROM (VALUES (1, 2), (3)) s(x, y)", False),
    ("CREATE RULE r AS ON INSERT TO u DO ALSO INSERT INTO t (id, a) VALUES (1, 2), (3)", False),
    ("PREPARE p AS INSERT INTO t (id, a) VALUES (1, 2), (3)", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC INSERT INTO t (id, a) "
     "VALUES (1, 2), (3); END", False),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ INSERT INTO t (id, a) "
     "VALUES (1, 2), (3) $$", False),
    ("SELECT 1, 2 UNION SELECT 3", False),
    ("CREATE VIEW v AS SELECT 1 AS x, 2 AS y UNION ALL SELECT 3", False),
    ("CREATE VIEW v AS SELECT id, a FROM t EXCEPT SELECT id FROM u", False),
    ("SELECT 1, 2 UNION SELECT 3, 4 EXCEPT SELECT 5", False),
    ("CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql AS $$ SELECT 1, 2 UNION SELECT 3 $$",
     False),
    ("INSERT INTO t (id, a) SELECT 1, 2 UNION SELECT 3", False),
    ("INSERT INTO t (id, a) SELECT 1, 2, 3 UNION SELECT 3, 4, 5", False),
    ("INSERT INTO t (id, a) SELECT 1 UNION SELECT 3", False),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, 'x'), (2, DEFAULT, (SELECT 'y')), "
     "(3, CASE WHEN true THEN 1 ELSE 2 END, 'z');\n"
     "INSERT INTO t (id, a) VALUES (4, (ARRAY[1,2])[1]), (5, abs(-2)) ON CONFLICT DO NOTHING",
     True),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t (id, a) "
     "VALUES (1, 2), (3); END $$", True),
    ("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(x, y) UNION SELECT 3, 'c';\n"
     "SELECT * FROM t UNION SELECT 1, 2, 'x';\nSELECT t.*, 1 FROM t UNION SELECT 1, 2, 'x', 4",
     True),
    ("SELECT a IS DISTINCT FROM 1, CASE WHEN a > 0 THEN 1 ELSE 2 END, 3 FROM t UNION ALL "
     "SELECT true, 2, 3 INTERSECT SELECT false, 5, 6 EXCEPT SELECT DISTINCT true, 2, 3", True),
    ("SELECT x FROM (SELECT 1, 2) s(x, y) JOIN (SELECT 3 UNION SELECT 4) r(z) ON true;\n"
     "INSERT INTO t (id, a) SELECT 1, 2 UNION SELECT 3, 4 EXCEPT SELECT 5, 6;\n"
     "INSERT INTO t (id, a) SELECT id, c FROM u UNION SELECT id, a FROM t WHERE a IN "
     "(SELECT 1 UNION SELECT 2) ON CONFLICT DO NOTHING;\n"
     "INSERT INTO t (id, a, b) SELECT * FROM t UNION SELECT 7, 2, 'x' ON CONFLICT DO NOTHING",
     True),
    ("CREATE VIEW v AS SELECT id, count(*) FROM t GROUP BY id UNION SELECT 1, 2;\n"
     "CREATE VIEW v2 AS SELECT t.* FROM t UNION SELECT 1, 2, 'x';\n"
     "CREATE VIEW v3 AS SELECT * FROM (VALUES (1, ARRAY[1, 2]), (2, ARRAY[3])) s(x, y) "
     "UNION SELECT 5, NULL", True),
    ("CREATE TABLE w (x int) PARTITION BY LIST (x);\n"
     "CREATE TABLE w1 PARTITION OF w FOR VALUES IN (1, 2);\n"
     "CREATE TABLE w2 PARTITION OF w FOR VALUES IN (3)", True),
    # an index's INCLUDE column must exist, as a key's
    ("CREATE UNIQUE INDEX ON t (a) INCLUDE (nope)", False),
    ("CREATE INDEX ON t (a) INCLUDE (b, nope)", False),
    ("ALTER TABLE t ADD UNIQUE (a) INCLUDE (nope)", False),
    ("CREATE TABLE w (x int, y int, PRIMARY KEY (x) INCLUDE (z))", False),
    ("CREATE TABLE w (x int);\nALTER TABLE w ADD COLUMN y int;\n"
     "ALTER TABLE w RENAME COLUMN y TO z;\nCREATE INDEX ON w (x) INCLUDE (y)", False),
    ("CREATE TABLE w (x int, y int, UNIQUE (x) INCLUDE (y), CONSTRAINT k EXCLUDE USING btree "
     "(y WITH =) INCLUDE (x));\nCREATE UNIQUE INDEX ON t (a) INCLUDE (b, id);\n"
     "CREATE INDEX ON t (a) INCLUDE (\"b\");\nALTER TABLE t ADD UNIQUE (a) INCLUDE (B)", True),
    ("CREATE TABLE p (x int, y int) PARTITION BY RANGE (x);\n"
     "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (2);\n"
     "CREATE INDEX ON p1 (x) INCLUDE (y)", True),
    # a column's default starts with no NOT (a b_expr); SET DEFAULT takes any expression
    ("CREATE TABLE w (x bool DEFAULT NOT true)", False),
    ("ALTER TABLE t ADD COLUMN z bool DEFAULT NOT false", False),
    ("CREATE DOMAIN d AS bool DEFAULT NOT true", False),
    ("CREATE TABLE w (x bool DEFAULT NOT NULL)", False),
    ("CREATE TABLE w (x bool NOT NULL DEFAULT (NOT true), y bool DEFAULT false NOT NULL);\n"
     "ALTER TABLE w ALTER COLUMN x SET DEFAULT NOT true;\n"
     "ALTER TABLE w ALTER x SET DEFAULT NOT false", True),
    ("CREATE FUNCTION f(x bool DEFAULT NOT true) RETURNS bool LANGUAGE sql AS $$ SELECT x $$;\n"
     "CREATE PROCEDURE p(x bool DEFAULT NOT true) LANGUAGE sql AS $$ SELECT x $$;\n"
     "CREATE FUNCTION g() RETURNS bool LANGUAGE plpgsql AS $$ DECLARE x bool DEFAULT NOT "
     "true; BEGIN RETURN x; END $$", True),
    # a cast's type followed by a name in a condition or a SET list (no label there)
    ("CREATE VIEW v AS SELECT id FROM t WHERE a::int zz > 1", False),
    ("SELECT id FROM t WHERE b::uuid zz IS NULL", False),
    ("SELECT id FROM t t1 JOIN u ON u.id::bigint x = t1.id", False),
    ("DELETE FROM t WHERE a::int zz > 1", False),
    ("UPDATE t SET a = b::int zz", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE r record; BEGIN FOR r IN "
     "SELECT id FROM t WHERE a::int zz > 1 LOOP END LOOP; RETURN 1; END $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE r record; BEGIN FOR r IN "
     "SELECT id FROM t WHERE a::int > 1 LOOP END LOOP; WHILE 1::int < 0 LOOP END LOOP; "
     "IF a::boolean THEN END IF; RETURN 1; END $$", True),
    ("SELECT a::int zz, b::text AS y FROM t WHERE a::int > 1 AND b::text IS NOT NULL AND "
     "a::double precision < 2 AND id::int IN (1) AND b::character varying LIKE 'x%' AND "
     "now()::timestamp with time zone > now() - '1 day'::interval AND '1 hour'::interval "
     "hour > '0'::interval ORDER BY a::int;\n"
     "SELECT id FROM t WHERE a::int > 1 GROUP BY id HAVING count(*)::int > 0 "
     "ORDER BY id::int DESC", True),
    # an operator with no right operand before a closing parenthesis
    ("CREATE VIEW v AS SELECT (a*) FROM t", False),
    ("CREATE VIEW v AS SELECT id FROM t WHERE (a*) > 1", False),
    ("CREATE TABLE w (x int CHECK ((x*) > 0))", False),
    ("SELECT abs(a -) FROM t", False),
    ("CREATE TABLE w (x int DEFAULT (1 +))", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN x := (x *); "
     "RETURN x; END $$", False),
    ("SELECT (a * 2), (t.*), (t).*, abs(-a), (- a), (+1) FROM t;\n"
     "SELECT count(*), json_agg(t.*) FROM t;\n"
     "SELECT 2 OPERATOR(pg_catalog.*) 3, (a OPERATOR(pg_catalog.-) 1) FROM t", True),
    ("SELECT * FROM (SELECT * FROM t *) s;\nSELECT * FROM (SELECT * FROM t, u *) s;\n"
     "WITH x AS (DELETE FROM t * RETURNING *) SELECT 1;\nWITH y AS (TABLE t *) SELECT 1", True),
    # COLLATE and COMPRESSION on a fixed-length type written by its name, COLLATE on an
    # array of one
    ("CREATE TABLE w (x int4 COLLATE \"C\")", False),
    ("CREATE TABLE w (x uuid COLLATE \"C\")", False),
    ("CREATE TABLE w (x date COLLATE \"C\")", False),
    ("CREATE TABLE w (x bool COLLATE \"C\")", False),
    ("CREATE TABLE w (x timestamptz COLLATE \"C\")", False),
    ("CREATE TABLE w (x pg_catalog.int4 COLLATE \"C\")", False),
    ("CREATE TABLE w (x int[] COLLATE \"C\")", False),
    ("CREATE TABLE w (x uuid[] COLLATE \"C\")", False),
    ("CREATE TABLE w (x integer[] COLLATE \"C\")", False),
    ("CREATE TABLE w (x int ARRAY COLLATE \"C\")", False),
    ("CREATE TABLE w (x int[3][] COLLATE \"C\")", False),
    ("CREATE TABLE w (x int4 COMPRESSION pglz)", False),
    ("CREATE TABLE w (x uuid COMPRESSION pglz)", False),
    ("CREATE TABLE w (x date COMPRESSION pglz)", False),
    ("CREATE TABLE w (x int8 COMPRESSION pglz)", False),
    ("ALTER TABLE t ADD COLUMN z uuid COLLATE \"C\"", False),
    ("CREATE TABLE w (x uuid);\nCREATE INDEX ON w (x COLLATE \"C\")", False),
    ("CREATE TABLE w (x int[]);\nCREATE INDEX ON w (x COLLATE \"C\")", False),
    ("CREATE TABLE w (x int[] COMPRESSION pglz, y uuid[] COMPRESSION pglz, z text[] COLLATE "
     "\"C\", v text COLLATE \"C\", s varchar[] COLLATE \"C\", q \"uuid\" COMPRESSION "
     "default, d date, u uuid COMPRESSION default);\nCREATE INDEX ON w (s COLLATE \"C\");\n"
     "CREATE INDEX ON w (v COLLATE \"C\")", True),
    # a composite type's attribute is named by no reserved nor type-or-function-name key word
    ("CREATE TYPE ty AS (left int)", False),
    ("CREATE TYPE ty AS (x int, overlaps text)", False),
    ("CREATE TYPE ty AS (int int, between int, key int, \"left\" int, name text, value text, "
     "type text, json text, public int)", True),
    # a storage parameter of integer or boolean type given a word
    ("CREATE TABLE w (x int) WITH (fillfactor = case)", False),
    ("CREATE TABLE w (x int) WITH (autovacuum_enabled = case)", False),
    ("ALTER TABLE t SET (fillfactor = case)", False),
    ("CREATE INDEX ON t (a) WITH (fillfactor = case)", False),
    ("CREATE TABLE w (x int) WITH (fillfactor = 'case')", False),
    ("CREATE TABLE w (x int) WITH (fillfactor = select)", False),
    ("CREATE TABLE w (x int) WITH (toast.autovacuum_enabled = maybe)", False),
    ("CREATE VIEW v WITH (security_barrier = sure) AS SELECT 1 AS x", False),
    ("CREATE TABLE w (x int, UNIQUE (x) WITH (fillfactor = hello))", False),
    ("CREATE TABLE w (x int) WITH (autovacuum_enabled = t, fillfactor = 70, "
     "toast.autovacuum_enabled = 'off', user_catalog_table = of, vacuum_truncate = YES, "
     "parallel_workers = '4', toast_tuple_target = 128);\n"
     "ALTER TABLE w SET (autovacuum_enabled = FALSE, fillfactor = 80.4, "
     "autovacuum_vacuum_scale_factor = 0.1);\n"
     "CREATE INDEX ON w (x) WITH (fillfactor = 90, deduplicate_items = on);\n"
     "CREATE VIEW v WITH (security_barrier, security_invoker = true, check_option = local) "
     "AS SELECT id FROM t;\nALTER TABLE w SET (autovacuum_enabled = n)", True),
    ("CREATE TABLE IF NOT EXISTS t (x int) WITH (fillfactor = case)", True),
    # a parameter as the relation a SQL body's statement changes
    ("CREATE FUNCTION f(x text) RETURNS void LANGUAGE sql AS $$ DELETE FROM $1 $$", False),
    ("CREATE FUNCTION f(x text) RETURNS void LANGUAGE sql AS $$ SELECT 1; UPDATE $1 SET a = 1 "
     "$$", False),
    ("CREATE FUNCTION f(x text) RETURNS void LANGUAGE sql AS $$ INSERT INTO $1 VALUES (1) $$",
     False),
    ("CREATE FUNCTION f(x int) RETURNS void LANGUAGE sql AS $$ DELETE FROM t WHERE id = $1; "
     "UPDATE t SET a = $1 WHERE id IS DISTINCT FROM $1; INSERT INTO t (id) SELECT $1 + 100 $$;\n"
     "CREATE FUNCTION g(x text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
     "EXECUTE format('DELETE FROM %I', $1); END $$", True),
    ("SET check_function_bodies = off;\nCREATE FUNCTION f(x text) RETURNS void LANGUAGE sql AS "
     "$$ DELETE FROM $1 $$", True),
    # creating in public as a NOINHERIT role that is only a member of one with CREATE there:
    # a stop (PostgreSQL 15 refuses it; a cluster upgraded from 14 takes it)
    ("CREATE ROLE l19f NOINHERIT;\nCREATE ROLE l19g;\nGRANT CREATE ON SCHEMA public TO l19g;\n"
     "GRANT l19g TO l19f;\nSET ROLE l19f;\nCREATE TABLE w (x int)", "stop"),
    ("CREATE ROLE l19n NOINHERIT;\nSET ROLE l19n;\nCREATE TABLE w (x int)", "stop"),
    ("CREATE ROLE l19h NOINHERIT;\nGRANT CREATE ON SCHEMA public TO l19h;\nSET ROLE l19h;\n"
     "CREATE TABLE w (x int);\nRESET ROLE", True),
    ("CREATE ROLE l19i NOINHERIT;\nGRANT ALL ON SCHEMA public TO PUBLIC;\nSET ROLE l19i;\n"
     "CREATE TABLE w (x int);\nRESET ROLE", True),
    ("CREATE ROLE l19j NOINHERIT;\nCREATE ROLE l19k;\nGRANT CREATE ON SCHEMA public TO l19k;\n"
     "GRANT l19k TO l19j;\nALTER ROLE l19j INHERIT;\nSET ROLE l19j;\nCREATE TABLE w (x int);\n"
     "RESET ROLE", "takes before 16"),  # from 16 the grant keeps the NOINHERIT of its time
    ("CREATE ROLE l19l NOINHERIT;\nCREATE ROLE l19m;\n"
     "GRANT CREATE ON SCHEMA public TO l19m, l19l;\nSET ROLE l19l;\nCREATE TABLE w (x int);\n"
     "RESET ROLE", True),
    ("CREATE ROLE l19c;\nCREATE ROLE l19d;\nGRANT CREATE ON SCHEMA public TO l19d;\n"
     "GRANT l19d TO l19c;\nSET ROLE l19c;\nCREATE TABLE w (x int);\nRESET ROLE", True),
]


@pytest.mark.parametrize(("statements", "verdict"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statements: str, verdict: bool | str) -> None:
    assert_verdict(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], verdict)
