"""Blame: every statement of a history that touched an object, in history order.

Owns: finding the objects a name means (``users``, ``users.email``, ``public.users``,
``function:touch``, ``trigger:users.audit``) among the fold's lineage, gathering a table's
columns into its story, and choosing one row per account of a statement (``blame``). The
command line's ``schemafold blame`` parses arguments and prints the rows.

Must not know: argument parsing, printing, databases.
"""

from __future__ import annotations

import builtins
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs

from schemafold.errors import InputError, SchemaWarning
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Action, LineageEntry, describe_key
from schemafold.progress import Progress

__all__ = ["Blame", "BlameRow", "blame", "matching_keys"]

DEFAULT_SEARCH_PATH = ("$user", "public")


@attrs.frozen
class BlameRow:
    """One statement's account of what it did to a blamed object: ``key`` the object (the
    table, or one of its columns), ``entry`` the lineage entry (its ``file``, ``line``,
    ``action``, ``part``, ``cause``, ``description``), ``statement`` the statement's text."""

    key: ObjectKey
    entry: LineageEntry
    statement: str

    @property
    def file(self) -> str:
        return self.entry.file

    @property
    def line(self) -> int:
        return self.entry.line

    @property
    def action(self) -> Action:
        return self.entry.action

    @property
    def object(self) -> str:
        """The object described, as ``table public.users``."""
        return describe_key(self.key)

    @property
    def description(self) -> str:
        return self.entry.description

    def to_dict(self) -> dict[str, builtins.object]:
        """The row for JSON: ``file``, ``line``, ``action``, ``object``, ``description``,
        ``statement``, then the lineage entry's own fields (``change``, ``part``, ``cause``,
        ``run_by``; :meth:`LineageEntry.to_dict`)."""
        row: dict[str, builtins.object] = {
            "file": self.file, "line": self.line, "action": self.action.value,
            "object": self.object, "description": self.description,
            "statement": self.statement}
        row.update((k, v) for k, v in self.entry.to_dict().items() if k not in row)
        return row


@attrs.frozen
class Blame:
    """What ``blame`` found: ``object`` the name asked for, ``keys`` the objects it matched
    (``matches`` describes them), ``rows`` the statements in history order, ``warnings`` the
    fold's."""

    object: str
    keys: tuple[ObjectKey, ...]
    rows: tuple[BlameRow, ...]
    warnings: tuple[SchemaWarning, ...]

    @property
    def matches(self) -> tuple[str, ...]:
        return tuple(describe_key(k) for k in self.keys)

    def to_dict(self) -> dict[str, builtins.object]:
        """``{"object", "matches", "statements"}``, as ``blame --format json`` prints it."""
        return {"object": self.object, "matches": list(self.matches),
                "statements": [row.to_dict() for row in self.rows]}

    def text(self) -> str:
        """The rows as ``blame`` prints them: the objects matched, then one line a statement."""
        lines = [f"# {name}" for name in self.matches]
        lines += [f"{r.file}:{r.line}\t{r.action.value}\t{r.description}" for r in self.rows]
        return "".join(f"{line}\n" for line in lines)


def matching_keys(keys: Iterable[ObjectKey], wanted: str) -> list[ObjectKey]:
    """The keys among ``keys`` that ``wanted`` names: a name as the history ends up calling
    it, optionally qualified by schema, by table (a column, trigger or policy) and prefixed by
    a kind (``function:touch``)."""
    kind, sep, name = wanted.partition(":")
    if not sep:
        kind, name = "", wanted
    name = name.strip()
    found = []
    for key in keys:
        if kind and key.kind != kind:
            continue
        names = key.spellings()
        if name in names or name.lower() in names:
            found.append(key)
    return found


def blame(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    object: str,
    *,
    setup: Iterable[str | os.PathLike[str]] = (),
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    until: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> Blame:
    """Fold the history in ``source`` and return every statement that created, altered,
    renamed, commented on, granted on, filled or dropped ``object``, in history order; a
    table's rows include its columns'. Objects dropped along the way can be named too.
    Raises :class:`InputError` when no object of the history goes by that name."""
    from schemafold.api import fold

    result = fold(source, setup=setup, search_path=search_path, source_format=source_format,
                  defines=defines, until=until, strict=strict, progress=progress)
    keys = matching_keys(result.lineage, object)
    if not keys:
        where = source if isinstance(source, (str, os.PathLike)) else None
        raise InputError(f"no object named {object!r} in the history "
                         "(name it as the history ends up calling it)",
                         file=None if where is None else str(where))
    matched = tuple(keys)
    # a table's columns belong to its story
    for key in matched:
        if key.kind == ObjectKind.TABLE:
            keys += [k for k in result.lineage
                     if k.kind == ObjectKind.COLUMN and k[1:3] == key[1:3] and k not in keys]
    order = {(e.file, e.line): i for i, e in enumerate(result.ledger)}
    texts = {(e.file, e.line): e.text for e in result.ledger}
    # one row per account of a statement: the table says "altered" where its column says what
    # happened to it (the same account): keep the column's
    chosen: list[tuple[ObjectKey, LineageEntry]] = []
    at: dict[tuple[str, int], list[int]] = defaultdict(list)  # indexes into chosen
    for key in keys:
        for entry in result.lineage[key]:
            place = (entry.file, entry.line)
            same = next((i for i in at[place] if chosen[i][1].same_account(entry)), None)
            if same is None:
                at[place].append(len(chosen))
                chosen.append((key, entry))
            elif chosen[same][1].action == Action.ALTERED:
                chosen[same] = (key, entry)
    rows = [BlameRow(key, entry, texts.get((entry.file, entry.line), ""))
            for key, entry in chosen]
    rows.sort(key=lambda r: (order.get((r.file, r.line), len(order)), r.line))
    return Blame(object=object, keys=matched, rows=tuple(rows), warnings=result.warnings)
