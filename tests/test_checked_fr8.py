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
from postgresql_verdict import assert_judged_alike, assert_refused_alike
from replay_helpers import replay_both, texts
from schemafold import fold_sql
from schemafold.render.postgres import render_schema
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


_MONTHLY = (
    "CREATE OR REPLACE FUNCTION make_month(d date) RETURNS void LANGUAGE plpgsql AS $$\n"
    "DECLARE\n"
    "  first date := date_trunc('month', d)::date;\n"
    "  name text := 'events_' || to_char(d, 'YYYY_MM');\n"
    "BEGIN\n"
    "  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF events\n"
    "    FOR VALUES FROM (%L) TO (%L)', name, first, (first + interval '1 month')::date);\n"
    "END $$;\n")


@pytest.mark.parametrize("history", [
    # a partition made by a helper called through SELECT, before rows the default partition
    # must not hold (PostgreSQL: "updated partition constraint for default partition ... would
    # be violated" when the call ran after the INSERT)
    ("CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);\n"
     "CREATE TABLE events_default PARTITION OF events DEFAULT;\n" + _MONTHLY +
     "SELECT make_month('2024-01-15');\nINSERT INTO events VALUES (1, '2024-01-20');\n"),
    ("CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);\n"
     "CREATE TABLE events_default PARTITION OF events DEFAULT;\n" + _MONTHLY +
     "CREATE FUNCTION setup() RETURNS void LANGUAGE sql AS $$ SELECT make_month(now()::date) "
     "$$;\nDO $$ BEGIN PERFORM setup(); END $$;\n"
     "INSERT INTO events VALUES (1, now());\n"),
    # a routine writing a table, called through SELECT, before an upsert of the same key
    # (the upsert ran first in the data phase: "duplicate key value")
    ("CREATE TABLE x (id int PRIMARY KEY, at date);\n"
     "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
     "  DECLARE d date := date_trunc('month', now()); BEGIN INSERT INTO x VALUES (1, d); END $$;\n"
     "SELECT f();\n"
     "INSERT INTO x VALUES (1, '2020-01-01') ON CONFLICT (id) DO UPDATE SET at = excluded.at;\n"),
])
def test_a_statement_after_a_call_kept_verbatim_runs_after_it(
        tmp_path: Path, history: str) -> None:
    """A call kept verbatim writes what its routine's body names: a later data statement on
    that is kept after it, as the history ran them (it was put in the data phase, before)."""
    squash_verify(tmp_path, {"0001_a.sql": history})


_ROWS = "INSERT INTO t VALUES (1, 2, 'x')"

# (statements after BASE and a row of t, apart at ";\n"; whether PostgreSQL takes them): a
# USING the fold cannot evaluate on the rows it holds stops the fold (it refused it before)
CONVERSIONS: list[tuple[str, bool]] = [
    ("ALTER TABLE t ALTER COLUMN a TYPE timestamptz USING to_timestamp(a) AT TIME ZONE 'UTC'",
     True),
    ("CREATE FUNCTION dbl(int) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT $1 * 2 $$;\n"
     "ALTER TABLE t ALTER COLUMN a TYPE bigint USING dbl(a)", True),
    ("ALTER TABLE t ALTER COLUMN a TYPE text USING a::text COLLATE \"C\"", True),
    ("ALTER TABLE t ALTER COLUMN a TYPE text USING a::text COLLATE pg_catalog.\"default\"", True),
    ("ALTER TABLE t ALTER COLUMN a TYPE interval USING make_interval(secs => a)", True),
    ("ALTER TABLE t ALTER COLUMN b TYPE int USING length(b) OPERATOR(pg_catalog.+) 1", True),
    ("ALTER TABLE t ALTER COLUMN b TYPE varchar(1) USING substring(b from 1 for 1)", True),
    ("ALTER TABLE t ALTER COLUMN b TYPE text USING b || EXTRACT(year FROM DATE '2020-01-01')",
     True),
    ("ALTER TABLE t ALTER COLUMN a TYPE text USING a::text || (SELECT 'q')", False),
]


