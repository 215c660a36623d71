"""Handlers: tables, their columns and constraints, indexes and views.

Owns: reading CREATE TABLE, ALTER TABLE, CREATE INDEX and CREATE [MATERIALIZED] VIEW into events,
with every type, default, expression and option sliced from the original text.

Must not know: the schema state (implicit constraint names are chosen by the fold, which knows
which names are taken).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from schemafold.errors import InputError
from schemafold.events import (
    AddColumn,
    AddConstraint,
    AlterColumnType,
    AttachPartition,
    Column,
    Constraint,
    CreateIndex,
    CreateTable,
    CreateView,
    DetachPartition,
    DropColumn,
    DropConstraint,
    Event,
    IdentitySequence,
    IndexElement,
    Inherit,
    LikeClause,
    Origin,
    RefreshMaterializedView,
    Rename,
    RenameColumn,
    SequenceOptions,
    SetColumnDefault,
    SetColumnIdentity,
    SetColumnNotNull,
    SetIdentityGeneration,
    SetOwner,
    SetRowSecurity,
    SetSchema,
    TableIfExists,
    ValidateConstraint,
)
from schemafold.events import ObjectRef as Ref
from schemafold.kinds import ObjectKind
from schemafold.names import SERIAL_TYPES, QName
from schemafold.parse.keywords import EXPRESSION_STARTS, KEYWORDS, RESERVED, TYPE_FUNCTION_NAMES
from schemafold.parse.postgres.data import refuse_adjacent_constants
from schemafold.parse.postgres.objects import (
    _integer,
    read_identity_options,
    read_sequence_options,
    role_spec,
)
from schemafold.parse.postgres.registry import Unsupported, handles
from schemafold.parse.tokens import (
    Cursor,
    Token,
    TokenType,
    dotted_name,
    identifier_of,
    is_string,
    is_word,
    word,
)

# Words that end a column's type, or a default expression, at the top level of a column definition.
_COLUMN_CONSTRAINT_WORDS = (
    "CONSTRAINT",
    "NOT",
    "NULL",
    "CHECK",
    "DEFAULT",
    "GENERATED",
    "UNIQUE",
    "PRIMARY",
    "REFERENCES",
    "COLLATE",
    "DEFERRABLE",
    "INITIALLY",
    "COMPRESSION",
    "STORAGE",
)
_TABLE_CONSTRAINT_WORDS = ("CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "EXCLUDE")
_FK_ACTIONS = ("CASCADE", "RESTRICT", "NO ACTION", "SET NULL", "SET DEFAULT")


# ---------------------------------------------------------------------------------------------
# Columns and constraints (shared by CREATE TABLE and ALTER TABLE ... ADD)
# ---------------------------------------------------------------------------------------------


def read_column(cursor: Cursor, table: str | None = None, *, setof: bool = False,
                deferred: list[InputError] | None = None) -> Column:
    """``name type [COLLATE c] [constraints...]`` up to the end of ``cursor``'s tokens or a
    top-level comma. ``table``: the table's name when PostgreSQL certainly reads the column
    (no ``IF NOT EXISTS``, no ``ALTER TABLE IF EXISTS``), so that ``NULL`` on a ``NOT NULL``
    column is refused here; else the fold judges it (``Column.null_conflict``). ``setof``:
    a type written ``SETOF type`` is that type (``ALTER TABLE ... ADD COLUMN``: PostgreSQL
    15 takes it so), else refused as PostgreSQL refuses it in ``CREATE TABLE``.
    ``deferred``: where a ``COLLATE`` or ``COMPRESSION`` the type takes none of is put
    instead of raised (``CREATE TABLE`` judges it once its other elements are read)."""
    refuse_reserved_name(cursor, cursor.peek())
    name = cursor.identifier()
    first, last = cursor.skip_to(*_COLUMN_CONSTRAINT_WORDS, stop_types=(TokenType.COMMA,))
    first = _past_setof(cursor, first, last, None if setof else name)
    type_text = cursor.slice(first, last)
    if not type_text:
        raise cursor.error(f"column {name} has no type")
    check_type_name(cursor, first, last)
    fixed = fixed_type_name(type_text)
    compressed: Token | None = None
    default = generated = collation = identity = identity_options = None
    identity_sequence: IdentitySequence | None = None
    not_null = False
    not_null_name: str | None = None
    said_null: bool | None = None  # NOT NULL (True) or NULL (False), as written
    null_conflict = False  # NULL and NOT NULL both written
    constraints: list[Constraint] = []
    while not cursor.at_end() and not cursor.at_type(TokenType.COMMA):
        constraint_name = cursor.identifier() if cursor.accept("CONSTRAINT") else None
        if cursor.at("NOT", "NULL") or cursor.at("NULL"):
            said = cursor.accept("NOT", "NULL") or not cursor.accept("NULL")
            null_conflict = null_conflict or (said_null is not None and said_null != said)
            said_null = said
            not_null, not_null_name = (True, constraint_name) if said else (False, None)
        elif cursor.accept("DEFAULT"):
            if default is not None:
                raise cursor.error(f'multiple default values specified for column "{name}"')
            if identity is not None or generated is not None:
                what = "identity" if identity is not None else "generation expression"
                raise cursor.error(f'both default and {what} specified for column "{name}"')
            start = cursor.pos
            opening = cursor.peek()
            if opening is not None and word(opening).lower() in RESERVED - EXPRESSION_STARTS:
                # DEFAULT PRIMARY gen_random_uuid(): no expression starts with that word
                raise cursor.error(f'syntax error at or near "{opening.text}"', opening)
            default = _expression_until(cursor, _COLUMN_CONSTRAINT_WORDS)
            while cursor.at("NOT", "DISTINCT") and word(cursor.tokens[cursor.pos - 1]) == "IS":
                # DEFAULT a IS NOT DISTINCT FROM b: that NOT is the operator's, no NOT NULL
                cursor.next()
                cursor.skip_to(*_COLUMN_CONSTRAINT_WORDS, stop_types=(TokenType.COMMA,))
                default = cursor.slice(start, cursor.pos)
            if cursor.pos - start >= 2 and word(cursor.tokens[cursor.pos - 1]) == "IS" and \
                    cursor.tokens[cursor.pos - 2].token_type != TokenType.DOT and (
                        cursor.at("NOT", "NULL") or cursor.at("NULL")):
                # DEFAULT true IS NOT NULL: a column's default is a b_expr, which has no IS
                # [NOT] NULL (only IS [NOT] DISTINCT FROM and IS [NOT] DOCUMENT)
                null = cursor.tokens[cursor.pos + (1 if cursor.at("NOT") else 0)]
                raise cursor.error('syntax error at or near "NULL"', null)
            _refuse_word_after_operand(cursor, start, cursor.pos)
            refuse_name_then_name(cursor, start, cursor.pos)
            refuse_adjacent_constants(cursor, start, cursor.pos)
            _refuse_string_then_name(cursor, start, cursor.pos)
            refuse_column_reference(cursor, start, cursor.pos)
        elif cursor.accept("COLLATE"):
            collation = cursor.slice(*_one_name(cursor))
        elif cursor.accept("GENERATED"):
            if identity is not None or generated is not None:
                raise cursor.error(f'multiple identity specifications for column "{name}"'
                                   if identity is not None else
                                   f'multiple generation clauses specified for column "{name}"')
            if default is not None:
                what = ("identity" if cursor.at("ALWAYS", "AS", "IDENTITY") or cursor.at("BY")
                        else "generation expression")
                raise cursor.error(f'both default and {what} specified for column "{name}"')
            if cursor.accept("ALWAYS", "AS", "IDENTITY"):
                identity = "ALWAYS"
            elif cursor.accept("BY", "DEFAULT", "AS", "IDENTITY"):
                identity = "BY DEFAULT"
            elif cursor.accept("ALWAYS", "AS"):
                generated = cursor.group_text()
                cursor.expect("STORED")
                continue
            else:
                raise cursor.error("expected ALWAYS or BY DEFAULT after GENERATED")
            not_null = True
            if cursor.at_type(TokenType.L_PAREN):
                identity_options, identity_sequence = read_identity_options(cursor)
        elif cursor.at("CHECK") or cursor.at("UNIQUE") or cursor.at("PRIMARY", "KEY"):
            at = 0 if cursor.at("CHECK") else 1 if cursor.at("UNIQUE") else 2
            if at and cursor.peek_word(at) == "NULLS":
                at += 3 if cursor.peek_word(at + 1) == "NOT" else 2
            following = cursor.peek(at) if at else None
            if following is not None and following.token_type == TokenType.L_PAREN:
                # a column's key is that column: PRIMARY KEY (code) is a table's constraint
                raise cursor.error('syntax error at or near "("', following)
            constraints.append(_read_constraint_body(cursor, constraint_name, (name,)))
        elif cursor.accept("REFERENCES"):
            constraints.append(_read_references(cursor, constraint_name, (name,)))
        elif cursor.at("DEFERRABLE") or cursor.at("NOT", "DEFERRABLE") or cursor.at("INITIALLY"):
            if not constraints:
                raise cursor.error("DEFERRABLE without a constraint")
            constraints[-1] = _read_deferral(cursor, constraints[-1])
        elif cursor.at("COMPRESSION") and cursor.pos == last and fixed is not None and \
                table is not None and cursor.pos + 1 < len(cursor.tokens) and \
                word(cursor.tokens[cursor.pos + 1]) != "DEFAULT":
            compressed = cursor.next()  # x int COMPRESSION pglz: judged once COLLATE is read
            cursor.next()
        elif cursor.at("COMPRESSION") or cursor.at("STORAGE"):
            raise Unsupported("column COMPRESSION/STORAGE")
        else:
            token = cursor.peek()
            raise cursor.error(f"unexpected {token.text if token else 'end'} in column {name}")
    found = None
    if table is not None and collation is not None and (
            fixed := fixed_type_name(type_text, arrays=True)) is not None:
        # x int COLLATE "C": only a collatable type (text, varchar...) takes a collation
        found = cursor.error(f"collations are not supported by type {fixed}")
    elif compressed is not None:
        found = cursor.error(f"column data type {fixed} does not support compression",
                             compressed)
    if found is not None and deferred is None:
        raise found
    if found is not None and deferred is not None:
        deferred.append(found)
    if any(c.not_valid for c in constraints):
        raise cursor.error(f"NOT VALID is not allowed on a column constraint (column {name})")
    if said_null is False and (identity is not None or default is None and last == first + 1
                               and identifier_of(cursor.tokens[first]) in SERIAL_TYPES):
        # id serial NULL, id int GENERATED ALWAYS AS IDENTITY NULL: PostgreSQL adds the NOT
        # NULL such a column has to what is written (15 and 18; a serial with a DEFAULT of its
        # own is refused for that first)
        null_conflict = True
    if null_conflict and table is not None:
        raise cursor.error("conflicting NULL/NOT NULL declarations for column "
                           f'"{name}" of table "{table}"')
    return Column(
        name=name,
        type=type_text,
        default=default,
        not_null=not_null or any(c.kind == "primary key" for c in constraints),
        identity=identity,
        identity_options=identity_options,
        identity_sequence=identity_sequence,
        generated=generated,
        collation=collation,
        not_null_name=not_null_name,
        constraints=tuple(constraints),
        null_conflict=null_conflict,
    )


#: Types written as key words (or serials, which PostgreSQL reads itself), no user type can
#: stand for, that take no collation nor compression (fixed-length): their names as
#: PostgreSQL's messages spell them.
_FIXED_TYPES = {
    "int": "integer", "integer": "integer", "serial": "integer", "serial4": "integer",
    "smallint": "smallint", "smallserial": "smallint", "serial2": "smallint",
    "bigint": "bigint", "bigserial": "bigint", "serial8": "bigint",
    "boolean": "boolean", "real": "real", "double precision": "double precision",
    "timestamp": "timestamp without time zone",
    "timestamp without time zone": "timestamp without time zone",
    "timestamp with time zone": "timestamp with time zone",
}


#: Built-in fixed-length types written by their own names (no key words: ``pg_catalog``,
#: searched first unless a search_path names it later, holds them), as PostgreSQL's messages
#: spell them.
_FIXED_NAMES = {
    "int4": "integer", "int2": "smallint", "int8": "bigint", "float4": "real",
    "float8": "double precision", "bool": "boolean", "uuid": "uuid", "date": "date",
    "timestamptz": "timestamp with time zone",
}
#: An array's bounds written after its element type: ``[]``, ``[3]``, ``[][]``, ``ARRAY``,
#: ``ARRAY[3]``.
_ARRAY_BOUNDS = re.compile(r"(?:\s*\[\s*\d*\s*\])+$|\s+array(?:\s*\[\s*\d*\s*\])?$")


def fixed_type_name(type_text: str, *, arrays: bool = False) -> str | None:
    """How PostgreSQL's messages name a column's type written as one of ``_FIXED_TYPES`` or
    ``_FIXED_NAMES`` (``int``: ``integer``; ``pg_catalog.int4`` too), which takes no collation
    nor compression; else None. ``arrays``: an array of one (no serial) is named too
    (``int[]``: ``integer[]``), which takes no collation (it takes a compression)."""
    written = " ".join(type_text.lower().split())
    suffix = ""
    bounds = _ARRAY_BOUNDS.search(written) if arrays and written[-1:] in ("]", "y") else None
    if bounds is not None:
        written = written[:bounds.start()].rstrip()
        suffix = "[]"
    if written.startswith("pg_catalog."):
        shown = _FIXED_NAMES.get(written[len("pg_catalog."):].strip())
    else:
        shown = _FIXED_TYPES.get(written) or _FIXED_NAMES.get(written)
    if shown is None or (suffix and "serial" in written):
        return None
    return shown + suffix


_TIME_ZONE_TYPES = ("TIME", "TIMESTAMP")
_INTERVAL_FIELDS = ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TO")
_VARYING_TYPES = ("CHARACTER", "CHAR", "NCHAR", "BIT")
#: Built-in types PostgreSQL refuses modifiers on (``text(10)``): the ones histories use most.
_NO_MODIFIERS = frozenset((
    "text", "int", "integer", "int2", "int4", "int8", "smallint", "bigint", "boolean", "bool",
    "date", "uuid", "json", "jsonb", "bytea", "real", "float4", "float8", "serial", "bigserial",
    "smallserial", "serial4", "serial8", "inet", "cidr", "money", "oid",
))


def _past_setof(cursor: Cursor, first: int, last: int, refused: str | None) -> int:
    """Where a column's type starts, past a ``SETOF`` before it: a bare ``SETOF`` is no type
    (``syntax error``); ``refused``: the column's name where PostgreSQL refuses ``SETOF``
    (``CREATE TABLE``), None where it takes the type after it (``ALTER TABLE ... ADD COLUMN``,
    ``ALTER COLUMN ... TYPE``: PostgreSQL 15 makes a column of that type)."""
    tokens = cursor.tokens
    if first >= last or tokens[first].token_type == TokenType.IDENTIFIER or \
            word(tokens[first]) != "SETOF":
        return first
    if first + 1 >= last:
        raise _near(cursor, first + 1, last)
    if refused is not None:
        raise cursor.error(f'column "{refused}" cannot be declared SETOF', tokens[first])
    return first + 1


def check_type_name(cursor: Cursor, first: int, last: int) -> None:
    """Refuse tokens ``[first, last)`` of ``cursor`` unless they spell a type name as
    PostgreSQL's grammar reads one: a (qualified) name, or one of the SQL types of more than one
    word (``double precision``, ``character varying``, ``timestamp with time zone``,
    ``interval day to second``...), then modifiers in parentheses, array bounds (``[]``,
    ``[3]``, ``ARRAY[3]``); ``%TYPE`` is for function arguments only. Whether the type exists
    is not checked here; a word the grammar cannot take there (``varchar(36) REPLACE``,
    ``int $``) is the error PostgreSQL gives, ``syntax error at or near``."""
    tokens = cursor.tokens
    pos = first

    def head() -> str:
        return word(tokens[pos]) if pos < last else ""

    def group(named: str = "") -> None:
        """The modifiers in parentheses at ``pos``, if any; ``named``: how a name among them
        is refused ("syntax" for a key-word type whose modifier is an integer constant,
        "integer" for one whose modifiers PostgreSQL reads as integers, "": not judged)."""
        nonlocal pos
        if pos < last and tokens[pos].token_type == TokenType.L_PAREN:
            if pos + 1 < last and tokens[pos + 1].token_type == TokenType.R_PAREN:
                raise _near(cursor, pos + 1, last)  # type modifiers are never empty
            if named:
                _modifier_name(cursor, pos, last, named)
            depth = 0
            while pos < last:
                token_type = tokens[pos].token_type
                if token_type == TokenType.NUMBER and pos + 1 < last:
                    _trailing_junk(cursor, pos)
                pos += 1
                if token_type == TokenType.L_PAREN:
                    depth += 1
                elif token_type == TokenType.R_PAREN:
                    depth -= 1
                    if not depth:
                        return

    first_word = head()
    if first_word == "NATIONAL":
        pos += 1
        first_word = head()
    if first_word == "DOUBLE" and pos + 1 < last and word(tokens[pos + 1]) == "PRECISION":
        pos += 2
        group()
    elif first_word in _TIME_ZONE_TYPES:
        pos += 1
        group("syntax")
        if head() in ("WITH", "WITHOUT") and pos + 2 < last and \
                [word(t) for t in tokens[pos + 1:pos + 3]] == ["TIME", "ZONE"]:
            pos += 3
    elif first_word == "INTERVAL":
        pos += 1
        group("syntax")
        while head() in _INTERVAL_FIELDS:
            pos += 1
        group("syntax")
    elif first_word in _VARYING_TYPES:
        pos += 1
        if head() == "VARYING":
            pos += 1
        group("integer" if first_word == "BIT" else "syntax")
    elif first_word in _INTEGER_MODIFIER_WORDS and \
            (pos + 1 >= last or tokens[pos + 1].token_type != TokenType.DOT):
        pos += 1
        group("syntax" if first_word in ("VARCHAR", "FLOAT") else "integer")
    else:
        parts, end = dotted_name(tokens[:last], pos)
        if not parts:
            raise _near(cursor, pos, last)
        pos = end
        if pos < last and tokens[pos].token_type == TokenType.L_PAREN and \
                parts[-1] in _NO_MODIFIERS and parts[:-1] in ([], ["pg_catalog"]):
            raise cursor.error(f'type modifier is not allowed for type "{parts[-1]}"',
                               tokens[pos])
        group("integer" if parts in (["varbit"], *(["pg_catalog", n] for n in (
            "numeric", "varchar", "bpchar", "bit", "varbit"))) else "")
    while pos < last:
        if tokens[pos].token_type == TokenType.L_BRACKET:
            pos += 1
            if pos < last and tokens[pos].token_type == TokenType.NUMBER:
                pos += 1
            if pos >= last or tokens[pos].token_type != TokenType.R_BRACKET:
                raise _near(cursor, pos, last)
            pos += 1
        elif head() == "ARRAY":
            pos += 1
            if pos < last and tokens[pos].token_type == TokenType.L_BRACKET:
                continue
        else:
            raise _near(cursor, pos, last)


#: Key-word types read as such unqualified: numeric's and decimal's modifiers are an expression
#: list whose names PostgreSQL reads as integers, varchar's and float's one integer constant.
_INTEGER_MODIFIER_WORDS = frozenset({"NUMERIC", "DECIMAL", "DEC", "VARCHAR", "FLOAT"})


def _modifier_name(cursor: Cursor, opening: int, last: int, named: str) -> None:
    """A type modifier that is a name (``numeric(a8, 2)``, ``varchar(size)``), of a built-in
    type whose modifiers are integers: PostgreSQL's grammar takes only an integer constant for
    some key-word types (``syntax error at or near "size"``), and hands the others' names to
    the type's modifier input, which reads each as an integer (``invalid input syntax for type
    integer: "a8"``). Only a name that is a whole item (followed by ``,`` or ``)``) and no key
    word is judged."""
    from schemafold.parse.keywords import KEYWORDS

    tokens = cursor.tokens
    at = opening + 1
    while at + 1 < last:
        token, after = tokens[at], tokens[at + 1]
        if after.token_type not in (TokenType.COMMA, TokenType.R_PAREN) or \
                tokens[at - 1].token_type not in (TokenType.COMMA, TokenType.L_PAREN):
            return  # an item of more than one token: not judged (nor what follows)
        quoted = token.token_type == TokenType.IDENTIFIER
        if quoted or (is_word(token) and token.text.lower() not in KEYWORDS):
            if named == "syntax":
                raise cursor.error("syntax error at or near "
                                   f'"{cursor.text[token.start:token.end + 1]}"', token)
            text = token.text if quoted else token.text.lower()
            raise cursor.error(f'invalid input syntax for type integer: "{text}"', token)
        if after.token_type == TokenType.R_PAREN:
            return
        at += 2


def _trailing_junk(cursor: Cursor, pos: int) -> None:
    """A number in a type's modifiers (``numeric(10,2x)``) with a word right after it: from
    PostgreSQL 15 on the lexer refuses the pair (``trailing junk after numeric literal``);
    14 reads a number then a word, which a modifier list cannot take either. Not when the
    pair is a number 16 reads (``1_000``, ``0x1F``, ``0o17``, ``0b1``) or an exponent."""
    number, after = cursor.tokens[pos], cursor.tokens[pos + 1]
    text = after.text
    if after.start != number.end + 1 or after.token_type not in (
            TokenType.VAR, TokenType.IDENTIFIER) or not text or \
            cursor.text[after.start] == '"' or text[0] in "_eE" or \
            not (text[0].isalpha() or not text[0].isascii()) or \
            (number.text == "0" and text[0] in "xXoObB"):
        return
    raise cursor.error("trailing junk after numeric literal at or near "
                       f'"{cursor.text[number.start:after.end + 1]}"', number)


def _near(cursor: Cursor, pos: int, last: int) -> InputError:
    if pos >= last:
        return cursor.error("syntax error at end of the type", cursor.tokens[last - 1])
    token = cursor.tokens[pos]
    return cursor.error(f"syntax error at or near \"{token.text}\"", token)


def _one_name(cursor: Cursor) -> tuple[int, int]:
    start = cursor.pos
    cursor.qname()
    return start, cursor.pos


def _expression_until(cursor: Cursor, stop_words: tuple[str, ...]) -> str:
    """An expression: at least one token (or group), then up to a top-level stop word."""
    start = cursor.pos
    if cursor.at_type(TokenType.L_PAREN):
        cursor.group()
    else:
        cursor.next()
    cursor.skip_to(*stop_words, stop_types=(TokenType.COMMA,))
    return cursor.slice(start, cursor.pos)


def read_table_constraint(cursor: Cursor) -> Constraint:
    name = cursor.identifier() if cursor.accept("CONSTRAINT") else None
    if cursor.accept("FOREIGN", "KEY"):
        columns = tuple(cursor.group_identifiers())
        cursor.expect("REFERENCES")
        return _read_references(cursor, name, columns)
    if cursor.at("EXCLUDE"):
        return _read_exclude(cursor, name)
    if cursor.at("UNIQUE") or cursor.at("PRIMARY", "KEY"):
        # a table's key names its columns (or, in ALTER TABLE, USING INDEX): UNIQUE ) is a
        # syntax error (a column's UNIQUE has no list, and is read elsewhere)
        at = 1 if cursor.at("UNIQUE") else 2
        if cursor.peek_word(at) == "NULLS":
            at += 3 if cursor.peek_word(at + 1) == "NOT" else 2
        following = cursor.peek(at)
        if following is None:
            kind = "UNIQUE" if cursor.at("UNIQUE") else "PRIMARY KEY"
            raise cursor.error(f"syntax error: a table's {kind} constraint names no columns")
        if following.token_type != TokenType.L_PAREN and not (
                word(following) == "USING" and cursor.peek_word(at + 1) == "INDEX"):
            raise cursor.error(f'syntax error at or near "{following.text}"', following)
    return _read_constraint_body(cursor, name, ())


def _read_constraint_body(
    cursor: Cursor, name: str | None, columns: tuple[str, ...]
) -> Constraint:
    """CHECK (...) / UNIQUE [(...)] / PRIMARY KEY [(...)] with their trailing options."""
    if cursor.accept("CHECK"):
        expression = cursor.group_text()
        no_inherit = cursor.accept("NO", "INHERIT")
        constraint = Constraint(
            kind="check", name=name, columns=columns, expression=expression, no_inherit=no_inherit
        )
        return _read_deferral(cursor, constraint)
    if cursor.accept("UNIQUE"):
        kind = "unique"
    elif cursor.accept("PRIMARY", "KEY"):
        kind = "primary key"
    else:
        token = cursor.peek()
        raise cursor.error(f"expected a constraint, found {token.text if token else 'end'}")
    nulls_not_distinct = cursor.accept("NULLS", "NOT", "DISTINCT")
    cursor.accept("NULLS", "DISTINCT")
    if cursor.at_type(TokenType.L_PAREN):
        columns = tuple(cursor.group_identifiers())
    if cursor.at("USING", "INDEX") and not cursor.at("USING", "INDEX", "TABLESPACE"):
        raise Unsupported("ADD CONSTRAINT ... USING INDEX")
    first, last = cursor.skip_to(
        "DEFERRABLE", "NOT", "INITIALLY", "CONSTRAINT", "CHECK", "DEFAULT", "REFERENCES",
        "NULL", "UNIQUE", "PRIMARY", "GENERATED", "COLLATE", stop_types=(TokenType.COMMA,),
    )
    _check_index_parameters(cursor, first, last)
    options = cursor.slice(first, last) or None
    constraint = Constraint(
        kind=kind,
        name=name,
        columns=columns,
        nulls_not_distinct=nulls_not_distinct,
        index_options=options,
        include=_include_columns(cursor.sub(first, last)),
    )
    return _read_deferral(cursor, constraint)


def _include_columns(options: Cursor) -> tuple[str, ...]:
    """The columns of ``INCLUDE (...)`` among a key's index options (none: none)."""
    while not options.at_end():
        if options.accept("INCLUDE"):
            return tuple(options.group_identifiers())
        options.next()
    return ()


