"""Handlers: DO blocks.

Owns: reading a ``DO`` block's PL/pgSQL body far enough to fold the idioms migrations wrap their
DDL in, and refusing everything else. Must not know: the schema state (a guard is folded as the
``IF [NOT] EXISTS`` flag of the statement it guards; the fold follows the state).

A ``DO`` block folds only when its body is made of these, nested in plain ``BEGIN ... END``
blocks; anything else (variables, loops, ``PERFORM``, ``EXECUTE``, ``WHEN others``, a guard that
does not name the object its statement creates...) is ``Unsupported``: the block is kept verbatim
as an ``Opaque`` barrier with a warning.

1. **Exception guards**: ``BEGIN <one statement>; EXCEPTION WHEN <conditions> THEN NULL; END``.
   The handler must catch exactly the error PostgreSQL raises when the object already exists
   (``duplicate_object`` for types, domains, extensions, triggers, policies, enum values, CHECK
   and FOREIGN KEY constraints; ``duplicate_table`` for tables, views, sequences, indexes, UNIQUE
   and EXCLUDE constraints; ``invalid_table_definition`` for a PRIMARY KEY; ``duplicate_column``;
   ``duplicate_schema``) and nothing but such errors; ``SQLSTATE '42710'`` spellings count. The
   statement's event gets ``if_not_exists=True``. For DROPs the ``undefined_*`` error
   (``undefined_object``, ``undefined_table``, ``undefined_column``, ``undefined_function``,
   ``invalid_schema_name``) gives ``if_exists=True``. Handlers may also ``RAISE NOTICE``.
2. **Existence guards**: ``IF NOT EXISTS (SELECT ... FROM <catalog> WHERE ...) THEN <one
   statement>; END IF;`` (and ``to_regclass('x') IS NULL``, ``to_regtype``, ``to_regnamespace``)
   over ``pg_type``, ``pg_class``, ``pg_namespace``, ``pg_constraint``, ``pg_trigger``,
   ``pg_policy``/``pg_policies``, ``pg_extension``, ``pg_enum``, ``pg_attribute``, ``pg_tables``,
   ``pg_views``, ``pg_matviews``, ``pg_indexes``, ``pg_sequences`` and the matching
   ``information_schema`` views: only when the guard's equality predicates name the object the
   statement creates (name, and table or enum type where the guard gives them; a column or enum
   value guard must name its table or type). ``IF EXISTS (...) THEN DROP ...`` gives
   ``if_exists=True``. A guard that names a schema is taken to mean an unqualified statement's
   object (the history's ``search_path`` put it there); ``current_schema()`` matches only
   unqualified names. A guard that names no schema (or no table, for a constraint, trigger or
   policy) looks further than the statement's own object; it is read as a guard on that object,
   as its author meant (a same-named object elsewhere would make the real history skip the
   statement, which verification shows).
3. ``RAISE NOTICE|INFO|LOG|DEBUG|WARNING`` (whose arguments call only functions known to be free
   of side effects) and ``NULL;`` have no effect. A block of nothing else is
   ``SessionStatement(verb="do (notice only)")``.
4. **Assertions**: ``ASSERT cond;`` and ``IF cond THEN RAISE EXCEPTION ...; END IF;`` whose
   condition calls only functions known to be free of side effects. They change nothing when they
   pass; a block of only assertions (and notices) is ``SessionStatement(verb="do (assertion)")``.
5. Plain statements (CREATE, ALTER, DROP, COMMENT, GRANT, REVOKE, INSERT, UPDATE, DELETE,
   TRUNCATE, SET) are translated as if written at the top level.

Inner statements are translated by ``schemafold.parse.postgres.translate``; if any of them is not
modelled (an ``Opaque`` result or an error) the whole block is ``Unsupported``. Every event carries
the DO statement's own ``Origin``. One guard covers exactly one event: a guarded statement that
gives several events (``ALTER TABLE t ADD a int, ADD b int``) is ``Unsupported``, because
PostgreSQL skips all of it where the flag would skip each part alone.

Not expressible with today's events (so ``Unsupported``): a guarded ``CREATE ROLE`` (the
``RoleStatement`` has no "if not exists"), a guarded ``CREATE FUNCTION`` without ``OR REPLACE``,
guarded renames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError
from schemafold.events import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    CreateCompositeType,
    CreateDomain,
    CreateEnum,
    CreateExtension,
    CreateFunction,
    CreateIndex,
    CreatePolicy,
    CreateRangeType,
    CreateSchema,
    CreateSequence,
    CreateTable,
    CreateTrigger,
    CreateView,
    Drop,
    DropColumn,
    DropConstraint,
    Event,
    Opaque,
    Origin,
    SessionStatement,
)
from schemafold.kinds import ObjectKind
from schemafold.names import QName
from schemafold.parse.postgres.registry import Unsupported, handles
from schemafold.parse.postgres.session import finish, reread
from schemafold.parse.tokens import Cursor, TokenType, body_error, is_string, is_word, word
from schemafold.plpgsql.values import SQLSTATES

OPAQUE = "DO block with logic folding cannot follow"

# -- the body, parsed -------------------------------------------------------------------------


@attrs.frozen
class _Sql:
    """A plain SQL statement: its text and the offset of that text in the body."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    text: str
    offset: int


