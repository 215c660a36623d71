"""``schemafold config [SRC]``: the effective settings, and where each came from."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from schemafold.cli.common import SOURCE_FORMATS, add_config_argument

EPILOG = """\
Each setting comes from a flag, else the settings file (schemafold.toml, or [tool.schemafold] in
pyproject.toml, the first found walking up from SRC or the working folder), else its default.

examples:
  schemafold config
  schemafold config migrations/ --layout by-origin
  schemafold config --format json
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "config", help="the effective settings, and where each came from",
        description="Print the settings the other commands would use here: the source, its "
        "format, setup files, search_path, layout, naming, data policy and server, each "
        "with where it came from (a flag, the settings file, an environment variable, the "
        "default). Nothing is read but the settings file.", epilog=EPILOG)
    parser.add_argument("src", metavar="SRC", type=Path, nargs="?",
                        help="the migrations folder (default: the settings file's source)")
    parser.add_argument("--source-format", choices=SOURCE_FORMATS, default=None,
                        help="as for squash: the migration tool SRC follows")
    parser.add_argument("--setup", action="append", type=Path, default=[], metavar="FILE",
                        help="as for squash: SQL the history assumes exists (repeatable)")
    parser.add_argument("--search-path", default=None, metavar="SCHEMAS",
                        help="as for squash: the search_path the history runs under")
    parser.add_argument("--layout", default=None, metavar="FILE|single|by-origin",
                        help="as for squash: how to split the consolidation into files")
    parser.add_argument("--naming", choices=SOURCE_FORMATS, default=None,
                        help="as for squash: the tool whose file names to write")
    parser.add_argument("--data", choices=("keep", "drop", "separate"), default=None,
                        help="as for squash: what to do with the rows")
    parser.add_argument("--dsn", default=None, metavar="DSN",
                        help="as for verify: the server to verify on")
    add_config_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="a table (text, the default) or a JSON object")
    parser.set_defaults(handler=run)


def _shown(key: str, value: Any) -> Any:
    """A value as printed: paths as text, a password in a DSN hidden."""
    if isinstance(value, list):
        return [_shown(key, v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if key == "dsn" and isinstance(value, str):
        value = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", value)
        return re.sub(r"(password\s*=\s*)\S+", r"\1***", value)
    return value


def run(args: argparse.Namespace) -> int:
    settings = args.settings
    if args.format == "json":
        print(json.dumps({key: {"value": _shown(key, s.value), "from": s.origin}
                          for key, s in settings.items()}, indent=2))
        return 0
    rows = []
    for key, setting in settings.items():
        value = _shown(key, setting.value)
        if isinstance(value, list):
            text = ", ".join(value) if value else "(none)"
        elif value is None:
            text = {"source_format": "(detected)", "naming": "(the source's)",
                    "dsn": "(throwaway clusters)", "source": "(none)"}.get(key, "(none)")
        else:
            text = str(value)
        rows.append((key, text, setting.origin))
    width = max(len(k) for k, _, _ in rows)
    value_width = max(len(v) for _, v, _ in rows)
    for key, text, origin in rows:
        print(f"{key.ljust(width)}  {text.ljust(value_width)}  {origin}")
    return 0
