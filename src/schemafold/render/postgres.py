"""Rendering a net schema as PostgreSQL SQL, in pg_dump's phases.

Owns: turning model objects back into statements — pre-data (roles, schemas, extensions, types,
sequences, functions, tables, views, in the plan's order), data (tracked rows, sequence
positions, data statements kept verbatim) and post-data (constraints, indexes, foreign keys,
triggers, row level security, policies, sequence ownership, kept statements, comments, owners,
grants, default privileges). Every name is written as the history wrote it, and every
expression, query and body is the text the model keeps: nothing goes through sqlglot's generator.

Must not know: files, layouts or migration tools (a later step splits ``render_statements`` into
files), how the schema was folded, databases. The order of objects comes from ``order``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Iterator
from typing import TypeVar

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError
from schemafold.events import SequenceOptions
from schemafold.fragment import fragment
from schemafold.implicit_names import make_object_name
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Index,
    KeptStatement,
    Key,
    ModelColumn,
    Node,
    Policy,
    RangeType,
    Role,
    Row,
    Schema,
    SchemaObj,
    SchemaObject,
    Sequence,
    Table,
    TableConstraint,
    Trigger,
    View,
)
from schemafold.names import SERIAL_TYPES, QName, canonical_type, quote_ident
from schemafold.names import quote_literal as literal
from schemafold.order import Dependencies, DependencyOrder, dependency_order, fk_node
from schemafold.parse.postgres.session import sets_constraints
from schemafold.parse.splitter import copy_blocks
from schemafold.parse.tokens import TokenType, tokenize, word
from schemafold.positions import fed_column, positions_set, same_relation
from schemafold.rewrite import without_concurrently

__all__ = [
    "PHASES",
    "PREAMBLE",
    "Statement",
    "TaggedStatement",
    "add_check",
    "add_column",
    "render_schema",
    "render_statements",
    "render_tagged",
    "tail_catch_up",
]

#: What every rendered script (and file) starts with, as pg_dump's do.
PREAMBLE = "SET check_function_bodies = false;"
PHASES = ("pre-data", "data", "post-data")

#: (phase, key of the object the statement belongs to, the statement ending with ";")
Statement = tuple[str, Node, str]
#: (phase, the renderer's step that made it, key, statement)
TaggedStatement = tuple[str, str, Node, str]

_Objects = list[tuple[Key, SchemaObject]]

_SERIALS = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}
_ROLE_KEYWORDS = {"public", "current_user", "current_role", "session_user"}


def render_schema(schema: Schema) -> str:
    """One script that builds ``schema``: the preamble, then every statement, each ending with
    ``;`` and separated by a blank line."""
    parts = [PREAMBLE] + [sql for _, _, sql in render_statements(schema)]
    return "\n\n".join(parts) + "\n"


def render_statements(schema: Schema, order: DependencyOrder | None = None
                      ) -> list[Statement]:
    """Every statement building ``schema``, in order, with its phase and the key it belongs to.

    Keys are object keys; a foreign key's is the order's ``("fk", table_key, name)``; a kept
    statement's ``("kept", ordinal)``; a default privilege's ``("default privileges", index)``;
    the ``DROP ROLE`` of a role dropped at the end (``Role.dropped``) ``("dropped role", name)``.
    Objects marked ``external`` are not rendered (they come from the user's setup, or, like the
    ``public`` schema, always exist); what the history changed of their comments, owner and
    privileges is (``COMMENT``, ``ALTER ... OWNER TO``, ``GRANT``/``REVOKE``), from the
    difference with ``schema.external_baseline``. ``order``: ``schema``'s dependency order when
    the caller has it already (``order.dependency_order``), else it is computed here.
    """
    if order is None:
        order = dependency_order(schema)
    return [(phase, key, sql) for phase, _, key, sql in render_tagged(schema, order)]


def render_tagged(
    schema: Schema,
    order: DependencyOrder,
    *,
    held_columns: Collection[tuple[Key, str]] = (),
    held_checks: Collection[tuple[Key, str]] = (),
) -> list[TaggedStatement]:
    """``render_statements`` with the step that made each statement (``pre_data``, ``data``,
    ``key_constraints``, ``indexes``, ``not_valid_checks``, ``row_security``, ``comments``...).

    ``order`` is ``schema``'s dependency order (``order.dependency_order``), computed once by
    the caller and shared with the file planner: the renderer does not build the graph.
    ``held_columns`` and ``held_checks`` name (table key, column or CHECK name) pairs left out of
    their ``CREATE TABLE``: a layout adds them later with :func:`add_column` and
    :func:`add_check`.
    """
    if not order.fits(schema):
        raise ValueError("render_tagged: the order was computed for other objects")
    ordered = order.keys
    objects = [(key, obj) for key in ordered if (obj := schema.objects[key]) and not obj.external]
    external = [(key, obj) for key in ordered if (obj := schema.objects[key]) and obj.external]
    out: list[TaggedStatement] = []
    renderer = _Renderer(schema, held_columns=held_columns, held_checks=held_checks)
    for key, obj in objects:
        out.extend(("pre-data", "pre_data", k, sql) for k, sql in renderer.pre_data(key, obj))
    out.extend(("data", "data", k, sql) for k, sql in renderer.data(objects))
    out.extend(
        ("post-data", tag, k, sql) for tag, k, sql in renderer.post_data(objects, external)
    )
    return out


def add_column(schema: Schema, table: Table, name: str) -> str:
    """``ALTER TABLE t ADD COLUMN ...``: the column ``name`` as ``CREATE TABLE`` would declare
    it."""
    column = table.column(name)
    assert column is not None, name
    declared = _Renderer(schema).column(table, column)
    return f"ALTER TABLE {table.written.sql()} ADD COLUMN {declared};"


def add_check(table: Table, name: str) -> str:
    """``ALTER TABLE t ADD CONSTRAINT c CHECK (...)``: a table's (valid) CHECK constraint."""
    constraint = table.constraint_named(name)
    assert constraint is not None and constraint.constraint.kind == "check", name
    c = constraint.constraint
    no_inherit = " NO INHERIT" if c.no_inherit else ""
    return (
        f"ALTER TABLE {table.written.sql()} ADD CONSTRAINT {quote_ident(name)} "
        f"CHECK {parens(c.expression or '')}{no_inherit};"
    )


# ---------------------------------------------------------------------------------------------
# Small pieces of SQL


def terminate(text: str) -> str:
    """A statement as written, ending with exactly one ``;`` (trailing comments dropped); a
    ``COPY ... FROM stdin`` with its rows ends with its ``\\.`` line."""
    stripped = text.strip()
    if stripped[:4].upper() == "COPY" and any(
            b.statement == 0 for b in copy_blocks(stripped + "\n")):
        return stripped
    # the statement's own tokens (a kept statement's or a routine's text is a fragment, read
    # once); the tokenizer rejects little, but be safe anyway
    tokens = fragment(text).tokens_or_none()
    if tokens:
        last = tokens[-1]
        end = last.end + 1 - (len(text) - len(text.lstrip()))
        if last.token_type == TokenType.SEMICOLON:
            return stripped[:end]
        return stripped[:end] + ";"
    return stripped if stripped.endswith(";") else stripped + ";"


def unwritable_not_null_names(schema: Schema) -> list[tuple[Key, str]]:
    """(child table, column): NOT NULL constraints of inheritance children (not partitions) on
    a column their parents give whose name, kept by PostgreSQL 18 through renames and a
    parent's later NOT NULL, no consolidation that also runs on 15 can give (18 writes them
    ``CONSTRAINT name NOT NULL col``, which 15 refuses). The fold keeps the history as written
    from the statement that made such a name (``schemafold.tail``)."""
    renderer = _Renderer(schema)
    for key, obj in schema.objects.items():
        if isinstance(obj, Table) and obj.inherits and obj.partition_of is None \
                and not obj.external:
            shape = renderer.inheritance(obj)
            renderer._check_inherited_not_null_names(key, obj, shape.givers, shape.inherited)
    return sorted(set(renderer.unwritable_not_nulls), key=repr)


@attrs.frozen
class _Inheritance:
    """How a table is written with respect to its parents: ``as_partition`` (created
    ``PARTITION OF`` its parent rather than as a table then attached), ``givers`` (the parents
    whose columns and CHECKs it is given at creation, not declared again), ``inherit_after``
    (written as a table with all its own columns, then made a child by ``ALTER TABLE ...
    INHERIT``) and ``inherited`` (the columns the givers give and it does not declare)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    as_partition: bool
    givers: list[Table]
    inherit_after: bool
    inherited: set[str]


def _not_null_state(column: ModelColumn) -> tuple[bool, str | None]:
    """Whether the column is NOT NULL, and the constraint's name (PostgreSQL 18's)."""
    wanted = column.column.not_null or column.column.identity is not None
    return wanted, column.not_null_name if wanted else None


def _late_not_nulls(schema: Schema) -> dict[tuple[Key, str], Key]:
    """(parent, column) -> child: an INHERITS child's NOT NULL of its own on a column it only
    inherits, made before its parent's (PostgreSQL 18.6 keeps it under the child's name, its
    own and inherited). ``CREATE TABLE ... INHERITS`` would give it the parent's name, so the
    parent's column is written nullable and, after the child, ``ALTER TABLE ONLY child ...
    SET NOT NULL`` then ``ALTER TABLE parent ... SET NOT NULL`` (as the history did; 15 ends
    the same). Only where both names are the ones these statements give, the child has no
    children, no other child of the parent needs the same, and the parent's NOT NULL is its
    column's alone (no key or identity)."""
    found: dict[tuple[Key, str], Key] = {}
    crowded: set[tuple[Key, str]] = set()
    has_children = {name for obj in schema.objects.values() if isinstance(obj, Table)
                    for name in obj.inherits}
    for key, child in schema.objects.items():
        if not isinstance(child, Table) or not child.inherits or child.partition_of is not None:
            continue
        for column in child.columns:
            name = column.not_null_name
            if not column.inherited or not column.column.not_null or name is None \
                    or name != make_object_name(child.name.name, column.name, "not_null"):
                continue
            for parent_name in child.inherits:
                parent = schema.objects.get(ObjectKey.of(
                    ObjectKind.TABLE, parent_name.schema or child.name.schema, parent_name.name))
                source = parent.column(column.name) if isinstance(parent, Table) else None
                if not isinstance(parent, Table) or source is None \
                        or not source.column.not_null or source.not_null_name == name:
                    continue
                where = (parent.key(), column.name)
                if child.name in has_children or where in found or parent.partition_of \
                        or parent.partition_by or source.not_null_name != make_object_name(
                            parent.name.name, column.name, "not_null") \
                        or source.column.identity or source.serial_sequence is not None \
                        or any(c.constraint.kind == "primary key"
                               and column.name in c.constraint.columns
                               for c in parent.constraints):
                    crowded.add(where)
                    continue
                found[where] = key
    return {where: key for where, key in found.items() if where not in crowded}