@attrs.frozen
class _Null:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash


@attrs.frozen
class _Raise:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    level: str  # "NOTICE", "EXCEPTION", ...
    plain: bool  # its arguments change nothing


@attrs.frozen
class _Assert:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    safe: bool


@attrs.frozen
class _Handler:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    conditions: tuple[str, ...]
    body: tuple[_Stmt, ...]


@attrs.frozen
class _Block:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    body: tuple[_Stmt, ...]
    handlers: tuple[_Handler, ...] | None


@attrs.frozen(eq=False)
class _If:
    __repr__ = fields_repr
    condition: Cursor
    then: tuple[_Stmt, ...]
    orelse: tuple[_Stmt, ...] | None


_Stmt: TypeAlias = "_Sql | _Null | _Raise | _Assert | _Block | _If"

_NOTICE_LEVELS = frozenset({"DEBUG", "LOG", "INFO", "NOTICE", "WARNING"})
_RAISE_LEVELS = _NOTICE_LEVELS | {"EXCEPTION"}
#: First words of the plain SQL statements a block may contain.
_SQL_WORDS = frozenset(
    {"CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "INSERT", "UPDATE", "DELETE",
     "TRUNCATE", "SET"}
)


class _Parser:
    """Recursive descent over the body's tokens; raises ``Unsupported`` for what it refuses and
    ``InputError`` (from the cursor) for what it cannot read."""

    def __init__(self, cursor: Cursor) -> None:
        self.c = cursor

    def parse(self) -> _Block:
        c = self.c
        if c.peek_word() == "DECLARE":
            raise Unsupported(f"{OPAQUE} (it declares variables)")
        if c.at_type(TokenType.LT):
            raise Unsupported(f"{OPAQUE} (a labelled block)")
        if c.peek_word() != "BEGIN":
            raise c.error("expected BEGIN")
        block = self.block()
        c.accept_type(TokenType.SEMICOLON)
        if not c.at_end():
            raise c.error("text after the block's END")
        return block

    def block(self) -> _Block:
        c = self.c
        c.expect("BEGIN")
        body = self.statements({"EXCEPTION", "END"})
        handlers: tuple[_Handler, ...] | None = None
        if c.accept("EXCEPTION"):
            found = []
            while c.accept("WHEN"):
                conditions = self.conditions()
                c.expect("THEN")
                found.append(_Handler(conditions, self.statements({"WHEN", "END"})))
            if not found:
                raise c.error("expected WHEN after EXCEPTION")
            handlers = tuple(found)
        c.expect("END")
        if c.at_type(TokenType.IDENTIFIER) or c.peek_word():
            raise Unsupported(f"{OPAQUE} (a labelled block)")
        return _Block(body, handlers)

    def conditions(self) -> tuple[str, ...]:
        c = self.c
        out: list[str] = []
        while True:
            if c.accept("SQLSTATE"):
                code = c.string().upper()
                out.append(_BY_SQLSTATE.get(code, f"sqlstate {code}"))
            else:
                out.append(c.identifier().lower())
            if not c.accept("OR"):
                return tuple(out)

    def statements(self, stops: set[str]) -> tuple[_Stmt, ...]:
        out: list[_Stmt] = []
        while True:
            if self.c.at_end():
                raise self.c.error("unexpected end of the block")
            if self.c.peek_word() in stops:
                return tuple(out)
            out.append(self.statement())

    def statement(self) -> _Stmt:
        c = self.c
        w = c.peek_word()
        if w == "BEGIN":
            block = self.block()
            self.semicolon()
            return block
        if w == "DECLARE":
            raise Unsupported(f"{OPAQUE} (it declares variables)")
        if w == "IF":
            return self.if_statement()
        if w == "NULL":
            c.next()
            self.semicolon()
            return _Null()
        if w == "RAISE":
            c.next()
            level = c.accept_any(*_RAISE_LEVELS) or "EXCEPTION"
            first, last = self.to_semicolon()
            return _Raise(level, _side_effect_free(c, first, last))
        if w == "ASSERT":
            c.next()
            first, last = self.to_semicolon()
            return _Assert(_side_effect_free(c, first, last))
        if w in _SQL_WORDS:
            first, last = self.to_semicolon()
            start = c.tokens[first].start
            return _Sql(c.text[start : c.tokens[last].start].rstrip(), start)
        token = c.peek()
        what = token.text if token is not None else "end of block"
        raise Unsupported(f"{OPAQUE} ({what})")

    def if_statement(self) -> _If:
        c = self.c
        c.expect("IF")
        first, last = c.skip_to("THEN")
        if first == last:
            raise c.error("expected a condition")
        c.expect("THEN")
        then = self.statements({"ELSIF", "ELSEIF", "ELSE", "END"})
        if c.peek_word() in ("ELSIF", "ELSEIF"):
            raise Unsupported(f"{OPAQUE} (IF ... ELSIF)")
        orelse = self.statements({"END"}) if c.accept("ELSE") else None
        c.expect("END", "IF")
        self.semicolon()
        return _If(c.sub(first, last), then, orelse)

    def to_semicolon(self) -> tuple[int, int]:
        """Consume a statement up to its semicolon; the token range before the semicolon."""
        first, last = self.c.skip_to(stop_types=(TokenType.SEMICOLON,))
        self.semicolon()
        return first, last

    def semicolon(self) -> None:
        if not self.c.accept_type(TokenType.SEMICOLON):
            token = self.c.peek()
            raise self.c.error(f"expected ';', found {token.text if token else 'end of block'}")


