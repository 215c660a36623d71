"""tern (jackc/tern): ``<sequence>_<name>.sql``, up above ``---- create above / drop below ----``.

Names: ``<digits>_<name>.sql`` directly in the folder (``.sql`` files in sub-folders are shared
templates, not migrations); the sequence numbers must run 1, 2, 3, ... without a gap or a
repeat, or tern refuses the folder, and so does schemafold. The ``schema_version`` table holds
the sequence number of the last migration applied.

Sections: the up half is the text before the first ``---- create above / drop below ----`` (the
whole file when there is none); it must hold SQL, not only comments. Transactions: tern runs a
migration in one transaction unless its up half has a line that is exactly ``---- tern:
disable-tx ----``; it then runs the statements one by one.

Templates: tern runs each migration through Go's ``text/template`` before sending it. A
``{{ .name }}`` action is replaced by ``--define name=VALUE`` (tern's ``[data]`` values), and a
string action such as ``{{"{{"}}`` by its text; any other action (functions, ``template``,
conditionals) cannot be evaluated here and is an error naming the file and line, rather than
template text read as SQL.

Must not know: SQL meaning.
"""

from __future__ import annotations

import json
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
    named_sql_files,
)

NAME = re.compile(r"^(?P<version>\d+)_(?P<name>.+)\.sql$")
SEPARATOR = "---- create above / drop below ----"
DISABLE_TX = "---- tern: disable-tx ----"
_ACTION = re.compile(r"\{\{(?P<body>.*?)\}\}")
_FIELD = re.compile(r"^\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)$")


def _action(body: str, defines: Mapping[str, str], file: str, line: int, text: str) -> str:
    inner = body
    inner = inner[1:] if inner.startswith("-") and inner[1:2] in (" ", "") else inner
    inner = inner[:-1] if inner.endswith("-") and inner[-2:-1] in (" ", "") else inner
    inner = inner.strip()
    field = _FIELD.match(inner)
    if field is not None:
        name = field.group("name")
        if name in defines:
            return defines[name]
        raise InputError(f"tern template value {{{{.{name}}}}}: pass --define {name}=VALUE "
                         "(tern's [data] value)", file=file, line=line, text=text)
    if len(inner) >= 2 and inner[0] == inner[-1] == "`":
        return inner[1:-1]
    if len(inner) >= 2 and inner[0] == inner[-1] == '"':
        try:
            value = json.loads(inner)
        except ValueError:
            value = None
        if isinstance(value, str):
            return value
    raise InputError("a Go template action tern evaluates before running the file; schemafold "
                     "cannot evaluate it (only {{.name}} with --define, and string literals)",
                     file=file, line=line, text=text)


def expand(text: str, defines: Mapping[str, str], file: str) -> str:
    """``text`` with tern's template actions replaced (see the module docstring)."""
    if "{{" not in text:
        return text
    lines = lines_of(text)
    for index, line in enumerate(lines):
        if "{{" not in line:
            continue
        number = index + 1
        if "{{" in _ACTION.sub("", line):
            raise InputError("a Go template action left open on this line; schemafold cannot "
                             "evaluate it", file=file, line=number, text=line)
        lines[index] = "".join(
            _action(part, defines, file, number, line) if i % 2 else part
            for i, part in enumerate(_ACTION.split(line)))
    return "\n".join(lines)


class Tern(Tool):
    name: ClassVar[str] = "tern"
    summary: ClassVar[str] = "<sequence>_<name>.sql, ---- create above / drop below ----"
    no_transaction_marker: ClassVar[str | None] = DISABLE_TX
    duplicates: ClassVar[str] = "error"

    def claims(self, listing: Listing) -> bool:
        return "tern.conf" in listing.files or any(
            NAME.match(name) and (SEPARATOR in text or DISABLE_TX in text)
            for name, text in listing.texts.items())

    def scan(self, folder: Path) -> Scan:
        files, warnings = named_sql_files(folder, NAME.match,
                                          "not a tern migration name (<sequence>_<name>.sql)")
        by_number: dict[int, Candidate] = {}
        for path, match in files:
            number = int(match.group("version"))
            if number in by_number:
                raise InputError(f"two migrations of sequence {number} ("
                                 f"{by_number[number].display}, {path.name}); tern refuses them",
                                 file=path.name)
            if not 1 <= number < 2**31:
                raise InputError("tern sequence numbers start at 1", file=path.name)
            by_number[number] = Candidate(match.group("version"), match.group("name"), path,
                                          path.name)
        for expected, number in enumerate(sorted(by_number), 1):
            if number != expected:
                raise InputError(f"tern needs migration {expected} before {number} (its sequence "
                                 "numbers run 1, 2, 3, ... without a gap)",
                                 file=by_number[number].display)
        return Scan(tuple(by_number[n] for n in sorted(by_number)), warnings=warnings)

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        file = candidate.display
        lines = lines_of(text)
        offset = text.find(SEPARATOR)
        end = len(lines) + 1 if offset < 0 else text.count("\n", 0, offset) + 1
        up = [n for n in range(1, end)]
        disable = [n for n in up if lines[n - 1] == DISABLE_TX]
        keep = set(up) - set(disable)
        body = keep_lines(text, keep.__contains__)
        if not any(line.strip() and not line.strip().startswith("--")
                   for line in lines_of(body)):
            raise InputError("no SQL above '---- create above / drop below ----' (tern refuses "
                             "a migration without a forward step)", file=file, line=1)
        return Body(expand(body, defines, file), in_transaction=not disable)


TOOL = Tern()
