"""Handlers: statements on objects other than tables, views and indexes' creation.

Owns: schemas, extensions, roles, types (enum, composite, range), domains, sequences, functions
and procedures, triggers, policies, ``DROP`` of every kind, ``ALTER ... RENAME TO / OWNER TO /
SET SCHEMA`` of non-table objects, ``COMMENT ON``, and the object kinds folding does not model
(rules, publications, collations, casts, operators, ...), which are reported as ``Unsupported``.

Every handler reads the whole statement (the ``_statement`` decorator rejects anything left
over), folds identifiers through the cursor, and slices every piece of SQL that will be rendered
again from the original text.

Must not know: the schema state; files and migrations.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError
from schemafold.events import (
    AddEnumValue,
    AlterDomain,
    AlterPolicy,
    AlterSequence,
    Column,
    Comment,
    Constraint,
    CreateCompositeType,
    CreateDomain,
    CreateEnum,
    CreateExtension,
    CreateFunction,
    CreatePolicy,
    CreateRangeType,
    CreateSchema,
    CreateSequence,
    CreateTrigger,
    Drop,
    Event,
    IdentitySequence,
    ObjectRef,
    Origin,
    Rename,
    RenameColumn,
    RenameEnumValue,
    RoleStatement,
    SequenceOptions,
    SetOwner,
    SetSchema,
)
from schemafold.kinds import ObjectKind
from schemafold.names import NAME_BYTES, QName, canonical_type
from schemafold.parse.postgres.registry import Handler, Unsupported, handles
from schemafold.parse.tokens import Cursor, TokenType, is_word, word

__all__ = ["read_identity_options", "read_sequence_options", "role_spec", "routine_signature"]

# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------


def _statement(*prefixes: str) -> Callable[[Handler], Handler]:
    """Register a handler for ``prefixes``; a trailing ``;`` is ignored and any token the handler
    leaves unread is a syntax error."""

    def register(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(cursor: Cursor, origin: Origin) -> list[Event]:
            while cursor.tokens and cursor.tokens[-1].token_type == TokenType.SEMICOLON:
                cursor.tokens.pop()
            events = handler(cursor, origin)
            if not cursor.at_end():
                raise cursor.error(f"unexpected {cursor.next().text!r}")
            return events

        return handles(*prefixes)(run)

    return register


def _unsupported(*prefixes: str) -> None:
    """Register handlers that report statements as valid SQL folding does not model."""
    for prefix in prefixes:
        handles(prefix)(_rejecter(prefix))


def _rejecter(prefix: str) -> Handler:
    def reject(cursor: Cursor, origin: Origin) -> list[Event]:
        raise Unsupported(f"{prefix} is not modelled")

    return reject


_NUMBER = TokenType.NUMBER
_TEXT_STRINGS = frozenset(
    {
        TokenType.STRING,
        TokenType.BYTE_STRING,  # E'...' (sqlglot has already applied the escapes)
        TokenType.HEREDOC_STRING,
        TokenType.NATIONAL_STRING,
        TokenType.UNICODE_STRING,
    }
)


def _string_value(cursor: Cursor) -> str:
    """A string constant's value: adjacent literals are concatenated, ``U&''`` escapes applied."""
    parts = [_one_string(cursor)]
    while _at_string(cursor):
        parts.append(_one_string(cursor))
    return "".join(parts)


def _one_string(cursor: Cursor) -> str:
    token = cursor.next()
    if token.token_type not in _TEXT_STRINGS:
        raise cursor.error(f"expected a string, found {token.text!r}", token)
    if token.token_type != TokenType.UNICODE_STRING:
        return token.text
    escape = cursor.string() if cursor.accept("UESCAPE") else "\\"
    e = re.escape(escape)
    pattern = re.compile(e + "(" + e + r"|\+[0-9A-Fa-f]{6}|[0-9A-Fa-f]{4})")

    def decode(match: re.Match[str]) -> str:
        code = match.group(1)
        return escape if code == escape else chr(int(code.lstrip("+"), 16))

    return pattern.sub(decode, token.text)


def _at_string(cursor: Cursor) -> bool:
    token = cursor.peek()
    return token is not None and token.token_type in _TEXT_STRINGS


def _integer(cursor: Cursor) -> int:
    """A signed integer constant."""
    sign = 1
    if cursor.accept_type(TokenType.DASH):
        sign = -1
    else:
        cursor.accept_type(TokenType.PLUS)
    token = cursor.next()
    if token.token_type != TokenType.NUMBER or not token.text.isdigit():
        raise cursor.error(f"expected an integer, found {token.text!r}", token)
    return sign * int(token.text)


_ROLE_KEYWORDS = frozenset({"PUBLIC", "CURRENT_USER", "SESSION_USER", "CURRENT_ROLE"})


def role_spec(cursor: Cursor) -> str:
    """A role specification: a folded name, or PUBLIC / CURRENT_USER / ... in upper case."""
    w = cursor.peek_word()
    if w in _ROLE_KEYWORDS:
        cursor.next()
        return w
    return cursor.identifier()


def _roles(cursor: Cursor) -> tuple[str, ...]:
    roles = [role_spec(cursor)]
    while cursor.accept_type(TokenType.COMMA):
        roles.append(role_spec(cursor))
    return tuple(roles)


def _name_parts(cursor: Cursor) -> list[str]:
    """A dotted name as its folded parts: ``s.t.c`` -> ["s", "t", "c"]."""
    parts = [cursor.identifier()]
    while cursor.accept_type(TokenType.DOT):
        parts.append(cursor.identifier())
    return parts


def _text_until(cursor: Cursor, *stop_words: str, what: str) -> str:
    """The original text up to the next top-level stop word, comma or the end; not empty."""
    first, last = cursor.skip_to(*stop_words, stop_types=(TokenType.COMMA,))
    if first == last:
        raise cursor.error(f"expected {what}")
    return cursor.slice(first, last)


def _cascade(cursor: Cursor) -> bool:
    return cursor.accept_any("CASCADE", "RESTRICT") == "CASCADE"


def _name_on_table(cursor: Cursor) -> tuple[str, QName]:
    """``name ON table``: a trigger, policy or constraint and its table."""
    name = cursor.identifier()
    cursor.expect("ON")
    return name, cursor.qname()


def _ref_on_table(cursor: Cursor) -> ObjectRef:
    name, table = _name_on_table(cursor)
    return ObjectRef(QName(None, name), table=table)


def _plain(cursor: Cursor) -> QName:
    """An unqualified object name (schema, extension, role, database) as a QName."""
    return QName(None, cursor.identifier())


# --------------------------------------------------------------------------------------------
# Generic RENAME TO / OWNER TO / SET SCHEMA
# --------------------------------------------------------------------------------------------

_ALTER_ACTIONS = frozenset({"rename", "owner", "schema"})


def _alter_generic(
    cursor: Cursor,
    origin: Origin,
    kind: str,
    target: ObjectRef,
    *,
    allowed: frozenset[str] = _ALTER_ACTIONS,
    if_exists: bool = False,
) -> list[Event] | None:
    """RENAME TO / OWNER TO / SET SCHEMA on ``target``; None when the statement is another
    action (the caller decides whether that is unsupported or malformed)."""
    if "rename" in allowed and cursor.accept("RENAME", "TO"):
        return [
            Rename(
                origin=origin, kind=kind, target=target, new_name=cursor.identifier(),
                if_exists=if_exists,
            )
        ]
    if "owner" in allowed and cursor.accept("OWNER", "TO"):
        return [SetOwner(origin=origin, kind=kind, target=target, owner=role_spec(cursor),
                         if_exists=if_exists)]
    if "schema" in allowed and cursor.at("SET", "SCHEMA"):
        cursor.pos += 2
        return [SetSchema(origin=origin, kind=kind, target=target, schema=cursor.identifier(),
                          if_exists=if_exists)]
    return None


