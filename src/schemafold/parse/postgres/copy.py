"""``COPY``: the rows of ``COPY t [(cols)] FROM stdin`` that follow it (a pg_dump script), read
as an ``Insert`` of literal rows; any other ``COPY`` is valid SQL folding does not model.

Owns: PostgreSQL's COPY text format (tab-separated fields, ``\\N`` for NULL, backslash escapes)
turned into SQL literals.

Must not know: the schema state; how the splitter finds the data (``Origin.copy_data``).
"""

from __future__ import annotations

import re

from schemafold.events import Event, Insert, Origin
from schemafold.names import quote_literal
from schemafold.parse.postgres.registry import Unsupported, handles
from schemafold.parse.tokens import Cursor, TokenType

_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", re.DOTALL)


def _field(text: str) -> str:
    """One field of the text format as an SQL literal: ``\\N`` is NULL, escapes are undone."""
    if text == "\\N":
        return "NULL"

    def undo(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _ESCAPES.get(code, code)

    return quote_literal(_ESCAPE.sub(undo, text))


def copy_rows(data: str) -> tuple[tuple[str, ...], ...]:
    """The rows of COPY text-format ``data`` (one a line), each field as an SQL literal."""
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(tuple(_field(f) for f in line.removesuffix("\r").split("\t")) for line in lines)


@handles("COPY")
def copy(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("COPY")
    if origin.copy_data is None or cursor.at_type(TokenType.L_PAREN):
        raise Unsupported("COPY statement")
    table = cursor.qname()
    columns: tuple[str, ...] | None = None
    if cursor.at_type(TokenType.L_PAREN):
        columns = tuple(cursor.group_identifiers())
    cursor.expect("FROM")
    cursor.expect("STDIN")
    if not cursor.at_end():  # WITH (FORMAT csv), DELIMITER ...: not the default text format
        raise Unsupported("COPY FROM stdin with options")
    rows = copy_rows(origin.copy_data)
    if columns is not None and any(len(row) != len(columns) for row in rows):
        raise cursor.error("COPY data: a row does not have one field per column")
    return [Insert(origin=origin, table=table, columns=columns, rows=rows)]
