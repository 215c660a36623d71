"""Handlers: session, transaction and maintenance statements.

Owns: reading SET/RESET, transaction control, LOCK and the maintenance commands into
``SetSearchPath`` and ``SessionStatement`` events. Must not know: what folding does with them.

``SET search_path`` follows PostgreSQL exactly: unquoted names are folded, quoted names and string
literals are taken as written, one string is one schema (``SET search_path = 'a, b'`` names the
single schema ``"a, b"``, as ``SHOW search_path`` confirms), ``DEFAULT``, ``RESET search_path``
and ``RESET ALL`` give PostgreSQL's default ``("$user", "public")``, and ``SET SCHEMA 'x'`` is
``SET search_path TO 'x'``.

``SessionStatement.verb`` is a short lower-case word for most statements: ``set``, ``reset``,
``begin`` (also START TRANSACTION), ``commit`` (also END), ``commit and chain``, ``rollback``
(also ABORT), ``rollback and chain``, ``lock``, ``analyze``, ``vacuum``, ``checkpoint``,
``discard``, ``listen``, ``unlisten``, ``notify``, ``show``, ``reindex``, ``cluster``.

**Convention the fold reads** — verbs that carry a value, because they change who owns the objects
created afterwards or which savepoint a rollback returns to (names are folded role/savepoint
names, written after the fixed prefix; ``none``/``default`` are PostgreSQL's key words, which no
role can be called):

- ``set role <name>``, ``set local role <name>``; ``set role none``, ``set local role none``;
  ``reset role``.
- ``set session authorization <name>``, ``set local session authorization <name>``;
  ``set session authorization default``; ``reset session authorization`` (RESET SESSION
  AUTHORIZATION and DISCARD ALL, which also resets ``search_path``: that statement gives a
  ``SetSearchPath`` as well). In PostgreSQL any change of session authorization also ends a
  ``SET ROLE``.
- ``savepoint <name>``, ``release savepoint <name>``, ``rollback to savepoint <name>``.

A ``ROLLBACK`` or ``ROLLBACK TO SAVEPOINT`` undoes the statements before it; these events are
passed on for the fold to honour, never dropped here.

``REINDEX`` and ``CLUSTER t`` leave no trace in the schema and are ``SessionStatement``s.
``CLUSTER t USING i`` (and the old ``CLUSTER i ON t``) marks the index as the table's clustering
index, which pg_dump keeps (``ALTER TABLE ... CLUSTER ON``): that is ``Unsupported`` so the user
hears about it, as is ``REINDEX (TABLESPACE ...)``, which moves indexes, and two-phase
``COMMIT/ROLLBACK PREPARED``. ``EXPLAIN`` is not handled here (it falls to ``Opaque``: with
``ANALYZE`` it runs its statement).
"""

from __future__ import annotations

import re

from schemafold.events import Event, Origin, SessionStatement, SetSearchPath
from schemafold.parse.postgres.registry import Unsupported, handles
from schemafold.parse.tokens import Cursor, TokenType, is_string, is_word

#: PostgreSQL's default search_path, what DEFAULT and RESET give.
DEFAULT_SEARCH_PATH = ("$user", "public")

_LOCK_MODES = (
    ("ACCESS", "SHARE"),
    ("ROW", "SHARE"),
    ("ROW", "EXCLUSIVE"),
    ("SHARE", "UPDATE", "EXCLUSIVE"),
    ("SHARE", "ROW", "EXCLUSIVE"),
    ("SHARE",),
    ("ACCESS", "EXCLUSIVE"),
    ("EXCLUSIVE",),
)


def reread(cursor: Cursor) -> Cursor:
    """Consume the statement's keyword and return the cursor over what follows. The cursor's
    tokenizer runs without sqlglot's command mode (``parse.tokens.StatementTokenizer``), so the
    rest of DO, LOCK, VACUUM, RESET ... is read token by token with true offsets."""
    cursor.next()
    return cursor


def finish(cursor: Cursor) -> None:
    """The statement must end here (an optional final semicolon)."""
    cursor.accept_type(TokenType.SEMICOLON)
    if not cursor.at_end():
        token = cursor.peek()
        raise cursor.error(f"unexpected {token.text if token else 'text'}")


def _session(origin: Origin, verb: str) -> list[Event]:
    return [SessionStatement(origin=origin, verb=verb)]


