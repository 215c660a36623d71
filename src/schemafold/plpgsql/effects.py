"""Whether a trigger function can change nothing in the database when it fires.

Owns: reading a PL/pgSQL trigger body for the few statements that leave every table as it was:
``PERFORM pg_notify(...)`` (a notification is sent at commit, outside the database's state),
``RAISE`` below ``EXCEPTION``, ``NULL``, and ``RETURN`` of the row the trigger was given
(``NEW`` for ``INSERT``/``UPDATE``, ``OLD`` for ``DELETE``; anything for an ``AFTER`` or
statement-level trigger, whose result PostgreSQL ignores). Such a trigger firing on a data
statement does not stop the fold from evaluating it. Anything else (an assignment, a query, a
condition, ``EXECUTE``) counts as an effect, on purpose.

Must not know: the fold's state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemafold.plpgsql.syntax import Block, Null, Raise, Return, Sql, Stmt, Unreadable, parse_block

__all__ = ["inert_trigger_body"]

#: a notification whose arguments are literals or the trigger's own variables
_NOTIFY = re.compile(r"(?is)^\s*SELECT\s+pg_notify\s*\((?:\s*('(?:[^']|'')*'|TG_\w+|\w+)\s*"
                     r"(?:\|\|\s*('(?:[^']|'')*'|TG_\w+)\s*)*,?)*\)\s*;?\s*$")


def inert_trigger_body(body: str, *, row_level: bool, before: bool, events: str) -> bool:
    """Whether a trigger with this PL/pgSQL ``body`` changes nothing when it fires."""
    try:
        block = parse_block(body)
    except Unreadable:
        return False
    except Exception:  # noqa: BLE001 - an unforeseen body is simply not known to be inert
        return False
    if block.handlers:
        return False
    words = events.upper()
    if row_level and before:
        if "DELETE" in words and ("INSERT" in words or "UPDATE" in words):
            return False
        given = "OLD" if "DELETE" in words else "NEW"
    else:
        given = None
    return _inert(block.body, given)


def _inert(statements: Iterable[Stmt], given: str | None) -> bool:
    for statement in statements:
        if isinstance(statement, Block):
            if statement.handlers or statement.declares or not _inert(statement.body, given):
                return False
        elif isinstance(statement, Null):
            continue
        elif isinstance(statement, Raise):
            if statement.level.upper() == "EXCEPTION" or statement.condition is not None:
                return False
        elif isinstance(statement, Sql):
            if not statement.perform or statement.into or not _NOTIFY.match(statement.text.text):
                return False
        elif isinstance(statement, Return):
            value = (statement.value.text.strip().upper() if statement.value else "")
            if given is not None and value != given:
                return False
        else:
            return False
    return True
