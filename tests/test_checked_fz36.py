"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 36 found ``squash`` exiting 0 on while PostgreSQL refuses them: a select list
item's label followed by an operator (``SELECT id, a, a big = 1``: the name after an item ends it
as its label, and no operator follows a label), a condition's operand followed by a constant
(``WHERE flag TRUE``: an operator lost), a statement ending on ``::`` (``'x'::`` cut short), and
a PL/pgSQL condition with a name then a number (``IF NEW.a <= RAISE 0 THEN``: RAISE is a
column to the SELECT PostgreSQL reads the condition as, and a label is never a number). Beside
them, a table's element after an ``EXCLUDE ... WHERE (...)`` predicate, which the fold refused
(``b mood`` read as two operands of the predicate) and PostgreSQL takes. Each case is asked of
a real PostgreSQL in the same test, and the fold's verdict must agree: refused by both, or
taken by both. Also a star after a call's argument (``count( n*)``: a product without its right
operand), and a function body's string that never closes after a plain string holding a
backslash that escapes no quote (``(idE'\\q, c) VALUES (NEW.id, 'made')``: the string ends at
the same quote whether the backslash escapes or not, and the body is read on from there)."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike, assert_refusal_says_what_postgresql_says
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: (statements after SETUP, whether PostgreSQL takes them): labels, then operators
LABEL_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT id, a, a big = 1 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a AS big = 1 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a big + 1 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a \"big\" = 1 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a big || 'x' FROM t", False),
    ("CREATE VIEW v1 AS SELECT a AS big || 'x' FROM t", False),
    ("CREATE VIEW v1 AS SELECT t.a big = 1 FROM t", False),
    ("CREATE VIEW v1 AS SELECT 1 big = 1", False),
    ("CREATE VIEW v1 AS SELECT a big ~ 'x' FROM t", False),
    ("CREATE VIEW v1 AS SELECT a big - 1 FROM t", False),
    ("CREATE FUNCTION f1(x int) RETURNS int LANGUAGE sql AS $$ SELECT x big + 1 $$", False),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN "
     "x := 1 big = 1; RETURN x; END $$", False),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN "
     "RAISE NOTICE '%', x big = 1; RETURN x; END $$", False),
    ("CREATE VIEW v1 AS SELECT id, a big, a = 1 AS small FROM t", True),
    ("CREATE VIEW v1 AS SELECT a = 1 big FROM t", True),
    ("CREATE VIEW v1 AS SELECT a big FROM t WHERE a = 1", True),
    ("CREATE VIEW v1 AS SELECT a AS big, b AS small FROM t", True),
    ("CREATE VIEW v1 AS SELECT a big, -a small, +a other FROM t", True),
    ("CREATE VIEW v1 AS SELECT a \"x y\", b AS \"z\" FROM t", True),
    ("CREATE VIEW v1 AS SELECT DISTINCT ON (a) a = 1 AS q FROM t", True),
    ("CREATE VIEW v1 AS SELECT DISTINCT ON (a) a q FROM t", True),
    ("CREATE VIEW v1 AS SELECT b COLLATE \"C\" = 'x' AS q FROM t", True),
    ("CREATE VIEW v1 AS SELECT b::text COLLATE \"C\" = 'x' AS q FROM t", True),
    ("CREATE VIEW v1 AS SELECT now() AT TIME ZONE z = now() AS q FROM (SELECT 'UTC' z) s",
     True),
    ("CREATE VIEW v1 AS SELECT count(*) FILTER (WHERE a > 0) big FROM t", True),
    ("CREATE FUNCTION f1(x int) RETURNS int LANGUAGE sql AS $$ SELECT x big $$", True),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN "
     "SELECT INTO x a = 1 FROM t; RETURN x; END $$", True),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; y int; BEGIN "
     "SELECT INTO x, y a, b = 'x' FROM t; RETURN x; END $$", True),
]


@pytest.mark.parametrize(("statement", "valid"), LABEL_CASES)
def test_an_operator_after_a_label_is_refused(pg_cluster: Cluster, pg_db: str,
                                              statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statements after SETUP, whether PostgreSQL takes them): a condition's operand, then a
