"""Syntax errors PostgreSQL's grammar finds in queries and expressions, whatever the statement
around them (issue 15): a FROM item followed by what no FROM clause has (``FROM t x y``,
``FROM (1, 2) AS g``), a select list that starts with a comma, ``(*)`` outside a call, and,
inside parentheses that hold an expression, a comparison with no right operand
(``a <> AND b``) or no left one (``( >= 0)``), ``AND``/``OR`` followed by what cannot start an
operand (``AND ON``), and an ``END`` no ``CASE`` opened (``( END price``); in a ``WHERE``,
``HAVING`` or a join's ``ON``, a name followed by a number or a name that is no key word
(``WHERE price 5``, ``ON audit a.id``: an operator lost) and a condition that ends on ``LIKE``,
``AND`` and their kin (``WHERE a LIKE ;``); in a ``GROUP BY`` or ``ORDER BY`` list, an item
followed by a name or number (``GROUP BY index region``: an item has no label).

Each rule is one PostgreSQL 15's parser applies to any text (tests/test_checked_syntax.py asks
PostgreSQL about each refused statement and a valid neighbour); where a rule cannot tell (an
unfamiliar FROM item, a bare column label a select list may have), it accepts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence

from sqlglot.tokenizer_core import Token

from schemafold.errors import InputError
from schemafold.parse.keywords import EXPRESSION_STARTS, KEYWORDS, RESERVED, UNRESERVED
from schemafold.parse.tokens import (
    TokenType,
    identifier_of,
    is_string,
    is_word,
    word,
)

#: sqlglot's token types the rules compare tokens with, as plain module names: reading
#: ``TokenType.X`` is an attribute lookup, and ``query_error`` compares each token with
#: dozens of them (the same objects: ``==``, ``in`` and hashing are unchanged).
_COLON = TokenType.COLON
_COLON_EQ = TokenType.COLON_EQ
_COMMA = TokenType.COMMA
_DCOLON = TokenType.DCOLON
_DOT = TokenType.DOT
_EQ = TokenType.EQ
_GT = TokenType.GT
_GTE = TokenType.GTE
_IDENTIFIER = TokenType.IDENTIFIER
_LT = TokenType.LT
_LTE = TokenType.LTE
_L_BRACKET = TokenType.L_BRACKET
_L_PAREN = TokenType.L_PAREN
_NEQ = TokenType.NEQ
_NUMBER = TokenType.NUMBER
_R_BRACKET = TokenType.R_BRACKET
_R_PAREN = TokenType.R_PAREN
_SEMICOLON = TokenType.SEMICOLON
_STAR = TokenType.STAR
_STRING = TokenType.STRING
_VAR = TokenType.VAR

#: The words a query's SELECT may follow; any other (GRANT SELECT, REVOKE SELECT ... FROM,
#: FOR SELECT, ON SELECT, a list of privileges) is a privilege, not a query.
_NOT_A_QUERY_BEFORE = frozenset({"GRANT", "REVOKE", "FOR", "ON", "PRIVILEGES"})
#: What may follow a FROM item (its name, alias and column aliases): the next item, a join,
#: the query's next clause, the end of the query. TABLESAMPLE, WITH (ORDINALITY, NO DATA),
#: INTO (PL/pgSQL) and anything else this list does not know make the rule accept.
_AFTER_FROM_ITEM = frozenset({
    "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON", "USING", "WHERE",
    "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR", "UNION",
    "INTERSECT", "EXCEPT", "RETURNING", "WITH", "TABLESAMPLE", "INTO", "LOOP", "THEN",
    "ELSE", "END", "DO", "AS",
})
#: Of them, the words a PL/pgSQL statement goes on with after a query (FOR r IN SELECT ...
#: LOOP): inside parentheses (a subquery) none can follow a FROM item.
_PLPGSQL_AFTER_QUERY = frozenset({"LOOP", "THEN", "ELSE", "END", "DO"})
#: Operators that take a right operand, read where one is missing before a ``)``.
_NO_POSTFIX = frozenset({"*", "/", "%", "^", "+", "-"})
#: Words a FROM item may start with that this rule does not read: it accepts the clause.
_UNREAD_FROM_ITEMS = frozenset({"LATERAL", "ROWS", "XMLTABLE", "JSON_TABLE", "ONLY"})
#: Words that end a select list (at its depth).
_ENDS_SELECT_LIST = frozenset({
    "FROM", "INTO", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH",
    "FOR", "UNION", "INTERSECT", "EXCEPT", "RETURNING", "ON", "USING", "LOOP", "THEN",
})
#: Unreserved key words that may follow an operand in a condition: AT TIME ZONE, OPERATOR(...),
#: LIKE's ESCAPE, U&'...' UESCAPE, a call's FILTER, OVER and WITHIN GROUP, FORMAT JSON.
_AFTER_AN_OPERAND = frozenset({"AT", "OPERATOR", "ESCAPE", "UESCAPE", "FILTER", "OVER",
                               "WITHIN", "FORMAT"})
#: Reserved words that may follow SELECT: DISTINCT or ALL, or a clause of a query whose select
#: list is empty (``SELECT FROM t``, ``SELECT WHERE false``).
_AFTER_SELECT_WORD = frozenset({"DISTINCT", "ALL", *_ENDS_SELECT_LIST} - {"RETURNING", "ON",
                                                                          "USING", "THEN"})
_COMPARISONS = {_EQ, _NEQ, _LT, _GT, _LTE,
                _GTE}
#: Words after which an operand of a condition starts.
_OPERAND_BEFORE = frozenset({"WHERE", "HAVING", "AND", "OR"})
#: Words that cannot start an operand of AND / OR.
_NOT_AN_OPERAND = frozenset({"AND", "OR", "ON", "THEN"})

#: Key words a condition (WHERE, HAVING, a join's ON) goes on after; any other ends it.
_IN_A_CONDITION = frozenset({
    "AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "ILIKE", "BETWEEN", "SYMMETRIC", "TRUE",
    "FALSE", "UNKNOWN", "CASE", "WHEN", "THEN", "ELSE", "END", "EXISTS", "ANY", "ALL", "SOME",
    "SIMILAR", "TO", "ESCAPE", "DISTINCT", "FROM", "COLLATE", "AT", "TIME", "ZONE", "ARRAY",
    "ROW", "CAST", "AS", "SELECT", "ISNULL", "NOTNULL", "OVERLAPS", "NORMALIZED", "NFC", "NFD",
    "NFKC", "NFKD", "OF", "CURRENT", "INTERVAL", "DOUBLE", "PRECISION", "WITH", "WITHOUT",
    "VARYING", "CHARACTER", "CHAR", "TIMESTAMP", "JSON", "VALUE", "SCALAR", "OBJECT",
    "UNIQUE", "KEYS", "DOCUMENT", "CONTENT",
})
#: Words that may follow an operand in a select list other than as its label: an operator
#: or syntax that goes on (a IS NULL, a AT TIME ZONE 'x', CASE ... END), or what ends the list.
_NOT_A_LABEL = _ENDS_SELECT_LIST | _IN_A_CONDITION | frozenset({
    "AND", "OR", "NOT", "IS", "ISNULL", "NOTNULL", "LIKE", "ILIKE", "SIMILAR", "BETWEEN", "IN",
    "AT", "COLLATE", "OVERLAPS", "ESCAPE", "AS", "WHEN", "THEN", "ELSE", "END", "UESCAPE",
    "FILTER", "OVER", "WITHIN", "FORMAT", "WITH", "OPERATOR",
})
#: What may follow a select list item's label: the list's end (a clause of the query, the
#: next statement part), as far as this rule needs to know.
_AFTER_A_LABEL = _ENDS_SELECT_LIST | frozenset({"WITH", "END", "ELSE", "WHEN", "DO"})
#: PL/pgSQL's words (pl_scanner.c's reserved and unreserved key words), which are no SQL key
#: words: a query in a body may be followed by one (FOR r IN SELECT ... WHERE ... LOOP).
_PLPGSQL_WORDS = frozenset({
    "ALIAS", "ASSERT", "BACKWARD", "CLOSE", "CONSTANT", "CONTINUE", "CURSOR", "DEBUG",
    "DIAGNOSTICS", "ELSIF", "ELSEIF", "EXCEPTION", "EXIT", "FOREACH", "FORWARD", "GET", "INFO",
    "LOG", "LOOP", "MOVE", "NEXT", "NOTICE", "OPEN", "PERFORM", "QUERY", "RAISE", "RETURN",
    "REVERSE", "SLICE", "SQLSTATE", "STACKED", "STRICT", "USING", "WARNING", "WHILE",
})
#: Reserved words that start a clause, never an operand (``SET a = WHERE``).
_NO_OPERAND_START = frozenset({
    "WHERE", "FROM", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT",
    "EXCEPT", "WINDOW", "RETURNING", "INTO",
})
#: Key words that are common column names (``value``, ``name``, ``day``): one followed by a
#: number in a condition or a select list is a column, then a number (an operator lost).
_COLUMN_NAME_WORDS = frozenset({
    "VALUE", "NAME", "TYPE", "DATA", "KEY", "LEVEL", "POSITION", "ACTION", "COMMENT", "YEAR",
    "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "LANGUAGE", "LOCATION", "MODE", "OPTIONS",
    "OWNER", "SCHEMA", "SEQUENCE", "PASSWORD", "LABEL", "ATTRIBUTE", "TITLE",
})
#: The word a statement's first word must be followed by: DELETE FROM, INSERT INTO.
_SECOND_WORD = {"DELETE": "FROM", "INSERT": "INTO"}
#: Reserved words that start a table's or a column's constraint: no operand starts with one.
_DEFINITION_WORDS = frozenset({"UNIQUE", "PRIMARY", "REFERENCES", "FOREIGN", "CONSTRAINT",
                               "DEFERRABLE", "INITIALLY"})
#: Reserved words that never follow an operand in a condition (they start a statement or a
#: definition's part).
_NEVER_AFTER_AN_OPERAND = _DEFINITION_WORDS | frozenset({
    "TABLE", "CREATE", "GRANT", "COLUMN", "SELECT", "CASE", "CAST",
})
#: The fields an interval's constant may be followed by (``INTERVAL '1' DAY``).
_INTERVAL_FIELDS = frozenset({"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"})
#: Type names that are key words: after a name in a condition, a cast that lost its ``::``.
_TYPE_WORDS = frozenset({
    "INT", "INTEGER", "BIGINT", "SMALLINT", "BOOLEAN", "NUMERIC", "DECIMAL", "DEC", "REAL",
    "FLOAT", "VARCHAR", "CHAR", "CHARACTER", "NCHAR", "TIMESTAMP", "BIT", "INTERVAL", "DOUBLE",
})
#: Words that may stand between a parenthesised expression or call ending a select list item
#: and ``AS``: the postfix tests (``f(x) ISNULL AS missing``), ``AS`` itself (``AS as`` labels
#: an item ``as``); no word at all (a word from ``words``: "" is not one).
_ENDS_A_CALL_ITEM = frozenset({"", "ISNULL", "NOTNULL", "AS"})
#: What cannot follow ``IS`` or ``IS NOT``: the end of an operand's list or statement.
_NO_TEST_AFTER_IS = frozenset({_R_PAREN, _COMMA, _SEMICOLON})
#: Reserved words that never follow an operand inside a call's arguments (``ORDER BY``,
#: ``IS``, ``AND``, ``COLLATE`` ... may; ``CASE ... END``'s words stand after operands too).
_NEVER_IN_A_CALL = frozenset({"CASE", "CAST", "SELECT", "WHERE", "GROUP", "HAVING", "TABLE",
                              "CREATE", "GRANT", "UNION", "INTO", "WITH", "TO"})
#: Key words that may end an argument after a constant: the postfix tests, an ORDER BY's
#: direction, a window frame's bound, OFFSET's ROWS (an interval's field after INTERVAL '1').
_POSTFIX_WORDS = frozenset({"ISNULL", "NOTNULL", "ASC", "DESC", "PRECEDING", "FOLLOWING", "ROW",
                            "ROWS"})
#: Words an operand must follow: a condition that ends on one (WHERE a LIKE ;) is cut short.
_NO_RIGHT_OPERAND = frozenset({"LIKE", "ILIKE", "AND", "OR", "NOT", "BETWEEN", "IN", "SIMILAR",
                               "ESCAPE", "IS"})

#: Words that end a GROUP BY or ORDER BY list (at its depth); WITH: CREATE TABLE AS's and a
#: materialized view's WITH [NO] DATA, a view's WITH CHECK OPTION.
_ENDS_ORDERING = _ENDS_SELECT_LIST | frozenset({"ORDER", "WINDOW", "HAVING", "ROWS", "RANGE",
                                                "GROUPS", "EXCLUDE", "WITH"})
#: Words of a GROUP BY or ORDER BY item's syntax after which a name may come
#: (``a AT TIME ZONE zone_column``, ``a COLLATE name``, ``a USING <``).
_ORDERING_SYNTAX = _IN_A_CONDITION | _NOT_A_LABEL | frozenset({
    "BY", "ASC", "DESC", "NULLS", "FIRST", "LAST", "USING", "ROLLUP", "CUBE", "GROUPING",
    "SETS", "ALL", "DISTINCT", "LOCAL",
})

Error = Callable[[str, Token], InputError]

#: Reserved key words an operand may start with, as PostgreSQL 15's grammar reads them (asked of
#: it, each reserved word first in a call's arguments, an ``IN`` list, a type's modifiers): a
#: value, a constructor, a cast, ``NOT``, ``CASE``, ``UNIQUE (subquery)``, and ``DEFAULT``,
#: which PostgreSQL refuses only when it analyzes the expression (a PL/pgSQL body's is not).
_OPERAND_WORDS = frozenset({w.upper() for w in EXPRESSION_STARTS} | {"DEFAULT", "UNIQUE"})
#: What a list in parentheses may start with (and each item after a comma), by what opens it:
#: a call's arguments (``count(DISTINCT a)``, ``f(VARIADIC a)``), ``x IN (...)`` (a subquery:
#: ``IN (SELECT``, ``IN (WITH``, ``IN (TABLE t)``), a partition's ``FOR VALUES IN (...)`` (an
#: expression list only), a key-word type's modifiers (``numeric(10, 2)``: expressions;
#: ``varchar(10)``, ``timestamp(3)``: an integer only).
_LIST_STARTS = {
    "call": _OPERAND_WORDS | {"ALL", "DISTINCT", "VARIADIC"},
    "in": _OPERAND_WORDS | {"SELECT", "WITH", "TABLE"},
    "bound": _OPERAND_WORDS,
    "modifiers": _OPERAND_WORDS,
    "length": frozenset(),
}
#: Key-word types whose modifier is one integer (gram.y: ``'(' Iconst ')'``), and those whose
#: modifiers are an expression list (``BIT VARYING``'s; ``CHARACTER VARYING``'s is an integer,
#: read here as the wider list).
_LENGTH_TYPES = frozenset({"VARCHAR", "CHAR", "CHARACTER", "NCHAR", "FLOAT", "TIMESTAMP", "TIME",
                           "INTERVAL"})
_MODIFIER_TYPES = frozenset({"NUMERIC", "DECIMAL", "DEC", "BIT", "VARYING"})
#: Key words that are an operand whole, or its start, between two comparisons (``now() -
#: INTERVAL = '1 hour'``: a column named interval).
_OPERAND_KEY_WORDS = frozenset({"INTERVAL", "TRUE", "FALSE", "NULL", "CURRENT_DATE",
                                "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME",
                                "LOCALTIMESTAMP"})



def _written_bare(token: Token) -> bool:
    """Whether a quoted name's token was written without quotes: a bare word with a
    character beyond ASCII, which the tokens carry as the quoted name PostgreSQL folds it to
    (its text as long as what was written; a quoted name's text is shorter than its
    quotes)."""
    return token.token_type == _IDENTIFIER and token.end - token.start + 1 == len(token.text)


def query_error(tokens: Sequence[Token], error: Error) -> InputError | None:
    """The first syntax error of this module's rules in a statement's (or a body's) tokens,
    made by ``error(message, token)``; None when none applies. ``CREATE SCHEMA``'s elements
    are judged one at a time: each is a statement of its own, with no ``;`` before the next."""
    for start, end in _schema_elements(tokens):
        found = _query_error(tokens[start:end], error)
        if found is not None:
            return found
    return None


def _index_elements(tokens: Sequence[Token], bare: Sequence[str]) -> tuple[int, int]:
    """Where a ``CREATE [UNIQUE] INDEX``'s elements are: the index of the ``(`` that opens
    them (the first after its ``ON``) and of the ``)`` that closes them; (-1, -1) for any
    other statement."""
    if bare[0:1] != ["CREATE"] or "INDEX" not in bare[1:3] or "ON" not in bare:
        return -1, -1
    for j in range(bare.index("ON") + 1, len(tokens)):
        if tokens[j].token_type == _L_PAREN:
            end = after_group(tokens, j)
            return (j, end - 1) if end is not None else (-1, -1)
    return -1, -1


def _schema_elements(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Where ``tokens`` split into ``CREATE SCHEMA`` and the elements it holds (``CREATE
    SCHEMA s CREATE VIEW v AS SELECT 1 AS x CREATE TABLE w ...``): at each ``CREATE`` or
    ``GRANT`` outside parentheses that is no label (``AS create``, ``x.create``); the whole
    statement for any other statement."""
    if len(tokens) < 2 or word(tokens[0]) != "CREATE" or word(tokens[1]) != "SCHEMA":
        return [(0, len(tokens))]
    bounds = [0]
    depth = 0
    for i in range(2, len(tokens)):
        kind = tokens[i].token_type
        if kind == _L_PAREN:
            depth += 1
        elif kind == _R_PAREN:
            depth -= 1
        elif depth == 0 and word(tokens[i]) in ("CREATE", "GRANT") and \
                word(tokens[i - 1]) != "AS" and tokens[i - 1].token_type != _DOT:
            bounds.append(i)
    bounds.append(len(tokens))
    return list(zip(bounds, bounds[1:], strict=False))


