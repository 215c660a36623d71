"""What the commands share: the parser class, shared flags, warnings, atomic folder output."""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemafold.errors import InputError, SchemafoldError
from schemafold.progress import Progress

if TYPE_CHECKING:
    from schemafold.settings import Setting

#: ``schemafold.sources.SOURCE_FORMATS``, written out so that building the parser (``--help``,
#: ``--version``) does not import the readers; tests/test_cli_startup.py checks they agree.
SOURCE_FORMATS = ("sqlx", "golang-migrate", "goose", "dbmate", "flyway", "diesel", "prisma",
                  "postgres-migrations", "drizzle", "supabase", "atlas", "liquibase",
                  "sql-migrate", "tern", "plain")


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


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """``--config FILE``; marks the command as one that reads the settings file."""
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="the settings file (schemafold.toml, or a pyproject.toml's "
                        "[tool.schemafold]); default: the first found walking up from SRC, "
                        "or from the working folder (see docs/config.md)")
    parser.set_defaults(configurable=True)


def add_history_arguments(parser: argparse.ArgumentParser, *, until: bool = True,
                          src_optional: bool = True, cache: bool = True) -> None:
    """SRC and the flags that say how to read and fold it (``until=False``: no ``--until``,
    for a command that takes the version as an argument). With ``src_optional`` SRC may come
    from the settings file's ``source``; with ``cache``, ``--no-cache`` and ``--cache-dir``
    (a command that folds)."""
    parser.add_argument("src", metavar="SRC", type=Path, nargs="?" if src_optional else None,
                        help="the migrations folder (or one .sql file)"
                        + ("; default: the settings file's source" if src_optional else ""))
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
    parser.add_argument("--search-path", default=None, metavar="SCHEMAS",
                        help="the search_path the history runs under (default: $user,public)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors (exit 1); files sharing a version are "
                        "then refused (exit 2)")
    if cache:
        add_cache_arguments(parser)
    add_verbosity_arguments(parser)
    add_config_argument(parser)


def add_cache_arguments(parser: argparse.ArgumentParser) -> None:
    """``--no-cache`` and ``--cache-dir DIR`` (docs/cache.md)."""
    parser.add_argument("--no-cache", dest="cache", action="store_const", const=False,
                        default=None,
                        help="fold the whole history, without reading or writing the "
                        "incremental cache (settings file: cache = false; see docs/cache.md)")
    parser.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                        help="the incremental cache's folder (default: $SCHEMAFOLD_CACHE_DIR, "
                        "else $XDG_CACHE_HOME/schemafold or ~/.cache/schemafold; "
                        "~/Library/Caches/schemafold on macOS, %%LOCALAPPDATA%%\\schemafold"
                        "\\Cache on Windows)")


def fold_cache(args: argparse.Namespace) -> Any:
    """The cache the command folds through (``schemafold.cache.FoldCache``), or None under
    ``--no-cache`` (or ``cache = false``) and for a command without the flags."""
    if not hasattr(args, "cache") or args.cache is False:
        return None
    from schemafold.cache import FoldCache

    return FoldCache(getattr(args, "cache_dir", None))


#: argparse destinations the settings file can fill, and the setting each stands for.
SETTING_OF = {"src": "source", "history": "source", "source_format": "source_format",
              "setup": "setup", "search_path": "search_path", "layout": "layout",
              "naming": "naming", "data": "data", "dsn": "dsn", "cache": "cache",
              "cache_dir": "cache_dir"}


def apply_settings(args: argparse.Namespace) -> dict[str, Setting]:
    """Fill the flags not given from the settings file, then the defaults; check that every
    path the command will read exists (before anything else happens). Returns the effective
    settings with where each came from."""
    from schemafold.settings import ConfigFile, effective, find_config, read_config

    dests = [d for d in SETTING_OF if hasattr(args, d)]
    positional = getattr(args, "src", None) or getattr(args, "history", None)
    explicit = getattr(args, "config", None)
    config: ConfigFile | None
    if explicit is not None:
        if not explicit.is_file():
            raise InputError(f"no such file: {explicit}")
        config = read_config(explicit)
    else:
        config = find_config(positional if positional is not None else Path.cwd())
    defaults = {"search_path": None} if args.command == "verify" else {}
    settings = effective({SETTING_OF[d]: getattr(args, d) for d in dests}, config,
                         tuple(SETTING_OF[d] for d in dests), defaults=defaults)
    for dest in dests:
        setattr(args, dest, settings[SETTING_OF[dest]].value)
    _check_paths(args, settings)
    return settings


