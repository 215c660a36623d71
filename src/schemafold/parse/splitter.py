"""Split the text of one PostgreSQL migration file into statements, with provenance.

Owns: cutting a file into statements (and psql meta-command lines), and recording for each one
the verbatim slice of the source, its file, its 1-based line and its character offsets. The slice
runs from the start of the statement's first token to the end of its last token: comments before
the first token and the terminating ``;`` are not part of it; comments between tokens are.

Must not know: what any statement means (nothing beyond tokens and the few keywords that decide
where a statement ends) and anything about schema state. It never calls ``sqlglot.parse``; a
statement with a syntax error is still cut out like any other, and it is for the parser
downstream to complain about it.

How it cuts
-----------
The text is tokenized in one pass (in pieces when it has candidate meta-command lines, see below)
by sqlglot's PostgreSQL tokenizer, which understands ``'..'`` with
doubled quotes, ``E'\\''`` escapes, ``"quoted;identifiers"``, ``$$`` and ``$tag$`` dollar quoting,
and ``--`` and nested ``/* /* */ */`` comments (comments are blanked out before sqlglot reads
the text, see ``_tokenize``; they are not tokens). A statement ends at a
``SEMICOLON`` token that is at the top level, that is:

* outside parentheses, so ``CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT ..; INSERT ..)`` is one
  statement (psql counts parentheses the same way);
* outside a ``BEGIN ATOMIC .. END`` SQL-standard function body. Only the two-token sequence
  ``BEGIN ATOMIC`` opens such a block (a transaction ``BEGIN;`` does not), and inside a block
  ``CASE .. END`` nests, so the ``END`` of a ``CASE`` does not close the block.

Empty statements (``;;``) yield nothing, and a last statement without ``;`` is kept. An unbalanced
``(`` in a broken statement keeps the statement open up to the matching ``)``, or to the end of the
file, as it does in psql.

sqlglot's tokenizer has a "command" mode: after a statement-initial ``DO``, ``CALL``, ``LOCK``,
``VACUUM``, ``RESET``, ``REFRESH``, ``EXPLAIN``, ... it folds the rest of the statement into one
``STRING`` token whose ``start``/``end`` offsets are wrong. The splitter tokenizes with that mode
switched off, so every token has true offsets. sqlglot also misreads some nested comments
(``/* a /* b */*/``, ``/*/**/*/``) that PostgreSQL accepts, so comments are blanked out (same
length) by PostgreSQL's rules before sqlglot reads a piece.

psql meta-commands
------------------
A line whose first non-blank character (blank: space or tab) is a backslash is a psql
meta-command when it begins at a point where no statement is in progress: outside any string,
quoted identifier, dollar quote or block comment, and after the previous statement's top-level
``;`` (or at the start of the file). It runs to the end of its line, is reported in
``SplitResult.meta_commands`` (text without surrounding blanks) and is not part of any statement.
A backslash line anywhere else is ordinary text: inside a dollar-quoted body or a comment it is
content, and in the middle of an unfinished statement it stays part of that statement (where the
server will reject it). The rest of a meta-command line is never tokenized, so ``\\echo Don't``
does not open a string.

To decide, the text before each candidate line is tokenized on its own: a ``TokenError`` means the
line is inside a quote or comment; otherwise the tokens are fed to the cutter and the line is a
meta-command only if no statement is open. Tokens never span a line break except quotes and
comments, so tokenizing piecewise at line starts gives the same tokens as tokenizing the whole.
When a candidate line is inside a quote or comment, the end of that construct is found directly
and the candidate lines before it are skipped, so the work stays linear in the size of the text.

Lines are counted by ``\\n``; a CRLF file therefore numbers lines as an editor does.

``COPY ... FROM stdin`` data
----------------------------
A pg_dump script follows ``COPY t (a, b) FROM stdin;`` with its rows, one a line, up to a line
``\\.``. Those lines are not SQL: a ``COPY`` statement that starts a line and reads ``FROM stdin``
takes the lines after it up to ``\\.`` as its ``copy_data`` (text as written, the ``\\.`` line
left out), and they are blanked (same length, line breaks kept) before the text is cut, so that
nothing in them is read as a statement or a meta-command. ``copy_blocks`` finds them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import TokenError
from sqlglot.tokenizer_core import Token

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.collect import fewer_collections
from schemafold.errors import InputError, printable
from schemafold.parse.tokens import StatementTokenizer, TokenType, blank_comments

__all__ = [
    "CopyBlock",
    "MetaCommand",
    "SplitError",
    "SplitResult",
    "Statement",
    "blank_copy_data",
    "copy_blocks",
    "line_of",
    "split_sql",
]


@attrs.frozen
class Statement:
    """One statement: the verbatim source slice (no terminating ``;``) and where it came from;
    for ``COPY ... FROM stdin``, the data lines that follow it."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    text: str
    file: str
    line: int
    start: int
    end: int
    copy_data: str | None = None
    #: The statement's tokens, as the splitter read them (``tokens.moved()``: with offsets and
    #: lines into ``text``): ``parse.tokens.remember`` hands them to the parser, so that a
    #: statement is tokenized once. Not part of what a statement is (equality, repr).
    tokens: StatementTokens | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def runnable(self) -> str:
        """The text to send the server: a COPY with its rows and ``\\.`` line."""
        if self.copy_data is None:
            return self.text
        return f"{self.text};\n{self.copy_data}\\.\n"


