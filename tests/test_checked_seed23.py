"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 23 found ``squash`` exiting 0 on while PostgreSQL refuses them: a word after a
column's DEFAULT, a SQL body ending on a comma, two comparisons in a row, a cast with no
operand, ``count(* CASE )``, a number running into a name, a column of a ``LATERAL``
subquery's outer query, ``IN SCHEMA`` naming no schema, an unreserved key word as a column in
a DEFAULT and a two-part date; and two kinds seeds 21 and 22 found: a ``CREATE OR REPLACE
FUNCTION`` changing the result type, a view calling a function that does not exist and an
enum label compared in an UPDATE's or DELETE's ``WHERE``. Each case is asked of a real
PostgreSQL in the same test, beside valid neighbours, and the fold's verdict must agree:
refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
    "CREATE TABLE w (id int, rows int, name int, value int)",
    "CREATE TABLE dated (d date, at timestamp)",
]

#: (statement after SETUP, whether PostgreSQL takes it)
CASES: list[tuple[str, bool]] = [
    # a column's DEFAULT is a b_expr: a word after an operand ends it, and must start a
    # constraint (or continue a b_expr: IS DISTINCT FROM, a typmod's time zone, an interval)
    ("CREATE TABLE d1 (id int, at timestamptz DEFAULT now()\n REPLACE )", False),
    ("CREATE TABLE d2 (id int, x int DEFAULT 1 foo)", False),
    ('CREATE TABLE d3 (id int, x int DEFAULT 1 "foo")', False),
    ("CREATE TABLE d4 (id int, x timestamptz DEFAULT now() AT TIME ZONE 'utc')", False),
    ("CREATE TABLE d5 (id int, x bool DEFAULT true AND false)", False),
    ("CREATE TABLE d6 (id int, x bool DEFAULT 1 IN (1, 2))", False),
    ("CREATE TABLE d7 (id int, x bool DEFAULT 'a' LIKE 'b')", False),
    ("CREATE TABLE d8 (id int, x int[] DEFAULT '{1}'::int[] foo)", False),
    ("CREATE TABLE d9 (id int, x timestamptz DEFAULT CURRENT_TIMESTAMP AT TIME ZONE 'utc')",
     False),
    ("ALTER TABLE t ADD COLUMN z int DEFAULT 1 foo", False),
    ("CREATE TABLE v1 (id int, x timestamptz DEFAULT now() NOT NULL)", True),
    ("CREATE TABLE v2 (id int, x timestamp(3) with time zone "
     "DEFAULT now()::timestamp(3) with time zone NOT NULL)", True),
    ("CREATE TABLE v3 (id int, x time DEFAULT now()::time(2) without time zone)", True),
    ("CREATE TABLE v4 (id int, x interval DEFAULT interval '1' day to second)", True),
    ("CREATE TABLE v5 (id int, x bool DEFAULT 1 IS DISTINCT FROM 2)", True),
    ("CREATE TABLE v6 (id int, x bool DEFAULT 1 IS NOT DISTINCT FROM 2 NOT NULL)", True),
    ("CREATE TABLE v7 (id int, x int DEFAULT 1 OPERATOR(pg_catalog.+) 2)", True),
    ("CREATE TABLE v8 (id int, x text DEFAULT U&'d\\0061t' UESCAPE '\\')", True),
    ("CREATE TABLE v9 (id int, x numeric DEFAULT '1'::numeric(10,2) NOT NULL CHECK (x > 0))",
     True),
    ("CREATE TABLE v10 (id int, x text DEFAULT 'a' COLLATE \"C\" NOT NULL)", True),
    ("CREATE TABLE v11 (id int, x int DEFAULT (1) UNIQUE, y int DEFAULT 1 PRIMARY KEY)", True),
    ("CREATE TABLE v12 (id int, x int DEFAULT 1 REFERENCES t DEFERRABLE INITIALLY DEFERRED)",
     True),
    ("CREATE TABLE v13 (id int, x double precision DEFAULT 1.5::double precision)", True),
    ("CREATE TABLE v14 (id int, x timestamptz DEFAULT CURRENT_TIMESTAMP(3) NOT NULL)", True),
    ("CREATE TABLE v15 (id int, x bool DEFAULT false, y int DEFAULT NULL UNIQUE)", True),
    ("CREATE TABLE v16 (id int, x int DEFAULT 1 + 2 * (3) - 4 NOT NULL)", True),
    ("CREATE TABLE v22 (id int, x int DEFAULT CASE WHEN true THEN 1 ELSE 2 END NOT NULL, "
     "y text DEFAULT CASE WHEN 'a' LIKE 'b' THEN 'x' END)", True),
    # an unreserved key word in a DEFAULT is a column (PostgreSQL's "cannot use column
    # reference"); the reserved ones that are values are not
    ("CREATE TABLE d10 (id int, at timestamptz DEFAULT now( REPLACE ))", False),
    ("CREATE TABLE d11 (id int, x text DEFAULT name)", False),
    ("CREATE TABLE v17 (id int, x text DEFAULT current_schema)", True),
    ("CREATE TABLE v18 (id int, x text DEFAULT current_user, y text DEFAULT session_user)",
     True),
    ("CREATE TABLE v19 (id int, x text DEFAULT trim(both ' ' from ' a '))", True),
    ("CREATE TABLE v20 (id int, x int DEFAULT extract(year from now()))", True),
    ("CREATE TABLE v21 (id int, x text DEFAULT normalize('a', nfc))", True),
    # a SQL body's last statement ends as a statement does
    ("CREATE PROCEDURE p1() LANGUAGE sql AS $$ DELETE FROM t WHERE a < 1 ,$$", False),
    ("CREATE FUNCTION p2() RETURNS int LANGUAGE sql AS $$ SELECT 1 + $$", False),
    ("CREATE PROCEDURE p3() LANGUAGE sql AS $$ DELETE FROM t WHERE a < 1 $$", True),
    ("CREATE FUNCTION p4() RETURNS int LANGUAGE sql AS $$ SELECT a FROM t ORDER BY a USING < $$",
     True),
    ("CREATE FUNCTION p5() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$", True),
    # comparisons do not associate, and a key word right after one is its operand
    ("ALTER TABLE t ADD CONSTRAINT c1 CHECK (a > rows= 0)", False),
    ("SELECT 1 FROM t WHERE a > rows = 0", False),
    ("SELECT * FROM w WHERE id > rows AND name = value", True),
    ("SELECT * FROM w WHERE id > rows ORDER BY name", True),
    ("SELECT * FROM t WHERE a = ANY (ARRAY[1, 2]) AND b = 'x'", True),
    ("SELECT * FROM dated WHERE at > timestamp '2020-01-01' AND d = '2020-01-01'", True),
    ("CREATE FUNCTION p6(n int) RETURNS int LANGUAGE plpgsql AS $$ DECLARE count int := 0; "
     "BEGIN WHILE count < n LOOP count := count + 1; END LOOP; RETURN count; END $$", True),
    # a cast follows an operand
    ("CREATE VIEW c2 AS SELECT id, a = ::int AS x FROM t", False),
    ("SELECT coalesce(::int, 1)", False),
    ("DO $$ DECLARE x int; BEGIN x := ::int; END $$", False),
    ("CREATE VIEW c3 AS SELECT id, a = 1::int AS x FROM t", True),
    ("SELECT t.*::text FROM t", True),
    ("SELECT -1::int, 'a' || 'b'::text, (ARRAY[1, 2])[1]::text", True),
    # a star opening a call's arguments is all of them
    ("SELECT count(* CASE ) FROM t", False),
    ("SELECT count(* ) FROM t", True),
    ("SELECT 2 OPERATOR(*) 3", True),
    # a number that runs into a name (PostgreSQL 15 and later)
    ("SELECT 1a", False),
    ("SELECT 1.5abc", False),
    ("SELECT 1\ufeff", False),
    ("INSERT INTO t VALUES (1\ufeff, 2, 'x')", False),
    ("CREATE FUNCTION p7() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1a; END $$", False),
    ("SELECT 1 a, 1\"a\", 1.5e3, .5, 5., 1::int", True),
    ("CREATE FUNCTION p8() RETURNS int LANGUAGE plpgsql AS $$ BEGIN FOR i IN 1..10 LOOP "
     "END LOOP; RETURN 1; END $$", True),
    # a LATERAL subquery reads its outer query's FROM items, which must have the column
    ("INSERT INTO u (id, c) SELECT t.id, r.c FROM t, LATERAL (SELECT c FROM u WHERE u.id = "
     "t.nope) r", False),
    ("INSERT INTO u (id, c) SELECT t.id, r.c FROM t, LATERAL (SELECT c FROM u WHERE u.id = "
     "t.id) r", True),
    ("INSERT INTO u (id, c) SELECT t.id, r.c FROM t LEFT JOIN LATERAL (SELECT c FROM u WHERE "
     "u.id = t.id LIMIT 1) r ON true", True),
    ("INSERT INTO u (id, c) SELECT t.id, r.y FROM t, LATERAL (SELECT c AS x FROM u WHERE u.id "
     "= t.id) r(y)", True),
    ("INSERT INTO u (id, c) SELECT t.id, g.g FROM t, LATERAL generate_series(1, t.a) g", True),
    ("UPDATE u SET c = r.a FROM t, LATERAL (SELECT t.a) r WHERE u.id = t.id", True),
    ("DELETE FROM u USING t, LATERAL (SELECT t.a AS z) r WHERE u.id = r.z", True),
    # IN SCHEMA looks the schema up first
    ("GRANT SELECT ON ALL TABLES IN SCHEMA nope TO public", False),
    ("GRANT SELECT ON ALL SEQUENCES IN SCHEMA nope TO public", False),
    ("ALTER DEFAULT PRIVILEGES IN SCHEMA nope GRANT SELECT ON TABLES TO public", False),
    ("GRANT SELECT ON ALL TABLES IN SCHEMA public TO public", True),
    ("CREATE SCHEMA s1;\nGRANT SELECT ON ALL TABLES IN SCHEMA s1 TO public;\n"
     "ALTER DEFAULT PRIVILEGES IN SCHEMA s1 GRANT SELECT ON TABLES TO public", True),
    # a date of two parts of digits is a year and a day of the year, or nothing
    ("INSERT INTO dated (d) VALUES ('202301-01')", False),
    ("INSERT INTO dated (d) VALUES ('01-202301')", False),
    ("INSERT INTO dated (d) VALUES ('2023-0101')", False),
    ("INSERT INTO dated (at) VALUES ('202301-01 10:00')", False),
    ("INSERT INTO dated (d) VALUES ('2023-123')", True),
    ("INSERT INTO dated (d) VALUES ('2023/123'), ('20230101'), ('230101'), ('2023-01-01')",
     True),
    ("INSERT INTO dated (at) VALUES ('20230101T101010'), ('2023-01-01 10:00+02')", True),
    # CREATE OR REPLACE FUNCTION keeps the result type (seeds 21 and 22)
    ("CREATE FUNCTION r1() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION r1() RETURNS text LANGUAGE sql AS $$ SELECT 'a' $$", False),
    ("CREATE FUNCTION r2() RETURNS SETOF int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION r2() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$", False),
    ("CREATE FUNCTION r3() RETURNS int[] LANGUAGE sql AS $$ SELECT ARRAY[1] $$;\n"
     "CREATE OR REPLACE FUNCTION r3() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$", False),
    ("CREATE FUNCTION r4() RETURNS bool LANGUAGE sql AS $$ SELECT true $$;\n"
     "CREATE OR REPLACE FUNCTION r4() RETURNS void LANGUAGE sql AS $$ SELECT $$", False),
    ("CREATE FUNCTION r5() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION r5() RETURNS pg_catalog.int4 LANGUAGE sql AS $$ SELECT 2 $$",
     True),
    ("CREATE FUNCTION r6() RETURNS varchar(10) LANGUAGE sql AS $$ SELECT 'a' $$;\n"
     "CREATE OR REPLACE FUNCTION r6() RETURNS character varying LANGUAGE sql AS $$ SELECT 'b' $$",
     True),
    ("CREATE FUNCTION r7() RETURNS timestamptz LANGUAGE sql AS $$ SELECT now() $$;\n"
     "CREATE OR REPLACE FUNCTION r7() RETURNS timestamp with time zone LANGUAGE sql AS "
     "$$ SELECT now() $$", True),
    ("CREATE FUNCTION r8(OUT a int, OUT b int) LANGUAGE sql AS $$ SELECT 1, 2 $$;\n"
     "CREATE OR REPLACE FUNCTION r8(OUT a int, OUT b int) RETURNS record LANGUAGE sql AS "
     "$$ SELECT 1, 3 $$", True),
    ("CREATE FUNCTION r9() RETURNS TABLE (a int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE OR REPLACE FUNCTION r9() RETURNS SETOF int LANGUAGE sql AS $$ SELECT 1 $$", True),
    ("CREATE FUNCTION r10() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
     "CREATE OR REPLACE FUNCTION r10() RETURNS trigger LANGUAGE plpgsql AS "
     "$$ BEGIN RETURN OLD; END $$", True),
    # a view's select list calls functions that exist (seed 21: count$(*))
    ("CREATE VIEW f1 AS SELECT count$(*) FROM t", False),
    ("CREATE VIEW f2 AS SELECT public.nope(a) AS x FROM t", False),
    ("CREATE MATERIALIZED VIEW f3 AS SELECT id, nope(a) FROM t", False),
    ("CREATE VIEW f4 AS SELECT row_number() OVER (ORDER BY id), lag(a) OVER w, count(*) OVER () "
     "FROM t WINDOW w AS (ORDER BY id)", True),
    ("CREATE VIEW f5 AS SELECT a::numeric(10,2) AS n1, varchar(3) 'abc' AS s, "
     "numeric(5,2) '1.5' AS n2, b::bit varying(5) AS v FROM t", True),
    ("CREATE VIEW f6 AS WITH c(x) AS (SELECT a FROM t) SELECT x, upper(x::text) FROM c", True),
    ("CREATE VIEW f7 AS SELECT (SELECT max(z.q) FROM t z(q)) AS m", True),
    ("CREATE VIEW f8 AS SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a), "
     "array_agg(b) FILTER (WHERE a > 1) FROM t", True),
    ("CREATE FUNCTION myf(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;\n"
     "CREATE VIEW f9 AS SELECT myf(a), pg_catalog.upper(b), int4(a), text(a) FROM t", True),
    ("CREATE TYPE mood AS ENUM ('a');\nCREATE VIEW f10 AS SELECT mood('a') AS m", True),
    ("CREATE VIEW f11 AS SELECT CAST(a AS text), ARRAY(SELECT 1), EXISTS (SELECT 1), "
     "normalize(b), int4range(1, 2), gen_random_uuid() FROM t", True),
    ("CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
     "CREATE VIEW f12 AS SELECT similarity(b, 'x') FROM t", True),
    # an UPDATE's or DELETE's WHERE compares an enum column with one of its labels
    ("CREATE TYPE mood AS ENUM ('a', 'b');\nCREATE TABLE m (id int, s mood);\n"
     "UPDATE m SET id = 1 WHERE s = 'zz'", False),
    ("CREATE TYPE mood AS ENUM ('a', 'b');\nCREATE TABLE m (id int, s mood);\n"
     "DELETE FROM m WHERE s IN ('a', 'q')", False),
    ("CREATE TYPE mood AS ENUM ('a', 'b');\nCREATE TABLE m (id int, s mood);\n"
     "DELETE FROM ONLY m x WHERE x.s <> 'q'", False),
    ("CREATE TYPE mood AS ENUM ('a', 'b');\nCREATE TABLE m (id int, s mood);\n"
     "UPDATE m SET s = 'b' WHERE s = 'a' OR id = 2", True),
    ("CREATE TYPE mood AS ENUM ('a', 'b');\nCREATE TABLE m (id int, s mood);\n"
     "DELETE FROM m x WHERE x.s::text = 'q'", True),
]


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statement.split(";\n")], valid)
