"""The Supabase CLI: ``supabase/migrations/<version>_<name>.sql``.

Where: ``SRC`` may be the project root (holding ``supabase/migrations``), the ``supabase``
folder (holding ``migrations`` and ``config.toml``) or the migrations folder itself; paths are
shown relative to ``SRC``.

Names and order (``pkg/migration``): a file is a migration when its name matches
``<digits>_<name>.sql`` (the CLI writes a 14-digit UTC timestamp, ``20240101120000``); other
files are skipped with a warning, as the CLI skips them. Files apply in file-name order; the
version is the digits, compared as text as the CLI compares them. Two files of one version are an
error: the CLI records each version once (``version`` is the primary key of its table). A first
file named ``<timestamp>_init.sql`` with a timestamp before ``20211209000000`` is skipped, as
the CLI skips it (the schema dump of its early releases).

Transactions and bookkeeping: the CLI sends a file's statements, then its insert into
``supabase_migrations.schema_migrations (version text primary key, statements text[], name
text)``, as one batch, which PostgreSQL runs as one implicit transaction; so each file is one
transaction. A statement PostgreSQL refuses there (``CREATE INDEX CONCURRENTLY``) fails under
the CLI: such a file was applied some other way and is read as outside a transaction, with a
warning. ``supabase/seed.sql`` is data the CLI loads after the migrations on ``db reset`` only;
it is not part of the history.

Must not know: SQL meaning beyond ``refusals``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from schemafold.errors import SchemaWarning
from schemafold.sources.base import (
    Body,
    Candidate,
    Listing,
    Scan,
    Tool,
    skipped,
    sorted_candidates,
)
from schemafold.sources.refusals import refused_in_a_block

NAME = re.compile(r"^(?P<version>[0-9]+)_(?P<name>.*)\.sql$")
TIMESTAMP = re.compile(r"^\d{14}_.*\.sql$")
_OLD_INIT = re.compile(r"^(?P<version>[0-9]{14})_init\.sql$")
CONFIG = "config.toml"


def migrations_folder(folder: Path) -> Path:
    """The migrations folder of ``folder``: its ``supabase/migrations`` (a project root), its
    ``migrations`` beside ``config.toml`` (the ``supabase`` folder), or ``folder`` itself."""
    if (folder / "supabase" / "migrations").is_dir():
        return folder / "supabase" / "migrations"
    if (folder / "migrations").is_dir() and (
            (folder / CONFIG).is_file() or folder.resolve().name == "supabase"):
        return folder / "migrations"
    return folder


def claims_folder(folder: Path, listing: Listing) -> bool:
    """A Supabase project's migrations: ``supabase/migrations`` (or ``migrations`` in a folder
    named ``supabase`` or holding ``config.toml``) holds numbered ``.sql`` files, or ``folder``
    holds 14-digit timestamped ``.sql`` files and is ``supabase/migrations`` or has a
    ``supabase/config.toml`` near (beside it or one folder up)."""
    inner = migrations_folder(folder)
    if inner != folder:
        return any(NAME.match(p.name) for p in inner.iterdir() if p.is_file())
    if not any(TIMESTAMP.match(name) for name in listing.files):
        return False
    resolved = folder.resolve()
    if resolved.name == "migrations" and resolved.parent.name == "supabase":
        return True
    return any((place / CONFIG).is_file() and place.name == "supabase"
               for place in (resolved.parent, resolved.parent / "supabase"))


class Supabase(Tool):
    name: ClassVar[str] = "supabase"
    summary: ClassVar[str] = "supabase/migrations/<timestamp>_<name>.sql"
    duplicates: ClassVar[str] = "error"

    def claims(self, listing: Listing) -> bool:
        """A ``supabase/migrations/<digits>_<name>.sql`` file lies under the folder (see
        ``claims_folder`` for the other places detection looks)."""
        return any(re.match(r"^(?:supabase/)?migrations/[0-9]+_[^/]*\.sql$", path)
                   and (path.startswith("supabase/") or CONFIG in listing.files)
                   for path in listing.tree)

    def version_key(self, version: str) -> Any:
        return version

    def scan(self, folder: Path) -> Scan:
        inner = migrations_folder(folder)
        prefix = inner.relative_to(folder).as_posix() + "/" if inner != folder else ""
        found: list[tuple[str, Candidate]] = []
        warnings: list[SchemaWarning] = []
        paths = sorted((p for p in inner.iterdir() if p.is_file()), key=lambda p: p.name)
        for index, path in enumerate(paths):
            display = prefix + path.name
            old = _OLD_INIT.match(path.name)
            if index == 0 and old and int(old.group("version")) < 20211209000000:
                warnings.append(skipped(display, "the schema dump of an early Supabase CLI "
                                        "(<timestamp>_init.sql before 2021-12-09), which the "
                                        "CLI does not apply"))
                continue
            match = NAME.match(path.name)
            if match is None:
                if path.suffix == ".sql":
                    warnings.append(skipped(display, "not a Supabase migration name "
                                            "(<timestamp>_<name>.sql)"))
                continue
            found.append((path.name, Candidate(match.group("version"), match.group("name"),
                                               path, display)))
        return Scan(sorted_candidates(found), warnings=tuple(warnings))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        warning = refused_in_a_block(text, candidate.display, "the Supabase CLI sends a file's "
                                     "statements as one batch, one implicit transaction")
        return Body(text, in_transaction=warning is None,
                    warnings=(warning,) if warning else ())


TOOL = Supabase()
