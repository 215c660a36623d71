"""Statement fragments the fold evaluates: column defaults and identity options, the value of
``setval``, the query of ``INSERT ... SELECT``, ``VALUES`` lists, ``ON CONFLICT`` clauses, and the
names opaque SQL creates or mentions."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError
from schemafold.fragment import fragment
from schemafold.names import QName
from schemafold.parse.tokens import (
    Cursor,
    Token,
    TokenType,
    dotted_name,
    identifier_of,
    is_string,
    leading_name,
    word,
)
from schemafold.rows.literals import NotStatic, _literal, _Reader

# ---------------------------------------------------------------------------------------------
# Column defaults, identity options, sequences


_NEXTVAL = re.compile(
    r"""^\s*(?:pg_catalog\s*\.\s*)?nextval\s*\(\s*'((?:[^']|'')+)'\s*(?:::\s*regclass\s*)?\)\s*$""",
    re.IGNORECASE,
)


def nextval_of(default: str) -> QName | None:
    """The sequence a default ``nextval('s'::regclass)`` draws from, or None."""
    match = _NEXTVAL.match(default)
    if match is None:
        return None
    return QName.parse(match.group(1).replace("''", "'"))


@attrs.frozen
class MaxOf:
    """``max(column)`` over ``table`` (``coalesce``'d to ``default``), plus ``plus``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    table: QName | None
    column: str
    default: int | None = None
    plus: int = 0


def parse_sequence_value(text: str) -> int | MaxOf:
    """The value of ``setval``: an integer, or ``(SELECT max(c) FROM t)``, optionally wrapped in
    ``COALESCE(..., n)`` (inside or outside the subquery) and followed by ``+ n``; ``max(c)``
    alone when the SELECT calling setval has the FROM."""
    lit = _literal(text)
    if lit is not None:
        if lit.kind == "number" and lit.value == lit.value.to_integral_value():
            return int(lit.value)
        raise NotStatic(f"setval to {text!r}")
    r = _Reader(text)
    value = _max_expression(r)
    if not r.at_end():
        raise NotStatic(f"setval to {text!r}")
    return value


def _max_expression(r: _Reader) -> MaxOf:
    value: MaxOf
    if r.accept("COALESCE"):
        r.expect_type(TokenType.L_PAREN)
        inner = _max_expression(r)
        r.expect_type(TokenType.COMMA)
        default = _integer(r)
        r.expect_type(TokenType.R_PAREN)
        value = attrs.evolve(inner, default=default)
    elif r.at_type(TokenType.L_PAREN) and r.peek_word(1) == "SELECT":
        r.next()
        r.next()
        inner = _max_expression(r)
        if not r.accept("FROM"):
            raise NotStatic("setval from a query without FROM")
        start = r.pos
        while not r.at_end() and not r.at_type(TokenType.R_PAREN):
            r.next()
        table = QName.parse(r.text[r.tokens[start].start:r.tokens[r.pos - 1].end + 1]) \
            if r.pos > start else None
        if table is None or r.pos - start not in (1, 3):
            raise NotStatic("setval from a query that is not max() over one table")
        r.expect_type(TokenType.R_PAREN)
        value = attrs.evolve(inner, table=table)
    elif r.peek_word() == "MAX" and r.at_type(TokenType.L_PAREN, 1):
        r.next()
        r.next()
        token = r.next()
        column = identifier_of(token)
        if column is None:
            raise NotStatic("max() of something that is not a column")
        r.expect_type(TokenType.R_PAREN)
        value = MaxOf(table=None, column=column)
    else:
        raise NotStatic("setval to an expression")
    if r.at_type(TokenType.PLUS):
        r.next()
        value = attrs.evolve(value, plus=value.plus + _integer(r))
    return value


def _integer(r: _Reader) -> int:
    sign = 1
    if r.at_type(TokenType.DASH):
        r.next()
        sign = -1
    token = r.next()
    if token.token_type != TokenType.NUMBER or not token.text.isdigit():
        raise NotStatic("expected an integer")
    return sign * int(token.text)


# ---------------------------------------------------------------------------------------------
# INSERT ... SELECT and ON CONFLICT


@attrs.frozen
class SimpleSelect:
    """``SELECT items [FROM table [AS alias]] [WHERE predicate]``; ``items`` None for ``*``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    items: tuple[str, ...] | None
    table: QName | None
    alias: str | None
    where: str | None