def _not_nulls_as_parent(table: Table, parent: Table) -> bool:
    """Whether each column of the partition ``table`` is NOT NULL exactly where its parent's is,
    under the parent's constraint name: what ``CREATE TABLE ... PARTITION OF`` gives."""
    for column in table.columns:
        source = parent.column(column.name)
        if source is None or _not_null_state(column) != _not_null_state(source):
            return False
    return True


def _wrapped(text: str) -> bool:
    """True when the outer parentheses of ``text`` enclose all of it: ``(a) OR (b)`` is not."""
    t = text.strip()
    if not (t.startswith("(") and t.endswith(")")):
        return False
    depth = 0
    quote: str | None = None
    for i, ch in enumerate(t):
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in ("'", '"'):
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and i != len(t) - 1:
                return False
    return depth == 0


def parens(text: str) -> str:
    """``(text)``, unless ``text`` is already one parenthesised group."""
    t = text.strip()
    return t if _wrapped(t) else f"({t})"


#: Words of an ``a_expr`` that a column's or a domain's ``DEFAULT`` (a ``b_expr`` in PostgreSQL's
#: grammar) cannot hold bare: ``DEFAULT now() AT TIME ZONE 'utc'`` is a syntax error, and
#: ``DEFAULT 'x'::text COLLATE "C"`` gives the column the collation.
_NOT_IN_B_EXPR = frozenset({
    "AND", "OR", "NOT", "IS", "ISNULL", "NOTNULL", "LIKE", "ILIKE", "SIMILAR", "IN", "BETWEEN",
    "AT", "COLLATE", "OVERLAPS",
})


def default_expression(text: str) -> str:
    """A default as a column definition or ``CREATE DOMAIN`` may write it: parenthesised when it
    has a word only a full expression may (``ALTER ... SET DEFAULT`` takes any expression)."""
    try:
        tokens = tokenize(text)
    except Exception:  # noqa: BLE001 - unreadable: parentheses are always right
        return parens(text)
    if any(word(t) in _NOT_IN_B_EXPR for t in tokens):
        return parens(text)
    return text


def role_name(name: str) -> str:
    """A grantee or policy role: PUBLIC and CURRENT_USER & co. bare, others quoted as needed."""
    if name.lower() in _ROLE_KEYWORDS:
        return name.upper()
    return quote_ident(name)


def _columns(names: Iterable[str]) -> str:
    return "(" + ", ".join(quote_ident(n) for n in names) + ")"


def _prefixed(text: str, keyword: str) -> str:
    """``text`` starting with ``keyword`` (added when the model kept the clause without it)."""
    t = text.strip()
    return t if t.upper().startswith(keyword) else f"{keyword} {t}"


def sequence_options(options: SequenceOptions) -> str:
    """``AS t INCREMENT BY n ...``: only the options that were given."""
    parts: list[str] = []
    if options.as_type:
        parts.append(f"AS {options.as_type}")
    if options.increment is not None:
        parts.append(f"INCREMENT BY {options.increment}")
    if options.no_minvalue:
        parts.append("NO MINVALUE")
    elif options.minvalue is not None:
        parts.append(f"MINVALUE {options.minvalue}")
    if options.no_maxvalue:
        parts.append("NO MAXVALUE")
    elif options.maxvalue is not None:
        parts.append(f"MAXVALUE {options.maxvalue}")
    if options.start is not None:
        parts.append(f"START WITH {options.start}")
    if options.cache is not None:
        parts.append(f"CACHE {options.cache}")
    if options.cycle is not None:
        parts.append("CYCLE" if options.cycle else "NO CYCLE")
    return " ".join(parts)


def _indent(lines: list[str]) -> str:
    return ",\n".join("    " + line for line in lines)


def _keys_views_group_by(schema: Schema) -> dict[Key, Table]:
    """Tables whose primary key is created with the table, before the views: those a view with
    ``GROUP BY`` reads. PostgreSQL checks at creation that a view selecting columns it does not
    group by groups by the primary key of their table (a functional dependency), so the key must
    exist before the view, not in post-data. (Not for partitioned tables and partitions, whose
    keys go with the partition tree.)"""
    deps = Dependencies(schema)
    found: dict[Key, Table] = {}
    for obj in schema.objects.values():
        if not isinstance(obj, View) or not _GROUP_BY.search(obj.query):
            continue
        for key in deps.reads(obj.query, obj.name.schema):
            table = schema.objects.get(key)
            if (isinstance(table, Table) and not table.external and table.partition_by is None
                    and table.partition_of is None and any(
                        c.constraint.kind == "primary key" and c.constraint.columns
                        for c in table.constraints)):
                found[key] = table
    return found


_GROUP_BY = re.compile(r"(?i)\bgroup\s+by\b")


# ---------------------------------------------------------------------------------------------
# The renderer


