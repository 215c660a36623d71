"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 39 found ``squash`` exiting 0 on while PostgreSQL refuses them: a PL/pgSQL
declaration whose type begins with ``[`` (``words [] := ARRAY['red']``: a type was lost; also
``(``, a number or a string), a view's select list holding a bare column beside ``sum``,
``count``, ``min``, ``max`` or ``avg`` of a column without GROUP BY (``SELECT country,
sum(spent) FROM customer_spend GROU``: the cut ``GROUP BY`` became the table's alias), a call
of a function of the history given more arguments than any function of that name takes
(``auth.uid( profile)``), and ``NOT`` of a number (``VALUES ('Oslo', NOT 1.5)``: ``argument of
NOT must be type boolean, not type numeric``). Each case is asked of a real PostgreSQL in the
same test, beside valid neighbours, and the fold's verdict must agree: refused by both, or
taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike, assert_refusal_says_what_postgresql_says
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]


def _declare(declaration: str) -> str:
    return ("CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$\nDECLARE\n    "
            f"{declaration};\nBEGIN\n    RETURN 1;\nEND\n$$")


#: (statement after SETUP, whether PostgreSQL takes it): a declaration's type
DECLARE_CASES: list[tuple[str, bool]] = [
    (_declare("words [] := ARRAY['a']"), False),
    (_declare("words []"), False),
    (_declare("words [3] text"), False),
    (_declare("words (int)"), False),
    (_declare("words 1"), False),
    (_declare("words 'x'"), False),
    ("DO $$\nDECLARE\n    words [] := ARRAY['red', 'blue'];\nBEGIN\n    NULL;\nEND\n$$", False),
    (_declare("words text[] := ARRAY['a']"), True),
    (_declare("words text [] := ARRAY['a']"), True),
    (_declare("words int[3]"), True),
    (_declare('words "text"[]'), True),
    (_declare("words t%ROWTYPE"), True),
    (_declare("words t.a%TYPE"), True),
    (_declare("words public.t"), True),
    (_declare("words double precision[]"), True),
    (_declare("words text ARRAY[2]"), True),
    (_declare("words CONSTANT text[] := '{}'"), True),
    (_declare("words text[] NOT NULL := '{}'"), True),
]


@pytest.mark.parametrize(("statement", "valid"), DECLARE_CASES)
def test_a_declaration_whose_type_begins_with_no_name_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statements after SETUP, whether PostgreSQL takes them): an aggregate without GROUP BY
UNGROUPED_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT a, sum(id) AS s FROM t GROU", False),
    ("CREATE VIEW v1 AS SELECT a, sum(id) AS s FROM t", False),
    ("CREATE VIEW v1 AS SELECT t.a, max(id) FROM t", False),
    ("CREATE VIEW v1 AS SELECT a, coalesce(min(id), 0) AS m FROM t x", False),
    ("CREATE VIEW v1 AS SELECT b, avg(a) FILTER (WHERE a > 1) FROM t", False),
    ("CREATE VIEW v1 AS SELECT a, count(id) FROM t", False),
    ("CREATE VIEW v1 AS SELECT a, count(DISTINCT id) FROM t", False),
    ("CREATE VIEW v1 AS SELECT a, sum(id) AS s FROM t HAVING true", False),
    ("CREATE VIEW v1 AS SELECT sum(a) AS s, id FROM t WHERE a > 1", False),
    ("CREATE VIEW v1 AS SELECT a, max(a) + 1 AS s FROM t", False),
    ("CREATE VIEW v2 AS SELECT a, sum(id) AS s FROM t GROUP BY a;\n"
     "CREATE VIEW v1 AS SELECT a, sum(s) AS s FROM v2", False),
    ("CREATE VIEW v1 AS SELECT a, sum(id) AS s FROM t GROUP BY a", True),
    ("CREATE VIEW v1 AS SELECT a, sum(id) OVER () AS s FROM t", True),
    ("CREATE VIEW v1 AS SELECT a, (SELECT max(c) FROM u) AS s FROM t", True),
    ("CREATE VIEW v1 AS SELECT sum(id), max(a), 1 AS one, now() AS n FROM t", True),
    ("CREATE VIEW v1 AS SELECT a, greatest(a, 1) AS s FROM t", True),
    ("CREATE VIEW v1 AS SELECT id, count(*) OVER (PARTITION BY a) AS n FROM t", True),
    ("CREATE FUNCTION sum(text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE VIEW v1 AS SELECT a, sum(b) AS s FROM t", True),
    ("CREATE FUNCTION max(int, int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE VIEW v1 AS SELECT a, max(a, 2) AS s FROM t", True),
    ("CREATE VIEW v2 AS SELECT a, sum(id) AS s FROM t GROUP BY a;\n"
     "CREATE VIEW v1 AS SELECT a, sum(s) AS s FROM v2 GROUP BY a", True),
]


@pytest.mark.parametrize(("statements", "valid"), UNGROUPED_CASES)
def test_a_column_beside_an_aggregate_without_group_by_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], valid)


_UID = ("CREATE SCHEMA auth;\n"
        "CREATE FUNCTION auth.uid() RETURNS int LANGUAGE sql STABLE AS $$ SELECT 1 $$;\n"
        "CREATE TABLE profile (id int);\n"
        "ALTER TABLE profile ENABLE ROW LEVEL SECURITY;\n")
