"""Handlers: data statements (INSERT, UPDATE, DELETE, TRUNCATE) and top-level SELECT.

Owns: reading what a data statement touches and, where its values are literals, the values
themselves (so the fold can track rows statically); deciding whether a top-level SELECT is a pure
query (no effect) or a call with side effects that must be kept.

Must not know: the schema state; whether a table is empty.
"""

from __future__ import annotations

from schemafold.events import (
    Delete,
    Event,
    Insert,
    Origin,
    SessionStatement,
    SetSearchPath,
    SetSequenceValue,
    Truncate,
    Update,
)
from schemafold.names import QName, split_qualified
from schemafold.parse.keywords import KEYWORDS, UNRESERVED
from schemafold.parse.postgres.opaque import names_in
from schemafold.parse.postgres.registry import Unsupported, handles
from schemafold.parse.tokens import (
    Cursor,
    Token,
    TokenType,
    identifier_of,
    is_string,
    is_word,
    word,
)

_LITERAL_WORDS = frozenset({"NULL", "TRUE", "FALSE", "ARRAY"})
_LITERAL_PUNCTUATION = frozenset(
    {TokenType.DASH, TokenType.PLUS, TokenType.L_BRACKET, TokenType.R_BRACKET, TokenType.COMMA}
)

#: Functions a top-level SELECT may call without changing anything.
PURE_FUNCTIONS = frozenset(
    """
    abs array_agg avg coalesce concat count current_database current_schema current_schemas
    current_setting current_user format generate_series greatest has_schema_privilege
    has_table_privilege least length lower max min now nullif pg_get_serial_sequence pg_typeof
    session_user string_agg sum to_regclass to_regproc to_regtype unnest upper version
    """.split()  # noqa: SIM905
)

#: Key words that may stand before a parenthesis in a query without being a function call.
_SYNTAX_WORDS = frozenset(
    """
    ALL AND ANY ARRAY AS BETWEEN BY CASE CAST DISTINCT ELSE EXCEPT EXISTS FILTER FROM IN
    INTERSECT IS JOIN LATERAL LIKE ILIKE NOT ON OR OVER ROW SELECT SIMILAR SOME THEN UNION USING
    VALUES WHEN WHERE WITHIN
    """.split()  # noqa: SIM905
)


def _is_literal(cursor: Cursor, first: int, last: int) -> bool:
    """A value made only of constants: strings, numbers, NULL/TRUE/FALSE, signs, casts to a type,
    and ARRAY[...] of those."""
    i = first
    while i < last:
        token = cursor.tokens[i]
        if (
            is_string(token)
            or token.token_type == TokenType.NUMBER
            or token.token_type in _LITERAL_PUNCTUATION
            or word(token) in _LITERAL_WORDS
        ):
            i += 1
        elif token.token_type == TokenType.DCOLON:
            i += 1
            # the type: words, dots, a typmod group and array brackets
            while i < last and (
                word(cursor.tokens[i])
                or cursor.tokens[i].token_type
                in (TokenType.DOT, TokenType.L_BRACKET, TokenType.R_BRACKET, TokenType.IDENTIFIER)
            ):
                i += 1
            if i < last and cursor.tokens[i].token_type == TokenType.L_PAREN:
                depth = 0
                while i < last:
                    if cursor.tokens[i].token_type == TokenType.L_PAREN:
                        depth += 1
                    elif cursor.tokens[i].token_type == TokenType.R_PAREN:
                        depth -= 1
                        if depth == 0:
                            i += 1
                            break
                    i += 1
        else:
            return False
    return True


_CONSTANT_WORDS = frozenset(("NULL", "TRUE", "FALSE"))


