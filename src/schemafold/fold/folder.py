"""Folding: apply each event to the schema, in history order, the way PostgreSQL would.

Owns: the effect of every schema event kind on the model (one ``_apply_<Kind>`` method per kind;
data and privileges in their own modules), PostgreSQL's rules for implicit names, cascades,
renames that expressions follow, ``search_path``, ``IF [NOT] EXISTS`` and ``OR REPLACE``.
Impossible histories (altering or dropping what does not exist, a duplicate column) raise
``InputError`` naming file and line.

Must not know: SQL text beyond the expression fragments events carry (renames go through
``rewrite``), files and migration tools, rendering, databases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Sequence as Seq
from typing import Any

import attrs

from schemafold import events as ev
from schemafold.collect import fewer_collections
from schemafold.errors import FoldLimit, InputError
from schemafold.fold.data import DataFolding
from schemafold.fold.like import LikeFolding
from schemafold.fold.moves import MoveFolding
from schemafold.fold.partitions import PartitionFolding, include_columns, index_name_parts
from schemafold.fold.privileges import PrivilegeFolding
from schemafold.fold.procedures import ProceduralFolding
from schemafold.fold.state import FoldResult
from schemafold.fold.store import STANDARD_BODY
from schemafold.fold.transactions import TransactionFolding
from schemafold.fragment import Fragment, fragment
from schemafold.implicit_names import choose_name, column_part
from schemafold.lineage import Account, Action, Change, Part
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Index,
    Key,
    ModelColumn,
    Policy,
    RangeType,
    SchemaObj,
    SchemaObject,
    Sequence,
    Table,
    TableConstraint,
    Trigger,
    View,
)
from schemafold.names import SERIAL_TYPES, QName, canonical_type, quote_literal
from schemafold.progress import Progress, Ticker
from schemafold.rewrite import (
    aliases_of,
    columns_named,
    rename_column,
    rename_function,
    rename_label,
    rename_relation,
    rename_type,
    replace_routine_name,
)
from schemafold.rows.literals import string_literal

_TYPE_KINDS = (EnumType, CompositeType, Domain, RangeType)


class Folder(ProceduralFolding, TransactionFolding, PartitionFolding, MoveFolding, DataFolding,
             PrivilegeFolding, LikeFolding):
    """Every event kind's effect; see ``FoldState`` for the working state."""

    def _new_column(self, table: Table, column: ev.Column, origin: ev.Origin,
                    table_key: Key) -> tuple[ModelColumn, list[TableConstraint], list[Sequence]]:
        """A model column from a declaration: serial expansion, identity; its inline constraints
        returned to be named by the caller."""
        sequences: list[Sequence] = []
        serial_sequence = None
        type_text = column.type
        base = canonical_type_name(type_text)
        if base in SERIAL_TYPES:
            assert table.name.schema is not None
            seq_name = choose_name(
                table.name.name, column.name, "seq",
                lambda n: self._namespace_taken(table.name.schema or "", n),
            )
            seq_q = QName(table.name.schema, seq_name)
            serial_sequence = seq_q
            written = QName(table.written.schema, seq_name)
            sequences.append(
                self._default_grants(Sequence(
                    name=seq_q, written=written,
                    options=ev.SequenceOptions(as_type=SERIAL_TYPES[base]),
                    owned_by=(table.name, column.name), implicit=True, created=self.ordinal,
                    external=self.external), "sequences")
            )
        if column.identity is not None:
            assert table.name.schema is not None
            spec = column.identity_sequence or ev.IdentitySequence()
            options, named, restart = spec.options, spec.name, spec.restart
            if named is not None:
                schema = named.schema or table.name.schema
                if self._namespace_taken(schema, named.name):
                    raise self._error(origin, f'relation "{named.name}" already exists')
                seq_q, written = QName(schema, named.name), named
            else:
                seq_name = choose_name(
                    table.name.name, column.name, "seq",
                    lambda n: self._namespace_taken(table.name.schema or "", n),
                )
                seq_q = QName(table.name.schema, seq_name)
                written = QName(table.written.schema, seq_name)
            sequences.append(
                self._default_grants(Sequence(
                    name=seq_q, written=written, options=options,
                    owned_by=(table.name, column.name), identity=True, created=self.ordinal,
                    external=self.external, restart_with=restart), "sequences")
            )
        declared = attrs.evolve(column, constraints=(), default=self._pin(column.default),
                                generated=self._pin(column.generated),
                                type=self._pin_type(column.type))
        if serial_sequence is not None or column.identity is not None:
            declared = attrs.evolve(declared, not_null=True)  # both imply NOT NULL
        model = ModelColumn(
            column=declared,
            serial_sequence=serial_sequence,
            created=self.ordinal,
        )
        constraints = [
            TableConstraint(constraint=c, created=self.ordinal) for c in column.constraints
        ]
        return model, constraints, sequences

    def _name_constraint(self, table: Table, constraint: ev.Constraint,
                         pending: Seq[TableConstraint] = ()) -> ev.Constraint:
        if constraint.name is not None:
            return constraint
        schema = table.name.schema or ""
        taken_base = self._name_taken_for_constraint(schema)

        def taken(name: str) -> bool:
            return taken_base(name) or any(p.name == name for p in pending)

        kind = constraint.kind
        if kind == "primary key":
            name = choose_name(table.name.name, None, "pkey", taken)
        elif kind == "unique":  # INCLUDE columns are part of the name, as in any index's
            name = choose_name(table.name.name,
                               column_part([*constraint.columns, *include_columns(constraint)]),
                               "key", taken)
        elif kind == "foreign key":
            name = choose_name(table.name.name, column_part(constraint.columns), "fkey", taken)
        elif kind == "exclude":
            name = choose_name(
                table.name.name, column_part(_exclude_columns(constraint)), "excl", taken
            )
        else:
            columns = {c.name for c in table.columns}
            named = columns_named(constraint.expression or "", columns)
            part = named[0] if len(named) == 1 else None
            name = choose_name(table.name.name, part, "check", taken)
        return attrs.evolve(constraint, name=name)

    def _add_constraints(self, key: Key, table: Table, constraints: Iterable[TableConstraint],
                         origin: ev.Origin) -> Table:
        named: list[TableConstraint] = list(table.constraints)
        for tc in constraints:
            constraint = self._name_constraint(table, tc.constraint, named)
            if constraint.kind == "check" and tc.parent_constraint is None:
                constraint = attrs.evolve(constraint, expression=self._pin(constraint.expression))
            if any(c.name == constraint.name for c in named):
                raise self._error(
                    origin, f'constraint "{constraint.name}" for relation "{table.name.name}" '
                    "already exists"
                )
            target = None
            if constraint.kind in ("unique", "primary key", "foreign key"):
                self._require_columns(table, constraint.columns, origin)
            if constraint.references is not None:
                ref_key = self._relation(constraint.references, origin, missing_ok=True)
                if ref_key is None and constraint.references == table.written:
                    ref_key = key
                if ref_key is None:
                    raise self._error(origin, f'relation "{constraint.references}" does not exist')
                target = QName(str(ref_key[1]), str(ref_key[2]))
                referenced = table if ref_key == key else self.objects.get(ref_key)
                if isinstance(referenced, Table):
                    self._require_columns(referenced, constraint.ref_columns, origin)
            if constraint.kind == "primary key" and any(
                c.constraint.kind == "primary key" for c in named
            ):
                raise self._error(
                    origin, f'multiple primary keys for table "{table.name.name}" are not allowed'
                )
            named.append(attrs.evolve(tc, constraint=constraint, target=target))
            self._touch(key, origin, Action.ALTERED, Account(
                Change.ADDED, Part("constraint", str(constraint.name), Action.CREATED)))
        columns = table.columns
        pk_columns = {
            col for c in named if c.constraint.kind == "primary key" for col in c.constraint.columns
        }
        if pk_columns:
            columns = tuple(
                attrs.evolve(c, column=attrs.evolve(c.column, not_null=True))
                if c.name in pk_columns else c for c in columns
            )
        return attrs.evolve(table, constraints=tuple(named), columns=columns)

    def _require_columns(self, table: Table, names: Iterable[str], origin: ev.Origin) -> None:
        """A key, a foreign key or an index names columns of ``table``: PostgreSQL refuses
        one that does not exist. Only checked where the fold knows every column the table has
        (not a partition or an inheriting table, whose columns come from elsewhere)."""
        if table.partition_of is not None or table.inherits or not table.columns:
            return
        for name in names:
            if table.column(name) is None:
                raise self._error(origin, f'column "{name}" named in key does not exist')

    def _exists(self, origin: ev.Origin, if_not_exists: bool, what: str, error: str, *,
                notice: str | None = None) -> None:
        """A statement creating ``what``, which exists already: under ``IF NOT EXISTS`` a no-op
        (with PostgreSQL's ``notice`` as a warning, where it gives one), otherwise ``error``."""
        if not if_not_exists:
            raise self._error(origin, error)
        self.noop[origin] = f"{what} exists"
        if notice is not None:
            self._warn(origin, notice)

    def _apply_CreateSchema(self, e: ev.CreateSchema) -> None:
        key: Key = ("schema", e.name)
        if key in self.objects:
            self._exists(e.origin, e.if_not_exists, f"schema {e.name}",
                         f'schema "{e.name}" already exists')
            return
        self._put(key, SchemaObj(name=e.name, owner=e.authorization, created=self.ordinal,
                                 external=self.external))
        self._created(key, e.origin, e)

    def _apply_CreateExtension(self, e: ev.CreateExtension) -> None:
        key: Key = ("extension", e.name)
        if key in self.objects:
            self._exists(e.origin, e.if_not_exists, f"extension {e.name}",
                         f'extension "{e.name}" already exists')
            return
        self._put(key, Extension(name=e.name, schema=e.schema, version=e.version,
                                 cascade=e.cascade, created=self.ordinal,
                                 external=self.external))
        self._created(key, e.origin, e)

    def _create_type(self, e: ev.Event, name: QName, build: Callable[[QName, QName], SchemaObject],
                     if_not_exists: bool) -> None:
        schema = self._creation_schema(name, e.origin)
        key: Key = ("type", schema, name.name)
        if self._namespace_taken(schema, name.name):
            self._exists(e.origin, if_not_exists, f"type {name}",
                         f'type "{name.name}" already exists')
            return
        self._put(key, build(QName(schema, name.name), name))
        self._created(key, e.origin, e)

    def _apply_CreateEnum(self, e: ev.CreateEnum) -> None:
        if len(set(e.labels)) != len(e.labels):
            raise self._error(e.origin, "enum labels must be unique")
        self._create_type(e, e.name, lambda q, w: EnumType(
            name=q, written=w, labels=e.labels, created=self.ordinal, external=self.external
        ), e.if_not_exists)

    def _apply_CreateCompositeType(self, e: ev.CreateCompositeType) -> None:
        self._create_type(e, e.name, lambda q, w: CompositeType(
            name=q, written=w, attributes=e.attributes, created=self.ordinal,
            external=self.external), e.if_not_exists)

    def _apply_CreateDomain(self, e: ev.CreateDomain) -> None:
        def build(q: QName, w: QName) -> SchemaObject:
            checks: list[ev.Constraint] = []
            for check in e.checks:
                name = check.name or choose_name(
                    q.name, None, "check", lambda n: any(c.name == n for c in checks)
                )
                checks.append(attrs.evolve(check, name=name))
            return Domain(name=q, written=w, base_type=e.base_type, default=e.default,
                          not_null=e.not_null, collation=e.collation, checks=tuple(checks),
                          created=self.ordinal, external=self.external)

        self._create_type(e, e.name, build, e.if_not_exists)

    def _apply_CreateRangeType(self, e: ev.CreateRangeType) -> None:
        self._create_type(e, e.name, lambda q, w: RangeType(
            name=q, written=w, subtype=e.subtype, options=e.options, created=self.ordinal,
            external=self.external), e.if_not_exists)

    def _enum(self, name: QName, origin: ev.Origin) -> tuple[Key, EnumType]:
        key = self._resolve(name, ("type",))
        obj = self.objects.get(key) if key else None
        if not isinstance(obj, EnumType) or key is None:
            raise self._error(origin, f'type "{name}" does not exist or is not an enum')
        return key, obj

    def _apply_AddEnumValue(self, e: ev.AddEnumValue) -> None:
        key, enum = self._enum(e.type, e.origin)
        if e.label in enum.labels:
            self._exists(e.origin, e.if_not_exists, f"enum label {e.label!r}",
                         f'enum label "{e.label}" already exists')
            return
        labels = list(enum.labels)
        anchor = e.before or e.after
        if anchor is not None:
            if anchor not in labels:
                raise self._error(e.origin, f'"{anchor}" is not an existing enum label')
            index = labels.index(anchor) + (0 if e.before else 1)
            labels.insert(index, e.label)
        else:
            labels.append(e.label)
        self._put(key, attrs.evolve(enum, labels=tuple(labels)))
        self._touch(key, e.origin, Action.ALTERED, e)
        self._enum_value_added(key, e.label, e.origin)

    def _apply_RenameEnumValue(self, e: ev.RenameEnumValue) -> None:
        key, enum = self._enum(e.type, e.origin)
        if e.old not in enum.labels:
            raise self._error(e.origin, f'"{e.old}" is not an existing enum label')
        if e.new in enum.labels:
            raise self._error(e.origin, f'enum label "{e.new}" already exists')
        labels = tuple(e.new if label == e.old else label for label in enum.labels)
        self._put(key, attrs.evolve(enum, labels=labels))
        self._touch(key, e.origin, Action.ALTERED, e)
        self._rename_label_in_expressions(key, e.old, e.new)

    def _rename_label_in_expressions(self, enum: Key, old: str, new: str) -> None:
        """Defaults, CHECKs, generated columns, index predicates and view queries that read the
        renamed label as the enum (a column of it defaulting to the label, the label cast to it
        or compared with a column of it) name the new one, as PostgreSQL's catalog, which stores
        the label's OID, now prints them."""
        types = frozenset({str(enum[2])})
        columns_of: dict[Key, frozenset[str]] = {}
        for table_key, table in self.objects.items():
            if isinstance(table, Table):
                columns_of[table_key] = frozenset(
                    c.name for c in table.columns
                    if self._resolve(QName.parse(c.column.type), ("type",)) == enum)
        everywhere = frozenset().union(*columns_of.values()) if columns_of else frozenset()

        def follow(text: str | None, columns: frozenset[str]) -> str | None:
            return None if text is None else rename_label(text, old, new, types, columns)

        def default(column: ev.Column, columns: frozenset[str]) -> str | None:
            if column.name in columns and column.default is not None and \
                    string_literal(column.default) == (old, None):  # 'old', ('old')
                return quote_literal(new)
            return follow(column.default, columns)

        for obj_key, obj in list(self.objects.items()):
            if isinstance(obj, Table):
                columns = columns_of[obj_key]
                constraints = tuple(attrs.evolve(c, constraint=attrs.evolve(
                    c.constraint, expression=follow(c.constraint.expression, columns)))
                    for c in obj.constraints)
                renamed = tuple(attrs.evolve(c, column=attrs.evolve(
                    c.column, default=default(c.column, columns),
                    generated=follow(c.column.generated, columns))) for c in obj.columns)
                changed: SchemaObject = attrs.evolve(obj, constraints=constraints,
                                                     columns=renamed)
            elif isinstance(obj, Index):
                on = columns_of.get(("table", obj.table.schema, obj.table.name), frozenset())
                changed = attrs.evolve(obj, where=follow(obj.where, on), elements=tuple(
                    attrs.evolve(el, expression=follow(el.expression, on))
                    for el in obj.elements))
            elif isinstance(obj, View):
                changed = attrs.evolve(obj, query=rename_label(obj.query, old, new, types,
                                                               everywhere))
            else:
                continue
            if changed != obj:
                self._put(obj_key, changed)

    def _apply_CreateTable(self, e: ev.CreateTable) -> None:
        schema = self._creation_schema(e.name, e.origin)
        key: Key = ("table", schema, e.name.name)
        if self._namespace_taken(schema, e.name.name):
            self._exists(e.origin, e.if_not_exists, f"relation {e.name}",
                         f'relation "{e.name.name}" already exists',
                         notice=f'relation "{e.name}" already exists, skipping')
            return
        if e.like and (e.inherits or e.partition_of is not None):
            raise self.fold_limit(e.origin, "LIKE together with INHERITS: the fold does not "
                                  "merge copied and inherited columns")
        likes = [(clause, self._like_source(clause, e.origin)) for clause in e.like]
        table = Table(name=QName(schema, e.name.name), written=e.name, unlogged=e.unlogged,
                      partition_by=e.partition_by, options=e.options, created=self.ordinal,
                      external=self.external, owner=self._owner())
        columns: list[ModelColumn] = []
        pending: list[TableConstraint] = []
        sequences: list[Sequence] = []
        partition_parent = None
        if e.partition_of is not None:
            _, partition_parent = self._table(e.partition_of, e.origin)
            if partition_parent.partition_by is None:
                raise self._error(e.origin, f'"{partition_parent.name.name}" is not partitioned')
            columns = [self._inherited_column(c) for c in partition_parent.columns]
            pending.extend(self._inherited_checks(partition_parent))
            table = attrs.evolve(table, partition_of=partition_parent.name,
                                 partition_of_written=e.partition_of,
                                 partition_bound=e.partition_bound)
        for parent_name in e.inherits:
            _, parent = self._table(parent_name, e.origin)
            for c in parent.columns:
                had = next((i for i, x in enumerate(columns) if x.name == c.name), None)
                if had is None:
                    columns.append(self._inherited_column(c))
                else:
                    columns[had] = self._merge_parents(columns[had], c, e.origin)
            pending.extend(c for c in self._inherited_checks(parent)
                           if c.name not in {p.name for p in pending})
            table = attrs.evolve(table, inherits=(*table.inherits, parent.name))
            self.any_inheritance = True
        self._put(key, table)  # visible to its own foreign keys (self references)
        self._created(key, e.origin, e)

        def add(model: ModelColumn, *, declared: bool = False) -> None:
            had = next((i for i, c in enumerate(columns) if c.name == model.name), None)
            if had is not None and declared and columns[had].inherited and e.inherits:
                try:
                    columns[had] = self._merge_declared(columns[had], model, e.origin)
                except (InputError, FoldLimit):
                    del self.objects[key]
                    raise
                return
            if had is not None:
                del self.objects[key]
                raise self._error(e.origin, f'column "{model.name}" specified more than once')
            columns.append(model)

        def add_like(position: int) -> None:
            for clause, source in likes:
                if clause.position == position:
                    like_columns, like_sequences = self._like_columns(table, clause, source)
                    for model in like_columns:
                        add(model)
                    sequences.extend(like_sequences)
                    pending.extend(self._like_constraints(clause, source))

        for position, column in enumerate(e.columns):
            add_like(position)
            model, constraints, seqs = self._new_column(table, column, e.origin, key)
            add(model, declared=True)
            pending.extend(constraints)
            sequences.extend(seqs)
        add_like(len(e.columns))
        pending.extend(TableConstraint(constraint=c, created=self.ordinal) for c in e.constraints)
        table = attrs.evolve(table, columns=tuple(columns))
        for sequence in sequences:
            self._put(sequence.key(), sequence)
            self._created(sequence.key(), e.origin,
                          Account(Change.SEQUENCE_FOR_COLUMN, names=(str(sequence.name),)))
        pending = _merge_redundant_keys(pending)
        # PostgreSQL names a table's constraints in order: all kinds share one name pool
        table = self._add_constraints(key, table, pending, e.origin)
        self._put(key, self._default_grants(table, "tables"))
        for model_column in columns:
            self._created(self._column_key(table, model_column.name), e.origin, Account(
                Change.DECLARED, Part("column", model_column.name, Action.CREATED),
                names=(str(model_column.column.type),)))
        if partition_parent is not None:
            self._adopt_parent(partition_parent, key, e.origin)
        for clause, source in likes:
            self._like_indexes(table, clause, source, e.origin)

    def _apply_AddColumn(self, e: ev.AddColumn) -> None:
        key, table = self._table(e.table, e.origin)
        if table.column(e.column.name) is not None:
            self._exists(e.origin, e.if_not_exists, f"column {e.column.name}",
                         f'column "{e.column.name}" of relation "{table.name.name}" already '
                         "exists", notice=f'column "{e.column.name}" already exists, skipping')
            return
        model, constraints, sequences = self._new_column(table, e.column, e.origin, key)
        for sequence in sequences:
            self._put(sequence.key(), sequence)
            self._created(sequence.key(), e.origin,
                          Account(Change.SEQUENCE_FOR_COLUMN, names=(str(sequence.name),)))
        before = table
        table = attrs.evolve(table, columns=(*table.columns, model))
        table = self._add_constraints(key, table, constraints, e.origin)
        self._put(key, table)
        self._touch(key, e.origin, Action.ALTERED, e)
        self._created(self._column_key(table, e.column.name), e.origin, e)
        self._add_to_children(table, model, e.origin)
        self._constraints_to_children(key, before, e.origin)
        if key in self.uid_of and self.uid_of[key] in self.has_rows and model.column.not_null \
                and model.column.default is None and model.serial_sequence is None:
            self._warn(e.origin, "NOT NULL column added to a table that may have rows")

    def _apply_DropColumn(self, e: ev.DropColumn) -> None:
        key, table = self._table(e.table, e.origin)
        if table.column(e.column) is None:
            if e.if_exists:
                self.noop[e.origin] = f"column {e.column} does not exist"
                return
            raise self._error(e.origin, f'column "{e.column}" of relation "{table.name.name}" '
                              "does not exist")
        self._not_inherited(table, e.column, "drop", e.origin)
        self._drop_column(key, table, e.column, e.origin, e.cascade)

    def _drop_column(self, key: Key, table: Table, column: str, origin: ev.Origin,
                     cascade: bool) -> None:
        # foreign keys elsewhere that reference this column need CASCADE
        for other_key, other in self.objects.related(("target", table.name)):
            if not isinstance(other, Table):
                continue
            doomed = [c for c in other.constraints if c.target == table.name
                      and (column in c.constraint.ref_columns or (
                          not c.constraint.ref_columns and self._pk_has(table, column)))]
            if doomed and other_key != key:
                if not cascade:
                    raise self._error(origin, f"cannot drop column {column} of table "
                                      f"{table.name.name} because other objects depend on it")
                other = attrs.evolve(other, constraints=tuple(
                    c for c in other.constraints if c not in doomed))
                self._put(other_key, other)
                for c in doomed:
                    self._touch(other_key, origin, Action.ALTERED, Account(
                        Change.PART_DROPPED, Part("constraint", c.name, Action.DROPPED),
                        cause=self._column_key(table, column)))
        self._drop_dependent_views(table, origin, cascade, column,
                                   cause=self._column_key(table, column))
        table = self.objects[key]  # type: ignore[assignment]
        assert isinstance(table, Table)
        constraints = tuple(c for c in table.constraints if not _constraint_uses(c, column, table))
        columns = tuple(c for c in table.columns if c.name != column)
        dropped = table.column(column)
        acl = tuple(p for p in table.acl if p.column != column)  # its privileges go with it
        self._put(key, attrs.evolve(table, columns=columns, constraints=constraints, acl=acl))
        for index_key, index in self.objects.on_table(table.name, Index):
            if (isinstance(index, Index) and index.table == table.name
                    and _index_uses(index, column)):
                del self.objects[index_key]
                self._dropped(index_key, origin, Account(
                    Change.INDEX_DROPPED_WITH_COLUMN, names=(str(index.name),),
                    cause=self._column_key(table, column)))
        for seq_key, seq in self.objects.related(("owned_by", table.name)):
            if isinstance(seq, Sequence) and seq.owned_by == (table.name, column):
                del self.objects[seq_key]
                self._dropped(seq_key, origin, Account(
                    Change.OWNED_SEQUENCE_DROPPED_WITH_COLUMN,
                    cause=self._column_key(table, column)))
        self._touch(key, origin, Action.ALTERED,
                    Account(Change.PART_DROPPED, Part("column", column, Action.DROPPED)))
        if dropped is not None:
            self._dropped(self._column_key(table, column), origin,
                          Account(Change.PART_DROPPED, Part("column", column, Action.DROPPED)))
        if self._has_children(table):
            # partitions always lose it; inheritance children unless they declared it too
            for child_key, child in self._children(table.name):
                own = child.column(column)
                # an inheritance child keeps a column another parent still gives (attinhcount)
                still_given = any(
                    isinstance(giver := self.objects.get(("table", p.schema, p.name)), Table)
                    and giver.column(column) is not None
                    for p in child.inherits if p != table.name)
                if own is not None and (child.partition_of == table.name or (
                        own.inherited and not still_given)):
                    self._drop_column(child_key, child, column, origin, cascade)
                elif own is not None:
                    # the child keeps its own column, now perhaps before inherited ones
                    self._check_inherited_order(child, origin)

    def _pk_has(self, table: Table, column: str) -> bool:
        return any(c.constraint.kind == "primary key" and column in c.constraint.columns
                   for c in table.constraints)

    def _drop_dependent_views(self, table: Table, origin: ev.Origin, cascade: bool,
                              column: str | None = None, *, cause: Key | None = None
                              ) -> None:
        """Views and SQL-standard functions that read ``table`` (or its ``column``): dropped
        with it under CASCADE (their lineage names ``cause``, the object dropped), else an
        error."""
        for view_key, view in self.objects.of_type(View):
            if not isinstance(view, View) or view_key not in self.objects:
                continue
            if not _query_reads(view.query, table):
                continue
            if column is not None and column not in columns_named(view.query, {column}):
                continue
            if not cascade:
                raise self._error(origin, f"cannot drop {table.name.name} because view "
                                  f"{view.name.name} depends on it")
            # out of the objects first: a query that reads its own view (a broken history)
            # or views that read each other must not cascade for ever
            del self.objects[view_key]
            self._drop_view_parts(view, origin)
            self._dropped(view_key, origin, Account(
                Change.DROPPED_BY_CASCADE, names=("view", str(view.name)), cause=cause))
        # A SQL-standard routine body depends on what it reads, as a view's query does.
        for function_key, function in self.objects.related(STANDARD_BODY):
            if not isinstance(function, Function) or function_key not in self.objects:
                continue
            body = function.standard_body()
            if body is None or not _query_reads(body, table):
                continue
            if column is not None and column not in columns_named(body, {column}):
                continue
            if not cascade:
                raise self._error(origin, f"cannot drop {table.name.name} because function "
                                  f"{function.name.name} depends on it")
            del self.objects[function_key]
            self._dropped(function_key, origin, Account(
                Change.DROPPED_BY_CASCADE, names=("function", str(function.name)), cause=cause))

    def _drop_view_parts(self, view: View, origin: ev.Origin) -> None:
        """What goes with a view: the views on it (by cascade) and the indexes (of a
        materialized view), triggers and policies on it."""
        self._drop_dependent_views(Table(name=view.name, written=view.written), origin, True,
                                   cause=view.key())
        for child_key, child in list(self.objects.items()):
            if isinstance(child, Index | Trigger | Policy) and child.table == view.name:
                del self.objects[child_key]
                self._dropped(child_key, origin, Account(
                    Change.DROPPED_WITH, names=("view", str(view.name)), cause=view.key()))

    def _apply_RenameColumn(self, e: ev.RenameColumn) -> None:
        key = self._relation(e.table, e.origin, ("table", "view"),
                             missing_ok=e.if_exists)
        if key is None:
            self.noop[e.origin] = f"relation {e.table} does not exist"
            return
        obj = self.objects[key]
        if isinstance(obj, View):
            self._rename_view_column(key, obj, e)
            return
        assert isinstance(obj, Table)
        if obj.column(e.old) is not None:
            self._not_inherited(obj, e.old, "rename", e.origin)
        self._rename_column(key, obj, e.old, e.new, e.origin, e)

    def _rename_view_column(self, key: Key, view: View, e: ev.RenameColumn) -> None:
        """``ALTER VIEW v RENAME COLUMN``: the view's output column is renamed; the view
        keeps its query, with the new name as the column's alias."""
        current = _output_names(view)
        if current is None:
            raise self._error(e.origin, "renaming a column of a view whose output names "
                              "cannot be read from its query is not supported")
        if e.old not in current:
            raise self._error(e.origin, f'column "{e.old}" does not exist')
        if e.new in current:
            raise self._error(e.origin, f'column "{e.new}" of relation "{view.name.name}" '
                              "already exists")
        columns = tuple(e.new if c == e.old else c for c in current)
        self._put(key, attrs.evolve(view, columns=columns))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _rename_column(self, key: Key, table: Table, old: str, new: str, origin: ev.Origin,
                       statement: ev.Event) -> None:
        column = table.column(old)
        if column is None:
            raise self._error(origin, f'column "{old}" does not exist')
        if table.column(new) is not None:
            raise self._error(origin, f'column "{new}" of relation "{table.name.name}" '
                              "already exists")
        qualifiers = frozenset({table.name.name})
        e = _Renaming(old, new)

        def fix(text: str | None) -> str | None:
            return None if text is None else rename_column(text, e.old, e.new, qualifiers)

        columns = tuple(
            attrs.evolve(c, column=attrs.evolve(
                c.column, name=e.new if c.name == e.old else c.name,
                generated=fix(c.column.generated)))
            for c in table.columns
        )
        constraints = tuple(
            attrs.evolve(c, constraint=attrs.evolve(
                c.constraint,
                columns=tuple(e.new if x == e.old else x for x in c.constraint.columns),
                expression=fix(c.constraint.expression) if c.constraint.kind == "check"
                else c.constraint.expression,
                ref_columns=tuple(e.new if x == e.old else x for x in c.constraint.ref_columns)
                if c.target == table.name else c.constraint.ref_columns))
            for c in table.constraints
        )
        # column privileges follow the column
        acl = tuple(attrs.evolve(p, column=e.new) if p.column == e.old else p for p in table.acl)
        self._put(key, attrs.evolve(table, columns=columns, constraints=constraints, acl=acl))
        objects = self.objects
        for other_key, other in objects.in_order(
                objects.related(("target", table.name), ("Index", table.name),
                                ("Policy", table.name), ("owned_by", table.name)),
                objects.of_type(View), objects.related(STANDARD_BODY)):
            if isinstance(other, Table) and other_key != key and any(
                c.target == table.name for c in other.constraints
            ):
                self._put(other_key, attrs.evolve(other, constraints=tuple(
                    attrs.evolve(c, constraint=attrs.evolve(c.constraint, ref_columns=tuple(
                        e.new if x == e.old else x for x in c.constraint.ref_columns)))
                    if c.target == table.name else c for c in other.constraints)))
            elif isinstance(other, Index) and other.table == table.name:
                self._put(other_key, attrs.evolve(
                    other,
                    elements=tuple(attrs.evolve(
                        el, column=e.new if el.column == e.old else el.column,
                        expression=fix(el.expression)) for el in other.elements),
                    include=tuple(e.new if x == e.old else x for x in other.include),
                    where=fix(other.where)))
            elif isinstance(other, Policy) and other.table == table.name:
                self._put(other_key, attrs.evolve(other, using=fix(other.using),
                                                  check=fix(other.check)))
            elif isinstance(other, View) and _query_reads(other.query, table):
                names = qualifiers | aliases_of(other.query, table.name.name)
                self._put(other_key, attrs.evolve(other, query=rename_column(
                    other.query, e.old, e.new, frozenset(names), keep_output_names=True)))
            elif isinstance(other, Sequence) and other.owned_by == (table.name, e.old):
                self._put(other_key, attrs.evolve(other, owned_by=(table.name, e.new)))
            elif isinstance(other, Function) and (body := other.standard_body()) is not None \
                    and _query_reads(body, table):
                names = qualifiers | aliases_of(body, table.name.name)
                self._put(other_key, other.with_body(
                    rename_column(body, e.old, e.new, frozenset(names))))
        self._touch(key, origin, Action.ALTERED, statement)
        self._rekey(self._column_key(table, e.old), self._column_key(table, e.new))
        self._touch(self._column_key(table, e.new), origin, Action.RENAMED, statement)
        if self._has_children(table):
            for child_key, child in self._children(table.name):
                if child.column(old) is not None:
                    self._rename_column(child_key, child, old, new, origin, statement)

    def _column_update(self, e: ev.Event, table_name: QName, column: str,
                       change: Callable[[ModelColumn], ModelColumn], *,
                       recurse: bool = True) -> None:
        key, table = self._table(table_name, e.origin)
        self._update_column(key, table, e, column, change, recurse)

    def _update_column(self, key: Key, table: Table, e: ev.Event, column: str,
                       change: Callable[[ModelColumn], ModelColumn], recurse: bool) -> None:
        model = table.column(column)
        if model is None:
            raise self._error(e.origin, f'column "{column}" of relation "{table.name.name}" '
                              "does not exist")
        columns = tuple(change(c) if c.name == column else c for c in table.columns)
        self._put(key, attrs.evolve(table, columns=columns))
        self._touch(key, e.origin, Action.ALTERED, e)
        self._touch(self._column_key(table, column), e.origin, Action.ALTERED, e)
        if recurse and self._has_children(table):
            for child_key, child in self._children(table.name):
                if child.column(column) is not None:
                    self._update_column(child_key, child, e, column, change, recurse)

    def _apply_AlterColumnType(self, e: ev.AlterColumnType) -> None:
        _, table = self._table(e.table, e.origin)

        def change(c: ModelColumn) -> ModelColumn:
            column = attrs.evolve(c.column, type=e.type,
                                  default=_default_after_type_change(c.column, e.type),
                                  collation=e.collation if e.collation else c.column.collation)
            if c.serial_sequence is not None:
                # the sequence keeps its type (AS integer); from now on it is explicit
                self._unserial(c)
                column = attrs.evolve(column, default=f"nextval('{_regclass(c, table)}'::regclass)")
                return attrs.evolve(c, column=column, serial_sequence=None)
            return attrs.evolve(c, column=column)

        self._column_update(e, e.table, e.column, change)

    def _unserial(self, column: ModelColumn) -> None:
        assert column.serial_sequence is not None
        seq_key: Key = ("sequence", column.serial_sequence.schema, column.serial_sequence.name)
        seq = self.objects.get(seq_key)
        if isinstance(seq, Sequence):
            self._put(seq_key, attrs.evolve(seq, implicit=False))

    def _apply_SetColumnDefault(self, e: ev.SetColumnDefault) -> None:
        def change(c: ModelColumn) -> ModelColumn:
            if c.serial_sequence is not None:
                self._unserial(c)
                c = attrs.evolve(c, serial_sequence=None, column=attrs.evolve(
                    c.column, type=SERIAL_TYPES.get(canonical_type_name(c.column.type),
                                                    c.column.type)))
            return attrs.evolve(c, column=attrs.evolve(c.column, default=e.default))

        self._column_update(e, e.table, e.column, change)

    def _apply_SetColumnNotNull(self, e: ev.SetColumnNotNull) -> None:
        key, table = self._table(e.table, e.origin)
        if not e.not_null and self._pk_has(table, e.column):
            raise self._error(e.origin, f'column "{e.column}" is in a primary key')

        def change(c: ModelColumn) -> ModelColumn:
            if c.serial_sequence is not None and not e.not_null:
                # serial is NOT NULL by itself: without it the column is written out explicitly
                self._unserial(c)
                return attrs.evolve(c, serial_sequence=None, column=attrs.evolve(
                    c.column, not_null=False,
                    type=SERIAL_TYPES.get(canonical_type_name(c.column.type), c.column.type),
                    default=f"nextval('{_regclass(c, table)}'::regclass)"))
            return attrs.evolve(c, column=attrs.evolve(c.column, not_null=e.not_null))

        if not e.not_null:
            self._column_update(e, e.table, e.column, change)
            return
        self._column_update(e, e.table, e.column, change, recurse=False)
        self._not_null_to_children(key, e, change)

    def _not_null_to_children(self, parent_key: Key, e: ev.SetColumnNotNull,
                              change: Callable[[ModelColumn], ModelColumn]) -> None:
        """``SET NOT NULL`` on a parent reaches every partition and child. PostgreSQL 18 (checked
        on 18.6) gives a child whose column was nullable the parent's constraint name; a child
        that had a NOT NULL of its own keeps its name."""
        parent = self.objects[parent_key]
        assert isinstance(parent, Table)
        source = parent.column(e.column)
        if source is None or not self._has_children(parent):
            return
        name = source.not_null_name

        def inherit(c: ModelColumn) -> ModelColumn:
            had = c.column.not_null or c.column.identity is not None
            changed = change(c)
            return changed if had else attrs.evolve(changed, not_null_name=name)

        for child_key, child in self._children(parent.name):
            if child.column(e.column) is not None:
                self._update_column(child_key, child, e, e.column, inherit, recurse=False)
                self._not_null_to_children(child_key, e, change)

    def _apply_SetIdentityGeneration(self, e: ev.SetIdentityGeneration) -> None:
        _, table = self._table(e.table, e.origin)
        column = table.column(e.column)
        if column is None:
            raise self._error(e.origin, f'column "{e.column}" does not exist')
        if column.column.identity is None:
            raise self._error(e.origin, f'column "{e.column}" of relation "{table.name.name}" '
                              "is not an identity column")
        self._column_update(e, e.table, e.column, lambda c: attrs.evolve(
            c, column=attrs.evolve(c.column, identity=e.identity)), recurse=False)

    def _apply_SetColumnIdentity(self, e: ev.SetColumnIdentity) -> None:
        key, table = self._table(e.table, e.origin)
        column = table.column(e.column)
        if column is None:
            raise self._error(e.origin, f'column "{e.column}" does not exist')
        if e.identity is None:
            if column.column.identity is None:
                if e.if_exists:
                    self.noop[e.origin] = "column is not an identity column"
                    return
                raise self._error(e.origin, f'column "{e.column}" is not an identity column')
            for seq_key, seq in list(self.objects.items()):
                if isinstance(seq, Sequence) and seq.identity and seq.owned_by == (
                        table.name, e.column):
                    del self.objects[seq_key]
                    self._dropped(seq_key, e.origin, Account(Change.IDENTITY_SEQUENCE_DROPPED))
        else:
            _, _, sequences = self._new_column(table, attrs.evolve(
                column.column, identity=e.identity, identity_options=e.options,
                identity_sequence=e.sequence), e.origin, key)
            for seq in sequences:
                self._put(seq.key(), seq)
                self._created(seq.key(), e.origin, Account(Change.IDENTITY_SEQUENCE))
        self._column_update(e, e.table, e.column, lambda c: attrs.evolve(c, column=attrs.evolve(
            c.column, identity=e.identity, identity_options=e.options,
            identity_sequence=e.sequence,
            not_null=c.column.not_null or e.identity is not None)), recurse=False)

    def _apply_AddConstraint(self, e: ev.AddConstraint) -> None:
        key, table = self._table(e.table, e.origin)
        if (e.constraint.name is not None and table.constraint_named(e.constraint.name)
                and e.if_not_exists):
                self.noop[e.origin] = f"constraint {e.constraint.name} exists"
                return
        before = table
        table = self._add_constraints(
            key, table, [TableConstraint(constraint=e.constraint, created=self.ordinal)], e.origin
        )
        self._put(key, table)
        self._constraints_to_children(key, before, e.origin)

    def _apply_DropConstraint(self, e: ev.DropConstraint) -> None:
        key, table = self._table(e.table, e.origin)
        constraint = table.constraint_named(e.name)
        if constraint is None:
            if e.if_exists:
                self.noop[e.origin] = f"constraint {e.name} does not exist"
                return
            raise self._error(e.origin, f'constraint "{e.name}" of relation "{table.name.name}" '
                              "does not exist")
        if constraint.constraint.kind in ("primary key", "unique"):
            def backing(fk: TableConstraint) -> str | None:
                """The key a foreign key depends on: the primary key when it names no columns;
                else the first key (by creation) on those columns that existed when it was
                made, as PostgreSQL picks the first matching unique index by OID."""
                if not fk.constraint.ref_columns:
                    return next((k.name for k in table.constraints
                                 if k.constraint.kind == "primary key"), None)
                keys = [(k.created, n, k.name) for n, k in enumerate(table.constraints)
                        if k.constraint.kind in ("primary key", "unique")
                        and set(k.constraint.columns) == set(fk.constraint.ref_columns)
                        and k.created <= fk.created]
                return min(keys)[2] if keys else None

            for other_key, other in list(self.objects.items()):
                if isinstance(other, Table) and other_key != key:
                    doomed = [c for c in other.constraints if c.target == table.name and (
                        backing(c) == e.name if backing(c) is not None else (
                            set(c.constraint.ref_columns) == set(constraint.constraint.columns)
                            or (not c.constraint.ref_columns
                                and constraint.constraint.kind == "primary key")))]
                    if doomed:
                        if not e.cascade:
                            raise self._error(e.origin, f"cannot drop constraint {e.name} "
                                              "because other objects depend on it")
                        self._put(other_key, attrs.evolve(other, constraints=tuple(
                            c for c in other.constraints if c not in doomed)))
        self._put(key, attrs.evolve(table, constraints=tuple(
            c for c in table.constraints if c.name != e.name)))
        self._touch(key, e.origin, Action.ALTERED,
                    Account.of(e, part=Part("constraint", e.name, Action.DROPPED)))
        self._drop_from_children(table, e.name, e.origin)

    def _apply_ValidateConstraint(self, e: ev.ValidateConstraint) -> None:
        key, table = self._table(e.table, e.origin)
        if table.constraint_named(e.name) is None:
            raise self._error(e.origin, f'constraint "{e.name}" does not exist')
        self._put(key, attrs.evolve(table, constraints=tuple(
            attrs.evolve(c, constraint=attrs.evolve(c.constraint, not_valid=False))
            if c.name == e.name else c for c in table.constraints)))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _apply_SetRowSecurity(self, e: ev.SetRowSecurity) -> None:
        key, table = self._table(e.table, e.origin)
        table = attrs.evolve(
            table,
            rls_enabled=table.rls_enabled if e.enabled is None else e.enabled,
            rls_forced=table.rls_forced if e.forced is None else e.forced,
        )
        self._put(key, table)
        self._touch(key, e.origin, Action.ALTERED, e)

    def _apply_CreateIndex(self, e: ev.CreateIndex) -> None:
        table_key = self._relation(e.table, e.origin, ("table", "view"))
        assert table_key is not None
        table = self.objects[table_key]
        if isinstance(table, View) and not table.materialized:
            raise self._error(e.origin, f'cannot create index on relation "{table.name.name}": '
                              "it is a view")
        assert isinstance(table, Table | View)
        schema = table.name.schema or ""
        if e.name is not None:
            if self._namespace_taken(schema, e.name):
                self._exists(e.origin, e.if_not_exists, f"relation {e.name}",
                             f'relation "{e.name}" already exists')
                return
            name = e.name
        else:
            # INCLUDE columns are part of the name PostgreSQL chooses
            parts = [*index_name_parts(e.elements), *e.include]
            name = choose_name(table.name.name, column_part(parts), "idx",
                               lambda n: self._namespace_taken(schema, n))
        if isinstance(table, Table):
            # a qualified function call (s.f(c)) is read as a column with a suffix: not a name
            self._require_columns(table, [el.column for el in e.elements
                                          if el.column is not None
                                          and not el.suffix.lstrip().startswith((".", "("))],
                                  e.origin)
        key: Key = ("index", schema, name)
        elements = tuple(attrs.evolve(el, expression=self._pin(el.expression))
                         for el in e.elements)
        index = Index(name=QName(schema, name), table=table.name, table_written=e.table,
                      elements=elements, unique=e.unique, method=e.method, include=e.include,
                      where=self._pin(e.where), options=e.options,
                      nulls_not_distinct=e.nulls_not_distinct,
                      only=e.only, created=self.ordinal, external=self.external)
        self._put(key, index)
        self._created(key, e.origin, e)
        self._index_partitions(index, e.origin)

    def _apply_CreateSequence(self, e: ev.CreateSequence) -> None:
        if e.temporary:
            self.noop[e.origin] = "temporary: gone when the migration's session ends"
            return
        schema = self._creation_schema(e.name, e.origin)
        key: Key = ("sequence", schema, e.name.name)
        if self._namespace_taken(schema, e.name.name):
            self._exists(e.origin, e.if_not_exists, f"relation {e.name}",
                         f'relation "{e.name.name}" already exists')
            return
        owned_by = None
        if e.owned_by is not None:
            _, table = self._table(e.owned_by[0], e.origin)
            owned_by = (table.name, e.owned_by[1])
        self._put(key, self._default_grants(Sequence(
            name=QName(schema, e.name.name), written=e.name, options=e.options,
            owned_by=owned_by, created=self.ordinal, external=self.external,
            unlogged=e.unlogged), "sequences"))
        self._created(key, e.origin, e)

    def _apply_AlterSequence(self, e: ev.AlterSequence) -> None:
        key = self._relation(e.name, e.origin, ("sequence",), missing_ok=e.if_exists)
        if key is None:
            self.noop[e.origin] = f"sequence {e.name} does not exist"
            return
        seq = self.objects[key]
        assert isinstance(seq, Sequence)
        options = seq.options
        changes = {k: v for k, v in attrs.asdict(e.options).items() if v not in (None, False)}
        options = attrs.evolve(options, **changes)
        owned_by = seq.owned_by
        if e.owned_by is not None:
            _, table = self._table(e.owned_by[0], e.origin)
            owned_by = (table.name, e.owned_by[1])
        if e.owned_by_none:
            owned_by = None
        seq = attrs.evolve(seq, options=options, owned_by=owned_by, implicit=False if (
            changes or e.owned_by or e.owned_by_none) else seq.implicit)
        if e.restart:
            seq = attrs.evolve(seq, restart_with=e.restart_with if e.restart_with is not None
                               else (options.start or 1))
        if seq.implicit is False and self.objects[key] != seq:
            self._explicit_serial(seq)
        self._put(key, seq)
        self._touch(key, e.origin, Action.ALTERED, e)

    def _explicit_serial(self, seq: Sequence) -> None:
        """A serial's sequence changed: its column now shows type and default explicitly."""
        if seq.owned_by is None:
            return
        table_key = ("table", seq.owned_by[0].schema, seq.owned_by[0].name)
        table = self.objects.get(table_key)
        if not isinstance(table, Table):
            return
        column = table.column(seq.owned_by[1])
        if column is None or column.serial_sequence != seq.name:
            return
        base = SERIAL_TYPES.get(canonical_type_name(column.column.type), column.column.type)
        new = attrs.evolve(column, serial_sequence=None, column=attrs.evolve(
            column.column, type=base, default=f"nextval('{_regclass(column, table)}'::regclass)",
            not_null=True))
        self._put(table_key, attrs.evolve(table, columns=tuple(
            new if c.name == column.name else c for c in table.columns)))

    def _apply_RefreshMaterializedView(self, e: ev.RefreshMaterializedView) -> None:
        """The view is populated (WITH NO DATA: left unpopulated). Its rows follow from the
        tables': the consolidation refreshes every populated materialized view after loading
        them (one that later data statements left stale is not reproduced)."""
        key = self._relation(e.name, e.origin, ("view",))
        assert key is not None
        view = self.objects[key]
        if not isinstance(view, View) or not view.materialized:
            raise self._error(e.origin, f'"{e.name.name}" is not a materialized view')
        if view.with_data != e.with_data:
            self._put(key, attrs.evolve(view, with_data=e.with_data))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _apply_CreateView(self, e: ev.CreateView) -> None:
        schema = self._creation_schema(e.name, e.origin)
        key: Key = ("view", schema, e.name.name)
        query = self._pin(self._expand_star(e.query, e.origin)) or e.query
        existing = self.objects.get(key)
        if existing is None and self._namespace_taken(schema, e.name.name):
            self._exists(e.origin, e.if_not_exists, f"relation {e.name}",
                         f'relation "{e.name.name}" already exists')
            return
        if existing is not None:
            if e.if_not_exists:
                self.noop[e.origin] = f"relation {e.name} exists"
                return
            if not e.or_replace:
                raise self._error(e.origin, f'relation "{e.name.name}" already exists')
            assert isinstance(existing, View)
            self._replace(key, e.origin)
            self._put(key, attrs.evolve(existing, query=query, columns=e.columns,
                                        options=e.options, check_option=e.check_option))
            self._touch(key, e.origin, Action.ALTERED, e)
            return
        self._put(key, self._default_grants(View(
            name=QName(schema, e.name.name), written=e.name, query=query, columns=e.columns,
            materialized=e.materialized, with_data=e.with_data, options=e.options,
            check_option=e.check_option, created=self.ordinal, external=self.external,
        ), "tables"))
        self._created(key, e.origin, e)

    def _expand_star(self, query: str, origin: ev.Origin) -> str:
        """``SELECT * FROM t`` names t's columns as they are now: PostgreSQL expands it then."""
        from schemafold.parse.tokens import TokenType, dotted_name, word

        tokens = fragment(query).tokens
        stars = [i for i, t in enumerate(tokens) if t.token_type == TokenType.STAR
                 and i > 0 and (word(tokens[i - 1]) in ("SELECT", "DISTINCT")
                                or tokens[i - 1].token_type == TokenType.COMMA)]
        if not stars:
            return query
        froms = [i for i, t in enumerate(tokens) if word(t) == "FROM"]
        if len(froms) != 1 or len(stars) != 1:
            self._warn(origin, "SELECT * kept as written (more than one FROM)")
            return query
        names, after = dotted_name(tokens, froms[0] + 1)
        rest = {word(t) for t in tokens[after:]} | {t.token_type for t in tokens[after:]}
        if not names or "JOIN" in rest or TokenType.COMMA in rest:
            self._warn(origin, "SELECT * kept as written (it reads more than one relation)")
            return query
        name = QName.from_parts(names) if len(names) <= 3 else None
        key = self._resolve(name, ("table", "view")) if name else None
        obj = self.objects.get(key) if key else None
        if isinstance(obj, Table):
            columns = [c.name for c in obj.columns]
        elif isinstance(obj, View) and (output := _output_names(obj)):
            columns = list(output)
        else:
            self._warn(origin, "SELECT * kept as written")
            return query
        from schemafold.names import quote_ident

        star = tokens[stars[0]]
        listing = ", ".join(quote_ident(c) for c in columns)
        return query[: star.start] + listing + query[star.end + 1:]

    def _replace(self, key: Key, origin: ev.Origin) -> None:
        uid = self.uid_of.get(key)
        if uid is not None:
            previous = self.definer.get(uid)
            if previous is not None:
                self.replaced_by[previous] = origin
            self.definer[uid] = origin

    def _apply_CreateFunction(self, e: ev.CreateFunction) -> None:
        schema = self._creation_schema(e.name, e.origin)
        key: Key = ("function", schema, e.name.name, e.arg_types)
        existing = self.objects.get(key)
        if existing is not None:
            if not e.or_replace:
                raise self._error(e.origin, f'function "{e.name.name}" already exists with same '
                                  "argument types")
            assert isinstance(existing, Function)
            self._replace(key, e.origin)
            self._put(key, self._pin_body(attrs.evolve(
                existing, text=e.origin.text, language=e.language, body=e.body,
                returns_trigger=e.returns_trigger)))
            self._touch(key, e.origin, Action.ALTERED, e)
            return
        self._put(key, self._default_grants(self._pin_body(Function(
            name=QName(schema, e.name.name), written=e.name, arg_types=e.arg_types,
            text=e.origin.text, procedure=e.procedure, returns_trigger=e.returns_trigger,
            language=e.language, body=e.body, created=self.ordinal, external=self.external,
        )), "functions"))
        self._created(key, e.origin, e)

    def _pin_body(self, function: Function) -> Function:
        """A SQL-standard body is resolved when the routine is created, under the search_path
        of that moment (PostgreSQL stores it parsed): what it names unqualified is pinned to
        the schema it resolves to, as a view's query is. A body in a string is resolved when
        the routine runs, and stays as written."""
        body = function.standard_body()
        if body is None:
            return function
        pinned = self._pin(body)
        return function if pinned is None or pinned == body else function.with_body(pinned)

    def _apply_CreateTrigger(self, e: ev.CreateTrigger) -> None:
        # on a table, or on a view (INSTEAD OF; a view's statement triggers)
        relation = self._relation(e.table, e.origin, ("table", "view"))
        assert relation is not None
        table = self.objects[relation]
        assert isinstance(table, Table | View)
        key: Key = ("trigger", table.name.schema, table.name.name, e.name)
        function_key = self._function(e.function, None, e.origin)
        existing = self.objects.get(key)
        if existing is not None:
            if e.if_not_exists:
                self.noop[e.origin] = f"trigger {e.name} exists"
                return
            if not e.or_replace:
                raise self._error(e.origin, f'trigger "{e.name}" for relation '
                                  f'"{table.name.name}" already exists')
            self._replace(key, e.origin)
        trigger = Trigger(
            name=e.name, table=table.name, table_written=e.table,
            function=QName(str(function_key[1]), str(function_key[2])),
            function_written=e.function, timing=e.timing, events=e.events,
            for_each_row=e.for_each_row, when=self._pin(e.when), function_args=e.function_args,
            constraint=e.constraint, deferral=e.deferral, referencing=e.referencing,
            from_table=self._from_table(e),
            created=existing.created if existing else self.ordinal,
            comment=existing.comment if existing else None, external=self.external,
        )
        self._put(key, trigger)
        if existing is None:
            self._created(key, e.origin, e)
        else:
            self._touch(key, e.origin, Action.ALTERED, e)

    def _from_table(self, e: ev.CreateTrigger) -> QName | None:
        """``CREATE CONSTRAINT TRIGGER ... FROM t``: t must exist; kept as written."""
        written = e.from_table
        if written is not None:
            self._relation(written, e.origin, ("table",))
        return written

    def _apply_CreatePolicy(self, e: ev.CreatePolicy) -> None:
        _, table = self._table(e.table, e.origin)
        key: Key = ("policy", table.name.schema, table.name.name, e.name)
        if key in self.objects:
            self._exists(e.origin, e.if_not_exists, f"policy {e.name}",
                         f'policy "{e.name}" for table "{table.name.name}" already exists')
            return
        self._put(key, Policy(name=e.name, table=table.name, table_written=e.table,
                              permissive=e.permissive, command=e.command, roles=e.roles,
                              using=self._pin(e.using), check=self._pin(e.check),
                              created=self.ordinal,
                              external=self.external))
        self._created(key, e.origin, e)

    def _apply_AlterPolicy(self, e: ev.AlterPolicy) -> None:
        _, table = self._table(e.table, e.origin)
        key: Key = ("policy", table.name.schema, table.name.name, e.name)
        policy = self.objects.get(key)
        if not isinstance(policy, Policy):
            raise self._error(e.origin, f'policy "{e.name}" for table "{table.name.name}" '
                              "does not exist")
        self._put(key, attrs.evolve(
            policy, roles=policy.roles if e.roles is None else e.roles,
            using=policy.using if e.using is None else self._pin(e.using),
            check=policy.check if e.check is None else self._pin(e.check)))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _apply_Drop(self, e: ev.Drop) -> None:
        for ref in e.targets:
            if e.kind == "extension":
                self._cascaded_extension(ref.name.name, e.origin)
            key = self._target_key(e.kind, ref, e.origin, e.if_exists)
            if key is None:
                self.noop.setdefault(e.origin, f"{e.kind} {ref} does not exist")
                self._warn(e.origin, f'{e.kind} "{ref}" does not exist, skipping')
                continue
            self.noop.pop(e.origin, None)
            self._drop(key, e.origin, e.cascade)

    def _cascaded_extension(self, name: str, origin: ev.Origin) -> None:
        """Dropping an extension ``CREATE EXTENSION ... CASCADE`` made, or one that may be what
        it installed: which extensions another requires is in its control file, unknown to the
        fold, so what is left after the drop is not known."""
        extensions = [o for o in self.objects.values() if isinstance(o, Extension)]
        made = next((x for x in extensions if x.name == name), None)
        cascading = [x.name for x in extensions if x.cascade and not x.external]
        if (made is not None and made.cascade) or (made is None and cascading):
            raise self.fold_limit(origin, f"dropping extension {name} after CREATE EXTENSION "
                                  f"{', '.join(cascading)} CASCADE: the fold does not know "
                                  "what CASCADE installed")

    def _drop(self, key: Key, origin: ev.Origin, cascade: bool) -> None:
        obj = self.objects.get(key)
        if obj is None:
            return
        kind = key[0]
        if isinstance(obj, Table):
            for other_key, other in self.objects.related(("target", obj.name)):
                if isinstance(other, Table) and other_key != key and any(
                        c.target == obj.name for c in other.constraints):
                    if not cascade:
                        raise self._error(origin, f"cannot drop table {obj.name.name} because "
                                          "other objects depend on it")
                    self._put(other_key, attrs.evolve(other, constraints=tuple(
                        c for c in other.constraints if c.target != obj.name)))
                    for c in other.constraints:
                        if c.target == obj.name:
                            self._touch(other_key, origin, Action.ALTERED, Account(
                                Change.PART_DROPPED_BY_CASCADE,
                                Part("constraint", c.name, Action.DROPPED), cause=key))
            self._drop_dependent_views(obj, origin, cascade, cause=key)
            objects = self.objects
            for child_key, child in objects.related(
                    ("Index", obj.name), ("Trigger", obj.name), ("Policy", obj.name),
                    ("owned_by", obj.name), ("partition_of", obj.name)):
                belongs = (isinstance(child, Index | Trigger | Policy) and child.table == obj.name
                           ) or (isinstance(child, Sequence) and child.owned_by is not None
                                 and child.owned_by[0] == obj.name)
                if belongs:
                    del self.objects[child_key]
                    self._dropped(child_key, origin, Account(
                        Change.DROPPED_WITH, names=("table", str(obj.name)), cause=key))
                if isinstance(child, Table) and child.partition_of == obj.name:
                    self._drop(child_key, origin, True)
            for column in obj.columns:
                self._dropped(self._column_key(obj, column.name), origin, Account(
                    Change.DROPPED_WITH_ITS, names=("table",), cause=key))
            self.rows.pop(key, None)
        elif isinstance(obj, View):
            self._drop_dependent_views(Table(name=obj.name, written=obj.written), origin, cascade,
                                       cause=key)
            self._drop_view_parts(obj, origin)
        elif isinstance(obj, Function):
            for child_key, child in self.objects.related(("function", obj.name)):
                if isinstance(child, Trigger) and child.function == obj.name:
                    if not cascade:
                        raise self._error(origin, f"cannot drop function {obj.name.name} because "
                                          f"trigger {child.name} depends on it")
                    del self.objects[child_key]
                    self._dropped(child_key, origin, Account(Change.CASCADED, cause=key))
        elif kind == "type":
            assert isinstance(obj, (EnumType, CompositeType, Domain, RangeType))
            type_name: QName = obj.name
            users = [(table_key, column.name) for table_key, table in self.objects.items()
                     if isinstance(table, Table) for column in table.columns
                     if _type_matches(column.column.type, type_name, table.name.schema)]
            if users and not cascade:
                raise self._error(origin, f"cannot drop type {type_name.name} because other "
                                  "objects depend on it")
            for table_key, column_name in users:
                current = self.objects[table_key]
                assert isinstance(current, Table)
                self._drop_column(table_key, current, column_name, origin, True)
        elif kind == "schema":
            members = [k for k, o in self.objects.items() if len(k) > 2 and k[1] == key[1]]
            if members and not cascade:
                raise self._error(origin, f"cannot drop schema {key[1]} because other objects "
                                  "depend on it")
            for member in members:
                self._drop(member, origin, True)
        elif kind == "index":
            assert isinstance(obj, Index)
            if obj.attached_to is not None and obj.attached_to in {
                    o.name for o in self.objects.values() if isinstance(o, Index)}:
                raise self._error(origin, f"cannot drop index {obj.name.name} because index "
                                  f"{obj.attached_to.name} requires it")
            for child_key, child in list(self.objects.items()):
                if isinstance(child, Index) and child.attached_to == obj.name:
                    self._drop(child_key, origin, True)
        if key in self.objects:
            del self.objects[key]
        self._dropped(key, origin, Account(Change.KIND_DROPPED, names=(str(kind),)))

    def _rename_constraint(self, key: Key, table: Table, old: str, new: str, origin: ev.Origin,
                           statement: ev.Event) -> None:
        if table.constraint_named(new) is not None:
            raise self._error(origin, f'constraint "{new}" for relation "{table.name.name}" '
                              "already exists")
        renamed = table.constraint_named(old)
        assert renamed is not None
        self._put(key, attrs.evolve(table, constraints=tuple(
            attrs.evolve(c, constraint=attrs.evolve(c.constraint, name=new))
            if c.name == old else c for c in table.constraints)))
        self._touch(key, origin, Action.RENAMED, statement)
        if not self._has_children(table):
            return
        for child_key, child in self._children(table.name):
            clone = next((c for c in child.constraints if c.parent_constraint == old), None)
            if clone is None:
                continue
            # inherited CHECKs share the parent's name and are renamed with it; cloned keys
            # keep the name chosen for the partition
            child = attrs.evolve(child, constraints=tuple(
                attrs.evolve(c, parent_constraint=new) if c is clone else c
                for c in child.constraints))
            self._put(child_key, child)
            if renamed.constraint.kind == "check" and clone.name == old:
                self._rename_constraint(child_key, child, old, new, origin, statement)

    def _apply_Rename(self, e: ev.Rename) -> None:
        # ALTER TABLE and ALTER INDEX rename any relation (PostgreSQL allows both on every kind)
        any_relation = ("table", "view", "sequence", "index")
        if e.kind in ("table", "index") and self._resolve(e.target.name, any_relation) is None:
            backing = self._key_index(e.target.name)
            if backing is not None:  # renaming a key's index renames the constraint
                table_key, table, name = backing
                if self._namespace_taken(str(table_key[1]), e.new_name):
                    raise self._error(e.origin, f'relation "{e.new_name}" already exists')
                self._rename_constraint(table_key, table, name, e.new_name, e.origin, e)
                return
        kind = "any relation" if e.kind in ("table", "index") else e.kind
        key = self._target_key(kind, e.target, e.origin, e.if_exists)
        if key is None:
            self.noop[e.origin] = f"{e.kind} {e.target} does not exist"
            return
        obj = self.objects[key]
        if e.kind == "constraint":
            assert isinstance(obj, Table)
            old = e.target.name.name
            if obj.constraint_named(old) is None:
                raise self._error(e.origin, f'constraint "{old}" does not exist')
            self._rename_constraint(key, obj, old, e.new_name, e.origin, e)
            return
        if len(key) == 3 and key[0] in ("table", "view", "sequence", "index", "type"):
            schema = str(key[1])
            if self._namespace_taken(schema, e.new_name):
                raise self._error(e.origin, f'relation "{e.new_name}" already exists')
            new_key: Key = (key[0], schema, e.new_name)
            new_q = QName(schema, e.new_name)
            written = getattr(obj, "written", None)
            changes: dict[str, Any] = {"name": new_q}
            if written is not None:
                changes["written"] = QName(written.schema, e.new_name)
            del self.objects[key]
            self._put(new_key, attrs.evolve(obj, **changes))
            self._rekey(key, new_key)
            old_q = QName(schema, str(key[2]))
            if key[0] == "type":
                self._follow_type_rename(old_q, new_q)
            else:
                self._follow_relation_rename(old_q, new_q)
            if isinstance(obj, Table):
                for column in obj.columns:
                    self._rekey(("column", schema, old_q.name, column.name),
                                ("column", schema, e.new_name, column.name))
            self._touch(new_key, e.origin, Action.RENAMED, e)
            return
        if key[0] == "function":
            assert isinstance(obj, Function)
            new_key = ("function", key[1], e.new_name, key[3])
            if new_key in self.objects:
                raise self._error(e.origin, f'function {e.new_name} already exists')
            unique = self._unique_routine(obj.name) and not any(
                k[0] == "function" and k[1] == key[1] and k[2] == e.new_name
                for k in self.objects)
            del self.objects[key]
            self._put(new_key, attrs.evolve(
                obj, name=QName(str(key[1]), e.new_name),
                text=replace_routine_name(obj.text, QName(obj.written.schema, e.new_name).sql()),
                written=QName(obj.written.schema, e.new_name)))
            self._rekey(key, new_key)
            self._touch(new_key, e.origin, Action.RENAMED, e)
            if unique:  # expressions call it by identity: they follow the rename
                old_name, schema = obj.name.name, str(key[1])
                self._rewrite_expressions(
                    lambda t: rename_function(t, old_name, e.new_name, schema))
            # triggers call the function by identity: they follow the rename
            for other_key, other in list(self.objects.items()):
                if isinstance(other, Trigger) and other.function == obj.name:
                    self._put(other_key, attrs.evolve(
                        other, function=QName(str(key[1]), e.new_name),
                        function_written=QName(other.function_written.schema, e.new_name)))
            return
        if key[0] in ("trigger", "policy"):
            new_key = (key[0], key[1], key[2], e.new_name)
            del self.objects[key]
            named: Any = obj
            self._put(new_key, attrs.evolve(named, name=e.new_name))
            self._rekey(key, new_key)
            self._touch(new_key, e.origin, Action.RENAMED, e)
            return
        if key[0] == "schema":
            self._rename_schema(key, e.new_name, e.origin, e)
            return
        raise self._error(e.origin, f"renaming a {e.kind} is not supported yet")

    def _follow_type_rename(self, old: QName, new: QName) -> None:
        """Columns, attributes and domains of the renamed type, and casts to it in
        expressions, name it by its new name (PostgreSQL refers to it by identity)."""
        assert old.schema is not None

        def declared(text: str) -> str:
            return rename_type(text, old.name, new.name, old.schema, declaration=True)

        def cast(text: str | None) -> str | None:
            return None if text is None else rename_type(text, old.name, new.name, old.schema)

        for key, obj in list(self.objects.items()):
            changed: SchemaObject = obj
            if isinstance(obj, Table):
                changed = attrs.evolve(obj, columns=tuple(
                    attrs.evolve(c, column=attrs.evolve(
                        c.column, type=declared(c.column.type), default=cast(c.column.default),
                        generated=cast(c.column.generated)))
                    for c in obj.columns), constraints=tuple(
                    attrs.evolve(c, constraint=attrs.evolve(
                        c.constraint, expression=cast(c.constraint.expression)))
                    for c in obj.constraints))
            elif isinstance(obj, CompositeType):
                changed = attrs.evolve(obj, attributes=tuple(
                    attrs.evolve(a, type=declared(a.type)) for a in obj.attributes))
            elif isinstance(obj, Domain):
                changed = attrs.evolve(obj, base_type=declared(obj.base_type),
                                       default=cast(obj.default))
            elif isinstance(obj, View):
                changed = attrs.evolve(obj, query=cast(obj.query) or obj.query)
            elif isinstance(obj, Index):
                changed = attrs.evolve(obj, where=cast(obj.where), elements=tuple(
                    attrs.evolve(el, expression=cast(el.expression)) for el in obj.elements))
            elif isinstance(obj, Policy):
                changed = attrs.evolve(obj, using=cast(obj.using), check=cast(obj.check))
            if changed != obj:
                self._put(key, changed)

    def _follow_relation_rename(self, old: QName, new: QName) -> None:
        for key, obj in list(self.objects.items()):
            if isinstance(obj, Index) and obj.attached_to == old:
                obj = attrs.evolve(obj, attached_to=new)
                self._put(key, obj)
            if isinstance(obj, Trigger) and obj.from_table is not None and \
                    obj.from_table.name == old.name and obj.from_table.schema in (None, old.schema):
                obj = attrs.evolve(obj, from_table=QName(obj.from_table.schema, new.name))
                self._put(key, obj)
            if isinstance(obj, Table):
                changed = False
                constraints = []
                for c in obj.constraints:
                    if c.target == old:
                        written = c.constraint.references
                        assert written is not None
                        c = attrs.evolve(c, target=new, constraint=attrs.evolve(
                            c.constraint, references=QName(written.schema, new.name)))
                        changed = True
                    constraints.append(c)
                if obj.partition_of == old:
                    written_parent = obj.partition_of_written
                    obj = attrs.evolve(obj, partition_of=new, partition_of_written=(
                        QName(written_parent.schema, new.name)
                        if written_parent is not None else None))
                    changed = True
                if changed:
                    self._put(key, attrs.evolve(obj, constraints=tuple(constraints)))
            elif isinstance(obj, Index | Trigger | Policy) and obj.table == old:
                renamed = attrs.evolve(obj, table=new, table_written=QName(
                    obj.table_written.schema, new.name))
                if isinstance(obj, Trigger | Policy):
                    # keyed by their table: DROP TRIGGER t ON <new name> finds them
                    new_key: Key = (key[0], key[1], new.name, key[3])
                    del self.objects[key]
                    self._put(new_key, renamed)
                    self._rekey(key, new_key)
                else:
                    self._put(key, renamed)
            elif isinstance(obj, Sequence) and obj.owned_by and obj.owned_by[0] == old:
                self._put(key, attrs.evolve(obj, owned_by=(new, obj.owned_by[1])))
            elif isinstance(obj, View):
                query = rename_relation(obj.query, old.name, new.name, old.schema)
                if query != obj.query:
                    self._put(key, attrs.evolve(obj, query=query))
            elif isinstance(obj, Function) and (body := obj.standard_body()) is not None:
                renamed_body = rename_relation(body, old.name, new.name, old.schema)
                if renamed_body != body:
                    self._put(key, obj.with_body(renamed_body))


