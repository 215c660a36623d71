"""The vocabulary of schema history: one small frozen class per kind of change.

Owns: what a migration statement *means*, as data. Each event carries its provenance (``Origin``:
file, line, verbatim text) and the facts folding needs, with every piece of SQL that will be
rendered again (types, defaults, expressions, bodies) kept as the text the history wrote.

Must not know: how SQL text is split or parsed (``parse``), what the schema looks like
(``model``/``fold``), or how anything is rendered or ordered.

Families: create, alter, drop, rename, comment, privileges, session, data, opaque. One statement
can translate to several events (``ALTER TABLE t ADD a int, DROP b``); they share an ``Origin``.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.fragment import Fragment, fragment, fragment_or_none
from schemafold.kinds import ObjectKind
from schemafold.names import QName

if TYPE_CHECKING:
    from schemafold.parse import ParseResult

# --------------------------------------------------------------------------------------------
# Provenance and shared parts
# --------------------------------------------------------------------------------------------


@attrs.frozen(cache_hash=True)
class Origin:
    """Where a statement came from: file, 1-based line, verbatim text, migration version."""
    __repr__ = fields_repr

    file: str
    line: int
    text: Fragment = attrs.field(converter=fragment)
    migration: str = ""
    in_transaction: bool = True
    copy_data: str | None = None  # the rows after a COPY ... FROM stdin, as written

    def where(self) -> str:
        return f"{self.file}:{self.line}"


@attrs.frozen
class ObjectRef:
    """A reference to a database object by identity: name, plus argument types for routines and
    the table for objects that live on a table (triggers, policies, constraints, rules)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    name: QName
    arg_types: tuple[str, ...] | None = None
    table: QName | None = None
    #: routine arguments listed without a mode written (``p(int, int)``): a procedure's may be
    #: all its arguments, OUT ones too; not part of the reference's identity
    unmarked: bool = attrs.field(default=False, eq=False)

    def __str__(self) -> str:
        text = str(self.name)
        if self.arg_types is not None:
            text += "(" + ", ".join(self.arg_types) + ")"
        if self.table is not None:
            text += f" on {self.table}"
        return text


@attrs.frozen(kw_only=True)
class Constraint:
    """A table constraint. Inline column constraints are normalised to this form with
    ``columns=(column,)``. ``name`` is None when PostgreSQL will choose it."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: str  # "primary key" | "unique" | "check" | "foreign key" | "exclude"
    name: str | None = None
    columns: tuple[str, ...] = ()
    # CHECK body / EXCLUDE element list, as written
    expression: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    references: QName | None = None
    ref_columns: tuple[str, ...] = ()
    on_delete: str | None = None  # "CASCADE", "SET NULL", ...
    on_update: str | None = None
    match: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    not_valid: bool = False
    no_inherit: bool = False
    nulls_not_distinct: bool = False
    using_index: str | None = None
    index_options: str | None = None  # INCLUDE (...), WITH (...), USING INDEX TABLESPACE
    include: tuple[str, ...] = ()  # the INCLUDE columns of index_options, as the parser read them
    method: str | None = None  # EXCLUDE USING <method>
    where: Fragment | None = attrs.field(default=None, converter=fragment_or_none)  # EXCLUDE WHERE

    KINDS: ClassVar[frozenset[str]] = frozenset(
        {"primary key", "unique", "check", "foreign key", "exclude"}
    )

    def __attrs_post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown constraint kind {self.kind!r}")


@attrs.frozen(kw_only=True)
class Column:
    """A column as declared: type, default and generation text exactly as written."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    name: str
    type: str
    default: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    not_null: bool = False
    identity: str | None = None  # "ALWAYS" | "BY DEFAULT"
    identity_options: str | None = None  # "START WITH 5 INCREMENT BY 2", as written
    #: the same options as the parser read them (None: not an identity column, or no options)
    identity_sequence: IdentitySequence | None = None
    # GENERATED ALWAYS AS (<expr>) STORED
    generated: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    collation: str | None = None
    constraints: tuple[Constraint, ...] = ()
    not_null_name: str | None = None  # CONSTRAINT name NOT NULL (PostgreSQL 18 keeps the name)
    #: NULL written on a column that is NOT NULL (NOT NULL written too, a serial, an identity):
    #: PostgreSQL's ``conflicting NULL/NOT NULL declarations`` when it makes the column, which
    #: it does not when ``IF NOT EXISTS`` finds the table or column there (``fold.state``)
    null_conflict: bool = False


