"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 37 found ``squash`` exiting 0 on while PostgreSQL refuses them: an INSERT whose
column list and rows differ in length (``INSERT INTO u (id) SELECT FROM t``: ``INSERT has more
target columns than expressions``, and the other way round); an operator with no right operand
after a constant (``DEFAULT true*/)``, ``DEFAULT 1 *,``); an operator after a select list
item's label that is an unreserved key word or after which a ``*`` stands (``SELECT p
IMMUTABLE * 1.2``, ``SELECT a big * 2``); a call's constant argument then a type's key word
(``'data' BIGINT``) or an argument then a key word cast (``md5(random() RETURNS::text)``); a
``CASE`` after an operator reaching ``)`` or ``,`` before any ``WHEN`` (``CHECK (id > CASE
0)``); and an ISO date then digits that are no ``hhmm`` nor ``hhmmss`` (``'2026-01-01 01'``).
Each case is asked of a real PostgreSQL in the same test, beside valid neighbours, and the
fold's verdict must agree: refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike, assert_refusal_says_what_postgresql_says
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: (statement after SETUP, whether PostgreSQL takes it): an INSERT's columns and rows
WIDTH_CASES: list[tuple[str, bool]] = [
    ("INSERT INTO u (id) SELECT FROM t ORDER BY id", False),
    ("INSERT INTO u (id, c) SELECT FROM t", False),
    ("INSERT INTO u (id) SELECT WHERE false", False),
    ("INSERT INTO u (id, c) SELECT id FROM t", False),
    ("INSERT INTO u (id) SELECT id, a FROM t", False),
    ("INSERT INTO u (id, c) SELECT 1, 2, 3", False),
    ("INSERT INTO u (id, c) VALUES (1)", False),
    ("INSERT INTO u (id, c) VALUES (1, 2, 3)", False),
    ("INSERT INTO u (id) VALUES (1, 2), (3, 4)", False),
    ("INSERT INTO u (id, c) VALUES (ROW(1, 2))", False),
    ("INSERT INTO u SELECT FROM t", True),
    ("INSERT INTO u (id, c) SELECT id, a AS from FROM t", True),
    ("INSERT INTO u (id, c) SELECT DISTINCT id, a FROM t", True),
    ("INSERT INTO u (id, c) SELECT ALL id, a FROM t WHERE a IS DISTINCT FROM 1", True),
    ("INSERT INTO u (id, c) SELECT DISTINCT ON (id) id, a FROM t ORDER BY id", True),
    ("INSERT INTO u (id, c) SELECT id, (SELECT max(c) FROM u) FROM t", True),
    ("INSERT INTO u (id, c) SELECT id, percentile_disc(0.5) WITHIN GROUP (ORDER BY a) "
     "FROM t GROUP BY id", True),
    ("INSERT INTO u (id, c) SELECT id, substring(b FROM 1 FOR 2)::int FROM t", True),
    ("INSERT INTO u (id, c) SELECT id, t.a FROM t UNION SELECT 1, 2", True),
    ("INSERT INTO u (id, c) SELECT id, a FROM t ON CONFLICT DO NOTHING RETURNING *", True),
    ("INSERT INTO u (id) SELECT 1 AS c FOR UPDATE", True),
    ("INSERT INTO u (id, c) SELECT t.id, u.c FROM t JOIN u ON u.id = t.id", True),
    ("INSERT INTO u (id, c) SELECT (x).* FROM (SELECT ROW(1, 2)::u AS x) s", True),
    ("INSERT INTO u (id, c) SELECT count(*), 1 FROM t", True),
    ("INSERT INTO u (id, c) OVERRIDING USER VALUE SELECT 1, 2", True),
    ("INSERT INTO u (id, c) WITH s AS (SELECT 1) SELECT 1, 2 FROM s", True),
    ("INSERT INTO u (id, c) (SELECT 1, 2)", True),
    ("INSERT INTO u AS x (id, c) SELECT 1, 2", True),
    ("INSERT INTO u (id, c) VALUES (1, 2), (3, DEFAULT)", True),
    ("INSERT INTO u (id, c) VALUES (DEFAULT, DEFAULT)", True),
    ("INSERT INTO u (id, c) VALUES ((1), (2))", True),
]


