"""What ``squash`` prints and how CI uses it: ``--check`` (stale and current), warnings grouped
by kind (``-v``, ``-q``), counts that agree with the README it writes, colour on a terminal only,
``--out -`` refused, and the staging folder's name never in a message."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from schemafold.cli import main
from schemafold.cli.common import warning_kind
from schemafold.output import write_folder_atomically

SRC = Path(__file__).resolve().parent.parent / "src"


def _history(root: Path, skips: int = 5) -> Path:
    migrations = root / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_init.sql").write_text(
        "CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL);\n"
        + "".join(f"DROP TABLE IF EXISTS gone_{i};\n" for i in range(skips))
        + "DROP VIEW IF EXISTS nothing;\n")
    return migrations


def test_check_is_zero_when_current_and_one_with_a_diff_when_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _history(tmp_path)
    out = tmp_path / "squashed"
    assert main(["squash", str(migrations), "--out", str(out), "-q"]) == 0
    before = {p.name: p.read_text() for p in out.iterdir()}
    capsys.readouterr()
    assert main(["squash", str(migrations), "--out", str(out), "--check"]) == 0
    assert f"{out} is current" in capsys.readouterr().out
    (migrations / "0002_more.sql").write_text("ALTER TABLE item ADD COLUMN price int;\n")
    assert main(["squash", str(migrations), "--out", str(out), "--check"]) == 1
    captured = capsys.readouterr()
    assert f"+++ {out}/0001_schema.sql (squashed now)" in captured.out
    assert re.search(r"^\+    price int$", captured.out, re.M)  # the line that changed
    assert "0001_schema.sql (differs)" in captured.err
    assert {p.name: p.read_text() for p in out.iterdir()} == before  # nothing written
    assert main(["squash", str(migrations), "--out", str(out), "--check",
                 "--format", "json"]) == 1
    report = __import__("json").loads(capsys.readouterr().out)
    assert report["current"] is False
    assert [(d["name"], d["status"]) for d in report["differences"]] == [
        ("0001_schema.sql", "differs")]
    (out / "0001_schema.sql").unlink()
    assert main(["squash", str(migrations), "--out", str(out), "--check"]) == 1
    assert "0001_schema.sql (new)" in capsys.readouterr().err


def test_check_of_a_folder_never_written_is_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _history(tmp_path)
    assert main(["squash", str(migrations), "--out", str(tmp_path / "none"), "--check"]) == 1
    assert not (tmp_path / "none").exists()
    assert "no such folder" in capsys.readouterr().out


def test_check_reports_a_file_no_longer_written_and_ignores_hidden_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _history(tmp_path)
    out = tmp_path / "squashed"
    assert main(["squash", str(migrations), "--out", str(out), "-q"]) == 0
    (out / ".gitkeep").write_text("")
    assert main(["squash", str(migrations), "--out", str(out), "--check"]) == 0
    (out / "0009_old.sql").write_text("SELECT 1;\n")
    capsys.readouterr()
    assert main(["squash", str(migrations), "--out", str(out), "--check"]) == 1
    assert "0009_old.sql (no longer written)" in capsys.readouterr().err


def test_check_and_verify_together_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _history(tmp_path)
    assert main(["squash", str(migrations), "--out", str(tmp_path / "o"), "--check",
                 "--verify"]) == 2
    assert "give one of them" in capsys.readouterr().err


def test_warnings_are_grouped_by_kind_after_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _history(tmp_path, skips=7)
    assert main(["squash", str(migrations), "--out", str(tmp_path / "o")]) == 0
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert err[0] == ("schemafold: 8 warnings of 2 kinds (the first 3 of each; -v lists all, "
                      "-q none):")
    assert err[1] == '  7 × table "…" does not exist, skipping'
    assert err[2].strip().startswith('0001_init.sql:2: warning: table "gone_0" does not exist')
    assert err[5] == "    ... and 4 more"
    assert err[6] == '  1 × view "…" does not exist, skipping'
    assert len(err) == 8
    # the summary (stdout) names the detected tool once and the README's object count
    (summary,) = captured.out.splitlines()
    assert summary.startswith("read 1 sqlx migration (detected); folded 9 statements")
    holds = sum(int(n) for n in re.findall(r"^Holds (\d+) object",
                                           (tmp_path / "o" / "README.md").read_text(), re.M))
    assert f"({holds} object" in summary


def test_verbose_lists_every_warning_and_quiet_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _history(tmp_path, skips=7)
    assert main(["squash", str(migrations), "--out", str(tmp_path / "o"), "-v"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 8 and all(": warning: " in line for line in err)
    assert main(["squash", str(migrations), "--out", str(tmp_path / "o"), "--force",
                 "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    # under --strict the warnings are errors: printed even with -q, exit 1
    assert main(["squash", str(migrations), "--out", str(tmp_path / "o"), "--force", "-q",
                 "--strict"]) == 1
    assert len(capsys.readouterr().err.splitlines()) == 8
    assert main(["events", str(migrations), "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "create table item" in captured.out  # the output stays


def test_a_kind_leaves_out_names_numbers_and_details() -> None:
    assert warning_kind('function "f(bigint)" does not exist, skipping') == (
        'function "…" does not exist, skipping')
    assert warning_kind("kept verbatim (DO block (it declares variables))") == "kept verbatim"
    assert warning_kind("2 files share version 0007 (a.sql, b.sql)") == (
        "N files share version N")
    assert warning_kind("folding stops at this file: it and the 61 files after it are kept, "
                        "because at 0002-storage.sql:9 an opaque statement changes them") == (
        "folding stops at this file: it and the N files after it are kept, because at … an "
        "opaque statement changes them")


def test_out_dash_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    migrations = _history(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["squash", str(migrations), "--out", "-"]) == 2
    assert "--out -: squash writes a folder of files" in capsys.readouterr().err
    assert not (tmp_path / "-").exists()


def test_the_staging_folder_never_names_itself(tmp_path: Path) -> None:
    out = tmp_path / "squashed"
    with pytest.raises(OSError) as caught:  # a/b is a file: a/b/c cannot be written
        write_folder_atomically(out, [("a/b", "x"), ("a/b/c", "y")])
    assert caught.value.filename in (str(out / "a" / "b"), str(out / "a" / "b" / "c"))
    assert [p.name for p in tmp_path.iterdir()] == []  # staging removed, nothing written


def _stderr_on_a_terminal(argv: list[str], env: dict[str, str]) -> str:
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "schemafold", *argv], stderr=follower,
                          stdout=subprocess.DEVNULL, env=env, timeout=120, check=False)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 2
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_only_and_never_with_no_color(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env["PYTHONPATH"] = str(SRC)
    argv = ["squash", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]
    assert "\033[31merror\033[0m" in _stderr_on_a_terminal(argv, env)
    assert "\033[" not in _stderr_on_a_terminal(argv, {**env, "NO_COLOR": "1"})
    piped = subprocess.run([sys.executable, "-m", "schemafold", *argv], capture_output=True,
                           text=True, env=env, check=False)
    assert piped.stderr == f"schemafold: error: no such folder: {tmp_path / 'nowhere'}\n"


def test_the_pre_commit_hook_runs_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``.pre-commit-hooks.yaml``'s entry, with the args a project gives it, is a ``--check``
    that passes on a current consolidation and fails on a stale one."""
    hooks = (SRC.parent / ".pre-commit-hooks.yaml").read_text()
    assert re.search(r"^- id: schemafold-check$", hooks, re.M)
    (entry,) = re.findall(r"^  entry: (.*)$", hooks, re.M)
    assert re.search(r"^  pass_filenames: false$", hooks, re.M)
    program, *argv = entry.split()
    assert program == "schemafold"
    migrations = _history(tmp_path)
    out = tmp_path / "squashed"
    assert main(["squash", str(migrations), "--out", str(out), "-q"]) == 0
    assert main([*argv, str(migrations), "--out", str(out)]) == 0
    (migrations / "0002_more.sql").write_text("CREATE TABLE more (id int);\n")
    assert main([*argv, str(migrations), "--out", str(out)]) == 1
    capsys.readouterr()