@attrs.frozen(kw_only=True)
class IndexElement:
    """One element of an index: a column, or an expression, with what follows it (opclass,
    collation, ASC/DESC, NULLS FIRST/LAST) as written."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    column: str | None = None
    expression: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    suffix: str = ""


@attrs.frozen(kw_only=True)
class SequenceOptions:
    """Options of CREATE/ALTER SEQUENCE and identity columns; None where not given."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    as_type: str | None = None
    increment: int | None = None
    minvalue: int | None = None
    maxvalue: int | None = None
    no_minvalue: bool = False
    no_maxvalue: bool = False
    start: int | None = None
    cache: int | None = None
    cycle: bool | None = None


@attrs.frozen(kw_only=True)
class IdentitySequence:
    """The options in ``GENERATED ... AS IDENTITY (options)``, as the parser read them: the
    sequence's options, the ``SEQUENCE NAME`` given there (None: PostgreSQL chooses it) and
    the value of a ``RESTART [WITH] n`` (the first value drawn is then ``n``; None: none, or
    ``RESTART`` alone, which restarts from START as a new sequence does anyway)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    options: SequenceOptions = SequenceOptions()
    name: QName | None = None
    restart: int | None = None


# --------------------------------------------------------------------------------------------
# The base class
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Event:
    """Base of every event. ``family`` groups kinds for the ledger and reports."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    origin: Origin = attrs.field(eq=False, repr=False)
    family: ClassVar[str] = "alter"

    def describe(self) -> str:
        """One line for humans, reused by warnings, blame and reports."""
        return type(self).__name__

    def to_dict(self) -> dict[str, object]:
        """The event for JSON (``schemafold events --format json``): ``kind`` (the class),
        ``family``, ``file``, ``line``, ``describe`` and ``fields`` (every attribute but the
        origin, nested values as dicts; values JSON cannot spell are left to the caller's
        ``default=``)."""
        data = attrs.asdict(self, recurse=True, filter=lambda a, _: a.name != "origin")
        return {"kind": type(self).__name__, "family": self.family, "file": self.origin.file,
                "line": self.origin.line, "describe": self.describe(), "fields": data}


