"""Predicates (``WHERE``) evaluated on a row, and a row's values substituted into an expression
(``SET``, selected items, ``USING``, ``ON CONFLICT DO UPDATE``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.fragment import fragment
from schemafold.names import QName
from schemafold.parse.tokens import TokenType, identifier_of, is_string, word
from schemafold.rows.constants import constant
from schemafold.rows.fragments import parse_select
from schemafold.rows.literals import (
    _COMPARISONS,
    _TYPED_LITERAL_WORDS,
    NotStatic,
    _as,
    _close,
    _compare,
    _Literal,
    _literal,
    _Reader,
    _skip_type,
)

#: Built-in functions whose result depends only on their arguments: a SET expression or a
#: selected item calling only these (on columns and literals) is evaluated by substitution.
DETERMINISTIC = frozenset(
    """
    abs array_append array_cat array_length array_position array_prepend array_remove
    array_replace array_to_string btrim cardinality ceil ceiling char_length character_length
    chr coalesce concat concat_ws decode div encode exp floor format greatest initcap
    json_build_array json_build_object jsonb_build_array jsonb_build_object jsonb_set
    jsonb_strip_nulls jsonb_insert jsonb_object left least length ln log lower lpad ltrim md5
    mod nullif octet_length overlay position power regexp_replace repeat replace reverse right round
    rpad rtrim sha256 sign split_part sqrt string_to_array strpos substr substring to_date
    to_json to_jsonb to_number to_timestamp translate trim trunc upper
    """.split()  # noqa: SIM905
)
#: Row-independent functions whose value differs between two loads (the equality contract
#: masks the columns they fill): kept as written, never compared.
VOLATILE = frozenset(
    """
    clock_timestamp gen_random_uuid now random statement_timestamp timeofday
    transaction_timestamp uuid_generate_v1 uuid_generate_v1mc uuid_generate_v4
    """.split()  # noqa: SIM905
)
_VOLATILE_WORDS = frozenset(
    {"CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME"}
)
_EXPRESSION_WORDS = frozenset(
    """
    AND OR NOT IS NULL TRUE FALSE IN LIKE ILIKE BETWEEN CASE WHEN THEN ELSE END DISTINCT FROM
    ARRAY COLLATE UNKNOWN SIMILAR TO ESCAPE FOR
    """.split()  # noqa: SIM905
)

# ---------------------------------------------------------------------------------------------
# Scopes: the columns an expression may name


@attrs.frozen
class Scope:
    """What an expression sees: one row's values (column -> SQL text), the columns' comparison
    categories, the qualifiers that name this row (the table's name, its alias), and the
    columns' types (a literal substituted into an expression keeps its column's type, so that
    ``meta || '{}'`` stays a jsonb concatenation)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    values: Mapping[str, str]
    categories: Mapping[str, str]
    qualifiers: frozenset[str] = frozenset()
    types: Mapping[str, str] = attrs.field(factory=dict)

    def has(self, column: str) -> bool:
        return column in self.values


#: Rows of another table for ``EXISTS (SELECT ... FROM t ...)``: the scopes of its rows.
RowSource = Callable[[QName], Sequence[Scope]]


def _no_tables(name: QName) -> Sequence[Scope]:
    raise NotStatic(f"reads table {name}")


# ---------------------------------------------------------------------------------------------
# Predicates


#: A parsed predicate: evaluate on a scope -> True, False or None (unknown, as SQL's NULL).
Predicate = Callable[[Scope], "bool | None"]
_Operand = Callable[[Scope], tuple[_Literal, "str | None"]]


def parse_predicate(text: str, tables: RowSource = _no_tables) -> Predicate:
    """A ``WHERE`` predicate made of comparisons (``= <> != < <= > >=``), ``IN (...)``,
    ``IS [NOT] NULL``, ``IS [NOT] TRUE|FALSE``, ``[NOT] EXISTS (SELECT ... FROM t [WHERE ...])``,
    ``AND``, ``OR``, ``NOT`` and parentheses, over columns and literals."""
    reader = _Reader(text)
    predicate = _or(reader, tables)
    if not reader.at_end():
        raise NotStatic(f"cannot evaluate {reader.next().text!r} in a predicate")
    return predicate


