"""Folding ``CREATE TABLE t (LIKE source [INCLUDING ... | EXCLUDING ...])``.

Owns: what PostgreSQL copies from the source table (checked against PostgreSQL 15). Always the
column names, types, collations and ``NOT NULL``; the rest only with its option:

- ``DEFAULTS``: column defaults (a serial column's becomes ``nextval`` of the source's sequence,
  which the copy does not own);
- ``GENERATED``: generation expressions (without it a generated column becomes a plain one);
- ``IDENTITY``: identity, with a new sequence of the copy's own, with the source sequence's
  options;
- ``CONSTRAINTS``: ``CHECK`` constraints, under their own names (never foreign keys);
- ``INDEXES``: primary key, unique and exclusion constraints and plain indexes, under names
  chosen for the new table as if declared there;
- ``COMMENTS``: comments of the copied columns, ``CHECK`` constraints and indexes (a key's
  constraint comment is not copied, its index's comment is).

``STORAGE``, ``COMPRESSION`` and ``STATISTICS`` copy what only statements kept verbatim can set;
a source such statements touched makes the ``LIKE`` statement kept verbatim after them.

Must not know: SQL text, rendering, databases.
"""

from __future__ import annotations

import attrs

from schemafold import events as ev
from schemafold.fold.partitions import index_name_parts
from schemafold.fold.state import FoldState
from schemafold.implicit_names import choose_name, column_part
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Account, Change
from schemafold.model import Index, Key, ModelColumn, Sequence, Table, TableConstraint
from schemafold.names import QName, canonical_type


class LikeFolding(FoldState):
    """``LIKE`` clauses of ``CREATE TABLE``."""

    def _like_source(self, clause: ev.LikeClause, origin: ev.Origin) -> Table:
        key = self._relation(clause.source, origin,
                             (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.TYPE))
        assert key is not None
        source = self.objects[key]
        if not isinstance(source, Table):
            raise self.fold_limit(origin, f"LIKE of a {key.kind} ({clause.source}): the fold "
                                  "knows the column types of tables only")
        return source

    def _like_columns(self, table: Table, clause: ev.LikeClause, source: Table
                      ) -> tuple[list[ModelColumn], list[Sequence]]:
        """The source's columns as the new table receives them, and the sequences of its
        identity columns (``INCLUDING IDENTITY``)."""
        including = set(clause.including)
        columns: list[ModelColumn] = []
        sequences: list[Sequence] = []
        for model in source.columns:
            column = model.column
            default: str | None = column.default if "DEFAULTS" in including else None
            type_text = column.type
            if model.serial_sequence is not None:
                type_text = canonical_type(column.type)
                if "DEFAULTS" in including:
                    default = "nextval(" + _literal(model.serial_sequence.sql()) + "::regclass)"
            identity = column.identity if "IDENTITY" in including else None
            copy = attrs.evolve(
                column, type=type_text, default=default,
                generated=column.generated if "GENERATED" in including else None,
                identity=identity, identity_options=None, constraints=(),
                # PostgreSQL 18 copies each NOT NULL constraint with its name
                not_null_name=model.not_null_name)
            columns.append(ModelColumn(
                column=copy, created=self.ordinal,
                comment=model.comment if "COMMENTS" in including else None))
            if identity is not None:
                sequences.append(self._like_identity_sequence(table, source, column.name))
        return columns, sequences

    def _like_identity_sequence(self, table: Table, source: Table, column: str) -> Sequence:
        """PostgreSQL gives the copy's identity a ``bigint`` sequence with the source
        sequence's options all spelt out (its bounds included)."""
        assert table.name.schema is not None
        options = ev.SequenceOptions()
        for obj in self.objects.values():
            if isinstance(obj, Sequence) and obj.identity and obj.owned_by == (source.name,
                                                                                column):
                options = obj.options
        model = source.column(column)
        assert model is not None
        options = _spelt_out(options, canonical_type(options.as_type or model.column.type))
        schema = table.name.schema
        name = choose_name(table.name.name, column, "seq",
                           lambda n: self._namespace_taken(schema, n))
        return Sequence(name=QName(schema, name), written=QName(table.written.schema, name),
                        options=options, owned_by=(table.name, column), identity=True,
                        created=self.ordinal, external=self.external)

    def _like_constraints(self, clause: ev.LikeClause, source: Table) -> list[TableConstraint]:
        """``CHECK`` constraints (``CONSTRAINTS``, keeping their names) and keys
        (``INDEXES``, named for the new table), in the source's order."""
        including = set(clause.including)
        out = []
        for tc in source.constraints:
            kind = tc.constraint.kind
            if kind == "check" and "CONSTRAINTS" in including:
                out.append(TableConstraint(
                    constraint=attrs.evolve(tc.constraint, not_valid=False),
                    created=self.ordinal,
                    comment=tc.comment if "COMMENTS" in including else None))
            elif kind in ("primary key", "unique", "exclude") and "INDEXES" in including:
                out.append(TableConstraint(
                    constraint=attrs.evolve(tc.constraint, name=None), created=self.ordinal,
                    index_comment=tc.index_comment if "COMMENTS" in including else None))
        return out

    def _like_indexes(self, table: Table, clause: ev.LikeClause, source: Table,
                      origin: ev.Origin) -> None:
        """``INCLUDING INDEXES``: the source's plain indexes, on the new table."""
        if "INDEXES" not in clause.including:
            return
        schema = table.name.schema or ""
        indexes = sorted((obj for obj in self.objects.values()
                          if isinstance(obj, Index) and obj.table == source.name),
                         key=lambda i: (i.created, i.name.name))
        for index in indexes:
            parts = [*index_name_parts(index.elements), *index.include]
            name = choose_name(table.name.name, column_part(parts), "idx",
                               lambda n: self._namespace_taken(schema, n))
            key: Key = ObjectKey.of(ObjectKind.INDEX, schema, name)
            copy = attrs.evolve(
                index, name=QName(schema, name), table=table.name, table_written=table.written,
                attached_to=None, only=False, created=self.ordinal, external=self.external,
                owner=None, acl=(),
                comment=index.comment if "COMMENTS" in clause.including else None)
            self._put(key, copy)
            self._created(key, origin,
                          Account(Change.COPIED_BY_LIKE, names=(name, str(index.name))))


_TYPE_BOUNDS = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}


def _spelt_out(options: ev.SequenceOptions, type_name: str) -> ev.SequenceOptions:
    """A sequence's options as its catalog holds them, as ``bigint``'s: every bound explicit
    (defaults worked out from the type and the direction)."""
    low, high = _TYPE_BOUNDS.get(type_name, _TYPE_BOUNDS["bigint"])
    increment = options.increment or 1
    minvalue = options.minvalue if options.minvalue is not None and not options.no_minvalue \
        else (1 if increment > 0 else low)
    maxvalue = options.maxvalue if options.maxvalue is not None and not options.no_maxvalue \
        else (high if increment > 0 else -1)
    start = options.start if options.start is not None else (
        minvalue if increment > 0 else maxvalue)
    return ev.SequenceOptions(as_type="bigint", increment=increment, minvalue=minvalue,
                              maxvalue=maxvalue, start=start, cache=options.cache or 1,
                              cycle=bool(options.cycle))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