@attrs.frozen
class _Renaming:
    old: str
    new: str


def canonical_type_name(type_text: str) -> str:
    return " ".join(type_text.lower().split())


#: Built-in types (canonical, without typmod) whose name casts a string literal to a constant of
#: exactly that type, as PostgreSQL prints it. ``character`` is written ``bpchar`` (``character``
#: alone is ``character(1)``); types whose typmod the literal keeps (``interval``) or whose bare
#: name means a length (``bit``), and types of the history, are left out.
_STRING_CAST_TYPES = {
    "text": "text", "character varying": "character varying", "character": "bpchar",
    "smallint": "smallint", "integer": "integer", "bigint": "bigint", "numeric": "numeric",
    "real": "real", "double precision": "double precision", "boolean": "boolean",
    "date": "date", "timestamp without time zone": "timestamp without time zone",
    "timestamp with time zone": "timestamp with time zone",
    "time without time zone": "time without time zone",
    "time with time zone": "time with time zone", "uuid": "uuid", "json": "json",
    "jsonb": "jsonb", "bytea": "bytea", "inet": "inet", "cidr": "cidr",
}


def _default_after_type_change(column: ev.Column, new_type: str) -> str | None:
    """The default of ``column`` once ``ALTER COLUMN ... TYPE new_type`` changed its type.

    PostgreSQL keeps the stored default, typed by the old type, and coerces it to the new one: an
    untyped string literal (``'a'`` on a ``varchar(20)`` column) stays a constant of the old type
    (``'a'::character varying`` on the ``text`` column it becomes). Written with that cast, the
    default a consolidation creates the column with is the same expression."""
    default = column.default
    old = canonical_type(column.type)
    if default is None or old == canonical_type(new_type):
        return default
    literal = string_literal(default)
    base = old.removesuffix("[]" * old.count("[]"))
    if (literal is None or literal[1] is not None or not default.lstrip("( ").startswith("'")
            or base not in _STRING_CAST_TYPES):
        return default
    return f"{default}::{_STRING_CAST_TYPES[base]}" + "[]" * old.count("[]")