_SELECT_STOPS = frozenset(
    """
    GROUP ORDER LIMIT OFFSET HAVING UNION INTERSECT EXCEPT JOIN INNER LEFT RIGHT FULL CROSS
    NATURAL WINDOW FETCH FOR LATERAL
    """.split()  # noqa: SIM905
)


def parse_select(text: str) -> SimpleSelect:
    """A query of the one shape the fold evaluates: items over at most one table, filtered by
    a predicate; joins, grouping, aggregates, ordering and set operations are ``NotStatic``,
    and so is any other shape (``FROM (subquery) s``): the statement was checked as
    PostgreSQL's grammar reads it before, so what this reader cannot read is only a query it
    does not evaluate, never bad input."""
    try:
        return _read_select(text)
    except InputError as error:
        raise NotStatic(f"a query of another shape ({error.message})") from error


def _read_select(text: str) -> SimpleSelect:
    cursor = Cursor(text)
    if not cursor.accept("SELECT"):
        raise NotStatic("a query that is not a plain SELECT")
    if cursor.peek_word() in ("DISTINCT", "ALL"):
        raise NotStatic("SELECT DISTINCT")
    start = cursor.pos
    cursor.skip_to("FROM", "WHERE", *_SELECT_STOPS)
    items: tuple[str, ...] | None = tuple(
        cursor.slice(a, b) for a, b in cursor.split_top_level(start, cursor.pos)
    )
    if items == ("*",):
        items = None
    elif items:
        for item in items:
            if re.search(r"\b(count|sum|max|min|avg|array_agg|string_agg|jsonb_agg|json_agg|"
                         r"bool_and|bool_or|jsonb_object_agg)\s*\(", item, re.IGNORECASE):
                raise NotStatic("an aggregate")
    table = alias = where = None
    if cursor.accept("FROM"):
        table = cursor.qname()
        if cursor.accept("AS") or (cursor.peek_word() not in ("WHERE", "") and not cursor.at_type(
                TokenType.COMMA) and cursor.peek_word() not in _SELECT_STOPS):
            alias = cursor.identifier()
    if cursor.accept("WHERE"):
        begin = cursor.pos
        cursor.skip_to(*_SELECT_STOPS)
        where = cursor.slice(begin, cursor.pos)
    if not cursor.at_end():
        token = cursor.peek()
        raise NotStatic(f"a query with {token.text if token else ''} (only SELECT ... FROM one "
                        "table WHERE ... is evaluated)")
    return SimpleSelect(items=items, table=table, alias=alias, where=where)


@attrs.frozen
class Assignment:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    column: str
    expression: str


