"""The command line: formats, exit codes, one-line errors, atomic output outside the source."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli_run import run_cli


@pytest.fixture
def history(tmp_path: Path) -> Path:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_init.sql").write_text("CREATE TABLE t (id serial PRIMARY KEY, a int);\n")
    (src / "0002_more.sql").write_text(
        "ALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t SET (fillfactor = 50);\n"
    )
    return src


def test_events_text_and_json(history: Path) -> None:
    text = run_cli("events", str(history))
    assert text.returncode == 0
    assert "0002_more.sql:1\trename\trename column t.a to b" in text.stdout
    assert "0002_more.sql:2: warning: kept verbatim" in text.stderr
    data = json.loads(run_cli("events", str(history), "--format", "json").stdout)
    assert [d["kind"] for d in data] == ["CreateTable", "RenameColumn", "Opaque"]
    assert run_cli("events", str(history), "--strict").returncode == 1


def test_squash_writes_outside_source_and_refuses_inside(history: Path, tmp_path: Path) -> None:
    out = tmp_path / "squashed"
    done = run_cli("squash", str(history), "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = (out / "0001_schema.sql").read_text()
    assert text.startswith("SET check_function_bodies = false;")
    assert "RENAME" not in text and "b int" in text
    assert sorted(p.name for p in history.iterdir()) == ["0001_init.sql", "0002_more.sql"]
    assert out.stat().st_mode & 0o755 == 0o755  # an ordinary folder, not mkdtemp's private one
    inside = run_cli("squash", str(history), "--out", str(history / "out"))
    assert inside.returncode == 2 and len(inside.stderr.strip().splitlines()) == 1
    again = run_cli("squash", str(history), "--out", str(out))
    assert again.returncode == 2 and "exists" in again.stderr
    assert run_cli("squash", str(history), "--out", str(out), "--force").returncode == 0


def test_squash_json_summary_for_scripts(history: Path, tmp_path: Path) -> None:
    out = tmp_path / "squashed"
    done = run_cli("squash", str(history), "--out", str(out), "--format", "json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["written"] is True and summary["out"] == str(out)
    assert [f["name"] for f in summary["files"]] == sorted(p.name for p in out.iterdir())
    assert all(f["bytes"] == (out / f["name"]).stat().st_size for f in summary["files"])
    assert summary["statements"] == 3 and summary["kept_verbatim"] == 1
    assert {(w["file"], w["line"]) for w in summary["warnings"]} == {("0002_more.sql", 2)}
    assert summary["warnings"][0]["message"] == "kept verbatim (ALTER TABLE ... SET)"
    assert summary["verify"] is None and summary["data"] == {"policy": "keep", "note": None}
    assert "0002_more.sql:2: warning: kept verbatim" in done.stderr
    strict = run_cli("squash", str(history), "--out", str(out), "--force", "--format", "json",
                     "--strict")
    assert strict.returncode == 1 and json.loads(strict.stdout)["written"] is True


@pytest.mark.parametrize(
    ("sql", "needle"),
    [
        ("ALTER TABLE missing ADD COLUMN a int;", '0001_bad.sql:1: table "missing" does not exist'),
        ("CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN a int;", "0001_bad.sql:2: column"),
        ("CREATE TABLE t (a int);\nDROP TABLE nope;", '0001_bad.sql:2: table "nope" does not'),
        ("FROBNICATE everything;", "0001_bad.sql:1: syntax error"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, sql: str, needle: str) -> None:
    src = tmp_path / "m"
    src.mkdir()
    (src / "0001_bad.sql").write_text(sql)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert needle in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_unreadable_and_non_utf8(tmp_path: Path) -> None:
    src = tmp_path / "m"
    src.mkdir()
    (src / "0001_a.sql").write_bytes(b"CREATE TABLE t (a text DEFAULT '\xff');")
    done = run_cli("events", str(src))
    assert done.returncode == 2 and "0001_a.sql:1: not UTF-8" in done.stderr
    (src / "0001_a.sql").write_bytes(b"\xef\xbb\xbfCREATE TABLE t (a int);")
    assert run_cli("events", str(src)).returncode == 0


def test_help_reads_like_a_migration_tool() -> None:
    done = run_cli("--help")
    assert done.returncode == 0
    for word in ("examples:", "exit codes:", "schemafold squash migrations/ --out squashed/"):
        assert word in done.stdout
    # one list of commands, before the options, each once with its one-line summary
    text = done.stdout
    assert text.index("commands:") < text.index("options:")
    listed = [line.split()[0] for line in text[text.index("commands:"):text.index("options:")]
              .splitlines()[1:] if line.strip()]
    assert listed == ["events", "squash", "plan", "verify", "report", "blame", "at", "graph",
                      "adopt", "diff", "config"]
    assert text.count("  squash  ") == 1


def test_command_help_wraps_prose_and_keeps_examples() -> None:
    done = run_cli("report", "--help", env={**os.environ, "COLUMNS": "80"})
    assert done.returncode == 0
    text = done.stdout
    prose = text[text.index("Fold the history"):text.index("positional arguments")]
    assert len(prose.splitlines()) > 2 and max(len(line) for line in prose.splitlines()) <= 80
    assert "  schemafold report migrations/ > CONSOLIDATION.md" in done.stdout.splitlines()
