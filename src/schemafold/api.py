"""The Python API: ``fold`` a history given as a folder, files or events; ``fold_sql`` text.

Owns: joining sources, parsing and folding with the environment options (setup files folded as
external objects, the initial ``search_path``), through the incremental cache when one is in
use (``schemafold.cache``). ``fold`` takes paths (``str`` or
``os.PathLike``), a history already read or events; ``fold_sql`` takes SQL text, and a string
given to ``fold`` that names no file and reads like SQL is a ``TypeError`` pointing there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.cache import CachedFold, current
from schemafold.collect import fewer_collections
from schemafold.errors import SchemaWarning
from schemafold.events import Event
from schemafold.fold import FoldResult, fold_events
from schemafold.parse import ParseResult, parse_migrations, parse_sql
from schemafold.progress import Progress
from schemafold.sources import History, Migration, read_history
from schemafold.tail import TailedFold, fold_with_tail

if TYPE_CHECKING:
    from schemafold.bookkeeping import Bookkeeping, Written
    from schemafold.consolidation import Consolidation
    from schemafold.files import FilePlan
    from schemafold.report import Report

DEFAULT_SEARCH_PATH = ("$user", "public")


def _setup_events(setup: Iterable[str | os.PathLike[str]]
                  ) -> tuple[list[Event], list[SchemaWarning]]:
    paths = [Path(p) for p in setup]
    if not paths:
        return [], []
    parsed = parse_migrations(read_history(paths).migrations)
    # what the setup holds exists where the consolidation runs: none of it is kept verbatim
    return list(parsed.events), [w for w in parsed.warnings
                                 if not w.message.startswith("kept verbatim (")]


def _cached(migrations: Sequence[Migration], setup: Iterable[str | os.PathLike[str]],
            setup_events: Sequence[Event], search_path: Sequence[str]) -> CachedFold | None:
    """The history's parse and fold through the cache in use, if one is."""
    cache = current()
    if cache is None:
        return None
    return CachedFold(cache, migrations, [Path(p) for p in setup], setup_events, search_path)


