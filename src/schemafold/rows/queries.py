"""Whole data statements read with sqlglot: whether one surely changes no row.

Owns: parsing an ``INSERT ... SELECT``, ``UPDATE [... FROM]`` or ``DELETE [... USING]`` of any
query shape (joins, ``LATERAL``, subqueries, CTEs, set operations, grouping, ordering) and
deciding, from which relations are known to hold no rows, whether its query yields no row — so
that the statement inserts, updates and deletes nothing. The decision is structural and exact
in one direction only: ``True`` means PostgreSQL finds no row; anything not shown empty is
``False``, never a guess.

What makes a query yield no row: a ``FROM`` whose join tree is empty (an inner, cross or comma
join with an empty side; a ``LEFT JOIN`` with an empty left side; a ``RIGHT JOIN`` with an empty
right side; a ``FULL JOIN`` with both empty), unless it aggregates without ``GROUP BY`` (``SELECT
count(*) FROM empty`` is one row) or groups by grouping sets; a ``UNION`` of empty queries, an
``INTERSECT`` with an empty side, an ``EXCEPT`` whose left side is empty. A ``SELECT`` without
``FROM``, ``VALUES``, a function in ``FROM`` and a relation not known empty yield rows.

What would still act when no row is found disqualifies the statement (``None``): a data-modifying
CTE (it runs whether or not it is read), and a function in ``FROM`` other than built-in
set-returning functions without side effects (a function scan may run before the join finds its
other side empty). Volatile calls elsewhere (``nextval`` in the select list, a ``WHERE`` calling
a function) run once per row, so not at all.

Must not know: the schema state (the caller says which names are empty), folding, databases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlglot import exp
from sqlglot.errors import SqlglotError

from schemafold.names import QName
from schemafold.parse.sqlglot_tree import parse_tree

#: Built-in set-returning functions that only compute rows from their arguments.
_PURE_SET_FUNCTIONS = frozenset(
    """
    generate_series unnest jsonb_array_elements jsonb_array_elements_text json_array_elements
    json_array_elements_text jsonb_each jsonb_each_text json_each json_each_text
    jsonb_object_keys json_object_keys regexp_matches regexp_split_to_table string_to_table
    jsonb_to_recordset json_to_recordset jsonb_populate_recordset json_populate_recordset
    """.split()  # noqa: SIM905
)

#: Is the relation with this name (as written, identifiers folded) known to hold no rows?
EmptyRelation = Callable[[QName], bool]


class _Unsafe(Exception):
    """The statement could act even when its query finds no row."""


def parse_statement(text: str) -> exp.Expression | None:
    """The statement as sqlglot reads it in the postgres dialect, or None."""
    try:
        parsed = parse_tree(text)
    except SqlglotError:
        return None
    except Exception:  # noqa: BLE001 - sqlglot raises plain errors on some malformed input
        return None
    if not isinstance(parsed, exp.Insert | exp.Update | exp.Delete):
        return None
    return parsed


def statement_target(text: str) -> tuple[str, QName] | None:
    """The verb (``INSERT``, ``UPDATE``, ``DELETE``) and the table a data statement writes,
    also one with a top-level ``WITH`` whose CTEs only read; None for anything else (a
    data-modifying CTE acts whatever the statement's own table holds)."""
    statement = parse_statement(text)
    if statement is None:
        return None
    try:
        _check_no_side_effects(statement)
    except _Unsafe:
        return None
    target = statement.this
    if isinstance(target, exp.Schema):
        target = target.this
    if not isinstance(target, exp.Table) or not isinstance(target.this, exp.Identifier):
        return None
    name = table_name(target)
    if name is None:
        return None
    return type(statement).__name__.upper(), name


def changes_nothing(text: str, empty: EmptyRelation) -> str | None:
    """Why the data statement ``text`` surely inserts, updates or deletes no row, or None when
    that is not shown (including when sqlglot cannot read it)."""
    statement = parse_statement(text)
    if statement is None:
        return None
    try:
        _check_no_side_effects(statement)
        ctes = _ctes(statement.args.get("with_"), {}, empty)
        if isinstance(statement, exp.Insert):
            query = statement.expression
            if query is None or isinstance(query, exp.Values):
                return None
            if _query_empty(query, ctes, empty):
                return "the query finds no row: the tables it reads are empty"
            return None
        target = statement.this
        if not isinstance(target, exp.Table) or target.args.get("joins"):
            return None
        verb = "UPDATE" if isinstance(statement, exp.Update) else "DELETE"
        others: list[exp.Expression] = []
        if isinstance(statement, exp.Update) and statement.args.get("from_") is not None:
            others = [statement.args["from_"].this]
        elif isinstance(statement, exp.Delete):
            others = list(statement.args.get("using") or [])
        # FROM / USING items join the target as an inner (comma) join: one empty side suffices
        for item in others:
            if _item_empty(item, ctes, empty):
                clause = "FROM" if verb == "UPDATE" else "USING"
                return f"{verb} ... {clause} a relation that is empty: no row matches"
        return None
    except _Unsafe:
        return None


def _check_no_side_effects(statement: exp.Expression) -> None:
    for node in statement.walk():
        if node is statement:
            continue
        if isinstance(node, exp.Insert | exp.Update | exp.Delete | exp.Merge | exp.Command):
            raise _Unsafe("a data-modifying CTE runs whether or not it is read")
        # a subquery is an init plan PostgreSQL may run once before finding no row (a
        # pseudo-constant WHERE: ``WHERE (SELECT nextval('s')) IS NOT NULL`` draws from s even
        # over an empty table): it may call only functions without side effects
        if isinstance(node, exp.Anonymous) and _inside_subquery(node, statement) and (
                node.name.lower() not in _SCALAR_FUNCTIONS - _ACTING_FUNCTIONS
                and node.name.lower() not in _PURE_SET_FUNCTIONS):
            raise _Unsafe(f"{node.name}() in a subquery may run even when no row is found")


#: Functions of the allow-lists that act (on a sequence, on the session's random seed).
_ACTING_FUNCTIONS = frozenset({"nextval", "setseed"})


def _inside_subquery(node: exp.Expression, statement: exp.Expression) -> bool:
    """Whether ``node`` is in a query nested in the statement's own query (a scalar subquery,
    EXISTS, IN (SELECT ...), a CTE, a derived table)."""
    top = statement.expression if isinstance(statement, exp.Insert) else statement
    while isinstance(top, exp.Subquery):
        top = top.this
    parent = node.parent
    while parent is not None and parent is not top and parent is not statement:
        if isinstance(parent, exp.Select | exp.Subquery | exp.Union | exp.CTE):
            return True
        parent = parent.parent
    return False


def _ctes(with_: exp.With | None, outer: Mapping[str, bool],
          empty: EmptyRelation) -> dict[str, bool]:
    """Whether each CTE of a WITH clause is empty (later CTEs see earlier ones)."""
    ctes = dict(outer)
    if with_ is None:
        return ctes
    recursive = bool(with_.args.get("recursive"))
    for cte in with_.expressions:
        name = cte.alias_or_name
        if recursive:
            ctes[name] = False  # not decided: the recursive term reads the CTE itself
            continue
        ctes[name] = _query_empty(cte.this, ctes, empty)
    return ctes


def _query_empty(query: exp.Expression, outer: Mapping[str, bool], empty: EmptyRelation) -> bool:
    if isinstance(query, exp.Subquery):
        ctes = _ctes(query.args.get("with_"), outer, empty)
        if isinstance(query.this, exp.Table):  # a parenthesised join
            return _item_empty(query.this, ctes, empty)
        return _query_empty(query.this, ctes, empty)
    if isinstance(query, exp.Paren):
        return _query_empty(query.this, outer, empty)
    ctes = _ctes(query.args.get("with_"), outer, empty)
    if isinstance(query, exp.Union):
        return _query_empty(query.this, ctes, empty) and _query_empty(
            query.expression, ctes, empty)
    if isinstance(query, exp.Intersect):
        return _query_empty(query.this, ctes, empty) or _query_empty(
            query.expression, ctes, empty)
    if isinstance(query, exp.Except):
        return _query_empty(query.this, ctes, empty)
    if not isinstance(query, exp.Select):
        return False
    from_ = query.args.get("from_")
    if from_ is None:
        return False  # one row
    if _aggregates_all(query):
        return False  # one row even from no row
    items: list[tuple[exp.Expression, str]] = [(from_.this, "")]
    items += [(j.this, _side(j)) for j in query.args.get("joins") or []]
    return _chain_empty(items, ctes, empty)


def _side(join: exp.Join) -> str:
    side = (join.side or "").upper()
    if side not in ("", "LEFT", "RIGHT", "FULL"):
        raise _Unsafe(f"a {side} join")
    return side


def _chain_empty(items: list[tuple[exp.Expression, str]], ctes: Mapping[str, bool],
                 empty: EmptyRelation) -> bool:
    """Whether a join chain (left to right, each with its join side) is empty."""
    result = False
    for i, (item, side) in enumerate(items):
        this = _item_empty(item, ctes, empty)
        if i == 0 or side == "":
            result = result or this
        elif side == "RIGHT":
            result = this
        elif side == "FULL":
            result = result and this
        # LEFT: empty only when the left side is
    return result


def _item_empty(item: exp.Expression, ctes: Mapping[str, bool], empty: EmptyRelation) -> bool:
    """Whether a FROM item (with the joins sqlglot hangs on it) is empty."""
    joins = item.args.get("joins") or []
    if joins:
        bare = item.copy()
        bare.set("joins", None)
        return _chain_empty([(bare, ""), *((j.this, _side(j)) for j in joins)], ctes, empty)
    if isinstance(item, exp.Table):
        if not isinstance(item.this, exp.Identifier):
            _function_item(item.this)
            return False
        if item.args.get("sample") is not None:
            return False
        name = table_name(item)
        if name is None:
            return False
        if name.schema is None and name.name in ctes:
            return ctes[name.name]
        return empty(name)
    if isinstance(item, exp.Subquery):
        return _query_empty(item, ctes, empty)
    if isinstance(item, exp.Lateral):
        if isinstance(item.this, exp.Subquery):
            return _query_empty(item.this, ctes, empty)
        _function_item(item.this)
        return False
    if isinstance(item, exp.Unnest):
        return False
    if isinstance(item, exp.Values):
        return False
    raise _Unsafe(f"a FROM item sqlglot reads as {type(item).__name__}")


def _function_item(function: exp.Expression) -> None:
    if isinstance(function, exp.ExplodingGenerateSeries | exp.GenerateSeries | exp.Unnest):
        return
    name = function.name if isinstance(function, exp.Anonymous) else (
        function.sql_name() if isinstance(function, exp.Func) else "")
    if name.lower() not in _PURE_SET_FUNCTIONS:
        raise _Unsafe(f"function {name} in FROM may act before the join is found empty")


def table_name(table: exp.Table) -> QName | None:
    if table.args.get("catalog") is not None:
        return None
    db = table.args.get("db")
    if db is not None and not isinstance(db, exp.Identifier):
        return None
    return QName(_fold(db) if db is not None else None, _fold(table.this))


def _fold(identifier: exp.Identifier) -> str:
    text = str(identifier.this)
    return text if identifier.quoted else text.lower()


def _aggregates_all(select: exp.Select) -> bool:
    """A SELECT that makes one group of all its rows (so one row from no row): aggregates or
    HAVING without GROUP BY, or grouping sets (``GROUP BY ()``, ``ROLLUP``, ``CUBE``)."""
    group = select.args.get("group")
    if group is not None:
        plain = all(not isinstance(g, exp.Tuple | exp.Rollup | exp.Cube | exp.GroupingSets)
                    for g in group.expressions)
        sets = any(group.args.get(k) for k in ("grouping_sets", "rollup", "cube"))
        return not plain or sets or not group.expressions
    if select.args.get("having") is not None:
        return True
    return any(_has_aggregate(e) for e in select.expressions)


def _has_aggregate(node: exp.Expression) -> bool:
    """An aggregate call of this query level (not in a window, a subquery)."""
    if isinstance(node, exp.Window | exp.Subquery | exp.Select):
        return False
    if isinstance(node, exp.AggFunc):
        return True
    if isinstance(node, exp.Anonymous) and node.name.lower() not in _SCALAR_FUNCTIONS:
        return True  # maybe an aggregate (CREATE AGGREGATE, an extension's)
    return any(_has_aggregate(child) for child in node.iter_expressions())


#: Built-in functions that are not aggregates, among those sqlglot reads as anonymous calls (an
#: anonymous call of another name may be an aggregate: the query is then not shown empty).
_SCALAR_FUNCTIONS = frozenset(
    """
    abs age array_length array_to_string btrim cardinality ceil ceiling char_length
    clock_timestamp concat concat_ws convert_from convert_to currval date_part date_trunc decode
    digest encode floor format gen_random_uuid greatest initcap jsonb_build_array
    jsonb_build_object jsonb_set jsonb_strip_nulls jsonb_typeof json_build_array
    json_build_object least left length lower lpad ltrim make_interval md5 nextval now nullif
    octet_length overlay position random regexp_replace repeat replace reverse right round
    row_to_json rpad rtrim setseed sha256 split_part statement_timestamp string_to_array strpos
    substr substring timezone to_char to_date to_json to_jsonb to_number to_timestamp
    transaction_timestamp translate trim trunc upper uuid_generate_v1 uuid_generate_v4
    """.split()  # noqa: SIM905
)
