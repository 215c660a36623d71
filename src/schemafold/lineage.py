"""Lineage and the ledger: where every object came from, and what became of every statement.

Owns: the records a fold keeps besides the schema. ``Lineage`` lists, per object key (and per
column, keyed ``("column", schema, table, column)``), each statement that created, altered, renamed
or dropped it. The ``Ledger`` has exactly one entry per input statement:

- ``absorbed-into``: its effect lives in an object of the net schema (``target``);
- ``superseded-by``: a later statement (``by``) undid or replaced its effect;
- ``no-op``: it changed nothing (``reason``): a session setting, an ``IF NOT EXISTS`` that found
  the object, a data statement on a table known to be empty;
- ``kept-verbatim``: it is emitted as written.

Both carry what happened as data, for tools (the report, blame) to read: a lineage entry its
``action`` (an :class:`Action`), the ``part`` of the object it concerns (a column, a constraint,
an index: :class:`Part`), the ``cause`` (the key of the object whose drop or cascade took this
one with it), the ``origin`` of the statement (file, line, text) and how it is worded
(:class:`Change`, with the names the wording needs, or the statement's own event). The English
``description`` is derived from that data, never parsed back.

Must not know: SQL text, rendering, databases.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.events import Event, Origin
from schemafold.kinds import ObjectKey
from schemafold.kinds import describe_key as _describe_key
from schemafold.model import Key, Node


class _Word(str, enum.Enum):
    """An enumeration of words: a member prints, formats and compares as its word."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)


class Action(_Word):
    """What a statement did to an object: its value is the word tools and the JSON output use
    (``"created"``...), and a member compares equal to it."""

    CREATED = "created"
    ALTERED = "altered"
    RENAMED = "renamed"
    DROPPED = "dropped"
    COMMENTED = "commented"
    GRANTED = "granted"
    DATA = "data"


class Outcome(_Word):
    """What became of a statement (see the module docstring); a member compares equal to its
    value (``"absorbed-into"``...)."""

    ABSORBED_INTO = "absorbed-into"
    SUPERSEDED_BY = "superseded-by"
    NO_OP = "no-op"
    KEPT_VERBATIM = "kept-verbatim"


ACTIONS = tuple(a.value for a in Action)
OUTCOMES = tuple(o.value for o in Outcome)


class Change(enum.Enum):
    """How a lineage entry is worded: each value is the template of its description.

    ``{statement}`` is the account the statement's event gives of itself (``Event.describe``);
    ``{part_kind}`` and ``{part_name}`` are the entry's :class:`Part`; ``{0}``, ``{1}``... the
    entry's ``names`` (names as the history wrote them, a verb, a type).
    """

    STATEMENT = "{statement}"
    #: a column declared by CREATE TABLE, with its type (``names``: the type)
    DECLARED = "{part_kind} {part_name} {0}"
    ADDED = "{part_kind} {part_name} added"
    PART_DROPPED = "{part_kind} {part_name} dropped"
    PART_DROPPED_BY_CASCADE = "{part_kind} {part_name} dropped by cascade"
    INHERITED = "{part_kind} {part_name} inherited"
    #: a column a child table takes from its parent (``names``: the parent)
    INHERITED_FROM = "{part_kind} {part_name} from {0}"
    #: a key cloned onto a partition (``names``: the parent's constraint, quoted)
    CLONED = "{part_kind} {part_name} cloned from {0}"
    #: the sequence of a serial column (``names``: the sequence)
    SEQUENCE_FOR_COLUMN = "sequence {0} for a column"
    IDENTITY_SEQUENCE = "identity sequence"
    IDENTITY_SEQUENCE_DROPPED = "identity sequence dropped"
    #: an object dropped by the statement that named it (``names``: its kind)
    KIND_DROPPED = "{0} dropped"
    #: a view or function that depended on a dropped object (``names``: its kind and name)
    DROPPED_BY_CASCADE = "{0} {1} dropped by cascade"
    #: a trigger of a dropped function
    CASCADED = "dropped by cascade"
    #: an index, trigger, policy or owned sequence of a dropped table or view (``names``: the
    #: kind and name of what was dropped, also the entry's ``cause``)
    DROPPED_WITH = "dropped with {0} {1}"
    #: a column of a dropped table (``names``: "table")
    DROPPED_WITH_ITS = "dropped with its {0}"
    #: an index on a dropped column (``names``: the index)
    INDEX_DROPPED_WITH_COLUMN = "index {0} dropped with its column"
    OWNED_SEQUENCE_DROPPED_WITH_COLUMN = "owned sequence dropped with its column"
    #: an index of a partition attached to its parent's (``names``: the parent index)
    ATTACHED = "attached to index {0}"
    #: an index detached from its parent's with its partition (``names``: "table")
    DETACHED_WITH_ITS = "detached with its {0}"
    #: an index created for a partition (``names``: the index, the partition)
    FOR_PARTITION = "index {0} for partition {1}"
    #: an index ``LIKE ... INCLUDING INDEXES`` copied (``names``: the copy, the original)
    COPIED_BY_LIKE = "index {0} copied from {1} by LIKE"
    #: a data statement on an empty table (``names``: the verb, the table)
    EMPTY_THEN = "{0} on {1}, then empty: no effect"
    #: a data statement that surely finds no row (``names``: the verb)
    FINDS_NO_ROW = "{0} finding no row: no effect"
    RESTARTED_BY_TRUNCATE = "restarted by TRUNCATE"
    PRIVILEGES_CHANGED = "privileges changed"


