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

from schemafold.errors import InputError, SchemafoldError
from schemafold.progress import Progress
from schemafold.settings import Setting
from schemafold.sources import SOURCE_FORMATS


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
                          src_optional: bool = True) -> None:
    """SRC and the flags that say how to read and fold it (``until=False``: no ``--until``,
    for a command that takes the version as an argument). With ``src_optional`` SRC may come
    from the settings file's ``source``."""
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
    add_config_argument(parser)


#: argparse destinations the settings file can fill, and the setting each stands for.
SETTING_OF = {"src": "source", "history": "source", "source_format": "source_format",
              "setup": "setup", "search_path": "search_path", "layout": "layout",
              "naming": "naming", "data": "data", "dsn": "dsn"}


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
        if not path.exists():
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
