"""The folder listing detection reads (one ``os.scandir``) is the listing ``pathlib`` gives, and
reading a history reads each migration file once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schemafold.sources import base, read_history
from schemafold.sources.base import Listing
from schemafold.sources.detect import listing


def pathlib_listing(folder: Path) -> Listing:
    """The listing as ``Path.iterdir``, ``is_file``, ``is_dir`` and ``rglob`` give it."""
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    files = tuple(p.name for p in entries if p.is_file())
    subfolders = {p.name: tuple(sorted(c.name for c in p.iterdir() if c.is_file()))
                  for p in entries if p.is_dir() and not p.name.startswith(".")}
    tree = tuple(sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.*")
                        if p.is_file()))
    texts = {p.name: p.read_bytes().decode("utf-8", errors="replace")
             for p in entries if p.is_file() and p.suffix == ".sql"}
    return Listing(files, subfolders, tree, texts)


def test_the_listing_is_what_pathlib_gives(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.sql").write_text("SELECT 1;")
    for name in ("1_a.sql", "2_b.sql", "..sql", ".sql", "README", "notes.md", "bad\xe9.sql"):
        (folder / name).write_bytes(b"CREATE TABLE t (a int);\xff\n")
    (folder / "sub" / "up.sql").write_text("SELECT 1;")
    (folder / "sub" / "deeper" / "y.txt").write_text("")
    (folder / ".hidden" / "z.sql").write_text("")
    os.symlink(elsewhere, folder / "linked")           # a link to a folder: rglob does not follow
    os.symlink(elsewhere / "x.sql", folder / "3_c.sql")  # a link to a file: a file
    os.symlink(tmp_path / "gone.sql", folder / "4_d.sql")  # a broken link: not a file
    raw: dict[str, bytes] = {}
    assert listing(folder, raw) == pathlib_listing(folder)
    assert set(raw) == {n for n in pathlib_listing(folder).texts}


def test_each_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    for i in range(1, 4):
        (folder / f"{i}_step.sql").write_text(f"CREATE TABLE t{i} (a int);\n")
    reads: list[str] = []
    real_open = open

    def counting_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if str(file).endswith(".sql"):
            reads.append(Path(str(file)).name)
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", counting_open)
    monkeypatch.setattr(base.Path, "read_bytes", lambda self: (reads.append(self.name),
                                                               real_open(self, "rb").read())[1])
    history = read_history(folder)
    assert [m.text for m in history.migrations] == [
        f"CREATE TABLE t{i} (a int);\n" for i in range(1, 4)]
    assert sorted(reads) == ["1_step.sql", "2_step.sql", "3_step.sql"]
