"""The ``schemafold`` command line.

Owns: arguments, output formats, exit codes (0 ok, 1 differ or warnings under ``--strict``, 2 bad
input or usage, 3 environment), one-line errors with no traceback, and writing output folders
atomically (never into the source folder).

Must not know: how anything is parsed, folded or rendered (it calls the library).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from schemafold import __version__
from schemafold.errors import SchemafoldError

DESCRIPTION = """\
Fold a history of SQL migrations into its net schema, and consolidate ("squash") it into a clean
set of files that builds exactly the same database.

commands:
  events    the parsed events of a history, with file and line of every statement
  squash    fold a history and write the consolidation into a new folder

Run 'schemafold COMMAND --help' for a command's options.
"""

EPILOG = """\
examples:
  schemafold events migrations/
  schemafold squash migrations/ --out squashed/
  schemafold squash migrations/ --out squashed/ --setup bootstrap.sql --search-path app,public

exit codes: 0 ok; 1 warnings under --strict; 2 bad input or usage; 3 environment (no server).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, as the contract says
        self.exit(2, f"schemafold: error: {message}\n")


def _shared(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", type=Path,
                        help="the migrations folder (or one .sql file)")
    parser.add_argument("--source-format", choices=("sqlx", "plain"), default=None,
                        help="the migration tool's layout (default: detected)")
    parser.add_argument("--setup", action="append", type=Path, default=[], metavar="FILE",
                        help="SQL the history assumes exists (schemas, roles, platform tables): "
                        "folded first as external objects, never emitted (repeatable)")
    parser.add_argument("--search-path", default="$user,public", metavar="SCHEMAS",
                        help="the search_path the history runs under (default: $user,public)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors (exit 1)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="schemafold", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"schemafold {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    events = commands.add_parser(
        "events", help="the parsed events with provenance",
        description="Print the events each statement of the history translates to, with the "
        "file and line it came from. Statements kept verbatim are listed as 'opaque'.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _shared(events)
    events.add_argument("--format", choices=("text", "json"), default="text")

    squash = commands.add_parser(
        "squash", help="fold and write the consolidation",
        description="Fold the history into its net schema and write it into a new folder: "
        "every object created once, with its final definition, in dependency order; nothing "
        "created and then dropped. The folder is written atomically; the source folder is "
        "never written to.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _shared(squash)
    squash.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="the folder to write (must not exist inside SRC)")
    squash.add_argument("--force", action="store_true", help="replace DIR if it exists")
    return parser


def _search_path(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _warn(warnings: Sequence[object], strict: bool) -> int:
    for warning in warnings:
        print(str(warning), file=sys.stderr)
    return 1 if strict and warnings else 0


def _describe_event(event: Any) -> dict[str, Any]:
    data = attrs.asdict(event, recurse=True, filter=lambda a, _: a.name != "origin")
    return {"kind": type(event).__name__, "family": event.family, "file": event.origin.file,
            "line": event.origin.line, "describe": event.describe(), "fields": data}


def cmd_events(args: argparse.Namespace) -> int:
    from schemafold.api import parse

    parsed = parse(args.src, source_format=args.source_format)
    if args.format == "json":
        payload = [_describe_event(e) for e in parsed.events]
        print(json.dumps(payload, indent=2, default=str, sort_keys=True))
    else:
        for event in parsed.events:
            print(f"{event.origin.where()}\t{event.family}\t{event.describe()}")
    return _warn(parsed.warnings, args.strict)


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def write_folder_atomically(out: Path, files: Sequence[tuple[str, str]], *,
                            force: bool = False) -> None:
    """Write ``files`` into a fresh sibling folder, then move it into place in one rename."""
    if out.exists() and not force:
        raise SchemafoldError(f"{out} exists (use --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, text in files:
            (staging / name).write_text(text, encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def cmd_squash(args: argparse.Namespace) -> int:
    from schemafold.api import fold
    from schemafold.render.postgres import render_schema

    source = args.src
    if _inside(args.out, source if source.is_dir() else source.parent) or _inside(source, args.out):
        raise SchemafoldError(f"refusing to write {args.out}: it is inside {source} (or contains "
                              "it); schemafold never writes into the source folder")
    result = fold(source, setup=args.setup, search_path=_search_path(args.search_path),
                  source_format=args.source_format)
    text = render_schema(result.schema)
    write_folder_atomically(args.out, [("0001_schema.sql", text)], force=args.force)
    kept = sum(1 for entry in result.ledger if entry.outcome == "kept-verbatim")
    print(f"folded {len(result.ledger)} statements into {args.out / '0001_schema.sql'} "
          f"({len(result.schema.objects)} objects, {kept} statements kept verbatim)")
    return _warn(result.warnings, args.strict)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        handler = {"events": cmd_events, "squash": cmd_squash}[args.command]
        return handler(args)
    except SchemafoldError as error:
        print(f"schemafold: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("schemafold: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