def _or(r: _Reader, tables: RowSource) -> Predicate:
    return _connective(r, tables, "OR", _and, decisive=True)


def _and(r: _Reader, tables: RowSource) -> Predicate:
    return _connective(r, tables, "AND", _not, decisive=False)


def _connective(r: _Reader, tables: RowSource, keyword: str,
                operand: Callable[[_Reader, RowSource], Predicate], *, decisive: bool) -> Predicate:
    """Operands joined by ``keyword`` (``OR``, ``AND``) in SQL's three-valued logic: one operand
    that is ``decisive`` (true for OR, false for AND) decides; else unknown when one is NULL."""
    parts = [operand(r, tables)]
    while r.accept(keyword):
        parts.append(operand(r, tables))
    if len(parts) == 1:
        return parts[0]

    def evaluate(scope: Scope) -> bool | None:
        values = [p(scope) for p in parts]
        if any(v is decisive for v in values):
            return decisive
        return None if any(v is None for v in values) else not decisive

    return evaluate


def _not(r: _Reader, tables: RowSource) -> Predicate:
    if r.accept("NOT"):
        inner = _not(r, tables)

        def negate(scope: Scope) -> bool | None:
            value = inner(scope)
            return None if value is None else not value

        return negate
    return _comparison(r, tables)


def _comparison(r: _Reader, tables: RowSource) -> Predicate:
    if r.accept("EXISTS"):
        return _exists(r, tables)
    if r.at_type(TokenType.L_PAREN) and _is_predicate_group(r):
        r.next()
        inner = _or(r, tables)
        r.expect_type(TokenType.R_PAREN)
        return inner
    if r.peek_word() in ("TRUE", "FALSE") and (r.peek(1) is None or r.peek_word(1) in (
            "AND", "OR") or r.at_type(TokenType.R_PAREN, 1)):
        value = r.next().text.upper() == "TRUE"
        return lambda scope: value
    left = _operand(r)
    token = r.peek()
    if token is not None and token.token_type in _COMPARISONS:
        r.next()
        op = _COMPARISONS[token.token_type]
        right = _operand(r)

        def compare(scope: Scope) -> bool | None:
            (a, ca), (b, cb) = left(scope), right(scope)
            return _compare(op, a, b, ca or cb)

        return compare
    if r.accept("IS"):
        negated = r.accept("NOT")
        what = r.next().text.upper()
        if what not in ("NULL", "TRUE", "FALSE"):
            raise NotStatic(f"IS {what}")

        def test(scope: Scope) -> bool | None:
            value, category = left(scope)
            if what == "NULL":
                result = value.kind == "null"
            elif value.kind == "null":
                result = False
            else:
                result = _as("boolean", value) is (what == "TRUE")
            return not result if negated else result

        return test
    negated = r.accept("NOT")
    if r.accept("IN"):
        if not r.at_type(TokenType.L_PAREN):
            raise NotStatic("IN without a list")
        r.next()
        if r.peek_word() == "SELECT":
            raise NotStatic("IN (SELECT ...)")
        items = [_operand(r)]
        while r.at_type(TokenType.COMMA):
            r.next()
            items.append(_operand(r))
        r.expect_type(TokenType.R_PAREN)

        def member(scope: Scope) -> bool | None:
            value, category = left(scope)
            found: bool | None = False
            for item in items:
                other, other_category = item(scope)
                equal = _compare("=", value, other, category or other_category)
                if equal:
                    found = True
                    break
                if equal is None:
                    found = None
            if found is None:
                return None
            return not found if negated else found

        return member
    if negated:
        raise NotStatic("NOT without IN")
    # a bare boolean column
    def truth(scope: Scope) -> bool | None:
        value, _ = left(scope)
        return None if value.kind == "null" else bool(_as("boolean", value))

    return truth


def _is_predicate_group(r: _Reader) -> bool:
    """Whether the parenthesised group at the cursor is a predicate (not an operand such as
    ``(1)``): it contains a comparison or a logical word at its top level."""
    end = _close(r.tokens, r.pos)
    depth = 0
    for token in r.tokens[r.pos + 1:end]:
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif depth == 0 and (token.token_type in _COMPARISONS or word(token) in (
                "AND", "OR", "NOT", "IS", "IN", "EXISTS")):
            return True
    return False


