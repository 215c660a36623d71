"""Where a verification replays: the servers, and building one side of a comparison on them.

This module owns the engines and their search order — a server the user names (``--dsn``), the
local server binaries (throwaway clusters), a PostgreSQL a pip package installed — and building
one side: a fresh database, the setup files, the side's files (as ``--role`` when given), a
:class:`~schemafold.verify.snapshot.Snapshot`, then leaving the server as it was found. A
missing extension is an :class:`~schemafold.errors.EnvironmentProblem` naming it.

It knows nothing of folding, migration tools or parsing: a side is a list of
:class:`~schemafold.verify.replay.ReplayFile` and the names of the extensions it creates.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import re
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from schemafold import signals
from schemafold.errors import EnvironmentProblem, InputError
from schemafold.progress import Progress
from schemafold.verify.cluster import (
    Cluster,
    Server,
    _clean_env,
    _server_major,
    find_postgres_bin,
    locate_server,
    pip_server_bin,
)
from schemafold.verify.dump import dump_roles
from schemafold.verify.introspect.base import USER
from schemafold.verify.replay import ReplayError, ReplayFile, connect, replay
from schemafold.verify.snapshot import Snapshot, normalise_dump, take_snapshot

__all__ = [
    "SUPPORTED_MAJORS",
    "ClusterEngine",
    "DsnEngine",
    "Engine",
    "ExternalServer",
    "Observer",
    "Side",
    "choose_engine",
    "locate_server",
    "pip_server_bin",
]

#: The PostgreSQL majors the equality contract is written for.
SUPPORTED_MAJORS = range(14, 19)

#: Called with the server and the database of a side once it is built, before it is read and
#: cleaned up: a test's window onto the live database.
Observer = Callable[[Server, str], None]


@attrs.frozen
class Side:
    """One side of a comparison: its label, the files to replay and the extensions they
    create (checked before anything runs)."""

    label: str
    files: tuple[ReplayFile, ...]
    extensions: tuple[str, ...] = ()


class Engine(Protocol):
    """Builds sides: each on a server of its own, or one after the other on one server that is
    left as it was found in between."""

    @property
    def description(self) -> str: ...

    def build(self, side: Side, *, setup: Sequence[ReplayFile] = (), role: str | None = None,
              session_setup: str | None = None, observe: Observer | None = None
              ) -> Snapshot: ...

    def close(self) -> None: ...


def _check_major(major: int, where: str) -> None:
    if major not in SUPPORTED_MAJORS:
        raise EnvironmentProblem(
            f"{where} is PostgreSQL {major}; schemafold verifies on PostgreSQL "
            f"{SUPPORTED_MAJORS.start}-{SUPPORTED_MAJORS.stop - 1}"
        )


def _missing_extensions(server: Server, dbname: str, names: Iterable[str]) -> list[str]:
    wanted = sorted(set(names))
    if not wanted:
        return []
    with connect(server.dsn(dbname)) as conn:
        found = {r[0] for r in conn.execute(
            "SELECT name FROM pg_available_extensions WHERE name = ANY(%s)", [wanted]
        ).fetchall()}
    return [n for n in wanted if n not in found]


def _require_extensions(server: Server, dbname: str, side: Side, where: str) -> None:
    missing = _missing_extensions(server, dbname, side.extensions)
    if missing:
        names = ", ".join(missing)
        raise EnvironmentProblem(
            f"extension{'s' if len(missing) > 1 else ''} {names} (created by the {side.label}) "
            f"not available on {where}: install it there (e.g. the PostgreSQL contrib package) "
            f"or verify on another server with --dsn"
        )


_EXTENSION_ERROR = re.compile(r'extension "([^"]+)"|extension/([^/"]+)\.control')


def _extension_problem(error: ReplayError, where: str) -> EnvironmentProblem | None:
    """A replay error that says an extension is missing, as an environment problem."""
    if error.sqlstate not in ("58P01", "0A000", "42704"):
        return None
    match = _EXTENSION_ERROR.search(error.message)
    if match is None or "extension" not in error.message:
        return None
    name = match.group(1) or match.group(2)
    return EnvironmentProblem(f"extension {name} is not available on {where} ({error})")


def _replay_side(server: Server, dbname: str, side: Side, *, setup: Sequence[ReplayFile],
                 dsn_for_files: str, role: str | None, session_setup: str | None,
                 where: str) -> None:
    _require_extensions(server, dbname, side, where)
    try:
        if setup:
            replay(server.dsn(dbname), setup, session_setup=session_setup)
        replay(dsn_for_files, side.files, role=role, session_setup=session_setup)
    except ReplayError as error:
        problem = _extension_problem(error, where)
        if problem is not None:
            raise problem from None
        raise


def role_names(server: Server) -> set[str]:
    """The names of the server's roles now."""
    return _role_names(server)
