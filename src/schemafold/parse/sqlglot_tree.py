"""Reading one SQL statement or expression into sqlglot's syntax tree, quietly.

Owns: the one call into ``sqlglot.parse_one`` the fold's evaluators share. sqlglot logs a
warning when it falls back to an opaque ``Command`` for syntax it does not know (a ``DO``
block, say); schemafold decides itself what such a tree means, so the warning would only reach
the user's terminal as noise: it is silenced for the call, and only for it.

Must not know: what the tree is used for.
"""

from __future__ import annotations

import logging

import sqlglot
from sqlglot import expressions as exp

__all__ = ["parse_tree"]

_LOGGER = logging.getLogger("sqlglot")


def parse_tree(text: str) -> exp.Expr:
    """``text`` parsed as PostgreSQL by sqlglot (errors raise as sqlglot raises them)."""
    level = _LOGGER.level
    _LOGGER.setLevel(logging.ERROR)
    try:
        return sqlglot.parse_one(text, read="postgres")
    finally:
        _LOGGER.setLevel(level)
