"""Folding relations other than tables: indexes, sequences, views and materialized views.

Owns: ``CREATE INDEX``, ``CREATE`` / ``ALTER SEQUENCE`` (and a serial column that shows its
sequence explicitly once the sequence changed), ``CREATE [MATERIALIZED] VIEW`` (``*`` expanded
to the columns PostgreSQL stores), ``REFRESH MATERIALIZED VIEW``, and the views a dropped or
renamed column takes with it.

Must not know: SQL text beyond the fragments events carry, rendering, databases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable
from collections.abc import Sequence as CollectionSequence
from typing import TYPE_CHECKING

import attrs
from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.tokenizer_core import Token

if TYPE_CHECKING:
    from sqlglot.optimizer.scope import Scope

from schemafold import events as ev
from schemafold.fold.partitions import PartitionFolding, index_name_parts
from schemafold.fold.privileges import PrivilegeFolding
from schemafold.fold.state import _NO_OPERATORS_ADDED
from schemafold.fold.store import STANDARD_BODY, ObjectStore
from schemafold.fold.types import canonical_type_name
from schemafold.fold.uses import _query_reads, qualifiers
from schemafold.fragment import Fragment, fragment
from schemafold.implicit_names import choose_name, column_part
from schemafold.kinds import RELATIONS, ObjectKey, ObjectKind
from schemafold.lineage import Account, Action, Change
from schemafold.model import (
    Function,
    Index,
    Key,
    ModelColumn,
    Policy,
    Sequence,
    Table,
    Trigger,
    View,
)
from schemafold.names import SERIAL_TYPES, QName, canonical_type
from schemafold.parse.keywords import KEYWORDS
from schemafold.parse.query_syntax import clause_before, ends_an_operand, orders_by_label
from schemafold.parse.tokens import TokenType, identifier_of
from schemafold.rewrite import columns_named


class RelationFolding(PartitionFolding, PrivilegeFolding):
    """Indexes, sequences, views and materialized views."""

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
            if column is not None and not self._query_reads_column(view.query, table, column):
                self._check_places_kept(view.query, table, column, f"view {view.name.name}",
                                        origin)
                self._check_star_kept(view.query, table, column, f"view {view.name.name}",
                                      origin)
                continue
            if self._dropped_too(view_key):
                continue  # DROP VIEW v1, v2: the view reading v1 goes when its turn comes
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
            if column is not None and not self._body_reads_column(body, table, column):
                self._check_places_kept(body, table, column, f"function {function.name.name}",
                                        origin)
                self._check_star_kept(body, table, column, f"function {function.name.name}",
                                      origin)
                continue
            if not cascade:
                raise self._error(origin, f"cannot drop {table.name.name} because function "
                                  f"{function.name.name} depends on it")
            del self.objects[function_key]
            self._dropped(function_key, origin, Account(
                Change.DROPPED_BY_CASCADE, names=("function", str(function.name)), cause=cause))

        # A policy on another table whose expressions read it in a subquery depends on it
        for policy_key, policy, surely in policies_reading(self.objects, table, column):
            if not surely:
                if not cascade:
                    continue  # a bare name: PostgreSQL took the drop, it was the other's
                raise self.fold_limit(origin, f"policy {policy.name} on "
                                      f"{policy.table.name} may read {column}: the fold "
                                      "cannot tell whether CASCADE drops it")
            if not cascade:
                raise self._error(origin, f"cannot drop {table.name.name} because policy "
                                  f"{policy.name} on table {policy.table.name} depends on it")
            del self.objects[policy_key]
            self._dropped(policy_key, origin, Account(
                Change.DROPPED_BY_CASCADE, names=("policy", policy.name), cause=cause))

    def _check_places_kept(self, query: str, table: Table, column: str, reader: str,
                           origin: ev.Origin) -> None:
        """A query that does not read the dropped ``column`` but gives ``table`` a column
        alias list reaching its place (``FROM t x(i, q, r)``, ``a`` dropped from ``t(id, a,
        b)``) names the columns after it by place: written again after the drop, its names
        would mean the next columns (or too many). PostgreSQL keeps what it resolved; the
        fold cannot, and stops here."""
        if _alias_list_reaches(query, table, column):
            raise self.fold_limit(origin, f"{reader} names the columns of {table.name.name} by "
                                  f"place (a column alias list reaching {column}): written "
                                  "after the drop, its names would mean other columns")

    def _check_star_kept(self, query: str, table: Table, column: str, reader: str,
                         origin: ev.Origin) -> None:
        """A query that names no ``column`` of ``table`` but keeps a ``*`` that may cover it
        (``SELECT t.* FROM t``, ``SELECT * FROM t NATURAL JOIN u``, which the fold does not
        expand) depends on every column ``*`` read when it was made: PostgreSQL refuses the
        drop without ``CASCADE`` (``cannot drop column a of table t because other objects
        depend on it``) and drops the reader with it. The fold cannot tell which columns ``*``
        read then, and stops here."""
        if _star_may_read(query, table):
            raise self.fold_limit(origin, f"{reader} reads * of {table.name.name}, which may "
                                  f"cover {column}: the fold cannot tell whether it depends "
                                  "on the column")

    def _check_retyped_readers(self, table: Table, column: str, origin: ev.Origin) -> None:
        """``ALTER COLUMN ... TYPE`` of a column a view, a SQL-standard routine, a policy or a
        trigger reads is refused, whatever the new type (PostgreSQL 15 and 18: ``cannot alter
        type of a column used by a view or rule``, ``... used by a function or procedure``,
        ``... used in a policy definition``, ``... used in a trigger definition``); the row
        alone (``SELECT t FROM t``) is no use of it. Refused where the reading is certain
        (``_scoped_read``, a trigger's ``UPDATE OF`` or ``NEW.a``); where a name or a ``*``
        may read it, folding stops."""
        def judge(query: str, reader: str, what: str) -> None:
            scoped = _scoped_read(query, table, column, self._relation_columns)
            if scoped:
                raise self._error(origin, f"cannot alter type of a column used {what}")
            if scoped is None and (_may_read_column(query, table, column) or
                                   _star_may_read(query, table)):
                raise self.fold_limit(origin, f"{reader} may read {column} of "
                                      f"{table.name.name}: the fold cannot tell whether "
                                      "PostgreSQL lets its type change")

        for _, view in self.objects.of_type(View):
            if isinstance(view, View) and _query_reads(view.query, table):
                judge(view.query, f"view {view.name.name}", "by a view or rule")
        for _, function in self.objects.related(STANDARD_BODY):
            if not isinstance(function, Function):
                continue
            body = function.standard_body()
            if body is None or not _query_reads(body, table):
                continue
            from schemafold.fold.sql_body import body_statements

            statements = body_statements(body)
            if statements is None and body.lstrip()[:6].upper() == "RETURN":
                statements = ["SELECT " + body.lstrip()[6:].rstrip().rstrip(";")]
            for statement in statements or [body]:
                judge(statement, f"function {function.name.name}",
                      "by a function or procedure")
        for _, policy in self.objects.on_table(table.name, Policy):
            if not isinstance(policy, Policy):
                continue
            for text in (policy.using, policy.check):
                if text is not None:
                    judge(f"SELECT 1 FROM {table.name.sql()} WHERE ({text})",
                          f"policy {policy.name}", "in a policy definition")
        for _, policy, surely in policies_reading(self.objects, table, column):
            if surely:
                raise self._error(origin, "cannot alter type of a column used in a policy "
                                  "definition")
            raise self.fold_limit(origin, f"policy {policy.name} on {policy.table.name} may "
                                  f"read {column}: the fold cannot tell whether PostgreSQL "
                                  "lets its type change")

    def _query_reads_column(self, query: str, table: Table, column: str) -> bool:
        """Whether a view's query or a SQL-standard body may read ``table``'s ``column``: as
        its scopes resolve the name when sqlglot reads them all (:func:`_scoped_read`), else
        by its tokens (:func:`_may_read_column`)."""
        scoped = _scoped_read(query, table, column, self._relation_columns)
        return _may_read_column(query, table, column) if scoped is None else scoped

    def _body_reads_column(self, body: str, table: Table, column: str) -> bool:
        """:meth:`_query_reads_column` for a SQL-standard body: a ``RETURN`` expression read
        as ``SELECT`` of it, a ``BEGIN ATOMIC`` body by its statements, each a query; by the
        tokens of the whole when one of them is no query or is not read."""
        from schemafold.fold.sql_body import body_statements

        statements = body_statements(body)
        if statements is None and body.lstrip()[:6].upper() == "RETURN":
            statements = ["SELECT " + body.lstrip()[6:].rstrip().rstrip(";")]
        verdicts = [_scoped_read(statement, table, column, self._relation_columns)
                    for statement in statements or ()]
        if verdicts and None not in verdicts or True in verdicts:
            return True in verdicts
        return _may_read_column(body, table, column)

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

    def _rename_view_column(self, key: Key, view: View, e: ev.RenameColumn) -> None:
        """``ALTER VIEW v RENAME COLUMN``: the view's output column is renamed; the view
        keeps its query, with the new name as the column's alias."""
        current = view_output_names(view)
        if current is None:
            raise self._error(e.origin, "renaming a column of a view whose output names "
                              "cannot be read from its query is not supported")
        if e.old not in current:
            raise self._error(e.origin, f'column "{e.old}" does not exist')
        if e.new in current:
            raise self._error(e.origin, f'column "{e.new}" of relation "{view.name.name}" '
                              "already exists")
        columns = tuple(e.new if c == e.old else c for c in current)
        # a comment on the column stays on it (PostgreSQL keeps it by the column's number)
        comments = tuple((e.new if name == e.old else name, text)
                         for name, text in view.column_comments)
        self._put(key, attrs.evolve(view, columns=columns, column_comments=comments))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _apply_CreateIndex(self, e: ev.CreateIndex) -> None:
        table_key = self._relation(e.table, e.origin, (ObjectKind.TABLE, ObjectKind.VIEW))
        assert table_key is not None
        table = self.objects[table_key]
        if isinstance(table, View) and not table.materialized:
            raise self._error(e.origin, f'cannot create index on relation "{table.name.name}": '
                              "it is a view")
        assert isinstance(table, Table | View)
        # PostgreSQL analyzes the index's columns and expressions before it looks the name up:
        # CREATE INDEX IF NOT EXISTS of a name taken still refuses a column that does not exist
        if isinstance(table, Table):
            # a qualified function call (s.f(c)) is read as a column with a suffix: not a name
            self._require_columns(table, [el.column for el in e.elements
                                          if el.column is not None
                                          and not el.suffix.lstrip().startswith((".", "("))],
                                  e.origin)
            if table.partition_of is None and not table.inherits and table.columns:
                for name in e.include:  # INCLUDE (nope): looked up after the key's columns
                    if table.column(name) is None:
                        raise self._error(e.origin, f'column "{name}" does not exist')
            expressions = [text for el in e.elements if (text := _element_expression(el))]
            self._check_row_expressions(table, expressions, e.where, e.origin)
            for expression in (*expressions, e.where):
                self._check_called_functions(expression, e.origin)
            self._check_call_arities(table, expressions, e.origin)
        else:
            self._require_view_columns(table, e.elements, e.origin)
        self._check_operator_classes(e.method, e.elements, e.origin)
        if isinstance(table, Table):
            self._check_operator_class_types(table, e.method, e.elements, e.origin)
            self._check_element_collations(table, e.elements, e.origin)
        schema = table.name.schema or ""
        if e.name is not None:
            if self._relation_name_taken(schema, e.name):
                self._exists(e.origin, e.if_not_exists, f"relation {e.name}",
                             f'relation "{e.name}" already exists')
                return
            name = e.name
        else:
            # INCLUDE columns are part of the name PostgreSQL chooses
            parts = [*index_name_parts(e.elements), *e.include]
            name = choose_name(table.name.name, column_part(parts), "idx",
                               lambda n: self._namespace_taken(schema, n))
        key: Key = ObjectKey.of(ObjectKind.INDEX, schema, name)
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

    def _require_view_columns(self, view: View, elements: Iterable[ev.IndexElement],
                              origin: ev.Origin) -> None:
        """An index of a materialized view names its columns: PostgreSQL refuses one the view
        does not have (``column "x" does not exist``, 15 and 18). Checked where the view's
        output names are all known: its select list of column references and aliases, the
        column list, which may name fewer, renaming the first ones. A system column is left
        to PostgreSQL (its error differs), as is an expression."""
        names = view.query.derived(_select_output_names)
        if names is None:
            return
        names = (*view.columns, *names[len(view.columns):])
        for element in elements:
            column = element.column
            if column is None or column in names or column in _SYSTEM_COLUMNS or \
                    element.suffix.lstrip().startswith((".", "(")):
                continue
            raise self._error(origin, f'column "{column}" does not exist')

    def _check_operator_classes(self, method: str | None, elements: Iterable[ev.IndexElement],
                                origin: ev.Origin) -> None:
        """A word after an index element's column or expression (and its COLLATE) is an
        operator class of the index's access method: PostgreSQL refuses one that does not
        exist (``operator class "b" does not exist for access method "btree"``, 15 and 18:
        ``(a b)``, ``(top CASCADE)``). Checked while the fold knows every operator class
        there is: a built-in access method's (``pg_opclasses.BUILT_IN``), nothing kept
        verbatim so far (``CREATE OPERATOR CLASS`` is), and no extension but those
        PostgreSQL ships that add none. An unqualified name, or one in ``pg_catalog``."""
        from schemafold.pg_opclasses import ADDING_EXTENSIONS, BUILT_IN

        method = method or "btree"
        known = BUILT_IN.get(method)
        if known is None or self.uncertain_after is not None:
            return
        for element in elements:
            name = _operator_class(element.suffix) if element.suffix.strip() else None
            if name is None or name in known:
                continue
            if self._extension_objects() is None or any(
                    key[-1] in ADDING_EXTENSIONS
                    for key in self.objects.keys_of_kind(ObjectKind.EXTENSION)):
                return
            raise self._error(origin, f'operator class "{name}" does not exist for access '
                              f'method "{method}"')

    def _check_element_collations(self, table: Table, elements: Iterable[ev.IndexElement],
                                  origin: ev.Origin) -> None:
        """An index's plain column with a ``COLLATE`` of a type written as a key word that
        takes no collation (``CREATE INDEX ON t (a COLLATE "C")``, ``a int``): PostgreSQL's
        ``collations are not supported by type integer``, before it looks the index's name
        up."""
        from schemafold.parse.postgres.tables import fixed_type_name

        for element in elements:
            if element.column is None or not _COLLATE.match(element.suffix):
                continue
            column = table.column(element.column)
            shown = None if column is None else fixed_type_name(column.column.type, arrays=True)
            if shown is not None:
                raise self._error(origin, f"collations are not supported by type {shown}")

    def _check_operator_class_types(self, table: Table, method: str | None,
                                    elements: Iterable[ev.IndexElement],
                                    origin: ev.Origin) -> None:
        """A ``btree`` or ``hash`` operator class of one of ``_OPCLASS_TYPES`` on a column of
        another of those types is PostgreSQL's ``operator class "int4_ops" does not accept
        data type text`` (none of them is binary-coercible to another; 15 and 18). Checked
        for a plain column whose type is written as a built-in one no type of the history
        shadows, and an unqualified operator class."""
        from schemafold.names import canonical_type

        if (method or "btree") not in ("btree", "hash"):
            return
        for element in elements:
            if element.column is None or "." in element.suffix:
                continue  # s.f(c), or a qualified class PostgreSQL names as written
            name = _operator_class(element.suffix) if element.suffix.strip() else None
            column = table.column(element.column)
            if name is None or name not in _OPCLASS_TYPES or column is None or \
                    '"' in column.column.type or "%" in column.column.type:
                continue
            type_name = canonical_type(column.column.type)
            if type_name not in _OPCLASS_TYPES.values() or type_name == _OPCLASS_TYPES[name] \
                    or any(key[2] == column.column.type.split(".")[-1].strip().lower()
                           for kind in (ObjectKind.TYPE, ObjectKind.DOMAIN)
                           for key in self.objects.keys_of_kind(kind)):
                continue
            raise self._error(origin, f'operator class "{name}" does not accept data type '
                              f"{type_name}")

    def _apply_CreateSequence(self, e: ev.CreateSequence) -> None:
        if e.temporary:
            self.noop[e.origin] = "temporary: gone when the migration's session ends"
            self.temporary_sequences.add(e.name.name)
            return
        schema = self._creation_schema(e.name, e.origin)
        key: Key = ObjectKey.of(ObjectKind.SEQUENCE, schema, e.name.name)
        if self._namespace_taken(schema, e.name.name):
            self._exists(e.origin, e.if_not_exists, f"relation {e.name}",
                         f'relation "{e.name.name}" already exists')
            return
        owned_by = None
        if e.owned_by is not None and self._owned_by_view(schema, e.owned_by, e.origin):
            return
        if e.owned_by is not None:
            owned_by = self._sequence_owner(schema, e.owned_by, e.origin)
        self._put(key, self._default_grants(Sequence(
            name=QName(schema, e.name.name), written=e.name, options=e.options,
            owned_by=owned_by, created=self.ordinal, external=self.external,
            unlogged=e.unlogged), "sequences"))
        self._created(key, e.origin, e)

    def _apply_AlterSequence(self, e: ev.AlterSequence) -> None:
        key = self._relation(e.name, e.origin, (ObjectKind.SEQUENCE,), missing_ok=e.if_exists)
        if key is None:
            if self._relations_current():
                self._relation_of_another_kind(e.name, ObjectKind.SEQUENCE, e.origin)
            self.noop[e.origin] = f"sequence {e.name} does not exist"
            return
        seq = self.objects[key]
        assert isinstance(seq, Sequence)
        options = seq.options
        changes = {k: v for k, v in attrs.asdict(e.options).items() if v not in (None, False)}
        if e.options.cycle is False:  # NO CYCLE
            changes["cycle"] = False
        # NO MINVALUE forgets a MINVALUE given before, and the reverse (MAXVALUE alike)
        for bound in ("minvalue", "maxvalue"):
            if changes.get(f"no_{bound}"):
                changes[bound] = None
            elif changes.get(bound) is not None:
                changes[f"no_{bound}"] = False
        options = attrs.evolve(options, **changes)
        owned_by = seq.owned_by
        if e.owned_by is not None and self._owned_by_view(str(key.schema), e.owned_by,
                                                          e.origin):
            return
        if e.owned_by is not None:
            owned_by = self._sequence_owner(str(key.schema), e.owned_by, e.origin)
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

    def _owned_by_view(self, schema: str, owned_by: tuple[QName, str], origin: ev.Origin
                       ) -> bool:
        """``OWNED BY v.c`` names a view: PostgreSQL takes it (15 and 18: the sequence goes
        when the view is dropped), which the model does not carry (a sequence's owner is a
        table's column), so the statement is kept verbatim, after PostgreSQL's checks: the
        view in the sequence's schema, with the column. Another relation but a table is
        refused. False when ``owned_by`` names no view (nor any other relation but a table)."""
        key = self._resolve(owned_by[0], (ObjectKind.TABLE, ObjectKind.VIEW,
                                          ObjectKind.SEQUENCE, ObjectKind.INDEX))
        if key is None or key.kind == ObjectKind.TABLE:
            return False
        view = self.objects[key]
        if not isinstance(view, View) or view.materialized:
            raise self._error(origin, f'sequence cannot be owned by relation "{key.name}"')
        if key.schema != schema:
            raise self._error(origin, "sequence must be in same schema as table it is linked to")
        names = view_output_names(view)
        if names is not None and owned_by[1] not in names:
            raise self._error(origin, f'column "{owned_by[1]}" of relation "{key.name}" '
                              "does not exist")
        self._keep_unmodelled(origin, "a sequence owned by a view's column is not modelled",
                              (view.name,))
        return True

    def _sequence_owner(self, schema: str, owned_by: tuple[QName, str], origin: ev.Origin
                        ) -> tuple[QName, str]:
        """``OWNED BY t.c`` of a sequence in ``schema``: the table must exist, be in the
        sequence's schema (``sequence must be in same schema as table it is linked to``) and
        have the column (``column "c" of relation "t" does not exist``; a system column is
        taken), as PostgreSQL checks in that order (15 and 18). The column is checked while the
        fold knows the whole catalog and the table inherits nothing."""
        _, table = self._table(owned_by[0], origin)
        if table.name.schema != schema:
            raise self._error(origin, "sequence must be in same schema as table it is linked to")
        column = owned_by[1]
        if table.column(column) is None and column not in _SYSTEM_COLUMNS and \
                not table.inherits and self._catalog_known():
            raise self._error(origin, f'column "{column}" of relation "{table.name.name}" '
                              "does not exist")
        return table.name, column

    def _explicit_serial(self, seq: Sequence) -> None:
        """A serial's sequence changed: its column now shows type and default explicitly."""
        if seq.owned_by is None:
            return
        table_key = ObjectKey.of(ObjectKind.TABLE, seq.owned_by[0].schema, seq.owned_by[0].name)
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
        key = self._relation(e.name, e.origin, (ObjectKind.VIEW,))
        assert key is not None
        view = self.objects[key]
        if not isinstance(view, View) or not view.materialized:
            raise self._error(e.origin, f'"{e.name.name}" is not a materialized view')
        if view.with_data != e.with_data:
            self._put(key, attrs.evolve(view, with_data=e.with_data))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _apply_CreateView(self, e: ev.CreateView) -> None:
        schema = self._creation_schema(e.name, e.origin)
        key: Key = ObjectKey.of(ObjectKind.VIEW, schema, e.name.name)
        self._check_relations_read(e.query, e.origin)
        self._check_view_names(e.query, e.origin)
        self._check_query_columns(e.query, e.origin)
        self._check_ungrouped(e.query, e.origin)
        self._check_grouped(e.query, e.origin)
        self._check_cast_types(e.query, e.origin)
        self._check_called_functions(_select_list_calls(e.query), e.origin)
        self._check_default_sequences(e.query, e.origin)
        self._check_minus_operands(e.query, e.origin)
        self._check_output_names(e)
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
            replaced = attrs.evolve(existing, query=query, columns=e.columns,
                                    options=e.options, check_option=e.check_option)
            self._check_replaced_names(existing, replaced, e.origin)
            self._check_replaced_types(existing, replaced, e.origin)
            self._replace(key, e.origin)
            self._put(key, replaced)
            self._touch(key, e.origin, Action.ALTERED, e)
            return
        self._put(key, self._default_grants(View(
            name=QName(schema, e.name.name), written=e.name, query=query, columns=e.columns,
            materialized=e.materialized, with_data=e.with_data, options=e.options,
            check_option=e.check_option, created=self.ordinal, external=self.external,
        ), "tables"))
        self._created(key, e.origin, e)

    def _check_output_names(self, e: ev.CreateView) -> None:
        """A view's columns are named once each: two select items of one name (``SELECT a, a``,
        ``SELECT * FROM t JOIN u ON ...`` where both have ``id``, ``SELECT id, *``), or a
        column list naming one twice (``v (x, x)``), are PostgreSQL's ``column "a" specified
        more than once``; the column list names the first items. An item's name is known
        when it is a column (``a``, ``t.a``), is labelled (``x AS b``, a column's bare
        label), or is ``*`` or ``name.*`` over FROM items that are tables or views whose
        columns are known, joined by commas, ``CROSS JOIN`` or ``JOIN ... ON``; any other
        item's name is not read (PostgreSQL's ``?column?``, a function's name) and never
        counted. A ``*`` over anything else leaves the column list unread. Checked before
        the name is found taken (PostgreSQL does so too), but not for a view ``OR REPLACE``
        replaces (it says ``column "a" of relation "v" already exists``) nor where ``IF NOT
        EXISTS`` keeps the relation there is."""
        from schemafold.parse.tokens import identifier_of

        schema = self._creation_schema(e.name, e.origin)
        if (e.or_replace and ObjectKey.of(ObjectKind.VIEW, schema, e.name.name) in self.objects
                ) or (e.if_not_exists and self._namespace_taken(schema, e.name.name)):
            return  # replaced (checked column by column) or kept
        seen: set[str] = set()
        for name in e.columns:
            if name in seen:
                raise self._error(e.origin, f'column "{name}" specified more than once')
            seen.add(name)
        items = _select_items(fragment(e.query).tokens)
        if items is None:
            return
        names: list[str | None] = []
        sources: list[tuple[str, tuple[str, ...]]] | None = None
        for tokens in items:
            if tokens[-1].token_type == TokenType.STAR:
                if sources is None:
                    sources = self._from_columns(fragment(e.query).tokens) or []
                star = tokens[:-1]
                if not star:
                    expanded = [c for _, columns in sources for c in columns]
                elif len(star) == 2 and star[1].token_type == TokenType.DOT and \
                        (owner := identifier_of(star[0])) is not None:
                    expanded = [c for alias, columns in sources if alias == owner
                                for c in columns]
                else:
                    expanded = []
                if not expanded:
                    if e.columns:
                        return  # the column list's names cannot be placed
                    continue
                names.extend(expanded)
                continue
            names.append(_item_name(tokens))
        seen = set()
        for label in [*e.columns, *names[len(e.columns):]]:
            if label is None:
                continue
            if label in seen:
                raise self._error(e.origin, f'column "{label}" specified more than once')
            seen.add(label)

    def _from_columns(self, tokens: CollectionSequence[Token]
                      ) -> list[tuple[str, tuple[str, ...]]] | None:
        """The FROM items of ``SELECT ... FROM a [AS x], b JOIN c ON ...`` and their columns
        in order, each named as the query names it (its alias, else its name): tables and
        views whose columns are all known (``_columns_known``; no partition, no inheritance);
        None for anything else (a subquery, a function, ``USING``, ``NATURAL``, ``ONLY``, a
        column alias list)."""
        from schemafold.parse.tokens import dotted_name, word

        if not self._columns_known():
            return None
        depth, start, end = 0, None, len(tokens)
        for i, token in enumerate(tokens):
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
            if depth != 0:
                continue
            if start is None and word(token) == "FROM":
                start = i + 1
            elif start is not None and word(token) in _AFTER_FROM:
                end = i
                break
        if start is None:
            return None
        found: list[tuple[str, tuple[str, ...]]] = []
        at, depth = start, 0
        expect_relation = True
        while at < end:
            token = tokens[at]
            if expect_relation:
                parts, after = dotted_name(tokens, at)
                if not parts or len(parts) > 2 or word(tokens[at]) in _FROM_WORDS or (
                        after < end and tokens[after].token_type in (
                            TokenType.L_PAREN, TokenType.DOT, TokenType.STAR)):
                    return None
                columns = self._ordered_columns(parts[0] if len(parts) == 2 else None,
                                                parts[-1])
                if columns is None:
                    return None
                at = after
                alias = parts[-1]
                if at < end and word(tokens[at]) == "AS":
                    at += 1
                    alias_name = identifier_of(tokens[at]) if at < end else None
                    if alias_name is None:
                        return None
                    alias, at = alias_name, at + 1
                elif at < end and word(tokens[at]) not in _FROM_WORDS and \
                        tokens[at].token_type != TokenType.COMMA:
                    alias_name = identifier_of(tokens[at])
                    if alias_name is None:
                        return None
                    alias, at = alias_name, at + 1
                if at < end and tokens[at].token_type == TokenType.L_PAREN:
                    return None
                found.append((alias, columns))
                expect_relation = False
                continue
            if token.token_type == TokenType.COMMA:
                expect_relation = True
                at += 1
                continue
            joined = word(token)
            if joined in ("NATURAL", "USING", "LATERAL", "ONLY"):
                return None
            if joined in ("INNER", "LEFT", "RIGHT", "FULL", "CROSS", "OUTER", "JOIN"):
                while at < end and word(tokens[at]) in ("INNER", "LEFT", "RIGHT", "FULL",
                                                        "CROSS", "OUTER"):
                    at += 1
                if at >= end or word(tokens[at]) != "JOIN":
                    return None
                at += 1
                expect_relation = True
                continue
            if joined != "ON":
                return None
            at += 1
            while at < end:  # the condition runs to the next join or comma
                kind = tokens[at].token_type
                if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
                    depth += 1
                elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
                    depth -= 1
                elif depth == 0 and (kind == TokenType.COMMA or word(tokens[at]) in (
                        "JOIN", "INNER", "CROSS", "FULL", "NATURAL", "USING", "ON") or (
                        word(tokens[at]) in ("LEFT", "RIGHT") and not (
                            at + 1 < end and tokens[at + 1].token_type == TokenType.L_PAREN))):
                    break
                at += 1
        if expect_relation or len({name for name, _ in found}) != len(found):
            return None
        return found

    def _ordered_columns(self, schema: str | None, name: str) -> tuple[str, ...] | None:
        """The columns ``*`` reads of the table or view ``[schema.]name``, in order, found
        as ``_relation_read`` finds it; None when not certain (a partition, an inheriting
        table, a view whose output names are not all known)."""
        obj = self._relation_read(schema, name)
        if isinstance(obj, Table) and not obj.inherits and obj.partition_of is None:
            return tuple(c.name for c in obj.columns)
        if isinstance(obj, View):
            output = _output_names(obj)
            if output is not None and output[1]:
                return output[0]
        return None

    def _check_replaced_names(self, view: View, replaced: View, origin: ev.Origin) -> None:
        """``CREATE OR REPLACE VIEW`` keeps the view's columns, in order and by name, and may
        add columns after them (PostgreSQL's checkViewColumns: ``cannot drop columns from
        view``, ``cannot change name of view column "a" to "b"``); judged where both queries'
        output names are known (``view_output_names``)."""
        old, new = _output_names(view), _output_names(replaced)
        if old is None or new is None:
            return
        if len(new[0]) < len(old[0]) and new[1]:
            raise self._error(origin, "cannot drop columns from view")
        for before, after in zip(old[0], new[0], strict=False):
            if before != after:
                raise self._error(origin, f'cannot change name of view column "{before}" to '
                                  f'"{after}"')

    def _check_replaced_types(self, view: View, replaced: View, origin: ev.Origin) -> None:
        """``CREATE OR REPLACE VIEW`` keeps each column's type (PostgreSQL's checkViewColumns:
        ``cannot change data type of view column "a" from integer to bigint``); judged for a
        column whose type is certain in both queries (``_output_types``), by base type (a
        changed type modifier is not judged)."""
        names = _output_names(view)
        old, new = self._output_types(view.query), self._output_types(replaced.query)
        if names is None or old is None or new is None:
            return
        for name, before, after in zip(names[0], old, new, strict=False):
            if before is not None and after is not None and before != after:
                raise self._error(origin, f'cannot change data type of view column "{name}" '
                                  f"from {before} to {after}")

    def _output_types(self, query: str) -> list[str | None] | None:
        """The type of each output column of a view's ``SELECT``, where it is certain and a
        built-in type of ``_PLAIN_TYPES``: a cast's type (``a::bigint``), a string (text), a
        number of digits that fits an integer, or a column of the
        one table the query reads (no join, no ``WITH``), bare or qualified by its name;
        None for the others, and for the whole when the select list cannot be read or holds
        a ``*``."""
        from schemafold.fold.sql_body import read_statement

        root = read_statement(query)
        if not isinstance(root, exp.Select) or any(
                isinstance(item, exp.Star) or isinstance(item, exp.Column) and
                isinstance(item.this, exp.Star) for item in root.expressions):
            return None
        types: list[str | None] = []
        for item in root.expressions:
            item = item.unalias()
            known: str | None = None
            if isinstance(item, exp.Cast) and isinstance(item.args.get("to"), exp.DataType):
                known = canonical_type(item.args["to"].sql(dialect="postgres"))
            elif isinstance(item, exp.Literal) and item.is_string:
                known = "text"  # a view's unknown-typed string is text (PostgreSQL 10 on)
            elif isinstance(item, exp.Literal) and item.this.isdigit() and \
                    int(item.this) < 2 ** 31:
                known = "integer"
            elif isinstance(item, exp.Column):
                known = self._column_type(root, item)
            types.append(known if known in _PLAIN_TYPES else None)
        return types

    def _check_call_arities(self, table: Table, expressions: Iterable[str],
                            origin: ev.Origin) -> None:
        """A call in an index's expressions to a built-in function every form of which takes
        a fixed number of arguments (``_FIXED_ARITIES``), with another number of them
        (``lower(cod,e)``, a character lost: ``function lower(text, text) does not exist``),
        judged where each argument is a string, a small number or a column of the table
        whose type is one of ``_PLAIN_TYPES``, and no function of that name may have been
        made (by the history, an extension or a statement kept verbatim)."""
        if self.uncertain_after is not None:
            return
        extensions = self._extension_objects()
        if extensions is None:
            return
        for text in expressions:
            tokens: CollectionSequence[Token] = fragment(text).tokens_or_none() or []
            for i, token in enumerate(tokens[:-1]):
                name = token.text.lower() if token.token_type != TokenType.IDENTIFIER else None
                if name not in _FIXED_ARITIES or \
                        tokens[i + 1].token_type != TokenType.L_PAREN or \
                        i and tokens[i - 1].token_type == TokenType.DOT or \
                        name in extensions.functions or \
                        self.objects.keys_called(ObjectKind.FUNCTION, name):
                    continue
                arguments: list[list[Token]] = [[]]
                depth = 0
                for inner in tokens[i + 2:]:
                    if inner.token_type == TokenType.L_PAREN:
                        depth += 1
                    elif inner.token_type == TokenType.R_PAREN:
                        if depth == 0:
                            break
                        depth -= 1
                    elif inner.token_type == TokenType.COMMA and depth == 0:
                        arguments.append([])
                        continue
                    arguments[-1].append(inner)
                if len(arguments) == _FIXED_ARITIES[name]:
                    continue
                types = [_argument_type(table, argument) for argument in arguments]
                if all(types):
                    raise self._error(origin, f"function {name}({', '.join(map(str, types))}) "
                                      "does not exist")

    def _check_minus_operands(self, query: str, origin: ev.Origin) -> None:
        """A view's select item that is ``-`` before a column of a type no prefix ``-``
        takes (``SELECT id, - name FROM t``, ``name text``: ``operator does not exist: -
        text``), the column's type certain (``_column_type``) and no extension or statement
        kept verbatim that may have made a prefix operator."""
        if "-" not in query or self.uncertain_after is not None or any(
                key[-1] not in _NO_OPERATORS_ADDED
                for key in self.objects.keys_of_kind(ObjectKind.EXTENSION)):
            return
        from schemafold.fold.sql_body import read_statement

        root = read_statement(query)
        if not isinstance(root, exp.Select):
            return
        for item in root.expressions:
            item = item.unalias()
            if isinstance(item, exp.Neg) and isinstance(item.this, exp.Column):
                known = self._column_type(root, item.this)
                if known in _NO_MINUS_TYPES:
                    raise self._error(origin, f"operator does not exist: - {known}")

    def _column_type(self, root: exp.Select, item: exp.Column) -> str | None:
        """The type (``canonical_type``) of ``item``, a column of the one table ``root``
        reads (no join, no ``WITH``), bare or qualified by its name there; None when it is
        not that."""
        table: Table | None = None
        refname = None
        from_ = root.args.get("from_")
        source = from_.this if isinstance(from_, exp.From) else None
        if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier) and \
                not root.args.get("joins") and not root.args.get("with_") and \
                not source.args.get("catalog") and not source.args.get("joins"):
            alias = source.args.get("alias")
            schema = source.args.get("db")
            if not (isinstance(alias, exp.TableAlias) and alias.columns) and \
                    (schema is None or isinstance(schema, exp.Identifier)):
                found = self._relation_read(_identifier_name(schema),
                                            _identifier_name(source.this) or "")
                if isinstance(found, Table) and not found.inherits:
                    table, refname = found, source.alias_or_name
        if table is None or not isinstance(item.this, exp.Identifier) or \
                item.args.get("db") or item.args.get("catalog"):
            return None
        qualifier = item.args.get("table")
        column = table.column(item.this.this)
        if column is None or qualifier is not None and _identifier_name(qualifier) != refname:
            return None
        return canonical_type(column.column.type)

    def _check_ungrouped(self, query: str, origin: ev.Origin) -> None:
        """A view's ``SELECT`` without GROUP BY whose select list holds an aggregate's call is
        one group: a column of its row named bare beside it is refused (``column "t.c" must
        appear in the GROUP BY clause or be used in an aggregate function``, 15 and 18).
        Checked for ``SELECT ... FROM name [[AS] alias] ...`` (one table or view, no join),
        no window function in the select list, and a select item that is a column of that
        relation (known as ``_check_query_columns`` knows them), unqualified or qualified by
        the relation's name in the query. The aggregate is ``count(*)`` (one whatever
        functions exist), or ``count``, ``sum``, ``min``, ``max`` or ``avg`` of one argument
        while no function of the history or of a known extension has that name (pg_catalog
        has them as aggregates only), called in a select item that holds no subquery."""
        if not _AGGREGATE_CALL.search(query) or not self._columns_known():
            return
        from schemafold.fold.sql_body import read_statement

        root = read_statement(query)
        if not isinstance(root, exp.Select) or root.args.get("group") or \
                root.args.get("joins") or root.args.get("with_") or \
                root.args.get("distinct") is not None and root.args["distinct"].args.get("on"):
            return
        from_ = root.args.get("from_")
        source = from_.this if isinstance(from_, exp.From) else None
        if not isinstance(source, exp.Table) or not isinstance(source.this, exp.Identifier) \
                or source.args.get("catalog") or source.args.get("joins") or \
                source.args.get("laterals") or source.args.get("pivots"):
            return
        schema = source.args.get("db")
        if schema is not None and not isinstance(schema, exp.Identifier):
            return
        alias = source.args.get("alias")
        if isinstance(alias, exp.TableAlias) and alias.columns:
            return
        refname = source.alias_or_name
        items = [item.unalias() for item in root.expressions]
        if any(item.find(exp.Window) for item in items) or not any(
                self._aggregate_in(item) for item in items):
            return
        columns = self._relation_columns(str(schema.this) if schema is not None else None,
                                         str(source.this.this))
        if columns is None:
            return
        for item in items:
            if not isinstance(item, exp.Column) or not isinstance(item.this, exp.Identifier) \
                    or item.args.get("db") or item.args.get("catalog"):
                continue
            name = str(item.this.this)
            qualifier = item.args.get("table")
            if qualifier is not None and (not isinstance(qualifier, exp.Identifier)
                                          or str(qualifier.this) != refname):
                continue
            if name not in columns or name in _SYSTEM_COLUMNS or (
                    not item.this.quoted and name in _VALUE_WORDS):
                continue
            raise self._error(origin, f'column "{refname}.{name}" must appear in the GROUP BY '
                              "clause or be used in an aggregate function")

    def _aggregate_in(self, item: exp.Expression) -> bool:
        """Whether a select item holds, at its query's level, a call that is certainly an
        aggregate's (``_check_ungrouped``)."""
        if isinstance(item.this if isinstance(item, exp.Filter) else item, exp.Count) and \
                isinstance((item.this if isinstance(item, exp.Filter) else item).this,
                           exp.Star):
            return True
        if item.find(exp.Select, exp.Subquery) or self._extension_objects() is None:
            return False
        functions = self._function_names()
        for call in item.find_all(exp.Count, exp.Sum, exp.Min, exp.Max, exp.Avg):
            name = type(call).__name__.lower()
            if name not in functions and isinstance(call.this, exp.Expression) and \
                    not isinstance(call.this, exp.Star) and not call.args.get("expressions"):
                return True
        return False

    def _kept_for_a_policy(self, origin: ev.Origin, doing: str, table: Table,
                           column: str | None, names: Iterable[QName]) -> bool:
        for _, policy, _surely in policies_reading(self.objects, table, column):
            self._keep_unmodelled(origin, f"{doing} that policy {policy.name} on "
                                  f"{policy.table.name} reads is not modelled", names)
            return True
        return False

    def _check_grouped(self, query: str, origin: ev.Origin) -> None:
        """A view's ``SELECT ... GROUP BY`` whose select list holds, bare or in parentheses,
        a column neither grouped by nor functionally dependent on what is (its table's primary
        key grouped by whole) is refused (``column "p.total" must appear in the GROUP BY
        clause or be used in an aggregate function``, 15 and 18). Checked where every FROM
        item is a table or view whose columns are known (``_relation_columns``), joined
        without ``USING`` or ``NATURAL``, with no ``WITH``, and every GROUP BY item is a
        column of one of them (no expression, position, output name or grouping set);
        a select item that is anything but a column is not judged."""
        if not _GROUP_BY.search(query) or not self._columns_known():
            return
        from schemafold.fold.sql_body import read_statement

        root = read_statement(query)
        group = root.args.get("group") if isinstance(root, exp.Select) else None
        if not isinstance(root, exp.Select) or not isinstance(group, exp.Group) or \
                root.args.get("with_") or any(
                    group.args.get(k) for k in ("grouping_sets", "cube", "rollup", "totals",
                                                "all")):
            return
        from_ = root.args.get("from_")
        joins = root.args.get("joins") or []
        if not isinstance(from_, exp.From) or any(
                join.args.get("using") or join.args.get("method") for join in joins):
            return
        tables: dict[str, tuple[frozenset[str], object]] = {}
        for source in (from_.this, *(join.this for join in joins)):
            if not isinstance(source, exp.Table) or not isinstance(source.this, exp.Identifier) \
                    or source.args.get("catalog") or source.args.get("joins") or \
                    source.args.get("laterals") or source.args.get("pivots"):
                return
            schema = source.args.get("db")
            alias = source.args.get("alias")
            if (schema is not None and not isinstance(schema, exp.Identifier)) or (
                    isinstance(alias, exp.TableAlias) and alias.columns) or \
                    source.alias_or_name in tables:
                return
            named = (str(schema.this) if schema is not None else None, str(source.this.this))
            columns = self._relation_columns(*named)
            if columns is None:
                return
            tables[source.alias_or_name] = (columns, self._relation_read(*named))

        def owner(node: exp.Expression) -> tuple[str, str] | None:
            while isinstance(node, exp.Paren):
                node = node.this
            if not isinstance(node, exp.Column) or not isinstance(node.this, exp.Identifier) \
                    or node.args.get("db") or node.args.get("catalog"):
                return None
            name = str(node.this.this)
            qualifier = node.args.get("table")
            if qualifier is not None:
                if not isinstance(qualifier, exp.Identifier):
                    return None
                refname = str(qualifier.this)
                return (refname, name) if name in tables.get(refname, ((), None))[0] else None
            having = [refname for refname, (columns, _) in tables.items() if name in columns]
            return (having[0], name) if len(having) == 1 else None

        grouped = set()
        for item in group.expressions:
            by = owner(item)
            if by is None:
                return
            grouped.add(by)
        for item in root.expressions:
            found = owner(item.unalias())
            if found is None or found in grouped or found[1] in _SYSTEM_COLUMNS or \
                    found[1] in _VALUE_WORDS:
                continue
            table = tables[found[0]][1]
            keys = [c.constraint.columns for c in table.constraints
                    if c.constraint.kind == "primary key"] if isinstance(table, Table) else []
            if any(all((found[0], c) in grouped for c in key) for key in keys):
                continue  # the table's primary key is grouped by: each column depends on it
            raise self._error(origin, f'column "{found[0]}.{found[1]}" must appear in the '
                              "GROUP BY clause or be used in an aggregate function")

    def _check_view_names(self, query: str, origin: ev.Origin) -> None:
        """PostgreSQL analyzes a view's query when it creates the view: the relation it reads
        and the columns it names must exist. Checked for the simplest query only,
        ``SELECT item, ... FROM name [[AS] alias] [WHERE ...]`` (no join, no subquery in FROM,
        no WITH), while the fold knows the whole catalog (no statement kept verbatim so far,
        no extension that may create relations, no inheritance, every schema on search_path
        known): an
        unqualified relation no schema on the path has (``relation "s" does not exist``), and
        a select-list item that is one bare name (``nope``, ``x.nope``, ``nope AS n``,
        ``nope n``) the table has no column of, nor is the table's or alias's own name (its
        row), nor a system column (``column "nope" does not exist``)."""
        from schemafold.parse.tokens import TokenType, identifier_of, word

        if not self._catalog_known() or self.any_inheritance:
            return
        tokens = fragment(query).tokens
        if not tokens or word(tokens[0]) != "SELECT" or (
                len(tokens) > 1 and word(tokens[1]) in ("DISTINCT", "ALL")):
            return
        depth, froms = 0, []
        for i, token in enumerate(tokens):
            if token.token_type == TokenType.L_PAREN:
                depth += 1
            elif token.token_type == TokenType.R_PAREN:
                depth -= 1
            elif depth == 0 and word(token) in ("FROM", "UNION", "INTERSECT", "EXCEPT",
                                                "INTO", "WITH"):
                froms.append(i)
        if len(froms) != 1 or word(tokens[froms[0]]) != "FROM":
            return
        at = froms[0] + 1
        name_tokens: list[str] = []
        while at < len(tokens):
            part = identifier_of(tokens[at])
            if part is None or tokens[at].token_type not in (TokenType.VAR,
                                                              TokenType.IDENTIFIER):
                return
            name_tokens.append(part)
            at += 1
            if at < len(tokens) and tokens[at].token_type == TokenType.DOT:
                at += 1
                continue
            break
        if not name_tokens or len(name_tokens) > 2:
            return
        alias = None
        clauses = ("WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH", "WINDOW")
        if at < len(tokens) and word(tokens[at]) == "AS":
            at += 1
        if at < len(tokens) and tokens[at].token_type in (
                TokenType.VAR, TokenType.IDENTIFIER) and word(tokens[at]) not in clauses:
            alias = identifier_of(tokens[at])
            at += 1
        if at < len(tokens) and word(tokens[at]) not in clauses:
            return
        name = QName.from_parts(name_tokens)
        if name.schema is not None:
            return
        path = [s for s in self.search_path if s not in ("pg_catalog", "$user")]
        if any(ObjectKey.of(ObjectKind.SCHEMA, None, s) not in self.objects for s in path):
            return
        # every relation of that name, in any schema ("$user" may name any schema the
        # history created): none is PostgreSQL's error, more than one is left unchecked
        found = [key for kind in (*RELATIONS, ObjectKind.TYPE)
                 for key in self.objects.keys_of_kind(kind) if key[2] == name.name]
        if not found:
            if name.name.startswith("pg_"):
                return
            self._check_not_temporary(name.name, origin)
            raise self._error(origin, f'relation "{name.name}" does not exist'
                              + self._search_path_hint(name))
        table = self.objects.get(found[0])
        if len(found) != 1 or not isinstance(table, Table) or table.inherits or \
                (found[0][1] not in path and "$user" not in self.search_path):
            return
        own = {alias} if alias is not None else {name.name}
        items = _split_top_level(tokens, 1, froms[0])
        functions = self._function_names()
        for item in items:
            if len(item) >= 2 and word(item[-2]) == "AS":
                item = item[:-2]
            elif len(item) == 2 and item[1].token_type in (TokenType.VAR, TokenType.IDENTIFIER):
                item = item[:1]
            if len(item) == 3 and item[1].token_type == TokenType.DOT and \
                    identifier_of(item[0]) in own:
                if identifier_of(item[2]) in functions:
                    continue  # t.f: a function f(t) in attribute notation
                item = item[2:]
            if len(item) != 1 or item[0].token_type not in (TokenType.VAR,
                                                             TokenType.IDENTIFIER):
                continue
            column = identifier_of(item[0])
            if column is None or column in own or column in _SYSTEM_COLUMNS or \
                    table.column(column) is not None or (
                        item[0].token_type != TokenType.IDENTIFIER
                        and column.lower() in _VALUE_KEYWORDS):
                continue
            raise self._error(origin, f'column "{column}" does not exist')

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
        key = self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW)) if name else None
        obj = self.objects.get(key) if key else None
        if isinstance(obj, Table):
            columns = [c.name for c in obj.columns]
        elif isinstance(obj, View) and (output := view_output_names(obj)):
            columns = list(output)
        else:
            self._warn(origin, "SELECT * kept as written")
            return query
        from schemafold.names import quote_ident

        star = tokens[stars[0]]
        listing = ", ".join(quote_ident(c) for c in columns)
        return query[: star.start] + listing + query[star.end + 1:]


