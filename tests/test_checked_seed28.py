"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 28 found ``squash`` exiting 0 on while PostgreSQL refuses them: a condition
whose first operand starts with a word that cannot start one (``WHERE IS NULL``, ``WHERE AND
a = 1``, ``a = 1 OR IS NOT NULL``, ``WHERE END a < b``), an operand ending on a parenthesis
followed by a name (``SET b = lower('X') t.id = 2``: a ``WHERE`` lost), and an ``UPDATE`` whose
``SET`` list is empty (a file cut after ``SET``). A join's ``ON`` ends at the FROM list's next
comma (``ON t.id = u.id, u x`` was refused). Each case is asked of a real PostgreSQL in the
same test, beside valid neighbours, and the fold's verdict must agree: refused by both, or
taken by both."""

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
    # a reserved word no expression starts with does not start an operand either
    ("DELETE FROM t WHERE END a < 2", False),
    ("CREATE PROCEDURE p(before int) LANGUAGE sql AS $$ DELETE FROM t WHERE END a < before $$",
     False),
    ("SELECT a FROM t WHERE a = 1 AND FROM u", False),
    ("SELECT a FROM t WHERE a = 1 OR ORDER BY a", False),
    ("CREATE PROCEDURE p(before int) LANGUAGE sql AS $$ DELETE FROM t WHERE a < before "
     "AND NOT a IS NULL $$", True),
    ("SELECT a FROM t WHERE a IS NOT DISTINCT FROM 1 AND NOT a IN (1, 2) AND a NOT IN (3)",
     True),
    ("SELECT a FROM t WHERE NULL IS NULL AND TRUE AND NOT FALSE AND CURRENT_USER = 'x' "
     "OR CASE WHEN a = 1 THEN true END", True),
    ("SELECT a FROM t WHERE ARRAY[a] = ARRAY[1] AND CAST(a AS text) = '1' AND current_date > "
     "'2020-01-01' AND localtimestamp > now() - interval '1 day'", True),
    ("SELECT a FROM t WHERE EXISTS (SELECT 1) AND ROW(a, b) IS NOT NULL "
     "AND a BETWEEN SYMMETRIC 1 AND 2", True),
    # a condition's or a SET list's operand ending on a parenthesis has no label after it
    ("UPDATE t SET b = lower('X') t.id = 2", False),
    ("DELETE FROM t WHERE lower(b) x = 'y'", False),
    ("DO $$ DECLARE p int := 1; BEGIN UPDATE t SET b = 'x', a = abs(p) t.id = p; END $$",
     False),
    ("UPDATE t SET b = lower('X') WHERE t.id = 2", True),
    ("UPDATE t x SET b = lower('X') FROM u WHERE x.id = u.id", True),
    ("UPDATE t SET a = v.x FROM (VALUES (1, 2)) v(id, x) WHERE v.id = t.id", True),
    ("SELECT * FROM t WHERE lower(b) COLLATE \"C\" = 'x' AND (a) IS NULL", True),
    ("DO $$ DECLARE r record; BEGIN FOR r IN SELECT * FROM t WHERE a = abs(1) LOOP NULL; "
     "END LOOP; END $$", True),
    # a join's ON ends at the FROM list's next comma: what follows is a FROM item
    ("SELECT * FROM t JOIN u ON t.id = u.id, (SELECT 1) z", True),
    ("SELECT * FROM t JOIN u ON t.id = u.id, u x", True),
    ("SELECT * FROM t JOIN u ON t.id = abs(u.id) CROSS JOIN (SELECT 1) z", True),
    ("SELECT * FROM t JOIN u ON t.id = abs(u.id) z", False),
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
