"""Running the ``schemafold`` command line in a process of its own, as a user would: shared by
the tests of each command."""

from __future__ import annotations

import subprocess
import sys
from typing import Any


def run_cli(*args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """``python -m schemafold.cli ARGS``, its output captured as text and its exit code left to
    the caller; ``options`` go to :func:`subprocess.run` (``cwd``, ``env``, ``timeout``)."""
    return subprocess.run([sys.executable, "-m", "schemafold.cli", *args], capture_output=True,
                          text=True, check=False, **options)
