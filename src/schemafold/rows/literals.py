"""Literals: reading a constant (sign, cast, parentheses) and comparing two by a column's type;
the token reader the other modules share."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.fragment import fragment
from schemafold.names import canonical_type
from schemafold.parse.tokens import Cursor, Token, TokenType, is_word, word


class NotStatic(Exception):
    """The fragment cannot be evaluated statically; the message says why."""


_TYPED_LITERAL_WORDS = frozenset(
    {"DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "INTERVAL", "JSON", "JSONB", "UUID", "NUMERIC"}
)
_TYPE_CONTINUATIONS = frozenset({"VARYING", "PRECISION", "WITH", "WITHOUT", "TIME", "ZONE"})
_COMPARISONS = {
    TokenType.EQ: "=",
    TokenType.NEQ: "<>",
    TokenType.LT: "<",
    TokenType.LTE: "<=",
    TokenType.GT: ">",
    TokenType.GTE: ">=",
}
_INTEGERS = frozenset({"smallint", "integer", "bigint"})
_NUMERICS = frozenset({"numeric", "real", "double precision"})
_TEXTS = frozenset({"text", "character varying", "name", "citext", "character"})


# ---------------------------------------------------------------------------------------------
# Literals


@attrs.frozen
class _Literal:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    kind: str  # "null" | "number" | "string" | "bool"
    value: Any
    cast: str | None = None


def _skip_type(tokens: Sequence[Token], i: int) -> int:
    """The index after the type name starting at ``i`` (``int``, ``public.mood``,
    ``varchar(10)``, ``timestamp with time zone``, ``text[]``)."""
    n = len(tokens)
    if i < n and (is_word(tokens[i]) or tokens[i].token_type == TokenType.IDENTIFIER):
        i += 1
        while i + 1 < n and tokens[i].token_type == TokenType.DOT:
            i += 2
        while i < n and word(tokens[i]) in _TYPE_CONTINUATIONS:
            i += 1
    else:
        raise NotStatic("a cast without a type")
    if i < n and tokens[i].token_type == TokenType.L_PAREN:
        i = _close(tokens, i) + 1
    while i + 1 < n and tokens[i].token_type == TokenType.L_BRACKET and (
        tokens[i + 1].token_type == TokenType.R_BRACKET
    ):
        i += 2
    return i


def _close(tokens: Sequence[Token], i: int) -> int:
    """The index of the bracket closing the one at ``i``."""
    depth = 0
    for j in range(i, len(tokens)):
        kind = tokens[j].token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
            if depth == 0:
                return j
    raise NotStatic("unbalanced parentheses")


@functools.lru_cache(maxsize=65536)
def _literal(text: str) -> _Literal | None:
    """``text`` as a literal (sign, cast and outer parentheses allowed), or None."""
    tokens = fragment(text).tokens_or_none()
    if tokens is None:
        return None
    while (
        len(tokens) >= 2
        and tokens[0].token_type == TokenType.L_PAREN
        and _close(tokens, 0) == len(tokens) - 1
    ):
        tokens = tokens[1:-1]
    return _literal_tokens(tokens)


def _literal_tokens(tokens: Sequence[Token]) -> _Literal | None:
    if not tokens:
        return None
    cast = None
    end = len(tokens)
    for i, token in enumerate(tokens):
        if token.token_type == TokenType.DCOLON:
            try:
                if _skip_type(tokens, i + 1) != len(tokens):
                    return None
            except NotStatic:
                return None
            cast = canonical_type(" ".join(t.text for t in tokens[i + 1:]))
            end = i
            break
    body = tokens[:end]
    while (len(body) >= 2 and body[0].token_type == TokenType.L_PAREN
           and _close(body, 0) == len(body) - 1):  # ('x')::mood
        body = body[1:-1]
    sign = ""
    if body and body[0].token_type in (TokenType.DASH, TokenType.PLUS):
        sign = "-" if body[0].token_type == TokenType.DASH else ""
        body = body[1:]
        if len(body) != 1 or body[0].token_type != TokenType.NUMBER:
            return None
    if len(body) == 2 and word(body[0]) in _TYPED_LITERAL_WORDS and (
        body[1].token_type == TokenType.STRING
    ):
        cast = cast or canonical_type(body[0].text)
        body = body[1:]
    if len(body) != 1:
        return None
    token = body[0]
    if token.token_type == TokenType.NUMBER:
        try:
            return _Literal("number", Decimal(sign + token.text), cast)
        except InvalidOperation:
            return None
    if token.token_type == TokenType.STRING:
        return _Literal("string", token.text, cast)
    if word(token) == "NULL":
        return _Literal("null", None, cast)
    if word(token) in ("TRUE", "FALSE"):
        return _Literal("bool", word(token) == "TRUE", cast)
    return None


def read_literal(text: str) -> tuple[str, Any, str | None] | None:
    """``text`` as one constant: its kind (``null``, ``number``, ``string`` or ``bool``), its
    value and the type it is cast to; None for anything else."""
    lit = _literal(text)
    return (lit.kind, lit.value, lit.cast) if lit is not None else None


def string_literal(text: str) -> tuple[str, str | None] | None:
    """A string literal's content and the type it is cast to, if any (``'x'``, ``('x')``,
    ``'x'::mood``, ``('x')::mood``); None for anything else."""
    lit = _literal(text)
    return (lit.value, lit.cast) if lit is not None and lit.kind == "string" else None


def string_value(text: str) -> str | None:
    """The content of a string literal (``'x'``, ``'x'::mood``), or None for anything else."""
    found = string_literal(text)
    return found[0] if found is not None else None


def is_literal(text: str) -> bool:
    """True when ``text`` is one constant (a literal, signed, cast, parenthesised)."""
    return _literal(text) is not None


def type_category(type_text: str) -> str:
    """How values of a built-in type compare: ``integer``, ``numeric``, ``boolean``, ``text``,
    ``citext``, ``character``, ``uuid``, ``jsonb`` or ``other``."""
    base = canonical_type(type_text)
    if base in _INTEGERS:
        return "integer"
    if base in _NUMERICS:
        return "numeric"
    if base == "boolean":
        return "boolean"
    if base in ("citext", "character", "uuid", "jsonb"):
        return base
    if base in _TEXTS:
        return "text"
    return "other"


_TRUE_WORDS = {"t", "true", "y", "yes", "on", "1"}
_FALSE_WORDS = {"f", "false", "n", "no", "off", "0"}


def _as(category: str, lit: _Literal) -> Any:
    """The literal's value as ``category`` compares it; NotStatic when that is not certain."""
    if lit.kind == "null":
        return None
    if category in ("integer", "numeric"):
        if lit.kind == "number":
            return lit.value
        if lit.kind == "string":
            try:
                return Decimal(lit.value.strip())
            except InvalidOperation as error:
                raise NotStatic(f"{lit.value!r} is not a number") from error
        raise NotStatic("a number compared with a boolean")
    if category == "boolean":
        if lit.kind == "bool":
            return lit.value
        text = str(lit.value).strip().lower()
        if text in _TRUE_WORDS:
            return True
        if text in _FALSE_WORDS:
            return False
        raise NotStatic(f"{lit.value!r} is not a boolean")
    if lit.kind != "string":
        if category == "text" and lit.kind == "number":
            return str(lit.value)
        raise NotStatic(f"a {lit.kind} literal compared as {category}")
    text = lit.value
    if category == "citext":
        return text.lower()
    if category == "character":
        return text.rstrip(" ")
    if category == "uuid":
        return re.sub(r"[{}-]", "", text).lower()
    if category == "jsonb":
        try:
            return ("json", json.dumps(json.loads(text), sort_keys=True))
        except ValueError as error:
            raise NotStatic("a jsonb value that is not JSON") from error
    return text


