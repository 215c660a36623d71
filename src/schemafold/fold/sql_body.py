"""What PostgreSQL's parse analysis of a ``LANGUAGE sql`` routine's body looks up.

PostgreSQL analyzes every statement of such a body when it creates the routine (a body in a
string with ``check_function_bodies`` on and no polymorphic argument; a ``BEGIN ATOMIC`` body
always), all of them up front: a table the body's first statement creates is not there for
the second (``relation "z" does not exist``, on 15 and 18 alike). A utility statement
(``CREATE VIEW``, ``NOTIFY``) is not analyzed; a query and a data-changing statement are.

Owns: splitting a body into its statements, reading one with sqlglot (unquoted names folded to
lower case), and turning an ``INSERT``, ``UPDATE`` or ``DELETE`` into the lookups its analysis
makes, in PostgreSQL's order: the relations it names, and for each clause either the target
columns it assigns (``column "x" of relation "t" does not exist``) or a ``SELECT`` whose FROM
holds what the clause sees (the target under its alias, the FROM or USING items), so that the
query column check (``relations._missing_column_in``) resolves the clause's names as
PostgreSQL does.

Must not know: the fold's state (which relations exist, their columns), rendering, databases.
"""

from __future__ import annotations

import re

import attrs
from sqlglot import exp

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.fragment import fragment

#: A relation as a statement names it: schema (None: unqualified) and name.
RelationName = tuple[str | None, str]

#: Names a RETURNING list may write bare that are no columns (PostgreSQL 18: the row before
#: and after the change, ``RETURNING old``).
_RETURNING_ROWS = frozenset({"old", "new"})


@attrs.frozen
class TargetColumns:
    """Columns a statement assigns (an INSERT's column list, an UPDATE's SET targets): each
    must be a column of ``relation``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    relation: RelationName
    columns: tuple[str, ...]


@attrs.frozen
class QueryColumns:
    """A query whose column references must resolve; ``accepted``: bare names that may be
    written as a column and are none."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    query: exp.Query
    accepted: frozenset[str] = frozenset()


@attrs.frozen
class DataStatement:
    """The lookups of one INSERT, UPDATE or DELETE: the relations it names (its target, then
    its FROM or USING items; a query's own FROM items are not among them), then its clauses'
    columns, in the order PostgreSQL analyzes them."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    relations: tuple[RelationName, ...]
    checks: tuple[TargetColumns | QueryColumns, ...]


def body_statements(body: str) -> list[str] | None:
    """The statements of a SQL body, as written: a string body's, or a ``BEGIN ATOMIC ...
    END`` body's; None for a ``RETURN`` body or text the tokenizer cannot read."""
    from schemafold.parse.tokens import TokenType, word

    try:
        tokens = list(fragment(body).tokens)
    except Exception:  # noqa: BLE001 - the tokenizer cannot read it: no evidence
        return None
    if tokens and word(tokens[0]) == "RETURN":
        return None
    if len(tokens) >= 3 and word(tokens[0]) == "BEGIN" and word(tokens[1]) == "ATOMIC":
        if word(tokens[-1]) != "END":
            return None
        tokens = tokens[2:-1]
    statements: list[str] = []
    start = 0
    for i, token in enumerate([*tokens, None]):
        if token is None or token.token_type == TokenType.SEMICOLON:
            if i > start:
                statements.append(body[tokens[start].start:tokens[i - 1].end + 1])
            start = i + 1
    return statements


#: ``LATERAL`` before a parenthesised query
_LATERAL = re.compile(r"(?<![\w$])lateral\s*\(\s*(?:select|with)(?![\w$])")


def read_statement(text: str) -> exp.Expr | None:
    """sqlglot's reading of one statement, unquoted names folded to lower case as PostgreSQL
    folds them; None where sqlglot cannot read it, or misreads it (``LATERAL``, ``U&"..."``
    names)."""
    from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

    from schemafold.parse.sqlglot_tree import parse_postgres, stored_names

    lowered = text.lower()
    if "u&" in lowered or ("lateral" in lowered and _LATERAL.sub("", lowered).count("lateral")):
        return None  # (LATERAL before a subquery is read as PostgreSQL reads it; a function not)
    try:
        root = normalize_identifiers(stored_names(parse_postgres(text), text),
                                     dialect="postgres")
    except Exception:  # noqa: BLE001 - sqlglot cannot read it: no evidence either way
        return None
    return root


