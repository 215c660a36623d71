"""Folding what applies to every kind: schemas, extensions, ``DROP`` with its cascades, ``RENAME``.

Owns: ``CREATE SCHEMA``, ``CREATE EXTENSION``, ``DROP`` of any kind with what PostgreSQL drops
with it (``CASCADE``, owned sequences, dependent views), ``ALTER ... RENAME`` of any kind with
the names and expressions that follow it.

Must not know: SQL text beyond the fragments events carry (renames go through ``rewrite``),
rendering, databases.
"""

from __future__ import annotations

from typing import Any

import attrs

from schemafold import events as ev
from schemafold.fold.moves import MoveFolding, _move_regclass
from schemafold.fold.state import TYPE_NAME_KINDS
from schemafold.fold.store import COLUMN_TYPE, STANDARD_BODY
from schemafold.fold.tables import TableFolding
from schemafold.fold.type_names import builtin
from schemafold.fold.types import TypeFolding
from schemafold.fold.uses import _type_matches
from schemafold.fragment import fragment
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Account, Action, Change, Part
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Index,
    Key,
    Policy,
    RangeType,
    SchemaObj,
    Sequence,
    Table,
    Trigger,
    View,
    routine_head,
)
from schemafold.names import QName
from schemafold.rewrite import (
    names_relation_ambiguously,
    rename_function,
    rename_relation,
    rename_returned_type,
    rename_signature_type,
    replace_routine_name,
)


