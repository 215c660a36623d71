"""Signals during ``verify`` (issue 15): SIGINT, SIGTERM and SIGHUP at any moment end the command
without a hang or a traceback, and leave no cluster process, no cluster folder and no
``schemafold_*`` database on a server given with ``--dsn``.

CI runs a handful of runs at fixed moments; the property run sends signals at random moments::

    PYTHONPATH=src python -m pytest -q -m property --examples 40 tests/test_signals.py
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from schemafold.signals import Terminated
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import connect

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "tests" / "histories" / "enums"
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@pytest.fixture(scope="module")
def consolidation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("squashed") / "out"
    done = subprocess.run([sys.executable, "-m", "schemafold.cli", "squash", str(HISTORY),
                           "--out", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


def _cluster_processes(under: Path) -> list[int]:
    """Processes whose command line names a folder under ``under`` (a cluster's postgres)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(under) in cmdline and "schemafold.cli" not in cmdline:
            found.append(int(entry.name))
    return found


def _databases(cluster: Cluster) -> list[str]:
    with connect(cluster.dsn()) as conn:
        return [row[0] for row in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'schemafold\\_%'").fetchall()]


def _hangups_as_on_a_terminal() -> None:
    """In the child: SIGHUP back to its default, as a shell on a terminal starts commands. Run
    under ``nohup`` (as CI may be), the suite would pass its ignored SIGHUP on, and verify,
    rightly, would not take over a signal its caller chose to ignore."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def signal_run(tmp_path: Path, consolidation: Path, signum: int, delay: float,
               extra: tuple[str, ...] = (), *, after_cluster: bool = False,
               wait_for: Callable[[], bool] | None = None
               ) -> subprocess.CompletedProcess[str] | None:
    """Run ``verify`` with its temporary folders in a scratch folder of its own, send ``signum``
    ``delay`` seconds after the start (``after_cluster``: after the first cluster's folder
    appears; ``wait_for``: after it says so); the finished process, or None when it ended
    before the signal."""
    # under /tmp, traversable: as root, the clusters run as the postgres user
    scratch = Path(tempfile.mkdtemp(prefix="sigtest-", dir="/tmp"))
    scratch.chmod(0o755)
    try:
        return _signal_run(scratch, consolidation, signum, delay, extra, after_cluster,
                           wait_for)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _signal_run(scratch: Path, consolidation: Path, signum: int, delay: float,
                extra: tuple[str, ...], after_cluster: bool,
                wait_for: Callable[[], bool] | None
                ) -> subprocess.CompletedProcess[str] | None:
    env = {**os.environ, "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [sys.executable, "-m", "schemafold.cli", "verify", str(HISTORY), str(consolidation),
         *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=_hangups_as_on_a_terminal)
    if after_cluster:
        def wait_for() -> bool:
            return bool(list(scratch.glob("schemafold-pg-*")))
    if wait_for is not None:
        deadline = time.monotonic() + 60
        while not wait_for() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    time.sleep(delay)
    ended_before = process.poll() is not None
    if not ended_before:
        process.send_signal(signum)
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"verify hangs after {signal.Signals(signum).name} at {delay:.2f}s")
    assert "Traceback" not in stderr, f"{signal.Signals(signum).name} at {delay:.2f}s:\n{stderr}"
    deadline = time.monotonic() + 15
    while _cluster_processes(scratch) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _cluster_processes(scratch), f"a cluster is left running after {delay:.2f}s"
    assert list(scratch.iterdir()) == [], f"left behind: {list(scratch.iterdir())}"
    if ended_before:
        return None
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    # 0 or 1: the signal came as the command ended; -N: during the interpreter's own exit
    if process.returncode not in (0, 1, -signum):
        assert process.returncode == 128 + signum, (process.returncode, stderr)
        # quiet while Python imports; after that, one line saying so
        assert not stderr.strip() or stderr.strip().splitlines()[-1].startswith(
            "schemafold: "), stderr
    return result


# A handful of moments: while Python imports; then, from the moment the first cluster's folder
# appears: during initdb, while the server starts, while a side replays or a cluster stops.
MOMENTS = [(signal.SIGINT, 0.3, False), (signal.SIGTERM, 0.0, True), (signal.SIGHUP, 0.4, True),
           (signal.SIGTERM, 1.5, True), (signal.SIGINT, 3.0, True)]


@pytest.mark.parametrize(("signum", "delay", "after_cluster"), MOMENTS)
def test_a_signal_during_verify_leaves_nothing(tmp_path: Path, consolidation: Path,
                                               signum: int, delay: float,
                                               after_cluster: bool) -> None:
    # verify may end before a late moment (a cached initdb folder makes a cluster quick): the
    # signal is then sent sooner, until it arrives while verify still runs. A run that ends
    # with its answer (exit 0) took the signal in its last instant, after its work and
    # clean-up (checked all the same), where no handler runs any more: sooner too.
    for moment in (delay, delay / 3, delay / 9, 0.0):
        done = signal_run(tmp_path, consolidation, signum, moment,
                          after_cluster=after_cluster)
        if done is not None and done.returncode != 0:
            break
    assert done is not None and done.returncode in (128 + signum, -signum), done


def test_sigterm_during_verify_dsn_drops_its_database(tmp_path: Path, consolidation: Path,
                                                       pg_cluster: Cluster) -> None:
    """The database ``--dsn`` creates for a side is dropped on SIGTERM as on SIGINT."""
    hit = 0
    def side_database() -> bool:
        return bool(_databases(pg_cluster))

    for signum, delay in [(signal.SIGTERM, 0.0), (signal.SIGTERM, 0.2), (signal.SIGHUP, 0.1),
                          (signal.SIGINT, 0.1)]:
        done = signal_run(tmp_path, consolidation, signum, delay,
                          ("--dsn", pg_cluster.dsn()), wait_for=side_database)
        hit += done is not None and done.returncode == 128 + signum
        assert _databases(pg_cluster) == []
    assert hit, "no signal arrived while verify ran"


@pytest.mark.property
def test_signals_at_random_moments(tmp_path: Path, consolidation: Path, pg_cluster: Cluster,
                                   examples: int) -> None:
    rng = random.Random()
    for _ in range(examples):
        signum = rng.choice(SIGNALS)
        after_cluster = rng.random() < 0.7
        delay = rng.uniform(0.0, 6.0 if after_cluster else 4.0)
        extra = ("--dsn", pg_cluster.dsn()) if rng.random() < 0.3 else ()
        if extra:
            delay = rng.uniform(0.0, 1.5)
        signal_run(tmp_path, consolidation, signum, delay, extra,
                   after_cluster=after_cluster and not extra,
                   wait_for=(lambda: bool(_databases(pg_cluster))) if extra and after_cluster
                   else None)
        assert _databases(pg_cluster) == []


def test_a_signal_while_a_cluster_stops_waits_for_the_stop() -> None:
    """The handler used to stop every cluster itself, waiting on the lock of the stop it had
    interrupted: for ever. Now the signal waits until the stop is done, then ends the run."""
    cluster = Cluster.start()
    folder = cluster.base_dir
    timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGTERM))
    began = time.monotonic()
    timer.start()
    with pytest.raises(Terminated) as stopped:
        cluster.stop()
        time.sleep(5)  # the signal is raised when the stop ends, at the latest
    timer.join()
    assert stopped.value.signum == signal.SIGTERM
    assert time.monotonic() - began < 30
    assert not folder.exists() and not cluster.running


def test_verify_dsn_refuses_statements_reaching_outside(tmp_path: Path, pg_cluster: Cluster,
                                                        fresh_role: Callable[..., str]) -> None:
    existing = fresh_role("app")
    cases = {
        "DROP DATABASE IF EXISTS other;": "DROP DATABASE",
        "ALTER DATABASE postgres SET work_mem = '8MB';": "ALTER DATABASE",
        f"ALTER ROLE {existing} SET search_path = app;": f"changes role {existing}",
        f"DROP ROLE {existing};": f"changes role {existing}",
        "ALTER SYSTEM SET work_mem = '8MB';": "ALTER SYSTEM",
        "COPY (SELECT 1) TO PROGRAM 'true';": "PROGRAM",
    }
    for number, (statement, why) in enumerate(cases.items()):
        src = tmp_path / f"h{number}"
        src.mkdir()
        (src / "0001_a.sql").write_text("CREATE TABLE t (id int);\n" + statement + "\n")
        before = _databases(pg_cluster)
        done = subprocess.run([sys.executable, "-m", "schemafold.cli", "verify", str(src),
                               str(src / "0001_a.sql"), "--dsn", pg_cluster.dsn()],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 2, (statement, done.stderr)
        assert done.stderr.startswith("schemafold: error: 0001_a.sql:2: ")
        assert why in done.stderr and "--allow-outside-database" in done.stderr
        assert _databases(pg_cluster) == before  # nothing ran


def test_roles_the_history_creates_are_its_own(tmp_path: Path, pg_cluster: Cluster) -> None:
    """Creating a role, changing it and granting it is not reaching outside: the role is
    dropped after each side. --allow-outside-database lets the rest run."""
    src = tmp_path / "h"
    src.mkdir()
    (src / "0001_a.sql").write_text(
        "CREATE ROLE sig_reader;\nALTER ROLE sig_reader SET search_path = public;\n"
        "CREATE TABLE t (id int);\nGRANT SELECT ON t TO sig_reader;\n")
    done = subprocess.run([sys.executable, "-m", "schemafold.cli", "verify", str(src),
                           str(src), "--dsn", pg_cluster.dsn()],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (src / "0002_b.sql").write_text("ALTER DATABASE sig_nowhere SET work_mem = '8MB';\n")
    allowed = subprocess.run([sys.executable, "-m", "schemafold.cli", "verify", str(src),
                              str(src), "--dsn", pg_cluster.dsn(), "--allow-outside-database"],
                             capture_output=True, text=True, check=False)
    # it ran: PostgreSQL itself refuses the unknown database
    assert allowed.returncode == 2 and "sig_nowhere" in allowed.stderr, allowed.stderr
    assert "does not exist" in allowed.stderr


def test_an_ignored_sighup_stays_ignored(tmp_path: Path, consolidation: Path) -> None:
    """Started with SIGHUP ignored (``nohup``), verify leaves it so: a hang-up does not end
    the run, which finishes with its answer."""
    def ignore_hangups() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    scratch = Path(tempfile.mkdtemp(prefix="sigtest-", dir="/tmp"))
    scratch.chmod(0o755)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "schemafold.cli", "verify", str(HISTORY), str(consolidation)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "TMPDIR": str(scratch)}, preexec_fn=ignore_hangups)
        deadline = time.monotonic() + 60
        while not list(scratch.glob("schemafold-pg-*")) and time.monotonic() < deadline:
            time.sleep(0.02)
        sent = process.poll() is None
        if sent:
            process.send_signal(signal.SIGHUP)
        stdout, stderr = process.communicate(timeout=120)
        assert sent, "verify ended before its cluster's folder appeared"
        assert process.returncode == 0, stderr
        assert "EQUAL" in stdout and "terminated" not in stderr
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