# What makes a side change the cluster's roles (roles are cluster-wide: two sides doing so in
# one cluster would see each other's). Read in every statement's text, strings and bodies
# included: a false alarm only costs a cluster.
_TOUCHES_ROLES = re.compile(
    r"\b(?:(?:CREATE|ALTER|DROP)\s+(?:ROLE|USER|GROUP)|REASSIGN\s+OWNED|COMMENT\s+ON\s+ROLE"
    r"|SECURITY\s+LABEL\b[^;]*\bON\s+ROLE)\b", re.IGNORECASE)
# GRANT/REVOKE with no ON: a role membership.
_MEMBERSHIP = re.compile(r"^\s*(?:GRANT|REVOKE)\b(?:(?!\bON\b).)*$", re.IGNORECASE | re.DOTALL)
# A setup that acts on the database itself: its effect would not be copied by CREATE DATABASE
# ... TEMPLATE.
_ON_DATABASE = re.compile(r"\bDATABASE\b|\bcurrent_database\b", re.IGNORECASE)


def _statements_of(file: ReplayFile) -> list[str]:
    if file.statements is not None:
        return list(file.statements)
    from schemafold.parse.splitter import split_sql

    try:
        return [s.text for s in split_sql(file.sql, file.name).statements]
    except InputError:
        return [file.sql]


def touches_roles(files: Iterable[ReplayFile]) -> bool:
    """Whether any statement of ``files`` may create, change or drop a role or a membership."""
    return any(_TOUCHES_ROLES.search(statement) or _MEMBERSHIP.match(statement)
               for file in files for statement in _statements_of(file))


def _role_names(server: Server) -> set[str]:
    with connect(server.dsn(server.maintenance_db)) as conn:
        return {r[0] for r in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_'").fetchall()}


def _roles_state(server: Server) -> tuple[tuple[Any, ...], ...]:
    """Everything about the server's roles a replay can change (attributes, memberships,
    settings, comments), cheaper to read than a roles dump."""
    with connect(server.dsn(server.maintenance_db)) as conn:
        return tuple(tuple(r) for r in conn.execute(
            """
            SELECT 'role', r.rolname, row(r.rolsuper, r.rolinherit, r.rolcreaterole,
                   r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls,
                   r.rolconnlimit, r.rolvaliduntil, r.rolconfig)::text,
                   shobj_description(r.oid, 'pg_authid')
            FROM pg_roles r
            UNION ALL
            SELECT 'member', m.roleid::regrole::text, m.member::regrole::text,
                   m.admin_option::text
            FROM pg_auth_members m
            UNION ALL
            SELECT 'setting', s.setrole::text, s.setdatabase::text, s.setconfig::text
            FROM pg_db_role_setting s
            ORDER BY 1, 2, 3, 4
            """).fetchall())


def _drop_roles(server: Server, names: Iterable[str]) -> None:
    """Drop roles a replay created, with whatever they still own or hold in the maintenance
    database (their own database is gone by now)."""
    import psycopg
    from psycopg import sql

    names = sorted(names)
    if not names:
        return
    with connect(server.dsn(server.maintenance_db)) as conn:
        for name in names:
            role = sql.Identifier(name)
            try:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))
            except psycopg.errors.DependentObjectsStillExist:
                conn.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(role))
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))


# ---------------------------------------------------------------------------------------------
# Throwaway clusters from local (or pip-installed) binaries


