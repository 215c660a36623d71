"""Evaluating a query with joins, ``DISTINCT``, ``GROUP BY``, aggregates and ``ORDER BY`` over
rows whose values are known, where PostgreSQL's result is certain.

Owns: running the query of an ``INSERT ... SELECT``, and the join of ``UPDATE ... FROM`` /
``DELETE ... USING``, read with sqlglot, over Python values converted from the rows' SQL texts,
for a deliberately small set of types and operations whose PostgreSQL semantics Python
reproduces exactly; ``NotStatic`` (with the reason) for everything else.

What is evaluated: ``integer``-family, ``boolean`` and ``text``/``varchar`` columns holding
literals (a select item that only copies a column copies a value of any type, as SQL text cast
to the column's type); integer and string literals, ``NULL``, ``TRUE``/``FALSE``; ``=``, ``<>``
(on any of those, a string literal only against text), ``<``, ``<=``, ``>``, ``>=`` on integers
and booleans, ``+``, ``-``, ``*`` on integers, ``||`` on text (and an integer),
``AND``/``OR``/``NOT`` with three-valued logic, ``IS [NOT] NULL``, ``IN (literals)``,
``coalesce``; ``count``, ``sum``, ``min``, ``max`` on integers; ``FROM`` tables joined by comma,
``CROSS``, ``[INNER] JOIN ... ON`` and ``LEFT JOIN ... ON``; ``WHERE``, ``GROUP BY``,
``HAVING``, ``DISTINCT``, ``ORDER BY`` on integer and boolean keys (``NULLS LAST`` ascending and
``NULLS FIRST`` descending unless written, as PostgreSQL sorts).

What is not, on purpose: ordering or ``<``/``>`` on text (the result depends on the database's
collation), ``min``/``max`` on text (the same), division and ``avg`` (integer division and
numeric scale), casts, other functions, computing with numerics, timestamps, ``citext``,
``char(n)`` (their own comparisons), subqueries, CTEs, set operations, window functions,
``FETCH FIRST``, ``DISTINCT ON``, ``USING``/``NATURAL``/``RIGHT``/``FULL`` joins.

The order of the result rows is PostgreSQL's only where an ``ORDER BY`` orders them all (no two
rows with equal keys); ``Result.ordered`` says whether it does, since the order decides which
row draws which sequence value. ``LIMIT``/``OFFSET`` with a number are evaluated where the
rows they keep are PostgreSQL's choice in no way that shows: every cut falls between rows of
different ``ORDER BY`` keys (without ``ORDER BY``, all rows have one key), or the rows of equal
keys at the cut are equal in every output column.

Must not know: the schema state (the caller gives each relation's columns, types and rows),
folding, databases.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from sqlglot import exp

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.names import QName, quote_literal
from schemafold.rows.literals import NotStatic, string_literal
from schemafold.rows.queries import parse_statement, table_name

#: Column categories the evaluator converts values of.
CATEGORIES = frozenset({"integer", "boolean", "text"})
_TRUE = {"true", "'t'", "'true'", "'y'", "'yes'", "'on'", "'1'"}
_FALSE = {"false", "'f'", "'false'", "'n'", "'no'", "'off'", "'0'"}


@attrs.frozen
class Relation:
    """A relation's rows as the fold tracks them: each column's name, category (``integer``,
    ``boolean``, ``text``, anything else) and type as SQL writes it, and each row's SQL texts
    (None: not known)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    columns: tuple[tuple[str, str, str], ...]
    rows: tuple[tuple[str | None, ...], ...]


RelationOf = Callable[[QName], Relation]


@attrs.frozen
class Result:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    rows: list[tuple[str, ...]]  # SQL literals
    ordered: bool  # the order is PostgreSQL's


@attrs.frozen
class Matches:
    """What ``UPDATE ... FROM`` / ``DELETE ... USING`` does: per target row index, the new
    values of the ``SET`` columns (SQL literals; empty for a DELETE)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    columns: tuple[str, ...]
    rows: dict[int, tuple[str, ...]]


class _Unknown:
    """A value the evaluator cannot use: reading it is NotStatic."""

    def __init__(self, why: str) -> None:
        self.why = why


class _Passthrough:
    """A value of a type the evaluator does not compute with (a timestamp, a jsonb, an
    expression kept over literals): a select item may copy it, as SQL text cast to its column's
    type; comparing, ordering, grouping or hashing it is NotStatic."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        raise NotStatic(f"comparing {self.text}")

    def __hash__(self) -> int:
        raise NotStatic(f"comparing {self.text}")


