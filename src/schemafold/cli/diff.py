"""``schemafold diff SRC --dsn URL``: drift between a live database and the history."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from schemafold.cli.common import add_history_arguments, history_options, progress_printer

EPILOG = """\
The history is built on a throwaway PostgreSQL (local server binaries, or a pip-installed
server), replayed as the --dsn connection's role so that owners compare, and its pg_dump
--schema-only is compared with the live database's, object by object, with owners and
privileges. The migration tool's own table (schema_migrations, _sqlx_migrations,
_prisma_migrations, flyway_schema_history...) is left out; rows, sequence positions and roles
are not compared, and the output says so.

examples:
  schemafold diff migrations/ --dsn postgresql://app@db.internal/app
  schemafold diff migrations/ --dsn "$DATABASE_URL" --until 0042 --format json

exit codes: 0 no drift; 1 drift (each differing object named); 2 bad input (the history does not
replay: file and line); 3 environment (no server, a missing extension).
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "diff", help="drift between a live database and the history (exit 1 on drift)",
        description="Check a live database for drift: build the history (up to --until) on a "
        "throwaway server and compare its schema with the database's, object by object -- "
        "what the history builds that the database lacks, what the database has that the "
        "history never built, and what differs. Like Atlas's schema drift check or Django's "
        "makemigrations --check, for CI: exit 1 on drift. Nothing is written to the database.",
        epilog=EPILOG)
    add_history_arguments(parser, cache=False)
    parser.add_argument("--dsn", required=True, metavar="URL",
                        help="the live database (libpq connection string or URI); only read")
    parser.add_argument("--role", default=None, metavar="NAME",
                        help="replay the history as this role (default: the --dsn "
                        "connection's role, unless it is postgres)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="the report's format (default: text)")
    parser.set_defaults(handler=run)


def history_search_path(text: str) -> tuple[str, ...] | None:
    """The search_path the replay's sessions set: none for the default (the server's own)."""
    from schemafold.api import DEFAULT_SEARCH_PATH
    from schemafold.cli.common import search_path

    schemas = search_path(text)
    return None if schemas == DEFAULT_SEARCH_PATH else schemas


def run(args: argparse.Namespace) -> int:
    from schemafold.bookkeeping import BOOKKEEPING
    from schemafold.live import drift
    from schemafold.sources import read_history

    history = read_history(args.src, **history_options(args))
    table = BOOKKEEPING[history.format].table if history.format in BOOKKEEPING else None
    also = BOOKKEEPING[history.format].also if history.format in BOOKKEEPING else ()
    upto = f" up to {args.until}" if args.until else ""
    result = drift(history, args.dsn, table=table, also=also, setup=args.setup,
                   search_path=history_search_path(args.search_path), role=args.role,
                   label=f"{args.src}{upto} ({len(history.migrations)} {history.format} "
                   "file(s))", progress=progress_printer())
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2))
    else:
        sys.stdout.write(result.text())
    return 0 if result.equal else 1
