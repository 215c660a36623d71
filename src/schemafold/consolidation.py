"""Consolidating a history in memory: fold it, plan its files, apply the data policy and name
the files as a migration tool's, without writing anything.

Owns: the squash pipeline as a library call (``consolidate``) and its result
(``Consolidation``); the command line's ``squash`` is argument parsing and printing over it.
Where the fold cannot follow the history, the files from there on are kept as written after
the consolidation (``schemafold.tail``), as ``squash`` does.

Must not know: argument parsing, printing, databases (``schemafold.verify`` proves a
consolidation), where the files are written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError, SchemaWarning
from schemafold.files import FilePlan, PlannedFile, plan_files, with_tail, without_tail
from schemafold.fold import FoldResult
from schemafold.layout import Layout, load_layout
from schemafold.progress import Progress
from schemafold.sources import History, read_history

__all__ = ["Consolidation", "DataOutcome", "apply_data_policy", "consolidate", "fold_and_plan"]

DEFAULT_SEARCH_PATH = ("$user", "public")


@attrs.frozen
class DataOutcome:
    """What ``--data drop|separate`` did: the plan, a line saying what happened to the rows
    (empty for ``keep``), and notes about rows that had to stay where they were."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    plan: FilePlan
    note: str = ""
    notes: tuple[str, ...] = ()


@attrs.frozen
class Consolidation:
    """A consolidation in memory.

    ``files`` are the (path, text) pairs of the output folder in apply order, the tool's own
    files (a journal, ``atlas.sum``...) and ``README.md`` included; ``naming`` the tool they are
    named for; ``history`` the history read; ``result`` the fold (schema, lineage, ledger);
    ``plan`` the file plan (``plan.files[i]`` is the i-th migration, ``plan.tail_note`` says why
    files are kept as written, if any are); ``data_note`` what the data policy did and
    ``data_notes`` the rows it had to leave where they were; ``warnings`` every warning of the
    reading, the fold and the planning, each with its file and line.
    """
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    files: tuple[tuple[str, str], ...]
    naming: str
    history: History
    result: FoldResult
    plan: FilePlan
    data_note: str
    data_notes: tuple[str, ...]
    warnings: tuple[SchemaWarning, ...]

    def write(self, out: str | os.PathLike[str], *, force: bool = False) -> None:
        """Write the files into the folder ``out`` atomically (``schemafold.output``): all of
        them or none; an existing ``out`` is replaced only with ``force``."""
        from schemafold.output import write_folder_atomically

        write_folder_atomically(Path(out), self.files, force=force)

    @property
    def kept_verbatim(self) -> int:
        """How many statements the consolidation holds as the history wrote them."""
        return sum(1 for e in self.result.ledger if e.outcome == "kept-verbatim")

    @property
    def kept_as_written(self) -> tuple[str, ...]:
        """The history's files the consolidation keeps whole, after its own (the verbatim
        tail), by name."""
        return tuple(f.name for f in self.plan.files if f.verbatim)


