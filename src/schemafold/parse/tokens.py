"""A cursor over one statement's sqlglot tokens, for the translators, and the token helpers
every other reader of SQL text shares (a token's name, a dotted name).

Owns: reading keywords, identifiers, qualified names, parenthesised groups and top-level comma
lists from sqlglot's PostgreSQL tokens, and slicing the *original text* between token offsets so
that everything rendered later is exactly what the history wrote.

Must not know: what any statement means, or the schema state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import ClassVar

from sqlglot.dialects.postgres import Postgres
from sqlglot.tokenizer_core import Token, TokenType

from schemafold.errors import InputError
from schemafold.names import QName, fold_identifier

__all__ = [
    "Cursor",
    "StatementTokenizer",
    "Token",
    "TokenType",
    "dotted_name",
    "identifier_of",
    "identifiers_in",
    "is_string",
    "is_word",
    "leading_name",
    "tokenize",
    "word",
]


class StatementTokenizer(Postgres.Tokenizer):
    """sqlglot's PostgreSQL tokenizer without its "command" mode, which folds the rest of a
    statement starting with DO, CALL, LOCK, VACUUM, REFRESH ... into one string token with wrong
    offsets. Every token keeps offsets into the original text."""

    COMMANDS: ClassVar[set[TokenType]] = set()


_DIALECT = Postgres()
_WORD = re.compile(r"\S+")

_OPEN = {TokenType.L_PAREN, TokenType.L_BRACKET}
_CLOSE = {TokenType.R_PAREN, TokenType.R_BRACKET}
_STRINGS = {
    TokenType.STRING,
    TokenType.HEREDOC_STRING,
    TokenType.NATIONAL_STRING,
    TokenType.BYTE_STRING,
    TokenType.BIT_STRING,
    TokenType.HEX_STRING,
    TokenType.RAW_STRING,
    TokenType.UNICODE_STRING,
}


def tokenize(text: str) -> list[Token]:
    """sqlglot's tokens, with multi-word key words ("PRIMARY KEY", "DOUBLE PRECISION") split into
    one token a word, so that every handler reads words the same way."""
    tokens: list[Token] = []
    for token in StatementTokenizer(dialect=_DIALECT).tokenize(text):
        if " " in token.text and token.token_type not in _STRINGS | {TokenType.IDENTIFIER}:
            for match in _WORD.finditer(text, token.start, token.end + 1):
                tokens.append(
                    Token(
                        TokenType.VAR,
                        match.group(),
                        line=token.line + text.count("\n", token.start, match.start()),
                        col=token.col,
                        start=match.start(),
                        end=match.end() - 1,
                        comments=[],
                    )
                )
            if tokens:
                tokens[-1].comments = token.comments
        else:
            tokens.append(token)
    return tokens


def is_string(token: Token) -> bool:
    return token.token_type in _STRINGS


def is_word(token: Token) -> bool:
    """A bare word: keyword or unquoted identifier (sqlglot types keywords individually)."""
    return token.token_type not in _STRINGS and token.token_type not in (
        TokenType.IDENTIFIER,
        TokenType.NUMBER,
        TokenType.L_PAREN,
        TokenType.R_PAREN,
        TokenType.COMMA,
        TokenType.DOT,
        TokenType.SEMICOLON,
        TokenType.L_BRACKET,
        TokenType.R_BRACKET,
    ) and bool(token.text) and (token.text[0].isalpha() or token.text[0] == "_")


def word(token: Token) -> str:
    """The upper-cased text of a bare word, or "" for anything else."""
    return token.text.upper() if is_word(token) else ""


def identifier_of(token: Token) -> str | None:
    """The name a token spells: a quoted identifier as written, a bare word folded to lower
    case; None for anything else (strings, numbers, punctuation)."""
    if token.token_type == TokenType.IDENTIFIER:
        return token.text
    if is_word(token):
        return token.text.lower()
    return None


def identifiers_in(text: str) -> set[str]:
    """Every name ``text`` spells (:func:`identifier_of` of each token)."""
    return {n for t in tokenize(text) if (n := identifier_of(t)) is not None}


def dotted_name(tokens: Sequence[Token], start: int) -> tuple[list[str], int]:
    """The parts of the dotted name starting at ``tokens[start]`` (``a``, ``s.a``, ``db.s.a``)
    and the index just after it; no parts (and ``start``) when no name starts there."""
    first = identifier_of(tokens[start]) if start < len(tokens) else None
    if first is None:
        return [], start
    parts = [first]
    end = start + 1
    while end + 1 < len(tokens) and tokens[end].token_type == TokenType.DOT:
        part = identifier_of(tokens[end + 1])
        if part is None:
            break
        parts.append(part)
        end += 2
    return parts, end


def leading_name(tokens: Sequence[Token], start: int = 0) -> QName | None:
    """The (possibly qualified) name starting at ``tokens[start]``, or None."""
    parts, _ = dotted_name(tokens, start)
    return QName.from_parts(parts) if parts else None


class Cursor:
    """Reads one statement's tokens left to right. Offsets are into ``text``."""

    def __init__(self, text: str, *, file: str = "<sql>", line: int = 1) -> None:
        self.text = text
        self.file = file
        self.line = line
        self.tokens = tokenize(text)
        self.pos = 0

    # -- looking ------------------------------------------------------------------------------

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def peek(self, ahead: int = 0) -> Token | None:
        i = self.pos + ahead
        return self.tokens[i] if i < len(self.tokens) else None

    def peek_word(self, ahead: int = 0) -> str:
        token = self.peek(ahead)
        return word(token) if token is not None else ""

    def at(self, *words: str) -> bool:
        """True when the next tokens are exactly these words (case-insensitive)."""
        return all(self.peek_word(i) == w for i, w in enumerate(words))

    def at_type(self, token_type: TokenType, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token is not None and token.token_type == token_type

    # -- consuming ----------------------------------------------------------------------------

    def next(self) -> Token:
        token = self.peek()
        if token is None:
            raise self.error("unexpected end of statement")
        self.pos += 1
        return token

    def accept(self, *words: str) -> bool:
        if self.at(*words):
            self.pos += len(words)
            return True
        return False

    def expect(self, *words: str) -> None:
        if not self.accept(*words):
            found = self.peek()
            raise self.error(
                f"expected {' '.join(words)}, found {found.text if found else 'end of statement'}"
            )

    def accept_type(self, token_type: TokenType) -> Token | None:
        if self.at_type(token_type):
            return self.next()
        return None

    def accept_any(self, *words: str) -> str:
        """Consume and return the first of ``words`` that is next, or ""."""
        w = self.peek_word()
        if w and w in words:
            self.pos += 1
            return w
        return ""

    def if_not_exists(self) -> bool:
        return self.accept("IF", "NOT", "EXISTS")

    def if_exists(self) -> bool:
        return self.accept("IF", "EXISTS")

    def identifier(self) -> str:
        """One identifier, folded (quoted identifiers keep their case)."""
        token = self.next()
        if token.token_type == TokenType.IDENTIFIER:
            return token.text
        if is_word(token):
            return fold_identifier(token.text, False)
        raise self.error(f"expected a name, found {token.text!r}", token)

    def qname(self) -> QName:
        """A possibly qualified name: ``a``, ``s.a``, ``db.s.a`` (the database part dropped)."""
        parts = [self.identifier()]
        while self.at_type(TokenType.DOT):
            self.pos += 1
            parts.append(self.identifier())
        return QName.from_parts(parts)

    def qname_list(self) -> list[QName]:
        names = [self.qname()]
        while self.accept_type(TokenType.COMMA):
            names.append(self.qname())
        return names

    def identifier_list(self) -> list[str]:
        names = [self.identifier()]
        while self.accept_type(TokenType.COMMA):
            names.append(self.identifier())
        return names

    def string(self) -> str:
        token = self.next()
        if not is_string(token):
            raise self.error(f"expected a string, found {token.text!r}", token)
        return token.text

    def number(self) -> int:
        negative = False
        if self.at_type(TokenType.DASH):
            self.pos += 1
            negative = True
        elif self.at_type(TokenType.PLUS):
            self.pos += 1
        token = self.next()
        if token.token_type != TokenType.NUMBER:
            raise self.error(f"expected a number, found {token.text!r}", token)
        value = int(token.text)
        return -value if negative else value

    # -- groups and slices --------------------------------------------------------------------

    def group(self) -> tuple[int, int]:
        """Consume a parenthesised group; return the token index range *inside* it."""
        if not self.at_type(TokenType.L_PAREN):
            found = self.peek()
            raise self.error(f"expected '(', found {found.text if found else 'end of statement'}")
        start = self.pos + 1
        depth = 0
        while not self.at_end():
            token = self.next()
            if token.token_type in _OPEN:
                depth += 1
            elif token.token_type in _CLOSE:
                depth -= 1
                if depth == 0:
                    return start, self.pos - 1
        raise self.error("unbalanced parentheses")

    def group_text(self) -> str:
        """Consume a parenthesised group and return the text inside the parentheses."""
        first, last = self.group()
        return self.slice(first, last)

    def skip_to(self, *stop_words: str, stop_types: Iterable[TokenType] = ()) -> tuple[int, int]:
        """Advance to the first top-level token that is one of ``stop_words`` (or types) or the
        end; return the token index range consumed."""
        stops = set(stop_types)
        start = self.pos
        depth = 0
        while not self.at_end():
            token = self.tokens[self.pos]
            if depth == 0 and (word(token) in stop_words or token.token_type in stops):
                break
            if token.token_type in _OPEN:
                depth += 1
            elif token.token_type in _CLOSE:
                if depth == 0:
                    break
                depth -= 1
            self.pos += 1
        return start, self.pos

    def slice(self, first: int, last: int) -> str:
        """Original text from token ``first`` up to (not including) token ``last``."""
        if first >= last:
            return ""
        return self.text[self.tokens[first].start : self.tokens[last - 1].end + 1]

    def rest(self) -> str:
        text = self.slice(self.pos, len(self.tokens))
        self.pos = len(self.tokens)
        return text

    def split_top_level(self, first: int, last: int) -> list[tuple[int, int]]:
        """Token index ranges between top-level commas in ``[first, last)``."""
        parts: list[tuple[int, int]] = []
        depth = 0
        begin = first
        for i in range(first, last):
            token_type = self.tokens[i].token_type
            if token_type in _OPEN:
                depth += 1
            elif token_type in _CLOSE:
                depth -= 1
            elif token_type == TokenType.COMMA and depth == 0:
                parts.append((begin, i))
                begin = i + 1
        if begin < last:
            parts.append((begin, last))
        return parts

    def sub(self, first: int, last: int) -> Cursor:
        """A cursor over tokens ``[first, last)`` of this statement (same text and offsets)."""
        cursor = Cursor.__new__(Cursor)
        cursor.text = self.text
        cursor.file = self.file
        cursor.line = self.line
        cursor.tokens = self.tokens[first:last]
        cursor.pos = 0
        return cursor

    # -- errors -------------------------------------------------------------------------------

    def error(self, message: str, token: Token | None = None) -> InputError:
        token = token or self.peek() or (self.tokens[-1] if self.tokens else None)
        line = self.line + (self.text.count("\n", 0, token.start) if token is not None else 0)
        excerpt = self.text
        if token is not None:
            line_start = self.text.rfind("\n", 0, token.start) + 1
            line_end = self.text.find("\n", token.start)
            excerpt = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        return InputError(message, file=self.file, line=line, text=excerpt)