#: constant; and a table's elements after an EXCLUDE constraint's predicate
CONSTANT_CASES: list[tuple[str, bool]] = [
    ("CREATE TABLE w (x boolean);\nCREATE INDEX i1 ON w (x) WHERE x TRUE", False),
    ("CREATE INDEX i1 ON t (a) WHERE a > 1 TRUE", False),
    ("CREATE INDEX i1 ON t (a) WHERE b NULL", False),
    ("CREATE INDEX i1 ON t (a) WHERE b FALSE", False),
    ("CREATE INDEX i1 ON t (a) WHERE \"b\" TRUE", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE b NULL", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE b = 'x' TRUE", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a = 1 NULL", False),
    ("CREATE FUNCTION f1(x int) RETURNS boolean LANGUAGE sql AS $$ SELECT x > 0 FROM t "
     "WHERE t.a TRUE $$", False),
    ("CREATE TABLE w (x boolean);\nCREATE INDEX i1 ON w (x) WHERE x = TRUE", True),
    ("CREATE TABLE w (x boolean);\nCREATE INDEX i1 ON w (x) WHERE x IS NOT TRUE", True),
    ("CREATE INDEX i1 ON t (a) WHERE a > 1 AND b IS NULL", True),
    ("CREATE INDEX i1 ON t (a) WHERE a ISNULL", True),
    ("CREATE INDEX i1 ON t (a) WHERE (a > 1) IS NOT TRUE", True),
    ("CREATE VIEW v1 AS SELECT a, CASE WHEN a > 0 THEN NULL ELSE TRUE END big FROM t", True),
    ("CREATE VIEW v1 AS SELECT a FROM t GROUP BY a HAVING count(*) > 1 AND bool_or(TRUE)",
     True),
    ("INSERT INTO t (id, a) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET a = NULL "
     "WHERE t.b IS NULL", True),
    ("UPDATE t SET a = NULL, b = NULL WHERE a IS NOT NULL", True),
    ("CREATE RULE r1 AS ON UPDATE TO u WHERE NEW.c IS NULL DO INSTEAD NOTHING", True),
    ("CREATE POLICY p1 ON t USING (a > 0 AND b IS NOT NULL) WITH CHECK (TRUE)", True),
    ("CREATE TABLE w (a int CHECK (a > 0) NULL, b int NULL)", True),
    ("CREATE TABLE w (a int, b int, EXCLUDE USING btree (a WITH =) WHERE (b > 0), "
     "c text NULL, d int DEFAULT NULL, CHECK (a > 0))", True),
    ("CREATE TYPE mood AS ENUM ('a');\n"
     "CREATE TABLE w (a int, EXCLUDE USING btree (a WITH =) WHERE (a > 0), b mood NULL)", True),
    ("CREATE TYPE mood AS ENUM ('a');\n"
     "CREATE TABLE w (a int, EXCLUDE USING btree (a WITH =) WHERE (a > 0), b mood)", True),
    ("CREATE TABLE w (a int, b int);\n"
     "ALTER TABLE w ADD EXCLUDE USING btree (a WITH =) WHERE (b > 0), ADD COLUMN c text NULL",
     True),
    ("CREATE PUBLICATION pb1 FOR TABLE t WHERE (a > 0), u (id, c)", True),
    ("CREATE PUBLICATION pb1 FOR TABLE t WHERE (a > 0), TABLE u WHERE (c IS NULL)", True),
]


@pytest.mark.parametrize(("statements", "valid"), CONSTANT_CASES)
def test_a_constant_after_an_operand_is_refused(pg_cluster: Cluster, pg_db: str,
                                                statements: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], valid)


#: (statements after SETUP, whether PostgreSQL takes them): a statement ending on a cast's ::
CAST_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT id, b = 'x'::", False),
    ("CREATE VIEW v1 AS SELECT id, b::", False),
    ("SELECT 1::", False),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE sql AS $$ SELECT 1:: $$", False),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE sql AS $$ SELECT 1::; $$", False),
    ("CREATE VIEW v1 AS SELECT id, b = 'x'::text FROM t", True),
    ("CREATE VIEW v1 AS SELECT id, b::text AS c FROM t", True),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE sql AS $$ SELECT 1::int $$", True),
]


