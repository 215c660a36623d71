"""Folding ``ALTER ... SET SCHEMA``: an object moves to another schema and keeps its identity.

Owns: what moves with what. A table takes its indexes, its constraints, its triggers and
policies (they are keyed by the table) and the sequences its columns own (serial and identity);
everything that refers to it by identity (foreign keys, views, partitions, sequences' ``OWNED
BY``) now names it in its new schema. A type takes its columns' and casts' references along; a
function its triggers'.

Must not know: SQL text beyond the names ``rewrite`` replaces, rendering, databases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from schemafold import events as ev
from schemafold.fold.state import FoldState
from schemafold.fragment import fragment
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Action
from schemafold.model import (
    CompositeType,
    Domain,
    Extension,
    Function,
    Index,
    Key,
    Policy,
    SchemaObj,
    SchemaObject,
    Sequence,
    Table,
    Trigger,
    View,
)
from schemafold.names import QName, quote_ident
from schemafold.rewrite import CAST, move_name, replace_routine_name

_RELATIONS = ("table", "view", "materialized view", "sequence")
_RELATION_KEYS = (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE)


class MoveFolding(FoldState):
    def _apply_SetSchema(self, e: ev.SetSchema) -> None:
        # ALTER TABLE v SET SCHEMA: any relation
        kind = ObjectKind.RELATION if e.kind == ObjectKind.TABLE else e.kind
        if e.kind == ObjectKind.TABLE and (self._relations_current() or not e.if_exists):
            found = self._resolve(e.target.name, (*_RELATION_KEYS, ObjectKind.INDEX))
            if (found is not None and found.kind == ObjectKind.INDEX) or (
                    found is None and self._key_index(e.target.name) is not None):
                # an index goes with its table (15 and 18, IF EXISTS or not)
                raise self._error(e.origin, f'cannot change schema of index '
                                  f'"{e.target.name.name}"')
        key = self._target_key(kind, e.target, e.origin, e.if_exists)
        if key is None:
            self.noop[e.origin] = f"{e.kind} {e.target} does not exist"
            return
        self._require_schema(e.schema, e.origin)
        if key.schema == e.schema and key.kind != ObjectKind.EXTENSION or (
                isinstance(self.objects[key], Extension)
                and getattr(self.objects[key], "schema", None) == e.schema):
            self.noop[e.origin] = f"{e.kind} {e.target} is in schema {e.schema} already"
            return
        obj = self.objects[key]
        if key.kind == ObjectKind.FUNCTION:
            self._move_function(key, obj, e.schema, e.origin)
        elif key.kind in (ObjectKind.TYPE, ObjectKind.TABLE, ObjectKind.VIEW,
                          ObjectKind.SEQUENCE):
            if self._name_taken_by_kind(key, e.schema, key.name):
                raise self._error(e.origin, f'relation "{key.name}" already exists in schema '
                                  f'"{e.schema}"')
            if isinstance(obj, Table | View):
                read = obj if isinstance(obj, Table) else Table(name=obj.name,
                                                                written=obj.written)
                if self._kept_for_a_policy(e.origin, "moving a relation", read, None,
                                           (QName(e.schema, key.name),)):
                    return
            if key.kind in (ObjectKind.TYPE, ObjectKind.TABLE, ObjectKind.VIEW):
                for routine in self._routines_naming(
                        key.name, signature_only=key.kind != ObjectKind.TYPE):
                    # its signature may name the type (a relation's row type), which the fold
                    # does not rewrite
                    self._keep_unmodelled(e.origin, f"moving a type {routine} may name is not "
                                          "modelled", (QName(e.schema, key.name),))
                    return
            bare = self._named_bare(QName(str(key.schema), key.name))
            self._move(key, e.schema, e.origin)
            if isinstance(obj, Table):
                self._move_table_parts(obj, e.schema, e.origin)
            elif isinstance(obj, View):  # a materialized view's indexes, a view's triggers
                self._move_relation_parts(obj.name, e.schema, e.origin)
            self._follow_move(
                QName(str(key.schema), key.name),
                e.schema,
                ObjectKind.TYPE if key.kind == ObjectKind.TYPE else ObjectKind.RELATION,
                bare=bare,
            )
            if key.kind in (ObjectKind.TABLE, ObjectKind.VIEW):
                # its row type moves with it: columns, attributes, domains and casts of it
                self._follow_move(QName(str(key.schema), key.name), e.schema, ObjectKind.TYPE)
        elif isinstance(obj, Extension):
            self._move_extension(key, obj, e.schema, e.origin)
        else:
            raise self._error(e.origin, f"moving a {e.kind} to another schema is not supported")
        moved = (
            key
            if key.kind == ObjectKind.EXTENSION
            else ObjectKey.from_tuple((key.kind, e.schema, *key[2:]))
        )
        self._touch(moved, e.origin, Action.ALTERED, e)

    def _move_extension(self, key: Key, extension: Extension, schema: str,
                        origin: ev.Origin) -> None:
        """``ALTER EXTENSION e SET SCHEMA s``: its objects move, and what names them follows in
        PostgreSQL. The fold does not know an extension's objects: it follows the move only while
        nothing has been created since the extension (nothing can name them yet); otherwise the
        history is kept as written from here."""
        if extension.external or any(
                obj.created > extension.created and not obj.external
                for other_key, obj in self.objects.items() if other_key != key):
            raise self.fold_limit(origin, f"moving extension {extension.name} after objects "
                                  "that may use it: the fold does not know its objects")
        self._put(key, attrs.evolve(extension, schema=schema))

    def _rename_schema(self, key: Key, new: str, origin: ev.Origin, statement: ev.Event
                       ) -> None:
        """``ALTER SCHEMA old RENAME TO new``: the schema keeps its identity (owner, comment,
        privileges) and everything in it follows, as every reference is by OID in PostgreSQL:
        each relation, type and function is moved as ``SET SCHEMA`` moves it (with its indexes,
        constraints, triggers, policies and owned sequences; references elsewhere name it in
        ``new``). What the fold keeps as text that may name the schema and that PostgreSQL would
        have followed is a limit (the history is kept as written from there): a routine's
        signature or body, default privileges ``IN SCHEMA``, a statement kept verbatim."""
        old = key.name
        schema_obj = self.objects[key]
        assert isinstance(schema_obj, SchemaObj)
        if ObjectKey.of(ObjectKind.SCHEMA, None, new) in self.objects:
            raise self._error(origin, f'schema "{new}" already exists')
        if schema_obj.external:
            raise self.fold_limit(origin, f"renaming schema {old}, which the history did not "
                                  "create")
        qualified = re.compile(rf"(?i)(?<![\w$]){re.escape(quote_ident(old))}\s*\.")
        word = re.compile(rf"(?i)(?<![\w$]){re.escape(old)}(?![\w$])")
        for obj in self.objects.values():
            if isinstance(obj, Function) and qualified.search(
                    replace_routine_name(obj.text, "f")):
                raise self.fold_limit(origin, f"function {obj.name} names schema {old} in its "
                                      "text, which the fold keeps as written")
        if any(old in rule.schemas for rule, _ in self.default_acl) or any(
                word.search(text) for text in self.default_privileges):
            raise self.fold_limit(origin, f"default privileges name schema {old}")
        if any(word.search(kept.text) for kept in self.kept):
            raise self.fold_limit(origin, f"a statement kept verbatim may name schema {old}")
        del self.objects[key]
        new_key: Key = ObjectKey.of(ObjectKind.SCHEMA, None, new)
        self._put(new_key, attrs.evolve(schema_obj, name=new))
        self._rekey(key, new_key)
        order = {"table": 0, "view": 1, "sequence": 2, "type": 3, "function": 4}
        contents = sorted((k for k in self.objects if len(k) >= 3 and k.schema == old
                           and k.kind in order), key=lambda k: (order[str(k.kind)], repr(k)))
        for content in contents:
            if content not in self.objects:
                continue  # moved with its table (an index, an owned sequence)
            obj = self.objects[content]
            if isinstance(obj, Function):
                self._move_function(content, obj, new, origin)
                continue
            self._move(content, new, origin)
            if isinstance(obj, Table):
                self._move_table_parts(obj, new, origin)
            elif isinstance(obj, View):
                self._move_relation_parts(obj.name, new, origin)
            self._follow_move(
                QName(old, content.name),
                new,
                ObjectKind.TYPE if content.kind == ObjectKind.TYPE else ObjectKind.RELATION,
            )
        for ext_key, ext in list(self.objects.items()):
            if isinstance(ext, Extension) and ext.schema == old:
                self._put(ext_key, attrs.evolve(ext, schema=new))
        self._touch(new_key, origin, Action.RENAMED, statement)

    def _move(self, key: Key, schema: str, origin: ev.Origin) -> Key:
        """Re-key one schema-qualified object into ``schema``; its written name keeps being
        unqualified if it was (the rendering qualifies names outside the home schema)."""
        obj = self.objects.pop(key)
        changes: dict[str, Any] = {"name": QName(schema, key.name)}
        written = getattr(obj, "written", None)
        if isinstance(written, QName) and written.schema is not None:
            changes["written"] = QName(schema, written.name)
        new_key: Key = ObjectKey.from_tuple((key.kind, schema, *key[2:]))
        self._put(new_key, attrs.evolve(obj, **changes))
        self._rekey(key, new_key)
        del origin
        return new_key

    def _move_table_parts(self, table: Table, schema: str, origin: ev.Origin) -> None:
        old = table.name
        new = QName(schema, old.name)
        assert old.schema is not None
        for column in table.columns:
            self._rekey(ObjectKey.of(ObjectKind.COLUMN, old.schema, column.name, table=old.name),
                        ObjectKey.of(ObjectKind.COLUMN, schema, column.name, table=old.name))
        self._move_relation_parts(old, schema, origin)
        for key, obj in list(self.objects.items()):
            if isinstance(obj, Sequence) and obj.owned_by is not None and \
                    obj.owned_by[0] == old:
                # an owned sequence moves with its table (PostgreSQL's ALTER TABLE SET SCHEMA
                # moves it too): the nextval('...') naming it follows, as by OID
                bare = self._named_bare(obj.name)
                new_key = self._move(key, schema, origin)
                sequence = self.objects[new_key]
                assert isinstance(sequence, Sequence)
                self._put(new_key, attrs.evolve(sequence, owned_by=(new, obj.owned_by[1])))
                self._follow_move(obj.name, schema, ObjectKind.RELATION, bare=bare)
        moved = self.objects[ObjectKey.of(ObjectKind.TABLE, schema, old.name)]
        assert isinstance(moved, Table)
        columns = tuple(
            attrs.evolve(c, serial_sequence=QName(schema, c.serial_sequence.name))
            if c.serial_sequence is not None and c.serial_sequence.schema == old.schema else c
            for c in moved.columns)
        self._put(ObjectKey.of(ObjectKind.TABLE, schema, old.name),
                  attrs.evolve(moved, columns=columns))

    def _move_relation_parts(self, old: QName, schema: str, origin: ev.Origin) -> None:
        """The indexes, triggers and policies of a moved relation go with it."""
        new = QName(schema, old.name)
        for key, obj in list(self.objects.items()):
            if isinstance(obj, Index | Trigger | Policy) and obj.table == old:
                written = QName(schema if obj.table_written.schema else None, old.name)
                moved_index: Index | Trigger | Policy
                if isinstance(obj, Index):
                    new_key = self._move(key, schema, origin)
                    found = self.objects[new_key]
                    assert isinstance(found, Index)
                    moved_index = found
                else:
                    del self.objects[key]
                    new_key = ObjectKey.of(key.kind, schema, key.name, table=key.table)
                    moved_index = obj
                    self._rekey(key, new_key)
                self._put(new_key, attrs.evolve(moved_index, table=new, table_written=written))

    def _routines_naming(self, name: str, *, signature_only: bool = False) -> list[str]:
        """The functions and procedures whose statement spells ``name`` outside a string (its
        arguments' and result's types, a SQL-standard body; ``signature_only``: not in such a
        body)."""
        found = []
        folded = name.casefold()
        # by the store's index of words (a part of a text that cannot spell the name cannot
        # either): dropping a table or type asks it of every routine
        for _, function in self.objects.routines_spelling(name, folded):
            if not isinstance(function, Function):
                continue
            text = function.text
            body = function.standard_body() if signature_only else None
            if body is not None:
                text = fragment(text[:text.rfind(body)])
            if name in text.identifiers():
                found.append(f"function {function.name.name}")
        return found

    def _named_bare(self, name: QName) -> bool:
        """Whether ``name``, unqualified, finds this relation on the search_path now (so a
        ``'name'::regclass`` written bare means it)."""
        return self._resolve(QName(None, name.name),
                             (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE)) == (
            self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE)))

    def _follow_move(self, old: QName, schema: str, kind: str, *, bare: bool = False) -> None:
        """Everything that refers to the moved relation or type by identity (``bare``: an
        unqualified regclass literal means it too)."""
        assert old.schema is not None
        new = QName(schema, old.name)

        # a type in an expression is moved where it is cast to, not where a column of its
        # name starts the expression (CHECK (status <> 'b'))
        moved = CAST if kind == ObjectKind.TYPE else kind

        def text(value: str | None) -> str | None:
            return None if value is None else move_name(value, old.name, old.schema or "",
                                                         schema, kind=moved)

        def declared(value: str) -> str:
            return move_name(value, old.name, old.schema or "", schema, kind=ObjectKind.TYPE)

        for key, obj in list(self.objects.items()):
            changed: SchemaObject = obj
            if isinstance(obj, Table):
                constraints = []
                for c in obj.constraints:
                    if kind == ObjectKind.RELATION and c.target == old:
                        written = c.constraint.references
                        assert written is not None
                        c = attrs.evolve(c, target=new, constraint=attrs.evolve(
                            c.constraint, references=QName(
                                schema if written.schema else None, written.name)))
                    elif kind == ObjectKind.TYPE:
                        c = attrs.evolve(c, constraint=attrs.evolve(
                            c.constraint, expression=text(c.constraint.expression)))
                    constraints.append(c)
                columns = obj.columns
                # nextval('old.s'): a regclass, by OID in PostgreSQL
                if kind == ObjectKind.RELATION:
                    columns = tuple(attrs.evolve(c, column=attrs.evolve(
                        c.column, default=_move_regclass(c.column.default, old, new, bare)))
                        for c in obj.columns)
                if kind == ObjectKind.TYPE:
                    columns = tuple(attrs.evolve(c, column=attrs.evolve(
                        c.column, type=declared(c.column.type), default=text(c.column.default)))
                        for c in obj.columns)
                changed = attrs.evolve(
                    obj, constraints=tuple(constraints), columns=columns,
                    partition_of=new if obj.partition_of == old else obj.partition_of,
                    inherits=tuple(new if p == old else p for p in obj.inherits))
            elif isinstance(obj, View):
                changed = attrs.evolve(obj, query=text(obj.query) or obj.query)
            elif isinstance(obj, Function) and (body := obj.standard_body()) is not None:
                changed = obj.with_body(text(body) or body)
            elif isinstance(obj, CompositeType) and kind == ObjectKind.TYPE:
                changed = attrs.evolve(obj, attributes=tuple(
                    attrs.evolve(a, type=declared(a.type)) for a in obj.attributes))
            elif isinstance(obj, Domain) and kind == ObjectKind.TYPE:
                changed = attrs.evolve(obj, base_type=declared(obj.base_type))
            elif isinstance(obj, Sequence) and obj.owned_by and obj.owned_by[0] == old:
                changed = attrs.evolve(obj, owned_by=(new, obj.owned_by[1]))
            if changed != obj:
                self._put(key, changed)

    def _rewrite_expressions(self, change: Callable[[str], str]) -> None:
        """``change`` applied to every expression that calls functions by identity: defaults,
        generated columns, CHECK and EXCLUDE constraints, index expressions and predicates, view
        queries, policies, domain defaults and CHECKs, trigger conditions (never to function
        bodies, which are text)."""
        def text(value: str | None) -> str | None:
            return None if value is None else change(value)

        def constraint(c: ev.Constraint) -> ev.Constraint:
            return attrs.evolve(c, expression=text(c.expression), where=text(c.where))

        for key, obj in list(self.objects.items()):
            changed: SchemaObject = obj
            if isinstance(obj, Table):
                changed = attrs.evolve(obj, columns=tuple(
                    attrs.evolve(c, column=attrs.evolve(
                        c.column, default=text(c.column.default),
                        generated=text(c.column.generated)))
                    for c in obj.columns), constraints=tuple(
                    attrs.evolve(c, constraint=constraint(c.constraint))
                    for c in obj.constraints))
            elif isinstance(obj, Index):
                changed = attrs.evolve(obj, where=text(obj.where), elements=tuple(
                    attrs.evolve(el, expression=text(el.expression)) for el in obj.elements))
            elif isinstance(obj, View):
                changed = attrs.evolve(obj, query=change(obj.query))
            elif isinstance(obj, Policy):
                changed = attrs.evolve(obj, using=text(obj.using), check=text(obj.check))
            elif isinstance(obj, Domain):
                changed = attrs.evolve(obj, default=text(obj.default), checks=tuple(
                    constraint(c) for c in obj.checks))
            elif isinstance(obj, Trigger):
                changed = attrs.evolve(obj, when=text(obj.when))
            if changed != obj:
                self._put(key, changed)

    def _unique_routine(self, name: QName) -> bool:
        """Whether ``name`` is one function (no overloads): only then do calls of it in
        expressions name it for sure, and follow its rename or move."""
        return sum(1 for k in self.objects if k.kind == ObjectKind.FUNCTION
                   and k.schema == name.schema and k.name == name.name) == 1

    def _move_function(self, key: Key, obj: SchemaObject, schema: str,
                       origin: ev.Origin) -> None:
        assert isinstance(obj, Function)
        new_key: Key = ObjectKey.of(ObjectKind.FUNCTION, schema, key.name,
                                    signature=key.signature)
        if new_key in self.objects:
            raise self._error(origin, f'function {key.name} already exists in schema "{schema}"')
        unique = self._unique_routine(obj.name)
        del self.objects[key]
        written = QName(schema if obj.written.schema else None, obj.written.name)
        self._put(new_key, attrs.evolve(obj, name=QName(schema, key.name), written=written,
                                        text=replace_routine_name(obj.text, written.sql())))
        self._rekey(key, new_key)
        if unique:  # expressions call it by identity: they name it in its new schema
            old_schema = str(key.schema)
            self._rewrite_expressions(lambda t: move_name(t, obj.name.name, old_schema, schema,
                                                          kind=ObjectKind.FUNCTION))
        for other_key, other in list(self.objects.items()):
            if isinstance(other, Trigger) and other.function == obj.name:
                self._put(other_key, attrs.evolve(
                    other, function=QName(schema, obj.name.name),
                    function_written=QName(schema if other.function_written.schema else None,
                                           other.function_written.name)))


def _move_regclass(text: str | None, old: QName, new: QName, bare: bool = False) -> str | None:
    """A string literal naming ``old`` qualified (``'app.s'``, ``'"app".s'``), as the
    argument of ``nextval`` or a ``::regclass`` cast is, names ``new``; with ``bare``, so does
    an unqualified one in those two places (``nextval('s'...``, ``'s'::regclass``), which
    PostgreSQL resolved to ``old`` when it stored the OID."""
    if text is None or "'" not in text:
        return text
    assert old.schema is not None

    def part(name: str) -> str:
        options = {re.escape(name), re.escape(quote_ident(name))}
        return "(?:" + "|".join(sorted(options)) + ")"

    replacement = "'" + new.sql().replace("'", "''") + "'"
    pattern = re.compile(rf"'{part(old.schema)}\.{part(old.name)}'")
    text = pattern.sub(lambda _: replacement, text)
    if bare:
        unqualified = re.compile(
            rf"(?i:(?<=nextval\()|(?<=currval\())'{part(old.name)}'|'{part(old.name)}'(?=::regclass)"
        )
        text = unqualified.sub(lambda _: replacement, text)
    return text
