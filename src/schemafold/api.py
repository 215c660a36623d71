"""The Python API: ``fold`` a history given as a folder, files or events; ``fold_sql`` text.

Owns: joining sources, parsing and folding with the environment options (setup files folded as
external objects, the initial ``search_path``). No guessing whether a string is a path: ``fold``
takes ``os.PathLike`` objects or events, ``fold_sql`` takes text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from schemafold.collect import fewer_collections
from schemafold.errors import SchemaWarning
from schemafold.events import Event
from schemafold.fold import FoldResult, fold_events
from schemafold.parse import ParseResult, parse_migrations, parse_sql
from schemafold.progress import Progress
from schemafold.sources import History, read_history
from schemafold.tail import TailedFold, fold_with_tail

DEFAULT_SEARCH_PATH = ("$user", "public")


def _setup_events(setup: Iterable[os.PathLike[str]]) -> tuple[list[Event], list[SchemaWarning]]:
    paths = [Path(p) for p in setup]
    if not paths:
        return [], []
    parsed = parse_migrations(read_history(paths).migrations)
    return list(parsed.events), list(parsed.warnings)


@fewer_collections()
def fold(
    source: History | os.PathLike[str] | Sequence[os.PathLike[str]] | Iterable[Event],
    *,
    setup: Iterable[os.PathLike[str]] = (),
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

    setup_events, setup_warnings = _setup_events(setup)
    history_warnings: tuple[SchemaWarning, ...] = ()
    if isinstance(source, (History, os.PathLike)):
        history = source if isinstance(source, History) else read(Path(source))
        parsed = parse_migrations(history.migrations, progress=progress)
        events: list[Event] = list(parsed.events)
        history_warnings = history.warnings + parsed.warnings
    else:
        items = list(source)
        if items and all(isinstance(i, os.PathLike) for i in items):
            history = read([Path(i) for i in items])  # type: ignore[arg-type]
            parsed = parse_migrations(history.migrations, progress=progress)
            events = list(parsed.events)
            history_warnings = history.warnings + parsed.warnings
        elif all(isinstance(i, Event) for i in items):
            events = items  # type: ignore[assignment]
        else:
            raise TypeError("fold() takes a path, a list of paths or events; use fold_sql() "
                            "for SQL text")
    result = fold_events(events, search_path=search_path, setup=setup_events,
                         progress=progress)
    warnings = (*setup_warnings, *_still_true(_still_kept(history_warnings, result), result),
                *result.warnings)
    return attrs.evolve(result, warnings=tuple(warnings))


@fewer_collections()
def fold_history(history: History, *, setup: Iterable[os.PathLike[str]] = (),
                 search_path: Sequence[str] = DEFAULT_SEARCH_PATH, strict: bool = False,
                 progress: Progress | None = None) -> TailedFold:
    """Fold a history already read as far as the fold can follow it, and say which of its
    files are kept verbatim after that (see ``schemafold.tail``): never a refusal for what
    PostgreSQL may accept, unless ``strict``."""
    setup_events, setup_warnings = _setup_events(setup)
    parsed = parse_migrations(history.migrations, progress=progress)
    tailed = fold_with_tail(history.migrations, parsed, setup=setup_events,
                            search_path=search_path, strict=strict, progress=progress)
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
             setup: Iterable[os.PathLike[str]] = ()) -> FoldResult:
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
def parse(source: os.PathLike[str] | Sequence[os.PathLike[str]], *,
          source_format: str | None = None, defines: Mapping[str, str] | None = None,
          until: str | None = None, strict: bool = False,
          progress: Progress | None = None) -> ParseResult:
    """The events of a migrations folder or files, with provenance."""
    target: Path | list[Path] = (Path(source) if isinstance(source, os.PathLike)
                                 else [Path(p) for p in source])
    history: History = read_history(target, source_format=source_format, defines=defines,
                                    until=until, strict=strict)
    parsed = parse_migrations(history.migrations, progress=progress)
    return attrs.evolve(parsed, warnings=history.warnings + parsed.warnings)