def _rest_nonempty(cursor: Cursor, what: str) -> None:
    if cursor.at_end() or cursor.at_type(TokenType.SEMICOLON):
        raise cursor.error(f"expected {what}")
    _loose(cursor)


def _loose(cursor: Cursor) -> None:
    """Consume the rest of a statement whose arguments do not matter (balanced parentheses)."""
    cursor.skip_to(stop_types=(TokenType.SEMICOLON,))
    finish(cursor)


def _name_or_string(cursor: Cursor) -> str:
    token = cursor.peek()
    if token is not None and is_string(token):
        return cursor.string()
    return cursor.identifier()


# -- SET and RESET ----------------------------------------------------------------------------


#: The words a transaction mode starts with (PostgreSQL's transaction_mode_item), and AS of
#: SESSION CHARACTERISTICS AS TRANSACTION and SET TRANSACTION SNAPSHOT's SNAPSHOT.
_TRANSACTION_MODE_STARTS = frozenset({"ISOLATION", "READ", "DEFERRABLE", "NOT", "AS",
                                      "SNAPSHOT"})


@handles("SET")
def set_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("SET")
    scope = ""
    if not cursor.at("SESSION", "AUTHORIZATION") and not cursor.at("SESSION", "CHARACTERISTICS"):
        scope = cursor.accept_any("SESSION", "LOCAL")
    local = scope == "LOCAL"
    prefix = "set local" if local else "set"

    if cursor.accept("SESSION", "AUTHORIZATION"):
        name = "default" if cursor.accept("DEFAULT") else _name_or_string(cursor)
        finish(cursor)
        return _session(origin, f"{prefix} session authorization {name}")
    if cursor.accept("ROLE"):
        name = "none" if cursor.accept("NONE") else _name_or_string(cursor)
        finish(cursor)
        return _session(origin, f"{prefix} role {name}")
    if cursor.accept("SCHEMA"):
        schema = cursor.string()
        finish(cursor)
        return [SetSearchPath(origin=origin, schemas=(schema,), local=local)]
    if cursor.accept("TIME", "ZONE"):
        _rest_nonempty(cursor, "a time zone")
        return _session(origin, "set")
    if cursor.accept("SESSION", "CHARACTERISTICS") or (
            cursor.at("TRANSACTION") and not cursor.at_type(TokenType.DOT, 1)
            and cursor.accept("TRANSACTION")):
        if not cursor.at_end() and cursor.peek_word() not in _TRANSACTION_MODE_STARTS:
            # SET LOCAL TRANSACTION search_path ...: a transaction mode follows TRANSACTION
            token = cursor.peek()
            assert token is not None
            raise cursor.error(f'syntax error at or near "{token.text}"')
        _rest_nonempty(cursor, "transaction modes")
        return _session(origin, "set")
    if cursor.accept("CONSTRAINTS"):
        if not cursor.accept("ALL"):
            cursor.qname_list()
        if not cursor.accept_any("DEFERRED", "IMMEDIATE"):
            raise cursor.error("expected DEFERRED or IMMEDIATE")
        finish(cursor)
        return _session(origin, "set")
    if cursor.accept("NAMES") or cursor.accept("XML", "OPTION"):
        _rest_nonempty(cursor, "a value")
        return _session(origin, "set")

    parameter = _parameter(cursor)
    if not cursor.accept("TO") and not cursor.accept_type(TokenType.EQ):
        raise cursor.error("expected TO or =")
    if parameter == "search_path":
        schemas = _search_path_value(cursor)
        return [SetSearchPath(origin=origin, schemas=schemas, local=local)]
    _rest_nonempty(cursor, "a value")
    return _session(origin, "set")


def _parameter(cursor: Cursor) -> str:
    """A configuration parameter name: ``name`` or ``ext.name``. A name without a dot must
    be one of PostgreSQL's (``pg_catalog.setting_names``, any major from 15 on; case does not
    matter): ``SET nope = 1`` and ``RESET nope`` are PostgreSQL's ``unrecognized configuration
    parameter "nope"`` (a name with a dot is a custom one, taken)."""
    from schemafold.pg_catalog import setting_names

    first = cursor.peek()
    parts = [cursor.identifier()]
    while cursor.accept_type(TokenType.DOT):
        parts.append(cursor.identifier())
    if len(parts) == 1 and "." not in parts[0] and parts[0].lower() not in setting_names():
        raise cursor.error(f'unrecognized configuration parameter "{parts[0]}"', first)
    return ".".join(parts)


