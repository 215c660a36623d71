"""Reading one SQL statement or expression into sqlglot's syntax tree, quietly.

Owns: the one call into ``sqlglot.parse_one`` the fold's evaluators share. sqlglot logs a
warning when it falls back to an opaque ``Command`` for syntax it does not know (a ``DO``
block, say); schemafold decides itself what such a tree means, so the warning would only reach
the user's terminal as noise: it is silenced for the call, and only for it.

Must not know: what the tree is used for.
"""

from __future__ import annotations

import logging
import re

import sqlglot
from sqlglot import expressions as exp

from schemafold.names import fold_case, truncate_identifier

__all__ = ["parse_tree", "stored_names"]

_LOGGER = logging.getLogger("sqlglot")


def parse_tree(text: str) -> exp.Expr:
    """``text`` parsed as PostgreSQL by sqlglot (errors raise as sqlglot raises them)."""
    level = _LOGGER.level
    _LOGGER.setLevel(logging.ERROR)
    try:
        return stored_names(sqlglot.parse_one(text, read="postgres"), text)
    finally:
        _LOGGER.setLevel(level)


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