#: Columns every table has besides its own (``SELECT ctid FROM t``).
_SYSTEM_COLUMNS = frozenset({"ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "oid"})
#: SQL's value keywords: written bare, as a column would be, they are values
#: (``SELECT user FROM t`` is the current user's name on PostgreSQL 15 and 18)
_VALUE_KEYWORDS = frozenset({
    "user", "current_user", "session_user", "system_user", "current_role", "current_schema",
    "current_catalog", "current_date", "current_time", "current_timestamp", "localtime",
    "localtimestamp", "true", "false", "null", "default",
})


def _element_expression(element: ev.IndexElement) -> str | None:
    """An index element's expression: written in parentheses or as a call, or a qualified
    call (``s.f(c)``), which the parser reads as a column with a suffix."""
    from schemafold.names import quote_ident

    if element.expression is not None:
        return str(element.expression)
    if element.column is None or not element.suffix.lstrip().startswith("."):
        return None
    depth = 0
    for token in fragment(element.suffix).tokens_or_none() or ():  # up to the call's ")"
        depth += (token.token_type == TokenType.L_PAREN) - (token.token_type == TokenType.R_PAREN)
        if token.token_type == TokenType.R_PAREN and depth == 0:
            return quote_ident(element.column) + element.suffix[:token.end + 1]
    return None


#: Type names that are key words (``text``, ``int``): a bare one as an argument of a function
#: call is a column reference in PostgreSQL (``length(text)``: ``column "text" does not
#: exist``, 15 and 18), though a key word elsewhere may belong to a special syntax
_TYPE_WORDS = frozenset({
    "bigint", "bit", "boolean", "char", "character", "dec", "decimal", "float", "int",
    "integer", "interval", "json", "nchar", "numeric", "real", "smallint", "text", "time",
    "timestamp", "varchar",
})


def _type_word_argument(column: exp.Column, name: str) -> bool:
    """Whether ``column`` (named ``name``, unquoted) is a type word written bare as a
    positional argument of a function call (``auth.uid(text)``, ``coalesce(int, 0)``), where
    PostgreSQL reads a column reference; not in a JSON or XML function's special syntax
    (``json_object(... RETURNING text)``, which sqlglot reads as a column)."""
    parent = column.parent
    return name in _TYPE_WORDS and isinstance(parent, exp.Func) \
        and column.arg_key in ("this", "expressions") \
        and not type(parent).__name__.upper().startswith(("JSON", "XML"))


def _missing_column(query: str,
                    relation_columns: Callable[[str | None, str], frozenset[str] | None],
                    accepted: Container[str] = frozenset(), *,
                    qualifiers_known: bool = False,
                    enum_of: EnumOf | None = None) -> str | None:
    """PostgreSQL's error for a column ``query`` names that does not exist, or None (see
    ``FoldState._check_query_columns``); ``relation_columns`` gives a relation's columns
    by schema (None: unqualified) and name, None when unknown; ``accepted`` names are never
    refused unqualified. ``enum_of``: a column's enum (see :func:`_missing_label`), when a
    label compared with it is to be checked too."""
    from schemafold.fold.sql_body import read_statement

    root = read_statement(query)  # unquoted names folded to lower case, as PostgreSQL does
    if root is None:
        return None  # sqlglot cannot read it, or misreads it: no evidence either way
    return _missing_column_in(root, relation_columns, accepted,
                              qualifiers_known=qualifiers_known) or (
        _missing_label(root, relation_columns, enum_of) if enum_of is not None else None)


#: a relation's (schema or None, name) and a column's name: the column's enum type as
#: PostgreSQL names it in its errors and its labels, or None when that is not known for certain
EnumOf = Callable[[str | None, str, str], tuple[str, tuple[str, ...] | None] | None]


def _missing_label(root: exp.Expr,
                   relation_columns: Callable[[str | None, str], frozenset[str] | None],
                   enum_of: EnumOf) -> str | None:
    """``column = 'x'`` (``<>``, ``<``, ``IN ('x', ...)`` and the other way round) where the
    column is of an enum type without the label ``x``: PostgreSQL coerces the string to the
    enum when it analyzes the query (``invalid input value for enum plan: "paid"``). The
    column is resolved only when certain: qualified by a table of the same query level, or
    unqualified and had by exactly one of its FROM items, all of them tables whose columns are
    known. A column of a built-in type (``enum_of`` gives no labels) has the string judged by
    the type's input function instead (``rows.input_syntax.rejected_text``)."""
    from sqlglot.optimizer.scope import build_scope

    from schemafold.rows.input_syntax import rejected_text

    try:
        top = build_scope(root) if isinstance(root, exp.Query) else None
    except Exception:  # noqa: BLE001 - sqlglot cannot read it: no evidence either way
        return None
    if top is None:
        return None

    def table_of(source: object) -> tuple[str | None, str] | None:
        if not isinstance(source, exp.Table) or not isinstance(source.this, exp.Identifier) \
                or source.args.get("catalog"):
            return None
        schema = source.args.get("db")
        if schema is not None and not isinstance(schema, exp.Identifier):
            return None
        alias = source.args.get("alias")
        if isinstance(alias, exp.TableAlias) and alias.columns:
            return None
        return (str(schema.this) if schema is not None else None, str(source.this.this))

    def enum_in(select: exp.Select, column: exp.Column
                ) -> tuple[str, tuple[str, ...] | None] | None:
        if not isinstance(column.this, exp.Identifier) or column.args.get("db"):
            return None
        name = str(column.this.this)
        qualifier = column.args.get("table")
        tables = {alias: table_of(source)
                  for alias, (_node, source) in scopes[id(select)].selected_sources.items()}
        if qualifier is not None:
            found = tables.get(str(qualifier.this)) if isinstance(qualifier, exp.Identifier) \
                else None
            return enum_of(*found, name) if found is not None else None
        having = []
        for found in tables.values():
            columns = relation_columns(*found) if found is not None else None
            if found is None or columns is None:
                return None
            if name in columns:
                having.append(found)
        return enum_of(*having[0], name) if len(having) == 1 else None

    def strings(nodes: list[exp.Expression]) -> list[str] | None:
        if not all(isinstance(n, exp.Literal) and n.is_string for n in nodes):
            return None
        return [str(n.this) for n in nodes]

    scopes: dict[int, Scope] = {}
    try:
        for scope in top.traverse():
            if isinstance(scope.expression, exp.Select):
                scopes[id(scope.expression)] = scope
        for scope in scopes.values():
            select = scope.expression
            for node in select.find_all(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE,
                                        exp.In):
                if node.find_ancestor(exp.Select) is not select:
                    continue
                if isinstance(node, exp.In):
                    column, values = node.this, strings(list(node.expressions))
                    if node.args.get("query") or node.args.get("unnest"):
                        continue
                else:
                    left, right = node.this, node.args.get("expression")
                    if isinstance(right, exp.Column):
                        left, right = right, left
                    column, values = left, strings([right]) if right is not None else None
                if not isinstance(column, exp.Column) or not values:
                    continue
                enum = enum_in(select, column)
                if enum is None:
                    continue
                for value in values:
                    rejected = rejected_text(enum[0], value, enum[1])
                    if rejected is not None:
                        return rejected
    except OptimizeError:
        return None
    return None


def _identifier_name(identifier: object) -> str | None:
    """An identifier node's name, None for anything else."""
    return str(identifier.this) if isinstance(identifier, exp.Identifier) else None


def _query_output_names(node: exp.Expr) -> list[str] | None:
    """The output column names of a query (of a set operation's first branch): each item's
    alias or column name; None when an item has neither."""
    while isinstance(node, exp.SetOperation):
        node = node.args["this"]
    if not isinstance(node, exp.Select):
        return None
    names = []
    for item in node.expressions:
        named = _identifier_name(item.args.get("alias")) if isinstance(item, exp.Alias) else \
            _identifier_name(item.this) if isinstance(item, exp.Column) else None
        if named is None:
            return None
        names.append(named)
    return names


def _missing_column_in(root: exp.Expr,
                       relation_columns: Callable[[str | None, str], frozenset[str] | None],
                       accepted: Container[str] = frozenset(), *,
                       qualifiers_known: bool = False) -> str | None:
    """:func:`_missing_column` for a query sqlglot has read, its unquoted names already
    folded to lower case (``normalize_identifiers``). ``qualifiers_known``: the query's FROM
    items are the only names a column may be qualified with (a view's, an index's, a
    policy's; not a routine body's, whose parameters and name qualify too), so a qualifier
    none of them has is ``missing FROM-clause entry for table "s"``."""
    from sqlglot.optimizer.scope import Scope, build_scope

    try:
        top = build_scope(root) if isinstance(root, exp.Query) else None
    except Exception:  # noqa: BLE001 - sqlglot cannot read it: no evidence either way
        return None
    if top is None:
        return None

    def renamed(names: list[str] | None, alias: exp.Expression | None) -> frozenset[str] | None:
        if names is None:
            return None
        given = [_identifier_name(c) for c in alias.columns] if isinstance(alias, exp.TableAlias) \
            else []
        if any(g is None for g in given):
            return None
        return frozenset((*[g for g in given if g is not None], *names[len(given):]))

    known: dict[int, dict[str, frozenset[str] | None]] = {}

    def sources(scope: Scope) -> dict[str, frozenset[str] | None]:
        if id(scope) in known:
            return known[id(scope)]
        found: dict[str, frozenset[str] | None] = {}
        for alias, (_node, source) in scope.selected_sources.items():
            columns: frozenset[str] | None = None
            if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier) \
                    and not source.args.get("catalog"):
                schema = source.args.get("db")
                if schema is None or isinstance(schema, exp.Identifier):
                    table_columns = relation_columns(_identifier_name(schema),
                                                     _identifier_name(source.this) or "")
                    alias_node = source.args.get("alias")
                    if table_columns is not None and isinstance(alias_node, exp.TableAlias) \
                            and alias_node.columns:
                        columns = None  # renamed positionally: the order is not kept here
                    else:
                        columns = table_columns
            elif isinstance(source, Scope) and isinstance(source.expression, exp.Query) \
                    and not isinstance(source.expression, exp.Values):
                parent = source.expression.parent
                alias_node = parent.args.get("alias") if isinstance(
                    parent, exp.CTE | exp.Subquery) else None
                columns = renamed(_query_output_names(source.expression), alias_node)
            found[alias] = columns
        known[id(scope)] = found
        return found

    try:
        for scope in top.traverse():
            select = scope.expression
            if not isinstance(select, exp.Select):
                continue
            chain = []
            at: Scope | None = scope
            while at is not None:
                chain.append(at)
                at = at.parent
            # output names a GROUP BY or ORDER BY may use (and, leniently, any other clause)
            own_outputs = {_identifier_name(item.args.get("alias")) for item in select.expressions
                           if isinstance(item, exp.Alias)}
            for column in scope.columns:
                owner = column.parent
                while owner is not None and not isinstance(owner, exp.Select | exp.SetOperation):
                    owner = owner.parent
                if owner is not select or not isinstance(column.this, exp.Identifier) or \
                        column.args.get("db") or column.args.get("catalog"):
                    continue
                name = _identifier_name(column.this)
                qualifier = column.args.get("table")
                if name is None:
                    continue
                if qualifier is not None:
                    if name in accepted:
                        continue  # t.f: a function f(t) in attribute notation
                    table = _identifier_name(qualifier)
                    for level in chain:
                        visible = sources(level)
                        if table in visible:
                            columns = visible[table]
                            if columns is not None and name not in columns:
                                return f"column {table}.{name} does not exist"
                            break
                    else:
                        # a function in FROM without an alias is named by the function
                        # (FROM generate_series(1, 3): generate_series.generate_series)
                        if qualifiers_known and table is not None and table not in accepted \
                                and not any("" in level.selected_sources for level in chain):
                            aliased = any(
                                isinstance(source, exp.Table)
                                    and _identifier_name(source.this) == table
                                for level in chain
                                for _node, source in level.selected_sources.values())
                            # a table under an alias is named by its alias only
                            return (f'invalid reference to FROM-clause entry for table "{table}"'
                                    if aliased else
                                    f'missing FROM-clause entry for table "{table}"')
                    continue
                if name in own_outputs or name in accepted or (
                        not column.this.quoted and name in KEYWORDS
                        and not _type_word_argument(column, name)):
                    continue
                names: set[str] = set()
                certain = True
                for level in chain:
                    for alias, columns in sources(level).items():
                        names.add(alias)
                        if columns is None:
                            certain = False
                        else:
                            names |= columns
                if certain and name not in names:
                    return f'column "{name}" does not exist'
                if certain:
                    row = _row_as_condition(column, name, chain, sources)
                    if row is not None:
                        return row
    except OptimizeError:  # sqlglot cannot resolve its sources (FOR UPDATE OF t): accept
        return None
    return None


def _row_as_condition(column: exp.Column, name: str, chain: list[Scope],
                      sources: Callable[[Scope], dict[str, frozenset[str] | None]]
                      ) -> str | None:
    """``WHERE s`` (``AND s``, ``NOT s``, ``JOIN ... ON s``, ``HAVING s``) where the bare
    name ``s`` is no column of any FROM item in scope, every one of them known, and the
    nearest FROM item named ``s`` is a table or view: PostgreSQL reads the name as that row
    (whole-row reference), and refuses it as a condition (``argument of WHERE must be type
    boolean, not type t``, 15 and 18). None otherwise."""
    if any(name in columns for level in chain for columns in sources(level).values()
           if columns is not None):
        return None
    node: exp.Expr = column
    parent = node.parent
    while isinstance(parent, exp.Paren):
        node, parent = parent, parent.parent
    if isinstance(parent, exp.Where):
        clause = "WHERE"
    elif isinstance(parent, exp.Having):
        clause = "HAVING"
    elif isinstance(parent, exp.And | exp.Or):
        clause = "AND" if isinstance(parent, exp.And) else "OR"
    elif isinstance(parent, exp.Not):
        clause = "NOT"
    elif isinstance(parent, exp.Join) and parent.args.get("on") is node:
        clause = "JOIN/ON"
    else:
        return None
    for level in chain:
        if name in level.selected_sources:
            source = level.selected_sources[name][1]
            if not isinstance(source, exp.Table) or sources(level).get(name) is None:
                return None
            return (f"argument of {clause} must be type boolean, not type "
                    f"{_identifier_name(source.this)}")
    return None


def _split_top_level(tokens: CollectionSequence[Token], first: int, last: int
                     ) -> list[list[Token]]:
    """The comma-separated items of ``tokens[first:last]`` outside parentheses."""
    from schemafold.parse.tokens import TokenType

    items: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[first:last]:
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif depth == 0 and token.token_type == TokenType.COMMA:
            items.append([])
            continue
        items[-1].append(token)
    return items


def policies_reading(objects: ObjectStore, table: Table, column: str | None = None
                     ) -> list[tuple[Key, Policy, bool]]:
    """The policies on other relations whose expressions may read ``table`` (its ``column``)
    in a subquery (``USING (EXISTS (SELECT 1 FROM table ...))``), which PostgreSQL records as
    depending on it; with each, whether it surely does: always for the table, for a column
    when a name of the table qualifies it (``table.column``; a bare name may be the policy's
    own table's column)."""
    found = []
    for key, policy in objects.of_type(Policy):
        if not isinstance(policy, Policy) or policy.table == table.name:
            continue
        texts = [text for text in (policy.using, policy.check)
                 if text is not None and _query_reads(text, table)]
        if column is None:
            if texts:
                found.append((key, policy, True))
            continue
        texts = [text for text in texts if _may_read_column(text, table, column)]
        if texts:
            found.append((key, policy, any(_qualified_read(text, table, column)
                                           for text in texts)))
    return found


def _qualified_read(query: str, table: Table, column: str) -> bool:
    """Whether ``query`` names ``column`` qualified by a name of ``table`` there (its alias,
    else its name): ``table.column``."""
    tokens = fragment(query).tokens
    own, _ = qualifiers(tokens, table)
    return any(identifier_of(token) == column and i >= 2
               and tokens[i - 1].token_type == TokenType.DOT
               and identifier_of(tokens[i - 2]) in own
               and (i + 1 >= len(tokens) or tokens[i + 1].token_type != TokenType.L_PAREN)
               for i, token in enumerate(tokens))


def _may_read_column(query: str, table: Table, column: str) -> bool:
    """Whether ``query``, which reads ``table``, may read its ``column``: a name ``column``
    used as a column (:func:`columns_named`), unless it is a label (``AS column``) or is
    qualified by another relation the query reads, by its name or its alias (``x.column``,
    where ``x`` is no name of ``table`` there)."""
    if column not in columns_named(query, {column}):
        return False
    tokens = fragment(query).tokens
    own, others = qualifiers(tokens, table)
    for i, token in enumerate(tokens):
        if identifier_of(token) != column:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after is not None and after.token_type in (TokenType.L_PAREN, TokenType.DOT):
            continue
        before = tokens[i - 1] if i else None
        if before is not None and before.token_type == TokenType.DCOLON:
            continue
        if before is not None and before.token_type != TokenType.IDENTIFIER and \
                before.text.upper() == "AS":
            continue  # a label: SELECT 'x' AS column, (SELECT ...) AS column
        if before is not None and ends_an_operand(before) and \
                clause_before(tokens, i) in ("SELECT", "FROM", "JOIN", "RETURNING"):
            continue  # a label written without AS (SELECT b column), an alias (FROM u column)
        if orders_by_label(tokens, i):
            continue
        if before is not None and before.token_type == TokenType.DOT and i >= 2:
            qualifier = identifier_of(tokens[i - 2])
            if qualifier is not None and qualifier not in own and qualifier in others:
                continue  # another relation's column of that name
        return True
    return False


def _star_may_read(query: str, table: Table) -> bool:
    """Whether ``query`` keeps a ``*`` that may read ``table``'s columns: ``*`` alone in a
    select list, or qualified by a name that is no other relation's there (``t.*``); not
    ``count(*)`` nor a product (``a * 2``). Read from the tokens (a false yes only stops the
    fold)."""
    tokens = fragment(query).tokens_or_none()
    if tokens is None:
        return "*" in query
    own, others = qualifiers(tokens, table)
    for i, token in enumerate(tokens):
        if token.token_type != TokenType.STAR:
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if before is not None and before.token_type == TokenType.L_PAREN and \
                after is not None and after.token_type == TokenType.R_PAREN:
            continue  # count(*)
        if before is not None and before.token_type == TokenType.DOT and i >= 2:
            qualifier = identifier_of(tokens[i - 2])
            if qualifier is not None and qualifier not in own and qualifier in others:
                continue
            return True
        if before is not None and ends_an_operand(before):
            continue  # a product
        return True
    return False


def _alias_list_reaches(query: str, table: Table, column: str) -> bool:
    """Whether ``query`` writes ``table``'s name (bare or qualified), an alias and a column
    alias list as long as ``column``'s place or longer (``t x(i, q)``: the second column
    renamed); read from the tokens, wherever they stand (a false yes only stops the fold)."""
    from schemafold.fragment import fragment

    tokens = fragment(query).tokens_or_none()
    if tokens is None:
        return "(" in query and table.name.name in query
    names = [c.name for c in table.columns]
    place = names.index(column) if column in names else 0
    count = len(tokens)
    for i, token in enumerate(tokens):
        if identifier_of(token) != table.name.name:
            continue
        at = i + 1
        if at < count and tokens[at].text.upper() == "AS":
            at += 1
        if at + 1 >= count or identifier_of(tokens[at]) is None or \
                tokens[at + 1].token_type != TokenType.L_PAREN:
            continue
        depth, items = 0, 1
        for inner in tokens[at + 1:]:
            if inner.token_type == TokenType.L_PAREN:
                depth += 1
            elif inner.token_type == TokenType.R_PAREN:
                depth -= 1
                if depth == 0:
                    break
            elif inner.token_type == TokenType.COMMA and depth == 1:
                items += 1
        if items > place:
            return True
    return False


def _scoped_read(query: str, table: Table, column: str,
                 relation_columns: Callable[[str | None, str], frozenset[str] | None]
                 ) -> bool | None:
    """Whether ``query`` (a view's, a SQL-standard body's) reads ``table``'s ``column``, as
    PostgreSQL resolves its names, from sqlglot's reading of its scopes: a name ``column``
    qualified by a FROM item that is ``table`` (its name or alias), or bare where the nearest
    query level with a FROM item having the column has ``table`` among them (a subquery in
    FROM or a CTE not seeing its own level's items); a bare name that is an ORDER BY or
    DISTINCT ON item alone and an output name, or a GROUP BY item alone that no FROM item
    of its level has, is the output column; under a column alias list on ``table``
    (``FROM t x(i, q)``), the name the list gives the column. None when any mention of the
    name is not accounted for so (a column of a FROM item whose columns are not known, ``*``,
    a name in ``USING``, a field, a named argument, a text sqlglot cannot read): the caller's
    token reading decides then."""
    from sqlglot.optimizer.scope import Scope, build_scope

    from schemafold.fold.sql_body import read_statement

    if column in _VALUE_KEYWORDS:
        return None
    root = read_statement(query)
    if not isinstance(root, exp.Query):
        return None
    if any(not isinstance(star.parent, exp.Count) for star in root.find_all(exp.Star)):
        return None
    try:
        top = build_scope(root)
    except Exception:  # noqa: BLE001 - sqlglot cannot read it: no evidence either way
        return None
    if top is None:
        return None

    def is_table(source: object) -> bool:
        if not isinstance(source, exp.Table) or _identifier_name(source.this) != table.name.name \
                or source.args.get("catalog"):
            return False
        schema = source.args.get("db")
        return schema is None or _identifier_name(schema) == (table.name.schema or "public")

    def columns_of(alias_node: object, names: list[str] | None) -> frozenset[str] | None:
        if names is None:
            return None
        given = [_identifier_name(c) for c in alias_node.columns] \
            if isinstance(alias_node, exp.TableAlias) else []
        if any(g is None for g in given) or len(given) > len(names):
            return None
        return frozenset((*[g for g in given if g is not None], *names[len(given):]))

    known: dict[int, dict[str, tuple[str | None, frozenset[str] | None]]] = {}
    #: the names the column goes by: its own, and those a column alias list gives it
    # (``FROM t x(a, b2)``: ``t``'s second column is ``x.b2``)
    searched = {column}

    def sources(scope: Scope) -> dict[str, tuple[str | None, frozenset[str] | None]]:
        """Each FROM item of ``scope`` by the name that qualifies it: the name ``table``'s
        ``column`` has there (None: the item is not ``table``), and its columns (None: not
        known)."""
        if id(scope) not in known:
            found: dict[str, tuple[str | None, frozenset[str] | None]] = {}
            if isinstance(scope.expression, exp.Select):
                for alias, (_node, source) in scope.selected_sources.items():
                    columns: frozenset[str] | None = None
                    alias_node = source.args.get("alias") if isinstance(source, exp.Table) \
                        else None
                    shown: str | None = None
                    if is_table(source):
                        shown = column
                        names = [c.name for c in table.columns]
                        if column not in names:
                            names.append(column)
                        given = [_identifier_name(c) for c in alias_node.columns] if isinstance(
                            alias_node, exp.TableAlias) else []
                        if not given:
                            columns = frozenset(names) | _SYSTEM_COLUMNS
                        elif None not in given and len(given) <= len(names):
                            # a column alias list renames the table's columns in their order
                            visible = [*(g for g in given if g is not None), *names[len(given):]]
                            shown = visible[names.index(column)]
                            searched.add(shown)
                            columns = frozenset(visible) | _SYSTEM_COLUMNS
                    elif isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier) \
                            and not source.args.get("catalog") and not (
                                isinstance(alias_node, exp.TableAlias) and alias_node.columns):
                        schema = source.args.get("db")
                        if schema is None or isinstance(schema, exp.Identifier):
                            columns = relation_columns(_identifier_name(schema),
                                                       _identifier_name(source.this) or "")
                    elif isinstance(source, Scope) and isinstance(source.expression, exp.Query) \
                            and not isinstance(source.expression, exp.Values):
                        parent = source.expression.parent
                        columns = columns_of(parent.args.get("alias") if isinstance(
                            parent, exp.CTE | exp.Subquery) else None,
                            _query_output_names(source.expression))
                    found[alias] = (shown, columns)
            known[id(scope)] = found
        return known[id(scope)]

    def chain(scope: Scope) -> list[Scope]:
        """The query levels whose FROM items a name in ``scope`` may be of, nearest first: a
        subquery in FROM (not LATERAL) or a CTE does not see its own level's."""
        levels: list[Scope] = []
        at: Scope | None = scope
        skip = False
        while at is not None:
            if not skip:
                levels.append(at)
            skip = (at.is_derived_table and not at.can_be_correlated) or at.is_cte
            at = at.parent
        return levels

    def label(node: exp.Column, select: exp.Select, name: str) -> bool:
        """Whether the bare ``node`` (``name``) is an ORDER BY or DISTINCT ON item alone
        naming an output column of ``select``."""
        parent = node.parent
        if isinstance(parent, exp.Tuple | exp.Paren | exp.Ordered):
            parent = parent.parent  # DISTINCT ON (a, b), ORDER BY a DESC
        if not isinstance(parent, exp.Order | exp.Distinct) or parent.parent is not select:
            return False
        return name in (_query_output_names(select) or ())

    scopes: dict[int, Scope] = {}
    reads = False
    try:
        for scope in top.traverse():
            scopes[id(scope.expression)] = scope
            sources(scope)  # every name the column goes by, before looking for them
        if searched & _VALUE_KEYWORDS:
            return None
        for node in root.find_all(exp.Identifier, exp.Var):
            name = node.name
            if name not in searched:
                continue
            if isinstance(node, exp.Var):
                return None
            parent = node.parent
            if isinstance(parent, exp.Alias | exp.TableAlias | exp.Table):
                continue  # a label, an alias, a relation's name
            if not isinstance(parent, exp.Column) or parent.args.get("db") or \
                    parent.args.get("catalog"):
                return None
            owner = parent.parent
            while owner is not None and not isinstance(owner, exp.Select | exp.SetOperation):
                owner = owner.parent
            if isinstance(owner, exp.SetOperation) and node.arg_key == "this" and \
                    isinstance(parent.parent, exp.Ordered) and not parent.args.get("table"):
                continue  # ORDER BY of a UNION: an output column
            at = scopes.get(id(owner)) if owner is not None else None
            if at is None or not isinstance(owner, exp.Select):
                return None
            qualifier = parent.args.get("table")
            levels = chain(at)
            if node.arg_key == "table":  # column.x: the name qualifies; it must be a FROM item
                if not any(name in sources(level) for level in levels):
                    return None
                continue
            if qualifier is not None:
                found = next((sources(level)[_identifier_name(qualifier) or ""] for level in levels
                              if (_identifier_name(qualifier) or "") in sources(level)), None)
                if found is None:
                    return None
                reads = reads or found[0] == name
                continue
            if label(parent, owner, name):
                continue
            grouped = isinstance(parent.parent, exp.Group) and parent.parent.parent is owner
            for index, level in enumerate(levels):
                having = [shown for shown, columns in sources(level).values()
                          if columns is None or name in columns]
                if any(columns is None for _, columns in sources(level).values()):
                    return None
                if having:
                    reads = reads or name in having
                    break
                if index == 0 and grouped and name in (_query_output_names(owner) or ()):
                    break  # GROUP BY an output name no FROM item has
            else:
                return None
    except OptimizeError:
        return None
    return reads


