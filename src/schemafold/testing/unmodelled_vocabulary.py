"""The part of :func:`schemafold.testing.histories` that draws objects of kinds the fold does not
model (it keeps their statements verbatim): collations, aggregates and operators, and the
statements that use them.

* collations: ``CREATE COLLATION coN (locale = 'C')``, ``FROM "C"`` or ``(provider = libc,
  locale = 'POSIX')`` (libc, so that a server built without ICU takes them); text and varchar
  columns ``COLLATE coN`` (drawn by the base column forms once a collation exists), ``ALTER
  COLUMN ... TYPE text COLLATE coN``, ``CREATE DOMAIN dN AS text COLLATE coN`` (a column type
  then), ``CREATE INDEX ... (c COLLATE coN)``; ``ALTER COLLATION ... RENAME TO`` (what names it
  follows, as PostgreSQL does by oid); ``DROP COLLATION``, with ``CASCADE`` when something
  uses it (PostgreSQL drops the indexes, the columns and the domains naming it, the columns of
  those domains, and what depends on those columns);
* aggregates: ``CREATE AGGREGATE agN(int) (sfunc = int4pl, stype = int[, initcond = '0'])``, or
  over a SQL function ``afN(int, int)`` created on the same line; views grouping a table by its
  key that call one (``agN(a.id)``); ``ALTER AGGREGATE ... RENAME TO`` (the views follow);
  ``DROP AGGREGATE agN(int)``, with ``CASCADE`` (and the views over those views) when a view
  calls it;
* operators ``=#=``, ``=##=``... over two ints (``function = int4eq``, ``int4le``, ``int4ge``,
  or ``procedure = int4pl``); views selecting ``(a.id OP a.id)`` (plain or materialized), ``ADD
  CONSTRAINT kN CHECK (id OP id)`` and partial indexes ``WHERE id OP id`` with a boolean one
  (always true of a row); ``DROP OPERATOR OP (int, int)``, with ``CASCADE`` when something uses
  it (PostgreSQL drops the views, constraints and indexes).

These objects stay in ``public``; the records that name them are the shadow's own (columns'
``collation``, indexes' ``uses``, :class:`~schemafold.testing.objects_vocabulary.Domain`'s
``collation``, view items' ``aggregate`` and ``operator``, constraints' ``uses``), so that every
drop, rename or move of a table, column or schema carries them as it carries the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from schemafold.testing import objects_vocabulary as ov

if TYPE_CHECKING:
    from schemafold.testing.strategies import _Column, _Shadow, _Table

# ---------------------------------------------------------------------------------------------
# Collations

_COLLATION_FORMS = ("(locale = 'C')", 'FROM "C"', "(provider = libc, locale = 'POSIX')")


def _create_collation(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    name, shadow = shadow.fresh("co")
    form = draw(st.sampled_from(_COLLATION_FORMS))
    shadow = ov._objects(shadow, collations=(*shadow.objects.collations, name))
    return f"CREATE COLLATION {name} {form}", shadow


def _collatable_columns(shadow: _Shadow) -> list[tuple[_Table, _Column]]:
    base = ov._base()
    return [(t, c) for t in shadow.tables for c in t.columns if base._collatable(c.type)]


def _retypable(shadow: _Shadow) -> list[tuple[_Table, _Column]]:
    """Text and varchar columns no view selects (PostgreSQL refuses to retype those)."""
    return [(t, c) for t, c in _collatable_columns(shadow)
            if c.name not in shadow.viewed_columns(t.name)]


def _collate_column(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``ALTER COLUMN c TYPE text COLLATE coN``: the values stay, the collation changes."""
    table, column = draw(st.sampled_from(_retypable(shadow)))
    collation = draw(st.sampled_from(shadow.objects.collations))
    shadow = shadow.with_table(table.with_column(
        attrs.evolve(column, type="text", collation=collation)))
    return (f"ALTER TABLE {table.name} ALTER COLUMN {column.name} TYPE text "
            f"COLLATE {collation}"), shadow


