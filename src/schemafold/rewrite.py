"""Renames inside SQL text: rewrite identifier tokens by position, nothing else.

Owns: making an expression (CHECK, default, index expression or predicate, policy, view query)
follow ``RENAME COLUMN`` and ``RENAME TO`` the way PostgreSQL's catalog does, by replacing only the
identifier tokens that name the renamed thing (offsets from sqlglot's tokenizer) and keeping every
other character of the original. Function bodies are never passed here.

Must not know: the schema state (callers say which qualifiers denote the table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from schemafold.fragment import fragment
from schemafold.kinds import ObjectKind
from schemafold.names import quote_ident, quote_literal
from schemafold.parse.tokens import Token, TokenType, identifier_of, is_string


def _splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    out = []
    last = 0
    for start, end, replacement in sorted(edits):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


def without_concurrently(text: str) -> str:
    """``text`` with ``CONCURRENTLY`` dropped from ``CREATE``/``DROP INDEX`` and ``REINDEX``:
    on the fresh database a consolidation builds, the plain statement does the same, and it
    runs in a transaction, as every migration tool can run it. Text without the word is
    returned as it is, untokenized (a kept ``COPY`` carries its rows, which are data)."""
    if "concurrently" not in text.lower():
        return text
    tokens = fragment(text).tokens
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if i == 0 or token.token_type == TokenType.IDENTIFIER or is_string(token) \
                or token.text.upper() != "CONCURRENTLY":
            continue
        before = [t.text.upper() for t in tokens[max(0, i - 6):i]]
        if before[-1] == "INDEX" or "REINDEX" in before:
            end = token.end + 1
            while end < len(text) and text[end] == " ":
                end += 1
            edits.append((token.start, end, ""))
    return _splice(text, edits) if edits else text


def rename_column(
    text: str, old: str, new: str, qualifiers: frozenset[str], *, keep_output_names: bool = False
) -> str:
    """References to column ``old`` become ``new``: bare ones, and ones qualified by one of
    ``qualifiers`` (the table's name or alias). With ``keep_output_names`` (a view query), a bare
    top-level select item keeps its output name: ``old`` becomes ``new AS old``."""
    from schemafold.parse.query_syntax import clause_before, ends_an_operand, orders_by_label

    tokens = fragment(text).tokens
    edits: list[tuple[int, int, str]] = []
    aliased = _bare_select_items(tokens) if keep_output_names else set()
    for i, token in enumerate(tokens):
        if identifier_of(token) != old:
            continue
        if i and ends_an_operand(tokens[i - 1]) and \
                clause_before(tokens, i) in ("SELECT", "FROM", "JOIN", "RETURNING"):
            continue  # a label or an alias written without AS (SELECT b old, FROM t old)
        if i and orders_by_label(tokens, i):
            continue  # ORDER BY old, old an output column's label
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type in (TokenType.L_PAREN, TokenType.DOT):
            continue
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.token_type == TokenType.DCOLON:
            continue
        if prev is not None and prev.token_type == TokenType.DOT:
            qualifier = identifier_of(tokens[i - 2]) if i >= 2 else None
            if qualifier not in qualifiers:
                continue
        if (prev is not None and identifier_of(prev) == "as"
                and prev.token_type != TokenType.IDENTIFIER):
            continue  # an output alias, not a reference
        replacement = quote_ident(new)
        if i in aliased:
            replacement += f" AS {quote_ident(old)}"
        edits.append((token.start, token.end + 1, replacement))
    return _splice(text, edits) if edits else text


def bare_column_elsewhere(text: str, column: str, table: str) -> bool:
    """Whether ``text`` names ``column`` bare (unqualified, no label) in a query whose own FROM
    list does not name relation ``table``: there the name may be another relation's column
    (``WHERE id IN (SELECT status FROM items)``) or the outer ``table``'s; renaming ``table``'s
    column cannot tell which to follow. A query whose FROM list is not read counts as not
    naming it."""
    from schemafold.parse.query_syntax import from_relations

    tokens = fragment(text).tokens
    scopes: list[int] = []  # per token: the query (its opening parenthesis' index, or -1)
    stack = [-1]
    for i, token in enumerate(tokens):
        if token.token_type == TokenType.L_PAREN:
            query = i + 1 < len(tokens) and tokens[i + 1].token_type != TokenType.IDENTIFIER \
                and tokens[i + 1].text.upper() in ("SELECT", "WITH", "VALUES")
            stack.append(i if query else stack[-1])
        elif token.token_type == TokenType.R_PAREN and len(stack) > 1:
            stack.pop()
        scopes.append(stack[-1])
    positions = {id(token): i for i, token in enumerate(tokens)}
    naming = {scopes[positions[id(first)]] for parts, first in from_relations(tokens)
              if parts[-1] == table}
    for i, token in enumerate(tokens):
        if identifier_of(token) != column:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        prev = tokens[i - 1] if i > 0 else None
        if nxt is not None and nxt.token_type in (TokenType.L_PAREN, TokenType.DOT):
            continue
        if prev is not None and prev.token_type in (TokenType.DCOLON, TokenType.DOT):
            continue
        if prev is not None and prev.token_type != TokenType.IDENTIFIER and \
                prev.text.upper() == "AS":
            continue
        if scopes[i] not in naming:
            return True
    return False


def names_relation_ambiguously(text: str, name: str) -> bool:
    """Whether ``text`` spells ``name`` bare where it may be a column as well as relation
    ``name`` (``SELECT status FROM orders``, ``SELECT tags FROM tags``): anywhere but a FROM
    item, a qualifier (``name.x``), a call, a cast's type or a label, and not a field
    (``o.name``). :func:`rename_relation` would rename a column there."""
    from schemafold.parse.query_syntax import from_relations

    tokens = fragment(text).tokens
    items = {id(first) for parts, first in from_relations(tokens) if len(parts) == 1}
    for i, token in enumerate(tokens):
        if identifier_of(token) != name or id(token) in items:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        prev = tokens[i - 1] if i > 0 else None
        if nxt is not None and nxt.token_type in (TokenType.L_PAREN, TokenType.DOT):
            continue
        if prev is not None and (prev.token_type in (TokenType.DOT, TokenType.DCOLON) or (
                prev.token_type != TokenType.IDENTIFIER and prev.text.upper() == "AS")):
            continue
        return True
    return False


def rename_relation(text: str, old: str, new: str, schema: str | None = None) -> str:
    """References to relation ``old`` (bare, or qualified by ``schema``) become ``new``; not a
    select item's label (``SELECT count(*) AS old``), which names an output column."""
    from schemafold.parse.query_syntax import clause_before

    tokens = fragment(text).tokens
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if identifier_of(token) != old:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type == TokenType.L_PAREN:
            continue
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.token_type == TokenType.DCOLON:
            continue
        if prev is not None and prev.token_type != TokenType.IDENTIFIER and \
                identifier_of(prev) == "as" and clause_before(tokens, i) in ("SELECT",
                                                                            "RETURNING"):
            continue
        if prev is not None and prev.token_type == TokenType.DOT:
            qualifier = identifier_of(tokens[i - 2]) if i >= 2 else None
            if schema is None or qualifier != schema:
                continue
        edits.append((token.start, token.end + 1, quote_ident(new)))
    return _splice(text, edits) if edits else text


def columns_named(text: str, candidates: set[str]) -> list[str]:
    """The distinct names from ``candidates`` that appear as column references in ``text``, in
    order of first appearance."""
    seen: list[str] = []
    tokens = fragment(text).tokens
    for i, token in enumerate(tokens):
        name = identifier_of(token)
        if name is None or name not in candidates or name in seen:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type in (TokenType.L_PAREN, TokenType.DOT):
            continue
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.token_type == TokenType.DCOLON:
            continue
        seen.append(name)
    return seen


def _bare_select_items(tokens: Sequence[Token]) -> set[int]:
    """Indexes of tokens that are, alone or with one qualifier, a whole top-level select item."""
    result: set[int] = set()
    depth = 0
    in_list = False
    item: list[int] = []

    def close() -> None:
        names = [i for i in item if tokens[i].token_type != TokenType.DOT]
        if len(item) == 1 or (len(item) == 3 and tokens[item[1]].token_type == TokenType.DOT):
            result.add(names[-1])

    for i, token in enumerate(tokens):
        word = token.text.upper() if token.token_type != TokenType.IDENTIFIER else ""
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        if depth != 0:
            if in_list:
                item.append(i)
            continue
        if word == "SELECT":
            in_list, item = True, []
            continue
        if not in_list:
            continue
        if word in ("FROM", "WHERE", "UNION", "GROUP", "ORDER", "LIMIT", "INTERSECT", "EXCEPT"):
            close()
            in_list = False
        elif word == "DISTINCT" and not item:
            continue
        elif token.token_type == TokenType.COMMA:
            close()
            item = []
        else:
            item.append(i)
    if in_list:
        close()
    return result


#: Keywords after which a name is a relation (``FROM t``, ``JOIN t``, ``REFERENCES t``...).
_RELATION_BEFORE = frozenset({"from", "join", "references", "update", "into", "table", "only"})


def qualify_names(text: str, schema_of: Callable[[str, str], str | None]) -> str:
    """Qualify the unqualified names ``text`` uses for relations (after ``FROM``, ``JOIN``...),
    functions (a name called) and types (after ``::``) with the schema ``schema_of(name, kind)``
    gives (``kind`` is ``relation``, ``function`` or ``type``; None leaves the name alone).

    Used when an object was created under a ``search_path`` the consolidation will not run
    under: the names it resolved then are written out."""
    tokens = fragment(text).tokens
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        name = identifier_of(token)
        if name is None:
            continue
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type == TokenType.DOT:
            continue  # a qualifier itself
        if prev is not None and prev.token_type == TokenType.DOT:
            continue  # already qualified
        if prev is not None and prev.token_type == TokenType.DCOLON:
            kind = ObjectKind.TYPE
        elif nxt is not None and nxt.token_type == TokenType.L_PAREN:
            kind = ObjectKind.FUNCTION
        elif prev is not None and prev.token_type != TokenType.IDENTIFIER and \
                identifier_of(prev) in _RELATION_BEFORE:
            kind = ObjectKind.RELATION
        else:
            continue
        schema = schema_of(name, kind)
        if schema is not None:
            edits.append((token.start, token.end + 1, f"{quote_ident(schema)}.{quote_ident(name)}"))
    # nextval('s'), currval('s'), setval('s', ...): a sequence named in a string
    for i in range(2, len(tokens)):
        token = tokens[i]
        if not (is_string(token) and tokens[i - 1].token_type == TokenType.L_PAREN
                and identifier_of(tokens[i - 2]) in ("nextval", "currval", "setval")):
            continue
        value = token.text
        if "." in value or '"' in value:
            continue
        schema = schema_of(value.lower(), "relation")
        if schema is not None:
            quoted = f"{quote_ident(schema)}.{quote_ident(value.lower())}".replace("'", "''")
            edits.append((token.start, token.end + 1, f"'{quoted}'"))
    return _splice(text, edits) if edits else text


def replace_routine_name(text: str, name: str) -> str:
    """``CREATE [OR REPLACE] FUNCTION|PROCEDURE <name>(...)`` with its name replaced by ``name``
    (already quoted as SQL); the rest of the text, body included, as written."""
    tokens = fragment(text).tokens
    i = 0
    while i < len(tokens) and identifier_of(tokens[i]) not in ("function", "procedure"):
        i += 1
    first = i + 1
    last = first
    while last + 2 < len(tokens) and tokens[last + 1].token_type == TokenType.DOT:
        last += 2
    if first >= len(tokens):
        return text
    return text[: tokens[first].start] + name + text[tokens[last].end + 1:]


def aliases_of(text: str, table: str) -> set[str]:
    """The aliases ``text`` gives the relation ``table`` (``FROM s.table AS t``, ``JOIN table
    t``), so that column references qualified by them can follow a rename."""
    tokens = fragment(text).tokens
    found: set[str] = set()
    for i, token in enumerate(tokens):
        if identifier_of(token) != table:
            continue
        if i + 1 < len(tokens) and tokens[i + 1].token_type in (TokenType.DOT, TokenType.L_PAREN):
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].token_type == TokenType.ALIAS:
            j += 1
        if j < len(tokens) and tokens[j].token_type in (TokenType.VAR, TokenType.IDENTIFIER):
            alias = identifier_of(tokens[j])
            if alias is not None:
                found.add(alias)
    return found


