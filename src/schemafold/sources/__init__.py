"""Sources: a migration tool's folder (or a list of files) to migrations in apply order.

Owns: each tool's documented file naming and ordering rules, its transaction markers, its
sections (only the up half is folded), placeholders, reading files (UTF-8, a BOM is fine) with
clear errors, and detecting the tool from a folder's shape. One module per tool (``sqlx``,
``golang_migrate``, ``goose``, ``dbmate``, ``flyway``, ``diesel``, ``prisma``, ``drizzle``,
``supabase``, ``atlas``, ``liquibase``, ``sql_migrate``, ``tern``, ``plain``), each a
``Tool`` (``base``); ``TOOLS`` maps ``--source-format`` names to them, for readers and writers
alike.

Must not know: SQL meaning, the schema, rendering.
"""

from __future__ import annotations

from schemafold.sources.base import History, Migration, Tool, read_text
from schemafold.sources.detect import detect_format
from schemafold.sources.history import SOURCE_FORMATS, TOOLS, read_history

__all__ = [
    "SOURCE_FORMATS",
    "TOOLS",
    "History",
    "Migration",
    "Tool",
    "detect_format",
    "read_history",
    "read_text",
]
