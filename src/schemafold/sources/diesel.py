"""diesel: one folder per migration, ``<version>_<name>/up.sql`` (and ``down.sql``).

Names: diesel takes a folder's version from the text before its first ``_`` with the dashes
removed (``2024-01-02-030405_create_users`` is version ``20240102030405``) and applies
migrations in the order of those strings. Folders starting with ``.`` and plain files are
ignored; a migration folder without ``up.sql`` is an error, as is an empty ``up.sql`` (diesel
refuses both). Two folders of one version are applied in folder-name order with a warning (an
error under ``strict``).

Transactions: a migration runs in a transaction unless its ``metadata.toml`` says
``run_in_transaction = false``.

Must not know: SQL meaning.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from schemafold.errors import InputError
from schemafold.sources.base import (
    Body,
    Candidate,
    Listing,
    Scan,
    Tool,
    read_text,
    sorted_candidates,
)

NO_TRANSACTION = "run_in_transaction = false"


def version_of(folder_name: str) -> str:
    return folder_name.split("_", 1)[0].replace("-", "")


def run_in_transaction(path: Path, display: str) -> bool:
    """``run_in_transaction`` of a ``metadata.toml`` (true when absent)."""
    text = read_text(path, display)
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"not TOML: {error}", file=display) from None
        value = data.get("run_in_transaction", True)
    else:  # pragma: no cover - Python 3.10 has no TOML reader; diesel writes one key
        match = re.search(r"^\s*run_in_transaction\s*=\s*(\w+)", text, re.MULTILINE)
        value = True if match is None else {"true": True, "false": False}.get(match.group(1))
    if not isinstance(value, bool):
        raise InputError("run_in_transaction must be true or false", file=display)
    return value


class Diesel(Tool):
    name: ClassVar[str] = "diesel"
    summary: ClassVar[str] = "<timestamp>_<name>/up.sql, metadata.toml run_in_transaction"
    no_transaction_marker: ClassVar[str | None] = NO_TRANSACTION

    def claims(self, listing: Listing) -> bool:
        return any("up.sql" in files for files in listing.subfolders.values())

    def version_key(self, version: str) -> Any:
        return version.replace("-", "").replace("_", "")

    def scan(self, folder: Path) -> Scan:
        found: list[tuple[str, Candidate]] = []
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if not path.is_dir() or path.name.startswith("."):
                continue
            up = path / "up.sql"
            display = f"{path.name}/up.sql"
            if not up.is_file():
                raise InputError("a diesel migration folder without up.sql", file=path.name)
            metadata = path / "metadata.toml"
            name = path.name.split("_", 1)[1] if "_" in path.name else ""
            found.append((version_of(path.name), Candidate(
                version_of(path.name), name, up, display,
                companion=metadata if metadata.is_file() else None)))
        return Scan(sorted_candidates(found))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        if not text.strip():
            raise InputError("empty migration (diesel refuses it)", file=candidate.display)
        in_transaction = True
        if candidate.companion is not None:
            in_transaction = run_in_transaction(
                candidate.companion, str(Path(candidate.display).parent / "metadata.toml"))
        return Body(text, in_transaction=in_transaction)


TOOL = Diesel()