def rename_type(text: str, old: str, new: str, schema: str | None = None, *,
                declaration: bool = False) -> str:
    """References to the type ``old`` (bare, or qualified by ``schema``) become ``new``: in
    casts (``::old``, ``CAST(x AS old)``), and, with ``declaration``, as the name a column type
    starts with (``old``, ``old[]``, ``s.old``)."""
    tokens = fragment(text).tokens
    edits: list[tuple[int, int, str]] = []
    for start, i in _references(tokens, old, schema):
        token = tokens[i]
        if _cast_type_at(tokens, start) or (declaration and start == 0):
            edits.append((token.start, token.end + 1, quote_ident(new)))
    return _splice(text, edits) if edits else text


def rename_returned_type(head: str, old: str, new: str, schema: str) -> str | None:
    """A routine's statement up to its body (``head``) with the row type ``old`` it returns
    (``RETURNS old``, ``RETURNS SETOF old``) or casts to (``DEFAULT NULL::old``) renamed to
    ``new``; None when ``head`` names ``old`` anywhere else (an argument's type, a ``RETURNS
    TABLE`` column, ``old.c%TYPE``), which the caller does not rewrite."""
    tokens = fragment(head).tokens
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if identifier_of(token) != old:
            continue
        if i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.DOT:
            return None
        start = i
        if i >= 2 and tokens[i - 1].token_type == TokenType.DOT:
            if identifier_of(tokens[i - 2]) != schema:
                continue  # another schema's
            start = i - 2
        before = tokens[start - 1] if start else None
        if before is None or not (before.token_type == TokenType.DCOLON or (
                before.token_type != TokenType.IDENTIFIER
                and identifier_of(before) in ("returns", "setof"))):
            return None
        edits.append((token.start, token.end + 1, quote_ident(new)))
    return _splice(head, edits) if edits else head


