"""The net schema: immutable objects, keyed by their identity in the database.

Owns: the shape of a schema as folding sees it. Every object is a frozen attrs class; a ``Schema``
maps keys to objects, and two schemas compare with ``==``. Objects keep the text the history wrote
(types, defaults, expressions, bodies) and both the resolved name (``name``, always
schema-qualified) and the name as written (``written``, unqualified where the history wrote it so).

Must not know: SQL parsing, events, databases, rendering.

Keys (``Key``) are ``kinds.ObjectKey`` values: ``ObjectKey.of(ObjectKind.TABLE, schema, name)``
and so on (kinds.py says how each kind's key is laid out); relations (tables, views, materialized
views, sequences, indexes) and types share one namespace per schema, as in pg_class and pg_type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Union

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.events import Column, Constraint, IndexElement, SequenceOptions
from schemafold.fragment import Fragment, fragment, fragment_or_none
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.names import QName

Key = ObjectKey
#: A node of the dependency graph, or of a rendering's tags: an object's key, or a tuple naming a
#: part of one (``("fk", table_key, name)``, ``("data", key)``, ``("kept", ordinal)``...).
Node = tuple[Any, ...]


@attrs.frozen(kw_only=True)
class Privilege:
    """One grant: ``grantee`` holds ``privilege`` (upper case) on the object, or on ``column``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    grantee: str
    privilege: str
    column: str | None = None
    grant_option: bool = False
    revoke: bool = False  # a REVOKE that takes away a default (e.g. EXECUTE from PUBLIC)


@attrs.frozen(kw_only=True)
class Owned:
    """What every object carries besides its definition: owner, comment, privileges, and the
    ordinal of the event that created it (ties in the output order are broken by it)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    owner: str | None = None
    comment: str | None = None
    acl: tuple[Privilege, ...] = ()
    created: int = 0
    external: bool = False


@attrs.frozen(kw_only=True)
class SchemaObj(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: str

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.SCHEMA, None, self.name)


@attrs.frozen(kw_only=True)
class Extension(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: str
    schema: str | None = None
    version: str | None = None
    cascade: bool = False  # CREATE EXTENSION ... CASCADE: installs what it requires too

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.EXTENSION, None, self.name)


@attrs.frozen(kw_only=True)
class Role(Owned):
    """A role the history created; ``statements`` are its CREATE/ALTER statements, in order.
    ``dropped``: the history drops it, but a statement kept verbatim names it: the
    consolidation creates it, and drops it at its end."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    name: str
    statements: tuple[str, ...] = ()
    dropped: bool = False

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.ROLE, None, self.name)


@attrs.frozen(kw_only=True)
class ModelColumn:
    """A column of a table: the declaration, plus what later statements changed."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    column: Column  # type/default/identity as (re)written; .constraints is always ()
    comment: str | None = None
    serial_sequence: QName | None = None  # the implicit sequence of a serial column, while intact
    created: int = 0
    inherited: bool = False  # given by a parent (PARTITION OF, INHERITS), not declared here
    # The name of the column's NOT NULL constraint, fixed when it became NOT NULL (PostgreSQL 18
    # names these constraints and keeps the name through renames; earlier majors ignore it).
    not_null_name: str | None = None

    @property
    def name(self) -> str:
        return self.column.name


@attrs.frozen(kw_only=True)
class TableConstraint:
    """A named table constraint. ``constraint.references`` is as written; ``target`` resolved."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    constraint: Constraint  # .name is always set
    target: QName | None = None
    comment: str | None = None
    index_comment: str | None = None  # COMMENT ON INDEX of a key's index
    created: int = 0
    parent_constraint: str | None = None  # the parent's constraint this one was cloned from
    # an inherited CHECK that is the table's own too (conislocal: the table had it before
    # ALTER TABLE ... INHERIT); it stays when the parent's goes
    also_local: bool = False

    @property
    def name(self) -> str:
        assert self.constraint.name is not None
        return self.constraint.name


@attrs.frozen(kw_only=True)
class Table(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    written: QName
    columns: tuple[ModelColumn, ...] = ()
    constraints: tuple[TableConstraint, ...] = ()
    unlogged: bool = False
    partition_by: str | None = None
    partition_of: QName | None = None
    partition_of_written: QName | None = None
    partition_bound: str | None = None
    inherits: tuple[QName, ...] = ()
    options: str | None = None
    rls_enabled: bool = False
    rls_forced: bool = False

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.TABLE, self.name.schema, self.name.name)

    def column(self, name: str) -> ModelColumn | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None

    def constraint_named(self, name: str) -> TableConstraint | None:
        for constraint in self.constraints:
            if constraint.name == name:
                return constraint
        return None

    def columns_as_inherited(self, parents: Iterable[Table]) -> bool:
        """Whether the columns read as ``CREATE TABLE ... INHERITS (parents)`` gives them:
        the parents' columns first, in their order, then the table's own."""
        order: list[str] = []
        for parent in parents:
            order.extend(c.name for c in parent.columns if c.name not in order)
        order.extend(c.name for c in self.columns if c.name not in order)
        return order == [c.name for c in self.columns]

    def all_own(self) -> bool:
        """Whether every column and every inherited CHECK is the table's own too (attislocal,
        conislocal): it can be written as itself and then ``ALTER TABLE ... INHERIT``."""
        return not any(c.inherited for c in self.columns) and all(
            c.also_local for c in self.constraints if c.parent_constraint is not None
            and c.constraint.kind == "check")


