"""``schemafold blame SRC OBJECT`` (every statement that touched an object, in history order)
and ``schemafold at SRC VERSION`` (the net schema as of a version, proved on PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import run_cli
from replay_helpers import history_files, replay_both, texts
from schemafold.verify.cluster import Cluster

HISTORY = {
    "0001_init.sql": "CREATE TABLE users (id serial PRIMARY KEY, mail text);\n"
                     "CREATE TABLE audit (id int);\n",
    "0002_rename.sql": "ALTER TABLE users RENAME COLUMN mail TO email;\n"
                       "COMMENT ON COLUMN users.email IS 'where we write';\n"
                       "INSERT INTO users (email) VALUES ('a@example.org');\n",
    "0003_more.sql": "ALTER TABLE users ADD COLUMN name text;\n"
                     "CREATE INDEX users_email_idx ON users (email);\n"
                     "DROP TABLE audit;\n",
    "0004_tighten.sql": "UPDATE users SET name = 'a';\n"
                        "ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n",
}


@pytest.fixture
def history(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, text in HISTORY.items():
        (folder / name).write_text(text)
    return folder


def test_blame_a_column_through_its_rename(history: Path) -> None:
    done = run_cli("blame", str(history), "users.email")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "# column public.users.email"
    assert [line.split("\t")[:2] for line in lines[1:]] == [
        ["0001_init.sql:1", "created"],
        ["0002_rename.sql:1", "renamed"],
        ["0002_rename.sql:2", "commented"],
    ]


def test_blame_a_table_tells_its_columns_and_rows_in_history_order(history: Path) -> None:
    done = run_cli("blame", str(history), "public.users", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["matches"] == ["table public.users"]
    places = [(s["file"], s["line"], s["action"]) for s in report["statements"]]
    assert places == sorted(places, key=lambda p: (p[0], p[1]))  # history order
    actions = {(s["file"], s["line"]): s["action"] for s in report["statements"]}
    assert actions[("0002_rename.sql", 3)] == "data"  # the INSERT
    assert actions[("0003_more.sql", 1)] in ("created", "altered")  # ADD COLUMN name
    assert actions[("0004_tighten.sql", 1)] == "data"
    assert ("0004_tighten.sql", 2) in actions
    insert = next(s for s in report["statements"] if s["line"] == 3
                  and s["file"] == "0002_rename.sql")
    assert insert["statement"].startswith("INSERT INTO users")


def test_blame_a_dropped_table_and_a_kind(history: Path) -> None:
    done = run_cli("blame", str(history), "table:audit")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "# table public.audit"
    assert "0003_more.sql:3\tdropped" in done.stdout
    assert run_cli("blame", str(history), "index:users_email_idx").stdout.splitlines()[1] \
        .startswith("0003_more.sql:2\tcreated")
    # a kind filters: no function is called users
    missing = run_cli("blame", str(history), "function:users")
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1
    assert "no object named 'function:users'" in missing.stderr


def test_at_a_version_prints_the_schema_then(history: Path) -> None:
    done = run_cli("at", str(history), "0002")
    assert done.returncode == 0, done.stderr
    assert "email text" in done.stdout and "CREATE TABLE audit" in done.stdout
    assert "name text" not in done.stdout and "RENAME" not in done.stdout
    listed = json.loads(run_cli("at", str(history), "0003", "--format", "json").stdout)
    assert listed["version"] == "0003" and listed["migrations"] == 3
    objects = [o["object"] for o in listed["objects"]]
    assert "table public.users" in objects and "table public.audit" not in objects
    assert "index public.users_email_idx" in objects
    bad = run_cli("at", str(history), "0009")
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
    assert "VERSION 0009: no" in bad.stderr


@pytest.mark.parametrize("version", ["0001", "0002", "0003", "0004"])
def test_at_builds_what_the_history_builds_up_to_the_version(
    version: str, history: Path, clusters: tuple[Cluster, Cluster]
) -> None:
    done = run_cli("at", str(history), version)
    assert done.returncode == 0, done.stderr
    applied = [f for f in history_files(history) if Path(f.name).name[:4] <= version]
    comparison = replay_both(clusters, applied, texts([("at.sql", done.stdout)]),
                             explicit_positions=())
    assert comparison.equal, comparison.text()
