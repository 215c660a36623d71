"""Lineage and the ledger: where every object came from, and what became of every statement.

Owns: the records a fold keeps besides the schema. ``Lineage`` lists, per object key (and per
column, keyed ``("column", schema, table, column)``), each statement that created, altered, renamed
or dropped it. The ``Ledger`` has exactly one entry per input statement:

- ``absorbed-into``: its effect lives in an object of the net schema (``target``);
- ``superseded-by``: a later statement (``by``) undid or replaced its effect;
- ``no-op``: it changed nothing (``reason``): a session setting, an ``IF NOT EXISTS`` that found
  the object, a data statement on a table known to be empty;
- ``kept-verbatim``: it is emitted as written.

Must not know: SQL text, rendering, databases.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from schemafold.model import Key

ACTIONS = ("created", "altered", "renamed", "dropped", "commented", "granted", "data")
OUTCOMES = ("absorbed-into", "superseded-by", "no-op", "kept-verbatim")


@attrs.frozen
class LineageEntry:
    """One statement in an object's history.

    ``action`` is one of ``ACTIONS`` (what the statement did to the object), ``file`` and
    ``line`` where the statement starts, ``description`` a short account in words (``"column
    email added"``) for people; tools should read ``action``.
    """

    action: str
    file: str
    line: int
    description: str

    def where(self) -> str:
        """``file:line``, as messages write a place."""
        return f"{self.file}:{self.line}"


@attrs.frozen
class LedgerEntry:
    """What became of one input statement: exactly one entry per statement of the history.

    ``outcome`` is one of ``OUTCOMES``; ``target`` is the object an ``absorbed-into`` statement
    lives on in, ``by`` the ``file:line`` of the statement that superseded it, ``reason`` why a
    ``no-op`` changed nothing. ``text`` is the statement as written.
    """

    file: str
    line: int
    text: str
    outcome: str
    target: Key | None = None
    by: str | None = None  # file:line of the superseding statement
    reason: str | None = None

    def where(self) -> str:
        """``file:line``, as messages write a place."""
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        """The outcome in the ledger's notation: ``absorbed-into(table public.users)``,
        ``superseded-by(0004_x.sql:3)``, ``no-op(reason)`` or ``kept-verbatim``."""
        if self.outcome == "absorbed-into":
            return f"absorbed-into({describe_key(self.target)})"
        if self.outcome == "superseded-by":
            return f"superseded-by({self.by})"
        if self.outcome == "no-op":
            return f"no-op({self.reason})"
        return "kept-verbatim"


Lineage = Mapping[Key, tuple[LineageEntry, ...]]


def describe_key(key: Key | None) -> str:
    """``table public.t``, ``column public.t.a``, ``function public.f(integer)``."""
    if key is None:
        return "?"
    kind = str(key[0])
    parts = [str(p) for p in key[1:] if not isinstance(p, tuple)]
    text = ".".join(p for p in parts if p != "None")
    if kind == "function" and isinstance(key[-1], tuple):
        text += "(" + ", ".join(str(a) for a in key[-1]) + ")"
    if kind in ("trigger", "policy") and len(key) == 4:
        text = f"{key[3]} on {key[1]}.{key[2]}"
    return f"{kind} {text}"