def _regclass(column: ModelColumn, table: Table) -> str:
    """The serial sequence's name for ``nextval('...')``: with its schema when that is not
    public (it lives in its table's schema; unqualified, the consolidation would look for it on
    the default search_path)."""
    assert column.serial_sequence is not None
    schema = column.serial_sequence.schema or table.name.schema
    name = QName(schema if schema not in (None, "public") else None,
                 column.serial_sequence.name)
    return name.sql().replace("'", "''")


#: Bare words in a select list that are values, not column references.
_NOT_COLUMNS = frozenset({"NULL", "TRUE", "FALSE", "CURRENT_DATE", "CURRENT_TIME",
                          "CURRENT_TIMESTAMP", "CURRENT_USER", "SESSION_USER", "CURRENT_ROLE",
                          "LOCALTIME", "LOCALTIMESTAMP", "USER", "*"})


def _output_names(view: View) -> tuple[str, ...] | None:
    """A view's output column names: as its column list gives them, or as its query's select
    list does (read once per query fragment); None when neither says."""
    if view.columns:
        return view.columns
    names: tuple[str, ...] | None = view.query.derived(_select_output_names)
    return names


def _select_output_names(query: Fragment) -> tuple[str, ...] | None:
    """The output column names of ``SELECT a, t.b, c AS d FROM ...``; None when an item is
    neither a column reference nor aliased. Asked of a view's query fragment once
    (``query.derived``)."""
    from schemafold.parse.tokens import Cursor, TokenType, is_word, word

    cursor = Cursor(query)
    if not cursor.accept("SELECT"):
        return None
    cursor.accept("ALL")
    end, depth = len(cursor.tokens), 0
    for i in range(cursor.pos, len(cursor.tokens)):
        token = cursor.tokens[i]
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        if depth == 0 and word(token) == "FROM":
            end = i
            break
    names: list[str] = []
    for first, last in cursor.split_top_level(cursor.pos, end):
        tokens = cursor.tokens[first:last]
        if len(tokens) >= 2 and word(tokens[-2]) == "AS":
            names.append(tokens[-1].text if tokens[-1].token_type == TokenType.IDENTIFIER
                         else tokens[-1].text.lower())
        elif tokens and all(
                (t.token_type == TokenType.DOT) == (n % 2 == 1) for n, t in enumerate(tokens)) \
                and all(t.token_type == TokenType.IDENTIFIER or (
                    is_word(t) and t.text.upper() not in _NOT_COLUMNS) for t in tokens[::2]):
            last_token = tokens[-1]
            names.append(last_token.text if last_token.token_type == TokenType.IDENTIFIER
                         else last_token.text.lower())
        else:
            return None
    return tuple(names)


