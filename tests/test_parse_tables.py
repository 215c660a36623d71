"""Handlers in schemafold.parse.postgres.tables: CREATE TABLE, ALTER TABLE, CREATE INDEX, CREATE
[MATERIALIZED] VIEW and REFRESH. Plus the coverage fixtures tests/fixtures/coverage/tables_*.sql."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coverage_fixtures import apply_fixture, check_fixture, fixture_files
from schemafold.errors import InputError
from schemafold.events import (
    AttachPartition,
    Column,
    Constraint,
    CreateIndex,
    CreateTable,
    CreateView,
    Event,
    IndexElement,
    Inherit,
    LikeClause,
    ObjectRef,
    Opaque,
    Origin,
    Rename,
    RenameColumn,
    SetOwner,
    SetSchema,
    TableIfExists,
    ValidateConstraint,
)
from schemafold.names import QName
from schemafold.parse.postgres import translate
from schemafold.verify.cluster import Cluster

AT = Origin("m.sql", 1, "")  # events compare equal ignoring their origin


def q(text: str) -> QName:
    return QName.parse(text)


def one(sql: str) -> Event:
    (event,) = translate(Origin("m.sql", 1, sql)).events
    return event


def opaque_reason(sql: str) -> str:
    translation = translate(Origin("m.sql", 1, sql))
    (event,) = translation.events
    assert isinstance(event, Opaque), event
    assert translation.warnings
    return event.reason


# --------------------------------------------------------------------------------------------
# CREATE TABLE
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "bound", "options", "partition_by"),
    [
        ("CREATE TABLE p1 PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 1)",
         "FOR VALUES WITH (MODULUS 4, REMAINDER 1)", None, None),
        ("CREATE TABLE p1 PARTITION OF p FOR VALUES WITH (modulus 2, remainder 0) "
         "WITH (fillfactor = 50) TABLESPACE pg_default",
         "FOR VALUES WITH (modulus 2, remainder 0)", "WITH (fillfactor = 50) TABLESPACE pg_default",
         None),
        ("CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (MINVALUE) TO ('2024-01-01') "
         "PARTITION BY LIST (region)",
         "FOR VALUES FROM (MINVALUE) TO ('2024-01-01')", None, "LIST (region)"),
        ("CREATE TABLE p1 PARTITION OF p FOR VALUES IN ('a', 'b') USING heap",
         "FOR VALUES IN ('a', 'b')", "USING heap", None),
        ("CREATE TABLE p1 PARTITION OF p DEFAULT", "DEFAULT", None, None),
    ],
)
def test_partition_bounds(
    sql: str, bound: str, options: str | None, partition_by: str | None
) -> None:
    event = one(sql)
    assert isinstance(event, CreateTable)
    assert (event.partition_of, event.partition_bound) == (q("p"), bound)
    assert (event.options, event.partition_by) == (options, partition_by)


def test_attach_partition_bound() -> None:
    assert one("ALTER TABLE p ATTACH PARTITION s.p1 FOR VALUES WITH (MODULUS 2, REMAINDER 1)") == (
        AttachPartition(origin=AT, table=q("p"), partition=q("s.p1"),
                        bound="FOR VALUES WITH (MODULUS 2, REMAINDER 1)")
    )


def test_inherit_comes_after_the_statements_other_actions() -> None:
    """PostgreSQL runs [NO] INHERIT in its last pass (15 and 18.6 accept ``INHERIT p, ADD
    COLUMN b`` where p has b, and refuse ``NO INHERIT p, DROP COLUMN a`` of p's a)."""
    events = list(translate(Origin(
        "m.sql", 1, "ALTER TABLE ONLY c INHERIT s.p, ADD COLUMN b text, NO INHERIT q")).events)
    assert [type(e).__name__ for e in events] == ["AddColumn", "Inherit", "Inherit"]
    assert events[1:] == [Inherit(origin=AT, table=q("c"), parent=q("s.p")),
                          Inherit(origin=AT, table=q("c"), parent=q("q"), remove=True)]


def test_table_options_are_kept_in_order_as_written() -> None:
    event = one("CREATE UNLOGGED TABLE t (a int) USING heap WITH (fillfactor=70) WITHOUT OIDS "
                "TABLESPACE pg_default")
    assert isinstance(event, CreateTable)
    assert event.unlogged
    assert event.options == "USING heap WITH (fillfactor=70) TABLESPACE pg_default"


def test_not_valid_is_dropped_from_a_new_tables_constraints() -> None:
    # PostgreSQL accepts NOT VALID in CREATE TABLE and creates the constraint valid.
    event = one("CREATE TABLE t (a int, CONSTRAINT c CHECK (a > 0) NOT VALID)")
    assert isinstance(event, CreateTable)
    assert event.constraints == (Constraint(kind="check", name="c", expression="a > 0"),)


def test_not_valid_on_a_column_constraint_is_a_syntax_error() -> None:
    with pytest.raises(InputError, match="NOT VALID") as info:
        translate(Origin("m.sql", 3, "CREATE TABLE t (\n  a int CHECK (a > 0) NOT VALID)"))
    assert (info.value.file, info.value.line) == ("m.sql", 4)


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("CREATE TABLE t AS SELECT 1", "AS query"),
        ("CREATE TABLE t (a, b) AS SELECT 1, 2", "AS query"),
        ("CREATE TABLE t (a) WITH (fillfactor = 70) AS VALUES (1)", "AS query"),
        ("CREATE UNLOGGED TABLE IF NOT EXISTS t (a) AS TABLE u WITH NO DATA", "AS query"),
        ("CREATE TABLE t OF some_type", "OF type"),
        ("CREATE TEMP TABLE t (a int)", "temporary"),
        ("CREATE TABLE t (a text COMPRESSION pglz)", "COMPRESSION"),
    ],
)
def test_unmodelled_create_table_forms(sql: str, reason: str) -> None:
    assert reason in opaque_reason(sql)


