"""PL/pgSQL source to statements.

Owns: reading a PL/pgSQL block (a ``DO`` body or a function body) into a tree of statements
whose expressions and SQL are kept as text (with their line in the body), for ``run`` to
evaluate. Reads: ``<<label>>``, ``DECLARE`` (``name [CONSTANT] type [NOT NULL] [:= | = | DEFAULT
expr]``, ``ALIAS FOR``), nested ``BEGIN ... EXCEPTION WHEN ... THEN ... END``, assignments
(``:=`` and ``=``), ``IF``/``ELSIF``/``ELSE``, ``CASE``, ``LOOP``, ``WHILE``, ``FOR i IN [REVERSE]
a..b [BY c]``, ``FOR r IN query`` and ``FOR r IN EXECUTE expr``, ``FOREACH x IN ARRAY expr``,
``EXIT``/``CONTINUE [label] [WHEN cond]``, ``RETURN``, ``PERFORM``, ``RAISE``, ``ASSERT``,
``NULL``, ``EXECUTE expr [INTO ...] [USING ...]``, ``SELECT ... INTO``, and any other statement
as plain SQL.

Anything else raises ``Unreadable`` (the caller gives up and keeps the statement verbatim).
Must not know: the schema, how anything is evaluated.
"""

from __future__ import annotations

import re
from typing import TypeAlias

import attrs

from schemafold.parse.tokens import Cursor, TokenType, is_string, is_word, word


class Unreadable(Exception):  # noqa: N818 - a reason, not a failure of schemafold
    """A construct the reader does not know."""


