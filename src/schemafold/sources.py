"""Sources: a migration tool's folder (or a list of files) to migrations in apply order.

Owns: each tool's documented file naming and ordering rules, its no-transaction markers, reading
files (UTF-8, a BOM is fine) with clear errors. ``plain`` (numbered ``.sql`` files) and ``sqlx``
(``<version>_<name>.sql``, reversible ``.up.sql``/``.down.sql``, ``-- no-transaction``) are read
here; only the up half of a reversible migration is folded.

Must not know: SQL meaning, the schema, rendering.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from schemafold.errors import InputError, SchemaWarning

SOURCE_FORMATS = ("sqlx", "plain")

_SQLX = re.compile(r"^(?P<version>\d+)_(?P<name>.+?)(?P<direction>\.up|\.down)?\.sql$")
_PLAIN = re.compile(r"^(?P<version>\d+)[_\-.]?(?P<name>.*?)\.sql$")


@attrs.frozen
class Migration:
    """One migration file: its version, name, path (as given, relative to the source root when
    read from a folder), text, and whether the tool runs it in a transaction."""

    version: str
    name: str
    path: str
    text: str
    in_transaction: bool = True


@attrs.frozen
class History:
    migrations: tuple[Migration, ...]
    format: str
    warnings: tuple[SchemaWarning, ...] = ()


def read_text(path: Path, display: str) -> str:
    """A file's text: UTF-8 (a BOM is dropped), CRLF kept; one clear error otherwise."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", file=display) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})",
            file=display, line=line,
        ) from None


def detect_format(folder: Path) -> str:
    names = [p.name for p in folder.iterdir() if p.is_file() and p.suffix == ".sql"]
    if names and all(_SQLX.match(n) for n in names):
        return "sqlx"
    return "plain"


def read_history(source: Path | Sequence[Path], *, source_format: str | None = None) -> History:
    """Read a migrations folder, or explicit files (applied in the order given)."""
    if isinstance(source, Path) and source.is_dir():
        fmt = source_format or detect_format(source)
        if fmt not in SOURCE_FORMATS:
            raise InputError(f"unknown source format {fmt!r} (known: {', '.join(SOURCE_FORMATS)})")
        return _read_folder(source, fmt)
    paths = [source] if isinstance(source, Path) else list(source)
    migrations = []
    for index, path in enumerate(paths, 1):
        if not path.is_file():
            raise InputError("no such file or folder", file=str(path))
        text = read_text(path, str(path))
        migrations.append(Migration(version=str(index), name=path.stem, path=str(path), text=text,
                                    in_transaction=not _no_transaction(text)))
    return History(tuple(migrations), source_format or "plain")


def _no_transaction(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    return first == "-- no-transaction"


def _read_folder(folder: Path, fmt: str) -> History:
    pattern = _SQLX if fmt == "sqlx" else _PLAIN
    found: list[tuple[int, str, Path, re.Match[str]]] = []
    warnings: list[SchemaWarning] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.is_file() or path.suffix != ".sql":
            continue
        match = pattern.match(path.name)
        if match is None:
            warnings.append(SchemaWarning("not a migration file name, skipped", file=path.name,
                                          line=1))
            continue
        if match.groupdict().get("direction") == ".down":
            continue
        found.append((int(match.group("version")), path.name, path, match))
    found.sort(key=lambda item: (item[0], item[1]))
    by_version: dict[int, list[str]] = {}
    for version, name, _, _ in found:
        by_version.setdefault(version, []).append(name)
    for version, names in by_version.items():
        if len(names) > 1:
            warnings.append(SchemaWarning(
                f"{len(names)} files share version {version} ({', '.join(names)}); applied in "
                "file-name order, but the tool itself may refuse the second",
                file=names[1], line=1))
    migrations = []
    for _, name, path, match in found:
        text = read_text(path, name)
        migrations.append(Migration(
            version=match.group("version"), name=match.group("name"), path=name, text=text,
            in_transaction=not _no_transaction(text)))
    if not migrations:
        raise InputError("no migration files found", file=str(folder))
    return History(tuple(migrations), fmt, tuple(warnings))


def iter_paths(values: Iterable[str]) -> list[Path]:
    return [Path(v) for v in values]
