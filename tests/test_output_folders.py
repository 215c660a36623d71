"""Output folders: two runs writing one DIR at once, and ``--force`` never deleting an input."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_run import run_cli
from schemafold.errors import SchemafoldError
from schemafold.output import write_folder_atomically


@pytest.fixture
def history(tmp_path: Path) -> Path:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_init.sql").write_text("CREATE TABLE t (id serial PRIMARY KEY, a int);\n")
    (src / "0002_more.sql").write_text("ALTER TABLE t ADD COLUMN b text;\n")
    return src


def test_a_dir_another_run_writes_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    """The check that DIR does not exist comes before the files are written; a DIR another run
    moved into place in between must make this one fail, not be replaced."""
    out = tmp_path / "out"

    def files() -> Iterator[tuple[str, str]]:
        out.mkdir()  # the other run, finishing while this one writes
        (out / "theirs.sql").write_text("SELECT 1;\n")
        yield "mine.sql", "SELECT 2;\n"

    with pytest.raises(SchemafoldError, match="another run wrote it meanwhile"):
        write_folder_atomically(out, list_later(files()))
    assert sorted(p.name for p in out.iterdir()) == ["theirs.sql"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


class list_later(list[tuple[str, str]]):  # noqa: N801 - reads as a function at the call
    """A sequence whose items are produced only when it is iterated."""

    def __init__(self, items: Iterator[tuple[str, str]]) -> None:
        super().__init__()
        self._items = items

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._items)


def test_force_replaces_and_leaves_nothing_aside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_folder_atomically(out, [("a.sql", "SELECT 1;\n")])
    write_folder_atomically(out, [("b.sql", "SELECT 2;\n")], force=True)
    assert [p.name for p in out.iterdir()] == ["b.sql"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_two_squashes_at_once_do_not_both_succeed(history: Path, tmp_path: Path) -> None:
    out = tmp_path / "squashed"
    command = [sys.executable, "-m", "schemafold.cli", "squash", str(history), "--out", str(out)]
    for _ in range(3):
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(2)]
        results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "")
                   for run in runs]
        codes = sorted(code for code, _ in results)
        assert codes == [0, 2], results
        failed = next(err for code, err in results if code == 2)
        assert "exists" in failed and len(failed.strip().splitlines()) == 1
        assert sorted(p.name for p in tmp_path.iterdir()) == ["migrations", "squashed"]
        for run in runs:
            for stream in (run.stdout, run.stderr):
                if stream:
                    stream.close()
        subprocess.run(["rm", "-r", str(out)], check=True)


@pytest.mark.parametrize("where", ["setup", "layout"])
def test_force_refuses_when_an_input_is_inside_dir(history: Path, tmp_path: Path,
                                                   where: str) -> None:
    out = tmp_path / "squashed"
    out.mkdir()
    kept = out / ("setup.sql" if where == "setup" else "layout.toml")
    kept.write_text("CREATE SCHEMA app;\n" if where == "setup" else "[[file]]\nname = 'all'\n")
    flag = "--setup" if where == "setup" else "--layout"
    done = run_cli("squash", str(history), "--out", str(out), "--force", flag, str(kept))
    assert done.returncode == 2, done.stderr
    assert f"it holds {kept}" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert kept.exists()


def test_force_refuses_when_src_is_inside_dir(tmp_path: Path) -> None:
    out = tmp_path / "squashed"
    src = out / "migrations"
    src.mkdir(parents=True)
    (src / "0001_init.sql").write_text("CREATE TABLE t (id int);\n")
    done = run_cli("squash", str(src), "--out", str(out), "--force")
    assert done.returncode == 2 and (src / "0001_init.sql").exists()


def test_rejected_folder_never_holds_an_input(history: Path, tmp_path: Path) -> None:
    """``squash --verify`` replaces DIR.rejected without --force: an input there is refused."""
    out = tmp_path / "squashed"
    rejected = tmp_path / "squashed.rejected"
    rejected.mkdir()
    setup = rejected / "setup.sql"
    setup.write_text("CREATE SCHEMA app;\n")
    done = run_cli("squash", str(history), "--out", str(out), "--setup", str(setup))
    assert done.returncode == 2 and setup.exists()
