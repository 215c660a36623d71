"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 28 found ``squash`` exiting 0 on while PostgreSQL refuses them: a condition
whose first operand starts with a word that cannot start one (``WHERE IS NULL``, ``WHERE AND
a = 1``, ``a = 1 OR IS NOT NULL``), and an ``UPDATE`` whose ``SET`` list is empty (a file cut
after ``SET``). Each case is asked of a real PostgreSQL in the same test, beside valid
neighbours, and the fold's verdict must agree: refused by both, or taken by both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from postgresql_verdict import assert_judged_alike, first_line, refusal
from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.verify.cluster import Cluster


@pytest.fixture(scope="module")
def pg_db(pg_cluster: Cluster) -> Iterator[str]:
    """One database for the module: each case runs in a transaction rolled back."""
    name = "checked_seed28"
    pg_cluster.create_database(name)
    yield name


SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: (statement after SETUP, whether PostgreSQL takes it)
CASES: list[tuple[str, bool]] = [
    # AND and OR never start an operand; IS, ISNULL and NOTNULL only as a function's name
    ("UPDATE t SET b = 'x' WHERE IS NULL", False),
    ("DELETE FROM t WHERE AND a = 1", False),
    ("SELECT a FROM t WHERE a = 1 OR IS NOT NULL", False),
    ("UPDATE t SET b = 'x' WHERE NOT IS NULL", False),
    ("UPDATE t SET b = 'x' WHERE ISNULL", False),
    ("INSERT INTO u SELECT id, a FROM t WHERE AND a = 1", False),
    ("CREATE VIEW v AS SELECT a FROM t GROUP BY a HAVING AND count(*) > 1", False),
    ("CREATE INDEX ti ON t (a) WHERE AND a > 1", False),
    ("UPDATE t SET b = 'x' WHERE a IS NULL AND b IS NULL", True),
    ("UPDATE t SET b = 'x' WHERE NOT b IS NULL", True),
    ("CREATE VIEW v AS SELECT a FROM t WHERE a IS NULL OR b ISNULL", True),
    ("CREATE VIEW v AS SELECT a FROM t WHERE b NOTNULL AND NOT a IS NULL", True),
    ("CREATE VIEW v AS SELECT a FROM t GROUP BY a HAVING count(*) > 1 OR NOT a IS NULL", True),
    ("CREATE INDEX ti ON t (a) WHERE a > 1 AND b IS NOT NULL", True),
    ("DELETE FROM t WHERE t.id = 1 AND (a IS NULL OR b ISNULL)", True),
    ("INSERT INTO t VALUES (1, 2, 'x') ON CONFLICT (id) DO UPDATE SET a = 1 "
     "WHERE t.a IS NOT NULL", True),
    ("DO $$ BEGIN IF NOT found OR NOT 1 IS NULL THEN RETURN; END IF; END $$", True),
    # an UPDATE assigns at least one column
    ("UPDATE t SET", False),
    ("UPDATE t SET WHERE a = 1", False),
    ("UPDATE t SET RETURNING a", False),
    ("UPDATE t SET b = 'x' FROM u WHERE u.id = t.id AND u.c IS NULL", True),
]


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


@pytest.mark.parametrize("statement", ["UPDATE t SET b = 'x' WHERE IS NULL",
                                       "DELETE FROM t WHERE AND a = 1", "UPDATE t SET"])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, statement]))
    with pytest.raises(InputError) as refused:
        fold_sql(";\n".join([*SETUP, statement]) + ";\n")
    assert f"<sql>:3: {said}: {statement}" in str(refused.value)