# First words of ALTER actions that are valid SQL for some object kind but not modelled.
_ALTER_ACTION_WORDS = frozenset(
    """
    ADD ALTER ATTACH CALLED CLUSTER COST DEPENDS DETACH DISABLE DROP ENABLE EXTERNAL IMMUTABLE
    INHERIT LEAKPROOF NO NOT OPTIONS OWNER PARALLEL RENAME RESET RETURNS ROWS SECURITY SET STABLE
    STRICT SUPPORT UPDATE VALIDATE VOLATILE
    """.split()  # noqa: SIM905
)


def _unmodelled_action(cursor: Cursor, kind: str) -> InputError | Unsupported:
    """The exception for an ALTER action no handler models: Unsupported when it starts like a
    real action, a syntax error otherwise."""
    found = cursor.peek()
    if found is None:
        return cursor.error(f"expected an action for ALTER {kind.upper()}")
    if word(found) not in _ALTER_ACTION_WORDS:
        return cursor.error(f"unexpected {found.text!r} in ALTER {kind.upper()}")
    words = word(found)
    if cursor.peek_word(1):
        words += " " + cursor.peek_word(1)
    return Unsupported(f"ALTER {kind.upper()} ... {words} is not modelled")


# --------------------------------------------------------------------------------------------
# Schemas, extensions, roles
# --------------------------------------------------------------------------------------------


