"""Liquibase formatted SQL: ``--liquibase formatted sql`` files of ``--changeset author:id``.

Files: a file is a formatted changelog when its first non-blank line matches ``--liquibase
formatted`` (case-insensitive, spaces free, as Liquibase's parser tests it). A folder is read in
one of two ways:

- a master changelog beside the files (``changelog.xml``/``.yaml``/``.yml``/``.json``, or
  Spring Boot's ``db.changelog-master.*``) lists ``include file=`` and ``includeAll path=``
  entries, read in order (parsed simply: the element or key names and their ``file``/``path``
  and ``relativeToChangelogFile`` values; a nested master is followed; a changelog of XML/YAML
  change types cannot be folded and is an error naming it);
- otherwise every ``.sql`` file under the folder, in lexical order of its relative path, as an
  ``includeAll`` of the folder applies them.

A ``.sql`` file reached that is not formatted is one changeset, run whole, as Liquibase's plain
SQL changelog parser reads it.

Changesets: each ``--changeset author:id [attributes]`` line starts one; it is one migration
(Liquibase's unit: one ``databasechangelog`` row, one transaction), named by its id, shown as
``FILE::ID::AUTHOR`` (Liquibase's own name for it), numbered 1, 2, ... in apply order (``--until
N`` stops after the Nth). Its SQL is every line up to the next changeset except Liquibase's own:
``--rollback`` lines and ``/* liquibase rollback`` ... ``*/`` blocks, ``--comment:``,
``--validCheckSum``, ``--preconditions`` and ``--precondition-*``, ``--ignoreLines``. Lines
before the first changeset are not run by Liquibase (a statement there is a warning).
Attributes: ``runInTransaction:false`` (outside a transaction), ``endDelimiter:X`` (a line
holding only ``X`` ends a statement), ``splitStatements:false`` (sent whole: PostgreSQL's JDBC
driver still runs each statement), ``dbms:`` (a changeset not for PostgreSQL is skipped with a
warning), ``ignore:true`` (skipped), ``runAlways``/``failOnError:false`` and preconditions with
``onFail``/``onError`` ``MARK_RAN`` or ``CONTINUE`` (read, with a warning: the fold assumes each
runs once and succeeds). ``context``/``labels`` filter nothing: every changeset is read, as
``liquibase update`` runs them without ``--contexts``/``--labels``. ``${name}`` is replaced by
``--define name=VALUE``; an unknown name stays as written, as Liquibase leaves it.

Bookkeeping (for adopting a consolidation): ``checksum`` computes the ``MD5SUM`` Liquibase 4.22+
stores for a formatted SQL changeset (checksum version 9).

Must not know: SQL meaning.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError, SchemaWarning
from schemafold.sources.base import (
    Body,
    Candidate,
    Listing,
    Scan,
    Tool,
    keep_lines,
    lines_of,
    read_text,
)

FIRST_LINE = re.compile(r"^\s*--\s*liquibase\s*formatted.*", re.IGNORECASE)
CHANGESET = re.compile(r'\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*', re.IGNORECASE)
_CHANGESET_LOOSE = re.compile(r"\s*--[\s]*changeset\b.*", re.IGNORECASE)
_ROLLBACK = re.compile(r"\s*--[\s]*rollback\b.*", re.IGNORECASE)
_ROLLBACK_START = re.compile(r"\s*/\*\s*liquibase\s*rollback\s*$", re.IGNORECASE)
_ROLLBACK_END = re.compile(r".*\*/\s*$")
_COMMENT = re.compile(r"\s*--[\s]*comments?:?\s(?P<text>.*)", re.IGNORECASE)
_VALID_CHECKSUM = re.compile(r"\s*--[\s]*validCheckSum\b.*", re.IGNORECASE)
_PRECONDITIONS = re.compile(r"\s*--[\s]*preconditions\b(?P<rest>.*)", re.IGNORECASE)
_PRECONDITION = re.compile(r"\s*--[\s]*precondition-(?P<name>[a-zA-Z0-9-]+)(?P<rest>.*)",
                           re.IGNORECASE)
_IGNORE_LINES = re.compile(r"\s*--[\s]*ignoreLines:(?P<what>\w+)", re.IGNORECASE)
_PROPERTY = re.compile(r"\s*--[\s]*property\s.*", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\$\{(?P<name>[^{}]*)\}")

MASTER_NAMES = tuple(f"{stem}.{ext}" for stem in ("changelog", "db.changelog-master")
                     for ext in ("xml", "yaml", "yml", "json"))
#: What ``runInTransaction:false`` looks like on a changeset line (for writers).
NO_TRANSACTION = "runInTransaction:false"


def _attribute(line: str, name: str, value: str = r"(\S*)") -> str | None:
    match = re.match(rf".*\b{name}:{value}.*", line, re.IGNORECASE)
    return match.group(1) if match else None


def _flag(line: str, name: str, default: bool) -> bool:
    value = _attribute(line, name, r"(\w+)")
    return default if value is None else value.lower() == "true"


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] == '"' else text


def runs_on_postgresql(dbms: str | None) -> bool:
    """Whether a ``dbms:`` list (``postgresql,h2``, ``!oracle``, ``all``, ``none``) takes
    PostgreSQL, as Liquibase matches it."""
    if dbms is None:
        return True
    names = [n.strip().lower() for n in dbms.split(",") if n.strip()]
    if not names or "all" in names:
        return True
    if "none" in names or "!postgresql" in names:
        return False
    positive = [n for n in names if not n.startswith("!")]
    return not positive or "postgresql" in positive


@attrs.frozen
class Changeset:
    """One ``--changeset`` of a formatted SQL file: who and what, where its SQL lines are, the
    lines a statement delimiter stands on (read as ``;``), and its attributes."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    author: str
    id: str
    line: int
    sql_lines: tuple[int, ...]
    delimiter_lines: tuple[int, ...]
    in_transaction: bool
    dbms: str | None
    ignore: bool
    warnings: tuple[SchemaWarning, ...]
    context: str | None = None
    labels: str | None = None
    comment: str | None = None

    def sql(self, text: str) -> str:
        """The changeset's SQL as Liquibase collects it (the text its checksum is of)."""
        lines = lines_of(text)
        return "\n".join(lines[n - 1].rstrip("\r") for n in self.sql_lines)