def _query_error(tokens: Sequence[Token], error: Error) -> InputError | None:
    # each token's word, read once: the rules below ask for a token's word, and its
    # neighbours', many times (``bare[i]`` is ``word(tokens[i])``: "" for all but bare words)
    bare = [word(token) for token in tokens]
    if "OPERATOR" in bare:  # has_word(tokens, "OPERATOR")
        return None  # OPERATOR(pg_catalog.=), operator classes: operators as names
    depth = 0
    selects: dict[int, int] = {}  # depth -> index of the last query SELECT at that depth
    lists: set[int] = set()  # depths at which a select list is being read
    cases: dict[int, int] = {}  # depth -> CASE ... END still open at that depth
    list_cases: dict[int, int] = {}  # depth -> CASE ... END open in the select list there
    assigning: set[int] = set()  # depths at which a PL/pgSQL assignment's value is read
    valued = False  # a PL/pgSQL RETURN's or assignment's value is read (at depth 0)
    performing = -1  # the index of the PL/pgSQL PERFORM whose select list is read
    clauses: dict[int, int] = {}  # depth -> a WHERE or HAVING being read at that depth
    joins: set[int] = set()  # depths at which a JOIN waits for its ON
    unjoined: dict[int, int] = {}  # depth -> JOINs there still owing their ON or USING
    orderings: set[int] = set()  # depths at which a GROUP BY or ORDER BY list is being read
    sort_operator = -1  # the index of an ORDER BY item's USING
    openers: dict[int, str] = {}  # depth -> what opened the list in parentheses there
    compared: dict[int, int] = {}  # depth -> a comparison in a condition, its operand read
    # the same, but "" for a label after AS
    words = _labelled_words(tokens, bare)
    has_sets = "SETS" in words
    # CREATE AGGREGATE r (VARIADIC "any" ORDER BY VARIADIC "any"): an ordered-set aggregate's
    # signature, whose ORDER BY lists argument types, not items
    signature = "AGGREGATE" in bare[:6]
    raising = False  # in a PL/pgSQL RAISE's parameters (after its first comma)
    elements = _index_elements(tokens, bare)  # where CREATE INDEX's elements are
    count = len(tokens)
    for i, token in enumerate(tokens):
        kind = token.token_type
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < count else None
        before_word = words[i - 1] if i else ""
        after_word = words[i + 1] if i + 1 < count else ""
        if kind in (_L_PAREN, _COMMA) and after is not None and \
                after.token_type == _L_PAREN and i + 2 < count and \
                tokens[i + 2].token_type == _R_PAREN and not has_sets:
            # md5(()::text): an empty pair of parentheses where an operand must be (GROUPING
            # SETS ((), (a)) has one, and is left alone)
            return error('syntax error at or near ")"', tokens[i + 2])
        if kind == _R_PAREN and i > 1 and before is not None and \
                before.text in _NO_POSTFIX and _is_operator(before) and \
                not _glued(tokens, i - 1) and _ends_an_operand(tokens[i - 2]) and \
                not (before.text == "*" and _relation_star(tokens, words, i - 1)):
            # (a*), f(x -): an operator with no right operand before a closing parenthesis
            # (no operator is postfix since PostgreSQL 14); FROM t *) is a table's children
            return error('syntax error at or near ")"', token)
        if (kind == _COLON_EQ or kind in _COMPARISONS) and after is not None and \
                after.token_type == _L_PAREN and i + 2 < count and \
                tokens[i + 2].token_type == _R_PAREN:
            # NEW.updated := (), a = (): parentheses around nothing where an operand must be
            return error('syntax error at or near ")"', tokens[i + 2])
        if kind == _DCOLON and after is not None:
            # 1::varchar(), 1::int(): a type's modifiers are one or more
            empty = empty_type_modifiers(tokens, i + 1)
            if empty is not None:
                return error(f'syntax error at or near "{tokens[empty].text}"', tokens[empty])
        if words[i] == "AS" and after is not None and _casts(tokens, i):
            # CAST(1 AS varchar()): the type's modifiers are one or more, as after ::
            empty = empty_type_modifiers(tokens, i + 1)
            if empty is not None:
                return error(f'syntax error at or near "{tokens[empty].text}"', tokens[empty])
        if ((kind in _COMPARISONS and depth in clauses) or (
                kind == _COLON_EQ and after is not None and after.text != "*")) and \
                after is not None and after.text in _GRAMMAR_OPERATORS and \
                _is_operator(after) and after.start > token.end + 1 and \
                not _glued(tokens, i) and not _glued(tokens, i + 1):
            # SET qty = * 2, WHERE a > / 2: an operand starts after a comparison, and none
            # starts with an operator the grammar reads as its own (no prefix * can be made;
            # x := * FROM t is a PL/pgSQL assignment's SELECT *)
            return error(f'syntax error at or near "{after.text}"', after)
        if words[i] == "DEFAULT" and after is not None and after.text in _GRAMMAR_OPERATORS \
                and after.text not in ("=", "=>") and _is_operator(after) and \
                not _glued(tokens, i + 1) and (after.text != "*" or (
                    "DECLARE" not in words and i + 2 < count
                    and _starts_an_operand(tokens[i + 2]))):
            # DEFAULT * now(), SET DEFAULT < 2: a default is an expression, and none starts
            # with an operator the grammar reads as its own (CREATE TYPE's DEFAULT = names a
            # property; PL/pgSQL reads a variable's DEFAULT * FROM t as SELECT * FROM t)
            return error(f'syntax error at or near "{after.text}"', after)
        if words[i] == "DEFAULT" and after_word == "NOT" and before_word != "SET" and \
                "DECLARE" not in words and "FUNCTION" not in words[:5] and \
                "PROCEDURE" not in words[:5]:
            # x bool DEFAULT NOT true: a column's default is a b_expr, which starts with no NOT
            # (SET DEFAULT, a routine argument's and a PL/pgSQL variable's take any expression)
            assert after is not None
            return error(f'syntax error at or near "{after.text}"', after)
        if words[i] == "CREATE" and before is not None and \
                before.token_type in (_COMMA, _L_PAREN) and not _in_privileges(tokens, words, i):
            # VALUES (NEW.id, CREATE 'created'): no list item starts with CREATE, which is
            # reserved (GRANT USAGE, CREATE ON ... names a privilege)
            return error(f'syntax error at or near "{token.text}"', token)
        if after_word in _NO_OPERAND_START and after_word != "INTO" and _is_operator(token) \
                and after is not None and before is not None and before_word != "USING" and (
                    kind != _STAR or (_ends_an_operand(before) and not _after_into(words, i)
                                      and not _relation_star(tokens, words, i)
                                      and before_word != "PERFORM")) \
                and not _glued(tokens, i):
            # SET qty = qty * WHERE ...: an operator's right operand is missing (SELECT * FROM
            # has a star, as PL/pgSQL's SELECT INTO r * FROM and PERFORM * FROM have; ORDER BY
            # a USING > LIMIT 1 names an operator)
            return error(f'syntax error at or near "{after.text}"', after)
        if after_word == "AS" and _is_operator(token) and before is not None and \
                _ends_an_operand(before) and not _glued(tokens, i):
            # SELECT price * AS double: the right operand is missing (SELECT t.* AS x and
            # (t).* AS x have a star after a dot, which PostgreSQL takes)
            assert after is not None
            return error(f'syntax error at or near "{after.text}"', after)
        if kind == _DOT and after is not None and after.token_type == _DOT and \
                after.start == token.end + 1 and not _in_a_range(words, i):
            # s ..tenant_id: PostgreSQL reads .. as one token, which only PL/pgSQL's FOR i IN
            # a..b takes
            return error('syntax error at or near ".."', token)
        if words[i] == "RETURN" and after is not None and (
                before is None or before.token_type == _SEMICOLON
                or before_word in ("BEGIN", "THEN", "ELSE", "LOOP")) and \
                after_word.lower() in RESERVED and \
                after_word.lower() not in EXPRESSION_STARTS and \
                after_word not in _AFTER_SELECT_WORD and \
                (i + 2 >= count or tokens[i + 2].token_type != _DOT):
            # RETURN END NEW: PL/pgSQL reads RETURN's value as SELECT's, which no such
            # reserved word starts
            return error(f'syntax error at or near "{after.text}"', after)
        if kind == _DOT and after is not None and after.token_type == _L_PAREN and \
                before is not None and before.token_type != _DOT and not (
                    before.token_type == _NUMBER and before.text.endswith(".")):
            # round .(p, 2): a dot is followed by a name or a star, never by a parenthesis
            # (PL/pgSQL's range 1..(n) has two dots)
            return error('syntax error at or near "("', after)
        if words[i] == "CASE" and depth > 0 and before is not None and \
                _ends_an_operand(before) and not _may_label(tokens, words, i):
            # (payload ->> 'ref' CASE ): CASE after an operand, inside parentheses where no
            # select list nor RETURNING may give it a label
            return error(f'syntax error at or near "{token.text}"', token)
        if words[i] == "CASE" and depth in lists and before is not None and \
                _ends_an_operand(before):
            # SELECT a case FROM t: a bare label, which the list's end or next item follows
            if after is not None and after.token_type not in (_COMMA, _R_PAREN, _SEMICOLON) \
                    and after_word not in _AFTER_A_LABEL and after_word not in _PLPGSQL_WORDS:
                return error(f'syntax error at or near "{after.text}"', after)
        elif words[i] == "CASE" and before_word not in ("END", "AS") and (
                before is None or before.token_type != _DOT):
            found = _case_without_when(tokens, words, i, error,
                                       # (an option's = case names a key word; a select
                                       # list's item is no label: SELECT a, CASE b, c)
                                       operand=before is not None and ((
                                           _is_operator(before) and before.text != "=")
                                           or (depth in lists and (
                                               before.token_type == _COMMA
                                               or before_word in ("SELECT", "DISTINCT")))))
            if found is not None:
                return found
        if words[i] == "GROUP" and depth in selects and before_word != "WITHIN" and \
                after is not None and after_word != "BY" and (
                before is None or before.token_type != _DOT):
            # ... FROM sale GROUP region: a query's GROUP is GROUP BY
            return error(f'syntax error at or near "{after.text}"', after)
        if kind == _L_PAREN and after is not None and \
                after.token_type == _STAR and i + 2 < count and \
                tokens[i + 2].token_type != _R_PAREN:
            # count(* CASE ): a star opening a call's arguments is all of them (count(*))
            return error(f'syntax error at or near "{tokens[i + 2].text}"', tokens[i + 2])
        if (i == 0 or (before is not None and before.token_type == _SEMICOLON)) and \
                after is not None and _SECOND_WORD.get(words[i], after_word) != after_word:
            # DELETE invoice WHERE ...: DELETE FROM, INSERT INTO (a statement's start)
            return error(f'syntax error at or near "{after.text}"', after)
        if bare[i] == "DELETE" and after_word == "FROM" and (
                before is None or before.token_type != _DOT):
            found = _delete_target_error(tokens, bare, i + 2, error)
            if found is not None:
                return found
        if depth in compared:
            if kind in _COMPARISONS and not _glued(tokens, i):
                # a < b - c = d: comparisons do not associate (gram.y: %nonassoc)
                return error(f'syntax error at or near "{token.text}"', token)
            if not _within_operand(tokens, words, i):
                del compared[depth]
        elif kind in _COMPARISONS and depth in clauses and words[clauses[depth]] != "SET" and \
                not _glued(tokens, i):
            compared[depth] = i  # (an UPDATE's SET a = b = c sets a to b = c)
        if kind == _COMMA and depth in openers and after is not None:
            found = _list_item_error(tokens, words, i + 1, openers[depth], error, first=False)
            if found is not None:
                return found
        if kind == _L_PAREN:
            opener = _opener(tokens, words, i, expression=depth in clauses or depth in lists
                             or openers.get(depth, "length") != "length" or (
                                 # an index's element that starts with a name and (: a call
                                 depth == 1 and elements[0] < i < elements[1] and (
                                     i - 2 == elements[0]
                                     or tokens[i - 2].token_type == _COMMA)))
            if i - 1 == performing:
                opener = None  # PERFORM (SELECT 1): no call of a function named perform
            if depth in lists and before is not None and i >= 2 and \
                    _bare_name(before) and _bare_name(tokens[i - 2]) and i - 2 != performing:
                # a label, then a call (country sum(spent), sum country(spent)): a select
                # list item ends on its label
                return error('syntax error at or near "("', token)
            depth += 1
            selects.pop(depth, None)
            lists.discard(depth)
            cases.pop(depth, None)
            unjoined.pop(depth, None)
            if after is not None and (after_word in ("END", "AND", "OR")
                                      or after.token_type in _COMPARISONS):
                # an operand missing on the left (CHECK ( >= 0)), an END no CASE opened
                return error(f'syntax error at or near "{after.text}"', after)
            clauses.pop(depth, None)
            joins.discard(depth)
            orderings.discard(depth)
            compared.pop(depth, None)
            if before_word == "CHECK" or (before_word == "USING" and i >= 2 and (
                    words[1] == "POLICY" or "POLICY" in words[:3])):
                clauses[depth] = i  # CHECK (...), a policy's USING (...): conditions
            if opener is None:
                openers.pop(depth, None)
                continue
            openers[depth] = opener
            found = _list_item_error(tokens, words, i + 1, opener, error, first=True)
            if found is not None:
                return found
            continue
        if kind == _R_PAREN:
            if unjoined.get(depth):  # (a JOIN b): the JOIN's ON is missing
                return error('syntax error at or near ")"', token)
            openers.pop(depth, None)
            compared.pop(depth, None)
            clauses.pop(depth, None)
            joins.discard(depth)
            orderings.discard(depth)
            lists.discard(depth)
            selects.pop(depth, None)
            cases.pop(depth, None)
            depth -= 1
            if depth in lists and i + 2 < count and words[i + 2] == "AS" and (
                    tokens[i + 1].token_type == _IDENTIFIER
                    or words[i + 1] not in _ENDS_A_CALL_ITEM):
                # sum(x) MATERIALIZED AS total: a select list item's label, then another
                return error('syntax error at or near "AS"', tokens[i + 2])
            if depth in clauses and after is not None and (
                    after.token_type == _IDENTIFIER or (
                        is_word(after) and after.text.lower() not in KEYWORDS
                        and after_word not in _PLPGSQL_WORDS)):
                # SET b = lower('X') t.id = 2: an operand ending on a parenthesis, then a
                # name (a WHERE lost; no label in a condition or a SET list)
                return error(f'syntax error at or near "{after.text}"', after)
            if openers.get(depth) == "call" and after is not None and (
                    _name_starts(tokens, words, i + 1) or _cast_key_word(tokens, words, i + 1)):
                # jsonb_build_object('at', now() message, ...): an argument has no label
                return error(f'syntax error at or near "{after.text}"', after)
            if depth in lists and i + 2 < count:
                following = _after_a_label(tokens, words, bare, i,
                                           plpgsql=depth not in assigning,
                                           open_cases=list_cases.get(depth, 0))
                if following is not None:
                    # x := now() RETURN NEW: an item ending on a parenthesis, its label, then
                    # a word no clause starts with
                    return error(f'syntax error at or near "{following.text}"', following)
            continue
        upper = words[i]
        # what opened the list in parentheses this token is in: neither it nor the depth
        # changes from here to the end of the token's rules (the parentheses' branches above
        # end with ``continue``)
        opener = openers.get(depth)
        if upper == "IS" and (after is None or after.token_type in _NO_TEST_AFTER_IS or (
                after_word == "NOT" and (i + 2 >= count
                                         or tokens[i + 2].token_type in _NO_TEST_AFTER_IS))):
            # note IS NOT ): IS [NOT] is followed by what it tests for (NULL, TRUE, DISTINCT
            # FROM, ...)
            at = tokens[i + 2] if after_word == "NOT" and i + 2 < count else after
            if at is None or at.token_type == _SEMICOLON and i + 3 >= count:
                return error("syntax error at end of input", token)
            return error(f'syntax error at or near "{at.text}"', at)
        if kind == _DCOLON and before is not None and (
                (before_word.lower() in RESERVED and before_word != "END"
                 and before_word.lower() not in EXPRESSION_STARTS)
                or (before_word == "RETURN" and (
                    i < 2 or tokens[i - 2].token_type == _SEMICOLON
                    or words[i - 2] in ("BEGIN", "THEN", "ELSE", "LOOP")))):
            # RETURN ::NEW, WHERE ::text: a cast follows an operand (NULL::int, CASE ... END::t)
            return error('syntax error at or near "::"', token)
        if kind == _DCOLON and before is not None and (
                before.token_type in (_L_PAREN, _COMMA, _COLON_EQ) or (
                    _is_operator(before) and before.token_type != _STAR)):
            # priority = ::priority, f(::int): no operand before the cast (t.*::text has one)
            return error('syntax error at or near "::"', token)
        if opener in ("modifiers", "length") and kind == _NUMBER and \
                after is not None and (
                    (after.token_type == _IDENTIFIER and not _written_bare(after))
                    or ((is_word(after) or _written_bare(after)) and after.start > token.end + 1)):
            # numeric(10 status, 2): a type's modifier is a constant, and no word follows it
            return error(f'syntax error at or near "{after.text}"', after)
        if upper == "INTO" and before_word == "INSERT" and after is not None and \
                after.token_type == _L_PAREN:
            # INSERT INTO (a, b) VALUES ...: the table's name is missing
            return error('syntax error at or near "("', after)
        if opener == "call" and after is not None and _ends_an_operand(token) and (
                after_word in _NEVER_IN_A_CALL or (after_word == "NULL" and not (
                    i + 2 < count and words[i + 2] == "ON"))):
            # jsonb_build_object('updated', NEW.updated CASE ): an argument ends on an operand,
            # then a comma or the closing parenthesis (or ORDER BY, IS, AND, ...)
            return error(f'syntax error at or near "{after.text}"', after)
        if opener in ("in", "bound") and after is not None and _ends_an_operand(token) and \
                after_word in _NEVER_IN_A_CALL and _holds_values(tokens, i):
            # FOR VALUES IN ('view' TABLE), a IN (1 TABLE): an item of a list of values ends
            # on an operand, then a comma or the closing parenthesis
            return error(f'syntax error at or near "{after.text}"', after)
        if opener == "call" and after is not None and (_bare_name(token) or (
                # (a key word after a dot is a column's name: sum(p.case total))
                is_word(token) and before is not None and before.token_type == _DOT)) and (
                after.token_type == _IDENTIFIER or _bare_name(after)) and \
                after_word not in _PLPGSQL_WORDS and (
                before is None or before.token_type != _DCOLON):
            # sum(spent it), lower(NEW.b x): an argument is one expression, a name has no
            # label there
            return error(f'syntax error at or near "{after.text}"', after)
        if opener == "call" and after is not None and (
                is_string(token) or (kind == _NUMBER and after.start > token.end + 1)) and \
                _name_starts(tokens, words, i + 1):
            # jsonb_build_object('ref' ref_id, ...), 'updated' NEW.updated, split_part(email,
            # '@', 1 handle): an argument has no label (a comma lost); 1a is trailing junk
            return error(f'syntax error at or near "{after.text}"', after)
        if opener == "call" and after is not None and (
                is_string(token) or (kind == _NUMBER and after.start > token.end + 1)) and \
                after_word.lower() in UNRESERVED and after_word not in _POSTFIX_WORDS and \
                i + 2 < count and tokens[i + 2].token_type in (_R_PAREN, _COMMA) and not (
                    after_word in _INTERVAL_FIELDS and before is not None
                    and (before_word == "INTERVAL" or before.token_type == _R_PAREN)):
            # nextval('ticket_no' RETURNS), round(1 day, 2): a constant argument, then a key
            # word that ends it as a label would (DESC may, INTERVAL '1' DAY's field too)
            return error(f'syntax error at or near "{after.text}"', after)
        if opener == "call" and after is not None and (
                _bare_name(token) or kind == _IDENTIFIER or (
                    is_word(token) and before is not None and before.token_type == _DOT)) and \
                after_word.lower() in UNRESERVED and after_word not in _POSTFIX_WORDS and \
                i + 2 < count and tokens[i + 2].token_type in (_R_PAREN, _COMMA) and (
                    before is None or before.token_type != _DCOLON):
            # jsonb_build_object('updated', NEW.updated NEW): a name argument, then a key word
            # that ends it as a label would (DESC may end an ORDER BY's item)
            return error(f'syntax error at or near "{after.text}"', after)
        if opener == "call" and after is not None and _ends_an_operand(token) and \
                _cast_key_word(tokens, words, i + 1) and (
                    before is None or before.token_type != _DCOLON):
            # lower(b stable::text): an argument, then a key word cast as if an operand (no
            # label stands in a call's arguments)
            return error(f'syntax error at or near "{after.text}"', after)
        if opener == "call" and after is not None and (
                is_string(token) or (kind == _NUMBER and after.start > token.end + 1)) and \
                after_word in _TYPE_NAME_WORDS and (
                    before is None or before.token_type != _DCOLON):
            # jsonb_build_object('data' BIGINT, ...): a constant argument, then a type's key
            # word (a type is written before its string, never after it)
            return error(f'syntax error at or near "{after.text}"', after)
        if opener == "call" and after is not None and \
                after.token_type == _NUMBER and (
                    kind == _IDENTIFIER or _bare_name(token)) and (
                    before is None or before.token_type != _DCOLON):
            # split_part(email 1, '@', 1): an argument is a name, then a number (a comma lost)
            return error(f'syntax error at or near "{after.text}"', after)
        if (kind == _COLON_EQ or (kind == _COMMA and raising)) and depth == 0:
            # a PL/pgSQL assignment's value, and each of RAISE's parameters, is read as a
            # select list's one item (x := 1 + 2 y labels it y); a statement word after it is
            # one: a ; lost before RETURN NEW
            lists.add(depth)
            list_cases[depth] = 0
            assigning.add(depth)
            valued = kind == _COLON_EQ
            continue
        if upper == "RETURN" and depth == 0 and after is not None and \
                after.token_type != _SEMICOLON and after_word not in ("QUERY", "NEXT") and (
                before is None or before.token_type == _SEMICOLON
                or before_word in ("BEGIN", "THEN", "ELSE", "LOOP")):
            # PL/pgSQL's RETURN value is read as a select list's one item (RETURN NEW ON)
            lists.add(depth)
            list_cases[depth] = 0
            valued = True
            continue
        if upper == "PERFORM" and depth == 0 and after is not None and (
                before is None or before.token_type == _SEMICOLON
                or before_word in ("BEGIN", "THEN", "ELSE", "LOOP")):
            # PL/pgSQL's PERFORM x is run as SELECT x (PERFORM lower(NEW.b x))
            performing = i
            lists.add(depth)
            list_cases[depth] = 0
            continue
        if valued and depth == 0 and upper in ("UNION", "INTERSECT", "EXCEPT", "INTO") and \
                (before is None or before.token_type != _DOT):
            # RETURN 1 UNION SELECT 2, x := 1 INTO y: PL/pgSQL reads a value as an
            # expression with a select list's clauses, none of which is a set operation or
            # INTO (pl_gram.y's PLpgSQL_Expr)
            return error(f'syntax error at or near "{token.text}"', token)
        if upper == "RAISE" and depth == 0 and (
                before is None or before.token_type == _SEMICOLON
                or before_word in ("BEGIN", "THEN", "ELSE", "LOOP")):
            raising = True  # RAISE NOTICE 'x %', NEW.task RETURN NEW
        elif kind == _SEMICOLON or (upper == "USING" and depth == 0):
            raising = False
        if kind == _SEMICOLON:
            assigning.discard(depth)
            valued = valued and depth != 0
            if depth == 0 and _dangling_star(tokens, words, i - 1):
                # UPDATE t SET a = a *; in a body: the statement ends on the operator
                return error("syntax error at end of input", tokens[i - 1])
        if upper == "ON" and depth in lists and after is not None and \
                after.token_type == _COMMA and (
                before is None or before.token_type != _DOT):
            # SELECT id ON, price: ON ends a select list only before what it introduces
            return error('syntax error at or near "ON"', token)
        if upper == "ON" and depth in lists and (
                after is None or after.token_type == _SEMICOLON) and \
                before is not None and before.token_type != _DOT:
            # RETURN NEW ON; x := 1 ON: ON ends a select list only before CONFLICT
            return error('syntax error at or near "ON"', token)
        if (upper in _ENDS_SELECT_LIST and (before is None or before.token_type != _DOT)
                ) or kind == _SEMICOLON:
            lists.discard(depth)  # (p.from is a column: a key word after a dot is a name)
        if depth in lists and before_word != "AS" and (
                before is None or before.token_type != _DOT):
            if upper == "CASE":
                list_cases[depth] = list_cases.get(depth, 0) + 1
            elif upper == "END" and list_cases.get(depth):
                list_cases[depth] -= 1
        if upper in _ENDS_ORDERING or kind == _SEMICOLON:
            if upper == "USING" and depth in orderings:
                sort_operator = i  # ORDER BY a USING <: an operator follows
            orderings.discard(depth)
        if upper == "BY" and before_word in ("GROUP", "ORDER") and not signature:
            orderings.add(depth)
            found = _first_ordering_error(tokens, i + 1, error, grouping=before_word == "GROUP")
            if found is not None:
                return found
        elif depth in orderings and after is not None and (
                kind == _IDENTIFIER or (is_word(token) and upper not in _ORDERING_SYNTAX
                                                 and upper not in _PLPGSQL_WORDS)) and (
                after.token_type in (_NUMBER, _IDENTIFIER)
                or after_word in _COLUMN_NAME_WORDS or after_word == "TEXT" or (
                    is_word(after) and after.text.lower() not in KEYWORDS
                    and after_word not in _PLPGSQL_WORDS)):
            # GROUP BY index region, ORDER BY name label: an item has no label (nor an
            # unreserved key word no syntax goes on with there: GROUP BY s.code text)
            return error(f'syntax error at or near "{after.text}"', after)
        if unjoined.get(depth) and (kind == _SEMICOLON or (
                upper in _NO_JOIN_CONDITION_AFTER
                and (before is None or before.token_type != _DOT))):
            # FROM a JOIN b WHERE ...: a JOIN (not CROSS or NATURAL) has its ON or USING
            return error(f'syntax error at or near "{token.text}"', token)
        if upper == "JOIN" and (before is None or before.token_type != _DOT):
            if not any(w in ("CROSS", "NATURAL") for w in words[max(0, i - 3):i]):
                unjoined[depth] = unjoined.get(depth, 0) + 1
        elif upper in ("ON", "USING") and unjoined.get(depth):
            unjoined[depth] -= 1
        if upper == "JOIN":
            joins.add(depth)
        elif kind == _SEMICOLON:
            joins.discard(depth)
            selects.pop(depth, None)  # a body's next statement is no part of this query
        if (depth in clauses or depth in lists) and upper in _COLUMN_NAME_WORDS and \
                after is not None and after.token_type == _NUMBER and (
                    before is None or before.token_type != _DCOLON):
            # WHERE value 100, SELECT price * again 2: a column, then a number
            return error(f'syntax error at or near "{after.text}"', after)
        if depth in clauses and after_word in _TYPE_WORDS and (
                kind == _IDENTIFIER or _bare_name(token)) and (
                before is None or before.token_type != _DCOLON):
            # CHECK (a < b INT): a name, then a type's key word (a cast lost its ::)
            assert after is not None
            return error(f'syntax error at or near "{after.text}"', after)
        if after is not None and (before_word == "WHERE" or (
                (before_word in ("AND", "OR", "ON") or (
                    before is not None and before.token_type in _COMPARISONS))
                and depth in clauses)) and \
                upper.lower() in UNRESERVED and upper not in _PLPGSQL_WORDS and (
                after.token_type in (_NUMBER, _IDENTIFIER)
                or (_bare_name(after) and after_word not in _PLPGSQL_WORDS)):
            # WHERE returns id < 1: an unreserved key word where an operand starts is a
            # column, and a name or a number cannot follow one
            return error(f'syntax error at or near "{after.text}"', after)
        if after is not None and (before_word == "WHERE" or (
                (before_word in ("AND", "OR") or (
                    before is not None and before.token_type in _COMPARISONS))
                and depth in clauses)) and \
                upper.lower() in UNRESERVED and upper not in _PLPGSQL_WORDS and \
                is_word(after) and after_word.lower() in UNRESERVED and \
                after_word not in _PLPGSQL_WORDS and \
                after_word not in _GOES_ON_AFTER_AN_OPERAND and \
                (upper, after_word) != ("CURRENT", "OF"):
            # WHERE begin atomic a = 1: the same, the word after the column an unreserved key
            # word no operand goes on with (AT TIME ZONE, ESCAPE) nor clause starts with
            # (WHERE CURRENT OF c names a cursor)
            return error(f'syntax error at or near "{after.text}"', after)
        if after is not None and (upper in ("WHERE", "HAVING") or (
                upper in ("AND", "OR", "NOT") and depth in clauses)) and (
                before is None or before.token_type != _DOT):
            found = _no_operand_error(tokens, i + 1, error, reserved=upper != "NOT")
            if found is not None:
                return found
        if upper in ("UPDATE", "DELETE") and (
                before is None or before.token_type in (_SEMICOLON, _L_PAREN)
                or before_word in _DATA_STATEMENT_AFTER):
            found = _data_statement_error(tokens, i, error)
            if found is not None:
                return found
        if kind == _COMMA and depth in clauses and \
                tokens[clauses[depth]].token_type == _L_PAREN:
            # CHECK (r,eviews >= 0), a policy's USING (a, b): the parentheses hold one
            # condition, no list
            return error('syntax error at or near ","', token)
        if upper == "EXISTS" and after is not None and _operand_starts(
                tokens, words, i - 2 if before_word == "NOT" else i - 1) and (
                    is_string(after) or after.token_type == _NUMBER or (
                        (_bare_name(after) or after.token_type == _IDENTIFIER) and (
                            before_word in ("WHERE", "AND", "OR", "NOT")
                            or before is not None and before.token_type in _COMPARISONS))):
            # VALUES (EXISTS'r1', ...), WHERE NOT EXISTS t: EXISTS, where an operand starts,
            # is followed by its query in parentheses (a column named exists takes a label in
            # a select list; IF [NOT] EXISTS, no operand, a name)
            near = after.text
            if after.token_type == _STRING:
                near = "'" + near.replace("'", "''") + "'"  # as written
            return error(f'syntax error at or near "{near}"', after)
        if kind == _COMMA and depth in clauses and (words[clauses[depth]] == "ON" or (
                words[clauses[depth]] == "WHERE"
                and after_group(tokens, clauses[depth] + 1) == i)):
            # FROM a JOIN b ON a.id = b.id, c x: the FROM list goes on; EXCLUDE (...) WHERE
            # (a > 0), b mood: a predicate in parentheses, then the table's next element
            clauses.pop(depth)
        if upper == "FROM" and depth in clauses and \
                words[clauses[depth]] == "SET":
            clauses.pop(depth)  # UPDATE ... SET ... FROM: the FROM list ends the SET list
        if upper in ("WHERE", "HAVING") or (upper == "ON" and depth in joins) or (
                upper == "SET" and _sets_columns(words, i)):
            clauses[depth] = i  # an UPDATE's SET list: expressions, no labels, as a WHERE
            joins.discard(depth)
            if upper != "SET" and after is not None and after.token_type in _COMPARISONS:
                return error(f'syntax error at or near "{after.text}"', after)  # WHERE = i
        elif kind == _SEMICOLON or (upper and (
                upper.lower() in KEYWORDS or upper in _PLPGSQL_WORDS)):
            if depth in clauses and before is not None and before_word in _NO_RIGHT_OPERAND \
                    and kind == _SEMICOLON:
                return error('syntax error at or near ";"', token)  # WHERE a LIKE ;
            if depth in clauses and before is not None and before.token_type == _DCOLON and \
                    after is not None and (after.token_type == _IDENTIFIER or (
                        _bare_name(after) and after_word not in _PLPGSQL_WORDS)):
                # WHERE a::int zz > 1: a cast's type, then a name (no label in a condition)
                return error(f'syntax error at or near "{after.text}"', after)
            if upper in ("TRUE", "FALSE") and depth in clauses and after is not None and (
                    before is None or before.token_type not in (_DOT, _DCOLON)) and \
                    after_word.lower() in UNRESERVED and after_word not in _AFTER_AN_OPERAND \
                    and after_word not in _PLPGSQL_WORDS:
                # USING (true BEFORE): an unreserved key word after a constant of a
                # condition, as after a number (no label there)
                return error(f'syntax error at or near "{after.text}"', after)
            if upper not in _IN_A_CONDITION and not (
                    before is not None and before.token_type == _DCOLON) and not (
                    # WHERE stamped < before AND ...: an unreserved key word after a
                    # comparison, AND or OR is a column (or a parameter), an operand
                    before is not None and upper.lower() in UNRESERVED
                    and upper not in _PLPGSQL_WORDS and (
                        before.token_type in _COMPARISONS or before_word in _OPERAND_BEFORE)):
                clauses.pop(depth, None)  # the clause has ended (a type after :: does not)
        elif depth in clauses and after is not None and (
                _bare_name(token) or kind in (_IDENTIFIER, _NUMBER) or (
                    is_string(token) and after_word not in _INTERVAL_FIELDS)) and (
                before is None or before.token_type != _DCOLON) and \
                after_word.lower() in UNRESERVED and after_word not in _AFTER_AN_OPERAND and \
                after_word not in _PLPGSQL_WORDS:
            # WHERE stamped before AND ..., WHERE stamped < $1 before: an unreserved key word
            # after an operand of a condition, where no label may stand (an operator lost;
            # INTERVAL '1' DAY's field follows a string)
            return error(f'syntax error at or near "{after.text}"', after)
        elif depth in clauses and after is not None and (kind == _IDENTIFIER or (
                is_word(token) and before is not None and (
                    before.token_type != _DCOLON or after.token_type != _NUMBER)
        )) and (after.token_type in (_NUMBER, _IDENTIFIER) or (
                is_word(after) and after.text.lower() not in KEYWORDS
                and after_word not in _PLPGSQL_WORDS)):
            # WHERE price 5, ON audit a.id: a name, then a number or a name (an operator lost);
            # WHERE a::int zz > 1: a cast's type, then a name
            return error(f'syntax error at or near "{after.text}"', after)
        elif depth in clauses and after_word in ("TRUE", "FALSE", "NULL") and (
                _bare_name(token) or kind in (_IDENTIFIER, _NUMBER) or is_string(token)) and (
                before is None or before.token_type != _DCOLON):
            # WHERE flag TRUE, WHERE b NULL: an operand, then a constant (an operator lost)
            assert after is not None
            return error(f'syntax error at or near "{after.text}"', after)
        elif depth in clauses and after is not None and (
                is_string(token) or kind == _NUMBER) and (
                after.token_type == _IDENTIFIER or (
                    is_word(after) and after.text.lower() not in KEYWORDS
                    and after_word not in _PLPGSQL_WORDS)):
            # SET url = url || '?v=2' url: a constant, then a name (no label in a condition
            # or a SET list)
            return error(f'syntax error at or near "{after.text}"', after)
        elif depth in lists and after is not None and after.token_type == _NUMBER and (
                kind == _IDENTIFIER or (
                    is_word(token) and upper.lower() not in KEYWORDS
                    and upper not in _PLPGSQL_WORDS and before is not None
                    and before.token_type != _DCOLON)):
            # SELECT price * again 2: a select list item's label is never a number
            return error(f'syntax error at or near "{after.text}"', after)
        if depth in lists and i + 2 < len(tokens) and (
                before is None or before.token_type != _DCOLON) and (
                _bare_name(token) or token.token_type == _NUMBER
                or (is_word(token) and before is not None
                    and before.token_type == _DOT)):
            # (an item ends on a name, a number, or a key word after a dot: p.from is a name)
            following = _after_a_label(tokens, words, bare, i, plpgsql=depth not in assigning,
                                       open_cases=list_cases.get(depth, 0), operators=True)
            if following is not None:
                # SELECT *, price BEGIN ATOMIC * 2: an item, its label, then a word no
                # clause starts with (a select list item ends on its label)
                return error(f'syntax error at or near "{following.text}"', following)
        if depth in lists and i + 3 < count and before is not None and (
                before.token_type == _COMMA or before_word == "SELECT") and \
                upper.lower() in UNRESERVED and upper not in _PLPGSQL_WORDS and \
                _bare_name(tokens[i + 1]) and tokens[i + 2].token_type == _DOT:
            # SELECT a, key t.b: an unreserved key word starting an item is a column, the
            # name after it its label; a label is never qualified
            return error('syntax error at or near "."', tokens[i + 2])
        if depth in lists and upper == "AS" and before_word != "AS" and i + 2 < count and \
                _is_name(tokens[i + 1]) and (
                tokens[i + 2].token_type in (_NUMBER, _STRING,
                                             _IDENTIFIER)
                or (is_word(tokens[i + 2]) and (words[i + 2].lower() not in KEYWORDS
                                                 or words[i + 2].lower() in UNRESERVED)
                    and words[i + 2] not in _PLPGSQL_WORDS)
                or _is_operator(tokens[i + 2])
                or words[i + 2] == "END"):
            # max(price) AS top FR, sum(n) AS total text: a label, then a word no clause
            # starts with (a type's name too: sqlglot gives those their own token types), an
            # operator (a AS big = 1), or an END, which ends no CASE after a label (price * 2
            # AS double END)
            following = tokens[i + 2]
            return error(f'syntax error at or near "{following.text}"', following)
        if upper == "NOT" and depth not in lists and after is not None and \
                bare[i + 1] in _NO_OPERAND_START and bare[i + 1] != "INTO":
            # SET qty = qty * 2 NOT WHERE: NOT before a clause's word (in a select list or
            # RETURNING, NOT may be a bare label: SELECT 1 NOT FROM t)
            return error('syntax error at or near "NOT"', token)
        if upper == "SELECT" and (before is None or (
                before_word not in _NOT_A_QUERY_BEFORE and before.token_type != _COMMA)):
            selects[depth] = i
            lists.add(depth)
            list_cases[depth] = 0
            if after is not None and after.token_type == _COMMA:
                return error('syntax error at or near ","', after)
            if after is not None and after_word.lower() in RESERVED and \
                    after_word.lower() not in EXPRESSION_STARTS and \
                    after_word not in _AFTER_SELECT_WORD and \
                    (i + 2 >= count or tokens[i + 2].token_type != _DOT):
                # SELECT returning 'n': a reserved word no select list nor clause starts with
                return error(f'syntax error at or near "{after.text}"', after)
            continue
        if upper == "FROM" and depth in selects and before is not None and \
                before_word not in ("DISTINCT", "ROWS") and before.token_type != _DOT:
            found = _from_item_error(tokens, i + 1, error, nested=depth > 0)
            if found is not None:
                return found
            continue
        if kind == _STAR and before is not None and \
                before.token_type == _L_PAREN and after is not None and \
                after.token_type == _R_PAREN and i >= 2 and (
                    words[i - 2] == "SELECT"
                    or tokens[i - 2].token_type in (_COMMA, _L_PAREN)):
            return error('syntax error at or near "*"', token)
        if kind in _COMPARISONS and before is not None and before_word == "USING":
            continue  # ORDER BY a USING > LIMIT 1: an operator named, not a comparison
        if kind == _STAR and opener == "call" and after is not None and \
                after.token_type in (_R_PAREN, _COMMA) and before is not None and (
                    _bare_name(before) or before.token_type in (_IDENTIFIER, _NUMBER)):
            # count(n*), round(a *, 2): a star after an argument's name multiplies, and its
            # right operand is missing (count(*) and count(t.*) have no name before it)
            return error(f'syntax error at or near "{after.text}"', after)
        if after is not None and after.token_type in (_R_PAREN, _COMMA) and \
                _is_operator(token) and before is not None:
            # the whole operator: PostgreSQL reads adjacent operator characters as one
            # ('e'*/ is 'e' then the operator */)
            start = i
            while start >= 1 and _is_operator(tokens[start - 1]) and \
                    tokens[start - 1].end + 1 == tokens[start].start:
                start -= 1
            ahead = tokens[start - 1] if start else None
            # a constant before it: no relation nor count(*) (DEFAULT true*), and a key
            # word constant ends an operand as a number does (DEFAULT true */)
            constant = ahead is not None and (
                ahead.token_type in (_NUMBER, _STRING) or is_string(ahead) or (
                    words[start - 1] in ("TRUE", "FALSE", "NULL")
                    and (start < 2 or tokens[start - 2].token_type not in (_DOT, _DCOLON))))
            if (start < i or token.text != "*" or constant) and ahead is not None and (
                    ahead.token_type in (_COMMA, _L_PAREN) or constant
                    or _ends_an_operand(ahead) or (
                        # CHECK (value >= ): an unreserved key word there is a column
                        is_word(ahead) and ahead.text.lower() in UNRESERVED
                        and words[start - 1] != "OPERATOR")):
                # CHECK (age < ), VALUES (3, -): an operator with no right operand
                # (PostgreSQL has no postfix operators from 14 on); one after = or WITH
                # names an operator (SORTOP = >, EXCLUDE (c WITH =))
                return error(f'syntax error at or near "{after.text}"', after)
        if bare[i] == "IN" and after is not None and after.token_type == _L_PAREN \
                and i + 2 < count and tokens[i + 2].token_type == _R_PAREN:
            # x IN (), FOR VALUES IN (): the list in parentheses has at least one item
            return error('syntax error at or near ")"', tokens[i + 2])
        if words[i] == "USING" and after is not None and \
                after.token_type == _L_PAREN and i + 2 < count and \
                tokens[i + 2].token_type == _R_PAREN and \
                (before is None or before.token_type != _DOT):
            # JOIN ... USING (), EXECUTE ... USING (), a policy's USING (): a column list or an
            # expression, never empty (s.using() is a call); ORDER BY a USING names an operator
            at = after if sort_operator == i else tokens[i + 2]
            return error(f'syntax error at or near "{at.text}"', at)
        if kind in _COMPARISONS and after is not None and (
                after_word in _NO_OPERAND_START or after_word in _DEFINITION_WORDS):
            # SET a = WHERE, CHECK (a > PRIMARY ...): no operand starts with the word;
            # UNIQUE (query) is one the grammar reads, and PostgreSQL does not implement
            if after_word != "UNIQUE":
                return error(f'syntax error at or near "{after.text}"', after)
            query = tokens[i + 2] if i + 2 < count else None
            if query is None:
                return error("syntax error at end of input", after)
            if query.token_type != _L_PAREN:
                return error(f'syntax error at or near "{query.text}"', query)
            return error("UNIQUE predicate is not yet implemented", after)
        if kind == _COMMA and depth in lists and after is not None and \
                after_word.lower() in RESERVED and after_word.lower() not in EXPRESSION_STARTS \
                and after_word not in ("INTO", "FROM") and i + 2 < count and \
                tokens[i + 2].token_type != _DOT:
            # SELECT a, COLUMN sum(b): no select list item starts with that reserved word
            return error(f'syntax error at or near "{after.text}"', after)
        if kind == _COMMA and after is not None and after_word in _NO_OPERAND_START \
                and after_word != "INTO":
            # SELECT id, name ,FROM t: a list item is missing before the clause
            return error(f'syntax error at or near "{after.text}"', after)
        if kind in (_COMMA, _L_PAREN) and after is not None and (
                after.token_type in (_DCOLON, _COLON)
                or (kind == _COMMA and after.text in _GRAMMAR_OPERATORS
                    and after.text != "*" and not is_string(after)
                    and after.token_type != _IDENTIFIER and not _glued(tokens, i + 1))):
            # pg_notify('x', ::text), numeric(8, : 2), SET a = 1, = b: an operand is missing
            # (, %% h: a prefix operator of two characters, hstore's)
            return error(f'syntax error at or near "{after.text}"', after)
        if depth in clauses and after is not None and after_word in _NEVER_AFTER_AN_OPERAND \
                and _ends_an_operand(token):
            # ON a.id TABLE ...: a word that starts a statement or a definition
            return error(f'syntax error at or near "{after.text}"', after)
        if depth == 0 or depth in selects:
            continue  # a select list may end on a bare label (SELECT 1 AND, SELECT 1 END)
        if upper == "CASE":
            cases[depth] = cases.get(depth, 0) + 1
        elif upper == "END" and (before is None or (
                before.token_type != _DOT and before_word != "AS")):
            if not cases.get(depth):
                return error(f'syntax error at or near "{token.text}"', token)
            cases[depth] -= 1
        elif after is not None and (
                (kind in _COMPARISONS and after_word in ("AND", "OR"))
                or (upper in ("AND", "OR") and (after_word in _NOT_AN_OPERAND
                                                or after.token_type == _R_PAREN))):
            return error(f'syntax error at or near "{after.text}"', after)
    last = tokens[-1] if tokens else None
    if last is not None and depth in clauses and word(last) in _NO_RIGHT_OPERAND:
        return error("syntax error at end of input", last)
    if last is not None and depth in clauses and count > 1 and \
            last.text in _GRAMMAR_OPERATORS and _is_operator(last) and \
            _ends_an_operand(tokens[-2]) and not _glued(tokens, count - 1) and \
            not _relation_star(tokens, words, count - 1):
        # SET qty = qty *, WHERE a > a %: a file cut after an operator its right operand
        # never came to (no postfix operator is left; FROM t * is a table with its children)
        return error("syntax error at end of input", last)
    if last is not None and depth == 0 and _dangling_star(tokens, words, count - 1):
        # RETURNING a *: a file cut after the operator (RETURNING *, t.* stay)
        return error("syntax error at end of input", last)
    if last is not None and unjoined.get(depth):  # ... JOIN tenant t: the ON is missing
        return error("syntax error at end of input", last)
    return None