def _merge_redundant_keys(pending: list[TableConstraint]) -> list[TableConstraint]:
    """PostgreSQL's ``transformIndexConstraints``: in one ``CREATE TABLE``, a ``UNIQUE`` whose
    index would equal the primary key's (or an earlier ``UNIQUE``'s) -- same columns in the same
    order, same ``INCLUDE``, ``NULLS NOT DISTINCT`` and deferral -- is merged into it: one index,
    one constraint, which takes the merged one's name if it had none (``PRIMARY KEY,
    CONSTRAINT u UNIQUE (id)`` makes a primary key named ``u``). ``WITH`` and the tablespace are
    not compared. The primary key is considered first, wherever it is written."""
    def signature(c: ev.Constraint) -> tuple[object, ...]:
        return (c.columns, c.nulls_not_distinct, c.deferrable, c.initially_deferred, c.include)

    keys = [i for i, tc in enumerate(pending)
            if tc.constraint.kind in ("primary key", "unique") and tc.parent_constraint is None]
    keys.sort(key=lambda i: pending[i].constraint.kind != "primary key")
    result: list[TableConstraint | None] = list(pending)
    kept: list[int] = []
    for i in keys:
        constraint = pending[i].constraint
        prior = next((k for k in kept if signature(pending[k].constraint)
                      == signature(constraint)), None)
        if prior is None:
            kept.append(i)
            continue
        result[i] = None
        merged = result[prior]
        assert merged is not None
        if merged.constraint.name is None and constraint.name is not None:
            result[prior] = attrs.evolve(merged, constraint=attrs.evolve(
                merged.constraint, name=constraint.name))
    return [tc for tc in result if tc is not None]