def _operand(r: _Reader) -> _Operand:
    """A column reference or a literal."""
    token = r.peek()
    if token is None:
        raise NotStatic("unexpected end")
    name = identifier_of(token)
    if name is not None and word(token) not in ("NULL", "TRUE", "FALSE") and not (
        word(token) in _TYPED_LITERAL_WORDS and r.peek(1) is not None
        and r.peek(1).token_type == TokenType.STRING  # type: ignore[union-attr]
    ):
        r.next()
        qualifier = None
        if r.at_type(TokenType.DOT):
            r.next()
            qualifier, name = name, identifier_of(r.next())
            if name is None:
                raise NotStatic("a qualified name that is not a column")
        if r.at_type(TokenType.L_PAREN):
            raise NotStatic(f"calls {name}()")
        column = name

        def read(scope: Scope) -> tuple[_Literal, str | None]:
            if qualifier is not None and scope.qualifiers and qualifier not in scope.qualifiers:
                raise NotStatic(f"names {qualifier}.{column}")
            if not scope.has(column):
                raise NotStatic(f"names {column}, which is not a column of the table")
            lit = _literal(scope.values[column])
            if lit is None:
                raise NotStatic(f"column {column} holds {scope.values[column]}, which is not a "
                                "constant")
            return lit, scope.categories.get(column, "other")

        return read
    # a literal: take tokens up to the next top-level comparison, logical word or bracket
    start = r.pos
    depth = 0
    while not r.at_end():
        t = r.tokens[r.pos]
        if depth == 0 and (t.token_type in _COMPARISONS or t.token_type == TokenType.COMMA
                           or word(t) in ("AND", "OR", "IS", "IN", "NOT")
                           or t.token_type == TokenType.R_PAREN):
            break
        if t.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif t.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        r.pos += 1
    text = r.text[r.tokens[start].start:r.tokens[r.pos - 1].end + 1] if r.pos > start else ""
    lit = _literal(text)
    if lit is None:
        raise NotStatic(f"{text!r} is not a constant")
    return lambda scope: (lit, None)


def _exists(r: _Reader, tables: RowSource) -> Predicate:
    if not r.at_type(TokenType.L_PAREN):
        raise NotStatic("EXISTS without a query")
    end = _close(r.tokens, r.pos)
    inner = r.text[r.tokens[r.pos + 1].start:r.tokens[end - 1].end + 1]
    r.pos = end + 1
    select = parse_select(inner)
    if select.table is None:
        raise NotStatic("EXISTS over a query without FROM")
    where = parse_predicate(select.where, tables) if select.where else None
    table = select.table

    def exists(scope: Scope) -> bool | None:
        return any(where is None or where(row) is True for row in tables(table))

    return exists


# ---------------------------------------------------------------------------------------------
# Expressions: substitute a row's values for its columns


def _volatile_call(function: str, written: str) -> bool:
    """Whether a call of the built-in ``function`` makes an expression volatile; a function that
    is neither volatile nor known to be deterministic cannot be evaluated (``written`` is the
    name as the text wrote it)."""
    if function in VOLATILE:
        return True
    if function not in DETERMINISTIC:
        raise NotStatic(f"calls {written}()")
    return False