class ClusterEngine:
    """Throwaway clusters from the server binaries in ``bin_dir``.

    By default each side gets a cluster of its own, started for it and removed after its
    snapshot. With ``reuse=True`` one cluster serves every build: after each, its database is
    dropped and the roles the replay created are dropped; should the roles not return to what
    they were (a replay altered a role that existed before), the cluster is replaced.
    """

    def __init__(self, bin_dir: Path, *, reuse: bool = False, origin: str = "local binaries",
                 progress: Progress | None = None) -> None:
        self.bin_dir = bin_dir
        self.major = _server_major(bin_dir)
        _check_major(self.major, f"the server in {bin_dir}")
        self.reuse = reuse
        self.origin = origin
        self.progress = progress
        self._cluster: Cluster | None = None
        self._starting: concurrent.futures.Future[Cluster] | None = None
        self._lock = threading.Lock()
        self._how: str | None = None  # how build_both built the sides

    @property
    def description(self) -> str:
        how = "one throwaway cluster, emptied between sides" if self.reuse else (
            self._how or "a throwaway cluster per side")
        return f"PostgreSQL {self.major}, {how} ({self.origin}: {self.bin_dir})"

    def _say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    def start_early(self) -> None:
        """Start a cluster in the background now (reading and folding go on meanwhile); the
        next build takes it."""
        with self._lock:
            if self._starting is None:
                self._say(f"starting a PostgreSQL {self.major} cluster")
                pool = concurrent.futures.ThreadPoolExecutor(1, "schemafold-cluster")
                self._starting = pool.submit(Cluster.start, self.bin_dir)
                pool.shutdown(wait=False)

    def _acquire(self) -> Cluster:
        with self._lock:
            starting, self._starting = self._starting, None
            if starting is None and self._cluster is not None and self._cluster.running:
                return self._cluster
        if starting is not None:
            cluster = starting.result()
        else:
            self._say(f"starting a PostgreSQL {self.major} cluster")
            cluster = Cluster.start(self.bin_dir)
        if self.reuse:
            self._cluster = cluster
        return cluster

    def one_cluster_for(self, sides: Sequence[Side], setup: Sequence[ReplayFile]) -> bool:
        """Whether :meth:`build_both` builds ``sides`` in one cluster: when no side touches
        roles (cluster-wide) and the setup does not act on the database itself."""
        return not (touches_roles(f for side in sides for f in side.files)
                    or any(_ON_DATABASE.search(s) for f in setup for s in _statements_of(f)))

    def build_both(self, sides: Sequence[Side], *, setup: Sequence[ReplayFile] = (),
                   role: str | None = None, session_setup: str | None = None
                   ) -> list[Snapshot | Exception]:
        """Build ``sides`` at once: each side's snapshot, or the exception its replay raised.

        In one cluster (:meth:`one_cluster_for`): the setup replays once into a database that
        each side's database is created from (``CREATE DATABASE ... TEMPLATE``), so the roles
        the setup creates exist once, and the sides replay in parallel, each in its database.
        Otherwise each side gets a cluster of its own, the two built in parallel. A failing
        setup raises :class:`ReplayError` (it is part of the history)."""
        if self.reuse or not self.one_cluster_for(sides, setup):
            if not self.reuse:
                self._how = ("a throwaway cluster per side, built in parallel (a side changes "
                             "roles, or the setup acts on the database)")
            with concurrent.futures.ThreadPoolExecutor(len(sides), "schemafold-side") as pool:
                futures = [pool.submit(self.build, side, setup=setup, role=role,
                                       session_setup=session_setup) for side in sides]
            return [_outcome(future) for future in futures]
        from psycopg import sql

        self._how = "one throwaway cluster, a database per side, replayed in parallel"
        cluster = self._acquire()
        where = f"PostgreSQL {self.major} in {self.bin_dir}"
        try:
            with connect(cluster.dsn()) as conn:
                if role is not None and not conn.execute(
                        "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                    conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
            template = "template0"
            with concurrent.futures.ThreadPoolExecutor(1, "schemafold-roles") as pool:
                # the roles before the setup, read while the setup's database is created
                roles = pool.submit(dump_roles, cluster)
                if setup:
                    template = f"schemafold_setup_{uuid.uuid4().hex[:10]}"
                    cluster.create_database(template)
                baseline = roles.result()
            if setup:
                try:
                    replay(cluster.dsn(template), setup, session_setup=session_setup)
                except ReplayError as error:
                    problem = _extension_problem(error, where)
                    if problem is not None:
                        raise problem from None
                    raise
            names = [f"schemafold_{uuid.uuid4().hex[:10]}" for _ in sides]
            owner = sql.SQL(" OWNER {}").format(sql.Identifier(role)) if role else sql.SQL("")

            def build(side: Side, dbname: str) -> Snapshot:
                # each side's database is made in its own thread: a side's replay need not wait
                # for the other's database (CREATE DATABASE only locks the template against
                # connections, so two copies of one template may be made at once)
                with connect(cluster.dsn()) as conn:
                    conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}{}").format(
                        sql.Identifier(dbname), sql.Identifier(template), owner))
                self._say(f"replaying the {side.label} ({len(side.files)} file(s))")
                files_dsn = cluster.dsn(dbname, user=role) if role else cluster.dsn(dbname)
                _replay_side(cluster, dbname, side, setup=(), dsn_for_files=files_dsn,
                             role=None, session_setup=session_setup, where=where)
                self._say(f"reading the {side.label}'s database")
                return take_snapshot(cluster, dbname, label=side.label, roles_before=baseline)

            with concurrent.futures.ThreadPoolExecutor(len(sides), "schemafold-side") as pool:
                futures = [pool.submit(build, side, name) for side, name in zip(
                    sides, names, strict=True)]
            return [_outcome(future) for future in futures]
        finally:  # also on Ctrl-C: then the cluster is stopped at once
            cluster.stop()
            with self._lock:
                if self._cluster is cluster:
                    self._cluster = None

    def build(self, side: Side, *, setup: Sequence[ReplayFile] = (), role: str | None = None,
              session_setup: str | None = None, observe: Observer | None = None) -> Snapshot:
        from psycopg import sql

        cluster = self._acquire()
        dbname = f"schemafold_{uuid.uuid4().hex[:10]}"
        clean = False
        before_names: set[str] | None = None
        before_state: tuple[tuple[Any, ...], ...] = ()
        try:
            if role is not None:
                with connect(cluster.dsn()) as conn:
                    exists = conn.execute(
                        "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
                    if not exists:
                        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
            before_names = _role_names(cluster)
            before_state = _roles_state(cluster) if self.reuse else ()
            baseline = dump_roles(cluster)
            with connect(cluster.dsn()) as conn:
                owner = sql.SQL(" OWNER {}").format(sql.Identifier(role)) if role else sql.SQL("")
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0{}").format(
                    sql.Identifier(dbname), owner))
            self._say(f"replaying the {side.label} ({len(side.files)} file(s))")
            files_dsn = cluster.dsn(dbname, user=role) if role else cluster.dsn(dbname)
            _replay_side(cluster, dbname, side, setup=setup, dsn_for_files=files_dsn, role=None,
                         session_setup=session_setup, where=f"PostgreSQL {self.major} in "
                         f"{self.bin_dir}")
            if observe is not None:
                observe(cluster, dbname)
            self._say(f"reading the {side.label}'s database")
            snapshot = take_snapshot(cluster, dbname, label=side.label, roles_before=baseline)
            clean = self._empty(cluster, dbname, before_names, before_state)
            return snapshot
        except Exception:
            # A side that does not replay leaves a reused cluster as reusable as one that does.
            clean = before_names is not None and self._empty(cluster, dbname, before_names,
                                                             before_state)
            raise
        finally:  # also on Ctrl-C: then the cluster is stopped at once
            if not (self.reuse and clean):
                cluster.stop()
                self._cluster = None

    def _empty(self, cluster: Cluster, dbname: str, before_names: set[str],
               before_state: tuple[tuple[Any, ...], ...]) -> bool:
        """Drop a side's database and the roles it created; True when the cluster's roles are
        as they were (only checked when the cluster is reused)."""
        if not self.reuse:
            return False
        try:
            cluster.drop_database(dbname)
            _drop_roles(cluster, _role_names(cluster) - before_names)
            return _roles_state(cluster) == before_state
        except Exception:
            return False

    def close(self) -> None:
        with self._lock:
            starting, self._starting = self._starting, None
            cluster, self._cluster = self._cluster, None
        if starting is not None:
            with contextlib.suppress(Exception):
                starting.result().stop()
        if cluster is not None:
            cluster.stop()


