"""dbmate: ``<version>_<name>.sql`` holding ``-- migrate:up`` and ``-- migrate:down`` sections.

Names: a file whose name starts with digits and ends in ``.sql``; the digits are the version.
dbmate applies pending files in file-name order (lexical, so write versions of one width, as its
timestamps are); other files are skipped. Two files of one version are applied in file-name
order with a warning (an error under ``strict``): dbmate records each version once.

Sections: ``-- migrate:up`` must come first (only comments and blank lines before it), then an
optional ``-- migrate:down``; the up section is folded. Options follow the marker as
``key:value`` words: ``-- migrate:up transaction:false`` runs the section outside a transaction.
The section is sent to the server whole, so its last statement needs no ``;``.

Must not know: SQL meaning.
"""

from __future__ import annotations

import re
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
    keep_lines,
    lines_of,
    named_sql_files,
    sorted_candidates,
)

NAME = re.compile(r"^(?P<version>\d+)_?(?P<name>.*)\.sql$")
MARKER = re.compile(r"^--\s*migrate:(?P<section>up|down)(?P<options>.*)$")
UP_MARKER = re.compile(r"^--\s*migrate:up\b", re.MULTILINE)


def options(text: str, file: str, line: int) -> dict[str, str]:
    """The ``key:value`` words after a section marker."""
    found: dict[str, str] = {}
    for word in text.split():
        key, sep, value = word.partition(":")
        if not sep:
            raise InputError(f"dbmate option {word!r} is not key:value", file=file, line=line)
        found[key] = value
    return found


class Dbmate(Tool):
    name: ClassVar[str] = "dbmate"
    summary: ClassVar[str] = "<version>_<name>.sql with -- migrate:up / -- migrate:down"
    no_transaction_marker: ClassVar[str | None] = "-- migrate:up transaction:false"

    def claims(self, listing: Listing) -> bool:
        return any(UP_MARKER.search(text) for text in listing.texts.values())

    def version_key(self, version: str) -> Any:
        return version

    def scan(self, folder: Path) -> Scan:
        files, warnings = named_sql_files(folder, NAME.match,
                                          "not a dbmate migration name (<version>_<name>.sql)")
        found = [(path.name, Candidate(match.group("version"), match.group("name"), path,
                                       path.name))
                 for path, match in files]
        return Scan(sorted_candidates(found), warnings=warnings)

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        file = candidate.display
        up = down = 0
        in_transaction = True
        for number, line in enumerate(lines_of(text), 1):
            match = MARKER.match(line.rstrip())
            if match is None:
                if not up and line.strip() and not line.lstrip().startswith("--"):
                    raise InputError("statement before '-- migrate:up' (dbmate runs only "
                                     "the up and down sections)", file=file, line=number,
                                     text=line)
                continue
            if match.group("section") == "up":
                if up:
                    raise InputError("a second '-- migrate:up'", file=file, line=number)
                up = number
                flags = options(match.group("options"), file, number)
                in_transaction = flags.get("transaction", "true") != "false"
            elif not up:
                raise InputError("'-- migrate:down' before '-- migrate:up'", file=file,
                                 line=number)
            elif down:
                raise InputError("a second '-- migrate:down'", file=file, line=number)
            else:
                down = number
        if not up:
            raise InputError("no '-- migrate:up' section", file=file, line=1)
        end = down or len(lines_of(text)) + 1
        return Body(keep_lines(text, lambda n: up < n < end), in_transaction=in_transaction)


TOOL = Dbmate()