@attrs.frozen(kw_only=True)
class Index(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    table: QName
    table_written: QName
    elements: tuple[IndexElement, ...]
    unique: bool = False
    method: str | None = None
    include: tuple[str, ...] = ()
    where: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    options: str | None = None
    nulls_not_distinct: bool = False
    only: bool = False
    attached_to: QName | None = None  # the partitioned index this one is a partition of

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.INDEX, self.name.schema, self.name.name)


@attrs.frozen(kw_only=True)
class Sequence(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    written: QName
    options: SequenceOptions = SequenceOptions()
    owned_by: tuple[QName, str] | None = None  # (table, column)
    implicit: bool = False  # created by a serial column and still rendered as part of it
    identity: bool = False  # belongs to an identity column (rendered by the column)
    restart_with: int | None = None  # a position the history set explicitly
    position: int | None = None  # last value after tracked inserts / setval
    unlogged: bool = False
    #: the history set its position (``setval``, ``RESTART``): reproduced as set, even behind
    #: its column. How it got there, not a property of the database: not compared.
    set_explicitly: bool = attrs.field(default=False, eq=False)

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.SEQUENCE, self.name.schema, self.name.name)


@attrs.frozen(kw_only=True)
class View(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    written: QName
    query: Fragment = attrs.field(converter=fragment)
    columns: tuple[str, ...] = ()
    materialized: bool = False
    with_data: bool = True
    options: str | None = None
    check_option: str | None = None
    column_comments: tuple[tuple[str, str], ...] = ()

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.VIEW, self.name.schema, self.name.name)


@attrs.frozen(kw_only=True)
class EnumType(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    written: QName
    labels: tuple[str, ...]

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.TYPE, self.name.schema, self.name.name)


@attrs.frozen(kw_only=True)
class CompositeType(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    written: QName
    attributes: tuple[Column, ...]

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.TYPE, self.name.schema, self.name.name)


@attrs.frozen(kw_only=True)
class Domain(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    written: QName
    base_type: str
    default: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    not_null: bool = False
    #: the name PostgreSQL 17 and later give the NOT NULL when it is set (``<domain>_not_null``
    #: of the domain's name then): a rename keeps it; None for the current name's
    not_null_name: str | None = None
    collation: str | None = None
    checks: tuple[Constraint, ...] = ()
    check_comments: tuple[tuple[str, str], ...] = ()  # COMMENT ON CONSTRAINT c ON DOMAIN d

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.TYPE, self.name.schema, self.name.name)


def standard_body_of(text: str, body: str | None, language: str | None) -> str | None:
    """The SQL-standard body (``BEGIN ATOMIC ... END`` or ``RETURN expr``) of a routine's
    statement ``text`` whose body is ``body``, as written, or None (a body in a string, or
    none)."""
    if body is None or language not in (None, "sql"):
        return None
    if not body.lstrip()[:6].upper().startswith(("BEGIN", "RETURN")):
        return None
    if not text.rstrip().rstrip(";").rstrip().endswith(body.rstrip().rstrip(";")):
        return None
    return body


def routine_head(text: str, body: str | None, language: str | None) -> str:
    """A routine's statement up to its SQL-standard body (a string body is one token)."""
    standard = standard_body_of(text, body, language)
    return text if standard is None else text[:text.rfind(standard)]


@attrs.frozen(kw_only=True)
class RangeType(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: QName
    written: QName
    subtype: str
    options: str

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.TYPE, self.name.schema, self.name.name)