#: an integer literal written plainly (``42``, ``-7``): read without the tokenizer
PLAIN_INTEGER = re.compile(r"-?[0-9]+")
#: the categories whose values ``key_value`` gives: equal keys are equal values for
#: PostgreSQL's equality operator (and its unique indexes), whatever the session
_KEY_CATEGORIES = frozenset({"integer", "numeric", "boolean", "text", "citext", "character",
                             "uuid", "enum"})


def key_value(category: str, text: str) -> Any:
    """The value a unique index compares ``text`` (a row's value, SQL text) by, in a column of
    ``category`` (:func:`type_category`, or ``enum``; ``numeric:S`` for a numeric of scale S,
    ``text:N`` for a varchar(N): :func:`key_category`); None when that is not certain: NULL
    (never equal to another), anything but a constant, a constant with a cast
    (``'abc'::varchar(2)`` is ``ab``), a type whose input may depend on the moment (``'now'``)
    or on a collation, a fraction given for an integer (PostgreSQL rounds it). Two values with
    equal keys are surely equal; unequal keys may still be equal values."""
    category, _, modifier = category.partition(":")
    if category not in _KEY_CATEGORIES:
        return None
    # the plain forms first, without the tokenizer: a long INSERT holds thousands of them
    # (a modifier may change what is stored: varchar(3) stores 'abc  ' as 'abc')
    if category == "integer" and PLAIN_INTEGER.fullmatch(text):
        return (category, Decimal(text))
    if category == "text" and not modifier and len(text) >= 2 and text[0] == "'" and \
            text[-1] == "'" and "'" not in text[1:-1]:
        return (category, text[1:-1])
    lit = _literal(text)
    if lit is None or lit.kind == "null" or lit.cast is not None:
        return None
    if category == "citext" and not str(lit.value).isascii():
        return None  # lower() of a non-ASCII letter depends on the database's locale
    try:
        value = _as("text" if category == "enum" else category, lit)
    except NotStatic:
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    stored = _stored(category, modifier, lit.kind, value)
    return None if stored is None else (category, stored)


