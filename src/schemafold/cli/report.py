"""``schemafold report SRC``: the consolidation analysis, written from the fold."""

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
from schemafold.cli.plan import add_layout_argument

EPILOG = """\
examples:
  schemafold report migrations/ > CONSOLIDATION.md
  schemafold report migrations/ --layout layout.toml --format json | jq '.created_then_dropped'
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "report", help="what the history did: churn, dead ends, no-ops, counts",
        description="Fold the history and write the analysis a team does by hand before "
        "squashing: counts before and after; every object created and later dropped (with "
        "what went with it); what was added to a table later; what was replaced, recreated "
        "or re-commented, step by step; rows inserted and then wiped; statements without "
        "effect on a fresh database; statements kept verbatim and where folding stopped; and "
        "the files of the consolidation under --layout. Every finding names file and line. "
        "No database is used.",
        epilog=EPILOG)
    add_history_arguments(parser)
    add_layout_argument(parser)
    parser.add_argument("--format", choices=("md", "json"), default="md",
                        help="Markdown (the default) or JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from schemafold.api import report

    found = report(args.src, setup=args.setup, search_path=search_path(args.search_path),
                   layout=args.layout, progress=progress_printer(), **history_options(args))
    if args.format == "json":
        print(json.dumps(found.to_dict(), indent=2))
    else:
        print(found.markdown(), end="")
    return report_warnings(found.warnings, args)
