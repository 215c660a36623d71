"""A cursor over one statement's sqlglot tokens, for the translators, and the token helpers
every other reader of SQL text shares (a token's name, a dotted name).

Owns: reading keywords, identifiers, qualified names, parenthesised groups and top-level comma
lists from sqlglot's PostgreSQL tokens, and slicing the *original text* between token offsets so
that everything rendered later is exactly what the history wrote.

Must not know: what any statement means, or the schema state.
"""

from __future__ import annotations

import functools
import re
import threading
import types
from collections import deque
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import TokenError
from sqlglot.tokenizer_core import Token

if TYPE_CHECKING:
    from sqlglot.tokenizer_core import TokenType

    from schemafold.plpgsql.syntax import Outer
else:
    from sqlglot.tokenizer_core import TokenType as _TokenTypeEnum

    #: sqlglot's ``TokenType`` members (the same objects: ``==``, ``is``, hashing and sets are
    #: unchanged) as plain attributes. ``TokenType`` is an ``IntEnum``, and on Python 3.11
    #: reading a member from it (``TokenType.COMMA``) costs about six times a plain attribute;
    #: every reader of SQL here reads one for most tokens, several times. Every module takes
    #: ``TokenType`` from here.
    TokenType = types.SimpleNamespace(**_TokenTypeEnum.__members__)

from schemafold.errors import InputError
from schemafold.names import (
    NAME_BYTES,
    QName,
    fold_case,
    fold_identifier,
    truncate_identifier,
)

__all__ = [
    "Cursor",
    "StatementTokenizer",
    "Token",
    "TokenType",
    "blank_comments",
    "dotted_name",
    "has_word",
    "identifier_of",
    "identifiers_in",
    "is_string",
    "is_word",
    "leading_name",
    "tokenize",
    "tokenize_statement",
    "word",
]


class StatementTokenizer(Postgres.Tokenizer):
    """sqlglot's PostgreSQL tokenizer without its "command" mode, which folds the rest of a
    statement starting with DO, CALL, LOCK, VACUUM, REFRESH ... into one string token with wrong
    offsets. Every token keeps offsets into the original text."""

    COMMANDS: ClassVar[set[TokenType]] = set()


_DIALECT = Postgres()
#: The token types ``Cursor.end_error`` and ``punctuation_error`` compare each token with, as
#: plain module names (the same objects): reading ``TokenType.X`` is an attribute lookup.
_BACKSLASH = TokenType.BACKSLASH
_COLON = TokenType.COLON
_COMMA = TokenType.COMMA
_DCOLON = TokenType.DCOLON
_DOT = TokenType.DOT
_IDENTIFIER = TokenType.IDENTIFIER
_L_BRACKET = TokenType.L_BRACKET
_L_PAREN = TokenType.L_PAREN
_NUMBER = TokenType.NUMBER
_R_BRACKET = TokenType.R_BRACKET
_R_PAREN = TokenType.R_PAREN
_SEMICOLON = TokenType.SEMICOLON
_WORD = re.compile(r"\S+")
#: Quoted literals that may not follow one another on one line.
_QUOTED = {TokenType.STRING, TokenType.NATIONAL_STRING, TokenType.BYTE_STRING,
           TokenType.UNICODE_STRING}
#: The tokens ``Cursor.end_error``'s rules about two tokens in a row look after: a quoted
#: literal or a number.
_AFTER_A_CONSTANT = frozenset(_QUOTED | {TokenType.NUMBER})
#: Tokens no statement can end on.
_DANGLING = {TokenType.COMMA, TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.DOT,
             TokenType.EQ, TokenType.LT, TokenType.GT, TokenType.LTE, TokenType.GTE,
             TokenType.NEQ, TokenType.PLUS, TokenType.DASH, TokenType.SLASH,
             TokenType.DPIPE, TokenType.COLON, TokenType.DCOLON}

#: PostgreSQL's reserved key words that are no bare column label and that no statement ends on
#: (after AS or a ``.`` they are names). ON is not one: ``SET x = on``.
_NEVER_LAST = frozenset({
    "AS", "EXCEPT", "FETCH", "FROM", "GROUP", "HAVING", "INTERSECT", "INTO", "LIMIT", "OFFSET",
    "ORDER", "RETURNING", "UNION", "WHERE", "WINDOW",
})
#: Reserved key words that are never a name, so never before a ``.`` (``t CASE .name``).
_RESERVED_NOT_NAMES = frozenset({
    "SELECT", "WHERE", "CASE", "WHEN", "THEN", "ELSE", "AND", "OR", "NOT", "FROM", "ON",
    "HAVING", "IN", "IS", "LIKE", "ILIKE", "RETURNING",
})
#: Operators and punctuation: no ``.`` follows one (``= .id``, ``s *.code``: a ``*`` follows
#: a ``.`` in ``t.*``), none follows a ``.``.
_OPERATORS = {TokenType.EQ, TokenType.NEQ, TokenType.LT, TokenType.GT, TokenType.LTE,
              TokenType.GTE, TokenType.PLUS, TokenType.DASH, TokenType.SLASH, TokenType.DPIPE,
              TokenType.DCOLON, TokenType.COLON_EQ, TokenType.MOD}
_NOT_BEFORE_DOT = _OPERATORS | {TokenType.COMMA, TokenType.L_PAREN, TokenType.L_BRACKET,
                                TokenType.SEMICOLON, TokenType.STAR}
_NOT_AFTER_DOT = _OPERATORS | {TokenType.COMMA, TokenType.R_PAREN, TokenType.R_BRACKET,
                               TokenType.SEMICOLON}
#: What cannot follow a comma: an empty list item.
_AFTER_NO_COMMA = {TokenType.COMMA, TokenType.R_PAREN, TokenType.R_BRACKET}
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

#: Strings and quoted identifiers: tokens whose text is a quoted literal's or name's.
_QUOTED_TOKENS = frozenset(_STRINGS | {TokenType.IDENTIFIER})

_LEXEME = re.compile(r"""
      (?P<line>--[^\n\r]*)
    | (?P<block>/\*)
    | (?P<dollar>\$(?:[^\W\d$][\w]*)?\$)
    | (?P<escape>[eE]')
    | (?P<quote>')
    | (?P<ident>")
    | (?P<word>[^\W\d][\w$]*|\d[\w$]*)
    """, re.VERBOSE)
_COMMENT_MARK = re.compile(r"/\*|\*/")
_ESCAPE_STRING_END = re.compile(r"(?:[^'\\]|''|\\.)*'(?!')", re.DOTALL)
_NOT_BLANK = re.compile(r"[^\r\n]")


