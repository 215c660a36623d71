"""Constant folding: an expression over literals to the literal it loads as."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from schemafold.names import canonical_type, quote_literal
from schemafold.parse.tokens import TokenType, identifier_of, word
from schemafold.rows.literals import NotStatic, _Reader, _skip_type, type_category

# ---------------------------------------------------------------------------------------------
# Constant folding: an expression over literals to the literal it loads as


_Value = tuple[str, Any]  # ("text" | "unknown" | "int" | "num" | "bool" | "null", value)
_NULL: _Value = ("null", None)


class _Constant:
    """Evaluates ``||``, ``+ - * / %``, casts to text and number types and a few text functions
    over literals, with PostgreSQL's precedence; ``NotStatic`` for anything else."""

    def __init__(self, text: str) -> None:
        self.r = _Reader(text)

    def run(self) -> _Value:
        value = self.concat()
        if not self.r.at_end():
            raise NotStatic("not a constant")
        return value

    def concat(self) -> _Value:
        value = self.additive()
        while self.r.at_type(TokenType.DPIPE):
            self.r.next()
            right = self.additive()
            if value[0] == "null" or right[0] == "null":
                value = _NULL
                continue
            value = ("text", _text(value) + _text(right))
        return value

    def additive(self) -> _Value:
        value = self.term()
        while self.r.at_type(TokenType.PLUS) or self.r.at_type(TokenType.DASH):
            op = self.r.next().text
            value = _arithmetic(op, value, self.term())
        return value

    def term(self) -> _Value:
        value = self.unary()
        while (self.r.at_type(TokenType.STAR) or self.r.at_type(TokenType.SLASH)
               or self.r.at_type(TokenType.MOD)):
            op = self.r.next().text
            value = _arithmetic(op, value, self.unary())
        return value

    def unary(self) -> _Value:
        if self.r.at_type(TokenType.DASH):
            self.r.next()
            return _arithmetic("-", ("int", 0), self.unary())
        if self.r.at_type(TokenType.PLUS):
            self.r.next()
        return self.postfix()

    def postfix(self) -> _Value:
        value = self.primary()
        while self.r.at_type(TokenType.DCOLON):
            self.r.next()
            start = self.r.pos
            self.r.pos = _skip_type(self.r.tokens, start)
            value = _cast(value, " ".join(t.text for t in self.r.tokens[start:self.r.pos]))
        return value

    def primary(self) -> _Value:
        token = self.r.next()
        if token.token_type == TokenType.NUMBER:
            if token.text.isdigit():
                return ("int", int(token.text))
            try:
                return ("num", Decimal(token.text))
            except InvalidOperation as error:
                raise NotStatic("not a number") from error
        if token.token_type == TokenType.STRING:
            return ("unknown", token.text)
        if word(token) == "NULL":
            return _NULL
        if word(token) in ("TRUE", "FALSE"):
            return ("bool", word(token) == "TRUE")
        if token.token_type == TokenType.L_PAREN:
            value = self.concat()
            self.r.expect_type(TokenType.R_PAREN)
            return value
        name = identifier_of(token)
        if name is not None and self.r.at_type(TokenType.L_PAREN):
            self.r.next()
            args: list[_Value] = []
            if not self.r.at_type(TokenType.R_PAREN):
                args.append(self.concat())
                while self.r.at_type(TokenType.COMMA):
                    self.r.next()
                    args.append(self.concat())
            self.r.expect_type(TokenType.R_PAREN)
            return _call(name.removeprefix("pg_catalog."), args)
        raise NotStatic("not a constant")


def _text(value: _Value) -> str:
    kind, v = value
    if kind == "bool":
        return "true" if v else "false"
    return str(v)


def _number(value: _Value) -> _Value:
    kind, v = value
    if kind in ("int", "num", "null"):
        return value
    raise NotStatic("arithmetic on something that is not a number")


def _arithmetic(op: str, left: _Value, right: _Value) -> _Value:
    left, right = _number(left), _number(right)
    if left[0] == "null" or right[0] == "null":
        return _NULL
    a, b = left[1], right[1]
    integers = left[0] == right[0] == "int"
    if op == "+":
        result = a + b
    elif op == "-":
        result = a - b
    elif op == "*":
        result = a * b
    elif integers and b != 0 and op in ("/", "%"):
        quotient = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
        result = quotient if op == "/" else a - quotient * b
    else:
        raise NotStatic(f"{op} folded only on integers")
    return ("int" if integers else "num", result)


