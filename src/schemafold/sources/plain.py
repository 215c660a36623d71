"""plain: numbered ``.sql`` files run one after another (by psql or a script).

Names: an optional ``V``, digits, then an optional ``_``, ``-`` or ``.``, then anything, then
``.sql`` (``001_init.sql``, ``2-users.sql``, ``10.sql``, ``000001.sql``, and the names of runners
of one's own such as ``V0001.Create_Users.up.sql``). A name ending in ``.down.sql`` is a down
half, never applied forward, and is not read; ``.up.sql`` is the up half, its ``.up`` not part
of the name. Files run in numeric order of the digits, equal numbers by file name (with a
warning naming both; an error under ``strict``). Other ``.sql`` files are skipped with a
warning. A file whose first line is ``-- no-transaction`` (any case)
runs outside a transaction; every other file runs in one. Files given one by one (not a folder)
are read by these rules too, in the order given.

Must not know: SQL meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from schemafold.sources.base import (
    Body,
    Candidate,
    Listing,
    Scan,
    Tool,
    first_line,
    named_sql_files,
    sorted_candidates,
)

NAME = re.compile(r"^[Vv]?(?P<version>\d+)[_\-.]?(?P<name>.*?)\.sql$")
MARKER = "-- no-transaction"


def split_name(file_name: str) -> tuple[str, str, str] | None:
    """``(version, name, direction)`` of a numbered file name, direction ``""``, ``"up"`` or
    ``"down"``; None when the name is not numbered."""
    match = NAME.match(file_name)
    if match is None:
        return None
    name = match.group("name")
    for direction in ("up", "down"):
        if file_name.endswith(f".{direction}.sql"):
            # ``1.up.sql`` has no name: its ``up`` was read as the name
            name = name[: -len(f".{direction}")] if name.endswith(f".{direction}") else ""
            return match.group("version"), name, direction
    return match.group("version"), name, ""


class Plain(Tool):
    name: ClassVar[str] = "plain"
    summary: ClassVar[str] = "numbered .sql files"
    no_transaction_marker: ClassVar[str | None] = MARKER

    def claims(self, listing: Listing) -> bool:
        return True

    def scan(self, folder: Path) -> Scan:
        files, warnings = named_sql_files(folder, split_name, "not a numbered migration file name")
        found = [(int(version), Candidate(version, name, path, path.name))
                 for path, (version, name, direction) in files if direction != "down"]
        return Scan(sorted_candidates(found), warnings=warnings)

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        marked = first_line(text).strip().lower() == MARKER
        return Body(text, in_transaction=not marked)


TOOL = Plain()