def _exclude_columns(constraint: ev.Constraint) -> list[str]:
    from schemafold.parse.tokens import Cursor, TokenType

    names = []
    cursor = Cursor(constraint.expression or "")
    for first, last in cursor.split_top_level(0, len(cursor.tokens)):
        part = cursor.sub(first, last)
        if part.at_type(TokenType.L_PAREN) or part.at_type(TokenType.L_PAREN, 1):
            names.append("expr")
        else:
            names.append(part.identifier())
    return names


def _constraint_uses(constraint: TableConstraint, column: str, table: Table) -> bool:
    c = constraint.constraint
    if column in c.columns:
        return True
    if c.expression and c.kind == "check":
        return bool(columns_named(c.expression, {column}))
    return False


def _index_uses(index: Index, column: str) -> bool:
    for element in index.elements:
        if element.column == column:
            return True
        if element.expression and columns_named(element.expression, {column}):
            return True
    if column in index.include:
        return True
    return bool(index.where and columns_named(index.where, {column}))


def _query_reads(query: str, table: Table) -> bool:
    from schemafold.parse.tokens import TokenType

    tokens = fragment(query).tokens
    for i, token in enumerate(tokens):
        text = token.text if token.token_type == TokenType.IDENTIFIER else token.text.lower()
        if text == table.name.name:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is None or nxt.token_type != TokenType.L_PAREN:
                return True
    return False