@pytest.mark.parametrize(("statement", "valid"), CAST_CASES)
def test_a_statement_ending_on_a_cast_is_refused(pg_cluster: Cluster, pg_db: str,
                                                 statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


def _trigger(condition: str) -> str:
    return ("CREATE FUNCTION f1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{condition} RETURN NEW; END $$")


#: (statement after SETUP, whether PostgreSQL takes it): PL/pgSQL conditions
CONDITION_CASES: list[tuple[str, bool]] = [
    (_trigger("IF NEW.a <= RAISE 0 THEN RAISE EXCEPTION 'x'; END IF;"), False),
    (_trigger("IF NEW.a <= zz 0 THEN RAISE EXCEPTION 'x'; END IF;"), False),
    (_trigger("IF NEW.a <= 0 THEN RETURN NULL; ELSIF NEW.a \"q\" 2 THEN NULL; END IF;"), False),
    (_trigger("WHILE NEW.a 1 LOOP EXIT; END LOOP;"), False),
    (_trigger("IF NEW.a <= 0 THEN RAISE EXCEPTION 'x'; END IF;"), True),
    (_trigger("IF NEW.a <= RAISE THEN RAISE EXCEPTION 'x'; END IF;"), True),
    (_trigger("IF NEW.a > 1 zz THEN RAISE EXCEPTION 'x'; END IF;"), True),
    (_trigger("IF NEW.a BETWEEN 1 AND 2 THEN RAISE EXCEPTION 'x'; END IF;"), True),
    (_trigger("IF NEW.a IS DISTINCT FROM 0 OR NEW.a > ALL (ARRAY[1]) THEN RETURN NULL; "
              "END IF;"), True),
    (_trigger("IF EXISTS (SELECT 1 FROM t LIMIT 1 OFFSET 0) THEN RETURN NULL; END IF;"), True),
    (_trigger("IF NEW.a % 2 = 0 AND NEW.a::numeric(10, 2) > 1.5 THEN RETURN NULL; END IF;"),
     True),
    (_trigger("IF now() AT TIME ZONE 'UTC' > now() - interval '1 day' AND NEW.a IN (1, 2) "
              "THEN RETURN NULL; END IF;"), True),
    (_trigger("IF NEW.a > 1 THEN RETURN NEW; END IF; FOR i IN 1..2 LOOP NULL; END LOOP;"), True),
]


@pytest.mark.parametrize(("statement", "valid"), CONDITION_CASES)
def test_a_number_after_a_name_in_a_condition_is_refused(pg_cluster: Cluster, pg_db: str,
                                                         statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statement after SETUP, whether PostgreSQL takes it): a star after a call's argument
STAR_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT count( a*) AS n FROM t", False),
    ("CREATE VIEW v1 AS SELECT count( a *, 1) AS n FROM t", False),
    ("CREATE VIEW v1 AS SELECT coalesce(a*) AS n FROM t", False),
    ("CREATE VIEW v1 AS SELECT count(t.*) AS n, count(*) AS m FROM t", True),
    ("CREATE VIEW v1 AS SELECT count(a * 2) AS n FROM t", True),
    ("CREATE VIEW v1 AS SELECT 1 AS x FROM (t CROSS JOIN u *)", True),
    ("CREATE VIEW v1 AS SELECT 1 AS x FROM t *, u *", True),
    ("CREATE VIEW v1 AS SELECT 1 AS x FROM t WHERE a IN (SELECT c FROM u *)", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a = coalesce((SELECT c FROM u * LIMIT 1), 0)",
     True),
]


@pytest.mark.parametrize(("statement", "valid"), STAR_CASES)
def test_a_star_after_an_argument_is_refused(pg_cluster: Cluster, pg_db: str,
                                             statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


def _body(statements: str) -> str:
    return ("CREATE FUNCTION f1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{statements} RETURN NEW; END $$")


#: (statement after SETUP, whether PostgreSQL takes it): a body's plain string holding a
#: backslash that escapes no quote ends at the same quote by either reading of the backslash,
#: and the body is read on from there for a string it opens and never closes
STRING_CASES: list[tuple[str, bool]] = [
    (_body("INSERT INTO u (idE'\\q, c) VALUES (NEW.id, 'made');"), False),
    (_body("INSERT INTO u (id'\\q, c) VALUES (NEW.id, 'made');"), False),
    (_body("RAISE NOTICE '%', regexp_replace(NEW.b, '\\s+', ' , 'g');"), False),
    (_body("INSERT INTO u (id, c) VALUES (NEW.id, length(E'\\q'));"), True),
    (_body("RAISE NOTICE 'a\\b';"), True),
    (_body("RAISE NOTICE 'a\\';"), True),
    (_body("RAISE NOTICE 'a\\\\'; RAISE NOTICE 'it''s';"), True),
    (_body("RAISE NOTICE '%', regexp_replace(NEW.b, '\\s+', ' ', 'g');"), True),
]


@pytest.mark.parametrize(("statement", "valid"), STRING_CASES)
def test_a_string_a_body_never_closes_after_a_backslash_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


@pytest.mark.parametrize("statement", [
    "CREATE VIEW v1 AS SELECT count( a*) AS n FROM t",
    "CREATE VIEW v1 AS SELECT id, a, a big = 1 FROM t",
    "CREATE INDEX i1 ON t (a) WHERE b NULL",
    "CREATE VIEW v1 AS SELECT id, b::",
    _trigger("IF NEW.a <= RAISE 0 THEN RAISE EXCEPTION 'x'; END IF;"),
])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db, [*SETUP, statement])