@attrs.frozen
class Part:
    """The part of an object an entry concerns: ``kind`` (``column``, ``constraint``,
    ``index``), ``name``, and what the statement did to it (``action``: a table is ``altered``
    where its constraint is ``created`` or ``dropped``), when the entry says."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: str
    name: str
    action: Action | None = None


@attrs.frozen
class Account:
    """What a fold records of one statement's effect on one object, short of the action and
    the statement's origin: how it is worded (``change``, with ``names`` or the ``event``), the
    ``part`` concerned and the ``cause``. See :class:`LineageEntry`."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    change: Change = Change.STATEMENT
    part: Part | None = None
    cause: Key | None = None
    names: tuple[str, ...] = ()
    event: Event | None = attrs.field(default=None, repr=False)

    @classmethod
    def of(cls, event: Event, *, part: Part | None = None, cause: Key | None = None
           ) -> Account:
        """The statement's own account of itself (``Change.STATEMENT``)."""
        return cls(Change.STATEMENT, part, cause, (), event)

    def describe(self) -> str:
        statement = self.event.describe() if self.event is not None else ""
        part_kind, part_name = (self.part.kind, self.part.name) if self.part else ("", "")
        return self.change.value.format(*self.names, statement=statement,
                                        part_kind=part_kind, part_name=part_name)


@attrs.frozen
class LineageEntry:
    """One statement in an object's history, as data.

    ``action`` (an :class:`Action`) is what the statement did to the object; ``origin`` the
    statement (its ``file``, ``line`` and ``text``); ``key`` the object's key at the end of the
    fold (the lineage's key for it); ``part`` the column, constraint or index of the object the
    entry is about, if any; ``cause`` the key of the object whose drop (or cascade) took this one
    with it; ``change`` and ``names`` how the entry is worded, ``event`` the statement's event
    when the wording is the statement's own (``Change.STATEMENT``); ``run_by`` what ran the
    statement when the fold ran it statically (a function, a ``DO`` block).

    ``description`` is derived from these (``"column email added"``), for people; tools read
    the fields.
    """
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    action: Action
    origin: Origin
    account: Account
    key: Key = attrs.field(factory=ObjectKey)  # filled in when the fold ends
    run_by: str | None = None

    @property
    def file(self) -> str:
        return self.origin.file

    @property
    def line(self) -> int:
        return self.origin.line

    @property
    def part(self) -> Part | None:
        return self.account.part

    @property
    def cause(self) -> Key | None:
        return self.account.cause

    @property
    def change(self) -> Change:
        return self.account.change

    @property
    def names(self) -> tuple[str, ...]:
        return self.account.names

    @property
    def event(self) -> Event | None:
        return self.account.event

    @property
    def description(self) -> str:
        """The entry in words, derived from its data."""
        text = self.account.describe()
        return f"{text} (run by {self.run_by})" if self.run_by is not None else text

    def where(self) -> str:
        """``file:line``, as messages write a place."""
        return f"{self.file}:{self.line}"

    def same_account(self, other: LineageEntry) -> bool:
        """Whether ``other`` tells the same thing of the same statement (the table's entry and
        its column's for one ``ALTER TABLE ... ADD COLUMN``), whatever the action and part."""
        a, b = self.account, other.account
        worded_by_part = "{part_" in a.change.value
        return (self.origin == other.origin and self.run_by == other.run_by
                and a.change is b.change and a.names == b.names and a.event == b.event
                and (not worded_by_part or a.part == b.part))

    def to_dict(self) -> dict[str, object]:
        """The entry's data for JSON: ``file``, ``line``, ``action``, ``description``, and
        ``change``, ``part`` (``{"kind", "name"}``), ``cause`` (described, as
        :func:`describe_key` writes it) and ``run_by`` when set."""
        data: dict[str, object] = {"file": self.file, "line": self.line,
                                   "action": self.action.value,
                                   "description": self.description,
                                   "change": self.change.name.lower()}
        if self.part is not None:
            part = {"kind": self.part.kind, "name": self.part.name}
            if self.part.action is not None:
                part["action"] = self.part.action.value
            data["part"] = part
        if self.cause is not None:
            data["cause"] = describe_key(self.cause)
        if self.run_by is not None:
            data["run_by"] = self.run_by
        return data


@attrs.frozen
class LedgerEntry:
    """What became of one input statement: exactly one entry per statement of the history.

    ``origin`` is the statement (its ``file``, ``line`` and ``text``, as written); ``outcome``
    one of :class:`Outcome`; ``target`` the object an ``absorbed-into`` statement lives on in,
    ``by`` the ``file:line`` of the statement that superseded it, ``reason`` why a ``no-op``
    changed nothing, and ``transaction`` whether that no-op is transaction control (``BEGIN``,
    ``COMMIT``, a savepoint: PostgreSQL's transaction state, not the schema).
    """
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    origin: Origin
    outcome: Outcome
    target: Key | None = None
    by: str | None = None  # file:line of the superseding statement
    reason: str | None = None
    transaction: bool = False

    @property
    def file(self) -> str:
        return self.origin.file

    @property
    def line(self) -> int:
        return self.origin.line

    @property
    def text(self) -> str:
        return self.origin.text

    def where(self) -> str:
        """``file:line``, as messages write a place."""
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        """The outcome in the ledger's notation: ``absorbed-into(table public.users)``,
        ``superseded-by(0004_x.sql:3)``, ``no-op(reason)`` or ``kept-verbatim``."""
        if self.outcome == Outcome.ABSORBED_INTO:
            return f"absorbed-into({describe_key(self.target)})"
        if self.outcome == Outcome.SUPERSEDED_BY:
            return f"superseded-by({self.by})"
        if self.outcome == Outcome.NO_OP:
            return f"no-op({self.reason})"
        return "kept-verbatim"


Lineage = Mapping[Key, tuple[LineageEntry, ...]]


def describe_key(key: Node | None) -> str:
    """``table public.t``, ``column public.t.a``, ``function public.f(integer)``."""
    return _describe_key(key)