def _check_paths(args: argparse.Namespace, settings: dict[str, Setting]) -> None:
    """Every path argument exists: 'no such folder: migratoins' (exit 2) before anything is
    read or written."""

    def where(key: str) -> str:
        origin = settings[key].origin if key in settings else "flag"
        return "" if origin in ("flag", "default") else f" ({key} in {origin})"

    def folder_or_file(path: Path, key: str) -> None:
        if not path.exists() and not path.is_symlink():  # a broken link: the reader says so
            kind = "file" if path.suffix.lower() == ".sql" else "folder"
            raise InputError(f"no such {kind}: {path}{where(key)}")

    for dest in ("src", "history"):
        if hasattr(args, dest):
            path = getattr(args, dest)
            if path is None:
                if args.command == "config":
                    continue
                raise InputError(f"no {'SRC' if dest == 'src' else 'HISTORY'} given, and no "
                                 "settings file names a source (see docs/config.md)")
            folder_or_file(path, "source")
    if getattr(args, "consolidation", None) is not None:
        folder_or_file(args.consolidation, "consolidation")
    for path in getattr(args, "setup", None) or ():
        if not path.is_file():
            raise InputError(f"no such file: {path}{where('setup')}")
    layout = getattr(args, "layout", None)
    if layout is not None and str(layout) not in ("single", "by-origin") and \
            not Path(layout).is_file():
        raise InputError(f"no such file: {layout}{where('layout')} (--layout takes a TOML "
                         "file, single or by-origin)")


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


#: How many places each kind of warning shows without --verbose.
FIRST_PLACES = 3


def add_verbosity_arguments(parser: argparse.ArgumentParser) -> None:
    """``-v`` (every warning) and ``-q`` (errors only)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-v", "--verbose", action="store_true",
                       help="list every warning (default: the warnings grouped by kind, the "
                       f"first {FIRST_PLACES} of each, after the summary)")
    group.add_argument("-q", "--quiet", action="store_true",
                       help="print errors only: no summary, no warnings (under --strict the "
                       "warnings are errors and are printed)")


def warning_kind(message: str) -> str:
    """What warnings of one kind share: the message without the names, numbers and
    parenthesised details that vary (``table "…" does not exist, skipping``), and the places
    it names (``because at 0002-schema.sql:9 ...`` reads ``because at … ...``)."""
    kind = re.sub(r'"[^"]*"', '"…"', message)
    kind = re.sub(r"[^\s():,]+\.\w+:\d+", "…", kind)
    kind = re.sub(r"'[^']*'", "'…'", kind)
    for _ in range(3):  # parentheses nest: innermost first
        kind = re.sub(r"\s*\([^()]*\)", "", kind)
    kind = re.sub(r"\d+", "N", kind)
    return " ".join(kind.split()).rstrip(":; ") or message


def colour(text: str, code: str, stream: Any = None) -> str:
    """``text`` in an ANSI colour when ``stream`` (stderr) is a terminal and ``NO_COLOR`` is not
    set (https://no-color.org); as it is otherwise."""
    stream = sys.stderr if stream is None else stream
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return text
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return text
    return f"\033[{code}m{text}\033[0m"


def _warning_line(warning: object) -> str:
    text = str(warning)
    return text.replace(": warning: ", ": " + colour("warning", "33") + ": ", 1)


def report_warnings(warnings: Sequence[object], args: argparse.Namespace) -> int:
    """Print warnings to stderr after the summary; the exit code they mean (1 under
    ``--strict``). Grouped by kind, each kind counted with its first places; every one with
    ``-v`` (and under ``--strict``, where they are errors); none with ``-q``."""
    strict = bool(getattr(args, "strict", False))
    if not warnings or (getattr(args, "quiet", False) and not strict):
        return 1 if strict and warnings else 0
    if getattr(args, "verbose", False) or strict:
        for warning in warnings:
            print(_warning_line(warning), file=sys.stderr)
        return 1 if strict else 0
    groups: dict[str, list[object]] = {}
    for warning in warnings:
        groups.setdefault(warning_kind(getattr(warning, "message", str(warning))),
                          []).append(warning)
    count = len(warnings)
    print(f"schemafold: {count} warning{'s' if count != 1 else ''} of {len(groups)} "
          f"kind{'s' if len(groups) != 1 else ''} (the first {FIRST_PLACES} of each; -v lists "
          "all, -q none):", file=sys.stderr)
    for kind, members in groups.items():
        print(f"  {len(members)} × {kind}", file=sys.stderr)
        for warning in members[:FIRST_PLACES]:
            print(f"    {_warning_line(warning)}", file=sys.stderr)
        if len(members) > FIRST_PLACES:
            print(f"    ... and {len(members) - FIRST_PLACES} more", file=sys.stderr)
    return 0


def inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def refuse_inside_source(out: Path, source: Path) -> None:
    """The contract: DIR inside SRC, or SRC inside DIR, is refused."""
    root = source if source.is_dir() else source.parent
    if inside(out, root) or inside(source, out):
        raise SchemafoldError(f"refusing to write {out}: it is inside {source} (or contains "
                              "it); schemafold never writes into the source folder")


def refuse_inputs_inside(out: Path, inputs: Sequence[Path]) -> None:
    """``--force`` replaces DIR as a whole: refuse when an input the command reads (a
    ``--setup`` file, a layout file) lives inside it, rather than delete it."""
    for path in inputs:
        if path.exists() and inside(path, out):
            raise SchemafoldError(f"refusing to write {out}: it holds {path}, which this "
                                  "command reads (and --force would delete)")