def blank_comments(text: str) -> str:
    """``text`` with every ``--`` and block comment replaced by spaces (line breaks kept, so
    offsets and line numbers do not move), found by PostgreSQL's rules: block comments nest
    (``/* a /* b */ */`` is one comment), and nothing inside a string, a quoted identifier or a
    dollar quote is a comment. sqlglot's tokenizer misreads some nested comments (it rejects
    ``/* a /* b */*/`` and reads ``/*/**/*/`` as a comment followed by ``*/``), so it is given
    text without comments. An unterminated quote or comment is left as it is, for the
    tokenizer to report."""
    if "--" not in text and "/*" not in text:
        return text
    spans: list[tuple[int, int]] = []
    pos = 0
    size = len(text)
    while pos < size:
        match = _LEXEME.search(text, pos)
        if match is None:
            break
        kind = match.lastgroup
        if kind == "word":
            pos = match.end()
        elif kind == "line":
            spans.append((match.start(), match.end()))
            pos = match.end()
        elif kind == "block":
            end = _nested_comment_end(text, match.start())
            if end < 0:
                break
            spans.append((match.start(), end))
            pos = end
        elif kind == "dollar":
            close = text.find(match.group(), match.end())
            if close < 0:
                break
            pos = close + len(match.group())
        else:
            closing = {"escape": _ESCAPE_STRING_END, "quote": _STRING_END_ANY,
                       "ident": _IDENT_END_ANY}[kind or ""]
            end = _quoted_end(closing, text, match.end(), kind == "escape")
            if end < 0:
                break
            pos = end
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(_NOT_BLANK.sub(" ", text[start:end]))
        last = end
    parts.append(text[last:])
    return "".join(parts)


_STRING_END_ANY = re.compile(r"''|'")
_IDENT_END_ANY = re.compile(r'""|"')


def _quoted_end(closing: re.Pattern[str], text: str, start: int, escapes: bool) -> int:
    """The end of a quoted string or identifier whose body starts at ``start`` (-1: never)."""
    if escapes:
        match = closing.match(text, start)
        return match.end() if match else -1
    for mark in closing.finditer(text, start):
        if len(mark.group()) == 1:
            return mark.end()
    return -1


def _nested_comment_end(text: str, start: int) -> int:
    """The end of the (nested) block comment opening at ``start`` (-1: it never closes)."""
    depth = 0
    for mark in _COMMENT_MARK.finditer(text, start):
        if mark.group() == "/*":
            depth += 1
        else:
            depth -= 1
            if not depth:
                return mark.end()
    return -1


#: The tokens of the texts tokenized last, most recent last: the parser, the folder, the
#: planner and the renderer each read the same statement, default or body again, and
#: tokenizing is most of what reading costs. Bounded in entries and in characters.
_CACHE: dict[str, list[Token]] = {}
#: the cache's texts, oldest first: ``next(iter(_CACHE))`` after many evictions walks the
#: dict's deleted slots first (a cost that grew with the history)
_CACHE_ORDER: deque[str] = deque()
_CACHE_ENTRIES = 2048
_CACHE_CHARS = 16_000_000
_cached_chars = 0
_CACHE_LOCK = threading.Lock()


_LOCAL = threading.local()


