"""False refusals and consolidations that did not replay, found by writing small histories in the
shapes real projects' migrations take and asking PostgreSQL 15 and the fold about each: each
statement PostgreSQL applies that ``squash`` refused sits beside its nearest neighbour
PostgreSQL refuses, which the fold must still refuse. Every verdict is asked of a real
PostgreSQL in the same test; PostgreSQL's message must hold the error fragment, and so must
the fold's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_run import squash_verify
from postgresql_verdict import assert_refused_alike, first_line, fold_refusal, refusal
from replay_helpers import replay_both, texts
from schemafold import fold_sql
from schemafold.errors import FoldLimit
from schemafold.render.postgres import render_schema
from schemafold.sources import read_history
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # DROP COLUMN a: a view whose output, a subquery's, a CTE's or a DISTINCT ON item is
    # labelled a, but which reads no column a of t, does not depend on it
    ("CREATE VIEW v1 AS SELECT x.a FROM (SELECT id AS a FROM t) x WHERE x.a > 1;\n"
     "CREATE VIEW v2 AS SELECT a FROM (SELECT id AS a FROM t) x;\n"
     "CREATE VIEW v3 AS WITH x AS (SELECT id AS a FROM t) SELECT a FROM x;\n"
     "CREATE VIEW v4 AS SELECT DISTINCT ON (a) id AS a FROM t;\n"
     "CREATE VIEW v5 AS SELECT DISTINCT ON (a, b) a, b FROM (SELECT id AS a, b FROM t) s;\n"
     "CREATE VIEW v6 AS SELECT s.a FROM (SELECT id AS a FROM t UNION ALL SELECT c FROM u) s;\n"
     "CREATE VIEW v7 AS SELECT x.a FROM (SELECT id FROM t) x(a);\n"
     "CREATE VIEW v8 AS SELECT id FROM t WHERE id IN (SELECT a FROM (SELECT c AS a FROM u) q);\n"
     "CREATE FUNCTION f1() RETURNS int LANGUAGE sql\n"
     "  RETURN (SELECT max(x.a) FROM (SELECT id AS a FROM t) x);\n"
     "CREATE FUNCTION f2() RETURNS int LANGUAGE sql\n"
     "  BEGIN ATOMIC SELECT x.a FROM (SELECT id AS a FROM t) x LIMIT 1; END;\n"
     "ALTER TABLE t DROP COLUMN a", None),
    ("CREATE VIEW v AS SELECT x.a FROM (SELECT a FROM t) x;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS WITH x AS (SELECT a FROM t) SELECT a FROM x;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT DISTINCT ON (a + 0) id AS a FROM t;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT DISTINCT ON (t.a) id AS a FROM t;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT id AS a FROM t ORDER BY a + 1;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT max(id) AS a FROM t GROUP BY a;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT id FROM u WHERE EXISTS (SELECT 1 FROM t WHERE c = a);\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop"),
    ("CREATE VIEW v AS SELECT s.a FROM (SELECT a FROM t UNION ALL SELECT c FROM u) s;\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop"),
    ("CREATE VIEW v AS SELECT x.a FROM (SELECT id, a FROM t) x(i, a);\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop"),
    # a column alias list on the table itself renames its columns in order: the dropped
    # column is read by the name the list gives it, and its own name may be another column's
    # (the drops PostgreSQL takes under such a list: _ALIAS_LISTS_TAKEN)
    ("CREATE VIEW v AS SELECT a FROM t x(i, q, a);\nALTER TABLE t DROP COLUMN b", "cannot drop"),
    ("CREATE VIEW v AS SELECT b2 FROM t x(a, b2);\nALTER TABLE t DROP COLUMN a", "cannot drop"),
    ("CREATE VIEW v AS SELECT x.b2 FROM t x(a, b2);\nALTER TABLE t DROP COLUMN a", "cannot drop"),
    ("CREATE VIEW v AS SELECT i FROM t x(i, q) WHERE q > 0;\nALTER TABLE t DROP COLUMN a",
     "cannot drop"),
    ("CREATE VIEW v AS SELECT count(*) FROM t x(i, q) GROUP BY q;\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop"),
    ("CREATE FUNCTION f() RETURNS int LANGUAGE sql\n"
     "  BEGIN ATOMIC SELECT x.a FROM (SELECT a FROM t) x LIMIT 1; END;\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop"),
    # a trigger on UPDATE OF a column, or whose WHEN reads it, depends on it; one on other
    # columns (or the whole row) does not
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
     "CREATE TRIGGER tr BEFORE INSERT OR UPDATE OF b ON t FOR EACH ROW\n"
     "  WHEN (NEW.b IS NOT NULL) EXECUTE FUNCTION f();\n"
     "CREATE TRIGGER tr2 BEFORE UPDATE ON t FOR EACH ROW\n"
     "  WHEN (old.* IS DISTINCT FROM new.*) EXECUTE FUNCTION f();\n"
     "ALTER TABLE t DROP COLUMN a", None),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
     "CREATE TRIGGER tr BEFORE UPDATE OF b, a OR INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop column a of table t"),
    ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
     "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW\n"
     "  WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION f();\n"
     "ALTER TABLE t DROP COLUMN a", "cannot drop column a of table t"),
    # a column of a relation's row type depends on the relation
    ("CREATE TABLE items (id int);\nCREATE TABLE h (id int, items int);\n"
     "CREATE TABLE items2 (id int, i items);\nDROP TABLE items, items2", None),
    ("CREATE TABLE items (id int);\nCREATE TABLE h (id int, i items[]);\nDROP TABLE items",
     "cannot drop table items because other objects depend on it"),
    ("CREATE VIEW iv AS SELECT 1 AS x;\nCREATE TABLE h (id int, i iv);\nDROP VIEW iv",
     "cannot drop view iv because other objects depend on it"),
    # SETOF before a column's type: CREATE TABLE refuses it; bare, it is no type
    ("CREATE TABLE z (x setof int)", 'column "x" cannot be declared SETOF'),
    ("ALTER TABLE t ADD COLUMN x setof", "syntax error"),
]


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_judged_as_postgresql_judges(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, fragment: str | None) -> None:
    assert_refused_alike(pg_cluster, fresh_db(), [*BASE, *statement.split(";\n")], fragment)


def _squashed_equal(clusters: tuple[Cluster, Cluster], history: str) -> None:
    """``history`` folds to a consolidation that replays equal to it on PostgreSQL."""
    consolidation = render_schema(fold_sql(history).schema)
    comparison = replay_both(clusters, texts([("0001.sql", history)]),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation


def test_a_column_dropped_under_views_labelled_alike_replays(
        clusters: tuple[Cluster, Cluster]) -> None:
    """The views whose labels spell the dropped column are kept, and replay after it."""
    history = ";\n".join(BASE) + (
        ";\nCREATE VIEW v1 AS SELECT x.a FROM (SELECT id AS a FROM t) x;\n"
        "CREATE VIEW v2 AS SELECT DISTINCT ON (a) id AS a, b FROM t ORDER BY a, b;\n"
        "ALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN a text;\n")
    _squashed_equal(clusters, history)


_SETOF = ("ALTER TABLE t ADD COLUMN x setof int",
          "ALTER TABLE t ADD y SETOF varchar(20)[] NOT NULL DEFAULT '{}'",
          "ALTER TABLE t ALTER COLUMN a TYPE setof bigint",
          "ALTER TABLE u ALTER COLUMN c SET DATA TYPE SETOF text USING c::text")


def test_a_setof_column_added_is_its_element_type(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster]) -> None:
    """``ADD COLUMN x SETOF int`` (and ``ALTER COLUMN ... TYPE SETOF``): PostgreSQL 15 makes a
    column of the type after ``SETOF``; so does the fold, and its consolidation, which writes
    that type alone, replays equal. PostgreSQL 18 refuses it in ``ADD COLUMN`` as in ``CREATE
    TABLE`` (``column "x" cannot be declared SETOF``) and takes it in ``ALTER COLUMN ...
    TYPE``: the fold takes what 15 takes, and replays what this server takes."""
    taken = []
    for statement in _SETOF:
        said = first_line(refusal(pg_cluster, fresh_db(), [*BASE, statement]))
        if said is None:
            taken.append(statement)
        else:
            assert "ADD" in statement and "cannot be declared SETOF" in said, said
    assert any("TYPE" in statement for statement in taken)
    assert fold_refusal([*BASE, *_SETOF]) is None
    history = ";\n".join([*BASE, *taken]) + ";\n"
    consolidation = render_schema(fold_sql(history).schema)
    assert "setof" not in consolidation.lower(), consolidation
    _squashed_equal(clusters, history)


_INDEX_ALONE = "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a_idx ON t (a);\n"


@pytest.mark.parametrize(("files", "outside"), [
    # golang-migrate sends a file whole: one statement alone is no transaction block
    ({"1_init.up.sql": ";\n".join(BASE) + ";\n", "2_idx.up.sql": _INDEX_ALONE}, [False]),
    # Flyway runs a file outside a transaction where it finds a statement that needs it
    ({"V1__init.sql": ";\n".join(BASE) + ";\n", "V2__idx.sql": _INDEX_ALONE}, [False]),
    ({"V1__init.sql": ";\n".join(BASE) + ";\n",
      "V2__idx.sql": _INDEX_ALONE + "CREATE INDEX CONCURRENTLY u_c_idx ON u (c);\n"}, [False]),
])
def test_a_file_of_concurrently_replays_as_its_tool_runs_it(
        tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str],
        files: dict[str, str], outside: list[bool]) -> None:
    """A file the tool runs outside a transaction block (PostgreSQL refuses ``CREATE INDEX
    CONCURRENTLY`` inside one, and takes it alone): read so, and ``squash --verify`` replays
    the history rather than calling it broken."""
    assert refusal(pg_cluster, fresh_db(), [*BASE, _INDEX_ALONE]) is not None  # in a block
    squash_verify(tmp_path, files)
    history = read_history(tmp_path / "migrations")
    assert [m.in_transaction for m in history.migrations][1:] == outside


def test_golang_migrate_reads_concurrently_beside_others_outside_with_a_warning(
        tmp_path: Path) -> None:
    """golang-migrate sends such a file as one implicit transaction, which PostgreSQL refuses:
    it was applied statement by statement (``x-multi-statement``), and is read so, warned."""
    (tmp_path / "1_a.up.sql").write_text(";\n".join(BASE) + ";\n" + _INDEX_ALONE)
    history = read_history(tmp_path)
    assert not history.migrations[0].in_transaction
    assert any("one implicit transaction" in str(w) for w in history.warnings)


@pytest.mark.parametrize("history", [
    # a table renamed or moved: its row type goes with it, in other tables' columns, a
    # composite type's attributes, casts in views, and a SQL-standard body's FROM
    ("CREATE TABLE items (id int, price int);\n"
     "CREATE FUNCTION cnt() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM items; "
     "END;\nCREATE TABLE holder (it items, arr items[], CONSTRAINT c CHECK ((it).id > 0));\n"
     "CREATE TYPE pair AS (a items, b int);\n"
     "CREATE VIEW vv AS SELECT NULL::items AS x, CAST(NULL AS items) AS y, 1 AS items;\n"
     "CREATE VIEW src AS SELECT 1 AS a;\nCREATE TABLE h2 (s src);\n"
     "ALTER VIEW src RENAME TO src2;\nALTER TABLE items RENAME TO products;\n"
     "CREATE SCHEMA s2;\nALTER TABLE products SET SCHEMA s2;\n"),
    # a type renamed or moved: a label of its name is no cast, nor is a column of its name
    # that starts a CHECK
    ("CREATE TYPE mood AS ENUM ('a', 'b');\nCREATE TABLE m (id int, mood mood DEFAULT 'a',\n"
     "  CONSTRAINT ok CHECK (mood <> 'b'));\n"
     "CREATE VIEW v AS SELECT 1 AS mood, CAST('a' AS mood) AS x, 'a'::mood AS y;\n"
     "ALTER TYPE mood RENAME TO feeling;\nCREATE SCHEMA s2;\nALTER TYPE feeling SET SCHEMA s2;\n"),
    # a routine returning a table's rows: its result follows the table's rename
    ("CREATE SCHEMA w;\nCREATE TABLE w.jobs (id int, v text);\n"
     "CREATE FUNCTION w.add_job(v text) RETURNS w.jobs LANGUAGE plpgsql\n"
     "  AS $$ DECLARE j w.jobs; BEGIN RETURN j; END $$;\n"
     "CREATE FUNCTION w.all_jobs() RETURNS SETOF \"w\".jobs LANGUAGE sql\n"
     "  AS $$ SELECT * FROM w.jobs $$;\n"
     "CREATE FUNCTION w.cnt() RETURNS bigint LANGUAGE sql\n"
     "  BEGIN ATOMIC SELECT count(*) FROM w.jobs; END;\n"
     "ALTER TABLE w.jobs RENAME TO _private_jobs;\n"
     "ALTER TABLE w._private_jobs ADD COLUMN z int;\n"),
    # a routine's signature names the type (a table's row type): the rename or move is kept
    ("CREATE TABLE items (id int, price int);\n"
     "CREATE FUNCTION items_price(i items) RETURNS numeric LANGUAGE sql IMMUTABLE\n"
     "  AS $$ SELECT i.price / 100.0 $$;\nALTER TABLE items RENAME TO products;\n"
     "CREATE TYPE mood AS ENUM ('a');\nCREATE FUNCTION f(m mood) RETURNS int LANGUAGE sql\n"
     "  AS $$ SELECT 1 $$;\nCREATE SCHEMA s2;\nALTER TYPE mood SET SCHEMA s2;\n"),
])
def test_a_type_renamed_or_moved_is_followed_where_it_is_a_type(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster], history: str) -> None:
    """A table's or view's row type is renamed and moved with it (PostgreSQL refers to it by
    identity): the consolidation named the old type and did not replay. A type's name is
    followed into casts and declarations only, not into a label or a column of its name."""
    assert refusal(pg_cluster, fresh_db(), history.rstrip(";\n").split(";\n")) is None
    _squashed_equal(clusters, history)


def test_a_return_body_comes_after_the_table_it_reads(
        pg_cluster: Cluster, fresh_db: Callable[..., str],
        clusters: tuple[Cluster, Cluster]) -> None:
    """A ``RETURN`` body is analyzed when the function is created, as ``BEGIN ATOMIC`` is
    (``relation "docs" does not exist`` before its table): the consolidation creates the
    table first, though a later column of a later domain pulled the table after the routine."""
    history = (
        "CREATE TYPE status AS ENUM ('draft', 'live');\n"
        "CREATE TABLE docs (id int PRIMARY KEY, st status NOT NULL DEFAULT 'draft');\n"
        "CREATE FUNCTION docs_count(s status) RETURNS bigint LANGUAGE sql STABLE\n"
        "  RETURN (SELECT count(*) FROM docs WHERE st = s);\n"
        "CREATE DOMAIN short_text AS varchar(50) CHECK (length(VALUE) > 0);\n"
        "ALTER TABLE docs ADD COLUMN slug short_text;\n")
    assert refusal(pg_cluster, fresh_db(), [
        "SET check_function_bodies = false", "CREATE TYPE status AS ENUM ('draft')",
        "CREATE FUNCTION f(s status) RETURNS bigint LANGUAGE sql\n"
        "  RETURN (SELECT count(*) FROM docs)",
    ]) is not None
    _squashed_equal(clusters, history)


def test_cascade_drops_the_triggers_and_row_type_columns_it_reaches(
        clusters: tuple[Cluster, Cluster]) -> None:
    """``DROP COLUMN ... CASCADE`` drops a trigger on ``UPDATE OF`` it or reading it in
    ``WHEN``; ``DROP TABLE ... CASCADE`` drops other tables' columns of its row type: the
    consolidation kept them and did not replay."""
    history = (
        "CREATE TABLE tt (id int, a int, b int);\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
        "CREATE TRIGGER tr BEFORE UPDATE OF a ON tt FOR EACH ROW EXECUTE FUNCTION f();\n"
        "CREATE TRIGGER tr2 BEFORE UPDATE ON tt FOR EACH ROW\n"
        "  WHEN (OLD.b IS DISTINCT FROM NEW.b) EXECUTE FUNCTION f();\n"
        "ALTER TABLE tt DROP COLUMN a CASCADE;\nALTER TABLE tt DROP COLUMN b CASCADE;\n"
        "CREATE TABLE items (id int);\nCREATE TABLE h (id int, i items, arr items[]);\n"
        "DROP TABLE items CASCADE;\n")
    _squashed_equal(clusters, history)


def test_a_view_column_renamed_keeps_its_comment(clusters: tuple[Cluster, Cluster]) -> None:
    """``ALTER VIEW v RENAME COLUMN`` after ``COMMENT ON COLUMN v.c``: the comment stays on the
    column (the consolidation commented the old name and did not replay)."""
    history = ";\n".join(BASE) + (
        ";\nCREATE VIEW v AS SELECT id, (SELECT count(*) FROM u WHERE u.id = t.id) AS n FROM t;\n"
        "COMMENT ON COLUMN v.n IS 'count';\nALTER VIEW v RENAME COLUMN n TO total;\n")
    _squashed_equal(clusters, history)


_ALIAS_LISTS_TAKEN = [
    "CREATE VIEW v AS SELECT a FROM t x(a, b2);\nALTER TABLE t DROP COLUMN a",
    "CREATE VIEW v AS SELECT x.a FROM t x(a, b2);\nALTER TABLE t DROP COLUMN a",
    "CREATE VIEW v AS SELECT i FROM t x(i, q), (SELECT 1 AS a) s WHERE s.a = 1;\n"
    "ALTER TABLE t DROP COLUMN a",
    "CREATE VIEW v AS SELECT r FROM t x(i, q, r);\nALTER TABLE t DROP COLUMN a",
]


@pytest.mark.parametrize("statement", _ALIAS_LISTS_TAKEN)
def test_a_drop_under_a_column_alias_list_postgresql_takes_is_not_refused(
        pg_cluster: Cluster, fresh_db: Callable[..., str], statement: str) -> None:
    """The dropped column's own name under the list is another column (``x(a, b2)``: ``a`` is
    ``id``); PostgreSQL takes the drop. Refused before; the fold now stops there instead (the
    view names columns by place: see the next test)."""
    statements = [*BASE, *statement.split(";\n")]
    assert refusal(pg_cluster, fresh_db(), statements) is None
    error = fold_refusal(statements)
    assert isinstance(error, FoldLimit) and "by place" in str(error), error


@pytest.mark.parametrize(("view", "stops"), [
    ("SELECT i, b FROM t x(i)", False),  # the list ends before the dropped column's place
    ("SELECT r FROM t x(i, q, r)", True),  # written again after the drop: 3 names, 2 columns
    ("SELECT a FROM t x(a, b2)", True),
    ("CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT r FROM t x(i, q, r); "
     "END", True),
])
def test_a_column_alias_list_over_a_dropped_column_stops_the_fold(
        tmp_path: Path, view: str, stops: bool) -> None:
    """A view reading a table through a column alias list names its columns by place: once a
    column before the last name is dropped, the same text written again means other columns
    (or too many: ``table "x" has 2 columns available but 3 columns specified``, which the
    consolidation hit). PostgreSQL keeps what it resolved; the fold stops at the drop, warned,
    and the consolidation verifies equal either way."""
    create = view if view.startswith("CREATE") else f"CREATE VIEW v AS {view}"
    out = squash_verify(tmp_path, {
        "1_a.up.sql": ";\n".join(BASE) + f";\n{create};\n",
        "2_b.up.sql": "ALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN c int;\n"})
    assert ("ALTER TABLE t DROP COLUMN a" in out) == stops, out