def _regclass(column: ModelColumn, table: Table) -> str:
    """The serial sequence's name for ``nextval('...')``: with its schema when that is not
    public (it lives in its table's schema; unqualified, the consolidation would look for it on
    the default search_path)."""
    assert column.serial_sequence is not None
    schema = column.serial_sequence.schema or table.name.schema
    name = QName(schema if schema not in (None, "public") else None,
                 column.serial_sequence.name)
    return name.sql().replace("'", "''")


#: The built-in types ``_output_types`` tells apart, as ``canonical_type`` spells them (and
#: as PostgreSQL's format_type does without a type modifier)
_PLAIN_TYPES = frozenset({
    "smallint", "integer", "bigint", "numeric", "real", "double precision", "text",
    "character varying", "boolean", "date", "uuid", "json", "jsonb", "bytea",
    "timestamp with time zone", "timestamp without time zone"})

#: Built-in functions every form of which (on PostgreSQL 15 and 18) takes this many arguments
_FIXED_ARITIES = {"lower": 1, "upper": 1, "initcap": 1, "md5": 1}


def _argument_type(table: Table, argument: list[Token]) -> str | None:
    """The type PostgreSQL gives a call's argument that is one string (``unknown``), one
    number of digits that fits an integer, or one bare column of ``table`` whose type is one
    of ``_PLAIN_TYPES``; None for anything else."""
    from schemafold.parse.tokens import is_string

    if len(argument) != 1:
        return None
    token = argument[0]
    if is_string(token):
        return "unknown"
    if token.token_type == TokenType.NUMBER and token.text.isdigit() and \
            int(token.text) < 2 ** 31:
        return "integer"
    name = identifier_of(token)
    column = table.column(name) if name is not None and (
        token.token_type == TokenType.IDENTIFIER or name not in KEYWORDS) else None
    if column is None:
        return None
    known = canonical_type(column.column.type)
    return known if known in _PLAIN_TYPES else None