@pytest.mark.parametrize(("statement", "valid"), WIDTH_CASES)
def test_an_insert_whose_columns_and_rows_differ_in_length_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statement after SETUP, whether PostgreSQL takes it): an operator after a constant, its
#: right operand missing
CONSTANT_CASES: list[tuple[str, bool]] = [
    ("CREATE TABLE w (a int, b boolean DEFAULT true*/)", False),
    ("CREATE TABLE w (a int, b boolean DEFAULT true*)", False),
    ("CREATE TABLE w (a int, b boolean DEFAULT false +, c int)", False),
    ("CREATE TABLE w (a int, b text DEFAULT NULL *)", False),
    ("CREATE TABLE w (a int DEFAULT 1 *, b int)", False),
    ("CREATE TABLE w (a int CHECK (a > 0 *))", False),
    ("CREATE TABLE w (a text DEFAULT 'x' *)", False),
    ("CREATE VIEW v1 AS SELECT coalesce(a, 1 *) AS x FROM t", False),
    ("CREATE VIEW v1 AS SELECT coalesce(a > 0, true *) AS x FROM t", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IN (1, 2 *)", False),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE (b IS NULL */)", False),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN coalesce(1 *, 2); "
     "END $$", False),
    ("CREATE TABLE w (a int DEFAULT 1 * 2, b boolean DEFAULT true, c text DEFAULT NULL)", True),
    ("CREATE TABLE w (a boolean DEFAULT (true), b boolean DEFAULT (NOT true))", True),
    ("CREATE VIEW v1 AS SELECT count(*) AS n, coalesce(a, 1) * 2 AS x FROM t GROUP BY a", True),
    ("CREATE VIEW v1 AS SELECT 1 AS x FROM t *, u *", True),
    ("CREATE VIEW v1 AS SELECT coalesce(NULL, 1) AS x", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a IN (1 * 2, 2)", True),
]


@pytest.mark.parametrize(("statement", "valid"), CONSTANT_CASES)
def test_an_operator_after_a_constant_without_its_operand_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


def _sql(body: str) -> str:
    return f"CREATE FUNCTION f1(p numeric) RETURNS numeric LANGUAGE sql AS $$ {body} $$"


def _plpgsql(body: str) -> str:
    return ("CREATE FUNCTION f1() RETURNS int LANGUAGE plpgsql AS $$ DECLARE x int; BEGIN "
            f"{body} END $$")


#: (statement after SETUP, whether PostgreSQL takes it): an operator after a label
LABEL_CASES: list[tuple[str, bool]] = [
    (_sql("SELECT p IMMUTABLE * 1.2"), False),
    (_sql("SELECT p big * 1.2"), False),
    ("CREATE VIEW v1 AS SELECT a big * 2 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a AS big * 2 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a AS \"x\" * 2 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a immutable + 2 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a stable * 2 FROM t", False),
    ("CREATE VIEW v1 AS SELECT a big *, b FROM t", False),
    (_plpgsql("x := 1 immutable + 1; RETURN x;"), False),
    (_plpgsql("SELECT a stable * 2 INTO x FROM t; RETURN x;"), False),
    ("CREATE VIEW v1 AS SELECT a big, * FROM t", True),
    ("CREATE VIEW v1 AS SELECT a AS big, * FROM t", True),
    ("CREATE VIEW v1 AS SELECT DISTINCT a AS x, t.* FROM t", True),
    ("CREATE VIEW v1 AS SELECT interval '1' day * 2 AS x", True),
    ("CREATE VIEW v1 AS SELECT '1'::interval day * 2 AS x", True),
    ("CREATE VIEW v1 AS SELECT now()::timestamp with time zone - now() AS x", True),
    ("CREATE VIEW v1 AS SELECT a * 2 big FROM t", True),
    ("CREATE VIEW v1 AS SELECT a immutable, b stable, a value FROM t", True),
    ("CREATE VIEW v1 AS SELECT a OPERATOR(pg_catalog.*) 2 AS x FROM t", True),
    ("CREATE VIEW v1 AS SELECT b LIKE 'x' ESCAPE '!' AS x FROM t", True),
    ("CREATE VIEW v1 AS SELECT b ~ 'x' AS x, now() AT TIME ZONE 'UTC' AS y FROM t", True),
    ("CREATE VIEW v1 AS SELECT count(*) OVER w AS n FROM t WINDOW w AS (ORDER BY a)", True),
    ("CREATE VIEW v1 AS SELECT b COLLATE \"C\" || 'x' AS n FROM t", True),
    (_plpgsql("x := 1 + 2 stable; RETURN x;"), True),
    (_plpgsql("RAISE NOTICE '%', 1 USING HINT = 'x'; RETURN 1;"), True),
    ("CREATE FUNCTION f1() RETURNS SETOF int LANGUAGE plpgsql AS $$ DECLARE r record; BEGIN "
     "FOR r IN SELECT a, b LOOP <<inner>> LOOP EXIT; END LOOP; END LOOP; RETURN; END $$", True),
]