def _check_index_parameters(cursor: Cursor, first: int, last: int) -> None:
    """Tokens ``[first, last)`` after a key's columns must be PostgreSQL's index parameters,
    ``[INCLUDE (...)] [WITH (...)] [USING INDEX TABLESPACE name]``: anything else (``PRIMARY
    KEY TABLE``, ``UNIQUE tag (name)``, a missing comma before the next column) is the syntax
    error PostgreSQL gives at that word."""
    inner = cursor.sub(first, last)
    while not inner.at_end():
        if inner.accept("INCLUDE") or inner.accept("WITH"):
            if not inner.at_type(TokenType.L_PAREN):
                raise _near(cursor, inner.pos + first, last)
            inner.group()
        elif inner.accept("USING", "INDEX", "TABLESPACE"):
            inner.identifier()
        else:
            raise _near(cursor, inner.pos + first, last)


def _read_references(cursor: Cursor, name: str | None, columns: tuple[str, ...]) -> Constraint:
    target = cursor.qname()
    ref_columns: tuple[str, ...] = ()
    if cursor.at_type(TokenType.L_PAREN):
        ref_columns = tuple(cursor.group_identifiers())
    match = on_delete = on_update = None
    while True:
        if cursor.accept("MATCH"):
            match = cursor.next().text.upper()
        elif cursor.accept("ON", "DELETE"):
            on_delete = _fk_action(cursor)
        elif cursor.accept("ON", "UPDATE"):
            on_update = _fk_action(cursor)
        else:
            break
    constraint = Constraint(
        kind="foreign key",
        name=name,
        columns=columns,
        references=target,
        ref_columns=ref_columns,
        on_delete=on_delete,
        on_update=on_update,
        match=match,
    )
    return _read_deferral(cursor, constraint)


