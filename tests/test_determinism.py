"""Determinism: ``schemafold squash`` gives byte-identical output across separate processes with
different ``PYTHONHASHSEED``s, from a copy of the source whose files were created in another
order, run from another working directory; and the output holds no absolute path and no
timestamp."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

HISTORIES = Path(__file__).parent / "histories"
INDEX = tomllib.loads((HISTORIES / "INDEX.toml").read_text())

#: Fixtures rich in what could come out in a hash or file-system order: partitions, grants,
#: setup objects, several schemas, rollbacks.
FIXTURES = ["partitions_attach", "privileges_owners", "env_platform", "env_search_path",
            "search_path_schemas", "transactions_rollback", "views_star"]

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")


def _copy_in_reverse(source: Path, target: Path) -> Path:
    """A copy of ``source`` whose files are created in the reverse of their name order (so the
    directory lists them in another order on file systems that keep creation order)."""
    target.mkdir(parents=True)
    for path in sorted(source.rglob("*"), reverse=True):
        relative = path.relative_to(source)
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        else:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
    return target


def _squash(src: Path, out: Path, cwd: Path, seed: str, name: str) -> dict[str, bytes]:
    settings = INDEX.get("fixture", {}).get(name, {})
    args = [sys.executable, "-m", "schemafold.cli", "squash", str(src), "--out", str(out)]
    for setup in settings.get("setup", ()):
        args += ["--setup", str(src / setup)]
    if "search_path" in settings:
        args += ["--search-path", settings["search_path"]]
    env = dict(os.environ, PYTHONHASHSEED=seed)
    run = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("name", FIXTURES)
def test_squash_is_byte_identical(name: str, tmp_path: Path) -> None:
    original = HISTORIES / name
    copy = _copy_in_reverse(original, tmp_path / "else where" / name)
    work_a = tmp_path / "a"
    work_b = tmp_path / "b" / "deeper"
    work_a.mkdir()
    work_b.mkdir(parents=True)
    first = _squash(original, tmp_path / "out1", work_a, "1", name)
    second = _squash(original, tmp_path / "out2", work_b, "4242", name)
    third = _squash(copy, tmp_path / "out3", tmp_path, "random", name)
    assert first, "squash wrote nothing"
    assert first == second == third
    for file, data in first.items():
        text = data.decode()
        for path in (tmp_path, original, HISTORIES.parent, Path.cwd(), Path.home()):
            assert str(path) not in text, (file, path)
        assert not re.search(r"(?m)(^|[\s'\"(])/(tmp|home|root|usr|work)/", text), file
        assert not _TIMESTAMP.search(text), (file, _TIMESTAMP.search(text))
