"""Handlers: GRANT, REVOKE and ALTER DEFAULT PRIVILEGES.

Owns: reading privilege statements into ``Grant``, ``GrantOnAll``, ``DefaultPrivileges`` and, for
role membership, ``RoleStatement`` events. Must not know: which objects exist (``ON ALL TABLES`` and
default privileges are expanded at fold time), or how grants are rendered.

Conventions the fold relies on:

- Privileges are upper case, ``TEMP`` spelled ``TEMPORARY``, ``ALL [PRIVILEGES]`` as ``("ALL",)``.
- Grantees are folded role names; ``PUBLIC`` (also written ``"public"``, which PostgreSQL reads as
  PUBLIC too), ``CURRENT_USER``, ``CURRENT_ROLE`` and ``SESSION_USER`` are kept upper case.
- Column privileges (``GRANT SELECT (a, b), UPDATE (c) ON t``) give one ``Grant`` per distinct
  column list, in the order first written; privileges without columns share one ``Grant``.
- ``REVOKE GRANT OPTION FOR ...`` is ``Grant(revoke=True, grant_option=True)``: only the option is
  revoked, the privilege stays.
- ``kind`` is the object kind the statement wrote: ``ON [TABLE] x`` is ``"table"`` even when
  ``x`` is a view or a sequence (PostgreSQL accepts both there); the fold resolves it.
- Routines are keyed exactly as ``CREATE FUNCTION`` keys them (``objects.routine_signature``:
  canonical *input* argument types, OUT arguments and argument names skipped); ``arg_types`` is
  None when the statement wrote no parentheses.
- ``GRANTED BY`` is read and dropped: for object privileges PostgreSQL only accepts the current
  user there, so it changes nothing.
- Role membership (``GRANT role_a TO role_b``) is ``RoleStatement(verb="grant", names=granted
  roles)`` and its revoke ``verb="revoke"``; the members are only in the statement text (roles are
  cluster-wide and kept as written).
- ``ALTER DEFAULT PRIVILEGES ... ON ROUTINES`` is ``kind="functions"`` (the same default ACL in
  PostgreSQL); its ``CASCADE``/``RESTRICT`` has no effect on default ACLs and is dropped.

Not modelled (``Unsupported``, kept verbatim): ``ON FOREIGN DATA WRAPPER|SERVER``, ``ON LARGE
OBJECT``, ``ON TABLESPACE``, ``ON PARAMETER``, column privileges ``ON ALL TABLES IN SCHEMA`` and
``REVOKE ... ON ALL ... CASCADE`` (``GrantOnAll`` has no ``columns``/``cascade`` fields), and
``ALTER DEFAULT PRIVILEGES ... ON LARGE OBJECTS``.
"""

from __future__ import annotations

from schemafold.events import (
    DefaultPrivileges,
    Event,
    Grant,
    GrantOnAll,
    ObjectRef,
    Origin,
    RoleStatement,
)
from schemafold.kinds import ObjectKind
from schemafold.names import QName
from schemafold.parse.postgres.objects import routine_signature
from schemafold.parse.postgres.registry import Unsupported, handles
from schemafold.parse.tokens import Cursor, TokenType, is_word, word

