"""Building schema model objects by hand in tests: a name as the catalog keys it (``q``) and as a
history wrote it (``w``), columns, constraints, tables, triggers and whole schemas. Shared by the
tests of planning and rendering; knows nothing of any one test."""

from __future__ import annotations

from typing import Any

from schemafold.events import Column, Constraint
from schemafold.model import ModelColumn, Schema, SchemaObject, Table, TableConstraint, Trigger
from schemafold.names import QName


def q(name: str, schema: str = "public") -> QName:
    """A name as the catalog keys it: qualified."""
    return QName(schema, name)


def w(name: str) -> QName:
    """A name as the history wrote it: unqualified."""
    return QName(None, name)


def col(name: str, type_: str = "integer", **kwargs: Any) -> ModelColumn:
    """A column; ``serial_sequence`` and ``comment`` go to the model column, the rest to the
    declared column."""
    extra = {k: kwargs.pop(k) for k in ("serial_sequence", "comment") if k in kwargs}
    return ModelColumn(column=Column(name=name, type=type_, **kwargs), **extra)


def constraint(kind: str, name: str, **kwargs: Any) -> TableConstraint:
    """A table constraint; ``comment`` and ``target`` go to the table constraint, the rest to
    the declared constraint."""
    comment = kwargs.pop("comment", None)
    target = kwargs.pop("target", None)
    return TableConstraint(
        constraint=Constraint(kind=kind, name=name, **kwargs), comment=comment, target=target
    )


def table(name: str, *columns: ModelColumn, schema: str = "public", **kwargs: Any) -> Table:
    """A table in ``schema``, written unqualified unless ``written`` says otherwise."""
    written = kwargs.pop("written", w(name))
    return Table(name=q(name, schema), written=written, columns=columns, **kwargs)


def trigger(name: str, on: str, function: str, **kwargs: Any) -> Trigger:
    """A trigger on table ``on`` calling ``function``, both in public and written unqualified
    unless the keywords say otherwise."""
    fields: dict[str, Any] = {"table": q(on), "table_written": w(on), "function": q(function),
                              "function_written": w(function), **kwargs}
    return Trigger(name=name, **fields)


def make(*objects: SchemaObject, **kwargs: Any) -> Schema:
    """A schema holding ``objects`` under their keys."""
    return Schema(objects={obj.key(): obj for obj in objects}, **kwargs)