def _stored(category: str, modifier: str, kind: str, value: Any) -> Any:
    """``value`` (a constant of ``kind`` read as ``category``) as a column of that category
    and type modifier stores it; None when that is not certain."""
    if category == "integer" and isinstance(value, Decimal) and value != value.to_integral_value():
        if kind != "number":
            return None  # '1.5' is no integer's input
        # 1.5 given for an integer is 2: numeric to integer rounds half away from zero
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if category == "numeric" and modifier:
        # numeric(5, 1) stores 1.25 as 1.3 (rounding half away from zero, as PostgreSQL)
        return Decimal(value).quantize(Decimal(1).scaleb(-int(modifier)), rounding=ROUND_HALF_UP)
    if category == "text" and modifier and len(value) > int(modifier):
        if value[int(modifier):].strip(" "):
            return None  # too long: refused, or cut by a cast
        return value[:int(modifier)]  # varchar(3) stores 'abc  ' as 'abc'
    return value


def stored_text(category: str, text: str) -> str:
    """A row's value ``text`` (SQL) as its column stores it, given the column's
    :func:`key_category`: a number rounded to an integer or to a numeric's scale, a string cut
    of the spaces past a varchar's length; ``text`` itself when unchanged or not a constant
    (PostgreSQL compares the stored value: ``WHERE price = 1.3`` finds 1.25 put in a
    numeric(5, 1))."""
    category, _, modifier = category.partition(":")
    if not modifier and (category != "integer" or not any(c in text for c in ".eE")):
        return text
    lit = _literal(text)
    if lit is None or lit.kind not in ("number", "string") or lit.cast is not None:
        return text
    try:
        value = _as(category, lit)
    except NotStatic:
        return text
    if isinstance(value, Decimal) and not value.is_finite():
        return text
    stored = _stored(category, modifier, lit.kind, value)
    if stored is None or stored == value:
        return text
    if isinstance(stored, str):
        return "'" + stored.replace("'", "''") + "'"
    return str(stored) if lit.kind == "number" else f"'{stored}'"


_TYPE_MODIFIERS = re.compile(r"\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)\s*$")


def key_category(category: str, type_text: str) -> str:
    """The category :func:`key_value` compares a column's values by: ``category`` with the
    type's modifier where it changes the value stored (``numeric(5, 1)``: ``numeric:1``;
    ``varchar(3)``: ``text:3``), ``other`` (never compared) for the floating-point types
    (equal values may be written apart in digits beyond their precision) and ``name`` (cut
    at 63 bytes)."""
    base = canonical_type(type_text)
    if category == "numeric":
        if base != "numeric":
            return "other"
        found = _TYPE_MODIFIERS.search(type_text)
        return category if found is None else f"numeric:{found.group(2) or 0}"
    if category == "text":
        if base == "name":
            return "other"
        found = _TYPE_MODIFIERS.search(type_text)
        return category if found is None else f"text:{found.group(1)}"
    return category


def _compare(op: str, left: _Literal, right: _Literal, category: str | None) -> bool | None:
    if left.kind == "null" or right.kind == "null":
        return None
    if category is None:  # two constants: compare by kind
        if left.kind != right.kind:
            raise NotStatic("constants of different kinds compared")
        category = {"number": "numeric", "string": "other", "bool": "boolean"}[left.kind]
    a, b = _as(category, left), _as(category, right)
    if op in ("=", "<>"):
        if category == "other" and a != b:
            raise NotStatic("values of a type schemafold does not compare")
        equal = a == b
        return equal if op == "=" else not equal
    if category not in ("integer", "numeric"):
        raise NotStatic(f"{op} on values that are not numbers")
    return bool({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])


class _Reader(Cursor):
    """Recursive descent over one fragment's tokens: the parser's cursor, whose dead ends say
    "cannot evaluate" (:class:`NotStatic`) instead of "bad input"."""

    def __init__(self, text: str) -> None:
        try:
            super().__init__(text)
        except Exception as error:
            raise NotStatic(f"unreadable: {error}") from error

    def next(self) -> Token:
        if self.at_end():
            raise NotStatic("unexpected end")
        return super().next()

    def expect_type(self, kind: TokenType) -> None:
        if not self.at_type(kind):
            raise NotStatic(f"expected {kind.name}")
        self.pos += 1