_TABLE_PRIVILEGES = frozenset(
    {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"}
)
_COLUMN_PRIVILEGES = frozenset({"SELECT", "INSERT", "UPDATE", "REFERENCES", "ALL"})
_SEQUENCE_PRIVILEGES = frozenset({"USAGE", "SELECT", "UPDATE"})
_ROUTINE_PRIVILEGES = frozenset({"EXECUTE"})
_USAGE = frozenset({"USAGE"})

#: Which privileges each object kind accepts (PostgreSQL refuses the others).
_VALID = {
    # ON [TABLE] may name a sequence: PostgreSQL accepts the sequence privileges there too
    "table": _TABLE_PRIVILEGES | _SEQUENCE_PRIVILEGES,
    "sequence": _SEQUENCE_PRIVILEGES,
    "function": _ROUTINE_PRIVILEGES,
    "procedure": _ROUTINE_PRIVILEGES,
    "routine": _ROUTINE_PRIVILEGES,
    "schema": frozenset({"CREATE", "USAGE"}),
    "type": _USAGE,
    "domain": _USAGE,
    "language": _USAGE,
    "database": frozenset({"CREATE", "CONNECT", "TEMPORARY"}),
    "tables": _TABLE_PRIVILEGES,
    "sequences": _SEQUENCE_PRIVILEGES,
    "functions": _ROUTINE_PRIVILEGES,
    "procedures": _ROUTINE_PRIVILEGES,
    "routines": _ROUTINE_PRIVILEGES,
    "types": _USAGE,
    "schemas": frozenset({"CREATE", "USAGE"}),
}

_ALL_PRIVILEGE_WORDS = (
    _TABLE_PRIVILEGES
    | _SEQUENCE_PRIVILEGES
    | _ROUTINE_PRIVILEGES
    | {"USAGE", "CREATE", "CONNECT", "TEMPORARY", "TEMP", "SET"}
)

_ON_ALL = {
    "TABLES": "tables",
    "SEQUENCES": "sequences",
    "FUNCTIONS": "functions",
    "PROCEDURES": "procedures",
    "ROUTINES": "routines",
}
_DEFAULT_KINDS = {
    "TABLES": "tables",
    "SEQUENCES": "sequences",
    "FUNCTIONS": "functions",
    "ROUTINES": "functions",
    "TYPES": "types",
    "SCHEMAS": "schemas",
}
_SPECIAL_ROLES = frozenset({"CURRENT_USER", "CURRENT_ROLE", "SESSION_USER"})
Privileges = list[tuple[str, tuple[str, ...]]]


@handles("GRANT", "REVOKE")
def grant_or_revoke(cursor: Cursor, origin: Origin) -> list[Event]:
    revoke = cursor.accept_any("GRANT", "REVOKE") == "REVOKE"
    option_for = False
    if revoke:
        if cursor.accept("GRANT", "OPTION", "FOR"):
            option_for = True
        elif cursor.peek_word() in ("ADMIN", "INHERIT", "SET") and cursor.at(
            cursor.peek_word(), "OPTION", "FOR"
        ):
            cursor.pos += 3
            return _membership(cursor, origin, revoke=True)
    if not _object_grant_ahead(cursor):
        if option_for:
            raise cursor.error("expected ON: GRANT OPTION FOR revokes object privileges")
        return _membership(cursor, origin, revoke=revoke)

    privileges = _privileges(cursor)
    cursor.expect("ON")
    if cursor.accept("ALL"):
        return _on_all(cursor, origin, privileges, revoke=revoke, option_for=option_for)
    kind, targets = _targets(cursor)
    for privilege, columns in privileges:
        _check_privilege(cursor, kind, privilege)
        if columns and (kind != ObjectKind.TABLE or privilege not in _COLUMN_PRIVILEGES):
            raise cursor.error(f"invalid privilege type {privilege} for column")
    grantees, grant_option, cascade = _tail(cursor, revoke=revoke)
    return [
        Grant(
            origin=origin,
            privileges=group,
            kind=kind,
            targets=targets,
            grantees=grantees,
            columns=columns,
            grant_option=grant_option or option_for,
            revoke=revoke,
            cascade=cascade,
        )
        for group, columns in _grouped(privileges)
    ]


@handles("ALTER DEFAULT PRIVILEGES")
def alter_default_privileges(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("ALTER", "DEFAULT", "PRIVILEGES")
    for_roles: list[str] = []
    schemas: list[str] = []
    while True:
        if cursor.accept("IN", "SCHEMA"):
            schemas.extend(cursor.identifier_list())
        elif cursor.accept("FOR"):
            if not cursor.accept_any("ROLE", "USER"):
                raise cursor.error("expected ROLE or USER after FOR")
            for_roles.extend(_role_list(cursor))
        else:
            break
    verb = cursor.accept_any("GRANT", "REVOKE")
    if not verb:
        raise cursor.error("expected GRANT or REVOKE")
    revoke = verb == "REVOKE"
    option_for = revoke and cursor.accept("GRANT", "OPTION", "FOR")
    privileges = _privileges(cursor)
    cursor.expect("ON")
    if cursor.at("LARGE", "OBJECTS"):
        raise Unsupported("default privileges on large objects are not modelled")
    kind_word = cursor.accept_any(*_DEFAULT_KINDS)
    if not kind_word:
        raise cursor.error("expected TABLES, SEQUENCES, FUNCTIONS, ROUTINES, TYPES or SCHEMAS")
    kind = _DEFAULT_KINDS[kind_word]
    if kind == "schemas" and schemas:
        raise cursor.error("cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS")
    for privilege, columns in privileges:
        if columns:
            raise cursor.error("column privileges are not allowed in default privileges")
        _check_privilege(cursor, kind, privilege)
    grantees, grant_option, _cascade = _tail(cursor, revoke=revoke, granted_by=False)
    return [
        DefaultPrivileges(
            origin=origin,
            for_roles=tuple(for_roles),
            schemas=tuple(schemas),
            privileges=tuple(p for p, _ in privileges),
            kind=kind,
            grantees=grantees,
            grant_option=grant_option or option_for,
            revoke=revoke,
        )
    ]


# -- pieces ------------------------------------------------------------------------------------


def _object_grant_ahead(cursor: Cursor) -> bool:
    """True when an ON comes (at the top level) before TO/FROM: an object privilege statement,
    as opposed to a role membership grant."""
    depth = 0
    for token in cursor.tokens[cursor.pos :]:
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif depth == 0:
            w = word(token)
            if w == "ON":
                return True
            if w in ("TO", "FROM"):
                return False
    return False


def _privileges(cursor: Cursor) -> Privileges:
    """``ALL [PRIVILEGES] [(cols)]`` or ``priv [(cols)], ...``: (privilege, columns) pairs."""
    if cursor.accept("ALL"):
        cursor.accept("PRIVILEGES")
        return [("ALL", _columns(cursor))]
    out: Privileges = []
    while True:
        w = cursor.peek_word()
        if w == "ALTER" and cursor.at("ALTER", "SYSTEM"):
            cursor.pos += 2
            privilege = "ALTER SYSTEM"
        elif w in _ALL_PRIVILEGE_WORDS:
            cursor.pos += 1
            privilege = "TEMPORARY" if w == "TEMP" else w
        else:
            found = cursor.peek()
            raise cursor.error(
                f"unrecognized privilege type {found.text if found else 'end of statement'}"
            )
        out.append((privilege, _columns(cursor)))
        if not cursor.accept_type(TokenType.COMMA):
            return out


def _columns(cursor: Cursor) -> tuple[str, ...]:
    if not cursor.at_type(TokenType.L_PAREN):
        return ()
    first, last = cursor.group()
    inner = cursor.sub(first, last)
    names = inner.identifier_list()
    if not inner.at_end():
        raise inner.error("expected ',' or ')' in column list")
    return tuple(names)


def _grouped(privileges: Privileges) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Privileges grouped by column list, groups in first-written order, duplicates dropped."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for privilege, columns in privileges:
        group = groups.setdefault(columns, [])
        if privilege not in group:
            group.append(privilege)
    return [(tuple(group), columns) for columns, group in groups.items()]


def _check_privilege(cursor: Cursor, kind: str, privilege: str) -> None:
    valid = _VALID.get(kind)
    if privilege != "ALL" and valid is not None and privilege not in valid:
        raise cursor.error(f"invalid privilege type {privilege} for {kind}")


def _targets(cursor: Cursor) -> tuple[str, tuple[ObjectRef, ...]]:
    """The object kind and targets after ON."""
    w = cursor.peek_word()
    if w == "FOREIGN":
        raise Unsupported("privileges on foreign data wrappers and servers are not modelled")
    if cursor.at("LARGE", "OBJECT") or w in ("TABLESPACE", "PARAMETER"):
        raise Unsupported(f"privileges on {w.lower()} are not modelled")
    if w in ("FUNCTION", "PROCEDURE", "ROUTINE"):
        cursor.pos += 1
        routines = [routine_signature(cursor)]
        while cursor.accept_type(TokenType.COMMA):
            routines.append(routine_signature(cursor))
        return w.lower(), tuple(routines)
    if w in ("SCHEMA", "DATABASE", "LANGUAGE"):
        cursor.pos += 1
        names = cursor.identifier_list()
        return w.lower(), tuple(ObjectRef(QName(None, n)) for n in names)
    if w in ("TABLE", "SEQUENCE", "TYPE", "DOMAIN"):
        cursor.pos += 1
        kind = w.lower()
    else:
        kind = ObjectKind.TABLE
    return kind, tuple(ObjectRef(q) for q in cursor.qname_list())


def _on_all(
    cursor: Cursor, origin: Origin, privileges: Privileges, *, revoke: bool, option_for: bool
) -> list[Event]:
    kind_word = cursor.accept_any(*_ON_ALL)
    if not kind_word:
        raise cursor.error("expected TABLES, SEQUENCES, FUNCTIONS, PROCEDURES or ROUTINES")
    kind = _ON_ALL[kind_word]
    cursor.expect("IN", "SCHEMA")
    schemas = cursor.identifier_list()
    for privilege, columns in privileges:
        _check_privilege(cursor, kind, privilege)
        if columns:
            raise Unsupported("column privileges ON ALL TABLES IN SCHEMA are not modelled")
    grantees, grant_option, cascade = _tail(cursor, revoke=revoke)
    if cascade:
        raise Unsupported("REVOKE ... ON ALL ... CASCADE is not modelled")
    return [
        GrantOnAll(
            origin=origin,
            privileges=tuple(dict.fromkeys(p for p, _ in privileges)),
            kind=kind,
            schemas=tuple(schemas),
            grantees=grantees,
            grant_option=grant_option or option_for,
            revoke=revoke,
        )
    ]


def _tail(
    cursor: Cursor, *, revoke: bool, granted_by: bool = True
) -> tuple[tuple[str, ...], bool, bool]:
    """``TO|FROM grantees [WITH GRANT OPTION] [GRANTED BY r] [CASCADE|RESTRICT] [;]``:
    (grantees, with grant option, cascade)."""
    cursor.expect("FROM" if revoke else "TO")
    grantees = tuple(_role_list(cursor))
    grant_option = not revoke and cursor.accept("WITH", "GRANT", "OPTION")
    if granted_by and cursor.accept("GRANTED", "BY"):
        _role_spec(cursor)
    cascade = revoke and cursor.accept_any("CASCADE", "RESTRICT") == "CASCADE"
    _finish(cursor)
    return grantees, grant_option, cascade


def _role_list(cursor: Cursor) -> list[str]:
    roles = [_role_spec(cursor)]
    while cursor.accept_type(TokenType.COMMA):
        roles.append(_role_spec(cursor))
    return roles


def _role_spec(cursor: Cursor) -> str:
    """``[GROUP] name | PUBLIC | CURRENT_USER | CURRENT_ROLE | SESSION_USER``."""
    after = cursor.peek(1)
    if (  # GROUP is a reserved word: never a role name
        cursor.peek_word() == "GROUP"
        and after is not None
        and (after.token_type == TokenType.IDENTIFIER or is_word(after))
    ):
        cursor.pos += 1
    w = cursor.peek_word()
    if w in _SPECIAL_ROLES:
        cursor.pos += 1
        return w
    name = cursor.identifier()
    return "PUBLIC" if name == "public" else name


def _membership(cursor: Cursor, origin: Origin, *, revoke: bool) -> list[Event]:
    """``GRANT role, ... TO member, ... [WITH ...] [GRANTED BY r]`` and its REVOKE."""
    roles = cursor.identifier_list()
    cursor.expect("FROM" if revoke else "TO")
    _role_list(cursor)
    if not revoke and cursor.accept("WITH"):
        while True:
            if not cursor.accept_any("ADMIN", "INHERIT", "SET"):
                raise cursor.error("expected ADMIN, INHERIT or SET")
            if not cursor.accept_any("OPTION", "TRUE", "FALSE"):
                raise cursor.error("expected OPTION, TRUE or FALSE")
            if not cursor.accept_type(TokenType.COMMA):
                break
    if cursor.accept("GRANTED", "BY"):
        _role_spec(cursor)
    if revoke:
        cursor.accept_any("CASCADE", "RESTRICT")
    _finish(cursor)
    return [RoleStatement(origin=origin, verb="revoke" if revoke else "grant", names=tuple(roles))]


def _finish(cursor: Cursor) -> None:
    cursor.accept_type(TokenType.SEMICOLON)
    if not cursor.at_end():
        token = cursor.peek()
        raise cursor.error(f"unexpected {token.text if token else 'text'}")
