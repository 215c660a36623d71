"""What the fold models it checks as PostgreSQL would (issue 15), for kinds of statement earlier
fuzz runs found ``squash`` exiting 0 on while PostgreSQL 15 refuses them: a ``LANGUAGE sql``
body whose statement starts with a key word no statement starts with (``$$ FROM t $$``); an
aggregate of ``pg_catalog`` called with no argument (``sum()``, ``count()``); a built-in type's
modifier that is a name (``numeric(a8, 2)``, ``varchar(size)``); an operator no operator of
``pg_catalog`` is named as (``a <>*/ b``, ``SELECT | 1``); a name alone as an ``INSERT ...
VALUES`` item (``VALUES (b)``); ``SET``, ``RESET`` or ``SHOW`` of a parameter PostgreSQL does
not have (``SET nope = 1``); a default that is a composite type's constant not written as a
record (``wallet 'EUR'``); a SQL function whose last ``SELECT 'x'`` cannot be its RETURNS
type (``integer``). Each case is asked of a real PostgreSQL in the same test, beside
valid neighbours, and the fold's verdict must agree: refused by both, or taken by both."""

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

#: (statements after SETUP, apart at ";\n"; whether PostgreSQL takes them)
CASES: list[tuple[str, bool]] = [
    # a SQL body's statement starts with "(" or a key word a statement starts with
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ FROM t $$", False),
    ("CREATE PROCEDURE p() LANGUAGE sql AS $$ FROM t $$", False),
    ("CREATE PROCEDURE p() LANGUAGE sql AS $$ DELETE FROM t; WHERE a = 1 $$", False),
    ("CREATE PROCEDURE p() LANGUAGE sql AS $$ \"select\" 1 $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ (SELECT 1) $$", True),
    ("CREATE FUNCTION f() RETURNS SETOF t LANGUAGE sql AS $$ TABLE t $$", True),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ WITH x AS (SELECT 1 AS y) "
     "SELECT y FROM x $$", True),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ VALUES (1) $$", True),
    ("CREATE PROCEDURE p() LANGUAGE sql AS $$ ; ; MERGE INTO t USING u ON t.id = u.id "
     "WHEN MATCHED THEN DELETE; NOTIFY x $$", True),
    ("CREATE PROCEDURE p() LANGUAGE sql AS $$ analyse t; vacuum t; reset all $$", True),
    ("SET check_function_bodies = false;\n"
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ FROM t $$", True),
    # an aggregate of pg_catalog takes an argument (count(*) is its own syntax)
    ("CREATE VIEW v AS SELECT count() FROM t", False),
    ("CREATE VIEW v AS SELECT sum() FROM t", False),
    ("SELECT max( ) FROM t", False),
    ("SELECT pg_catalog.count() FROM t", False),
    ("UPDATE t SET a = (SELECT \"sum\"() FROM u)", False),
    ("INSERT INTO u SELECT 1, count() OVER () FROM t", False),
    ("CREATE MATERIALIZED VIEW v AS SELECT avg(/* x */) FROM t", False),
    ("CREATE TABLE w (a int CHECK (sum() > 0))", False),
    ("CREATE INDEX ON t (count())", False),
    ("CREATE VIEW v AS SELECT count(*), sum(a), max(a), every(a > 1) FROM t", True),
    ("CREATE FUNCTION sum() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE VIEW v AS SELECT sum() FROM t", True),
    ("CREATE SCHEMA s;\nCREATE FUNCTION s.sum() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "SELECT s.sum()", True),
    ("DROP FUNCTION IF EXISTS sum()", True),
    ("SELECT 'sum()' FROM t", True),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN sum(); END $$", True),
    # a built-in type's modifiers are integers: a name is none
    ("CREATE TABLE w (x numeric( a8, 2))", False),
    ("CREATE TABLE w (x numeric(8, b))", False),
    ("CREATE TABLE w (x decimal(A8))", False),
    ("CREATE TABLE w (x numeric(\"A8\"))", False),
    ("CREATE TABLE w (x varchar(size))", False),
    ("CREATE TABLE w (x float(a))", False),
    ("CREATE TABLE w (x interval(a))", False),
    ("CREATE TABLE w (x char(a))", False),
    ("CREATE TABLE w (x character varying(a))", False),
    ("CREATE TABLE w (x bit(a))", False),
    ("CREATE TABLE w (x varbit(a))", False),
    ("CREATE TABLE w (x pg_catalog.varchar(a))", False),
    ("CREATE TABLE w (x time(a) with time zone)", False),
    ("ALTER TABLE t ADD COLUMN x numeric(p, 2)", False),
    ("ALTER TABLE t ALTER COLUMN a TYPE numeric(p, 2)", False),
    ("CREATE FUNCTION f(x numeric(a, 2)) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", False),
    ("CREATE TABLE w (x numeric(8, 2), y varchar(10), z bit varying(3), q float(10), "
     "r timestamp(3), s interval(2), c char(4), n numeric('8', 2), d numeric(8,-2))", True),
    ("CREATE TABLE w (x numeric(8, 2)[], y decimal, z varchar)", True),
    ("CREATE TYPE numeric AS (a int);\nCREATE TABLE w (x public.numeric)", True),
    # an operator is named as PostgreSQL's scanner reads it: the longest run of operator
    # characters, cut where a comment starts, a trailing + or - dropped unless it has one of
    # ~!@#^&|`?%; a binary operator's name must be one pg_catalog has, a prefix operator's too
    ("SELECT a <>*/ b FROM t", False),
    ("CREATE VIEW v AS SELECT a <>*/ 1 FROM t", False),
    ("CREATE INDEX ON t ((a <>* 1))", False),
    ("SELECT 2 @-1", False),
    ("SELECT 2 ||-1", False),
    ("SELECT a!=-1 FROM t", False),
    ("SELECT a%-1 FROM t", False),
    ("SELECT a^-1, a+-1 FROM t", False),
    ("SELECT to_tsvector('a')@@to_tsquery('a'), '[1]'::jsonb@>'[1]', 'a'~*'A', 'a'!~'b', "
     "1<<2, 8>>1, ~1, |/4, 'x'^@'x', int4range(1,2)-|-int4range(2,3), "
     "inet '1.2.3.4'<<=inet '1.2.3.0/24', '{\"a\":1}'::jsonb@?'$.a', a*-1, a/-1, a^ -1, "
     "a+-1 FROM t", True),
    ("SELECT a `~ b FROM t", False),
    ("SELECT | 1", False),
    ("CREATE VIEW v AS SELECT | 1", False),
    ("UPDATE t SET a = 1 WHERE | a = 1", False),
    ("SELECT a FROM t WHERE a = 1 AND ! a", False),
    ("INSERT INTO t VALUES (1, ! 2, 'x')", False),
    ("CREATE EXTENSION pgcrypto;\nSELECT a <>*/ b FROM t", False),
    ("SELECT a<>-1, a*-a, a>=-1, a=-1, a<-1, b||'x', '{\"a\":1}'::jsonb->-1 FROM t", True),
    ("SELECT a <> 1, a /* x */ + 1, a +/* c */ 1, a --x\n + 1 FROM t", True),
    ("SELECT |/ 4.0, ||/ 8.0, @ -1, ~ 1, - 1, + 1, (- 1), t.* FROM t", True),
    ("SELECT count(*) FROM t ORDER BY 1 USING <", True),
    ("SELECT '{\"a\":1}'::jsonb ? 'a', '{\"a\":1}'::jsonb ?| array['a'], "
     "'{\"a\":1}'::jsonb @> '{}', '[1]'::jsonb #- '{0}'", True),
    ("SELECT point '(1,1)' <-> point '(2,2)', box '((0,0),(1,1))' &< box '((0,0),(2,2))', "
     "'a'::text ~~* 'A', 'a' !~~ 'b', 'a' ^@ 'a'", True),
    ("CREATE TABLE w (a int CHECK (a >= 0 AND a <> -1), c int4range, "
     "EXCLUDE USING gist (c WITH &&))", True),
    ("SELECT 3 OPERATOR(pg_catalog.+) 4", True),
    # an operator of two characters starting a list item is no grammar token (hstore's %%)
    ("CREATE EXTENSION hstore;\nSELECT 1, %% 'a=>1'::hstore, %# 'a=>1'::hstore", True),
    ("SELECT 1, % 2", False),
    ("UPDATE t SET a = 1, = b", False),
    ("SELECT CASE WHEN a = 1 THEN ~ a ELSE - a END FROM t", True),
    # a configuration parameter without a dot must be one of PostgreSQL's
    ("RESET some_unknown_param", False),
    ("SET some_unknown_param = 1", False),
    ("SET LOCAL some_unknown_param = 1", False),
    ("SET SESSION some_unknown_param TO 1", False),
    ("SHOW some_unknown_param", False),
    ("SET \"Work_Mem\" = '4MB';\nSET Work_Mem TO '8MB';\nSET LOCAL work_mem = '4MB'", True),
    ("SET myapp.foo = 'x';\nRESET myapp.foo;\nSHOW myapp.foo", True),
    ("SET \"myapp.user_id\" = '1';\nSET LOCAL \"myapp.user_id\" TO '2';\n"
     "RESET \"myapp.user_id\"", True),
    ("SET \"nodot\" = 1", False),
    ("SET search_path = public;\nRESET search_path;\nRESET ALL;\nSET TIME ZONE 'UTC'", True),
    ("SET default_with_oids = false;\nSET seed = 0.5;\nSET TimeZone = 'UTC';\n"
     "SET DateStyle = 'ISO, MDY';\nSET sort_mem = '4MB';\nRESET timezone", True),
    ("SET statement_timeout = 0;\nSET lock_timeout = 0;\n"
     "SET idle_in_transaction_session_timeout = 0;\nSET client_encoding = 'UTF8';\n"
     "SET standard_conforming_strings = on;\nSET check_function_bodies = false;\n"
     "SET xmloption = content;\nSET client_min_messages = warning;\nSET row_security = off;\n"
     "SET default_tablespace = '';\nSET default_table_access_method = heap;\n"
     "SET session_replication_role = replica;\nSHOW server_version", True),
    # a composite type's constant is a record literal, which starts with "("
    ("CREATE TYPE wallet AS (cur text, amt numeric);\n"
     "CREATE TABLE w (id int, x wallet DEFAULT wallet 'EUR')", False),
    ("CREATE TYPE wallet AS (cur text, amt numeric);\n"
     "CREATE TABLE w (id int, x wallet DEFAULT 'EUR'::wallet)", False),
    ("CREATE TYPE wallet AS (cur text, amt numeric);\n"
     "ALTER TABLE t ADD COLUMN x wallet DEFAULT public.wallet 'EUR'", False),
    ("CREATE TYPE wallet AS (cur text, amt numeric);\nALTER TABLE t ADD COLUMN x wallet;\n"
     "ALTER TABLE t ALTER COLUMN x SET DEFAULT wallet '  EUR'", False),
    ("CREATE TYPE wallet AS (cur text, amt numeric);\n"
     "CREATE TABLE w (id int, x wallet DEFAULT wallet '(EUR,1)', y wallet DEFAULT "
     "'(USD,2)'::wallet, z wallet DEFAULT ROW('EUR', 1)::wallet, q wallet DEFAULT "
     "wallet ' (a,1)')", True),
    ("CREATE TYPE mood AS ENUM ('a');\nCREATE TABLE w (id int, x mood DEFAULT mood 'a', "
     "y text DEFAULT text 'EUR', d date DEFAULT date '2020-01-01')", True),
    # a SQL function's last SELECT returns its RETURNS type, or one assignable to it
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 'x'::text $$", False),
    ("CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 'x' $$", False),
    ("CREATE FUNCTION f() RETURNS boolean LANGUAGE sql AS $$ DELETE FROM t; SELECT '1'; $$",
     False),
    ("CREATE FUNCTION f(a int) RETURNS SETOF uuid LANGUAGE sql AS $$ SELECT 'x' $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 'x'; END", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1::bigint $$;\n"
     "CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE FUNCTION h() RETURNS varchar LANGUAGE sql AS $$ SELECT 'x'::text $$;\n"
     "CREATE FUNCTION i() RETURNS regclass LANGUAGE sql AS $$ SELECT 't' $$;\n"
     "CREATE FUNCTION j(OUT a int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE FUNCTION k() RETURNS int LANGUAGE sql AS $$ SELECT '1'::int $$;\n"
     "CREATE FUNCTION l() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN '1'; END $$;\n"
     "CREATE FUNCTION m(x anyelement) RETURNS int LANGUAGE sql AS $$ SELECT 'x' $$;\n"
     "CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 'x' $$", True),
    ("SET check_function_bodies = false;\n"
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 'x' $$", True),
    # a comment opened in a body and left open (comments nest) ends the body's text
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN /* a /* b */ RETURN 1; "
     "END $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 /* a /* b */ $$", False),
    ("CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 /* x $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN /* a /* b */ */ RETURN 1; "
     "END $$;\nCREATE FUNCTION g() RETURNS text LANGUAGE sql AS $$ SELECT '/*' /* c */ $$",
     True),
    # no column is in scope in an INSERT's VALUES list
    ("INSERT INTO t (id) VALUES (b)", False),
    ("INSERT INTO t VALUES (1, \"A\", 'x')", False),
    ("INSERT INTO t VALUES (1, 2, b::text)", False),
    ("INSERT INTO t VALUES (1, 2, 'x'), (2, 3, zz)", False),
    ("WITH x AS (SELECT 1 AS y) INSERT INTO t VALUES (1, 2, y)", False),
    ("INSERT INTO t VALUES (1, DEFAULT, current_user), (2, NULL, session_user), "
     "(3, 4, current_date::text), (5, 6, user), (7, 8, date '2020-01-01')", True),
    ("INSERT INTO t VALUES (1, (SELECT c FROM u LIMIT 1), 'x') ON CONFLICT (id) DO UPDATE "
     "SET a = excluded.a", True),
    ("CREATE VIEW vv AS SELECT id, a FROM t;\nCREATE RULE r AS ON INSERT TO vv DO INSTEAD "
     "INSERT INTO t VALUES (new.id, new.a, 'x')", True),
    ("CREATE EXTENSION hstore;\nSELECT 'a=>1'::hstore ?| array['a'], t #= 'a=>1'::hstore "
     "FROM t", True),
]


@pytest.mark.parametrize(("statements", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statements: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], valid)


@pytest.mark.parametrize("statement", ["CREATE VIEW v AS SELECT count() FROM t",
                                       "CREATE VIEW v AS SELECT sum() FROM t",
                                       "CREATE PROCEDURE p() LANGUAGE sql AS $$ FROM t $$"])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, statement]))
    with pytest.raises(InputError) as refused:
        fold_sql(";\n".join([*SETUP, statement]) + ";\n")
    assert f"<sql>:3: {said}" in str(refused.value)
