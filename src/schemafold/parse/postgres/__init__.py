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
    copy,
    data,
    objects,
    privileges,
    procedural,
    session,
    tables,
)
from schemafold.parse.postgres.opaque import make_opaque
from schemafold.parse.postgres.registry import Unsupported, handler_for
from schemafold.parse.tokens import Cursor, TokenType, word

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

# For CREATE, ALTER and DROP: the words that may follow (after the modifiers below) in some
# PostgreSQL command. ``CREATE TABEL t`` is a syntax error, not a statement kept verbatim.
_MODIFIERS = frozenset(
    """
    OR REPLACE TEMP TEMPORARY GLOBAL LOCAL UNLOGGED UNIQUE RECURSIVE TRUSTED PROCEDURAL DEFAULT
    CONSTRAINT
    """.split()  # noqa: SIM905
)
_OBJECT_WORDS = {
    "CREATE": frozenset(
        """
        ACCESS AGGREGATE CAST COLLATION CONVERSION DATABASE DOMAIN EVENT EXTENSION FOREIGN
        FUNCTION GROUP INDEX LANGUAGE MATERIALIZED OPERATOR POLICY PROCEDURE PUBLICATION ROLE RULE
        SCHEMA SEQUENCE SERVER STATISTICS SUBSCRIPTION TABLE TABLESPACE TEXT TRANSFORM TRIGGER
        TYPE USER VIEW
        """.split()  # noqa: SIM905
    ),
    "ALTER": frozenset(
        """
        AGGREGATE COLLATION CONVERSION DATABASE DEFAULT DOMAIN EVENT EXTENSION FOREIGN FUNCTION
        GROUP INDEX LANGUAGE LARGE MATERIALIZED OPERATOR POLICY PROCEDURAL PROCEDURE PUBLICATION
        ROLE ROUTINE RULE SCHEMA SEQUENCE SERVER STATISTICS SUBSCRIPTION SYSTEM TABLE TABLESPACE
        TEXT TRIGGER TYPE USER VIEW
        """.split()  # noqa: SIM905
    ),
    "DROP": frozenset(
        """
        ACCESS AGGREGATE CAST COLLATION CONVERSION DATABASE DOMAIN EVENT EXTENSION FOREIGN
        FUNCTION GROUP INDEX LANGUAGE MATERIALIZED OPERATOR OWNED POLICY PROCEDURAL PROCEDURE
        PUBLICATION ROLE ROUTINE RULE SCHEMA SEQUENCE SERVER STATISTICS SUBSCRIPTION TABLE
        TABLESPACE TEXT TRANSFORM TRIGGER TYPE USER VIEW
        """.split()  # noqa: SIM905
    ),
}


def _names_a_command(cursor: Cursor) -> bool:
    """Whether the statement starts like some PostgreSQL command (that no handler models)."""
    first = cursor.peek_word()
    if cursor.at_type(TokenType.L_PAREN):
        return True
    if first not in COMMAND_WORDS:
        return False
    kinds = _OBJECT_WORDS.get(first)
    if kinds is None:
        return True
    i = 1
    while cursor.peek_word(i) in _MODIFIERS:
        i += 1
    return cursor.peek_word(i) in kinds


@attrs.frozen
class Translation:
    events: tuple[Event, ...]
    warnings: tuple[SchemaWarning, ...] = ()


def translate(origin: Origin) -> Translation:
    """The events of one statement (``origin.text``)."""
    cursor = Cursor(origin.text, file=origin.file, line=origin.line)
    if cursor.at_end():
        return Translation(())
    error = cursor.end_error()
    if error is not None:  # whatever the statement is, PostgreSQL rejects it
        raise error
    handler = handler_for(cursor)
    if handler is not None:
        try:
            return Translation(tuple(handler(cursor, origin)))
        except Unsupported as unsupported:
            return _opaque(origin, str(unsupported))
    if cursor.peek_word() == "CREATE" and (second := cursor.peek(1)) is not None and (
            word(second) not in _CREATE_WORDS
            or (word(second) == "DEFAULT" and cursor.peek_word(2) != "CONVERSION")):
        # CREATE DEFAULT TABLE: no CREATE statement goes on so (gram.y)
        wrong = second if word(second) != "DEFAULT" else cursor.peek(2) or second
        raise cursor.error(f'syntax error at or near "{wrong.text}"', wrong)
    if _names_a_command(cursor):
        first = cursor.peek_word()
        if first in _OBJECT_WORDS:
            first += " " + cursor.peek_word(1)
        return _opaque(origin, f"{first or 'a parenthesised query'} ... is not modelled")
    raise InputError(
        "syntax error: not a PostgreSQL statement", file=origin.file, line=origin.line,
        text=origin.text,
    )


#: The words after CREATE that a statement of PostgreSQL 15 to 18 goes on with (gram.y):
#: any other is a syntax error; ``CREATE DEFAULT`` is only ``CREATE DEFAULT CONVERSION``.
_CREATE_WORDS = frozenset({
    "TABLE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "VIEW", "OR", "MATERIALIZED",
    "INDEX", "UNIQUE", "SEQUENCE", "FUNCTION", "PROCEDURE", "TRIGGER", "CONSTRAINT", "TYPE",
    "DOMAIN", "SCHEMA", "EXTENSION", "ROLE", "USER", "GROUP", "DATABASE", "TABLESPACE",
    "POLICY", "RULE", "AGGREGATE", "OPERATOR", "CAST", "COLLATION", "CONVERSION", "DEFAULT",
    "EVENT", "FOREIGN", "SERVER", "PUBLICATION", "SUBSCRIPTION", "STATISTICS", "TEXT",
    "ACCESS", "LANGUAGE", "TRUSTED", "PROCEDURAL", "RECURSIVE", "TRANSFORM",
})


def _opaque(origin: Origin, reason: str) -> Translation:
    event: Opaque = make_opaque(origin, reason)
    warning = SchemaWarning(
        f"kept verbatim ({reason})", file=origin.file, line=origin.line, text=origin.text
    )
    return Translation((event,), (warning,))
