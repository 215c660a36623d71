"""What the commands share: the parser class, shared flags, warnings, atomic folder output."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from schemafold.errors import SchemafoldError
from schemafold.progress import Progress

#: ``schemafold.sources.SOURCE_FORMATS``, written out so that building the parser (``--help``,
#: ``--version``) does not import the readers; tests/test_cli_startup.py checks they agree.
SOURCE_FORMATS = ("sqlx", "golang-migrate", "goose", "dbmate", "flyway", "diesel", "prisma",
                  "postgres-migrations", "plain")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps descriptions and epilogs as written (examples, lists), except that a paragraph
    written as one long line is wrapped to the terminal's width."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if "\n" not in paragraph.strip() and len(paragraph) > width:
                paragraph = textwrap.fill(paragraph, width, initial_indent=indent,
                                          subsequent_indent=indent)
            paragraphs.append(paragraph)
        return super()._fill_text("\n\n".join(paragraphs), width, indent)


class Parser(argparse.ArgumentParser):
    """schemafold's parser: one-line errors, and help that keeps examples as written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:  # one line, exit 2, as the contract says
        self.exit(2, f"schemafold: error: {message}\n")


def add_history_arguments(parser: argparse.ArgumentParser, *, until: bool = True) -> None:
    """SRC and the flags that say how to read and fold it (``until=False``: no ``--until``,
    for a command that takes the version as an argument)."""
    parser.add_argument("src", metavar="SRC", type=Path,
                        help="the migrations folder (or one .sql file)")
    parser.add_argument("--source-format", choices=SOURCE_FORMATS, default=None,
                        help="the migration tool whose naming and markers SRC follows "
                        "(default: detected from the folder; see docs/sources.md)")
    parser.add_argument("--define", action="append", type=define, default=[],
                        metavar="KEY=VALUE",
                        help="a placeholder value: Flyway ${KEY}, goose ENVSUB (repeatable)")
    if until:
        parser.add_argument("--until", metavar="VERSION", default=None,
                            help="read the history up to and including this version only")
    parser.add_argument("--setup", action="append", type=Path, default=[], metavar="FILE",
                        help="SQL the history assumes exists (schemas, roles, platform tables): "
                        "folded first as external objects, never emitted (repeatable)")
    parser.add_argument("--search-path", default="$user,public", metavar="SCHEMAS",
                        help="the search_path the history runs under (default: $user,public)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors (exit 1); files sharing a version are "
                        "then refused (exit 2)")


def define(text: str) -> tuple[str, str]:
    """One ``--define KEY=VALUE``."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def history_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments ``api.fold``/``api.parse`` take from the history flags."""
    return {"source_format": args.source_format, "defines": dict(args.define),
            "until": getattr(args, "until", None), "strict": args.strict}


def progress_printer() -> Progress | None:
    """Progress lines on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def say(text: str) -> None:
        print(f"schemafold: {text}", file=sys.stderr, flush=True)

    return say


def search_path(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def report_warnings(warnings: Sequence[object], strict: bool) -> int:
    """Print warnings to stderr; the exit code they mean (1 under ``--strict``)."""
    for warning in warnings:
        print(str(warning), file=sys.stderr)
    return 1 if strict and warnings else 0


def inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def refuse_inside_source(out: Path, source: Path) -> None:
    """The contract: DIR inside SRC, or SRC inside DIR, is refused."""
    root = source if source.is_dir() else source.parent
    if inside(out, root) or inside(source, out):
        raise SchemafoldError(f"refusing to write {out}: it is inside {source} (or contains "
                              "it); schemafold never writes into the source folder")


def write_folder_atomically(out: Path, files: Sequence[tuple[str, str]], *,
                            force: bool = False) -> None:
    """Write ``files`` into a fresh sibling folder, then move it into place in one rename."""
    if out.exists() and not force:
        raise SchemafoldError(f"{out} exists (use --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        # mkdtemp makes the folder private (0700); the output is an ordinary folder
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        for name, text in files:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