def _no_operand_error(tokens: Sequence[Token], i: int,
                      error: Callable[[str, Token], InputError], *,
                      reserved: bool) -> InputError | None:
    """PostgreSQL's syntax error when the token at ``i``, where a condition's operand starts
    (after ``WHERE``, ``AND``...), is a word that cannot start one: ``AND`` or ``OR``; ``IS``,
    ``ISNULL`` or ``NOTNULL`` other than as a function's name before its ``(`` (PostgreSQL 15:
    ``WHERE AND a = 1`` at "AND", ``WHERE IS NULL`` at "NULL", ``WHERE ISNULL`` at the end);
    with ``reserved`` (not after ``NOT``, which ``IS NOT DISTINCT`` and ``NOT IN`` follow as an
    operator), any reserved word no expression starts with (``WHERE END a < b``); any, an
    operator the grammar reads as its own (``WHERE * a = 1``)."""
    upper = word(tokens[i])
    if tokens[i].text in _GRAMMAR_OPERATORS and _is_operator(tokens[i]) and \
            not _glued(tokens, i):
        # WHERE * a = 1, a = 1 OR < b: no operand starts with an operator the grammar reads
        # as its own (no prefix * can be made; - and + are prefix operators)
        return error(f'syntax error at or near "{tokens[i].text}"', tokens[i])
    if upper in ("AND", "OR") or (reserved and upper.lower() in RESERVED
                                  and upper.lower() not in EXPRESSION_STARTS):
        return error(f'syntax error at or near "{tokens[i].text}"', tokens[i])
    if upper in ("IS", "ISNULL", "NOTNULL"):
        if i + 1 == len(tokens):
            return error("syntax error at end of input", tokens[i])
        if tokens[i + 1].token_type != _L_PAREN:
            return error(f'syntax error at or near "{tokens[i + 1].text}"', tokens[i + 1])
    return None