_Value = Any  # None | int | bool | str
_Row = tuple[Any, ...]  # one tuple (or None, a null-extended side) per FROM item
_Fn = Callable[[_Row], _Value]


def _convert(text: str | None, category: str, type_sql: str) -> _Value:
    if text is None:
        return _Unknown("a value the fold does not know")
    written = text.strip()
    if written.upper() == "NULL":
        return None
    if category == "integer":
        if re.fullmatch(r"-?\d+", written):
            return int(written)
        if written.startswith("'") and re.fullmatch(r"'\s*-?\d+\s*'", written):
            return int(written.strip("'").strip())
    elif category == "boolean":
        if written.lower() in _TRUE:
            return True
        if written.lower() in _FALSE:
            return False
    elif category == "text":
        found = string_literal(written)
        if found is not None and found[1] is None and written.startswith("'"):
            return found[0]
    return _Passthrough(f"({written})::{type_sql}")


def sql_literal(value: _Value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return quote_literal(value)
    if isinstance(value, _Passthrough):
        return value.text
    raise NotStatic("a value of a type the fold does not evaluate")


# ---------------------------------------------------------------------------------------------
# The FROM clause


@attrs.define
class _Source:
    __repr__ = fields_repr
    alias: str
    columns: dict[str, tuple[int, str]]  # name -> (position, category)
    rows: list[tuple[_Value, ...]]


class _Query:
    def __init__(self, select: exp.Select, relation: RelationOf,
                 first: _Source | None = None) -> None:
        self.select = select
        self.sources: list[_Source] = []
        self.joins: list[tuple[str, exp.Expression | None]] = []
        if first is not None:
            self.sources.append(first)
            self.joins.append(("", None))
        from_ = select.args.get("from_")
        items: list[tuple[exp.Expression, str, exp.Expression | None]] = []
        if from_ is not None:
            items.append((from_.this, "", None))
        for join in select.args.get("joins") or []:
            items.append((join.this, _join_side(join), join.args.get("on")))
        for item, side, on in items:
            nested = item.args.get("joins") or []
            bare = item.copy()
            bare.set("joins", None)
            self._add(bare, relation, side, on)
            # joins sqlglot hangs on a table (UPDATE ... FROM, DELETE ... USING lists): their
            # conditions read only the items before them, so joining left to right is the same
            for join in nested:
                self._add(join.this, relation, _join_side(join), join.args.get("on"))

    def _add(self, item: exp.Expression, relation: RelationOf, side: str,
             on: exp.Expression | None) -> None:
        if not isinstance(item, exp.Table) or not isinstance(item.this, exp.Identifier) or (
                item.args.get("sample") is not None):
            raise NotStatic(f"a FROM item that is not a table ({item.sql('postgres')})")
        name = table_name(item)
        if name is None:
            raise NotStatic("a table named with a database")
        alias_node = item.args.get("alias")
        if alias_node is not None and alias_node.args.get("columns"):
            raise NotStatic("a table alias with column names")
        alias = _fold(alias_node.this) if alias_node is not None else name.name
        if any(s.alias == alias for s in self.sources):
            raise NotStatic(f"two FROM items named {alias}")
        found = relation(name)
        columns = {c: (i, category) for i, (c, category, _) in enumerate(found.columns)}
        rows = [tuple(_convert(v, *found.columns[i][1:]) for i, v in enumerate(row))
                for row in found.rows]
        self.sources.append(_Source(alias, columns, rows))
        self.joins.append((side, on))

    def column(self, node: exp.Column, copy: bool = False
               ) -> tuple[Callable[[_Row], _Value], str]:
        """A column's value in a row; ``copy``: the value is only copied (a select item), so a
        value of any type may pass through as SQL text."""
        if node.args.get("db") is not None or node.args.get("catalog") is not None:
            raise NotStatic(f"column {node.sql('postgres')}")
        name = _fold(node.this) if isinstance(node.this, exp.Identifier) else None
        if name is None:
            raise NotStatic(f"{node.sql('postgres')}")
        qualifier = _fold(node.args["table"]) if node.args.get("table") is not None else None
        candidates = [(i, s) for i, s in enumerate(self.sources)
                      if (qualifier is None or s.alias == qualifier) and name in s.columns]
        if len(candidates) != 1:
            raise NotStatic(f"column {node.sql('postgres')} is not known")
        index, source = candidates[0]
        position, category = source.columns[name]

        def read(row: _Row) -> _Value:
            values = row[index]
            if values is None:
                return None  # the null-extended side of a LEFT JOIN
            value = values[position]
            if isinstance(value, _Unknown):
                raise NotStatic(f"column {name} holds {value.why}")
            if isinstance(value, _Passthrough) and not copy:
                raise NotStatic(f"column {name} holds {value.text}, which the fold does not "
                                "compute with")
            return value

        return read, category

    def rows(self, compile_: Callable[[exp.Expression], tuple[_Fn, str]]) -> list[_Row]:
        combos: list[_Row] = [()]
        for index, (source, (side, on)) in enumerate(zip(self.sources, self.joins, strict=True)):
            condition = None
            if on is not None:
                condition, category = compile_(on)
                _need(category, "boolean", "ON")
            if len(combos) * len(source.rows) > _MAX_COMBINATIONS:
                raise NotStatic("too many row combinations to evaluate")
            pad = (None,) * (len(self.sources) - index - 1)
            result: list[_Row] = []
            for combo in combos:
                matched = False
                for values in source.rows:
                    candidate = (*combo, values)
                    if condition is None or condition((*candidate, *pad)) is True:
                        result.append(candidate)
                        matched = True
                if not matched and side == "LEFT":
                    result.append((*combo, None))
            combos = result
        return combos


def _join_side(join: exp.Join) -> str:
    if join.args.get("using") or join.method or (join.kind or "").upper() not in (
            "", "INNER", "CROSS", "OUTER"):
        raise NotStatic(f"a {join.method or join.kind or 'USING'} join")
    side = (join.side or "").upper()
    if side not in ("", "LEFT"):
        raise NotStatic(f"a {side} JOIN")
    return side


#: More row combinations than this are not evaluated (the fold stays fast on seed data).
_MAX_COMBINATIONS = 2_000_000


def _fold(identifier: exp.Identifier) -> str:
    text = str(identifier.this)
    return text if identifier.quoted else text.lower()


def _need(category: str, wanted: str, where: str) -> None:
    if category not in (wanted, "null"):
        raise NotStatic(f"{where} is not a {wanted}")


# ---------------------------------------------------------------------------------------------
# Expressions


_COMPARISONS: dict[type[exp.Expression], Callable[[Any, Any], bool]] = {
    exp.EQ: lambda a, b: a == b,
    exp.NEQ: lambda a, b: a != b,
    exp.LT: lambda a, b: a < b,
    exp.LTE: lambda a, b: a <= b,
    exp.GT: lambda a, b: a > b,
    exp.GTE: lambda a, b: a >= b,
}
_ARITHMETIC: dict[type[exp.Expression], Callable[[int, int], int]] = {
    exp.Add: lambda a, b: a + b,
    exp.Sub: lambda a, b: a - b,
    exp.Mul: lambda a, b: a * b,
}


def _common(a: str, b: str, what: str) -> str:
    """The category two operands compare (or combine) in; NotStatic when not certain."""
    for x, y in ((a, b), (b, a)):
        if x == "null":
            return y if y != "unknown" else "text"
        if x == "unknown" and y in ("text", "unknown"):
            return "text"
    if a == b and a in CATEGORIES:
        return a
    raise NotStatic(f"{what} of a {a} and a {b}")


class _Compiler:
    def __init__(self, query: _Query, group: _Group | None = None) -> None:
        self.query = query
        self.group = group  # compiling a select item of a grouped query

    def item(self, node: exp.Expression) -> tuple[_Fn, str]:
        """A select item (or a SET value): a bare column is copied, whatever its type."""
        inner = node.this if isinstance(node, exp.Alias) else node
        if isinstance(inner, exp.Column):
            if self.group is not None:
                return self.group.column(inner, self.query, copy=True)
            return self.query.column(inner, copy=True)
        return self(node)

    def __call__(self, node: exp.Expression) -> tuple[_Fn, str]:
        if node.args.get("negate") and not isinstance(node, exp.Is):
            raise NotStatic(f"a negated {type(node).__name__.lower()}")
        if isinstance(node, exp.Paren | exp.Alias):
            return self(node.this)
        if isinstance(node, exp.Column):
            if self.group is not None:
                return self.group.column(node, self.query)
            return self.query.column(node)
        if isinstance(node, exp.Null):
            return (lambda _row: None), "null"
        if isinstance(node, exp.Boolean):
            value = bool(node.this)
            return (lambda _row: value), "boolean"
        if isinstance(node, exp.Literal):
            text = str(node.this)
            if node.is_string:
                return (lambda _row: text), "unknown"
            if not re.fullmatch(r"\d+", text):
                raise NotStatic(f"the number {text}")
            number = int(text)
            return (lambda _row: number), "integer"
        if isinstance(node, exp.Neg):
            inner, category = self(node.this)
            _need(category, "integer", "a negated value")
            return (lambda row: None if (v := inner(row)) is None else -v), "integer"
        if type(node) in _COMPARISONS:
            return self._comparison(node)
        if type(node) in _ARITHMETIC:
            op = _ARITHMETIC[type(node)]
            left, a = self(node.this)
            right, b = self(node.expression)
            _need(a, "integer", "an operand")
            _need(b, "integer", "an operand")

            def arithmetic(row: _Row) -> _Value:
                x, y = left(row), right(row)
                return None if x is None or y is None else op(x, y)

            return arithmetic, "integer"
        if isinstance(node, exp.DPipe):
            left, a = self(node.this)
            right, b = self(node.expression)
            # text || text, or text || an integer (as its output function writes it); other
            # types (a boolean, a number with a scale) are left out
            if {a, b} - {"text", "unknown", "null", "integer"} or not {a, b} & {"text",
                                                                             "unknown"}:
                raise NotStatic(f"|| of a {a} and a {b}")

            def concat(row: _Row) -> _Value:
                x, y = left(row), right(row)
                return None if x is None or y is None else f"{x}{y}"

            return concat, "text"
        if isinstance(node, exp.And | exp.Or):
            return self._connective(node)
        if isinstance(node, exp.Not):
            inner, category = self(node.this)
            _need(category, "boolean", "NOT")
            return (lambda row: None if (v := inner(row)) is None else not v), "boolean"
        if isinstance(node, exp.Is):
            if not isinstance(node.expression, exp.Null):
                raise NotStatic(f"IS {node.expression.sql('postgres')}")
            inner, _ = self(node.this)
            if node.args.get("negate"):  # IS NOT NULL
                return (lambda row: inner(row) is not None), "boolean"
            return (lambda row: inner(row) is None), "boolean"
        if isinstance(node, exp.In):
            return self._in(node)
        if isinstance(node, exp.Coalesce):
            parts = [self(node.this), *(self(e) for e in node.expressions)]
            category = "null"
            for _, c in parts:
                category = _common(category, c, "coalesce")
            functions = [f for f, _ in parts]

            def coalesce(row: _Row) -> _Value:
                for f in functions:
                    value = f(row)
                    if value is not None:
                        return value
                return None

            return coalesce, category
        if isinstance(node, exp.AggFunc):
            if self.group is None:
                raise NotStatic("an aggregate here")
            return self.group.aggregate(node, self.query)
        raise NotStatic(f"{type(node).__name__.lower()} ({node.sql('postgres')[:40]})")

    def _comparison(self, node: exp.Expression) -> tuple[_Fn, str]:
        op = _COMPARISONS[type(node)]
        left, a = self(node.this)
        right, b = self(node.expression)
        category = _common(a, b, "a comparison")
        if not isinstance(node, exp.EQ | exp.NEQ) and category not in ("integer", "boolean"):
            raise NotStatic(f"ordering {category} values (the collation decides)")

        def compare(row: _Row) -> _Value:
            x, y = left(row), right(row)
            return None if x is None or y is None else op(x, y)

        return compare, "boolean"

    def _connective(self, node: exp.Expression) -> tuple[_Fn, str]:
        left, a = self(node.this)
        right, b = self(node.expression)
        _need(a, "boolean", "AND/OR")
        _need(b, "boolean", "AND/OR")
        is_and = isinstance(node, exp.And)

        def connective(row: _Row) -> _Value:
            x = left(row)
            if x is (not is_and):  # FALSE AND ..., TRUE OR ...
                return x
            y = right(row)
            if y is (not is_and):
                return y
            return None if x is None or y is None else is_and

        return connective, "boolean"

    def _in(self, node: exp.In) -> tuple[_Fn, str]:
        if node.args.get("query") is not None or node.args.get("unnest") is not None:
            raise NotStatic("IN (a subquery)")
        value, category = self(node.this)
        options = [self(e) for e in node.expressions]
        for _, c in options:
            category = _common(category, c, "IN")
        functions = [f for f, _ in options]

        def member(row: _Row) -> _Value:
            x = value(row)
            if x is None:
                return None
            seen_null = False
            for f in functions:
                y = f(row)
                if y is None:
                    seen_null = True
                elif y == x:
                    return True
            return None if seen_null else False

        return member, "boolean"


# ---------------------------------------------------------------------------------------------
# Grouping


class _Group:
    """Compiles the select items of a grouped query: a function of one group (its rows)."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []

    def column(self, node: exp.Column, query: _Query, copy: bool = False) -> tuple[_Fn, str]:
        # outside an aggregate, a grouped column (or one it determines): the same in every row
        # of the group; PostgreSQL has checked that the query may read it so
        read, category = query.column(node, copy)

        def first(_row: _Row) -> _Value:
            return read(self.rows[0]) if self.rows else None

        return first, category

    def aggregate(self, node: exp.AggFunc, query: _Query) -> tuple[_Fn, str]:
        if node.args.get("distinct") or isinstance(node.this, exp.Distinct):
            raise NotStatic("an aggregate of DISTINCT values")
        inner = _Compiler(query)
        if isinstance(node, exp.Count):
            if isinstance(node.this, exp.Star):
                return (lambda _row: len(self.rows)), "integer"
            value, _ = inner(node.this)
            return (lambda _row: sum(1 for r in self.rows if value(r) is not None)), "integer"
        if isinstance(node, exp.Sum | exp.Min | exp.Max):
            value, category = inner(node.this)
            _need(category, "integer", f"{node.sql_name().lower()}()")
            reduce: Callable[[list[int]], int] = (
                sum if isinstance(node, exp.Sum) else min if isinstance(node, exp.Min) else max)

            def aggregate(_row: _Row) -> _Value:
                values = [v for r in self.rows if (v := value(r)) is not None]
                return reduce(values) if values else None

            return aggregate, "integer"
        raise NotStatic(f"the aggregate {node.sql_name().lower()}")


def _aggregated(select: exp.Select) -> bool:
    def has(node: exp.Expression) -> bool:
        if isinstance(node, exp.AggFunc):
            return True
        if isinstance(node, exp.Window | exp.Subquery | exp.Select):
            return False
        return any(has(c) for c in node.iter_expressions())

    return any(has(e) for e in select.expressions) or select.args.get("having") is not None


# ---------------------------------------------------------------------------------------------
# The query


def _check_shape(select: exp.Expression) -> exp.Select:
    if isinstance(select, exp.Subquery) and not select.args.get("alias"):
        select = select.this
    if not isinstance(select, exp.Select):
        raise NotStatic(f"a {type(select).__name__.upper()} query")
    for key in ("with_", "windows", "qualify", "into"):
        if select.args.get(key) is not None:
            raise NotStatic(f"a query with {key.strip('_').upper()}")
    distinct = select.args.get("distinct")
    if distinct is not None and distinct.args.get("on") is not None:
        raise NotStatic("DISTINCT ON")
    for node in select.walk():
        if node is not select and isinstance(node, exp.Select | exp.Subquery | exp.Window
                                             | exp.Exists):
            raise NotStatic("a subquery or window function")
        if isinstance(node, exp.Star) and not isinstance(node.parent, exp.Count):
            raise NotStatic("SELECT *")
    return select


def _output_name(item: exp.Expression) -> str | None:
    """The name PostgreSQL gives a select item, where the evaluator is sure of it."""
    if isinstance(item, exp.Alias):
        return _fold(item.args["alias"])
    if isinstance(item, exp.Column) and isinstance(item.this, exp.Identifier):
        return _fold(item.this)
    if isinstance(item, exp.Binary | exp.Neg | exp.Not | exp.Literal | exp.Null | exp.Boolean):
        return "?column?"
    return None  # a function's name, a type's name ...


def _output_index(key: exp.Expression, select: exp.Select, names: list[str | None]
                  ) -> int | None:
    """The select item a key names: an ordinal, or a bare name that is an output column's
    (ORDER BY reads a bare name so first)."""
    if isinstance(key, exp.Literal) and not key.is_string:
        index = int(str(key.this)) - 1
        if not 0 <= index < len(select.expressions):
            raise NotStatic(f"position {key.this}")
        return index
    if isinstance(key, exp.Column) and key.args.get("table") is None:
        name = _fold(key.this) if isinstance(key.this, exp.Identifier) else None
        if name is not None and names.count(name) == 1:
            return names.index(name)
        if name is not None and None in names:
            raise NotStatic(f"ORDER BY {name}, which may name an unnamed select item")
    return None


def _evaluate_select(select: exp.Select, relation: RelationOf,
                     first: _Source | None = None) -> tuple[list[_Row], list[tuple[_Value, ...]],
                                                            _Query, bool]:
    """The input rows that pass WHERE (ungrouped queries), the output rows, the query, and
    whether the output order is PostgreSQL's."""
    query = _Query(select, relation, first)
    compile_ = _Compiler(query)
    rows = query.rows(compile_)
    where = select.args.get("where")
    if where is not None:
        predicate, category = compile_(where.this)
        _need(category, "boolean", "WHERE")
        rows = [r for r in rows if predicate(r) is True]
    names = [_output_name(e) for e in select.expressions]
    group_node = select.args.get("group")
    grouped = group_node is not None or _aggregated(select)
    order = select.args.get("order")
    keys = list(order.expressions) if order is not None else []
    outputs: list[tuple[_Value, ...]] = []
    sort_keys: list[tuple[_Value, ...]] = []
    if grouped:
        if group_node is not None and (not group_node.expressions or any(
                isinstance(g, exp.Tuple | exp.Rollup | exp.Cube | exp.GroupingSets)
                for g in group_node.expressions) or any(
                group_node.args.get(k) for k in ("grouping_sets", "rollup", "cube"))):
            raise NotStatic("grouping sets")
        group_keys: list[_Fn] = []
        for g in group_node.expressions if group_node is not None else []:
            # GROUP BY reads a bare name as an input column first, then as an output column
            index = None
            if isinstance(g, exp.Literal) or (isinstance(g, exp.Column) and not any(
                    _fold(g.this) in source.columns for source in query.sources)):
                index = _output_index(g, select, names)
            function, _ = compile_(g if index is None else select.expressions[index])
            group_keys.append(function)
        groups: dict[tuple[_Value, ...], list[_Row]] = {}
        for row in rows:
            groups.setdefault(tuple(f(row) for f in group_keys), []).append(row)
        if group_node is None:
            groups = {(): rows}
        state = _Group()
        items = [_Compiler(query, state).item(e) for e in select.expressions]
        having = select.args.get("having")
        having_fn = _Compiler(query, state)(having.this)[0] if having is not None else None
        key_fns = [_key(k, select, names, items, _Compiler(query, state)) for k in keys]
        for members in groups.values():
            state.rows = members
            if having_fn is not None and having_fn(()) is not True:
                continue
            output = tuple(f(()) for f, _ in items)
            outputs.append(output)
            sort_keys.append(tuple(f((), output) for f, _ in key_fns))
    else:
        items = [compile_.item(e) for e in select.expressions]
        key_fns = [_key(k, select, names, items, compile_) for k in keys]
        for row in rows:
            output = tuple(f(row) for f, _ in items)
            outputs.append(output)
            sort_keys.append(tuple(f(row, output) for f, _ in key_fns))
    if select.args.get("distinct") is not None:
        if not all(_output_index(k.this, select, names) is not None or _in_items(k.this, select)
                   for k in keys):
            raise NotStatic("ORDER BY an expression not selected, with DISTINCT")
        seen: dict[tuple[_Value, ...], tuple[_Value, ...]] = {}
        for output, key in zip(outputs, sort_keys, strict=True):
            seen.setdefault(output, key)
        outputs, sort_keys = list(seen), list(seen.values())
    ordered = len(outputs) <= 1
    if keys:
        descending = [bool(k.args.get("desc")) for k in keys]
        nulls_first = [bool(k.args.get("nulls_first")) for k in keys]
        def by_key(a: tuple[tuple[_Value, ...], tuple[_Value, ...]],
                   b: tuple[tuple[_Value, ...], tuple[_Value, ...]]) -> int:
            return _compare(a[0], b[0], descending, nulls_first)

        pairs = sorted(zip(sort_keys, outputs, strict=True), key=functools.cmp_to_key(by_key))
        pairs = _window(select, pairs)
        outputs = [o for _, o in pairs]
        ordered = len(outputs) <= 1 or len({k for k, _ in pairs}) == len(pairs)
    elif _count(select, "limit") is not None or _count(select, "offset"):
        pairs = _window(select, [((), o) for o in outputs])
        outputs = [o for _, o in pairs]
        ordered = len(outputs) <= 1
    return rows, outputs, query, ordered


def _count(select: exp.Select, key: str) -> int | None:
    """``LIMIT n`` or ``OFFSET n`` as a number (None: none, ``LIMIT ALL`` or ``NULL``)."""
    node = select.args.get(key)
    if node is None:
        return None
    if isinstance(node, exp.Fetch):
        raise NotStatic("FETCH FIRST")
    value = node.args.get("expression")
    if isinstance(value, exp.Null) or (isinstance(value, exp.Var)
                                       and value.name.upper() == "ALL"):
        return None
    if isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit():
        return int(value.this)
    raise NotStatic(f"{key.upper()} of an expression")


def _window(select: exp.Select, pairs: list[tuple[tuple[_Value, ...], tuple[_Value, ...]]]
            ) -> list[tuple[tuple[_Value, ...], tuple[_Value, ...]]]:
    """The sorted (key, output) pairs ``OFFSET``/``LIMIT`` keep. Which rows PostgreSQL keeps
    among rows of equal keys is its choice: the result is static only where every cut falls
    between rows of different keys, or between rows whose outputs are equal too."""
    offset = _count(select, "offset") or 0
    limit = _count(select, "limit")
    end = len(pairs) if limit is None else min(len(pairs), offset + limit)
    for cut in (offset, end):
        if 0 < cut < len(pairs) and pairs[cut - 1][0] == pairs[cut][0] \
                and _tied_outputs_differ(pairs, cut):
            raise NotStatic("LIMIT or OFFSET cutting between rows of equal ORDER BY keys")
    return pairs[offset:end]


def _tied_outputs_differ(pairs: list[tuple[tuple[_Value, ...], tuple[_Value, ...]]],
                         cut: int) -> bool:
    key = pairs[cut][0]
    return len({o for k, o in pairs if k == key}) > 1


def _in_items(key: exp.Expression, select: exp.Select) -> bool:
    return any(key == (e.this if isinstance(e, exp.Alias) else e) for e in select.expressions)


def _key(ordered: exp.Expression, select: exp.Select, names: list[str | None],
         items: list[tuple[_Fn, str]], compile_: _Compiler
         ) -> tuple[Callable[[_Row, tuple[_Value, ...]], _Value], str]:
    if not isinstance(ordered, exp.Ordered):
        raise NotStatic("an ORDER BY key")
    index = _output_index(ordered.this, select, names)
    if index is not None:
        category = items[index][1]
        position = index

        def output_key(_row: _Row, output: tuple[_Value, ...]) -> _Value:
            return output[position]

        function: Callable[[_Row, tuple[_Value, ...]], _Value] = output_key
    else:
        inner, category = compile_(ordered.this)

        def input_key(row: _Row, _output: tuple[_Value, ...]) -> _Value:
            return inner(row)

        function = input_key
    if category not in ("integer", "boolean", "null"):
        raise NotStatic(f"ORDER BY a {category} value (the collation decides)")
    return function, category


def _compare(a: Sequence[_Value], b: Sequence[_Value], descending: list[bool],
             nulls_first: list[bool]) -> int:
    for x, y, desc, first in zip(a, b, descending, nulls_first, strict=True):
        if x is None or y is None:
            if x is None and y is None:
                continue
            return (-1 if first else 1) * (1 if x is None else -1)
        if x != y:
            result = -1 if x < y else 1
            return -result if desc else result
    return 0


def evaluate_insert_query(text: str, relation: RelationOf) -> Result:
    """The rows the query of an ``INSERT ... SELECT`` gives, as SQL literals."""
    statement = parse_statement(text)
    if not isinstance(statement, exp.Insert) or statement.expression is None:
        raise NotStatic("sqlglot does not read it as INSERT ... SELECT")
    if statement.args.get("with_") is not None:
        raise NotStatic("a query with WITH")
    select = _check_shape(statement.expression)
    _, outputs, _, ordered = _evaluate_select(select, relation)
    return Result([tuple(sql_literal(v) for v in row) for row in outputs], ordered)


def evaluate_matches(text: str, target: Relation, relation: RelationOf) -> Matches:
    """Which rows of the target ``UPDATE ... FROM`` / ``DELETE ... USING`` changes, and the new
    values of an UPDATE's ``SET`` columns; a row matched twice with different values is
    NotStatic (PostgreSQL takes one of them)."""
    statement = parse_statement(text)
    if not isinstance(statement, exp.Update | exp.Delete) or statement.args.get("with_"):
        raise NotStatic("sqlglot does not read it as UPDATE ... FROM or DELETE ... USING")
    table = statement.this
    if not isinstance(table, exp.Table) or table.args.get("joins"):
        raise NotStatic("the target of UPDATE/DELETE")
    name = table_name(table)
    if name is None:
        raise NotStatic("a table named with a database")
    alias_node = table.args.get("alias")
    alias = _fold(alias_node.this) if alias_node is not None else name.name
    columns: list[str] = []
    values: list[exp.Expression] = []
    if isinstance(statement, exp.Update):
        for assignment in statement.expressions:
            target_column = assignment.this if isinstance(assignment, exp.EQ) else None
            if not isinstance(target_column, exp.Column) or (
                    target_column.args.get("table") is not None):
                raise NotStatic("an assignment of UPDATE")
            columns.append(_fold(target_column.this))
            values.append(assignment.expression)
        from_ = statement.args.get("from_")
        others = [from_.this] if from_ is not None else []
    else:
        others = list(statement.args.get("using") or [])
    select = exp.Select(expressions=[exp.Literal.number(1)])
    if others:
        select.set("from_", exp.From(this=others[0].copy()))
        select.set("joins", [exp.Join(this=o.copy()) for o in others[1:]])
    where = statement.args.get("where")
    if where is not None:
        select.set("where", where.copy())
    _check_shape(select)
    for value in values:
        _check_shape(exp.Select(expressions=[value.copy()]))
    first = _Source(alias, {c: (i, cat) for i, (c, cat, _) in enumerate(target.columns)},
                    [(*(_convert(v, *target.columns[i][1:]) for i, v in enumerate(row)), n)
                     for n, row in enumerate(target.rows)])

    query = _Query(select, relation, first)
    compile_ = _Compiler(query)
    rows = query.rows(compile_)
    if where is not None:
        predicate, category = compile_(where.this)
        _need(category, "boolean", "WHERE")
        rows = [r for r in rows if predicate(r) is True]
    functions = [compile_.item(v)[0] for v in values]
    found: dict[int, tuple[str, ...]] = {}
    for row in rows:
        index = row[0][-1]
        new = tuple(sql_literal(f(row)) for f in functions)
        if found.setdefault(index, new) != new:
            raise NotStatic("a row matches twice with different values (PostgreSQL updates it "
                            "with one of them)")
    return Matches(tuple(columns), found)