class _Renderer:
    def __init__(
        self,
        schema: Schema,
        *,
        held_columns: Collection[tuple[Key, str]] = (),
        held_checks: Collection[tuple[Key, str]] = (),
    ) -> None:
        self.schema = schema
        self.held_columns = frozenset(held_columns)
        self.held_checks = frozenset(held_checks)
        self.identity_sequences: dict[tuple[str | None, str, str], Sequence] = {}
        for obj in schema.objects.values():
            if isinstance(obj, Sequence) and obj.identity and obj.owned_by is not None:
                table, column = obj.owned_by
                where = (table.schema or obj.name.schema, table.name, column)
                self.identity_sequences[where] = obj
        self.type_names = {
            key.name for key in schema.objects if key.kind in (ObjectKind.TYPE, ObjectKind.TABLE,
                                                               ObjectKind.VIEW)
        }
        self.late_not_nulls = _late_not_nulls(schema)
        self._before_kept: dict[Key, int] | None = None
        #: (child, column) pairs no statement valid on every major names right (see
        #: _check_inherited_not_null_names)
        self.unwritable_not_nulls: list[tuple[Key, str]] = []
        self.early_keys = frozenset(
            key for key, table in _keys_views_group_by(schema).items()
            if not any((key, column) in self.held_columns
                       for c in table.constraints for column in c.constraint.columns)
        )

    # -- names --------------------------------------------------------------------------------

    def relation(self, name: QName) -> str:
        """A table or view named by a resolved (or written) name, as the history wrote it."""
        if name.schema is not None:
            for kind in (ObjectKind.TABLE, ObjectKind.VIEW):
                obj = self.schema.objects.get(ObjectKey.from_tuple((kind, name.schema, name.name)))
                if isinstance(obj, (Table, View)):
                    return obj.written.sql()
        return name.sql()

    def arg_type(self, text: str) -> str:
        """A canonical argument type as SQL: user type names quoted as needed."""
        base = text
        suffix = ""
        while base.endswith("[]"):
            base, suffix = base[:-2], suffix + "[]"
        parts = base.split(".")
        if parts[-1] in self.type_names:
            return ".".join(quote_ident(p) for p in parts) + suffix
        return text

    def signature(self, function: Function) -> str:
        args = ", ".join(self.arg_type(t) for t in function.arg_types)
        return f"{function.written.sql()}({args})"

    def index_name(self, index: Index) -> str:
        return QName(index.table_written.schema, index.name.name).sql()

    # -- serial and identity columns ------------------------------------------------------

    def sequence_of(self, table: Table, name: QName) -> Sequence | None:
        found = self.schema.objects.get(ObjectKey.of(ObjectKind.SEQUENCE,
                                                     name.schema or table.name.schema, name.name))
        return found if isinstance(found, Sequence) else None

    def serial_form(self, table: Table, column: ModelColumn) -> bool:
        """True when ``serial`` recreates this column's sequence exactly: the name PostgreSQL
        will choose (no other relation can hold it: names only ever get added), its type, and
        the default that serial writes."""
        seq_name = column.serial_sequence
        if seq_name is None:
            return False
        base = canonical_type(column.column.type)
        if base not in _SERIALS:
            return False
        if seq_name.schema not in (None, table.name.schema):
            return False
        if seq_name.name != make_object_name(table.name.name, column.name, "seq"):
            return False
        sequence = self.sequence_of(table, seq_name)
        if sequence is not None and sequence.options.as_type is not None:
            return canonical_type(sequence.options.as_type) == base
        return True

    def identity_sequence(self, table: Table, column: ModelColumn) -> Sequence | None:
        return self.identity_sequences.get((table.name.schema, table.name.name, column.name))

    # -- pre-data -----------------------------------------------------------------------------

    def pre_data(self, key: Key, obj: SchemaObject) -> Iterator[tuple[Node, str]]:
        if isinstance(obj, Role):
            for statement in obj.statements:
                yield key, terminate(statement)
        elif isinstance(obj, SchemaObj):
            if obj.name != "public":
                owner = f" AUTHORIZATION {role_name(obj.owner)}" if obj.owner else ""
                yield key, f"CREATE SCHEMA {quote_ident(obj.name)}{owner};"
        elif isinstance(obj, Extension):
            sql = f"CREATE EXTENSION IF NOT EXISTS {quote_ident(obj.name)}"
            if obj.schema:
                sql += f" WITH SCHEMA {quote_ident(obj.schema)}"
            if obj.version:
                version = obj.version
                sql += f" VERSION {version if version.startswith(chr(39)) else literal(version)}"
            if obj.cascade:
                sql += " CASCADE"  # installs what it requires, as in the history
            yield key, sql + ";"
        elif isinstance(obj, EnumType):
            labels = ", ".join(literal(label) for label in obj.labels)
            yield key, f"CREATE TYPE {obj.written.sql()} AS ENUM ({labels});"
        elif isinstance(obj, CompositeType):
            attributes = [
                f"{quote_ident(a.name)} {a.type}"
                + (f" COLLATE {a.collation}" if a.collation else "")
                for a in obj.attributes
            ]
            body = f"(\n{_indent(attributes)}\n)" if attributes else "()"
            yield key, f"CREATE TYPE {obj.written.sql()} AS {body};"
        elif isinstance(obj, Domain):
            yield key, self.domain(obj)
        elif isinstance(obj, RangeType):
            yield key, f"CREATE TYPE {obj.written.sql()} AS RANGE {parens(obj.options)};"
        elif isinstance(obj, Sequence):
            yield from self.sequence(key, obj)
        elif isinstance(obj, Function):
            yield key, terminate(obj.text)
        elif isinstance(obj, Table):
            yield from self.table(key, obj)
        elif isinstance(obj, View):
            yield key, self.view(obj)

    def domain(self, domain: Domain) -> str:
        sql = f"CREATE DOMAIN {domain.written.sql()} AS {domain.base_type}"
        if domain.collation:
            sql += f" COLLATE {domain.collation}"
        if domain.default is not None:
            sql += f" DEFAULT {default_expression(domain.default)}"
        if domain.not_null:
            named = domain.not_null_name
            # PostgreSQL 17 and later keep the NOT NULL's name through a rename (15 and 16
            # give a domain's NOT NULL no name, and take one written)
            if named is not None and named != make_object_name(domain.name.name, None,
                                                               "not_null"):
                sql += f" CONSTRAINT {quote_ident(named)}"
            sql += " NOT NULL"
        for check in domain.checks:
            if check.not_valid:
                continue  # added in post-data, NOT VALID
            name = f"CONSTRAINT {quote_ident(check.name)} " if check.name else ""
            sql += f"\n    {name}CHECK {parens(check.expression or '')}"
        return sql + ";"

    def sequence(self, key: Key, sequence: Sequence) -> Iterator[tuple[Node, str]]:
        options = sequence_options(sequence.options)
        if sequence.identity:
            # A type other than its column's (LIKE ... INCLUDING IDENTITY makes a bigint one)
            # cannot be said in the column's identity options: set afterwards, with the bounds.
            table = self.owning_table(sequence)
            column = table.column(sequence.owned_by[1]) if table and sequence.owned_by else None
            as_type = sequence.options.as_type
            if column is not None and as_type is not None and \
                    canonical_type(as_type) != canonical_type(column.column.type):
                yield key, f"ALTER SEQUENCE {sequence.written.sql()} {options};"
            return
        if sequence.implicit:
            # Created with its serial column; options changed since are applied afterwards.
            table = self.owning_table(sequence)
            column = table.column(sequence.owned_by[1]) if table and sequence.owned_by else None
            if table is None or column is None or not self.serial_form(table, column):
                return  # the table rendered it as an explicit sequence
            rest = sequence_options(attrs.evolve(sequence.options, as_type=None))
            if rest:
                yield key, f"ALTER SEQUENCE {sequence.written.sql()} {rest};"
            return
        unlogged = "UNLOGGED " if sequence.unlogged else ""
        yield (
            key,
            f"CREATE {unlogged}SEQUENCE {sequence.written.sql()}"
            + (f" {options}" if options else "")
            + ";",
        )

    def owning_table(self, sequence: Sequence) -> Table | None:
        if sequence.owned_by is None:
            return None
        name = sequence.owned_by[0]
        found = self.schema.objects.get(ObjectKey.of(ObjectKind.TABLE,
                                                     name.schema or sequence.name.schema,
                                                     name.name))
        return found if isinstance(found, Table) else None

    def column(self, table: Table, column: ModelColumn) -> str:
        c = column.column
        serial = self.serial_form(table, column)
        type_text = c.type
        if serial:
            type_text = (
                c.type if c.type.lower() in SERIAL_TYPES else _SERIALS[canonical_type(c.type)]
            )
        elif column.serial_sequence is not None and c.type.lower() in SERIAL_TYPES:
            type_text = canonical_type(c.type)
        sql = f"{quote_ident(c.name)} {type_text}"
        if c.collation:
            sql += f" COLLATE {c.collation}"
        if c.generated:
            generated = c.generated.strip()
            if generated.upper().startswith("GENERATED"):
                sql += f" {generated}"
            else:
                sql += f" GENERATED ALWAYS AS {parens(generated)} STORED"
        if c.identity:
            sql += f" GENERATED {c.identity} AS IDENTITY"
            options = self.identity_options(table, column)
            if options:
                sql += f" {parens(options)}"
        default: str | None = c.default
        if serial or c.identity or c.generated:
            default = None
        elif column.serial_sequence is not None and default is None:
            seq = QName(table.written.schema, column.serial_sequence.name).sql()
            default = f"nextval({literal(seq)}::regclass)"
        if default is not None:
            sql += f" DEFAULT {default_expression(default)}"
        # serial implies NOT NULL (the model cannot tell a dropped one: it keeps not_null as
        # declared); identity columns are NOT NULL by themselves.
        not_null = c.not_null or (column.serial_sequence is not None and not serial)
        if (table.key(), column.name) in self.late_not_nulls:
            return sql  # made NOT NULL after its child's own (_late_not_nulls)
        named = self.not_null_name(table, column)
        if named is not None:
            sql += f" CONSTRAINT {quote_ident(named)} NOT NULL"
        elif not_null and not c.identity:
            sql += " NOT NULL"
        return sql

    def _check_inherited_not_null_names(self, key: Key, table: Table, givers: list[Table],
                                        inherited: set[str]) -> None:
        """Note in ``unwritable_not_nulls`` each NOT NULL of an inheritance child, on a column
        its parents give, whose PostgreSQL 18 name the statements below do not give: ``CREATE
        TABLE ... INHERITS`` gives the parent's name, ``ALTER TABLE ONLY child ... SET NOT
        NULL`` the child's default one; any other name needs 18's ``CONSTRAINT name NOT NULL
        col``, which 15 refuses (see :func:`unwritable_not_null_names`)."""
        if table.partition_of is not None:
            return
        for column in table.columns:
            name = column.not_null_name
            if column.name not in inherited or not _not_null_state(column)[0] or name is None:
                continue
            if any(child == key and late == column.name
                   for (_, late), child in self.late_not_nulls.items()):
                continue  # the child's own first, then the parent's (_late_not_nulls)
            given = {source.not_null_name for p in givers if p.name in table.inherits
                     if (source := p.column(column.name)) is not None
                     and _not_null_state(source)[0]}
            if given:
                writable = len(given) == 1 and name in given
            else:
                writable = name == make_object_name(table.name.name, column.name, "not_null")
            if not writable:
                self.unwritable_not_nulls.append((key, column.name))

    @staticmethod
    def not_null_name(table: Table, column: ModelColumn) -> str | None:
        """The NOT NULL constraint's name when PostgreSQL 18 would not give it by itself here:
        it was fixed under an earlier table or column name, or numbered on a collision. Older
        majors accept and ignore the name."""
        name = column.not_null_name
        if name is None:
            return None
        if name == make_object_name(table.name.name, column.name, "not_null"):
            return None
        return name

    def identity_options(self, table: Table, column: ModelColumn) -> str:
        options = (column.column.identity_options or "").strip()
        if _wrapped(options):
            options = options[1:-1].strip()
        sequence = self.identity_sequence(table, column)
        if sequence is not None:
            # The fold keeps the identity's options on its sequence, with ALTER SEQUENCE's
            # changes applied; its type is the column's.
            options = sequence_options(attrs.evolve(sequence.options, as_type=None))
        if sequence is not None and sequence.name.name != make_object_name(
            table.name.name, column.name, "seq"
        ):
            # The sequence kept the name it got before a rename: name it explicitly.
            options = f"SEQUENCE NAME {sequence.written.sql()} {options}".strip()
        return options

    def inheritance(self, table: Table) -> _Inheritance:
        """How ``table`` is written with respect to its parents (see :class:`_Inheritance`)."""
        parents = self.parents(table)
        partition_parent = (
            self.table_named(table.partition_of, table) if table.partition_of is not None else None
        )
        # A partition whose columns are its parent's, in order, is created PARTITION OF it; one
        # with its own column order (attached in the history) as a table, then attached. So is
        # one whose NOT NULL constraints PARTITION OF would not give it: PostgreSQL 18 gives a
        # partition its parent's NOT NULL names and nothing else, while a table attached keeps
        # its own names and a partition may add a NOT NULL of its own.
        as_partition = table.partition_of is not None and (
            not table.columns
            or partition_parent is None
            or (
                [c.name for c in table.columns] == [c.name for c in partition_parent.columns]
                and _not_nulls_as_parent(table, partition_parent)
            )
        )
        # What a parent gives at creation is not declared again (pg_dump's attislocal): columns
        # of INHERITS parents, and the CHECKs of those and of a PARTITION OF parent. ATTACH
        # PARTITION gives nothing: the table must already have the parent's CHECKs.
        givers = [p for p in parents if p.name in table.inherits]
        # A child whose columns are not in the order INHERITS gives (parents' first), made a
        # child by ALTER TABLE ... INHERIT with all its columns and CHECKs its own too, is
        # written as a table with all of them, then made a child again the same way.
        inherit_after = bool(givers) and not table.columns_as_inherited(givers) \
            and table.all_own()
        if inherit_after:
            givers = []
        if as_partition and partition_parent is not None:
            givers.append(partition_parent)
        # a column declared here that a parent gives too (attislocal and inherited) is written
        # here as well, as pg_dump does: it survives the parent's DROP COLUMN
        inherited = {c.name for p in givers if p.name in table.inherits for c in p.columns} - {
            c.name for c in table.columns if not c.inherited}
        return _Inheritance(as_partition, givers, inherit_after, inherited)

    def table(self, key: Key, table: Table) -> Iterator[tuple[Node, str]]:
        # Serial columns whose sequence serial would not recreate get an explicit one first.
        for column in table.columns:
            if column.serial_sequence is not None and not self.serial_form(table, column):
                sequence = self.sequence_of(table, column.serial_sequence)
                as_type = canonical_type(column.column.type)
                options = sequence.options if sequence is not None else None
                if options is not None and options.as_type is None:
                    options = attrs.evolve(options, as_type=as_type)
                text = sequence_options(options) if options is not None else f"AS {as_type}"
                name = QName(table.written.schema, column.serial_sequence.name)
                seq_key = sequence.key() if sequence is not None else key
                yield seq_key, f"CREATE SEQUENCE {name.sql()} {text};"

        shape = self.inheritance(table)
        as_partition = shape.as_partition
        givers, inherit_after, inherited = shape.givers, shape.inherit_after, shape.inherited
        inherited_checks = {
            c.name
            for p in givers
            for c in p.constraints
            if c.constraint.kind == "check" and not c.constraint.no_inherit
        }
        lines = (
            []
            if as_partition
            else [
                self.column(table, c)
                for c in table.columns
                if c.name not in inherited and (key, c.name) not in self.held_columns
            ]
        )
        for constraint in table.constraints:
            c = constraint.constraint
            if c.kind != "check" or c.not_valid or (
                    constraint.name in inherited_checks and not constraint.also_local):
                continue
            if (key, constraint.name) in self.held_checks:
                continue  # added later by the layout
            no_inherit = " NO INHERIT" if c.no_inherit else ""
            lines.append(
                f"CONSTRAINT {quote_ident(constraint.name)} CHECK {parens(c.expression or '')}"
                f"{no_inherit}"
            )
        unlogged = "UNLOGGED " if table.unlogged else ""
        sql = f"CREATE {unlogged}TABLE {table.written.sql()}"
        bound = self.partition_bound(table)
        parent_name = self.partition_parent(table)
        if as_partition:
            sql += f" PARTITION OF {parent_name}"
            if lines:
                sql += f" (\n{_indent(lines)}\n)"
            sql += f"\n{bound}"
        else:
            sql += f" (\n{_indent(lines)}\n)" if lines else " (\n)"
            if table.inherits and not inherit_after:
                names = ", ".join(self.relation(p) for p in table.inherits)
                sql += f"\nINHERITS ({names})"
        if table.partition_by:
            sql += f"\n{_prefixed(table.partition_by, 'PARTITION BY')}"
        if table.options:
            sql += f"\n{table.options.strip()}"
        yield key, sql + ";"
        self._check_inherited_not_null_names(key, table, givers, inherited)
        for column in table.columns:
            if column.name in inherited and _not_null_state(column)[0] and not any(
                    _not_null_state(source)[0] for p in givers if p.name in table.inherits
                    if (source := p.column(column.name)) is not None):
                # NOT NULL on the child alone, on a column its parents give: as pg_dump writes it
                yield key, (f"ALTER TABLE ONLY {table.written.sql()} ALTER COLUMN "
                            f"{quote_ident(column.name)} SET NOT NULL;")
        for column in table.columns:
            if column.name in inherited and (line := self._own_default(table, column, givers)):
                yield key, line
            elif column.name not in inherited and column.column.default is None and (
                    line := self._own_default(table, column, givers)):
                # declared here without a default, merged with a parent's column that has one
                # (made a child by INHERIT): CREATE TABLE ... INHERITS would take the parent's
                yield key, line
        for (parent_key, late), child_key in sorted(self.late_not_nulls.items(), key=repr):
            parent_table = self.schema.objects[parent_key]
            if child_key == key and isinstance(parent_table, Table):
                yield key, (f"ALTER TABLE ONLY {table.written.sql()} ALTER COLUMN "
                            f"{quote_ident(late)} SET NOT NULL;")
                yield key, (f"ALTER TABLE {parent_table.written.sql()} ALTER COLUMN "
                            f"{quote_ident(late)} SET NOT NULL;")
        if inherit_after:
            for parent in table.inherits:
                yield key, f"ALTER TABLE {table.written.sql()} INHERIT {self.relation(parent)};"
        if table.partition_of is not None and not as_partition:
            # An attached table keeps its own column order.
            yield (
                key,
                f"ALTER TABLE ONLY {parent_name} ATTACH PARTITION {table.written.sql()} {bound};",
            )
        if key in self.early_keys:
            for constraint in table.constraints:
                if constraint.constraint.kind == "primary key":
                    yield key, self.key_constraint(table, constraint)

    def _own_default(self, table: Table, column: ModelColumn, givers: list[Table]) -> str:
        """A column the child does not declare, whose default is not what its INHERITS
        parents give it (the first parent's with one: PostgreSQL 15 and 18.6 keep a default
        per table, so a child keeps the default of a parent that later dropped the column):
        its ``ALTER TABLE ONLY ... SET/DROP DEFAULT``, as pg_dump writes it; else ""."""
        sources = [source for p in givers if p.name in table.inherits
                   if (source := p.column(column.name)) is not None]
        c = column.column
        if not sources or c.identity or c.generated or column.serial_sequence is not None \
                or any(s.serial_sequence is not None or s.column.identity
                       or s.column.generated for s in sources):
            return ""
        given = next((s.column.default for s in sources if s.column.default is not None), None)
        if c.default == given:
            return ""
        head = f"ALTER TABLE ONLY {table.written.sql()} ALTER COLUMN {quote_ident(column.name)}"
        return f"{head} DROP DEFAULT;" if c.default is None else f"{head} SET DEFAULT {c.default};"

    def table_named(self, name: QName, near: Table) -> Table | None:
        """The table ``name`` (unqualified: in ``near``'s schema)."""
        found = self.schema.objects.get(ObjectKey.of(ObjectKind.TABLE,
                                                     name.schema or near.name.schema, name.name))
        return found if isinstance(found, Table) else None

    def parents(self, table: Table) -> list[Table]:
        """The partition parent and the INHERITS parents the schema holds."""
        names = list(table.inherits)
        if table.partition_of is not None:
            names.insert(0, table.partition_of)
        return [p for name in names if (p := self.table_named(name, table)) is not None]

    def partition_parent(self, table: Table) -> str:
        if table.partition_of_written is not None:
            return table.partition_of_written.sql()
        return self.relation(table.partition_of) if table.partition_of else ""

    @staticmethod
    def partition_bound(table: Table) -> str:
        bound = (table.partition_bound or "DEFAULT").strip()
        if bound.upper().startswith(("FOR ", "DEFAULT")):
            return bound
        return f"FOR VALUES {bound}"

    def view(self, view: View) -> str:
        kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
        sql = f"CREATE {kind} {view.written.sql()}"
        if view.columns:
            sql += f" {_columns(view.columns)}"
        if view.options:
            options = view.options.strip()
            sql += " " + (
                options if options.upper().startswith("WITH") else f"WITH {parens(options)}"
            )
        query = view.query.strip().rstrip(";").rstrip()
        sql += f" AS\n{query}"
        if view.materialized:
            # As pg_dump does: populated by REFRESH once the data is loaded.
            sql += "\nWITH NO DATA"
        elif view.check_option:
            sql += f"\nWITH {view.check_option.upper()} CHECK OPTION"
        return sql + ";"

    # -- data ---------------------------------------------------------------------------------

    def data(self, objects: list[tuple[Key, SchemaObject]]) -> Iterator[tuple[Node, str]]:
        for key, obj in objects:
            rows = self.schema.rows.get(key)
            if isinstance(obj, Table) and rows:
                yield from ((key, sql) for sql in self.inserts(obj, rows))
        for key, obj in objects:
            if isinstance(obj, Sequence):
                name = literal(obj.written.sql())
                if obj.position is not None:
                    yield key, f"SELECT pg_catalog.setval({name}, {obj.position}, true);"
                elif obj.restart_with is not None:
                    yield key, f"SELECT pg_catalog.setval({name}, {obj.restart_with}, false);"
        kept_data = [k for k in sorted(self.schema.kept, key=lambda k: k.ordinal) if k.data]
        for kept in kept_data:
            yield ("kept", kept.ordinal), terminate(without_concurrently(kept.text))
        late = any(not k.data for k in self.schema.kept)
        set_by_kept = positions_set(k.text for k in kept_data)
        for key, obj in objects:
            if isinstance(obj, Sequence) and _explicitly_filled(obj, kept_data):
                if not _position_set(obj, set_by_kept):
                    yield key, _catch_up(obj)
            elif isinstance(obj, Sequence) and not late and self.level_with_rows(obj):
                # Only now: the kept statements before this draw from it where the history left
                # it (behind), as they did there. Kept statements after the data phase level
                # it themselves (kept_statements).
                if kept_data:
                    yield key, _catch_up(obj)
                else:
                    level = self.level_with_rows(obj)
                    name = literal(obj.written.sql())
                    yield key, f"SELECT pg_catalog.setval({name}, {level}, true);"
        for key, obj in objects:
            if isinstance(obj, View) and obj.materialized and obj.with_data:
                yield key, f"REFRESH MATERIALIZED VIEW {obj.written.sql()};"

    @functools.cached_property
    def _partitions(self) -> dict[Key, list[Key]]:
        """Each partitioned table's partitions, by key."""
        children: dict[Key, list[Key]] = {}
        for key, obj in self.schema.objects.items():
            if isinstance(obj, Table) and obj.partition_of is not None:
                parent = obj.partition_of
                children.setdefault(ObjectKey.of(ObjectKind.TABLE, parent.schema or
                                                 obj.name.schema, parent.name), []).append(key)
        return children

    def partition_tree(self, table: Key) -> list[Key]:
        """``table`` and its partitions, theirs in turn."""
        found: list[Key] = []
        todo = [table]
        while todo:
            key = todo.pop()
            if key not in found:
                found.append(key)
                todo.extend(self._partitions.get(key, ()))
        return found

    def level_with_rows(self, sequence: Sequence) -> int | None:
        """The largest value the tracked rows hold in the column owning ``sequence``, when the
        history left the sequence behind it (rows inserted with explicit ids: the sequence
        would next give a value the column holds); None else. The equality contract binds the
        consolidation: no sequence is behind the column it owns. A position the history set
        explicitly (``RESTART``, ``setval`` after the rows) is kept as it is. The sequence is
        brought level after every statement kept verbatim, since those may draw from it."""
        if sequence.owned_by is None or sequence.restart_with is not None \
                or sequence.set_explicitly or (sequence.options.increment or 1) < 0:
            return None
        table, column = sequence.owned_by
        values = []
        for key in self.partition_tree(ObjectKey.of(ObjectKind.TABLE, table.schema, table.name)):
            # a partition's rows are its parent's: a table with explicit ids attached to a
            # parent with an identity column leaves the parent's sequence behind them
            for row in self.schema.rows.get(key) or ():
                value = dict(row.values).get(column)
                if value is not None and value.lstrip("-").isdigit():
                    values.append(int(value))
        if not values:
            return None
        largest = max(values)
        next_value = (sequence.position + (sequence.options.increment or 1)
                      if sequence.position is not None
                      else sequence.options.start or 1)
        return largest if next_value <= largest else None

    def inserts(self, table: Table, rows: Iterable[Row]) -> Iterator[str]:
        always = {c.name for c in table.columns if (c.column.identity or "").upper() == "ALWAYS"}
        parent, seen = table, [table]
        while parent.partition_of is not None:
            # PostgreSQL 18 (asked) gives a partition its parent's identity columns: explicit
            # values in one need OVERRIDING SYSTEM VALUE there (PostgreSQL 15 ignores it)
            found = self.table_named(parent.partition_of, parent)
            if found is None or found in seen:
                break
            parent = found
            seen.append(parent)
            always.update(c.name for c in parent.columns
                          if (c.column.identity or "").upper() == "ALWAYS")
        batch: list[Row] = []
        for row in [*rows, None]:
            if batch and (row is None or _row_columns(row) != _row_columns(batch[0])):
                columns = _row_columns(batch[0])
                override = " OVERRIDING SYSTEM VALUE" if always & set(columns) else ""
                values = ",\n    ".join(
                    "(" + ", ".join(v for _, v in r.values) + ")" for r in batch
                )
                yield (
                    f"INSERT INTO {table.written.sql()} {_columns(columns)}{override} VALUES\n"
                    f"    {values};"
                )
                batch = []
            if row is not None:
                batch.append(row)

    # -- post-data ----------------------------------------------------------------------------

    def post_data(
        self, objects: _Objects, external: _Objects | None = None
    ) -> Iterator[tuple[str, Node, str]]:
        """pg_dump's post-data order: constraints, indexes, foreign keys, triggers, row level
        security, policies, sequence ownership, kept statements, then comments, owners and
        grants, the history's changes to ``external`` objects, default privileges.
        Each statement comes with the name of the step that made it."""
        steps = (
            self.key_constraints,
            self.indexes,
            self.foreign_keys,
            self.not_valid_checks,
            self.triggers,
            self.row_security,
            self.policies,
            self.sequence_ownership,
            self.kept_statements,
        )
        for step in steps:
            yield from ((step.__name__, k, sql) for k, sql in step(objects))
        for step in (self.all_comments, self.owners, self.all_grants):
            yield from ((step.__name__, k, sql) for k, sql in step(objects))
        yield from (
            ("external_changes", k, sql) for k, sql in self.external_changes(external or [])
        )
        for i, statement in enumerate(self.schema.default_privileges):
            yield "default_privileges", ("default privileges", i), terminate(statement)
        dropped = [obj for _, obj in objects if isinstance(obj, Role) and obj.dropped]
        for role in reversed(dropped):  # what the kept statements needed them for is done
            yield "dropped_roles", ("dropped role", role.name), \
                f"DROP ROLE {quote_ident(role.name)};"

    def key_constraints(
        self, objects: _Objects, *, using_index: bool = False
    ) -> Iterator[tuple[Node, str]]:
        """Primary keys, unique and exclusion constraints; those made from an existing index
        (``USING INDEX``, no columns) only with ``using_index``, once the indexes exist."""
        for key, table in self.partitions_first(_only(objects, Table)):
            for constraint in table.constraints:
                c = constraint.constraint
                if c.kind == "primary key" and key in self.early_keys:
                    continue  # with its table, before the views grouping by it
                if c.kind in ("primary key", "unique", "exclude") and using_index == bool(
                    c.using_index and not c.columns and c.kind != "exclude"
                ):
                    yield key, self.key_constraint(table, constraint)

    def indexes(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        for key, index in self.partitions_first(_only(objects, Index)):
            yield key, self.index(index)
        yield from self.key_constraints(objects, using_index=True)

    def partitions_first(self, items: Iterable[tuple[Key, _T]]) -> list[tuple[Key, _T]]:
        """Keys and indexes of partitions before their parents': a partitioned table's key or
        index then adopts those of its partitions (as pg_dump's ``ATTACH`` does) instead of
        creating them under names the history did not give."""

        def depth(obj: object) -> int:
            name = obj.table if isinstance(obj, Index) else getattr(obj, "name", None)
            seen = 0
            while isinstance(name, QName) and seen < 32:
                table = self.schema.objects.get(ObjectKey.of(ObjectKind.TABLE, name.schema,
                                                             name.name))
                if not isinstance(table, Table) or table.partition_of is None:
                    break
                name, seen = table.partition_of, seen + 1
            return seen

        listed = list(items)
        return [item for _, _, item in sorted(
            ((-depth(obj), i, (key, obj)) for i, (key, obj) in enumerate(listed)),
            key=lambda t: (t[0], t[1]))]

    def foreign_keys(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        for key, table in _only(objects, Table):
            for constraint in table.constraints:
                if constraint.constraint.kind == "foreign key":
                    yield fk_node(key, constraint.name), self.foreign_key(table, constraint)

    def not_valid_checks(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        for key, obj in objects:
            if isinstance(obj, Table):
                for constraint in obj.constraints:
                    c = constraint.constraint
                    if c.kind == "check" and c.not_valid:
                        no_inherit = " NO INHERIT" if c.no_inherit else ""
                        yield (
                            key,
                            (
                                f"ALTER TABLE {obj.written.sql()} ADD CONSTRAINT "
                                f"{quote_ident(constraint.name)} CHECK {parens(c.expression or '')}"
                                f"{no_inherit} NOT VALID;"
                            ),
                        )
            elif isinstance(obj, Domain):
                for check in obj.checks:
                    if check.not_valid:
                        name = f"CONSTRAINT {quote_ident(check.name)} " if check.name else ""
                        yield (
                            key,
                            (
                                f"ALTER DOMAIN {obj.written.sql()} ADD {name}"
                                f"CHECK {parens(check.expression or '')} NOT VALID;"
                            ),
                        )

    def triggers(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        for key, trigger in _only(objects, Trigger):
            yield key, self.trigger(trigger)

    def row_security(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        for key, table in _only(objects, Table):
            if table.rls_enabled:
                yield key, f"ALTER TABLE {table.written.sql()} ENABLE ROW LEVEL SECURITY;"
            if table.rls_forced:
                yield key, f"ALTER TABLE {table.written.sql()} FORCE ROW LEVEL SECURITY;"

    def policies(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        for key, policy in _only(objects, Policy):
            yield key, self.policy(policy)

    def sequence_ownership(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        """``OWNED BY`` for sequences not created by their column (serial recreates its own)."""
        for key, sequence in _only(objects, Sequence):
            if sequence.owned_by is None or sequence.identity:
                continue
            table = self.owning_table(sequence)
            column = table.column(sequence.owned_by[1]) if table is not None else None
            if sequence.implicit and table and column and self.serial_form(table, column):
                continue
            where = table.written.sql() if table is not None else sequence.owned_by[0].sql()
            yield (
                key,
                (
                    f"ALTER SEQUENCE {sequence.written.sql()} OWNED BY "
                    f"{where}.{quote_ident(sequence.owned_by[1])};"
                ),
            )

    def before_kept(self, objects: _Objects) -> dict[Key, int]:
        """Objects whose comments, owner and grants are written before a kept statement (by
        its ordinal) rather than after every kept statement: those it may change (``touches``:
        a kept ``ALTER TABLE t RENAME``, ``COMMENT ON``, ``OWNER TO`` or ``REVOKE`` on them;
        what the model holds of them is what the history did before it), with the indexes,
        triggers, policies and owned sequences on such a table, whose statements name it."""
        if self._before_kept is not None:
            return self._before_kept
        late = {k.ordinal for k in self.schema.kept if not k.data}
        # the fold's own anchors first (an object a kept RENAME or SET SCHEMA renames: before
        # the first kept statement after the last one the fold followed on it)
        first: dict[Key, int] = {key: ordinal for key, ordinal
                                 in self.schema.metadata_before_kept.items() if ordinal in late}
        for kept in sorted(self.schema.kept, key=lambda k: k.ordinal):
            if not kept.data:
                for key in kept.touches:
                    first.setdefault(key, kept.ordinal)
        for key, obj in objects:
            on = obj.owned_by[0] if isinstance(obj, Sequence) and obj.owned_by else (
                obj.table if isinstance(obj, Index | Trigger | Policy) else None)
            if key in first or on is None:
                continue
            schema = on.schema or getattr(obj.name, "schema", None)
            for kind in (ObjectKind.TABLE, ObjectKind.VIEW):
                ordinal = first.get(ObjectKey.of(kind, schema, on.name))
                if ordinal is not None:
                    first[key] = ordinal
        self._before_kept = first
        return first

    def late_parts(self, key: Key, obj: SchemaObject) -> Iterator[tuple[Node, str]]:
        """The comments, owner and grants of one object."""
        yield from ((key, sql) for sql in self.comments(obj))
        owner = self.owner(obj)
        if owner:
            yield key, owner
        yield from ((key, sql) for sql in self.grants(obj))

    def kept_statements(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        late = [k for k in sorted(self.schema.kept, key=lambda k: k.ordinal) if not k.data]
        before = self.before_kept(objects)
        deferring = self.may_defer_checks()
        kept_data = [k for k in self.schema.kept if k.data]
        # the history file of the last statement that may have left checks pending
        pending_from = max(kept_data, key=lambda k: k.ordinal).file if kept_data else None
        for kept in late:
            if deferring and pending_from is not None and kept.file != pending_from:
                # the history committed between them, which ran the checks still pending
                yield ("kept", kept.ordinal), "SET CONSTRAINTS ALL IMMEDIATE;"
                yield ("kept", kept.ordinal), _DEFER_AGAIN
                pending_from = None
            for key, obj in objects:
                if before.get(key) == kept.ordinal:
                    yield from self.late_parts(key, obj)
            yield ("kept", kept.ordinal), terminate(without_concurrently(kept.text))
            if _MAY_WRITE_ROWS.match(kept.text) or sets_constraints(kept.text):
                pending_from = kept.file  # checks may be pending, or deferred otherwise
        if late and self.schema.kept_identities and not any(
                _SETS_POSITION.search(k.text) for k in self.schema.kept):
            for table, column in self.schema.kept_identities:
                # with the last kept statement, in its file
                yield ("kept", late[-1].ordinal), _catch_up_column(table, column)
        set_by_kept = positions_set(k.text for k in late)
        for _, obj in objects:
            if late and isinstance(obj, Sequence) and (_explicitly_filled(obj, late)
                                                       or self.level_with_rows(obj)) \
                    and not _position_set(obj, set_by_kept):
                # with the last kept statement, in its file
                yield ("kept", late[-1].ordinal), _catch_up(obj)

    def may_defer_checks(self) -> bool:
        """Whether a constraint check may be deferred to the end of a transaction: a
        constraint the fold follows is ``INITIALLY DEFERRED``, or a statement kept verbatim
        says ``DEFERRED`` (``INITIALLY DEFERRED``, ``SET CONSTRAINTS ... DEFERRED``)."""
        for obj in self.schema.objects.values():
            if isinstance(obj, Table) and any(c.constraint.initially_deferred
                                              for c in obj.constraints):
                return True
        return any(_DEFERRED.search(k.text) for k in self.schema.kept)

    def all_comments(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        before = self.before_kept(objects)
        for key, obj in objects:
            if key not in before:
                yield from ((key, sql) for sql in self.comments(obj))

    def owners(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        before = self.before_kept(objects)
        for key, obj in objects:
            sql = self.owner(obj)
            if sql and key not in before:
                yield key, sql

    def all_grants(self, objects: _Objects) -> Iterator[tuple[Node, str]]:
        before = self.before_kept(objects)
        for key, obj in objects:
            if key not in before:
                yield from ((key, sql) for sql in self.grants(obj))

    def external_changes(self, external: _Objects) -> Iterator[tuple[Node, str]]:
        """What the history changed of objects it did not create: comments, owner, privileges,
        as statements that take each from its setup state (``external_baseline``) to its final
        one."""
        for key, obj in external:
            before = self.schema.external_baseline.get(key)
            if before is None:
                if key != ObjectKey.of(ObjectKind.SCHEMA, None, "public"):
                    continue  # no baseline: nothing known to have changed
                before = attrs.evolve(obj, comment=None, owner=None, acl=())  # as initdb makes it
            yield from ((key, sql) for sql in self.comment_changes(before, obj))
            target = self.target(obj)
            if obj.owner != before.owner and obj.owner and target is not None and not isinstance(
                obj, (Index, Trigger, Policy, Role)
            ):
                yield key, f"ALTER {target} OWNER TO {role_name(obj.owner)};"
            removed = [p for p in before.acl if p not in obj.acl]
            added = [p for p in obj.acl if p not in before.acl]
            undo = [
                attrs.evolve(p, revoke=not p.revoke, grant_option=p.grant_option and p.revoke)
                for p in removed
            ]
            for acl in (undo, added):
                if acl:
                    changed = attrs.evolve(obj, acl=tuple(acl))
                    yield from ((key, sql) for sql in self.grants(changed))

    def comment_changes(self, before: SchemaObject, after: SchemaObject) -> Iterator[str]:
        """``COMMENT ON`` statements (``IS NULL`` for a removed comment) taking ``before``'s
        comments (the object's, its columns' and constraints') to ``after``'s."""

        def text(value: str | None) -> str:
            return "NULL" if value is None else literal(value)

        target = self.target(after)
        if after.comment != before.comment and target is not None:
            yield f"COMMENT ON {target} IS {text(after.comment)};"
        if isinstance(after, Table) and isinstance(before, Table):
            for column in after.columns:
                old = before.column(column.name)
                if column.comment != (old.comment if old else None):
                    yield (
                        f"COMMENT ON COLUMN {after.written.sql()}.{quote_ident(column.name)} "
                        f"IS {text(column.comment)};"
                    )
            for constraint in after.constraints:
                was = before.constraint_named(constraint.name)
                if constraint.comment != (was.comment if was else None):
                    yield (
                        f"COMMENT ON CONSTRAINT {quote_ident(constraint.name)} ON "
                        f"{after.written.sql()} IS {text(constraint.comment)};"
                    )

    def key_constraint(self, table: Table, constraint: TableConstraint) -> str:
        c = constraint.constraint
        only = "" if table.partition_by else "ONLY "
        head = (
            f"ALTER TABLE {only}{table.written.sql()} ADD CONSTRAINT {quote_ident(constraint.name)}"
        )
        if c.kind == "exclude":
            method = f" USING {c.method}" if c.method else ""
            sql = f"{head} EXCLUDE{method} {parens(c.expression or '')}"
        else:
            kind = "PRIMARY KEY" if c.kind == "primary key" else "UNIQUE"
            if c.nulls_not_distinct:
                kind += " NULLS NOT DISTINCT"
            if c.using_index and not c.columns:
                sql = f"{head} {kind} USING INDEX {quote_ident(c.using_index)}"
            else:
                sql = f"{head} {kind} {_columns(c.columns)}"
        if c.index_options:
            sql += f" {c.index_options.strip()}"
        if c.kind == "exclude" and c.where:
            sql += f" WHERE {parens(c.where)}"
        if c.deferrable:
            sql += " DEFERRABLE"
        if c.initially_deferred:
            sql += " INITIALLY DEFERRED"
        return sql + ";"

    def index(self, index: Index) -> str:
        unique = "UNIQUE " if index.unique else ""
        only = "ONLY " if index.only else ""
        sql = f"CREATE {unique}INDEX {quote_ident(index.name.name)} ON {only}"
        sql += index.table_written.sql()
        if index.method:
            sql += f" USING {index.method}"
        elements = []
        for element in index.elements:
            text = (
                quote_ident(element.column)
                if element.column is not None
                else parens(element.expression or "")
            )
            if element.suffix.strip():
                text += f" {element.suffix.strip()}"
            elements.append(text)
        sql += f" ({', '.join(elements)})"
        if index.include:
            sql += f" INCLUDE {_columns(index.include)}"
        if index.nulls_not_distinct:
            sql += " NULLS NOT DISTINCT"
        if index.options:
            sql += f" {index.options.strip()}"
        if index.where:
            sql += f" WHERE {parens(index.where)}"
        return sql + ";"

    def foreign_key(self, table: Table, constraint: TableConstraint) -> str:
        c = constraint.constraint
        only = "" if table.partition_by else "ONLY "
        assert c.references is not None
        sql = (
            f"ALTER TABLE {only}{table.written.sql()} ADD CONSTRAINT "
            f"{quote_ident(constraint.name)} FOREIGN KEY {_columns(c.columns)} "
            f"REFERENCES {c.references.sql()}"
        )
        if c.ref_columns:
            sql += f" {_columns(c.ref_columns)}"
        if c.match:
            sql += f" MATCH {c.match.upper()}"
        if c.on_update:
            sql += f" ON UPDATE {c.on_update}"
        if c.on_delete:
            sql += f" ON DELETE {c.on_delete}"
        if c.deferrable:
            sql += " DEFERRABLE"
        if c.initially_deferred:
            sql += " INITIALLY DEFERRED"
        if c.not_valid:
            sql += " NOT VALID"
        return sql + ";"

    def trigger(self, trigger: Trigger) -> str:
        constraint = "CONSTRAINT " if trigger.constraint else ""
        sql = (
            f"CREATE {constraint}TRIGGER {quote_ident(trigger.name)} {trigger.timing} "
            f"{trigger.events} ON {trigger.table_written.sql()}"
        )
        if trigger.from_table is not None:
            sql += f" FROM {trigger.from_table.sql()}"
        if trigger.deferral:
            sql += f" {trigger.deferral.strip()}"
        if trigger.referencing:
            sql += f" {_prefixed(trigger.referencing, 'REFERENCING')}"
        sql += " FOR EACH ROW" if trigger.for_each_row else " FOR EACH STATEMENT"
        if trigger.when:
            sql += f" WHEN {parens(trigger.when)}"
        args = trigger.function_args.strip()
        if _wrapped(args):
            args = args[1:-1]
        sql += f" EXECUTE FUNCTION {trigger.function_written.sql()}({args})"
        return sql + ";"

    def policy(self, policy: Policy) -> str:
        sql = f"CREATE POLICY {quote_ident(policy.name)} ON {policy.table_written.sql()}"
        if not policy.permissive:
            sql += " AS RESTRICTIVE"
        if policy.command.upper() != "ALL":
            sql += f" FOR {policy.command.upper()}"
        if policy.roles:
            sql += " TO " + ", ".join(role_name(r) for r in policy.roles)
        if policy.using:
            sql += f" USING {parens(policy.using)}"
        if policy.check:
            sql += f" WITH CHECK {parens(policy.check)}"
        return sql + ";"

    # -- comments, owners, grants ---------------------------------------------------------

    def target(self, obj: SchemaObject) -> str | None:
        """``TABLE t``, ``FUNCTION f(integer)``, ``TRIGGER n ON t``...: the object as COMMENT ON
        names it; None for objects that have no such name."""
        if isinstance(obj, Table):
            return f"TABLE {obj.written.sql()}"
        if isinstance(obj, View):
            kind = "MATERIALIZED VIEW" if obj.materialized else "VIEW"
            return f"{kind} {obj.written.sql()}"
        if isinstance(obj, Index):
            return f"INDEX {self.index_name(obj)}"
        if isinstance(obj, Sequence):
            return f"SEQUENCE {obj.written.sql()}"
        if isinstance(obj, (EnumType, CompositeType, RangeType)):
            return f"TYPE {obj.written.sql()}"
        if isinstance(obj, Domain):
            return f"DOMAIN {obj.written.sql()}"
        if isinstance(obj, Function):
            kind = "PROCEDURE" if obj.procedure else "FUNCTION"
            return f"{kind} {self.signature(obj)}"
        if isinstance(obj, Trigger):
            return f"TRIGGER {quote_ident(obj.name)} ON {obj.table_written.sql()}"
        if isinstance(obj, Policy):
            return f"POLICY {quote_ident(obj.name)} ON {obj.table_written.sql()}"
        if isinstance(obj, SchemaObj):
            return f"SCHEMA {quote_ident(obj.name)}"
        if isinstance(obj, Extension):
            return f"EXTENSION {quote_ident(obj.name)}"
        if isinstance(obj, Role):
            return f"ROLE {quote_ident(obj.name)}"
        return None  # pragma: no cover - every kind is named above

    def comments(self, obj: SchemaObject) -> Iterator[str]:
        if isinstance(obj, Role) and obj.dropped:
            return  # dropped at the end, with its comment
        target = self.target(obj)
        if obj.comment is not None and target is not None:
            yield f"COMMENT ON {target} IS {literal(obj.comment)};"
        if isinstance(obj, Table):
            for column in obj.columns:
                if column.comment is not None:
                    yield (
                        f"COMMENT ON COLUMN {obj.written.sql()}.{quote_ident(column.name)} "
                        f"IS {literal(column.comment)};"
                    )
            for constraint in obj.constraints:
                if constraint.comment is not None:
                    yield (
                        f"COMMENT ON CONSTRAINT {quote_ident(constraint.name)} ON "
                        f"{obj.written.sql()} IS {literal(constraint.comment)};"
                    )
                if constraint.index_comment is not None:
                    index = QName(obj.written.schema, constraint.name)
                    yield f"COMMENT ON INDEX {index.sql()} IS {literal(constraint.index_comment)};"
        elif isinstance(obj, View):
            for name, text in obj.column_comments:
                yield (
                    f"COMMENT ON COLUMN {obj.written.sql()}.{quote_ident(name)} IS {literal(text)};"
                )
        elif isinstance(obj, Domain):
            for name, text in obj.check_comments:
                yield (f"COMMENT ON CONSTRAINT {quote_ident(name)} ON DOMAIN "
                       f"{obj.written.sql()} IS {literal(text)};")

    def owner(self, obj: SchemaObject) -> str | None:
        if not obj.owner:
            return None
        to = f"OWNER TO {role_name(obj.owner)};"
        if isinstance(obj, Sequence) and (obj.owned_by or obj.implicit or obj.identity):
            return None  # follows its table
        if isinstance(obj, (Table, View, Sequence, EnumType, CompositeType, RangeType, Domain)):
            return f"ALTER {self.target(obj)} {to}"
        if isinstance(obj, Function) or (isinstance(obj, SchemaObj) and obj.name == "public"):
            return f"ALTER {self.target(obj)} {to}"
        return None  # other schemas: AUTHORIZATION; indexes, triggers, policies: their table's

    def grants(self, obj: SchemaObject) -> Iterator[str]:
        if not obj.acl:
            return
        if isinstance(obj, (Table, View)):
            on = f"TABLE {obj.written.sql()}"
        elif isinstance(obj, Sequence):
            on = f"SEQUENCE {obj.written.sql()}"
        elif isinstance(obj, (Function, SchemaObj, Domain)):
            on = str(self.target(obj))
        elif isinstance(obj, (EnumType, CompositeType, RangeType)):
            on = f"TYPE {obj.written.sql()}"
        else:
            return
        # One statement per grantee, column and kind (grant, grant with grant option, revoke),
        # in the order the acl first names each.
        groups: dict[tuple[bool, str, bool, str | None], list[str]] = {}
        for p in obj.acl:
            group = groups.setdefault((p.revoke, p.grantee, p.grant_option, p.column), [])
            if p.privilege not in group:
                group.append(p.privilege)
        for (revoke, grantee, grant_option, column), privileges in groups.items():
            if "ALL" in privileges and not revoke:
                # GRANT ALL, then GRANT SELECT: the acl holds both, and ALL covers the other
                # (PostgreSQL refuses "ALL, SELECT").
                privileges = ["ALL"]
            cols = f" ({quote_ident(column)})" if column is not None else ""
            what = ", ".join(f"{p}{cols}" for p in privileges)
            if revoke:
                option = "GRANT OPTION FOR " if grant_option else ""
                yield f"REVOKE {option}{what} ON {on} FROM {role_name(grantee)};"
            else:
                option = " WITH GRANT OPTION" if grant_option else ""
                yield f"GRANT {what} ON {on} TO {role_name(grantee)}{option};"


_T = TypeVar("_T")


def _only(objects: _Objects, kind: type[_T]) -> Iterator[tuple[Key, _T]]:
    for key, obj in objects:
        if isinstance(obj, kind):
            yield key, obj


def _row_columns(row: Row) -> tuple[str, ...]:
    return tuple(name for name, _ in row.values)


def _explicitly_filled(sequence: Sequence, kept: Iterable[KeptStatement]) -> bool:
    """Whether a statement kept verbatim inserts values of its own into the column that owns
    ``sequence`` (``INSERT INTO t (id, ...)``): the sequence may then be behind the column."""
    if sequence.owned_by is None or sequence.set_explicitly \
            or sequence.restart_with is not None or (sequence.options.increment or 1) < 0:
        return False  # a position the history set stays as set (values drawn do not count)
    table, column = sequence.owned_by
    for statement in kept:
        for words in _word_runs(statement.text):
            if _inserts_column(words, table, column):
                return True
    return False


def _word_runs(text: str) -> Iterator[list[str]]:
    """The words of ``text`` (lower case, quoted identifiers as written), and those of every
    dollar-quoted body in it (a ``DO`` block's or a function's), each run on its own. A body
    that does not tokenize as SQL (PostgreSQL rejects it when it runs) is read word by word."""
    tokens = fragment(text).tokens_or_none()
    if tokens is None:
        yield [w[1:-1].replace('""', '"') if w.startswith('"') else w.lower()
               for w in re.findall(r'"(?:[^"]|"")*"|\w+|\S', text)]
        return
    yield [t.text.lower() if t.token_type != TokenType.IDENTIFIER else t.text for t in tokens]
    for token in tokens:
        if token.token_type == TokenType.HEREDOC_STRING:
            yield from _word_runs(token.text)


def _inserts_column(words: list[str], table: QName, column: str) -> bool:
    """Whether ``words`` hold ``INSERT INTO table (..., column, ...)``."""
    for i in range(len(words) - 2):
        if words[i] != "insert" or words[i + 1] != "into":
            continue
        j = i + 2
        name = [words[j]]
        while j + 2 < len(words) and words[j + 1] == ".":
            j += 2
            name.append(words[j])
        if name[-1] != table.name or (len(name) > 1 and name[-2] != table.schema):
            continue
        rest = words[j + 1:]
        if rest[:1] == ["as"]:
            rest = rest[2:]
        if rest[:1] == ["("] and column in rest[1:rest.index(")") if ")" in rest else None]:
            return True
    return False


#: a statement that may write rows, leaving a deferred constraint's checks pending until the
#: transaction ends (PostgreSQL then refuses ALTER TABLE of the table: "pending trigger events")
_MAY_WRITE_ROWS = re.compile(r"\s*(?:WITH|INSERT|UPDATE|DELETE|MERGE|COPY|DO|CALL|SELECT)\b",
                             re.IGNORECASE)
_DEFERRED = re.compile(r"\bDEFERRED\b", re.IGNORECASE)
#: after ``SET CONSTRAINTS ALL IMMEDIATE`` (which runs the pending checks, as the history's
#: commit did), the constraints that are ``INITIALLY DEFERRED`` are deferred again, as a new
#: transaction of the history found them; a name a constraint that cannot be deferred shares
#: in its schema is left alone (PostgreSQL would refuse it)
_DEFER_AGAIN = (
    "DO $defer_again$\n"
    "DECLARE item record;\n"
    "BEGIN\n"
    "    FOR item IN\n"
    "        SELECT DISTINCT n.nspname, c.conname\n"
    "        FROM pg_catalog.pg_constraint c\n"
    "        JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace\n"
    "        WHERE c.condeferred AND NOT EXISTS (\n"
    "            SELECT 1 FROM pg_catalog.pg_constraint o\n"
    "            WHERE o.connamespace = c.connamespace AND o.conname = c.conname\n"
    "              AND NOT o.condeferrable)\n"
    "        ORDER BY 1, 2\n"
    "    LOOP\n"
    "        EXECUTE format('SET CONSTRAINTS %I.%I DEFERRED', item.nspname, item.conname);\n"
    "    END LOOP;\n"
    "END $defer_again$;")

#: a statement that may set a sequence's position itself (its catch-up would undo it)
_SETS_POSITION = re.compile(r"\bsetval\b|\bRESTART\b", re.IGNORECASE)


def _position_set(sequence: Sequence, found: Collection[str]) -> bool:
    """Whether ``found`` (the positions statements kept verbatim set:
    :func:`schemafold.positions.positions_set`) names ``sequence``, by its name or by the column
    it feeds: that position is the history's, and the contract reproduces it, behind its column
    or not, so no catch-up may follow it."""
    for name in found:
        fed = fed_column(name)
        if fed is None:
            if same_relation(name, _dotted(sequence.name)):
                return True
        elif sequence.owned_by is not None:
            owner, owning_column = sequence.owned_by
            if fed[1] == owning_column and same_relation(fed[0], _dotted(owner)):
                return True
    return False


#: the column types a catch-up reads the largest value of (max() of another type is no number,
#: or no function at all: max(boolean))
_NUMBER_TYPES = ("'pg_catalog.int2'::regtype, 'pg_catalog.int4'::regtype, "
                 "'pg_catalog.int8'::regtype, 'pg_catalog.numeric'::regtype")


#: a statement after which a sequence may be behind its column: rows written (explicit ids),
#: a column given a sequence it had not drawn, or code that may do either
_MAY_LEAVE_BEHIND = re.compile(
    r"\b(?:INSERT|COPY|UPDATE|MERGE|OWNED\s+BY|IDENTITY|DO|CALL|SELECT)\b", re.IGNORECASE)


#: a statement that may give a column a sequence of its own
_GIVES_A_SEQUENCE = re.compile(r"\b(?:(?:small|big)?serial[248]?|IDENTITY|OWNED\s+BY)\b",
                               re.IGNORECASE)


def tail_catch_up(schema: Schema, tail_texts: Iterable[str]) -> str | None:
    """A statement for the end of the files kept as written after the consolidation (the
    verbatim tail): every sequence a column owns (``serial``, identity, ``OWNED BY`` an integer
    column) that the tail left behind the values its column holds is brought level with them,
    as the equality contract asks of a consolidation. The tail runs as the history did, so the
    history may have left the same sequence behind; only positions the history set explicitly
    (``setval``, ``RESTART``, folded or in a kept or tail statement) stay where they are, and
    they are found by name when the statement runs, after the tail's renames. None when no
    statement of the tail can leave a sequence behind, or no column can have a sequence."""
    from schemafold.parse.splitter import split_sql

    tail_texts = list(tail_texts)
    if not any(_MAY_LEAVE_BEHIND.search(text) for text in tail_texts):
        return None
    owned = any(isinstance(s, Sequence) and s.owned_by is not None
                for s in schema.objects.values())
    if not owned and not schema.kept_identities \
            and not any(_GIVES_A_SEQUENCE.search(text) for text in tail_texts):
        return None  # no column has a sequence, and the tail gives none one
    statements: list[str] = [k.text for k in sorted(schema.kept, key=lambda k: k.ordinal)]
    for text in tail_texts:
        try:
            statements.extend(s.text for s in split_sql(text, "tail").statements)
        except InputError:
            statements.append(text)
    explicit = [_dotted(s.name) for s in schema.objects.values()
                if isinstance(s, Sequence) and (s.set_explicitly or s.restart_with is not None)]
    kept_where_set = []
    for name in sorted(positions_set(statements, explicit)):
        fed = fed_column(name)
        if fed is not None:
            table, column = fed
            kept_where_set.append(
                "(SELECT d.objid FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_attribute a"
                " ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                f" WHERE d.refobjid = pg_catalog.to_regclass({literal(_quoted_dotted(table))})"
                f" AND a.attname = {literal(column)} AND d.deptype IN ('a', 'i') LIMIT 1)")
        else:
            kept_where_set.append(
                f"pg_catalog.to_regclass({literal(_quoted_dotted(name))})::oid")
    excluded = (f"\n          AND NOT coalesce(d.objid = ANY (ARRAY[{', '.join(kept_where_set)}]"
                "::oid[]), false)") if kept_where_set else ""
    return (
        "DO $catch_up$\n"
        "DECLARE item record; top bigint; last bigint;\n"
        "BEGIN\n"
        "    FOR item IN\n"
        "        SELECT d.objid::regclass AS seq, d.refobjid::regclass AS tab, a.attname AS col,\n"
        "               q.seqmax\n"
        "        FROM pg_catalog.pg_depend d\n"
        "        JOIN pg_catalog.pg_sequence q ON q.seqrelid = d.objid AND q.seqincrement > 0\n"
        "        JOIN pg_catalog.pg_attribute a\n"
        "          ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
        "        WHERE d.classid = 'pg_catalog.pg_class'::regclass\n"
        "          AND d.refclassid = 'pg_catalog.pg_class'::regclass\n"
        "          AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')\n"
        f"          AND a.atttypid IN ({_NUMBER_TYPES}){excluded}\n"
        "        ORDER BY d.objid\n"
        "    LOOP\n"
        "        EXECUTE format('SELECT max(%I) FROM %s', item.col, item.tab) INTO top;\n"
        "        EXECUTE format('SELECT CASE WHEN is_called THEN last_value"
        " ELSE last_value - 1 END FROM %s', item.seq) INTO last;\n"
        "        IF top > last AND top <= item.seqmax THEN\n"
        "            PERFORM pg_catalog.setval(item.seq, top);\n"
        "        END IF;\n"
        "    END LOOP;\n"
        "END $catch_up$;\n")


def _quoted_dotted(name: str) -> str:
    """A dotted name as :mod:`schemafold.positions` spells it, quoted for ``to_regclass``."""
    return ".".join(quote_ident(part) for part in name.split("."))


def _dotted(name: QName) -> str:
    """``name`` as :mod:`schemafold.positions` spells names: unquoted, dot-joined."""
    return name.name if name.schema is None else f"{name.schema}.{name.name}"


def _catch_up_column(table: QName, column: str) -> str:
    """The sequence of an identity or serial column a statement kept verbatim made (the model
    does not hold it), brought level with the largest value the column holds when it is behind
    it, as :func:`_catch_up`; found when the statement runs (``pg_get_serial_sequence``), and
    nothing when kept statements after it dropped or renamed the table or the column."""
    return (
        "DO $catch_up$\n"
        "DECLARE seq text; top bigint; last bigint;\n"
        "BEGIN\n"
        f"    seq := pg_catalog.pg_get_serial_sequence({literal(table.sql())}, "
        f"{literal(quote_ident(column))});\n"
        "    IF seq IS NULL OR (SELECT a.atttypid FROM pg_catalog.pg_attribute a\n"
        "                       WHERE a.attrelid = pg_catalog.to_regclass("
        f"{literal(table.sql())})\n"
        f"                         AND a.attname = {literal(column)})\n"
        f"                      NOT IN ({_NUMBER_TYPES}) THEN\n"
        "        RETURN;\n"
        "    END IF;\n"
        f"    EXECUTE format('SELECT max(%I) FROM %s', {literal(column)}, "
        f"{literal(table.sql())}) INTO top;\n"
        "    EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END"
        " FROM %s', seq) INTO last;\n"
        "    IF top > last THEN\n"
        "        PERFORM pg_catalog.setval(seq, top);\n"
        "    END IF;\n"
        "EXCEPTION WHEN undefined_table OR undefined_column THEN NULL;\n"
        "END $catch_up$;")


def _catch_up(sequence: Sequence) -> str:
    """A sequence brought level with the largest value its column holds, when it is behind it
    (the equality contract: no sequence is behind the column it owns), and left alone else.

    The column is found when the statement runs, through the sequence's link to it
    (``pg_depend``: ``OWNED BY`` or identity), not by name: statements kept verbatim before it
    may have renamed or moved the table or the column (the fold does not follow them)."""
    name = literal(sequence.written.sql())
    return (
        "DO $catch_up$\n"
        "DECLARE seq regclass; target regclass; col name; top bigint; last bigint;\n"
        "BEGIN\n"
        f"    seq := pg_catalog.to_regclass({name});\n"
        "    IF seq IS NULL THEN RETURN; END IF;\n"
        "    SELECT d.refobjid::regclass, a.attname INTO target, col\n"
        "    FROM pg_catalog.pg_depend d\n"
        "    JOIN pg_catalog.pg_attribute a\n"
        "      ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
        "    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = seq\n"
        "      AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')\n"
        f"      AND a.atttypid IN ({_NUMBER_TYPES});\n"
        "    IF target IS NULL THEN RETURN; END IF;\n"
        "    EXECUTE format('SELECT max(%I) FROM %s', col, target) INTO top;\n"
        "    EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END'\n"
        "                   ' FROM %s', seq) INTO last;\n"
        "    IF top > last THEN\n"
        "        PERFORM pg_catalog.setval(seq, top);\n"
        "    END IF;\n"
        "END $catch_up$;")
