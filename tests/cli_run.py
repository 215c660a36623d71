"""Running the ``schemafold`` command line in a process of its own, as a user would: shared by
the tests of each command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any


def run_cli(*args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """``python -m schemafold.cli ARGS``, its output captured as text and its exit code left to
    the caller; ``options`` go to :func:`subprocess.run` (``cwd``, ``env``, ``timeout``)."""
    return subprocess.run([sys.executable, "-m", "schemafold.cli", *args], capture_output=True,
                          text=True, check=False, **options)


def squash_verify(tmp_path: Path, files: dict[str, str]) -> str:
    """Write ``files`` (name: text) as a history under ``tmp_path``, run ``schemafold squash
    --verify`` on it, assert it exits 0 proving the consolidation EQUAL; the consolidation's
    files, joined."""
    src = tmp_path / "migrations"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "out"), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout, done.stdout
    return "\n".join(p.read_text() for p in sorted((tmp_path / "out").glob("*.sql")))
