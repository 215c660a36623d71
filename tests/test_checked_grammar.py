"""Statement grammar PostgreSQL checks and the fold must check too (issue 15): each refused
statement here is one the fuzz run found ``squash`` exiting 0 on while PostgreSQL refuses it
(a string or name left open in a function's body, a SET list item ``a,b = x``, an alias
followed by a second name, a select list item's label followed by a name or a dot, a number
apart from ``.50``, an operator with no right operand, ``IN ()``, a top-level SELECT naming a
column with no FROM), each beside valid neighbours. Every verdict is asked of a real
PostgreSQL in the same test, so that a refusal can never be of a statement PostgreSQL
applies; PostgreSQL's message must hold the error fragment, and so must the fold's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postgresql_verdict import first_line, fold_refusal_text, refusal
from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # parentheses around nothing in a DEFAULT or a VALUES item; INSERT INTO with no table; a
    # word after a type modifier
    ("ALTER TABLE t ADD COLUMN seen_at timestamptz DEFAULT ()", 'syntax error at or near ")"'),
    ("INSERT INTO t VALUES (1, (), 'x')", 'syntax error at or near ")"'),
    ("CREATE TABLE w (a timestamptz DEFAULT (now()), b text DEFAULT ('x'), c int DEFAULT (1), "
     "d timestamptz DEFAULT now())", None),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO (id, c) "
     "VALUES (NEW.id, 'created'); RETURN NEW; END $$", 'syntax error at or near "("'),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO u (id, c) "
     "VALUES (NEW.id, 1); RETURN NEW; END $$", None),
    ("CREATE TABLE w (amount numeric(10 status,2))", 'syntax error at or near "status"'),
    ("CREATE TABLE w (amount numeric(10, 2), b varchar(20), c timestamp(3) with time zone, "
     "d interval(2), e numeric(10), f bit varying(5), g char(2), h decimal(5,2))", None),
    # a top-level SELECT with no FROM naming a qualified column
    ("CREATE SEQUENCE s1;\nSELECT pg_catalog.setval ,('s1', 2000, false)",
     'missing FROM-clause entry for table "pg_catalog"'),
    ("CREATE SEQUENCE s1;\nSELECT pg_catalog.setval('s1', 2000, false), public.nextval_x AS n",
     'missing FROM-clause entry for table "public"'),
    ("CREATE SEQUENCE s1;\nSELECT pg_catalog.setval('s1', 2000, false), (SELECT t.id FROM t "
     "LIMIT 1) AS i, ('(1,2)'::point)[0] AS x, now()::date", None),
    # IS [NOT] with nothing to test; a cast after a word no operand ends on; a reserved word
    # after a call's argument
    ("ALTER TABLE t ADD CONSTRAINT c CHECK (a <> 1 OR b IS NOT )", 'syntax error at or near ")"'),
    ("CREATE VIEW v AS SELECT id FROM t WHERE b IS", "syntax error at end of input"),
    ("ALTER TABLE t ADD CONSTRAINT c CHECK (a <> 1 OR b IS NOT NULL OR b IS DISTINCT FROM 'x' "
     "OR (a > 0) IS TRUE OR (a > 0) IS NOT UNKNOWN);\nCOMMENT ON COLUMN t.a IS NULL", None),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := 1; "
     "RETURN ::NEW; END $$", 'syntax error at or near "::"'),
    ("CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN IF true THEN RETURN "
     "NULL::text; END IF; RETURN (CASE WHEN true THEN 'a' END)::text || CASE WHEN false THEN "
     "'b' ELSE 'c' END::text; END $$", None),
    ("CREATE VIEW v AS SELECT NULL::int AS a, true::text AS b, current_date::text AS c, "
     "ARRAY[1]::int[] AS e FROM t", None),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE m jsonb; BEGIN "
     "m := jsonb_build_object('a', NEW.a, 'u', NEW.b CASE ); RETURN NEW; END $$",
     'syntax error at or near "CASE"'),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE m jsonb; BEGIN "
     "m := jsonb_build_object('a', NEW.a, 'u', CASE WHEN NEW.b IS NULL THEN 'x' ELSE NEW.b "
     "END, 'o', NEW.a IS NOT NULL AND true, 's', string_agg(NEW.b, ',' ORDER BY NEW.b)); "
     "RETURN NEW; END $$", None),
    # an empty conflict target; a SQL body's statement starting with no key word; a name then a
    # number in a call's arguments, a VALUES item or a DEFAULT, a call then a name; CREATE
    # ROLE's options
    ("INSERT INTO t VALUES (1, 1, 'x') ON CONFLICT () DO NOTHING", 'syntax error at or near ")"'),
    ("INSERT INTO t VALUES (1, 1, 'x') ON CONFLICT (id) DO NOTHING", None),
    ("CREATE PROCEDURE p(before int) LANGUAGE sql AS $$ DELETE$ FROM t WHERE id < before $$",
     'syntax error at or near "DELETE$"'),
    ("CREATE PROCEDURE p(before int) LANGUAGE sql AS $$ delete FROM t WHERE id < before; "
     "(SELECT 1); WITH x AS (SELECT 1) SELECT * FROM x; VALUES (1); TABLE t; NOTIFY x $$", None),
    ("UPDATE t SET b = lower(split_part(b 1, '@', 1))", 'syntax error at or near "1"'),
    ("UPDATE t SET b = lower(split_part(b, '@', 1)), a = round(a::numeric, 2) + "
     "extract(epoch FROM now())::int + position('x' IN b) + length(substring(b FROM 1 FOR 2))",
     None),
    ("CREATE TABLE s (updated integer DEFAULT nope 0)", 'syntax error at or near "0"'),
    ("CREATE SEQUENCE n;\nCREATE TABLE s (n bigint DEFAULT nextval('n') scratch_seq)",
     'syntax error at or near "scratch_seq"'),
    ("CREATE SEQUENCE n;\nCREATE TABLE s (n bigint DEFAULT nextval('n'::regclass), "
     "stamped timestamptz DEFAULT (now() AT TIME ZONE 'utc'), c text DEFAULT (('x') COLLATE "
     "\"C\"), d int DEFAULT (1 + 2) * 3, e boolean DEFAULT ((1 > 0) IS TRUE), g int DEFAULT -1, "
     "i interval DEFAULT interval '1 day', k text DEFAULT current_user)", None),
    ("INSERT INTO t VALUES (1, abs(-1) 2, 'x')", 'syntax error at or near "2"'),
    ("INSERT INTO t VALUES (1, length('ab') + 1, 'x'), (2, (SELECT 1) * 2, upper('y') || 'z'), "
     "(3, (1)::int, ('a') COLLATE \"C\")", None),
    ("CREATE ROLE r1 NOLOGIN that", 'unrecognized role option "that"'),
    ("CREATE ROLE r1 \"LOGIN\"", 'unrecognized role option "LOGIN"'),
    ("CREATE ROLE r1 UNENCRYPTED PASSWORD 'x'", "UNENCRYPTED PASSWORD is no longer supported"),
    ("CREATE ROLE r1 LOGIN CONNECTION LIMIT", "syntax error at end of input"),
    ("CREATE ROLE r0;\nCREATE ROLE r1 WITH LOGIN PASSWORD 'p' VALID UNTIL 'infinity' "
     "CONNECTION LIMIT -1 INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
     "NOBYPASSRLS IN ROLE r0, pg_monitor ROLE current_user;\nCREATE USER r2 \"login\" "
     "ENCRYPTED PASSWORD 'x' SYSID 5;\nCREATE GROUP r3 IN GROUP r0 noinherit USER r2;\n"
     "CREATE ROLE r4 PASSWORD NULL ADMIN r0", None),
    # a comma before a clause, an empty index column list, a statement ending on ":", a
    # constraint's key word where an operand must be, a second label after a call's
    ("CREATE VIEW v AS SELECT id, a ,FROM t WHERE a = 1", 'syntax error at or near "FROM"'),
    ("CREATE VIEW v AS SELECT t.id, a FROM t, u WHERE a = 1 GROUP BY t.id, a ORDER BY t.id, a",
     None),
    ("SELECT a, FROM t", 'syntax error at or near "FROM"'),
    ("CREATE INDEX ti ON t ()", 'syntax error at or near ")"'),
    ("CREATE INDEX ti ON t ((a + 1), b DESC NULLS LAST) WHERE a > 0", None),
    ("ALTER TABLE t ALTER COLUMN a TYPE bigint USING round(a):", 'syntax error at or near ":"'),
    ("UPDATE t SET a = 1 WHERE id = 1 RETURNING a:", 'syntax error at or near ":"'),
    ("ALTER TABLE t ADD CONSTRAINT c CHECK (a > UNIQUE= 0)", 'syntax error at or near "="'),
    ("ALTER TABLE t ADD CONSTRAINT c CHECK (a > UNIQUE (SELECT 1))",
     "UNIQUE predicate is not yet implemented"),
    ("ALTER TABLE t ADD CONSTRAINT c CHECK (a = PRIMARY)", 'syntax error at or near "PRIMARY"'),
    ("CREATE TABLE w (x int, y text, CONSTRAINT w_u UNIQUE (x), PRIMARY KEY (y), "
     "CHECK (x > 0), FOREIGN KEY (x) REFERENCES t)", None),
    ("CREATE VIEW v AS SELECT a, sum(id) MATERIALIZED AS total FROM t GROUP BY a",
     'syntax error at or near "AS"'),
    ("CREATE VIEW v AS SELECT (a) \"label\" AS x FROM t", 'syntax error at or near "AS"'),
    # after AS any key word is a label, a clause's too
    ("CREATE VIEW v AS SELECT b AS from, a AS where, id AS \"group\", a + 1 AS as FROM t "
     "WHERE a > 0", None),
    ("CREATE VIEW v AS SELECT b AS from FROM nope", 'relation "nope" does not exist'),
    ("CREATE VIEW v AS SELECT a, sum(id) materialized, (a) b, t.a ISNULL AS missing, "
     "(t.a) NOTNULL AS present, (t.a) AS as, b AS from, count(*) FILTER (WHERE a > 0) AS n, "
     "sum(a) OVER (PARTITION BY b) AS s, (b) COLLATE \"C\" AS c, (b) IS NULL AS y, "
     "now() AT TIME ZONE 'UTC' AS w FROM t GROUP BY a, b", None),
    # a string or quoted name a function's body opens and never closes
    ("CREATE PROCEDURE p(before int) LANGUAGE sql AS $$ DELETE FROM t\"oice WHERE id < before "
     "$$", "unterminated quoted identifier"),
    ("CREATE PROCEDURE p(before int) LANGUAGE sql AS $$ DELETE FROM \"t\" WHERE id < before $$",
     None),
    ("CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'x || b FROM t $$",
     "unterminated quoted string"),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
     "PERFORM pg_notify('x', 'y); RETURN NEW; END $$", "unterminated quoted string"),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
     "PERFORM pg_notify('x', 'y'); RETURN NEW; END $$", None),
    ("CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN /* a /* b */ "
     "RETURN 'x'; END $$", "unterminated /* comment"),
    ("CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN /* a /* b */ */ "
     "RETURN E'it\\'s' || U&'\\0041' || $q$'$q$ || 'x''y' || \"a$b\"; END $$", None),
    ("DO $$ BEGIN RAISE NOTICE 'x; END $$", "unterminated quoted string"),
    ("DO $$ BEGIN RAISE NOTICE 'x'; END $$", None),
    # an unreserved key word where a condition's operand starts is a column: no name after it
    ("DELETE FROM t WHERE returns id < 1", 'syntax error at or near "id"'),
    ("UPDATE t SET a = 1 WHERE a = 1 AND key 5", 'syntax error at or near "5"'),
    ("CREATE PROCEDURE p(before int) LANGUAGE sql AS $$ DELETE FROM t WHERE RETURNS id < before "
     "$$", 'syntax error at or near "id"'),
    ("CREATE TABLE k (key int, value int);\nSELECT 1 FROM k WHERE key = 1 AND value > 2", None),
    ("SELECT 1 FROM t WHERE double precision '1' > a AND text 'x' = b", None),
    # an UPDATE's SET list: each item a column (or a parenthesised list), then =
    ("UPDATE t SET a,b = 1", 'syntax error at or near ","'),
    ("CREATE FUNCTION f(p int) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
     "UPDATE t SET a,b = p, b = 'x' WHERE id = 1; END $$", 'syntax error at or near ","'),
    ("CREATE FUNCTION f(p int) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
     "UPDATE t SET a = (ARRAY[p, p, 2])[1], b = 'x' WHERE id = 1; END $$", None),
    ("UPDATE t SET (a, b) = (1, 'x'), id = 2", None),
    ("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 1, b = 'x'", None),
    ("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a, b = 1",
     'syntax error at or near ","'),
    ("MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = u.c, b = 'x'", None),
    ("MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a, b = 'x'",
     'syntax error at or near ","'),
    ("CREATE RULE r AS ON INSERT TO u DO INSTEAD UPDATE t SET a = new.c, b = 'x' "
     "WHERE t.id = new.id", None),
    # an UPDATE's or DELETE's target has one alias
    ("DELETE FROM t u g WHERE g.id = t.id", 'syntax error at or near "g"'),
    ("DELETE FROM t g USING u WHERE g.id = u.id", None),
    ("DELETE FROM t AS g WHERE g.id = 1 RETURNING g.a", None),
    ("UPDATE t x y SET a = 1", 'syntax error at or near "y"'),
    ("UPDATE t AS x SET a = 1", None),
    ("UPDATE ONLY t x SET a = 1", None),
    # a select list item ends on its label
    ("SELECT t.id, t.a, KEY t.b FROM t", 'syntax error at or near "."'),
    ("SELECT k.key kk, key FROM (SELECT 1 AS key) k", None),
    ("CREATE VIEW v AS SELECT *, a * 2 end AS d FROM t", 'syntax error at or near "AS"'),
    ("CREATE VIEW v AS SELECT *, a * 2 end FROM t", None),
    ("CREATE VIEW v AS SELECT *, CASE WHEN a > 0 THEN CASE WHEN a > 1 THEN 1 END END AS d "
     "FROM t", None),
    ("CREATE VIEW v AS SELECT p. FROM t p JOIN u q USING (id)", 'syntax error at or near "p"'),
    ("SELECT p.from x FROM (SELECT 1 AS from) p", None),
    ("SELECT a b.c FROM t", 'syntax error at or near "."'),
    # a number apart from .50 is two numbers; 10.50 is one
    ("INSERT INTO t (id, a) VALUES (1, 10/* a /* b */ */.50)", 'syntax error at or near ".50"'),
    ("INSERT INTO t (id, a) VALUES (1, 10.50)", None),
    ("SELECT 10 /* x */ + .50", None),
    # adjacent operator characters are one operator, which needs a right operand
    ("INSERT INTO t (id, b) VALUES (1, 'e'*/)", 'syntax error at or near ")"'),
    ("INSERT INTO t (id, b) VALUES (1, 'e' || '*/')", None),
    ("SELECT count(*), (2 * -1) FROM t", None),
    # a list in parentheses has an item
    ("SELECT 1 FROM t WHERE a IN ()", 'syntax error at or near ")"'),
    ("CREATE TABLE pp (id int, k text) PARTITION BY LIST (k);\n"
     "CREATE TABLE pc (id int, k text);\n"
     "ALTER TABLE pp ATTACH PARTITION pc FOR VALUES IN ()", 'syntax error at or near ")"'),
    ("CREATE TABLE pp (id int, k text) PARTITION BY LIST (k);\n"
     "CREATE TABLE pc PARTITION OF pp FOR VALUES IN ()", 'syntax error at or near ")"'),
    ("CREATE TABLE pp (id int, k text) PARTITION BY LIST (k);\n"
     "CREATE TABLE pc PARTITION OF pp FOR VALUES IN ('a')", None),
    # a top-level SELECT with no FROM has no column to name
    ("SELECT setval", 'column "setval" does not exist'),
    ('SELECT 1 AS a, "Setval" x', 'column "Setval" does not exist'),
    ("SELECT 1 AS setval, now() AS now, current_user, localtime", None),
    ("SELECT text 'x', 1 x", None),
    # a reserved word no select list starts with (fuzz seed 18); an empty list before a clause
    ("SELECT returning 'n' || g, g + 1 FROM generate_series(1, 3) AS g",
     'syntax error at or near "returning"'),
    ("SELECT FROM t", None),
    ("SELECT WHERE false", None),
    ("SELECT ALL a FROM t", None),
    ("SELECT NOT true, CASE WHEN true THEN 1 END, CAST(1 AS int), ARRAY[1], NULL, TRUE, "
     "CURRENT_DATE, localtimestamp, current_role, session_user, user", None),
    ("INSERT INTO t (id) SELECT id FROM u ON CONFLICT DO NOTHING", None),
    ("CREATE POLICY p ON t FOR SELECT USING (true)", None),
    # a list a GROUP BY, ORDER BY or PARTITION BY announces, cut off
    ("CREATE VIEW w AS SELECT a FROM t GROUP BY", "syntax error at end of input"),
    ("CREATE TABLE p (a int) PARTITION BY", "syntax error at end of input"),
    ("CREATE VIEW w AS SELECT a FROM t WINDOW x AS (PARTITION BY a ORDER BY b)", None),
    # PostgreSQL's scanner ends an operator where a comment starts: > then =
    ("CREATE TABLE v (x numeric CHECK (x >/*/**/*/= 0))", 'syntax error at or near "="'),
    ("CREATE TABLE v (x numeric CHECK (x >/* c */ 0), y int CHECK (y <> -/* c */1))", None),
    # a condition's operand followed by an unreserved key word no condition continues with,
    # or an operator with nothing on its left (fuzz seed 18)
    ("CREATE PROCEDURE ar(before date) LANGUAGE sql AS $$ DELETE FROM t WHERE b  before "
     "AND a = 1 $$", 'syntax error at or near "before"'),
    ("CREATE VIEW w AS SELECT count(*) FILTER (WHERE l REPLACE .a = 200) AS s FROM t l",
     'syntax error at or near "REPLACE"'),
    ("CREATE FUNCTION tn(i int) RETURNS text LANGUAGE sql STABLE AS $$ SELECT b FROM t WHERE "
     " = i $$", 'syntax error at or near "="'),
    ("SELECT a FROM t WHERE = 1", 'syntax error at or near "="'),
    ("CREATE VIEW w AS SELECT a FROM t WHERE now() AT TIME ZONE 'UTC' > now() AND b LIKE 'a!' "
     "ESCAPE '!' AND a OPERATOR(pg_catalog.=) 1 GROUP BY a HAVING count(*) FILTER (WHERE a > 0) "
     "> 0", None),
    ("CREATE VIEW w AS SELECT a FROM t WHERE a = 1 AND b IS NOT NULL AND a BETWEEN 1 AND 2 AND "
     "b NOT LIKE 'x' AND b SIMILAR TO 'x' AND a ISNULL AND b COLLATE \"C\" > 'a' ORDER BY a "
     "NULLS FIRST LIMIT 1 OFFSET 1 FOR UPDATE SKIP LOCKED", None),
    ("CREATE FUNCTION h() RETURNS void LANGUAGE plpgsql AS $$ DECLARE r record; BEGIN FOR r IN "
     "SELECT * FROM t WHERE a > 0 LOOP UPDATE u SET c = r.a WHERE id = r.id; EXIT WHEN r.a > 5; "
     "END LOOP; IF EXISTS (SELECT 1 FROM t WHERE a = 1) THEN RETURN; END IF; END $$", None),
    ("INSERT INTO t (id) VALUES (1) ON CONFLICT (id) WHERE id > 0 DO NOTHING", None),
    # ON right after a select list's item, then a comma
    ("CREATE VIEW w AS SELECT id ON, a AS g FROM t", 'syntax error at or near "ON"'),
    ("CREATE VIEW w AS SELECT t.id, u.c FROM t JOIN u ON u.id = t.id", None),
    ("INSERT INTO t (id, a) SELECT id, c FROM u ON CONFLICT (id) DO UPDATE SET a = 1, b = 'x'",
     None),
    # a PL/pgSQL assignment's value is one select item: a label, then nothing (a ; lost)
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := NEW.a + 1\n"
     " RETURN NEW; END $$", 'syntax error at or near "NEW"'),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN "
     "x := 1 + 2 y z; RETURN x; END $$", 'syntax error at or near "z"'),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int := 5; n int; BEGIN "
     "x := 1 + 2 y; x := CASE WHEN x > 1 THEN 2 ELSE 3 END; x := a FROM t WHERE id = 1; "
     "GET DIAGNOSTICS n := ROW_COUNT; x := abs(x := 1); RETURN x; END $$", None),
    ("CREATE FUNCTION g(a int, b int DEFAULT 0) RETURNS int LANGUAGE sql AS $$ SELECT a + b $$;\n"
     "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; r record; BEGIN "
     "x := g(a := 1, b := 2); FOR r IN SELECT * FROM t LOOP x := x + r.a; END LOOP; RETURN x; "
     "END $$", None),
    # a column's key has no column list; operators apart by space in any ALTER (fuzz seed 19)
    ("CREATE TABLE shop (code text, city text CONSTRAINT shop_key PRIMARY KEY (code))",
     'syntax error at or near "("'),
    ("CREATE TABLE shop (code text PRIMARY KEY, city text UNIQUE NULLS NOT DISTINCT, x int "
     "UNIQUE USING INDEX TABLESPACE pg_default, y int CHECK (y > 0), z int UNIQUE WITH "
     "(fillfactor = 70))", None),
    ("CREATE POLICY p ON t USING (true);\nALTER POLICY p ON t USING (a < > 1)",
     'syntax error at or near ">"'),
    ("CREATE POLICY p ON t USING (true);\nALTER POLICY p ON t USING (a > -1 AND a <> @ -2)",
     None),
    # a top-level VALUES cut off
    ("VALUES", "syntax error at end of input"),
    ("VALUES (1)", None),
    # two strings in a body are one only with a line break between
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
     "PERFORM pg_notify('jobs' ''); RETURN NEW; END $$", "syntax error at or near \"''\""),
    ("CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $$ SELECT 'a' /* c */ 'b' $$",
     "syntax error at or near \"'b'\""),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('j'\n"
     "  'x', 'y'); RAISE NOTICE 'a' -- c\n 'b'; RETURN NEW; END $$", None),
    # a row of VALUES, a column's new default, a role's options
    ("INSERT INTO t (id) VALUES ()", 'syntax error at or near ")"'),
    ("INSERT INTO t (id) VALUES (1), (2)", None),
    ("ALTER TABLE t ALTER COLUMN a SET DEFAULT", "syntax error at end of input"),
    ("ALTER TABLE t ALTER COLUMN a SET DEFAULT 1, ALTER COLUMN b SET DEFAULT NULL", None),
    ("CREATE ROLE grammar_r0 ::NOLOGIN", 'syntax error at or near "::"'),
    ("CREATE ROLE grammar_r1 WITH LOGIN PASSWORD 'x' VALID UNTIL 'infinity' CONNECTION LIMIT -1;\n"
     "CREATE ROLE grammar_r2 PASSWORD NULL NOSUPERUSER INHERIT;\n"
     "CREATE USER grammar_u3 ENCRYPTED PASSWORD 'md5abc' IN ROLE grammar_r1, grammar_r2;\n"
     "CREATE ROLE \"Grammar 4\" NOLOGIN;\nCREATE GROUP grammar_g5 WITH USER grammar_u3;\n"
     "CREATE ROLE grammar_r6 ADMIN grammar_r1 ROLE grammar_r2 BYPASSRLS REPLICATION "
     "CREATEDB CREATEROLE", None),
]


def _postgresql_error(pg_cluster: Cluster, db: str, statements: list[str]) -> str | None:
    """PostgreSQL's first error line for the statements (rolled back), or None."""
    return first_line(refusal(pg_cluster, db, statements))


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_grammar_as_postgresql_has_it(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                      statement: str, fragment: str | None) -> None:
    statements = [*BASE, *statement.split(";\n")]
    postgresql = _postgresql_error(pg_cluster, fresh_db(), statements)
    fold = fold_refusal_text(statements)
    if fragment is None:
        assert postgresql is None
        assert fold is None
    else:
        assert postgresql is not None and fragment in postgresql, postgresql
        assert fold is not None and fragment in fold, fold


def test_an_open_string_in_a_body_names_its_line() -> None:
    """The error names the line where the string opens, as PostgreSQL's position does."""
    with pytest.raises(InputError) as caught:
        fold_sql("CREATE TABLE t (a int);\n"
                 "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
                 "BEGIN\n"
                 "    PERFORM pg_notify('x', 'y);\n"
                 "END $$;\n")
    assert caught.value.line == 4
    assert "unterminated quoted string" in str(caught.value)
