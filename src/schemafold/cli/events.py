"""``schemafold events SRC``: the parsed events with provenance."""

from __future__ import annotations

import argparse
import json
from typing import Any

from schemafold.cli.common import (
    add_history_arguments,
    history_options,
    progress_printer,
    report_warnings,
)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "events", help="the parsed events of a history, each with its file and line",
        description="Print the events each statement of the history translates to, with the "
        "file and line it came from. Statements kept verbatim are listed as 'opaque'.")
    add_history_arguments(parser, cache=False)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from schemafold.api import events

    parsed = events(args.src, **history_options(args), progress=progress_printer())
    if args.format == "json":
        payload = [event.to_dict() for event in parsed.events]
        print(json.dumps(payload, indent=2, default=str, sort_keys=True))
    else:
        for event in parsed.events:
            print(f"{event.origin.where()}\t{event.family}\t{event.describe()}")
    return report_warnings(parsed.warnings, args)
