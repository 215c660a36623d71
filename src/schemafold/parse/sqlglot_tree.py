"""Reading one SQL statement or expression into sqlglot's syntax tree, quietly.

Owns: the one way into sqlglot's parser the fold's evaluators share. sqlglot logs a
warning when it falls back to an opaque ``Command`` for syntax it does not know (a ``DO``
block, say); schemafold decides itself what such a tree means, so the warning would only reach
the user's terminal as noise: it is silenced for the call, and only for it.

A bare word with a character beyond ASCII is a name to PostgreSQL, never a key word; sqlglot
matches key words with ``str.upper``, which makes ``SELECT`` of ``ſelect`` and ``LIMIT`` of
``lımıt``: such words are read as names here before sqlglot's parser sees them.

Must not know: what the tree is used for.
"""

from __future__ import annotations

import logging
import re

import sqlglot
from sqlglot import expressions as exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError
from sqlglot.tokenizer_core import TokenType

from schemafold.names import fold_case, truncate_identifier
from schemafold.parse.tokens import blank_comments

__all__ = ["parse_postgres", "parse_tree", "stored_names"]

_LOGGER = logging.getLogger("sqlglot")


def parse_tree(text: str) -> exp.Expr:
    """``text`` parsed as PostgreSQL by sqlglot, its names as PostgreSQL stores them (errors
    raise as sqlglot raises them), sqlglot's warnings silenced."""
    level = _LOGGER.level
    _LOGGER.setLevel(logging.ERROR)
    try:
        return stored_names(parse_postgres(text), text)
    finally:
        _LOGGER.setLevel(level)


def parse_postgres(text: str) -> exp.Expr:
    """``sqlglot.parse_one(text, read="postgres")``, but with no key word read from a word
    beyond ASCII, and comments read as PostgreSQL reads them (block comments nest: sqlglot
    ends ``/* a /* b */ */`` at the first ``*/``); errors raise as sqlglot raises them."""
    text = blank_comments(text)
    if text.isascii():
        return sqlglot.parse_one(text, read="postgres")
    dialect = Dialect.get_or_raise("postgres")
    tokens = dialect.tokenize(text)
    keywords = dialect.tokenizer_class.KEYWORDS
    for token in tokens:
        if not token.text.isascii() and keywords.get(token.text.upper()) == token.token_type:
            token.token_type = TokenType.VAR
    trees = dialect.parser().parse(tokens, text)
    if not trees or trees[0] is None:
        raise ParseError(f"No expression was parsed from '{text}'")
    return trees[0]


#: A run of text that may hold a name longer than PostgreSQL keeps (63 bytes: 16 characters or
#: more); text without one, and without a character beyond ASCII, names nothing to change.
_LONG = re.compile(r'[^\s.,;:()\[\]"\'=<>+*/-]{16}|"[^"]{16}')


def stored_names(tree: exp.Expr, text: str) -> exp.Expr:
    """``tree`` (sqlglot's reading of ``text``) with every name as PostgreSQL stores it: cut
    to its first 63 bytes (:func:`schemafold.names.truncate_identifier`), and an unquoted one
    with an upper-case letter beyond ASCII folded as PostgreSQL folds it (ASCII letters only)
    and marked quoted, so that no reader folds it again with ``str.lower``. Run before
    sqlglot's own ``normalize_identifiers``."""
    if text.isascii() and not _LONG.search(text):
        return tree
    for node in tree.find_all(exp.Identifier):
        name = node.this
        if not isinstance(name, str):
            continue
        if not node.quoted and not name.isascii() and fold_case(name) != name.lower():
            node.set("quoted", True)
            name = fold_case(name)
        if len(name) > 15 or name != node.this:
            node.set("this", truncate_identifier(name))
    return tree