def data_statement(root: exp.Expr) -> DataStatement | None:
    """The lookups of an INSERT, UPDATE or DELETE sqlglot read (:func:`read_statement`);
    None for any other statement, or a shape this module does not read."""
    try:
        if isinstance(root, exp.Insert):
            return _insert(root)
        if isinstance(root, exp.Update):
            return _update(root)
        if isinstance(root, exp.Delete):
            return _delete(root)
    except _Unread:
        return None
    return None


class _Unread(Exception):
    """A part of the statement this module does not read: nothing of it is checked."""


def _insert(root: exp.Insert) -> DataStatement:
    """``INSERT INTO t [AS a] [(columns)] {VALUES ... | query | DEFAULT VALUES}
    [ON CONFLICT ...] [RETURNING ...]``: the target columns, the source (a query, or VALUES's
    expressions, which see no relation), then RETURNING (the target under its alias). An
    ON CONFLICT clause is not checked."""
    with_ = root.args.get("with_")
    target = root.this
    columns: list[exp.Expr] = []
    if isinstance(target, exp.Schema):
        columns = list(target.expressions)
        target = target.this
    name = _relation_name(target, with_)
    assert isinstance(target, exp.Table)
    checks: list[TargetColumns | QueryColumns] = []
    if columns:
        if not all(isinstance(c, exp.Identifier) for c in columns):
            raise _Unread
        checks.append(TargetColumns(name, tuple(str(c.this) for c in columns)))
    source = root.expression
    while isinstance(source, exp.Subquery) and not any(
            value for key, value in source.args.items() if key != "this"):
        source = source.this  # INSERT ... (SELECT ...): the query in parentheses
    if isinstance(source, exp.Values):
        items = [item for row in source.expressions
                 for item in (row.expressions if isinstance(row, exp.Tuple) else [row])]
        checks.append(QueryColumns(_select(items, [], None, with_)))
    elif isinstance(source, exp.Select | exp.SetOperation):
        query = source.copy()
        if with_ is not None:
            if query.args.get("with_") is not None:
                raise _Unread
            query.set("with_", with_.copy())
        checks.append(QueryColumns(query))
    elif source is not None:
        raise _Unread
    checks.extend(_returning(root, [target], with_))
    return DataStatement(relations=(name,), checks=tuple(checks))


def _update(root: exp.Update) -> DataStatement:
    """``UPDATE [ONLY] t [[AS] a] SET ... [FROM ...] [WHERE ...] [RETURNING ...]``: WHERE and
    RETURNING see the target and the FROM items, as SET's values do; the SET targets are
    looked up last (PostgreSQL's order). A SET target ``x.f`` (a composite column's field)
    names the column ``x``; ``x[1]`` and the like are not checked."""
    with_ = root.args.get("with_")
    target = root.this
    name = _relation_name(target, with_)
    items = _from_items(root.args.get("from_"))
    relations = [name, *_named_relations(items, with_)]
    targets: list[str] = []
    values: list[exp.Expr] = []
    for assignment in root.expressions:
        if not isinstance(assignment, exp.EQ):
            raise _Unread
        left = assignment.this
        for column in left.expressions if isinstance(left, exp.Tuple) else [left]:
            assigned = _assigned_column(column)
            if assigned is not None:
                targets.append(assigned)
        values.append(assignment.expression)
    sources = [target, *items]
    checks: list[TargetColumns | QueryColumns] = [
        *_clause_checks(root, sources, with_),
        QueryColumns(_select(values, sources, None, with_)), TargetColumns(name, tuple(targets))]
    return DataStatement(relations=tuple(relations), checks=tuple(checks))


def _delete(root: exp.Delete) -> DataStatement:
    """``DELETE FROM [ONLY] t [[AS] a] [USING ...] [WHERE ...] [RETURNING ...]``: WHERE and
    RETURNING see the target and the USING items."""
    with_ = root.args.get("with_")
    target = root.this
    name = _relation_name(target, with_)
    using = root.args.get("using")  # a list, or False without USING
    items: list[exp.Expr] = []
    for item in using if isinstance(using, list) else [using] if using else []:
        items.extend(_with_joins(item))
    relations = [name, *_named_relations(items, with_)]
    sources = [target, *items]
    return DataStatement(relations=tuple(relations),
                         checks=tuple(_clause_checks(root, sources, with_)))


