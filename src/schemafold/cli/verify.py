"""``schemafold verify HISTORY CONSOLIDATION``: replay both, compare per the equality contract.

Also what ``squash --verify`` uses: the server flags (``--dsn``, ``--role``) and verifying a
consolidation in a temporary folder before it is written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemafold.cli.common import (
    SOURCE_FORMATS,
    add_config_argument,
    define,
    progress_printer,
    search_path,
)
from schemafold.errors import SchemafoldError

if TYPE_CHECKING:
    from schemafold.verify.run import VerifyResult
    from schemafold.verify.servers import Engine

EPILOG = """\
The server: --dsn when given (its database must be empty, or its role may CREATE DATABASE);
otherwise two throwaway clusters from the local server binaries (initdb, pg_ctl, postgres on
PATH, SCHEMAFOLD_PG_BIN, or /usr/lib/postgresql/*/bin); otherwise a PostgreSQL that pip
installed (pip install 'schemafold[server]').

examples:
  schemafold verify migrations/ squashed/
  schemafold verify migrations/ squashed/ --setup bootstrap.sql --role app
  schemafold verify migrations/ squashed/ --dsn postgresql://ci@localhost/scratch --format json

exit codes: 0 equal; 1 not equal (or the consolidation does not replay); 2 bad input (the
history does not replay: file and line); 3 environment (no server, a missing extension).
"""


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """``--dsn`` and ``--role``: where and as whom the sides replay."""
    parser.add_argument("--dsn", default=None, metavar="DSN",
                        help="verify on this server (libpq connection string or URI) instead "
                        "of throwaway clusters: its database must be empty, or its role may "
                        "create databases (each side then gets one, dropped afterwards)")
    parser.add_argument("--role", default=None, metavar="NAME",
                        help="replay both sides as this role, not as a superuser (created "
                        "with LOGIN in throwaway clusters, owning the database; with --dsn it "
                        "must exist)")
    parser.add_argument("--allow-outside-database", action="store_true",
                        help="with --dsn: run statements that act on the server beyond the "
                        "database being verified (CREATE/ALTER/DROP DATABASE, ALTER SYSTEM, "
                        "changes to roles that existed before, COPY ... PROGRAM or a server "
                        "file, tablespaces, subscriptions), which are otherwise refused before "
                        "anything runs (see docs/verify.md)")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "verify", help="replay a history and its consolidation, and compare the two",
        description="Replay HISTORY and CONSOLIDATION, each in a database on a server of its "
        "own, each file in one transaction unless its tool's marker says otherwise, and "
        "compare them by the equality contract: pg_dump --schema-only with owners and "
        "privileges, roles, every table's rows (volatile-default columns masked and named), "
        "sequences. Prints what differs, object by object and as a diff, and a metrics table "
        "of both sides.",
        epilog=EPILOG)
    parser.add_argument("history", metavar="HISTORY", type=Path,
                        help="the migrations folder (or one .sql file)")
    parser.add_argument("consolidation", metavar="CONSOLIDATION", type=Path,
                        help="the consolidation folder (or one .sql file)")
    parser.add_argument("--source-format", choices=SOURCE_FORMATS, default=None,
                        help="the migration tool HISTORY follows (default: detected)")
    parser.add_argument("--define", action="append", type=define, default=[],
                        metavar="KEY=VALUE",
                        help="a placeholder value in HISTORY: Flyway ${KEY}, goose ENVSUB "
                        "(repeatable)")
    parser.add_argument("--setup", action="append", type=Path, default=[], metavar="FILE",
                        help="SQL replayed first on both sides, as the superuser: what the "
                        "history assumes exists (repeatable)")
    parser.add_argument("--search-path", default=None, metavar="SCHEMAS",
                        help="the search_path both sides replay under (default: the server's)")
    add_server_arguments(parser)
    add_config_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="the report's format (default: text)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from schemafold.verify.run import verify

    result = verify(
        args.history, args.consolidation, dsn=args.dsn, setup=args.setup,
        source_format=args.source_format, defines=dict(args.define), role=args.role,
        search_path=search_path(args.search_path) if args.search_path else None,
        progress=progress_printer(), allow_outside_database=args.allow_outside_database,
    )
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2))
    else:
        sys.stdout.write(result.text())
    return result.exit_code


def early_engine(args: argparse.Namespace) -> Engine | None:
    """``squash --verify`` without ``--dsn``: the throwaway cluster, starting while the history
    is folded; None when there is no server (``verify`` says so after folding, as before)."""
    if args.dsn:
        return None
    from schemafold.errors import EnvironmentProblem
    from schemafold.verify.servers import ClusterEngine, choose_engine

    try:
        engine = choose_engine(None, progress=progress_printer())
    except EnvironmentProblem:
        return None
    if isinstance(engine, ClusterEngine):
        engine.start_early()
    return engine


def verify_before_writing(args: argparse.Namespace, files: Sequence[tuple[str, str]],
                          naming: str | None, *, engine: Engine | None = None
                          ) -> tuple[VerifyResult, str]:
    """``squash --verify``: verify ``files`` (written to a temporary folder) against the
    history ``args.src``; (the result, its report)."""
    from schemafold.output import write_folder_atomically
    from schemafold.verify.run import verify

    scratch = Path(tempfile.mkdtemp(prefix="schemafold-verify-"))
    candidate = scratch / "consolidation"
    try:
        write_folder_atomically(candidate, files)
        result = verify(
            args.src, candidate, dsn=args.dsn, setup=args.setup,
            source_format=args.source_format, consolidation_format=naming,
            defines=dict(getattr(args, "define", []) or []), role=args.role,
            search_path=_session_search_path(args.search_path),
            progress=progress_printer(), engine=engine,
            allow_outside_database=getattr(args, "allow_outside_database", False),
        )
    except SchemafoldError as error:  # the scratch folder is no name the user knows
        error.message = error.message.replace(str(candidate), "the consolidation")
        if error.file is not None:
            error.file = error.file.replace(str(candidate), "the consolidation")
        error.args = (error.message,)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = result.text().replace(str(candidate), "the consolidation")
    return result, report


def _session_search_path(text: str | None) -> tuple[str, ...] | None:
    """The search_path ``squash --verify`` sets on each session: none for the default (the
    server's own), so that a history's ``ALTER DATABASE ... SET search_path`` reaches its later
    files as it does under a migration tool."""
    from schemafold.api import DEFAULT_SEARCH_PATH

    if not text:
        return None
    schemas = search_path(text)
    return None if schemas == DEFAULT_SEARCH_PATH else schemas