def substitute(text: str, scopes: Mapping[str | None, Scope]) -> tuple[str, bool]:
    """``text`` with every column reference replaced by the row's value, and whether the result
    calls a volatile function (``now()``, ``gen_random_uuid()``).

    ``scopes`` maps a qualifier to the row it names (``None``: unqualified references;
    ``"excluded"`` for ``ON CONFLICT DO UPDATE``). Allowed: literals, operators, casts, ``CASE``,
    calls of ``DETERMINISTIC`` and ``VOLATILE`` functions; anything else is ``NotStatic``.
    """
    r = _Reader(text)
    tokens = r.tokens
    edits: list[tuple[int, int, str]] = []
    volatile = False
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        kind = token.token_type
        w = word(token)
        if kind == TokenType.DCOLON:
            i = _skip_type(tokens, i + 1)
            continue
        if w == "CAST" and i + 1 < n and tokens[i + 1].token_type == TokenType.L_PAREN:
            i += 2
            continue
        if w == "AS" and i > 0:
            i = _skip_type(tokens, i + 1)
            continue
        if w == "SELECT":
            raise NotStatic("a subquery")
        if w == "COLLATE" and i + 1 < n:
            i += 2  # the collation's name, maybe qualified: no column
            while i + 1 < n and tokens[i].token_type == TokenType.DOT:
                i += 2
            continue
        if w == "EXTRACT" and i + 2 < n and tokens[i + 1].token_type == TokenType.L_PAREN:
            i += 3  # ``EXTRACT(year FROM ...)``: the field is no column
            continue
        if w == "AT" and i + 2 < n and word(tokens[i + 1]) == "TIME" and \
                word(tokens[i + 2]) == "ZONE":
            i += 3  # ``ts AT TIME ZONE 'UTC'``: an operator of key words, no column
            continue
        if is_string(token) or kind == TokenType.NUMBER or w in _EXPRESSION_WORDS:
            i += 1
            continue
        if w in _VOLATILE_WORDS:
            volatile = True
            i += 1
            continue
        if w in _TYPED_LITERAL_WORDS and i + 1 < n and tokens[i + 1].token_type == TokenType.STRING:
            i += 2
            continue
        name = identifier_of(token)
        if name is None:  # punctuation and operators
            i += 1
            continue
        if i + 1 < n and tokens[i + 1].token_type == TokenType.L_PAREN:
            volatile = _volatile_call(name.removeprefix("pg_catalog."), name) or volatile
            i += 1
            continue
        qualifier: str | None = None
        end = i
        if i + 2 < n and tokens[i + 1].token_type == TokenType.DOT:
            column = identifier_of(tokens[i + 2])
            if column is None:
                raise NotStatic("a qualified name that is not a column")
            if i + 3 < n and tokens[i + 3].token_type == TokenType.L_PAREN:
                if name != "pg_catalog":
                    raise NotStatic(f"calls {name}.{column}()")
                volatile = _volatile_call(column, f"{name}.{column}") or volatile
                i += 3
                continue
            qualifier, name, end = name, column, i + 2
        scope = _scope_for(scopes, qualifier, name)
        value = scope.values[name]
        lit = _literal(value)
        if lit is None and not _simple(value):
            volatile = volatile or _mentions_volatile(value)
        type_text = scope.types.get(name)
        if i == 0 and end == n - 1:
            replacement = value  # the expression is the column itself
        elif lit is not None and lit.cast is None and type_text:
            replacement = f"({value})::{type_text}"
        else:
            replacement = value if _simple(value) else f"({value})"
        edits.append((tokens[i].start, tokens[end].end + 1, replacement))
        i = end + 1
    out = []
    last = 0
    for start, stop, replacement in edits:
        out.append(text[last:start])
        out.append(replacement)
        last = stop
    out.append(text[last:])
    result = "".join(out).strip()
    if not volatile and _literal(result) is None:
        result = constant(result) or result
    return result, volatile


def _scope_for(scopes: Mapping[str | None, Scope], qualifier: str | None, name: str) -> Scope:
    if qualifier is not None:
        scope = scopes.get(qualifier)
        if scope is None:
            for candidate in scopes.values():
                if qualifier in candidate.qualifiers:
                    scope = candidate
                    break
        if scope is None:
            raise NotStatic(f"names {qualifier}.{name}")
    else:
        scope = scopes.get(None)
        if scope is None:
            raise NotStatic(f"names {name}")
    if not scope.has(name):
        raise NotStatic(f"names {name}, which is not a column")
    return scope


def _simple(value: str) -> bool:
    """One token that needs no parentheses when substituted (a string, an unsigned number,
    NULL/TRUE/FALSE)."""
    tokens = fragment(value).tokens_or_none()
    if tokens is None:
        return False
    return len(tokens) == 1 and (
        tokens[0].token_type in (TokenType.STRING, TokenType.NUMBER)
        or word(tokens[0]) in ("NULL", "TRUE", "FALSE")
    )


def _mentions_volatile(value: str) -> bool:
    tokens = fragment(value).tokens_or_none()
    if tokens is None:
        return True
    return any(
        word(t) in _VOLATILE_WORDS or (identifier_of(t) or "") in VOLATILE for t in tokens
    )


def volatile_call(text: str) -> bool:
    """True when ``text`` calls a volatile function (its value differs between two loads)."""
    return _mentions_volatile(text)


