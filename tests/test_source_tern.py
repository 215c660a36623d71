"""tern (jackc/tern): sequence numbers 1..N, the up half above ``---- create above / drop below
----``, ``---- tern: disable-tx ----``, template actions, detection, the writer, and a history
squashed and replayed equal on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay_helpers import history_files
from schemafold import fold
from schemafold.errors import InputError
from schemafold.files import plan_files
from schemafold.layout import BY_ORIGIN
from schemafold.sources import detect_format, read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import replay
from schemafold.writers import write

DROP_BELOW = "---- create above / drop below ----\n"
NO_TX = "---- tern: disable-tx ----\n"


def _folder(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_reads_the_up_half_in_sequence_order(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m", {
        "001_create_users.sql": "CREATE TABLE users (id int);\n\n" + DROP_BELOW
                                + "DROP TABLE users;\n",
        "002_index.sql": NO_TX + "CREATE INDEX CONCURRENTLY users_id ON users (id);\n",
        "10_late.sql": "ALTER TABLE users ADD COLUMN name text;\n",
        "3_x.sql": "SELECT 3;\n", "4_x.sql": "SELECT 4;\n", "5_x.sql": "SELECT 5;\n",
        "6_x.sql": "SELECT 6;\n", "7_x.sql": "SELECT 7;\n", "8_x.sql": "SELECT 8;\n",
        "9_x.sql": "SELECT 9;\n",
        "shared/helper.sql": "not a migration", "readme.sql": "not one either"})
    assert detect_format(folder) == "tern"
    history = read_history(folder)
    assert [m.path for m in history.migrations][:3] == [
        "001_create_users.sql", "002_index.sql", "3_x.sql"]
    assert history.migrations[-1].path == "10_late.sql"
    first, second = history.migrations[:2]
    assert (first.version, first.name, first.in_transaction) == ("001", "create_users", True)
    assert "DROP" not in first.text
    assert second.in_transaction is False and second.text.split("\n")[0] == ""
    assert [w.file for w in history.warnings] == ["readme.sql"]


def test_one_file_given_on_its_own_is_read_by_its_markers(tmp_path: Path) -> None:
    path = tmp_path / "001_x.sql"
    path.write_text(NO_TX + "CREATE INDEX CONCURRENTLY i ON t (a);\n" + DROP_BELOW
                    + "DROP INDEX i;\n")
    history = read_history(path)
    assert history.format == "tern" and not history.migrations[0].in_transaction
    assert "DROP" not in history.migrations[0].text


def test_gaps_repeats_and_empty_up_halves_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="tern needs migration 2 before 3"):
        read_history(_folder(tmp_path / "a", {"1_a.sql": "SELECT 1;", "3_c.sql": "SELECT 3;"}),
                     source_format="tern")
    with pytest.raises(InputError, match="two migrations of sequence 1"):
        read_history(_folder(tmp_path / "b", {"1_a.sql": "SELECT 1;", "01_b.sql": "SELECT 1;"}),
                     source_format="tern")
    with pytest.raises(InputError, match="no SQL above"):
        read_history(_folder(tmp_path / "c", {"1_a.sql": "-- only a comment\n" + DROP_BELOW}),
                     source_format="tern")


def test_template_actions(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m", {"1_grant.sql": (
        "CREATE TABLE t (v text DEFAULT '{{\"{{\"}}x}}');\n"
        "GRANT SELECT ON t TO {{ .app_user }};\n")})
    with pytest.raises(InputError, match="pass --define app_user=VALUE") as caught:
        read_history(folder, source_format="tern")
    assert caught.value.line == 2
    history = read_history(folder, source_format="tern", defines={"app_user": "app"})
    assert history.migrations[0].text == (
        "CREATE TABLE t (v text DEFAULT '{{x}}');\nGRANT SELECT ON t TO app;\n")
    _folder(folder, {"1_grant.sql": "SELECT 1;\n{{ template \"shared/helper.sql\" . }}\n"})
    with pytest.raises(InputError, match="Go template action") as caught:
        read_history(folder, source_format="tern")
    assert (caught.value.file, caught.value.line) == ("1_grant.sql", 2)


def test_the_writer_numbers_from_one_and_escapes_braces() -> None:
    from schemafold.files import FilePlan, PlannedFile

    plan = FilePlan(layout="demo", move_forward=False, layout_files=(("a", "a"),), items=(),
                    moves=(), files=(
        PlannedFile("a", "a", ("CREATE TABLE t (v text DEFAULT '{{}}');",)),
        PlannedFile("b", "b", ("VACUUM t;",), in_transaction=False)))
    files = dict(write(plan, "tern", base_version="20240101"))
    assert files["001_a.sql"].endswith("CREATE TABLE t (v text DEFAULT '{{\"{{\"}}}}');\n")
    assert files["002_b.sql"] == NO_TX + "VACUUM t;\n"


def test_output_replays_equal_to_the_history(tmp_path: Path, pg_cluster: Cluster) -> None:
    src = _folder(tmp_path / "src", {
        "001_people.sql": "CREATE TABLE person (id int PRIMARY KEY, name text);\n"
                          "INSERT INTO person VALUES (1, 'ann');\n" + DROP_BELOW
                          + "DROP TABLE person;\n",
        "002_mood.sql": "CREATE TYPE mood AS ENUM ('happy');\n"
                        "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$\n"
                        "BEGIN RETURN upper(t); END $$;\n",
        "003_value.sql": NO_TX + "ALTER TYPE mood ADD VALUE 'sad';\n",
        "004_column.sql": "ALTER TABLE person ADD COLUMN feels mood DEFAULT 'sad';\n"
                          "UPDATE person SET name = shout(name);\n"
                          "ALTER TABLE person ADD COLUMN tag text DEFAULT '{{\"{{\"}}}}';\n",
    })
    history = read_history(src)
    assert [m.in_transaction for m in history.migrations] == [True, True, False, True]
    plan = plan_files(fold(history), BY_ORIGIN, history.migrations)
    out = _folder(tmp_path / "out", dict(write(plan, "tern", base_version="1")))
    back = read_history(out, source_format="tern")
    assert [m.name for m in back.migrations] == [f.name for f in plan.files]
    assert [m.in_transaction for m in back.migrations] == [f.in_transaction for f in plan.files]
    try:
        replay(pg_cluster.create_database("tern_history"), history_files(history))
        replay(pg_cluster.create_database("tern_squash"), history_files(back))
        comparison = compare_databases((pg_cluster, "tern_history"), (pg_cluster, "tern_squash"))
        assert comparison.equal, comparison.summary()
    finally:
        pg_cluster.drop_database("tern_history")
        pg_cluster.drop_database("tern_squash")