def _search_path_value(cursor: Cursor) -> tuple[str, ...]:
    if cursor.accept("DEFAULT"):
        finish(cursor)
        return DEFAULT_SEARCH_PATH
    schemas: list[str] = []
    while True:
        token = cursor.peek()
        if token is None:
            raise cursor.error("expected a schema name")
        if token.token_type == TokenType.IDENTIFIER or is_string(token):
            cursor.pos += 1
            schemas.append(token.text)
        elif is_word(token):
            schemas.append(cursor.identifier())
        else:
            raise cursor.error(f"expected a schema name, found {token.text!r}", token)
        if not cursor.accept_type(TokenType.COMMA):
            break
    finish(cursor)
    return tuple(schemas)


@handles("RESET")
def reset_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor = reread(cursor)
    if cursor.accept("ALL"):
        finish(cursor)
        return [
            SessionStatement(origin=origin, verb="reset"),
            SetSearchPath(origin=origin, schemas=DEFAULT_SEARCH_PATH),
        ]
    if cursor.accept("ROLE"):
        finish(cursor)
        return _session(origin, "reset role")
    if cursor.accept("SESSION", "AUTHORIZATION"):
        finish(cursor)
        return _session(origin, "reset session authorization")
    if cursor.accept("TIME", "ZONE") or cursor.accept("TRANSACTION", "ISOLATION", "LEVEL"):
        finish(cursor)
        return _session(origin, "reset")
    parameter = _parameter(cursor)
    finish(cursor)
    if parameter == "search_path":
        return [SetSearchPath(origin=origin, schemas=DEFAULT_SEARCH_PATH)]
    return _session(origin, "reset")


# -- transactions -----------------------------------------------------------------------------


def _transaction_modes(cursor: Cursor) -> None:
    """``ISOLATION LEVEL ... | READ WRITE | READ ONLY | [NOT] DEFERRABLE``, comma separated."""
    while not cursor.at_end() and not cursor.at_type(TokenType.SEMICOLON):
        if cursor.accept("ISOLATION", "LEVEL"):
            if not (
                cursor.accept("SERIALIZABLE")
                or cursor.accept("REPEATABLE", "READ")
                or cursor.accept("READ", "COMMITTED")
                or cursor.accept("READ", "UNCOMMITTED")
            ):
                raise cursor.error("expected an isolation level")
        elif not (
            cursor.accept("READ", "WRITE")
            or cursor.accept("READ", "ONLY")
            or cursor.accept("NOT", "DEFERRABLE")
            or cursor.accept("DEFERRABLE")
        ):
            token = cursor.peek()
            raise cursor.error(f"unexpected {token.text if token else 'text'}")
        cursor.accept_type(TokenType.COMMA)
    finish(cursor)


@handles("BEGIN", "START TRANSACTION")
def begin_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    if cursor.accept("START", "TRANSACTION"):
        pass
    else:
        cursor.expect("BEGIN")
        cursor.accept_any("WORK", "TRANSACTION")
    _transaction_modes(cursor)
    return _session(origin, "begin")


def _chain(cursor: Cursor) -> bool:
    chain = False
    if cursor.accept("AND"):
        chain = not cursor.accept("NO")
        cursor.expect("CHAIN")
    finish(cursor)
    return chain


@handles("COMMIT", "END")
def commit_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.accept_any("COMMIT", "END")
    if cursor.at("PREPARED"):
        raise Unsupported("two-phase COMMIT PREPARED is not modelled")
    cursor.accept_any("WORK", "TRANSACTION")
    return _session(origin, "commit and chain" if _chain(cursor) else "commit")


@handles("ROLLBACK", "ABORT")
def rollback_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    verb = cursor.accept_any("ROLLBACK", "ABORT")
    if cursor.at("PREPARED"):
        raise Unsupported("two-phase ROLLBACK PREPARED is not modelled")
    cursor.accept_any("WORK", "TRANSACTION")
    if verb == "ROLLBACK" and cursor.accept("TO"):
        cursor.accept("SAVEPOINT")
        name = cursor.identifier()
        finish(cursor)
        return _session(origin, f"rollback to savepoint {name}")
    return _session(origin, "rollback and chain" if _chain(cursor) else "rollback")


@handles("SAVEPOINT")
def savepoint_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("SAVEPOINT")
    name = cursor.identifier()
    finish(cursor)
    return _session(origin, f"savepoint {name}")


