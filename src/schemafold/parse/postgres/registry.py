"""The table of statement handlers for the PostgreSQL dialect.

Owns: which handler reads a statement, chosen by the statement's leading words (the longest
registered prefix wins). Handlers live in the sibling modules, one per family of statements, and
register themselves with ``@handles("CREATE TABLE", "CREATE UNLOGGED TABLE")``.

A handler reads the whole statement with a ``Cursor`` positioned at its first token and returns
its events. It raises ``InputError`` (through ``cursor.error``) for malformed SQL and
``Unsupported`` for valid SQL that folding does not model, which becomes an ``Opaque`` event.
"""

from __future__ import annotations

from collections.abc import Callable

from schemafold.events import Event, Origin
from schemafold.parse.tokens import Cursor

Handler = Callable[[Cursor, Origin], list[Event]]

_HANDLERS: dict[tuple[str, ...], Handler] = {}
_LONGEST = 1


class Unsupported(Exception):
    """Valid SQL that folding does not model; the message says what, for the warning."""


def handles(*prefixes: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        global _LONGEST
        for prefix in prefixes:
            key = tuple(prefix.upper().split())
            if key in _HANDLERS and _HANDLERS[key] is not handler:
                raise ValueError(f"two handlers for {prefix!r}")
            _HANDLERS[key] = handler
            _LONGEST = max(_LONGEST, len(key))
        return handler

    return register


def handler_for(cursor: Cursor) -> Handler | None:
    words = []
    for i in range(_LONGEST):
        w = cursor.peek_word(i)
        if not w:
            break
        words.append(w)
    for n in range(len(words), 0, -1):
        handler = _HANDLERS.get(tuple(words[:n]))
        if handler is not None:
            return handler
    return None


def registered_prefixes() -> list[str]:
    return sorted(" ".join(k) for k in _HANDLERS)
