"""The data policy (``--data keep|drop|separate``): what a consolidation does with the rows a
history leaves.

Owns: splitting a net schema into the schema proper and its data — tracked rows, the sequence
positions of the data phase, data statements kept verbatim — and the statements of the separate
data file (rows loaded with user triggers disabled, as a restore loads them, then materialized
views refreshed). ``keep`` (the default) changes nothing; ``drop`` leaves the data out and counts
the rows it dropped; ``separate`` leaves it out of the schema and returns it as one more file's
statements, to run after every other file — except the rows of tables that statements kept after
the schema (barriers) act on, which must be there before them: those stay, and a note says so.

A layout plans the files of ``DataSplit.schema`` as usual; ``separate`` appends
``DataSplit.data_file`` as the last file.

Must not know: files, migration tools, folding, databases.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import describe_key
from schemafold.model import (
    KeptStatement,
    Key,
    Schema,
    SchemaObject,
    Sequence,
    Table,
    Trigger,
    View,
)
from schemafold.order import DependencyOrder
from schemafold.render.postgres import Statement, render_statements

__all__ = ["POLICIES", "DataSplit", "data_statements", "split_data"]

POLICIES = ("keep", "drop", "separate")


@attrs.frozen
class DataSplit:
    """``schema``: what the consolidation proper builds. ``data_file``: under ``separate``, the
    statements of the file that loads the data after everything else. ``rows`` and
    ``statements``: how many rows and data statements left the schema (dropped or moved)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    policy: str
    schema: Schema
    data_file: tuple[str, ...] = ()
    rows: int = 0
    statements: int = 0
    #: under ``separate``: why some rows may fail to load after the schema is complete
    notes: tuple[str, ...] = ()


def _is_data(statement: Statement) -> bool:
    """A data-phase statement that is data: rows (keyed by their table), sequence positions,
    data statements kept verbatim; not the refresh of a materialized view."""
    phase, key, _ = statement
    return phase == "data" and bool(key) and key[0] in ("table", "sequence", "kept")


def data_statements(statements: Iterable[Statement]) -> list[Statement]:
    """The data among rendered statements (phase ``data``: rows, setvals, kept data
    statements)."""
    return [s for s in statements if _is_data(s)]


def split_data(schema: Schema, policy: str, *, order: DependencyOrder | None = None
               ) -> DataSplit:
    """``schema`` split by ``policy`` (one of ``POLICIES``); ``order``: ``schema``'s dependency
    order when the caller has it (``order.dependency_order``)."""
    if policy not in POLICIES:
        raise ValueError(f"unknown data policy {policy!r} (known: {', '.join(POLICIES)})")
    if policy == "keep":
        return DataSplit(policy, schema)
    held = _held(schema) if policy == "separate" else set()
    kept_data = [k for k in schema.kept if k.data and not held.intersection(k.reads)]
    moving = {("kept", k.ordinal) for k in kept_data}
    if order is not None and not order.fits(schema):
        order = None  # computed for other objects: render_statements computes its own
    data = [s for s in data_statements(render_statements(schema, order))
            if s[1] not in held and (s[1][0] != "kept" or s[1] in moving)]
    rows = sum(len(r) for key, r in schema.rows.items() if key not in held)
    stripped = attrs.evolve(
        schema,
        rows={key: r for key, r in schema.rows.items() if key in held},
        kept=tuple(k for k in schema.kept if ("kept", k.ordinal) not in moving),
        objects={key: obj if key in held else _without_position(obj)
                 for key, obj in schema.objects.items()},
    )
    if policy == "drop":
        return DataSplit(policy, stripped, rows=rows, statements=len(kept_data))
    notes = _late_checks(schema, held) + [
        f"the rows of {describe_key(key)} stay with the schema: a statement kept after the "
        "schema changes them" for key in sorted(held, key=repr) if key in schema.rows]
    return DataSplit(policy, stripped, tuple(_data_file(schema, data)), rows, len(kept_data),
                     tuple(notes))


def _held(schema: Schema) -> set[Key]:
    """Tables (and their sequences) that statements kept after the schema (barriers) act on:
    their data cannot move after those statements."""
    held: set[Key] = {k for kept in schema.kept if not kept.data for k in kept.reads
                      if k and k[0] in (ObjectKind.TABLE, ObjectKind.SEQUENCE)}
    for key, obj in schema.objects.items():
        if (
            isinstance(obj, Sequence)
            and obj.owned_by is not None
            and ObjectKey.of(ObjectKind.TABLE, obj.owned_by[0].schema, obj.owned_by[0].name) in held
        ):
            held.add(key)
    return held


def _late_checks(schema: Schema, held: set[Key]) -> list[str]:
    """NOT VALID constraints on tables with rows: in the data phase they do not exist yet, but
    a separate data file runs after them, and a row that violates one fails to load."""
    notes = []
    for key in schema.rows:
        if key in held:
            continue
        table = schema.objects.get(key)
        if isinstance(table, Table):
            for c in table.constraints:
                if c.constraint.not_valid:
                    notes.append(f"the rows of {table.name} load after NOT VALID constraint "
                                 f"{c.name}; a row that violates it fails to load")
    return notes


def _without_position(obj: SchemaObject) -> SchemaObject:
    if isinstance(obj, Sequence) and (obj.position is not None or obj.restart_with is not None):
        return attrs.evolve(obj, position=None, restart_with=None)
    return obj


def _data_file(schema: Schema, data: list[Statement]) -> list[str]:
    """Rows and data statements with the user triggers of the tables they load disabled (as a
    data-only restore does), then the materialized views refreshed from them."""
    tables: list[Key] = []
    for _, key, _ in data:
        if key[0] == ObjectKind.TABLE and key not in tables:
            tables.append(ObjectKey.from_tuple(key))  # a rendering's node; here a table's key
    for kept in schema.kept:
        if kept.data:
            tables.extend(k for k in _written(kept) if k not in tables)
    triggered = [key for key in tables if any(
        isinstance(t, Trigger) and (t.table.schema, t.table.name) == key[1:]
        for t in schema.objects.values())]
    out = []
    for key in triggered:
        table = schema.objects[key]
        assert isinstance(table, Table)
        out.append(f"ALTER TABLE {table.written.sql()} DISABLE TRIGGER USER;")
    out.extend(sql for _, _, sql in data)
    for key in triggered:
        table = schema.objects[key]
        assert isinstance(table, Table)
        out.append(f"ALTER TABLE {table.written.sql()} ENABLE TRIGGER USER;")
    for view in schema.objects.values():
        if isinstance(view, View) and view.materialized and view.with_data and not view.external:
            out.append(f"REFRESH MATERIALIZED VIEW {view.written.sql()};")
    return out


def _written(kept: KeptStatement) -> list[Key]:
    return [k for k in kept.reads if k and k[0] == ObjectKind.TABLE]