#: the modes a routine's parameter may have written before or after its name
_PARAMETER_MODES = frozenset({"in", "out", "inout", "variadic"})


def rename_signature_type(head: str, old: str, new: str, schema: str, *,
                          qualify: bool = False) -> str | None:
    """:func:`rename_returned_type`, and also where ``head`` names the row type ``old`` as a
    parameter's type (``f(r old)``, ``f(old[])``, ``OUT r old``, ``VARIADIC r old[]``) or a
    ``RETURNS TABLE`` column's (``RETURNS TABLE (r old)``); a parameter or column *named*
    ``old`` keeps its name. None where ``head`` names ``old`` anywhere else (``old.c%TYPE``,
    ``SET search_path = old``, the routine's own name, a default's expression other than a
    ``::old`` cast). ``qualify``: a bare ``old`` is written ``schema.new``."""
    tokens = fragment(head).tokens
    word = [None if t.token_type == TokenType.IDENTIFIER else identifier_of(t) for t in tokens]
    # the parameter list: the first parenthesis, after CREATE ... FUNCTION|PROCEDURE name
    start = next((i for i, w in enumerate(word) if w in ("function", "procedure")), None)
    if start is None:
        return None
    name_end = start + 2
    while name_end + 1 < len(tokens) and tokens[name_end].token_type == TokenType.DOT:
        name_end += 2
    groups: list[tuple[int, int]] = []  # (opening, closing) of the lists of parameters
    for opening in (name_end, *(i + 2 for i in range(len(tokens) - 2)
                                if word[i] == "returns" and word[i + 1] == "table")):
        if opening >= len(tokens) or tokens[opening].token_type != TokenType.L_PAREN:
            return None
        depth, closing = 0, None
        for j in range(opening, len(tokens)):
            if tokens[j].token_type == TokenType.L_PAREN:
                depth += 1
            elif tokens[j].token_type == TokenType.R_PAREN:
                depth -= 1
                if depth == 0:
                    closing = j
                    break
        if closing is None:
            return None
        groups.append((opening, closing))
    # each token of a list at its own level: whether it starts a parameter (after "(", "," or
    # a mode written first) and whether it is in a default's expression
    at_start: set[int] = set()
    listed: set[int] = set()
    in_default: set[int] = set()
    for opening, closing in groups:
        depth, defaulted, starting = 0, False, True
        for j in range(opening + 1, closing):
            kind = tokens[j].token_type
            if depth == 0 and kind == TokenType.COMMA:
                defaulted, starting = False, True
                continue
            if depth == 0:
                listed.add(j)
                if word[j] == "default" or kind == TokenType.EQ:
                    defaulted = True
                if starting:
                    at_start.add(j)
                starting = starting and word[j] in _PARAMETER_MODES
            if defaulted or depth:
                in_default.add(j)
            if kind == TokenType.L_PAREN:
                depth += 1
            elif kind == TokenType.R_PAREN:
                depth -= 1
    ends_a_type = {TokenType.COMMA, TokenType.R_PAREN, TokenType.L_BRACKET, TokenType.EQ}
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if identifier_of(token) != old:
            continue
        if i <= name_end - 1 and i > start:
            return None  # the routine's own name
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type == TokenType.DOT:
            return None
        first = i
        if i >= 2 and tokens[i - 1].token_type == TokenType.DOT:
            if identifier_of(tokens[i - 2]) != schema:
                continue  # another schema's
            first = i - 2
        before = tokens[first - 1] if first else None
        written = f"{quote_ident(schema)}.{quote_ident(new)}" if qualify and first == i else \
            quote_ident(new)
        if before is not None and (before.token_type == TokenType.DCOLON or word[first - 1] in (
                "returns", "setof")):
            edits.append((token.start, token.end + 1, written))
            continue
        if first not in listed or first in in_default:
            return None
        if nxt is None or nxt.token_type in ends_a_type or word[i + 1] in ("default", "array"):
            edits.append((token.start, token.end + 1, written))  # a parameter's type
        elif first != i or first not in at_start:
            return None
        # else the parameter's (or column's) name, which stays
    return _splice(head, edits) if edits else head