@attrs.frozen
class CopyBlock:
    """The data of a ``COPY ... FROM stdin``: the offset where the statement starts, and the
    data lines' span (``start`` to ``end``, the ``\\.`` line included in ``end`` only)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    statement: int
    start: int
    data_end: int
    end: int


_COPY_FROM_STDIN = re.compile(
    r"^[ \t]*COPY\b[^;]*?\bFROM\s+STDIN\b[^;]*;[ \t]*\r?\n", re.IGNORECASE | re.MULTILINE)
_END_OF_COPY = re.compile(r"^\\\.[ \t]*\r?$", re.MULTILINE)


def copy_blocks(text: str) -> list[CopyBlock]:
    """The ``COPY ... FROM stdin`` data blocks of ``text``, in order."""
    blocks: list[CopyBlock] = []
    pos = 0
    while True:
        match = _COPY_FROM_STDIN.search(text, pos)
        if match is None:
            return blocks
        end = _END_OF_COPY.search(text, match.end())
        if end is None:
            return blocks
        line_end = text.find("\n", end.end())
        stop = len(text) if line_end < 0 else line_end + 1
        statement = match.start() + len(match.group()) - len(match.group().lstrip())
        blocks.append(CopyBlock(statement, match.end(), end.start(), stop))
        pos = stop


def blank_copy_data(text: str, blocks: Sequence[CopyBlock]) -> str:
    """``text`` with the data of ``blocks`` blanked: same length, line breaks kept."""
    if not blocks:
        return text
    parts = []
    last = 0
    for block in blocks:
        parts.append(text[last:block.start])
        parts.append(re.sub(r"[^\n]", " ", text[block.start:block.end]))
        last = block.end
    parts.append(text[last:])
    return "".join(parts)


@attrs.frozen
class MetaCommand:
    """One psql meta-command line, such as ``\\set ON_ERROR_STOP on``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    text: str
    file: str
    line: int


@attrs.frozen
class SplitResult:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    statements: tuple[Statement, ...]
    meta_commands: tuple[MetaCommand, ...]


class SplitError(InputError, ValueError):
    """The text cannot be tokenized at all: an unterminated quote, dollar quote or comment.

    ``line`` is the line where the unterminated construct starts and ``text`` is the first line
    of it, cut to about 80 characters.
    """

    def __init__(self, message: str, *, file: str, line: int, text: str) -> None:
        super().__init__(message, file=file, line=line, text=text)
        self.file: str = printable(file)
        self.line: int = line
        self.text: str = text


_Tokenizer = StatementTokenizer  # no "command" mode: see the module docstring


_DIALECT = Postgres()

# A line whose first non-blank character is a backslash; group 1 starts at the backslash.
_META_LINE = re.compile(r"^[ \t]*(\\)", re.MULTILINE)