@attrs.frozen
class Changelog:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    changesets: tuple[Changeset, ...]
    warnings: tuple[SchemaWarning, ...]


def is_formatted(text: str) -> bool:
    """Whether ``text`` is a formatted SQL changelog (its first non-blank line says so)."""
    for line in lines_of(text):
        if line.strip():
            return FIRST_LINE.match(line) is not None
    return False


def parse(text: str, file: str) -> Changelog:
    """The changesets of a formatted SQL changelog, in file order."""
    lines = lines_of(text)
    found: list[Changeset] = []
    warnings: list[SchemaWarning] = []
    current: dict[str, object] | None = None
    end: str | None = None
    split = True
    sql: list[int] = []
    delimiters: list[int] = []
    notes: list[SchemaWarning] = []
    in_rollback = 0
    ignoring = 0
    comment: str | None = None

    def close() -> None:
        if current is None:
            return
        found.append(Changeset(sql_lines=tuple(sql), delimiter_lines=tuple(delimiters),
                               warnings=tuple(notes), comment=comment,
                               **current))  # type: ignore[arg-type]

    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if ignoring:
            match = _IGNORE_LINES.match(line)
            if match and match.group("what").lower() == "end":
                ignoring = 0
            continue
        if in_rollback:
            if _ROLLBACK_END.match(line):
                in_rollback = 0
            continue
        ignore_lines = _IGNORE_LINES.match(line)
        if ignore_lines:
            what = ignore_lines.group("what")
            if what.lower() == "start":
                ignoring = number
            elif what.isdigit():
                ignoring = 0
                for skip in range(number + 1, number + 1 + int(what)):
                    if skip <= len(lines):
                        lines[skip - 1] = "--ignoreLines:__skipped"
            continue
        if line.startswith("--ignoreLines:__skipped"):
            continue
        if _PROPERTY.match(line) or FIRST_LINE.match(line):
            continue
        match = CHANGESET.match(line)
        if match is None and _CHANGESET_LOOSE.match(line):
            raise InputError("a changeset line Liquibase cannot read (it wants "
                             "'--changeset author:id')", file=file, line=number, text=line)
        if match is not None:
            close()
            sql, delimiters, notes, comment = [], [], [], None
            dbms = _attribute(line, "dbms", r"([^,][\w!,]+)")
            context = (_attribute(line, "contextFilter", r'(".*?"|\S*)')
                       or _attribute(line, "context", r'(".*?"|\S*)'))
            labels = _attribute(line, "labels", r'(".*?"|\S*)')
            current = {
                "author": _unquote(match.group(1).strip()), "id": _unquote(match.group(2)),
                "line": number, "in_transaction": _flag(line, "runInTransaction", True),
                "dbms": dbms, "ignore": _flag(line, "ignore", False),
                "context": _unquote(context) if context else None,
                "labels": _unquote(labels) if labels else None,
            }
            end = _attribute(line, "endDelimiter")
            split = _flag(line, "splitStatements", True)
            if _flag(line, "runAlways", False):
                notes.append(SchemaWarning(
                    "runAlways: Liquibase runs this changeset again on every update; the fold "
                    "reads it once, in its place", file=file, line=number))
            if not _flag(line, "failOnError", True):
                notes.append(SchemaWarning(
                    "failOnError:false: Liquibase goes on if this changeset fails; the fold "
                    "assumes it succeeds", file=file, line=number))
            continue
        if current is None:
            if line.strip() and not line.lstrip().startswith("--"):
                warnings.append(SchemaWarning(
                    "SQL before the first '--changeset': Liquibase does not run it, and "
                    "neither does the fold", file=file, line=number))
            continue
        if _ROLLBACK_START.match(line):
            in_rollback = number
            continue
        said = _COMMENT.match(line)
        if said is not None:
            comment = said.group("text")
            continue
        if _ROLLBACK.match(line) or _VALID_CHECKSUM.match(line):
            continue
        conditions = _PRECONDITIONS.match(line)
        if conditions is not None:
            rest = conditions.group("rest")
            skips = [f"{key}:{value}" for key in ("onFail", "onError")
                     if (value := _attribute(rest, key, r"(\w+)")) is not None
                     and value.upper() in ("MARK_RAN", "CONTINUE")]
            if skips:
                notes.append(SchemaWarning(
                    f"a precondition makes this changeset conditional ({', '.join(skips)}: "
                    "Liquibase skips it when the check fails); the fold assumes it runs",
                    file=file, line=number))
            continue
        if _PRECONDITION.match(line):
            continue
        sql.append(number)
        stripped = line.strip()
        if split and (
                (end and end != ";" and stripped == end.strip())
                or (not end and stripped.lower() == "go")):
            delimiters.append(number)
    if in_rollback:
        raise InputError("'/* liquibase rollback' is not closed by '*/'", file=file,
                         line=in_rollback)
    close()
    # A changeset whose SQL ends with a line '/' and names no delimiter ends statements at
    # '/' lines (Liquibase sets endDelimiter '\n/$' for it).
    result = []
    for changeset in found:
        body = [lines[n - 1].strip() for n in changeset.sql_lines if lines[n - 1].strip()]
        if not changeset.delimiter_lines and body and body[-1] == "/":
            slash = tuple(n for n in changeset.sql_lines if lines[n - 1].strip() == "/")
            changeset = attrs.evolve(changeset, delimiter_lines=slash)
        result.append(changeset)
    return Changelog(tuple(result), tuple(warnings))


