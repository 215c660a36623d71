"""``schemafold blame SRC OBJECT``: every statement of the history that touched an object."""

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
OBJECT is a name as the history ends up calling it, optionally qualified by its schema, its
table (for a column or trigger) and a kind:
  users                     the table (or view, type, function...) named users
  users.email               the column email of users
  public.users              users in schema public
  function:touch_updated    only functions
  trigger:users.audit       the trigger audit on users

examples:
  schemafold blame migrations/ users
  schemafold blame migrations/ users.email --format json
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "blame", help="every statement of the history that touched an object",
        description="Fold the history and list, in history order, each statement that "
        "created, altered, renamed, commented on, granted on, filled or dropped OBJECT, with "
        "its file and line. A table's list includes what happened to its columns. Objects "
        "dropped along the way can be named too.",
        epilog=EPILOG)
    add_history_arguments(parser, src_optional=False)
    parser.add_argument("object", metavar="OBJECT", help="the object (see below)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from schemafold.blame import blame

    found = blame(args.src, args.object, setup=args.setup,
                  search_path=search_path(args.search_path), progress=progress_printer(),
                  **history_options(args))
    if args.format == "json":
        print(json.dumps(found.to_dict(), indent=2))
    else:
        print(found.text(), end="")
    return report_warnings(found.warnings, args)