_SEMICOLON = TokenType.SEMICOLON
_L_PAREN = TokenType.L_PAREN
_R_PAREN = TokenType.R_PAREN
_BEGIN = TokenType.BEGIN
_CASE = TokenType.CASE
_END = TokenType.END

_SNIPPET_LIMIT = 80


def line_of(text: str, offset: int) -> int:
    """The 1-based line of character ``offset`` in ``text`` (lines are counted by ``\\n``)."""
    return text.count("\n", 0, offset) + 1


class StatementTokens:
    """One statement's tokens as the splitter read them, with offsets into the pieces of text
    they were read from; :meth:`moved` moves them (once, in place) to offsets and lines into the
    statement's own text, for the parser (``parse.tokens.remember``). Moving them only then
    keeps splitting as cheap as before for the callers that want only the statements."""

    __slots__ = ("tokens", "segments", "_first", "_first_line", "_moved")

    def __init__(self, first: int, first_line: int, base: int, base_line: int) -> None:
        self.tokens: list[Token] = []
        # (index of the first token read from a piece, the piece's offset and first line)
        self.segments = [(0, base, base_line)]
        self._first = first
        self._first_line = first_line
        self._moved = False

    def moved(self) -> list[Token]:
        if not self._moved:
            self._moved = True
            tokens = self.tokens
            ends = [start for start, _, _ in self.segments[1:]] + [len(tokens)]
            for (start, base, base_line), end in zip(self.segments, ends, strict=True):
                shift = base - self._first
                lines = base_line - self._first_line
                for token in tokens[start:end]:
                    token.start += shift
                    token.end += shift
                    token.line += lines
        return self.tokens


class _Cutter:
    """Cuts a token stream into statement spans. Fed in chunks; keeps its state between them."""

    __slots__ = ("spans", "tokens", "_current", "_first", "_last_end", "_paren", "_block",
                 "_after_begin")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []  # (start, exclusive end) in the whole text
        self.tokens: list[StatementTokens] = []  # each span's tokens
        self._current = StatementTokens(0, 1, 0, 1)
        self._first = -1  # start offset of the open statement's first token, or -1
        self._last_end = -1  # exclusive end of the open statement's last token
        self._paren = 0
        self._block = 0  # BEGIN ATOMIC blocks plus CASEs nested inside them
        self._after_begin = False

    @property
    def in_statement(self) -> bool:
        return self._first >= 0

    @property
    def statement_start(self) -> int:
        return self._first

    def feed(self, tokens: Sequence[Token], base: int, base_line: int = 1) -> None:
        """Consume tokens whose offsets are relative to ``base`` in the whole text (and lines
        to ``base_line``). The tokens are the cutter's: it moves them to their statement."""
        spans = self.spans
        first = self._first
        current = self._current
        if first >= 0:  # the open statement goes on in this piece
            current.segments.append((len(current.tokens), base, base_line))
        append = current.tokens.append
        last_end = self._last_end
        paren = self._paren
        block = self._block
        after_begin = self._after_begin
        for token in tokens:
            token_type = token.token_type
            if token_type is _SEMICOLON and paren == 0 and block == 0:
                if first >= 0:
                    spans.append((first, last_end))
                    self.tokens.append(current)
                    first = -1
                after_begin = False
                continue
            if first < 0:
                first = base + token.start
                current = StatementTokens(first, base_line + token.line - 1, base, base_line)
                append = current.tokens.append
            last_end = base + token.end + 1
            append(token)
            if after_begin:
                after_begin = False
                if token.text.upper() == "ATOMIC":
                    block += 1
                    continue
            if token_type is _L_PAREN:
                paren += 1
            elif token_type is _R_PAREN:
                if paren:
                    paren -= 1
            elif token_type is _BEGIN:
                after_begin = True
            elif block:
                if token_type is _CASE:
                    block += 1
                elif token_type is _END:
                    block -= 1
        self._first = first
        self._current = current
        self._last_end = last_end
        self._paren = paren
        self._block = block
        self._after_begin = after_begin

    def finish(self) -> None:
        """End of input: an open statement without its ``;`` is still a statement."""
        if self._first >= 0:
            self.spans.append((self._first, self._last_end))
            self.tokens.append(self._current)
            self._first = -1