def _cast_type_at(tokens: Sequence[Token], start: int) -> bool:
    """Whether the name starting at ``tokens[start]`` is the type of a cast: after ``::``, or
    after the ``AS`` of ``CAST(x AS name)`` (not a label's ``AS``: ``SELECT 1 AS name``)."""
    before = tokens[start - 1] if start > 0 else None
    if before is None:
        return False
    if before.token_type == TokenType.DCOLON:
        return True
    if before.token_type == TokenType.IDENTIFIER or identifier_of(before) != "as":
        return False
    depth = 0
    for j in range(start - 2, -1, -1):
        token_type = tokens[j].token_type
        if token_type == TokenType.R_PAREN:
            depth += 1
        elif token_type == TokenType.L_PAREN:
            if depth == 0:
                return j > 0 and tokens[j - 1].token_type != TokenType.IDENTIFIER and \
                    identifier_of(tokens[j - 1]) in ("cast", "xmlcast")
            depth -= 1
        elif depth == 0 and token_type == TokenType.COMMA:
            return False
    return False


def _references(tokens: Sequence[Token], name: str, schema: str | None
                ) -> Iterator[tuple[int, int]]:
    """Where ``name`` is written bare or qualified by ``schema`` (None: bare only), and is not
    itself a qualifier: the index of the reference's first token (the schema's, when qualified)
    and of the name's."""
    for i, token in enumerate(tokens):
        if identifier_of(token) != name:
            continue
        start = i
        if i >= 2 and tokens[i - 1].token_type == TokenType.DOT:
            if schema is None or identifier_of(tokens[i - 2]) != schema:
                continue
            start = i - 2
        if i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.DOT:
            continue
        yield start, i