def test_generated_column_is_not_mistaken_for_create_table_as() -> None:
    event = one("CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED)")
    assert isinstance(event, CreateTable)
    assert event.columns[1] == Column(name="b", type="int", generated="a * 2")


# --------------------------------------------------------------------------------------------
# ALTER TABLE: IF EXISTS and owners
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("ALTER TABLE IF EXISTS t RENAME COLUMN a TO b",
         RenameColumn(origin=AT, table=q("t"), old="a", new="b", if_exists=True)),
        ("ALTER TABLE t RENAME a TO b", RenameColumn(origin=AT, table=q("t"), old="a", new="b")),
        ("ALTER TABLE IF EXISTS s.t RENAME CONSTRAINT c TO d",
         Rename(origin=AT, kind="constraint", target=ObjectRef(q("s.c"), table=q("s.t")),
                new_name="d", if_exists=True)),
        ("ALTER TABLE IF EXISTS t SET SCHEMA archive",
         SetSchema(origin=AT, kind="table", target=ObjectRef(q("t")), schema="archive",
                   if_exists=True)),
        ("ALTER TABLE t OWNER TO current_user",
         SetOwner(origin=AT, kind="table", target=ObjectRef(q("t")), owner="CURRENT_USER")),
        ("ALTER TABLE t OWNER TO SESSION_USER",
         SetOwner(origin=AT, kind="table", target=ObjectRef(q("t")), owner="SESSION_USER")),
        ("ALTER TABLE ONLY t VALIDATE CONSTRAINT c",
         ValidateConstraint(origin=AT, table=q("t"), name="c")),
    ],
)
def test_alter_table_flags(sql: str, expected: Event) -> None:
    assert one(sql) == expected


def test_alter_table_if_exists_guards_its_actions() -> None:
    """Every action of ALTER TABLE IF EXISTS follows a guard, which skips them all when the
    relation does not exist (an action may carry IF EXISTS of its own, too)."""
    assert list(translate(Origin("m.sql", 1, 'ALTER TABLE IF EXISTS t OWNER TO "Admin"')).events
                ) == [TableIfExists(origin=AT, table=q("t")),
                      SetOwner(origin=AT, kind="table", target=ObjectRef(q("t")), owner="Admin",
                               if_exists=True)]


