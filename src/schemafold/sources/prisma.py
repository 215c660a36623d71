"""Prisma Migrate: one folder per migration, ``<timestamp>_<name>/migration.sql``.

Names: Prisma takes every sub-folder of its migrations folder as a migration named after the
folder (``20240102030405_add_posts``), reads the folder's ``migration.sql`` and applies the
migrations in lexical order of those names. The version is the folder name before its first
``_`` (the 14-digit timestamp Prisma writes), compared as text, as Prisma compares names; two
folders of one timestamp are two migrations (Prisma records each by its whole name), so they
raise no warning. A folder without ``migration.sql`` is an error, as Prisma fails to read its
script; folders starting with ``.`` are ignored; plain files (``migration_lock.toml``, a README)
are not migrations, and a ``.sql`` file beside the folders is skipped with a warning.
``migration_lock.toml`` names the provider; one other than ``postgresql`` is a warning.

Transactions: through Prisma 7.3, Prisma's PostgreSQL connector sends a migration.sql whole, as
one simple-query call, and opens no transaction of its own (prisma-engines,
``apply_migration_script``). PostgreSQL runs a query of several statements as one implicit
transaction, and a query of one statement outside any transaction block, which is how a ``CREATE
INDEX CONCURRENTLY`` alone in its file applies. Since Prisma 7.4 (prisma-engines #5767) the
engine splits the script and sends each statement on its own, each committing by itself, so a
file may also mix ``CREATE INDEX CONCURRENTLY`` with other statements, or use an enum value that
an earlier statement of the file added.

schemafold reads a file outside a transaction when one of its statements refuses a transaction
block (``CREATE INDEX CONCURRENTLY``, ``VACUUM``, ...) or adds an enum value (``ALTER TYPE ..
ADD VALUE``): alone in its file such a statement ran outside any block, and beside others the
file applied only statement by statement. Every other file is read as one transaction: sent
whole, it was one (several statements) or a single statement, which is atomic by itself and
builds the same thing in a transaction or outside one; split by Prisma 7.4, its statements
build what the transaction builds when it commits.

Knows of SQL only where statements end (the splitter), which few statements PostgreSQL refuses
inside a transaction block, and ``ADD VALUE``.
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
    read_text,
    skipped,
    sorted_candidates,
)

SCRIPT = "migration.sql"
LOCK = "migration_lock.toml"
#: The folder names Prisma writes: a 14-digit UTC timestamp, ``_``, the migration's name.
FOLDER = re.compile(r"^\d{14}_")
#: Statements PostgreSQL refuses inside a transaction block (an implicit one included), and
#: ``ADD VALUE``, whose new value a transaction cannot use before it commits.
_OUTSIDE = re.compile(
    r"""^(?:CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b|DROP\s+INDEX\s+CONCURRENTLY\b
    |REINDEX\b.*\bCONCURRENTLY\b|VACUUM\b|CLUSTER\s*$|CREATE\s+DATABASE\b|DROP\s+DATABASE\b
    |ALTER\s+SYSTEM\b|CREATE\s+TABLESPACE\b|DROP\s+TABLESPACE\b|ALTER\s+TYPE\b.*\bADD\s+VALUE\b)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_PROVIDER = re.compile(r"""^\s*provider\s*=\s*["']?(?P<provider>[^"'\s]*)""", re.MULTILINE)


def in_one_transaction(text: str, file: str) -> bool:
    """Whether ``text`` is read as one transaction: no statement of it refuses a transaction
    block or adds an enum value (see the module docstring). Text that cannot be split is left
    to the parser to report, and read as one transaction."""
    from schemafold.parse.splitter import split_sql  # parse imports sources: import late

    try:
        statements = split_sql(text, file).statements
    except InputError:
        return True
    return not any(_OUTSIDE.match(s.text) for s in statements)


def provider_warning(path: Path, display: str) -> SchemaWarning | None:
    """A warning when ``migration_lock.toml`` names a provider other than PostgreSQL."""
    match = _PROVIDER.search(read_text(path, display))
    provider = match.group("provider") if match else "<none>"
    if provider == "postgresql":
        return None
    return SchemaWarning(f"the provider is {provider!r}, not 'postgresql'; the files are read "
                         "as PostgreSQL", file=display, line=1)


class Prisma(Tool):
    name: ClassVar[str] = "prisma"
    summary: ClassVar[str] = "<timestamp>_<name>/migration.sql, migration_lock.toml"
    duplicates: ClassVar[str] = "allow"

    def claims(self, listing: Listing) -> bool:
        """A ``<14 digits>_<name>`` sub-folder holds ``migration.sql``, or ``migration_lock.toml``
        lies beside a sub-folder that does."""
        folders = [name for name, files in listing.subfolders.items() if SCRIPT in files]
        return any(FOLDER.match(name) for name in folders) or (
            bool(folders) and LOCK in listing.files)

    def version_key(self, version: str) -> Any:
        return version

    def scan(self, folder: Path) -> Scan:
        found: list[tuple[str, Candidate]] = []
        warnings: list[SchemaWarning] = []
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if path.name.startswith("."):
                continue
            if not path.is_dir():
                if path.name == LOCK and path.is_file():
                    warning = provider_warning(path, path.name)
                    warnings.extend([warning] if warning else [])
                elif path.suffix == ".sql":
                    warnings.append(skipped(path.name, "not in a Prisma migration folder "
                                            "(<timestamp>_<name>/migration.sql)"))
                continue
            script = path / SCRIPT
            if not script.is_file():
                raise InputError(f"a Prisma migration folder without {SCRIPT} (Prisma fails "
                                 "to read its script)", file=path.name)
            version, _, name = path.name.partition("_")
            found.append((path.name, Candidate(version, name, script, f"{path.name}/{SCRIPT}")))
        return Scan(sorted_candidates(found), warnings=tuple(warnings))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        return Body(text, in_transaction=in_one_transaction(text, candidate.display))


TOOL = Prisma()