class _Lines:
    """Line numbers for increasing offsets, counting each stretch of text once."""

    __slots__ = ("_text", "_offset", "_line")

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def at(self, offset: int) -> int:
        if offset > self._offset:
            self._line += self._text.count("\n", self._offset, offset)
            self._offset = offset
        return self._line


@fewer_collections()
def split_sql(text: str, file: str = "<sql>") -> SplitResult:
    """Split ``text`` (the contents of ``file``) into statements and psql meta-commands.

    Raises ``SplitError`` only when the text cannot be tokenized (an unterminated quote, quoted
    identifier, dollar quote or block comment); syntax errors inside a statement are not checked.
    """
    blocks = copy_blocks(text)
    data = {b.statement: text[b.start:b.data_end] for b in blocks}
    text = blank_copy_data(text, blocks)
    tokenizer = _Tokenizer(dialect=_DIALECT)
    cutter = _Cutter()
    lines = _Lines(text)
    statements: list[Statement] = []
    metas: list[MetaCommand] = []

    chunk_lines = _Lines(text)  # the line each fed piece starts on (pieces start in order)

    def emit_statements() -> None:
        done = len(statements)
        for (start, end), tokens in zip(cutter.spans[done:], cutter.tokens[done:], strict=True):
            statements.append(Statement(text[start:end], file, lines.at(start), start, end,
                                        data.get(start), tokens=tokens))

    pos = 0  # everything before ``pos`` has been fed to the cutter (or was a meta-command)
    skip_until = 0  # candidate lines before this offset are inside a quote or comment
    for match in _META_LINE.finditer(text):
        line_start = match.start()
        if line_start < pos or line_start < skip_until:
            continue
        try:
            tokens = _tokenize(tokenizer, text[pos:line_start])
        except TokenError:
            # The line is inside a quote or comment that is still open. Keep the good tokens,
            # resume at the start of the open construct and skip the candidate lines inside it:
            # without that, a long body full of backslash lines would be re-scanned per line.
            partial = list(tokenizer.tokens)
            resume = pos + partial[-1].end + 1 if partial else pos
            opened, _ = _skip_trivia(text, resume, line_start)
            if opened < line_start:
                cutter.feed(partial, pos, chunk_lines.at(pos))
                pos = opened
                skip_until = _construct_end(text, opened)
            continue
        cutter.feed(tokens, pos, chunk_lines.at(pos))
        pos = line_start
        if cutter.in_statement:
            continue  # a statement is in progress: the line is part of it
        emit_statements()
        backslash = match.start(1)
        line_end = text.find("\n", backslash)
        if line_end < 0:
            line_end = len(text)
        metas.append(MetaCommand(text[backslash:line_end].rstrip(), file, lines.at(backslash)))
        pos = line_end

    try:
        tokens = _tokenize(tokenizer, text[pos:] if pos else text)
    except TokenError as exc:
        partial = list(tokenizer.tokens)
        resume = pos + partial[-1].end + 1 if partial else pos
        cutter.feed(partial, pos, chunk_lines.at(pos))
        raise _split_error(text, file, resume, cutter) from exc
    cutter.feed(tokens, pos, chunk_lines.at(pos))
    cutter.finish()
    emit_statements()
    return SplitResult(tuple(statements), tuple(metas))


def _tokenize(tokenizer: _Tokenizer, chunk: str) -> list[Token]:
    """Tokenize ``chunk`` with its comments blanked out by PostgreSQL's rules
    (:func:`schemafold.parse.tokens.blank_comments`: same length, so offsets do not move).
    sqlglot misreads some nested block comments: it rejects ``/* a /* b */*/`` and reads
    ``/*/**/*/`` as a comment followed by ``*/``, both of which PostgreSQL takes as one comment.
    Statement text is always sliced from the original, so blanking changes nothing else. Raises
    ``TokenError`` on an unterminated quote or comment."""
    return tokenizer.tokenize(blank_comments(chunk))


