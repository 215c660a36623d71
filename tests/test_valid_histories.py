"""False refusals: statements PostgreSQL 15 applies that ``squash`` refused (exit 2), found by
writing valid histories in the spellings real ones use. Each case is asked of a real PostgreSQL
and of the fold in the same test, beside the neighbour the refusing rule was made for, so that
a rule narrowed here still refuses what PostgreSQL refuses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postgresql_verdict import fold_refusal, refusal
from schemafold.verify.cluster import Cluster

#: created before each case
BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

# (statements apart at ";\n", whether PostgreSQL takes them)
CASES = [
    # a GROUP BY or ORDER BY list ends at CREATE TABLE AS's or a materialized view's
    # WITH [NO] DATA and a view's WITH CHECK OPTION, not read as an item's label
    ("CREATE MATERIALIZED VIEW m AS SELECT b, count(*) AS n FROM t GROUP BY b WITH NO DATA",
     True),
    ("CREATE TABLE s AS SELECT b, count(*) AS n FROM t GROUP BY b WITH NO DATA", True),
    ("CREATE TABLE s AS SELECT id FROM t ORDER BY id WITH DATA", True),
    ("CREATE MATERIALIZED VIEW m AS SELECT id FROM t ORDER BY id DESC WITH DATA", True),
    ("CREATE VIEW v AS SELECT id, b FROM t ORDER BY id WITH LOCAL CHECK OPTION", True),
    ("CREATE TABLE s AS SELECT b FROM t GROUP BY b label", False),
    ("CREATE MATERIALIZED VIEW m AS SELECT b FROM t ORDER BY b name WITH NO DATA", False),
    # after AS any key word is a label, SELECT and ON too, in a select list or RETURNING
    ("SELECT a AS select, b AS where, id AS group FROM t", True),
    ("SELECT a AS into, b AS on, id AS using FROM t", True),
    ("CREATE VIEW v AS SELECT a AS on, b FROM t ORDER BY 1", True),
    ("DELETE FROM t RETURNING id AS select, a AS where", True),
    ("UPDATE t SET a = 1 RETURNING a AS select, b", True),
    ("CREATE VIEW v AS SELECT , a FROM t", False),
    ("CREATE TABLE x AS SELECT, a FROM t", False),
    ("SELECT id ON, a FROM t", False),
    # a foreign key's ON UPDATE SET NULL is no UPDATE's SET list: the table's next column
    # (a name, then a type) follows
    ("CREATE TABLE x (a int REFERENCES t ON UPDATE SET NULL, b int, c text)", True),
    ("CREATE TABLE x (a int REFERENCES t ON UPDATE SET DEFAULT ON DELETE SET NULL, "
     "b integer NOT NULL, c text)", True),
    ("CREATE TABLE x (a int, CONSTRAINT x_fk FOREIGN KEY (a) REFERENCES t (id) ON DELETE "
     "CASCADE ON UPDATE SET NULL, c varchar(10) DEFAULT 'x')", True),
    ("ALTER TABLE u ADD CONSTRAINT u_fk FOREIGN KEY (id) REFERENCES t ON UPDATE SET NULL, "
     "ADD COLUMN d text", True),
    ("MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = u.c, b = 'x'", True),
    ("INSERT INTO t VALUES (1, 1, 'x') ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a + 1, "
     "b = 'y' || EXCLUDED.b", True),
    ("UPDATE t SET a = b int", False),
    ("UPDATE t SET a = 1 WHERE a < b INT", False),
    ("INSERT INTO t VALUES (1, 1, 'x') ON CONFLICT (id) DO UPDATE SET a = EXCLUDED.a b",
     False),
    # INSERT's column list may name a field of a composite column or an array element
    ("CREATE TYPE pair AS (x int, y text);\n"
     "CREATE TABLE p (id int, q pair, tags text[]);\n"
     "INSERT INTO p (id, q.x, q.y, tags[1]) VALUES (1, 1, 'a', 'x')", True),
    ("INSERT INTO t (id, a b) VALUES (1, 1)", False),
    # a key's value as the column stores it: rounded to an integer or to a numeric's scale,
    # a varchar's spaces past its length cut
    ("CREATE TABLE k (n int PRIMARY KEY);\nINSERT INTO k VALUES (2);\n"
     "CREATE TABLE r (n int REFERENCES k);\nINSERT INTO r VALUES (1.5)", True),
    ("CREATE TABLE k (n int PRIMARY KEY);\nINSERT INTO k VALUES (-2.5);\n"
     "CREATE TABLE r (n int REFERENCES k);\nINSERT INTO r VALUES (-3)", True),
    ("CREATE TABLE k (n numeric(5,1) PRIMARY KEY);\nINSERT INTO k VALUES (1.25);\n"
     "CREATE TABLE r (n numeric REFERENCES k);\nINSERT INTO r VALUES (1.3)", True),
    ("CREATE TABLE k (n numeric(5) PRIMARY KEY);\nINSERT INTO k VALUES ('2');\n"
     "CREATE TABLE r (n numeric(5) REFERENCES k);\nINSERT INTO r VALUES (1.5)", True),
    ("CREATE DOMAIN cents AS numeric(10,2);\nCREATE TABLE k (n cents PRIMARY KEY);\n"
     "INSERT INTO k VALUES (1.005);\nCREATE TABLE r (n cents REFERENCES k);\n"
     "INSERT INTO r VALUES (1.01)", True),
    ("CREATE TABLE k (s varchar(3) PRIMARY KEY);\nINSERT INTO k VALUES ('abc');\n"
     "CREATE TABLE r (s varchar(3) REFERENCES k);\nINSERT INTO r VALUES ('abc  ')", True),
    ("CREATE TABLE k (s text PRIMARY KEY);\nINSERT INTO k VALUES ('abc');\n"
     "CREATE TABLE r (s varchar(3) REFERENCES k);\nINSERT INTO r VALUES ('abc   ')", True),
    ("CREATE TABLE k (x real PRIMARY KEY);\nINSERT INTO k VALUES (0.1);\n"
     "CREATE TABLE r (x real REFERENCES k);\nINSERT INTO r VALUES (0.100000001)", True),
    ("CREATE TABLE k (x float8 PRIMARY KEY);\nINSERT INTO k VALUES ('NaN');\n"
     "CREATE TABLE r (x float8 REFERENCES k);\nINSERT INTO r VALUES ('nan')", True),
    # ... and so a row's value is found by a condition on the value stored
    ("CREATE TABLE k (id int PRIMARY KEY, v numeric(5,1));\nINSERT INTO k VALUES (1, 1.25);\n"
     "DELETE FROM k WHERE v = 1.3;\nINSERT INTO k VALUES (1, 0)", True),
    ("CREATE TABLE k (id int PRIMARY KEY, v varchar(3));\nINSERT INTO k VALUES (1, 'ab  ');\n"
     "DELETE FROM k WHERE v = 'ab ';\nINSERT INTO k VALUES (1, 'x')", True),
    ("CREATE TABLE k (id int PRIMARY KEY, v int);\nINSERT INTO k VALUES (1, 1.6);\n"
     "DELETE FROM k WHERE v = 2;\nINSERT INTO k VALUES (1, 0)", True),
    # the neighbours the key checks were made for
    ("CREATE TABLE k (n int PRIMARY KEY);\nINSERT INTO k VALUES (2);\n"
     "CREATE TABLE r (n int REFERENCES k);\nINSERT INTO r VALUES (2.5)", False),
    ("CREATE TABLE k (n numeric(5,1) PRIMARY KEY);\nINSERT INTO k VALUES (1.25), (1.3)", False),
    ("CREATE TABLE k (s varchar(3) PRIMARY KEY);\nINSERT INTO k VALUES ('abc'), ('abc  ')",
     False),
    ("CREATE TABLE k (n int PRIMARY KEY);\nINSERT INTO k VALUES (1.6), (2)", False),
    ("CREATE TABLE k (id int PRIMARY KEY, v numeric(5,1));\nINSERT INTO k VALUES (1, 1.25);\n"
     "DELETE FROM k WHERE v = 1.2;\nINSERT INTO k VALUES (1, 0)", False),
]


def _folds(statements: list[str]) -> bool:
    return fold_refusal(statements) is None


@pytest.mark.parametrize(("statement", "valid"), CASES)
def test_valid_statements_are_folded(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, valid: bool) -> None:
    statements = [*BASE, *statement.split(";\n")]
    assert (refusal(pg_cluster, fresh_db(), statements) is None) is valid
    assert _folds(statements) is valid