@attrs.frozen(kw_only=True)
class Function(Owned):
    """A function or procedure, rendered from ``text`` (the CREATE statement as written)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    name: QName
    written: QName
    arg_types: tuple[str, ...]
    text: Fragment = attrs.field(converter=fragment)
    procedure: bool = False
    #: the types of every argument, OUT ones too (None: the input ones, ``arg_types``)
    all_arg_types: tuple[str, ...] | None = None
    returns_trigger: bool = False
    language: str | None = None
    body: Fragment | None = attrs.field(default=None, converter=fragment_or_none)

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.FUNCTION, self.name.schema, self.name.name,
                            signature=self.arg_types)

    def standard_body(self) -> str | None:
        """The SQL-standard body (``BEGIN ATOMIC ... END`` or ``RETURN expr``) of a ``LANGUAGE
        sql`` routine, as written, or None (a body in a string, or none). PostgreSQL parses such
        a body at creation and records what it reads, as for a view: it follows renames and
        moves of those objects and is dropped by ``CASCADE`` with them."""
        return standard_body_of(str(self.text), self.body, self.language)

    def with_body(self, body: str) -> Function:
        """The routine with its SQL-standard body replaced by ``body`` (in its text too)."""
        assert self.body is not None
        at = self.text.rfind(self.body)
        return attrs.evolve(self, body=body,
                            text=self.text[:at] + body + self.text[at + len(self.body):])


@attrs.frozen(kw_only=True)
class Trigger(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: str
    table: QName
    table_written: QName
    function: QName  # resolved
    function_written: QName
    timing: str
    events: str
    for_each_row: bool = False
    when: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    function_args: str = ""
    constraint: bool = False
    deferral: str | None = None
    referencing: str | None = None
    from_table: QName | None = None  # constraint triggers: FROM the referenced table (as written)

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.TRIGGER, self.table.schema, self.name, table=self.table.name)


@attrs.frozen(kw_only=True)
class Policy(Owned):
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: str
    table: QName
    table_written: QName
    permissive: bool = True
    command: str = "ALL"
    roles: tuple[str, ...] = ()
    using: Fragment | None = attrs.field(default=None, converter=fragment_or_none)
    check: Fragment | None = attrs.field(default=None, converter=fragment_or_none)

    def key(self) -> Key:
        return ObjectKey.of(ObjectKind.POLICY, self.table.schema, self.name, table=self.table.name)


@attrs.frozen(kw_only=True)
class Row:
    """A row the fold tracked: column name to literal text, in the table's column order."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    values: tuple[tuple[str, str], ...]


@attrs.frozen(kw_only=True)
class KeptStatement:
    """A statement kept verbatim (opaque, or data folding could not evaluate), with what it
    reads, in history order. ``touches``: the objects the fold follows that it may change (a
    barrier's writes, the subjects of a statement kept after one): what the history did to
    their comments, owner and privileges before it is written before it."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    text: Fragment = attrs.field(converter=fragment)
    file: str
    line: int
    ordinal: int
    reads: tuple[Key, ...] = ()
    data: bool = False
    in_transaction: bool = True
    touches: tuple[Key, ...] = ()


SchemaObject = Union[  # noqa: UP007 (a runtime alias, read by isinstance users)
    SchemaObj,
    Extension,
    Role,
    Table,
    Index,
    Sequence,
    View,
    EnumType,
    CompositeType,
    Domain,
    RangeType,
    Function,
    Trigger,
    Policy,
]


@attrs.frozen(kw_only=True)
class Schema:
    """The net schema: objects by key, tracked rows by table key, statements kept verbatim, and
    default privileges (rendered after everything)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    objects: Mapping[Key, SchemaObject] = attrs.field(factory=dict)
    rows: Mapping[Key, tuple[Row, ...]] = attrs.field(factory=dict)
    kept: tuple[KeptStatement, ...] = ()
    default_privileges: tuple[str, ...] = ()  # ALTER DEFAULT PRIVILEGES statements, as written
    #: External objects (``--setup``, and the built-in ``public`` schema) as they were before the
    #: history ran: the history's changes to their owner, comments and privileges are rendered
    #: as the difference from these.
    external_baseline: Mapping[Key, SchemaObject] = attrs.field(factory=dict)
    #: Objects a statement kept verbatim renames or moves (or whose table or schema it does),
    #: each with the ordinal of the kept statement their comments, owner and grants are
    #: rendered before (the first after the last statement the fold followed on them), under
    #: the names they have there, instead of after every kept statement.
    metadata_before_kept: Mapping[Key, int] = attrs.field(factory=dict)
    #: (table, column) of identity and serial columns statements kept verbatim made: their
    #: sequences, which the model does not hold, are brought level after the kept statements
    kept_identities: tuple[tuple[QName, str], ...] = ()

    def get(self, key: Node) -> SchemaObject | None:
        """The object keyed ``key``; None for another key or a graph node that is not a key."""
        found: SchemaObject | None = self.objects.get(key)  # type: ignore[call-overload]
        return found

    def __iter__(self) -> Iterator[SchemaObject]:
        return iter(self.objects.values())

    def of_kind(self, kind: str) -> list[SchemaObject]:
        return [obj for key, obj in self.objects.items() if key.kind == kind]

    def tables(self) -> list[Table]:
        return [obj for obj in self.objects.values() if isinstance(obj, Table)]
