"""postgres-migrations (the Node.js package): ``<id>_<name>.sql`` or ``<id>-<name>.sql``.

Files run in numeric order of their leading id (``00010-x.sql`` is 10, between 9 and 11). Each
runs in its own transaction unless its text contains ``-- postgres-migrations
disable-transaction`` (the package looks for the marker anywhere in the file; older releases
only on the first line, which the same rule covers). A file containing ``-- postgres-migrations
ignore`` is not run: runners built on the package (Supabase Storage's, for one) replace its text
by ``SELECT 1`` before running it, so schemafold reads it as empty, with a warning.

Must not know: SQL meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from schemafold.errors import SchemaWarning
from schemafold.sources.base import (
    Body,
    Candidate,
    Listing,
    Scan,
    Tool,
    named_sql_files,
    sorted_candidates,
)

NAME = re.compile(r"^(?P<version>\d+)[_\-](?P<name>.*?)\.sql$")
MARKER = "-- postgres-migrations disable-transaction"
IGNORE = "-- postgres-migrations ignore"


class PostgresMigrations(Tool):
    name: ClassVar[str] = "postgres-migrations"
    summary: ClassVar[str] = "<id>_<name>.sql or <id>-<name>.sql, '-- postgres-migrations' markers"
    no_transaction_marker: ClassVar[str | None] = MARKER

    def claims(self, listing: Listing) -> bool:
        """A numbered ``.sql`` file carries one of the package's markers."""
        return any(NAME.match(name) and "-- postgres-migrations" in text
                   for name, text in listing.texts.items())

    def scan(self, folder: Path) -> Scan:
        files, warnings = named_sql_files(folder, NAME.match, "not a postgres-migrations file name")
        found = [(int(match.group("version")), Candidate(
            match.group("version"), match.group("name"), path, path.name))
            for path, match in files]
        return Scan(sorted_candidates(found), warnings=warnings)

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        if IGNORE in text:
            warning = SchemaWarning("marked '-- postgres-migrations ignore': the runner does not "
                                    "run it, and neither does the fold", file=candidate.display,
                                    line=1)
            return Body("", warnings=(warning,))
        return Body(text, in_transaction=MARKER not in text)


TOOL = PostgresMigrations()