# -- lexical helpers for the rare paths (PostgreSQL's rules) --------------------------------------


def _block_comment_end(text: str, start: int) -> int:
    """Exclusive end of the (nested) block comment at ``start``, or -1 if it never closes."""
    depth = 1
    for mark in _COMMENT_MARK.finditer(text, start + 2):
        if mark.group() == "/*":
            depth += 1
        else:
            depth -= 1
            if not depth:
                return mark.end()
    return -1


_COMMENT_MARK = re.compile(r"/\*|\*/")


def _skip_trivia(text: str, pos: int, limit: int) -> tuple[int, bool]:
    """Skip whitespace, ``--`` comments and block comments that close before ``limit``.

    Return the offset of the first other thing (``limit`` if none) and whether it is a block
    comment that does not close before ``limit``.
    """
    while pos < limit:
        if text[pos].isspace():
            pos += 1
        elif text.startswith("--", pos):
            newline = text.find("\n", pos, limit)
            pos = limit if newline < 0 else newline + 1
        elif text.startswith("/*", pos):
            end = _block_comment_end(text, pos)
            if end < 0 or end > limit:
                return pos, True
            pos = end
        else:
            return pos, False
    return limit, False



_DOLLAR_TAG = re.compile(r"\$(?:[^\W\d][\w]*)?\$")


def _construct_end(text: str, start: int) -> int:
    """The end of the quote or comment opening at ``start`` (``len(text)`` if it never closes,
    ``start`` if it is something else), so that the candidate meta-command lines inside it can
    be skipped without tokenizing again. This only saves time: the verdict on every line that is
    not skipped still comes from sqlglot's tokenizer."""
    if text.startswith("/*", start):
        end = _block_comment_end(text, start)
        return len(text) if end < 0 else end
    tag = _DOLLAR_TAG.match(text, start)
    if tag:
        close = text.find(tag.group(), tag.end())
        return len(text) if close < 0 else close + len(tag.group())
    opening = _QUOTE_OPEN.match(text, start)
    if not opening:
        return start
    quote = opening.group(2)
    if quote == '"':
        closing = _IDENT_CLOSE
    elif opening.group(1).upper() == "E":
        closing = _ESCAPE_STRING_CLOSE
    else:
        closing = _STRING_CLOSE
    for mark in closing.finditer(text, opening.end()):
        if mark.group() == quote:
            return mark.end()
    return len(text)


_QUOTE_OPEN = re.compile(r"(E|U&|N|B|X|)(['\"])", re.IGNORECASE)
_STRING_CLOSE = re.compile(r"''|'")
_ESCAPE_STRING_CLOSE = re.compile(r"\\.|''|'", re.DOTALL)
_IDENT_CLOSE = re.compile(r'""|"')


# -- errors ---------------------------------------------------------------------------------------


def _split_error(text: str, file: str, resume: int, cutter: _Cutter) -> SplitError:
    """Describe a tokenizer failure that happened after the last good token (ending at
    ``resume``): find the construct that never closes and say where it starts."""
    start, comment = _skip_trivia(text, resume, len(text))
    message = "unterminated /* comment" if comment else _describe(text, start)
    line = line_of(text, start)
    if cutter.in_statement:
        statement_line = line_of(text, cutter.statement_start)
        if statement_line != line:
            message += f" (in the statement that starts on line {statement_line})"
    line_end = text.find("\n", start)
    first_line = text[start : line_end if line_end >= 0 else len(text)].rstrip()
    if len(first_line) > _SNIPPET_LIMIT:
        first_line = first_line[: _SNIPPET_LIMIT - 3] + "..."
    return SplitError(message, file=file, line=line, text=first_line)


def _describe(text: str, start: int) -> str:
    if _DOLLAR_TAG.match(text, start):
        return "unterminated dollar-quoted string"
    head = text[start : start + 3].upper()
    if head.startswith(('"', 'U&"')):
        return "unterminated quoted identifier"
    if head.startswith(("'", "U&'")) or head[1:2] == "'":
        return "unterminated quoted string"
    return "cannot tokenize"
