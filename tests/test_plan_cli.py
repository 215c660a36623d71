"""The command line for layouts: ``schemafold plan`` (text and JSON), and ``squash`` with
``--layout``, ``--naming`` and ``--base-version``; one-line errors with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import run_cli


@pytest.fixture
def history(tmp_path: Path) -> Path:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_base.sql").write_text(
        "CREATE TABLE person (id int PRIMARY KEY, state text);\n"
        "CREATE TABLE team (id int PRIMARY KEY, lead int REFERENCES person (id));\n")
    (src / "0002_mood.sql").write_text(
        "CREATE TYPE mood AS ENUM ('ok', 'sad');\n"
        "ALTER TABLE person ALTER COLUMN state TYPE mood USING state::mood;\n"
        "ALTER TABLE person ADD COLUMN team int REFERENCES team (id);\n")
    (src / "0003_view.sql").write_text("CREATE VIEW sad AS SELECT id FROM person "
                                       "WHERE state = 'sad';\n")
    return src


def test_plan_text_says_where_each_object_goes_and_what_moved(history: Path) -> None:
    done = run_cli("plan", str(history), "--layout", "by-origin")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "layout by-origin (move_forward on): 3 files"
    assert "file 1: base (what 0001_base.sql created)" in lines
    assert "file 2: mood (what 0002_mood.sql created)" in lines
    assert any(line.split() == ["table", "person", "created", "in", "0001_base.sql"]
               for line in lines)
    assert any(line.split()[:2] == ["view", "sad"] for line in lines)
    moved = lines[lines.index("moved to a later file:") + 1:]
    assert moved[0] == ("  column person.state: file 1 -> 2: needs type mood, which is in "
                        'file 2 ("mood")')
    assert moved[1] == ("  column person.team: file 1 -> 2: keeps its place after column "
                        'person.state, which is in file 2 ("mood")')


def test_plan_json(history: Path) -> None:
    done = run_cli("plan", str(history), "--layout", "by-origin", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["layout"] == "by-origin" and data["move_forward"] is True
    assert [f["name"] for f in data["files"]] == ["base", "mood", "view"]
    first = data["files"][0]
    assert {"object": "table person", "reason": "created in 0001_base.sql"} in first["objects"]
    assert first["written"] == [{"name": "base", "in_transaction": True, "statements": 5}]
    assert data["moves"][0] == {"part": "column person.state", "from": 1, "to": 2,
                                "reason": 'needs type mood, which is in file 2 ("mood")'}


def test_plan_defaults_to_single(history: Path) -> None:
    done = run_cli("plan", str(history))
    assert done.returncode == 0
    assert done.stdout.startswith("layout single (move_forward off): 1 file\n\nfile 1: schema")
    assert "moved" not in done.stdout


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("[[file]]\nname = 'x'\nselect = ['tabel:*']\n",
         "layout.toml:3: file 1 (\"x\"): select[1] \"tabel:*\": unknown kind 'tabel'"),
        ("[[file]]\nname = 'tables'\nselect = ['table:*']\n",
         "layout.toml: 2 objects no file selects (add selectors, or rest = true on one file): "
         "type mood, view sad"),
        ("[[file]]\nname = 'tables'\nselect = ['table:*']\n[[file]]\nname = 'rest'\n"
         "rest = true\n",
         'layout.toml: column person.state in file 1 ("tables") needs type mood, which is in '
         'file 2 ("rest")'),
    ],
)
def test_bad_layouts_are_one_line_and_exit_2(
    history: Path, tmp_path: Path, layout: str, message: str
) -> None:
    path = tmp_path / "layout.toml"
    path.write_text(layout)
    for command in (["plan"], ["squash", "--out", str(tmp_path / "out")]):
        done = run_cli(*command, str(history), "--layout", str(path))
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"schemafold: error: {path.parent}/{message}"), done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "out").exists()


def test_layout_warnings_and_strict(history: Path, tmp_path: Path) -> None:
    path = tmp_path / "layout.toml"
    path.write_text("[[file]]\nname = 'all'\nselect = ['policy:*']\nrest = true\n")
    done = run_cli("plan", str(history), "--layout", str(path))
    assert done.returncode == 0
    assert f'{path}:3: warning: file 1 ("all"): selector "policy:*" matches nothing' in done.stderr
    assert run_cli("plan", str(history), "--layout", str(path), "--strict").returncode == 1


def test_squash_with_a_layout_a_naming_and_a_base_version(history: Path, tmp_path: Path) -> None:
    out = tmp_path / "squashed"
    done = run_cli("squash", str(history), "--out", str(out), "--layout", "by-origin",
               "--naming", "dbmate", "--base-version", "20250101000001")
    assert done.returncode == 0, done.stderr
    assert "into 3 dbmate files" in done.stdout and "2 parts moved forward" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "20250101000001_base.sql", "20250101000002_mood.sql", "20250101000003_view.sql",
        "README.md"]
    mood = (out / "20250101000002_mood.sql").read_text()
    assert mood.startswith("-- migrate:up\nSET check_function_bodies = false;\n\n"
                           "CREATE TYPE mood AS ENUM ('ok', 'sad');\n\n"
                           "ALTER TABLE person ADD COLUMN state mood;")
    assert mood.endswith("-- migrate:down\n")
    readme = (out / "README.md").read_text()
    assert "## 2. `20250101000002_mood.sql`" in readme
    assert "- column person.state: file 1 → 2, because it needs type mood" in readme
    assert sorted(p.name for p in history.iterdir()) == [
        "0001_base.sql", "0002_mood.sql", "0003_view.sql"]


def test_squash_writes_the_source_tool_naming_by_default(tmp_path: Path) -> None:
    src = tmp_path / "goose"
    src.mkdir()
    (src / "00001_init.sql").write_text("-- +goose Up\nCREATE TABLE t (id int);\n"
                                        "-- +goose Down\nDROP TABLE t;\n")
    (src / "00002_more.sql").write_text("-- +goose Up\nALTER TABLE t ADD COLUMN a int;\n")
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["00001_schema.sql", "README.md"]
    assert (out / "00001_schema.sql").read_text().startswith("-- +goose Up\n")


def test_help_texts_name_layouts_and_namings() -> None:
    top = run_cli("--help").stdout
    assert "  plan        which object goes to which file of the consolidation, and why" in top
    plan = run_cli("plan", "--help").stdout
    assert "--layout FILE|single|by-origin" in plan and "--format {text,json}" in plan
    squash = run_cli("squash", "--help").stdout
    assert ("--naming {sqlx,golang-migrate,goose,dbmate,flyway,diesel,prisma,"
            "postgres-migrations,drizzle,supabase,atlas,liquibase,sql-migrate,tern,"
            "plain}") in squash
    assert "--base-version N" in squash
    assert run_cli("squash", "x", "--out", "y", "--naming", "alembic").returncode == 2
