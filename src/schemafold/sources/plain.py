"""plain: numbered ``.sql`` files run one after another (by psql or a script).

Names: digits, then an optional ``_``, ``-`` or ``.``, then anything, then ``.sql``
(``001_init.sql``, ``2-users.sql``, ``10.sql``). Files run in numeric order of the digits, equal
numbers by file name (with a warning naming both; an error under ``strict``). Other ``.sql``
files are skipped with a warning. A file whose first line is ``-- no-transaction`` (any case)
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

NAME = re.compile(r"^(?P<version>\d+)[_\-.]?(?P<name>.*?)\.sql$")
MARKER = "-- no-transaction"


class Plain(Tool):
    name: ClassVar[str] = "plain"
    summary: ClassVar[str] = "numbered .sql files"
    no_transaction_marker: ClassVar[str | None] = MARKER

    def claims(self, listing: Listing) -> bool:
        return True

    def scan(self, folder: Path) -> Scan:
        files, warnings = named_sql_files(folder, NAME.match, "not a numbered migration file name")
        found = [(int(match.group("version")), Candidate(
            match.group("version"), match.group("name"), path, path.name))
            for path, match in files]
        return Scan(sorted_candidates(found), warnings=warnings)

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        marked = first_line(text).strip().lower() == MARKER
        return Body(text, in_transaction=not marked)


TOOL = Plain()
