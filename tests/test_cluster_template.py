"""The kept ``initdb`` folder a throwaway cluster copies instead of running ``initdb``
(``schemafold.verify.cluster``): made on a miss, copied on a hit, ignored when incomplete, and
forgotten when it does not start; and the lean settings a throwaway cluster runs with. On the
real PostgreSQL; nothing here is timed."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemafold.errors import EnvironmentProblem
from schemafold.verify import cluster as cluster_module
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import connect
from schemafold.verify.servers import pip_server_bin


@pytest.fixture
def initdb_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """A cache folder of this test's own, and the data folders ``initdb`` ran in."""
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o755)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(cluster_module, "_SWEPT", False)  # a process of its own
    runs: list[Path] = []
    original = Cluster._run_initdb

    def counted(self: Cluster) -> None:
        runs.append(self.data_dir)
        original(self)

    monkeypatch.setattr(Cluster, "_run_initdb", counted)
    yield runs


def kept_entries() -> list[Path]:
    folder = Path(cluster_module.os.environ["XDG_CACHE_HOME"]) / "schemafold" / "initdb"
    return sorted(p for p in folder.iterdir()) if folder.is_dir() else []


def answers(cluster: Cluster) -> dict[str, str]:
    with connect(cluster.dsn()) as conn:
        return {name: conn.execute(f"SHOW {name}").fetchone()[0]
                for name in ("wal_segment_size", "autovacuum", "fsync")}


def test_a_miss_runs_initdb_and_keeps_its_folder_a_hit_copies_it(initdb_runs: list[Path]
                                                                   ) -> None:
    with Cluster.start() as first:
        assert answers(first) == {"wal_segment_size": "1MB", "autovacuum": "off", "fsync": "off"}
    assert len(initdb_runs) == 1
    [entry] = kept_entries()
    assert (entry / "READY").is_file() and (entry / "data" / "PG_VERSION").is_file()
    # the folder is kept as initdb left it: the server never ran on it
    assert not (entry / "data" / "postmaster.pid").exists()
    with Cluster.start() as second:
        assert answers(second)["wal_segment_size"] == "1MB"
    assert len(initdb_runs) == 1
    assert kept_entries() == [entry]


def test_an_incomplete_entry_is_ignored(initdb_runs: list[Path]) -> None:
    with Cluster.start():
        pass
    [entry] = kept_entries()
    (entry / "READY").unlink()  # as a run interrupted while keeping it leaves it
    with Cluster.start() as cluster:
        assert answers(cluster)["autovacuum"] == "off"
    assert len(initdb_runs) == 2


def test_an_entry_that_does_not_start_is_forgotten_and_made_again(initdb_runs: list[Path]
                                                                   ) -> None:
    with Cluster.start():
        pass
    [entry] = kept_entries()
    (entry / "data" / "global" / "pg_control").unlink()  # damaged: the server will not start
    with Cluster.start() as cluster:
        assert answers(cluster)["fsync"] == "off"
    assert len(initdb_runs) == 2
    [again] = kept_entries()
    assert (again / "data" / "global" / "pg_control").is_file()
    with Cluster.start():
        pass
    assert len(initdb_runs) == 2


def test_as_before_each_cluster_runs_initdb_with_the_usual_settings(
        initdb_runs: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster_module, "KEEP_INITIALISED", False)
    monkeypatch.setattr(cluster_module, "LEAN", False)
    for _ in range(2):
        with Cluster.start() as cluster:
            assert answers(cluster) == {"wal_segment_size": "16MB", "autovacuum": "on",
                                        "fsync": "off"}
    assert len(initdb_runs) == 2 and kept_entries() == []


def test_a_stopped_cluster_leaves_no_process_and_no_folder(initdb_runs: list[Path]) -> None:
    cluster = Cluster.start()
    pid = cluster.pid
    assert pid is not None and cluster_module._alive(pid, zombie=False)
    cluster.stop()
    assert not cluster_module._alive(pid, zombie=False)
    assert cluster_module._processes_using(cluster.data_dir, cluster._server_uid) == []
    assert not cluster.base_dir.exists()


