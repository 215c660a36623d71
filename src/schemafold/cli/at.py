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
from schemafold.errors import InputError

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
    from schemafold.api import fold
    from schemafold.render.postgres import render_schema
    from schemafold.sources import read_history

    options = {**history_options(args), "until": args.version}
    try:
        history = read_history(args.src, **options)
    except InputError as error:  # the sources say --until; here it is VERSION
        if error.message.startswith("--until "):
            error.message = "VERSION " + error.message[len("--until "):]
        raise
    result = fold(history, setup=args.setup, search_path=search_path(args.search_path),
                  progress=progress_printer())
    if args.format == "json":
        print(json.dumps(as_json(args.version, len(history.migrations), result.schema),
                         indent=2))
    else:
        print(render_schema(result.schema), end="")
    return report_warnings(result.warnings, args)


def as_json(version: str, migrations: int, schema: Any) -> dict[str, Any]:
    """The schema as of ``version``: its objects in creation order, each with its statements."""
    from schemafold.lineage import describe_key
    from schemafold.render.postgres import render_statements

    objects: dict[str, dict[str, Any]] = {}
    for phase, key, sql in render_statements(schema):
        owner = key[1] if key and key[0] == "fk" and isinstance(key[1], tuple) else key
        name = describe_key(owner) if owner and owner[0] != "kept" else "kept statements"
        entry = objects.setdefault(name, {"object": name, "kind": str(owner[0]) if owner
                                          else "", "statements": []})
        entry["statements"].append({"phase": phase, "sql": sql})
    return {"version": version, "migrations": migrations, "objects": list(objects.values())}
