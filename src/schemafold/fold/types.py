"""Folding types: enums (labels added and renamed), composite types, domains, range types.

Owns: ``CREATE TYPE`` / ``CREATE DOMAIN`` in their forms, ``ALTER TYPE ... ADD VALUE`` and
``RENAME VALUE`` (and the expressions that name a renamed label), and what a renamed type
changes in the columns, expressions and routines that use it.

Must not know: tables' columns beyond the type they name, SQL text beyond the fragments events
carry (renames go through ``rewrite``), rendering, databases.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from schemafold import events as ev
from schemafold.fold.state import FoldState
from schemafold.implicit_names import choose_name, make_object_name
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Action
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Index,
    Key,
    Policy,
    RangeType,
    SchemaObject,
    Table,
    View,
)
from schemafold.names import QName, quote_literal
from schemafold.rewrite import rename_label, rename_type
from schemafold.rows.literals import string_literal

_TYPE_KINDS = (EnumType, CompositeType, Domain, RangeType)



class TypeFolding(FoldState):
    """Types: enums, composite types, domains, range types."""

    def _create_type(self, e: ev.Event, name: QName, build: Callable[[QName, QName], SchemaObject],
                     if_not_exists: bool) -> None:
        schema = self._creation_schema(name, e.origin)
        key: Key = ObjectKey.of(ObjectKind.TYPE, schema, name.name)
        taken = self._namespace_taken if isinstance(e, ev.CreateCompositeType) \
            else self._type_name_taken  # a composite type is a relation too
        if taken(schema, name.name):
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
                          not_null=e.not_null,
                          not_null_name=make_object_name(q.name, None, "not_null")
                          if e.not_null else None,
                          collation=e.collation, checks=tuple(checks),
                          created=self.ordinal, external=self.external)

        self._create_type(e, e.name, build, e.if_not_exists)

    def _apply_AlterDomain(self, e: ev.AlterDomain) -> None:
        """A domain's default, NOT NULL and CHECK constraints, as PostgreSQL changes them. A
        CHECK added ``NOT VALID`` is written after the data (rows before it may break it)
        until validated. A constraint the model does not have on a domain that is NOT NULL
        may be its NOT NULL (named from PostgreSQL 17 on): kept verbatim."""
        key = self._resolve(e.name, (ObjectKind.TYPE,))
        domain = self.objects.get(key) if key is not None else None
        if key is None or not isinstance(domain, Domain):
            if key is None:
                raise self._error(e.origin, f'type "{e.name.name}" does not exist')
            raise self._error(e.origin, f'{e.name.name} is not a domain')
        changed: Domain = domain
        if e.action == "set default":
            changed = attrs.evolve(domain, default=self._pin(e.default))
        elif e.action == "drop default":
            changed = attrs.evolve(domain, default=None)
        elif e.action == "drop not null":
            changed = attrs.evolve(domain, not_null=False, not_null_name=None)
        elif e.action == "set not null":
            if not domain.not_null:  # PostgreSQL 17 and later name it after the domain now
                changed = attrs.evolve(domain, not_null=True, not_null_name=make_object_name(
                    domain.name.name, None, "not_null"))
        elif e.action == "add":
            assert e.constraint is not None
            taken = {c.name for c in domain.checks}
            name = e.constraint.name or choose_name(domain.name.name, None, "check",
                                                    lambda n: n in taken)
            if name in taken:
                raise self._error(e.origin, f'constraint "{name}" for domain '
                                  f'"{domain.name.name}" already exists')
            check = attrs.evolve(e.constraint, name=name,
                                 expression=self._pin(e.constraint.expression))
            changed = attrs.evolve(domain, checks=(*domain.checks, check))
        else:
            wanted = e.constraint_name
            found = next((c for c in domain.checks if c.name == wanted), None)
            if found is None:
                if domain.not_null:
                    self._keep_unmodelled(e.origin, "a domain's constraint that may be its NOT "
                                          "NULL is not modelled", (domain.name,))
                    return
                if e.if_exists:
                    self.noop[e.origin] = f"constraint {wanted} does not exist"
                    return
                raise self._error(e.origin, f'constraint "{wanted}" of domain '
                                  f'"{domain.name.name}" does not exist')
            if e.action == "validate":
                changed = attrs.evolve(domain, checks=tuple(
                    attrs.evolve(c, not_valid=False) if c is found else c
                    for c in domain.checks))
            else:
                changed = attrs.evolve(
                    domain, checks=tuple(c for c in domain.checks if c is not found),
                    check_comments=tuple(c for c in domain.check_comments if c[0] != wanted))
        self._put(key, changed)
        self._touch(key, e.origin, Action.ALTERED, e)

    def _apply_CreateRangeType(self, e: ev.CreateRangeType) -> None:
        self._create_type(e, e.name, lambda q, w: RangeType(
            name=q, written=w, subtype=e.subtype, options=e.options, created=self.ordinal,
            external=self.external), e.if_not_exists)

    def _enum(self, name: QName, origin: ev.Origin) -> tuple[Key, EnumType]:
        key = self._resolve(name, (ObjectKind.TYPE,))
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
                    if self._resolve(QName.parse(c.column.type), (ObjectKind.TYPE,)) == enum)
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
                on = columns_of.get(ObjectKey.of(ObjectKind.TABLE, obj.table.schema,
                                                 obj.table.name), frozenset())
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


def canonical_type_name(type_text: str) -> str:
    return " ".join(type_text.lower().split())
