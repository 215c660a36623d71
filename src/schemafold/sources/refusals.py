"""Statements PostgreSQL refuses inside a transaction block, for the tools that run every file in
one (Drizzle, the Supabase CLI, Atlas without its ``txmode none`` directive).

Such a tool fails on a file holding one of them (PostgreSQL answers "cannot run inside a
transaction block"), so a history that holds one was applied some other way: its file is read as
run outside a transaction, statement by statement, with a warning saying what the tool does.

Knows of SQL only where statements end (the splitter) and which few statements refuse a block.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from schemafold.errors import InputError, SchemaWarning

if TYPE_CHECKING:
    from schemafold.parse.splitter import Statement

#: Statements PostgreSQL refuses inside a transaction block (an implicit one included).
REFUSED = re.compile(
    r"""^(?:CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b|DROP\s+INDEX\s+CONCURRENTLY\b
    |REINDEX\b.*\bCONCURRENTLY\b|VACUUM\b|CLUSTER\s*$|CREATE\s+DATABASE\b|DROP\s+DATABASE\b
    |ALTER\s+SYSTEM\b|CREATE\s+TABLESPACE\b|DROP\s+TABLESPACE\b
    |CREATE\s+SUBSCRIPTION\b|DROP\s+SUBSCRIPTION\b)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


#: A word every statement ``REFUSED`` finds holds: the cheap test before splitting a file.
_MAY_BE_REFUSED = re.compile(
    r"(?i)concurrently|vacuum|cluster|database|system|tablespace|subscription")


def refused_statements(text: str, file: str) -> tuple[int, list[Statement]]:
    """How many statements ``text`` holds, and those of them PostgreSQL refuses inside a
    transaction block; (0, []) for text the splitter cannot read (the parser reports it), and
    for text with none of their words (the count is read only where one is refused)."""
    from schemafold.parse.splitter import split_sql  # parse imports sources: import late

    if _MAY_BE_REFUSED.search(text) is None:
        return 0, []  # no word of those statements: not split a second time to count
    try:
        statements = split_sql(text, file).statements
    except InputError:
        return 0, []
    return len(statements), [s for s in statements if REFUSED.match(s.text)]


def refused_in_a_block(text: str, file: str, tool_does: str) -> SchemaWarning | None:
    """A warning naming the first statement of ``text`` PostgreSQL refuses inside a transaction
    block (``tool_does`` says how the tool runs the file), or None when there is none. Text the
    splitter cannot read is left to the parser to report."""
    _, refused = refused_statements(text, file)
    if not refused:
        return None
    return SchemaWarning(
        f"{tool_does}, where PostgreSQL refuses this statement; the file is read as "
        "run outside a transaction, statement by statement (as it must have been "
        "applied)", file=file, line=refused[0].line, text=refused[0].text)