@pytest.mark.parametrize(("statement", "valid"), CONVERSIONS)
def test_rows_converted_by_what_the_fold_cannot_evaluate(
        pg_cluster: Cluster, fresh_db: Callable[..., str], statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, fresh_db(), [*BASE, _ROWS, *statement.split(";\n")], valid)


def test_rows_converted_at_time_zone_or_by_a_routine_replay(tmp_path: Path) -> None:
    """Ecto's and Rails' ``USING col AT TIME ZONE 'UTC'`` is folded into the rows; a USING
    calling the history's routine stops folding there, and the rest replays as written."""
    out = squash_verify(tmp_path, {
        "0001_a.sql": "CREATE TABLE users (id int PRIMARY KEY, at timestamp(0) NOT NULL,\n"
                      "  n text COLLATE \"C\");\n"
                      "INSERT INTO users VALUES (1, '2023-01-01 10:00', 'b'),\n"
                      "  (2, '2023-05-01', 'a');\n"
                      "ALTER TABLE users ALTER COLUMN at TYPE timestamptz(6)\n"
                      "  USING at AT TIME ZONE 'UTC';\n"
                      "ALTER TABLE users ALTER COLUMN n TYPE varchar(10) USING n COLLATE \"C\"\n"
                      "  COLLATE \"C\";\n"
                      "ALTER TABLE users ALTER COLUMN n TYPE text\n"
                      "  USING substring(n from 1 for 1) || EXTRACT(year FROM at);\n",
        "0002_b.sql": "CREATE FUNCTION dbl(int) RETURNS bigint LANGUAGE sql IMMUTABLE\n"
                      "  AS $$ SELECT $1 * 2 $$;\n"
                      "ALTER TABLE users ALTER COLUMN id TYPE bigint USING dbl(id);\n"
                      "INSERT INTO users VALUES (3, '2024-02-02', 'c');\n"})
    assert "USING at AT TIME ZONE" not in out and "USING dbl(id)" in out, out


