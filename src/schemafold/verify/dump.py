"""The client tools: ``pg_dump`` of a database's schema and ``pg_dumpall`` of its roles.

Owns: finding a client tool beside the server's binaries, the connection string given to
them, running them.

Must not know: replay, snapshots, the fold.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from schemafold.errors import EnvironmentProblem
from schemafold.verify.cluster import Server, _clean_env

__all__ = [
    "dump_roles",
    "dump_schema",
]


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


#: A SCRAM secret as pg_dumpall writes it (``SCRAM-SHA-256$<iterations>:<salt>$<stored
#: key>:<server key>``, RFC 5803): its salt is random, so one password set twice gives two
#: secrets
_SCRAM_SECRET = re.compile(r"PASSWORD 'SCRAM-SHA-256\$(\d+):[A-Za-z0-9+/=]+\$"
                           r"[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+'")


def dump_roles(server: Server) -> str:
    """``pg_dumpall --roles-only`` of the server (role attributes, memberships, settings);
    without passwords where the connecting role may not read them. A SCRAM secret shows its
    method and iteration count only: ``CREATE ROLE r PASSWORD 'x'`` replayed twice stores two
    secrets (each with a fresh random salt), which no comparison could tell from two
    passwords; an MD5 one (the same for the same role and password) is kept whole."""
    dsn, env = client_connection(server.dsn(server.maintenance_db))
    flags = [] if server.superuser else ["--no-role-passwords"]
    dumped = _run_client(
        [str(_client_tool(server, "pg_dumpall")), "--roles-only", *flags, "--dbname", dsn],
        "pg_dumpall --roles-only",
        env,
    )
    return _SCRAM_SECRET.sub(r"PASSWORD 'SCRAM-SHA-256$\1:(a salted secret)'", dumped)
