"""Folding partitions and inheritance: what a parent gives its children.

Owns: PostgreSQL's rules for partitioned tables and ``INHERITS`` children. A partition takes its
parent's columns (with their defaults and ``NOT NULL``) and ``CHECK`` constraints; a primary key
or unique constraint on a partitioned table is cloned onto each partition under a name chosen for
the partition (``<partition>_pkey``, ``<partition>_<cols>_key``); an index on a partitioned table
creates one on each partition with a generated name, or adopts an existing index of the same
definition. ``ATTACH PARTITION`` adopts or creates the same way, ``DETACH PARTITION`` leaves the
table with what it had, now its own.

Must not know: SQL text, rendering, databases.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from sqlglot.tokenizer_core import Token

from schemafold import events as ev
from schemafold.fold.state import FoldState
from schemafold.fragment import fragment
from schemafold.implicit_names import choose_name, column_part
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Account, Action, Change, Part
from schemafold.model import Index, Key, ModelColumn, Table, TableConstraint
from schemafold.names import QName, quote_ident
from schemafold.rewrite import columns_named
from schemafold.rows.input_syntax import rejected_text


def index_name_parts(elements: Iterable[ev.IndexElement]) -> list[str]:
    """The column part of an index name PostgreSQL chooses: column names, and for an expression
    its leading function name (or ``expr``)."""
    return [el.column or expression_label(el.expression or "") for el in elements]


def include_columns(constraint: ev.Constraint) -> list[str]:
    """The ``INCLUDE (...)`` columns of a key's index options (the parser read them): part of
    the name PostgreSQL chooses for a unique constraint (``t_a_b_key``), as for any index
    (``t_a_b_idx``)."""
    return list(constraint.include)


def expression_label(expression: str) -> str:
    from schemafold.parse.tokens import TokenType, word

    tokens = fragment(expression).tokens
    if len(tokens) >= 2 and word(tokens[0]) and tokens[1].token_type == TokenType.L_PAREN:
        return tokens[0].text.lower()
    return "expr"


def _same_definition(a: Index, b: Index) -> bool:
    return (a.elements, a.unique, (a.method or "btree").lower(), a.include, a.where,
            a.nulls_not_distinct) == (b.elements, b.unique, (b.method or "btree").lower(),
                                      b.include, b.where, b.nulls_not_distinct)


class PartitionFolding(FoldState):
    """Parents and children: partitions and ``INHERITS``."""

    def _children(self, parent: QName, *, partitions_only: bool = False
                  ) -> list[tuple[Key, Table]]:
        """The direct children of ``parent``: its partitions, and (unless ``partitions_only``)
        the tables that inherit from it."""
        out = []
        for key, obj in self.objects.items():
            if isinstance(obj, Table) and (obj.partition_of == parent or (
                    not partitions_only and parent in obj.inherits)):
                out.append((key, obj))
        return out

    def _has_children(self, table: Table) -> bool:
        return table.partition_by is not None or self.any_inheritance

    def _inherited_column(self, column: ModelColumn) -> ModelColumn:
        """A parent's column as a child receives it: a serial becomes its explicit default."""
        copy = attrs.evolve(column, serial_sequence=None, created=self.ordinal, comment=None,
                            inherited=True)
        if column.serial_sequence is not None:
            regclass = QName(column.serial_sequence.schema, column.serial_sequence.name).sql()
            from schemafold.names import canonical_type

            copy = attrs.evolve(copy, column=attrs.evolve(
                column.column, type=canonical_type(column.column.type),
                default="nextval(" + "'" + regclass.replace("'", "''") + "'::regclass)",
                not_null=True))
        return copy

    def _same_type(self, have: str, other: str, origin: ev.Origin, conflict: str) -> None:
        """Two declarations of one column of an inheriting table must have the same type and
        type modifier (PostgreSQL's MergeAttributes, checked on 15 and 18.6: ``varchar(10)``
        against ``varchar(20)`` is a type conflict); ``conflict`` is PostgreSQL's error."""
        from schemafold.names import canonical_type

        if canonical_type(have) == canonical_type(other):
            if _typmod(have) == _typmod(other):
                return
            if canonical_type(have) not in ("numeric", "decimal"):
                raise self._error(origin, conflict)
        elif any(mark in t for t in (have, other) for mark in ('.', '"')):
            # a qualified or quoted type may name the same type another way: do not guess
            raise self.fold_limit(origin, "INHERITS merges a column whose types the fold "
                                  "cannot compare")
        else:
            raise self._error(origin, conflict)
        raise self.fold_limit(origin, "INHERITS merges a column whose type modifiers the fold "
                              "cannot compare")

    def _merge_parents(self, had: ModelColumn, other: ModelColumn, origin: ev.Origin
                       ) -> ModelColumn:
        """A column two INHERITS parents both give ("merging multiple inherited definitions"):
        one column whose inhcount counts both (checked on 15 and 18.6). The types must match;
        NOT NULL is either's; a default is the one parent's that has one. Two different
        defaults (an error unless the child declares its own), collations, identities or
        generation expressions are not followed."""
        a, b = had.column, other.column
        self._same_type(a.type, b.type, origin,
                        f'inherited column "{had.name}" has a type conflict')
        if (a.default is not None and b.default is not None and a.default != b.default) or (
                a.collation, a.identity, a.generated) != (b.collation, b.identity, b.generated) \
                or had.serial_sequence is not None or other.serial_sequence is not None:
            raise self.fold_limit(origin, f'INHERITS merges column "{had.name}" of parents '
                                  "that define it differently")
        named = had if a.not_null or not b.not_null else other
        column = attrs.evolve(a, not_null=a.not_null or b.not_null,
                              default=a.default if a.default is not None else b.default,
                              not_null_name=named.column.not_null_name)
        return attrs.evolve(had, column=column, not_null_name=named.not_null_name)

    def _merge_declared(self, inherited: ModelColumn, declared: ModelColumn,
                        origin: ev.Origin) -> ModelColumn:
        """A column the CREATE TABLE declares that a parent gives too ("moving and merging
        column with inherited definition", checked on 15 and 18.6): one column, at the
        parent's position, local as well as inherited (attislocal; a DROP COLUMN on the parent
        leaves it). The types must match; NOT NULL is either's; a local DEFAULT overrides the
        parent's. A local collation must be the parent's ("collation conflict"). A local
        identity, generation expression or serial is not followed (15 accepts a generated
        child of a plain parent, 18 refuses it)."""
        d, i = declared.column, inherited.column
        self._same_type(i.type, d.type, origin, f'column "{d.name}" has a type conflict')
        if d.collation is not None:
            self._same_collation(i, d, origin)
            d = attrs.evolve(d, collation=None)  # the parent's, spelled as the parent does
        if d.identity is not None or d.generated is not None \
                or declared.serial_sequence is not None or i.generated is not None \
                or i.identity is not None:
            raise self.fold_limit(origin, f'INHERITS merges column "{d.name}" declared with a '
                                  "collation, identity or generation: kept as written")
        # PostgreSQL 18.6 names a merged NOT NULL as the child's own when the child declares
        # it (crate_id_not_null, local and inherited), else as the parent's
        named = declared if d.not_null else inherited
        not_null_name = named.not_null_name or named.column.not_null_name
        column = attrs.evolve(i, not_null=i.not_null or d.not_null,
                              default=d.default if d.default is not None else i.default,
                              not_null_name=named.column.not_null_name)
        return attrs.evolve(inherited, column=column, inherited=False,
                            not_null_name=not_null_name)

    def _same_collation(self, inherited: ev.Column, declared: ev.Column,
                        origin: ev.Origin, conflict: str | None = None) -> None:
        """A declared ``COLLATE`` on a merged column must name the inherited column's
        collation (15 and 18.6: ``text COLLATE "C"`` under a ``text`` parent is a "collation
        conflict"); a collation the fold cannot compare is a fold limit."""
        from schemafold.names import canonical_type

        def name(collation: str | None) -> str:
            text = (collation or '"default"').strip()
            if text.lower().startswith("pg_catalog."):
                text = text[len("pg_catalog."):]
            return text if text.startswith('"') else f'"{text.lower()}"'

        have, want = name(inherited.collation), name(declared.collation)
        if have == want:
            return
        if "." in have + want or canonical_type(inherited.type) not in (
                "text", "character varying", "character"):
            raise self.fold_limit(origin, f'INHERITS merges column "{declared.name}" with a '
                                  "collation the fold cannot compare")
        raise self._error(origin, conflict or f'column "{declared.name}" has a collation '
                          "conflict")

    def _inherited_checks(self, parent: Table) -> list[TableConstraint]:
        return [attrs.evolve(c, parent_constraint=c.name, created=self.ordinal, comment=None)
                for c in parent.constraints
                if c.constraint.kind == "check" and not c.constraint.no_inherit]

    def _add_to_children(self, parent: Table, column: ModelColumn, origin: ev.Origin) -> None:
        """``ADD COLUMN`` on a parent adds it to every child (a child that has a column of that
        name already merges it)."""
        if not self._has_children(parent):
            return
        # the parent's column as stored: with the NOT NULL name it was given (PostgreSQL 18
        # gives each child the parent's name)
        stored = self.objects.get(ObjectKey.of(ObjectKind.TABLE, parent.name.schema,
                                               parent.name.name))
        if isinstance(stored, Table) and (named := stored.column(column.name)) is not None:
            column = named
        for child_key, child in self._children(parent.name):
            if (own := child.column(column.name)) is not None:
                # PostgreSQL 15 and 18.6 merge it when the types match
                self._same_type(own.column.type, column.column.type, origin,
                                f'child table "{child.name.name}" has different type for '
                                f'column "{column.name}"')
                if column.column.not_null and not own.column.not_null:
                    # 18.6 makes the child's column NOT NULL, 15 leaves it nullable
                    raise self.fold_limit(origin, f'ADD COLUMN ... NOT NULL merges with column '
                                          f'"{column.name}" of "{child.name.name}"')
                self._check_inherited_order(child, origin)
                continue
            copy = self._inherited_column(column)
            child = attrs.evolve(child, columns=(*child.columns, copy))
            # appended after the child's own columns, where INHERITS would not put it
            self._check_inherited_order(child, origin)
            self._put(child_key, child)
            inherited = Account(Change.INHERITED_FROM, Part("column", column.name, Action.CREATED),
                                names=(str(parent.name),), cause=parent.key())
            self._touch(child_key, origin, Action.ALTERED, inherited)
            self._created(self._column_key(child, column.name), origin, inherited)
            self._add_to_children(child, copy, origin)

    def _not_inherited(self, table: Table, column: str, verb: str, origin: ev.Origin) -> None:
        """``DROP``/``RENAME COLUMN`` on an inheritance child: refused for a column a parent
        gives, also one the child declared too (15 and 18.6: 'cannot drop inherited column');
        on a partition, for every column of its parent (15 and 18: a partition has only
        those, ``ALTER COLUMN ... TYPE`` is refused too)."""
        for name in (*table.inherits, *(p for p in (table.partition_of,) if p is not None)):
            parent = self.objects.get(ObjectKey.of(ObjectKind.TABLE, name.schema, name.name))
            if isinstance(parent, Table) and parent.column(column) is not None:
                raise self._error(origin, f'cannot {verb} inherited column "{column}"')

    def _not_partition_key(self, table: Table, column: str, verb: str, origin: ev.Origin
                           ) -> None:
        """``DROP COLUMN`` or ``ALTER COLUMN ... TYPE`` of a column the table's partition key
        reads (as a key column or in a key expression): PostgreSQL refuses it (15 and 18)."""
        if table.partition_by is not None and columns_named(table.partition_by, {column}):
            raise self._error(origin, f'cannot {verb} column "{column}" because it is part of '
                              f'the partition key of relation "{table.name.name}"')

    def _check_inherited_order(self, child: Table, origin: ev.Origin) -> None:
        """A CREATE TABLE ... INHERITS gives the columns of its parents first, in their order,
        then its own (``Table.columns_as_inherited``); a table whose columns and CHECKs are all
        its own too (``attislocal``, ``conislocal``: ``Table.all_own``) can be written as
        itself and then ``ALTER TABLE ... INHERIT`` its parents (the renderer's choice). A
        child that neither fits (a column a parent added after the child's own, one only
        inherited, a CHECK only inherited) cannot be written, a fold limit."""
        if not child.inherits or child.partition_of is not None:
            return
        parents = []
        for name in child.inherits:
            parent = self.objects.get(ObjectKey.of(ObjectKind.TABLE, name.schema, name.name))
            if not isinstance(parent, Table):
                return
            parents.append(parent)
        if not child.columns_as_inherited(parents) and not child.all_own():
            raise self.fold_limit(origin, f'the columns of "{child.name.name}" are no longer '
                                  "in the order its CREATE TABLE ... INHERITS would give")

    def _constraints_to_children(self, key: Key, before: Table, origin: ev.Origin, *,
                                 keys: bool = True) -> None:
        """Constraints just added to a parent: CHECKs go to every child, keys are cloned onto
        partitions (not with ``keys`` false: ``ALTER TABLE ONLY``)."""
        table = self.objects[key]
        assert isinstance(table, Table)
        if not self._has_children(table):
            return
        old = {c.name for c in before.constraints}
        added = [c for c in table.constraints if c.name not in old]
        for child_key, child in self._children(table.name):
            for constraint in added:
                c = constraint.constraint
                if c.kind == "check" and not c.no_inherit:
                    self._inherit_check(constraint, child_key, origin, key)
                elif c.kind in ("primary key", "unique") and keys and \
                        child.partition_of == table.name:
                    self._clone_key(constraint, child_key, origin, key)

    def _inherit_check(self, check: TableConstraint, child_key: Key, origin: ev.Origin,
                       parent_key: Key) -> None:
        child = self.objects[child_key]
        assert isinstance(child, Table)
        if child.constraint_named(check.name) is not None:
            return  # a local CHECK of that name is merged
        before = child
        copy = attrs.evolve(check, parent_constraint=check.name, created=self.ordinal,
                            comment=None)
        child = attrs.evolve(child, constraints=(*child.constraints, copy))
        self._check_inherited_order(child, origin)  # a CHECK only inherited: INHERITS form
        self._put(child_key, child)
        self._touch(child_key, origin, Action.ALTERED,
                    Account(Change.INHERITED, Part("constraint", check.name, Action.CREATED),
                            cause=parent_key))
        self._constraints_to_children(child_key, before, origin)

    def _drop_from_children(self, parent: Table, constraint: str, origin: ev.Origin) -> None:
        """A parent's constraint dropped: its clones and inherited copies go with it."""
        if not self._has_children(parent):
            return
        for child_key, child in self._children(parent.name):
            doomed = [c for c in child.constraints if c.parent_constraint == constraint
                      and not c.also_local]
            # one the child had before INHERIT stays, its own alone (15 and 18.6)
            kept = tuple(attrs.evolve(c, parent_constraint=None, also_local=False)
                         if c.parent_constraint == constraint and c.also_local else c
                         for c in child.constraints if c not in doomed)
            if kept != child.constraints and not doomed:
                self._put(child_key, attrs.evolve(child, constraints=kept))
            if not doomed:
                continue
            self._put(child_key, attrs.evolve(child, constraints=kept))
            self._touch(child_key, origin, Action.ALTERED, Account(
                Change.PART_DROPPED, Part("constraint", doomed[0].name, Action.DROPPED)))
            for c in doomed:
                self._drop_from_children(child, c.name, origin)

    # -- keys and indexes -----------------------------------------------------------------

    def _adopt_parent(self, parent: Table, child_key: Key, origin: ev.Origin) -> None:
        """A new partition of ``parent``: clone its keys and attach (or create) its indexes."""
        for constraint in parent.constraints:
            if constraint.constraint.kind in ("primary key", "unique"):
                self._clone_key(constraint, child_key, origin, parent.key())
        indexes = sorted(
            (obj for obj in self.objects.values()
             if isinstance(obj, Index) and obj.table == parent.name and not obj.only),
            key=lambda i: (i.created, i.name.name))
        for index in indexes:
            self._attach_index(index, child_key, origin)

    def _clone_key(self, constraint: TableConstraint, child_key: Key, origin: ev.Origin,
                   parent_key: Key) -> None:
        """Clone the parent's (``parent_key``) key ``constraint`` onto the partition
        ``child_key``, or adopt the partition's own of the same columns."""
        child = self.objects[child_key]
        assert isinstance(child, Table)
        c = constraint.constraint
        for existing in child.constraints:
            e = existing.constraint
            if e.kind == c.kind and e.columns == c.columns and existing.parent_constraint is None:
                self._put(child_key, attrs.evolve(child, constraints=tuple(
                    attrs.evolve(x, parent_constraint=constraint.name) if x is existing else x
                    for x in child.constraints)))
                return
        if c.kind == "primary key" and any(x.constraint.kind == "primary key"
                                           for x in child.constraints):
            # the partition's own, different key: attached to a key the parent had before
            # (ALTER TABLE ONLY, then ALTER INDEX ... ATTACH PARTITION, which the fold does not
            # follow), it went with that key; otherwise PostgreSQL's error
            if self.uncertain_after is not None:
                raise self.fold_limit(origin, f'the primary key of "{child.name.name}" may be '
                                      "attached to one its parent had (ALTER INDEX ... ATTACH "
                                      "PARTITION is not followed)")
            raise self._error(origin, f'multiple primary keys for table "{child.name.name}" '
                              "are not allowed")
        schema = child.name.schema or ""
        taken = self._name_taken_for_constraint(schema)
        if c.kind == "primary key":
            name = choose_name(child.name.name, None, "pkey", taken)
        else:
            name = choose_name(child.name.name,
                               column_part([*c.columns, *include_columns(c)]), "key", taken)
        clone = TableConstraint(constraint=attrs.evolve(c, name=name), created=self.ordinal,
                                parent_constraint=constraint.name)
        columns = tuple(self._key_not_null(child, col)
                        if c.kind == "primary key" and col.name in c.columns else col
                        for col in child.columns)
        child = attrs.evolve(child, constraints=(*child.constraints, clone), columns=columns)
        self._put(child_key, child)
        self._touch(child_key, origin, Action.ALTERED, Account(
            Change.CLONED, Part("constraint", name, Action.CREATED),
            names=(quote_ident(constraint.name),), cause=parent_key))
        if child.partition_by is not None:
            for grandchild_key, _ in self._children(child.name, partitions_only=True):
                self._clone_key(clone, grandchild_key, origin, child_key)

    def _key_not_null(self, child: Table, column: ModelColumn) -> ModelColumn:
        """A partition's column made NOT NULL by its parent's primary key: PostgreSQL 18
        (checked on 18.6) names the constraint as the parent's, unless the column was NOT NULL
        already."""
        if column.column.not_null or column.column.identity is not None:
            return column
        parent = self.objects.get(ObjectKey.of(ObjectKind.TABLE, child.partition_of.schema,
                                               child.partition_of.name)) \
            if child.partition_of is not None else None
        source = parent.column(column.name) if isinstance(parent, Table) else None
        return attrs.evolve(column, column=attrs.evolve(column.column, not_null=True),
                            not_null_name=source.not_null_name if source is not None else None)

    def _attach_index(self, index: Index, child_key: Key, origin: ev.Origin) -> None:
        """Give the partition ``child_key`` its index for the partitioned ``index``: an existing
        index of the same definition is adopted; otherwise one is created with a generated
        name."""
        child = self.objects[child_key]
        assert isinstance(child, Table)
        for key, obj in sorted(self.objects.items(), key=lambda kv: repr(kv[0])):
            if isinstance(obj, Index) and obj.table == child.name and obj.attached_to is None \
                    and _same_definition(obj, index):
                self._put(key, attrs.evolve(obj, attached_to=index.name))
                self._touch(key, origin, Action.ALTERED,
                            Account(Change.ATTACHED, names=(str(index.name),),
                                    cause=index.key()))
                adopted = self.objects[key]
                assert isinstance(adopted, Index)
                self._cascade_index(adopted, child, origin)
                return
        schema = child.name.schema or ""
        name = choose_name(child.name.name,
                           column_part([*index_name_parts(index.elements), *index.include]),
                           "idx", lambda n: self._namespace_taken(schema, n))
        new = attrs.evolve(index, name=QName(schema, name), table=child.name,
                           table_written=child.written, attached_to=index.name,
                           created=self.ordinal, comment=None, external=self.external, acl=())
        self._put(new.key(), new)
        self._created(new.key(), origin,
                      Account(Change.FOR_PARTITION, names=(name, str(child.name)),
                              cause=index.key()))
        self._cascade_index(new, child, origin)

    def _cascade_index(self, index: Index, table: Table, origin: ev.Origin) -> None:
        if table.partition_by is not None:
            for grandchild_key, _ in self._children(table.name, partitions_only=True):
                self._attach_index(index, grandchild_key, origin)

    def _index_partitions(self, index: Index, origin: ev.Origin) -> None:
        """``CREATE INDEX`` on a partitioned table: one index per partition."""
        table_key = ObjectKey.of(ObjectKind.TABLE, index.table.schema, index.table.name)
        table = self.objects.get(table_key)
        if isinstance(table, Table) and table.partition_by is not None and not index.only:
            self._cascade_index(index, table, origin)

    def _detach_from(self, child_key: Key, parent: Table, origin: ev.Origin) -> None:
        """``DETACH PARTITION``: the table keeps its columns, constraints and indexes, now its
        own."""
        child = self.objects[child_key]
        assert isinstance(child, Table)
        self._put(child_key, attrs.evolve(
            child, partition_of=None, partition_of_written=None, partition_bound=None,
            columns=tuple(attrs.evolve(c, inherited=False) for c in child.columns),
            constraints=tuple(attrs.evolve(c, parent_constraint=None)
                              for c in child.constraints)))
        parent_indexes = {obj.name for obj in self.objects.values()
                          if isinstance(obj, Index) and obj.table == parent.name}
        for key, obj in list(self.objects.items()):
            if isinstance(obj, Index) and obj.table == child.name \
                    and obj.attached_to in parent_indexes:
                self._put(key, attrs.evolve(obj, attached_to=None))
                self._touch(key, origin, Action.ALTERED,
                            Account(Change.DETACHED_WITH_ITS, names=("table",)))

    def _check_bound(self, parent: Table, bound: str | None, origin: ev.Origin) -> None:
        """A partition's bound values are coerced to the key columns' types when the partition
        is created or attached: a plain string constant PostgreSQL cannot read as the key's
        integer or date type is its error. Checked only where that is certain: a key of plain
        columns, a value that is one ``'...'`` constant, and for an integer key text that is
        no integer in any spelling PostgreSQL 15 to 18 reads (``'abc'``, ``'1.5'``; 16 and
        later also read ``'0x1f'``, ``'1_000'``), for a date or timestamp key a ``YYYY-MM-DD``
        whose month or day does not exist (``'2024-13-01'``, ``'2023-02-29'``)."""
        from schemafold.fold.types import canonical_type_name
        from schemafold.parse.tokens import TokenType, identifier_of, word

        if bound is None or parent.partition_by is None:
            return
        key_tokens = fragment(parent.partition_by).tokens
        if len(key_tokens) < 4 or key_tokens[1].token_type != TokenType.L_PAREN:
            return
        key_types: list[str | None] = []
        for item in _items(key_tokens[2:-1]):
            name = identifier_of(item[0]) if len(item) == 1 and item[0].token_type in (
                TokenType.VAR, TokenType.IDENTIFIER) else None
            column = parent.column(name) if name is not None else None
            key_types.append(canonical_type_name(column.column.type).removeprefix("pg_catalog.")
                             if column is not None else None)
        tokens = fragment(bound).tokens
        lists = []
        at = 2
        while at < len(tokens) and word(tokens[at]) in ("FROM", "TO", "IN"):
            depth, end = 0, at + 1
            for end in range(at + 1, len(tokens)):
                depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(
                    tokens[end].token_type, 0)
                if depth == 0:
                    break
            lists.append((word(tokens[at]), _items(tokens[at + 2:end])))
            at = end + 1
        for clause, items in lists:
            for number, item in enumerate(items):
                kind = key_types[0 if clause == "IN" else number] if (
                    clause == "IN" or number < len(key_types)) else None
                if kind is None or len(item) != 1 or item[0].token_type != TokenType.STRING \
                        or not bound[item[0].start:].startswith("'"):
                    continue
                value = item[0].text
                problem = rejected_text(kind, value)
                if problem is not None:
                    raise self._error(origin, problem)

    # -- events ---------------------------------------------------------------------------

    def _apply_AttachPartition(self, e: ev.AttachPartition) -> None:
        parent_key, parent = self._table(e.table, e.origin)
        key, child = self._table(e.partition, e.origin)
        if parent.partition_by is None:
            raise self._error(e.origin, f'table "{parent.name.name}" is not partitioned')
        self._check_bound(parent, e.bound, e.origin)
        if child.partition_of is not None:
            raise self._error(e.origin, f'"{child.name.name}" is already a partition')
        if {c.name for c in child.columns} != {c.name for c in parent.columns}:
            raise self._error(e.origin, f'table "{child.name.name}" does not have the columns '
                              f'of "{parent.name.name}"')
        for column in parent.columns:
            # PostgreSQL's MergeAttributesIntoExisting, as for INHERIT (15 and 18.6)
            own = child.column(column.name)
            assert own is not None
            self._same_type(own.column.type, column.column.type, e.origin,
                            f'child table "{child.name.name}" has different type for column '
                            f'"{column.name}"')
            if column.column.not_null and not own.column.not_null:
                # 18 names the table in its message
                raise self._error(e.origin, f'column "{column.name}" in child table must be '
                                  f'marked NOT NULL (PostgreSQL 18: column "{column.name}" in '
                                  f'child table "{child.name.name}" must be marked NOT NULL)')
        names = {c.name for c in child.constraints}
        for check in self._inherited_checks(parent):
            if check.name not in names:
                raise self._error(e.origin, f'child table is missing constraint "{check.name}"')
        self._put(key, attrs.evolve(
            child, partition_of=parent.name, partition_of_written=e.table,
            partition_bound=e.bound,
            constraints=tuple(attrs.evolve(c, parent_constraint=c.name) if c.name in {
                p.name for p in self._inherited_checks(parent)} else c
                for c in child.constraints)))
        self._touch(key, e.origin, Action.ALTERED, e)
        self._touch(parent_key, e.origin, Action.ALTERED, e)
        self._adopt_parent(parent, key, e.origin)

    def _apply_Inherit(self, e: ev.Inherit) -> None:
        """``ALTER TABLE c INHERIT p`` and ``NO INHERIT p`` (checked on 15 and 18.6)."""
        key, child = self._table(e.table, e.origin)
        parent_key, parent = self._table(e.parent, e.origin)
        if child.partition_of is not None:
            raise self._error(e.origin, "cannot change inheritance of a partition")
        if child.partition_by is not None:
            raise self._error(e.origin, "cannot change inheritance of partitioned table")
        if e.remove:
            self._no_inherit(key, child, parent, e.origin)
        else:
            self._inherit(key, child, parent, e.origin)
        self._touch(key, e.origin, Action.ALTERED, e)
        self._touch(parent_key, e.origin, Action.ALTERED, e)

    def _inherit(self, key: Key, child: Table, parent: Table, origin: ev.Origin) -> None:
        """``INHERIT``: the child must have each of the parent's columns with its type,
        collation and NOT NULL, and each of its inheritable CHECKs by name and definition
        (PostgreSQL's MergeAttributesIntoExisting and MergeConstraintsIntoExisting). Nothing is
        added: the child's columns stay its own (attislocal), its defaults stay, its CHECKs of
        those names become inherited too (coninhcount), and on 18 its NOT NULL constraints keep
        their names. The child goes last in the parent's list of parents (inhseqno)."""
        if parent.partition_by is not None:
            raise self._error(origin, f'cannot inherit from partitioned table '
                              f'"{parent.name.name}"')
        if parent.name in child.inherits:
            raise self._error(origin, f'relation "{parent.name.name}" would be inherited from '
                              "more than once")
        if parent.name == child.name or child.name in self._ancestors(parent):
            raise self._error(origin, "circular inheritance not allowed")
        name = child.name.name
        for column in parent.columns:
            own = child.column(column.name)
            if own is None:
                raise self._error(origin, f'child table is missing column "{column.name}"')
            self._same_type(own.column.type, column.column.type, origin,
                            f'child table "{name}" has different type for column '
                            f'"{column.name}"')
            if own.column.collation is not None or column.column.collation is not None:
                self._same_collation(column.column, own.column, origin,
                                     f'child table "{name}" has different collation for '
                                     f'column "{column.name}"')
            if column.column.not_null and not own.column.not_null:
                # 18.6 adds the table: column "b" in child table "c" must be marked NOT NULL
                raise self._error(origin, f'column "{column.name}" in child table must be '
                                  "marked NOT NULL")
            if (column.column.identity, column.column.generated, column.serial_sequence) != (
                    None, None, None) or own.column.identity is not None \
                    or own.column.generated is not None:
                raise self.fold_limit(origin, f'INHERIT of column "{column.name}" with an '
                                      "identity, generation or serial")
        checks = self._inherited_checks(parent)
        for check in checks:
            own_check = child.constraint_named(check.name)
            if own_check is None or own_check.constraint.kind != "check":
                raise self._error(origin, f'child table is missing constraint "{check.name}"')
            if own_check.constraint.no_inherit:
                raise self._error(origin, f'constraint "{check.name}" conflicts with '
                                  f'non-inherited constraint on child table "{name}"')
            if own_check.constraint.not_valid:
                raise self._error(origin, f'constraint "{check.name}" conflicts with NOT VALID '
                                  f'constraint on child table "{name}"')
            if check.constraint.not_valid:
                raise self.fold_limit(origin, f'INHERIT of a parent whose CHECK "{check.name}" '
                                      "is NOT VALID")
            if _check_text(own_check.constraint.expression) != _check_text(
                    check.constraint.expression):
                # PostgreSQL compares the parsed expressions ('has different definition for
                # check constraint'); the fold compares their text and does not guess
                raise self.fold_limit(origin, f'INHERIT compares CHECK "{check.name}" written '
                                      "differently on the child")
        names = {c.name for c in checks}
        child = attrs.evolve(
            child, inherits=(*child.inherits, parent.name),
            constraints=tuple(attrs.evolve(c, parent_constraint=c.name, also_local=True)
                              if c.name in names and c.constraint.kind == "check" else c
                              for c in child.constraints))
        self.any_inheritance = True
        self._check_inherited_order(child, origin)
        self._put(key, child)

    def _ancestors(self, table: Table) -> set[QName]:
        """Every table ``table`` inherits from, directly or not."""
        seen: set[QName] = set()
        todo = list(table.inherits)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            found = self.objects.get(ObjectKey.of(ObjectKind.TABLE, name.schema, name.name))
            if isinstance(found, Table):
                todo.extend(found.inherits)
        return seen

    def _no_inherit(self, key: Key, child: Table, parent: Table, origin: ev.Origin) -> None:
        """``NO INHERIT``: the child keeps every column, default and constraint; a column or
        CHECK no other parent still gives becomes the child's own (attislocal, conislocal), and
        on 18 its NOT NULL constraint keeps its name (checked on 15 and 18.6)."""
        if parent.name not in child.inherits:
            raise self._error(origin, f'relation "{parent.name.name}" is not a parent of '
                              f'relation "{child.name.name}"')
        others = [p for name in child.inherits if name != parent.name
                  if isinstance(p := self.objects.get(ObjectKey.of(
                      ObjectKind.TABLE, name.schema, name.name)), Table)]
        given = {c.name for p in others for c in p.columns}
        given_checks = {c.name for p in others for c in self._inherited_checks(p)}
        child = attrs.evolve(
            child, inherits=tuple(n for n in child.inherits if n != parent.name),
            columns=tuple(attrs.evolve(c, inherited=False) if c.name not in given else c
                          for c in child.columns),
            constraints=tuple(attrs.evolve(c, parent_constraint=None, also_local=False)
                              if c.constraint.kind == "check" and c.parent_constraint
                              is not None and c.name not in given_checks else c
                              for c in child.constraints))
        self._check_inherited_order(child, origin)
        self._put(key, child)

    def _apply_DetachPartition(self, e: ev.DetachPartition) -> None:
        parent_key, parent = self._table(e.table, e.origin)
        key, child = self._table(e.partition, e.origin)
        if child.partition_of != parent.name:
            raise self._error(e.origin, f'relation "{child.name.name}" is not a partition of '
                              f'relation "{parent.name.name}"')
        self._detach_from(key, parent, e.origin)
        self._touch(key, e.origin, Action.ALTERED, e)
        self._touch(parent_key, e.origin, Action.ALTERED, e)



def _items(tokens: Iterable[Token]) -> list[list[Token]]:
    """The comma-separated items of ``tokens`` outside parentheses."""
    from schemafold.parse.tokens import TokenType

    items: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        if depth == 0 and token.token_type == TokenType.COMMA:
            items.append([])
        else:
            items[-1].append(token)
    return [item for item in items if item]


def _check_text(expression: str | None) -> str:
    """A CHECK's expression with its blanks and outer parentheses left out, to compare two
    spelled alike (PostgreSQL compares the parsed trees: ``a>0`` is ``(a > 0)``)."""
    text = "".join((expression or "").split())
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0 and i < len(text) - 1:
                return text
        text = text[1:-1]
    return text


def _typmod(type_text: str) -> str:
    """The type modifier as written (``(10)`` of ``varchar(10)``), spaces removed."""
    start = type_text.find("(")
    return "".join(type_text[start:].split()).lower() if start >= 0 else ""