def _first_ordering_error(tokens: Sequence[Token], i: int,
                          error: Callable[[str, Token], InputError], *,
                          grouping: bool) -> InputError | None:
    """PostgreSQL's syntax error when the token at ``i``, the first of a ``GROUP BY`` or
    ``ORDER BY`` list (``grouping``: a GROUP BY's), cannot start an item: what cannot start a
    condition's operand (``_no_operand_error``: ``GROUP BY SELECT a``, ``ORDER BY AND a``) but
    GROUP BY's ``ALL`` and ``DISTINCT``, and ``BY``, a column of that name, followed by a name
    or a number (``GROUP BY BY region``: an item has no label)."""
    if i >= len(tokens):
        return None
    upper = word(tokens[i])
    if grouping and upper in ("ALL", "DISTINCT"):
        return None
    if upper == "BY" and i + 1 < len(tokens):
        after = tokens[i + 1]
        if after.token_type in (_NUMBER, _IDENTIFIER) or (
                is_word(after) and after.text.lower() not in KEYWORDS):
            return error(f'syntax error at or near "{after.text}"', after)
    return _no_operand_error(tokens, i, error, reserved=True)


def _sets_columns(words: Sequence[str], i: int) -> bool:
    """Whether the ``SET`` at ``words[i]`` starts an UPDATE's list of assignments (``UPDATE t
    AS x SET``, ``DO UPDATE SET``, MERGE's ``THEN UPDATE SET``): an ``UPDATE`` a few words
    before it that is no foreign key's ``ON UPDATE`` (``ON UPDATE SET NULL, b int``, ``ON
    UPDATE CASCADE ON DELETE SET NULL``: the table's next column follows)."""
    for j in range(i - 1, max(-1, i - 7), -1):
        if words[j] == "UPDATE":
            return j == 0 or words[j - 1] != "ON"
    return False