# -- side effects -----------------------------------------------------------------------------

#: Functions an assertion or a notice may call: none of them changes anything.
_PURE_FUNCTIONS = frozenset(
    """
    count sum min max avg bool_and bool_or every coalesce nullif greatest least lower upper trim
    btrim ltrim rtrim length char_length octet_length position substring substr left right
    replace split_part array_length cardinality array_agg string_agg to_regclass to_regtype
    to_regproc to_regprocedure to_regnamespace to_regrole current_setting current_schema
    current_schemas current_database version pg_has_role has_table_privilege
    has_schema_privilege has_column_privilege has_function_privilege has_database_privilege
    has_sequence_privilege has_type_privilege format_type pg_get_constraintdef pg_get_indexdef
    pg_get_viewdef pg_get_expr obj_description col_description pg_table_is_visible
    pg_type_is_visible pg_function_is_visible abs round floor ceil now format to_char
    jsonb_typeof json_typeof jsonb_array_length
    """.split()  # noqa: SIM905
)
#: Key words that may precede a parenthesis without being a function call.
_PAREN_KEYWORDS = frozenset(
    """
    EXISTS IN NOT AND OR ANY ALL SOME SELECT FROM WHERE AS ON USING CAST VALUES WHEN THEN ELSE
    CASE IS BETWEEN LIKE ILIKE JOIN HAVING BY DISTINCT FILTER OVER ARRAY ROW LATERAL
    """.split()  # noqa: SIM905
)
_WRITING_WORDS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "CALL", "PERFORM"})


def _calls(cursor: Cursor, first: int, last: int) -> Iterable[str]:
    """Names of the functions called in tokens ``[first, last)`` (key words excluded)."""
    tokens = cursor.tokens
    for i in range(first, last - 1):
        token = tokens[i]
        if tokens[i + 1].token_type != TokenType.L_PAREN:
            continue
        if token.token_type == TokenType.IDENTIFIER:
            yield token.text
        elif is_word(token) and word(token) not in _PAREN_KEYWORDS:
            yield token.text.lower()


def _side_effect_free(cursor: Cursor, first: int, last: int) -> bool:
    if any(word(cursor.tokens[i]) in _WRITING_WORDS for i in range(first, last)):
        return False
    return all(name in _PURE_FUNCTIONS for name in _calls(cursor, first, last))


# -- guards -----------------------------------------------------------------------------------

_ALREADY_EXISTS = frozenset(
    {"duplicate_object", "duplicate_table", "duplicate_column", "duplicate_function",
     "duplicate_schema"}
)
_DOES_NOT_EXIST = frozenset(
    {"undefined_object", "undefined_table", "undefined_column", "undefined_function",
     "invalid_schema_name"}
)

#: a handler's ``SQLSTATE 'code'`` read as the name of a condition a guard may catch (the
#: codes from the interpreter's table); any other code stays ``sqlstate XXXXX``
_BY_SQLSTATE = {SQLSTATES[name]: name
                for name in (*_ALREADY_EXISTS, *_DOES_NOT_EXIST, "invalid_table_definition")}

_TYPE_EVENTS = (CreateEnum, CreateCompositeType, CreateDomain, CreateRangeType)
_DROP_CONDITION = {
    "schema": "invalid_schema_name",
    "table": "undefined_table",
    "view": "undefined_table",
    "materialized view": "undefined_table",
    "sequence": "undefined_table",
    "index": "undefined_object",
    "type": "undefined_object",
    "domain": "undefined_object",
    "extension": "undefined_object",
    "trigger": "undefined_object",
    "policy": "undefined_object",
    "function": "undefined_function",
    "procedure": "undefined_function",
}
_DROP_SUBJECT = {
    "schema": "schema",
    "table": "table",
    "view": "view",
    "materialized view": "view",
    "sequence": "sequence",
    "index": "index",
    "type": "type",
    "domain": "type",
    "extension": "extension",
    "trigger": "trigger",
    "policy": "policy",
    "function": "function",
    "procedure": "function",
}


