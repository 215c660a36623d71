"""What the fold models it checks as PostgreSQL would (issue 15), for a kind of statement the
fuzz run of seed 40 found ``squash`` exiting 0 on while PostgreSQL refuses it: an operator
whose right operand a cut took away, before a label's ``AS`` (``SELECT *, price * AS
double_price``: ``syntax error at or near "AS"``). A star after a dot is a row's columns and
takes a label (``SELECT t.* AS x``). Each case is asked of a real PostgreSQL in the same test,
beside valid neighbours, and the fold's verdict must agree: refused by both, or taken by
both."""

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
