"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 31 found ``squash`` exiting 0 on while PostgreSQL refuses them: a PL/pgSQL
statement whose ``;`` was lost before the block's ``END`` (``RETURN NEW END;``: PostgreSQL reads
a statement to its ``;``, the ``END`` becomes the item's label, and the body ends without one),
and a column's ``DEFAULT`` that starts with a name followed by another (``DEFAULT REPLACE
now()``: a DEFAULT has no label), and a ``GROUP BY`` item followed by ``text`` (``GROUP BY
s.code text``: an item has no label). Each case is asked of a real PostgreSQL in the same test,
beside valid neighbours, and the fold's verdict must agree: refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import (
    assert_judged_alike,
    assert_refusal_says_what_postgresql_says,
)
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
]

#: (statement after SETUP, whether PostgreSQL takes it)
CASES: list[tuple[str, bool]] = [
    # a statement is read to its ';': an END before it is a label, and the block has none
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    NEW.a := 1;\n"
     "    RETURN NEW\nEND;\n$$", False),
    ("DO $$ BEGIN PERFORM 1\nEND; $$", False),
    ("DO $$ DECLARE x int; BEGIN x := 1\nEND; $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1 END $$", False),
    ("DO $$ BEGIN IF true THEN NULL; END IF; PERFORM 1 END $$", False),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1 END; END $$", True),
    ("DO $$ BEGIN PERFORM 1 END; END; $$", True),
    ("DO $$ BEGIN IF true THEN PERFORM 1 END; ELSE PERFORM 2 END; END IF; "
     "LOOP EXIT WHEN true END; END LOOP; END $$", True),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
     "NEW.a := CASE WHEN NEW.a > 0 THEN 1 ELSE 2 END; RETURN NEW; END; $$", True),
    ("CREATE FUNCTION f() RETURNS SETOF int LANGUAGE plpgsql AS $$ <<o>> DECLARE n int; "
     "c CURSOR FOR SELECT 1; BEGIN GET DIAGNOSTICS n = ROW_COUNT; RETURN QUERY SELECT a FROM t; "
     "RETURN NEXT 1; BEGIN NULL; EXCEPTION WHEN others THEN NULL; END; END o $$", True),
    # a DEFAULT has no label: a name starting it is followed by a string (a typed constant),
    # never by a name no key word is
    ("CREATE TABLE e (id int, c timestamptz NOT NULL DEFAULT REPLACE now())", False),
    ("CREATE TABLE e (id int, c timestamptz DEFAULT foo now())", False),
    ("CREATE TABLE e (id int, c text DEFAULT key foo)", False),
    ("CREATE TABLE e (id int, c text DEFAULT replace \"y\"())", False),
    ("ALTER TABLE t ALTER COLUMN b SET DEFAULT replace now()", False),
    ("CREATE TABLE e (id int, c float8 DEFAULT double precision '1.5', "
     "d text DEFAULT replace('a', 'b', 'c') NOT NULL, f text DEFAULT text 'x' COLLATE \"C\", "
     "g text DEFAULT \"text\" 'x', h numeric DEFAULT numeric(5,2) '1.5', "
     "i text DEFAULT current_user COLLATE \"C\", j text DEFAULT replace ('a', 'b', 'c'), "
     "k text DEFAULT pg_catalog.replace('a','b','c'), l varchar DEFAULT character varying 'x', "
     "m timestamptz DEFAULT timestamp with time zone 'now')", True),
    ("ALTER TABLE t ALTER COLUMN b SET DEFAULT replace('a', 'b', 'c')", True),
    # a GROUP BY or ORDER BY item has no label, text (an unreserved key word) no more than
    # any other name
    ("CREATE VIEW v AS SELECT t.id, count(*) AS n FROM t GROUP BY t.id text", False),
    ("SELECT t.id FROM t ORDER BY t.id text", False),
    ("SELECT array_agg(a ORDER BY a text) FROM t", False),
    ("SELECT b AS text FROM t ORDER BY text DESC, t.id", True),
    ("SELECT b AS text FROM t GROUP BY text, b", True),
    ("SELECT string_agg(b, ',' ORDER BY b) AS text, row_number() OVER (ORDER BY t.id ROWS "
     "BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) text FROM t GROUP BY t.id ORDER BY t.b::text",
     True),
    ("CREATE VIEW v AS SELECT t.b text FROM t GROUP BY t.b", True),
    # an operator has a right operand, after a column named by an unreserved key word too
    ("CREATE TABLE m (id int, value numeric CHECK (value >= ))", False),
    ("CREATE TABLE m (id int, key int CHECK (key < ))", False),
    ("CREATE TABLE m (id int, name text, CHECK (name <> ))", False),
    ("CREATE TABLE m (id int, value numeric CHECK (value >= 0), key int CHECK (key <= +1), "
     "name text CHECK (name <> '' OR name IS NULL), "
     "CONSTRAINT c CHECK (value >= 0 AND value < 100))", True),
    ("CREATE OPERATOR CLASS oc FOR TYPE int4 USING btree AS OPERATOR 1 <, OPERATOR 2 <=, "
     "OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 btint4cmp(int4, int4)", True),
    ("CREATE AGGREGATE mymax(int4) (SFUNC = int4larger, STYPE = int4, SORTOP = >)", True),
    ("CREATE OPERATOR === (LEFTARG = int4, RIGHTARG = int4, FUNCTION = int4eq, "
     "COMMUTATOR = ===, NEGATOR = !==)", True),
    ("SELECT array_agg(a ORDER BY a USING <) FROM t", True),
    # a CHECK constraint's calls are looked up when it is added, as a default's are
    ("CREATE TABLE k (id int, code text CHECK (is_valid_code(code)))", False),
    ("CREATE FUNCTION is_valid_code(t text) RETURNS bool LANGUAGE sql AS $$ SELECT true $$; "
     "CREATE TABLE k (id int, code text CHECK (is_valid_code$x$(code)))", False),
    ("CREATE TABLE k (id int, code text); "
     "ALTER TABLE k ADD CONSTRAINT c CHECK (nope(code)) NOT VALID", False),
    ("CREATE TABLE k (id int, code text CHECK (char_length(code) < 10 AND lower(code) = code), "
     "d date CHECK (date_part('year', d) > 2000), n numeric CHECK (int4(n) > 0), "
     "r int4range CHECK (NOT isempty(r)), j jsonb CHECK (jsonb_typeof(j) = 'object'), "
     "CHECK (num_nonnulls(id, code) = 2), CHECK (pg_catalog.length(code) > 0))", True),
    ("CREATE FUNCTION ok_code(t text) RETURNS bool LANGUAGE sql AS $$ SELECT true $$; "
     "CREATE TYPE mood AS ENUM ('a', 'b'); "
     "CREATE TABLE k (id int, code text CHECK (ok_code(code)), CHECK (public.ok_code(code)), "
     "m mood CHECK (m <> mood('a')), x text CHECK (EXTRACT(year FROM now()) > 0 "
     "AND coalesce(x, '') <> ''))", True),
    ("CREATE FUNCTION f(t text) RETURNS bool LANGUAGE sql AS $$ SELECT true $$; "
     "CREATE TABLE k1 (id int, code text CHECK (f(code))); "
     "ALTER FUNCTION f(text) RENAME TO g; CREATE TABLE k2 (LIKE k1 INCLUDING CONSTRAINTS); "
     "CREATE TABLE k3 () INHERITS (k1); ALTER TABLE k1 ADD COLUMN y int CHECK (y > 0)", True),
    # a qualified call's schema is looked up first
    ("CREATE INDEX ix ON t (nosuch.normalise(b))", False),
    ("CREATE TABLE d (id int, b text DEFAULT nosuch.f())", False),
    ("CREATE TABLE d (id int, b text CHECK (nosuch.f(b)))", False),
    ("CREATE SCHEMA util; CREATE FUNCTION normalise(x text) RETURNS text LANGUAGE sql IMMUTABLE "
     "AS $$ SELECT lower(x) $$; ALTER FUNCTION normalise(text) SET SCHEMA util; "
     "CREATE INDEX ix ON t (item_norm_allutil.normalise(b))", False),
    ("CREATE TABLE d (id int, b text DEFAULT nosuch.int4(1))", False),
    ("CREATE TYPE mood AS ENUM ('a'); CREATE TABLE d (id int, m mood DEFAULT nosuch.mood('a'))",
     False),
    ("CREATE TYPE mood AS ENUM ('a'); CREATE TABLE d (id int, m mood DEFAULT public.mood('a'), "
     "n int DEFAULT pg_catalog.int4(1), b text DEFAULT 'x'::pg_catalog.varchar(3))", True),
    ("CREATE SCHEMA util; CREATE FUNCTION util.norm(x text) RETURNS text LANGUAGE sql IMMUTABLE "
     "AS $$ SELECT lower(x) $$; CREATE INDEX ix ON t (util.norm(b), pg_catalog.lower(b)); "
     "CREATE TABLE d (id int, b text DEFAULT util.norm('A') CHECK (util.norm(b) <> ''))", True),
    ("CREATE SCHEMA ext; CREATE EXTENSION IF NOT EXISTS hstore SCHEMA ext; "
     "CREATE TABLE d (id int, b text DEFAULT ext.hstore('a', 'b')::text, "
     "c text[] DEFAULT ext.akeys(ext.hstore('a', 'b')))", True),
    # a DELETE's table and alias are followed by USING, WHERE, RETURNING or its end
    ("DELETE FROM t a < 1", False),
    ("CREATE PROCEDURE p(before int) LANGUAGE sql AS $$ DELETE FROM t  a < before AND b = 'x' "
     "$$", False),
    ("DELETE FROM t x y", False),
    ("DELETE FROM ONLY t * WHERE a < 1", False),
    ("SELECT * FROM ONLY t * WHERE a < 1", False),
    ("DELETE FROM t x WHERE x.a < 1", True),
    ("DELETE FROM public.t AS x USING t y WHERE x.a < y.a RETURNING *", True),
    ("DELETE FROM ONLY public.t x WHERE x.a = 1", True),
    ("DELETE FROM t \"x\" WHERE \"x\".a = 1", True),
    ("DELETE FROM t key WHERE key.a = 1", True),
    ("WITH d AS (DELETE FROM t RETURNING a), e AS (DELETE FROM t) SELECT count(*) FROM d", True),
    ("DO $$ DECLARE n int; BEGIN DELETE FROM t x WHERE x.a = 1 RETURNING x.a INTO n; END $$",
     True),
    ("CREATE TABLE w (id int); CREATE RULE r AS ON DELETE TO t DO ALSO "
     "(DELETE FROM w WHERE w.id = old.id; DELETE FROM w)", True),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DELETE FROM t; "
     "DELETE FROM t WHERE a = 1 $$", True),
    # the star after a relation's name: the table and its children (old spelling)
    ("DELETE FROM t * WHERE a = 1", True),
    ("DELETE FROM public.t * WHERE a = 1", True),
    ("SELECT * FROM t * WHERE a = 1", True),
    ("UPDATE t * SET a = 1 WHERE a = 2", True),
    ("SELECT * FROM t x JOIN t * ON t.id = x.id WHERE x.a = 1", True),
    ("UPDATE t SET a = a * WHERE a = 1", False),
    # - before a string alone: the string's type is unknown, and prefix minus has several
    ("INSERT INTO t (id, b) VALUES (2, - 'bob')", False),
    ("SELECT - '1'", False),
    ("CREATE TABLE w (id int, a int DEFAULT - '1')", False),
    ("SELECT '{1}'::int[], - E'1'", False),
    ("INSERT INTO t (id, a) VALUES (2, + '1'), (3, - '1'::int)", True),
    ("SELECT - '1'::int, -'1'::numeric, (- 1), - t.a, 1 - '1', @ '1', - '1 day'::interval, "
     "- interval '1 day', - 1.5, - (- 1) FROM t", True),
    ("CREATE FUNCTION neg_text(text) RETURNS text LANGUAGE sql AS $$ SELECT reverse($1) $$; "
     "CREATE OPERATOR - (RIGHTARG = text, FUNCTION = neg_text); "
     "INSERT INTO t (id, b) VALUES (2, - 'bob')", True),
]


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


@pytest.mark.parametrize("statement", ["DO $$ BEGIN PERFORM 1\nEND; $$"])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db, [*SETUP, statement])