#: Types no prefix ``-`` of ``pg_catalog`` takes (nor one they are cast to implicitly)
_NO_MINUS_TYPES = frozenset({"text", "character varying", "boolean", "uuid", "json", "jsonb",
                             "bytea", "date"})

#: ``_check_grouped``'s cheap test
#: An index element's suffix that starts with its collation.
_COLLATE = re.compile(r"\s*collate\b", re.IGNORECASE)
_GROUP_BY = re.compile(r"\bgroup\s+by\b", re.IGNORECASE)
#: an aggregate's call (``_check_ungrouped``'s cheap test)
_AGGREGATE_CALL = re.compile(r"\b(?:count|sum|min|max|avg)\s*\(", re.IGNORECASE)
#: the words that end a query's select list at its own level
_AFTER_SELECT_LIST = frozenset({"FROM", "INTO", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER",
                                "LIMIT", "OFFSET", "FETCH", "FOR", "UNION", "INTERSECT",
                                "EXCEPT"})


def _select_list_calls(query: str) -> str | None:
    """The select list of a query's first ``SELECT`` outside parentheses, with what each
    parenthesis at its level holds left out (``id, count$(*) AS n, x::numeric(10, 2)`` reads
    ``id, count$() AS n, x::numeric()``): the calls made there, for
    ``_check_called_functions``, which judges a call by its name and what is around it. None
    when there is no such ``SELECT``. The arguments are left out: a subquery there may give
    a relation a column list (``FROM t x(a)``), which is no call."""
    from schemafold.parse.tokens import word

    tokens = fragment(query).tokens_or_none()
    if not tokens:
        return None
    depth, start = 0, None
    for i, token in enumerate(tokens):
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and word(token) == "SELECT":
            start = i + 1
            break
    if start is None:
        return None
    pieces: list[str] = []
    depth = 0
    for token in tokens[start:]:
        kind = token.token_type
        if depth == 0 and word(token) in _AFTER_SELECT_LIST:
            break
        if kind == TokenType.L_PAREN:
            depth += 1
            if depth == 1:
                pieces.append("(")
        elif kind == TokenType.R_PAREN:
            depth -= 1
            if depth < 0:
                break
            if depth == 0:
                pieces.append(")")
        elif depth == 0:
            pieces.append(query[token.start:token.end + 1])
    return " ".join(pieces)

