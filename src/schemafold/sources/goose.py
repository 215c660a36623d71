"""goose: ``<version>_<name>.sql`` with ``-- +goose`` annotations, and ``.go`` code migrations.

Names: the version is the integer before the first ``_`` (sequential ``00001`` or a timestamp),
compared numerically; a ``.sql`` file without one is an error and two files of one version are
an error, as goose refuses both. ``<version>_<name>.go`` files (not ``_test.go``) are code
migrations: schemafold cannot read them, so reaching one is an error naming it, unless ``until``
stops before it.

Annotations (a line starting ``-- +goose``, case-insensitive): ``Up`` and ``Down`` open the
sections; only the Up section is folded, and the file must start with it (comments and blank
lines may come first). ``StatementBegin``/``StatementEnd`` mark one statement that goose must not
split; schemafold's splitter already keeps quoted and ``BEGIN ATOMIC`` bodies whole, so the
markers only need to pair up. ``NO TRANSACTION`` anywhere runs the file outside a transaction.
``ENVSUB ON``/``OFF`` substitute ``${NAME}`` and ``${NAME:-default}`` in the lines between them
from ``defines`` (an undefined name without a default is an error).

Must not know: SQL meaning.
"""

from __future__ import annotations

import re
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
    keep_lines,
    lines_of,
    numeric_prefix,
    sorted_candidates,
)

ANNOTATION = re.compile(r"^--\s*\+goose\b(?P<rest>.*)$", re.IGNORECASE)
UP_MARKER = re.compile(r"^--\s*\+goose\s+up\s*$", re.IGNORECASE | re.MULTILINE)
_KNOWN = ("up", "down", "statementbegin", "statementend", "no transaction", "envsub on",
          "envsub off")
_ENV = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def annotation(line: str) -> str | None:
    """The normalised annotation of a ``-- +goose ...`` line (``"no transaction"``), or None."""
    match = ANNOTATION.match(line.rstrip())
    if match is None:
        return None
    return " ".join(match.group("rest").lower().split())


class Goose(Tool):
    name: ClassVar[str] = "goose"
    summary: ClassVar[str] = "<version>_<name>.sql with -- +goose Up/Down annotations"
    no_transaction_marker: ClassVar[str | None] = "-- +goose NO TRANSACTION"
    duplicates: ClassVar[str] = "error"

    def claims(self, listing: Listing) -> bool:
        return any(UP_MARKER.search(text) for text in listing.texts.values())

    def scan(self, folder: Path) -> Scan:
        found: list[tuple[int, Candidate]] = []
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if not path.is_file() or path.suffix not in (".sql", ".go"):
                continue
            version = numeric_prefix(path.name)
            if path.suffix == ".go":
                if version is None or path.name.endswith("_test.go"):
                    continue
                code: str | None = "Go"
            elif version is None:
                raise InputError("goose needs an integer version before the first '_'",
                                 file=path.name)
            else:
                code = None
            if int(version) < 1:
                raise InputError("goose versions must be greater than zero", file=path.name)
            name = path.name.partition("_")[2].rsplit(".", 1)[0]
            found.append((int(version), Candidate(version, name, path, path.name, code=code)))
        return Scan(sorted_candidates(found))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        file = candidate.display
        keep: set[int] = set()
        section = ""  # "", "up" or "down"
        begin = 0  # line of an open StatementBegin
        envsub = False
        in_transaction = True
        substituted: dict[int, str] = {}
        seen_up = False
        for number, line in enumerate(lines_of(text), 1):
            word = annotation(line)
            if word is None:
                if section == "up":
                    keep.add(number)
                    if envsub:
                        substituted[number] = self._envsub(line, defines, file, number)
                elif not section and line.strip() and not line.lstrip().startswith("--"):
                    raise InputError("statement before the '-- +goose Up' annotation",
                                     file=file, line=number, text=line)
                continue
            if word not in _KNOWN:
                raise InputError("unknown goose annotation", file=file, line=number, text=line)
            if word in ("up", "down"):
                if begin:
                    raise InputError("'-- +goose StatementBegin' is not ended",
                                     file=file, line=begin)
                section = word
                seen_up = seen_up or word == "up"
            elif word == "statementbegin":
                if not section or begin:
                    raise InputError("'-- +goose StatementBegin' outside an Up or Down section"
                                     if not section else "nested '-- +goose StatementBegin'",
                                     file=file, line=number, text=line)
                begin = number
            elif word == "statementend":
                if not begin:
                    raise InputError("'-- +goose StatementEnd' without StatementBegin",
                                     file=file, line=number, text=line)
                begin = 0
            elif word == "no transaction":
                in_transaction = False
            else:
                envsub = word == "envsub on"
        if begin:
            raise InputError("'-- +goose StatementBegin' is not ended", file=file, line=begin)
        if not seen_up:
            raise InputError("no '-- +goose Up' annotation", file=file, line=1)
        if substituted:
            lines = lines_of(text)
            for number, value in substituted.items():
                lines[number - 1] = value
            text = "\n".join(lines)
        return Body(keep_lines(text, keep.__contains__), in_transaction=in_transaction)

    @staticmethod
    def _envsub(line: str, defines: Mapping[str, str], file: str, number: int) -> str:
        def replace(match: re.Match[str]) -> str:
            name, default = match.group("name"), match.group("default")
            if name in defines:
                return defines[name]
            if default is not None:
                return default
            raise InputError(f"no value for ${{{name}}} under '-- +goose ENVSUB ON' "
                             f"(pass --define {name}=VALUE)", file=file, line=number,
                             text=match.group(0))
        return _ENV.sub(replace, line)


TOOL = Goose()
