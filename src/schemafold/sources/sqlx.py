"""sqlx: ``<version>_<description>.sql``, or reversible ``.up.sql``/``.down.sql`` pairs.

sqlx splits a file name at its first ``_``; a name without one, or not ending in ``.sql``, is not
a migration (skipped with a warning); a prefix that is not an integer is an error, as sqlx
refuses it. Migrations run in version order (numeric); a file whose text starts with
``-- no-transaction`` runs outside a transaction. Two files of one version are applied in
file-name order with a warning (an error under ``strict``): sqlx records each version once.

Must not know: SQL meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from schemafold.errors import InputError
from schemafold.sources.base import (
    Body,
    Candidate,
    Listing,
    Scan,
    Tool,
    named_sql_files,
    numeric_prefix,
    sorted_candidates,
)

MARKER = "-- no-transaction"


def split_name(file_name: str) -> tuple[str, str, str] | None:
    """``(version, description, direction)`` of a sqlx file name, direction ``""``, ``"up"`` or
    ``"down"``; None when sqlx ignores the file."""
    head, sep, rest = file_name.partition("_")
    if not sep or not rest.endswith(".sql"):
        return None
    for direction in ("up", "down"):
        if rest.endswith(f".{direction}.sql"):
            return head, rest[: -len(f".{direction}.sql")], direction
    return head, rest[: -len(".sql")], ""


class Sqlx(Tool):
    name: ClassVar[str] = "sqlx"
    summary: ClassVar[str] = "<version>_<name>.sql or .up.sql/.down.sql; -- no-transaction"
    no_transaction_marker: ClassVar[str | None] = MARKER

    def claims(self, listing: Listing) -> bool:
        """Numbered ``<version>_<name>.sql`` files, and no ``.sql`` file that sqlx would refuse
        (a ``_`` after a non-number) or that a numbered-files reader would take and sqlx not
        (``2-users.sql``, ``10.sql``)."""
        names = [n for n in listing.files if n.endswith(".sql")]
        others = [n for n in names if not numeric_prefix(n)]
        return len(others) < len(names) and not any("_" in n or n[0].isdigit() for n in others)

    def claims_reversible(self, listing: Listing) -> bool:
        """A folder of ``.up.sql`` pairs is sqlx's (not golang-migrate's) when a file carries
        sqlx's marker or simple and reversible migrations are mixed."""
        names = [n for n in listing.files if numeric_prefix(n) and n.endswith(".sql")]
        if any(listing.texts.get(n, "").startswith(MARKER) for n in names):
            return True
        reversible = [n for n in names if n.endswith((".up.sql", ".down.sql"))]
        return bool(reversible) and len(reversible) < len(names)

    def scan(self, folder: Path) -> Scan:
        found: list[tuple[int, Candidate]] = []
        files, warnings = named_sql_files(folder, split_name,
                                          "not a sqlx migration name (<version>_<name>.sql)")
        for path, (version, description, direction) in files:
            if not version.isdigit():
                raise InputError("sqlx needs an integer version before the first '_'",
                                 file=path.name)
            if direction == "down":
                continue
            found.append((int(version), Candidate(version, description, path, path.name)))
        return Scan(sorted_candidates(found), warnings=warnings)

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        return Body(text, in_transaction=not text.startswith(MARKER))


TOOL = Sqlx()
