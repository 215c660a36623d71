"""``schemafold graph SRC``: an entity-relationship diagram of the net schema."""

from __future__ import annotations

import argparse
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
  schemafold graph migrations/ > schema.mmd
  schemafold graph migrations/ --format dot | dot -Tsvg -o schema.svg
  schemafold graph migrations/ --until 0040
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "graph", help="an entity-relationship diagram of the net schema",
        description="Fold the history and draw the tables it leaves and the foreign keys "
        "between them: a Mermaid erDiagram (the default; GitHub and GitLab render it in "
        "Markdown) or a Graphviz digraph. Columns show their type and PK, FK, UK marks; a "
        "relationship is optional where the referencing columns may be NULL.",
        epilog=EPILOG)
    add_history_arguments(parser)
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid",
                        help="mermaid (the default) or dot (Graphviz)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from schemafold.api import fold
    from schemafold.diagram import dot, mermaid

    result = fold(args.src, setup=args.setup, search_path=search_path(args.search_path),
                  progress=progress_printer(),
                  **history_options(args))
    print((dot if args.format == "dot" else mermaid)(result.schema), end="")
    return report_warnings(result.warnings, args)
