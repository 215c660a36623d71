"""``schemafold at SRC VERSION``: the net schema as of a version of the history."""

from __future__ import annotations

import argparse
import json
from typing import Any

from schemafold.cli.common import (
    add_history_arguments,
    history_options,
    progress_printer,
    report_warnings,
    search_path,
)

EPILOG = """\
examples:
  schemafold at migrations/ 20260120000002
  schemafold at migrations/ 0007 --format json
  schemafold at migrations/ 1.10 --source-format flyway > schema_at_1_10.sql
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "at", help="the net schema as of a version of the history",
        description="Fold the history up to and including VERSION and print the schema it "
        "has built by then: as one SQL script in pg_dump's phases (sql, the default), or as "
        "JSON listing each object with the statements that create it. No database is used.",
        epilog=EPILOG)
    add_history_arguments(parser, until=False, src_optional=False)
    parser.add_argument("version", metavar="VERSION",
                        help="the last migration to apply, as its tool writes versions "
                        "(sqlx 20260120000002, Flyway 1.10 or 1_10, plain 0007)")
    parser.add_argument("--format", choices=("sql", "json"), default="sql",
                        help="a SQL script (the default) or JSON, one entry per object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from schemafold.at import at

    options = history_options(args)
    del options["until"]
    found = at(args.src, args.version, setup=args.setup,
               search_path=search_path(args.search_path), progress=progress_printer(),
               **options)
    if args.format == "json":
        print(json.dumps(found.to_dict(), indent=2))
    else:
        print(found.sql(), end="")
    return report_warnings(found.warnings, args)