def _cast(value: _Value, type_text: str) -> _Value:
    category = type_category(type_text)
    if value[0] == "null":
        return _NULL
    if category in ("text", "character"):
        return ("text", _text(value))
    if category == "integer":
        try:
            return ("int", int(_text(value).strip()))
        except ValueError as error:
            raise NotStatic("not an integer") from error
    if category == "numeric" and canonical_type(type_text) == "numeric":
        try:
            return ("num", Decimal(_text(value).strip()))
        except InvalidOperation as error:
            raise NotStatic("not a number") from error
    raise NotStatic(f"a cast to {type_text}")


def _strings(name: str, args: list[_Value], count: int) -> list[str] | None:
    if len(args) != count:
        raise NotStatic(f"{name}() with {len(args)} arguments")
    if any(a[0] == "null" for a in args):
        return None
    return [_text(a) for a in args]


def _call(name: str, args: list[_Value]) -> _Value:
    if name in ("lower", "upper", "btrim", "trim", "ltrim", "rtrim", "length",
                "char_length", "md5"):
        texts = _strings(name, args, 1)
        if texts is None:
            return _NULL
        text = texts[0]
        if name in ("length", "char_length"):
            return ("int", len(text))
        if name == "md5":
            import hashlib

            return ("text", hashlib.md5(text.encode()).hexdigest())  # noqa: S324 (as PostgreSQL)
        done = {"lower": text.lower(), "upper": text.upper(), "btrim": text.strip(" "),
                "trim": text.strip(" "), "ltrim": text.lstrip(" "), "rtrim": text.rstrip(" ")}
        return ("text", done[name])
    if name == "concat":
        return ("text", "".join(_text(a) for a in args if a[0] != "null"))
    if name == "concat_ws":
        if not args or args[0][0] == "null":
            return _NULL
        return ("text", _text(args[0]).join(_text(a) for a in args[1:] if a[0] != "null"))
    if name == "coalesce":  # of unknown literals: text, as PostgreSQL resolves it
        found = next((a for a in args if a[0] != "null"), _NULL)
        return ("text", found[1]) if found[0] == "unknown" else found
    if name in ("replace", "split_part"):
        texts = _strings(name, args, 3)
        if texts is None:
            return _NULL
        if name == "replace":
            return ("text", texts[0].replace(texts[1], texts[2]) if texts[1] else texts[0])
        parts = texts[0].split(texts[1]) if texts[1] else [texts[0]]
        n = int(texts[2])
        if n == 0:
            raise NotStatic("split_part at 0")
        index = n - 1 if n > 0 else len(parts) + n
        return ("text", parts[index] if 0 <= index < len(parts) else "")
    if name in ("left", "right"):
        texts = _strings(name, args, 2)
        if texts is None:
            return _NULL
        n = int(texts[1])
        text = texts[0]
        if name == "left":
            return ("text", text[:n] if n >= 0 else text[:max(len(text) + n, 0)])
        return ("text", text[-n:] if n > 0 else (text[-n:] if n < 0 else ""))
    if name == "abs" and len(args) == 1:
        value = _number(args[0])
        return value if value[0] == "null" else (value[0], abs(value[1]))
    raise NotStatic(f"{name}() is not folded")


def constant(text: str) -> str | None:
    """The literal ``text`` loads as, when it is an expression over literals the fold can
    evaluate (``lower('ANN')`` -> ``'ann'``, ``(0) + 1`` -> ``1``); None otherwise, or when it
    is already one literal."""
    try:
        kind, value = _Constant(text).run()
    except (NotStatic, ValueError, ArithmeticError):
        return None
    if kind == "unknown":
        return None
    if kind == "null":
        return "NULL"
    if kind == "bool":
        return "TRUE" if value else "FALSE"
    if kind == "text":
        return quote_literal(str(value))
    return str(value) if kind == "int" or value >= 0 else f"({value})"


