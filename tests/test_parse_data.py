"""Handlers in schemafold.parse.postgres.data: INSERT, UPDATE, DELETE, TRUNCATE, top-level
queries and the data statements kept verbatim. Plus the coverage fixtures
tests/fixtures/coverage/data_*.sql."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coverage_fixtures import apply_fixture, check_fixture, fixture_files
from schemafold.events import (
    Delete,
    Event,
    Insert,
    Opaque,
    Origin,
    SessionStatement,
    SetSearchPath,
    Truncate,
    Update,
)
from schemafold.names import QName
from schemafold.parse.postgres import translate
from schemafold.verify.cluster import Cluster


def one(sql: str) -> Event:
    (event,) = translate(Origin("m.sql", 1, sql)).events
    return event


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        ("INSERT INTO t (a, b) VALUES (1, 'x'), (-2, NULL)", (("1", "'x'"), ("-2", "NULL"))),
        ("INSERT INTO t VALUES (E'it\\'s', '{}'::text[], ARRAY[1, 2], TRUE)",
         (("E'it\\'s'", "'{}'::text[]", "ARRAY[1, 2]", "TRUE"),)),
        ("INSERT INTO t VALUES ('5'::numeric(4, 2))", (("'5'::numeric(4, 2)",),)),
        ("INSERT INTO t VALUES (1), (now())", None),
        ("INSERT INTO t VALUES (DEFAULT, 1)", (("DEFAULT", "1"),)),
        ("INSERT INTO t SELECT 1", None),
        ("INSERT INTO t DEFAULT VALUES", None),
    ],
)
def test_insert_rows_are_tracked_only_when_literal(
    sql: str, rows: tuple[tuple[str, ...], ...] | None
) -> None:
    event = one(sql)
    assert isinstance(event, Insert)
    assert event.table == QName(None, "t")
    assert event.rows == rows


def test_insert_on_conflict_and_returning() -> None:
    event = one("INSERT INTO s.t AS x (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 2 "
                "RETURNING x.id")
    assert isinstance(event, Insert)
    assert (event.table, event.columns, event.rows) == (QName("s", "t"), ("id",), (("1",),))
    assert event.on_conflict == "(id) DO UPDATE SET id = 2"


def test_update_and_delete_predicates() -> None:
    update = one("UPDATE ONLY t AS x SET a = 1, b = b + 1 WHERE x.c = 'k' RETURNING *")
    assert isinstance(update, Update)
    assert update.assignments == (("a", "1"), ("b", "b + 1"))
    assert update.where == "x.c = 'k'"
    delete = one("DELETE FROM t")
    assert isinstance(delete, Delete) and delete.where is None


def test_truncate_options() -> None:
    assert one("TRUNCATE TABLE ONLY a, b * RESTART IDENTITY CASCADE") == Truncate(
        origin=Origin("m.sql", 1, ""), tables=(QName(None, "a"), QName(None, "b")),
        restart_identity=True, cascade=True,
    )


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 WHERE 1 IN (1, 2)",
        "SELECT count(*) FROM (SELECT 1) AS s",
        "SELECT EXISTS (SELECT 1) AND NOT (false) OR (true)",
        "SELECT CAST(1 AS int), ARRAY(SELECT 1), ROW(1, 2)",
        "SELECT 1 = ANY (ARRAY[1]) AND 2 = ALL (ARRAY[2])",
        "SELECT sum(n) FILTER (WHERE n > 0) OVER (ORDER BY n) FROM generate_series(1, 3) AS g (n)",
        "SELECT 1 UNION (SELECT 2) EXCEPT (SELECT 3)",
        "VALUES (1, 'one')",
        "TABLE t",
    ],
)
def test_pure_queries_change_nothing(sql: str) -> None:
    translation = translate(Origin("m.sql", 1, sql))
    assert [type(e) for e in translation.events] == [SessionStatement]
    assert not translation.warnings


@pytest.mark.parametrize(
    ("sql", "calls"),
    [
        ("SELECT setval(format('%s', 's'), 1)", "setval"),
        ("SELECT 1 WHERE EXISTS (SELECT nextval('s'))", "nextval"),
        ('SELECT "in"(1)', "in"),
        ("SELECT app.make_partitions('t')", "app.make_partitions"),
    ],
)
def test_calls_with_possible_effects_are_kept(sql: str, calls: str) -> None:
    event = one(sql)
    assert isinstance(event, Opaque)
    assert f"calls {calls}," in event.reason


def test_set_config_of_search_path() -> None:
    assert one("SELECT pg_catalog.set_config('search_path', 'app, public', false)") == (
        SetSearchPath(origin=Origin("m.sql", 1, ""), schemas=("app", "public"))
    )


# --------------------------------------------------------------------------------------------
# Coverage fixtures: tests/fixtures/coverage/data_*.sql
# --------------------------------------------------------------------------------------------

FIXTURE_FILES = fixture_files("data")


def test_fixture_files_exist() -> None:
    assert len(FIXTURE_FILES) >= 4
    assert any(p.name.startswith("data_errors_") for p in FIXTURE_FILES)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_coverage_fixture(path: Path) -> None:
    check_fixture(path, "data")


@pytest.mark.parametrize(
    "path", [p for p in FIXTURE_FILES if "_errors_" not in p.name], ids=lambda p: p.name
)
def test_coverage_fixture_applies_to_postgresql(
    path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    apply_fixture(path, pg_cluster.dsn(fresh_db("data")))