#: Bare words PostgreSQL reads as a value (a function called without parentheses, a
#: constant), lower case: never a column
_VALUE_WORDS = frozenset({
    "null", "true", "false", "current_date", "current_time", "current_timestamp", "localtime",
    "localtimestamp", "current_role", "current_user", "session_user", "system_user", "user",
    "current_catalog", "current_schema"})

#: Bare words in a select list that are values, not column references.
_NOT_COLUMNS = frozenset({"NULL", "TRUE", "FALSE", "CURRENT_DATE", "CURRENT_TIME",
                          "CURRENT_TIMESTAMP", "CURRENT_USER", "SESSION_USER", "CURRENT_ROLE",
                          "LOCALTIME", "LOCALTIMESTAMP", "USER", "*"})


def _operator_class(suffix: str) -> str | None:
    """The operator class an index element's ``suffix`` names (what follows its column or
    expression: ``[COLLATE c] [opclass [(params)]] [ASC | DESC] [NULLS FIRST | LAST]``),
    unqualified or in ``pg_catalog``; None without one, or for text not of that shape."""
    from schemafold.parse.tokens import TokenType, dotted_name, word

    tokens = fragment(suffix).tokens_or_none()
    if not tokens:
        return None
    at = 0
    if word(tokens[0]) == "COLLATE":
        parts, at = dotted_name(tokens, 1)
        if not parts:
            return None
    if at >= len(tokens) or word(tokens[at]) in ("ASC", "DESC", "NULLS", "COLLATE") or (
            tokens[at].token_type != TokenType.IDENTIFIER and not word(tokens[at])):
        return None
    parts, at = dotted_name(tokens, at)
    if not parts or len(parts) > 2 or (len(parts) == 2 and parts[0] != "pg_catalog"):
        return None
    if at < len(tokens) and tokens[at].token_type == TokenType.L_PAREN:
        depth = 0
        while at < len(tokens):
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(tokens[at].token_type, 0)
            at += 1
            if depth == 0:
                break
    rest = [word(t) for t in tokens[at:]]
    if rest[:1] in (["ASC"], ["DESC"]):
        rest = rest[1:]
    if rest not in ([], ["NULLS", "FIRST"], ["NULLS", "LAST"]):
        return None
    return parts[-1]