#: :func:`move_name`'s ``kind`` for a type named in an expression: its casts only
CAST = "cast"


def move_name(text: str, name: str, old_schema: str, new_schema: str, *,
              kind: str = ObjectKind.RELATION) -> str:
    """References to ``name`` (bare, or qualified by ``old_schema``) after ``SET SCHEMA`` moved it
    to ``new_schema``: written ``new_schema.name``. ``kind`` says which references are meant:
    ``relation`` (not called, not a cast), ``type`` (a declaration's leading name and casts),
    :data:`CAST` (casts only: a type in an expression, which may start with a column of its
    name) or ``function`` (called)."""
    tokens = fragment(text).tokens
    edits: list[tuple[int, int, str]] = []
    moved = f"{quote_ident(new_schema)}.{quote_ident(name)}"
    for start, i in _references(tokens, name, old_schema):
        token = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        before = tokens[start - 1] if start > 0 else None
        called = nxt is not None and nxt.token_type == TokenType.L_PAREN
        cast = before is not None and before.token_type == TokenType.DCOLON
        if kind == ObjectKind.RELATION:  # not a label nor an alias (SELECT 1 AS name)
            wanted = not called and not cast and not (
                before is not None and before.token_type != TokenType.IDENTIFIER
                and identifier_of(before) == "as")
        elif kind == ObjectKind.TYPE:
            wanted = _cast_type_at(tokens, start) or start == 0
        elif kind == CAST:
            wanted = _cast_type_at(tokens, start)
        else:
            wanted = called
        if wanted:
            edits.append((tokens[start].start, token.end + 1, moved))
    return _splice(text, edits) if edits else text