@_statement("CREATE SCHEMA")
def create_schema(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE", "SCHEMA")
    if_not_exists = cursor.if_not_exists()
    name: str | None = None
    if not cursor.at("AUTHORIZATION"):
        name = cursor.identifier()
    authorization: str | None = None
    if cursor.accept("AUTHORIZATION"):
        authorization = role_spec(cursor)
    if name is None:
        if authorization is None:
            raise cursor.error("expected a schema name or AUTHORIZATION")
        if authorization in _ROLE_KEYWORDS:
            raise Unsupported(f"CREATE SCHEMA AUTHORIZATION {authorization} (name from session)")
        name = authorization
    if cursor.at("CREATE") or cursor.at("GRANT"):
        raise Unsupported("CREATE SCHEMA with schema elements is not modelled")
    return [
        CreateSchema(
            origin=origin, name=name, if_not_exists=if_not_exists, authorization=authorization
        )
    ]


@_statement("CREATE EXTENSION")
def create_extension(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE", "EXTENSION")
    if_not_exists = cursor.if_not_exists()
    name = cursor.identifier()
    cursor.accept("WITH")
    schema: str | None = None
    version: str | None = None
    cascade = False
    while not cursor.at_end():
        if cursor.accept("SCHEMA"):
            schema = cursor.identifier()
        elif cursor.accept("VERSION"):
            version = _one_string(cursor) if _at_string(cursor) else cursor.identifier()
        elif cursor.accept("CASCADE"):
            cascade = True
        else:
            raise cursor.error(f"unexpected {cursor.next().text!r} in CREATE EXTENSION")
    return [
        CreateExtension(
            origin=origin, name=name, schema=schema, version=version,
            if_not_exists=if_not_exists, cascade=cascade,
        )
    ]


@_statement("CREATE ROLE", "CREATE USER", "CREATE GROUP", "ALTER ROLE", "ALTER USER", "ALTER GROUP")
def role_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    verb = cursor.next().text.lower()
    cursor.next()  # ROLE | USER | GROUP
    name = "ALL" if verb == "alter" and cursor.accept("ALL") else role_spec(cursor)
    if verb == "create":
        _role_options(cursor)
    cursor.rest()  # the options are kept in the statement text
    return [RoleStatement(origin=origin, verb=verb, names=(name,))]


#: CREATE ROLE's options that are one word (gram.y's ``IDENT`` option, checked by name in
#: user.c, and ``INHERIT``), PostgreSQL 14 to 18 alike
_ROLE_FLAGS = frozenset({
    "superuser", "nosuperuser", "createdb", "nocreatedb", "createrole", "nocreaterole",
    "inherit", "noinherit", "login", "nologin", "replication", "noreplication", "bypassrls",
    "nobypassrls",
})


def _role_options(cursor: Cursor) -> None:
    """CREATE ROLE's options: the one-word flags (``LOGIN``), ``[ENCRYPTED] PASSWORD 'x' |
    NULL``, ``CONNECTION LIMIT n``, ``VALID UNTIL '...'``, ``SYSID n`` and the role lists of
    ``IN ROLE``, ``IN GROUP``, ``ROLE``, ``ADMIN`` and ``USER`` (``a, b``), after an optional
    ``WITH``. Another word is PostgreSQL's ``unrecognized role option "that"`` (a flag is a
    name the server looks up); anything else its syntax error there (``::NOLOGIN``)."""
    tokens = cursor.tokens
    end = len(tokens) - (1 if tokens and tokens[-1].token_type == TokenType.SEMICOLON else 0)
    at = cursor.pos
    if at < end and word(tokens[at]) == "WITH":
        at += 1

    def refuse(i: int) -> InputError:
        token = tokens[i] if i < end else tokens[end - 1]
        if i >= end:
            return cursor.error("syntax error at end of input", token)
        return cursor.error(f'syntax error at or near "{token.text}"', token)

    def expect(i: int, *kinds: TokenType, words: tuple[str, ...] = ()) -> int:
        if i < end and (tokens[i].token_type in kinds or word(tokens[i]) in words):
            return i + 1
        raise refuse(i)

    while at < end:
        token = tokens[at]
        upper = word(token)
        name = token.text if token.token_type == TokenType.IDENTIFIER else upper.lower()
        if name in _ROLE_FLAGS:
            at += 1
        elif upper == "UNENCRYPTED":
            raise cursor.error("UNENCRYPTED PASSWORD is no longer supported", token)
        elif upper == "ENCRYPTED":
            at = expect(expect(at + 1, words=("PASSWORD",)), TokenType.STRING,
                        TokenType.NATIONAL_STRING)
        elif upper == "PASSWORD":
            at = expect(at + 1, TokenType.STRING, TokenType.NATIONAL_STRING, words=("NULL",))
        elif upper == "CONNECTION":
            at = expect(at + 1, words=("LIMIT",))
            if at < end and tokens[at].token_type == TokenType.DASH:
                at += 1
            at = expect(at, TokenType.NUMBER)
        elif upper == "VALID":
            at = expect(expect(at + 1, words=("UNTIL",)), TokenType.STRING,
                        TokenType.NATIONAL_STRING)
        elif upper == "SYSID":
            at = expect(at + 1, TokenType.NUMBER)
        elif upper in ("ROLE", "ADMIN", "USER", "IN"):
            if upper == "IN":
                at = expect(at + 1, words=("ROLE", "GROUP"))
            else:
                at += 1
            at = expect(at, TokenType.IDENTIFIER, TokenType.VAR, words=(word(tokens[at]),)
                        if at < end and word(tokens[at]) else ())
            while at < end and tokens[at].token_type == TokenType.COMMA:
                at = expect(at + 1, TokenType.IDENTIFIER, TokenType.VAR,
                            words=(word(tokens[at + 1]),) if at + 1 < end and
                            word(tokens[at + 1]) else ())
        elif token.token_type == TokenType.IDENTIFIER or (upper and token.token_type ==
                                                          TokenType.VAR):
            raise cursor.error(f'unrecognized role option "{name}"', token)
        else:
            raise refuse(at)


@_statement("DROP ROLE", "DROP USER", "DROP GROUP")
def drop_role(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("DROP")
    cursor.next()
    if_exists = cursor.if_exists()
    names = tuple(cursor.identifier_list())
    return [RoleStatement(origin=origin, verb="drop", names=names, if_exists=if_exists)]


# --------------------------------------------------------------------------------------------
# Types and domains
# --------------------------------------------------------------------------------------------


@_statement("CREATE TYPE")
def create_type(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE", "TYPE")
    name = cursor.qname()
    if cursor.at_end():
        raise Unsupported("CREATE TYPE without a definition (shell type) is not modelled")
    if cursor.at_type(TokenType.L_PAREN):
        raise Unsupported("CREATE TYPE with INPUT/OUTPUT functions (base type) is not modelled")
    cursor.expect("AS")
    if cursor.accept("ENUM"):
        first, last = cursor.group()
        labels = []
        for a, b in cursor.split_top_level(first, last):
            sub = cursor.sub(a, b)
            labels.append(_enum_label(sub))
            if not sub.at_end():
                raise sub.error(f"unexpected {sub.next().text!r} in enum labels")
        if first < last and cursor.tokens[last - 1].token_type == TokenType.COMMA:
            raise cursor.error("empty enum label", cursor.tokens[last - 1])
        return [CreateEnum(origin=origin, name=name, labels=tuple(labels))]
    if cursor.accept("RANGE"):
        first, last = cursor.group()
        subtype: str | None = None
        for a, b in cursor.split_top_level(first, last):
            sub = cursor.sub(a, b)
            option = sub.identifier()
            if not sub.accept_type(TokenType.EQ):
                raise sub.error(f"expected '=' after {option}")
            value = sub.rest()
            if not value:
                raise sub.error(f"expected a value for {option}")
            if option == "subtype":
                subtype = value
        if subtype is None:
            raise cursor.error("range type needs a subtype")
        return [
            CreateRangeType(
                origin=origin, name=name, subtype=subtype, options=cursor.slice(first, last)
            )
        ]
    first, last = cursor.group()
    attributes = []
    for a, b in cursor.split_top_level(first, last):
        sub = cursor.sub(a, b)
        from schemafold.parse.postgres.tables import refuse_reserved_name

        refuse_reserved_name(sub, sub.peek())  # (left int): an attribute's name is a ColId
        attribute = sub.identifier()
        type_text = _text_until(sub, "COLLATE", what=f"a type for {attribute}")
        collation = _collation(sub) if sub.accept("COLLATE") else None
        if not sub.at_end():
            raise sub.error(f"unexpected {sub.next().text!r} in attribute {attribute}")
        attributes.append(Column(name=attribute, type=type_text, collation=collation))
    return [CreateCompositeType(origin=origin, name=name, attributes=tuple(attributes))]


def _enum_label(cursor: Cursor) -> str:
    """An enum label a statement gives a type: at most 63 bytes (PostgreSQL's ``invalid enum
    label``; a label is not cut as a name is)."""
    token = cursor.peek()
    label = _string_value(cursor)
    if len(label.encode()) > NAME_BYTES:
        raise cursor.error(f'invalid enum label "{label}" (labels must be {NAME_BYTES} bytes '
                           "or less)", token)
    return label


@_statement("ALTER TYPE")
def alter_type(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("ALTER", "TYPE")
    name = cursor.qname()
    if cursor.accept("ADD", "VALUE"):
        if_not_exists = cursor.if_not_exists()
        label = _enum_label(cursor)
        before = after = None
        if cursor.accept("BEFORE"):
            before = _string_value(cursor)
        elif cursor.accept("AFTER"):
            after = _string_value(cursor)
        return [
            AddEnumValue(
                origin=origin, type=name, label=label, before=before, after=after,
                if_not_exists=if_not_exists,
            )
        ]
    if cursor.accept("RENAME", "VALUE"):
        old = _string_value(cursor)
        cursor.expect("TO")
        return [RenameEnumValue(origin=origin, type=name, old=old, new=_enum_label(cursor))]
    events = _alter_generic(cursor, origin, "type", ObjectRef(name))
    if events is not None:
        return events
    raise _unmodelled_action(cursor, "type")


@_statement("CREATE DOMAIN")
def create_domain(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE", "DOMAIN")
    name = cursor.qname()
    cursor.accept("AS")
    clause_words = ("COLLATE", "DEFAULT", "CONSTRAINT", "NOT", "NULL", "CHECK")
    base_type = _text_until(cursor, *clause_words, what="a base type")
    collation: str | None = None
    default: str | None = None
    not_null = False
    checks: list[Constraint] = []
    while not cursor.at_end():
        if cursor.accept("COLLATE"):
            collation = _collation(cursor)
            continue
        if cursor.accept("DEFAULT"):
            start = cursor.pos
            cursor.next()  # at least one token: in DEFAULT NULL, NULL is the expression
            cursor.skip_to(*clause_words)
            default = cursor.slice(start, cursor.pos)
            continue
        constraint_name = cursor.identifier() if cursor.accept("CONSTRAINT") else None
        if cursor.accept("NOT", "NULL"):
            not_null = True
        elif cursor.accept("NULL"):
            not_null = False
        elif cursor.accept("CHECK"):
            checks.append(
                Constraint(kind="check", name=constraint_name, expression=cursor.group_text())
            )
        else:
            found = cursor.peek()
            raise cursor.error(
                f"unexpected {found.text if found else 'end of statement'!r} in CREATE DOMAIN"
            )
    return [
        CreateDomain(
            origin=origin, name=name, base_type=base_type, default=default, not_null=not_null,
            collation=collation, checks=tuple(checks),
        )
    ]


def _collation(cursor: Cursor) -> str:
    """After COLLATE: the collation's name as written (``"C"``, ``pg_catalog."default"``)."""
    start = cursor.pos
    cursor.qname()
    return cursor.slice(start, cursor.pos)


@_statement("ALTER DOMAIN")
def alter_domain(cursor: Cursor, origin: Origin) -> list[Event]:
    """``RENAME TO``, ``OWNER TO`` and ``SET SCHEMA`` act on the domain as on any type (a
    domain is a type: PostgreSQL's ``ALTER TYPE`` does the same to it); other actions (its
    default, NOT NULL, constraints) are not modelled."""
    cursor.expect("ALTER", "DOMAIN")
    name = cursor.qname()
    events = _alter_generic(cursor, origin, "type", ObjectRef(name))
    if events is not None:
        return events
    event = _alter_domain_action(cursor, origin, name)
    if event is not None and cursor.at_end():
        return [event]
    raise Unsupported("ALTER DOMAIN is not modelled but for RENAME TO, OWNER TO, SET SCHEMA, "
                      "its default, NOT NULL and CHECK constraints")


def _alter_domain_action(cursor: Cursor, origin: Origin, name: QName) -> AlterDomain | None:
    """The action of an ``ALTER DOMAIN`` this models (:class:`AlterDomain`), or None (``ADD
    [CONSTRAINT c] NOT NULL``, ``RENAME CONSTRAINT``, ``DROP CONSTRAINT ... CASCADE``)."""
    if cursor.accept("SET", "DEFAULT"):
        if cursor.at_end():
            return None
        return AlterDomain(origin=origin, name=name, action="set default", default=cursor.rest())
    for words, action in ((("DROP", "DEFAULT"), "drop default"),
                          (("SET", "NOT", "NULL"), "set not null"),
                          (("DROP", "NOT", "NULL"), "drop not null")):
        if cursor.accept(*words):
            return AlterDomain(origin=origin, name=name, action=action)
    if cursor.accept("ADD"):
        constraint_name = cursor.identifier() if cursor.accept("CONSTRAINT") else None
        if not cursor.accept("CHECK") or not cursor.at_type(TokenType.L_PAREN):
            return None
        expression = cursor.group_text()
        not_valid = cursor.accept("NOT", "VALID")
        return AlterDomain(origin=origin, name=name, action="add", constraint=Constraint(
            kind="check", name=constraint_name, expression=expression, not_valid=not_valid))
    if cursor.accept("DROP", "CONSTRAINT"):
        if_exists = cursor.if_exists()
        constraint_name = cursor.identifier()
        cursor.accept("RESTRICT")  # CASCADE: not modelled (nothing depends on a CHECK)
        return AlterDomain(origin=origin, name=name, action="drop constraint",
                           constraint_name=constraint_name, if_exists=if_exists)
    if cursor.accept("VALIDATE", "CONSTRAINT"):
        return AlterDomain(origin=origin, name=name, action="validate",
                           constraint_name=cursor.identifier())
    return None


# --------------------------------------------------------------------------------------------
# Sequences
# --------------------------------------------------------------------------------------------


def read_sequence_options(
    cursor: Cursor, extra: Callable[[Cursor], bool] | None = None
) -> SequenceOptions:
    """Read sequence options (``AS type``, ``INCREMENT [BY] n``, ``[NO] MINVALUE``, ``[NO]
    MAXVALUE``, ``START [WITH] n``, ``CACHE n``, ``[NO] CYCLE``) in any order, up to the first
    token that starts none of them. ``extra`` may consume other options (``OWNED BY``,
    ``SEQUENCE NAME``, ``RESTART``): it returns True when it read one. Repeating an option is an
    error, as in PostgreSQL."""
    values: dict[str, object] = {}

    def put(option: str, **fields: object) -> None:
        if option in seen:
            raise cursor.error(f"conflicting or redundant options: {option}")
        seen.add(option)
        values.update(fields)

    seen: set[str] = set()
    while not cursor.at_end():
        if cursor.accept("AS"):
            start = cursor.pos
            type_name = cursor.qname()
            if type_name.schema not in (None, "pg_catalog") or \
                    type_name.name not in _SEQUENCE_TYPES:
                # PostgreSQL takes these three types only (not a domain over one either)
                raise cursor.error("sequence type must be smallint, integer, or bigint",
                                   cursor.tokens[start])
            put("AS", as_type=cursor.slice(start, cursor.pos))
        elif cursor.accept("INCREMENT"):
            cursor.accept("BY")
            put("INCREMENT", increment=_integer(cursor))
        elif cursor.accept("NO", "MINVALUE"):
            put("MINVALUE", no_minvalue=True)
        elif cursor.accept("MINVALUE"):
            put("MINVALUE", minvalue=_integer(cursor))
        elif cursor.accept("NO", "MAXVALUE"):
            put("MAXVALUE", no_maxvalue=True)
        elif cursor.accept("MAXVALUE"):
            put("MAXVALUE", maxvalue=_integer(cursor))
        elif cursor.accept("START"):
            cursor.accept("WITH")
            put("START", start=_integer(cursor))
        elif cursor.accept("CACHE"):
            put("CACHE", cache=_integer(cursor))
        elif cursor.accept("NO", "CYCLE"):
            put("CYCLE", cycle=False)
        elif cursor.accept("CYCLE"):
            put("CYCLE", cycle=True)
        elif extra is None or not extra(cursor):
            break
    return SequenceOptions(**values)  # type: ignore[arg-type]


def read_identity_options(cursor: Cursor) -> tuple[str, IdentitySequence]:
    """The parenthesised options after ``GENERATED ... AS IDENTITY``: their text as written and
    what they say (sequence options, ``SEQUENCE NAME``, ``RESTART [WITH] n``), read here once
    so that the fold takes values, not text. Options this does not model (``OWNED BY``,
    ``[UN]LOGGED``: PostgreSQL 15 takes ``UNLOGGED`` there and makes the identity's sequence
    unlogged) are :class:`Unsupported`: the statement is kept as written."""
    first, last = cursor.group()
    text = cursor.slice(first, last)
    inner = cursor.sub(first, last)
    named: list[QName] = []
    restart: list[int | None] = []

    def sequence_name_or_restart(c: Cursor) -> bool:
        if c.accept("SEQUENCE", "NAME"):
            named.append(c.qname())
            return True
        if c.accept("RESTART"):
            c.accept("WITH")
            token = c.peek()
            negative = token is not None and token.text == "-"
            if negative:
                c.next()
            number = c.peek()
            if number is not None and number.text.isdigit():
                c.next()
                restart.append(-int(number.text) if negative else int(number.text))
            else:
                restart.append(None)  # RESTART alone: from START, as created anyway
            return True
        return False

    options = read_sequence_options(inner, sequence_name_or_restart)
    if not inner.at_end():
        token = inner.peek()
        raise Unsupported(f"identity option {token.text.upper() if token else ''}".rstrip())
    return text, IdentitySequence(options=options, name=named[0] if named else None,
                                  restart=restart[-1] if restart else None)


class _OwnedBy:
    """A sequence option reader for ``OWNED BY [schema.]table.column | OWNED BY NONE``."""

    def __init__(self) -> None:
        self.given = False
        self.value: tuple[QName, str] | None = None

    def __call__(self, cursor: Cursor) -> bool:
        if not cursor.accept("OWNED", "BY"):
            return False
        if self.given:
            raise cursor.error("conflicting or redundant options: OWNED BY")
        self.given = True
        if not cursor.accept("NONE"):
            table, column = _column_ref(cursor)
            self.value = (table, column)
        return True


def _column_ref(cursor: Cursor) -> tuple[QName, str]:
    """``[schema.]table.column`` (a leading database name is dropped)."""
    parts = _name_parts(cursor)
    if len(parts) < 2:
        raise cursor.error("expected table.column")
    return QName(parts[-3] if len(parts) > 2 else None, parts[-2]), parts[-1]


@_statement("CREATE SEQUENCE", "CREATE TEMP SEQUENCE", "CREATE TEMPORARY SEQUENCE",
            "CREATE UNLOGGED SEQUENCE")
def create_sequence(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE")
    persistence = cursor.accept_any("TEMP", "TEMPORARY", "UNLOGGED")
    cursor.expect("SEQUENCE")
    if_not_exists = cursor.if_not_exists()
    from schemafold.parse.postgres.tables import refuse_reserved_name
    refuse_reserved_name(cursor, cursor.peek())
    name = cursor.qname()
    owned_by = _OwnedBy()
    options = read_sequence_options(cursor, owned_by)
    return [
        CreateSequence(
            origin=origin, name=name, options=options, owned_by=owned_by.value,
            if_not_exists=if_not_exists, unlogged=persistence == "UNLOGGED",
            temporary=persistence in ("TEMP", "TEMPORARY"),
        )
    ]


@_statement("ALTER SEQUENCE")
def alter_sequence(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("ALTER", "SEQUENCE")
    if_exists = cursor.if_exists()
    name = cursor.qname()
    events = _alter_generic(cursor, origin, "sequence", ObjectRef(name), if_exists=if_exists)
    if events is not None:
        return events
    if cursor.at("SET"):
        raise _unmodelled_action(cursor, "sequence")
    owned_by = _OwnedBy()
    restart = False
    restart_with: int | None = None

    def more(c: Cursor) -> bool:
        nonlocal restart, restart_with
        if not c.accept("RESTART"):
            return owned_by(c)
        if restart:
            raise c.error("conflicting or redundant options: RESTART")
        restart = True
        if c.accept("WITH") or any(c.at_type(t) for t in (_NUMBER, TokenType.DASH, TokenType.PLUS)):
            restart_with = _integer(c)
        return True

    start = cursor.pos
    options = read_sequence_options(cursor, more)
    if cursor.pos == start:
        raise _unmodelled_action(cursor, "sequence")
    return [
        AlterSequence(
            origin=origin, name=name, options=options, restart=restart,
            restart_with=restart_with, owned_by=owned_by.value,
            owned_by_none=owned_by.given and owned_by.value is None, if_exists=if_exists,
        )
    ]


# --------------------------------------------------------------------------------------------
# Functions and procedures
# --------------------------------------------------------------------------------------------

_ARG_MODES = frozenset({"IN", "OUT", "INOUT", "VARIADIC"})
# First words of multi-word type names, and the words that continue them.
_TYPE_CONTINUATIONS = {
    "DOUBLE": {"PRECISION"},
    "CHARACTER": {"VARYING"},
    "CHAR": {"VARYING"},
    "NCHAR": {"VARYING"},
    "NATIONAL": {"CHARACTER", "CHAR"},
    "BIT": {"VARYING"},
    "TIMESTAMP": {"WITH", "WITHOUT"},
    "TIME": {"WITH", "WITHOUT"},
    "INTERVAL": {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"},
}
#: PostgreSQL's column-name key words (catcode 'C' on 15, the JSON ones of 16 on left out:
#: 15 takes ``json`` as a name) but the argument modes: no parameter's name
_NOT_PARAMETER_NAMES = frozenset("""
    between bigint bit boolean char character coalesce dec decimal exists extract float
    greatest grouping int integer interval least national nchar none normalize nullif numeric
    overlay position precision real row smallint substring time timestamp treat trim values
    varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse
    xmlpi xmlroot xmlserialize xmltable
    """.split())  # noqa: SIM905
_TYPE_FOLLOWERS = frozenset({TokenType.DOT, TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.MOD})


@attrs.frozen
class _Argument:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    mode: str  # "IN" | "OUT" | "INOUT" | "VARIADIC"
    name: str | None
    type: str  # as written
    default: str | None
    marked: bool = False  # the mode was written (IN too), not taken by default

    @property
    def is_input(self) -> bool:
        return self.mode != "OUT"


def _read_argument(cursor: Cursor) -> _Argument:
    """One routine argument: ``[mode] [name] type [{DEFAULT | =} expr]`` or ``name mode type``."""
    type_end = len(cursor.tokens)
    default: str | None = None
    for i in range(len(cursor.tokens)):
        token = cursor.tokens[i]
        if token.token_type == TokenType.EQ or word(token) == "DEFAULT":
            type_end = i
            default = cursor.slice(i + 1, len(cursor.tokens))
            if not default:
                raise cursor.error("expected a default value", token)
            break
    mode = cursor.accept_any(*_ARG_MODES)
    name: str | None = None
    if type_end - cursor.pos >= 2 and _can_be_name(cursor):
        first = cursor.peek()
        if first is not None and first.token_type != TokenType.IDENTIFIER and \
                word(first).lower() in _NOT_PARAMETER_NAMES:
            # a column-name key word is no parameter's name: PostgreSQL read it as the type,
            # and the word after it is its syntax error (f(int text), a comma lost)
            raise cursor.error(f'syntax error at or near "{cursor.tokens[cursor.pos + 1].text}"',
                               cursor.tokens[cursor.pos + 1])
        name = cursor.identifier()
        if not mode and type_end - cursor.pos >= 2:
            mode = cursor.accept_any(*_ARG_MODES)
    if cursor.pos >= type_end:
        raise cursor.error("expected an argument type")
    type_start = cursor.pos + (word(cursor.tokens[cursor.pos]) == "SETOF")
    if type_start < type_end and not any(
            t.token_type == TokenType.MOD for t in cursor.tokens[type_start:type_end]):
        # a type name as a column's is (t.c%TYPE aside): a word no type name has after it
        # ('p NUMERI C', a character lost to a line break) is PostgreSQL's syntax error
        from schemafold.parse.postgres.tables import check_type_name

        check_type_name(cursor, type_start, type_end)
    type_text = cursor.slice(cursor.pos, type_end)
    cursor.pos = len(cursor.tokens)
    return _Argument(mode or "IN", name, type_text, default, bool(mode))


def _refuse_table_column_names(cursor: Cursor, first: int, last: int) -> None:
    """A ``RETURNS TABLE`` column's name (gram.y's param_name) is, unquoted, no column-name
    key word (``int``, ``between``, ``out``, ``setof``) nor a reserved one (``from``,
    ``variadic``): PostgreSQL's syntax error at it (``RETURNS TABLE (int text)``, a name
    lost; ``left``, ``json``, ``key`` and, on 15, ``system_user`` are names); nor has a
    column a mode after its name (``x out int``)."""
    from schemafold.parse.keywords import RESERVED

    for a, _ in cursor.split_top_level(first, last):
        token = cursor.tokens[a]
        lower = token.text.lower()
        if token.token_type != TokenType.IDENTIFIER and is_word(token) and (
                lower in _NOT_PARAMETER_NAMES or lower in ("out", "inout", "setof") or (
                    lower in RESERVED and lower != "system_user")):
            raise cursor.error(f'syntax error at or near "{token.text}"', token)
        mode = cursor.tokens[a + 1] if a + 1 < last else None
        if mode is not None and mode.token_type != TokenType.IDENTIFIER and \
                word(mode) in _ARG_MODES:  # RETURNS TABLE (x out int): a column has no mode
            raise cursor.error(f'syntax error at or near "{mode.text}"', mode)


def _can_be_name(cursor: Cursor) -> bool:
    """Whether the next token is an argument name: PostgreSQL reads the first word as a name when
    another type word follows it."""
    first, second = cursor.peek(), cursor.peek(1)
    if first is None or second is None:
        return False
    if first.token_type != TokenType.IDENTIFIER and not is_word(first):
        return False
    head = word(first)
    if head == "SETOF" or word(second) in _TYPE_CONTINUATIONS.get(head, ()):
        return False
    return second.token_type not in _TYPE_FOLLOWERS and word(second) != "ARRAY"


def _arguments(cursor: Cursor, first: int, last: int) -> list[_Argument]:
    return [_read_argument(cursor.sub(a, b)) for a, b in cursor.split_top_level(first, last)]


def routine_parameters(arguments: str, returns: str | None
                       ) -> list[tuple[str, str | None, str, bool]] | None:
    """``(mode, name, type, has a default)`` of each parameter of a routine, read from its
    argument list as ``CreateFunction.arguments`` holds it and its ``RETURNS`` clause (a
    ``RETURNS TABLE`` column is mode ``TABLE``): the mode ``IN``, ``OUT``, ``INOUT`` or
    ``VARIADIC``, the name as PostgreSQL keeps it (None unnamed), the type canonical
    (``canonical_type``; "" for one written with quotes or ``%TYPE``); None when they do not
    read."""
    from schemafold.errors import InputError

    try:
        found = [(a.mode, a.name, _plain_type(a.type), a.default is not None)
                 for a in _arguments(Cursor(arguments), 0, len(Cursor(arguments).tokens))
                 ] if arguments.strip() else []
        if returns is not None and returns.lstrip()[:5].upper() == "TABLE":
            cursor = Cursor(returns)
            cursor.expect("TABLE")
            first, last = cursor.group()
            for a, b in cursor.split_top_level(first, last):
                column = _read_argument(cursor.sub(a, b))
                if column.marked or column.name is None or column.default is not None:
                    return None
                found.append(("TABLE", column.name, _plain_type(column.type), False))
    except (InputError, ValueError, IndexError):
        return None
    return found


def table_column_types(returns: str) -> list[str]:
    """The types of a ``RETURNS TABLE (name type, ...)`` clause's columns, as written; none
    when the clause is no such clause or does not read."""
    from schemafold.errors import InputError

    if returns.lstrip()[:5].upper() != "TABLE":
        return []
    try:
        cursor = Cursor(returns)
        cursor.expect("TABLE")
        first, last = cursor.group()
        columns = [_read_argument(cursor.sub(a, b))
                   for a, b in cursor.split_top_level(first, last)]
    except (InputError, ValueError, IndexError):
        return []
    if any(c.marked or c.name is None or c.default is not None or not c.type for c in columns):
        return []
    return [c.type for c in columns]


def _plain_type(written: str) -> str:
    """``canonical_type`` of a type written without quotes or ``%TYPE``, else ""."""
    return "" if '"' in written or "%" in written else canonical_type(written)


def _input_types(arguments: list[_Argument]) -> tuple[str, ...]:
    return tuple(canonical_type(a.type) for a in arguments if a.is_input)


def routine_signature(cursor: Cursor) -> ObjectRef:
    """``name [(args)]`` of a function or procedure, keyed by canonical input types (argument
    names, defaults and OUT arguments dropped); ``arg_types`` None without parentheses.
    ``unmarked``: arguments are listed and none has a mode written, so that a procedure's may
    be all of its arguments, OUT ones too (PostgreSQL 14 and later)."""
    name = cursor.qname()
    if not cursor.at_type(TokenType.L_PAREN):
        return ObjectRef(name)
    first, last = cursor.group()
    arguments = _arguments(cursor, first, last)
    return ObjectRef(name, _input_types(arguments),
                     unmarked=bool(arguments) and not any(a.marked for a in arguments))


#: The types a sequence may be (CREATE / ALTER SEQUENCE ... AS), under every name they have.
_SEQUENCE_TYPES = frozenset({"smallint", "int2", "integer", "int", "int4", "bigint", "int8"})

_FUNCTION_CLAUSES = (
    "LANGUAGE", "TRANSFORM", "WINDOW", "IMMUTABLE", "STABLE", "VOLATILE", "NOT", "LEAKPROOF",
    "CALLED", "RETURNS", "STRICT", "EXTERNAL", "SECURITY", "PARALLEL", "COST", "ROWS", "SUPPORT",
    "SET", "AS", "RETURN", "BEGIN",
)


@_statement("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", "CREATE PROCEDURE",
            "CREATE OR REPLACE PROCEDURE")
def create_function(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE")
    or_replace = cursor.accept("OR", "REPLACE")
    procedure = cursor.accept_any("FUNCTION", "PROCEDURE") == "PROCEDURE"
    name = cursor.qname()
    first, last = cursor.group()
    arguments = _arguments(cursor, first, last)
    returns: str | None = None
    language: str | None = None
    body: str | None = None
    has_body = as_body = False
    while not cursor.at_end():
        if cursor.accept("RETURNS"):
            if cursor.accept("NULL", "ON", "NULL", "INPUT"):
                continue
            if returns is not None:
                raise cursor.error("conflicting or redundant options: RETURNS")
            start = cursor.pos
            if cursor.accept("TABLE"):
                _refuse_table_column_names(cursor, *cursor.group())
            else:
                cursor.accept("SETOF")
                type_start = cursor.pos
                _text_until(cursor, *_FUNCTION_CLAUSES, what="a return type")
                if not any(t.token_type == TokenType.MOD
                           for t in cursor.tokens[type_start:cursor.pos]):  # not t.c%TYPE
                    # a word no type name has ('RETURNS numeric sql IMMUTABLE', LANGUAGE
                    # lost) is PostgreSQL's syntax error
                    from schemafold.parse.postgres.tables import check_type_name

                    check_type_name(cursor, type_start, cursor.pos)
            returns = cursor.slice(start, cursor.pos)
        elif cursor.accept("LANGUAGE"):
            # a quoted name or a string keeps its case, as PostgreSQL looks it up
            language = _one_string(cursor) if _at_string(cursor) else cursor.identifier()
        elif cursor.at("AS") or cursor.at("RETURN") or cursor.at("BEGIN"):
            if has_body:
                raise cursor.error("conflicting or redundant options: function body")
            has_body = True
            as_body = cursor.at("AS")
            body = _function_body(cursor)
        else:
            _function_option(cursor)
    if not has_body:
        raise cursor.error("no function body specified")
    if language is None and as_body:  # only a RETURN or BEGIN ATOMIC body is sql by default
        raise cursor.error("no language specified", cursor.tokens[0])
    return [
        CreateFunction(
            origin=origin, name=name, arg_types=_input_types(arguments),
            all_types=tuple(canonical_type(a.type) for a in arguments),
            arguments=cursor.slice(first, last), returns=returns, language=language,
            or_replace=or_replace, procedure=procedure,
            returns_trigger=returns is not None and canonical_type(returns) == "trigger",
            body=body,
        )
    ]


def _function_body(cursor: Cursor) -> str | None:
    """``AS 'body'``, ``AS $tag$body$tag$``, ``AS 'obj', 'link'`` (None: no SQL body), or an
    SQL-standard body, ``RETURN expr`` or ``BEGIN ATOMIC ... END``, which ends the statement and
    is returned as written."""
    if cursor.accept("AS"):
        body = _string_value(cursor)
        if cursor.accept_type(TokenType.COMMA):
            _string_value(cursor)
            return None
        return body
    if cursor.at("BEGIN"):
        if not cursor.at("BEGIN", "ATOMIC"):
            raise cursor.error("expected BEGIN ATOMIC")
        if word(cursor.tokens[-1]) != "END" or len(cursor.tokens) - cursor.pos < 3:
            raise cursor.error("BEGIN ATOMIC without END", cursor.tokens[-1])
    elif cursor.pos + 1 >= len(cursor.tokens):
        raise cursor.error("expected an expression after RETURN")
    return cursor.rest()


def _function_option(cursor: Cursor) -> None:
    """Consume one option of CREATE FUNCTION that does not matter to folding."""
    if cursor.accept_any("WINDOW", "IMMUTABLE", "STABLE", "VOLATILE", "LEAKPROOF", "STRICT"):
        return
    if cursor.accept("NOT", "LEAKPROOF") or cursor.accept("CALLED", "ON", "NULL", "INPUT"):
        return
    cursor.accept("EXTERNAL")
    if cursor.accept("SECURITY"):
        if not cursor.accept_any("DEFINER", "INVOKER"):
            raise cursor.error("expected DEFINER or INVOKER")
    elif cursor.accept("PARALLEL"):
        if not cursor.accept_any("SAFE", "RESTRICTED", "UNSAFE"):
            raise cursor.error("expected SAFE, RESTRICTED or UNSAFE")
    elif cursor.accept_any("COST", "ROWS"):
        token = cursor.next()
        if token.token_type != TokenType.NUMBER:
            raise cursor.error(f"expected a number, found {token.text!r}", token)
    elif cursor.accept("SUPPORT"):
        cursor.qname()
    elif cursor.accept("TRANSFORM"):
        cursor.expect("FOR", "TYPE")
        _text_until(cursor, *_FUNCTION_CLAUSES, what="a type")
        while cursor.accept_type(TokenType.COMMA):
            cursor.expect("FOR", "TYPE")
            _text_until(cursor, *_FUNCTION_CLAUSES, what="a type")
    elif cursor.accept("SET"):
        _set_clause(cursor)
    else:
        found = cursor.peek()
        raise cursor.error(
            f"unexpected {found.text if found else 'end of statement'!r} in function definition"
        )


def _set_clause(cursor: Cursor) -> None:
    """After SET: ``param {TO | =} value [, ...]``, ``param FROM CURRENT``, ``TIME ZONE v``."""
    if cursor.accept("TIME", "ZONE"):
        cursor.next()
        return
    cursor.qname()
    if cursor.accept("FROM", "CURRENT"):
        return
    if not (cursor.accept("TO") or cursor.accept_type(TokenType.EQ)):
        raise cursor.error("expected TO or '='")
    while True:
        if not cursor.accept_type(TokenType.DASH):
            cursor.accept_type(TokenType.PLUS)
        token = cursor.next()
        if not (
            token.token_type in (TokenType.NUMBER, TokenType.IDENTIFIER)
            or token.token_type in _TEXT_STRINGS
            or is_word(token)
        ):
            raise cursor.error(f"expected a value, found {token.text!r}", token)
        if not cursor.accept_type(TokenType.COMMA):
            return


@_statement("ALTER FUNCTION", "ALTER PROCEDURE")
def alter_function(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("ALTER")
    kind = cursor.next().text.lower()
    target = routine_signature(cursor)
    events = _alter_generic(cursor, origin, kind, target)
    if events is not None:
        return events
    raise _unmodelled_action(cursor, kind)


# --------------------------------------------------------------------------------------------
# Triggers and policies
# --------------------------------------------------------------------------------------------


@_statement("CREATE TRIGGER", "CREATE OR REPLACE TRIGGER", "CREATE CONSTRAINT TRIGGER",
            "CREATE OR REPLACE CONSTRAINT TRIGGER")
def create_trigger(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE")
    or_replace = cursor.accept("OR", "REPLACE")
    constraint = cursor.accept("CONSTRAINT")
    cursor.expect("TRIGGER")
    name = cursor.identifier()
    if cursor.accept("INSTEAD", "OF"):
        timing = "INSTEAD OF"
    else:
        timing = cursor.accept_any("BEFORE", "AFTER")
        if not timing:
            raise cursor.error("expected BEFORE, AFTER or INSTEAD OF")
    first, last = cursor.skip_to("ON")
    if first == last:
        raise cursor.error("expected a trigger event")
    _check_trigger_events(cursor.sub(first, last))
    cursor.expect("ON")
    table = cursor.qname()
    from_table = None
    if cursor.accept("FROM"):
        if not constraint:
            raise cursor.error("FROM is only allowed for a constraint trigger")
        from_table = cursor.qname()
    start = cursor.pos
    while cursor.accept("NOT", "DEFERRABLE") or cursor.accept("DEFERRABLE"):
        pass
    if cursor.accept("INITIALLY") and not cursor.accept_any("DEFERRED", "IMMEDIATE"):
        raise cursor.error("expected DEFERRED or IMMEDIATE")
    while cursor.accept("NOT", "DEFERRABLE") or cursor.accept("DEFERRABLE"):
        pass
    deferral = cursor.slice(start, cursor.pos) or None
    referencing: str | None = None
    if cursor.at("REFERENCING"):
        start = cursor.pos
        cursor.next()
        while cursor.accept_any("OLD", "NEW"):
            if not cursor.accept_any("TABLE", "ROW"):
                raise cursor.error("expected TABLE")
            cursor.accept("AS")
            cursor.identifier()
        referencing = cursor.slice(start, cursor.pos)
    for_each_row = False
    if cursor.accept("FOR"):
        cursor.accept("EACH")
        level = cursor.accept_any("ROW", "STATEMENT")
        if not level:
            raise cursor.error("expected ROW or STATEMENT")
        for_each_row = level == "ROW"
    when = cursor.group_text() if cursor.accept("WHEN") else None
    cursor.expect("EXECUTE")
    if not cursor.accept_any("FUNCTION", "PROCEDURE"):
        raise cursor.error("expected FUNCTION or PROCEDURE")
    function = cursor.qname()
    function_args = cursor.group_text()
    return [
        CreateTrigger(
            origin=origin, name=name, table=table, function=function, timing=timing,
            events=cursor.slice(first, last), for_each_row=for_each_row, when=when,
            function_args=function_args, or_replace=or_replace, constraint=constraint,
            deferral=deferral, referencing=referencing, from_table=from_table,
        )
    ]


def _check_trigger_events(cursor: Cursor) -> None:
    """``INSERT OR UPDATE [OF a, b] OR DELETE OR TRUNCATE``."""
    while True:
        event = cursor.accept_any("INSERT", "UPDATE", "DELETE", "TRUNCATE")
        if not event:
            raise cursor.error("expected INSERT, UPDATE, DELETE or TRUNCATE")
        if event == "UPDATE" and cursor.accept("OF"):
            cursor.identifier_list()
        if cursor.at_end():
            return
        cursor.expect("OR")


@_statement("ALTER TRIGGER")
def alter_trigger(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("ALTER", "TRIGGER")
    target = _ref_on_table(cursor)
    events = _alter_generic(cursor, origin, "trigger", target, allowed=frozenset({"rename"}))
    if events is not None:
        return events
    raise _unmodelled_action(cursor, "trigger")


_POLICY_COMMANDS = ("ALL", "SELECT", "INSERT", "UPDATE", "DELETE")


@_statement("CREATE POLICY")
def create_policy(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CREATE", "POLICY")
    name, table = _name_on_table(cursor)
    permissive = True
    if cursor.accept("AS"):
        kind = cursor.accept_any("PERMISSIVE", "RESTRICTIVE")
        if not kind:
            raise cursor.error("expected PERMISSIVE or RESTRICTIVE")
        permissive = kind == "PERMISSIVE"
    command = "ALL"
    if cursor.accept("FOR"):
        command = cursor.accept_any(*_POLICY_COMMANDS)
        if not command:
            raise cursor.error("expected ALL, SELECT, INSERT, UPDATE or DELETE")
    roles, using, check = _policy_clauses(cursor)
    return [
        CreatePolicy(
            origin=origin, name=name, table=table, permissive=permissive,
            command=command, roles=roles or (), using=using, check=check,
        )
    ]


def _policy_clauses(cursor: Cursor) -> tuple[tuple[str, ...] | None, str | None, str | None]:
    roles = _roles(cursor) if cursor.accept("TO") else None
    using = cursor.group_text() if cursor.accept("USING") else None
    check = cursor.group_text() if cursor.accept("WITH", "CHECK") else None
    return roles, using, check


@_statement("ALTER POLICY")
def alter_policy(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("ALTER", "POLICY")
    name, table = _name_on_table(cursor)
    target = ObjectRef(QName(None, name), table=table)
    events = _alter_generic(cursor, origin, "policy", target, allowed=frozenset({"rename"}))
    if events is not None:
        return events
    roles, using, check = _policy_clauses(cursor)
    if roles is None and using is None and check is None:
        raise cursor.error("expected RENAME TO, TO, USING or WITH CHECK")
    return [
        AlterPolicy(
            origin=origin, name=name, table=table, roles=roles, using=using,
            check=check,
        )
    ]


# --------------------------------------------------------------------------------------------
# DROP
# --------------------------------------------------------------------------------------------

# Words after DROP -> the object kind.
_DROP_KINDS: dict[str, ObjectKind] = ObjectKind.named(
    "table", "view", "materialized view", "index", "sequence", "type", "domain", "schema",
    "extension", "function", "procedure", "trigger", "policy",
)


@_statement(*(f"DROP {words}" for words in _DROP_KINDS))
def drop(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("DROP")
    kind = ObjectKind.MATERIALIZED_VIEW if cursor.accept("MATERIALIZED", "VIEW") else \
        _DROP_KINDS[cursor.next().text.upper()]
    concurrently = kind == ObjectKind.INDEX and cursor.accept("CONCURRENTLY")
    if_exists = cursor.if_exists()
    targets: list[ObjectRef] = []
    if kind in (ObjectKind.TRIGGER, ObjectKind.POLICY):
        targets.append(_ref_on_table(cursor))
    else:
        while True:
            if kind in (ObjectKind.FUNCTION, ObjectKind.PROCEDURE):
                targets.append(routine_signature(cursor))
            elif kind in (ObjectKind.SCHEMA, ObjectKind.EXTENSION):
                targets.append(ObjectRef(_plain(cursor)))
            else:
                targets.append(ObjectRef(cursor.qname()))
            if not cursor.accept_type(TokenType.COMMA):
                break
    return [
        Drop(
            origin=origin, kind=kind, targets=tuple(targets), if_exists=if_exists,
            cascade=_cascade(cursor), concurrently=concurrently,
        )
    ]


# --------------------------------------------------------------------------------------------
# ALTER of views, materialized views, indexes, schemas, extensions
# --------------------------------------------------------------------------------------------

_ALTER_KINDS: dict[str, tuple[ObjectKind, frozenset[str]]] = {
    ObjectKind.VIEW.sql: (ObjectKind.VIEW, _ALTER_ACTIONS),
    ObjectKind.MATERIALIZED_VIEW.sql: (ObjectKind.MATERIALIZED_VIEW, _ALTER_ACTIONS),
    # OWNER TO: an index keeps its table's owner (fold.privileges), as PostgreSQL leaves it
    ObjectKind.INDEX.sql: (ObjectKind.INDEX, frozenset({"rename", "owner"})),
    ObjectKind.SCHEMA.sql: (ObjectKind.SCHEMA, frozenset({"rename", "owner"})),
    ObjectKind.EXTENSION.sql: (ObjectKind.EXTENSION, frozenset({"schema"})),
}


@_statement(*(f"ALTER {words}" for words in _ALTER_KINDS))
def alter_object(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("ALTER")
    words = "MATERIALIZED VIEW" if cursor.accept("MATERIALIZED", "VIEW") else cursor.next().text
    kind, allowed = _ALTER_KINDS[words.upper()]
    if cursor.at("ALL", "IN", "TABLESPACE"):
        raise Unsupported(f"ALTER {kind.upper()} ALL IN TABLESPACE is not modelled")
    if_exists = kind not in (ObjectKind.SCHEMA, ObjectKind.EXTENSION) and cursor.if_exists()
    name = _plain(cursor) if kind in (ObjectKind.SCHEMA, ObjectKind.EXTENSION) else cursor.qname()
    if kind in (ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW) and cursor.at("RENAME") and (
            cursor.peek_word(1) == "COLUMN" or cursor.peek_word(2) == "TO"):
        # ALTER VIEW v RENAME [COLUMN] a TO b: the view's output column, as on a table
        cursor.expect("RENAME")
        cursor.accept("COLUMN")
        old = cursor.identifier()
        cursor.expect("TO")
        new = cursor.identifier()
        return [RenameColumn(origin=origin, table=name, old=old, new=new, if_exists=if_exists)]
    events = _alter_generic(
        cursor, origin, kind, ObjectRef(name), allowed=allowed, if_exists=if_exists
    )
    if events is not None:
        return events
    raise _unmodelled_action(cursor, kind)


# --------------------------------------------------------------------------------------------
# COMMENT ON
# --------------------------------------------------------------------------------------------

_COMMENT_KINDS: dict[str, ObjectKind] = ObjectKind.named(
    "table", "column", "view", "index", "sequence", "type", "domain", "schema", "extension",
    "function", "procedure", "trigger", "policy", "constraint", "role", "database",
)


#: The words an object kind of COMMENT ON starts with (PostgreSQL 15 to 18, gram.y's
#: CommentStmt): any other is a syntax error (``COMMENT ON goes MATERIALIZED VIEW``).
_COMMENT_ON_WORDS = frozenset({
    "ACCESS", "AGGREGATE", "CAST", "COLLATION", "COLUMN", "CONSTRAINT", "CONVERSION",
    "DATABASE", "DOMAIN", "EXTENSION", "EVENT", "FOREIGN", "FUNCTION", "INDEX", "LARGE",
    "MATERIALIZED", "OPERATOR", "POLICY", "PROCEDURAL", "LANGUAGE", "PROCEDURE",
    "PUBLICATION", "ROLE", "ROUTINE", "RULE", "SCHEMA", "SEQUENCE", "SERVER", "STATISTICS",
    "SUBSCRIPTION", "TABLE", "TABLESPACE", "TEXT", "TRANSFORM", "TRIGGER", "TYPE", "VIEW",
})


@_statement("COMMENT ON")
def comment(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("COMMENT", "ON")
    routine = cursor.accept("ROUTINE")  # a function or a procedure, whichever has the name
    if routine:
        kind = ObjectKind.FUNCTION
    elif cursor.accept("MATERIALIZED", "VIEW"):
        kind = ObjectKind.MATERIALIZED_VIEW
    else:
        found = cursor.peek_word()
        if found not in _COMMENT_KINDS:
            if not found:
                raise cursor.error("expected an object kind")
            if found not in _COMMENT_ON_WORDS:
                token = cursor.peek()
                assert token is not None
                raise cursor.error(f'syntax error at or near "{token.text}"', token)
            raise Unsupported(f"COMMENT ON {found} is not modelled")
        cursor.next()
        kind = _COMMENT_KINDS[found]
    column: str | None = None
    if kind == ObjectKind.COLUMN:
        parts = _name_parts(cursor)
        if len(parts) < 2:
            raise cursor.error("COMMENT ON COLUMN needs table.column")
        column = parts[-1]
        target = ObjectRef(QName(parts[-3] if len(parts) > 2 else None, parts[-2]))
    elif kind in (ObjectKind.FUNCTION, ObjectKind.PROCEDURE):
        target = routine_signature(cursor)
    elif kind in (ObjectKind.TRIGGER, ObjectKind.POLICY):
        target = _ref_on_table(cursor)
    elif kind == ObjectKind.CONSTRAINT:
        name = cursor.identifier()
        cursor.expect("ON")
        # ON DOMAIN d: a domain shares its namespace (pg_type) with tables' row types, so the
        # name alone tells them apart. (A table may be called "domain": ON domain IS ...)
        if cursor.at("DOMAIN") and cursor.peek_word(1) != "IS" and not cursor.at_type(
            TokenType.DOT, 1
        ):
            cursor.next()
        target = ObjectRef(QName(None, name), table=cursor.qname())
    elif kind in (ObjectKind.SCHEMA, ObjectKind.EXTENSION, ObjectKind.ROLE, ObjectKind.DATABASE):
        target = ObjectRef(_plain(cursor))
    else:
        target = ObjectRef(cursor.qname())
    cursor.expect("IS")
    text = None if cursor.accept("NULL") else _string_value(cursor)
    return [Comment(origin=origin, kind=kind, target=target, column=column, text=text,
                    routine=routine)]


# --------------------------------------------------------------------------------------------
# Object kinds folding does not model
# --------------------------------------------------------------------------------------------

_UNMODELLED_KINDS = (
    "RULE", "PUBLICATION", "SUBSCRIPTION", "COLLATION", "CAST", "OPERATOR", "AGGREGATE",
    "EVENT TRIGGER", "SERVER", "FOREIGN", "USER MAPPING", "STATISTICS", "TEXT SEARCH", "LANGUAGE",
    "PROCEDURAL LANGUAGE", "CONVERSION", "ACCESS METHOD", "TRANSFORM",
)
_CREATE_ONLY = (
    "TRUSTED LANGUAGE", "TRUSTED PROCEDURAL LANGUAGE", "DEFAULT CONVERSION",
    *(f"OR REPLACE {k}" for k in (
        "RULE", "AGGREGATE", "LANGUAGE", "PROCEDURAL LANGUAGE", "TRUSTED LANGUAGE",
        "TRUSTED PROCEDURAL LANGUAGE", "TRANSFORM",
    )),
)

_unsupported(
    *(f"CREATE {k}" for k in (*_UNMODELLED_KINDS, *_CREATE_ONLY)),
    *(f"{verb} {k}" for verb in ("ALTER", "DROP") for k in (*_UNMODELLED_KINDS, "ROUTINE")),
    "DROP OWNED",
)