def view_output_names(view: View) -> tuple[str, ...] | None:
    """A view's output column names: as its column list gives them, or as its query's select
    list does (read once per query fragment); None when neither says."""
    if view.columns:
        return view.columns
    names: tuple[str, ...] | None = view.query.derived(_select_output_names)
    return names


def _output_names(view: View) -> tuple[tuple[str, ...], bool] | None:
    """A view's output column names as far as they are known, and whether that is all of
    them: a column list names the first ones, its query the rest (``CREATE VIEW v (k) AS
    SELECT id, a``: k, a); None when neither says."""
    from_query = view.query.derived(_select_output_names)
    if not view.columns:
        return None if from_query is None else (from_query, True)
    if from_query is None:
        return view.columns, False
    return view.columns + from_query[len(view.columns):], True


#: Built-in operator classes of ``btree`` and ``hash`` and the one type each accepts (asked of
#: PostgreSQL 15: each refuses a column of every other type here).
_OPCLASS_TYPES = {
    "int2_ops": "smallint", "int4_ops": "integer", "int8_ops": "bigint", "bool_ops": "boolean",
    "uuid_ops": "uuid", "text_ops": "text", "text_pattern_ops": "text", "date_ops": "date",
    "numeric_ops": "numeric", "timestamp_ops": "timestamp without time zone",
    "timestamptz_ops": "timestamp with time zone", "jsonb_ops": "jsonb",
}
#: The key words that end a FROM clause.
_AFTER_FROM = frozenset({"WHERE", "GROUP", "HAVING", "WINDOW", "UNION", "INTERSECT", "EXCEPT",
                         "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR"})