def refuse_trailing_word(cursor: Cursor, first: int, last: int) -> None:
    """A VALUES item that is a constant followed by one bare word (``'r1' CASCADE``: a word
    inserted, or a comma lost before a word) is PostgreSQL's syntax error at the word: no
    expression ends on a word after a constant but ``ISNULL`` and ``NOTNULL``, and a VALUES
    item has no column label."""
    if last - first != 2:
        return
    before, token = cursor.tokens[first], cursor.tokens[first + 1]
    if (is_string(before) or before.token_type == TokenType.NUMBER) and is_word(token) and \
            word(token) not in ("ISNULL", "NOTNULL"):
        raise cursor.error(f'syntax error at or near "{token.text}"', token)


def refuse_column_value(cursor: Cursor, first: int, last: int) -> None:
    """A VALUES item that is a name alone, or a name cast (``VALUES (b)``, ``(b::int)``): a
    column reference, which nothing in an ``INSERT``'s VALUES list can resolve (no FROM, and
    the target's columns are not in scope), so PostgreSQL refuses it (``column "b" does not
    exist``). Key words (``DEFAULT``, ``NULL``, ``CURRENT_USER``) are no names."""
    token = cursor.tokens[first]
    if not _plain_name(token) or not (
            last == first + 1 or cursor.tokens[first + 1].token_type == TokenType.DCOLON):
        return
    name = token.text if token.token_type == TokenType.IDENTIFIER else token.text.lower()
    raise cursor.error(f'column "{name}" does not exist', token)


def refuse_adjacent_constants(cursor: Cursor, first: int, last: int) -> None:
    """Two constants in a row at the top level of a VALUES item or a column's DEFAULT
    (``'cy' false``, ``2 'new'``,
    ``NULL 1``: a comma lost) are PostgreSQL's syntax error at the second; only strings with a
    line break between them are one (``'a'`` newline ``'b'``). Inside parentheses a subquery's
    select list may label a column with a bare ``true`` or ``null``, so only depth 0 counts."""
    def constant(i: int) -> bool:
        token = cursor.tokens[i]
        return is_string(token) or token.token_type == TokenType.NUMBER or \
            (word(token) in _CONSTANT_WORDS and token.token_type != TokenType.IDENTIFIER)

    def name(i: int) -> bool:
        return _plain_name(cursor.tokens[i])

    def unreserved(i: int) -> bool:
        # REPLACE 1 (a word lost between): an unreserved key word is a name here, save
        # AT TIME ZONE's, whose operand may be a number
        token = cursor.tokens[i]
        return token.token_type != TokenType.IDENTIFIER and is_word(token) and \
            token.text.lower() in UNRESERVED and word(token) != "ZONE"

    depth = 0
    opened: list[int] = []  # where each open parenthesis is
    for i in range(first, last - 1):
        kind = cursor.tokens[i].token_type
        following = cursor.tokens[i + 1]
        if kind == TokenType.L_PAREN and following.token_type == TokenType.R_PAREN and (
                i == first or not (name(i - 1) or word(cursor.tokens[i - 1]))):
            # DEFAULT (), VALUES (1, ()): parentheses around nothing (ROW() and f() are calls)
            raise cursor.error('syntax error at or near ")"', following)
        if (depth == 0 and (name(i) or unreserved(i)) and
                following.token_type == TokenType.NUMBER) or (
                depth == 1 and kind == TokenType.R_PAREN and (
                    name(i + 1) or following.token_type == TokenType.NUMBER) and not (
                    opened and opened[-1] > first
                    and word(cursor.tokens[opened[-1] - 1]) == "OPERATOR")):
            # DEFAULT nope 0, DEFAULT nextval('s') scratch, abs(-1) 2: an operand, then a
            # name or a number; no label stands in a VALUES item or a DEFAULT (a string may:
            # numeric(5, 2) '1.5' is a typed constant)
            raise cursor.error(f'syntax error at or near "{following.text}"', following)
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
            opened.append(i)
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
            if opened:
                opened.pop()
        elif depth == 0 and constant(i) and constant(i + 1):
            before, token = cursor.tokens[i], cursor.tokens[i + 1]
            if is_string(before) and is_string(token) and \
                    "\n" in cursor.text[before.end + 1:token.start]:
                continue
            written = cursor.text[token.start:token.end + 1]
            raise cursor.error(f'syntax error at or near "{written}"', token)


