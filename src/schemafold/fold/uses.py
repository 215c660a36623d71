"""Which expressions use a column, a relation or a type: the questions a drop asks.

Owns: whether a constraint or an index uses a column, whether a query reads a relation,
whether a type name is a given type.

Must not know: the fold's state, rendering, databases.
"""

from __future__ import annotations

from schemafold.fragment import fragment
from schemafold.model import Index, Table, TableConstraint
from schemafold.names import QName, canonical_type
from schemafold.parse.tokens import identifier_of
from schemafold.rewrite import columns_named


def _constraint_uses(constraint: TableConstraint, column: str, table: Table) -> bool:
    c = constraint.constraint
    if column in c.columns:
        return True
    if c.expression and c.kind == "check":
        return bool(columns_named(c.expression, {column}))
    return False


def _index_uses(index: Index, column: str) -> bool:
    for element in index.elements:
        if element.column == column:
            return True
        if element.expression and columns_named(element.expression, {column}):
            return True
    if column in index.include:
        return True
    return bool(index.where and columns_named(index.where, {column}))


def _query_reads(query: str, table: Table) -> bool:
    """Whether ``query`` may name ``table`` (its relation or its row type): a token spelling
    its name that is not a call (``name(``), a string but in a cast or a call (``'name'`` in
    ``b = 'name'``; ``'name'::regclass`` counts), another qualifier's column or field
    (``o.name``, where ``o`` is not the table's schema) nor a label or an alias (``AS name``
    but in ``CAST(x AS name)``)."""
    from schemafold.parse.tokens import TokenType, is_string

    tokens = fragment(query).tokens
    for i, token in enumerate(tokens):
        text = token.text if token.token_type == TokenType.IDENTIFIER else token.text.lower()
        if text != table.name.name:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        before = tokens[i - 1] if i else None
        if nxt is not None and nxt.token_type == TokenType.L_PAREN:
            continue
        if is_string(token):
            if (nxt is not None and nxt.token_type == TokenType.DCOLON) or (
                    before is not None and before.token_type == TokenType.L_PAREN):
                return True
            continue
        if nxt is not None and nxt.token_type == TokenType.DOT:
            return True  # name.column, name.*
        if before is not None and before.token_type == TokenType.DOT and i >= 2 and \
                identifier_of(tokens[i - 2]) != table.name.schema:
            continue  # o.name: a column or a field of o
        if before is not None and before.token_type != TokenType.IDENTIFIER and \
                before.text.upper() == "AS" and (nxt is None or nxt.token_type not in (
                    TokenType.R_PAREN, TokenType.L_BRACKET)):
            continue  # a label, an alias (CAST(x AS name) names the row type)
        return True
    return False


def _type_matches(type_text: str, name: QName, table_schema: str | None) -> bool:
    base = canonical_type(type_text).removesuffix("[]").removesuffix("[]")
    parts = base.split(".")
    if len(parts) == 2:
        return parts[0] == name.schema and parts[1] == name.name
    return base == name.name
