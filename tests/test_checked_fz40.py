"""What the fold models it checks as PostgreSQL would (issue 15), for kinds of statement the
fuzz run of seed 40 found ``squash`` exiting 0 on while PostgreSQL refuses them: an operator
whose right operand a cut took away, before a label's ``AS`` (``SELECT *, price * AS
double_price``: ``syntax error at or near "AS"``), and an unreserved key word followed by a
number in a column's DEFAULT or a VALUES item (``DEFAULT REPLACE 1``: a word lost between).
A star after a dot is a row's columns and takes a label (``SELECT t.* AS x``). Each case is
asked of a real PostgreSQL in the same test, beside valid neighbours, and the fold's verdict
must agree: refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: (statement after SETUP, whether PostgreSQL takes it): an operator before a label
LABEL_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v1 AS SELECT *, a * AS d FROM t", False),
    ("CREATE OR REPLACE VIEW v1 AS SELECT a * AS d FROM t", False),
    ("CREATE VIEW v1 AS SELECT id, a + AS d FROM t", False),
    ("CREATE VIEW v1 AS SELECT (a) * AS d FROM t", False),
    ("CREATE TABLE t2 AS SELECT b || AS e FROM t", False),
    ("CREATE VIEW v1 AS SELECT t.* AS x FROM t", True),
    ("CREATE VIEW v1 AS SELECT (t).* AS x FROM t", True),
    ("CREATE VIEW v1 AS SELECT a * -1 AS d, a - - 1 AS e, a * 2 AS f FROM t", True),
    ("CREATE VIEW v1 AS SELECT count(*) AS n FROM t", True),
    ("CREATE TABLE t2 AS SELECT a * 2 AS d, b || 'x' AS e FROM t", True),
    ("CREATE FUNCTION f1() RETURNS int LANGUAGE sql AS $$ SELECT 1 * 2 AS x $$", True),
    ("CREATE FUNCTION f1(x int) RETURNS int LANGUAGE plpgsql AS $$ DECLARE y int; BEGIN "
     "SELECT x * 2 AS z INTO y; RETURN y; END $$", True),
]


@pytest.mark.parametrize(("statement", "valid"), LABEL_CASES)
def test_an_operator_before_a_label_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statement after SETUP, whether PostgreSQL takes it): a key word, then a number
KEY_WORD_CASES: list[tuple[str, bool]] = [
    ("CREATE TABLE p1 (id int, x int DEFAULT  REPLACE 1)", False),
    ("CREATE TABLE p1 (id int, x int DEFAULT value 1)", False),
    ("INSERT INTO t VALUES (2, name 1, 'x')", False),
    ("CREATE TABLE p1 (id int, x int DEFAULT CASE WHEN true THEN 1 ELSE 2 END)", True),
    ("CREATE TABLE p1 (id int, x interval DEFAULT interval '1' day)", True),
    ("CREATE TABLE p1 (id int, x bool DEFAULT 1 IS DISTINCT FROM 2)", True),
    ("INSERT INTO t VALUES (1, CASE WHEN true THEN 1 ELSE 2 END, 'x')", True),
    ("INSERT INTO t VALUES (5, 1, replace('a', 'b', 'c'))", True),
    ("INSERT INTO t VALUES (3, 1, 'x' COLLATE \"C\")", True),
]


@pytest.mark.parametrize(("statement", "valid"), KEY_WORD_CASES)
def test_a_key_word_then_a_number_is_refused(
        pg_cluster: Cluster, pg_db: str, statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)