@attrs.frozen
class OnConflict:
    """``ON CONFLICT [(columns) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET ... [WHERE]``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    columns: tuple[str, ...] = ()
    constraint: str | None = None
    update: tuple[Assignment, ...] | None = None  # None: DO NOTHING
    where: str | None = None


def parse_on_conflict(text: str) -> OnConflict:
    cursor = Cursor(text)
    columns: tuple[str, ...] = ()
    constraint = None
    if cursor.at_type(TokenType.L_PAREN):
        first, last = cursor.group()
        parts = cursor.split_top_level(first, last)
        names = []
        for a, b in parts:
            if b - a != 1:
                raise NotStatic("ON CONFLICT on an expression")
            name = identifier_of(cursor.tokens[a])
            if name is None:
                raise NotStatic("ON CONFLICT on an expression")
            names.append(name)
        columns = tuple(names)
        if cursor.accept("WHERE"):
            raise NotStatic("ON CONFLICT with an index predicate")
    elif cursor.accept("ON", "CONSTRAINT"):
        constraint = cursor.identifier()
    if not cursor.accept("DO"):
        raise NotStatic("ON CONFLICT without DO")
    if cursor.accept("NOTHING"):
        if not cursor.at_end():
            raise NotStatic("ON CONFLICT DO NOTHING followed by more")
        return OnConflict(columns=columns, constraint=constraint)
    if not cursor.accept("UPDATE", "SET"):
        raise NotStatic("ON CONFLICT DO something else")
    start = cursor.pos
    cursor.skip_to("WHERE")
    assignments = []
    for a, b in cursor.split_top_level(start, cursor.pos):
        part = cursor.sub(a, b)
        if part.at_type(TokenType.L_PAREN):
            raise NotStatic("a multi-column assignment")
        column = part.identifier()
        if not part.accept_type(TokenType.EQ):
            raise NotStatic("expected = in DO UPDATE SET")
        assignments.append(Assignment(column, part.rest()))
    where = None
    if cursor.accept("WHERE"):
        where = cursor.rest()
    return OnConflict(columns=columns, constraint=constraint, update=tuple(assignments),
                      where=where)


def parse_values(text: str) -> list[tuple[str, ...]]:
    """The rows of ``VALUES (a, b), (c, d)``: each item's text as written."""
    cursor = Cursor(text)
    if not cursor.accept("VALUES"):
        raise NotStatic("a query that is not VALUES")
    rows = []
    while cursor.at_type(TokenType.L_PAREN):
        first, last = cursor.group()
        rows.append(tuple(cursor.slice(a, b) for a, b in cursor.split_top_level(first, last)))
        if not cursor.accept_type(TokenType.COMMA):
            break
    if not cursor.at_end():
        raise NotStatic("VALUES followed by more")
    return rows


# ---------------------------------------------------------------------------------------------
# Names in statements kept verbatim


_CREATED_KINDS = frozenset({"TABLE", "VIEW", "SEQUENCE", "TYPE", "DOMAIN", "FUNCTION", "PROCEDURE"})
_CREATE_MODIFIERS = frozenset(
    {"OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "MATERIALIZED", "RECURSIVE", "GLOBAL",
     "LOCAL", "FOREIGN"}
)


def created_names(text: str) -> list[QName]:
    """The names ``CREATE TABLE|VIEW|SEQUENCE|TYPE|DOMAIN|FUNCTION|PROCEDURE`` statements inside
    ``text`` create (also inside dollar-quoted bodies and strings run by ``EXECUTE``)."""
    tokens = fragment(text).tokens_or_none()
    if tokens is None:
        return []
    names: list[QName] = []
    for i, token in enumerate(tokens):
        if is_string(token) and "create" in token.text.lower():
            names.extend(created_names(token.text))
            continue
        if word(token) != "CREATE":
            continue
        j = i + 1
        while j < len(tokens) and word(tokens[j]) in _CREATE_MODIFIERS:
            j += 1
        if j >= len(tokens) or word(tokens[j]) not in _CREATED_KINDS:
            continue
        j += 1
        if [word(t) for t in tokens[j:j + 3]] == ["IF", "NOT", "EXISTS"]:
            j += 3
        name = leading_name(tokens, j)
        if name is not None:
            names.append(name)
    return names


