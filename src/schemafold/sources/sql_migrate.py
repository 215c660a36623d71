"""sql-migrate (rubenv/sql-migrate): ``.sql`` files with ``-- +migrate Up``/``Down`` sections.

Files: every ``.sql`` file directly in the folder is a migration, identified by its whole file
name (the ``id`` of its ``gorp_migrations`` row). Order, as sql-migrate sorts them: two names
that both start with digits compare by that number (``2_b.sql`` before ``10_a.sql``), and by
name when the numbers are equal; a name starting with digits comes before one that does not;
two names without digits compare as text. The version is the leading number (the file name when
there is none); files sharing a number are each recorded by their name, so nothing to say.

Sections: a line starting exactly ``-- +migrate `` is a command: ``Up`` and ``Down`` open a
section (``Up notransaction`` runs the up statements outside a transaction), ``StatementBegin``
/``StatementEnd`` mark one statement that holds ``;`` at line ends. Only the lines of Up sections
run; lines before the first section are dropped by sql-migrate (a statement there is a warning),
and so are lines starting ``-- `` (comments), which are emptied here too. A file without an Up
or Down command is an error, as sql-migrate refuses it.

Must not know: SQL meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from schemafold.errors import InputError, SchemaWarning
from schemafold.sources.base import (
    Body,
    Candidate,
    Listing,
    Scan,
    Tool,
    keep_lines,
    lines_of,
)

PREFIX = "-- +migrate "
UP_MARKER = re.compile(r"^-- \+migrate Up\b", re.MULTILINE)
_NUMBER = re.compile(r"^(\d+)")


def sort_key(name: str) -> tuple[int, int, str]:
    """sql-migrate's order of file names (its ``Migration.Less``)."""
    match = _NUMBER.match(name)
    return (0, int(match.group(1)), name) if match else (1, 0, name)


class SqlMigrate(Tool):
    name: ClassVar[str] = "sql-migrate"
    summary: ClassVar[str] = ".sql files with -- +migrate Up / -- +migrate Down sections"
    no_transaction_marker: ClassVar[str | None] = "-- +migrate Up notransaction"
    duplicates: ClassVar[str] = "allow"

    def claims(self, listing: Listing) -> bool:
        return any(UP_MARKER.search(text) for text in listing.texts.values())

    def version_key(self, version: str) -> Any:
        return (0, int(version), "") if version.isdigit() else (1, 0, version)

    def scan(self, folder: Path) -> Scan:
        found = []
        for path in sorted(folder.iterdir(), key=lambda p: sort_key(p.name)):
            if not path.is_file() or not path.name.endswith(".sql"):
                continue
            match = _NUMBER.match(path.name)
            version = match.group(1) if match else path.name
            name = path.name[len(match.group(1)):] if match else path.name
            found.append(Candidate(version, name.lstrip("_-.").removesuffix(".sql"), path,
                                   path.name))
        return Scan(tuple(found))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        file = candidate.display
        keep: set[int] = set()
        section = ""
        begin = 0
        in_transaction = True
        warnings: list[SchemaWarning] = []
        for number, raw in enumerate(lines_of(text), 1):
            line = raw.rstrip("\r")
            if line.startswith(PREFIX):
                words = line[len(PREFIX):].split()
                if not words:
                    raise InputError("incomplete '-- +migrate' command", file=file, line=number)
                command = words[0]
                if command in ("Up", "Down"):
                    section = command
                    if command == "Up" and "notransaction" in words[1:]:
                        in_transaction = False
                elif command == "StatementBegin" and section:
                    begin = number
                elif command == "StatementEnd" and section:
                    begin = 0
                continue
            if line.startswith("-- +") or line.startswith("-- "):
                continue  # sql-migrate drops these lines
            if section == "Up":
                keep.add(number)
            elif not section and line.strip() and not line.lstrip().startswith("--"):
                warnings.append(SchemaWarning(
                    "SQL before '-- +migrate Up': sql-migrate does not run it, and neither "
                    "does the fold", file=file, line=number))
        if begin:
            raise InputError("'-- +migrate StatementBegin' with no matching StatementEnd",
                             file=file, line=begin)
        if not section:
            raise InputError("no '-- +migrate Up' or '-- +migrate Down' command (sql-migrate "
                             "refuses the file)", file=file, line=1)
        return Body(keep_lines(text, keep.__contains__), in_transaction=in_transaction,
                    warnings=tuple(warnings))


TOOL = SqlMigrate()