def _opener(tokens: Sequence[Token], words: Sequence[str], i: int, *,
            expression: bool) -> str | None:
    """What the ``(`` at ``tokens[i]`` opens, of the lists :data:`_LIST_STARTS` knows: after
    ``IN``, a key-word type, or (where an expression is read: ``expression``) a name, which
    calls a function (or gives a type's modifiers, also expressions); None for any other."""
    if i == 0:
        return None
    if i < 2 or tokens[i - 2].token_type != _DOT:  # (s.numeric(...): a name's)
        before = words[i - 1]
        # a partition's FOR VALUES IN (...) or FROM (...) (a column named values may be
        # tested with IN (SELECT ...) or followed by FROM (SELECT ...))
        bound = i >= 3 and words[i - 2] == "VALUES" and words[i - 3] == "FOR" and \
            "PARTITION" in words[:i]
        if before == "IN":
            return "bound" if bound else "in"
        if before == "FROM" and bound:
            return "bound"
        if before in _LENGTH_TYPES:
            return "length"
        if before in _MODIFIER_TYPES:
            return "modifiers"
    if expression and (_bare_name(tokens[i - 1]) or tokens[i - 1].token_type == _IDENTIFIER
                       or words[i - 1] in _PLAIN_ARGUMENT_KEY_WORDS):
        return "call"
    return None


#: Key words called as functions whose arguments are plain expressions, as a function's are
_PLAIN_ARGUMENT_KEY_WORDS = frozenset({"COALESCE", "NULLIF", "GREATEST", "LEAST"})


def _list_item_error(tokens: Sequence[Token], words: Sequence[str], at: int, opener: str,
                     error: Error, *, first: bool) -> InputError | None:
    """A reserved key word starting an item of a list ``opener`` opened (:func:`_opener`) that
    no item may start with (``now( TABLE)``, ``IN ( WHERE``, ``varchar( CASE 10)``:
    PostgreSQL's syntax error at the word); after ``IN (``, ``TABLE`` not followed by a
    name (``IN ( table 'buy')``: at the string); a ``CASE`` that reaches a comma or the list's
    end before its ``WHEN`` (``numeric( CASE 10, 2)``: at the comma)."""
    if at >= len(tokens):
        return None
    upper = words[at]
    if not upper or upper.lower() not in RESERVED:
        return None
    token = tokens[at]
    if upper == "CASE" and opener != "length":
        return _case_error(tokens, at, error)
    allowed = _LIST_STARTS[opener] if first else \
        _OPERAND_WORDS | ({"VARIADIC"} if opener == "call" else set())
    if upper not in allowed:
        return error(f'syntax error at or near "{token.text}"', token)
    if upper == "TABLE" and at + 1 < len(tokens):
        following = tokens[at + 1]
        if following.token_type != _IDENTIFIER and not is_word(following):
            near = following.text
            if following.token_type == _STRING:
                near = "'" + near.replace("'", "''") + "'"  # as written
            return error(f'syntax error at or near "{near}"', following)
    return None


def _case_error(tokens: Sequence[Token], at: int, error: Error) -> InputError | None:
    """The ``CASE`` at ``tokens[at]`` starts an operand: its ``WHEN`` must come before a comma
    or a closing parenthesis at its depth (``CASE 10, 2``: PostgreSQL's syntax error there)."""
    depth = 0
    for token in tokens[at + 1:]:
        kind = token.token_type
        if kind in (_L_PAREN, _L_BRACKET):
            depth += 1
        elif kind in (_R_PAREN, _R_BRACKET):
            if depth == 0:
                return error(f'syntax error at or near "{token.text}"', token) \
                    if kind == _R_PAREN else None
            depth -= 1
        elif depth == 0 and kind == _COMMA:
            return error('syntax error at or near ","', token)
        elif depth == 0 and (kind == _SEMICOLON or word(token) == "WHEN"):
            return None
    return None


#: Words before which every JOIN of a FROM list (but CROSS and NATURAL ones) has had its ON
#: or USING.
_NO_JOIN_CONDITION_AFTER = frozenset({"WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT",
                                      "OFFSET", "FETCH", "UNION", "INTERSECT", "EXCEPT",
                                      "RETURNING", "LOOP", "INTO"})
#: Words at a CASE's own depth that end what may stand between CASE and its first WHEN.
_NOT_BEFORE_WHEN = frozenset({"WHERE", "FROM", "GROUP", "HAVING", "ORDER", "LIMIT", "RETURNING",
                              "THEN", "ELSE", "END", "UNION", "INTO"})


def _case_without_when(tokens: Sequence[Token], words: Sequence[str], at: int,
                       error: Error, *, operand: bool = False) -> InputError | None:
    """``CASE 'updated' WHERE id = 1``: a CASE reaches a clause's word or ``;`` before its
    first WHEN. One that reaches a comma or its closing parenthesis first is left alone: in a
    trigger's arguments or an option list (``tf(table, case, 'x')``, ``OPTIONS (case 'y')``)
    it is a label; but not after an operator (``operand``: ``CHECK (id > CASE 0)``), where
    only a CASE expression may stand (``= case`` is left alone: ``WITH (x = case)`` gives an
    option a key word)."""
    depth = 0
    for j in range(at + 1, len(tokens)):
        kind = tokens[j].token_type
        if kind in (_L_PAREN, _L_BRACKET):
            depth += 1
        elif kind in (_R_PAREN, _R_BRACKET):
            depth -= 1
            if depth < 0:
                return error(f'syntax error at or near "{tokens[j].text}"', tokens[j]) \
                    if operand and kind == _R_PAREN else None
        elif depth == 0 and words[j] == "WHEN":
            return None
        elif depth == 0 and kind == _COMMA:
            return error('syntax error at or near ","', tokens[j]) if operand else None
        elif depth == 0 and (kind == _SEMICOLON or words[j] in _NOT_BEFORE_WHEN) and (
                tokens[j - 1].token_type != _DOT):
            return error(f'syntax error at or near "{tokens[j].text}"', tokens[j])
    return None


#: Words that, the nearest before a statement's last ``*`` outside parentheses, make it a
#: multiplication cut short: what follows them is a list of expressions, no relation's name.
_OPERAND_LIST_WORDS = frozenset({
    "RETURNING", "SET", "WHERE", "HAVING", "SELECT", "RETURN", "PERFORM",
})
#: Words after which a ``*`` may follow a relation's name (``LOCK t *``, ``TRUNCATE t *``,
#: ``FOR TABLE t *``): a statement's last ``*`` after them is left alone.
_RELATION_LIST_WORDS = frozenset({
    "FROM", "TABLE", "JOIN", "USING", "UPDATE", "LOCK", "TRUNCATE", "ONLY", "INTO", "ON",
})


def _dangling_star(tokens: Sequence[Token], words: Sequence[str], at: int) -> bool:
    """Whether the ``*`` at ``tokens[at]``, the last of a statement (or of a body's
    statement), is a multiplication with no right operand: after an operand (``RETURNING a
    *``, ``SET a = a *``, ``x := x *``, ``RETURN x *``; no operator is postfix since
    PostgreSQL 14: its ``syntax error at end of input``), in a list of expressions (the
    nearest of ``_OPERAND_LIST_WORDS`` or ``:=`` before it, outside parentheses and in the
    same statement). ``RETURNING *``, ``t.*``, ``LOCK t *``, ``TRUNCATE t *`` and ``FROM t *``
    are left alone."""
    if at < 1 or tokens[at].text != "*" or not _is_operator(tokens[at]) or \
            _glued(tokens, at) or not _ends_an_operand(tokens[at - 1]):
        return False
    depth = 0
    for k in range(at - 1, -1, -1):
        kind = tokens[k].token_type
        if kind in (_R_PAREN, _R_BRACKET):
            depth += 1
        elif kind in (_L_PAREN, _L_BRACKET):
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0 and not (k and tokens[k - 1].token_type == _DOT):  # (p.from: a name)
            if kind == _SEMICOLON or words[k] in _RELATION_LIST_WORDS:
                return False
            if kind == _COLON_EQ or words[k] in _OPERAND_LIST_WORDS:
                return True
    return False


def _relation_star(tokens: Sequence[Token], words: Sequence[str], at: int) -> bool:
    """Whether the ``*`` at ``tokens[at]`` follows a relation's name right after ``FROM``,
    ``UPDATE``, ``JOIN``, ``USING`` or ``TABLE`` (``DELETE FROM t * WHERE``, ``FROM s.t *
    WHERE``, ``DELETE FROM t USING u * WHERE``, ``TABLE t * ORDER BY 1``: the old spelling of a
    table with its children, which PostgreSQL still takes; ``ONLY t *`` it refuses), or after
    a comma of a ``FROM`` or ``USING`` list (``FROM t, u * WHERE``)."""
    j = at - 1
    while j >= 2 and tokens[j - 1].token_type == _DOT:
        j -= 2
    if j < 1:
        return False
    if words[j - 1] in ("FROM", "UPDATE", "JOIN", "USING", "TABLE"):
        return True
    if tokens[j - 1].token_type != _COMMA:
        return False
    for k in _level_before(tokens, j - 2):  # the list the comma is in: its clause word
        if words[k] in ("FROM", "USING") and (k == 0 or words[k - 1] != "DISTINCT"):
            return True
        if words[k] in _ENDS_A_RELATION_LIST:
            return False
    return False


def _level_before(tokens: Sequence[Token], start: int) -> Iterator[int]:
    """The places of the tokens from ``start`` back to the start of the text that stand at
    ``tokens[start]``'s depth, parenthesized groups skipped, last first; then the parenthesis
    that opens that depth, if one does."""
    depth = 0
    for k in range(start, -1, -1):
        kind = tokens[k].token_type
        if kind == _R_PAREN:
            depth += 1
        elif kind == _L_PAREN:
            if depth == 0:
                yield k
                return
            depth -= 1
        elif depth == 0:
            yield k


#: Words after which an operand starts (``WHERE EXISTS (...)``, ``THEN NOT EXISTS (...)``).
_OPERAND_AFTER = frozenset({"WHERE", "HAVING", "AND", "OR", "SELECT", "WHEN", "THEN", "ELSE",
                            "RETURN", "ON"})


def _operand_starts(tokens: Sequence[Token], words: Sequence[str], at: int) -> bool:
    """Whether an operand starts after ``tokens[at]``: a parenthesis, a comma, a comparison,
    ``:=`` or a word a condition or a list goes on with (not ``IF`` of ``IF [NOT] EXISTS``)."""
    if at < 0:
        return False
    kind = tokens[at].token_type
    return kind in (_L_PAREN, _COMMA, _COLON_EQ) or kind in _COMPARISONS or \
        words[at] in _OPERAND_AFTER


def _holds_values(tokens: Sequence[Token], at: int) -> bool:
    """Whether the parentheses ``tokens[at]`` stands in (after ``IN``) hold a list of values,
    not a query (``IN (SELECT ...)``, ``IN ((SELECT 1) UNION ...)``: a clause's word may follow
    an operand there)."""
    opening = None
    for k in _level_before(tokens, at):
        opening = k
    if opening is None or tokens[opening].token_type != _L_PAREN:
        return False
    first = tokens[opening + 1]
    return first.token_type != _L_PAREN and word(first) not in ("SELECT", "WITH", "TABLE",
                                                                "VALUES")


#: Words before a comma that say the list it is in holds no relation (a select list, an
#: UPDATE's SET list, a condition's operands...).
_ENDS_A_RELATION_LIST = frozenset({
    "SELECT", "SET", "WHERE", "HAVING", "RETURNING", "BY", "VALUES", "INTO", "ON", "WHEN",
    "THEN", "ELSE",
})


def _after_into(words: Sequence[str], at: int) -> bool:
    """Whether an ``INTO`` comes before ``words[at]`` in its statement (PL/pgSQL's ``SELECT
    INTO r * FROM t``: the star is the select list, after the target)."""
    for j in range(at - 1, -1, -1):
        if words[j] == "INTO":
            return True
        if words[j] in ("SELECT", "BEGIN", "THEN", "ELSE", "LOOP"):
            return False
    return False


def _in_a_range(words: Sequence[str], at: int) -> bool:
    """Whether ``words[at]`` may be in PL/pgSQL's ``FOR i IN [REVERSE] a..b``: a ``FOR``
    stands between the statement's start (or the body's) and it."""
    for j in range(at - 1, -1, -1):
        if words[j] == "FOR":
            return True
        if words[j] in ("LOOP", "THEN", "BEGIN"):
            return False
    return False


def _name_starts(tokens: Sequence[Token], words: Sequence[str], at: int) -> bool:
    """Whether a name starts at ``tokens[at]``: a quoted one, a word that is no key word (nor
    one of PL/pgSQL's), or an unreserved key word qualified by a dot (``NEW.updated``)."""
    if at >= len(tokens):
        return False
    token = tokens[at]
    if token.token_type == _IDENTIFIER:
        return True
    if words[at] in _PLPGSQL_WORDS:
        return False
    return _bare_name(token) or (
        words[at].lower() in UNRESERVED and at + 2 < len(tokens)
        and tokens[at + 1].token_type == _DOT and _is_name(tokens[at + 2]))


#: Unreserved key words that may go on with an expression after its operand (``a AT TIME
#: ZONE``, ``LIKE b ESCAPE``, an interval's fields, ``character varying``, ``OVER``...):
#: never taken for a label an operator follows
_GOES_ON_AFTER_AN_OPERAND = frozenset({
    "AT", "ESCAPE", "UESCAPE", "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "VARYING",
    "ZONE", "OPERATOR", "FILTER", "OVER", "WITHIN", "WITHOUT", "FORMAT", "NULLS", "ORDINALITY",
    "VALUE", "KEYS", "ABSENT", "EMPTY", "ERROR", "PASSING", "RETURNING",
})


def _cast_key_word(tokens: Sequence[Token], words: Sequence[str], at: int) -> bool:
    """Whether ``tokens[at]`` is an unreserved key word that nothing after an operand goes on
    with (no ``OVER``, ``AT``, interval field, ...) followed by ``::``: after an argument of a
    call it would be a label, and a call's arguments have none (``md5(random() RETURNS::text)``:
    PostgreSQL's syntax error at the word)."""
    upper = words[at]
    return upper.lower() in UNRESERVED and upper not in _POSTFIX_WORDS and \
        upper not in _INTERVAL_FIELDS and upper not in _GOES_ON_AFTER_AN_OPERAND and \
        upper not in _PLPGSQL_WORDS and at + 1 < len(tokens) and \
        tokens[at + 1].token_type == _DCOLON