# --------------------------------------------------------------------------------------------
# CREATE INDEX and views
# --------------------------------------------------------------------------------------------


def test_index_options_and_predicate() -> None:
    assert one("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY s.t USING btree "
               "(lower(a) DESC, (b + 1), c text_pattern_ops) INCLUDE (d) NULLS NOT DISTINCT "
               "WITH (fillfactor = 70) TABLESPACE pg_default WHERE d > 0") == CreateIndex(
        origin=AT,
        name="i",
        table=q("s.t"),
        elements=(
            IndexElement(expression="lower(a)", suffix="DESC"),
            IndexElement(expression="b + 1"),
            IndexElement(column="c", suffix="text_pattern_ops"),
        ),
        unique=True,
        method="btree",
        include=("d",),
        where="d > 0",
        options="WITH (fillfactor = 70) TABLESPACE pg_default",
        nulls_not_distinct=True,
        if_not_exists=True,
        concurrently=True,
        only=True,
    )


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE INDEX i ON t (a) garbage",
        "CREATE INDEX i ON t (a) WITH (fillfactor = 70) extra WHERE a > 0",
        "CREATE TABLE t (a int) WITH (fillfactor = 70) garbage",
        "CREATE TABLE t (a int) TABLESPACE",
    ],
)
def test_trailing_garbage_is_a_syntax_error(sql: str) -> None:
    with pytest.raises(InputError):
        translate(Origin("m.sql", 1, sql))


def test_view_check_option_and_materialized_data() -> None:
    view = one("CREATE VIEW v (a) WITH (security_barrier) AS SELECT 1 WITH LOCAL CHECK OPTION")
    assert isinstance(view, CreateView)
    assert (view.query, view.columns, view.options, view.check_option) == (
        "SELECT 1", ("a",), "WITH (security_barrier)", "LOCAL")
    matview = one("CREATE MATERIALIZED VIEW IF NOT EXISTS m AS SELECT 1 WITH NO DATA")
    assert isinstance(matview, CreateView)
    assert (matview.materialized, matview.with_data, matview.if_not_exists) == (True, False, True)


# --------------------------------------------------------------------------------------------
# Coverage fixtures: tests/fixtures/coverage/tables_*.sql
# --------------------------------------------------------------------------------------------

FIXTURE_FILES = fixture_files("tables")


def test_fixture_files_exist() -> None:
    assert len(FIXTURE_FILES) >= 8
    assert any(p.name.startswith("tables_errors_") for p in FIXTURE_FILES)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_coverage_fixture(path: Path) -> None:
    check_fixture(path, "tables")


@pytest.mark.parametrize(
    "path", [p for p in FIXTURE_FILES if "_errors_" not in p.name], ids=lambda p: p.name
)
def test_coverage_fixture_applies_to_postgresql(
    path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]
) -> None:
    apply_fixture(path, pg_cluster.dsn(fresh_db("tables")))


def test_like_options_are_read_in_order() -> None:
    """Later ``INCLUDING``/``EXCLUDING`` options override earlier ones; ``ALL`` names them all;
    each clause knows how many declared columns come before it."""
    (event,) = translate(Origin("m.sql", 1, "CREATE TABLE t (a int, LIKE s INCLUDING ALL "
                                "EXCLUDING INDEXES EXCLUDING COMMENTS INCLUDING COMMENTS, b int, "
                                "LIKE x.u)")).events
    assert isinstance(event, CreateTable)
    first, second = event.like
    assert first.source == QName(None, "s") and first.position == 1
    assert set(first.including) == set(LikeClause.LIKE_OPTIONS) - {"INDEXES"}
    assert second.source == QName("x", "u") and second.position == 2
    assert second.including == ()


def test_unknown_like_option_is_a_syntax_error() -> None:
    with pytest.raises(InputError, match="unknown LIKE option"):
        translate(Origin("m.sql", 1, "CREATE TABLE t (LIKE s INCLUDING EVERYTHING)"))
