"""golang-migrate: ``<version>_<title>.up.sql`` and ``<version>_<title>.down.sql``.

The version is an unsigned integer compared numerically (``1`` < ``2`` < ``10``); two up files of
one version are an error, as golang-migrate refuses them. Files of any other name are ignored by
the tool (skipped here with a warning).

Transactions: golang-migrate's PostgreSQL driver sends a file's whole text as one multi-statement
``Exec`` and opens no transaction of its own; PostgreSQL runs a multi-statement query as one
implicit transaction, so the file is atomic, and schemafold reads it as in a transaction. A file
holding a single statement that refuses transaction blocks, such as ``CREATE INDEX
CONCURRENTLY``, runs under golang-migrate because a one-statement query is not a block: it is
read as outside a transaction. A file holding such a statement beside others fails so (its
driver's ``x-multi-statement`` mode sends the statements one by one): it is read as outside a
transaction, statement by statement, with a warning.

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
    named_sql_files,
    sorted_candidates,
)

NAME = re.compile(r"^(?P<version>[0-9]+)_(?P<title>.*)\.(?P<direction>up|down)\.(?P<ext>[^.]+)$")


class GolangMigrate(Tool):
    name: ClassVar[str] = "golang-migrate"
    summary: ClassVar[str] = "<version>_<title>.up.sql / .down.sql, numeric versions"
    duplicates: ClassVar[str] = "error"

    def claims(self, listing: Listing) -> bool:
        return any(NAME.match(n) and n.endswith(".up.sql") for n in listing.files)

    def scan(self, folder: Path) -> Scan:
        # Only .sql files can be up migrations (and only their names are worth a warning).
        files, warnings = named_sql_files(
            folder, NAME.match, "not a golang-migrate migration name (<version>_<title>.up.sql)")
        found = [(int(match.group("version")),
                  Candidate(match.group("version"), match.group("title"), path, path.name))
                 for path, match in files if match.group("direction") == "up"]
        return Scan(sorted_candidates(found), warnings=warnings)

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        from schemafold.sources.refusals import refused_in_a_block, refused_statements

        count, refused = refused_statements(text, candidate.display)
        if count == 1 and refused:  # one statement sent alone: no block
            return Body(text, in_transaction=False)
        warning = refused_in_a_block(text, candidate.display, "golang-migrate sends a file's "
                                     "statements as one query, one implicit transaction")
        return Body(text, in_transaction=warning is None, warnings=(warning,) if warning else ())


TOOL = GolangMigrate()
