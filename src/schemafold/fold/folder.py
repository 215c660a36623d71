"""Folding: apply each event to the schema, in history order, the way PostgreSQL would.

Owns: the composition of the fold (``Folder``: one mixin per family of statements, over
``FoldState``) and ``fold_events``. What each event does lives in its family's module:
``tables`` (tables, columns, constraints), ``types`` (enums, composite types, domains, ranges),
``relations`` (indexes, sequences, views), ``routines`` (functions, triggers, policies),
``generic`` (schemas, extensions, DROP, RENAME), ``partitions``, ``moves`` (SET SCHEMA),
``like``, ``privileges``, ``transactions``, ``data`` and ``verbatim``, ``procedures``.
Impossible histories (altering or dropping what does not exist, a duplicate column) raise
``InputError`` naming file and line.

Must not know: SQL text beyond the expression fragments events carry (renames go through
``rewrite``), files and migration tools, rendering, databases.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence as Seq

import attrs

from schemafold import events as ev
from schemafold.collect import fewer_collections
from schemafold.errors import FoldLimit, InputError, StatementError
from schemafold.fold.data import DataFolding
from schemafold.fold.generic import GenericFolding
from schemafold.fold.like import LikeFolding
from schemafold.fold.partitions import PartitionFolding
from schemafold.fold.privileges import PrivilegeFolding
from schemafold.fold.procedures import ProceduralFolding
from schemafold.fold.routines import RoutineFolding
from schemafold.fold.state import FoldResult
from schemafold.fold.transactions import TransactionFolding
from schemafold.progress import Progress, Ticker


class Folder(ProceduralFolding, TransactionFolding, GenericFolding, RoutineFolding,
             PartitionFolding, DataFolding, PrivilegeFolding, LikeFolding):
    """Every event kind's effect: the family mixins (``GenericFolding`` brings tables, types,
    relations and moves), composed over ``FoldState``, which holds the working state and the
    dispatch table."""


@fewer_collections()
def fold_events(events: Iterable[ev.Event], *, search_path: Seq[str] = ("$user", "public"),
                setup: Iterable[ev.Event] = (), progress: Progress | None = None) -> FoldResult:
    """Fold ``events`` (after ``setup`` events, folded as external objects); ``progress``
    hears how many events are done."""
    folder = Folder(search_path=search_path)
    history = _type_changes_first(list(events))
    setup = list(setup)
    folder.rollback_files = {
        e.origin.file for e in (*setup, *history)
        if isinstance(e, ev.SessionStatement) and e.verb.startswith("rollback")}
    folder.external = True
    for event in setup:
        folder.apply(event)
    folder.setup_done()
    setup_statements = len(folder.statements)
    ticker = Ticker(progress, "folded events", len(history))
    for done, event in enumerate(history):
        ticker.tick(done)
        try:
            folder.apply(event)
        except (FoldLimit, StatementError):
            raise
        except InputError as error:
            if folder.uncertain_after is None:
                raise
            # an opaque statement earlier may have made what this statement needs
            raise folder.fold_limit(event.origin, f"{error.message} (the fold cannot see what "
                                f"{folder.uncertain_after.where()} did)") from error
    result = folder.result()
    ledger = result.ledger[setup_statements:]
    return attrs.evolve(result, ledger=ledger)


def _type_changes_first(events: list[ev.Event]) -> list[ev.Event]:
    """``ALTER TABLE t ALTER a SET DEFAULT 'x', ALTER a TYPE text``: PostgreSQL changes a
    column's type in an earlier pass than it sets defaults, whatever the order written, so the
    default is read as the new type. A type change is moved before a ``SET DEFAULT`` of the
    same column in the same statement; nothing else moves."""
    out: list[ev.Event] = []
    for event in events:
        if isinstance(event, ev.AlterColumnType):
            at = len(out)
            while at and out[at - 1].origin is event.origin:
                before = out[at - 1]
                at -= 1
                if isinstance(before, ev.SetColumnDefault) and before.column == event.column \
                        and before.table == event.table:
                    out.insert(at, event)
                    break
            else:
                out.append(event)
            continue
        out.append(event)
    return out
