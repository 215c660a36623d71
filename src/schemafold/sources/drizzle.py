"""Drizzle (drizzle-kit): ``<idx>_<name>.sql`` files listed in ``meta/_journal.json``.

Names and order: drizzle-orm's migrator (``readMigrationFiles``) reads ``meta/_journal.json`` and
takes its ``entries`` in the order the array lists them; each entry's ``tag`` names the file
``<tag>.sql`` beside ``meta/`` (a tag without its file is an error, as drizzle throws "No file
... found"). A ``.sql`` file no entry names is not run (skipped with a warning). The version is
the tag's leading number (``0003`` of ``0003_brave_wolf``; the entry's ``idx`` when the tag has
none), the name the rest of the tag. A journal whose ``dialect`` is not ``postgresql`` is a
warning.

Statements: the migrator splits a file's text at every ``--> statement-breakpoint`` and sends
each piece on its own; schemafold reads each marker as the end of a statement (the marker is
replaced by a ``;`` padded to its width, so lines and columns stay), which also ends a statement
that has no ``;`` of its own.

Transactions and bookkeeping: drizzle-orm's PostgreSQL dialect (``PgDialect.migrate``) runs
*every pending migration in one transaction*, and records each in
``drizzle.__drizzle_migrations (id serial, hash text, created_at bigint)``: ``hash`` is the
SHA-256 (hex) of the file's text (``migration_hash``; drizzle-orm's main branch first turns CRLF
into LF), ``created_at`` the entry's ``when``. A migration is pending when its ``when`` is
greater than the ``created_at`` of the last row (by ``created_at``); an entry whose ``when`` is
not greater than an earlier entry's is therefore skipped by every database that ran the earlier
one (a warning).

Each file is read as one transaction (a database that ran the history one deploy at a time ran
it so; a fresh one runs them all in one, which builds the same). A file holding a statement
PostgreSQL refuses inside a transaction block (``CREATE INDEX CONCURRENTLY``, ``VACUUM``) fails
under drizzle's migrator, so it was applied some other way: it is read as outside a
transaction, with a warning.

Must not know: SQL meaning beyond ``refusals``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from schemafold.errors import InputError, SchemaWarning
from schemafold.sources.base import Body, Candidate, Listing, Scan, Tool, read_text, skipped
from schemafold.sources.refusals import refused_in_a_block

JOURNAL = "meta/_journal.json"
BREAKPOINT = "--> statement-breakpoint"
_TAG = re.compile(r"^(?P<version>\d+)_(?P<name>.*)$")


def migration_hash(text: str, *, crlf_to_lf: bool = False) -> str:
    """The ``hash`` drizzle-orm records for a migration file's text (``readMigrationFiles``):
    SHA-256, hex, of the text as read (drizzle-orm 0.45, checked by running it), or with CRLF
    turned into LF first (``crlf_to_lf``: drizzle-orm's main branch normalises line ends)."""
    if crlf_to_lf:
        text = text.replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def journal_entries(folder: Path) -> list[dict[str, Any]]:
    """The ``entries`` of ``folder``'s ``meta/_journal.json``, checked for what the migrator
    reads (``tag`` a string, ``when`` a number)."""
    path = folder / JOURNAL
    if not path.is_file():
        raise InputError("no meta/_journal.json (drizzle's migrator needs it)", file=JOURNAL)
    try:
        journal = json.loads(read_text(path, JOURNAL))
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON: {error.msg}", file=JOURNAL, line=error.lineno) from None
    entries = journal.get("entries") if isinstance(journal, dict) else None
    if not isinstance(entries, list):
        raise InputError("no 'entries' list", file=JOURNAL, line=1)
    for number, entry in enumerate(entries):
        if not (isinstance(entry, dict) and isinstance(entry.get("tag"), str)
                and isinstance(entry.get("when"), int | float)
                and not isinstance(entry.get("when"), bool)):
            raise InputError(f"entry {number} needs a string 'tag' and a number 'when'",
                             file=JOURNAL, line=1)
    return entries


def with_breakpoints_as_ends(text: str) -> str:
    """``text`` with each ``--> statement-breakpoint`` turned into a ``;`` padded to its width."""
    return text.replace(BREAKPOINT, ";" + " " * (len(BREAKPOINT) - 1))


class Drizzle(Tool):
    name: ClassVar[str] = "drizzle"
    summary: ClassVar[str] = "<idx>_<name>.sql listed in meta/_journal.json"
    #: drizzle records a migration by its hash and ``when``, never by its tag's number
    duplicates: ClassVar[str] = "allow"

    def claims(self, listing: Listing) -> bool:
        return JOURNAL in listing.tree

    def scan(self, folder: Path) -> Scan:
        entries = journal_entries(folder)
        warnings: list[SchemaWarning] = []
        path = folder / JOURNAL
        dialect = json.loads(read_text(path, JOURNAL)).get("dialect")
        if dialect not in (None, "postgresql"):
            warnings.append(SchemaWarning(f"the journal's dialect is {dialect!r}, not "
                                          "'postgresql'; the files are read as PostgreSQL",
                                          file=JOURNAL, line=1))
        found: list[Candidate] = []
        tags = set()
        latest: tuple[float, str] | None = None
        for index, entry in enumerate(entries):
            tag, when = entry["tag"], entry["when"]
            tags.add(tag)
            file = folder / f"{tag}.sql"
            if not file.is_file():
                raise InputError(f"the journal names {tag!r}, but there is no {tag}.sql "
                                 "(drizzle's migrator fails the same way)", file=JOURNAL)
            match = _TAG.match(tag)
            version = match.group("version") if match else str(entry.get("idx", index))
            name = match.group("name") if match else tag
            if latest is not None and when <= latest[0]:
                warnings.append(SchemaWarning(
                    f"its journal 'when' ({when}) is not greater than that of {latest[1]} "
                    f"({latest[0]}): drizzle applies a migration only when its 'when' exceeds "
                    "the last one applied, so a database that ran the earlier migration never "
                    "runs this one", file=f"{tag}.sql", line=1))
            if latest is None or when > latest[0]:
                latest = (when, tag)
            found.append(Candidate(version, name, file, f"{tag}.sql"))
        for file in sorted(folder.iterdir(), key=lambda p: p.name):
            if file.suffix == ".sql" and file.is_file() and file.stem not in tags:
                warnings.append(skipped(file.name, "not in meta/_journal.json (drizzle does "
                                        "not run it)"))
        return Scan(tuple(found), warnings=tuple(warnings))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        text = with_breakpoints_as_ends(text)
        warning = refused_in_a_block(text, candidate.display, "drizzle's migrator runs every "
                                     "pending migration in one transaction")
        return Body(text, in_transaction=warning is None,
                    warnings=(warning,) if warning else ())


TOOL = Drizzle()
