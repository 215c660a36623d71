"""False refusals found by writing small histories that use PostgreSQL's long tail (unusual
expressions, DDL, PL/pgSQL, data statements, key words as names) and asking PostgreSQL 15 and
the fold about each: statements PostgreSQL applies that ``squash`` refused, each beside its
nearest neighbour PostgreSQL refuses, which the fold must still refuse. Every verdict is asked
of a real PostgreSQL in the same test; PostgreSQL's message must hold the error fragment, and
so must the fold's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postgresql_verdict import assert_refused_alike
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # EXCLUDE is not reserved: it starts a constraint only before "(" or USING, and is
    # otherwise a column's name, in CREATE TABLE and in ALTER TABLE ... ADD
    ("CREATE TABLE w (id int, exclude int NOT NULL, EXCLUDE USING btree (id WITH =));\n"
     "ALTER TABLE t ADD exclude text DEFAULT 'x';\n"
     "ALTER TABLE w ADD EXCLUDE (exclude WITH =);\n"
     "INSERT INTO w (id, exclude) VALUES (1, 2);\nCREATE VIEW v AS SELECT exclude FROM w", None),
    ("CREATE TABLE w (id int, exclude int int)", 'syntax error at or near "int"'),
    ("ALTER TABLE t ADD exclude create", 'syntax error at or near "create"'),
    # CREATE SCHEMA's elements follow one another with no ";": a view's query ends where the
    # next CREATE or GRANT starts, and is judged alone
    ("CREATE SCHEMA s2 CREATE VIEW v AS SELECT 1 AS x, 2 y CREATE TABLE w (id int)\n"
     "  CREATE VIEW v2 AS SELECT id FROM w WHERE id > 0 ORDER BY id CREATE INDEX i ON w (id)\n"
     "  CREATE VIEW v3 AS SELECT 1 GRANT SELECT ON v2 TO PUBLIC", None),
    ("CREATE SCHEMA s2 CREATE VIEW v AS SELECT 1 AS x x CREATE TABLE w (id int)",
     'syntax error at or near "x"'),
]


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_judged_as_postgresql_judges(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, fragment: str | None) -> None:
    assert_refused_alike(pg_cluster, fresh_db(), [*BASE, *statement.split(";\n")], fragment)

