"""Opaque statements: what folding keeps verbatim, with a best-effort read and write set.

Owns: finding the names an opaque statement may read or write, from its tokens (and, inside
dollar-quoted bodies such as DO blocks, from the body's own tokens). Names are returned as written
(unresolved); the fold resolves them through ``search_path`` and keeps those that exist.

Must not know: the schema state.
"""

from __future__ import annotations

import re

from schemafold.events import Opaque, Origin
from schemafold.names import RESERVED, QName
from schemafold.parse.tokens import Cursor, TokenType, is_word, tokenize

_NAME_IN_STRING = re.compile(r'^\s*"?[A-Za-z_][\w$]*"?(\s*\.\s*"?[A-Za-z_][\w$]*"?)?\s*$')
_DDL_WORDS = frozenset({"CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE", "TRUNCATE"})


def names_in(text: str) -> tuple[list[QName], bool]:
    """All plausible object names in ``text`` (identifier chains not followed by '('), and
    whether the text contains a statement that writes."""
    try:
        tokens = tokenize(text)
    except Exception:  # a body that is not SQL (e.g. plpython): nothing to learn from it
        return [], True
    names: list[QName] = []
    writes = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.token_type == TokenType.HEREDOC_STRING:
            inner, inner_writes = names_in(token.text)
            names.extend(inner)
            writes = writes or inner_writes
            i += 1
            continue
        if token.token_type == TokenType.STRING and _NAME_IN_STRING.match(token.text):
            names.append(QName.parse(token.text))
        if is_word(token) and token.text.upper() in _DDL_WORDS:
            writes = True
        if token.token_type == TokenType.IDENTIFIER or is_word(token):
            parts = [token.text if token.token_type == TokenType.IDENTIFIER else token.text.lower()]
            j = i + 1
            while (
                j + 1 < len(tokens)
                and tokens[j].token_type == TokenType.DOT
                and (tokens[j + 1].token_type == TokenType.IDENTIFIER or is_word(tokens[j + 1]))
            ):
                nxt = tokens[j + 1]
                quoted = nxt.token_type == TokenType.IDENTIFIER
                parts.append(nxt.text if quoted else nxt.text.lower())
                j += 2
            after_into = i > 0 and is_word(tokens[i - 1]) and tokens[i - 1].text.upper() in (
                "INTO", "TABLE")
            if j < len(tokens) and tokens[j].token_type == TokenType.L_PAREN and \
                    len(parts) == 1 and not after_into:
                i = j  # a function call; but INSERT INTO t (cols) names the table t
                continue
            if len(parts) == 1 and token.token_type != TokenType.IDENTIFIER and \
                    parts[0] in RESERVED:
                i = j  # a reserved word (SELECT, FROM, END ...) is never an unquoted name
                continue
            if len(parts) >= 2:
                names.append(QName(parts[-2], parts[-1]))
            names.append(QName(None, parts[-1]))
            i = j
            continue
        i += 1
    unique = sorted(set(names), key=lambda q: (q.schema or "", q.name))
    return unique, writes


def summarise(text: str, width: int = 60) -> str:
    """One line of at most ``width`` characters: a DO block's whole body is one token."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 3].rstrip() + "..."


def make_opaque(origin: Origin, reason: str) -> Opaque:
    # Conservative: whatever an opaque statement names, it may write (a DO block, setval(...)).
    names, _ = names_in(origin.text)
    cursor = Cursor(origin.text, file=origin.file, line=origin.line)
    summary = summarise(" ".join(t.text for t in cursor.tokens[:4]))
    return Opaque(
        origin=origin,
        summary=summary,
        reason=reason,
        reads=tuple(names),
        writes=tuple(names),
    )