@pytest.mark.parametrize(("statement", "valid"), LABEL_CASES)
def test_an_operator_after_a_label_is_refused(pg_cluster: Cluster, pg_db: str,
                                              statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statement after SETUP, whether PostgreSQL takes it): a call's argument, then a type's key
#: word or a key word cast
CALL_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT jsonb_build_object('a', 1, 'data' BIGINT, 2) AS x", False),
    ("CREATE FUNCTION f1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('c', "
     "jsonb_build_object('a', 1, 'data' BIGINT, 2)::text); RETURN NEW; END $$", False),
    ("CREATE VIEW v1 AS SELECT coalesce(a, 1 integer) AS x FROM t", False),
    ("CREATE VIEW v1 AS SELECT coalesce(b, 'x' varchar) AS x FROM t", False),
    ("CREATE VIEW v1 AS SELECT lower('X' boolean) AS x", False),
    ("CREATE FUNCTION f1() RETURNS text LANGUAGE sql AS $$ SELECT 'c-' || "
     "md5(random() RETURNS::text) $$", False),
    ("CREATE VIEW v1 AS SELECT lower(b stable::text) AS y FROM t", False),
    ("CREATE VIEW v1 AS SELECT coalesce(1 returns::text, 'x') AS y", False),
    ("CREATE VIEW v1 AS SELECT jsonb_build_object('a', 1, 'data', BIGINT '2') AS x", True),
    ("CREATE VIEW v1 AS SELECT coalesce(a, CAST('1' AS integer)) AS x FROM t", True),
    ("CREATE VIEW v1 AS SELECT coalesce(a, '1'::integer, int '2') AS x FROM t", True),
    # (a column definition list after a call of constants; XMLTABLE's COLUMNS would show it
    # too, but a server built without libxml refuses every XMLTABLE)
    ("CREATE VIEW v1 AS SELECT x.* FROM jsonb_to_recordset('[{\"a\": \"1\"}]') "
     "AS x(a text, b int)", True),
    ("CREATE FUNCTION f1() RETURNS text LANGUAGE sql AS $$ SELECT 'c-' || "
     "md5(random()::text) $$", True),
    ("CREATE VIEW v1 AS SELECT lower((interval '1' day)::text) AS x, "
     "lower(interval '1' day::text) AS y", True),
    ("CREATE VIEW v1 AS SELECT md5(count(*) OVER ()::text) AS x FROM t", True),
    ("CREATE TABLE key (a int);\nCREATE VIEW v1 AS SELECT lower(key::text) AS x FROM key", True),
]


@pytest.mark.parametrize(("statements", "valid"), CALL_CASES)
def test_a_word_after_a_call_argument_is_refused(pg_cluster: Cluster, pg_db: str,
                                                 statements: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], valid)


