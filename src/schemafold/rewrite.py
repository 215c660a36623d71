"""Renames inside SQL text: rewrite identifier tokens by position, nothing else.

Owns: making an expression (CHECK, default, index expression or predicate, policy, view query)
follow ``RENAME COLUMN`` and ``RENAME TO`` the way PostgreSQL's catalog does, by replacing only the
identifier tokens that name the renamed thing (offsets from sqlglot's tokenizer) and keeping every
other character of the original. Function bodies are never passed here.

Must not know: the schema state (callers say which qualifiers denote the table).
"""

from __future__ import annotations

from schemafold.names import quote_ident
from schemafold.parse.tokens import Token, TokenType, is_word, tokenize


def _ident(token: Token) -> str | None:
    if token.token_type == TokenType.IDENTIFIER:
        return token.text
    if is_word(token):
        return token.text.lower()
    return None


def _splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    out = []
    last = 0
    for start, end, replacement in sorted(edits):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


def rename_column(
    text: str, old: str, new: str, qualifiers: frozenset[str], *, keep_output_names: bool = False
) -> str:
    """References to column ``old`` become ``new``: bare ones, and ones qualified by one of
    ``qualifiers`` (the table's name or alias). With ``keep_output_names`` (a view query), a bare
    top-level select item keeps its output name: ``old`` becomes ``new AS old``."""
    tokens = tokenize(text)
    edits: list[tuple[int, int, str]] = []
    aliased = _bare_select_items(tokens) if keep_output_names else set()
    for i, token in enumerate(tokens):
        if _ident(token) != old:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type in (TokenType.L_PAREN, TokenType.DOT):
            continue
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.token_type == TokenType.DCOLON:
            continue
        if prev is not None and prev.token_type == TokenType.DOT:
            qualifier = _ident(tokens[i - 2]) if i >= 2 else None
            if qualifier not in qualifiers:
                continue
        if prev is not None and _ident(prev) == "as" and prev.token_type != TokenType.IDENTIFIER:
            continue  # an output alias, not a reference
        replacement = quote_ident(new)
        if i in aliased:
            replacement += f" AS {quote_ident(old)}"
        edits.append((token.start, token.end + 1, replacement))
    return _splice(text, edits) if edits else text


def rename_relation(text: str, old: str, new: str, schema: str | None = None) -> str:
    """References to relation ``old`` (bare, or qualified by ``schema``) become ``new``."""
    tokens = tokenize(text)
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        if _ident(token) != old:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type == TokenType.L_PAREN:
            continue
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.token_type == TokenType.DCOLON:
            continue
        if prev is not None and prev.token_type == TokenType.DOT:
            qualifier = _ident(tokens[i - 2]) if i >= 2 else None
            if schema is None or qualifier != schema:
                continue
        edits.append((token.start, token.end + 1, quote_ident(new)))
    return _splice(text, edits) if edits else text


def columns_named(text: str, candidates: set[str]) -> list[str]:
    """The distinct names from ``candidates`` that appear as column references in ``text``, in
    order of first appearance."""
    seen: list[str] = []
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        name = _ident(token)
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


def _bare_select_items(tokens: list[Token]) -> set[int]:
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
