"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 25 found ``squash`` exiting 0 on while PostgreSQL refuses them: a name or
``NULL`` after a call's argument, a select list item starting with a reserved word, and a JOIN
without its ON or USING. Each case is asked of a real PostgreSQL in the same test, beside
valid neighbours, and the fold's verdict must agree: refused by both, or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

#: (statement after SETUP, whether PostgreSQL takes it)
CASES: list[tuple[str, bool]] = [
    # a call's argument is one expression: no name or NULL after it
    ("SELECT b, sum(a it) AS spent FROM t GROUP BY b", False),
    ("SELECT id, sum(a NULL) FROM t GROUP BY id", False),
    ("SELECT string_agg(b, ',' ORDER BY a NULLS FIRST), array_agg(a ORDER BY a DESC NULLS "
     "LAST), count(DISTINCT a) FROM t", True),
    ("SELECT extract(epoch from now()), date_part('epoch', now()), overlay(b placing 'x' from 1), "
     "trim(leading 'x' from b), substring(b from 1 for 2) FROM t", True),
    ("SELECT upper(b COLLATE \"C\"), lower(t.b), "
     "to_char(now()::timestamp with time zone, 'YYYY') FROM t", True),
    ("SELECT id, coalesce(b NULL, '') FROM t", False),
    ("SELECT coalesce(b x, ''), nullif(a TO) FROM t", False),
    ("SELECT coalesce(b, NULL), nullif(b, ''), greatest(a, 1, id), least(a, 2), "
     "coalesce((SELECT max(c) FROM u WHERE u.id = t.id), 0), coalesce(a IS NULL, false), "
     "coalesce(b COLLATE \"C\", 'x'), coalesce(interval '1 day', interval '2 days') FROM t",
     True),
    # a select list item starts with an expression
    ("SELECT b, COLUMN sum(a) FROM t GROUP BY b", False),
    ("SELECT a, DISTINCT b FROM t", False),
    ("SELECT a, CASE WHEN a > 1 THEN 1 END, ARRAY[1], NOT true, current_user, NULL, "
     "CAST(a AS int), t.id FROM t", True),
    ("DO $$ DECLARE x int; y int; BEGIN SELECT a, id INTO x, y FROM t LIMIT 1; END $$", True),
    # a JOIN (but CROSS and NATURAL) has its ON or USING
    ("SELECT s.id FROM t s JOIN u x", False),
    ("SELECT s.id FROM t s JOIN u x WHERE x.id = 1", False),
    ("SELECT * FROM (t JOIN u)", False),
    ("DO $$ DECLARE r record; BEGIN FOR r IN SELECT t.id FROM t JOIN u LOOP END LOOP; END $$",
     False),
    ("SELECT s.id FROM t s CROSS JOIN u x WHERE x.id = 1", True),
    ("SELECT s.id FROM t s NATURAL JOIN u x WHERE x.id = 1", True),
    ("SELECT s.id FROM t s JOIN u x USING (id) WHERE x.id = 1", True),
    ("SELECT s.id FROM t s JOIN u x JOIN u y ON y.id = x.id ON x.id = s.id", True),
    ("SELECT * FROM (t JOIN u ON t.id = u.id)", True),
    ("DO $$ DECLARE r record; BEGIN FOR r IN SELECT t.id FROM t JOIN u ON u.id = t.id LOOP "
     "END LOOP; END $$", True),
    ("UPDATE t SET a = 1 FROM u JOIN u u2 USING (id) WHERE t.id = u.id", True),
    ("DELETE FROM t USING u JOIN u u2 ON u2.id = u.id WHERE t.id = u.id", True),
    ("CREATE VIEW vj AS SELECT t.id FROM t JOIN u ON u.id = t.id WHERE t.a > 1 UNION SELECT 1",
     True),
]


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statement.split(";\n")], valid)