#: ``CREATE`` of kinds the fold does not model whose objects later statements name, by the words
#: after ``CREATE`` (``OR REPLACE``, ``TRUSTED``, ``PROCEDURAL`` and ``DEFAULT`` skipped)
_UNMODELLED_NAMED = (
    ("COLLATION",), ("AGGREGATE",), ("OPERATOR", "CLASS"), ("OPERATOR", "FAMILY"),
    ("TEXT", "SEARCH", "CONFIGURATION"), ("TEXT", "SEARCH", "DICTIONARY"),
    ("TEXT", "SEARCH", "PARSER"), ("TEXT", "SEARCH", "TEMPLATE"), ("CONVERSION",), ("SERVER",),
    ("ACCESS", "METHOD"), ("LANGUAGE",), ("OPERATOR",), ("ROLE",), ("USER",), ("GROUP",),
)
_UNMODELLED_SKIPPED = frozenset({"OR", "REPLACE", "TRUSTED", "PROCEDURAL", "DEFAULT"})
#: languages every database has: ``CREATE OR REPLACE LANGUAGE plpgsql`` (old histories) changes
#: nothing a later statement could miss
_BUILT_IN_LANGUAGES = frozenset({"plpgsql", "sql", "c", "internal"})
_OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?"


@attrs.frozen
class UnmodelledName:
    """A name a statement the fold keeps verbatim gives an object of a kind it does not model
    (``CREATE COLLATION ci``, ``CREATE AGGREGATE total(int)``, ``ALTER COLLATION ci RENAME TO
    ci2``): later statements naming it must run after it. ``kind`` is the words naming the kind
    (lower case); ``name`` the object's own name as PostgreSQL stores it (an operator's symbol)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: str
    name: str

    def mentioned_in(self, text: str) -> bool:
        """Whether ``text`` may name this object: as a name (bare, quoted or qualified, called
        or not), in a string literal (``'english_simple'::regconfig``) or a dollar-quoted body;
        an operator wherever its symbol stands alone. More often than it does, never less."""
        if self.kind == "operator":
            pattern = (f"(?<![{re.escape(_OPERATOR_CHARS)}]){re.escape(self.name)}"
                       f"(?![{re.escape(_OPERATOR_CHARS)}])")
            return re.search(pattern, text) is not None
        return self.name in names_spelled(text)


def unmodelled_created(text: str) -> list[UnmodelledName]:
    """The objects of unmodelled kinds ``text`` creates or renames to (``CREATE COLLATION``,
    ``AGGREGATE``, ``OPERATOR`` [``CLASS``|``FAMILY``], ``TEXT SEARCH ...``, ``CONVERSION``,
    ``SERVER``, ``ACCESS METHOD``, ``LANGUAGE``; ``ALTER`` of those ``... RENAME TO``), and the
    roles it creates (``CREATE ROLE|USER|GROUP``: a role a ``DO`` block makes is not one the
    fold follows), also inside dollar-quoted bodies and strings run by ``EXECUTE``."""
    tokens = fragment(text).tokens_or_none()
    if not tokens:
        return []
    words = [word(t) for t in tokens]
    found: list[UnmodelledName] = []
    for i, token in enumerate(tokens):
        if is_string(token):
            if _CREATES_OR_ALTERS.search(token.text):
                found.extend(unmodelled_created(token.text))
        elif words[i] in ("CREATE", "ALTER"):
            found.extend(_unmodelled_at(tokens, words, i))
    return found


_CREATES_OR_ALTERS = re.compile(r"\b(CREATE|ALTER)\b", re.IGNORECASE)


def _unmodelled_at(tokens: Sequence[Token], words: list[str], i: int) -> list[UnmodelledName]:
    """What the ``CREATE`` or ``ALTER`` at ``tokens[i]`` gives a name to (see
    :func:`unmodelled_created`)."""
    j = i + 1
    while j < len(tokens) and words[j] in _UNMODELLED_SKIPPED:
        j += 1
    kind = next((k for k in _UNMODELLED_NAMED if tuple(words[j:j + len(k)]) == k), None)
    if kind is None or words[j:j + 2] == ["USER", "MAPPING"]:
        return []
    j += len(kind)
    label = " ".join(kind).lower()
    if words[i] == "ALTER":
        end = next((k for k in range(j, len(tokens))
                    if tokens[k].token_type == TokenType.SEMICOLON), len(tokens))
        renamed = [k for k in range(j, end - 2) if words[k:k + 2] == ["RENAME", "TO"]]
        new = identifier_of(tokens[renamed[-1] + 2]) if renamed else None
        return [UnmodelledName(label, new)] if new is not None else []
    if words[j:j + 3] == ["IF", "NOT", "EXISTS"]:
        j += 3
    if label == "operator":
        symbol = ""
        while j < len(tokens) and tokens[j].token_type != TokenType.L_PAREN:
            symbol += tokens[j].text
            j += 1
        symbol = symbol.rpartition(".")[2] if "." in symbol else symbol
        return [UnmodelledName(label, symbol)] if symbol else []
    parts, _ = dotted_name(tokens, j)
    if not parts or (label == "language" and parts[-1] in _BUILT_IN_LANGUAGES):
        return []
    return [UnmodelledName(label, parts[-1])]


def names_spelled(text: str) -> set[str]:
    """Every name ``text`` may spell: each identifier (quoted as written, bare folded to lower
    case), each string literal's text and its last dotted part (folded to lower case), and the
    same inside dollar-quoted bodies."""
    tokens = fragment(text).tokens_or_none()
    if tokens is None:
        return set(re.findall(r"[^\W\d][\w$]*", text.lower()))
    names: set[str] = set()
    for token in tokens:
        if token.token_type == TokenType.HEREDOC_STRING:
            names |= names_spelled(token.text)
        elif is_string(token):
            value = token.text.strip().strip('"')
            names.update({value.lower(), value.rpartition(".")[2].strip('"').lower()})
        elif (name := identifier_of(token)) is not None:
            names.add(name)
    return names


_SQL_IN_STRING = re.compile(r"\b(ALTER|CREATE|DELETE|DROP|INSERT|TRUNCATE|UPDATE)\b",
                            re.IGNORECASE)


def names_in_sql_strings(text: str) -> list[QName]:
    """Names mentioned by SQL held in string literals (``EXECUTE 'UPDATE t ...'``,
    ``format('ALTER TABLE %I ...')``), also inside dollar-quoted bodies."""
    tokens = fragment(text).tokens_or_none()
    if tokens is None:
        return []
    names: list[QName] = []
    for token in tokens:
        if token.token_type == TokenType.HEREDOC_STRING:
            names.extend(names_in_sql_strings(token.text))
        elif is_string(token) and _SQL_IN_STRING.search(token.text):
            names.extend(mentioned_names(token.text))
    return names


_RELATION_BEFORE = frozenset({"INTO", "TABLE", "UPDATE", "FROM", "JOIN", "ONLY", "REFERENCES"})


def mentioned_names(text: str | None) -> list[QName]:
    """Every (possibly qualified) name in ``text`` (and in its dollar-quoted bodies) that is not
    called as a function; a name after ``INTO``, ``TABLE``, ``UPDATE``, ``FROM``, ``JOIN``,
    ``ONLY`` or ``REFERENCES`` is a relation even when a column list follows it."""
    return _names(text, calls=False)


def called_names(text: str | None) -> list[QName]:
    """Every (possibly qualified) name in ``text`` (and in its dollar-quoted bodies) called as
    a function: a name followed by ``(`` that is not a relation (see :func:`mentioned_names`)."""
    return _names(text, calls=True)


def _names(text: str | None, *, calls: bool) -> list[QName]:
    if not text:
        return []
    tokens = fragment(text).tokens_or_none()
    if tokens is None:
        return []
    names = []
    i = 0
    while i < len(tokens):
        if tokens[i].token_type == TokenType.HEREDOC_STRING:
            names.extend(_names(tokens[i].text, calls=calls))
            i += 1
            continue
        parts, j = dotted_name(tokens, i)
        if not parts:
            i += 1
            continue
        call = j < len(tokens) and tokens[j].token_type == TokenType.L_PAREN \
            and not (i > 0 and word(tokens[i - 1]) in _RELATION_BEFORE)
        if call == calls:
            names.append(QName.from_parts(parts))
        i = j
    return names