_F2 = "CREATE FUNCTION f2(x int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT x $$;\n"

#: (statements after SETUP, whether PostgreSQL takes them): a call's arguments
ARGUMENT_CASES: list[tuple[str, bool]] = [
    (_UID + "CREATE POLICY own ON profile FOR ALL USING (id = auth.uid( profile))", False),
    (_UID + "CREATE POLICY own ON profile FOR ALL USING (id = auth.uid(1, 2))", False),
    (_F2 + "CREATE TABLE w (a int DEFAULT f2(1, 2))", False),
    (_F2 + "CREATE INDEX ON t (f2(a, id))", False),
    ("CREATE FUNCTION f2() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE FUNCTION f3() RETURNS int LANGUAGE sql AS $$ SELECT 1 + f2(1) $$", False),
    ("CREATE FUNCTION f2(INOUT a int, b int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE TABLE w (x int DEFAULT f2(1, 2, 3))", False),
    (_UID + "CREATE POLICY own ON profile FOR ALL USING (id = auth.uid())", True),
    (_F2 + "CREATE INDEX ON t (f2(a))", True),
    (_F2 + "CREATE TABLE w (a int DEFAULT f2((1 + 2)), b int DEFAULT f2(abs(-1)))", True),
    ("CREATE FUNCTION f2(x int, y int DEFAULT 0) RETURNS int LANGUAGE sql AS $$ SELECT x $$;\n"
     "CREATE TABLE w (a int DEFAULT f2(1, 2), b int DEFAULT f2(1), c int DEFAULT f2(x => 1))",
     True),
    (_F2 + "CREATE FUNCTION f2(x int, y int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;\n"
     "CREATE TABLE w (a int DEFAULT f2(1, 2), b int DEFAULT f2(1))", True),
    ("CREATE FUNCTION f2(VARIADIC x int[]) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE TABLE w (a int DEFAULT f2(1, 2, 3))", True),
    ("CREATE FUNCTION f2(INOUT a int, b int) LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE TABLE w (x int DEFAULT f2(1, 2))", True),
    ("CREATE FUNCTION f2(a int) RETURNS SETOF int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE FUNCTION f3() RETURNS int LANGUAGE sql AS $$ WITH a AS (SELECT 1), "
     "f2(x, y) AS (SELECT 1, 2) SELECT x FROM f2 $$", True),
    ("CREATE FUNCTION f2(a int) RETURNS SETOF int LANGUAGE sql AS $$ SELECT 1 $$;\n"
     "CREATE FUNCTION f3() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM u, "
     "(SELECT 1, 2) f2(x, y) $$", True),
    (_F2 + "CREATE POLICY p ON t USING (EXISTS (SELECT 1 FROM u, (SELECT 1, 2) f2(x, y)))",
     True),
    (_F2 + "CREATE POLICY p ON t USING (EXISTS (WITH a AS (SELECT 1), f2(x, y) AS "
     "(SELECT 1, 2) SELECT 1 FROM f2))", True),
    (_F2 + "CREATE FUNCTION f3() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN f2(1, 2); "
     "END $$", True),
]


@pytest.mark.parametrize(("statements", "valid"), ARGUMENT_CASES)
def test_a_call_given_more_arguments_than_its_functions_take_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], valid)


#: (statements after SETUP, whether PostgreSQL takes them): NOT of a number
NOT_CASES: list[tuple[str, bool]] = [
    ("INSERT INTO t (id, a, b) VALUES (1, NOT 1.5, 'x')", False),
    ("INSERT INTO t (id, a, b) VALUES (1, NOT 1, 'x')", False),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, (NOT 3000000000)::text)", False),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, (NOT 1e3)::text)", False),
    ("CREATE TABLE w (f boolean, n numeric);\nUPDATE w SET f = NOT 1", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE NOT 0 OR a > 1", False),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, NOT 't')", True),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, NOT true)", True),
    ("INSERT INTO t (id, a, b) VALUES (1, NULL, NOT NULL)", True),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, (NOT (1 > 0))::text)", True),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, (NOT 1 = 2)::text)", True),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, (NOT 1 IS NULL)::text)", True),
    ("INSERT INTO t (id, a, b) VALUES (1, 2, (NOT 1::boolean)::text)", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE NOT 0 < a", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE NOT 0 IN (a)", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE NOT 1 BETWEEN 0 AND a", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IS NOT NULL AND NOT a::boolean", True),
]


@pytest.mark.parametrize(("statements", "valid"), NOT_CASES)
def test_not_of_a_number_is_refused(pg_cluster: Cluster, pg_db: str, statements: str,
                                    valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], valid)


@pytest.mark.parametrize("statement", [
    _declare("words [] := ARRAY['a']"),
    _declare("words 'x'"),
    "CREATE VIEW v1 AS SELECT a, sum(id) AS s FROM t GROU",
    "CREATE VIEW v1 AS SELECT a, coalesce(min(id), 0) AS m FROM t x",
    "INSERT INTO t (id, a, b) VALUES (1, NOT 1.5, 'x')",
    "INSERT INTO t (id, a, b) VALUES (1, 2, (NOT 3000000000)::text)",
])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db, [*SETUP, statement])