@attrs.frozen
class _Key:
    """What a guardable event creates or drops, in the terms a guard names it."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: str  # "type", "table", "view", "sequence", "index", "schema", "column", ...
    name: str
    schema: str | None
    parent: QName | None  # the table (or enum type) the object belongs to
    flag: str  # "if_not_exists" | "if_exists"
    condition: frozenset[str]  # what PostgreSQL raises when the guard would skip it


def _key(event: Event) -> _Key | None:
    """The guard key of ``event``, or None when it cannot be marked as guarded."""
    dup = "if_not_exists"
    if isinstance(event, _TYPE_EVENTS):
        return _Key("type", event.name.name, event.name.schema, None, dup,
                    frozenset({"duplicate_object"}))
    relation = {CreateTable: "table", CreateView: "view", CreateSequence: "sequence"}
    if isinstance(event, (CreateTable, CreateView, CreateSequence)):
        return _Key(relation[type(event)], event.name.name, event.name.schema, None, dup,
                    frozenset({"duplicate_table"}))
    if isinstance(event, CreateIndex) and event.name is not None:
        return _Key("index", event.name, event.table.schema, event.table, dup,
                    frozenset({"duplicate_table"}))
    if isinstance(event, CreateSchema):
        return _Key("schema", event.name, None, None, dup, frozenset({"duplicate_schema"}))
    if isinstance(event, CreateExtension):
        return _Key("extension", event.name, None, None, dup, frozenset({"duplicate_object"}))
    if isinstance(event, (CreateTrigger, CreatePolicy)):
        kind: str = ObjectKind.TRIGGER if isinstance(event, CreateTrigger) else ObjectKind.POLICY
        return _Key(kind, event.name, event.table.schema, event.table, dup,
                    frozenset({"duplicate_object"}))
    if isinstance(event, AddColumn):
        return _Key("column", event.column.name, event.table.schema, event.table, dup,
                    frozenset({"duplicate_column"}))
    if isinstance(event, AddEnumValue):
        return _Key("enum value", event.label, event.type.schema, event.type, dup,
                    frozenset({"duplicate_object"}))
    if isinstance(event, AddConstraint) and event.constraint.name is not None:
        kind = event.constraint.kind
        raised = {
            "primary key": "invalid_table_definition",
            "unique": "duplicate_table",
            "exclude": "duplicate_table",
        }.get(kind, "duplicate_object")
        return _Key("constraint", event.constraint.name, event.table.schema, event.table, dup,
                    frozenset({raised}))
    if isinstance(event, Drop) and len(event.targets) == 1 and event.kind in _DROP_SUBJECT:
        target = event.targets[0]
        return _Key(_DROP_SUBJECT[event.kind], target.name.name, target.name.schema,
                    target.table, "if_exists", frozenset({_DROP_CONDITION[event.kind]}))
    if isinstance(event, DropColumn):
        return _Key("column", event.column, event.table.schema, event.table, "if_exists",
                    frozenset({"undefined_column"}))
    if isinstance(event, DropConstraint):
        return _Key("constraint", event.name, event.table.schema, event.table, "if_exists",
                    frozenset({"undefined_object"}))
    return None


def _guard_by_handler(event: Event, conditions: set[str]) -> Event:
    """Idiom 1: ``event`` under ``EXCEPTION WHEN <conditions> THEN NULL``."""
    if "others" in conditions:
        raise Unsupported(f"{OPAQUE} (WHEN others hides every error)")
    if not conditions <= _ALREADY_EXISTS | _DOES_NOT_EXIST | {"invalid_table_definition"}:
        caught = ", ".join(sorted(conditions))
        raise Unsupported(f"{OPAQUE} (the handler catches {caught})")
    if conditions <= _ALREADY_EXISTS and _cannot_clash(event):
        return event  # nothing the handler catches can happen: the statement as written
    key = _key(event)
    if key is None:
        raise Unsupported(f"{OPAQUE} ({event.describe()} cannot be marked as guarded)")
    allowed = _ALREADY_EXISTS if key.flag == "if_not_exists" else _DOES_NOT_EXIST
    if key.condition == {"invalid_table_definition"}:
        allowed = allowed | key.condition
    if not conditions <= allowed or not conditions & key.condition:
        raise Unsupported(
            f"{OPAQUE} (the handler does not catch exactly what {event.describe()} raises "
            f"when it would be skipped: {', '.join(sorted(key.condition))})"
        )
    return _flagged(event, key.flag)


def _flagged(event: Event, flag: str) -> Event:
    changes: dict[str, Any] = {flag: True}
    return attrs.evolve(event, **changes)


def _cannot_clash(event: Event) -> bool:
    """Statements that never raise an "already exists" error: PostgreSQL picks a free name for
    an unnamed constraint or index, and OR REPLACE replaces."""
    if isinstance(event, AddConstraint):
        return event.constraint.name is None and event.constraint.kind != "primary key"
    if isinstance(event, CreateIndex):
        return event.name is None
    return isinstance(event, CreateFunction) and event.or_replace


@attrs.frozen
class _Subject:
    """What an existence guard looks for."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kinds: frozenset[str]
    name: str
    schema: str | None = None
    current_schema: bool = False
    parent: QName | None = None


def _guard_by_subject(event: Event, exists: bool, subject: _Subject) -> Event:
    """Idiom 2: ``IF [NOT] EXISTS (<subject>) THEN <event>``."""
    key = _key(event)
    if key is None:
        raise Unsupported(f"{OPAQUE} ({event.describe()} cannot be marked as guarded)")
    if exists != (key.flag == "if_exists"):
        raise Unsupported(f"{OPAQUE} (the guard's sense does not fit {event.describe()})")
    matches = (
        key.kind in subject.kinds
        and key.name == subject.name
        and _same_schema(subject, key.schema)
        and _same_parent(subject.parent, key)
    )
    if not matches:
        raise Unsupported(f"{OPAQUE} (the guard does not name what {event.describe()} touches)")
    return _flagged(event, key.flag)


def _same_schema(subject: _Subject, schema: str | None) -> bool:
    if subject.current_schema:
        return schema is None
    return subject.schema is None or schema is None or subject.schema == schema