@fewer_collections()
def fold(
    source: History | str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
    | Iterable[Event],
    *,
    setup: Iterable[str | os.PathLike[str]] = (),
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    until: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> FoldResult:
    """Fold a migrations folder, a list of files (in apply order), a history already read
    (``schemafold.sources.read_history``) or a sequence of events.

    ``source_format``, ``defines``, ``until`` and ``strict`` say how to read the files (see
    ``schemafold.sources.read_history``). ``progress``, when given, hears a line now and then
    on a long history (``parsed files 1200/3000``, ``folded events 9000/17000``).
    """
    def read(target: Path | list[Path]) -> History:
        return read_history(target, source_format=source_format, defines=defines, until=until,
                            strict=strict)

    setup = list(setup)
    setup_events, setup_warnings = _setup_events(setup)
    history_warnings: tuple[SchemaWarning, ...] = ()
    history: History | None = None
    if isinstance(source, str):
        source = _path(source)
    if isinstance(source, (History, os.PathLike)):
        history = source if isinstance(source, History) else read(Path(source))
    else:
        items = [_path(i) if isinstance(i, str) else i for i in source]
        if items and all(isinstance(i, os.PathLike) for i in items):
            history = read([Path(i) for i in items])  # type: ignore[arg-type]
        elif all(isinstance(i, Event) for i in items):
            events: list[Event] = items  # type: ignore[assignment]
        else:
            raise TypeError("fold() takes a path, a list of paths or events; use fold_sql() "
                            "for SQL text")
    cached = None if history is None else _cached(history.migrations, setup, setup_events,
                                                  search_path)
    if history is not None:
        parsed = (cached.parse(progress) if cached is not None
                  else parse_migrations(history.migrations, progress=progress))
        if cached is None:
            events = list(parsed.events)  # through the cache, read only when asked
        history_warnings = history.warnings + parsed.warnings
    if cached is not None:
        result = cached.fold(len(cached.migrations), progress)
    else:
        result = fold_events(events, search_path=search_path, setup=setup_events,
                             progress=progress)
    warnings = (*setup_warnings, *_still_true(_still_kept(history_warnings, result), result),
                *result.warnings)
    return attrs.evolve(result, warnings=tuple(warnings))


def _path(text: str) -> Path:
    """A path given as a string; SQL text given where a path was expected is a TypeError."""
    if not Path(text).exists() and (";" in text or "\n" in text or " " in text.strip()):
        raise TypeError("fold() takes a path, a list of paths or events, and "
                        f"{text[:40]!r} names no file; use fold_sql() for SQL text")
    return Path(text)


@fewer_collections()
def fold_history(history: History, *, setup: Iterable[str | os.PathLike[str]] = (),
                 search_path: Sequence[str] = DEFAULT_SEARCH_PATH, strict: bool = False,
                 progress: Progress | None = None) -> TailedFold:
    """Fold a history already read as far as the fold can follow it, and say which of its
    files are kept verbatim after that (see ``schemafold.tail``): never a refusal for what
    PostgreSQL may accept, unless ``strict``."""
    setup = list(setup)
    setup_events, setup_warnings = _setup_events(setup)
    cached = _cached(history.migrations, setup, setup_events, search_path)
    parsed = (cached.parse(progress) if cached is not None
              else parse_migrations(history.migrations, progress=progress))
    tailed = fold_with_tail(history.migrations, parsed, setup=setup_events,
                            search_path=search_path, strict=strict, progress=progress,
                            fold_prefix=cached.fold if cached is not None else None)
    warnings = (*setup_warnings, *history.warnings,
                *_still_true(_still_kept(parsed.warnings, tailed.result), tailed.result),
                *tailed.result.warnings)
    return attrs.evolve(tailed, result=attrs.evolve(tailed.result, warnings=warnings))


def _still_kept(warnings: Iterable[SchemaWarning], result: FoldResult) -> list[SchemaWarning]:
    """The parser's warnings, less its "kept verbatim" for a statement the fold found to be a
    no-op (a data statement it could not model that surely changes no row)."""
    noops = {(e.file, e.line) for e in result.ledger if e.outcome == "no-op"}
    return [w for w in warnings if not (w.message.startswith("kept verbatim (")
                                        and (w.file, w.line) in noops)]


def fold_sql(text: str, *, file: str = "<sql>", search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
             setup: Iterable[str | os.PathLike[str]] = ()) -> FoldResult:
    """Fold SQL text as one migration."""
    if not isinstance(text, str):
        raise TypeError("fold_sql() takes SQL text")
    parsed = parse_sql(text, file)
    setup_events, setup_warnings = _setup_events(setup)
    result = fold_events(parsed.events, search_path=search_path, setup=setup_events)
    return attrs.evolve(result, warnings=(
        *setup_warnings, *_still_true(_still_kept(parsed.warnings, result), result),
        *result.warnings))


def _still_true(warnings: Iterable[SchemaWarning], result: FoldResult) -> list[SchemaWarning]:
    """The parser's warnings, without "kept verbatim" for the procedural statements the fold
    ran statically (their effects were folded instead), and saying why for those it did not
    run."""
    out = []
    for w in warnings:
        where = (w.file, w.line)
        if w.message.startswith("kept verbatim (") and where in result.interpreted:
            continue
        if w.message.startswith("kept verbatim (") and where in result.not_interpreted:
            w = SchemaWarning(f"kept verbatim (PL/pgSQL not run statically: "
                              f"{result.not_interpreted[where]})", file=w.file, line=w.line,
                              text=w.text)
        out.append(w)
    return out


@fewer_collections()
def parse(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
          source_format: str | None = None, defines: Mapping[str, str] | None = None,
          until: str | None = None, strict: bool = False,
          progress: Progress | None = None) -> ParseResult:
    """The events of a migrations folder or files, with provenance."""
    target: Path | list[Path] = (Path(source) if isinstance(source, (str, os.PathLike))
                                 else [Path(p) for p in source])
    history: History = read_history(target, source_format=source_format, defines=defines,
                                    until=until, strict=strict)
    parsed = parse_migrations(history.migrations, progress=progress)
    return attrs.evolve(parsed, warnings=history.warnings + parsed.warnings)


@attrs.frozen
class UptoConsolidation:
    """A consolidation of a history up to a version (``squash --upto``), in memory.

    ``files`` are the (path, text) pairs to write, README included: the consolidation's files,
    then every later file of the history copied byte for byte under its own name. ``written``
    are the consolidation's migrations (version, name, script path, text); ``replaced`` the
    history's migrations it takes the place of; ``later`` the paths copied as they are.
    """
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    files: tuple[tuple[str, str], ...]
    written: tuple[Written, ...]
    replaced: tuple[Migration, ...]
    later: tuple[str, ...]
    naming: str
    upto: str
    result: FoldResult
    plan: FilePlan
    #: the tool's bookkeeping for this folder (``Bookkeeping.bind``)
    bookkeeping: Bookkeeping

    def write(self, out: str | os.PathLike[str], *, force: bool = False) -> None:
        """Write the files into the folder ``out`` atomically: all of them or none; an
        existing ``out`` is replaced only with ``force``."""
        from schemafold.output import write_folder_atomically

        write_folder_atomically(Path(out), self.files, force=force)


def consolidate_upto(
    source: str | os.PathLike[str],
    upto: str,
    *,
    naming: str | None = None,
    layout: str = "single",
    setup: Iterable[str | os.PathLike[str]] = (),
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> UptoConsolidation:
    """Fold the history in the folder ``source`` up to and including version ``upto`` and
    return the consolidation that replaces those files, followed by every later file as it
    is (see :class:`UptoConsolidation`). The consolidation's files take versions that a
    database which ran the history up to ``upto`` skips by its tool's rules
    (``schemafold.bookkeeping``); nothing is written."""
    from schemafold.bookkeeping import BOOKKEEPING, Written
    from schemafold.consolidation import fold_and_plan_history
    from schemafold.errors import InputError
    from schemafold.layout import load_layout
    from schemafold.sources import TOOLS
    from schemafold.sources.base import read_text
    from schemafold.sources.history import version_index
    from schemafold.writers import WRITERS, write

    root = Path(source)
    if not root.is_dir():
        raise InputError("--upto needs a migrations folder (its later files are copied)",
                         file=str(root))
    plan_layout = load_layout(layout)
    full = read_history(root, source_format=source_format, defines=defines, strict=strict)
    naming = naming or full.format
    if naming != full.format:
        raise InputError(f"--upto copies the later files as they are, so the consolidation is "
                         f"written in the history's own naming ({full.format}), not {naming}")
    tool = TOOLS[full.format]
    scan = tool.scan(root)
    versioned = list(scan.versioned)
    cut = version_index(tool, versioned, upto, option="--upto") + 1
    replaced = full.migrations[:cut]
    later = [*versioned[cut:], *scan.after]
    bookkeeping = BOOKKEEPING[naming].bind(root, versioned[:cut], later)
    prefix = History(replaced, full.format, full.warnings)
    result, plan = fold_and_plan_history(prefix, plan_layout, setup=setup,
                                         search_path=search_path, strict=strict,
                                         progress=progress)
    if len(plan.files) > len(replaced) and plan.files[-1].after_tail:
        # no version left for the file that brings sequences level after the verbatim tail:
        # left out, and said (the history itself leaves them behind there)
        plan = attrs.evolve(plan, files=plan.files[:-1], layout_files=plan.layout_files[:-1])
        result = attrs.evolve(result, warnings=(*result.warnings, SchemaWarning(
            "a sequence the files kept as written leave behind its column is not brought "
            f"level: --upto {upto} leaves no version for the file that would do it (squash "
            "up to a later version, or without --upto)", file=replaced[-1].path, line=1)))
    numbers = bookkeeping.versions(replaced, len(plan.files))
    writer = WRITERS[naming]
    written = []
    for version, file in zip(numbers, plan.files, strict=True):
        path, text = writer.files(version, file.name, file)[0]
        written.append(Written(version, file.name, path, text))
    copies: list[tuple[str, str]] = []
    for candidate in later:
        for companion in bookkeeping.companions(candidate, root):
            display = bookkeeping.copy_name(companion.relative_to(root).as_posix())
            if any(display == name for name, _ in copies):
                continue  # a file of several migrations (Liquibase changesets), copied once
            data = companion.read_bytes()
            try:
                copies.append((display, data.decode("utf-8")))
            except UnicodeDecodeError:
                read_text(companion, display)  # raises the reader's one-line error
                raise
    upto_text = replaced[-1].version if bookkeeping.tool != "diesel" else numbers[-1]
    deploy = bookkeeping.deploy(upto_text, written)
    if copies:
        many = len(later) != 1
        deploy = [*deploy, "", f"The {len(later)} migration{'s' if many else ''} after "
                  f"{upto_text} {'are' if many else 'is'} copied as written, byte for byte, "
                  f"under {'their' if many else 'its'} own name{'s' if many else ''}:", "",
                  *(f"- `{name}`" for name, _ in copies)]
    files = write(plan, naming, base_version="1", source=root.resolve().name, numbers=numbers,
                  deploy=deploy)
    readme = files.pop()
    names = {name for name, _ in files}
    clash = [name for name, _ in copies if name in names]
    if clash:
        raise InputError(f"--upto: the consolidation's file {clash[0]} has the name of a later "
                         "file of the history")
    arranged = bookkeeping.arrange(files, copies)
    return UptoConsolidation(
        files=(*arranged, readme), written=tuple(written), replaced=tuple(replaced),
        later=tuple(name for name, _ in copies), naming=naming, upto=upto,
        result=result, plan=plan, bookkeeping=bookkeeping)


def write(consolidation: Consolidation | UptoConsolidation, out: str | os.PathLike[str], *,
          force: bool = False) -> None:
    """Write a consolidation's files into the folder ``out`` atomically (all of them or none);
    an existing ``out`` is replaced only with ``force`` (``Consolidation.write``)."""
    consolidation.write(out, force=force)


def report(
    source: str | os.PathLike[str],
    *,
    setup: Iterable[str | os.PathLike[str]] = (),
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    layout: str | os.PathLike[str] = "single",
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    until: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> Report:
    """The consolidation analysis of the history in ``source`` (``schemafold report``): counts
    before and after, objects created and later dropped, what was added later, replaced or
    re-commented, rows inserted then wiped, statements without effect, statements kept
    verbatim, and the files of the consolidation under ``layout``. Every finding names file
    and line; ``Report.to_dict()`` and ``Report.markdown()`` spell it. No database is used."""
    from schemafold.consolidation import fold_and_plan
    from schemafold.report import build_report

    history, result, plan = fold_and_plan(
        source, setup=setup, search_path=search_path, layout=layout,
        source_format=source_format, defines=defines, until=until, strict=strict,
        progress=progress)
    return build_report(history, result, plan, source=os.fspath(source))


def events(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    until: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> ParseResult:
    """The events each statement of a migrations folder (or files, in apply order) translates
    to, each with its ``origin`` (file, line, text), and the reading's warnings: ``parse``,
    with paths also as ``str``. Statements kept verbatim are ``Opaque`` events."""
    return parse(source, source_format=source_format, defines=defines, until=until,
                 strict=strict, progress=progress)
