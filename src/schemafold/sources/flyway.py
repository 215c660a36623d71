"""Flyway: ``V<version>__<description>.sql`` versioned and ``R__<description>.sql`` repeatable.

Names: Flyway scans its location recursively. A versioned file's version is the text between
``V`` and the first ``__``; its parts are separated by ``.`` or ``_`` (``V1_2`` is ``1.2``) and
compared numerically part by part, missing parts counting as zero (``V1_2`` < ``V1_10``; ``V1``
and ``V1.0`` are one version, and two files of one version are an error, as Flyway refuses them).
A part that is not a number is an error. Repeatables are applied once, after every versioned
file, in order of description. ``U`` undo files are never part of a fresh migrate and are
ignored. ``B<version>__`` baseline migrations: Flyway applies the highest one to a database with an
empty schema history, and then only the versioned migrations above it, so a fresh migrate reads
that baseline in its place and skips the versioned files at or below its version. Java
migrations (``V3__x.java``, ``.class``) are code: reaching one is an error naming it, unless
``until`` stops before it (repeatables always run, as with Flyway's ``target``).

Placeholders: ``${name}`` anywhere in a file (comments included, as Flyway replaces them) takes
its value from ``defines``; ``${flyway:filename}`` and ``${flyway:table}`` have Flyway's
values; any other undefined placeholder is an error at its line.

Transactions: a file runs in a transaction unless its ``<file>.conf`` says
``executeInTransaction=false``, or says nothing of it and holds a statement PostgreSQL refuses
inside one (``CREATE INDEX CONCURRENTLY``): Flyway finds such a statement and runs the file
outside a transaction by itself.

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
    read_text,
    skipped,
    sorted_candidates,
    substitute,
)

NAME = re.compile(r"^(?P<prefix>[VURB])(?P<version>[^_]*(?:_(?!_)[^_]*)*)__(?P<description>.+)"
                  r"\.(?P<ext>sql|java|class)$")
CODE = {"java": "Java", "class": "Java"}
DEFAULT_TABLE = "flyway_schema_history"


def parse_version(text: str, file: str) -> tuple[int, ...]:
    """A version's numeric parts without trailing zeros (``1_2`` and ``1.2.0`` give (1, 2))."""
    parts = re.split(r"[._]", text)
    if not text or not all(p.isdigit() for p in parts):
        raise InputError(f"invalid Flyway version {text!r}: parts must be numbers separated by "
                         "'.' or '_'", file=file)
    numbers = [int(p) for p in parts]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def script_config(path: Path, display: str) -> dict[str, str]:
    """The ``key=value`` lines of a script configuration file (``V1__x.sql.conf``)."""
    values: dict[str, str] = {}
    for line in read_text(path, display).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


class Flyway(Tool):
    name: ClassVar[str] = "flyway"
    summary: ClassVar[str] = "V<version>__<desc>.sql, R__<desc>.sql, ${placeholders}"
    duplicates: ClassVar[str] = "error"

    def claims(self, listing: Listing) -> bool:
        return any(
            (m := NAME.match(Path(p).name)) and m.group("prefix") in "VRB"
            and (m.group("version") == "") == (m.group("prefix") == "R")
            for p in listing.tree)

    def version_key(self, version: str) -> Any:
        return parse_version(version, f"V{version}")

    def scan(self, folder: Path) -> Scan:
        versioned: list[tuple[tuple[int, ...], Candidate]] = []
        repeatable: list[tuple[str, Candidate]] = []
        baselines: list[tuple[tuple[int, ...], Candidate]] = []
        warnings: list[SchemaWarning] = []
        for path in sorted(folder.rglob("*")):
            display = path.relative_to(folder).as_posix()
            if (not path.is_file() or any(p.startswith(".") for p in display.split("/"))
                    or path.suffix not in (".sql", ".java", ".class")):
                continue
            match = NAME.match(path.name)
            if match is None:
                if path.suffix == ".sql":
                    warnings.append(skipped(display, "not a Flyway migration name "
                                            "(V<version>__<description>.sql)"))
                continue
            prefix, version = match.group("prefix"), match.group("version")
            if prefix == "U":
                continue
            conf = path.with_name(path.name + ".conf")
            candidate = Candidate(version, match.group("description"), path, display,
                                  code=CODE.get(match.group("ext")),
                                  companion=conf if conf.is_file() else None)
            if prefix == "B":
                baselines.append((parse_version(version, display), candidate))
            elif prefix == "R":
                if version:
                    raise InputError("a repeatable migration has no version (R__<description>)",
                                     file=display)
                repeatable.append((candidate.name, candidate))
            else:
                versioned.append((parse_version(version, display), candidate))
        descriptions: dict[str, str] = {}
        for description, candidate in repeatable:
            if description in descriptions:
                raise InputError(f"two repeatable migrations with description {description!r} "
                                 f"({descriptions[description]}, {candidate.display})",
                                 file=candidate.display)
            descriptions[description] = candidate.display
        if baselines:  # a fresh migrate: the highest baseline, then what lies above it
            top = max(baselines, key=lambda item: item[0])
            versioned = [item for item in versioned if item[0] > top[0]] + [top]
        return Scan(sorted_candidates(versioned), sorted_candidates(repeatable),
                    tuple(warnings))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        values = {"flyway:filename": candidate.path.name, "flyway:table": DEFAULT_TABLE,
                  **defines}
        text = substitute(text, values, file=candidate.display,
                          missing=lambda name: f"no value for placeholder ${{{name}}} "
                          f"(pass --define {name}=VALUE)")
        from schemafold.sources.refusals import refused_statements

        config: Mapping[str, str] = {}
        if candidate.companion is not None:
            config = script_config(candidate.companion, candidate.display + ".conf")
        said = config.get("executeInTransaction")
        if said is None:  # Flyway's own reading: outside a transaction where SQL needs it
            in_transaction = not refused_statements(text, candidate.display)[1]
        else:
            in_transaction = said.lower() != "false"
        return Body(text, in_transaction=in_transaction)


TOOL = Flyway()