def _clause_checks(root: exp.Expr, sources: list[exp.Expr],
                   with_: exp.Expr | None) -> list[QueryColumns]:
    """An UPDATE's or DELETE's WHERE, then its RETURNING, each seeing ``sources``."""
    checks: list[QueryColumns] = []
    where = root.args.get("where")
    if where is not None:
        checks.append(QueryColumns(_select([], sources, where, with_)))
    checks.extend(_returning(root, sources, with_))
    return checks


def _relation_name(table: exp.Expr | None, with_: exp.Expr | None) -> RelationName:
    """The target's name: a plain (at most schema-qualified) table name that is no WITH
    query's."""
    if not isinstance(table, exp.Table) or table.args.get("catalog") is not None or \
            not isinstance(table.this, exp.Identifier):
        raise _Unread
    schema = table.args.get("db")
    if schema is not None and not isinstance(schema, exp.Identifier):
        raise _Unread
    name = str(table.this.this)
    if schema is None and name in _cte_names(with_):
        raise _Unread
    return (str(schema.this) if schema is not None else None, name)


def _named_relations(items: list[exp.Expr], with_: exp.Expr | None) -> list[RelationName]:
    """The relations FROM or USING items name (a table, not a WITH query's name, not a
    subquery or a function)."""
    found = []
    for item in items:
        if isinstance(item, exp.Join):
            item = item.this
        if not isinstance(item, exp.Table) or not isinstance(item.this, exp.Identifier):
            continue
        try:
            found.append(_relation_name(item, with_))
        except _Unread:
            continue
    return found


def _cte_names(with_: exp.Expr | None) -> set[str]:
    if not isinstance(with_, exp.With):
        return set()
    return {cte.alias for cte in with_.expressions if isinstance(cte, exp.CTE)}


def _from_items(from_: exp.Expr | None) -> list[exp.Expr]:
    """An UPDATE's FROM items, joins included (sqlglot hangs them on the first item)."""
    if from_ is None:
        return []
    if not isinstance(from_, exp.From):
        raise _Unread
    return _with_joins(from_.this)


def _with_joins(item: exp.Expr) -> list[exp.Expr]:
    """``item`` and the joins sqlglot hung on it (``FROM a JOIN b ON ..., c``), as Join nodes:
    the item itself first."""
    if not isinstance(item, exp.Expr):
        raise _Unread
    joins = item.args.get("joins") or []
    if not all(isinstance(j, exp.Join) for j in joins):
        raise _Unread
    return [item, *joins]


def _assigned_column(column: exp.Expr) -> str | None:
    """The column a SET target assigns: ``c``, or ``c`` of ``c.field``; None for a target
    this module does not read."""
    if not isinstance(column, exp.Column) or not isinstance(column.this, exp.Identifier) or \
            column.args.get("db") is not None or column.args.get("catalog") is not None:
        return None
    qualifier = column.args.get("table")
    if qualifier is None:
        return str(column.this.this)
    return str(qualifier.this) if isinstance(qualifier, exp.Identifier) else None


def _returning(root: exp.Expr, sources: list[exp.Expr],
               with_: exp.Expr | None) -> list[QueryColumns]:
    returning = root.args.get("returning")
    if not isinstance(returning, exp.Returning):
        return []
    if returning.args.get("into"):
        raise _Unread
    return [QueryColumns(_select(list(returning.expressions), sources, None, with_),
                         _RETURNING_ROWS)]


def _select(items: list[exp.Expr], sources: list[exp.Expr], where: exp.Expr | None,
            with_: exp.Expr | None) -> exp.Select:
    """``[WITH ...] SELECT items FROM sources [WHERE ...]``, of copies (the statement read
    stays as it is): a FROM source that is a join (sqlglot's Join node) stays one, any other
    is joined as by a comma."""
    select = exp.Select(expressions=[item.copy() for item in items] or [exp.Literal.number(1)])
    if sources:
        first = sources[0].copy()
        first.set("joins", None)
        select.set("from_", exp.From(this=first))
        joins = []
        for source in sources[1:]:
            copied = source.copy()
            if isinstance(copied, exp.Join):
                joins.append(copied)
            else:
                copied.set("joins", None)
                joins.append(exp.Join(this=copied))
        if joins:
            select.set("joins", joins)
    if where is not None:
        select.set("where", where.copy())
    if with_ is not None:
        select.set("with_", with_.copy())
    return select
