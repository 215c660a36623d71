"""PostgreSQL: one statement's text to events.

Owns: choosing the handler for a statement (``registry``), turning what no handler models into an
``Opaque`` event with a warning, and telling valid-but-unmodelled SQL from bad input.

How sqlglot is used: its PostgreSQL tokenizer is the lexer for every statement (offsets into the
original text); its parser reads queries, data statements and expressions (``data``, ``opaque``).
DDL is read by the small token parsers in the sibling modules, because sqlglot's DDL parser falls
back to ``Command`` for a third of real migration DDL and its generator must never produce the
SQL we render (it turns ``serial`` into identity columns).

Must not know: the schema state; files and migrations.
"""

from __future__ import annotations

import attrs

from schemafold.errors import InputError, SchemaWarning
from schemafold.events import Event, Opaque, Origin
from schemafold.parse.postgres import (  # noqa: F401  (handlers register themselves on import)
    data,
    objects,
    privileges,
    procedural,
    session,
    tables,
)
from schemafold.parse.postgres.opaque import make_opaque
from schemafold.parse.postgres.registry import Unsupported, handler_for
from schemafold.parse.tokens import Cursor, TokenType

# Leading key words of every PostgreSQL command: a statement starting with one of these that no
# handler models is valid SQL kept verbatim; anything else is a syntax error.
COMMAND_WORDS = frozenset(
    """
    ABORT ALTER ANALYZE ANALYSE BEGIN CALL CHECKPOINT CLOSE CLUSTER COMMENT COMMIT COPY CREATE
    DEALLOCATE DECLARE DELETE DISCARD DO DROP END EXECUTE EXPLAIN FETCH GRANT IMPORT INSERT LISTEN
    LOAD LOCK MERGE MOVE NOTIFY PREPARE REASSIGN REFRESH REINDEX RELEASE RESET REVOKE ROLLBACK
    SAVEPOINT SECURITY SELECT SET SHOW START TABLE TRUNCATE UNLISTEN UPDATE VACUUM VALUES WITH
    """.split()  # noqa: SIM905
)


@attrs.frozen
class Translation:
    events: tuple[Event, ...]
    warnings: tuple[SchemaWarning, ...] = ()


def translate(origin: Origin) -> Translation:
    """The events of one statement (``origin.text``)."""
    cursor = Cursor(origin.text, file=origin.file, line=origin.line)
    if cursor.at_end():
        return Translation(())
    handler = handler_for(cursor)
    if handler is not None:
        try:
            return Translation(tuple(handler(cursor, origin)))
        except Unsupported as unsupported:
            return _opaque(origin, str(unsupported))
    first = cursor.peek_word()
    if first in COMMAND_WORDS or cursor.at_type(TokenType.L_PAREN):
        return _opaque(origin, f"{first} ... is not modelled")
    raise InputError(
        "syntax error: not a PostgreSQL statement", file=origin.file, line=origin.line,
        text=origin.text,
    )


def _opaque(origin: Origin, reason: str) -> Translation:
    event: Opaque = make_opaque(origin, reason)
    warning = SchemaWarning(
        f"kept verbatim ({reason})", file=origin.file, line=origin.line, text=origin.text
    )
    return Translation((event,), (warning,))