def _bound(column_type: str, low: str, high: str) -> str:
    return (f"CREATE TABLE m (d {column_type}) PARTITION BY RANGE (d);\n"
            f"CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('{low}') TO ('{high}')")


#: (statements after SETUP, whether PostgreSQL takes them): an ISO date then digits
DATE_CASES: list[tuple[str, bool]] = [
    (_bound("date", "2025-01-01", "2026-01-01 01"), False),
    (_bound("timestamptz", "2025-01-01", "2026-01-01 1"), False),
    (_bound("timestamp", "2025-01-01 12345", "2026-01-01"), False),
    ("CREATE TABLE w (d date DEFAULT '2026-01-01 01')", False),
    ("CREATE TABLE w (d date);\nINSERT INTO w VALUES ('2026-01-01 001')", False),
    ("CREATE TABLE w (d date);\nINSERT INTO w VALUES ('2026-01-01 12345678')", False),
    ("CREATE TABLE w (d timestamp);\nINSERT INTO w VALUES ('2026-01-01 20260101010101')", False),
    (_bound("date", "2025-01-01", "2026-01-01 0100"), True),
    ("CREATE TABLE w (d date);\nINSERT INTO w VALUES ('2026-01-01 0101'), "
     "('2026-01-01 010101'), (' 2026-01-01  2359 ')", True),
    ("CREATE TABLE w (d timestamptz);\nINSERT INTO w VALUES ('2026-01-01 0530'), "
     "('2026-01-01 123456'), ('2026-01-01 01:00')", True),
]


@pytest.mark.parametrize(("statements", "valid"), DATE_CASES)
def test_a_date_then_digits_of_no_time_is_refused(pg_cluster: Cluster, pg_db: str,
                                                  statements: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements.split(";\n")], valid)


#: (statement after SETUP, whether PostgreSQL takes it): a CASE after an operator that reaches
#: its closing parenthesis or a comma before any WHEN
CASE_CASES: list[tuple[str, bool]] = [
    ("CREATE TABLE w (id int, CHECK (id > CASE 0))", False),
    ("CREATE TABLE w (id int CHECK (id > CASE 0))", False),
    ("CREATE VIEW v1 AS SELECT coalesce(a + CASE a, 1) AS x FROM t", False),
    ("CREATE VIEW v1 AS SELECT (a * CASE 2) AS x FROM t", False),
    ("CREATE TABLE w (id int, CHECK (id > CASE WHEN id > 1 THEN 0 ELSE 1 END))", True),
    ("CREATE VIEW v1 AS SELECT coalesce(a + CASE a WHEN 1 THEN 2 END, 1) AS x FROM t", True),
    ("CREATE VIEW v1 AS SELECT a FROM t WHERE a = CASE (a) WHEN 1 THEN 2 END", True),
    ("CREATE TABLE w (id int, CHECK (id > - CASE id WHEN 1 THEN 2 ELSE 0 END))", True),
]


@pytest.mark.parametrize(("statement", "valid"), CASE_CASES)
def test_a_case_without_when_after_an_operator_is_refused(pg_cluster: Cluster, pg_db: str,
                                                          statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


@pytest.mark.parametrize("statement", [
    "CREATE TABLE w (id int, CHECK (id > CASE 0))",
    "INSERT INTO u (id) SELECT FROM t ORDER BY id",
    "INSERT INTO u (id) SELECT id, a FROM t",
    "CREATE TABLE w (a int, b boolean DEFAULT true*/)",
    "CREATE VIEW v1 AS SELECT a immutable + 2 FROM t",
    "CREATE VIEW v1 AS SELECT jsonb_build_object('a', 1, 'data' BIGINT, 2) AS x",
    "CREATE VIEW v1 AS SELECT lower(b stable::text) AS y FROM t",
    "CREATE TABLE w (d date DEFAULT '2026-01-01 01')",
])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    assert_refusal_says_what_postgresql_says(pg_cluster, pg_db, [*SETUP, statement])
