"""What every source shares: the migration records, the tool interface, and text helpers.

Owns: ``Migration`` and ``History`` (what the rest of schemafold reads), ``Candidate`` (a
migration file found by a tool's scan, not read yet), the ``Tool`` base class each tool module
subclasses, listing a folder's ``.sql`` files by what their names say, reading a file's text,
cutting a file down to some of its lines without moving the others, and ``${name}``
substitution.

Must not know: SQL meaning, the schema, rendering; any one tool's rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError, SchemaWarning, printable

_Name = TypeVar("_Name")


@attrs.frozen
class Migration:
    """One migration: its version, name, path (as given, relative to the source root when read
    from a folder), the SQL of its up half, and whether the tool runs it in a transaction.

    ``text`` keeps the line numbers of the original file: lines that are not SQL of the up half
    (a tool's section markers, the down half) are emptied or cut off the end, never removed from
    the middle or the start, so ``file:line`` in any message points into the real file.
    """
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    version: str = attrs.field(converter=printable)
    name: str = attrs.field(converter=printable)
    path: str = attrs.field(converter=printable)
    text: str
    in_transaction: bool = True


@attrs.frozen
class History:
    """The migrations of a source in apply order, the tool that named them, and warnings."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    migrations: tuple[Migration, ...]
    format: str
    warnings: tuple[SchemaWarning, ...] = ()


@attrs.frozen
class Candidate:
    """A migration file a tool's scan found: version as written, name, where it is.

    ``code`` names the language of a code migration (goose ``.go``, Flyway Java) that schemafold
    cannot read; ``companion`` is a file that configures it (diesel ``metadata.toml``, a Flyway
    ``.sql.conf``), when there is one.
    """
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    version: str = attrs.field(converter=printable)
    name: str = attrs.field(converter=printable)
    path: Path
    display: str = attrs.field(converter=printable)
    code: str | None = None
    companion: Path | None = None


@attrs.frozen
class Scan:
    """What a tool found in a folder: versioned migrations in apply order, migrations applied
    once after all of them (Flyway repeatables), and files it skipped."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    versioned: tuple[Candidate, ...]
    after: tuple[Candidate, ...] = ()
    warnings: tuple[SchemaWarning, ...] = ()


@attrs.frozen
class Body:
    """A migration file read by its tool: the up half's SQL and its transaction mode."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    text: str
    in_transaction: bool = True
    warnings: tuple[SchemaWarning, ...] = ()


@attrs.frozen
class Listing:
    """A folder's shape, for detection: top-level files, the files of each sub-folder, every
    file's path relative to the folder (recursively), and the text of top-level ``.sql`` files."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    files: tuple[str, ...]
    subfolders: Mapping[str, tuple[str, ...]]
    tree: tuple[str, ...]
    texts: Mapping[str, str]


class Tool:
    """A migration tool's rules. Subclasses set the class attributes and override the methods.

    ``no_transaction_marker`` is the text the tool reads as "run this file outside a transaction"
    (for writers); ``duplicates`` says what the tool does with two files of one version:
    ``"warn"`` (applied in file-name order, with a warning; an error under ``strict``),
    ``"error"`` (the tool refuses them, and so does schemafold) or ``"allow"`` (the tool records
    each migration by its whole name, so a shared version is nothing to say).
    """

    name: ClassVar[str]
    summary: ClassVar[str]
    no_transaction_marker: ClassVar[str | None] = None
    duplicates: ClassVar[str] = "warn"

    def claims(self, listing: Listing) -> bool:
        """Whether a folder of this shape is this tool's (see ``detect`` for the precedence)."""
        raise NotImplementedError

    def scan(self, folder: Path) -> Scan:
        """The migration files of ``folder`` in the tool's apply order."""
        raise NotImplementedError

    def version_key(self, version: str) -> Any:
        """The key the tool compares versions by (``--until`` and duplicates use it): the
        version as a number, unless the tool says otherwise."""
        return int(version)

    def read(self, candidate: Candidate, text: str, defines: Mapping[str, str]) -> Body:
        """The up half of one file's text, and whether it runs in a transaction."""
        return Body(text)

    def read_file(self, display: str, text: str, defines: Mapping[str, str]) -> Body:
        """Read one file given on its own (not found by a scan)."""
        return self.read(Candidate("", "", Path(display), display), text, defines)


def read_text(path: Path, display: str, data: bytes | None = None) -> str:
    """A file's text: UTF-8 (a BOM is dropped), CRLF kept, no NUL byte; one clear error
    otherwise. ``data``: the file's bytes, when this run has read them already (detection
    does), so that a file is read once."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"cannot read file: {error.strerror}", file=display) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:  # libpq sends a query as a C string: PostgreSQL can never be given one
        line = data[:nul].count(b"\n") + 1
        raise InputError(f"a NUL byte (0x00) at offset {nul}: PostgreSQL cannot read text "
                         "holding one", file=display, line=line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})",
            file=display, line=line,
        ) from None


def lines_of(text: str) -> list[str]:
    """The lines of ``text`` without their ``\\n`` (a CR stays on its line), counted as the
    splitter counts them."""
    return text.split("\n")


def keep_lines(text: str, keep: Callable[[int], bool]) -> str:
    """``text`` with every line for which ``keep(number)`` (1-based) is false emptied, and the
    empty lines after the last kept one cut off. Kept lines stay on their line numbers."""
    lines = lines_of(text)
    out = [line if keep(number) else ("\r" if line.endswith("\r") else "")
           for number, line in enumerate(lines, 1)]
    last = max((n for n in range(len(lines)) if keep(n + 1)), default=-1)
    if last < 0:
        return ""
    return "\n".join(out[: last + 1]) + ("\n" if last + 1 < len(lines) else "")


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


_PLACEHOLDER = re.compile(r"\$\{(?P<name>[^{}]*)\}")


def substitute(text: str, values: Mapping[str, str], *, file: str,
               missing: Callable[[str], str]) -> str:
    """Replace each ``${name}`` in ``text`` by ``values[name]``; an unknown name is an error at its
    line, whose message ``missing(name)`` words."""
    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name in values:
            return values[name]
        raise InputError(missing(name), file=file, line=text.count("\n", 0, match.start()) + 1,
                         text=match.group(0))
    return _PLACEHOLDER.sub(replace, text)


def skipped(display: str, why: str) -> SchemaWarning:
    return SchemaWarning(f"{why}, skipped", file=display, line=1)


def numeric_prefix(name: str, separator: str = "_") -> str | None:
    """The digits before the first ``separator`` of ``name``, if that is all digits."""
    head, sep, _ = name.partition(separator)
    return head if sep and head.isdigit() else None


def named_sql_files(folder: Path, parse_name: Callable[[str], _Name | None], unnamed: str
                    ) -> tuple[list[tuple[Path, _Name]], tuple[SchemaWarning, ...]]:
    """The ``.sql`` files directly in ``folder`` by file name, each with what ``parse_name`` reads
    from its name; a file whose name it does not read (None) is skipped with the warning
    "``unnamed``, skipped"."""
    found: list[tuple[Path, _Name]] = []
    warnings: list[SchemaWarning] = []
    for name, is_file in sorted_entries(folder):
        if not is_file or suffix(name) != ".sql":
            continue
        parsed = parse_name(name)
        if parsed is None:
            warnings.append(skipped(name, unnamed))
        else:
            found.append((folder / name, parsed))
    return found, tuple(warnings)


def sorted_entries(folder: Path) -> list[tuple[str, bool]]:
    """The names of ``folder``'s entries in name order, each with whether it is a regular file
    (a link followed, as ``Path.is_file``). One ``os.scandir``: the file type comes with the
    listing on most file systems, where ``Path.is_file`` costs a ``stat`` per file."""
    out = []
    with os.scandir(folder) as listing:
        for entry in listing:
            try:
                is_file = entry.is_file()
            except OSError:
                is_file = False
            out.append((entry.name, is_file))
    out.sort()
    return out


def suffix(name: str) -> str:
    """``Path(name).suffix``: from the last dot, unless the name starts or ends with it."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def sorted_candidates(items: Sequence[tuple[Any, Candidate]]) -> tuple[Candidate, ...]:
    """Candidates in the order of their keys; equal keys by file name."""
    ordered = sorted(items, key=lambda item: (item[0], item[1].display))
    return tuple(c for _, c in ordered)