def test_a_server_that_does_not_start_is_reported_with_its_log(
        initdb_runs: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    written = Cluster._write_settings

    def bad_settings(self: Cluster, port: int) -> None:
        written(self, port)
        with (self.data_dir / "postgresql.auto.conf").open("a") as conf:
            conf.write("shared_buffers = 'plenty'\n")

    monkeypatch.setattr(Cluster, "_write_settings", bad_settings)
    before = set(cluster_module.live_clusters())
    with pytest.raises(EnvironmentProblem, match="did not start.*shared_buffers"):
        Cluster.start()
    assert set(cluster_module.live_clusters()) == before


def test_a_copied_server_is_kept_once_whatever_folder_it_was_copied_to(
        initdb_runs: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, a server the 'postgres' OS user cannot reach is copied into a temporary folder
    of each process's own. The kept folder is keyed by the server it was copied from: keyed by
    the copy, every run ran initdb and kept another 23 MB folder that nothing read again."""
    folder = pip_server_bin()
    assert folder is not None, "the dev extra installs a pip PostgreSQL"
    stranger = cluster_module._RunAs(uid=65534, gid=65534)
    earlier = cluster_module._STAGED.pop(folder, None)  # this session's own copy, if any
    copies = []
    try:
        for _ in range(2):  # two processes, each copying the server to a folder of its own
            with monkeypatch.context() as patch:
                patch.setattr(cluster_module, "_can_reach", lambda path, run_as: False)
                staged = cluster_module._bin_for(folder, stranger)
            try:
                with Cluster.start(staged) as cluster:
                    assert answers(cluster)["fsync"] == "off"
            finally:
                root, _ = cluster_module._STAGED.pop(folder)
                shutil.rmtree(root)
            copies.append(staged)
    finally:
        if earlier is not None:
            cluster_module._STAGED[folder] = earlier
    assert copies[0] != copies[1]
    assert len(initdb_runs) == 1
    [entry] = kept_entries()
    origin, size, _ = json.loads((entry / "ORIGIN").read_text())
    assert origin == str((folder / "initdb").resolve())
    assert size == (folder / "initdb").stat().st_size


def test_kept_folders_nothing_would_copy_again_are_removed(
        initdb_runs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keeping a folder removes the ones whose initdb is gone (a removed virtual environment)
    or changed (a reinstalled one), those an earlier schemafold kept without saying where they
    came from, and copies an interrupted write left an hour ago; the rest stay. A process
    that only copies a kept folder removes them too, once."""
    root = Path(os.environ["XDG_CACHE_HOME"]) / "schemafold" / "initdb"
    root.mkdir(parents=True)
    gone_initdb = tmp_path / "venv" / "initdb"
    gone_initdb.parent.mkdir()
    gone_initdb.write_text("a server once")
    changed_initdb = tmp_path / "initdb"
    changed_initdb.write_text("a server")

    def entry(name: str, origin: Path | None, *, ready: bool = True) -> Path:
        path = root / name
        (path / "data").mkdir(parents=True)
        if origin is not None:
            stat_ = origin.stat()
            (path / "ORIGIN").write_text(json.dumps(
                [str(origin.resolve()), stat_.st_size, stat_.st_mtime_ns]))
        if ready:
            (path / "READY").write_text("complete\n")
        return path

    gone = entry("a" * 24, gone_initdb)
    changed = entry("b" * 24, changed_initdb)
    older = entry("c" * 24, None)
    writing = entry("d" * 24 + ".x1", None, ready=False)
    abandoned = entry("e" * 24 + ".x2", None, ready=False)
    hour_ago = time.time() - 3700
    os.utime(abandoned, (hour_ago, hour_ago))
    shutil.rmtree(gone_initdb.parent)
    changed_initdb.write_text("another server")
    with Cluster.start():
        pass
    [kept] = [p for p in kept_entries() if p not in (gone, changed, older, writing, abandoned)]
    assert kept_entries() == sorted([kept, writing])
    with Cluster.start():
        pass
    assert kept_entries() == sorted([kept, writing]) and len(initdb_runs) == 1
    older = entry("f" * 24, None)
    with Cluster.start():  # the same process: it looked once
        pass
    assert older in kept_entries()
    # an entry an earlier schemafold kept for these binaries is told where it came from
    # when copied, and stays
    origin = json.loads((kept / "ORIGIN").read_text())
    (kept / "ORIGIN").unlink()
    with Cluster.start():
        pass
    assert json.loads((kept / "ORIGIN").read_text()) == origin
    monkeypatch.setattr(cluster_module, "_SWEPT", False)  # the next process, which copies
    with Cluster.start():
        pass
    assert kept_entries() == sorted([kept, writing]) and len(initdb_runs) == 1
