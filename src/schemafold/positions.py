"""Sequence positions a history sets explicitly, found in its statements' text.

The equality contract reproduces a position the history set (``ALTER SEQUENCE ... RESTART``,
``setval``, an identity column's ``RESTART``) and otherwise only asks that no sequence be behind
the column it owns. Both ``verify`` (which positions must agree) and the renderer (which
sequences it must not bring level after statements kept verbatim) read them here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["COLUMN_PREFIX", "fed_column", "positions_set", "same_relation", "unquote"]

COLUMN_PREFIX = "column:"
"""An explicit position named by the column its sequence feeds: ``column:table.column``."""

_SETVAL = re.compile(r"\bsetval\s*\(\s*'([^']+)'", re.IGNORECASE)
_SETVAL_OF_COLUMN = re.compile(
    r"\bsetval\s*\(\s*(?:pg_catalog\s*\.\s*)?pg_get_serial_sequence\s*\(\s*'([^']+)'\s*,"
    r"\s*'([^']+)'", re.IGNORECASE)
_RESTART = re.compile(
    r"^\s*ALTER\s+SEQUENCE\s+(?:IF\s+EXISTS\s+)?((?:\"(?:[^\"]|\"\")+\"|[\w$]+)"
    r"(?:\s*\.\s*(?:\"(?:[^\"]|\"\")+\"|[\w$]+))?)\b.*\bRESTART\b",
    re.IGNORECASE | re.DOTALL,
)

_NAME = r'(?:"(?:[^"]|"")+"|[\w$]+)'
_QUALIFIED = rf"({_NAME}(?:\s*\.\s*{_NAME})?)"
#: a rename or move of a sequence (or of the table whose column a sequence feeds), after which
#: a position the history set is found under the new name
_RENAMED = re.compile(
    rf"^\s*ALTER\s+(?:SEQUENCE|TABLE)\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_QUALIFIED}\s+"
    rf"(RENAME\s+TO|SET\s+SCHEMA)\s+({_NAME})\s*;?\s*$", re.IGNORECASE)
#: ``ALTER TABLE t ALTER [COLUMN] c RESTART ...`` (or ``SET ... RESTART``): the position of the
#: identity sequence of ``t.c``
_COLUMN_RESTART = re.compile(
    rf"^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_QUALIFIED}\s+ALTER\s+"
    rf"(?:COLUMN\s+)?({_NAME})\s+(?:SET\b[^,;]*?)?\bRESTART\b", re.IGNORECASE | re.DOTALL)
#: ``ALTER SCHEMA s RENAME TO n``: positions set on sequences (or tables) qualified by ``s``
#: are found under ``n``
_SCHEMA_RENAMED = re.compile(
    rf"^\s*ALTER\s+SCHEMA\s+({_NAME})\s+RENAME\s+TO\s+({_NAME})\s*;?\s*$", re.IGNORECASE)
_DROPPED = re.compile(
    rf"^\s*DROP\s+(?:SEQUENCE|TABLE)\s+(?:IF\s+EXISTS\s+)?({_QUALIFIED}(?:\s*,\s*{_QUALIFIED})*)",
    re.IGNORECASE)


def fed_column(name: str) -> tuple[str, str] | None:
    """(table, column) of a ``column:table.column`` name of :func:`positions_set`; None for the
    name of a sequence."""
    if not name.startswith(COLUMN_PREFIX):
        return None
    table, _, column = name[len(COLUMN_PREFIX):].rpartition(".")
    return table, column


def unquote(name: str) -> str:
    """A name as written (quoted parts kept, others folded to lower case), unquoted."""
    parts = re.findall(r'"((?:[^"]|"")+)"|([^."\s]+)', name)
    return ".".join(q.replace('""', '"') if q else p.lower() for q, p in parts)


def positions_set(statements: Iterable[str],
                  already: Iterable[str] = ()) -> dict[str, int | None]:
    """Sequences whose position ``statements`` set (``ALTER SEQUENCE ... RESTART``, ``setval``,
    ``ALTER TABLE ... ALTER COLUMN ... RESTART``), followed through the renames, moves and drops
    after them. Names as written, unquoted; a sequence named by the column it feeds
    (``setval(pg_get_serial_sequence('t', 'c'), ...)``, an identity's ``RESTART``) is
    ``column:t.c`` (the table parsed as SQL names are, the column taken literally, as
    PostgreSQL does). ``already`` names positions set before ``statements``, followed through
    them in the same way."""
    found: dict[str, int | None] = dict.fromkeys(already)
    for statement in statements:
        for name in _SETVAL.findall(statement):
            found[unquote(name)] = None
        for table, column in _SETVAL_OF_COLUMN.findall(statement):
            found[f"{COLUMN_PREFIX}{unquote(table)}.{column}"] = None
        match = _RESTART.match(statement)
        if match:
            found[unquote(match.group(1))] = None
        match = _COLUMN_RESTART.match(statement)
        if match:
            table, column = unquote(match.group(1)), unquote(match.group(2))
            found[f"{COLUMN_PREFIX}{table}.{column}"] = None
        _follow(statement, found)
    return found


def _follow(statement: str, found: dict[str, int | None]) -> None:
    """Sequences of ``found`` (and tables of its ``column:`` names) that ``statement``
    renames, moves to another schema or drops: found under their new name, or forgotten."""
    schema_renamed = _SCHEMA_RENAMED.match(statement)
    if schema_renamed is not None:
        old_schema, new_schema = (unquote(schema_renamed.group(1)),
                                  unquote(schema_renamed.group(2)))
        for key in list(found):
            prefix = COLUMN_PREFIX if key.startswith(COLUMN_PREFIX) else ""
            parts = key[len(prefix):].split(".")
            # qualified: schema.sequence, or column:schema.table.column
            if len(parts) == (3 if prefix else 2) and parts[0] == old_schema:
                found[prefix + ".".join([new_schema, *parts[1:]])] = found.pop(key)
        return
    renamed = _RENAMED.match(statement)
    dropped = _DROPPED.match(statement)
    if renamed is None and dropped is None:
        return
    for key in list(found):
        column = key.startswith(COLUMN_PREFIX)
        name = key[len(COLUMN_PREFIX):].rsplit(".", 1)[0] if column else key
        rest = key[len(COLUMN_PREFIX) + len(name):] if column else ""
        if renamed is not None and same_relation(name, unquote(renamed.group(1))):
            old = name.rsplit(".", 1)
            new = unquote(renamed.group(3))
            if renamed.group(2).upper().startswith("RENAME"):
                moved = ".".join([*old[:-1], new])
            else:
                moved = f"{new}.{old[-1]}"
            found[f"{COLUMN_PREFIX if column else ''}{moved}{rest}"] = found.pop(key)
        elif dropped is not None and any(
                same_relation(name, unquote(n.strip())) for n in _split_names(dropped.group(1))):
            del found[key]


def same_relation(written: str, other: str) -> bool:
    """Two names of a relation as written, one perhaps qualified: the same one, unless both
    are qualified by different schemas."""
    a, b = written.split("."), other.split(".")
    return a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or a[0] == b[0])


def _split_names(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(_QUALIFIED, text)]