#: Key words naming a built-in type that are no names (PostgreSQL's col_name_keyword)
_TYPE_NAME_WORDS = frozenset({
    "BIGINT", "INT", "INTEGER", "SMALLINT", "BOOLEAN", "REAL", "FLOAT", "NUMERIC", "DECIMAL",
    "DEC", "VARCHAR", "CHAR", "CHARACTER", "NCHAR",
})


def _after_a_label(tokens: Sequence[Token], words: Sequence[str], bare: Sequence[str], i: int,
                   *, plpgsql: bool, open_cases: int,
                   operators: bool = False) -> Token | None:
    """After a select list item ending at ``tokens[i]``: the token after its label when that
    label is one (a quoted name, a word no syntax goes on with) and what follows it is no end
    of the list (a number, a string, a name, a word no clause starts with), else None.
    ``plpgsql``: PL/pgSQL's words end the list (a statement follows), as they do but in an
    assignment's value; ``open_cases``: CASEs of the list still waiting for their END;
    ``operators``: an operator after a label that is a name (no key word) is one too."""
    label, following = tokens[i + 1], tokens[i + 2]
    label_word = words[i + 1]
    statement_words = _PLPGSQL_WORDS if plpgsql else frozenset()
    if operators and (label.token_type == _IDENTIFIER or (
            _bare_name(label) and label_word not in statement_words) or (
            is_word(label) and label_word.lower() in UNRESERVED
            and label_word not in statement_words and label_word not in _PLPGSQL_WORDS
            and label_word not in _GOES_ON_AFTER_AN_OPERAND)) and _is_operator(following):
        # SELECT a, a big = 1, SELECT p immutable * 1.2: a name that is no key word (or an
        # unreserved one) after a name ends the item as its label, and no operator follows a
        # label
        return following
    if (label.token_type == _IDENTIFIER or (
            is_word(label) and label_word not in _NOT_A_LABEL
            and label_word not in statement_words) or (
            # 2 end AS x: an END no CASE of the list opened is a label
            label_word == "END" and not open_cases
            and words[i + 2] not in ("IF", "CASE", "LOOP"))) and (
            following.token_type in (_NUMBER, _STRING, _IDENTIFIER, _DOT)
            or (is_word(following) and bare[i + 2] not in _AFTER_A_LABEL
                and bare[i + 2] not in statement_words)):
        return following
    return None


def _in_privileges(tokens: Sequence[Token], words: Sequence[str], at: int) -> bool:
    """Whether ``CREATE`` at ``tokens[at]`` may be a name in a list: the statement holding it
    has a ``GRANT`` or ``REVOKE`` (a list of privileges) or a ``TRIGGER`` (a trigger
    function's arguments are labels) before it, or the parenthesis it is in follows
    ``OPTIONS``, ``WITH``, ``SET`` or ``RESET`` or an aggregate's arguments (an option's name
    is any key word)."""
    depth = 0
    for j in range(at - 1, -1, -1):
        kind = tokens[j].token_type
        if kind == _SEMICOLON:
            return False
        if kind == _R_PAREN:
            depth += 1
        elif kind == _L_PAREN:
            if depth == 0 and j and words[j - 1] in ("OPTIONS", "WITH", "SET", "RESET"):
                return True
            if depth == 0 and j and tokens[j - 1].token_type == _R_PAREN and \
                    words[0] == "CREATE" and "AGGREGATE" in words[1:4]:
                return True  # an aggregate's definition, after its arguments: create = 1
            depth = max(0, depth - 1)
        if words[j] in ("GRANT", "REVOKE", "TRIGGER"):
            return True
    return False


def _may_label(tokens: Sequence[Token], words: Sequence[str], at: int) -> bool:
    """Whether the word at ``tokens[at]`` may be a bare label: a SELECT or RETURNING stands
    between it and the parenthesis that opens its depth (a select list item or a returned
    value may end on one, ``(SELECT 1 case)``)."""
    for j in _level_before(tokens, at - 1):
        if tokens[j].token_type == _L_PAREN:
            return False
        if words[j] in ("SELECT", "RETURNING"):
            return True
    return True


def _glued(tokens: Sequence[Token], i: int) -> bool:
    """Whether the operator at ``tokens[i]`` touches another one (``<<``, ``~>=~``, ``=-``):
    PostgreSQL reads them as one operator, which is no comparison of the grammar's own."""
    token = tokens[i]
    before = tokens[i - 1] if i else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return (before is not None and _is_operator(before) and before.end + 1 == token.start) or \
        (after is not None and _is_operator(after) and token.end + 1 == after.start)


def _within_operand(tokens: Sequence[Token], words: Sequence[str], i: int) -> bool:
    """Whether ``tokens[i]``, after a comparison, is surely part of its right operand: a
    constant, a name (a column, a qualified one, a type after ``::``), an operator (every
    operator binds tighter than a comparison), a bracket, an opening parenthesis (its
    contents are a depth further); any other word may end the operand, and does here."""
    token = tokens[i]
    kind = token.token_type
    if kind in _OPERAND_PARTS or is_string(token) or _is_operator(token):
        return True
    upper = words[i]
    if not upper:
        return False
    if upper in _OPERAND_KEY_WORDS:
        return True
    if i and tokens[i - 1].token_type in (_DOT, _DCOLON):
        return True
    if i + 1 < len(tokens) and tokens[i + 1].token_type == _DOT:
        return True
    if i and tokens[i - 1].token_type in _COMPARISONS and \
            upper.lower() not in RESERVED and upper not in _PLPGSQL_WORDS:
        return True  # a > rows = 0: right after a comparison, a key word is its operand
    return _bare_name(token) and upper not in _PLPGSQL_WORDS


_OPERAND_PARTS = frozenset({_NUMBER, _IDENTIFIER, _DOT,
                            _DCOLON, _L_PAREN, _L_BRACKET,
                            _R_BRACKET})


#: Words after which an UPDATE or DELETE starts a statement (a rule's action, ON CONFLICT's
#: DO UPDATE, a PL/pgSQL statement), besides ``;`` and ``(``.
_DATA_STATEMENT_AFTER = frozenset({"DO", "INSTEAD", "ALSO", "THEN", "ELSE", "LOOP", "BEGIN",
                                   "ATOMIC"})
#: What may follow an UPDATE's or DELETE's target (its name and alias): SET, USING, WHERE,
#: RETURNING.
_AFTER_DATA_TARGET = frozenset({"SET", "USING", "WHERE", "RETURNING"})
#: Words that end an UPDATE's SET list (at its depth).
_ENDS_SET_LIST = frozenset({"FROM", "WHERE", "RETURNING"})


def _data_statement_error(tokens: Sequence[Token], at: int, error: Error) -> InputError | None:
    """``UPDATE [ONLY] t [*] [[AS] alias] SET ...`` and ``DELETE FROM [ONLY] t [*] [[AS]
    alias] ...`` at ``tokens[at]``: a name after the alias is a syntax error (``DELETE FROM
    notes grants g``: an alias is one name); in the SET list, each item is a column, maybe
    with a field or subscripts, or a parenthesised list of them, then ``=`` (``SET a,b = 1``:
    a syntax error at the comma). An UPDATE with no target is ON CONFLICT's ``DO UPDATE``."""
    count = len(tokens)
    i = at + 1
    if word(tokens[at]) == "DELETE":
        if i >= count or word(tokens[i]) != "FROM":
            return None
        i += 1
    elif i + 1 < count and word(tokens[i]) == "SET" and word(tokens[i + 1]) != "SET":
        return _set_list_error(tokens, i + 1, error)  # ON CONFLICT ... DO UPDATE SET
    if i < count and word(tokens[i]) == "ONLY":
        i += 1
    if i >= count or not _is_name(tokens[i]):
        return None
    i += 1
    while i + 1 < count and tokens[i].token_type == _DOT and _is_name(tokens[i + 1]):
        i += 2
    if i < count and tokens[i].token_type == _STAR:
        i += 1
    if i < count and word(tokens[i]) == "AS":
        i += 1
        if i >= count or not _is_name(tokens[i]):
            return None
        i += 1
    elif i < count and _is_name(tokens[i]) and word(tokens[i]) not in _AFTER_DATA_TARGET:
        i += 1
    if i >= count:
        return None
    following = tokens[i]
    if following.token_type in (_IDENTIFIER, _NUMBER, _STRING) or \
            _bare_name(following):
        return error(f'syntax error at or near "{following.text}"', following)
    if word(following) == "SET" and word(tokens[at]) == "UPDATE":
        return _set_list_error(tokens, i + 1, error)
    return None


def _set_list_error(tokens: Sequence[Token], i: int, error: Error) -> InputError | None:
    """The first item of an UPDATE's SET list at ``tokens[i]`` on: each is a target (a
    column, then ``.field`` or ``[subscript]`` parts; or a parenthesised list) and ``=``;
    anything else after a target is PostgreSQL's syntax error there."""
    count = len(tokens)
    words: list[str] | None = None
    while i < count:
        if tokens[i].token_type == _L_PAREN:
            closed = after_group(tokens, i)
            if closed is None:
                return None
            i = closed
        elif _is_name(tokens[i]):
            i += 1
            while i < count:
                kind = tokens[i].token_type
                if kind == _DOT and i + 1 < count and _is_name(tokens[i + 1]):
                    i += 2
                elif kind == _L_BRACKET:
                    closed = after_group(tokens, i, _L_BRACKET, _R_BRACKET)
                    if closed is None:
                        return None
                    i = closed
                else:
                    break
        else:
            return None
        if i >= count:
            return None
        if tokens[i].token_type != _EQ:
            return error(f'syntax error at or near "{tokens[i].text}"', tokens[i])
        if words is None:
            words = [word(token) for token in tokens]
        end = _set_value_end(tokens, words, i + 1)
        if end is None:
            return None
        i = end + 1
    return None


def _set_value_end(tokens: Sequence[Token], words: Sequence[str], i: int) -> int | None:
    """Where the value of a SET list item that starts at ``tokens[i]`` (after its ``=``)
    ends: the comma before the next item; None where the list ends with it (a ``;``, a word
    of ``_ENDS_SET_LIST``, MERGE's next ``WHEN``), or a parenthesis closes that it did not
    open."""
    depth = cases = 0
    while i < len(tokens):
        kind = tokens[i].token_type
        if kind in (_L_PAREN, _L_BRACKET):
            depth += 1
        elif kind in (_R_PAREN, _R_BRACKET):
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and words[i] == "CASE":
            cases += 1
        elif depth == 0 and words[i] == "END" and cases:
            cases -= 1
        elif depth == 0 and (kind == _SEMICOLON or words[i] in _ENDS_SET_LIST or (
                not cases and words[i] in ("WHEN", "END"))):
            return None
        elif depth == 0 and kind == _COMMA:
            return i
        i += 1
    return None