#: The key words a FROM item's name or alias is not.
_FROM_WORDS = frozenset({"JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON",
                         "USING", "LATERAL", "ONLY", "OUTER", "TABLESAMPLE", "AS", *_AFTER_FROM})


def _select_items(tokens: CollectionSequence[Token]) -> list[list[Token]] | None:
    """The select items of ``SELECT [ALL | DISTINCT] item, ... [FROM ...]`` (of its first
    branch before a set operation); None for any other query (``WITH``, ``VALUES``,
    ``DISTINCT ON``, ``SELECT ... INTO``)."""
    from schemafold.parse.tokens import word

    if not tokens or word(tokens[0]) != "SELECT":
        return None
    at = 1
    if at < len(tokens) and word(tokens[at]) in ("ALL", "DISTINCT"):
        if word(tokens[at]) == "DISTINCT" and at + 1 < len(tokens) and \
                word(tokens[at + 1]) == "ON":
            return None
        at += 1
    end, depth = len(tokens), 0
    for i in range(at, len(tokens)):
        token = tokens[i]
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1,
                  TokenType.L_BRACKET: 1, TokenType.R_BRACKET: -1}.get(token.token_type, 0)
        key = word(token)
        if depth != 0 or not key:
            continue
        if (key == "FROM" and word(tokens[i - 1]) == "DISTINCT") or word(tokens[i - 1]) == "AS":
            continue  # a IS [NOT] DISTINCT FROM b; any key word is a label after AS
        if key == "INTO":
            return None
        if key == "FROM" or key in _AFTER_FROM:
            end = i
            break
    items = _split_top_level(tokens, at, end)
    if any(not item for item in items):
        return None
    return items


