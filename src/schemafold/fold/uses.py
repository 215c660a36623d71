"""Which expressions use a column, a relation or a type: the questions a drop asks.

Owns: whether a constraint or an index uses a column, whether a query reads a relation,
whether a type name is a given type.

Must not know: the fold's state, rendering, databases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemafold.fragment import fragment
from schemafold.model import Index, Table, TableConstraint
from schemafold.names import QName, type_base
from schemafold.parse.keywords import KEYWORDS
from schemafold.parse.query_syntax import clause_before, ends_an_operand, from_relations
from schemafold.parse.tokens import TokenType, identifier_of, is_string, word
from schemafold.rewrite import columns_named

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlglot.tokenizer_core import Token

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
            if before is None or before.token_type != TokenType.DOT:
                own, others = qualifiers(tokens, table)
                if text in others and text not in own:
                    continue  # alias.column: another relation's alias (FROM u name)
            return True  # name.column, name.*
        if before is not None and before.token_type == TokenType.DOT and i >= 2 and \
                identifier_of(tokens[i - 2]) != table.name.schema:
            continue  # o.name: a column or a field of o
        if before is not None and before.token_type != TokenType.IDENTIFIER and \
                before.text.upper() == "AS" and (nxt is None or nxt.token_type not in (
                    TokenType.R_PAREN, TokenType.L_BRACKET)):
            continue  # a label, an alias (CAST(x AS name) names the row type)
        if before is not None and before.token_type != TokenType.DOT and \
                not _bare_name_reads(tokens, i):
            continue
        return True
    return False


#: The words after which a relation's name may follow: FROM items, the target of a data
#: statement, ``TABLE name``
_RELATION_AFTER = frozenset({"FROM", "JOIN", "ONLY", "LATERAL", "TABLE", "INTO", "UPDATE",
                             "USING"})
#: The words after which an operand starts (a name there is a column's, not a relation's)
_OPERAND_AFTER = frozenset({"SELECT", "DISTINCT", "ALL", "WHERE", "AND", "OR", "NOT", "BY",
                            "HAVING", "WHEN", "THEN", "ELSE", "CASE", "RETURNING", "BETWEEN",
                            "LIKE", "ILIKE", "IN", "IS", "LIMIT", "OFFSET"})
#: The clauses whose items are a relation's (a comma there starts the next FROM item; the
#: conditions of a join are followed by a comma of the FROM list)
_RELATION_LISTS = frozenset({"FROM", "JOIN", "ON", "USING", "INTO", "UPDATE", "TABLE", ""})


def _bare_name_reads(tokens: Sequence[Token], i: int) -> bool:
    """Whether the bare name at ``i`` (no qualifier, no call, no label) may be a relation's or
    a type's: a FROM item, a data statement's target, a cast's type, a literal's type
    (``name '...'``); not an operand (``SELECT name``, ``a = name``), another item's alias
    (``FROM u name``) nor a label (``SELECT x name``). Unsure, it may."""
    before, nxt = tokens[i - 1], tokens[i + 1] if i + 1 < len(tokens) else None
    if before.token_type == TokenType.DCOLON or (nxt is not None and is_string(nxt)):
        return True
    upper = word(before)
    if upper in _RELATION_AFTER:
        # IS DISTINCT FROM name, extract(field FROM name): an operand
        return not (upper == "FROM" and (
            (i >= 2 and word(tokens[i - 2]) == "DISTINCT") or clause_before(tokens, i - 1) == "("))
    if upper in _OPERAND_AFTER:
        return False
    kind = before.token_type
    if kind == TokenType.L_PAREN:
        # FROM (name JOIN ...): a relation; f(name), IN (name), VALUES (name): an operand
        opener = tokens[i - 2] if i >= 2 else None
        return opener is None or word(opener) in ("FROM", "JOIN") or \
            opener.token_type == TokenType.L_PAREN or (
                opener.token_type == TokenType.COMMA
                and clause_before(tokens, i - 2) in _RELATION_LISTS)
    if kind == TokenType.COMMA:
        return clause_before(tokens, i - 1) in _RELATION_LISTS
    if ends_an_operand(before):
        # SELECT x name, FROM u name: a label, an alias; AS r(x name): a column's type
        return clause_before(tokens, i) not in ("SELECT", "FROM", "JOIN", "RETURNING")
    # an operator's operand (a = name, a + name) is no relation's
    return bool(word(before)) or kind == TokenType.SEMICOLON


def qualifiers(tokens: Sequence[Token], table: Table
                ) -> tuple[set[str], set[str]]:
    """The names that qualify a column of ``table`` in a query (its name, its aliases) and
    those that qualify another relation's (theirs), from the FROM items the query names (an
    item's alias, else its name); an alias that is a key word is not read (a column it
    qualifies counts as ``table``'s)."""
    own: set[str] = set()
    others: set[str] = set()
    positions = {id(token): i for i, token in enumerate(tokens)}
    for parts, first in from_relations(tokens):
        mine = parts[-1] == table.name.name and (
            len(parts) == 1 or parts[0] == table.name.schema)
        names = own if mine else others
        at = positions[id(first)] + 2 * len(parts) - 1
        if at < len(tokens) and tokens[at].token_type != TokenType.IDENTIFIER and \
                tokens[at].text.upper() == "AS":
            at += 1
        alias = tokens[at] if at < len(tokens) else None
        if alias is not None and (alias.token_type == TokenType.IDENTIFIER or (
                identifier_of(alias) is not None and alias.text.lower() not in KEYWORDS)):
            name = identifier_of(alias)
            assert name is not None
            names.add(name)  # the relation's own name then qualifies nothing
        else:
            names.add(parts[-1])
    return own, others


def _type_matches(type_text: str, name: QName, table_schema: str | None) -> bool:
    schema, base = type_base(type_text)
    return base == name.name and (schema is None or schema == name.schema)