def test_a_type_changed_without_collate_takes_the_new_types_collation(
        clusters: tuple[Cluster, Cluster]) -> None:
    """``ALTER COLUMN ... TYPE`` without ``COLLATE``: PostgreSQL gives the column the new
    type's collation, dropping the old ``COLLATE "C"`` even when the type stays; the
    consolidation kept it."""
    history = (
        'CREATE TABLE c (n text COLLATE "C", m varchar(5) COLLATE "C", k text COLLATE "POSIX");\n'
        "ALTER TABLE c ALTER COLUMN n TYPE varchar(10);\n"
        'ALTER TABLE c ALTER COLUMN m TYPE varchar(10) COLLATE "POSIX";\n'
        "ALTER TABLE c ALTER COLUMN k TYPE text;\n")
    consolidation = render_schema(fold_sql(history).schema)
    assert consolidation.count("COLLATE") == 1, consolidation
    comparison = replay_both(clusters, texts([("0001.sql", history)]),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation


@pytest.mark.parametrize("change", [
    "ALTER FUNCTION total(numeric[]) RENAME TO sum_all",
    "CREATE SCHEMA s2;\nALTER FUNCTION total(numeric[]) SET SCHEMA s2",
])
def test_a_routine_a_kept_view_calls_is_renamed_after_it(tmp_path: Path, change: str) -> None:
    """A view kept verbatim (it reads a table an opaque statement touched) calls a routine the
    fold follows, later renamed or moved: the consolidation created the routine under its last
    name before the kept view, which then called a routine that did not exist (``function
    total(numeric[]) does not exist``). The rename is kept after the view, in order."""
    squash_verify(tmp_path, {"0001_a.sql": (
        "CREATE TABLE p (a text, n numeric, g numeric GENERATED ALWAYS AS (n * 2) STORED);\n"
        "CREATE FUNCTION total(VARIADIC xs numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE\n"
        "  AS 'SELECT sum(x) FROM unnest(xs) x';\n"
        "ALTER TABLE p ALTER COLUMN g DROP EXPRESSION;\n"
        "CREATE MATERIALIZED VIEW st AS SELECT a, total(VARIADIC array_agg(n)) AS s FROM p\n"
        "  GROUP BY a;\n"
        "CREATE VIEW sv AS SELECT a, total(n, g) AS s FROM p;\n"
        f"{change};\n")})


def test_a_renamed_column_is_followed_into_triggers(clusters: tuple[Cluster, Cluster]) -> None:
    """``RENAME COLUMN`` of a column a trigger fires on (``UPDATE OF qty``) or reads in its
    ``WHEN``: PostgreSQL follows it; the consolidation wrote the old name (``column old.qty
    does not exist``). A trigger on other columns, and a quoted new name, too."""
    history = (
        "CREATE TABLE items (id int, qty int, \"Price\" int);\n"
        "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
        "CREATE TRIGGER a BEFORE UPDATE OF qty, \"Price\" ON items FOR EACH ROW\n"
        "  WHEN (OLD.qty IS DISTINCT FROM NEW.qty OR new.\"Price\" > 0) EXECUTE FUNCTION audit();\n"
        "CREATE TRIGGER b BEFORE INSERT OR UPDATE OF id ON items FOR EACH ROW\n"
        "  EXECUTE FUNCTION audit();\n"
        "ALTER TABLE items RENAME COLUMN qty TO \"Quantity\";\n"
        "ALTER TABLE items RENAME COLUMN \"Price\" TO price;\n")
    consolidation = render_schema(fold_sql(history).schema)
    assert "qty" not in consolidation and '"Price"' not in consolidation, consolidation
    comparison = replay_both(clusters, texts([("0001.sql", history)]),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation


@pytest.mark.parametrize("column", ["id bigint GENERATED ALWAYS AS IDENTITY", "id bigserial"])
def test_rows_of_a_table_attached_as_a_partition_level_the_parents_sequence(
        tmp_path: Path, column: str) -> None:
    """Explicit ids loaded into a table later attached to a parent whose column is an identity
    (or serial): the parent's column holds them, and its sequence is set level with them, as
    for the parent's own rows (the consolidation left it behind, against the contract)."""
    squash_verify(tmp_path, {"0001_a.sql": (
        f"CREATE TABLE m ({column}, d date NOT NULL) PARTITION BY RANGE (d);\n"
        "CREATE TABLE s (id bigint NOT NULL, d date NOT NULL);\n"
        "INSERT INTO s VALUES (1, '2024-03-01'), (2, '2024-04-01');\n"
        "ALTER TABLE m ATTACH PARTITION s FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n")})


@pytest.mark.parametrize("after", ["", "INSERT INTO m (d) VALUES ('2024-05-01');\n"])
def test_a_partitions_ids_level_the_sequence_of_a_parent_kept_statements_touch(
        tmp_path: Path, after: str) -> None:
    """The same, with the parent touched by a statement kept verbatim (``REPLICA IDENTITY
    FULL``), after which the fold does not set the sequence itself: the consolidation's catch-up
    after the kept statements counts the partition's rows as the parent's (it read the
    parent's own rows only, and left the sequence behind, verify's "NOT EQUAL"); also with a
    later row drawn from the sequence through the parent, as the history drew it."""
    squash_verify(tmp_path, {"0001_a.sql": (
        "CREATE TABLE m (id bigint GENERATED ALWAYS AS IDENTITY, d date NOT NULL)"
        " PARTITION BY RANGE (d);\n"
        "CREATE TABLE s (id bigint NOT NULL, d date NOT NULL);\n"
        "INSERT INTO s VALUES (1, '2024-03-01'), (2, '2024-04-01');\n"
        "ALTER TABLE m ATTACH PARTITION s FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
        "ALTER TABLE m REPLICA IDENTITY FULL;\n" + after)})
