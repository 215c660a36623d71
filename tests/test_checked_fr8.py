"""False refusals and consolidations that did not replay, found by writing histories in the
shapes migration tools generate (TypeORM, Django, Hasura, Ecto, Rails and hand-written
PostgreSQL) and asking PostgreSQL 15 and the fold about each: each statement PostgreSQL
applies that ``squash`` refused sits beside its nearest neighbour PostgreSQL refuses, which the
fold must still refuse. Every verdict is asked of a real PostgreSQL in the same test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_run import squash_verify
from postgresql_verdict import assert_refused_alike
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # ``e ARRAY`` (TypeORM's spelling of an enum array) is ``e[]``: its default is an array
    # literal, not a label
    ("CREATE TYPE e AS ENUM ('a');\nCREATE TABLE p (k e array NOT NULL DEFAULT '{a}')", None),
    ("CREATE TYPE e AS ENUM ('a');\nALTER TABLE t ADD k \"public\".\"e\" ARRAY DEFAULT '{a}'",
     None),
    ("CREATE TYPE e AS ENUM ('a');\nCREATE TABLE p (k e DEFAULT '{a}')",
     'invalid input value for enum e: "{a}"'),
]


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_judged_as_postgresql_judges(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, fragment: str | None) -> None:
    assert_refused_alike(pg_cluster, fresh_db(), [*BASE, *statement.split(";\n")], fragment)