def _outcome(future: concurrent.futures.Future[Snapshot]) -> Snapshot | Exception:
    """A side's snapshot, or the exception that stopped it (``KeyboardInterrupt`` and the like
    propagate)."""
    try:
        return future.result()
    except Exception as error:
        return error


# ---------------------------------------------------------------------------------------------
# A server the user names


def _tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                             env=_clean_env(), check=False, timeout=30)
    except OSError:
        return None
    match = re.search(r"\)\s+(\d+)", out.stdout)
    return int(match.group(1)) if match else None


def _client_bins() -> list[Path]:
    """Folders holding pg_dump and pg_dumpall: beside the local server, on PATH, in the usual
    install places, in a pip-installed server."""
    found: list[Path] = []
    with contextlib.suppress(EnvironmentProblem):
        found.append(find_postgres_bin())
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry and (Path(entry) / "pg_dump").exists():
            found.append((Path(entry) / "pg_dump").resolve().parent)
    found.extend(sorted(Path("/").glob("usr/lib/postgresql/*/bin")))
    pip = pip_server_bin()
    if pip is not None:
        found.append(pip)
    return [f for f in dict.fromkeys(found)
            if os.access(f / "pg_dump", os.X_OK) and os.access(f / "pg_dumpall", os.X_OK)]


