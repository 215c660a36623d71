"""``collect.exit_program``: the command line's process ends without Python's teardown, but
with everything that teardown did for the command: its exit code, its ``atexit`` functions, its
standard streams flushed, and the threads still running waited for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")


def run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=False, timeout=60)


def test_exit_code_atexit_and_buffered_output_survive() -> None:
    done = run("import atexit, sys\n"
               "from schemafold import collect\n"
               "atexit.register(lambda: print('atexit ran'))\n"
               "print('x' * 100_000)\n"
               "print('on stderr', end='', file=sys.stderr)\n"
               "collect.exit_program(3)\n")
    assert done.returncode == 3
    assert done.stdout == "x" * 100_000 + "\natexit ran\n"
    assert done.stderr == "on stderr"


def test_a_running_thread_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "written"
    done = run("import threading, time\n"
               "from schemafold import collect\n"
               "def late():\n"
               "    time.sleep(0.3)\n"
               f"    open({str(marker)!r}, 'w').write('done')\n"
               "threading.Thread(target=late).start()\n"
               "collect.exit_program(0)\n")
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "done"


def test_the_command_line_exits_with_its_code(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    for module in ("schemafold", "schemafold.cli"):
        missing = subprocess.run([sys.executable, "-m", module, "events", str(tmp_path / "no")],
                                 capture_output=True, text=True, env=env, check=False)
        assert missing.returncode == 2 and missing.stderr.startswith("schemafold: "), missing