def _from_item_error(tokens: Sequence[Token], start: int, error: Error, *,
                     nested: bool = False) -> InputError | None:
    """The FROM items from ``start`` on, each followed by a comma or a join: a name (dotted),
    a call, or a parenthesised query or join, then ``*``, an alias and column aliases; what
    comes after must begin the next item or clause."""
    i = start
    while i < len(tokens):
        first = tokens[i]
        if word(first) in _UNREAD_FROM_ITEMS:
            return None
        if first.token_type == _L_PAREN:
            inside = tokens[i + 1] if i + 1 < len(tokens) else None
            if inside is not None and inside.token_type in (
                    _NUMBER, _STRING, _COMMA, _STAR):
                return error(f'syntax error at or near "{inside.text}"', inside)
            closed = after_group(tokens, i)
            if closed is None:
                return None
            i = closed
        elif _is_name(first):
            i += 1
            while i + 1 < len(tokens) and tokens[i].token_type == _DOT and \
                    _is_name(tokens[i + 1]):
                i += 2
            if i < len(tokens) and tokens[i].token_type == _L_PAREN:
                closed = after_group(tokens, i)
                if closed is None:
                    return None
                i = closed
            elif i < len(tokens) and tokens[i].token_type == _STAR:
                i += 1
        else:
            return None
        # [AS] alias [(column, ...)]
        if i < len(tokens) and word(tokens[i]) == "AS":
            i += 1
            if i >= len(tokens) or not _is_name(tokens[i]):
                return None
            i += 1
        elif i < len(tokens) and _is_name(tokens[i]) and word(tokens[i]) not in _AFTER_FROM_ITEM \
                and word(tokens[i]).lower() not in RESERVED:
            i += 1  # (an alias without AS is no reserved word: FROM t CASE is an error at CASE)
        if i < len(tokens) and tokens[i].token_type == _L_PAREN:
            closed = after_group(tokens, i)
            if closed is None:
                return None
            i = closed
        if i >= len(tokens):
            return None
        follower = tokens[i]
        kind = follower.token_type
        if kind in (_R_PAREN, _SEMICOLON):
            return None
        if kind == _COMMA:
            i += 1
            continue
        upper = word(follower)
        if upper in ("JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL"):
            while i < len(tokens) and word(tokens[i]) in (
                    "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "OUTER"):
                i += 1
            if i >= len(tokens) or word(tokens[i]) != "JOIN":
                return None
            i += 1
            continue
        if upper in _AFTER_FROM_ITEM and not (nested and upper in _PLPGSQL_AFTER_QUERY):
            return None
        return error(f'syntax error at or near "{follower.text}"', follower)
    return None


#: Key-word types that take no modifiers: ``int()`` is a syntax error at its ``(``.
_UNMODIFIED_TYPES = frozenset({"INT", "INTEGER", "SMALLINT", "BIGINT", "REAL", "BOOLEAN",
                               "PRECISION"})


def _casts(tokens: Sequence[Token], at: int) -> bool:
    """Whether ``tokens[at]`` (an ``AS``) stands right inside ``CAST (``: its type follows."""
    depth = 0
    for j in range(at - 1, 0, -1):
        kind = tokens[j].token_type
        if kind == _R_PAREN:
            depth += 1
        elif kind == _L_PAREN:
            if depth == 0:
                return word(tokens[j - 1]) == "CAST"
            depth -= 1
    return False


def empty_type_modifiers(tokens: Sequence[Token], at: int) -> int | None:
    """Where a type name starting at ``tokens[at]`` (``varchar``, ``pg_catalog.varchar``,
    ``character varying``, ``double precision``) is followed by ``()``, the token PostgreSQL's
    syntax error names, by its index: the ``(`` after a key-word type that takes no modifiers
    (``int()``), else the ``)`` (the modifiers are one or more: ``varchar()``); None for any
    other text."""
    count = len(tokens)
    j = at
    if j >= count or not (_bare_name(tokens[j]) or is_word(tokens[j])
                          or tokens[j].token_type == _IDENTIFIER):
        return None
    while j + 2 < count and tokens[j + 1].token_type == _DOT and (
            is_word(tokens[j + 2]) or tokens[j + 2].token_type == _IDENTIFIER):
        j += 2
    if j + 1 < count and word(tokens[j + 1]) in ("PRECISION", "VARYING") and \
            word(tokens[j]) in ("DOUBLE", "CHARACTER", "CHAR", "BIT", "NCHAR"):
        j += 1
    if j + 2 >= count or tokens[j + 1].token_type != _L_PAREN or \
            tokens[j + 2].token_type != _R_PAREN:
        return None
    return j + 1 if word(tokens[j]) in _UNMODIFIED_TYPES else j + 2


#: What may follow a DELETE's table and its alias (gram.y's DeleteStmt; PL/pgSQL takes an
#: INTO out of the statement wherever it stands)
_AFTER_DELETE_TARGET = frozenset({"USING", "WHERE", "RETURNING", "INTO"})


def _delete_target_error(tokens: Sequence[Token], bare: Sequence[str], at: int,
                         error: Error) -> InputError | None:
    """After ``DELETE FROM`` (``tokens[at]`` on): ``[ONLY] name[.name...] [*] [[AS] alias]``,
    then ``USING``, ``WHERE``, ``RETURNING`` or the statement's end, as PostgreSQL's grammar
    reads a DELETE; anything else is its syntax error there (``DELETE FROM invoice stamped <
    before``: a WHERE lost, stamped is the alias). None where the target is not read that
    plainly (``ONLY (t)``, a name that is no word)."""
    count = len(tokens)

    def name_at(j: int) -> bool:
        return j < count and (tokens[j].token_type == _IDENTIFIER or (
            is_word(tokens[j]) and tokens[j].text.lower() not in RESERVED))

    j = at + 1 if at < count and bare[at] == "ONLY" else at
    if not name_at(j):
        return None
    j += 1
    while j + 1 < count and tokens[j].token_type == _DOT and name_at(j + 1):
        j += 2
    if j < count and tokens[j].token_type == _STAR:
        if j > at + 1 and bare[at] == "ONLY":  # ONLY t *: the star says the opposite
            return error('syntax error at or near "*"', tokens[j])
        j += 1
    if j < count and bare[j] == "AS":
        if not name_at(j + 1):
            return None
        j += 2
    elif name_at(j):
        j += 1
    if j >= count or tokens[j].token_type in (_SEMICOLON, _R_PAREN) or \
            bare[j] in _AFTER_DELETE_TARGET:
        return None
    return error(f'syntax error at or near "{tokens[j].text}"', tokens[j])


def _bare_name(token: Token) -> bool:
    """An unquoted word that is no PostgreSQL key word: a name, never part of a syntax."""
    return token.token_type == _VAR and is_word(token) and \
        token.text.lower() not in KEYWORDS


def _is_name(token: Token) -> bool:
    return token.token_type == _IDENTIFIER or (
        is_word(token) and identifier_of(token) is not None)


def after_group(tokens: Sequence[Token], i: int, opening: TokenType = _L_PAREN,
                closing: TokenType = _R_PAREN) -> int | None:
    """The index after the group ``opening`` at ``i`` opens (parenthesised, or a bracketed
    subscript with ``L_BRACKET`` and ``R_BRACKET``); None when it does not close."""
    depth = 0
    for j in range(i, len(tokens)):
        kind = tokens[j].token_type
        if kind == opening:
            depth += 1
        elif kind == closing:
            depth -= 1
            if depth == 0:
                return j + 1
    return None


def _labelled_words(tokens: Sequence[Token], bare: Sequence[str] | None = None) -> list[str]:
    """Each token's ``word``, but "" for a clause's word right after ``AS``: a label
    (``SELECT valid_from AS from FROM t`` labels a column ``from``; after ``AS`` any key word
    is a label, and no clause starts there). ``bare``: each token's ``word``, when the caller
    has read them already."""
    words = [word(token) for token in tokens] if bare is None else list(bare)
    if "AS" in words:
        listed = False  # a select list or RETURNING seen in this statement
        for i in range(1, len(words)):
            if tokens[i - 1].token_type == _SEMICOLON:
                listed = False
            if words[i - 1] in ("SELECT", "RETURNING"):
                listed = True
            if words[i - 1] == "AS" and (i < 2 or words[i - 2] != "AS") and (
                    words[i] in _NO_OPERAND_START or (
                        # SELECT a AS select, b / a AS on, b: a label, then the next item
                        # (not CREATE VIEW v AS SELECT , a: a list cannot start with a comma)
                        listed and words[i] in ("SELECT", "ON") and i + 1 < len(tokens)
                        and tokens[i + 1].token_type == _COMMA)):
                words[i] = ""
    return words


def from_relations(tokens: Sequence[Token]) -> list[tuple[tuple[str, ...], Token]]:
    """The relation names a query reads by name: the FROM items and joined items of its
    SELECTs that are a plain (at most schema-qualified) name, not a call, with the token that
    names each; a WITH query's own names (``x AS (...)``) are left out, as are items this
    module does not read (LATERAL, ROWS FROM, ONLY, parenthesised)."""
    ctes = set()
    for i, token in enumerate(tokens[:-2]):
        if word(tokens[i + 1]) == "AS" and _is_name(token) and (
                tokens[i + 2].token_type == _L_PAREN
                or word(tokens[i + 2]) in ("MATERIALIZED", "NOT")):
            ctes.add(identifier_of(token))
        if token.token_type == _R_PAREN and word(tokens[i + 1]) == "AS" and \
                tokens[i + 2].token_type == _L_PAREN:
            ctes.add(None)  # name (columns) AS (...): the name is not read here; unchecked
    if None in ctes:
        return []
    found: list[tuple[tuple[str, ...], Token]] = []
    depth = 0
    selects: set[int] = set()
    froms: set[int] = set()  # depths at which a FROM list is being read (its items, commas)
    words = _labelled_words(tokens)
    for i, token in enumerate(tokens):
        kind = token.token_type
        before = tokens[i - 1] if i else None
        if kind == _L_PAREN:
            depth += 1
            selects.discard(depth)
            froms.discard(depth)
            continue
        if kind == _R_PAREN:
            selects.discard(depth)
            froms.discard(depth)
            depth -= 1
            continue
        upper = words[i]
        if upper == "SELECT" and (before is None or (
                word(before) not in _NOT_A_QUERY_BEFORE and before.token_type != _COMMA)):
            selects.add(depth)
            froms.discard(depth)
            continue
        if upper in _ENDS_FROM_LIST or kind == _SEMICOLON:
            froms.discard(depth)
        if depth not in selects:
            continue
        if upper == "FROM" and (before is None or word(before) not in ("DISTINCT", "ROWS")):
            froms.add(depth)
        elif upper != "JOIN" and not (kind == _COMMA and depth in froms):
            continue  # the next FROM item follows FROM, JOIN, or a comma of the FROM list
        if upper == "FROM" and before is not None and word(before) in ("DISTINCT", "ROWS"):
            continue
        parts: list[str] = []
        at = i + 1
        while at < len(tokens) and _is_name(tokens[at]) and \
                word(tokens[at]) not in _UNREAD_FROM_ITEMS:
            name = identifier_of(tokens[at])
            assert name is not None
            parts.append(name)
            at += 1
            if at + 1 < len(tokens) and tokens[at].token_type == _DOT:
                at += 1
                continue
            break
        if not parts or len(parts) > 2 or (at < len(tokens) and tokens[at].token_type in (
                _L_PAREN, _DOT)):
            continue
        if len(parts) == 1 and parts[0] in ctes:
            continue
        found.append((tuple(parts), tokens[i + 1]))
    return found


#: Words that end a FROM list (at its depth): a later comma is no FROM item's.
_ENDS_FROM_LIST = frozenset({
    "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR", "UNION",
    "INTERSECT", "EXCEPT", "RETURNING", "INTO", "LOOP", "THEN", "ON", "USING",
})
#: The prefix operators of ``pg_catalog`` on PostgreSQL 15 and 18 (``SELECT oprname FROM
#: pg_operator WHERE oprkind = 'l'``), and those hstore and intarray add.
PREFIX_OPERATORS = frozenset({"!!", "#", "+", "-", "?-", "?|", "@", "@-@", "@@", "|/", "||/",
                              "~", "%#", "%%"})
#: Operators the grammar reads as its own tokens: one where an operand must start is a syntax
#: error (``a < < 1``), not a missing operator.
_GRAMMAR_OPERATORS = frozenset({"=", "<", ">", "*", "/", "%", "^", "<=", ">=", "<>", "!=", "=>"})
_OPERATOR_CHARACTERS = frozenset("+-*/<>=~!@#%^&|`?")
_OPERATOR_CLASS = "[" + re.escape("".join(sorted(_OPERATOR_CHARACTERS))) + "]"
#: Two operator characters apart by space: a text without it has no prefix operator to judge.
_OPERATORS_APART = re.compile(_OPERATOR_CLASS + r"(?:\s+|/\*)" + _OPERATOR_CLASS + "|"
                              + r"\*/" + _OPERATOR_CLASS)


def may_hold_a_prefix_operator(text: str) -> bool:
    """Whether ``text`` may hold what :func:`prefix_operator_error` judges (two operators
    apart by space or a comment, ``>/* x */=``: PostgreSQL's scanner ends an operator where a
    comment starts): the cheap test a caller makes before tokenizing."""
    return _OPERATORS_APART.search(text) is not None


#: A minus that may be a string's prefix operator: the cheap test for :func:`minus_string_error`
_MINUS_STRING = re.compile(r"(?i)(?:[(,]|\bselect|\bdefault)\s*-\s*e?'")
#: The part of it that starts with a character: every text it finds holds this too, and this
#: is found (or not) in a fraction of the time (a search for ``_MINUS_STRING`` tries each of
#: its alternatives at every character)
_MINUS_THEN_STRING = re.compile(r"(?i)-\s*e?'")


def may_hold_a_minus_string(text: str) -> bool:
    """Whether ``text`` may hold what :func:`minus_string_error` judges."""
    return _MINUS_THEN_STRING.search(text) is not None and \
        _MINUS_STRING.search(text) is not None


def minus_string_error(tokens: Sequence[Token]) -> tuple[str, Token] | None:
    """PostgreSQL's error for ``-`` written before a string constant that is the whole list
    item, default or select list item, or the left operand of an operator binding looser
    than ``-`` does (``VALUES (3, - 'bob')``, ``DEFAULT - '1'``, ``SELECT - 'bob' || 'x'``,
    ``- 'a' AS x``): the
    constant's type is unknown, and ``pg_catalog``'s prefix ``-`` operators of several type
    categories (numbers, ``interval``) fit it alike (``operator is not unique: - unknown``).
    ``- '1'::int`` casts first, and ``+ '1'`` is taken; the caller knows whether the history
    may have made a prefix operator of its own."""
    for i in range(1, len(tokens) - 1):
        token, operand = tokens[i], tokens[i + 1]
        before = tokens[i - 1]
        if token.text != "-" or not (before.token_type in (_L_PAREN, _COMMA)
                                     or word(before) in ("SELECT", "DEFAULT")):
            continue
        if not is_string(operand) or _is_operator(before):
            continue
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if after is None or after.token_type in (_R_PAREN, _COMMA, _SEMICOLON) or \
                _is_operator(after) and after.text != "::" or word(after) in _AFTER_OPERAND:
            return "operator is not unique: - unknown", token
    return None


#: Words that end an operand a prefix ``-`` binds tighter than (its item's label, a clause, a
#: lower operator such as ``AND``, ``IS``, ``COLLATE``): ``- 'bob' AS x`` negates the string
_AFTER_OPERAND = frozenset({"AS", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT",
                            "UNION", "INTERSECT", "EXCEPT", "AND", "OR", "IS", "ISNULL",
                            "NOTNULL", "COLLATE", "AT", "THEN", "ELSE", "END", "WHEN"})


def prefix_operator_error(tokens: Sequence[Token]) -> tuple[str, Token] | None:
    """PostgreSQL's error for an operator written after another one, apart from it by space
    (``payload -> -> 'ref'``: the second is read as a prefix operator), when no prefix operator
    of that name exists: ``operator does not exist: -> unknown``, or a syntax error for the
    grammar's own (``a = = 1``). The message and the token; None when there is none. Operators
    written together (``<->``) are one operator to PostgreSQL and are left alone; the caller
    knows whether the history may have made a prefix operator of its own."""
    for i in range(1, len(tokens)):
        before, token = tokens[i - 1], tokens[i]
        if not _is_operator(before) or not _is_operator(token) or before.end + 1 >= token.start:
            continue
        if i >= 2 and tokens[i - 2].token_type in (_L_PAREN, _COMMA) and \
                before.text == "*":
            continue  # count(*) ..., a select list's star
        name = token.text
        if name in _GRAMMAR_OPERATORS:
            return f'syntax error at or near "{name}"', token
        if name in PREFIX_OPERATORS:
            continue
        operand = tokens[i + 1] if i + 1 < len(tokens) else None
        if operand is not None and operand.token_type == _STRING:
            return f"operator does not exist: {name} unknown", token
        if operand is not None and operand.token_type == _NUMBER and \
                operand.text.isdigit() and len(operand.text) < 10:
            return f"operator does not exist: {name} integer", token
        return f"operator does not exist: {name} (no prefix operator of that name)", token
    return None


#: The names of ``pg_catalog``'s binary operators on PostgreSQL 15 (``SELECT DISTINCT oprname
#: FROM pg_operator WHERE oprkind = 'b'``), with ``!=`` (read as ``<>``) and ``=>`` (a named
#: argument's, which this module does not judge).
BINARY_OPERATORS = frozenset({
    "!~", "!~*", "!~~", "!~~*", "#", "##", "#-", "#>", "#>>", "%", "&", "&&", "&<", "&<|", "&>",
    "*", "*<", "*<=", "*<>", "*=", "*>", "*>=", "+", "-", "->", "->>", "-|-", "/", "<", "<->",
    "<<", "<<=", "<<|", "<=", "<>", "<@", "<^", "=", ">", ">=", ">>", ">>=", ">^", "?", "?#",
    "?&", "?-", "?-|", "?|", "?||", "@>", "@?", "@@", "@@@", "^", "^@", "|", "|&>", "|>>", "||",
    "~", "~*", "~<=~", "~<~", "~=", "~>=~", "~>~", "~~", "~~*", "!=", "=>",
})
#: The characters that let a multi-character operator end on ``+`` or ``-`` (scan.l).
_NOT_SQL_OPERATOR_CHARACTERS = frozenset("~!@#^&|`?%")
#: A run of operator characters: the cheap test for :func:`operator_name_error`.
_OPERATOR_RUN = re.compile(_OPERATOR_CLASS + "+")
#: Where an operand starts (before an operator written first in it: a prefix operator's).
_OPERAND_START_WORDS = frozenset({"SELECT", "WHERE", "HAVING", "AND", "OR", "NOT", "WHEN",
                                  "THEN", "ELSE"})
_OPERAND_START = re.compile(r"(?i)(?:[(,]|\b(?:select|where|having|and|or|not|when|then|else))"
                            r"\s*(?:[~!@#&|`?]|" + _OPERATOR_CLASS + "{2})")
#: What every text ``_OPERAND_START`` finds holds (``[(,]`` or the last letter of one of its
#: words, then the operator): the cheap test before it, a search that starts from one class of
#: characters rather than from each of the alternatives at every character
_OPERAND_START_OPERATORS = frozenset("~!@#&|`?")
_OPERAND_START_END = re.compile(r"(?i)[(,tegdrn]\s*(?:[~!@#&|`?]|" + _OPERATOR_CLASS + "{2})")
#: The single characters and pairs PostgreSQL's scanner gives the grammar as its own tokens.
_SCANNER_OWN = frozenset({"+", "-", "*", "/", "%", "^", "<", ">", "=", "<>", "!=", ">=", "<=",
                          "=>"})


def operator_name(text: str, at: int) -> str:
    """The operator PostgreSQL's scanner reads at ``text[at]`` (an operator character): the
    longest run of operator characters, cut where a comment starts (``/*``, ``--``), and,
    when it is longer than one character and has none of ``~!@#^&|`?%``, without the ``+``
    and ``-`` it ends on (``<>-1`` is ``<>`` then ``-1``)."""
    run = _OPERATOR_RUN.match(text, at)
    name = run.group() if run else text[at:at + 1]
    for comment in ("/*", "--"):
        cut = name.find(comment)
        if cut >= 0:
            name = name[:cut] or name[:1]
    if len(name) > 1 and name[-1] in "+-" and not any(c in _NOT_SQL_OPERATOR_CHARACTERS
                                                      for c in name):
        name = name.rstrip("+-") or name[:1]
    return name


def may_hold_an_unknown_operator(text: str) -> bool:
    """Whether ``text`` may hold what :func:`operator_name_error` judges: an operator whose
    name no binary operator has, or one where an operand starts."""
    runs = set(_OPERATOR_RUN.findall(text))
    # _OPERAND_START's operator is one of its own characters or two operator characters: a
    # run of two or more, or one of those alone; a text without such a run is not searched
    if any(len(run) > 1 or run in _OPERAND_START_OPERATORS for run in runs) and \
            _OPERAND_START_END.search(text) is not None and \
            _OPERAND_START.search(text) is not None:
        return True
    # operator_name(text, m.start()) of each run m is operator_name(m.group(), 0): a run's name
    # depends on the run alone, and a history writes the same few runs again and again
    return any(not _binary_run(run) for run in runs)


@functools.lru_cache(maxsize=1024)
def _binary_run(run: str) -> bool:
    """Whether the operator PostgreSQL's scanner reads at the start of ``run`` (a run of
    operator characters) is one of ``BINARY_OPERATORS``."""
    return operator_name(run, 0) in BINARY_OPERATORS


def operator_name_error(text: str, tokens: Sequence[Token], *,
                        binary: bool = True) -> tuple[str, Token] | None:
    """An operator named as PostgreSQL's scanner reads it (:func:`operator_name`) that
    ``pg_catalog`` does not have: after an operand, a binary operator of no such name
    (``a <>*/ b``: ``operator does not exist: integer <>*/ text``); where an operand starts
    (after ``(``, ``,``, ``SELECT``, ``WHERE``, ``AND`` ...), a prefix operator of no such
    name (``SELECT | 1``: ``operator does not exist: | integer``). The message and the
    token; None when there is none. The grammar's own tokens (``*``, ``<``, ``=>``) are left
    to it; the caller knows whether the history may have made an operator of its own
    (``binary``: whether it knows every binary operator's name too)."""
    count = len(tokens)
    i = 0
    while i < count:
        token = tokens[i]
        if not _is_operator(token) or not text.startswith(token.text[:1], token.start):
            i += 1
            continue
        name = operator_name(text, token.start)
        end = token.start + len(name)
        following = i + 1
        while following < count and tokens[following].start < end:
            following += 1
        before = tokens[i - 1] if i else None
        i = following
        if before is None or name in _SCANNER_OWN:
            continue
        if _ends_an_operand(before):
            if binary and name not in BINARY_OPERATORS:
                return f"operator does not exist: {name} (no operator of that name)", token
        elif (before.token_type in (_L_PAREN, _COMMA) or word(before) in _OPERAND_START_WORDS) \
                and name not in PREFIX_OPERATORS:
            return f"operator does not exist: {name} (no prefix operator of that name)", token
    return None


def _ends_an_operand(token: Token) -> bool:
    """Whether an operand may end on ``token``: a constant, a quoted name, a name that is no
    key word, a closing bracket."""
    return token.token_type in (_NUMBER, _STRING, _IDENTIFIER,
                                _R_PAREN, _R_BRACKET) or _bare_name(token)


def _starts_an_operand(token: Token) -> bool:
    """Whether an operand surely starts at ``token``: a constant, a quoted name, a name that is
    no key word, an opening parenthesis."""
    return token.token_type in (_NUMBER, _STRING, _IDENTIFIER, _L_PAREN) or \
        is_string(token) or _bare_name(token)


def _is_operator(token: Token) -> bool:
    """Whether ``token`` is an operator: operator characters, and no string or quoted name
    (whose text is its content: ``'-'``, ``"+"``)."""
    text = token.text
    # issuperset, not all(c in ... for c in text): a generator per token costs most of this
    # function, which the syntax rules ask for most tokens of every statement
    return bool(text) and _OPERATOR_CHARACTERS.issuperset(text) and \
        not is_string(token) and token.token_type != _IDENTIFIER


#: ``NOT`` then a string: the cheap test before tokenizing for :func:`not_string_error`
_NOT_STRING = re.compile(r"(?i)(?<![\w$])not\s+['0-9.]")
#: the same without its look behind: found (or not) faster, and in every text it finds
_NOT_THEN_STRING = re.compile(r"(?i)not\s+['0-9.]")
#: what may follow ``NOT 'text'`` for the string to be ``NOT``'s whole operand (``NOT`` binds
#: tighter than ``AND`` and ``OR``, looser than any operator or ``IS``)
_OPERAND_ENDS = frozenset({_R_PAREN, _COMMA, _SEMICOLON})


def may_hold_not_string(text: str) -> bool:
    """Whether ``text`` may hold what :func:`not_string_error` judges."""
    return _NOT_THEN_STRING.search(text) is not None and _NOT_STRING.search(text) is not None


def not_string_error(text: str, tokens: Sequence[Token]) -> tuple[str, Token] | None:
    """``NOT 'text'``: PostgreSQL reads the string as a ``boolean`` when it analyzes the
    expression, so text its boolean input refuses is an error (``payload ->> NOT 'ref'``:
    ``invalid input syntax for type boolean: "ref"``); ``NOT`` of a number is an error whatever
    the number (``NOT 1.5``: ``argument of NOT must be type boolean, not type numeric``).
    Judged only where the string or number is all of ``NOT``'s operand (followed by ``)``,
    ``,``, ``AND``, ``OR`` or the end) and ``NOT`` starts an operand (after no operand nor
    ``IS``, where it would be a syntax error instead)."""
    from schemafold.rows.input_syntax import rejected_text

    for i in range(len(tokens) - 1):
        token, string = tokens[i], tokens[i + 1]
        if word(token) != "NOT" or not (
                string.token_type == _STRING and text.startswith("'", string.start)
                or string.token_type == _NUMBER and _number_type(string.text) is not None):
            continue
        if i > 0 and (_ends_an_operand(tokens[i - 1]) or word(tokens[i - 1]) == "IS"):
            continue
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if after is not None and after.token_type not in _OPERAND_ENDS \
                and word(after) not in ("AND", "OR"):
            continue
        if string.token_type == _NUMBER:
            return f"argument of NOT must be type boolean, not type " \
                f"{_number_type(string.text)}", string
        problem = rejected_text("boolean", string.text)
        if problem is not None:
            return problem, string
    return None


def _number_type(number: str) -> str | None:
    """The type PostgreSQL gives a numeric constant (``integer``, ``bigint`` or ``numeric``),
    or None for a spelling not judged here."""
    if number.isdigit():
        return "integer" if int(number) < 2**31 else "bigint" if int(number) < 2**63 \
            else "numeric"
    if re.fullmatch(r"(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", number):
        return "numeric"
    return None


#: The words that start a clause of a query (or of a data statement in a routine's body):
#: :func:`clause_before`'s answers
_CLAUSES = frozenset({"SELECT", "FROM", "JOIN", "WHERE", "BY", "HAVING", "ON", "USING",
                      "RETURNING", "VALUES", "SET", "WINDOW", "LIMIT", "OFFSET", "INTO",
                      "UPDATE", "TABLE"})


def clause_before(tokens: Sequence[Token], i: int) -> str:
    """The word of the clause token ``i`` is in: the nearest clause word before it at its own
    parenthesis depth (``FROM`` of ``IS DISTINCT FROM`` is none), "(" when its parenthesis
    opens first, "" when the query starts first."""
    depth = 0
    for j in range(i - 1, -1, -1):
        kind = tokens[j].token_type
        if kind == TokenType.R_PAREN:
            depth += 1
        elif kind == TokenType.L_PAREN:
            if not depth:
                return "("
            depth -= 1
        elif not depth and (upper := word(tokens[j])) in _CLAUSES and not (
                upper == "FROM" and j and word(tokens[j - 1]) == "DISTINCT"):
            return upper
    return ""


def ends_an_operand(token: Token) -> bool:
    """Whether ``token`` may end an expression or a relation's name, so that a name right
    after it is a label or an alias: a quoted name, a name no key word, a literal, ``)``."""
    if token.token_type in (TokenType.IDENTIFIER, TokenType.R_PAREN, TokenType.R_BRACKET,
                            TokenType.NUMBER) or is_string(token):
        return True
    return identifier_of(token) is not None and token.text.lower() not in KEYWORDS


#: What may follow an ORDER BY item that is a name alone
_ORDER_ITEM_ENDS = frozenset({"ASC", "DESC", "NULLS", "USING", "LIMIT", "OFFSET", "FETCH",
                              "FOR"})


def orders_by_label(tokens: Sequence[Token], i: int) -> bool:
    """Whether the name at ``i`` is an ORDER BY item alone that names an output column of
    its query (``SELECT b AS a FROM t ORDER BY a``): PostgreSQL orders by that column, and
    reads no input column of that name."""
    before = tokens[i - 1]
    if before.token_type == TokenType.COMMA:
        if clause_before(tokens, i - 1) != "BY":
            return False
    elif word(before) != "BY":
        return False
    at = i - 1
    while at >= 0 and word(tokens[at]) != "BY":
        at -= 1  # the BY of this list (a comma's clause is BY at this depth)
    if at < 1 or word(tokens[at - 1]) != "ORDER":
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if after is not None and after.token_type not in (
            TokenType.COMMA, TokenType.R_PAREN, TokenType.SEMICOLON) and \
            word(after) not in _ORDER_ITEM_ENDS:
        return False
    name = identifier_of(tokens[i])
    depth = _depth(tokens, i)
    for j in range(1, at):
        if identifier_of(tokens[j]) != name or _depth(tokens, j) != depth:
            continue
        label = tokens[j - 1]
        if (word(label) == "AS" or ends_an_operand(label)) and \
                clause_before(tokens, j) == "SELECT":
            return True
    return False


def _depth(tokens: Sequence[Token], i: int) -> int:
    """How many parentheses are open at token ``i``."""
    depth = 0
    for token in tokens[:i]:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
    return depth


def repeated_assignment(tokens: Sequence[Token]) -> tuple[str, Token] | None:
    """The first column an UPDATE's SET list (``UPDATE t SET``, ``DO UPDATE SET``, MERGE's
    ``THEN UPDATE SET``, at any depth: in a WITH query too) assigns twice, with the token that
    names it the second time: PostgreSQL's rewriter refuses a whole column assigned twice
    (``SET a = 1, a = 2``, ``SET (a, a) = ...``, ``SET x[1] = 1, x = '{}'``) and merges only
    subscripts with subscripts or fields with fields (``SET x[1] = 1, x[2] = 2``). None when
    no list repeats one, or a list holds what this reading does not know (it then accepts)."""
    words = _labelled_words(tokens)
    for i, upper in enumerate(words):
        if upper == "SET" and _sets_columns(words, i):
            found = _repeated_in_set_list(tokens, words, i + 1)
            if found is not None:
                return found
    return None


#: How a SET list item assigns its column: whole, one field of it, one element of it.
_WHOLE, _FIELD, _ELEMENT = "whole", "field", "element"


def _repeated_in_set_list(tokens: Sequence[Token], words: Sequence[str],
                          i: int) -> tuple[str, Token] | None:
    """The SET list from ``tokens[i]`` on (:func:`repeated_assignment`)."""
    count = len(tokens)
    assigned: dict[str, str] = {}  # column -> how it was assigned first
    while i < count:
        targets: list[tuple[Token, int]] = []  # each target's name token, the index after it
        if tokens[i].token_type == _L_PAREN:  # SET (a, b) = ...: whole columns
            closed = after_group(tokens, i)
            if closed is None:
                return None
            j = i + 1
            while j < closed - 1:
                if not _is_name(tokens[j]):
                    return None
                targets.append((tokens[j], j + 1))
                j += 1
                while j < closed - 1 and tokens[j].token_type != _COMMA:
                    j += 1  # a field or subscript: (a.f, b) -- read as a whole column's
                    targets[-1] = (targets[-1][0], -1)
                j += 1
            i = closed
        elif _is_name(tokens[i]):
            targets.append((tokens[i], i + 1))
            i += 1
            while i < count and tokens[i].token_type != _EQ:
                if tokens[i].token_type == _L_BRACKET:
                    closed = after_group(tokens, i, _L_BRACKET, _R_BRACKET)
                    if closed is None:
                        return None
                    i = closed
                elif tokens[i].token_type == _DOT and i + 1 < count and _is_name(tokens[i + 1]):
                    i += 2
                else:
                    return None
        else:
            return None
        if i >= count or tokens[i].token_type != _EQ:
            return None
        for name, after in targets:
            column = identifier_of(name)
            if column is None or after < 0:
                return None
            suffix = tokens[after].token_type if after < count else None
            kind = _ELEMENT if suffix == _L_BRACKET else _FIELD if suffix == _DOT else _WHOLE
            first = assigned.get(column)
            if first is not None and (first is not kind or kind is _WHOLE):
                return column, name
            assigned[column] = kind
        end = _set_value_end(tokens, words, i + 1)
        if end is None:
            return None
        i = end + 1
    return None


#: The set operations, whose arms must have as many columns.
_SET_OPERATIONS = frozenset({"UNION", "INTERSECT", "EXCEPT"})


def uneven_rows(tokens: Sequence[Token]) -> tuple[str, Token] | None:
    """PostgreSQL's parse analysis error for rows of different widths in a statement it
    analyzes, with the token it is found at: a ``VALUES`` whose lists differ in length
    (``VALUES (1, 2), (3)``: ``VALUES lists must all be the same length``), or a ``UNION``,
    ``INTERSECT`` or ``EXCEPT`` of two ``SELECT`` lists of different lengths (``SELECT 1, 2
    UNION SELECT 3``: ``each UNION query must have the same number of columns``). A select
    list holding a ``*`` (which may expand to columns), a ``DISTINCT ON``, an arm in
    parentheses or of ``VALUES`` or ``TABLE`` is not judged. None when nothing is found."""
    words = _labelled_words(tokens)
    count = len(tokens)
    for i, upper in enumerate(words):
        if upper == "VALUES" and i + 1 < count and tokens[i + 1].token_type == _L_PAREN and \
                (i == 0 or words[i - 1] != "FOR"):  # FOR VALUES IN (...): a partition bound
            width = None
            j = i + 1
            while j < count and tokens[j].token_type == _L_PAREN:
                closed = after_group(tokens, j)
                if closed is None:
                    break
                items = _width(tokens, j + 1, closed - 1)
                if width is None:
                    width = items
                elif items != width:
                    return "VALUES lists must all be the same length", tokens[j + 1]
                if closed + 1 < count and tokens[closed].token_type == _COMMA:
                    j = closed + 1
                else:
                    break
    selects: dict[int, int | None] = {}  # depth -> the width of the last arm there
    depth = 0
    for i, upper in enumerate(words):
        kind = tokens[i].token_type
        if kind in (_L_PAREN, _L_BRACKET):
            depth += 1
        elif kind in (_R_PAREN, _R_BRACKET):
            selects.pop(depth, None)
            depth -= 1
        elif kind == _SEMICOLON or (upper == "CREATE" and depth == 0):
            selects.clear()
        elif upper in ("VALUES", "TABLE"):
            selects[depth] = None
        elif upper in _SET_OPERATIONS:
            following = i + 1
            if following < count and words[following] in ("ALL", "DISTINCT"):
                following += 1
            if following >= count or words[following] != "SELECT":
                selects[depth] = None  # an arm in parentheses, VALUES or TABLE
        elif upper == "SELECT":
            width = _select_width(tokens, words, i + 1)
            operation = words[i - 1] if i else ""
            if operation in ("ALL", "DISTINCT") and i > 1:
                operation = words[i - 2]
            before = selects.get(depth)
            if operation in _SET_OPERATIONS and before is not None and width is not None \
                    and width != before:
                return (f"each {operation} query must have the same number of columns",
                        tokens[i])
            selects[depth] = width
    return None


def _width(tokens: Sequence[Token], first: int, last: int) -> int:
    """How many items ``tokens[first:last]`` holds, apart at the commas outside parentheses
    and brackets (0 for none)."""
    if first >= last:
        return 0
    depth = 0
    items = 1
    for token in tokens[first:last]:
        kind = token.token_type
        if kind in (_L_PAREN, _L_BRACKET):
            depth += 1
        elif kind in (_R_PAREN, _R_BRACKET):
            depth -= 1
        elif kind == _COMMA and depth == 0:
            items += 1
    return items


def _select_width(tokens: Sequence[Token], words: Sequence[str], start: int) -> int | None:
    """How many items the select list from ``tokens[start]`` on holds (right after its
    ``SELECT``); None when it holds a ``*``, is a ``DISTINCT ON``'s or is not read here."""
    count = len(tokens)
    if start < count and words[start] == "ALL":
        start += 1
    elif start < count and words[start] == "DISTINCT":
        if start + 1 < count and words[start + 1] == "ON":
            return None
        start += 1
    depth = 0
    cases = 0  # CASE ... END open at depth 0 (its THEN ends no list)
    for j in range(start, count):
        kind = tokens[j].token_type
        if kind in (_L_PAREN, _L_BRACKET):
            depth += 1
        elif kind in (_R_PAREN, _R_BRACKET):
            depth -= 1
            if depth < 0:
                return _width(tokens, start, j)
        elif depth == 0 and kind == _STAR:
            return None
        elif depth == 0 and words[j] == "CASE":
            cases += 1
        elif depth == 0 and words[j] == "END" and cases:
            cases -= 1
        elif depth == 0 and not cases and (
                kind == _SEMICOLON or words[j] in _ENDS_SELECT_LIST
                or words[j] in _SET_OPERATIONS) and \
                tokens[j - 1].token_type != _DOT and (j == start or words[j - 1] != "DISTINCT"):
            if j > start and tokens[j - 1].token_type == _COMMA:
                return None
            return _width(tokens, start, j)
    return _width(tokens, start, count) if count > start else 0