def _type_matches(type_text: str, name: QName, table_schema: str | None) -> bool:
    base = canonical_type(type_text).removesuffix("[]").removesuffix("[]")
    parts = base.split(".")
    if len(parts) == 2:
        return parts[0] == name.schema and parts[1] == name.name
    return base == name.name


@fewer_collections()
def fold_events(events: Iterable[ev.Event], *, search_path: Seq[str] = ("$user", "public"),
                setup: Iterable[ev.Event] = (), progress: Progress | None = None) -> FoldResult:
    """Fold ``events`` (after ``setup`` events, folded as external objects); ``progress``
    hears how many events are done."""
    folder = Folder(search_path=search_path)
    history = list(events)
    setup = list(setup)
    folder.rollback_files = {
        e.origin.file for e in (*setup, *history)
        if isinstance(e, ev.SessionStatement) and e.verb.startswith("rollback")}
    folder.external = True
    for event in setup:
        folder.apply(event)
    folder.setup_done()
    setup_statements = len(folder.statements)
    ticker = Ticker(progress, "folded events", len(history))
    for done, event in enumerate(history):
        ticker.tick(done)
        try:
            folder.apply(event)
        except FoldLimit:
            raise
        except InputError as error:
            if folder.uncertain_after is None:
                raise
            # an opaque statement earlier may have made what this statement needs
            raise folder.fold_limit(event.origin, f"{error.message} (the fold cannot see what "
                                f"{folder.uncertain_after.where()} did)") from error
    result = folder.result()
    ledger = result.ledger[setup_statements:]
    return attrs.evolve(result, ledger=ledger)