def _tokenizer() -> StatementTokenizer:
    """This thread's tokenizer, made once: making one costs as much as tokenizing a short
    statement, and the fold tokenizes thousands of defaults, bodies and statements. (Each
    ``tokenize`` starts afresh and returns a new list, so reusing it shares nothing.)"""
    tokenizer: StatementTokenizer | None = getattr(_LOCAL, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _LOCAL.tokenizer = StatementTokenizer(dialect=_DIALECT)
    return tokenizer


def tokenize(text: str) -> list[Token]:
    """sqlglot's tokens, with multi-word key words ("PRIMARY KEY", "DOUBLE PRECISION") split into
    one token a word, so that every handler reads words the same way. Comments are not read
    (see :func:`blank_comments`); a token's ``comments`` is always empty. Raises sqlglot's
    ``TokenError`` on text PostgreSQL cannot tokenize either (an unterminated quote, a stray
    ``$``).

    The list is the caller's to change; the tokens are shared, and must not be changed."""
    cached = _CACHE.get(text)
    if cached is None:
        cached = _words(text, _tokenizer().tokenize(blank_comments(text)))
        _remember(text, cached)
    return list(cached)


def remember(text: str, tokens: list[Token]) -> None:
    """Take ``tokens`` (sqlglot's, with offsets into ``text``, as the splitter read them) as the
    tokens of ``text``, so that ``tokenize(text)`` does not read it again."""
    if text not in _CACHE:
        _remember(text, _words(text, tokens))


def forget_tokens() -> None:
    """Empty the token cache, as a fresh process has it. The benchmark calls it before each
    timed fold: folding the same small history again in one process would otherwise find
    every statement's tokens remembered from the run before, while a large one's have been
    evicted, and the two would not be timed alike."""
    global _cached_chars
    with _CACHE_LOCK:
        _CACHE.clear()
        _CACHE_ORDER.clear()
        _cached_chars = 0


def _remember(text: str, tokens: list[Token]) -> None:
    global _cached_chars
    if len(text) > _CACHE_CHARS:
        return
    with _CACHE_LOCK:
        if text in _CACHE:
            return
        _CACHE[text] = tokens
        _CACHE_ORDER.append(text)
        _cached_chars += len(text)
        while len(_CACHE) > _CACHE_ENTRIES or _cached_chars > _CACHE_CHARS:
            oldest = _CACHE_ORDER.popleft()
            del _CACHE[oldest]
            _cached_chars -= len(oldest)


_UNICODE_ESCAPE = re.compile(r"\\(?:\+([0-9A-Fa-f]{6})|([0-9A-Fa-f]{4})|\\)")


def _unescape(match: re.Match[str], *, escape: str) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else escape


def _unicode_identifiers(tokens: list[Token]) -> list[Token]:
    r"""``U&"d\0061t"`` (sqlglot reads a name ``U``, ``&`` and a quoted identifier) as the one
    quoted identifier PostgreSQL reads, its escapes decoded (``\XXXX``, ``\+XXXXXX``, and
    another escape character given by ``UESCAPE '!'``)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.token_type == TokenType.VAR and token.text in ("U", "u") and \
                i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.AMP and \
                tokens[i + 2].token_type == TokenType.IDENTIFIER and \
                tokens[i + 1].start == token.end + 1 and tokens[i + 2].start == token.end + 2:
            quoted = tokens[i + 2]
            end, escape, i = quoted.end, "\\", i + 3
            if i + 1 < len(tokens) and word(tokens[i]) == "UESCAPE" and \
                    tokens[i + 1].token_type == TokenType.STRING and len(tokens[i + 1].text) == 1:
                escape, end, i = tokens[i + 1].text, tokens[i + 1].end, i + 2
            pattern = _UNICODE_ESCAPE if escape == "\\" else re.compile(
                re.escape(escape) + r"(?:\+([0-9A-Fa-f]{6})|([0-9A-Fa-f]{4})|" + re.escape(escape)
                + ")")
            decoded = pattern.sub(functools.partial(_unescape, escape=escape), quoted.text)
            out.append(Token(TokenType.IDENTIFIER, truncate_identifier(decoded),
                             line=token.line, col=token.col, start=token.start, end=end,
                             comments=[]))
            continue
        out.append(token)
        i += 1
    return out


#: The most characters a name has that cannot be longer than PostgreSQL keeps (63 bytes).
_SHORT_NAME = NAME_BYTES // 4


def _as_stored(token: Token) -> Token:
    """A name's token with the text PostgreSQL keeps of it (its first 63 bytes): the offsets
    still span what the history wrote. A bare word with a character beyond ASCII is no key
    word (``ſelect``, which sqlglot reads as SELECT because ``"ſ".upper()`` is ``"S"``): it
    becomes the quoted name PostgreSQL folds it to (only ASCII letters to lower case), which no
    reader that folds with ``str.lower`` or compares with ``str.upper`` would keep."""
    kind, text = token.token_type, token.text
    if kind != _IDENTIFIER and not text.isascii():
        kind, text = _IDENTIFIER, fold_case(text)
    text = truncate_identifier(text)
    if text == token.text and kind == token.token_type:
        return token
    return Token(kind, text, line=token.line, col=token.col, start=token.start,
                 end=token.end, comments=token.comments)


def _words(text: str, raw: Iterable[Token]) -> list[Token]:
    """``raw`` with each multi-word key word split into one token a word (and each ``U&"..."``
    one quoted identifier)."""
    tokens: list[Token] = []
    for token in raw:
        if " " in token.text and token.token_type not in _QUOTED_TOKENS:
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
        elif (len(token.text) > _SHORT_NAME or not token.text.isascii()) and (
                token.token_type == _IDENTIFIER or is_word(token)):
            tokens.append(_as_stored(token))
        else:
            tokens.append(token)
    # an & token is an "&" of the text: without one, no token need be read
    if "&" in text and any(t.token_type == TokenType.AMP for t in tokens):
        return _unicode_identifiers(tokens)
    return tokens


def tokenize_statement(text: str, *, file: str, line: int) -> list[Token]:
    """:func:`tokenize` for a statement of ``file`` starting on ``line``: text that cannot be
    tokenized is an ``InputError`` naming the line where the tokenizer stopped, as PostgreSQL
    names it (``syntax error at or near "$"``, ``unterminated quoted string``)."""
    cached = _CACHE.get(text)
    if cached is not None:
        return list(cached)
    tokenizer = _tokenizer()
    try:
        tokens = _words(text, tokenizer.tokenize(blank_comments(text)))
        _remember(text, tokens)
        return list(tokens)
    except TokenError:
        good = tokenizer.tokens
        at = good[-1].end + 1 if good else 0
        while at < len(text) and text[at].isspace():
            at += 1
        rest = text[at:]
        if rest.startswith("/*"):
            message = "unterminated /* comment"
        elif _DOLLAR_OPEN.match(rest):
            message = "unterminated dollar-quoted string"
        elif rest[:1] == '"' or rest[:3].upper() == 'U&"':
            message = "unterminated quoted identifier"
        elif rest[:1] == "'" or rest[1:2] == "'" or rest[:3].upper() == "U&'":
            message = "unterminated quoted string"
        else:
            near = _NEAR.match(rest)
            message = f"syntax error at or near \"{near.group() if near else rest[:1]}\""
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        raise InputError(message, file=file, line=line + text.count("\n", 0, at),
                         text=text[line_start:line_end if line_end >= 0 else len(text)]
                         ) from None


#: Control characters PostgreSQL's scanner reads as neither whitespace nor part of a name.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
def _json_word(tokens: Sequence[Token], at: int) -> bool:
    """Whether ``tokens[at]`` starts ``json``, ``jsonb`` or ``pg_catalog.json[b]``, not an
    array of it; the index after the name is not checked beyond ``[``."""
    if at < len(tokens) and identifier_of(tokens[at]) == "pg_catalog" and at + 2 < len(tokens) \
            and tokens[at + 1].token_type == TokenType.DOT:
        at += 2
    if at >= len(tokens) or identifier_of(tokens[at]) not in ("json", "jsonb") or \
            tokens[at].token_type == TokenType.IDENTIFIER:
        return False
    after = tokens[at + 1] if at + 1 < len(tokens) else None
    return after is None or (after.token_type != TokenType.L_BRACKET and word(after) != "ARRAY"
                             and after.token_type != TokenType.DOT)


def _json_cast_after(tokens: Sequence[Token], i: int) -> bool:
    """``'...'::json[b]`` or ``CAST('...' AS json[b])`` at the string ``tokens[i]``."""
    if i + 2 < len(tokens) and tokens[i + 1].token_type == TokenType.DCOLON:
        return _json_word(tokens, i + 2)
    return (i >= 2 and tokens[i - 1].token_type == TokenType.L_PAREN
            and word(tokens[i - 2]) == "CAST" and i + 2 < len(tokens)
            and word(tokens[i + 1]) == "AS" and _json_word(tokens, i + 2))


def _json_type_before(tokens: Sequence[Token], i: int) -> bool:
    """``json '...'`` or ``jsonb '...'`` (a typed constant) at the string ``tokens[i]``."""
    if i < 1 or word(tokens[i - 1]) not in ("JSON", "JSONB"):
        return False
    start = i - 1
    if start >= 2 and tokens[start - 1].token_type == TokenType.DOT:
        if identifier_of(tokens[start - 2]) != "pg_catalog":
            return False
        start -= 2
    if start == 0:
        return True
    before = tokens[start - 1]
    # after ::, AS, a name or a constant, json is a type's or a label's word, not a constant's
    return before.token_type not in (TokenType.DCOLON, TokenType.DOT) and \
        word(before) not in ("AS", "IS", "FORMAT") and before.token_type not in _QUOTED


_BACKSLASH_ESCAPE = re.compile(
    r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _backslash_escapes(text: str) -> str | None:
    """A string constant's text as PostgreSQL reads it with ``standard_conforming_strings``
    off (as an ``E'...'`` string: ``\\n`` a line break, ``\\101`` an ``A``, ``\\s`` an
    ``s``); None where that reading is in doubt or an error of its own (a zero byte, a
    surrogate, ``\\u`` without four digits, a backslash ending the text)."""
    doubt = False

    def one(found: re.Match[str]) -> str:
        nonlocal doubt
        octal, byte, short, long, other = found.groups()
        if other is not None:
            doubt = doubt or other in "uU"
            return _SIMPLE_ESCAPES.get(other, other)
        code = int(octal, 8) if octal is not None else int(byte or short or long, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or (
                code > 0x7F and (octal is not None or byte is not None)):
            doubt = True  # (a byte beyond ASCII is part of a UTF-8 sequence)
            return ""
        return chr(code)

    if (len(text) - len(text.rstrip("\\"))) % 2:
        return None
    read = _BACKSLASH_ESCAPE.sub(one, text)
    return None if doubt else read


def _json_syntax(text: str) -> bool:
    """Whether ``text`` is JSON as Python's strict reader takes it (``NaN`` and ``Infinity``
    refused, as PostgreSQL refuses them); True where the reader gives up for another reason
    (nesting too deep)."""
    import json

    def refuse(constant: str) -> object:
        raise ValueError(constant)

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError:  # JSONDecodeError is one
        return False
    except RecursionError:
        return True
    return True


def _name_syntax(text: str) -> bool:
    """Whether PostgreSQL reads ``text`` as a (dotted) name, as its SplitIdentifierString
    does: names apart by ``.``, blanks around them, a name either ``"quoted"`` or a run of
    anything but blanks and ``.``; no empty name."""
    blanks = " \t\n\r\f\v"
    at, size = 0, len(text)
    while True:
        while at < size and text[at] in blanks:
            at += 1
        if at < size and text[at] == '"':
            at += 1
            while True:
                close = text.find('"', at)
                if close < 0:
                    return False
                at = close + 1
                if text.startswith('"', at):
                    at += 1
                    continue
                break
        else:
            start = at
            while at < size and text[at] != "." and text[at] not in blanks:
                at += 1
            if at == start:
                return False
        while at < size and text[at] in blanks:
            at += 1
        if at == size:
            return True
        if text[at] != ".":
            return False
        at += 1


_DOLLAR_OPEN = re.compile(r"\$(?:[^\W\d$]\w*)?\$")
_NEAR = re.compile(r"\w+|\S")


def is_string(token: Token) -> bool:
    return token.token_type in _STRINGS


_NOT_WORDS = frozenset(_STRINGS | {
    TokenType.IDENTIFIER,
    TokenType.NUMBER,
    TokenType.L_PAREN,
    TokenType.R_PAREN,
    TokenType.COMMA,
    TokenType.DOT,
    TokenType.SEMICOLON,
    TokenType.L_BRACKET,
    TokenType.R_BRACKET,
})


def is_word(token: Token) -> bool:
    """A bare word: keyword or unquoted identifier (sqlglot types keywords individually). A
    character beyond ASCII may start a name, as a letter does (``€uro``, ``😀``: PostgreSQL's
    scanner takes any byte above 0x7F into a name)."""
    text = token.text
    return token.token_type not in _NOT_WORDS and bool(text) and (
        text[0].isalpha() or text[0] == "_" or text[0] > "\x7f")


def word(token: Token) -> str:
    """The upper-cased text of a bare word, or "" for anything else."""
    # is_word, inlined: this runs for most tokens of every statement, several times
    text = token.text
    if text and (text[0].isalpha() or text[0] == "_" or text[0] > "\x7f") and \
            token.token_type not in _NOT_WORDS:
        return text.upper()
    return ""


def has_word(tokens: Iterable[Token], upper: str) -> bool:
    """Whether any of ``tokens`` is the bare word ``upper`` (upper case): ``word(t) == upper``
    for some token, comparing the text before asking what kind of token it is."""
    return any(t.text.upper() == upper and is_word(t) for t in tokens)


def identifier_of(token: Token) -> str | None:
    """The name a token spells: a quoted identifier as written, a bare word folded to lower
    case; None for anything else (strings, numbers, punctuation)."""
    if token.token_type == TokenType.IDENTIFIER:
        return token.text
    if is_word(token):
        return fold_case(token.text)
    return None


def identifiers_in(text: str) -> set[str]:
    """Every name ``text`` spells (:func:`identifier_of` of each token). Text the tokenizer
    cannot read (a kept ``COPY``'s rows are data, not SQL: ``U&'`` in a row) gives every word
    and quoted name in it, more names than it spells, never fewer."""
    try:
        tokens = tokenize(text)
    except TokenError:
        return {m.group(1) if m.group(1) is not None else m.group(2).lower()
                for m in _ANY_NAME.finditer(text)}
    return {n for t in tokens if (n := identifier_of(t)) is not None}


_ANY_NAME = re.compile(r'"((?:[^"]|"")*)"|([^\W\d][\w$]*)')


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
        self.tokens = tokenize_statement(text, file=file, line=line)
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
        tokens, pos = self.tokens, self.pos
        for i, w in enumerate(words):
            if pos + i >= len(tokens):
                if w != "":
                    return False
            elif word(tokens[pos + i]) != w:
                return False
        return True

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

    def group_identifiers(self) -> list[str]:
        """A parenthesised list of names, ``(a, "B", c)``, and nothing else inside."""
        inner = self.sub(*self.group())
        names = inner.identifier_list()
        if not inner.at_end():
            raise inner.error(f"syntax error at or near \"{inner.tokens[inner.pos].text}\"")
        return names

    def _written(self, token: Token) -> str:
        return self.text[token.start:token.end + 1]

    def end_error(self) -> InputError | None:
        """The syntax error PostgreSQL finds in a whole statement whatever it is, or None: a
        ``$`` that is not a parameter (``$1``), a parameter outside ``PREPARE`` (no value is
        ever sent for it), two literals in a row (``'PT' 'Portugal'`` on one line, ``4 2``),
        the misplaced punctuation of :meth:`punctuation_error`, and a statement that ends in
        the middle of an expression (on a comma, an opening parenthesis or a binary operator;
        PostgreSQL 14 and later have no postfix operators; ``AND``/``OR`` may end a select list
        as a column label)."""
        error = self.punctuation_error(parameters=False) or self.regclass_error() or \
            self.json_literal_error()
        if error is not None:
            return error
        from schemafold.parse.query_syntax import query_error

        found = query_error(self.tokens, self.error) or _colon_error(self)
        if found is not None:
            return found
        for i, (before, token) in enumerate(zip(self.tokens, self.tokens[1:], strict=False),
                                            start=1):
            if before.token_type not in _AFTER_A_CONSTANT:
                continue  # every rule below starts with a string or a number (most tokens are not)
            if before.token_type in _QUOTED and token.token_type in _QUOTED and \
                    "\n" not in self.text[before.end + 1:token.start]:
                # 'a' 'b' is one string only with a line break between
                return self.error(f"syntax error at or near \"{self._written(token)}\"", token)
            if before.token_type == _NUMBER and token.token_type == _NUMBER \
                    and token.start > before.end + 1:
                return self.error(f"syntax error at or near \"{token.text}\"", token)
            if _trailing_junk(before, token, self.text):
                return self.error("trailing junk after numeric literal at or near "
                                  f"\"{before.text}{token.text}\"", before)
            if before.token_type == _NUMBER and token.token_type == _DOT and \
                    token.start > before.end + 1 and i + 1 < len(self.tokens) and \
                    self.tokens[i + 1].token_type == _NUMBER and \
                    self.tokens[i + 1].start == token.end + 1 and \
                    self.tokens[i + 1].text[:1].isdigit():
                # 10 /* x */ .50: a number apart from .50, another number (10.50 is one)
                return self.error(f"syntax error at or near \".{self.tokens[i + 1].text}\"",
                                  token)
            if (before.token_type in _QUOTED and token.token_type == _NUMBER) or (
                    before.token_type == _NUMBER and token.token_type in _QUOTED):
                # a string and a number in a row ('@' 1: a comma lost): no rule of the
                # grammar puts one right after the other
                return self.error(f"syntax error at or near \"{self._written(token)}\"", token)
        last = self.tokens[-1] if self.tokens else None
        if has_word(self.tokens, "OPERATOR"):
            return None  # an operator class or family may end on one (OPERATOR 5 >)
        if last is not None and last.token_type in _DANGLING and not (
                len(self.tokens) > 1 and word(self.tokens[-2]) == "USING"):
            # (ORDER BY a USING < names a sort operator: the query may end on it)
            if last.token_type == _COLON:  # no rule reads a lone ":" there
                return self.error('syntax error at or near ":"', last)
            return self.error("syntax error at end of input", last)
        if last is not None and word(last) == "BY" and len(self.tokens) > 1 and \
                word(self.tokens[-2]) in ("GROUP", "ORDER", "PARTITION"):
            # ... GROUP BY, a file cut short: the list that follows is missing
            return self.error("syntax error at end of input", last)
        if last is not None and word(last) in _NEVER_LAST and (
                len(self.tokens) < 2 or (word(self.tokens[-2]) != "AS"
                                         and self.tokens[-2].token_type != _DOT)):
            # a reserved word no rule ends on, nor a bare label (... WHERE, a file cut short)
            return self.error("syntax error at end of input", last)
        return None

    def punctuation_error(self, *, parameters: bool, ranges: bool = False
                          ) -> InputError | None:
        """The syntax error PostgreSQL's scanner or grammar finds in any SQL or PL/pgSQL text
        (a statement, a function's body, a DO block's), whatever the statement, or None:

        - a ``$`` that is neither a parameter (``$1``; outside ``PREPARE`` and ``CREATE
          FUNCTION``/``PROCEDURE``, whose ``BEGIN ATOMIC`` or ``RETURN`` body has them, only
          where ``parameters``, as in a function's body) nor part of a name or a dollar quote;
        - an empty list item: ``, ,``, ``, )``, ``( ,`` (no PostgreSQL syntax has one);
        - a ``;`` inside parentheses, except in ``CREATE RULE``'s action list;
        - a ``.`` after an operator, ``,`` or ``(`` (``= .id``; ``.5`` is a number), or before
          one, ``,`` or ``)`` (``p.)``; ``1..10`` in PL/pgSQL is a range, and where
          ``ranges`` (a PL/pgSQL body) its bound may be signed: ``1..-1``);
        - parentheses or brackets that do not balance, or close in the wrong order
          (``f(a[1)]``, a ``[`` left open in a function's body);
        - a ``\\`` outside a string, quoted identifier, dollar quote or comment
          (``DELETE FROM t\\ WHERE``; a psql meta-command line between statements is the
          splitter's, and never reaches a statement);
        - a control character outside a string, quoted identifier or comment (``\\x7f``,
          ``\\x1a``: PostgreSQL's scanner takes none of them as whitespace or as part of a
          name; tab, line breaks, form feed and vertical tab, which PostgreSQL 16 and later
          take as whitespace, are left alone)."""
        error = self._control_error()
        if error is not None:
            return error
        tokens = self.tokens
        words = [word(t) for t in tokens]  # each token's word, read once
        lead = words[:4]
        # PREPARE's query, and a routine's SQL-standard body (BEGIN ATOMIC ... END, RETURN
        # expr), read $1 as the first parameter
        prepare = lead[:1] == ["PREPARE"] or (lead[:1] == ["CREATE"] and (
            lead[1:2] in (["FUNCTION"], ["PROCEDURE"])
            or lead[1:4] in (["OR", "REPLACE", "FUNCTION"], ["OR", "REPLACE", "PROCEDURE"])))
        rule = "RULE" in words  # has_word(tokens, "RULE")
        # an operator's qualified name (schema.===) in the statements that name operators
        operator_ddl = lead[:1] in (["CREATE"], ["ALTER"], ["DROP"], ["COMMENT"]) and \
            "OPERATOR" in words
        depth = 0
        opened: list[TokenType] = []  # ( and [ not closed yet, innermost last
        for i, token in enumerate(tokens):
            kind = token.token_type
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            before = tokens[i - 1] if i else None
            if kind == _BACKSLASH:
                # PostgreSQL's scanner reads a lone \ as a character no rule takes; psql's
                # meta-commands are lines of their own, which the splitter sets apart
                return self.error('syntax error at or near "\\"', token)
            if token.text == "$" and kind not in _STRINGS | {_IDENTIFIER}:
                if after is None or after.token_type != _NUMBER or \
                        after.start != token.end + 1:
                    return self.error('syntax error at or near "$"', token)
                if not (prepare or parameters):
                    return self.error(f"there is no parameter ${after.text}", token)
            elif kind == _COMMA and after is not None and \
                    after.token_type in _AFTER_NO_COMMA:
                return self.error(f'syntax error at or near "{after.text}"', after)
            elif kind in _OPEN and after is not None and after.token_type == _COMMA:
                return self.error('syntax error at or near ","', after)
            elif kind == _SEMICOLON and depth > 0 and not rule:
                return self.error('syntax error at or near ";"', token)
            elif kind == _DCOLON and after is not None and not words[i + 1] and \
                    after.token_type != _IDENTIFIER:
                # a type name follows :: (action::) is a cast to nothing)
                return self.error(f'syntax error at or near "{after.text}"', after)
            elif words[i] == "AS" and after is not None and \
                    after.token_type in (_COMMA, _R_PAREN) and \
                    (before is None or words[i - 1] != "AS"):  # (x AS as, y: a label "as")
                return self.error(f'syntax error at or near "{after.text}"', after)
            elif kind == _DOT:
                if after is not None and after.token_type == _NUMBER and \
                        after.start == token.end + 1:
                    continue  # .5
                if i >= 3 and tokens[i - 2].token_type == _L_PAREN and \
                        words[i - 3] == "OPERATOR":
                    continue  # OPERATOR(pg_catalog.>): a qualified operator
                if operator_ddl and before is not None and (
                        words[i - 1] or before.token_type == _IDENTIFIER):
                    continue  # CREATE/ALTER/DROP/COMMENT ON OPERATOR s.===, OPERATOR 1 s.<<
                if before is None or before.token_type in _NOT_BEFORE_DOT or \
                        words[i - 1] in _RESERVED_NOT_NAMES:
                    return self.error('syntax error at or near "."', token)
                if ranges and after is not None and \
                        after.token_type in (TokenType.DASH, TokenType.PLUS) and \
                        before.end + 1 == token.start and (
                            before.token_type == TokenType.DOT or (
                                before.token_type == TokenType.NUMBER
                                and before.text.endswith("."))):
                    continue  # PL/pgSQL's FOR i IN 1..-1: a range's upper bound, signed
                if after is None or after.token_type in _NOT_AFTER_DOT:
                    return self.error(
                        f'syntax error at or near "{after.text if after else "."}"',
                        after or token)
            if kind == _L_PAREN:
                depth += 1
                opened.append(kind)
            elif kind == _R_PAREN:
                depth -= 1
                if depth < 0 or opened.pop() != _L_PAREN:
                    return self.error('syntax error at or near ")"', token)
            elif kind == _L_BRACKET:
                opened.append(kind)
            elif kind == _R_BRACKET and (
                    not opened or opened.pop() != _L_BRACKET):
                return self.error('syntax error at or near "]"', token)
        if opened:
            return self.error("syntax error at end of input", tokens[-1])
        return None

    def regclass_error(self) -> InputError | None:
        """A relation's name given as a string where PostgreSQL reads it as one when it
        analyzes the statement (``nextval('...')``, ``setval``, ``currval``, ``'...'::regclass``)
        that is no name: PostgreSQL's ``invalid name syntax`` (``' BEGIN ATOMIC public.s'``:
        words apart; an empty name)."""
        tokens = self.tokens
        for i, token in enumerate(tokens):
            if token.token_type != TokenType.STRING or \
                    not self.text.startswith("'", token.start):
                continue
            before = tokens[i - 2:i]
            after = tokens[i + 1:i + 3]
            called = len(before) == 2 and before[1].token_type == TokenType.L_PAREN and \
                word(before[0]) in ("NEXTVAL", "SETVAL", "CURRVAL")
            cast = len(after) == 2 and after[0].token_type == TokenType.DCOLON and \
                word(after[1]) == "REGCLASS"
            if (called or cast) and not _name_syntax(token.text):
                return self.error("invalid name syntax", token)
        return None

    def json_literal_error(self) -> InputError | None:
        """A ``'...'`` constant cast to ``json`` or ``jsonb`` (``'...'::jsonb``, ``CAST('...'
        AS json)``, ``jsonb '...'``) that is no JSON: PostgreSQL converts a constant when it
        analyzes the statement, whether or not the expression is ever evaluated (``invalid
        input syntax for type json``). Refused only when Python's strict JSON reader refuses
        the text too (it takes ``"\\u0000"`` and lone surrogates, as the json type does, and no
        ``NaN``); a string with a backslash (read otherwise under ``standard_conforming_strings
        = off``), one continued on the next line, and an array type (``::json[]``) are left
        alone."""
        tokens = self.tokens
        for i, token in enumerate(tokens):
            if token.token_type != TokenType.STRING or \
                    not self.text.startswith("'", token.start):
                continue
            if (i and tokens[i - 1].token_type in _QUOTED) or (
                    i + 1 < len(tokens) and tokens[i + 1].token_type in _QUOTED):
                continue  # a string continued on the next line: the constant is the whole
            if not (_json_cast_after(tokens, i) or _json_type_before(tokens, i)):
                continue
            text = self.text[token.start + 1:token.end].replace("''", "'")
            if "\\" in text:
                # a backslash is an escape where standard_conforming_strings is off: refused
                # only when the text is no JSON read either way (and no \' moves its end)
                escaped = _backslash_escapes(text) if "\\'" not in text else None
                if escaped is None or _json_syntax(escaped):
                    continue
            if not _json_syntax(text):
                return self.error("invalid input syntax for type json", token)
        return None

    def _control_error(self) -> InputError | None:
        """A control character outside a string, quoted identifier or comment."""
        if _CONTROL.search(self.text) is None:
            return None
        quoted = [(t.start, t.end) for t in self.tokens
                  if t.token_type in _QUOTED_TOKENS]
        for found in _CONTROL.finditer(blank_comments(self.text)):
            at = found.start()
            if any(start <= at <= end for start, end in quoted):
                continue
            token = Token(TokenType.VAR, found.group(), line=1, col=1, start=at, end=at,
                          comments=[])
            return self.error(f'syntax error at or near "\\x{ord(found.group()):02x}"',
                              token)
        return None

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


def _trailing_junk(before: Token, token: Token, text: str) -> bool:
    """Whether a number runs straight into a name (``1a``, ``1.5abc``, a byte-order mark after
    ``1``; ``text`` is what the tokens were read from): PostgreSQL 15 and later refuse it as
    trailing junk. An ``_`` (``1_000``) and ``0x``, ``0o``, ``0b`` are numbers from PostgreSQL
    16 on, and are left alone. A bare word with an upper-case letter beyond ASCII is a quoted
    name's token (see :func:`_as_stored`): one written without quotes counts."""
    if before.token_type != TokenType.NUMBER or token.start != before.end + 1 or \
            not before.text[:1].isdigit() or not token.text or \
            token.token_type != TokenType.VAR and not is_word(token) and not (
                token.token_type == _IDENTIFIER and text[token.start:token.start + 1] != '"'
                and text[token.start:token.start + 2].upper() != "U&"):
        return False
    first = token.text[0]
    if first == "_" or (before.text == "0" and first in "xXoObB"):
        return False
    return first.isalpha() or ord(first) > 127


def body_error(body: str, *, file: str, line: int, plpgsql: bool = False,
               outer: Outer | None = None, standard: bool = False) -> InputError | None:
    """The syntax error PostgreSQL finds in a function's or a DO block's body of SQL or
    PL/pgSQL, starting on ``line`` of ``file``, by the rules that hold for any such text
    (:meth:`Cursor.punctuation_error`; a ``\\`` outside a string, which only psql reads, and
    psql not inside a dollar quote; a statement of it that ends on a comma, an opening
    parenthesis or a binary operator before its ``;``), or None. A body the
    tokenizer cannot read is no evidence (None): sqlglot refuses some valid ones. A PL/pgSQL
    body given ``outer``, the names it can use before its first ``DECLARE``, is checked for
    ``INTO`` targets no declaration supplies too (:func:`_structure_error`). A SQL-standard
    body (``standard``: ``RETURN expr`` written after the routine's options, no string) is one
    expression, not statements."""
    try:
        cursor = Cursor(body, file=file, line=line)
    except Exception:  # sqlglot's tokenizer refuses some bodies PostgreSQL reads
        opened = unterminated(body)
        if opened is None:
            return None
        message, at = opened
        line_start = body.rfind("\n", 0, at) + 1
        line_end = body.find("\n", at)
        return InputError(message, file=file, line=line + body.count("\n", 0, at),
                          text=body[line_start:line_end if line_end >= 0 else len(body)])
    error = cursor.punctuation_error(parameters=True, ranges=plpgsql)
    if error is None and not plpgsql:  # a SQL body is analyzed when the function is created
        error = cursor.regclass_error() or (None if standard else _sql_body_start_error(cursor))
    if error is not None:
        return error
    tokens = cursor.tokens
    for token in tokens:
        if token.token_type == TokenType.BACKSLASH:  # psql's meta-commands are not in bodies
            return cursor.error('syntax error at or near "\\"', token)
    for i, (before, token) in enumerate(zip(tokens, tokens[1:], strict=False)):
        if token.token_type == TokenType.SEMICOLON and before.token_type in _DANGLING and \
                not (i and word(tokens[i - 1]) == "USING"):  # ORDER BY a USING <;
            return cursor.error(f'syntax error at or near "{token.text}"', token)
        if before.token_type in _QUOTED and token.token_type in _QUOTED and \
                "\n" not in body[before.end + 1:token.start]:
            # pg_notify('x' ''): two strings are one only with a line break between
            return cursor.error(f"syntax error at or near \"{cursor._written(token)}\"", token)
        if before.token_type == TokenType.NUMBER and token.token_type == TokenType.NUMBER \
                and token.start > before.end + 1:
            # p * 1./* x */2, RETURN 1 2: two numbers in a row, as at the top level (PL/pgSQL's
            # 1..10 is a number, a dot and a number)
            return cursor.error(f'syntax error at or near "{token.text}"', token)
        if token.text == "$" and token.token_type == TokenType.PARAMETER and \
                (before.token_type in _QUOTED or before.token_type == TokenType.NUMBER) and \
                token.start > before.end + 1 and i + 2 < len(tokens) and \
                tokens[i + 2].token_type == TokenType.NUMBER and \
                tokens[i + 2].start == token.end + 1:
            # jsonb_build_object('at' $1, now()), RETURN 1 $1 or $1 $1: a parameter right
            # after a string or a number (a parameter's too) is no operand nor label there
            return cursor.error(f'syntax error at or near "${tokens[i + 2].text}"', token)
        if _trailing_junk(before, token, body):
            return cursor.error("trailing junk after numeric literal at or near "
                                f"\"{before.text}{token.text}\"", before)
    last = tokens[-1] if tokens else None
    if not plpgsql and last is not None and last.token_type in _DANGLING and not (
            len(tokens) > 1 and word(tokens[-2]) == "USING") and not has_word(tokens,
                                                                               "OPERATOR"):
        # ... WHERE a < 1 ,$$: a SQL body's last statement ends as a whole statement does, on
        # no comma, opening parenthesis or binary operator
        return cursor.error("syntax error at end of input", last)
    error = _colon_error(cursor)
    if error is not None:
        return error
    from schemafold.parse.query_syntax import query_error

    found = query_error(tokens, cursor.error)
    if found is not None:
        return found
    if plpgsql and tokens:
        return _block_error(cursor, outer)
    return None


#: A name's characters after its first (PostgreSQL's ident_cont: letters, digits, ``_``,
#: ``$``, any byte of a multibyte character).
_NAME_REST = re.compile(r"[\w$]*")
_DOLLAR_QUOTE = re.compile(r"\$(?:[^\W\d]\w*)?\$")
_PARAMETER = re.compile(r"\$\d+")


def unterminated(text: str) -> tuple[str, int] | None:
    """PostgreSQL's scanner error for a string, quoted name, dollar quote or block comment
    that ``text`` opens and never closes, and the offset where it opens; None when every one
    closes. Scanned as PostgreSQL's scanner does, with ``standard_conforming_strings`` on (a
    backslash escapes only in ``E'...'``; a text with a backslash in a plain string is not
    judged). Nested block comments, ``U&``, ``B``, ``X``, ``N`` strings and parameters
    (``$1``) are read as PostgreSQL reads them."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "-" and text.startswith("--", i):
            newline = text.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif c == "/" and text.startswith("/*", i):
            depth, j = 1, i + 2
            while depth and j < n:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            if depth:
                return "unterminated /* comment", i
            i = j
        elif c in "'\"":
            end = _quote_end(text, i, escapes=False)
            if end is None:
                return ("unterminated quoted string" if c == "'"
                        else "unterminated quoted identifier"), i
            if end < 0:
                return None  # a backslash in a plain string: not judged
            i = end
        elif c == "$":
            tag = _DOLLAR_QUOTE.match(text, i)
            if tag is not None:
                close = text.find(tag.group(), tag.end())
                if close < 0:
                    return "unterminated dollar-quoted string", i
                i = close + len(tag.group())
            else:
                parameter = _PARAMETER.match(text, i)
                i = parameter.end() if parameter is not None else i + 1
        elif c.isalpha() or c == "_":
            name = _NAME_REST.match(text, i + 1)
            assert name is not None
            end = name.end()
            first = c.upper()
            if end == i + 1 and end < n and text[end] == "'" and first in "EBXN":
                after = _quote_end(text, end, escapes=first == "E")
                if after is None:
                    return "unterminated quoted string", i
                if after < 0:
                    return None
                end = after
            elif end == i + 1 and first == "U" and text.startswith(("&'", '&"'), end):
                after = _quote_end(text, end + 1, escapes=False)
                if after is None:
                    return ("unterminated quoted string" if text[end + 1] == "'"
                            else "unterminated quoted identifier"), i
                if after < 0:
                    return None
                end = after
            i = end
        elif c.isdigit():
            while i < n and (text[i].isdigit() or text[i] in "._"):
                i += 1
        else:
            i += 1
    return None


def _quote_end(text: str, at: int, *, escapes: bool) -> int | None:
    """The offset after the string or quoted name opening with the quote at ``at`` (a quote
    written twice is one inside; in an ``E`` string a backslash escapes the next character);
    None when it never closes; -1 for a plain string holding a backslash (its reading depends
    on ``standard_conforming_strings``), unless it closes by neither reading (``'\\;`` and
    no quote after it: unterminated either way, None) or at the same quote by both (``'\\x'``:
    its end)."""
    quote = text[at]
    i = at + 1
    n = len(text)
    backslash = False
    while i < n:
        c = text[i]
        if escapes and c == "\\":
            i += 2
        elif c == quote:
            if i + 1 < n and text[i + 1] == quote:
                i += 2
            elif not backslash or _quote_end(text, at, escapes=True) == i + 1:
                # a backslash that escapes no quote: the string ends here by either reading
                return i + 1
            else:
                return -1
        else:
            backslash = backslash or (c == "\\" and quote == "'")
            i += 1
    if backslash and _quote_end(text, at, escapes=True) is not None:
        return -1
    return None


def _colon_error(cursor: Cursor) -> InputError | None:
    """A ``:`` in a function's body or a statement outside an array subscript (``RETURN :
    NEW``, ``SELECT 'high':priority``): PostgreSQL's scanner reads a lone ``:`` (not ``::``
    nor ``:=``) as a character only a slice (``a[1:2]``) takes; migration tools send no psql
    variable (``:name``) to replace, and psql puts none in a quoted body. PostgreSQL 16's
    ``JSON_OBJECT('k' : v)`` takes one too: a body that names it is left alone."""
    tokens = cursor.tokens
    if not any(token.token_type == TokenType.COLON for token in tokens) or \
            has_word(tokens, "JSON_OBJECT") or has_word(tokens, "JSON_OBJECTAGG"):
        return None
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_BRACKET:
            depth += 1
        elif token.token_type == TokenType.R_BRACKET:
            depth -= 1
        elif token.token_type == TokenType.COLON and depth <= 0:
            return cursor.error('syntax error at or near ":"', token)
    return None


#: The key words a statement may start with (PostgreSQL 15's gram.y ``stmt``; asked of it, each
#: of its key words alone as a ``LANGUAGE sql`` body: any other is a syntax error at the word).
_SQL_STATEMENT_STARTS = frozenset({
    "ABORT", "ALTER", "ANALYSE", "ANALYZE", "BEGIN", "CALL", "CHECKPOINT", "CLOSE", "CLUSTER",
    "COMMENT", "COMMIT", "COPY", "CREATE", "DEALLOCATE", "DECLARE", "DELETE", "DISCARD", "DO",
    "DROP", "END", "EXECUTE", "EXPLAIN", "FETCH", "GRANT", "IMPORT", "INSERT", "LISTEN", "LOAD",
    "LOCK", "MERGE", "MOVE", "NOTIFY", "PREPARE", "REASSIGN", "REFRESH", "REINDEX", "RELEASE",
    "RESET", "REVOKE", "ROLLBACK", "SAVEPOINT", "SECURITY", "SELECT", "SET", "SHOW", "START",
    "TABLE", "TRUNCATE", "UNLISTEN", "UPDATE", "VACUUM", "VALUES", "WITH",
})


def _sql_body_start_error(cursor: Cursor) -> InputError | None:
    """Each statement of a ``LANGUAGE sql`` body starts with ``(`` or a key word a statement
    starts with (``$$ 1 $$``, ``$$ DELETE$ FROM t $$``, ``$$ FROM t $$``: a syntax error at the
    number, at the name, at ``FROM``)."""
    depth = 0
    start = True
    tokens = cursor.tokens
    for i, token in enumerate(tokens):
        if start and token.token_type != TokenType.SEMICOLON:
            if token.token_type != TokenType.L_PAREN and word(token) not in _SQL_STATEMENT_STARTS:
                return cursor.error(f'syntax error at or near "{token.text}"', token)
            start = False
            # DELETE FROM $1, UPDATE $1, INSERT INTO $1: a parameter is a value, never the
            # relation a statement changes
            target = i + 2 if (word(token), word(tokens[i + 1]) if i + 1 < len(tokens)
                               else "") in (("DELETE", "FROM"), ("INSERT", "INTO")) else \
                i + 1 if word(token) == "UPDATE" else None
            if target is not None and target + 1 < len(tokens) and \
                    tokens[target].token_type == TokenType.PARAMETER and \
                    tokens[target + 1].token_type == TokenType.NUMBER and \
                    tokens[target + 1].start == tokens[target].end + 1:
                return cursor.error(f'syntax error at or near "${tokens[target + 1].text}"',
                                    tokens[target])
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif token.token_type == TokenType.SEMICOLON and depth == 0:
            start = True
    return None


def _block_error(cursor: Cursor, outer: Outer | None = None) -> InputError | None:
    """A PL/pgSQL body is one block: it starts with ``DECLARE``, ``BEGIN``, a label ``<<x>>``
    or a ``#`` compiler option, and ends with ``END``, a label after it, a ``;`` after that
    (``pl_function`` in PostgreSQL's pl_gram.y); else PostgreSQL's syntax error at the first
    word or at the end."""
    tokens = cursor.tokens
    first = tokens[0]
    if word(first) not in ("DECLARE", "BEGIN") and first.text not in ("<", "#"):
        return cursor.error(f'syntax error at or near "{first.text}"', first)
    end = len(tokens)
    if tokens[-1].token_type == TokenType.SEMICOLON:
        end -= 1
    if not (end >= 1 and word(tokens[end - 1]) == "END") and not (
            end >= 2 and word(tokens[end - 2]) == "END" and identifier_of(tokens[end - 1])):
        return cursor.error("syntax error at end of input", tokens[-1])
    return _then_error(cursor) or _structure_error(cursor, outer)


def _structure_error(cursor: Cursor, outer: Outer | None = None) -> InputError | None:
    """What PostgreSQL's PL/pgSQL grammar refuses in the body's structure, as the PL/pgSQL
    reader finds it (:func:`schemafold.plpgsql.syntax.block_mistake`): end labels, the ``;``
    after ``END IF``, ``END CASE``, ``END LOOP``, a declaration without a type; given
    ``outer``, an ``INTO`` target that is not a known variable."""
    from schemafold.plpgsql.syntax import block_mistake  # late: it reads with this module

    mistake = block_mistake(cursor.sub(0, len(cursor.tokens)), outer)
    if mistake is None:
        return None
    token = cursor.tokens[mistake.at] if mistake.at is not None else cursor.tokens[-1]
    return cursor.error(mistake.message, token)


#: Words after which a PL/pgSQL statement starts (besides ``;``).
_STATEMENT_STARTS = frozenset({"BEGIN", "THEN", "ELSE", "LOOP", "DECLARE"})


def _then_error(cursor: Cursor) -> InputError | None:
    """A PL/pgSQL ``IF`` (a statement's first word) or ``ELSIF`` reads its condition up to
    ``THEN``; a ``;`` first is PostgreSQL's ``missing "THEN" at end of SQL expression``. A
    ``CASE`` statement reads its expression up to ``WHEN`` alike (``missing "WHEN" at end of
    SQL expression``; a CASE expression inside it has a WHEN of its own first)."""
    tokens = cursor.tokens
    for i, token in enumerate(tokens):
        upper = word(token)
        if upper not in ("IF", "ELSIF", "ELSEIF", "CASE"):
            continue
        before = tokens[i - 1] if i else None
        if upper in ("IF", "CASE") and before is not None and \
                before.token_type != TokenType.SEMICOLON and word(before) not in _STATEMENT_STARTS:
            continue  # END IF, DROP TABLE IF EXISTS, a label <<x>> before it, x := CASE
        until = "WHEN" if upper == "CASE" else "THEN"
        depth = 0
        for after in tokens[i + 1:]:
            if after.token_type == TokenType.L_PAREN:
                depth += 1
            elif after.token_type == TokenType.R_PAREN:
                depth -= 1
            elif depth == 0 and word(after) == until:
                break
            elif depth == 0 and after.token_type == TokenType.SEMICOLON:
                return cursor.error(f'missing "{until}" at end of SQL expression', after)
    return None
