"""Folding as far as the fold can follow, and keeping the rest of the history as written.

Owns: turning a :class:`~schemafold.errors.FoldLimit` into a consolidation instead of a refusal.
When the fold meets a statement it cannot follow although PostgreSQL may accept it (a data
statement it can neither evaluate nor keep verbatim, or a statement on an object an opaque
statement may have made behind its back), the history is cut at the start of that statement's
file: the files before it are folded, and that file and every later one are the *verbatim tail*,
copied as they are, in order, each in its own transaction mode. The consolidation then builds
what the folded files build, and the tail runs on top of it exactly as it ran in the history, so
it builds the same database.

One change is made to a tail file: an index built, dropped or rebuilt ``CONCURRENTLY`` loses the
word (on the fresh database a consolidation builds, the plain statement does the same, and every
tool can run it in a transaction, as golang-migrate's one-statement files cannot otherwise), and
a file that ran outside a transaction for that alone runs in one, as the rest of the
consolidation does.

Cutting at a file boundary keeps each tail file's session as it was (its ``SET`` statements, its
transaction). The cut may move further back: a statement kept verbatim in an earlier file can be
the one that cannot run at the end of the shorter consolidation, so the fold is repeated on the
shorter prefix until it succeeds (at worst, nothing is folded and every file is kept).

Must not know: rendering, files on disk, how the limit came about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs

from schemafold import events as ev
from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import DependencyCycle, FoldLimit, SchemaWarning
from schemafold.files import runs_outside_transaction
from schemafold.fold import FoldResult, fold_events
from schemafold.fold.notes import Barrier
from schemafold.lineage import LedgerEntry, Outcome
from schemafold.order import DependencyOrder
from schemafold.parse import ParseResult
from schemafold.parse.splitter import split_sql
from schemafold.progress import Progress
from schemafold.rewrite import without_concurrently
from schemafold.sources import Migration

__all__ = ["TailedFold", "fold_with_tail"]


@attrs.frozen
class TailedFold:
    """A fold of the longest prefix of the history the fold can follow.

    ``result`` is the fold of ``folded`` (its ledger also accounts for every statement of the
    tail, as ``kept-verbatim``); ``tail`` are the migrations kept as written after the
    consolidation, in order; ``limit`` is why the fold stopped (None: it did not); ``order``
    is the dependency order of ``result.schema``, computed once to find a cycle, for the file
    planner and the renderer to share.
    """
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    result: FoldResult
    folded: tuple[Migration, ...]
    tail: tuple[Migration, ...] = ()
    limit: FoldLimit | None = None
    order: DependencyOrder | None = None

    def summary(self) -> str:
        """One line saying where folding stopped and why, or the empty string."""
        if self.limit is None or not self.tail:
            return ""
        count = len(self.tail)
        return (f"{count} file{'s' if count != 1 else ''} kept verbatim from "
                f"{self.tail[0].path} on, because at {self.limit.file}:{self.limit.line} "
                f"{self.limit.message}")


def fold_with_tail(
    migrations: Sequence[Migration],
    parsed: ParseResult,
    *,
    setup: Iterable[ev.Event] = (),
    search_path: Sequence[str] = ("$user", "public"),
    strict: bool = False,
    progress: Progress | None = None,
    fold_prefix: Callable[[int, Progress | None], FoldResult] | None = None,
) -> TailedFold:
    """Fold ``parsed`` (the events of ``migrations``); where the fold meets a
    :class:`FoldLimit`, fold only the files before the limit's file and keep the rest.

    ``strict`` re-raises the limit instead (``--strict`` refuses what it cannot fold).
    ``fold_prefix(cut, progress)``, when given, folds the first ``cut`` migrations in place of
    ``fold_events`` (``schemafold.cache.CachedFold.fold``: the same result, from a cached
    prefix)."""
    setup = list(setup)
    position = {m.path: i for i, m in enumerate(migrations)}
    cut = len(migrations)
    first_limit: FoldLimit | None = None
    while True:
        kept_files = {m.path for m in migrations[:cut]}
        try:
            if fold_prefix is not None:
                result = fold_prefix(cut, progress if cut == len(migrations) else None)
            else:
                prefix = parsed.events if cut == len(migrations) else [
                    e for e in parsed.events if e.origin.file in kept_files]
                result = fold_events(prefix, search_path=search_path, setup=setup,
                                     progress=progress if cut == len(migrations) else None)
            order = _check_writable(result)
            break
        except FoldLimit as limit:
            if strict:
                raise
            first_limit = first_limit or limit
            at = position.get(limit.cut or "")
            if at is None or at >= cut:
                raise  # the limit is not in a file of the history (a setup file): refuse
            cut = at
    tail = tuple(_without_concurrently(m) for m in migrations[cut:])
    if not tail:
        return TailedFold(result, tuple(migrations), order=order)
    assert first_limit is not None
    ledger = (*result.ledger, *_tail_ledger(parsed.statements, {m.path for m in tail},
                                             first_limit))
    kept = {1: "it is", 2: "it and the file after it are"}.get(
        len(tail), f"it and the {len(tail) - 1} files after it are")
    warning = SchemaWarning(
        f"folding stops at this file: {kept} kept as written, after the "
        f"consolidation, because at {first_limit.file}:{first_limit.line} "
        f"{first_limit.message}", file=tail[0].path, line=1)
    first = next((o for o in parsed.statements if o.file == tail[0].path), None)
    barrier = Barrier(tail[0].path, first.line if first else 1, first.text if first else "",
                      f"the history is kept as written from here: {first_limit}", ())
    notes = attrs.evolve(result.data_notes, barriers=(*result.data_notes.barriers, barrier))
    result = attrs.evolve(result, ledger=ledger, warnings=(*result.warnings, warning),
                          data_notes=notes)
    return TailedFold(result, tuple(migrations[:cut]), tail, first_limit, order)


def _check_writable(result: FoldResult) -> DependencyOrder:
    """Raise a :class:`FoldLimit` when the folded schema holds what no consolidation can write
    for every supported major: objects that depend on each other in a cycle
    (:func:`_check_acyclic`), or an inheritance child's NOT NULL whose PostgreSQL 18 name only
    18's syntax gives (``render.postgres.unwritable_not_null_names``). The limit is the last
    statement that touched the child: the files before it are folded again, so the loop ends,
    and what is kept from there on is replayed as written. Returns the schema's dependency
    order."""
    from schemafold.model import Table

    order = _check_acyclic(result)
    if not any(isinstance(obj, Table) and obj.inherits and obj.partition_of is None
               for obj in result.schema.objects.values()):
        return order
    from schemafold.render.postgres import unwritable_not_null_names

    found = unwritable_not_null_names(result.schema)
    if not found:
        return order
    key, column = found[0]
    entries = result.lineage.get(key) or ()
    if not entries:
        return order
    origin = entries[-1].origin
    raise FoldLimit(f'PostgreSQL 18 keeps the NOT NULL of "{key.name}"."{column}" under a name '
                    "that only its own syntax can write (15 refuses it)", file=origin.file,
                    line=origin.line, text=origin.text)


def _check_acyclic(result: FoldResult) -> DependencyOrder:
    """Raise a :class:`FoldLimit` when the folded objects depend on each other in a cycle:
    views made to read each other by ``CREATE OR REPLACE VIEW`` (PostgreSQL creates them, and
    fails only when one is queried: ``infinite recursion detected in rules``; checked on
    PostgreSQL 15). No order of ``CREATE`` statements builds them, as pg_dump's placeholder
    views would; the history as written does. The limit is the last statement that made or
    changed an object of the cycle (the one that closed it, or a later one: the cut then moves
    back until the cycle is in the tail). Returns the schema's dependency order."""
    from schemafold.order import dependency_order

    try:
        return dependency_order(result.schema)
    except DependencyCycle as cycle:
        position = {entry.origin: i for i, entry in enumerate(result.ledger)}
        origins = [entry.origin for key in cycle.keys
                   for entry in result.lineage.get(key, ())  # type: ignore[call-overload]
                   if entry.origin in position]
        if not origins:
            raise
        last = max(origins, key=lambda origin: position[origin])
        raise FoldLimit(f"{cycle.message}: objects made to depend on each other, which no "
                        "order of CREATE statements builds", file=last.file, line=last.line,
                        text=last.text) from None


def _tail_ledger(statements: Iterable[ev.Origin], tail_files: set[str],
                 limit: FoldLimit) -> list[LedgerEntry]:
    reason = f"in the verbatim tail: the fold cannot follow {limit.file}:{limit.line}"
    return [LedgerEntry(o, Outcome.KEPT_VERBATIM, reason=reason)
            for o in statements if o.file in tail_files]


def _without_concurrently(migration: Migration) -> Migration:
    """A migration without ``CONCURRENTLY`` (see the module's docstring), in a transaction when
    nothing else in it refuses one; any other migration as it is."""
    text = without_concurrently(migration.text)
    if text == migration.text:
        return migration
    statements = split_sql(text, migration.path).statements
    in_transaction = migration.in_transaction or not any(
        runs_outside_transaction(s.text) for s in statements)
    return attrs.evolve(migration, text=text, in_transaction=in_transaction)