def _fk_action(cursor: Cursor) -> str:
    for action in _FK_ACTIONS:
        if cursor.accept(*action.split()):
            if action.startswith("SET") and cursor.at_type(TokenType.L_PAREN):
                return f"{action} ({cursor.group_text()})"
            return action
    raise cursor.error("expected a foreign key action")


def _read_deferral(cursor: Cursor, constraint: Constraint) -> Constraint:
    while True:
        if cursor.accept("DEFERRABLE"):
            constraint = attrs.evolve(constraint, deferrable=True)
        elif cursor.accept("NOT", "DEFERRABLE"):
            constraint = attrs.evolve(constraint, deferrable=False)
        elif cursor.accept("INITIALLY", "DEFERRED"):
            constraint = attrs.evolve(constraint, initially_deferred=True)
        elif cursor.accept("INITIALLY", "IMMEDIATE"):
            constraint = attrs.evolve(constraint, initially_deferred=False)
        elif cursor.accept("NOT", "VALID"):
            constraint = attrs.evolve(constraint, not_valid=True)
        elif cursor.accept("NO", "INHERIT"):
            constraint = attrs.evolve(constraint, no_inherit=True)
        else:
            return constraint


def _read_exclude(cursor: Cursor, name: str | None) -> Constraint:
    cursor.expect("EXCLUDE")
    method = cursor.identifier() if cursor.accept("USING") else None
    expression = cursor.group_text()
    first, last = cursor.skip_to("WHERE", "DEFERRABLE", "NOT", "INITIALLY")
    options = cursor.slice(first, last) or None
    where = cursor.group_text() if cursor.accept("WHERE") else None
    constraint = Constraint(
        kind="exclude",
        name=name,
        method=method,
        expression=expression,
        index_options=options,
        where=where,
    )
    return _read_deferral(cursor, constraint)