# --------------------------------------------------------------------------------------------
# Schemas, extensions, roles
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CreateSchema(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: str
    if_not_exists: bool = False
    authorization: str | None = None

    def describe(self) -> str:
        return f"create schema {self.name}"


@attrs.frozen(kw_only=True)
class CreateExtension(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: str
    schema: str | None = None
    version: str | None = None
    if_not_exists: bool = False
    cascade: bool = False

    def describe(self) -> str:
        return f"create extension {self.name}"


@attrs.frozen(kw_only=True)
class RoleStatement(Event):
    """CREATE/ALTER/DROP ROLE (or USER/GROUP): cluster-wide, kept in order as written."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "create"
    verb: str  # "create" | "alter" | "drop"
    names: tuple[str, ...]
    if_exists: bool = False

    def describe(self) -> str:
        return f"{self.verb} role {', '.join(self.names)}"


# --------------------------------------------------------------------------------------------
# Types and domains
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CreateEnum(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: QName
    labels: tuple[str, ...]
    if_not_exists: bool = False

    def describe(self) -> str:
        return f"create enum {self.name} ({', '.join(self.labels)})"


@attrs.frozen(kw_only=True)
class AddEnumValue(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    type: QName
    label: str
    before: str | None = None
    after: str | None = None
    if_not_exists: bool = False

    def describe(self) -> str:
        where = f" before {self.before!r}" if self.before else ""
        where += f" after {self.after!r}" if self.after else ""
        return f"add value {self.label!r} to enum {self.type}{where}"


@attrs.frozen(kw_only=True)
class RenameEnumValue(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "rename"
    type: QName
    old: str
    new: str

    def describe(self) -> str:
        return f"rename value {self.old!r} of enum {self.type} to {self.new!r}"


@attrs.frozen(kw_only=True)
class CreateCompositeType(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: QName
    attributes: tuple[Column, ...]
    if_not_exists: bool = False

    def describe(self) -> str:
        return f"create type {self.name} as ({', '.join(a.name for a in self.attributes)})"


@attrs.frozen(kw_only=True)
class CreateDomain(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: QName
    base_type: str
    default: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    not_null: bool = False
    collation: str | None = None
    checks: tuple[Constraint, ...] = ()
    if_not_exists: bool = False

    def describe(self) -> str:
        return f"create domain {self.name} as {self.base_type}"


@attrs.frozen(kw_only=True)
class AlterDomain(Event):
    """``ALTER DOMAIN d`` ``ADD [CONSTRAINT c] CHECK (...) [NOT VALID]`` (``constraint``),
    ``DROP CONSTRAINT [IF EXISTS] c`` and ``VALIDATE CONSTRAINT c`` (``constraint_name``),
    ``{SET | DROP} DEFAULT`` and ``{SET | DROP} NOT NULL``; ``action`` says which."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    #: "add" | "drop constraint" | "validate" | "set default" | "drop default" |
    #: "set not null" | "drop not null"
    action: str
    constraint: Constraint | None = None
    constraint_name: str | None = None
    default: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    if_exists: bool = False

    def describe(self) -> str:
        return f"alter domain {self.name} {self.action}"


@attrs.frozen(kw_only=True)
class CreateRangeType(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: QName
    subtype: str
    options: str  # the parenthesised option list, as written
    if_not_exists: bool = False

    def describe(self) -> str:
        return f"create range type {self.name} over {self.subtype}"


# --------------------------------------------------------------------------------------------
# Tables and their parts
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LikeClause:
    """``LIKE source [INCLUDING ... | EXCLUDING ...]`` in a table's column list: the options in
    effect once every ``INCLUDING``/``EXCLUDING`` has been read in order (``ALL`` expanded;
    ``LIKE_OPTIONS`` names them), and how many declared columns come before it."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    source: QName
    including: tuple[str, ...] = ()  # sorted, upper case: "COMMENTS", "DEFAULTS", ...
    position: int = 0

    LIKE_OPTIONS: ClassVar[tuple[str, ...]] = (
        "COMMENTS", "COMPRESSION", "CONSTRAINTS", "DEFAULTS", "GENERATED", "IDENTITY",
        "INDEXES", "STATISTICS", "STORAGE",
    )


@attrs.frozen(kw_only=True)
class CreateTable(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: QName
    columns: tuple[Column, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    if_not_exists: bool = False
    unlogged: bool = False
    partition_by: str | None = None  # "RANGE (created)", as written
    partition_of: QName | None = None
    partition_bound: str | None = None  # "FOR VALUES FROM (...) TO (...)" / "DEFAULT"
    inherits: tuple[QName, ...] = ()
    like: tuple[LikeClause, ...] = ()
    options: str | None = None  # WITH (...) / TABLESPACE, as written
    as_query: str | None = None  # CREATE TABLE ... AS <query>

    def describe(self) -> str:
        return f"create table {self.name}"


@attrs.frozen(kw_only=True)
class TableIfExists(Event):
    """``ALTER TABLE IF EXISTS t ...``: the actions that follow it (events of the same
    statement) are skipped when no relation ``t`` exists, as PostgreSQL skips them ('relation
    "t" does not exist, skipping')."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: QName

    def describe(self) -> str:
        return f"if relation {self.table} exists"


@attrs.frozen(kw_only=True)
class AddColumn(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    table: QName
    column: Column
    if_not_exists: bool = False

    def describe(self) -> str:
        return f"add column {self.table}.{self.column.name} {self.column.type}"


@attrs.frozen(kw_only=True)
class DropColumn(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "drop"
    table: QName
    column: str
    if_exists: bool = False
    cascade: bool = False

    def describe(self) -> str:
        return f"drop column {self.table}.{self.column}"


@attrs.frozen(kw_only=True)
class RenameColumn(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "rename"
    table: QName
    old: str
    new: str
    if_exists: bool = False  # ALTER TABLE IF EXISTS: a no-op when the table does not exist

    def describe(self) -> str:
        return f"rename column {self.table}.{self.old} to {self.new}"


@attrs.frozen(kw_only=True)
class AlterColumnType(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    table: QName
    column: str
    type: str
    using: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    collation: str | None = None

    def describe(self) -> str:
        return f"alter column {self.table}.{self.column} type {self.type}"


@attrs.frozen(kw_only=True)
class SetColumnDefault(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    table: QName
    column: str
    default: Fragment | None = attrs.field(converter=fragment_or_none)  # None: DROP

    def describe(self) -> str:
        what = "drop default" if self.default is None else f"set default {self.default}"
        return f"alter column {self.table}.{self.column} {what}"


@attrs.frozen(kw_only=True)
class SetColumnNotNull(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    table: QName
    column: str
    not_null: bool

    def describe(self) -> str:
        what = "set not null" if self.not_null else "drop not null"
        return f"alter column {self.table}.{self.column} {what}"


@attrs.frozen(kw_only=True)
class SetIdentityGeneration(Event):
    """ALTER COLUMN ... {SET GENERATED {ALWAYS | BY DEFAULT} | RESTART [[WITH] n] | SET
    sequence option} ... of an identity column: the same sequence, maybe another kind of
    identity, the sequence altered as ``ALTER SEQUENCE`` would."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: QName
    column: str
    identity: str | None  # "ALWAYS" | "BY DEFAULT"; None: the kind is kept
    options: SequenceOptions = SequenceOptions()
    restart: bool = False
    restart_with: int | None = None

    def describe(self) -> str:
        if self.identity is not None:
            return f"alter column {self.table}.{self.column} set generated {self.identity}"
        return f"alter column {self.table}.{self.column} identity options"


@attrs.frozen(kw_only=True)
class SetColumnIdentity(Event):
    """ADD GENERATED ... AS IDENTITY (identity set) or DROP IDENTITY (identity None)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: QName
    column: str
    identity: str | None
    options: str | None = None  # the parenthesised options, as written
    sequence: IdentitySequence | None = None  # the same, as the parser read them
    if_exists: bool = False

    def describe(self) -> str:
        what = "drop identity" if self.identity is None else f"add generated {self.identity}"
        return f"alter column {self.table}.{self.column} {what}"


@attrs.frozen(kw_only=True)
class AddConstraint(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    table: QName
    constraint: Constraint
    if_not_exists: bool = False
    #: ``ALTER TABLE ONLY``: a key on a partitioned table is not cloned onto its partitions
    #: (pg_dump's form; each partition's own is attached with ``ALTER INDEX ... ATTACH``)
    only: bool = False

    def describe(self) -> str:
        name = self.constraint.name or "(unnamed)"
        return f"add {self.constraint.kind} {name} on {self.table}"


@attrs.frozen(kw_only=True)
class DropConstraint(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "drop"
    table: QName
    name: str
    if_exists: bool = False
    cascade: bool = False

    def describe(self) -> str:
        return f"drop constraint {self.name} on {self.table}"


@attrs.frozen(kw_only=True)
class ValidateConstraint(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    table: QName
    name: str

    def describe(self) -> str:
        return f"validate constraint {self.name} on {self.table}"


@attrs.frozen(kw_only=True)
class SetRowSecurity(Event):
    """ENABLE/DISABLE/FORCE/NO FORCE ROW LEVEL SECURITY; None leaves that flag unchanged."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: QName
    enabled: bool | None = None
    forced: bool | None = None

    def describe(self) -> str:
        return f"row level security on {self.table}"


@attrs.frozen(kw_only=True)
class AttachPartition(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    table: QName
    partition: QName
    bound: str

    def describe(self) -> str:
        return f"attach partition {self.partition} to {self.table}"


@attrs.frozen(kw_only=True)
class Inherit(Event):
    """``ALTER TABLE table INHERIT parent``, or with ``remove`` ``NO INHERIT parent``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: QName
    parent: QName
    remove: bool = False

    def describe(self) -> str:
        verb = "no longer inherits" if self.remove else "inherits"
        return f"{self.table} {verb} {self.parent}"


@attrs.frozen(kw_only=True)
class DetachPartition(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    table: QName
    partition: QName

    def describe(self) -> str:
        return f"detach partition {self.partition} from {self.table}"


# --------------------------------------------------------------------------------------------
# Indexes, sequences, views, routines, triggers, policies
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CreateIndex(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: str | None
    table: QName
    elements: tuple[IndexElement, ...]
    unique: bool = False
    method: str | None = None
    include: tuple[str, ...] = ()
    where: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    options: str | None = None  # WITH (...) / TABLESPACE, as written
    nulls_not_distinct: bool = False
    if_not_exists: bool = False
    concurrently: bool = False
    only: bool = False

    def describe(self) -> str:
        return f"create index {self.name or '(unnamed)'} on {self.table}"


@attrs.frozen(kw_only=True)
class CreateSequence(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: QName
    options: SequenceOptions = SequenceOptions()
    owned_by: tuple[QName, str] | None = None
    if_not_exists: bool = False
    unlogged: bool = False
    temporary: bool = False  # CREATE TEMP SEQUENCE: gone when the migration's session ends

    def describe(self) -> str:
        kind = "temporary " if self.temporary else "unlogged " if self.unlogged else ""
        return f"create {kind}sequence {self.name}"


@attrs.frozen(kw_only=True)
class AlterSequence(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    options: SequenceOptions = SequenceOptions()
    restart: bool = False
    restart_with: int | None = None
    owned_by: tuple[QName, str] | None = None
    owned_by_none: bool = False
    if_exists: bool = False

    def describe(self) -> str:
        return f"alter sequence {self.name}"


@attrs.frozen(kw_only=True)
class CreateView(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: QName
    query: Fragment = attrs.field(converter=fragment)  # as written
    columns: tuple[str, ...] = ()
    or_replace: bool = False
    materialized: bool = False
    with_data: bool = True
    if_not_exists: bool = False
    options: str | None = None  # WITH (security_barrier), as written
    check_option: str | None = None  # "LOCAL" | "CASCADED"

    def describe(self) -> str:
        kind = ObjectKind.MATERIALIZED_VIEW if self.materialized else ObjectKind.VIEW
        return f"create {kind} {self.name}"


@attrs.frozen(kw_only=True)
class RefreshMaterializedView(Event):
    """REFRESH MATERIALIZED VIEW [CONCURRENTLY] v [WITH [NO] DATA]: the view is populated (or,
    WITH NO DATA, emptied and left unscannable). Its rows are not tracked: a consolidation
    refreshes every populated materialized view after loading the tables' rows."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "alter"
    name: QName
    with_data: bool = True
    concurrently: bool = False

    def describe(self) -> str:
        return f"refresh materialized view {self.name}"


@attrs.frozen(kw_only=True)
class CreateFunction(Event):
    """CREATE [OR REPLACE] FUNCTION/PROCEDURE. The statement text is rendered as written; the
    body is never rewritten."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "create"
    name: QName
    arg_types: tuple[str, ...]  # canonical input types: the key with the name
    arguments: str  # the parenthesised argument list, as written
    all_types: tuple[str, ...] = ()  # canonical types of every argument, OUT ones too
    returns: str | None = None
    language: str | None = None
    or_replace: bool = False
    procedure: bool = False
    returns_trigger: bool = False
    # the body text without its quotes (for dependency discovery)
    body: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    # PostgreSQL analyzes a SQL body when it creates the function: check_function_bodies is
    # on (as the parse knows it: no file so far mentioned it)
    body_analyzed: bool = False

    def describe(self) -> str:
        kind = ObjectKind.PROCEDURE if self.procedure else ObjectKind.FUNCTION
        return f"create {kind} {self.name}({', '.join(self.arg_types)})"


@attrs.frozen(kw_only=True)
class CreateTrigger(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: str
    table: QName
    function: QName
    timing: str  # "BEFORE" | "AFTER" | "INSTEAD OF"
    events: str  # "INSERT OR UPDATE OF a", as written
    for_each_row: bool = False
    when: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    function_args: str = ""
    or_replace: bool = False
    constraint: bool = False
    deferral: str | None = None  # constraint triggers: "DEFERRABLE INITIALLY DEFERRED", as written
    referencing: str | None = None  # REFERENCING NEW TABLE AS ..., as written
    if_not_exists: bool = False
    from_table: QName | None = None  # constraint triggers: FROM referenced_table

    def describe(self) -> str:
        return f"create trigger {self.name} on {self.table}"


@attrs.frozen(kw_only=True)
class CreatePolicy(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "create"
    name: str
    table: QName
    permissive: bool = True
    command: str = "ALL"
    roles: tuple[str, ...] = ()
    using: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    check: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    if_not_exists: bool = False

    def describe(self) -> str:
        return f"create policy {self.name} on {self.table}"


@attrs.frozen(kw_only=True)
class AlterPolicy(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: str
    table: QName
    roles: tuple[str, ...] | None = None
    using: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    check: Fragment | None = attrs.field(default=None, converter=fragment_or_none)

    def describe(self) -> str:
        return f"alter policy {self.name} on {self.table}"


# --------------------------------------------------------------------------------------------
# Generic drop, rename, owner, schema move, comment
# --------------------------------------------------------------------------------------------

#: Object kinds a generic event may name (not the resolution-only pseudo kinds).
OBJECT_KINDS = frozenset(ObjectKind) - {ObjectKind.RELATION, ObjectKind.ANY_RELATION}


def _known_kind(value: str) -> ObjectKind:
    kind = _KIND_OF.get(value)
    if kind is None or kind not in OBJECT_KINDS:
        raise ValueError(f"unknown object kind {value!r}")
    return kind


_KIND_OF = {kind.value: kind for kind in ObjectKind}


@attrs.frozen(kw_only=True)
class Drop(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "drop"
    kind: ObjectKind = attrs.field(converter=_known_kind)
    targets: tuple[ObjectRef, ...]
    if_exists: bool = False
    cascade: bool = False
    concurrently: bool = False  # DROP INDEX CONCURRENTLY: cannot run inside a transaction

    def describe(self) -> str:
        return f"drop {self.kind} {', '.join(str(t) for t in self.targets)}"


@attrs.frozen(kw_only=True)
class Rename(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "rename"
    kind: ObjectKind = attrs.field(converter=_known_kind)
    target: ObjectRef
    new_name: str
    if_exists: bool = False

    def describe(self) -> str:
        return f"rename {self.kind} {self.target} to {self.new_name}"


@attrs.frozen(kw_only=True)
class SetOwner(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    kind: ObjectKind = attrs.field(converter=_known_kind)
    target: ObjectRef
    owner: str
    if_exists: bool = False

    def describe(self) -> str:
        return f"set owner of {self.kind} {self.target} to {self.owner}"


@attrs.frozen(kw_only=True)
class SetSchema(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    kind: ObjectKind = attrs.field(converter=_known_kind)
    target: ObjectRef
    schema: str
    if_exists: bool = False

    def describe(self) -> str:
        return f"move {self.kind} {self.target} to schema {self.schema}"


@attrs.frozen(kw_only=True)
class Comment(Event):
    """COMMENT ON ... IS 'text' (``text`` None: IS NULL). ``column`` for COMMENT ON COLUMN."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "comment"
    kind: ObjectKind = attrs.field(converter=_known_kind)
    target: ObjectRef
    column: str | None = None
    text: str | None = None  # the comment's value (unquoted)
    routine: bool = False  # COMMENT ON ROUTINE: kind function, and a procedure is found too

    def describe(self) -> str:
        what = f"{self.target}.{self.column}" if self.column else str(self.target)
        return f"comment on {self.kind} {what}"


# --------------------------------------------------------------------------------------------
# Privileges
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Grant(Event):
    """GRANT (or, with ``revoke``, REVOKE) privileges on named objects."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "privilege"
    privileges: tuple[str, ...]  # upper case; ("ALL",) for ALL [PRIVILEGES]
    kind: str  # "table" | "sequence" | "function" | "schema" | "type" | "database" | ...
    targets: tuple[ObjectRef, ...]
    grantees: tuple[str, ...]  # role names; "PUBLIC"
    columns: tuple[str, ...] = ()
    grant_option: bool = False
    revoke: bool = False
    cascade: bool = False

    def describe(self) -> str:
        verb = "revoke" if self.revoke else "grant"
        targets = ", ".join(str(t) for t in self.targets)
        return f"{verb} {', '.join(self.privileges)} on {self.kind} {targets}"


@attrs.frozen(kw_only=True)
class GrantOnAll(Event):
    """GRANT/REVOKE ... ON ALL TABLES|SEQUENCES|FUNCTIONS IN SCHEMA: expanded at fold time."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "privilege"
    privileges: tuple[str, ...]
    kind: str  # "tables" | "sequences" | "functions" | "procedures" | "routines"
    schemas: tuple[str, ...]
    grantees: tuple[str, ...]
    grant_option: bool = False
    revoke: bool = False

    def describe(self) -> str:
        verb = "revoke" if self.revoke else "grant"
        schemas = ", ".join(self.schemas)
        return f"{verb} {', '.join(self.privileges)} on all {self.kind} in {schemas}"


@attrs.frozen(kw_only=True)
class DefaultPrivileges(Event):
    """ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT|REVOKE ..."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "privilege"
    for_roles: tuple[str, ...]
    schemas: tuple[str, ...]
    privileges: tuple[str, ...]
    kind: str  # "tables" | "sequences" | "functions" | "types" | "schemas"
    grantees: tuple[str, ...]
    grant_option: bool = False
    revoke: bool = False

    def describe(self) -> str:
        verb = "revoke" if self.revoke else "grant"
        return f"default privileges: {verb} {', '.join(self.privileges)} on {self.kind}"


# --------------------------------------------------------------------------------------------
# Session
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SetSearchPath(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "session"
    schemas: tuple[str, ...]  # folded names; "$user" kept as written
    local: bool = False

    def describe(self) -> str:
        return f"set search_path to {', '.join(self.schemas)}"


@attrs.frozen(kw_only=True)
class SessionStatement(Event):
    """A statement that changes only the session or transaction: SET x, RESET, BEGIN, COMMIT,
    LOCK, ANALYZE, a psql meta-command. It leaves no trace in the schema."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "session"
    verb: str

    def describe(self) -> str:
        return self.verb


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Insert(Event):
    """INSERT. ``rows`` holds literal value texts when every row is literal; None otherwise."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "data"
    table: QName
    columns: tuple[str, ...] | None = None
    rows: tuple[tuple[str, ...], ...] | None = None
    on_conflict: str | None = None  # as written
    reads: tuple[QName, ...] = ()
    query: str | None = None  # INSERT ... SELECT (or VALUES that are not all literal): as written
    overriding_user: bool = False  # OVERRIDING USER VALUE: identity columns take their default

    def describe(self) -> str:
        count = f"{len(self.rows)} row(s)" if self.rows is not None else "rows"
        return f"insert {count} into {self.table}"


@attrs.frozen(kw_only=True)
class Update(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "data"
    table: QName
    assignments: tuple[tuple[str, str], ...]  # (column, expression as written)
    where: str | None = None
    reads: tuple[QName, ...] = ()

    def describe(self) -> str:
        return f"update {self.table} set {', '.join(c for c, _ in self.assignments)}"


@attrs.frozen(kw_only=True)
class Delete(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "data"
    table: QName
    where: str | None = None
    reads: tuple[QName, ...] = ()

    def describe(self) -> str:
        return f"delete from {self.table}"


@attrs.frozen(kw_only=True)
class SetSequenceValue(Event):
    """A top-level ``SELECT setval(sequence, value [, is_called])``. The sequence is named by
    ``sequence`` (the string's name), or by ``column_of`` for ``pg_get_serial_sequence('t', 'c')``;
    ``value`` is the value's text as written (an integer, or ``max(id)`` over ``from_table``, or a
    subquery), for the fold to evaluate."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "data"
    sequence: QName | None = None
    column_of: tuple[QName, str] | None = None
    value: str
    is_called: bool = True
    from_table: QName | None = None  # SELECT setval(...) FROM t
    reads: tuple[QName, ...] = ()

    def describe(self) -> str:
        target = self.sequence or (f"the sequence of {self.column_of[0]}.{self.column_of[1]}"
                                   if self.column_of else "?")
        return f"set sequence {target} to {self.value}"


@attrs.frozen(kw_only=True)
class Truncate(Event):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    family: ClassVar[str] = "data"
    tables: tuple[QName, ...]
    restart_identity: bool = False
    cascade: bool = False

    def describe(self) -> str:
        return f"truncate {', '.join(str(t) for t in self.tables)}"


# --------------------------------------------------------------------------------------------
# Opaque
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Opaque(Event):
    """A statement kept verbatim: valid SQL folding does not model (a DO block with arbitrary
    logic, a side-effecting SELECT, a CREATE RULE ...). ``reads``/``writes`` are a best-effort
    list of the qualified names found in its tokens; ``reason`` says why it is opaque."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    family: ClassVar[str] = "opaque"
    summary: str  # the first words, for warnings
    reason: str
    reads: tuple[QName, ...] = ()
    writes: tuple[QName, ...] = ()

    def describe(self) -> str:
        return f"opaque: {self.summary}"


#: Every concrete event class, for documentation and exhaustiveness tests.
EVENT_CLASSES: tuple[type[Event], ...] = (
    CreateSchema,
    CreateExtension,
    RoleStatement,
    CreateEnum,
    AddEnumValue,
    RenameEnumValue,
    CreateCompositeType,
    CreateDomain,
    AlterDomain,
    CreateRangeType,
    CreateTable,
    TableIfExists,
    AddColumn,
    DropColumn,
    RenameColumn,
    AlterColumnType,
    SetColumnDefault,
    SetColumnNotNull,
    SetColumnIdentity,
    SetIdentityGeneration,
    AddConstraint,
    DropConstraint,
    ValidateConstraint,
    SetRowSecurity,
    AttachPartition,
    DetachPartition,
    Inherit,
    CreateIndex,
    CreateSequence,
    AlterSequence,
    CreateView,
    RefreshMaterializedView,
    CreateFunction,
    CreateTrigger,
    CreatePolicy,
    AlterPolicy,
    Drop,
    Rename,
    SetOwner,
    SetSchema,
    Comment,
    Grant,
    GrantOnAll,
    DefaultPrivileges,
    SetSearchPath,
    SessionStatement,
    Insert,
    Update,
    Delete,
    Truncate,
    SetSequenceValue,
    Opaque,
)


class _CallableModule(types.ModuleType):
    """``schemafold.events`` is this module (the vocabulary, ``from schemafold import events as
    ev``) and, called, the public ``events()`` (``schemafold.api.events``): the events of a
    history with their provenance. A module and a function cannot share the package's name
    otherwise: ``from schemafold import events`` asks the package for the attribute first."""

    def __call__(self, source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
                 **options: Any) -> ParseResult:
        from schemafold.api import events

        return events(source, **options)


sys.modules[__name__].__class__ = _CallableModule