def checksum(changeset_sql: str) -> str:
    """The ``MD5SUM`` Liquibase (4.22 and later, checksum version 9) records for a formatted SQL
    changeset whose SQL is ``changeset_sql`` (``Changeset.sql``).

    The changeset holds one raw SQL change. Its checksum is the MD5 of the change's SQL as UTF-8
    with every space, tab, CR and LF byte left out, written ``9:<hex>``; the changeset's is the
    MD5 of that text followed by ``:`` (line endings standardised, NFC), again ``9:<hex>``.
    """
    data = changeset_sql.strip().encode("utf-8")
    inner = "9:" + hashlib.md5(bytes(b for b in data if b not in b" \t\r\n")).hexdigest()
    outer = unicodedata.normalize("NFC", (inner + ":").replace("\r\n", "\n").replace("\r", "\n")
                                  .replace("\ufffd", ""))
    return "9:" + hashlib.md5(outer.encode("utf-8")).hexdigest()


@attrs.frozen
class Row:
    """What ``liquibase update`` records in ``databasechangelog`` for one changeset (the columns
    it knows before running it): ``filename`` is the path relative to the folder read, which is
    what Liquibase stores when the master changelog lies in that folder and includes with
    ``relativeToChangelogFile``."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    id: str
    author: str
    filename: str
    orderexecuted: int
    md5sum: str
    description: str
    comments: str | None
    contexts: str | None
    labels: str | None


def rows(folder: Path, defines: Mapping[str, str] | None = None) -> list[Row]:
    """The ``databasechangelog`` rows a fresh ``liquibase update`` of ``folder`` writes, in
    order (changesets skipped for ``dbms`` or ``ignore`` get none)."""
    out: list[Row] = []
    values = dict(defines or {})
    for path, display in TOOL._files(folder):
        text = _substitute(read_text(path, display), values)
        if not is_formatted(text):
            out.append(Row("raw", "includeAll", display, len(out) + 1, checksum(text), "sql",
                           None, None, None))
            continue
        for changeset in parse(text, display).changesets:
            if changeset.ignore or not runs_on_postgresql(changeset.dbms):
                continue
            out.append(Row(changeset.id, changeset.author, display, len(out) + 1,
                           checksum(changeset.sql(text)), "sql", changeset.comment,
                           changeset.context, changeset.labels))
    return out


def _display(file: str, changeset: Changeset) -> str:
    return f"{file}::{changeset.id}::{changeset.author}"


def _substitute(text: str, defines: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: defines.get(m.group("name"), m.group(0)), text)


class Liquibase(Tool):
    name: ClassVar[str] = "liquibase"
    summary: ClassVar[str] = "formatted SQL changelogs (--liquibase formatted sql, --changeset)"
    no_transaction_marker: ClassVar[str | None] = NO_TRANSACTION
    duplicates: ClassVar[str] = "allow"

    def claims(self, listing: Listing) -> bool:
        return (any(is_formatted(text) for text in listing.texts.values())
                or any(name in MASTER_NAMES for name in listing.files))

    def scan(self, folder: Path) -> Scan:
        files = self._files(folder)
        found: list[Candidate] = []
        warnings: list[SchemaWarning] = []
        seen: dict[tuple[str, str, str], str] = {}
        for path, display in files:
            text = read_text(path, display)
            if not is_formatted(text):
                found.append(Candidate(str(len(found) + 1), path.stem, path,
                                       f"{display}::raw::includeAll"))
                continue
            changelog = parse(text, display)
            warnings.extend(changelog.warnings)
            for changeset in changelog.changesets:
                key = (display, changeset.id, changeset.author)
                if key in seen:
                    raise InputError(f"changeset {changeset.author}:{changeset.id} appears twice "
                                     "in this file; Liquibase refuses it", file=display,
                                     line=changeset.line)
                seen[key] = display
                if changeset.ignore:
                    warnings.append(SchemaWarning("ignore:true: Liquibase skips this changeset, "
                                                  "skipped", file=display, line=changeset.line))
                    continue
                if not runs_on_postgresql(changeset.dbms):
                    warnings.append(SchemaWarning(
                        f"dbms:{changeset.dbms}: not run on PostgreSQL, skipped", file=display,
                        line=changeset.line))
                    continue
                found.append(Candidate(str(len(found) + 1), changeset.id, path,
                                       _display(display, changeset)))
        return Scan(tuple(found), warnings=tuple(warnings))

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        file = candidate.display.rsplit("::", 2)[0] if "::" in candidate.display else (
            candidate.display)
        if not is_formatted(text):
            return Body(_substitute(text, defines))
        changelog = parse(text, file)
        if candidate.name == "" and candidate.version == "":  # one file given on its own
            chosen = [c for c in changelog.changesets
                      if not c.ignore and runs_on_postgresql(c.dbms)]
            modes = {c.in_transaction for c in chosen}
            if len(modes) > 1:
                raise InputError("this file mixes changesets in and out of a transaction: pass "
                                 "its folder (each changeset is then a migration of its own)",
                                 file=file)
            return self._body(text, chosen, defines, in_transaction=modes != {False},
                              warnings=(*changelog.warnings,
                                        *(w for c in chosen for w in c.warnings)))
        changeset = next(c for c in changelog.changesets
                         if _display(file, c) == candidate.display)
        return self._body(text, [changeset], defines, in_transaction=changeset.in_transaction,
                          warnings=changeset.warnings)

    @staticmethod
    def _body(text: str, changesets: list[Changeset], defines: Mapping[str, str], *,
              in_transaction: bool, warnings: tuple[SchemaWarning, ...]) -> Body:
        keep = {n for c in changesets for n in c.sql_lines}
        delimiters = {n for c in changesets for n in c.delimiter_lines}
        lines = lines_of(text)
        for number in delimiters:
            lines[number - 1] = ";" + ("\r" if lines[number - 1].endswith("\r") else "")
        body = keep_lines("\n".join(lines), keep.__contains__)
        return Body(_substitute(body, defines), in_transaction=in_transaction,
                    warnings=warnings)

    # -- which files, in which order ----------------------------------------------------------

    def _files(self, folder: Path) -> list[tuple[Path, str]]:
        masters = [folder / n for n in MASTER_NAMES if (folder / n).is_file()]
        if len(masters) > 1:
            raise InputError("more than one master changelog: "
                             + ", ".join(p.name for p in masters), file=str(folder))
        if masters:
            out: list[tuple[Path, str]] = []
            self._master(masters[0], folder, out, set())
            return out
        return [(p, p.relative_to(folder).as_posix()) for p in _sql_files(folder)]

    def _master(self, master: Path, root: Path, out: list[tuple[Path, str]],
                visiting: set[Path]) -> None:
        shown = _shown(master, root)
        if master in visiting:
            raise InputError("this changelog includes itself", file=shown)
        visiting = visiting | {master}
        for kind, value, relative, line in _includes(master, shown):
            base = master.parent if relative else None
            if kind == "include":
                path = _resolve(value, base, root, master.parent, shown, line)
                if path.suffix.lower() == ".sql":
                    out.append((path, _shown(path, root)))
                else:
                    self._master(path, root, out, visiting)
            else:
                where = _resolve(value, base, root, master.parent, shown, line)
                if not where.is_dir():
                    raise InputError(f"includeAll path {value!r} is not a folder", file=shown,
                                     line=line)
                for path in _sql_files(where):
                    out.append((path, _shown(path, root)))


def _sql_files(folder: Path) -> list[Path]:
    """The ``.sql`` files under ``folder`` (recursively), in lexical order of their relative
    paths, as ``includeAll`` orders them."""
    return sorted((p for p in folder.rglob("*.sql") if p.is_file()),
                  key=lambda p: p.relative_to(folder).as_posix())


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _resolve(value: str, base: Path | None, root: Path, master_dir: Path, shown: str,
             line: int) -> Path:
    value = value.replace("\\", "/").removeprefix("classpath:").lstrip("/")
    tries = [base / value] if base is not None else [
        root / value, master_dir / value, *(parent / value for parent in root.parents)]
    for path in tries:
        if path.exists():
            return path
    raise InputError(f"included {value!r} not found", file=shown, line=line)


def _includes(master: Path, shown: str) -> list[tuple[str, str, bool, int]]:
    """The ``include``/``includeAll`` entries of a master changelog, in order: (kind, file or
    path, relativeToChangelogFile, line)."""
    text = read_text(master, shown)
    suffix = master.suffix.lower()
    if suffix == ".xml":
        return _xml_includes(text, shown)
    if suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as error:
            raise InputError(f"not JSON: {error}", file=shown) from None
        entries = data.get("databaseChangeLog", []) if isinstance(data, dict) else []
        out = []
        for entry in entries if isinstance(entries, list) else []:
            out.extend(_entry(entry, shown, 1))
        return out
    return _yaml_includes(text, shown)


def _entry(entry: object, shown: str, line: int) -> list[tuple[str, str, bool, int]]:
    if not isinstance(entry, dict) or len(entry) != 1:
        return []
    (kind, body), = entry.items()
    if kind in ("include", "includeAll") and isinstance(body, dict):
        key = "file" if kind == "include" else "path"
        relative = str(body.get("relativeToChangelogFile", "false")).lower() == "true"
        return [(kind, str(body.get(key, "")), relative, line)]
    if kind == "changeSet":
        raise InputError("a changeset written as JSON/YAML/XML change types: schemafold "
                         "folds formatted SQL changelogs only", file=shown, line=line)
    return []


def _xml_includes(text: str, shown: str) -> list[tuple[str, str, bool, int]]:
    import xml.etree.ElementTree as ElementTree  # only for an XML changelog

    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise InputError(f"not XML: {error}", file=shown) from None
    out = []
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        line = _line_of(text, tag)
        if tag in ("include", "includeAll"):
            key = "file" if tag == "include" else "path"
            relative = element.get("relativeToChangelogFile", "false").lower() == "true"
            out.append((tag, element.get(key, ""), relative, line))
        elif tag == "changeSet":
            raise InputError("a changeset written as XML change types: schemafold folds "
                             "formatted SQL changelogs only", file=shown, line=line)
    return out


def _line_of(text: str, tag: str) -> int:
    match = re.search(rf"<(\w+:)?{tag}\b", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


_YAML_KIND = re.compile(r"^\s*-\s*(?P<kind>include|includeAll|changeSet)\s*:\s*(?P<rest>.*)$")
_YAML_KEY = re.compile(r"^\s*(?:-\s*)?(?P<key>file|path|relativeToChangelogFile)\s*:\s*"
                       r"(?P<value>.*?)\s*$")


def _yaml_includes(text: str, shown: str) -> list[tuple[str, str, bool, int]]:
    """``include``/``includeAll`` entries of a YAML master, read line by line: an entry
    ``- include:`` (or ``- includeAll:``), then its ``file:``/``path:`` and
    ``relativeToChangelogFile:`` keys, block or flow style."""
    out: list[tuple[str, str, bool, int]] = []
    current: dict[str, str] | None = None

    def close() -> None:
        if current is not None:
            out.append((current["kind"], current.get("file") or current.get("path") or "",
                        current.get("relativeToChangelogFile", "").lower() == "true",
                        int(current["line"])))

    for number, line in enumerate(lines_of(text), 1):
        if line.lstrip().startswith("#"):
            continue
        kind = _YAML_KIND.match(line)
        if kind is not None:
            close()
            current = None
            if kind.group("kind") == "changeSet":
                raise InputError("a changeset written as YAML change types: schemafold folds "
                                 "formatted SQL changelogs only", file=shown, line=number)
            current = {"kind": kind.group("kind"), "line": str(number)}
            rest = kind.group("rest").strip()
            if rest.startswith("{"):
                for part in rest.strip("{} ").split(","):
                    key, _, value = part.partition(":")
                    current[key.strip()] = value.strip().strip("'\"")
            continue
        key = _YAML_KEY.match(line)
        if key is not None and current is not None:
            current[key.group("key")] = key.group("value").strip("'\"")
    close()
    return out


TOOL = Liquibase()
