"""A migration file that cannot be read gives one InputError naming it, and ``schemafold events``
exits 2 with one line.

``chmod 000`` does not stop root from reading, and the tests may run as root; so the unreadable
files here are ones nobody can read: a directory entry that is a dangling symbolic link, and a
directory named like a migration file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import run_cli
from schemafold.api import parse
from schemafold.errors import InputError
from schemafold.sources import read_text


@pytest.fixture
def migrations(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_init.sql").write_text("CREATE TABLE t (id int);\n")
    (folder / "0002_gone.sql").symlink_to(tmp_path / "nowhere" / "0002_gone.sql")
    (folder / "0003_folder.sql").mkdir()
    return folder


@pytest.mark.parametrize("name", ["0002_gone.sql", "0003_folder.sql"])
def test_reading_fails_with_one_input_error_naming_the_file(migrations: Path, name: str) -> None:
    with pytest.raises(InputError) as info:
        read_text(migrations / name, name)
    assert info.value.file == name
    assert str(info.value).startswith(f"{name}: cannot read file: ")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["0002_gone.sql", "0003_folder.sql"])
def test_parse_of_an_unreadable_file_names_it(migrations: Path, name: str) -> None:
    path = migrations / name
    with pytest.raises(InputError) as info:
        parse([migrations / "0001_init.sql", path])
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: ")


def test_cli_exits_2_with_one_line_naming_the_file(migrations: Path) -> None:
    path = migrations / "0002_gone.sql"
    done = run_cli("events", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"schemafold: error: {path}: ")
    assert "Traceback" not in done.stderr


def test_cli_reads_the_readable_file_next_to_them(migrations: Path) -> None:
    path = migrations / "0001_init.sql"
    done = run_cli("events", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}:1\tcreate\tcreate table t\n"


def test_a_folder_with_an_unreadable_entry_is_refused_not_skipped(migrations: Path) -> None:
    with pytest.raises(InputError) as info:
        parse(migrations)
    assert info.value.file == "0002_gone.sql"
    assert "broken link" in str(info.value)
    (migrations / "0002_gone.sql").unlink()
    with pytest.raises(InputError) as info:
        parse(migrations)
    assert info.value.file == "0003_folder.sql"
    assert "a folder" in str(info.value)
    done = run_cli("events", str(migrations))
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("schemafold: error: 0003_folder.sql: cannot read migration file")