def rename_function(text: str, old: str, new: str, schema: str | None = None) -> str:
    """Calls of function ``old`` (bare, or qualified by ``schema``) become calls of ``new``."""
    tokens = fragment(text).tokens
    edits: list[tuple[int, int, str]] = []
    for _, i in _references(tokens, old, schema):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type == TokenType.L_PAREN:
            edits.append((tokens[i].start, tokens[i].end + 1, quote_ident(new)))
    return _splice(text, edits) if edits else text


_COMPARISONS = {TokenType.EQ, TokenType.NEQ, TokenType.LT, TokenType.GT, TokenType.LTE,
                TokenType.GTE}


def rename_label(text: str, old: str, new: str, enum_types: frozenset[str],
                 enum_columns: frozenset[str]) -> str:
    """String literals that are the enum label ``old`` become ``new``, where PostgreSQL reads
    them as that enum (it stores the label's OID, which now reads as the new label): cast to one
    of ``enum_types`` (``'old'::mood``, ``('old')::mood``), or compared with a column of
    ``enum_columns`` (``c = 'old'``, ``'old' <> c``, ``c IN ('old', ...)``). Any other string
    (a text value that happens to read the same) is left alone."""
    if quote_literal(old) not in text:  # the label is not written here at all
        return text
    tokens = fragment(text).tokens
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if not is_string(token) or token.text != old or not text[token.start:].startswith("'"):
            continue
        if _cast_to(tokens, i, enum_types) or _compared_with(tokens, i, enum_columns):
            edits.append((token.start, token.end + 1, quote_literal(new)))
    return _splice(text, edits) if edits else text


def _cast_to(tokens: Sequence[Token], i: int, types: frozenset[str]) -> bool:
    j = i + 1
    while j < len(tokens) and tokens[j].token_type == TokenType.R_PAREN:
        j += 1
    if j + 1 >= len(tokens) or tokens[j].token_type != TokenType.DCOLON:
        return False
    j += 1
    while j + 2 < len(tokens) and tokens[j + 1].token_type == TokenType.DOT:
        j += 2  # schema-qualified: the type's own name comes last
    return identifier_of(tokens[j]) in types


def _column_at(tokens: Sequence[Token], j: int, step: int, columns: frozenset[str]) -> bool:
    """Whether, skipping parentheses in direction ``step``, a column of ``columns`` (maybe
    qualified) is at ``j``."""
    paren = TokenType.L_PAREN if step < 0 else TokenType.R_PAREN
    while 0 <= j < len(tokens) and tokens[j].token_type == paren:
        j += step
    return 0 <= j < len(tokens) and identifier_of(tokens[j]) in columns


def _compared_with(tokens: Sequence[Token], i: int, columns: frozenset[str]) -> bool:
    before = i - 1
    while before >= 0 and tokens[before].token_type == TokenType.L_PAREN:
        before -= 1
    if before >= 0 and tokens[before].token_type in _COMPARISONS:
        return _column_at(tokens, before - 1, -1, columns)
    after = i + 1
    while after < len(tokens) and tokens[after].token_type == TokenType.R_PAREN:
        after += 1
    if (after < len(tokens) and tokens[after].token_type in _COMPARISONS
            and _column_at(tokens, after + 1, +1, columns)):
        return True
    # c IN ('a', 'b'): back over the list to its parenthesis, then IN and the column
    j = i - 1
    while j >= 0 and (is_string(tokens[j]) or tokens[j].token_type == TokenType.COMMA):
        j -= 1
    if j >= 1 and tokens[j].token_type == TokenType.L_PAREN and \
            identifier_of(tokens[j - 1]) == "in":
        k = j - 2
        if k >= 0 and identifier_of(tokens[k]) == "not":
            k -= 1
        return _column_at(tokens, k, -1, columns)
    return False
