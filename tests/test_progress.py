"""Progress on long work: at most a line a second, only after a second, and only when stderr is
a terminal (a script reading stderr sees warnings and errors, nothing else)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

from schemafold.progress import Ticker

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synthetic import write_history  # noqa: E402


def test_ticker_waits_a_second_then_says_at_most_a_line_a_second() -> None:
    now = [0.0]
    heard: list[str] = []
    ticker = Ticker(heard.append, "folded events", 100, clock=lambda: now[0])
    for done in range(100):
        now[0] = done * 0.25  # four events a second
        ticker.tick(done)
    assert heard == [f"folded events {n}/100" for n in range(4, 100, 4)]
    Ticker(None, "nothing", 5).tick(3)  # no callback: nothing to do


def _squash(source: Path, out: Path, stderr: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "schemafold.cli", "squash", str(source),
                           "--out", str(out)], stdout=subprocess.PIPE, stderr=stderr, text=True,
                          check=False, timeout=600)


def _read_all(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal is closed once everything is read
            return
        if not chunk:
            return
        into.append(chunk)


def test_a_long_squash_tells_a_terminal_where_it_is(tmp_path: Path) -> None:
    source = tmp_path / "history"
    write_history(source, 4000)  # long enough (seconds) for a progress line
    leader, follower = pty.openpty()
    chunks: list[bytes] = []
    # a terminal holds little: read it while the squash writes, or the squash blocks
    reader = threading.Thread(target=_read_all, args=(leader, chunks), daemon=True)
    reader.start()
    try:
        done = _squash(source, tmp_path / "a", follower)
    finally:
        os.close(follower)
        reader.join(timeout=30)
        os.close(leader)
    assert done.returncode == 0
    said = b"".join(chunks).decode()
    assert "schemafold: folded events " in said or "schemafold: parsed files " in said, said[:500]
    piped = _squash(source, tmp_path / "b", subprocess.PIPE)
    assert piped.returncode == 0
    assert "schemafold: parsed files" not in piped.stderr
    assert "schemafold: folded events" not in piped.stderr