def consolidate(
    source: str | os.PathLike[str],
    *,
    setup: Iterable[str | os.PathLike[str]] = (),
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    layout: str | os.PathLike[str] = "single",
    naming: str | None = None,
    base_version: str | None = None,
    data: str = "keep",
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    until: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> Consolidation:
    """Consolidate the history in ``source`` (a migrations folder) and return the files a
    ``squash`` would write, in memory.

    ``setup`` files describe what exists before the history (folded as external objects, never
    written); ``search_path`` is the one the history starts with; ``layout`` a built-in layout
    name (``single``, ``by-origin``) or a layout TOML file; ``naming`` the migration tool whose
    file names to write (default: the source's); ``base_version`` the first file's version
    (default: the history's first when it is a number); ``data`` the data policy (``keep``,
    ``drop`` or ``separate``). ``source_format``, ``defines``, ``until`` and ``strict`` say
    how to read the files (``schemafold.sources.read_history``).
    """
    from schemafold.writers import default_base_version, write

    plan_layout = _layout(layout)
    history, result, plan = fold_and_plan(
        source, setup=setup, search_path=search_path, layout=plan_layout,
        source_format=source_format, defines=defines, until=until, strict=strict,
        progress=progress)
    outcome = apply_data_policy(plan, history, result, data, plan_layout)
    naming = naming or history.format
    base = base_version or default_base_version([m.version for m in history.migrations])
    files = write(outcome.plan, naming, base_version=base, source=Path(source).resolve().name)
    return Consolidation(files=tuple(files), naming=naming, history=history, result=result,
                         plan=outcome.plan, data_note=outcome.note, data_notes=outcome.notes,
                         warnings=result.warnings)


def fold_and_plan(
    source: str | os.PathLike[str],
    *,
    setup: Iterable[str | os.PathLike[str]] = (),
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    layout: Layout | str | os.PathLike[str] = "single",
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    until: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> tuple[History, FoldResult, FilePlan]:
    """Read, fold and plan the history in ``source``: (history, fold result, file plan), the
    plan's warnings among the result's. Where the fold cannot follow the history, the files
    from there on are planned as they are, after the consolidation (``schemafold.tail``)."""
    plan_layout = layout if isinstance(layout, Layout) else _layout(layout)
    history = read_history(Path(source), source_format=source_format, defines=defines,
                           until=until, strict=strict)
    result, plan = fold_and_plan_history(history, plan_layout, setup=setup,
                                         search_path=search_path, strict=strict,
                                         progress=progress)
    warnings: tuple[SchemaWarning, ...] = (*result.warnings, *plan.warnings)
    return history, attrs.evolve(result, warnings=warnings), plan


def fold_and_plan_history(
    history: History,
    layout: Layout,
    *,
    setup: Iterable[str | os.PathLike[str]] = (),
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    strict: bool = False,
    progress: Progress | None = None,
) -> tuple[FoldResult, FilePlan]:
    """Fold a history already read as far as the fold can follow it and plan its files, the
    files from there on planned as they are, after the consolidation (``schemafold.tail``)."""
    from schemafold.api import fold_history

    tailed = fold_history(history, setup=[Path(p) for p in setup], search_path=search_path,
                          strict=strict, progress=progress)
    plan = plan_files(tailed.result, layout, tailed.folded, order=tailed.order)
    if tailed.tail:
        from schemafold.render.postgres import tail_catch_up

        closing = tail_catch_up(tailed.result.schema, [m.text for m in tailed.tail])
        plan = with_tail(plan, tailed.tail, tailed.summary(), closing or "")
    return tailed.result, plan


def _layout(spec: str | os.PathLike[str]) -> Layout:
    """A layout by name or file; a bad one fails before the history is read."""
    return load_layout(spec if isinstance(spec, str) else Path(spec))


def apply_data_policy(plan: FilePlan, history: History, result: FoldResult, policy: str,
                      layout: Layout) -> DataOutcome:
    """``drop``: plan the schema without its data; ``separate``: and add the data as the last
    file; ``keep``: ``plan`` as it is. The verbatim tail (if any) stays last: the rows it finds
    are the folded files' rows."""
    from schemafold.data_policy import POLICIES, split_data

    if policy not in POLICIES:
        raise InputError(f"data policy {policy!r}: one of {', '.join(POLICIES)}")
    if policy == "keep":
        return DataOutcome(plan)
    split = split_data(result.schema, policy, order=plan.order)
    tail_note = plan.tail_note
    plan, tail = without_tail(plan)
    folded = history.migrations[:len(history.migrations) - len(tail)]
    # the split schema has the same objects (less rows, kept data statements and sequence
    # positions, which the dependency order does not read): the plan's order serves it again
    plan = plan_files(attrs.evolve(result, schema=split.schema), layout, folded,
                      order=plan.order)
    what = f"{split.rows} row{'s' if split.rows != 1 else ''}"
    if split.statements:
        what += f" and {split.statements} data statement{'s' if split.statements != 1 else ''}"
    if policy == "drop":
        return DataOutcome(_retail(plan, tail, tail_note), f"dropped {what} (--data drop)")
    notes = tuple(split.notes)
    if not split.data_file:
        return DataOutcome(_retail(plan, tail, tail_note),
                           "no rows to separate (--data separate)", notes)
    description = "the rows the history leaves, loaded after everything else (--data separate)"
    session = next((f.session for f in plan.files if f.in_transaction), ())
    data_file = PlannedFile(name="data", description=description, statements=split.data_file,
                            layout_file=len(plan.layout_files) + 1, session=session)
    plan = attrs.evolve(plan, files=(*plan.files, data_file),
                        layout_files=(*plan.layout_files, ("data", description)))
    return DataOutcome(_retail(plan, tail, tail_note),
                       f"moved {what} into the last file (--data separate)", notes)


def _retail(plan: FilePlan, tail: tuple[PlannedFile, ...], note: str) -> FilePlan:
    """``plan`` with the verbatim tail's files put back after its own."""
    first = len(plan.layout_files) + 1
    files = tuple(attrs.evolve(f, layout_file=first + i) for i, f in enumerate(tail))
    return attrs.evolve(plan, files=(*plan.files, *files), tail_note=note,
                        layout_files=(*plan.layout_files,
                                      *((f.name, f.description) for f in files)))