@handles("RELEASE")
def release_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("RELEASE")
    cursor.accept("SAVEPOINT")
    name = cursor.identifier()
    finish(cursor)
    return _session(origin, f"release savepoint {name}")


# -- locks and maintenance --------------------------------------------------------------------


@handles("LOCK")
def lock_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor = reread(cursor)
    cursor.accept("TABLE")
    while True:
        if not cursor.accept("ONLY"):
            cursor.qname()
            cursor.accept_type(TokenType.STAR)
        elif cursor.at_type(TokenType.L_PAREN):
            first, last = cursor.group()
            cursor.sub(first, last).qname()
        else:
            cursor.qname()
        if not cursor.accept_type(TokenType.COMMA):
            break
    if cursor.accept("IN"):
        if not any(cursor.accept(*mode) for mode in _LOCK_MODES):
            raise cursor.error("expected a lock mode")
        cursor.expect("MODE")
    cursor.accept("NOWAIT")
    finish(cursor)
    return _session(origin, "lock")


@handles("ANALYZE", "ANALYSE")
def analyze_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.next()
    _loose(cursor)
    return _session(origin, "analyze")


@handles("VACUUM")
def vacuum_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor = reread(cursor)
    _loose(cursor)
    return _session(origin, "vacuum")


@handles("REINDEX")
def reindex_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor = reread(cursor)
    if cursor.at_type(TokenType.L_PAREN):
        first, last = cursor.group()
        if any(cursor.tokens[i].text.upper() == "TABLESPACE" for i in range(first, last)):
            raise Unsupported("REINDEX (TABLESPACE ...) moves indexes; not modelled")
    if not cursor.accept_any("INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM"):
        raise cursor.error("expected INDEX, TABLE, SCHEMA, DATABASE or SYSTEM")
    _loose(cursor)
    return _session(origin, "reindex")


@handles("CLUSTER")
def cluster_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CLUSTER")
    cursor.accept("VERBOSE")
    if cursor.at_type(TokenType.L_PAREN):
        cursor.group()
    if not cursor.at_end() and not cursor.at_type(TokenType.SEMICOLON):
        cursor.qname()
        if cursor.at("USING") or cursor.at("ON"):
            raise Unsupported(
                "CLUSTER with an index marks it as the table's clustering index; not modelled"
            )
    finish(cursor)
    return _session(origin, "cluster")


@handles("CHECKPOINT")
def checkpoint_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("CHECKPOINT")
    finish(cursor)
    return _session(origin, "checkpoint")


@handles("DISCARD")
def discard_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("DISCARD")
    what = cursor.accept_any("ALL", "PLANS", "SEQUENCES", "TEMP", "TEMPORARY")
    if not what:
        raise cursor.error("expected ALL, PLANS, SEQUENCES or TEMP")
    finish(cursor)
    if what == "ALL":
        return [
            SessionStatement(origin=origin, verb="reset session authorization"),
            SetSearchPath(origin=origin, schemas=DEFAULT_SEARCH_PATH),
        ]
    return _session(origin, "discard")


@handles("LISTEN")
def listen_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("LISTEN")
    cursor.identifier()
    finish(cursor)
    return _session(origin, "listen")


@handles("UNLISTEN")
def unlisten_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("UNLISTEN")
    if not cursor.accept_type(TokenType.STAR):
        cursor.identifier()
    finish(cursor)
    return _session(origin, "unlisten")


@handles("NOTIFY")
def notify_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("NOTIFY")
    cursor.identifier()
    if cursor.accept_type(TokenType.COMMA):
        cursor.string()
    finish(cursor)
    return _session(origin, "notify")


@handles("SHOW")
def show_statement(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor = reread(cursor)
    if not (
        cursor.accept("ALL")
        or cursor.accept("TIME", "ZONE")
        or cursor.accept("TRANSACTION", "ISOLATION", "LEVEL")
        or cursor.accept("SESSION", "AUTHORIZATION")
    ):
        _parameter(cursor)
    finish(cursor)
    return _session(origin, "show")


_SETS_CONSTRAINTS = re.compile(r"\s*SET\s+CONSTRAINTS\b", re.IGNORECASE)


def sets_constraints(text: str) -> bool:
    """Whether a statement's text is ``SET CONSTRAINTS ...`` (the fold keeps one in order once
    statements are kept; the renderer knows checks may be pending after it)."""
    return _SETS_CONSTRAINTS.match(text) is not None