def _create_collated_domain(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    collation = draw(st.sampled_from(shadow.objects.collations))
    name, created, shadow = ov._place(draw, shadow, "d")
    shadow = ov._objects(shadow, domains=(*shadow.objects.domains,
                                          ov.Domain(name, collation=collation)))
    return f"CREATE DOMAIN {created} AS text COLLATE {collation}", shadow


def _create_collated_index(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    base = ov._base()
    table, column = draw(st.sampled_from(_collatable_columns(shadow)))
    collation = draw(st.sampled_from(shadow.objects.collations))
    name, shadow = shadow.fresh("idx")
    index = base._Index(ov.requalified(table.name, name), table.name, (column.name,),
                        uses=collation)
    shadow = attrs.evolve(shadow, indexes=(*shadow.indexes, index))
    return f"CREATE INDEX {name} ON {table.name} ({column.name} COLLATE {collation})", shadow


def _rename_collation(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    old = draw(st.sampled_from(shadow.objects.collations))
    new, shadow = shadow.fresh("co")

    def r(name: str | None) -> str | None:
        return new if name == old else name

    o = shadow.objects
    shadow = attrs.evolve(
        shadow,
        tables=tuple(attrs.evolve(t, columns=tuple(attrs.evolve(c, collation=r(c.collation))
                                                   for c in t.columns))
                     for t in shadow.tables),
        indexes=tuple(attrs.evolve(i, uses=r(i.uses)) for i in shadow.indexes),
        objects=attrs.evolve(
            o, collations=tuple(new if c == old else c for c in o.collations),
            domains=tuple(attrs.evolve(d, collation=r(d.collation)) for d in o.domains)))
    return f"ALTER COLLATION {old} RENAME TO {new}", shadow


def _drop_collation(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``CASCADE`` when something uses it: PostgreSQL 15 drops the indexes, the columns (with
    what depends on them) and the domains that name it, and the columns of those domains."""
    base = ov._base()
    collation = draw(st.sampled_from(shadow.objects.collations))
    o = shadow.objects
    domains = {d.name for d in o.domains if d.collation == collation}
    used = bool(domains) or any(i.uses == collation for i in shadow.indexes) or any(
        c.collation == collation for t in shadow.tables for c in t.columns)
    shadow = attrs.evolve(
        shadow, indexes=tuple(i for i in shadow.indexes if i.uses != collation),
        objects=attrs.evolve(o, collations=tuple(c for c in o.collations if c != collation),
                             domains=tuple(d for d in o.domains if d.name not in domains)))
    for table in shadow.tables:
        for column in table.columns:
            if column.collation == collation or column.type in domains:
                current = next(t for t in shadow.tables if t.name == table.name)
                shadow = base._column_dropped(shadow, current, column)
    return f"DROP COLLATION {collation}{' CASCADE' if used else ''}", shadow


# ---------------------------------------------------------------------------------------------
# Aggregates


def _create_aggregate(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    name, shadow = shadow.fresh("ag")
    form = draw(st.sampled_from(["builtin", "initcond", "function"]))
    shadow = ov._objects(shadow, aggregates=(*shadow.objects.aggregates, name))
    if form == "builtin":
        return f"CREATE AGGREGATE {name}(int) (sfunc = int4pl, stype = int)", shadow
    if form == "initcond":
        return (f"CREATE AGGREGATE {name}(int) (sfunc = int4pl, stype = int, "
                "initcond = '0')"), shadow
    function, shadow = shadow.fresh("af")
    return (f"CREATE FUNCTION {function}(int, int) RETURNS int LANGUAGE sql IMMUTABLE "
            f"AS 'SELECT $1 + $2'; CREATE AGGREGATE {name}(int) (sfunc = {function}, "
            "stype = int, initcond = '0')"), shadow


def _create_call_view(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """A view of a table calling an aggregate (grouped by the key) or an operator (plain or
    materialized) on ``id``, with more columns of the table maybe."""
    o = shadow.objects
    table = draw(st.sampled_from(shadow.tables)).name
    calls = [("aggregate", a) for a in o.aggregates] + [("operator", op) for op, _ in o.operators]
    how, called = draw(st.sampled_from(calls))
    alias, shadow = shadow.fresh("o")
    first = ov.Item(0, "id", alias, **{how: called})
    more: tuple[ov.Item, ...] = ()
    if draw(st.booleans()):
        more, shadow = ov._draw_items(draw, shadow, (table,), 2)
    materialized = how == "operator" and draw(st.booleans())
    shape = "group" if how == "aggregate" else "plain"
    name, created, shadow = ov._place(draw, shadow, "v")
    view = ov.View(name, shape, (table,), (first, *more), materialized=materialized)
    shadow = ov._objects(shadow, views=(*shadow.objects.views, view))
    keyword = "MATERIALIZED VIEW" if materialized else "VIEW"
    return f"CREATE {keyword} {created} AS {ov._render_view(shadow, view)}", shadow


def _calling_views(shadow: _Shadow, how: str, called: str) -> set[str]:
    return {v.name for v in shadow.objects.views
            if any(getattr(i, how) == called for i in v.items)}


def _rename_aggregate(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    old = draw(st.sampled_from(shadow.objects.aggregates))
    new, shadow = shadow.fresh("ag")
    o = shadow.objects
    views = tuple(attrs.evolve(v, items=tuple(attrs.evolve(i, aggregate=new)
                                              if i.aggregate == old else i for i in v.items))
                  for v in o.views)
    shadow = ov._objects(shadow, views=views,
                         aggregates=tuple(new if a == old else a for a in o.aggregates))
    return f"ALTER AGGREGATE {old}(int) RENAME TO {new}", shadow


def _drop_aggregate(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``CASCADE`` when a view calls it: the view goes, and the views over it."""
    aggregate = draw(st.sampled_from(shadow.objects.aggregates))
    calling = _calling_views(shadow, "aggregate", aggregate)
    shadow = ov._objects(shadow, aggregates=tuple(a for a in shadow.objects.aggregates
                                                  if a != aggregate))
    shadow = ov._drop_views(shadow, calling)
    return f"DROP AGGREGATE {aggregate}(int){' CASCADE' if calling else ''}", shadow


# ---------------------------------------------------------------------------------------------
# Operators

#: (function, its keyword, whether it returns boolean)
_OPERATOR_FUNCTIONS = (("int4eq", "function", True), ("int4le", "function", True),
                       ("int4ge", "function", True), ("int4pl", "procedure", False))


def _create_operator(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    number = shadow.counters.get("op", 0) + 1
    shadow = attrs.evolve(shadow, counters={**shadow.counters, "op": number})
    symbol = "=" + "#" * number + "="
    function, keyword, boolean = draw(st.sampled_from(_OPERATOR_FUNCTIONS))
    shadow = ov._objects(shadow, operators=(*shadow.objects.operators, (symbol, boolean)))
    return (f"CREATE OPERATOR {symbol} (leftarg = int, rightarg = int, "
            f"{keyword} = {function})"), shadow


def _boolean_operators(shadow: _Shadow) -> list[str]:
    return [op for op, boolean in shadow.objects.operators if boolean]


def _operator_check(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    table = draw(st.sampled_from(shadow.tables)).name
    operator = draw(st.sampled_from(_boolean_operators(shadow)))
    name, shadow = shadow.fresh("k")
    constraint = ov.Constraint(name, table, "check", ("id",), uses=operator)
    shadow = ov._objects(shadow, constraints=(*shadow.objects.constraints, constraint))
    return f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK (id {operator} id)", shadow


def _operator_index(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    base = ov._base()
    table = draw(st.sampled_from(shadow.tables))
    operator = draw(st.sampled_from(_boolean_operators(shadow)))
    columns = base._draw_column_list(draw, table.column_names(), 2)
    name, shadow = shadow.fresh("idx")
    index = base._Index(ov.requalified(table.name, name), table.name, columns, uses=operator)
    shadow = attrs.evolve(shadow, indexes=(*shadow.indexes, index))
    return (f"CREATE INDEX {name} ON {table.name} ({', '.join(columns)}) "
            f"WHERE id {operator} id"), shadow


def _drop_operator(draw: DrawFn, shadow: _Shadow) -> tuple[str, _Shadow]:
    """``CASCADE`` when something uses it: the views calling it (and the views over them),
    the constraints and the indexes go."""
    o = shadow.objects
    operator, boolean = draw(st.sampled_from(o.operators))
    calling = _calling_views(shadow, "operator", operator)
    used = bool(calling) or any(c.uses == operator for c in o.constraints) or any(
        i.uses == operator for i in shadow.indexes)
    shadow = attrs.evolve(
        shadow, indexes=tuple(i for i in shadow.indexes if i.uses != operator),
        objects=attrs.evolve(
            o, operators=tuple(p for p in o.operators if p[0] != operator),
            constraints=tuple(c for c in o.constraints if c.uses != operator)))
    shadow = ov._drop_views(shadow, calling)
    return f"DROP OPERATOR {operator} (int, int){' CASCADE' if used else ''}", shadow


# ---------------------------------------------------------------------------------------------
# The operations, as (kind, applies, build) for the strategies' table


def _collations(shadow: _Shadow) -> bool:
    return bool(shadow.objects.collations)


def _has(found: Callable[[_Shadow], object]) -> Callable[[_Shadow], bool]:
    def applies(shadow: _Shadow) -> bool:
        return bool(found(shadow))
    return applies


#: Creating first, dropping last (the order shrinking prefers).
_OPERATIONS: tuple[tuple[str, Callable[[_Shadow], bool], ov.Build], ...] = (
    ("create_collation", ov._always, _create_collation),
    ("create_aggregate", ov._always, _create_aggregate),
    ("create_operator", ov._always, _create_operator),
    ("create_collated_domain", _collations, _create_collated_domain),
    ("collate_column", _has(lambda s: s.objects.collations and _retypable(s)), _collate_column),
    ("create_collated_index", _has(lambda s: s.objects.collations and _collatable_columns(s)),
     _create_collated_index),
    ("create_call_view", _has(lambda s: s.tables and (s.objects.aggregates
                                                      or s.objects.operators)),
     _create_call_view),
    ("operator_check", _has(lambda s: s.tables and _boolean_operators(s)), _operator_check),
    ("operator_index", _has(lambda s: s.tables and _boolean_operators(s)), _operator_index),
    ("rename_collation", _collations, _rename_collation),
    ("rename_aggregate", _has(lambda s: s.objects.aggregates), _rename_aggregate),
    ("drop_collation", _collations, _drop_collation),
    ("drop_aggregate", _has(lambda s: s.objects.aggregates), _drop_aggregate),
    ("drop_operator", _has(lambda s: s.objects.operators), _drop_operator),
)

#: Uses of an object drawn more often once it exists, so that a history reaches them.
_WEIGHTS = {"create_call_view": 3, "collate_column": 2, "create_collated_index": 3,
            "operator_check": 2, "operator_index": 2, "create_collated_domain": 2}

OPERATIONS: tuple[tuple[str, Callable[[_Shadow], bool], ov.Build], ...] = tuple(
    operation for operation in _OPERATIONS for _ in range(_WEIGHTS.get(operation[0], 1)))

#: The kinds of statement this vocabulary adds.
KINDS: frozenset[str] = frozenset(kind for kind, _, _ in _OPERATIONS)