def _is_table_constraint(cursor: Cursor) -> bool:
    return cursor.peek_word() in _TABLE_CONSTRAINT_WORDS and not (
        cursor.at_type(TokenType.IDENTIFIER)
    ) and not _column_named_like_keyword(cursor)


def _column_named_like_keyword(cursor: Cursor) -> bool:
    """``exclude int`` is a column named exclude: PostgreSQL reserves CHECK, UNIQUE, PRIMARY,
    FOREIGN and CONSTRAINT (a column so named must be quoted) but not EXCLUDE, which starts a
    constraint only when ``(`` or USING follows it (no type name starts so)."""
    return cursor.at("EXCLUDE") and not (
        cursor.at_type(TokenType.L_PAREN, 1) or cursor.peek_word(1) == "USING")


# ---------------------------------------------------------------------------------------------
# CREATE TABLE
# ---------------------------------------------------------------------------------------------


@handles(
    "CREATE TABLE",
    "CREATE UNLOGGED TABLE",
    "CREATE TEMP TABLE",
    "CREATE TEMPORARY TABLE",
    "CREATE GLOBAL TEMPORARY TABLE",
    "CREATE LOCAL TEMPORARY TABLE",
    "CREATE GLOBAL TEMP TABLE",
    "CREATE LOCAL TEMP TABLE",
)
def create_table(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE")
    cursor.accept_any("GLOBAL", "LOCAL")
    if cursor.accept_any("TEMP", "TEMPORARY"):
        raise Unsupported("temporary table")
    unlogged = cursor.accept("UNLOGGED")
    cursor.expect("TABLE")
    if_not_exists = cursor.if_not_exists()
    refuse_reserved_name(cursor, cursor.peek())
    name = cursor.qname()
    if cursor.at("OF"):
        raise Unsupported("CREATE TABLE ... OF type")
    body = cursor.pos
    cursor.skip_to("AS")
    if cursor.at("AS"):  # CREATE TABLE t [(names)] [WITH ...] AS query: nothing else has AS here
        raise Unsupported("CREATE TABLE ... AS query")
    cursor.pos = body
    partition_of = None
    partition_bound = None
    if cursor.accept("PARTITION", "OF"):
        partition_of = cursor.qname()
    columns: list[Column] = []
    constraints: list[Constraint] = []
    like: list[LikeClause] = []
    unsupported: list[InputError] = []  # a COLLATE or COMPRESSION the column's type refuses
    if cursor.at_type(TokenType.L_PAREN):
        first, last = cursor.group()
        for start, end in cursor.split_top_level(first, last):
            element = cursor.sub(start, end)
            if element.at("LIKE"):
                like.append(_like_clause(element, len(columns)))
            elif _is_table_constraint(element):
                # PostgreSQL accepts NOT VALID here and ignores it: a new table's constraints
                # are valid (there are no rows to check).
                constraint = attrs.evolve(read_table_constraint(element), not_valid=False)
                constraints.append(constraint)
                _expect_end(element)
            elif partition_of is not None:
                raise Unsupported("column options on a partition")
            else:
                columns.append(read_column(element, None if if_not_exists else name.name,
                                           deferred=unsupported))
    elif partition_of is None:
        raise cursor.error("expected a column list")
    if partition_of is not None:
        partition_bound = _partition_bound(cursor)
    inherits: list[QName] = []
    partition_by = None
    option_texts: list[str] = []
    while not cursor.at_end():
        start = cursor.pos
        if cursor.accept("INHERITS"):
            parents = cursor.sub(*cursor.group())
            inherits = parents.qname_list()
            if not parents.at_end():  # INHERITS (a b): names apart by commas, nothing else
                extra = parents.tokens[parents.pos]
                near = cursor.text[extra.start:extra.end + 1] if is_string(extra) else extra.text
                raise cursor.error(f'syntax error at or near "{near}"', extra)
        elif cursor.accept("PARTITION", "BY"):
            start = cursor.pos
            cursor.next()
            first, last = cursor.group()
            _refuse_bare_key_expressions(cursor, first, last)
            partition_by = cursor.slice(start, cursor.pos)
        elif cursor.accept("USING") or cursor.accept("TABLESPACE"):
            cursor.identifier()
            option_texts.append(cursor.slice(start, cursor.pos))
        elif cursor.accept("WITH"):
            cursor.group()
            option_texts.append(cursor.slice(start, cursor.pos))
        elif cursor.at("WITHOUT", "OIDS"):
            cursor.pos += 2
        elif cursor.at("ON", "COMMIT"):
            raise Unsupported("ON COMMIT")
        else:
            token = cursor.peek()
            raise cursor.error(f"unexpected {token.text if token else 'end'} after table body")
    if unsupported:
        if not constraints and not like and not inherits and \
                len({c.name for c in columns}) == len(columns):
            # PostgreSQL judges a column's collation and compression as it makes the table:
            # after the keys' columns, the LIKE and INHERITS sources and the names are checked
            raise unsupported[0]
        raise Unsupported("column COLLATE or COMPRESSION beside keys, LIKE or INHERITS")
    options = " ".join(option_texts) or None
    return [
        CreateTable(
            origin=origin,
            name=name,
            columns=tuple(columns),
            constraints=tuple(constraints),
            if_not_exists=if_not_exists,
            unlogged=unlogged,
            partition_by=partition_by,
            partition_of=partition_of,
            partition_bound=partition_bound,
            inherits=tuple(inherits),
            like=tuple(like),
            options=options,
        )
    ]


def _like_clause(cursor: Cursor, position: int) -> LikeClause:
    """``LIKE source {INCLUDING | EXCLUDING} {option | ALL} ...``: later options override
    earlier ones, as PostgreSQL reads them."""
    cursor.expect("LIKE")
    source = cursor.qname()
    including: set[str] = set()
    while not cursor.at_end():
        adding = cursor.accept_any("INCLUDING", "EXCLUDING")
        if not adding:
            raise cursor.error("expected INCLUDING or EXCLUDING")
        option = cursor.peek_word().upper()
        if option != "ALL" and option not in LikeClause.LIKE_OPTIONS:
            raise cursor.error(f"unknown LIKE option {option or 'end'}")
        cursor.next()
        chosen = set(LikeClause.LIKE_OPTIONS) if option == "ALL" else {option}
        including = including | chosen if adding == "INCLUDING" else including - chosen
    return LikeClause(source=source, including=tuple(sorted(including)), position=position)


def _partition_bound(cursor: Cursor) -> str:
    """``DEFAULT`` or ``FOR VALUES IN (...) | FROM (...) TO (...) | WITH (MODULUS m, REMAINDER r)``,
    as written (from FOR on)."""
    if cursor.accept("DEFAULT"):
        return "DEFAULT"
    start = cursor.pos
    cursor.expect("FOR", "VALUES")
    if cursor.accept("FROM"):
        _bound_values(cursor)
        cursor.expect("TO")
    elif not cursor.accept("IN") and not cursor.accept("WITH"):
        raise cursor.error("expected IN, FROM or WITH after FOR VALUES")
    _bound_values(cursor)
    return cursor.slice(start, cursor.pos)


def _bound_values(cursor: Cursor) -> None:
    """A partition bound's parenthesised list, which holds at least one value (``FROM ()``
    is PostgreSQL's syntax error at the ``)``)."""
    first, last = cursor.group()
    if first == last:
        raise cursor.error('syntax error at or near ")"', cursor.tokens[last])
    tokens = cursor.tokens
    for before, token in zip(tokens[first:last], tokens[first + 1:last], strict=False):
        # IN ('click' own): a bound's value is an expression, and no name but a key word
        # follows a constant in one (no label there)
        if (is_string(before) or before.token_type == TokenType.NUMBER) and (
                token.token_type == TokenType.IDENTIFIER
                or is_word(token) and token.text.lower() not in KEYWORDS):
            written = cursor.text[token.start:token.end + 1]
            raise cursor.error(f'syntax error at or near "{written}"', token)


def _refuse_bare_key_expressions(cursor: Cursor, first: int, last: int) -> None:
    """A partition key's element is a column name, a call or an expression in parentheses
    (``part_elem`` in PostgreSQL's gram.y): one that starts with anything else (``( -kind)``,
    ``(, a)``) is a syntax error at that token."""
    tokens = cursor.tokens
    for a, _b in cursor.split_top_level(first, last):
        token = tokens[a] if a < last else None
        if token is not None and token.token_type not in (
                TokenType.L_PAREN, TokenType.IDENTIFIER) and not is_word(token):
            raise cursor.error(f'syntax error at or near "{token.text}"', token)


#: The words a column's DEFAULT (PostgreSQL's ``b_expr``: no ``AND``, ``IN``, ``AT TIME ZONE``,
#: ``IS NULL``...) may hold right after a constant, ``)`` or ``]`` outside parentheses: ``IS
#: [NOT] DISTINCT FROM`` and ``IS [NOT] DOCUMENT``, ``OPERATOR(...)``, a time zone after a
#: typmod (``::timestamp(3) with time zone``), an interval's fields (``interval '1' day to
#: second``) and ``UESCAPE`` after a ``U&''`` string.
_WORDS_AFTER_A_DEFAULT_OPERAND = frozenset({
    "IS", "OPERATOR", "WITH", "WITHOUT", "UESCAPE", "YEAR", "MONTH", "DAY", "HOUR", "MINUTE",
    "SECOND", "TO",
})
_OPERAND_ENDS = frozenset({
    TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.NUMBER, TokenType.TRUE, TokenType.FALSE,
    TokenType.NULL, TokenType.CURRENT_TIMESTAMP, TokenType.CURRENT_DATE, TokenType.CURRENT_TIME,
})


def _refuse_word_after_operand(cursor: Cursor, first: int, last: int) -> None:
    """A column's DEFAULT has no label and no ``a_expr`` operator: a word right after a
    complete operand outside parentheses (``DEFAULT now() REPLACE``, ``DEFAULT 1 foo``,
    ``DEFAULT now() AT TIME ZONE 'utc'``) is PostgreSQL's syntax error at that word, unless
    it is one a ``b_expr`` continues with."""
    tokens = cursor.tokens
    depth = cases = 0  # parentheses and brackets open; CASE ... END open
    for i in range(first, min(last, len(tokens)) - 1):
        kind = tokens[i].token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif not depth and word(tokens[i]) in ("CASE", "END"):
            cases += 1 if word(tokens[i]) == "CASE" else -1
        if depth or cases or not (kind in _OPERAND_ENDS or is_string(tokens[i])):
            continue
        after = tokens[i + 1]
        if (after.token_type in (TokenType.IDENTIFIER, TokenType.VAR) or is_word(after)) and \
                word(after) not in _WORDS_AFTER_A_DEFAULT_OPERAND:
            raise cursor.error(f'syntax error at or near "{after.text}"', after)


def refuse_name_then_name(cursor: Cursor, first: int, last: int) -> None:
    """A column's DEFAULT that starts with a name (one no key word is, or an unreserved key
    word) followed by another that no key word is (``DEFAULT REPLACE now()``, ``DEFAULT foo
    now()``: a word inserted) is PostgreSQL's syntax error at the second: a DEFAULT has no
    label, and only a string follows a type's name (``DEFAULT text 'x'``, ``double precision
    '1.5'``: the second word is a key word)."""
    from schemafold.parse.keywords import KEYWORDS, UNRESERVED

    tokens = cursor.tokens
    if last - first < 2 or len(tokens) < first + 2:
        return
    head, after = tokens[first], tokens[first + 1]
    if not (head.token_type == TokenType.IDENTIFIER or (
            is_word(head) and (head.text.lower() not in KEYWORDS
                               or head.text.lower() in UNRESERVED))):
        return
    if after.token_type == TokenType.IDENTIFIER or (
            is_word(after) and after.text.lower() not in KEYWORDS):
        raise cursor.error(f'syntax error at or near "{after.text}"', after)


def _refuse_string_then_name(cursor: Cursor, first: int, last: int) -> None:
    """A column's DEFAULT has no label: a string followed by a name that is no key word
    (``DEFAULT 'import' clock_timestamp()``, a comma or operator lost) is PostgreSQL's syntax
    error at the name."""
    from schemafold.parse.keywords import KEYWORDS

    tokens = cursor.tokens
    for i in range(first, min(last, len(tokens)) - 1):
        after = tokens[i + 1]
        if is_string(tokens[i]) and (after.token_type == TokenType.IDENTIFIER or (
                is_word(after) and after.text.lower() not in KEYWORDS)):
            raise cursor.error(f'syntax error at or near "{after.text}"', after)


def refuse_column_reference(cursor: Cursor, first: int, last: int) -> None:
    """A column's DEFAULT may name no column: a bare name in it (``gen_random_uuid( nope )``, a
    word inserted) is PostgreSQL's ``cannot use column reference in DEFAULT expression``. Read
    with sqlglot; a key word (``user``, special syntax), a subquery (PostgreSQL's error is then
    another) or text sqlglot cannot read is no evidence."""
    if last <= first or _names_no_column(cursor.tokens[first:last]):
        return
    from sqlglot import exp

    from schemafold.parse.keywords import KEYWORDS, UNRESERVED
    from schemafold.parse.sqlglot_tree import parse_postgres

    tokens = cursor.tokens
    text = cursor.text[tokens[first].start:tokens[last - 1].end + 1]
    try:
        tree = parse_postgres(f"SELECT {text}")
    except Exception:  # noqa: BLE001 - sqlglot cannot read it: no evidence either way
        return
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1 or any(
            node is not tree for node in tree.find_all(exp.Select)) or tree.args.get("from"):
        return
    for column in tree.find_all(exp.Column):
        name = column.this
        if not isinstance(name, exp.Identifier) or (
                not name.quoted and str(name.this).lower() in KEYWORDS - UNRESERVED):
            continue  # (an unreserved key word is a name: now( replace ) names a column)
        raise cursor.error("cannot use column reference in DEFAULT expression", tokens[first])


#: A constant of one token: no column can be in it.
_CONSTANTS = frozenset({
    TokenType.STRING, TokenType.NATIONAL_STRING, TokenType.BYTE_STRING, TokenType.BIT_STRING,
    TokenType.HEX_STRING, TokenType.UNICODE_STRING, TokenType.HEREDOC_STRING, TokenType.NUMBER,
    TokenType.TRUE, TokenType.FALSE, TokenType.NULL, TokenType.CURRENT_TIMESTAMP,
    TokenType.CURRENT_DATE, TokenType.CURRENT_TIME,
})


def _names_no_column(tokens: Sequence[Token]) -> bool:
    """True for the DEFAULTs most histories write, which name no column: a constant (``'x'``,
    ``-1``, ``false``, ``CURRENT_TIMESTAMP``), a call without arguments (``now()``) or
    ``ARRAY[]``, then casts to a one-word type (``::jsonb``, ``::text[]``, ``::status``, which
    sqlglot reads as a user-defined type). Anything else (False) is read with sqlglot. Saves a
    sqlglot parse of every such DEFAULT: most of the cost of reading a column."""
    from sqlglot.parser import Parser

    i, count = 0, len(tokens)
    if i < count and tokens[i].token_type in (TokenType.DASH, TokenType.PLUS):
        i += 1
    kinds = [t.token_type for t in tokens[i:i + 3]]
    if kinds[:1] and kinds[0] in _CONSTANTS:
        i += 1
    elif kinds == [TokenType.VAR, TokenType.L_PAREN, TokenType.R_PAREN] or \
            kinds == [TokenType.ARRAY, TokenType.L_BRACKET, TokenType.R_BRACKET]:
        i += 3
    else:
        return False
    while i < count:
        if tokens[i].token_type != TokenType.DCOLON or i + 1 == count or (
                tokens[i + 1].token_type not in Parser.TYPE_TOKENS
                and tokens[i + 1].token_type != TokenType.VAR):
            return False
        i += 2
        while i + 1 < count and tokens[i].token_type == TokenType.L_BRACKET and \
                tokens[i + 1].token_type == TokenType.R_BRACKET:
            i += 2
    return True


def _last_name(cursor: Cursor) -> str:
    """A name that ends the statement (``RENAME TO name``, ``SET SCHEMA name``): a word after
    it (``RENAME TO b TO``; the next statement, its ``;`` missing) is PostgreSQL's syntax
    error at that word."""
    refuse_reserved_name(cursor, cursor.peek())
    name = cursor.identifier()
    cursor.accept_type(TokenType.SEMICOLON)
    token = cursor.peek()
    if token is not None:
        raise cursor.error(f'syntax error at or near "{token.text}"', token)
    return name


def _expect_end(cursor: Cursor) -> None:
    if not cursor.at_end():
        token = cursor.peek()
        raise cursor.error(f"unexpected {token.text if token else 'end'}")


# ---------------------------------------------------------------------------------------------
# ALTER TABLE
# ---------------------------------------------------------------------------------------------


@handles("ALTER TABLE", "ALTER FOREIGN TABLE")
def alter_table(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("ALTER")
    if cursor.accept("FOREIGN"):
        raise Unsupported("foreign tables")
    cursor.expect("TABLE")
    if cursor.at("ALL", "IN"):
        raise Unsupported("ALTER TABLE ALL IN TABLESPACE")
    if_exists = cursor.if_exists()
    only = cursor.accept("ONLY")
    table = cursor.qname()
    cursor.accept_type(TokenType.STAR)
    ref = Ref(table)
    if cursor.accept("RENAME", "TO"):
        new = _last_name(cursor)
        return [Rename(origin=origin, kind=ObjectKind.TABLE, target=ref, new_name=new,
                       if_exists=if_exists)]
    if cursor.accept("RENAME", "CONSTRAINT"):
        old = cursor.identifier()
        cursor.expect("TO")
        new = _last_name(cursor)
        target = Ref(QName(table.schema, old), table=table)
        return [Rename(origin=origin, kind=ObjectKind.CONSTRAINT, target=target, new_name=new,
                       if_exists=if_exists)]
    if cursor.accept("RENAME"):
        cursor.accept("COLUMN")
        old = cursor.identifier()
        cursor.expect("TO")
        return [RenameColumn(origin=origin, table=table, old=old, new=_last_name(cursor),
                             if_exists=if_exists)]
    if cursor.accept("SET", "SCHEMA"):
        return [SetSchema(origin=origin, kind=ObjectKind.TABLE, target=ref,
                          schema=_last_name(cursor),
                          if_exists=if_exists)]
    if cursor.accept("ATTACH", "PARTITION"):
        partition = cursor.qname()
        bound = _partition_bound(cursor)
        _expect_end(cursor)
        guard: list[Event] = [TableIfExists(origin=origin, table=table)] if if_exists else []
        return [*guard, AttachPartition(origin=origin, table=table, partition=partition,
                                        bound=bound)]
    if cursor.accept("DETACH", "PARTITION"):
        partition = cursor.qname()
        if not cursor.at_end():
            raise Unsupported("DETACH PARTITION CONCURRENTLY/FINALIZE")
        guard = [TableIfExists(origin=origin, table=table)] if if_exists else []
        return [*guard, DetachPartition(origin=origin, table=table, partition=partition)]
    events: list[Event] = []
    start = cursor.pos
    for first, last in cursor.split_top_level(start, len(cursor.tokens)):
        action = cursor.sub(first, last)
        events.extend(_alter_action(action, origin, table, if_exists, only))
        _expect_end(action)
    if not events:
        raise cursor.error("ALTER TABLE without an action")
    if if_exists:
        # every action is skipped when the relation does not exist (PostgreSQL's notice
        # 'relation "t" does not exist, skipping'), not only those that carry IF EXISTS
        events.insert(0, TableIfExists(origin=origin, table=table))
    # PostgreSQL runs [NO] INHERIT after the statement's other actions (its last pass,
    # AT_PASS_MISC; 15 and 18.6 accept ALTER TABLE c INHERIT p, ADD COLUMN b when p has b)
    return [e for e in events if not isinstance(e, Inherit)] + [
        e for e in events if isinstance(e, Inherit)]


def _alter_action(cursor: Cursor, origin: Origin, table: QName, if_exists: bool,
                  only: bool = False) -> list[Event]:
    if cursor.accept("ADD"):
        if _is_table_constraint(cursor):
            constraint = read_table_constraint(cursor)
            return [AddConstraint(origin=origin, table=table, constraint=constraint, only=only)]
        cursor.accept("COLUMN")
        if_not_exists = cursor.if_not_exists()
        column = read_column(cursor, None if if_not_exists or if_exists else table.name,
                             setof=True)
        return [AddColumn(origin=origin, table=table, column=column, if_not_exists=if_not_exists)]
    if cursor.accept("DROP", "CONSTRAINT"):
        if_exists = cursor.if_exists()
        name = cursor.identifier()
        cascade = _drop_behaviour(cursor)
        return [DropConstraint(origin=origin, table=table, name=name, if_exists=if_exists,
                               cascade=cascade)]
    if cursor.accept("DROP"):
        cursor.accept("COLUMN")
        if_exists = cursor.if_exists()
        column_name = cursor.identifier()
        cascade = _drop_behaviour(cursor)
        return [DropColumn(origin=origin, table=table, column=column_name, if_exists=if_exists,
                           cascade=cascade)]
    if cursor.at("ALTER", "CONSTRAINT"):
        raise Unsupported("ALTER TABLE ... ALTER CONSTRAINT")
    if cursor.accept("ALTER"):
        cursor.accept("COLUMN")
        column_name = cursor.identifier()
        return [_alter_column(cursor, origin, table, column_name)]
    if cursor.accept("INHERIT"):
        return [Inherit(origin=origin, table=table, parent=cursor.qname())]
    if cursor.accept("NO", "INHERIT"):
        return [Inherit(origin=origin, table=table, parent=cursor.qname(), remove=True)]
    if cursor.accept("VALIDATE", "CONSTRAINT"):
        return [ValidateConstraint(origin=origin, table=table, name=cursor.identifier())]
    if cursor.accept("OWNER", "TO"):
        owner = role_spec(cursor)
        return [SetOwner(origin=origin, kind=ObjectKind.TABLE, target=Ref(table), owner=owner,
                         if_exists=if_exists)]
    for words, enabled, forced in (
        (("ENABLE", "ROW", "LEVEL", "SECURITY"), True, None),
        (("DISABLE", "ROW", "LEVEL", "SECURITY"), False, None),
        (("FORCE", "ROW", "LEVEL", "SECURITY"), None, True),
        (("NO", "FORCE", "ROW", "LEVEL", "SECURITY"), None, False),
    ):
        if cursor.accept(*words):
            return [SetRowSecurity(origin=origin, table=table, enabled=enabled, forced=forced)]
    token = cursor.peek()
    if token is not None and word(token) not in _ALTER_TABLE_ACTIONS:
        # ALTER TABLE account COLUMN id ...: no action of ALTER TABLE starts so (gram.y)
        raise cursor.error(f'syntax error at or near "{token.text}"', token)
    raise Unsupported(f"ALTER TABLE ... {token.text.upper() if token else ''}".rstrip())


#: The words an action of ALTER TABLE starts with (PostgreSQL 15 to 18, gram.y's
#: alter_table_cmd and partition_cmd, and RENAME): any other is a syntax error.
_ALTER_TABLE_ACTIONS = frozenset({
    "ADD", "ALTER", "DROP", "VALIDATE", "SET", "RESET", "CLUSTER", "ENABLE", "DISABLE",
    "INHERIT", "NO", "OF", "NOT", "OWNER", "REPLICA", "FORCE", "OPTIONS", "RENAME", "ATTACH",
    "DETACH", "SPLIT", "MERGE",
})
#: The words what follows ``ALTER [COLUMN] name`` starts with (the same rules): TYPE, SET ...,
#: DROP ..., ADD GENERATED, RESTART, RESET (...), OPTIONS (...).
_ALTER_COLUMN_ACTIONS = frozenset({"TYPE", "SET", "DROP", "ADD", "RESTART", "RESET", "OPTIONS"})


def _drop_behaviour(cursor: Cursor) -> bool:
    if cursor.accept("CASCADE"):
        return True
    cursor.accept("RESTRICT")
    return False


def _alter_column(cursor: Cursor, origin: Origin, table: QName, column: str) -> Event:
    if cursor.accept("SET", "DATA", "TYPE") or cursor.accept("TYPE"):
        first, last = cursor.skip_to("COLLATE", "USING")
        first = _past_setof(cursor, first, last, None)
        type_text = cursor.slice(first, last)
        if not type_text:
            raise cursor.error(f"column {column} has no type")
        check_type_name(cursor, first, last)
        collation = cursor.slice(*_one_name(cursor)) if cursor.accept("COLLATE") else None
        using = cursor.rest() if cursor.accept("USING") else None
        return AlterColumnType(origin=origin, table=table, column=column, type=type_text,
                               using=using, collation=collation)
    if cursor.accept("SET", "DEFAULT"):
        if cursor.at_end():  # SET DEFAULT ;: the expression is missing
            following = cursor.peek()
            raise cursor.error("syntax error at end of input" if following is None else
                               f'syntax error at or near "{following.text}"',
                               following or cursor.tokens[-1])
        _refuse_string_then_name(cursor, cursor.pos, len(cursor.tokens))
        refuse_name_then_name(cursor, cursor.pos, len(cursor.tokens))
        refuse_adjacent_constants(cursor, cursor.pos, len(cursor.tokens))
        refuse_column_reference(cursor, cursor.pos, len(cursor.tokens))
        return SetColumnDefault(origin=origin, table=table, column=column, default=cursor.rest())
    if cursor.accept("DROP", "DEFAULT"):
        return SetColumnDefault(origin=origin, table=table, column=column, default=None)
    if cursor.accept("SET", "NOT", "NULL"):
        return SetColumnNotNull(origin=origin, table=table, column=column, not_null=True)
    if cursor.accept("DROP", "NOT", "NULL"):
        return SetColumnNotNull(origin=origin, table=table, column=column, not_null=False)
    if cursor.accept("ADD", "GENERATED"):
        if cursor.accept("ALWAYS"):
            identity = "ALWAYS"
        else:
            cursor.expect("BY", "DEFAULT")
            identity = "BY DEFAULT"
        cursor.expect("AS", "IDENTITY")
        options = sequence = None
        if cursor.at_type(TokenType.L_PAREN):
            options, sequence = read_identity_options(cursor)
        return SetColumnIdentity(origin=origin, table=table, column=column, identity=identity,
                                 options=options, sequence=sequence)
    if cursor.accept("DROP", "IDENTITY"):
        if_exists = cursor.if_exists()
        return SetColumnIdentity(origin=origin, table=table, column=column, identity=None,
                                 if_exists=if_exists)
    if cursor.at("SET") or cursor.at("RESTART"):
        start = cursor.pos
        event = _identity_alteration(cursor, origin, table, column)
        if event is not None:
            return event
        cursor.pos = start  # an option not modelled, or one given twice
    token = cursor.peek()
    if token is not None and word(token) not in _ALTER_COLUMN_ACTIONS:
        # ALTER TABLE t ALTER index COLUMN id ...: "index" is the column, then no action
        raise cursor.error(f'syntax error at or near "{token.text}"', token)
    raise Unsupported(f"ALTER COLUMN ... {token.text.upper() if token else ''}".rstrip())


def _identity_alteration(cursor: Cursor, origin: Origin, table: QName, column: str
                         ) -> SetIdentityGeneration | None:
    """``ALTER [COLUMN] col`` followed by identity options, in any order: ``SET GENERATED
    {ALWAYS | BY DEFAULT}``, ``RESTART [[WITH] n]`` and ``SET`` one sequence option each
    (``SET INCREMENT BY 2 SET CACHE 10``), which PostgreSQL applies to the identity's sequence
    as ``ALTER SEQUENCE`` would. None for anything else (``SET AS``, ``SET OWNED BY``, ``SET
    SEQUENCE NAME``, which PostgreSQL refuses there) and for an option given twice (its
    ``conflicting or redundant options``): the statement is not modelled then."""
    generated: str | None = None
    restart = False
    restart_with: int | None = None
    values: dict[str, object] = {}
    while not cursor.at_end():
        if cursor.accept("RESTART"):
            if restart:
                return None
            restart = True
            if cursor.accept("WITH") or cursor.at_type(TokenType.NUMBER) or \
                    cursor.at_type(TokenType.DASH) or cursor.at_type(TokenType.PLUS):
                restart_with = _integer(cursor)
            continue
        if not cursor.accept("SET"):
            return None
        if cursor.accept("GENERATED"):
            if generated is not None:
                return None
            generated = "ALWAYS" if cursor.accept("ALWAYS") else (
                "BY DEFAULT" if cursor.accept("BY", "DEFAULT") else None)
            if generated is None:
                return None
            continue
        unset = attrs.asdict(SequenceOptions())
        given = {k: v for k, v in attrs.asdict(read_sequence_options(cursor)).items()
                 if v != unset[k]}
        # one option a SET (PostgreSQL's syntax error otherwise), and not twice
        if len(given) != 1 or "as_type" in given or {k.removeprefix("no_") for k in values} & {
                k.removeprefix("no_") for k in given}:
            return None
        values.update(given)
    if not restart and not values:
        if generated is None:
            return None
        return SetIdentityGeneration(origin=origin, table=table, column=column,
                                     identity=generated)
    return SetIdentityGeneration(origin=origin, table=table, column=column, identity=generated,
                                 options=SequenceOptions(**values),  # type: ignore[arg-type]
                                 restart=restart, restart_with=restart_with)


# ---------------------------------------------------------------------------------------------
# CREATE INDEX
# ---------------------------------------------------------------------------------------------


#: PostgreSQL's built-in index access methods that make no unique index.
_NOT_UNIQUE_METHODS = frozenset({"hash", "gist", "gin", "brin", "spgist"})


@handles("CREATE INDEX", "CREATE UNIQUE INDEX")
def create_index(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE")
    unique = cursor.accept("UNIQUE")
    cursor.expect("INDEX")
    concurrently = cursor.accept("CONCURRENTLY")
    if_not_exists = cursor.if_not_exists()
    named_at = cursor.pos
    name = None if cursor.at("ON") else cursor.identifier()
    if name is not None:
        refuse_reserved_name(cursor, cursor.tokens[named_at])
    cursor.expect("ON")
    only = cursor.accept("ONLY")
    table = cursor.qname()
    method = cursor.identifier() if cursor.accept("USING") else None
    first, last = cursor.group()
    if first == last:  # ON t (): an index has at least one column or expression
        raise cursor.error('syntax error at or near ")"', cursor.tokens[last])
    parts = cursor.split_top_level(first, last)
    elements = tuple(index_element(cursor.sub(a, b)) for a, b in parts)
    include: tuple[str, ...] = ()
    if cursor.accept("INCLUDE"):
        include = tuple(cursor.group_identifiers())
    nulls_not_distinct = cursor.accept("NULLS", "NOT", "DISTINCT")
    cursor.accept("NULLS", "DISTINCT")
    options_start = cursor.pos
    if cursor.accept("WITH"):
        cursor.group()
    if cursor.accept("TABLESPACE"):
        cursor.identifier()
    options = cursor.slice(options_start, cursor.pos) or None
    where = cursor.rest() if cursor.accept("WHERE") else None
    _expect_end(cursor)
    if unique and method in _NOT_UNIQUE_METHODS:
        # of the built-in access methods only btree makes a unique index (amcanunique)
        raise cursor.error(f'access method "{method}" does not support unique indexes')
    return [
        CreateIndex(
            origin=origin,
            name=name,
            table=table,
            elements=elements,
            unique=unique,
            method=method,
            include=include,
            where=where,
            options=options,
            nulls_not_distinct=nulls_not_distinct,
            if_not_exists=if_not_exists,
            concurrently=concurrently,
            only=only,
        )
    ]


def refuse_reserved_name(cursor: Cursor, token: Token | None) -> None:
    """A name gram.y reads as ColId (an index's, a column's, the first part of a table's,
    view's or sequence's, a ``RENAME TO`` name) is, unquoted, no reserved key word nor a
    type-or-function-name one (``CREATE INDEX to ON t (a)``, ``CREATE TABLE left (...)``,
    ``ADD COLUMN from int``: PostgreSQL's syntax error at the word; ``int``, ``key``,
    ``between``, ``"left"`` or ``public.left`` are names, and so is ``system_user``, a key
    word from 16 on)."""
    if token is None or token.token_type == TokenType.IDENTIFIER or not is_word(token):
        return
    lower = token.text.lower()
    if (lower in RESERVED or lower in TYPE_FUNCTION_NAMES) and lower != "system_user":
        raise cursor.error(f'syntax error at or near "{token.text}"', token)


def index_element(cursor: Cursor) -> IndexElement:
    """One element of an index's (or a partition key's) list: a column or an expression, then
    what follows it (``suffix``: its COLLATE, operator class, order)."""
    start = cursor.pos
    if cursor.at_type(TokenType.L_PAREN):
        expression = cursor.group_text()
        _refuse_index_suffix(cursor)
        return IndexElement(expression=expression, suffix=cursor.rest())
    token = cursor.peek()
    if token is not None and cursor.at_type(TokenType.L_PAREN, 1):
        cursor.next()
        cursor.group()
        expression = cursor.slice(start, cursor.pos)
        _refuse_index_suffix(cursor)
        return IndexElement(expression=expression, suffix=cursor.rest())
    column = cursor.identifier()
    if not cursor.at_type(TokenType.DOT) and not cursor.at_type(TokenType.L_PAREN):
        _refuse_index_suffix(cursor)  # (s.f(c) is a call, read as a column and a suffix)
    return IndexElement(column=column, suffix=cursor.rest())


def _refuse_index_suffix(cursor: Cursor) -> None:
    """What follows an index element's column or expression is ``[COLLATE name] [opclass
    [(options)]] [ASC | DESC] [NULLS FIRST | LAST]`` (gram.y's index_elem_options): anything
    else is PostgreSQL's syntax error at its first token (``(value 'x')``: a string where an
    operator class or the element's end must be). Reads without consuming."""
    tokens, i = cursor.tokens, cursor.pos

    def name_at(j: int) -> int:  # the index after a dotted name at j (j: none there)
        # (after a dot any key word is a name: COLLATE pg_catalog.default)
        first = j
        while j < len(tokens) and (tokens[j].token_type == TokenType.IDENTIFIER or (
                is_word(tokens[j]) and (j > first
                                        or word(tokens[j]).lower() not in RESERVED))):
            j += 1
            if j + 1 < len(tokens) and tokens[j].token_type == TokenType.DOT:
                j += 1
                continue
            break
        return j

    if i < len(tokens) and word(tokens[i]) == "COLLATE":
        i = name_at(i + 1)
    if i < len(tokens) and word(tokens[i]) not in ("ASC", "DESC") and not (
            word(tokens[i]) == "NULLS" and i + 1 < len(tokens)
            and word(tokens[i + 1]) in ("FIRST", "LAST")):
        i = name_at(i)
        if i < len(tokens) and tokens[i].token_type == TokenType.L_PAREN:
            i = cursor.sub(i, len(tokens)).group()[1] + i + 1
    if i < len(tokens) and word(tokens[i]) in ("ASC", "DESC"):
        i += 1
    if i + 1 < len(tokens) and word(tokens[i]) == "NULLS" and \
            word(tokens[i + 1]) in ("FIRST", "LAST"):
        i += 2
    if i < len(tokens):
        token = tokens[i]
        near = cursor.text[token.start:token.end + 1] if is_string(token) else token.text
        raise cursor.error(f'syntax error at or near "{near}"', token)


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


@handles(
    "CREATE VIEW",
    "CREATE OR REPLACE VIEW",
    "CREATE MATERIALIZED VIEW",
    "CREATE RECURSIVE VIEW",
    "CREATE OR REPLACE RECURSIVE VIEW",
    "CREATE TEMP VIEW",
    "CREATE TEMPORARY VIEW",
    "CREATE OR REPLACE TEMP VIEW",
    "CREATE OR REPLACE TEMPORARY VIEW",
)
def create_view(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE")
    or_replace = cursor.accept("OR", "REPLACE")
    if cursor.accept_any("TEMP", "TEMPORARY"):
        raise Unsupported("temporary view")
    if cursor.accept("RECURSIVE"):
        raise Unsupported("recursive view")
    materialized = cursor.accept("MATERIALIZED")
    cursor.expect("VIEW")
    if not materialized and cursor.at("IF", "NOT", "EXISTS"):
        # only a materialized view takes IF NOT EXISTS (a view: CREATE OR REPLACE)
        raise cursor.error('syntax error at or near "NOT"', cursor.tokens[cursor.pos + 1])
    if_not_exists = cursor.if_not_exists()
    refuse_reserved_name(cursor, cursor.peek())
    name = cursor.qname()
    columns: tuple[str, ...] = ()
    if cursor.at_type(TokenType.L_PAREN):
        opened, closed = cursor.group()
        for i in range(opened, closed):
            if i == opened or cursor.tokens[i - 1].token_type == TokenType.COMMA:
                refuse_reserved_name(cursor, cursor.tokens[i])
        cursor.pos = opened - 1
        columns = tuple(cursor.group_identifiers())
    options = None
    if cursor.accept("USING"):
        raise Unsupported("materialized view USING access method")
    if cursor.at("WITH"):
        start = cursor.pos
        cursor.next()
        cursor.group()
        options = cursor.slice(start, cursor.pos)
    if cursor.accept("TABLESPACE"):
        raise Unsupported("view TABLESPACE")
    cursor.expect("AS")
    start = cursor.pos
    first = cursor.peek()
    if first is not None and not cursor.at_type(TokenType.L_PAREN) and \
            (first.token_type == TokenType.IDENTIFIER
             or cursor.peek_word() not in ("SELECT", "VALUES", "WITH", "TABLE")):
        # a query starts with one of these (PostgreSQL's SelectStmt): 'AS id, name FROM t',
        # 'AS SELECT$ id' are its syntax error at that word
        raise cursor.error(f'syntax error at or near "{first.text}"', first)
    # The query runs to the end, less WITH [CASCADED|LOCAL] CHECK OPTION or WITH [NO] DATA.
    end = len(cursor.tokens)
    check_option = None
    with_data = True
    tail = [t.text.upper() for t in cursor.tokens[-4:]]
    if tail[-2:] == ["CHECK", "OPTION"]:
        size = 4 if len(tail) == 4 and tail[-3] in ("CASCADED", "LOCAL") else 3
        check_option = tail[-3] if size == 4 else "CASCADED"
        end -= size
    elif materialized and tail[-3:] == ["WITH", "NO", "DATA"]:
        with_data = False
        end -= 3
    elif materialized and tail[-2:] == ["WITH", "DATA"]:
        end -= 2
    query = cursor.slice(start, end)
    if not query:
        raise cursor.error("view without a query")
    return [
        CreateView(
            origin=origin,
            name=name,
            query=query,
            columns=columns,
            or_replace=or_replace,
            materialized=materialized,
            with_data=with_data,
            if_not_exists=if_not_exists,
            options=options,
            check_option=check_option,
        )
    ]


@handles("REFRESH MATERIALIZED VIEW")
def refresh(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("REFRESH", "MATERIALIZED", "VIEW")
    concurrently = cursor.accept("CONCURRENTLY")
    name = cursor.qname()
    with_data = True
    if cursor.accept("WITH", "NO", "DATA"):
        with_data = False
    else:
        cursor.accept("WITH", "DATA")
    if not cursor.at_end():
        raise cursor.error(f"unexpected {cursor.next().text!r} after the view's name")
    return [RefreshMaterializedView(origin=origin, name=name, with_data=with_data,
                                    concurrently=bool(concurrently))]
