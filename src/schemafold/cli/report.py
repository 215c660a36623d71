"""``schemafold report SRC``: the consolidation analysis, written from the fold."""

from __future__ import annotations

import argparse
import json
from typing import Any

from schemafold.cli.common import add_history_arguments, report_warnings
from schemafold.cli.plan import add_layout_argument, fold_and_plan

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
    from schemafold.report import build_report

    history, result, plan = fold_and_plan(args)
    report = build_report(history, result, plan, source=str(args.src))
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.markdown(), end="")
    return report_warnings(result.warnings, args)
