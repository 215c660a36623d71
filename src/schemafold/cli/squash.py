"""``schemafold squash SRC --out DIR``: fold and write the consolidation."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from schemafold.cli.common import (
    add_history_arguments,
    refuse_inside_source,
    report_warnings,
    search_path,
    write_folder_atomically,
)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "squash", help="fold and write the consolidation",
        description="Fold the history into its net schema and write it into a new folder: "
        "every object created once, with its final definition, in dependency order; nothing "
        "created and then dropped. The folder is written atomically; the source folder is "
        "never written to.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_history_arguments(parser)
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="the folder to write (must not exist inside SRC)")
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from schemafold.api import fold
    from schemafold.render.postgres import render_schema

    refuse_inside_source(args.out, args.src)
    result = fold(args.src, setup=args.setup, search_path=search_path(args.search_path),
                  source_format=args.source_format)
    text = render_schema(result.schema)
    write_folder_atomically(args.out, [("0001_schema.sql", text)], force=args.force)
    kept = sum(1 for entry in result.ledger if entry.outcome == "kept-verbatim")
    print(f"folded {len(result.ledger)} statements into {args.out / '0001_schema.sql'} "
          f"({len(result.schema.objects)} objects, {kept} statements kept verbatim)")
    return report_warnings(result.warnings, args.strict)