def _query_in_parentheses(cursor: Cursor) -> bool:
    """Whether the ``(`` next is the query's, not the column list's: ``INSERT INTO t (SELECT
    ...)``, ``((SELECT ...))``, ``(VALUES (...))``, ``(WITH ...)``, ``(TABLE t)``. A column list
    starts with a name, and no column is named by a reserved word (``values`` is not one:
    ``(values) VALUES (1)`` names the column)."""
    first, after = cursor.peek(1), cursor.peek(2)
    if first is None:
        return False
    if first.token_type == TokenType.L_PAREN:
        return True
    head = word(first)
    return head in ("SELECT", "WITH", "TABLE") or (
        head == "VALUES" and after is not None and after.token_type == TokenType.L_PAREN)


@handles("INSERT INTO", "INSERT")
def insert(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("INSERT")
    cursor.expect("INTO")
    table = cursor.qname()
    if cursor.accept("AS"):
        cursor.identifier()
    columns: tuple[str, ...] | None = None
    named_at: list[int] = []
    widths: list[list[tuple[int, int]]] = []  # each row's (or the select list's) items
    if cursor.at_type(TokenType.L_PAREN) and not _query_in_parentheses(cursor):
        opened = cursor.pos
        first, last = cursor.group()
        if any(t.token_type in (TokenType.DOT, TokenType.L_BRACKET)
               for t in cursor.tokens[first:last]):
            # INSERT INTO t (pair.x, tags[1]): a column's field or element (PostgreSQL's
            # insert_column_item has an indirection), as UPDATE's SET pair.x = ...
            raise Unsupported("INSERT into a field or array element")
        named_at = [a for a, _ in cursor.split_top_level(first, last)]
        cursor.pos = opened
        columns = tuple(cursor.group_identifiers())
    overriding_user = False
    if cursor.accept("OVERRIDING"):
        kind = cursor.accept_any("SYSTEM", "USER")
        if not kind:  # OVERRIDING VALUE: SYSTEM or USER is written, never left out
            found = cursor.peek()
            raise cursor.error("syntax error at end of input" if found is None else
                               f'syntax error at or near "{found.text}"')
        overriding_user = kind == "USER"
        cursor.expect("VALUE")
    rows: list[tuple[str, ...]] | None = []
    query_start = cursor.pos
    if cursor.at_end():  # INSERT INTO t, cut short: the rows or query are missing
        raise cursor.error("syntax error at end of input", cursor.tokens[-1])
    if cursor.accept("DEFAULT", "VALUES"):
        rows = None
    elif cursor.accept("VALUES"):
        if not cursor.at_type(TokenType.L_PAREN):
            found = cursor.peek()
            raise cursor.error("syntax error at end of input" if found is None else
                               f'syntax error at or near "{found.text}"')
        while cursor.at_type(TokenType.L_PAREN):
            first, last = cursor.group()
            if first == last:  # VALUES (): a row has at least one value
                raise cursor.error('syntax error at or near ")"', cursor.tokens[last])
            values = cursor.split_top_level(first, last)
            widths.append(values)
            for a, b in values:
                refuse_adjacent_constants(cursor, a, b)
                refuse_trailing_word(cursor, a, b)
                refuse_column_value(cursor, a, b)
            if rows is not None and all(
                _is_literal(cursor, a, b) or (b == a + 1 and word(cursor.tokens[a]) == "DEFAULT")
                for a, b in values
            ):
                rows.append(tuple(cursor.slice(a, b) for a, b in values))
            else:
                rows = None
            if not cursor.accept_type(TokenType.COMMA):
                break
    else:
        rows = None
        found = cursor.peek()
        inside = cursor.pos
        while inside < len(cursor.tokens) and \
                cursor.tokens[inside].token_type == TokenType.L_PAREN:
            inside += 1
        if inside > cursor.pos:  # a query in parentheses: '(' then what starts one
            found = cursor.tokens[inside] if inside < len(cursor.tokens) else None
            if found is None:
                raise cursor.error("syntax error at end of input", cursor.tokens[-1])
        # the rows come from VALUES or a query (PostgreSQL's SelectStmt starts with one of
        # these or a parenthesis around one): 'INSERT INTO t (a) SELEC', a file cut short,
        # 'INSERT INTO t (a) ('x')' (VALUES lost)
        if found is not None and word(found) not in ("SELECT", "WITH", "TABLE", "VALUES"):
            written = cursor.text[found.start:found.end + 1]
            raise cursor.error(f'syntax error at or near "{written}"', found)
        while True:  # the query may hold ON (of a join): stop at ON CONFLICT only
            cursor.skip_to("ON", "RETURNING")
            if cursor.at("ON") and not cursor.at("ON", "CONFLICT"):
                cursor.next()
                continue
            break
    query = cursor.slice(query_start, cursor.pos) if rows is None else None
    if word(cursor.tokens[query_start]) == "SELECT":
        items = _select_items(cursor, query_start + 1, cursor.pos)
        widths = [] if items is None else [items]
    if columns is not None:
        _refuse_widths(cursor, named_at, widths)
    on_conflict = None
    if cursor.accept("ON", "CONFLICT"):
        start = cursor.pos
        cursor.skip_to("RETURNING")
        on_conflict = cursor.slice(start, cursor.pos)
        _check_conflict_action(cursor, start, cursor.pos)
    if cursor.accept("RETURNING"):
        cursor.rest()
    if not cursor.at_end():
        token = cursor.peek()
        raise cursor.error(f"unexpected {token.text if token else 'end'} in INSERT")
    reads, _ = names_in(origin.text)
    return [
        Insert(
            origin=origin,
            table=table,
            columns=columns,
            rows=tuple(rows) if rows is not None else None,
            on_conflict=on_conflict,
            reads=tuple(reads),
            query=query or None,
            overriding_user=overriding_user,
        )
    ]


def _refuse_widths(cursor: Cursor, named_at: list[int],
                   widths: list[list[tuple[int, int]]]) -> None:
    """An INSERT's target columns (at ``named_at``) and the items of its VALUES rows or of its
    query's select list (``widths``) are as many: PostgreSQL's ``INSERT has more target
    columns than expressions`` (``INSERT INTO t (a, b) VALUES (1)``, ``INSERT INTO t (a)
    SELECT FROM u``) or ``... more expressions than target columns``. Not judged when the rows
    differ in length (an error of its own) or an item is a ``*`` that expands to columns."""
    if not widths or len({len(items) for items in widths}) != 1 or any(
            cursor.tokens[b - 1].token_type == TokenType.STAR
            for items in widths for _, b in items):
        return
    items = widths[0]
    if len(items) < len(named_at):
        raise cursor.error("INSERT has more target columns than expressions",
                           cursor.tokens[named_at[len(items)]])
    if len(items) > len(named_at):
        raise cursor.error("INSERT has more expressions than target columns",
                           cursor.tokens[items[len(named_at)][0]])


#: Words that end a select list where they stand outside parentheses (and no AS or dot is
#: before them: ``AS from`` and ``t.order`` are names)
_END_OF_SELECT_LIST = frozenset({
    "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR",
    "INTO", "ON", "RETURNING",
})


def _select_items(cursor: Cursor, first: int, last: int) -> list[tuple[int, int]] | None:
    """The items of the select list of a plain query ``SELECT ... [FROM ...]`` in
    ``tokens[first:last]`` (``first`` right after ``SELECT``), or None when not read here: a
    ``DISTINCT ON``, a ``UNION``, ``INTERSECT`` or ``EXCEPT`` (the columns of the arms),
    or a list ending on a comma."""
    tokens = cursor.tokens
    start = first
    if start < last and word(tokens[start]) == "ALL":
        start += 1
    elif start < last and word(tokens[start]) == "DISTINCT":
        if start + 1 < last and word(tokens[start + 1]) == "ON":
            return None
        start += 1
    end = last
    depth = 0
    for j in range(start, last):
        token = tokens[j]
        upper = word(token)
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif depth == 0 and upper in ("UNION", "INTERSECT", "EXCEPT"):
            end = min(end, j)  # the first arm's items: the others have as many
            break
        elif depth == 0 and end == last and upper in _END_OF_SELECT_LIST and \
                word(tokens[j - 1]) not in ("AS", "WITHIN") and \
                (j == start or word(tokens[j - 1]) != "DISTINCT") and \
                tokens[j - 1].token_type != TokenType.DOT:
            end = j
    if end > start and tokens[end - 1].token_type == TokenType.COMMA:
        return None
    if end == start:
        return []
    return cursor.split_top_level(start, end)


def _check_conflict_action(cursor: Cursor, first: int, last: int) -> None:
    """``ON CONFLICT [target] DO NOTHING | DO UPDATE SET ...``, balanced: PostgreSQL's syntax
    error for one cut short (``ON CONFLICT (la``, ``... DO``)."""
    words = [word(t) for t in cursor.tokens[first:last]]
    if len(words) > 1 and cursor.tokens[first].token_type == TokenType.L_PAREN and \
            cursor.tokens[first + 1].token_type == TokenType.R_PAREN:
        # ON CONFLICT () DO ...: a conflict target names at least one column or expression
        raise cursor.error('syntax error at or near ")"', cursor.tokens[first + 1])
    depth = 0
    for token in cursor.tokens[first:last]:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
    if depth or "DO" not in words or words[-1] in ("DO", "UPDATE", "SET"):
        raise cursor.error("syntax error at end of input", cursor.tokens[last - 1])


#: Two words that start a statement and nothing else: met at the top level of an UPDATE or DELETE,
#: they are the next statement with the ``;`` between them missing.
_NEXT_STATEMENT = (("INSERT", "INTO"), ("DELETE", "FROM"), ("ALTER", "TABLE"),
                   ("CREATE", "TABLE"), ("CREATE", "INDEX"), ("CREATE", "UNIQUE"),
                   ("DROP", "TABLE"))


def _refuse_run_on(cursor: Cursor) -> None:
    """PostgreSQL's syntax error for an UPDATE or DELETE that runs on into the next statement."""
    depth = 0
    tokens = cursor.tokens
    for i in range(1, len(tokens) - 1):
        token_type = tokens[i].token_type
        if token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif token_type in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif depth == 0 and (word(tokens[i]), word(tokens[i + 1])) in _NEXT_STATEMENT:
            raise cursor.error(f'syntax error at or near "{tokens[i].text}"', tokens[i])


@handles("UPDATE")
def update(cursor: Cursor, origin: Origin) -> list[Event]:
    _refuse_run_on(cursor)
    cursor.expect("UPDATE")
    cursor.accept("ONLY")
    table = cursor.qname()
    cursor.accept_type(TokenType.STAR)
    if cursor.accept("AS") or (cursor.peek_word() not in ("SET", "") or cursor.at_type(
        TokenType.IDENTIFIER
    )):
        cursor.identifier()
    cursor.expect("SET")
    start = cursor.pos
    cursor.skip_to("FROM", "WHERE", "RETURNING")
    if cursor.pos == start:  # UPDATE t SET WHERE ..., or cut after SET: no assignment
        following = cursor.peek()
        if following is None:
            raise cursor.error("syntax error at end of input", cursor.tokens[-1])
        raise cursor.error(f'syntax error at or near "{following.text}"', following)
    assignments: list[tuple[str, str]] = []
    for first, last in cursor.split_top_level(start, cursor.pos):
        part = cursor.sub(first, last)
        if part.at_type(TokenType.L_PAREN):
            raise Unsupported("UPDATE with a multi-column assignment")
        column = part.identifier()
        while part.accept_type(TokenType.DOT) or part.at_type(TokenType.L_BRACKET):
            raise Unsupported("UPDATE of a field or array element")
        if not part.accept_type(TokenType.EQ):
            raise part.error("expected = in UPDATE ... SET")
        if any(column == assigned for assigned, _ in assignments):
            # SET a = 1, a = 2: PostgreSQL's rewriter refuses it (a whole column twice; a[1]
            # and a[2], or two fields of one, it merges)
            raise part.error(f'multiple assignments to same column "{column}"', part.tokens[0])
        assignments.append((column, part.rest()))
    if cursor.accept("FROM"):
        cursor.skip_to("WHERE", "RETURNING")
        where_from = True
    else:
        where_from = False
    where = None
    if cursor.accept("WHERE"):
        start = cursor.pos
        cursor.skip_to("RETURNING")
        where = cursor.slice(start, cursor.pos)
    if cursor.accept("RETURNING"):
        cursor.rest()
    reads, _ = names_in(origin.text)
    if where_from:
        where = where or "true"
    return [
        Update(
            origin=origin,
            table=table,
            assignments=tuple(assignments),
            where=where if not where_from else f"/* FROM */ {where}",
            reads=tuple(reads),
        )
    ]


@handles("DELETE FROM", "DELETE")
def delete(cursor: Cursor, origin: Origin) -> list[Event]:
    _refuse_run_on(cursor)
    cursor.expect("DELETE")
    cursor.expect("FROM")
    cursor.accept("ONLY")
    table = cursor.qname()
    if cursor.accept("AS") or (cursor.peek_word() not in ("USING", "WHERE", "RETURNING", "")):
        cursor.identifier()
    using = cursor.accept("USING")
    if using:
        cursor.skip_to("WHERE", "RETURNING")
    where = None
    if cursor.accept("WHERE"):
        start = cursor.pos
        cursor.skip_to("RETURNING")
        where = cursor.slice(start, cursor.pos)
    reads, _ = names_in(origin.text)
    if using:
        where = f"/* USING */ {where or 'true'}"
    return [Delete(origin=origin, table=table, where=where, reads=tuple(reads))]


@handles("TRUNCATE")
def truncate(cursor: Cursor, origin: Origin) -> list[Event]:
    cursor.expect("TRUNCATE")
    cursor.accept("TABLE")
    tables = []
    while True:
        cursor.accept("ONLY")
        tables.append(cursor.qname())
        cursor.accept_type(TokenType.STAR)
        if not cursor.accept_type(TokenType.COMMA):
            break
    restart = cursor.accept("RESTART", "IDENTITY")
    cursor.accept("CONTINUE", "IDENTITY")
    cascade = cursor.accept("CASCADE")
    cursor.accept("RESTRICT")
    if not cursor.at_end():
        token = cursor.peek()
        raise cursor.error(f"unexpected {token.text if token else 'end'} in TRUNCATE")
    return [
        Truncate(origin=origin, tables=tuple(tables), restart_identity=restart, cascade=cascade)
    ]


@handles("SELECT", "VALUES", "TABLE")
def select(cursor: Cursor, origin: Origin) -> list[Event]:
    """A pure query changes nothing; a call that may have side effects is kept verbatim."""
    if cursor.at("TABLE"):
        _table_query(cursor)
    elif cursor.at("VALUES") and len(cursor.tokens) - cursor.pos < 2:
        raise cursor.error("syntax error at end of input", cursor.tokens[-1])  # VALUES, cut
    elif cursor.at("SELECT"):
        _column_without_from(cursor)
    calls = _function_calls(cursor)
    if "into" in {word(t).lower() for t in cursor.tokens}:
        raise Unsupported("SELECT ... INTO creates a table")
    search_path = _set_config_search_path(cursor)
    if search_path is not None:
        return [SetSearchPath(origin=origin, schemas=search_path)]
    effects = sorted({c for c in calls if c.split(".")[-1] not in PURE_FUNCTIONS})
    if effects == ["setval"]:
        setval = _setval(cursor, origin)
        if setval is not None:
            return [setval]
    if effects:
        raise Unsupported(f"top-level SELECT calls {', '.join(effects)}, which may have effects")
    return [SessionStatement(origin=origin, verb="select")]


#: Words that end a select list (a query's next clause).
_AFTER_SELECT_LIST = frozenset({
    "FROM", "INTO", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH",
    "FOR", "UNION", "INTERSECT", "EXCEPT",
})


def _column_without_from(cursor: Cursor) -> None:
    """A top-level ``SELECT`` with no FROM has no column to name: an item that is a lone
    name (``SELECT setval``, a call cut short) is PostgreSQL's ``column "setval" does not
    exist``. A query with a FROM clause (at its top), a WITH, DISTINCT, or a set operation is
    not judged."""
    tokens = cursor.tokens
    depth = 0
    items: list[list[int]] = [[]]
    for i, token in enumerate(tokens[1:], start=1):
        kind = token.token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        if depth:
            items[-1].append(i)
            continue
        if word(token) in ("DISTINCT", "ALL") and i == 1:
            return
        if word(token) in _AFTER_SELECT_LIST or kind == TokenType.SEMICOLON:
            if word(token) in _AFTER_SELECT_LIST:
                return  # (a WHERE with no FROM would be judged too; not read here)
            break
        if kind == TokenType.COMMA:
            items.append([])
        elif kind not in (TokenType.R_PAREN, TokenType.R_BRACKET):
            items[-1].append(i)
    for item in items:
        if not item or not _plain_name(tokens[item[0]]):
            continue
        name = tokens[item[0]]
        qualified = len(item) >= 3 and tokens[item[1]].token_type == TokenType.DOT and \
            _plain_name(tokens[item[2]])
        if not _is_label([tokens[at] for at in item[3 if qualified else 1:]]):
            continue  # anything but a (qualified) name and its label: not judged
        if qualified:
            # SELECT pg_catalog.setval ,(...): a qualified column, and no FROM to qualify it
            raise cursor.error(f'missing FROM-clause entry for table "{identifier_of(name)}"',
                               name)
        raise cursor.error(f'column "{identifier_of(name)}" does not exist', name)


def _plain_name(token: Token) -> bool:
    """A name no key word is: a quoted name, or a bare word that is not a key word (a column,
    a function)."""
    return token.token_type == TokenType.IDENTIFIER or (
        token.token_type == TokenType.VAR and is_word(token)
        and token.text.lower() not in KEYWORDS)


def _is_label(tokens: list[Token]) -> bool:
    """Whether ``tokens`` are a select list item's label, or nothing: ``[AS] name``."""
    if tokens and word(tokens[0]) == "AS":
        tokens = tokens[1:]
        if not tokens:
            return False
    return not tokens or (len(tokens) == 1 and (
        tokens[0].token_type == TokenType.IDENTIFIER or is_word(tokens[0])))


#: What may follow ``TABLE name``: what may follow any query.
_AFTER_TABLE_QUERY = ("ORDER", "LIMIT", "OFFSET", "FETCH", "FOR", "UNION", "INTERSECT", "EXCEPT")


def _table_query(cursor: Cursor) -> None:
    """``TABLE [ONLY] name [*]`` and then only what may follow a query: a word after the name
    (``TABLE award ADD COLUMN ...``, an ``ALTER`` cut short) is PostgreSQL's syntax error."""
    c = cursor.sub(0, len(cursor.tokens))
    c.expect("TABLE")
    c.accept("ONLY")
    c.qname()
    c.accept_type(TokenType.STAR)
    c.accept_type(TokenType.SEMICOLON)
    token = c.peek()
    if token is not None and c.peek_word() not in _AFTER_TABLE_QUERY:
        raise c.error(f'syntax error at or near "{token.text}"', token)


def _setval(cursor: Cursor, origin: Origin) -> SetSequenceValue | None:
    """``SELECT [pg_catalog.]setval(<sequence>, <value> [, true|false]) [FROM t]``, where the
    sequence is a string (``'s'`` or ``'s'::regclass``) or ``pg_get_serial_sequence('t', 'c')``;
    None for any other shape (kept verbatim)."""
    c = cursor.sub(0, len(cursor.tokens))
    c.expect("SELECT")
    if c.accept("PG_CATALOG") and not c.accept_type(TokenType.DOT):
        return None
    if not c.accept("SETVAL") or not c.at_type(TokenType.L_PAREN):
        return None
    first, last = c.group()
    arguments = c.split_top_level(first, last)
    from_table = None
    if c.accept("FROM"):
        from_table = c.qname()
    c.accept_type(TokenType.SEMICOLON)
    if not c.at_end() or len(arguments) not in (2, 3):
        return None
    sequence: QName | None = None
    column_of: tuple[QName, str] | None = None
    target = c.sub(*arguments[0])
    if target.at_type(TokenType.STRING):
        sequence = QName.parse(target.string())
        if target.accept_type(TokenType.DCOLON) and not target.accept("REGCLASS"):
            return None
    elif target.accept("PG_GET_SERIAL_SEQUENCE") or (
        target.accept("PG_CATALOG") and target.accept_type(TokenType.DOT)
        and target.accept("PG_GET_SERIAL_SEQUENCE")
    ):
        inner = target.sub(*target.group())
        table = QName.parse(inner.string())
        if not inner.accept_type(TokenType.COMMA) or not inner.at_type(TokenType.STRING):
            return None
        column_of = (table, inner.string())  # a column name taken literally, as PostgreSQL does
        if not inner.at_end():
            return None
    else:
        return None
    if not target.at_end():
        return None
    is_called = True
    if len(arguments) == 3:
        flag = c.sub(*arguments[2])
        word_ = flag.accept_any("TRUE", "FALSE")
        if not word_ or not flag.at_end():
            return None
        is_called = word_ == "TRUE"
    reads, _ = names_in(origin.text)
    return SetSequenceValue(origin=origin, sequence=sequence, column_of=column_of,
                            value=c.slice(*arguments[1]), is_called=is_called,
                            from_table=from_table, reads=tuple(reads))


def _function_calls(cursor: Cursor) -> list[str]:
    calls = []
    tokens = cursor.tokens
    for i, token in enumerate(tokens[:-1]):
        after_as = i > 0 and word(tokens[i - 1]) == "AS"  # an alias with column names
        if tokens[i + 1].token_type == TokenType.L_PAREN and not after_as and (
            (word(token) and word(token) not in _SYNTAX_WORDS)
            or token.token_type == TokenType.IDENTIFIER
        ):
            name = token.text.lower() if word(token) else token.text
            if i >= 2 and tokens[i - 1].token_type == TokenType.DOT:
                name = f"{tokens[i - 2].text.lower()}.{name}"
            calls.append(name.removeprefix("pg_catalog."))
    return calls


def _set_config_search_path(cursor: Cursor) -> tuple[str, ...] | None:
    """``SELECT [pg_catalog.]set_config('search_path', 'a, b', false)`` and nothing else."""
    texts = [t.text.lower() if not is_string(t) else t.text for t in cursor.tokens]
    if texts[:1] != ["select"]:
        return None
    body = texts[1:]
    if body[:2] == ["pg_catalog", "."]:
        body = body[2:]
    if len(body) != 8 or body[:3] != ["set_config", "(", "search_path"]:
        return None
    value = body[4]
    schemas = tuple(
        part for item in value.split(",") if item.strip() for part in [_schema_name(item)]
    )
    return schemas


def _schema_name(item: str) -> str:
    text = item.strip()
    if text == "$user":
        return text
    return split_qualified(text)[0] if text else text


@handles("WITH", "MERGE", "CALL")
def other_data(cursor: Cursor, origin: Origin) -> list[Event]:
    raise Unsupported(f"{cursor.peek_word()} statement")
