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

Also owns what PostgreSQL's PL/pgSQL compiler refuses in a body with certainty
(:func:`block_mistake`): its grammar's mistakes, and an ``INTO`` target no declaration in scope
supplies (given the names the routine declares before its first block, :class:`Outer`).
Must not know: the schema, how anything is evaluated.
"""

from __future__ import annotations

import re
from typing import TypeAlias

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.parse.keywords import COMMAND_WORDS, KEYWORDS
from schemafold.parse.query_syntax import empty_type_modifiers
from schemafold.parse.tokens import (
    Cursor,
    Token,
    TokenType,
    identifier_of,
    is_string,
    is_word,
    word,
)
from schemafold.plpgsql.conditions import CONDITION_NAMES

#: The characters PostgreSQL's operators are made of.
_OPERATOR_CHARACTERS = frozenset("+-*/<>=~!@#%^&|`?")


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
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    text: str
    line: int


@attrs.frozen
class Declare:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    name: str
    type: str
    default: Text | None
    alias_of: str | None = None


@attrs.frozen
class Handler:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    conditions: tuple[str, ...]  # lower-case names, or "sqlstate XXXXX"
    body: tuple[Stmt, ...]


@attrs.frozen
class Block:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    label: str | None
    declares: tuple[Declare, ...]
    body: tuple[Stmt, ...]
    handlers: tuple[Handler, ...] | None
    line: int


@attrs.frozen
class Assign:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    target: str  # a variable, or "record.field"
    value: Text


@attrs.frozen
class If:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    branches: tuple[tuple[Text, tuple[Stmt, ...]], ...]
    orelse: tuple[Stmt, ...] | None


@attrs.frozen
class Case:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    subject: Text | None
    whens: tuple[tuple[Text, tuple[Stmt, ...]], ...]
    orelse: tuple[Stmt, ...] | None
    line: int


@attrs.frozen
class Loop:
    """``LOOP``, ``WHILE cond LOOP`` (``condition``), ``FOR`` over a range, a query or an array."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

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
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    kind: str  # "EXIT" | "CONTINUE"
    label: str | None
    when: Text | None


@attrs.frozen
class Return:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    value: Text | None
    line: int


@attrs.frozen
class Raise:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    level: str
    message: Text | None  # the format string literal
    args: tuple[Text, ...]
    condition: str | None  # RAISE condition_name / SQLSTATE
    options: tuple[tuple[str, Text], ...]
    line: int


@attrs.frozen
class Assert:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    condition: Text
    message: Text | None


@attrs.frozen
class Null:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    pass


@attrs.frozen
class Execute:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    command: Text
    into: tuple[str, ...]
    strict: bool
    using: tuple[Text, ...]


