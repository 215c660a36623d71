"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 29 found ``squash`` exiting 0 on while PostgreSQL refuses them: an operand
starting with an operator the grammar reads as its own, after ``DEFAULT`` or where a condition's
operand starts (``DEFAULT * now()``, ``WHERE * a = 1``), and a constant argument of a call
followed by an unreserved key word that ends the argument (``nextval('t' RETURNS)``), and a
view's ``GROUP BY`` that leaves a column of its select list neither grouped by nor dependent on
a grouped primary key (``SELECT c.id, (p.total) ... GROUP BY c.id``); a column a view's query
names of a relation whose name several schemas have is judged by the first one's on
search_path (it was left unjudged); and a date or timestamp constant with a field that is a
point alone (``'2024\\.-01 01-01'``). Each
case is asked of a real PostgreSQL in the same test, beside valid neighbours, and the fold's
verdict must agree: refused by both, or taken by both."""

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
    # a default starts with no operator the grammar reads as its own; - + @ are prefix ones
    ("ALTER TABLE t ADD COLUMN g timestamptz NOT NULL DEFAULT * now()", False),
    ("CREATE TABLE x (a int DEFAULT / 2)", False),
    ("CREATE TABLE x (a int DEFAULT*2)", False),
    ("CREATE TABLE x (a int DEFAULT <> 2)", False),
    ("ALTER TABLE t ALTER COLUMN a SET DEFAULT ^ 3", False),
    ("CREATE DOMAIN dd AS int DEFAULT % 3", False),
    ("CREATE FUNCTION f(a int, b int DEFAULT / 2) RETURNS int LANGUAGE sql AS 'SELECT a'",
     False),
    ("DO $$ DECLARE x int DEFAULT < 2; BEGIN NULL; END $$", False),
    ("CREATE TABLE x (a int DEFAULT - 2, b int DEFAULT + 2, c int DEFAULT @ -2)", True),
    ("CREATE TABLE x (a int DEFAULT 2 * 3)", True),
    ("CREATE FUNCTION f(a int DEFAULT 2) RETURNS int LANGUAGE sql AS 'SELECT a'", True),
    ("SET search_path = DEFAULT", True),
    # PL/pgSQL reads a variable's default as a SELECT's list, which * may be
    ("DO $$ DECLARE x int DEFAULT * FROM (SELECT 1) s; BEGIN NULL; END $$", True),
    # nor does a condition's operand
    ("SELECT a FROM t WHERE * a = 1", False),
    ("DELETE FROM t WHERE / a = 1", False),
    ("SELECT a FROM t WHERE a = 1 AND * a = 2", False),
    ("SELECT a FROM t WHERE a = 1 OR < a", False),
    ("SELECT a FROM t WHERE NOT * a", False),
    ("SELECT a FROM t WHERE a BETWEEN 1 AND * 2", False),
    ("SELECT a FROM t GROUP BY a HAVING * a > 1", False),
    ("CREATE TABLE x (a int CHECK (a > 0 AND * a < 5))", False),
    ("CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql AS 'SELECT a WHERE * a > 1'", False),
    ("SELECT a FROM t WHERE - a = 1 AND + a = 1 OR @ a = 1", True),
    ("CREATE TABLE x (a int CHECK (a > 0 AND - a < 5))", True),
    ("SELECT * FROM t WHERE a = 1 AND EXISTS (SELECT * FROM u)", True),
    # a constant argument of a call, then a key word ending it: no argument has a label
    ("CREATE FUNCTION nt() RETURNS text LANGUAGE sql AS $$ SELECT 'T' || nextval('x' RETURNS) "
     "$$", False),
    ("SELECT abs(1 RETURNS)", False),
    ("SELECT round(1 day, 2)", False),
    ("SELECT nullif('x' year, 'y')", False),
    ("SELECT upper('x', 'y' key)", False),
    ("SELECT coalesce('x' ISNULL), coalesce('y' NOTNULL)", True),
    ("SELECT nullif(interval '1' year, interval '2' month)", True),
    ("SELECT date_trunc('hour', INTERVAL '1 day 3 hours' hour)", True),
    ("SELECT string_agg(b, ',' ORDER BY 1 ASC, 'z' DESC) FROM t", True),
    ("SELECT date_trunc('day', now() - interval '1' day), justify_interval(interval '1' hour)",
     True),
    ("SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING) FROM t", True),
    ("SELECT count((SELECT 1 OFFSET 1 ROWS))", True),
    ("SELECT lower('x' COLLATE \"C\"), lower(U&'x' UESCAPE '!'), normalize('x', NFC)", True),
    ("SELECT position('a' in 'b'), substring('abc' from 1 for 2), trim(both 'x' from 'y'), "
     "overlay('abc' placing 'x' from 2 for 1)", True),
    ("SELECT lower(CASE WHEN true THEN 'x' ELSE 'y' END)", True),
]


GROUPED = "must appear in the GROUP BY clause or be used in an aggregate function"
#: (statements after SETUP, whether PostgreSQL takes them): a view's select list item that is
#: a column, neither grouped by nor of a table whose primary key is grouped by whole
GROUPED_CASES: list[tuple[list[str], bool]] = [
    (["CREATE VIEW v AS SELECT t.id, (u.c) AS x FROM t JOIN u ON u.id = t.id GROUP BY t.id"],
     False),
    (["CREATE VIEW v AS SELECT id, c FROM u GROUP BY id"], False),
    (["CREATE VIEW v AS SELECT a, sum(id) FROM t GROUP BY b"], False),
    (["CREATE VIEW v AS SELECT c AS id FROM u GROUP BY id"], False),
    (["CREATE VIEW v AS SELECT y.a FROM t x JOIN t y ON x.id = y.a GROUP BY x.id"], False),
    (["CREATE VIEW v AS SELECT t.a, u.c FROM t LEFT JOIN u ON u.id = t.id GROUP BY t.id, u.id"],
     False),
    (["CREATE MATERIALIZED VIEW v AS SELECT u.id, u.c FROM u GROUP BY u.id"], False),
    (["CREATE VIEW w AS SELECT * FROM t", "CREATE VIEW v AS SELECT w.id, w.a FROM w GROUP BY w.id"],
     False),
    (["CREATE TABLE p (a int, b int, c int, PRIMARY KEY (a, b))",
      "CREATE VIEW v AS SELECT c FROM p GROUP BY a"], False),
    (["CREATE TABLE p (a int, b int UNIQUE NOT NULL, c int)",
      "CREATE VIEW v AS SELECT a, c FROM p GROUP BY b"], False),
    (["CREATE TABLE p (a int CONSTRAINT pk PRIMARY KEY, c int)",
      "ALTER TABLE p DROP CONSTRAINT pk", "CREATE VIEW v AS SELECT c FROM p GROUP BY a"], False),
    (["CREATE TABLE p (LIKE t)", "CREATE VIEW v AS SELECT a FROM p GROUP BY id"], False),
    (["CREATE SCHEMA s8", "CREATE TABLE s8.q (id int, z int)",
      "CREATE VIEW v AS SELECT q.z FROM s8.q GROUP BY q.id"], False),
    (["CREATE VIEW v AS SELECT t.id, t.a, t.b, (t.a) AS x FROM t JOIN u ON u.id = t.id "
      "GROUP BY t.id"], True),
    (["CREATE VIEW v AS SELECT id, c AS cc FROM u GROUP BY id, cc"], True),
    (["CREATE VIEW v AS SELECT id, c FROM u GROUP BY 1, 2"], True),
    (["CREATE VIEW v AS SELECT x.id, x.c FROM u x GROUP BY x.id, (c)"], True),
    (["CREATE VIEW v AS SELECT y.a FROM t x JOIN t y ON x.id = y.a GROUP BY y.id"], True),
    (["CREATE VIEW v AS SELECT \"P\".a FROM t \"P\" GROUP BY \"P\".id"], True),
    (["CREATE VIEW v AS SELECT t.a, count(*) FROM t, u WHERE u.id = t.id GROUP BY t.id "
      "HAVING count(*) > 1 ORDER BY t.a"], True),
    (["CREATE VIEW v AS SELECT a, (SELECT max(c) FROM u WHERE u.id = t.id) FROM t "
      "GROUP BY t.id"], True),
    (["CREATE TABLE p (a int, b int, c int, PRIMARY KEY (a, b))",
      "CREATE VIEW v AS SELECT c FROM p GROUP BY a, b"], True),
    (["CREATE TABLE p (a int primary key, c int)", "ALTER TABLE p RENAME a TO z",
      "CREATE VIEW v AS SELECT c FROM p GROUP BY z"], True),
    (["CREATE TABLE p (a int NOT NULL, c int)", "CREATE UNIQUE INDEX pi ON p (a)",
      "ALTER TABLE p ADD CONSTRAINT pk PRIMARY KEY USING INDEX pi",
      "CREATE VIEW v AS SELECT c FROM p GROUP BY a"], True),
    (["CREATE TABLE p (LIKE t INCLUDING ALL)", "CREATE VIEW v AS SELECT a FROM p GROUP BY id"],
     True),
    (["CREATE TABLE pr (k int, v int) PARTITION BY RANGE (k)",
      "CREATE TABLE pr1 PARTITION OF pr FOR VALUES FROM (0) TO (10)",
      "ALTER TABLE pr ADD PRIMARY KEY (k)", "CREATE VIEW v AS SELECT v FROM pr1 GROUP BY k"],
     True),
    (["CREATE TABLE pr (k int, v int, PRIMARY KEY (k)) PARTITION BY RANGE (k)",
      "CREATE TABLE pr1 (k int NOT NULL, v int)",
      "ALTER TABLE pr ATTACH PARTITION pr1 FOR VALUES FROM (0) TO (10)",
      "CREATE VIEW v AS SELECT v FROM pr1 GROUP BY k"], True),
]


#: (statements after SETUP, whether PostgreSQL takes them): a relation's name that several
#: schemas have is the first on search_path's, whose columns a view's query must name
PATH_CASES: list[tuple[list[str], bool]] = [
    (["CREATE SCHEMA app", "CREATE TABLE app.acc (id int, email text)",
      "CREATE TABLE acc (id int PRIMARY KEY)", "SET search_path TO app",
      "CREATE VIEW public.v AS SELECT a.id FROM acc a WHERE a. BEGINid = 1"], False),
    (["CREATE SCHEMA app", "CREATE TABLE app.acc (id int, email text)",
      "CREATE TABLE acc (id int PRIMARY KEY)", "SET search_path TO public, app",
      "CREATE VIEW v AS SELECT a.id FROM acc a WHERE a.email = 'x'"], False),
    (["CREATE SCHEMA app", "CREATE TABLE app.acc (id int, email text)",
      "CREATE TABLE acc (id int PRIMARY KEY)", "SET search_path TO app",
      "CREATE VIEW public.v AS SELECT a.id FROM acc a WHERE a.email = 'x'"], True),
    (["CREATE SCHEMA app", "CREATE TABLE app.acc (id int, email text)",
      "CREATE TABLE acc (id int PRIMARY KEY)", "SET search_path TO app, public",
      "CREATE VIEW public.v AS SELECT email FROM acc"], True),
    (["CREATE SCHEMA app", "CREATE TABLE app.acc (id int, email text)",
      "CREATE TABLE acc (id int PRIMARY KEY)", "SET search_path TO nothere, app, public",
      "CREATE VIEW public.v AS SELECT email FROM acc"], True),
    (["CREATE SCHEMA app", "CREATE TABLE app.acc (id int, email text)",
      "CREATE TABLE acc (id int PRIMARY KEY)", "CREATE VIEW v AS SELECT id FROM acc"], True),
]


#: (statements after SETUP, whether PostgreSQL takes them): a date or timestamp whose field is
#: a point alone, after numbers and a date of digits (PostgreSQL reads no number in it)
DATE_CASES: list[tuple[list[str], bool]] = [
    (["CREATE TABLE r (d date) PARTITION BY RANGE (d)", "CREATE TABLE r1 (d date)",
      "ALTER TABLE r ATTACH PARTITION r1 FOR VALUES FROM ('2023-01-01') "
      "TO ('2024\\.-01 01-01')"], False),
    (["CREATE TABLE r (d date) PARTITION BY RANGE (d)",
      "CREATE TABLE r1 PARTITION OF r FOR VALUES FROM ('2023-01-01') TO ('2024-01-01 .')"],
     False),
    (["CREATE TABLE x (d date)", "INSERT INTO x VALUES ('2024-01-01 .')"], False),
    (["CREATE TABLE x (d timestamptz DEFAULT '. 2024-01-01')"], False),
    (["CREATE TABLE x (d timestamp DEFAULT '2024-01-01.')"], False),
    (["CREATE TABLE x (d date DEFAULT '2024 . 01 01')"], False),
    (["CREATE TABLE x (d date DEFAULT '01/02/2024 (.)')"], False),
    (["CREATE TABLE x (d date DEFAULT '20240101 ..')"], False),
    (["CREATE TABLE r (d date) PARTITION BY RANGE (d)",
      "CREATE TABLE r1 PARTITION OF r FOR VALUES FROM ('2023-01-01') TO ('2024.01.01')"],
     True),
    (["CREATE TABLE x (d timestamp DEFAULT '2024-01-01 10:00:00.', e timestamp DEFAULT "
      "'2024-01-01 10:00:00.5', f timestamp DEFAULT 'Jan.5.2024')"], True),
]


@pytest.mark.parametrize(("statements", "valid"), DATE_CASES)
def test_a_point_alone_in_a_date_is_refused_as_postgresql_refuses_it(
        pg_cluster: Cluster, pg_db: str, statements: list[str], valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements], valid)


def test_the_point_alone_is_refused_in_postgresql_words(pg_cluster: Cluster, pg_db: str) -> None:
    statement = "CREATE TABLE x (d date DEFAULT '2024\\.-01 01-01')"
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, statement]))
    assert said == 'invalid input syntax for type date: "2024\\.-01 01-01"'
    with pytest.raises(InputError) as refused:
        fold_sql(";\n".join([*SETUP, statement]) + ";\n")
    assert f"<sql>:3: {said}: " in str(refused.value)


@pytest.mark.parametrize(("statements", "valid"), PATH_CASES)
def test_a_name_on_search_path_is_read_as_postgresql_reads_it(
        pg_cluster: Cluster, pg_db: str, statements: list[str], valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements], valid)


@pytest.mark.parametrize(("statements", "valid"), GROUPED_CASES)
def test_an_ungrouped_column_is_refused_as_postgresql_refuses_it(
        pg_cluster: Cluster, pg_db: str, statements: list[str], valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements], valid)


def test_the_ungrouped_column_is_named_as_postgresql_names_it(pg_cluster: Cluster,
                                                               pg_db: str) -> None:
    statement = ("CREATE VIEW v AS SELECT c.id, (p.c) AS spent FROM t c JOIN u p "
                 "ON p.id = c.id GROUP BY c.id")
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, statement]))
    assert said == f'column "p.c" {GROUPED}'
    with pytest.raises(InputError) as refused:
        fold_sql(";\n".join([*SETUP, statement]) + ";\n")
    assert f"<sql>:3: {said}: " in str(refused.value)


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


@pytest.mark.parametrize("statement", [
    "ALTER TABLE t ADD COLUMN g timestamptz NOT NULL DEFAULT * now()",
    "SELECT a FROM t WHERE a = 1 OR < a",
    "SELECT abs(1 RETURNS)",
])
def test_the_refusal_says_what_postgresql_says(pg_cluster: Cluster, pg_db: str,
                                               statement: str) -> None:
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, statement]))
    with pytest.raises(InputError) as refused:
        fold_sql(";\n".join([*SETUP, statement]) + ";\n")
    assert f"<sql>:3: {said}: {statement}" in str(refused.value)