class ExternalServer:
    """A server the user names by a connection string (any libpq form)."""

    def __init__(self, dsn: str) -> None:
        self._given = dsn
        from psycopg.conninfo import conninfo_to_dict

        with connect(dsn, application_name="schemafold-verify") as conn:
            info = conn.info
            # What the user wrote, completed with what libpq took from the environment (the
            # client tools run without the caller's PG* variables).
            params = {k: str(v) for k, v in conninfo_to_dict(dsn).items() if v is not None}
            effective = info.get_parameters()
            for key in ("host", "port", "user", "dbname"):
                if key not in params and effective.get(key):
                    params[key] = effective[key]
            if info.password and "password" not in params:
                params["password"] = info.password
            row = conn.execute(
                "SELECT current_setting('server_version_num')::int, current_user, "
                "current_database(), r.rolsuper, r.rolcreatedb, r.rolcreaterole "
                "FROM pg_roles r WHERE r.rolname = current_user").fetchone()
        assert row is not None
        self._params = params
        # What the Server protocol asks, fixed once connected.
        self.major = int(row[0]) // 10000
        self.user: str = row[1]
        self.database: str = row[2]
        self.maintenance_db = self.database
        self.superuser = bool(row[3])
        self.createdb = bool(row[3] or row[4])
        self.createrole = bool(row[3] or row[5])
        self.bin_dir = self._find_client_tools()

    def _find_client_tools(self) -> Path:
        candidates = []
        for folder in _client_bins():
            major = _tool_major(folder / "pg_dump")
            if major is not None and major >= self.major:
                candidates.append((major != self.major, major, folder))
        if not candidates:
            raise EnvironmentProblem(
                f"no pg_dump of PostgreSQL {self.major} or newer found for the server at "
                f"{self.where}: install the PostgreSQL {self.major} client tools"
            )
        return sorted(candidates)[0][2]

    @property
    def where(self) -> str:
        host = self._params.get("host", "localhost")
        return f"{host}:{self._params.get('port', '5432')}/{self._params.get('dbname', '')}"

    @property
    def identity(self) -> str:
        return f"server {self.where}"

    def dsn(self, dbname: str = "") -> str:
        from psycopg.conninfo import make_conninfo

        params: dict[str, Any] = dict(self._params)
        params["dbname"] = dbname or self.database
        return make_conninfo("", **params)


_EMPTY_CHECKS = {
    "schemas": f"SELECT n.nspname FROM pg_namespace n WHERE {USER} "
               "AND n.nspname <> 'public'",
    "relations": f"""SELECT n.nspname || '.' || c.relname FROM pg_class c
                     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER}""",
    "functions": f"""SELECT n.nspname || '.' || p.proname FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {USER}""",
    "types": f"""SELECT n.nspname || '.' || t.typname FROM pg_type t
                 JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {USER}
                 AND t.typtype <> 'b' AND NOT EXISTS (SELECT 1 FROM pg_class c
                     WHERE c.oid = t.typrelid)""",
    "extensions": "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'",
    "default privileges": "SELECT defaclrole::regrole::text FROM pg_default_acl",
    "event triggers": "SELECT evtname FROM pg_event_trigger",
    "publications": "SELECT pubname FROM pg_publication",
    "large objects": "SELECT oid::text FROM pg_largeobject_metadata",
}