@attrs.frozen
class Sql:
    """A plain SQL statement (``PERFORM`` is read as ``SELECT``); ``into`` for ``SELECT INTO``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    text: Text
    into: tuple[str, ...] = ()
    strict: bool = False
    perform: bool = False


Stmt: TypeAlias = (
    "Block | Assign | If | Case | Loop | Exit | Return | Raise | Assert | Null | Execute | Sql")


@attrs.frozen
class Outer:
    """What a PL/pgSQL body can name before its first ``DECLARE`` (pl_comp.c): the label of the
    outermost namespace (the routine's name; ``inline_code_block`` for ``DO``), the variables
    declared there (parameters, ``found``, a trigger's), and which of those are certainly
    scalar (a record ends an ``INTO`` list with a message of its own)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    label: str
    names: frozenset[str]
    scalars: frozenset[str] = frozenset()


#: ``DO``: only ``found`` (pl_comp.c, plpgsql_compile_inline)
DO_OUTER = Outer("inline_code_block", frozenset({"found"}), frozenset({"found"}))

#: a trigger function's variables (pl_comp.c): ``new`` and ``old`` are records; an event
#: trigger's ``tg_event`` and ``tg_tag`` are named too, whichever kind the function is
_TRIGGER_RECORDS = frozenset({"new", "old"})
_TRIGGER_SCALARS = frozenset({
    "tg_name", "tg_when", "tg_level", "tg_op", "tg_relid", "tg_relname", "tg_table_name",
    "tg_table_schema", "tg_nargs", "tg_argv", "tg_event", "tg_tag"})

#: PL/pgSQL's key words, reserved and unreserved, of PostgreSQL 15 and later
#: (pl_reserved_kwlist.h, pl_unreserved_kwlist.h): one written bare where a variable is
#: expected is a syntax error, not an unknown variable
_KEY_WORDS_TEXT = """
    all begin by case declare else end execute for foreach from if in into loop not null or
    strict then to using when while
    absolute alias and array assert backward call chain close collate column column_name
    commit constant constraint constraint_name continue current cursor datatype debug default
    detail diagnostics do dump elseif elsif errcode error exception exit fetch first forward get
    hint import info insert is last log merge message message_text move next no notice open
    option perform pg_context pg_datatype_name pg_exception_context pg_exception_detail
    pg_exception_hint pg_routine_oid print_strict_params prior query raise relative reset return
    returned_sqlstate reverse rollback row_count rowtype schema schema_name scroll set slice
    sqlstate stacked table table_name type use_column use_variable variable_conflict warning
    """
_KEY_WORDS = frozenset(_KEY_WORDS_TEXT.split())
#: Of them, the reserved ones (pl_reserved_kwlist.h, the first line above): never a name
_RESERVED_KEY_WORDS = frozenset(_KEY_WORDS_TEXT.split("\n")[1].split())

#: built-in types whose variables are certainly scalar (with modifiers or as arrays too)
_SCALAR_TYPES = frozenset({
    "int", "integer", "int2", "int4", "int8", "smallint", "bigint", "numeric", "decimal", "real",
    "float", "float4", "float8", "double precision", "text", "varchar", "character varying",
    "char", "character", "bpchar", "bool", "boolean", "uuid", "json", "jsonb", "date", "time",
    "timetz", "timestamp", "timestamptz", "time with time zone", "time without time zone",
    "timestamp with time zone", "timestamp without time zone", "interval", "bytea", "oid",
    "name", "inet", "cidr", "regclass", "refcursor"})


def routine_outer(name: str, arguments: str, returns: str | None) -> Outer | None:
    """The :class:`Outer` of a function or procedure: its name as label, every name its argument
    list or RETURNS clause spells (more than its parameters, never fewer: ``OUT`` parameters
    and ``RETURNS TABLE`` columns are variables too), ``found``, and a trigger's variables
    unless it returns something else. None where the tokenizer cannot read them."""
    try:
        tokens = Cursor(f"{arguments} {returns or ''}").tokens
    except Exception:  # noqa: BLE001 - sqlglot refuses some texts: nothing is known
        return None
    names = {n for n in map(identifier_of, tokens) if n is not None}
    scalars = {"found"}
    if returns is None or "trigger" in returns.lower():
        scalars |= _TRIGGER_SCALARS - names  # a parameter of that name may be anything
        names |= _TRIGGER_RECORDS | _TRIGGER_SCALARS
    return Outer(name, frozenset(names | {"found"}), frozenset(scalars))


def _certainly_scalar(declare: Declare) -> bool:
    """Whether a declared variable is scalar whatever the schema holds: its type is built in."""
    if declare.alias_of is not None or "%" in declare.type:
        return False
    text = re.sub(r"\([^()]*\)|\[[^\]]*\]|\bARRAY\b", " ", declare.type, flags=re.IGNORECASE)
    return " ".join(text.lower().split()) in _SCALAR_TYPES


@attrs.frozen
class _Target:
    """An ``INTO`` target as PostgreSQL's scanner reads it: its names (a bare one folded to
    lower case), whether each is bare, and the index of its first token."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    parts: tuple[str, ...]
    bare: tuple[bool, ...]
    at: int


@attrs.define
class _Scope:
    """One level of the body's namespace: its label, and its variables (name: certainly
    scalar)."""
    __repr__ = fields_repr

    label: str | None
    variables: dict[str, bool]


def _into_at(tokens: list[Token], first: int, last: int) -> int | None:
    """The index of a plain statement's ``INTO`` that PostgreSQL reads targets after
    (pl_gram.y's make_execsql_stmt, token by token, inside parentheses too): the first not
    after ``INSERT`` or ``MERGE``, in a statement not starting with ``IMPORT``."""
    if word(tokens[first]) == "IMPORT":
        return None
    for i in range(first + 1, last):
        if word(tokens[i]) == "INTO" and word(tokens[i - 1]) not in ("INSERT", "MERGE"):
            return i
    return None


def _name_at(tokens: list[Token], i: int, last: int) -> tuple[str, bool, int] | None:
    """The name at token ``i`` as PostgreSQL's scanner reads it (a bare word folded to lower
    case, a quoted one as written, ``$n``), whether it is bare, and the index after it."""
    if i >= last:
        return None
    token = tokens[i]
    if token.token_type == TokenType.IDENTIFIER:
        return token.text, False, i + 1
    if is_word(token):
        return token.text.lower(), True, i + 1
    if token.text == "$" and i + 1 < last and tokens[i + 1].token_type == TokenType.NUMBER and \
            tokens[i + 1].start == token.end + 1 and tokens[i + 1].text.isdigit():
        return "$" + tokens[i + 1].text, True, i + 2
    return None

#: Words that end a select list: after one an END is no label.
_CLAUSE_WORDS = frozenset({"FROM", "INTO", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT",
                           "OFFSET", "FETCH", "FOR", "UNION", "INTERSECT", "EXCEPT"})


def _end_label_at(tokens: list[Token], first: int, last: int) -> int | None:
    """The index of the ``IF``, ``LOOP`` or ``CASE`` after an ``END`` that closes no ``CASE``
    at the top level of ``tokens[first:last]``, an expression PostgreSQL reads to its ``;``
    (or ``,``) and parses as a select list's item (``RAISE NOTICE '%', x END IF``: a ``;``
    lost before ``END IF``). Such an ``END`` is the item's label, and a label is followed by
    no word (``CASE ... END if`` labels a CASE expression ``if``; ``t.end`` is a name); None
    when there is none, or when a clause of the query comes first (``x := a FROM t END IF``
    is refused at ``END``)."""
    depth = cases = 0
    for i in range(first, last - 1):
        token = tokens[i]
        kind = token.token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif depth == 0 and (i == first or tokens[i - 1].token_type != TokenType.DOT):
            w = word(token)
            if w in _CLAUSE_WORDS:
                return None
            if w == "CASE":
                cases += 1
            elif w == "END" and cases:
                cases -= 1
            elif w == "END" and i > first and word(tokens[i + 1]) in ("IF", "LOOP", "CASE"):
                return i + 1
    return None


#: ASCII's capital letters to small ones: PostgreSQL folds no other letter of a name in UTF-8
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_LEVELS = ("DEBUG", "LOG", "INFO", "NOTICE", "WARNING", "EXCEPTION")
_UNSUPPORTED = {"GET", "OPEN", "FETCH", "MOVE", "CLOSE", "COMMIT", "ROLLBACK"}
#: Tokens no PL/pgSQL statement starts with (one starts with a word or a label).
_NO_STATEMENT_START = frozenset({TokenType.DOT, TokenType.SEMICOLON, TokenType.NUMBER,
                                 TokenType.DASH, TokenType.PLUS, TokenType.STAR,
                                 TokenType.SLASH})


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


def block_mistake(cursor: Cursor, outer: Outer | None = None) -> Refused | None:
    """The first mistake PostgreSQL's PL/pgSQL grammar refuses in a body (``cursor`` over its
    tokens, read from the start), among those this reader finds with certainty: an end label
    on an unlabeled block or loop, or one that differs from its label (``end label "x"
    specified for unlabeled block``, ``... differs from block's label "y"``); anything but
    ``;`` after ``END IF``, ``END CASE``, ``END LOOP [label]`` or a nested block's ``END
    [label]`` (``syntax error at or near "x"``); a declaration without a type (``missing data
    type declaration``). Reading stops, with None, at the first construct the reader does not
    know (statements it does not interpret are skipped to their ``;``).

    Given ``outer`` (what the body names before its first ``DECLARE``), also an ``INTO`` target
    that no declaration in scope supplies (``"x" is not a known variable``): in ``SELECT``,
    ``EXECUTE`` and ``RETURNING``, in the one-name and the list form, ``STRICT`` or not. Refused
    only for a body read to its end: a body with a construct the reader does not know is never
    refused for a name, since a declaration may hide in it."""
    reader = _Reader(cursor, 1, strict=True, outer=outer)
    try:
        reader.block_statement()
        cursor.accept_type(TokenType.SEMICOLON)
        token = cursor.peek()
        if token is not None:  # pl_function: the block, an optional ';', nothing else
            raise Refused(f'syntax error at or near "{token.text}"', cursor.pos)
    except Refused as mistake:  # a name refused before it came first
        return reader.unknown or mistake
    except (Unreadable, IndexError):
        return None
    return reader.unknown


class _Reader:
    def __init__(self, cursor: Cursor, line: int, *, strict: bool = False,
                 outer: Outer | None = None) -> None:
        self.c = cursor
        self.base = line
        #: strict: check what PostgreSQL's grammar checks (:func:`block_mistake`), not build
        self.strict = strict
        #: strict, given the outer names: the namespace where the reader is, innermost last
        self.scopes: list[_Scope] | None = None
        if strict and outer is not None:
            self.scopes = [_Scope(outer.label, {n: n in outer.scalars for n in outer.names})]
        #: the first INTO target no declaration in scope supplies
        self.unknown: Refused | None = None

    # -- names in scope (strict, given the outer names) ----------------------------------------

    def push(self, label: str | None, variables: dict[str, bool]) -> None:
        if self.scopes is not None:
            self.scopes.append(_Scope(label, variables))

    def pop(self) -> None:
        if self.scopes is not None:
            self.scopes.pop()

    def check_into(self, first: int, last: int) -> int:
        """Read the ``INTO`` targets from token ``first`` (after ``INTO``; ``STRICT`` may come
        first) as PostgreSQL reads them, and keep the first that no declaration in scope
        supplies, where that is certain (:meth:`judge`). The index after them."""
        tokens = self.c.tokens
        i = first + 1 if first < last and word(tokens[first]) == "STRICT" else first
        targets: list[_Target] = []
        while True:
            at = i
            parts: list[str] = []
            bare: list[bool] = []
            while True:
                name = _name_at(tokens, i, last)
                if name is None:
                    raise Unreadable("an INTO target that is not a name")
                parts.append(name[0])
                bare.append(name[1])
                i = name[2]
                if not (i + 1 < last and tokens[i].token_type == TokenType.DOT):
                    break
                i += 1
            targets.append(_Target(tuple(parts), tuple(bare), at))
            if not (i < last and tokens[i].token_type == TokenType.COMMA):
                break
            i += 1
        self.judge(targets)
        return i

    def judge(self, targets: list[_Target]) -> None:
        """PostgreSQL reads the targets in order: the first that is not a variable is refused,
        as ``"x" is not a known variable`` where it is not one of its key words; a record
        before it (``record variable cannot be part of multiple-item INTO list``), a name of
        letters beyond ASCII (folded to lower case otherwise than here), ``$n``, a name of
        more than three parts: no verdict."""
        if self.scopes is None or self.unknown is not None:
            return
        for target in targets:
            parts = target.parts
            if len(parts) > 3 or any(p.startswith("$") or not p.isascii() for p in parts) or \
                    any(b and p in _KEY_WORDS for p, b in zip(parts, target.bare, strict=True)):
                return
            if len(parts) == 1:
                variable = next((scope.variables[parts[0]] for scope in reversed(self.scopes)
                                 if parts[0] in scope.variables), None)
                if variable is None:
                    break
                if not variable:
                    return
                continue
            head = parts[0].lower()
            if any(head in (n.lower() for n in scope.variables) or
                   (scope.label is not None and head == scope.label.lower())
                   for scope in self.scopes):
                return  # a record's field, a label's variable: not known to be scalar
            break
        else:
            return
        self.unknown = Refused(f'"{".".join(parts)}" is not a known variable', target.at)

    def refuse_unless_semicolon(self) -> None:
        """In strict mode, what follows a statement's last word must be its ``;``."""
        if self.strict and not self.c.at_type(TokenType.SEMICOLON):
            token = self.c.peek()
            raise Refused(f'syntax error at or near "{token.text}"' if token is not None
                          else "syntax error at end of input",
                          self.c.pos if token is not None else None)

    def refuse_after_raise_format(self) -> None:
        """In strict mode, RAISE's format and arguments are followed by ``USING`` or the
        statement's ``;`` (pl_gram.y: a comma before each argument; ``RAISE EXCEPTION 'plan %
        is free' NEW.code``, a comma lost, is a syntax error at the name, which PostgreSQL
        names whole)."""
        c = self.c
        token = c.peek()
        if token is None or token.token_type == TokenType.SEMICOLON or is_string(token):
            return  # ('a' then 'b' a line below: one string, as PostgreSQL's scanner reads it)
        raise Refused(f'syntax error at or near "{self.near(c.pos)}"', c.pos)

    def near(self, at: int) -> str:
        """The text PostgreSQL's PL/pgSQL scanner reads as one token from token ``at``, as its
        syntax error names it: a name with its dotted parts (``NEW.code``) whole."""
        c = self.c
        tokens = c.tokens
        token = tokens[at]
        if not (token.token_type == TokenType.IDENTIFIER or is_word(token)):
            return token.text
        end = at + 1
        while end + 1 < len(tokens) and tokens[end].token_type == TokenType.DOT and \
                tokens[end + 1].start == tokens[end].end + 1 and \
                tokens[end].start == tokens[end - 1].end + 1 and (
                    is_word(tokens[end + 1])
                    or tokens[end + 1].token_type == TokenType.IDENTIFIER):
            end += 2
        return c.text[token.start:tokens[end - 1].end + 1]  # NEW.code: one word to it

    def check_raise_parameters(self, at: int, given: int) -> None:
        """In strict mode, RAISE's format (the string at token ``at``) has as many ``%`` as
        arguments are given (``%%`` is one ``%`` written): PostgreSQL counts them when it
        compiles the body (pl_gram.y's check_raise_parameters: ``too few parameters
        specified for RAISE``, ``too many ...``). Judged for a plain or dollar-quoted format
        alone (no backslash, no string continued on the next line) and arguments with no
        bracket (PostgreSQL ends an argument at a comma inside one)."""
        c = self.c
        token = c.tokens[at]
        written = c.text[token.start:token.start + 1]
        if written not in ("'", "$") or "\\" in token.text or (
                at + 1 < len(c.tokens) and is_string(c.tokens[at + 1])):
            return
        end = c.pos
        if any(t.token_type in (TokenType.L_BRACKET, TokenType.R_BRACKET)
               for t in c.tokens[at:end]):
            return
        text = token.text
        expected = 0
        i = 0
        while i < len(text):
            if text[i] == "%":
                if text.startswith("%%", i):
                    i += 1
                else:
                    expected += 1
            i += 1
        if expected > given:
            raise Refused("too few parameters specified for RAISE", at)
        if expected < given:
            raise Refused("too many parameters specified for RAISE", at)

    def refuse_end_label(self, first: int, last: int) -> None:
        """In strict mode, an expression read to its end (tokens ``[first, last)``) has no
        ``END IF``, ``END LOOP`` or ``END CASE`` in it where its ``END`` closes no ``CASE``:
        PostgreSQL parses it when it compiles the body (pl_gram.y's check_sql_expr), and finds
        a label followed by a word (:func:`_end_label_at`)."""
        if self.strict:
            at = _end_label_at(self.c.tokens, first, last)
            if at is not None:
                raise Refused(f'syntax error at or near "{self.c.tokens[at].text}"', at)

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

    def expect_end(self, kind: str) -> None:
        """``END IF``, ``END CASE`` or ``END LOOP`` (``kind``) next. In strict mode an ``END``
        followed by anything else is PostgreSQL's syntax error at what follows (``IF ... THEN
        ... END ;``: at the ``;``); otherwise the body is no longer read."""
        c = self.c
        if self.strict and c.at("END") and not c.at("END", kind):
            if c.pos + 1 >= len(c.tokens):
                raise Refused("syntax error at end of input", c.pos)
            raise Refused(f'syntax error at or near "{self.near(c.pos + 1)}"', c.pos + 1)
        self.expect("END", kind)

    def semicolon(self) -> None:
        if self.strict and self.c.at_end():  # RETURN 1 END: read to the end, no ';' came
            raise Refused("syntax error at end of input", None)
        if not self.c.accept_type(TokenType.SEMICOLON):
            raise self.fail("expected ';'")

    def refuse_operator_ending(self, first: int, last: int) -> None:
        """An ``IF``, ``ELSIF`` or ``WHILE`` condition (tokens ``first`` to ``last``) that
        ends on an operator (``IF NEW.price <= THEN``): PostgreSQL reads the condition alone
        as ``SELECT`` of it, and no operator is postfix since PostgreSQL 14: its ``syntax
        error at end of input``. ``*`` is left alone (``t.*``)."""
        if not self.strict or last <= first:
            return
        token = self.c.tokens[last - 1]
        if token.text and token.text != "*" and _OPERATOR_CHARACTERS.issuperset(token.text) \
                and not is_string(token) and token.token_type != TokenType.IDENTIFIER:
            raise Refused("syntax error at end of input", last - 1)
        self.refuse_number_after_name(first, last)

    def refuse_number_after_name(self, first: int, last: int) -> None:
        """A condition (tokens ``first`` to ``last``) with, outside parentheses, a name that
        is no key word of PostgreSQL's then a number (``IF NEW.price <= RAISE 0 THEN``: RAISE
        is PL/pgSQL's word, a column in the SELECT PostgreSQL reads the condition as): the
        name ends the expression, and a select list item's label is never a number."""
        tokens = self.c.tokens
        depth = 0
        for i in range(first, last - 1):
            kind = tokens[i].token_type
            if kind == TokenType.L_PAREN:
                depth += 1
            elif kind == TokenType.R_PAREN:
                depth -= 1
            elif depth == 0 and tokens[i + 1].token_type == TokenType.NUMBER and \
                    tokens[i + 1].start > tokens[i].end + 1 and (
                        kind == TokenType.IDENTIFIER or (
                            kind == TokenType.VAR and is_word(tokens[i])
                            and tokens[i].text.lower() not in KEYWORDS)):
                raise Refused(f'syntax error at or near "{tokens[i + 1].text}"', i + 1)

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

    def refuse_key_word_target(self) -> None:
        """In strict mode, a ``FOR`` or ``FOREACH`` loop's target is a variable or a word
        (pl_gram.y's for_variable), never one of PL/pgSQL's key words (``FOR return IN 1..3``,
        ``FOR message IN ...``: a syntax error at it) unless a variable of that name is in
        scope, which the scanner reads as the variable; a quoted name is no key word."""
        token = self.c.peek()
        if not self.strict or token is None or not is_word(token):
            return
        name = token.text.lower()
        if name not in _KEY_WORDS or (name not in _RESERVED_KEY_WORDS and (
                self.scopes is None or any(name in scope.variables for scope in self.scopes))):
            return
        raise Refused(f'syntax error at or near "{token.text}"', self.c.pos)

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
        self.push(label, {d.name: _certainly_scalar(d) for d in declares})
        body = self.statements({"EXCEPTION", "END"})
        handlers: list[Handler] | None = None
        if c.accept("EXCEPTION"):
            self.push(None, {"sqlstate": True, "sqlerrm": True})  # pl_gram.y's exception_sect
            handlers = []
            while c.accept("WHEN"):
                conditions = self.conditions()
                self.expect("THEN")
                handlers.append(Handler(conditions, self.statements({"WHEN", "END"})))
            if not handlers:
                raise self.fail("expected WHEN")
            self.pop()
        self.pop()
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
        if self.strict and c.tokens[first].token_type in (
                TokenType.L_BRACKET, TokenType.L_PAREN, TokenType.NUMBER, TokenType.STRING):
            # k [] := ...; k (int); k 'x';: a type begins with its name
            raise Refused(f'syntax error at or near "{c.slice(first, first + 1)}"', first)
        if self.strict:
            # k varchar(); or k int();: a type's modifiers are one or more
            empty = empty_type_modifiers(c.tokens[:type_end], first)
            if empty is not None:
                raise Refused(f'syntax error at or near "{c.tokens[empty].text}"', empty)
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
                if self.strict:
                    self.check_condition(others=True)
                out.append(self.name())
            if not self.c.accept("OR"):
                return tuple(out)

    def check_condition(self, *, others: bool) -> None:
        """In strict mode, the exception condition named next is one PostgreSQL knows when it
        compiles the body (pl_comp.c: ``unrecognized exception condition "x"``): one of
        plerrcodes.h's names (:data:`CONDITION_NAMES`), or ``OTHERS`` in an ``EXCEPTION
        WHEN`` (``others``). A bare word is folded to lower case as PostgreSQL folds it (ASCII
        letters only); a word that starts with a character beyond ASCII is a name too
        (PostgreSQL's ident_start), a byte order mark one, and so is an unreserved key word
        (``WHEN warning``: a warning's name, no error's). PL/pgSQL's reserved key words, a
        name of more than 63 bytes (truncated) and, in ``RAISE``, a variable (a syntax error
        there) are left alone."""
        token = self.c.peek()
        if token is None:
            return
        if token.token_type == TokenType.IDENTIFIER:
            name = token.text
        elif is_word(token) or (token.token_type == TokenType.VAR and token.text
                                and not token.text[0].isascii()):
            name = token.text.translate(_ASCII_LOWER)
            if name in _RESERVED_KEY_WORDS:
                return
        elif token.token_type == TokenType.PARAMETER and token.text == "$":
            # $1: a word to PL/pgSQL when no variable has the name (a trigger function's)
            tokens, at = self.c.tokens, self.c.pos
            number = tokens[at + 1] if at + 1 < len(tokens) else None
            after = tokens[at + 2] if at + 2 < len(tokens) else None
            if number is None or number.token_type != TokenType.NUMBER or \
                    not number.text.isdigit() or number.start != token.end + 1 or \
                    (after is not None and after.start == number.end + 1):
                return
            name = "$" + number.text
        else:
            return
        if name in CONDITION_NAMES or (others and name == "others") or \
                len(name.encode()) > 63:
            return
        if not others and (self.scopes is None or any(name in scope.variables
                                                      for scope in self.scopes)):
            return
        raise Refused(f'unrecognized exception condition "{name}"', self.c.pos)

    def statements(self, stops: set[str]) -> tuple[Stmt, ...]:
        out: list[Stmt] = []
        while True:
            if self.c.at_end() and self.strict:
                # RETURN NEW END;: PostgreSQL reads a statement to its ';', so the block's END
                # went into it (as the item's label) and the body ends without one
                raise Refused("syntax error at end of input", None)
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
        if self.scopes is not None:
            self.check_assigned()
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
                self.refuse_end_label(first, last)
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
        if w == "NULL" and self.strict:
            # NULL x;: PL/pgSQL's NULL statement is NULL then ; (pl_gram.y's stmt_null; no
            # SQL statement starts with NULL)
            token = c.peek(1)
            if token is None:
                raise Refused("syntax error at end of input", None)
            if token.token_type in (TokenType.IDENTIFIER, TokenType.NUMBER) or is_word(token):
                raise Refused(f'syntax error at or near "{self.near(c.pos + 1)}"', c.pos + 1)
        if w == "RAISE":
            return self.raise_statement()
        if w == "ASSERT":
            c.pos += 1
            first, last = self.until(semicolon=True)
            self.refuse_end_label(first, last)
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
            self.refuse_end_label(first, last)
            self.semicolon()
            text = self.text(first, last)
            return Sql(Text("SELECT " + text.text, text.line), perform=True)
        if w in _UNSUPPORTED and self.strict:
            self.skip_statement()
            return Null()
        if w in _UNSUPPORTED:
            raise self.fail(f"{w} is not interpreted")
        token = c.peek()
        if self.strict and token is not None and token.token_type in (
                TokenType.COMMA, TokenType.L_PAREN, TokenType.R_PAREN, TokenType.R_BRACKET):
            # BEGIN , NEW.a := 1: no statement starts with a comma or a bracket (pl_gram.y
            # hands a word it does not know to the SQL parser; (SELECT 1) starts with none)
            raise Refused(f'syntax error at or near "{token.text}"', c.pos)
        if self.strict and token is not None and (
                token.token_type in _NO_STATEMENT_START or is_string(token)):
            # BEGIN . message := ...; or PERFORM 1;; or BEGIN 'x';: a statement starts with
            # a word (pl_gram.y's statements and stmt_execsql), never with a dot, a ';' (no
            # empty statement), a number, a string or an operator
            end = token.end
            following = c.peek(1)
            if token.token_type == TokenType.DOT and following is not None and \
                    following.token_type == TokenType.NUMBER and following.start == end + 1:
                end = following.end  # .5 is one number to PostgreSQL's scanner
            raise Refused(f'syntax error at or near "{c.text[token.start:end + 1]}"', c.pos)
        if self.strict and (w or (token is not None
                                  and token.token_type == TokenType.IDENTIFIER)) and \
                w not in COMMAND_WORDS and w.lower() not in _KEY_WORDS and \
                not self.element_assignment():
            # price_with_tax RETURN NEW; or EN$D IF;: a statement that starts with a word no
            # SQL command starts with, nor any of PL/pgSQL's key words (pl_gram.y hands it to
            # the SQL parser, which refuses its first word); so does "x" FOUND; and a byte
            # order mark before RETURN is part of that word (PostgreSQL's ident_start takes
            # any byte beyond ASCII: the tokens carry such a word as a quoted name)
            assert token is not None
            raise Refused(f'syntax error at or near "{c.text[token.start:token.end + 1]}"', c.pos)
        return self.sql()

    def check_assigned(self) -> None:
        """A statement that starts with a name (``x``, ``r.f``) followed by ``:=``, ``=`` or
        ``[`` assigns to it: PostgreSQL's grammar refuses one that is no variable in scope
        when it compiles the body (pl_gram.y's stmt_execsql: word_is_not_variable,
        cword_is_not_variable), judged as an ``INTO`` target is (:meth:`judge`)."""
        tokens, i = self.c.tokens, self.c.pos
        parts: list[str] = []
        bare: list[bool] = []
        while True:
            name = _name_at(tokens, i, len(tokens))
            if name is None or name[0].startswith("$"):
                return
            parts.append(name[0])
            bare.append(name[1])
            i = name[2]
            if not (i + 1 < len(tokens) and tokens[i].token_type == TokenType.DOT):
                break
            i += 1
        if i < len(tokens) and tokens[i].token_type in (TokenType.COLON_EQ, TokenType.EQ,
                                                        TokenType.L_BRACKET):
            self.judge([_Target(tuple(parts), tuple(bare), self.c.pos)])

    def element_assignment(self) -> bool:
        """Whether the statement assigns to an array element (``a[1] := x``, ``r.a[i] = x``)."""
        tokens, i = self.c.tokens, self.c.pos + 1
        while i + 1 < len(tokens) and tokens[i].token_type == TokenType.DOT:
            i += 2
        return i < len(tokens) and tokens[i].token_type == TokenType.L_BRACKET

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
        self.refuse_end_label(first, last)
        self.semicolon()
        return Assign(".".join(parts), self.text(first, last))

    def if_statement(self) -> If:
        c = self.c
        self.expect("IF")
        branches: list[tuple[Text, tuple[Stmt, ...]]] = []
        orelse = None
        while True:
            first, last = self.until("THEN")
            self.refuse_operator_ending(first, last)
            self.expect("THEN")
            condition = self.text(first, last)
            body = self.statements({"ELSIF", "ELSEIF", "ELSE", "END"})
            branches.append((condition, body))
            if c.accept("ELSIF") or c.accept("ELSEIF"):
                continue
            if c.accept("ELSE"):
                orelse = self.statements({"END"})
            break
        self.expect_end("IF")
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
        self.expect_end("CASE")
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
            self.refuse_operator_ending(first, last)
            fields["condition"] = self.text(first, last)
        elif w == "FOR":
            self.refuse_key_word_target()
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
            self.refuse_key_word_target()
            fields["var"] = self.name()
            if c.accept("SLICE"):
                raise Unreadable("FOREACH ... SLICE")
            self.expect("IN", "ARRAY")
            first, last = self.until("LOOP")
            fields["array"] = self.text(first, last)
        self.expect("LOOP")
        var = fields.get("var")
        # a FOR over a range declares its variable (an integer); over a query or a cursor it
        # may, and FOREACH's is declared before: taken as declared, of any type
        self.push(label, {var: "low" in fields} if isinstance(var, str) else {})
        body = self.statements({"END"})
        self.pop()
        self.expect_end("LOOP")
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
            first = format_at = c.pos
            c.pos += 1
            message = self.text(first, c.pos)
            while c.accept_type(TokenType.COMMA):
                first, last = self.until("USING", semicolon=True)
                self.refuse_end_label(first, last)
                parts = c.split_top_level(first, last)
                if not parts:
                    raise self.fail("expected an argument")
                args.append(self.text(*parts[0]))
                c.pos = parts[0][1]
            if self.strict and not c.at("USING"):
                self.refuse_after_raise_format()
            if self.strict:
                self.check_raise_parameters(format_at, len(args))
        elif c.accept("SQLSTATE"):
            condition = "sqlstate " + c.string().upper()
        elif token is not None and token.token_type != TokenType.SEMICOLON and not c.at("USING"):
            if self.strict:
                self.check_condition(others=False)
            condition = self.name()
        options: list[tuple[str, Text]] = []
        if c.accept("USING"):
            first, last = self.until(semicolon=True)
            self.refuse_end_label(first, last)
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
        self.refuse_end_label(first, last)
        command = self.text(first, last)
        into: tuple[str, ...] = ()
        strict = False
        using: list[Text] = []
        while True:
            if c.accept("INTO"):
                if self.scopes is not None:
                    c.pos = self.check_into(c.pos, len(c.tokens))
                    continue
                strict = bool(c.accept("STRICT"))
                into = self.targets()
            elif c.accept("USING"):
                first, last = self.until("INTO", semicolon=True)
                self.refuse_end_label(first, last)
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
        if self.scopes is not None:
            into = _into_at(c.tokens, first, last)
            if into is not None:
                self.check_into(into + 1, last)
            return Sql(text)
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