class Refused(Exception):  # noqa: N818 - PostgreSQL's verdict, not a failure of schemafold
    """A mistake PostgreSQL's PL/pgSQL grammar refuses (``pl_gram.y``), found while reading in
    strict mode: its message, and the index of the token it is at (None: the end)."""

    def __init__(self, message: str, at: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


@attrs.frozen
class Text:
    """An expression or statement as written, and the line (in the body) it starts on."""

    text: str
    line: int


@attrs.frozen
class Declare:
    name: str
    type: str
    default: Text | None
    alias_of: str | None = None


@attrs.frozen
class Handler:
    conditions: tuple[str, ...]  # lower-case names, or "sqlstate XXXXX"
    body: tuple[Stmt, ...]


@attrs.frozen
class Block:
    label: str | None
    declares: tuple[Declare, ...]
    body: tuple[Stmt, ...]
    handlers: tuple[Handler, ...] | None
    line: int


@attrs.frozen
class Assign:
    target: str  # a variable, or "record.field"
    value: Text


@attrs.frozen
class If:
    branches: tuple[tuple[Text, tuple[Stmt, ...]], ...]
    orelse: tuple[Stmt, ...] | None


@attrs.frozen
class Case:
    subject: Text | None
    whens: tuple[tuple[Text, tuple[Stmt, ...]], ...]
    orelse: tuple[Stmt, ...] | None
    line: int


@attrs.frozen
class Loop:
    """``LOOP``, ``WHILE cond LOOP`` (``condition``), ``FOR`` over a range, a query or an array."""

    label: str | None
    body: tuple[Stmt, ...]
    condition: Text | None = None
    var: str | None = None
    low: Text | None = None
    high: Text | None = None
    step: Text | None = None
    reverse: bool = False
    query: Text | None = None
    dynamic: bool = False  # FOR r IN EXECUTE expr
    array: Text | None = None


@attrs.frozen
class Exit:
    kind: str  # "EXIT" | "CONTINUE"
    label: str | None
    when: Text | None


@attrs.frozen
class Return:
    value: Text | None
    line: int


@attrs.frozen
class Raise:
    level: str
    message: Text | None  # the format string literal
    args: tuple[Text, ...]
    condition: str | None  # RAISE condition_name / SQLSTATE
    options: tuple[tuple[str, Text], ...]
    line: int


@attrs.frozen
class Assert:
    condition: Text
    message: Text | None


@attrs.frozen
class Null:
    pass


@attrs.frozen
class Execute:
    command: Text
    into: tuple[str, ...]
    strict: bool
    using: tuple[Text, ...]


@attrs.frozen
class Sql:
    """A plain SQL statement (``PERFORM`` is read as ``SELECT``); ``into`` for ``SELECT INTO``."""

    text: Text
    into: tuple[str, ...] = ()
    strict: bool = False
    perform: bool = False


Stmt: TypeAlias = (
    "Block | Assign | If | Case | Loop | Exit | Return | Raise | Assert | Null | Execute | Sql")

_LEVELS = ("DEBUG", "LOG", "INFO", "NOTICE", "WARNING", "EXCEPTION")
_UNSUPPORTED = {"GET", "OPEN", "FETCH", "MOVE", "CLOSE", "COMMIT", "ROLLBACK"}


def parse_block(body: str, *, line: int = 1) -> Block:
    """The block of a ``DO`` or function body (``line``: the body's first line in its file)."""
    try:
        cursor = Cursor(body, line=line)
    except Exception as error:  # sqlglot's tokenizer refuses some texts
        raise Unreadable(f"body not readable: {error}") from error
    reader = _Reader(cursor, line)
    block = reader.block_statement()
    reader.c.accept_type(TokenType.SEMICOLON)
    if not reader.c.at_end():
        raise Unreadable("text after the block's END")
    return block


def block_mistake(cursor: Cursor) -> Refused | None:
    """The first mistake PostgreSQL's PL/pgSQL grammar refuses in a body (``cursor`` over its
    tokens, read from the start), among those this reader finds with certainty: an end label
    on an unlabeled block or loop, or one that differs from its label (``end label "x"
    specified for unlabeled block``, ``... differs from block's label "y"``); anything but
    ``;`` after ``END IF``, ``END CASE``, ``END LOOP [label]`` or a nested block's ``END
    [label]`` (``syntax error at or near "x"``); a declaration without a type (``missing data
    type declaration``). Reading stops, with None, at the first construct the reader does not
    know (statements it does not interpret are skipped to their ``;``)."""
    reader = _Reader(cursor, 1, strict=True)
    try:
        reader.block_statement()
        cursor.accept_type(TokenType.SEMICOLON)
        token = cursor.peek()
        if token is not None:  # pl_function: the block, an optional ';', nothing else
            raise Refused(f'syntax error at or near "{token.text}"', cursor.pos)
    except Refused as mistake:
        return mistake
    except (Unreadable, IndexError):
        return None
    return None


class _Reader:
    def __init__(self, cursor: Cursor, line: int, *, strict: bool = False) -> None:
        self.c = cursor
        self.base = line
        #: strict: check what PostgreSQL's grammar checks (:func:`block_mistake`), not build
        self.strict = strict

    def refuse_unless_semicolon(self) -> None:
        """In strict mode, what follows a statement's last word must be its ``;``."""
        if self.strict and not self.c.at_type(TokenType.SEMICOLON):
            token = self.c.peek()
            raise Refused(f'syntax error at or near "{token.text}"' if token is not None
                          else "syntax error at end of input",
                          self.c.pos if token is not None else None)

    def skip_statement(self) -> None:
        """In strict mode, a statement the reader does not interpret: up to its ``;``."""
        self.until(semicolon=True)
        self.semicolon()

    # -- helpers -----------------------------------------------------------------------------

    def line_of(self, index: int) -> int:
        token = self.c.tokens[index] if index < len(self.c.tokens) else None
        return self.base + (self.c.text.count("\n", 0, token.start) if token else 0)

    def text(self, first: int, last: int) -> Text:
        if first >= last:
            raise Unreadable("an empty expression")
        return Text(self.c.slice(first, last), self.line_of(first))

    def fail(self, what: str) -> Unreadable:
        token = self.c.peek()
        return Unreadable(f"{what} (at {token.text if token else 'end of block'!r})")

    def expect(self, *words: str) -> None:
        if not self.c.accept(*words):
            raise self.fail(f"expected {' '.join(words)}")

    def semicolon(self) -> None:
        if not self.c.accept_type(TokenType.SEMICOLON):
            raise self.fail("expected ';'")

    def until(self, *stops: str, semicolon: bool = False) -> tuple[int, int]:
        """Tokens up to a top-level stop word (or ';'), not consumed."""
        types = (TokenType.SEMICOLON,) if semicolon else ()
        first, last = self.c.skip_to(*stops, stop_types=types)
        return first, last

    def name(self) -> str:
        token = self.c.peek()
        if token is None or not (token.token_type == TokenType.IDENTIFIER or is_word(token)):
            raise self.fail("expected a name")
        self.c.pos += 1
        return token.text if token.token_type == TokenType.IDENTIFIER else token.text.lower()

    def label(self) -> str | None:
        c = self.c
        if c.at_type(TokenType.LT) and c.at_type(TokenType.LT, 1):
            c.pos += 2
            label = self.name()
            if not (c.accept_type(TokenType.GT) and c.accept_type(TokenType.GT)):
                raise self.fail("expected '>>'")
            return label
        return None

    def end_label(self, label: str | None = None) -> None:
        token = self.c.peek()
        if token is not None and (token.token_type == TokenType.IDENTIFIER or (
                is_word(token) and word(token) not in ("IF", "LOOP", "CASE"))):
            at = self.c.pos
            end = self.name()
            if self.strict and label is None:
                raise Refused(f'end label "{end}" specified for unlabeled block', at)
            if self.strict and end != label:
                raise Refused(f'end label "{end}" differs from block\'s label "{label}"', at)

    # -- blocks --------------------------------------------------------------------------------

    def block_statement(self, label: str | None = None) -> Block:
        c = self.c
        label = label or self.label()
        line = self.line_of(c.pos)
        declares: list[Declare] = []
        if c.accept("DECLARE"):
            while not c.at("BEGIN"):
                if c.at_end():
                    raise self.fail("expected BEGIN")
                if self.strict and c.accept("DECLARE"):
                    continue  # pl_gram.y's decl_stmt: allowed among declarations
                if self.strict and c.at_type(TokenType.LT) and c.at_type(TokenType.LT, 1):
                    raise Refused("block label must be placed before DECLARE, not after",
                                  c.pos)
                declares.append(self.declaration())
        self.expect("BEGIN")
        body = self.statements({"EXCEPTION", "END"})
        handlers: list[Handler] | None = None
        if c.accept("EXCEPTION"):
            handlers = []
            while c.accept("WHEN"):
                conditions = self.conditions()
                self.expect("THEN")
                handlers.append(Handler(conditions, self.statements({"WHEN", "END"})))
            if not handlers:
                raise self.fail("expected WHEN")
        self.expect("END")
        self.end_label(label)
        return Block(label, tuple(declares), body, None if handlers is None else tuple(handlers),
                     line)

    def declaration(self) -> Declare:
        c = self.c
        name = self.name()
        if c.accept("ALIAS", "FOR"):
            first, last = self.until(semicolon=True)
            self.semicolon()
            return Declare(name, "", None, alias_of=c.slice(first, last))
        c.accept("CONSTANT")
        if (c.at("CURSOR") or c.at("NO", "SCROLL") or c.at("SCROLL")) and self.strict:
            self.skip_statement()
            return Declare(name, "", None)
        if c.at("CURSOR") or c.at("NO", "SCROLL") or c.at("SCROLL"):
            raise Unreadable("a cursor")
        first, last = self.until("DEFAULT", "NOT", "COLLATE", semicolon=True)
        # ':=' and '=' end the type too
        type_end = first
        while type_end < last and c.tokens[type_end].token_type not in (
                TokenType.COLON_EQ, TokenType.EQ):
            type_end += 1
        type_text = c.slice(first, type_end)
        if self.strict and type_end == first:
            token = c.tokens[first] if first < len(c.tokens) else None
            if token is None:
                raise Refused("syntax error at end of input", None)
            if word(token) in ("DEFAULT", "COLLATE"):
                raise Refused(f'syntax error at or near "{token.text}"', first)
            raise Refused(f'missing data type declaration at or near "{token.text}"', first)
        c.pos = type_end
        if c.accept("COLLATE"):
            self.name()
        c.accept("NOT", "NULL")
        default = None
        if c.accept_type(TokenType.COLON_EQ) or c.accept_type(TokenType.EQ) or \
                c.accept("DEFAULT"):
            first, last = self.until(semicolon=True)
            default = self.text(first, last)
        self.semicolon()
        if not type_text:
            raise Unreadable("a declaration without a type")
        return Declare(name, type_text, default)

    def conditions(self) -> tuple[str, ...]:
        out: list[str] = []
        while True:
            if self.c.accept("SQLSTATE"):
                out.append("sqlstate " + self.c.string().upper())
            else:
                out.append(self.name())
            if not self.c.accept("OR"):
                return tuple(out)

    def statements(self, stops: set[str]) -> tuple[Stmt, ...]:
        out: list[Stmt] = []
        while True:
            if self.c.at_end():
                raise self.fail("unexpected end of the block")
            if self.c.peek_word() in stops and not self._assignment_ahead():
                return tuple(out)
            out.append(self.statement())

    def _assignment_ahead(self) -> bool:
        return self.c.at_type(TokenType.COLON_EQ, 1)

    # -- statements ----------------------------------------------------------------------------

    def statement(self) -> Stmt:  # noqa: C901 - one branch a statement kind
        c = self.c
        label = self.label()
        w = c.peek_word()
        if w in ("DECLARE", "BEGIN"):
            block = self.block_statement(label)
            self.refuse_unless_semicolon()
            self.semicolon()
            return block
        if w in ("LOOP", "WHILE", "FOR", "FOREACH"):
            return self.loop(label)
        if label is not None:
            raise self.fail("a label before something that is not a block or loop")
        if self.is_assignment():
            return self.assignment()
        if w == "IF":
            return self.if_statement()
        if w == "CASE":
            return self.case()
        if w in ("EXIT", "CONTINUE"):
            c.pos += 1
            target = None
            token = c.peek()
            if token is not None and (token.token_type == TokenType.IDENTIFIER or (
                    is_word(token) and word(token) != "WHEN")):
                target = self.name()
            when = None
            if c.accept("WHEN"):
                first, last = self.until(semicolon=True)
                when = self.text(first, last)
            self.semicolon()
            return Exit(w, target, when)
        if w == "RETURN":
            line = self.line_of(c.pos)
            c.pos += 1
            if (c.at("NEXT") or c.at("QUERY")) and self.strict:
                self.skip_statement()
                return Null()
            if c.at("NEXT") or c.at("QUERY"):
                raise Unreadable("RETURN NEXT/QUERY")
            first, last = self.until(semicolon=True)
            self.semicolon()
            return Return(self.text(first, last) if last > first else None, line)
        if w == "NULL" and c.at_type(TokenType.SEMICOLON, 1):
            c.pos += 1
            self.semicolon()
            return Null()
        if w == "RAISE":
            return self.raise_statement()
        if w == "ASSERT":
            c.pos += 1
            first, last = self.until(semicolon=True)
            parts = c.split_top_level(first, last)
            self.semicolon()
            if len(parts) > 2:
                raise Unreadable("ASSERT with more than a message")
            message = self.text(*parts[1]) if len(parts) == 2 else None
            return Assert(self.text(*parts[0]), message)
        if w == "EXECUTE":
            return self.execute()
        if w in ("PERFORM", "CALL"):  # CALL p(...) runs p as SELECT p(...) would
            c.pos += 1
            first, last = self.until(semicolon=True)
            self.semicolon()
            text = self.text(first, last)
            return Sql(Text("SELECT " + text.text, text.line), perform=True)
        if w in _UNSUPPORTED and self.strict:
            self.skip_statement()
            return Null()
        if w in _UNSUPPORTED:
            raise self.fail(f"{w} is not interpreted")
        return self.sql()

    def is_assignment(self) -> bool:
        c = self.c
        i = c.pos
        tokens = c.tokens
        if i >= len(tokens) or not (tokens[i].token_type == TokenType.IDENTIFIER
                                    or is_word(tokens[i])):
            return False
        i += 1
        while i + 1 < len(tokens) and tokens[i].token_type == TokenType.DOT:
            i += 2
        if i < len(tokens) and tokens[i].token_type == TokenType.L_BRACKET:
            return False  # an array element: not interpreted (refused below as SQL)
        return i < len(tokens) and tokens[i].token_type in (TokenType.COLON_EQ, TokenType.EQ) \
            and word(tokens[c.pos]) not in ("SELECT", "UPDATE", "DELETE", "INSERT")

    def assignment(self) -> Assign:
        c = self.c
        parts = [self.name()]
        while c.accept_type(TokenType.DOT):
            parts.append(self.name())
        if not (c.accept_type(TokenType.COLON_EQ) or c.accept_type(TokenType.EQ)):
            raise self.fail("expected ':='")
        first, last = self.until(semicolon=True)
        self.semicolon()
        return Assign(".".join(parts), self.text(first, last))

    def if_statement(self) -> If:
        c = self.c
        self.expect("IF")
        branches: list[tuple[Text, tuple[Stmt, ...]]] = []
        orelse = None
        while True:
            first, last = self.until("THEN")
            self.expect("THEN")
            condition = self.text(first, last)
            body = self.statements({"ELSIF", "ELSEIF", "ELSE", "END"})
            branches.append((condition, body))
            if c.accept("ELSIF") or c.accept("ELSEIF"):
                continue
            if c.accept("ELSE"):
                orelse = self.statements({"END"})
            break
        self.expect("END", "IF")
        self.refuse_unless_semicolon()
        self.semicolon()
        return If(tuple(branches), orelse)

    def case(self) -> Case:
        c = self.c
        line = self.line_of(c.pos)
        self.expect("CASE")
        subject = None
        if not c.at("WHEN"):
            first, last = self.until("WHEN")
            subject = self.text(first, last)
        whens = []
        while c.accept("WHEN"):
            first, last = self.until("THEN")
            self.expect("THEN")
            whens.append((self.text(first, last), self.statements({"WHEN", "ELSE", "END"})))
        orelse = self.statements({"END"}) if c.accept("ELSE") else None
        self.expect("END", "CASE")
        self.refuse_unless_semicolon()
        self.semicolon()
        return Case(subject, tuple(whens), orelse, line)

    def loop(self, label: str | None) -> Loop:
        c = self.c
        w = c.peek_word()
        if w != "LOOP":
            c.pos += 1
        fields: dict[str, object] = {}
        if w == "WHILE":
            first, last = self.until("LOOP")
            fields["condition"] = self.text(first, last)
        elif w == "FOR":
            fields["var"] = self.name()
            if c.at_type(TokenType.COMMA):
                raise Unreadable("FOR over several targets")
            self.expect("IN")
            if c.accept("EXECUTE"):
                first, last = self.until("LOOP", "USING")
                if c.at("USING"):
                    raise Unreadable("FOR ... IN EXECUTE ... USING")
                fields["query"] = self.text(first, last)
                fields["dynamic"] = True
            else:
                fields["reverse"] = bool(c.accept("REVERSE"))
                first, last = self.until("LOOP")
                text = self.text(first, last)
                bounds = _split_range(text.text)
                if bounds is None:
                    if fields["reverse"]:
                        raise Unreadable("FOR ... IN REVERSE over a query")
                    fields["query"] = text
                else:
                    low, high, step = bounds
                    fields["low"] = Text(low, text.line)
                    fields["high"] = Text(high, text.line)
                    fields["step"] = Text(step, text.line) if step else None
        elif w == "FOREACH":
            fields["var"] = self.name()
            if c.accept("SLICE"):
                raise Unreadable("FOREACH ... SLICE")
            self.expect("IN", "ARRAY")
            first, last = self.until("LOOP")
            fields["array"] = self.text(first, last)
        self.expect("LOOP")
        body = self.statements({"END"})
        self.expect("END", "LOOP")
        self.end_label(label)
        self.refuse_unless_semicolon()
        self.semicolon()
        return Loop(label, body, **fields)  # type: ignore[arg-type]

    def raise_statement(self) -> Raise:
        c = self.c
        line = self.line_of(c.pos)
        self.expect("RAISE")
        level = c.accept_any(*_LEVELS) or "EXCEPTION"
        if self.strict and c.at_type(TokenType.COMMA):  # RAISE EXCEPTION , x: no format
            raise Refused('syntax error at or near ","', c.pos)
        message = None
        args: list[Text] = []
        condition = None
        token = c.peek()
        if token is not None and is_string(token):
            first = c.pos
            c.pos += 1
            message = self.text(first, c.pos)
            while c.accept_type(TokenType.COMMA):
                first, last = self.until("USING", semicolon=True)
                parts = c.split_top_level(first, last)
                if not parts:
                    raise self.fail("expected an argument")
                args.append(self.text(*parts[0]))
                c.pos = parts[0][1]
        elif c.accept("SQLSTATE"):
            condition = "sqlstate " + c.string().upper()
        elif token is not None and token.token_type != TokenType.SEMICOLON and not c.at("USING"):
            condition = self.name()
        options: list[tuple[str, Text]] = []
        if c.accept("USING"):
            first, last = self.until(semicolon=True)
            for a, b in c.split_top_level(first, last):
                option = word(c.tokens[a])
                if b - a < 3 or c.tokens[a + 1].token_type not in (TokenType.EQ,
                                                                    TokenType.COLON_EQ):
                    raise self.fail("expected option = value")
                options.append((option, self.text(a + 2, b)))
            c.pos = last
        self.semicolon()
        return Raise(level, message, tuple(args), condition, tuple(options), line)

    def execute(self) -> Execute:
        c = self.c
        self.expect("EXECUTE")
        first, last = self.until("INTO", "USING", semicolon=True)
        command = self.text(first, last)
        into: tuple[str, ...] = ()
        strict = False
        using: list[Text] = []
        while True:
            if c.accept("INTO"):
                strict = bool(c.accept("STRICT"))
                into = self.targets()
            elif c.accept("USING"):
                first, last = self.until("INTO", semicolon=True)
                using.extend(self.text(a, b) for a, b in c.split_top_level(first, last))
            else:
                break
        self.semicolon()
        return Execute(command, into, strict, tuple(using))

    def targets(self) -> tuple[str, ...]:
        names = [self.dotted()]
        while self.c.accept_type(TokenType.COMMA):
            names.append(self.dotted())
        return tuple(names)

    def dotted(self) -> str:
        parts = [self.name()]
        while self.c.accept_type(TokenType.DOT):
            parts.append(self.name())
        return ".".join(parts)

    def sql(self) -> Sql:
        """A plain statement up to its ';'. ``SELECT a, b INTO x, y FROM ...`` keeps its INTO
        targets apart (the text is rewritten without them)."""
        c = self.c
        first, last = self.until(semicolon=True)
        self.semicolon()
        text = self.text(first, last)
        head = word(c.tokens[first])
        if head not in ("SELECT", "WITH"):
            if any(word(c.tokens[i]) == "INTO" and i > first and word(c.tokens[i - 1]) in (
                    "RETURNING",) for i in range(first, last)):
                raise Unreadable("RETURNING ... INTO")
            return Sql(text)
        # SELECT ... INTO targets: the INTO at depth 0 not after INSERT
        depth = 0
        for i in range(first, last):
            token = c.tokens[i]
            if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
                depth += 1
            elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
                depth -= 1
            elif depth == 0 and word(token) == "INTO":
                sub = c.sub(i + 1, last)
                reader = _Reader(sub, self.base)
                strict = bool(sub.accept("STRICT"))
                targets = reader.targets()
                end = i + 1 + sub.pos
                rest = c.slice(end, last)
                before = c.slice(first, i)
                return Sql(Text(f"{before} {rest}".strip(), text.line), targets, strict)
        return Sql(text)


def _split_range(text: str) -> tuple[str, str, str | None] | None:
    """``a..b [BY c]`` at the top level (outside strings and parentheses), or None."""
    depth = 0
    quote = False
    i = 0
    dots = -1
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "'":
                quote = False
        elif ch == "'":
            quote = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and text.startswith("..", i):
            dots = i
            break
        i += 1
    if dots < 0:
        return None
    low = text[:dots].strip()
    rest = text[dots + 2:]
    match = re.search(r"(?i)\bBY\b", rest)
    step = None
    if match:
        high, step = rest[: match.start()].strip(), rest[match.end():].strip()
    else:
        high = rest.strip()
    if not low or not high:
        return None
    return low, high, step