def _same_parent(parent: QName | None, key: _Key) -> bool:
    if parent is None:
        return key.kind not in ("column", "enum value")
    if key.parent is None or parent.name != key.parent.name:
        return False
    return parent.schema is None or key.parent.schema is None or parent.schema == key.parent.schema


# -- reading a guard's condition --------------------------------------------------------------


@attrs.frozen
class _Catalog:
    """A catalog (or information_schema view) a guard may query, and the roles of its columns."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kinds: frozenset[str]
    name: str
    schema_text: frozenset[str] = frozenset()
    schema_oid: str | None = None
    table_text: str | None = None
    table_oid: str | None = None
    type_oid: str | None = None
    narrowing: frozenset[str] = frozenset()

    def role(self, column: str) -> str | None:
        if column == self.name:
            return "name"
        if column in self.schema_text:
            return "schema_text"
        for role in ("schema_oid", "table_oid", "type_oid", "table_text"):
            if column == getattr(self, role):
                return role
        if column in self.narrowing:
            return "narrowing"
        if column == "oid":
            return "oid"
        return None


def _catalog(kinds: str, name: str, **roles: object) -> _Catalog:
    return _Catalog(frozenset(kinds.split(",")), name, **roles)  # type: ignore[arg-type]


_RELATIONS = "table,view,sequence,index"
_CATALOGS = {
    "pg_type": _catalog("type", "typname", schema_oid="typnamespace",
                        narrowing=frozenset({"typtype"})),
    "pg_class": _catalog(_RELATIONS, "relname", schema_oid="relnamespace",
                         narrowing=frozenset({"relkind"})),
    "pg_namespace": _catalog("schema", "nspname"),
    "pg_extension": _catalog("extension", "extname"),
    "pg_constraint": _catalog("constraint", "conname", schema_oid="connamespace",
                              table_oid="conrelid", narrowing=frozenset({"contype"})),
    "pg_trigger": _catalog("trigger", "tgname", table_oid="tgrelid"),
    "pg_policy": _catalog("policy", "polname", table_oid="polrelid"),
    "pg_policies": _catalog("policy", "policyname", schema_text=frozenset({"schemaname"}),
                            table_text="tablename"),
    "pg_attribute": _catalog("column", "attname", table_oid="attrelid",
                             narrowing=frozenset({"attisdropped"})),
    "pg_enum": _catalog("enum value", "enumlabel", type_oid="enumtypid"),
    "pg_proc": _catalog("function", "proname", schema_oid="pronamespace"),
    "pg_roles": _catalog("role", "rolname"),
    "pg_authid": _catalog("role", "rolname"),
    "pg_user": _catalog("role", "usename"),
    "pg_tables": _catalog("table", "tablename", schema_text=frozenset({"schemaname"})),
    "pg_views": _catalog("view", "viewname", schema_text=frozenset({"schemaname"})),
    "pg_matviews": _catalog("view", "matviewname", schema_text=frozenset({"schemaname"})),
    "pg_indexes": _catalog("index", "indexname", schema_text=frozenset({"schemaname"}),
                           table_text="tablename"),
    "pg_sequences": _catalog("sequence", "sequencename", schema_text=frozenset({"schemaname"})),
    "information_schema.tables": _catalog("table,view", "table_name",
                                          schema_text=frozenset({"table_schema"}),
                                          narrowing=frozenset({"table_type"})),
    "information_schema.views": _catalog("view", "table_name",
                                         schema_text=frozenset({"table_schema"})),
    "information_schema.sequences": _catalog("sequence", "sequence_name",
                                             schema_text=frozenset({"sequence_schema"})),
    "information_schema.schemata": _catalog("schema", "schema_name"),
    "information_schema.columns": _catalog("column", "column_name",
                                           schema_text=frozenset({"table_schema"}),
                                           table_text="table_name"),
    "information_schema.table_constraints": _catalog(
        "constraint", "constraint_name",
        schema_text=frozenset({"table_schema", "constraint_schema"}), table_text="table_name",
        narrowing=frozenset({"constraint_type"}),
    ),
    "information_schema.triggers": _catalog("trigger", "trigger_name",
                                            schema_text=frozenset({"event_object_schema"}),
                                            table_text="event_object_table"),
    "information_schema.routines": _catalog("function", "routine_name",
                                            schema_text=frozenset({"routine_schema"})),
}
#: The catalog an oid column points into, and the cast its literal must carry.
_OID_TARGETS = {
    "schema_oid": ("pg_namespace", "regnamespace"),
    "table_oid": ("pg_class", "regclass"),
    "type_oid": ("pg_type", "regtype"),
}
_TO_REG = {
    "to_regclass": _RELATIONS,
    "to_regtype": "type",
    "to_regnamespace": "schema",
    "to_regrole": "role",
}
_NAME_CASTS = frozenset({None, "name", "text", "varchar"})
_NOT_ALIASES = frozenset(
    {"JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "WHERE", "ON", "GROUP",
     "ORDER", "LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT", "FOR"}
)


class _NoGuard(Exception):
    """The condition is not a guard folding can read."""


@attrs.frozen
class _Column:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    alias: str | None
    name: str


@attrs.frozen
class _Literal:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    value: str
    cast: str | None


@attrs.frozen
class _Facts:
    """A (sub)query's subject: the catalog it reads and what its predicates pin down."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    catalog: str
    name: str | None = None
    schema: str | None = None
    current_schema: bool = False
    parent: QName | None = None