def _item_name(tokens: CollectionSequence[Token]) -> str | None:
    """The name of a select item when it is a column (``a``, ``t.a``) or labelled (``x AS
    b``, ``a b``); None otherwise (PostgreSQL names the rest as its FigureColname does)."""
    from schemafold.parse.tokens import is_word, word

    if len(tokens) >= 2 and word(tokens[-2]) == "AS":
        return identifier_of(tokens[-1])
    if len(tokens) >= 2 and tokens[-2].token_type != TokenType.DOT and (
            tokens[-1].token_type == TokenType.IDENTIFIER or is_word(tokens[-1])) and \
            word(tokens[-1]) not in ("ISNULL", "NOTNULL") and _column_reference(tokens[:-1]):
        return identifier_of(tokens[-1])
    if _column_reference(tokens):
        return identifier_of(tokens[-1])
    return None


def _column_reference(tokens: CollectionSequence[Token]) -> bool:
    """Whether ``tokens`` are a column reference: names apart by dots (``a``, ``t.a``)."""
    from schemafold.parse.tokens import TokenType, is_word

    return bool(tokens) and all(
        (t.token_type == TokenType.DOT) == (n % 2 == 1) for n, t in enumerate(tokens)) and all(
        t.token_type == TokenType.IDENTIFIER or (is_word(t) and t.text.upper() not in _NOT_COLUMNS)
        for t in tokens[::2])


def _select_output_names(query: Fragment) -> tuple[str, ...] | None:
    """The output column names of ``SELECT a, t.b, c AS d FROM ...``; None when an item is
    neither a column reference nor aliased. Asked of a view's query fragment once
    (``query.derived``)."""
    from schemafold.parse.tokens import Cursor, TokenType, identifier_of, is_word, word

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
        labelled = len(tokens) >= 2 and tokens[-2].token_type != TokenType.DOT and (
            tokens[-1].token_type == TokenType.IDENTIFIER or is_word(tokens[-1])) and \
            word(tokens[-1]) not in ("ISNULL", "NOTNULL") and (
                word(tokens[-2]) == "AS" or _column_reference(tokens[:-1]))
        # c AS d, a column's bare label (id function; ISNULL is a test), or a column: the
        # name is the last token's
        name = identifier_of(tokens[-1]) if labelled or _column_reference(tokens) else None
        if name is None:
            return None
        names.append(name)
    return tuple(names)