class GenericFolding(TableFolding, TypeFolding, MoveFolding):
    """Schemas, extensions, DROP with its cascades and RENAME, for every kind."""

    def _apply_CreateSchema(self, e: ev.CreateSchema) -> None:
        key: Key = ObjectKey.of(ObjectKind.SCHEMA, None, e.name)
        if key in self.objects:
            self._exists(e.origin, e.if_not_exists, f"schema {e.name}",
                         f'schema "{e.name}" already exists')
            return
        self._put(key, SchemaObj(name=e.name, owner=e.authorization, created=self.ordinal,
                                 external=self.external))
        self._created(key, e.origin, e)

    def _apply_CreateExtension(self, e: ev.CreateExtension) -> None:
        key: Key = ObjectKey.of(ObjectKind.EXTENSION, None, e.name)
        if key in self.objects:
            self._exists(e.origin, e.if_not_exists, f"extension {e.name}",
                         f'extension "{e.name}" already exists')
            return
        self._put(key, Extension(name=e.name, schema=e.schema, version=e.version,
                                 cascade=e.cascade, created=self.ordinal,
                                 external=self.external))
        self._created(key, e.origin, e)

    def _apply_Drop(self, e: ev.Drop) -> None:
        self.drop_targets = tuple(ref.name for ref in e.targets)
        # PostgreSQL finds every object named before it drops any: one named twice (``t,
        # public.t``), or one that goes with another named before it (a partition with its
        # table), is dropped once
        keys: list[Key] = []
        for ref in e.targets:
            if e.kind == ObjectKind.EXTENSION:
                self._cascaded_extension(ref.name.name, e.origin)
            if e.kind == ObjectKind.INDEX and (self._relations_current() or not e.if_exists):
                self._key_index_dropped(ref.name, e.origin)
            key = self._target_key(e.kind, ref, e.origin, e.if_exists)
            if key is None:
                self.noop.setdefault(e.origin, f"{e.kind} {ref} does not exist")
                self._warn(e.origin, f'{e.kind} "{ref}" does not exist, skipping')
                continue
            self.noop.pop(e.origin, None)
            keys.append(key)
        for key in keys:
            self._drop(key, e.origin, e.cascade)
        self.drop_targets = ()

    def _key_index_dropped(self, name: QName, origin: ev.Origin) -> None:
        """``DROP INDEX [IF EXISTS]`` of a key's index: PostgreSQL refuses it (15 and 18, with
        CASCADE too), the constraint needs it."""
        if self._resolve(name, ("table", "view", "sequence", "index")) is not None:
            return
        backing = self._key_index(name)
        if backing is not None:
            raise self._error(origin, f"cannot drop index {name.name} because constraint "
                              f"{backing[2]} on table {backing[1].name.name} requires it")

    def _drop_heirs(self, key: Key, table: Table, origin: ev.Origin, cascade: bool) -> None:
        """The tables that inherit from a dropped table (15 and 18.6): dropped with it under
        CASCADE; otherwise the DROP must name them too ('cannot drop table p because other
        objects depend on it'), and they go when their turn comes."""
        heirs = [(k, t) for k, t in self.objects.items()
                 if isinstance(t, Table) and table.name in t.inherits]
        for heir_key, heir in heirs:
            if cascade:
                self._drop(heir_key, origin, True, cause=key)
            elif any(n.name == heir.name.name and n.schema in (None, heir.name.schema)
                     for n in self.drop_targets):
                self._put(heir_key, attrs.evolve(heir, inherits=tuple(
                    p for p in heir.inherits if p != table.name)))
            else:
                raise self._error(origin, f"cannot drop table {table.name.name} because other "
                                  "objects depend on it")

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

    def _drop(self, key: Key, origin: ev.Origin, cascade: bool, cause: Key | None = None
              ) -> None:
        """Drop ``key`` and what goes with it; ``cause`` is the object whose drop recursed to
        this one (a partition's parent table, a member's schema, a parent index)."""
        obj = self.objects.get(key)
        if obj is None:
            return
        kind = key.kind
        if cascade and isinstance(obj, Table | EnumType | CompositeType | Domain | RangeType):
            routine = next(iter(self._routines_naming(obj.name.name)), None)
            if routine is not None:
                # its arguments or result may be the row type or the type: PostgreSQL drops
                # the routine with it, which the fold does not follow
                raise self.fold_limit(origin, f"DROP ... CASCADE of {obj.name.name} may reach "
                                      f"{routine}, whose statement names it")
        if isinstance(obj, Table | View):
            self._drop_row_type_columns(key, obj, origin, cascade)
        if isinstance(obj, Table) and self.any_inheritance:
            self._drop_heirs(key, obj, origin, cascade)
        if isinstance(obj, Table):
            for other_key, other in self.objects.related(("target", obj.name)):
                if isinstance(other, Table) and other_key != key and any(
                        c.target == obj.name for c in other.constraints):
                    if not cascade and not self._dropped_too(other_key):
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
                    self._drop(child_key, origin, True, cause=key)
            for column in obj.columns:
                self._dropped(self._column_key(obj, column.name), origin, Account(
                    Change.DROPPED_WITH_ITS, names=("table",), cause=key))
            self.rows.pop(key, None)
        elif isinstance(obj, View):
            self._drop_dependent_views(Table(name=obj.name, written=obj.written), origin, cascade,
                                       cause=key)
            self._drop_view_parts(obj, origin)
        elif isinstance(obj, Extension) and cascade:
            user = next((f"{k.kind} {getattr(o, 'name', k)}" for k, o in self.objects.items()
                         if not o.external and isinstance(o, Table | View | Index | Policy
                                                           | Domain | Function)), None)
            if user is not None:
                # which types, functions and operators it provides is not known to the fold
                # (PostgreSQL 15 drops the columns of its types, the defaults, indexes, views
                # and policies calling its functions)
                raise self.fold_limit(origin, f"DROP EXTENSION {obj.name} CASCADE may reach "
                                      f"{user} and others the fold follows")
        elif isinstance(obj, Function):
            if cascade:
                user = self._calling(obj)
                if user is not None:
                    # PostgreSQL 15 drops with it the defaults (a generated column: the column),
                    # CHECKs, indexes, views and policies that call it, which the fold does not
                    # follow one by one
                    raise self.fold_limit(origin, f"DROP FUNCTION {obj.name.name} CASCADE "
                                          f"reaches {user}, which calls it")
            for child_key, child in self.objects.related(("function", obj.name)):
                if isinstance(child, Trigger) and child.function == obj.name:
                    if not cascade:
                        raise self._error(origin, f"cannot drop function {obj.name.name} because "
                                          f"trigger {child.name} depends on it")
                    del self.objects[child_key]
                    self._dropped(child_key, origin, Account(Change.CASCADED, cause=key))
        elif kind == ObjectKind.TYPE:
            assert isinstance(obj, (EnumType, CompositeType, Domain, RangeType))
            type_name: QName = obj.name
            users = [(table_key, column.name) for table_key, table in self._column_type_users(
                     type_name) for column in table.columns
                     if _type_matches(column.column.type, type_name, table.name.schema)]
            self._drop_columns_of_type(users, origin, cascade, f"cannot drop type "
                                       f"{type_name.name} because other objects depend on it")
        elif kind == ObjectKind.SCHEMA:
            members = [k for k in self.objects if len(k) > 2 and k.schema == key.name]
            if members and not cascade:
                raise self._error(origin, f"cannot drop schema {key.name} because other objects "
                                  "depend on it")
            for member in members:
                self._drop(member, origin, True, cause=key)
        elif kind == ObjectKind.INDEX:
            assert isinstance(obj, Index)
            if obj.attached_to is not None and obj.attached_to in {
                    o.name for o in self.objects.values() if isinstance(o, Index)}:
                raise self._error(origin, f"cannot drop index {obj.name.name} because index "
                                  f"{obj.attached_to.name} requires it")
            for child_key, child in list(self.objects.items()):
                if isinstance(child, Index) and child.attached_to == obj.name:
                    self._drop(child_key, origin, True, cause=key)
        if key in self.objects:
            del self.objects[key]
        self._dropped(key, origin, Account(Change.KIND_DROPPED, names=(str(kind),),
                                           cause=cause))

    def _calling(self, function: Function) -> str | None:
        """An object whose expressions call ``function`` by name (any overload): a column
        default or generation expression, a CHECK or EXCLUDE constraint, an index, a view, a
        policy, a domain's default or CHECK; None when there is none."""
        from schemafold.fragment import fragment

        def calls(text: str | None) -> bool:
            return text is not None and any(
                called and name.name == function.name.name
                and name.schema in (None, function.name.schema)
                for name, called in fragment(text).names())

        for key, obj in self.objects.items():
            texts: list[str | None] = []
            if isinstance(obj, Table):
                texts += [t for c in obj.columns for t in (c.column.default, c.column.generated)]
                texts += [t for c in obj.constraints
                          for t in (c.constraint.expression, c.constraint.where)]
            elif isinstance(obj, Index):
                texts += [e.expression for e in obj.elements] + [obj.where]
            elif isinstance(obj, View):
                texts.append(obj.query)
            elif isinstance(obj, Policy):
                texts += [obj.using, obj.check]
            elif isinstance(obj, Domain):
                texts += [obj.default, *(c.expression for c in obj.checks)]
            if any(calls(t) for t in texts):
                return f"{key.kind} {obj.name if hasattr(obj, 'name') else key}"
        return None

    def _apply_Rename(self, e: ev.Rename) -> None:
        # ALTER TABLE and ALTER INDEX rename any relation (PostgreSQL allows both on every kind)
        any_relation = ("table", "view", "sequence", "index")
        if e.kind in (ObjectKind.TABLE,
                      ObjectKind.INDEX) and self._resolve(e.target.name, any_relation) is None:
            backing = self._key_index(e.target.name)
            if backing is not None:  # renaming a key's index renames the constraint
                table_key, table, name = backing
                if self._relation_name_taken(str(table_key.schema), e.new_name):
                    raise self._error(e.origin, f'relation "{e.new_name}" already exists')
                self._rename_constraint(table_key, table, name, e.new_name, e.origin, e)
                return
        if e.kind == ObjectKind.CONSTRAINT:
            self._constraint_of_no_table(e)
        kind = ObjectKind.ANY_RELATION if e.kind in (ObjectKind.TABLE, ObjectKind.INDEX) else e.kind
        key = self._target_key(kind, e.target, e.origin, e.if_exists)
        if key is None:
            self.noop[e.origin] = f"{e.kind} {e.target} does not exist"
            return
        obj = self.objects[key]
        if e.kind == ObjectKind.CONSTRAINT:
            assert isinstance(obj, Table)
            old = e.target.name.name
            renamed = obj.constraint_named(old)
            if renamed is None:
                raise self._error(e.origin, f'constraint "{old}" does not exist')
            if renamed.constraint.kind == "check" and renamed.parent_constraint is not None:
                # also one the child had before ALTER TABLE ... INHERIT (15 and 18.6)
                raise self._error(e.origin, f'cannot rename inherited constraint "{old}"')
            self._rename_constraint(key, obj, old, e.new_name, e.origin, e)
            return
        if len(key) == 3 and key.kind in (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE,
                                          ObjectKind.INDEX, ObjectKind.TYPE):
            schema = str(key.schema)
            if self._name_taken_by_kind(key, schema, e.new_name):
                raise self._error(e.origin, f'relation "{e.new_name}" already exists')
            if key.kind == ObjectKind.TYPE:
                for routine in self._routines_naming(key.name):
                    # its signature names the type, which the fold does not rewrite
                    self._keep_unmodelled(e.origin, f"renaming a type {routine} names is not "
                                          "modelled", (QName(schema, e.new_name),))
                    return
            returning: list[Key] = []
            if key.kind in (ObjectKind.TABLE, ObjectKind.VIEW):
                returning, others = self._routines_naming_row_type(QName(schema, key.name),
                                                                   e.new_name)
                for routine in others:
                    # its signature may name the relation's row type (f(i items)), which
                    # the fold does not rewrite
                    self._keep_unmodelled(e.origin, f"renaming a relation whose row type "
                                          f"function {routine} may name is not modelled",
                                          (QName(schema, e.new_name),))
                    return
            if key.kind in (ObjectKind.TABLE, ObjectKind.VIEW):
                for reader in self._ambiguous_readers(key.name):
                    # a column may have the relation's name: PostgreSQL bound each name when
                    # it made the view, the fold cannot tell which to rename
                    self._keep_unmodelled(e.origin, f"renaming a relation whose name {reader} "
                                          "spells where a column may be is not modelled",
                                          (QName(schema, e.new_name),))
                    return
            if isinstance(obj, Table | View):
                read = obj if isinstance(obj, Table) else Table(name=obj.name,
                                                                written=obj.written)
                if self._kept_for_a_policy(e.origin, "renaming a relation", read, None,
                                           (QName(schema, e.new_name),)):
                    return
            # a default naming the relation ('t'::regclass, nextval('s')) holds its OID
            bare = key.kind != ObjectKind.TYPE and self._named_bare(QName(schema, key.name))
            if isinstance(obj, Sequence) and obj.implicit:
                # a serial's sequence renamed: its column shows its default
                obj = attrs.evolve(obj, implicit=False)
                self._explicit_serial(obj)
            new_key: Key = ObjectKey.of(key.kind, schema, e.new_name)
            new_q = QName(schema, e.new_name)
            written = getattr(obj, "written", None)
            changes: dict[str, Any] = {"name": new_q}
            if written is not None:
                changes["written"] = QName(written.schema, e.new_name)
            del self.objects[key]
            self._put(new_key, attrs.evolve(obj, **changes))
            self._rekey(key, new_key)
            old_q = QName(schema, key.name)
            if key.kind == ObjectKind.TYPE:
                self._follow_type_rename(old_q, new_q)
            else:
                self._follow_relation_rename(old_q, new_q)
                if key.kind in (ObjectKind.TABLE, ObjectKind.VIEW):
                    # its row type is renamed with it: columns, attributes, domains, casts and
                    # routines' results of that type name it by its new name
                    self._follow_type_rename(old_q, new_q)
                    for routine_key in returning:
                        self._rename_returned_type(routine_key, old_q, e.new_name, e.origin)
            if key.kind != ObjectKind.TYPE:
                self._follow_regclass_rename(old_q, new_q, bare)
            if isinstance(obj, Table):
                for column in obj.columns:
                    self._rekey(ObjectKey.of(ObjectKind.COLUMN, schema, column.name,
                                             table=old_q.name),
                                ObjectKey.of(ObjectKind.COLUMN, schema, column.name,
                                             table=e.new_name))
            self._touch(new_key, e.origin, Action.RENAMED, e)
            return
        if key.kind == ObjectKind.FUNCTION:
            assert isinstance(obj, Function)
            new_key = ObjectKey.of(ObjectKind.FUNCTION, key.schema, e.new_name,
                                   signature=key.signature)
            if new_key in self.objects:
                raise self._error(e.origin, f'function {e.new_name} already exists')
            unique = self._unique_routine(obj.name) and not any(
                k.kind == ObjectKind.FUNCTION and k.schema == key.schema and k.name == e.new_name
                for k in self.objects)
            del self.objects[key]
            self._put(new_key, attrs.evolve(
                obj, name=QName(str(key.schema), e.new_name),
                text=replace_routine_name(obj.text, QName(obj.written.schema, e.new_name).sql()),
                written=QName(obj.written.schema, e.new_name)))
            self._rekey(key, new_key)
            self._touch(new_key, e.origin, Action.RENAMED, e)
            if unique:  # expressions call it by identity: they follow the rename
                old_name, schema = obj.name.name, str(key.schema)
                self._rewrite_expressions(
                    lambda t: rename_function(t, old_name, e.new_name, schema))
            # triggers call the function by identity: they follow the rename
            for other_key, other in list(self.objects.items()):
                if isinstance(other, Trigger) and other.function == obj.name:
                    self._put(other_key, attrs.evolve(
                        other, function=QName(str(key.schema), e.new_name),
                        function_written=QName(other.function_written.schema, e.new_name)))
            return
        if key.kind in (ObjectKind.TRIGGER, ObjectKind.POLICY):
            new_key = ObjectKey.of(key.kind, key.schema, e.new_name, table=key.table)
            del self.objects[key]
            named: Any = obj
            self._put(new_key, attrs.evolve(named, name=e.new_name))
            self._rekey(key, new_key)
            self._touch(new_key, e.origin, Action.RENAMED, e)
            return
        if key.kind == ObjectKind.SCHEMA:
            self._rename_schema(key, e.new_name, e.origin, e)
            return
        raise self._error(e.origin, f"renaming a {e.kind} is not supported yet")

    def _drop_row_type_columns(self, key: Key, relation: Table | View, origin: ev.Origin,
                               cascade: bool) -> None:
        """Other tables' columns of the dropped relation's row type (``i items``): PostgreSQL
        refuses the drop for them, and drops them under ``CASCADE``."""
        users = [(table_key, column.name)
                 for table_key, table in self._column_type_users(relation.name)
                 if table_key != key for column in table.columns
                 if _type_matches(column.column.type, relation.name, table.name.schema)
                 and not self._dropped_too(table_key)]
        what = "table" if isinstance(relation, Table) else "view"
        self._drop_columns_of_type(users, origin, cascade, f"cannot drop {what} "
                                   f"{relation.name.name} because other objects depend on it")

    def _column_type_users(self, name: QName) -> list[tuple[Key, Table]]:
        """The tables, in the map's order, with a column whose type (or its element type) is
        named ``name.name`` in some schema: those ``_type_matches`` may accept."""
        return [(key, table) for key, table in self.objects.related((COLUMN_TYPE, QName(
            None, name.name))) if isinstance(table, Table)]

    def _drop_columns_of_type(self, users: list[tuple[Key, str]], origin: ev.Origin,
                              cascade: bool, refusal: str) -> None:
        """The columns (table, column) of a type being dropped: dropped with it under
        ``CASCADE``, else PostgreSQL's ``refusal``."""
        if users and not cascade:
            raise self._error(origin, refusal)
        for table_key, column_name in users:
            current = self.objects[table_key]
            assert isinstance(current, Table)
            self._drop_column(table_key, current, column_name, origin, True)

    def _constraint_of_no_table(self, e: ev.Rename) -> None:
        """``ALTER TABLE r RENAME CONSTRAINT c TO d`` where ``r`` is a view, a materialized
        view or an index: it has no constraint, and PostgreSQL says so (15 and 18, ``IF
        EXISTS`` or not); on a sequence it refuses to rename (its words: ``cannot rename
        columns``)."""
        assert e.target.table is not None
        key = self._resolve(e.target.table, (ObjectKind.TABLE, ObjectKind.VIEW,
                                             ObjectKind.SEQUENCE, ObjectKind.INDEX))
        if key is None or key.kind == ObjectKind.TABLE:
            return
        if key.kind == ObjectKind.SEQUENCE:
            raise self._error(e.origin, f'cannot rename columns of relation "{key.name}"')
        raise self._error(e.origin, f'constraint "{e.target.name.name}" for table '
                          f'"{key.name}" does not exist')

    def _routine_head(self, function: Function) -> str:
        """A routine's statement up to its SQL-standard body (a string body is one token)."""
        return routine_head(str(function.text), function.body, function.language)

    def _routines_naming_row_type(self, relation: QName, new: str
                                  ) -> tuple[list[Key], list[str]]:
        """The routines whose statement spells ``relation``'s name outside a SQL-standard body:
        those that name its row type only as the type they return or cast to, or, where a bare
        name can mean nothing else before and after the rename to ``new``
        (``_row_type_name_alone``), as a parameter's or ``RETURNS TABLE`` column's type
        (which :func:`rename_signature_type` renames), and the names of the others."""
        assert relation.schema is not None
        returning: list[Key] = []
        others: list[str] = []
        folded = relation.name.casefold()
        alone: bool | None = None
        # by the store's index of words: a text that cannot spell the name has a head that
        # cannot
        for key, function in self.objects.routines_spelling(relation.name, folded):
            if not isinstance(function, Function):
                continue
            head = self._routine_head(function)
            if relation.name not in fragment(head).identifiers():
                continue
            if rename_returned_type(head, relation.name, relation.name,
                                    relation.schema) is not None:
                returning.append(key)
                continue
            if alone is None:
                alone = self._row_type_name_alone(relation, new)
            if alone and not function.external and rename_signature_type(
                    head, relation.name, relation.name, relation.schema) is not None:
                returning.append(key)
            else:
                others.append(function.name.name)
        return returning, others

    def _row_type_name_alone(self, relation: QName, new: str) -> bool:
        """Whether ``relation``'s name and ``new`` each name at most this relation's row type
        in every schema: no built-in type has either name, nor an extension's (every extension
        created is one PostgreSQL ships), nor a type, table or view of another schema; so a
        routine's bare ``old`` meant it, and a bare ``new`` will."""
        if builtin(relation.name) or builtin(new):
            return False
        extensions = self._extension_objects()
        if extensions is None or relation.name in extensions.types or new in extensions.types:
            return False
        for kind in TYPE_NAME_KINDS:
            for key in self.objects.keys_of_kind(kind):
                if key.name in (relation.name, new) and key.schema != relation.schema:
                    return False
        return True

    def _rename_returned_type(self, key: Key, old: QName, new: str, origin: ev.Origin) -> None:
        """A routine naming ``old``'s row type in its signature names it as ``new``: its
        statement is rewritten (``rename_signature_type``); where its parameters' types
        change, so does its key, which PostgreSQL's catalog has by the types' identity."""
        function = self.objects[key]
        assert isinstance(function, Function) and old.schema is not None
        head = self._routine_head(function)
        renamed = rename_signature_type(head, old.name, new, old.schema)
        if renamed is None or renamed == head:
            return
        from schemafold.parse.postgres import translate

        text = renamed + str(function.text)[len(head):]
        written = next(event for event in translate(ev.Origin(
            file="<function>", line=1, text=text)).events if isinstance(event, ev.CreateFunction))
        new_key: Key = ObjectKey.of(ObjectKind.FUNCTION, key.schema, key.name,
                                    signature=written.arg_types)
        changed = attrs.evolve(function, text=text, arg_types=written.arg_types,
                               all_arg_types=written.all_types or None)
        if new_key == key:
            self._put(key, changed)
            return
        if new_key in self.objects:  # none can be: a routine of the new name's type
            raise self._error(origin, f"function {key.name} already exists")
        del self.objects[key]
        self._put(new_key, changed)
        self._rekey(key, new_key)

    def _ambiguous_readers(self, name: str) -> list[str]:
        """The views and SQL-standard routines that spell ``name`` where a column of that
        name may be meant (:func:`names_relation_ambiguously`)."""
        found = []
        for _, view in self.objects.of_type(View):
            if isinstance(view, View) and names_relation_ambiguously(view.query, name):
                found.append(f"view {view.name.name}")
        for _, function in self.objects.related(STANDARD_BODY):
            if isinstance(function, Function) and (body := function.standard_body()) and \
                    names_relation_ambiguously(body, name):
                found.append(f"function {function.name.name}")
        return found

    def _follow_regclass_rename(self, old: QName, new: QName, bare: bool) -> None:
        """Column defaults name a renamed relation by its new name (``nextval('s'::regclass)``,
        ``'t'::regclass`` store its OID; ``bare``: an unqualified ``'s'`` meant it)."""
        for key, obj in list(self.objects.items()):
            if not isinstance(obj, Table):
                continue
            columns = tuple(attrs.evolve(c, column=attrs.evolve(
                c.column, default=_move_regclass(c.column.default, old, new, bare)))
                for c in obj.columns)
            if columns != obj.columns:
                self._put(key, attrs.evolve(obj, columns=columns))

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
                if old in obj.inherits:  # an INHERITS parent renamed: the child follows it
                    obj = attrs.evolve(obj, inherits=tuple(
                        new if p == old else p for p in obj.inherits))
                    changed = True
                if changed:
                    self._put(key, attrs.evolve(obj, constraints=tuple(constraints)))
            elif isinstance(obj, Index | Trigger | Policy) and obj.table == old:
                renamed = attrs.evolve(obj, table=new, table_written=QName(
                    obj.table_written.schema, new.name))
                if isinstance(obj, Trigger | Policy):
                    # keyed by their table: DROP TRIGGER t ON <new name> finds them
                    new_key: Key = ObjectKey.of(key.kind, key.schema, key.name, table=new.name)
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