def _contents(server: Server, dbname: str) -> dict[str, list[str]]:
    """What a database holds beyond an empty one's objects (kind to names)."""
    found: dict[str, list[str]] = {}
    with connect(server.dsn(dbname)) as conn:
        for kind, query in _EMPTY_CHECKS.items():
            names = sorted(str(r[0]) for r in conn.execute(query).fetchall())
            if names:
                found[kind] = names
    return found


class DsnEngine:
    """A server the user names. When its role may create databases, each side is built in a
    database of its own (created, then dropped); otherwise the named database must be empty and
    each side is built in it, then emptied again. Roles the replay creates are dropped after
    each side; anything that cannot be put back is an error naming it."""

    def __init__(self, dsn: str, *, progress: Progress | None = None) -> None:
        self.server = ExternalServer(dsn)
        _check_major(self.server.major, f"the server at {self.server.where}")
        self.progress = progress
        self.in_place = not self.server.createdb
        if self.in_place:
            held = _contents(self.server, self.server.database)
            if held:
                what = "; ".join(f"{k}: {', '.join(v[:3])}{'...' if len(v) > 3 else ''}"
                                 for k, v in held.items())
                raise InputError(
                    f"--dsn: database {self.server.database} is not empty ({what}) and role "
                    f"{self.server.user} may not create databases: give an empty database, or "
                    f"a role with CREATEDB"
                )
            self._empty_state = self._database_state()

    @property
    def description(self) -> str:
        how = (f"in database {self.server.database}, emptied after each side" if self.in_place
               else "a database of its own per side")
        return f"PostgreSQL {self.server.major} at {self.server.where}, {how}"

    def _say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    def _database_state(self) -> str:
        from schemafold.verify.dump import dump_schema

        return normalise_dump(dump_schema(self.server, self.server.database))

    def build(self, side: Side, *, setup: Sequence[ReplayFile] = (), role: str | None = None,
              session_setup: str | None = None, observe: Observer | None = None) -> Snapshot:
        from psycopg import sql

        server = self.server
        before_names = _role_names(server)
        baseline = dump_roles(server)
        dbname = server.database if self.in_place else f"schemafold_{uuid.uuid4().hex[:10]}"
        try:
            if not self.in_place:
                with connect(server.dsn()) as conn:
                    conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(
                        sql.Identifier(dbname)))
                    if role is not None:  # the role replays as the database's owner
                        conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                            sql.Identifier(dbname), sql.Identifier(role)))
            self._say(f"replaying the {side.label} ({len(side.files)} file(s)) on "
                      f"{server.where}")
            _replay_side(server, dbname, side, setup=setup, dsn_for_files=server.dsn(dbname),
                         role=role, session_setup=session_setup,
                         where=f"the server at {server.where}")
            if observe is not None:
                observe(server, dbname)
            return take_snapshot(server, dbname, label=side.label, roles_before=baseline)
        finally:  # also on a signal (schemafold.signals), which waits until this is done
            with signals.shielded():
                self._clean_up(side, dbname, before_names, baseline)

    def _clean_up(self, side: Side, dbname: str, before_names: set[str], baseline: str) -> None:
        """Put the server back as it was: the side's database dropped (or emptied), the roles
        it created dropped; an error when roles that existed before were changed."""
        from psycopg import sql

        server = self.server
        added = _role_names(server) - before_names
        if self.in_place:
            self._empty(dbname, added)
        else:
            with connect(server.dsn()) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(dbname)))
        try:
            _drop_roles(server, added)
        except Exception as error:
            raise EnvironmentProblem(
                f"roles the {side.label} created could not be dropped from "
                f"{server.where} ({', '.join(sorted(added))}): {error}") from error
        if normalise_dump(dump_roles(server)) != normalise_dump(baseline):
            raise EnvironmentProblem(
                f"the {side.label} changed roles of {server.where} that existed before; "
                f"they are left changed: verify on a throwaway server instead")

    def _empty(self, dbname: str, added: Iterable[str]) -> None:
        """Put the named database back as it was: empty."""
        from psycopg import sql

        server = self.server
        with connect(server.dsn(dbname)) as conn:
            public = conn.execute(
                "SELECT pg_get_userbyid(nspowner), nspacl::text[], "
                "obj_description(oid, 'pg_namespace') FROM pg_namespace "
                "WHERE nspname = 'public'").fetchone()
            for (name,) in conn.execute(
                    "SELECT evtname FROM pg_event_trigger").fetchall():
                conn.execute(sql.SQL("DROP EVENT TRIGGER {}").format(sql.Identifier(name)))
            for (name,) in conn.execute("SELECT pubname FROM pg_publication").fetchall():
                conn.execute(sql.SQL("DROP PUBLICATION {}").format(sql.Identifier(name)))
            conn.execute("SELECT lo_unlink(oid) FROM pg_largeobject_metadata")
            for (name,) in conn.execute(
                    "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'").fetchall():
                conn.execute(sql.SQL("DROP EXTENSION {} CASCADE").format(sql.Identifier(name)))
            for (name,) in conn.execute(
                    f"SELECT n.nspname FROM pg_namespace n WHERE {USER}").fetchall():
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))
            for name in sorted(added):
                conn.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(name)))
            # Default privileges the replay gave existing roles: back to the built-in ones.
            kinds = {"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES",
                     "n": "SCHEMAS"}
            for role, kind, grantees in conn.execute(
                "SELECT pg_get_userbyid(defaclrole), defaclobjtype, ARRAY(SELECT DISTINCT "
                "CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END "
                "FROM aclexplode(defaclacl) x) FROM pg_default_acl "
                "WHERE defaclnamespace = 0").fetchall():
                what = sql.SQL(kinds.get(kind, "TABLES"))
                head = sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} ").format(
                    sql.Identifier(role))
                for grantee in [*grantees, "PUBLIC"]:
                    target = sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee)
                    conn.execute(head + sql.SQL("REVOKE ALL ON {} FROM {}").format(what, target))
                conn.execute(head + sql.SQL("GRANT ALL ON {} TO {}").format(
                    what, sql.Identifier(role)))
                if kind in ("f", "T"):
                    conn.execute(head + sql.SQL("GRANT {} ON {} TO PUBLIC").format(
                        sql.SQL("EXECUTE" if kind == "f" else "USAGE"), what))
            conn.execute(sql.SQL("CREATE SCHEMA public"))
            if public is not None:
                owner, acl, comment = public
                self._restore_public(conn, owner, acl or [], comment)
        state = self._database_state()
        if state != self._empty_state:
            raise EnvironmentProblem(
                f"database {dbname} on {server.where} could not be emptied after the replay; "
                f"what is left:\n{state}")

    @staticmethod
    def _restore_public(conn: Any, owner: str, acl: list[str], comment: str | None) -> None:
        from psycopg import sql

        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        letters = {"U": "USAGE", "C": "CREATE"}
        for item in acl:
            grantee, _, rest = item.partition("=")
            privileges = rest.split("/", 1)[0]
            target = sql.SQL("PUBLIC") if grantee == "" else sql.Identifier(grantee.strip('"'))
            for i, letter in enumerate(privileges):
                if letter not in letters:
                    continue
                option = i + 1 < len(privileges) and privileges[i + 1] == "*"
                conn.execute(sql.SQL("GRANT {} ON SCHEMA public TO {}{}").format(
                    sql.SQL(letters[letter]), target,
                    sql.SQL(" WITH GRANT OPTION") if option else sql.SQL("")))
        conn.execute(sql.SQL("COMMENT ON SCHEMA public IS {}").format(
            sql.Literal(comment)))

    def close(self) -> None:
        """Nothing stays open between builds."""


# ---------------------------------------------------------------------------------------------
# The search order


def choose_engine(dsn: str | None = None, *, progress: Progress | None = None,
                  reuse: bool = False) -> Engine:
    """The engine to verify on: ``dsn`` when given; else throwaway clusters from the local
    server binaries; else from a pip-installed server; else an :class:`EnvironmentProblem`."""
    if dsn:
        return DsnEngine(dsn, progress=progress)
    bin_dir, origin = locate_server()
    return ClusterEngine(bin_dir, reuse=reuse, origin=origin, progress=progress)