@attrs.frozen
class _CurrentSchema:
    """``current_schema`` / ``current_schema()``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash


_Operand: TypeAlias = "_Column | _Literal | _Facts | _CurrentSchema"


def read_guard(cond: Cursor) -> tuple[bool, _Subject]:
    """``[NOT] EXISTS (SELECT ...)`` or ``to_regX('name') IS [NOT] NULL``: (whether the THEN
    branch runs when the subject exists, the subject). Raises ``_NoGuard``."""
    cond = _unwrap(cond)
    negated = cond.accept("NOT")
    if cond.accept("EXISTS"):
        first, last = cond.group()
        if not cond.at_end():
            raise _NoGuard
        facts = _select(cond.sub(first, last), subquery=False)
        if facts.name is None:
            raise _NoGuard
        subject = _Subject(
            _CATALOGS[facts.catalog].kinds,
            facts.name,
            facts.schema,
            facts.current_schema,
            facts.parent,
        )
        return not negated, subject
    if negated:
        raise _NoGuard
    function = cond.qname()
    if function.schema not in (None, "pg_catalog") or function.name not in _TO_REG:
        raise _NoGuard
    first, last = cond.group()
    inner = cond.sub(first, last)
    name = QName.parse(inner.string())
    if not inner.at_end():
        raise _NoGuard
    cond.expect("IS")
    exists = cond.accept("NOT")
    cond.expect("NULL")
    if not cond.at_end():
        raise _NoGuard
    kinds = frozenset(_TO_REG[function.name].split(","))
    return exists, _Subject(kinds, name.name, name.schema)


def _unwrap(cond: Cursor) -> Cursor:
    """Drop parentheses around the whole condition."""
    while cond.at_type(TokenType.L_PAREN):
        start = cond.pos
        first, last = cond.group()
        if not cond.at_end():
            cond.pos = start
            return cond
        cond = cond.sub(first, last)
    return cond


def _select(c: Cursor, *, subquery: bool) -> _Facts:
    """``SELECT ... FROM catalog [alias] [JOIN catalog [alias] ON a = b ...] WHERE a = b AND
    ...`` over the known catalogs; a subquery must select ``oid``."""
    c.expect("SELECT")
    first, last = c.skip_to("FROM")
    if subquery:
        if last - first != 1 or word(c.tokens[first]) != "OID":
            raise _NoGuard
    elif any(c.tokens[i].token_type == TokenType.L_PAREN for i in range(first, last)):
        raise _NoGuard
    c.expect("FROM")
    aliases: dict[str, str] = {}
    order: list[str] = []
    atoms: list[tuple[_Operand, _Operand]] = []

    def relation() -> None:
        table = c.qname()
        key = table.name if table.schema in (None, "pg_catalog") else f"{table.schema}.{table.name}"
        if key not in _CATALOGS:
            raise _NoGuard
        c.accept("AS")
        alias = key.split(".")[-1]
        if c.at_type(TokenType.IDENTIFIER) or (
            c.peek_word() and c.peek_word() not in _NOT_ALIASES
        ):
            alias = c.identifier()
        if alias in aliases:
            raise _NoGuard
        aliases[alias] = key
        order.append(alias)

    relation()
    while True:
        if c.accept_type(TokenType.COMMA):
            relation()
        elif c.accept("JOIN") or c.accept("INNER", "JOIN"):
            relation()
            c.expect("ON")
            atoms.extend(_conjunction(c))
        else:
            break
    if c.accept("WHERE"):
        atoms.extend(_conjunction(c))
    if not c.at_end():
        raise _NoGuard
    return _resolve(aliases, order, atoms)


def _conjunction(c: Cursor) -> list[tuple[_Operand, _Operand]]:
    """``a = b AND ...``; ``NOT flag`` (a boolean narrowing column) reads ``flag = false``."""
    atoms: list[tuple[_Operand, _Operand]] = []
    while True:
        if c.accept("NOT"):
            flag = _operand(c)
            if not isinstance(flag, _Column):
                raise _NoGuard
            atoms.append((flag, _Literal("false", "boolean")))
            if not c.accept("AND"):
                return atoms
            continue
        left = _operand(c)
        if not c.accept_type(TokenType.EQ):
            raise _NoGuard
        right = _operand(c)
        atoms.append((left, right))
        if not c.accept("AND"):
            return atoms


def _operand(c: Cursor) -> _Operand:
    token = c.peek()
    if token is None:
        raise _NoGuard
    if token.token_type == TokenType.STRING:
        c.pos += 1
        cast = None
        if c.accept_type(TokenType.DCOLON):
            cast_name = c.qname()
            if cast_name.schema not in (None, "pg_catalog"):
                raise _NoGuard
            cast = cast_name.name
        return _Literal(token.text, cast)
    if word(token) in ("TRUE", "FALSE"):
        c.pos += 1
        return _Literal(word(token).lower(), None)
    if word(token) == "CURRENT_SCHEMA":
        c.pos += 1
        if c.at_type(TokenType.L_PAREN):
            first, last = c.group()
            if first != last:
                raise _NoGuard
        return _CurrentSchema()
    if token.token_type == TokenType.L_PAREN:
        first, last = c.group()
        return _select(c.sub(first, last), subquery=True)
    if token.token_type == TokenType.IDENTIFIER or is_word(token):
        name = c.qname()
        return _Column(name.schema, name.name)
    raise _NoGuard


def _resolve(
    aliases: dict[str, str], order: list[str], atoms: list[tuple[_Operand, _Operand]]
) -> _Facts:
    """What the predicates say about the subject of the first catalog in FROM."""
    main = order[0]
    facts: dict[str, object] = {}
    joined: set[str] = set()

    def put(fact: str, value: object) -> None:
        if fact in facts and facts[fact] != value:
            raise _NoGuard
        facts[fact] = value

    def locate(column: _Column) -> tuple[str, str]:
        if column.alias is not None:
            if column.alias not in aliases:
                raise _NoGuard
            found = [column.alias]
        else:
            found = [a for a in order if _CATALOGS[aliases[a]].role(column.name) is not None]
        if len(found) != 1:
            raise _NoGuard
        role = _CATALOGS[aliases[found[0]]].role(column.name)
        if role is None:
            raise _NoGuard
        return found[0], role

    for left, right in atoms:
        if not isinstance(left, _Column) and isinstance(right, _Column):
            left, right = right, left
        if not isinstance(left, _Column):
            raise _NoGuard
        alias, role = locate(left)
        catalog = aliases[alias]
        if isinstance(right, _Column):
            # a join: one side's oid is the other side's reference
            other, other_role = locate(right)
            if role == "oid":
                alias, role, other, other_role = other, other_role, alias, role
            target = _OID_TARGETS.get(role)
            if other_role != "oid" or target is None or aliases[other] != target[0]:
                raise _NoGuard
            joined.update((alias, other))
            continue
        if role == "narrowing":
            if not isinstance(right, _Literal):
                raise _NoGuard
            continue
        if alias != main:
            _helper_fact(catalog, role, right, put)
            continue
        if role == "name":
            put("name", _name_literal(right))
        elif role == "schema_text":
            if isinstance(right, _CurrentSchema):
                put("current_schema", True)
            else:
                put("schema", _name_literal(right))
        elif role == "table_text":
            put("parent_name", _name_literal(right))
        elif role in _OID_TARGETS:
            put(_OID_FACT[role], _oid_operand(role, right))
        else:
            raise _NoGuard
    if set(order[1:]) - joined:
        raise _NoGuard  # a catalog joined without saying how
    return _facts(aliases[main], facts)


_OID_FACT = {"schema_oid": "schema", "table_oid": "parent", "type_oid": "parent"}


def _helper_fact(
    catalog: str, role: str, right: _Operand, put: Callable[[str, object], None]
) -> None:
    """A predicate on a joined catalog: pg_namespace gives the schema, pg_class the table,
    pg_type the enum type."""
    if role == "name" and catalog == "pg_namespace":
        put("schema", _name_literal(right))
    elif role == "name" and catalog in ("pg_class", "pg_type"):
        put("parent_name", _name_literal(right))
    elif role == "schema_oid" and catalog in ("pg_class", "pg_type"):
        put("schema", _oid_operand(role, right))
    else:
        raise _NoGuard


def _name_literal(operand: _Operand) -> str:
    if not isinstance(operand, _Literal) or operand.cast not in _NAME_CASTS:
        raise _NoGuard
    return operand.value


def _oid_operand(role: str, operand: _Operand) -> object:
    """``'x'::regclass`` (read as SQL names) or ``(SELECT oid FROM <catalog> WHERE ...)``."""
    catalog, cast = _OID_TARGETS[role]
    if isinstance(operand, _Literal) and operand.cast == cast:
        name = QName.parse(operand.value)
        return name.name if role == "schema_oid" else name
    if isinstance(operand, _Facts) and operand.catalog == catalog and operand.name is not None:
        if role == "schema_oid":
            return operand.name
        return QName(operand.schema, operand.name)
    raise _NoGuard


def _facts(catalog: str, facts: dict[str, object]) -> _Facts:
    name = facts.get("name")
    schema = facts.get("schema")
    parent = facts.get("parent")
    parent_name = facts.get("parent_name")
    if parent_name is not None:
        if parent is not None and (not isinstance(parent, QName) or parent.name != parent_name):
            raise _NoGuard
        parent = QName(parent.schema if isinstance(parent, QName) else None, str(parent_name))
    assert name is None or isinstance(name, str)
    assert schema is None or isinstance(schema, str)
    assert parent is None or isinstance(parent, QName)
    return _Facts(catalog, name, schema, bool(facts.get("current_schema")), parent)


# -- the interpreter --------------------------------------------------------------------------


class _Interpreter:
    """Turns the parsed body into events, or refuses."""

    def __init__(self, origin: Origin, body: Cursor, body_line: int) -> None:
        self.origin = origin
        self.body = body
        self.body_line = body_line
        self.assertion = False

    def run(self, statements: Iterable[_Stmt]) -> list[Event]:
        events: list[Event] = []
        for statement in statements:
            if isinstance(statement, _Null):
                continue
            if isinstance(statement, _Raise):
                if statement.level not in _NOTICE_LEVELS or not statement.plain:
                    raise Unsupported(f"{OPAQUE} (RAISE {statement.level})")
            elif isinstance(statement, _Assert):
                if not statement.safe:
                    raise Unsupported(f"{OPAQUE} (an assertion that may change something)")
                self.assertion = True
            elif isinstance(statement, _Block):
                events.extend(self.block(statement))
            elif isinstance(statement, _If):
                events.extend(self.if_statement(statement))
            else:
                events.extend(self.sql(statement))
        return events

    def block(self, block: _Block) -> list[Event]:
        events = self.run(block.body)
        if block.handlers is None:
            return events
        conditions: set[str] = set()
        for handler in block.handlers:
            if not _inert(handler.body):
                raise Unsupported(f"{OPAQUE} (an exception handler that does something)")
            conditions.update(handler.conditions)
        if len(events) > 1:
            raise Unsupported(f"{OPAQUE} (one exception handler around several statements)")
        return [_guard_by_handler(event, conditions) for event in events]

    def if_statement(self, statement: _If) -> list[Event]:
        if statement.orelse is not None and not _inert(statement.orelse):
            raise Unsupported(f"{OPAQUE} (IF ... ELSE)")
        condition = statement.condition
        if all(isinstance(s, (_Raise, _Null)) for s in statement.then):
            # an assertion (RAISE EXCEPTION) or a notice: no effect when its condition is pure
            if not _side_effect_free(condition, 0, len(condition.tokens)):
                raise Unsupported(f"{OPAQUE} (a condition that may change something)")
            if any(isinstance(s, _Raise) and s.level == "EXCEPTION" for s in statement.then):
                self.assertion = True
            elif not _inert(statement.then):
                raise Unsupported(f"{OPAQUE} (RAISE with arguments that may change something)")
            return []
        try:
            exists, subject = read_guard(condition.sub(0, len(condition.tokens)))
        except (_NoGuard, InputError):
            raise Unsupported(
                f"{OPAQUE} (IF over a condition that is not an existence guard)"
            ) from None
        events = self.run(statement.then)
        if len(events) != 1:
            raise Unsupported(f"{OPAQUE} (one guard around several statements)")
        return [_guard_by_subject(events[0], exists, subject)]

    def sql(self, statement: _Sql) -> list[Event]:
        from schemafold.parse.postgres import translate  # late: the package imports this module

        line = self.body_line + self.body.text[: statement.offset].count("\n")
        inner = attrs.evolve(self.origin, line=line, text=statement.text)
        try:
            translation = translate(inner)
        except InputError as error:
            raise Unsupported(
                f"{OPAQUE} (inner statement not understood: {error.message})"
            ) from error
        if translation.warnings or any(isinstance(e, Opaque) for e in translation.events):
            raise Unsupported(f"{OPAQUE} (inner statement not modelled)")
        return [attrs.evolve(event, origin=self.origin) for event in translation.events]


def _inert(statements: Iterable[_Stmt]) -> bool:
    return all(
        isinstance(s, _Null) or (isinstance(s, _Raise) and s.level in _NOTICE_LEVELS and s.plain)
        for s in statements
    )


# -- the handler ------------------------------------------------------------------------------


@handles("DO")
def do_block(cursor: Cursor, origin: Origin) -> list[Event]:
    c = reread(cursor)
    language = _language(c) if c.accept("LANGUAGE") else None
    code = c.peek()
    if code is None or code.token_type not in (TokenType.STRING, TokenType.HEREDOC_STRING):
        raise c.error("expected the DO block's code as a string")
    c.pos += 1
    if c.accept("LANGUAGE"):
        if language is not None:
            raise c.error("conflicting or redundant options")
        language = _language(c)
    finish(c)
    if language not in (None, "plpgsql"):
        raise Unsupported(f"DO block in language {language} is not modelled")

    body = code.text
    offset = code.start + 1
    if code.token_type == TokenType.HEREDOC_STRING:
        raw = c.text[code.start : code.end + 1]
        offset = code.start + raw.index("$", 1) + 1
    body_line = origin.line + c.text[:offset].count("\n")
    from schemafold.plpgsql.syntax import DO_OUTER  # late: it reads with parse.tokens

    error = body_error(body, file=origin.file, line=body_line, plpgsql=True, outer=DO_OUTER)
    if error is not None:  # PostgreSQL compiles the body when the block runs
        raise error
    try:
        body_cursor = Cursor(body, file=origin.file, line=body_line)
    except Exception as error:  # sqlglot's tokenizer refuses some bodies
        raise Unsupported(f"{OPAQUE} (body not readable: {error})") from error
    if body_cursor.at_end():
        raise Unsupported(f"{OPAQUE} (empty body)")
    try:
        block = _Parser(body_cursor).parse()
    except InputError as error:
        raise Unsupported(f"{OPAQUE} (body not understood: {error.message})") from error

    interpreter = _Interpreter(origin, body_cursor, body_line)
    events = interpreter.run([block])
    if events:
        return events
    verb = "do (assertion)" if interpreter.assertion else "do (notice only)"
    return [SessionStatement(origin=origin, verb=verb)]


def _language(c: Cursor) -> str:
    token = c.peek()
    if token is not None and is_string(token):
        return c.string()
    return c.identifier()
