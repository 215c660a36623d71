"""sql-migrate (rubenv/sql-migrate): its order of file names, ``-- +migrate`` sections and
commands, detection, the writer, and a history squashed and replayed equal on PostgreSQL.

The order and the ``gorp_migrations`` rows were checked with Debian's sql-migrate binary
(0.0~git20191213) on PostgreSQL 15: a folder of ``10_c``, ``2_b``, ``2_a``, ``abc``, ``1_a`` and
``3_idx`` applied as 1_a, 2_a, 2_b, 3_idx, 10_c, abc, each recorded by its file name; a statement
above ``-- +migrate Up`` was not run."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay_helpers import history_files
from schemafold import fold
from schemafold.errors import InputError
from schemafold.files import plan_files
from schemafold.layout import BY_ORIGIN
from schemafold.sources import detect_format, read_history
from schemafold.sources.sql_migrate import sort_key
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import replay
from schemafold.writers import WRITERS, write

UP = "-- +migrate Up\n"


def _folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def test_files_sort_as_sql_migrate_sorts_them(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m", {
        "10_c.sql": UP + "SELECT 10;\n", "2_b.sql": UP + "SELECT 2;\n",
        "2_a.sql": UP + "SELECT 2;\n", "abc.sql": UP + "SELECT 0;\n",
        "1_a.sql": "CREATE TABLE before_up (id int);\n" + UP + "CREATE TABLE log (w text);\n",
        "3_idx.sql": "-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY ON log (w);\n",
        "notes.txt": "not a migration"})
    assert detect_format(folder) == "sql-migrate"
    history = read_history(folder)
    assert [(m.path, m.version, m.name, m.in_transaction) for m in history.migrations] == [
        ("1_a.sql", "1", "a", True), ("2_a.sql", "2", "a", True), ("2_b.sql", "2", "b", True),
        ("3_idx.sql", "3", "idx", False), ("10_c.sql", "10", "c", True),
        ("abc.sql", "abc.sql", "abc", True)]
    assert "before_up" not in history.migrations[0].text
    assert [(w.file, w.line) for w in history.warnings] == [("1_a.sql", 1)]
    assert sorted(["b.sql", "a.sql", "9x.sql", "10.sql"], key=sort_key) == [
        "9x.sql", "10.sql", "a.sql", "b.sql"]
    assert [m.path for m in read_history(folder, until="2").migrations][-1] == "2_b.sql"


def test_sections_commands_and_comment_lines(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m", {"1_f.sql": (
        "-- +migrate Up\n-- dropped by sql-migrate\n--kept\n"
        "-- +migrate StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
        "BEGIN RETURN 1; END $$;\n-- +migrate StatementEnd\n"
        "-- +migrate Down\nDROP FUNCTION f();\n-- +migrate Up\nCREATE TABLE again (id int);\n")})
    (migration,) = read_history(folder).migrations
    lines = migration.text.split("\n")
    assert lines[1] == "" and lines[2] == "--kept" and lines[4].startswith("CREATE FUNCTION")
    assert "DROP" not in migration.text and lines[10] == "CREATE TABLE again (id int);"
    with pytest.raises(InputError, match="no matching StatementEnd"):
        read_history(_folder(tmp_path / "b", {
            "1_x.sql": UP + "-- +migrate StatementBegin\nSELECT 1;\n"}))
    with pytest.raises(InputError, match="no '-- \\+migrate Up' or"):
        read_history(_folder(tmp_path / "c", {"1_x.sql": "SELECT 1;\n"}),
                     source_format="sql-migrate")


def test_one_file_given_on_its_own_is_read_by_its_markers(tmp_path: Path) -> None:
    path = tmp_path / "x.sql"
    path.write_text("-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
                    "-- +migrate Down\nDROP INDEX i;\n")
    history = read_history(path)
    assert history.format == "sql-migrate" and not history.migrations[0].in_transaction
    assert "DROP" not in history.migrations[0].text


def test_the_writer_wraps_what_sql_migrate_would_split() -> None:
    writer = WRITERS["sql-migrate"]
    assert writer.statement("CREATE TABLE t (a int);") == (  # type: ignore[attr-defined]
        "CREATE TABLE t (a int);")
    assert writer.statement(  # type: ignore[attr-defined]
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\nSELECT 1;\n$$;") == (
        "-- +migrate StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n"
        "SELECT 1;\n$$;\n-- +migrate StatementEnd")


def test_output_replays_equal_to_the_history(tmp_path: Path, pg_cluster: Cluster) -> None:
    src = _folder(tmp_path / "src", {
        "1_people.sql": UP + "CREATE TABLE person (id int PRIMARY KEY, name text);\n"
                        "INSERT INTO person VALUES (1, 'ann');\n-- +migrate Down\n"
                        "DROP TABLE person;\n",
        "2_mood.sql": UP + "CREATE TYPE mood AS ENUM ('happy');\n-- +migrate StatementBegin\n"
                      "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$\n"
                      "BEGIN\n  RETURN upper(t);\nEND $$;\n-- +migrate StatementEnd\n",
        "10_value.sql": "-- +migrate Up notransaction\nALTER TYPE mood ADD VALUE 'sad';\n",
        "11_column.sql": UP + "ALTER TABLE person ADD COLUMN feels mood DEFAULT 'sad';\n"
                         "UPDATE person SET name = shout(name);\n"
                         "CREATE INDEX person_name ON person (name);\n",
    })
    history = read_history(src)
    assert [m.path for m in history.migrations] == [
        "1_people.sql", "2_mood.sql", "10_value.sql", "11_column.sql"]
    plan = plan_files(fold(history), BY_ORIGIN, history.migrations)
    out = _folder(tmp_path / "out", dict(write(plan, "sql-migrate", base_version="1")))
    back = read_history(out)
    assert back.format == "sql-migrate"
    assert [m.name for m in back.migrations] == [f.name for f in plan.files]
    assert [m.in_transaction for m in back.migrations] == [f.in_transaction for f in plan.files]
    assert "-- +migrate StatementBegin" in "".join(p.read_text() for p in out.glob("*.sql"))
    try:
        replay(pg_cluster.create_database("sm_history"), history_files(history))
        replay(pg_cluster.create_database("sm_squash"), history_files(back))
        comparison = compare_databases((pg_cluster, "sm_history"), (pg_cluster, "sm_squash"))
        assert comparison.equal, comparison.summary()
    finally:
        pg_cluster.drop_database("sm_history")
        pg_cluster.drop_database("sm_squash")
