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

import re

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError, SchemaWarning
from schemafold.events import Event, Opaque, Origin
from schemafold.parse.keywords import COMMAND_WORDS
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
from schemafold.parse.tokens import (
    Cursor,
    Token,
    TokenType,
    identifier_of,
    is_string,
    is_word,
    word,
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
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
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
    _refuse_a_second_statement(cursor)
    _refuse_uneven_rows(cursor)
    _refuse_option_value(cursor)
    _refuse_a_repeated_assignment(cursor)
    handler = handler_for(cursor)
    if handler is not None:
        try:
            return Translation(tuple(handler(cursor, origin)))
        except Unsupported as unsupported:
            return _opaque(origin, str(unsupported))
    if cursor.peek_word() == "CREATE" and (second := cursor.peek(1)) is not None and (
            word(second) not in _MODIFIERS | _OBJECT_WORDS["CREATE"]
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


def _refuse_a_repeated_assignment(cursor: Cursor) -> None:
    """A data-changing statement run at the top level (``UPDATE``, ``INSERT ... ON CONFLICT
    DO UPDATE``, ``MERGE``, a ``WITH`` query's ``UPDATE``) that assigns a column twice
    (:func:`repeated_assignment`): PostgreSQL's rewriter refuses it. A rule's action and a
    PL/pgSQL body are not rewritten when they are created, and are not read here."""
    if cursor.peek_word() not in ("UPDATE", "INSERT", "MERGE", "WITH") or \
            "SET" not in cursor.text.upper():
        return
    from schemafold.parse.query_syntax import repeated_assignment

    found = repeated_assignment(cursor.tokens)
    if found is not None:
        column, token = found
        raise cursor.error(f'multiple assignments to same column "{column}"', token)


def _refuse_uneven_rows(cursor: Cursor) -> None:
    """Rows of different widths (:func:`uneven_rows`: ``VALUES (1, 2), (3)``, ``SELECT 1, 2
    UNION SELECT 3``), which PostgreSQL's parse analysis refuses in any statement the tokens
    show a query of: a routine's body in a string is one token, a ``BEGIN ATOMIC`` body is
    always analyzed."""
    upper = cursor.text.upper()
    if "VALUES" not in upper and "UNION" not in upper and "INTERSECT" not in upper and \
            "EXCEPT" not in upper:
        return
    from schemafold.parse.query_syntax import uneven_rows

    found = uneven_rows(cursor.tokens)
    if found is not None:
        raise cursor.error(*found)


#: Storage parameters (reloptions) of integer type, of a table, its TOAST table or an index.
_INTEGER_OPTIONS = frozenset(
    """
    fillfactor toast_tuple_target parallel_workers autovacuum_vacuum_threshold
    autovacuum_vacuum_insert_threshold autovacuum_analyze_threshold
    autovacuum_vacuum_cost_limit autovacuum_freeze_min_age autovacuum_freeze_max_age
    autovacuum_freeze_table_age autovacuum_multixact_freeze_min_age
    autovacuum_multixact_freeze_max_age autovacuum_multixact_freeze_table_age
    log_autovacuum_min_duration pages_per_range gin_pending_list_limit
    """.split()  # noqa: SIM905
)
#: Storage parameters of boolean type (a view's too).
_BOOLEAN_OPTIONS = frozenset(
    """
    autovacuum_enabled user_catalog_table vacuum_truncate deduplicate_items fastupdate
    autosummarize security_barrier security_invoker
    """.split()  # noqa: SIM905
)
#: What PostgreSQL's parse_bool takes beyond a prefix of true, false, yes or no.
_BOOLEAN_WORDS = ("on", "off", "of")


def _refuse_option_value(cursor: Cursor) -> None:
    """A storage parameter of integer or boolean type given a word no number or boolean is
    (``WITH (fillfactor = case)``, ``SET (autovacuum_enabled = 'maybe')``): PostgreSQL's
    ``invalid value for integer option "fillfactor": case``. Read in ``CREATE TABLE``,
    ``CREATE INDEX``, ``CREATE [MATERIALIZED] VIEW``, ``ALTER TABLE`` and ``ALTER INDEX``
    without ``IF [NOT] EXISTS`` (which may skip the statement unread); a value holding a
    digit, a sign or a dot is left alone."""
    tokens = cursor.tokens
    words = [word(token) for token in tokens[:4]]
    if "(" not in cursor.text or "=" not in cursor.text or \
            words[:1] not in (["CREATE"], ["ALTER"]) or \
            not {"TABLE", "INDEX", "VIEW"} & set(words[1:4]) or "EXISTS" in cursor.text.upper():
        return
    for i in range(1, len(tokens) - 3):
        if word(tokens[i]) not in ("WITH", "SET") or \
                tokens[i + 1].token_type != TokenType.L_PAREN:
            continue
        j = i + 2
        while j + 2 < len(tokens):
            name = [identifier_of(tokens[j])]
            k = j + 1
            if tokens[k].token_type == TokenType.DOT and k + 1 < len(tokens):  # toast.x
                name.append(identifier_of(tokens[k + 1]))
                k += 2
            if k + 2 >= len(tokens) or tokens[k].token_type != TokenType.EQ or \
                    tokens[k + 2].token_type not in (TokenType.COMMA, TokenType.R_PAREN):
                break
            option = name[-1]
            value = tokens[k + 1]
            text = value.text.lower() if is_string(value) or (
                is_word(value) and value.token_type != TokenType.IDENTIFIER) else None
            if option is not None and text is not None and (len(name) == 1 or name[0] in (
                    "toast",)) and re.fullmatch(r"[a-z_]+", text):
                kind = None
                if option in _INTEGER_OPTIONS:
                    kind = "integer"
                elif option in _BOOLEAN_OPTIONS and text not in _BOOLEAN_WORDS and not any(
                        full.startswith(text) for full in ("true", "false", "yes", "no")):
                    kind = "boolean"
                if kind is not None:
                    shown = value.text if is_string(value) else text
                    raise cursor.error(f'invalid value for {kind} option "{option}": {shown}',
                                       value)
            if tokens[k + 2].token_type == TokenType.R_PAREN:
                break
            j = k + 3


def _refuse_a_second_statement(cursor: Cursor) -> None:
    """``CREATE`` (a reserved word) or ``ALTER TABLE`` inside a statement is the start of the
    next one whose ``;`` went missing (``SET DEFAULT nextval('s')`` then ``CREATE SEQUENCE
    ...``): PostgreSQL's syntax error at that word. Only a privilege list (``GRANT CREATE``,
    ``ALTER DEFAULT PRIVILEGES ... GRANT CREATE``), ``CREATE SCHEMA``'s elements, ``EXPLAIN``,
    a ``BEGIN ATOMIC`` body and the places where any key word is a name (``_a_label``) may hold
    one."""
    rest = cursor.text[1:].upper()
    if "CREATE" not in rest and "ALTER" not in rest:
        return  # neither word after the statement's start: nothing to read (most statements)
    tokens = cursor.tokens
    words = [word(token) for token in tokens[:2]]
    if words == ["CREATE", "SCHEMA"] or words[:1] == ["EXPLAIN"]:
        return
    openers: list[int] = []  # where each parenthesis still open at ``i`` opened
    for i in range(len(tokens)):
        token_type = tokens[i].token_type
        if token_type == TokenType.L_PAREN:
            openers.append(i)
            continue
        if token_type == TokenType.R_PAREN:
            if openers:
                openers.pop()
            continue
        upper = word(tokens[i])
        if upper in ("GRANT", "REVOKE", "ATOMIC"):
            return
        if i == 0 or _a_label(tokens, i, openers):
            continue
        if upper == "CREATE" or (upper == "ALTER" and i + 1 < len(tokens)
                                 and word(tokens[i + 1]) == "TABLE"):
            raise cursor.error(f'syntax error at or near "{tokens[i].text}"', tokens[i])


#: Words that may stand before an option's name in ``OPTIONS (...)`` (gram.y's
#: alter_generic_option_elem).
_OPTION_ACTIONS = frozenset({"ADD", "SET", "DROP"})


def _a_label(tokens: list[Token], i: int, openers: list[int]) -> bool:
    """Whether ``tokens[i]`` stands where PostgreSQL takes any key word as a name (gram.y's
    ColLabel): a label or a field (``SELECT 1 AS create``, ``x.create``), an option's name
    (``OPTIONS (create 'x')``, ``OPTIONS (DROP create)``), a trigger's argument (``EXECUTE
    FUNCTION f(create)``), a name in an operator's or an aggregate's definition (``create =
    x``: PostgreSQL warns of a name it does not know) and ``xmlelement(name create)``."""
    before = tokens[i - 1]
    if before.token_type == TokenType.DOT or word(before) == "AS":
        return True
    if not openers:
        return False
    opener = openers[-1]
    after = tokens[i + 1].token_type if i + 1 < len(tokens) else None
    first = before.token_type in (TokenType.L_PAREN, TokenType.COMMA)
    head = word(tokens[opener - 1]) if opener else ""
    if head == "OPTIONS":
        if word(before) == "DROP" and tokens[i - 2].token_type in (TokenType.L_PAREN,
                                                                    TokenType.COMMA):
            return after in (TokenType.COMMA, TokenType.R_PAREN)
        if word(before) in _OPTION_ACTIONS:
            first = tokens[i - 2].token_type in (TokenType.L_PAREN, TokenType.COMMA)
        return first and i + 1 < len(tokens) and is_string(tokens[i + 1])
    if word(before) == "NAME" and before is tokens[opener + 1] and head in ("XMLELEMENT",
                                                                            "XMLPI"):
        return True
    if not first:
        return False
    if after in (TokenType.COMMA, TokenType.R_PAREN) and _trigger_arguments(tokens, opener):
        return True
    if len(openers) > 1 or after not in (TokenType.EQ, TokenType.COMMA, TokenType.R_PAREN):
        return False
    kind = [word(token) for token in tokens[:4]]
    if kind[1:3] == ["OR", "REPLACE"]:
        kind[1:3] = []
    if kind[:2] == ["CREATE", "OPERATOR"]:
        return True
    # an aggregate's definition follows its arguments' list (the older form, with no
    # arguments' list, takes no key word there)
    return kind[:2] == ["CREATE", "AGGREGATE"] and \
        tokens[opener - 1].token_type == TokenType.R_PAREN


def _trigger_arguments(tokens: list[Token], opener: int) -> bool:
    """Whether the parenthesis at ``opener`` opens a ``CREATE [CONSTRAINT] TRIGGER``'s
    arguments for its function (``EXECUTE FUNCTION s.f(``); an event trigger takes none."""
    j = opener - 1
    while j >= 2 and tokens[j - 1].token_type == TokenType.DOT:
        j -= 2
    if j < 2 or word(tokens[j - 1]) not in ("FUNCTION", "PROCEDURE") or word(
            tokens[j - 2]) != "EXECUTE":
        return False
    kinds = [word(token) for token in tokens[1:5]]
    return "TRIGGER" in kinds and "EVENT" not in kinds


def _opaque(origin: Origin, reason: str) -> Translation:
    event: Opaque = make_opaque(origin, reason)
    warning = SchemaWarning(
        f"kept verbatim ({reason})", file=origin.file, line=origin.line, text=origin.text
    )
    return Translation((event,), (warning,))
