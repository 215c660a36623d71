"""The README's examples run as written: the shell block (events, squash, verify on a real
PostgreSQL) and the Python block after it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    example = text[text.index("## Example"):]
    return re.findall(rf"```{language}\n(.*?)```", example, flags=re.S)


def test_the_shell_example_runs_and_verifies_equal() -> None:
    (script,) = _blocks("sh")
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True,
                          text=True, check=False,
                          env={"PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert "rename column item.price to cost" in done.stdout
    assert "CONSTRAINT item_price_check CHECK (cost > 0)" in done.stdout
    assert "schemafold verify: EQUAL" in done.stdout
    report = done.stdout[done.stdout.index("# Consolidation report"):]
    assert "`table public.tmp` — created 0002_change.sql:2; dropped 0002_change.sql:3" in report


def test_the_python_example_prints_the_ledger() -> None:
    test_the_shell_example_runs_and_verifies_equal()  # it reads the folder the shell made
    (code,) = _blocks("python")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "0001_init.sql:1 absorbed-into(table public.item)",
        "0002_change.sql:1 absorbed-into(table public.item)",
        "0002_change.sql:2 superseded-by(0002_change.sql:3)",
        "0002_change.sql:3 absorbed-into(table public.tmp)",
    ]
