"""Reading a history: a folder through its tool, or files one by one, into ``History``.

Owns: choosing the tool (named or detected), duplicate versions, ``until``, refusing code
migrations that would run, and reading each file through its tool.

Must not know: SQL meaning; any one tool's rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from schemafold.errors import InputError, SchemaWarning
from schemafold.sources import (
    atlas,
    dbmate,
    diesel,
    drizzle,
    flyway,
    golang_migrate,
    goose,
    liquibase,
    plain,
    postgres_migrations,
    prisma,
    sql_migrate,
    sqlx,
    supabase,
    tern,
)
from schemafold.sources.base import (
    Candidate,
    History,
    Migration,
    Tool,
    read_text,
    sorted_entries,
    suffix,
)
from schemafold.sources.detect import detect_format, file_format, listing

#: Every tool, by the name ``--source-format`` takes.
TOOLS: dict[str, Tool] = {
    module.TOOL.name: module.TOOL
    for module in (sqlx, golang_migrate, goose, dbmate, flyway, diesel, prisma,
                   postgres_migrations, drizzle, supabase, atlas, liquibase, sql_migrate, tern,
                   plain)
}
SOURCE_FORMATS = tuple(TOOLS)
CODE_SUFFIXES = {".go": "Go", ".java": "Java", ".class": "Java"}


def read_history(
    source: Path | Sequence[Path],
    *,
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    until: str | None = None,
    strict: bool = False,
) -> History:
    """Read a migrations folder in its tool's apply order, or explicit files in the order given.

    ``source_format`` names the tool (default: detected from the folder's shape); ``defines``
    gives placeholder values (Flyway ``${name}``, goose ``ENVSUB``); ``until`` stops after that
    version (an unknown version is an error); ``strict`` turns duplicate versions from a warning
    into an error.
    """
    if source_format is not None and source_format not in TOOLS:
        raise InputError(f"unknown source format {source_format!r} "
                         f"(known: {', '.join(SOURCE_FORMATS)})")
    values = dict(defines or {})
    if isinstance(source, Path) and source.is_dir():
        _refuse_unreadable_entries(source)
        raw: dict[str, bytes] = {}  # the top-level .sql files detection read, by name
        tool = TOOLS[source_format or detect_format(source, listing(source, raw))]
        return _read_folder(source, tool, values, until, strict, raw)
    paths = [source] if isinstance(source, Path) else list(source)
    return _read_files(paths, source_format, values, until)


def _refuse_unreadable_entries(folder: Path) -> None:
    """A ``.sql`` entry that is not a regular file (a broken link, a folder) is a mistake in the
    history, never something to skip silently."""
    for name, is_file in sorted_entries(folder):
        if suffix(name) == ".sql" and not is_file:
            path = folder / name
            why = "a folder" if path.is_dir() else "a broken link or not a regular file"
            raise InputError(f"cannot read migration file: it is {why}", file=path.name)


def _read_folder(folder: Path, tool: Tool, defines: dict[str, str], until: str | None,
                 strict: bool, raw: Mapping[str, bytes]) -> History:
    scan = tool.scan(folder)
    warnings: list[SchemaWarning] = list(scan.warnings)
    warnings.extend(_duplicates(tool, scan.versioned, strict))
    versioned = list(scan.versioned)
    if until is not None:
        versioned = versioned[: version_index(tool, versioned, until) + 1]
    chosen = [*versioned, *scan.after]
    if not chosen:
        raise InputError(f"no {tool.name} migration files found", file=str(folder))
    for candidate in chosen:
        if candidate.code is not None:
            raise _code_error(candidate.display, candidate.code)
    migrations = []
    for candidate in chosen:
        data = raw.get(candidate.path.name) if candidate.path.parent == folder else None
        text = read_text(candidate.path, candidate.display, data)
        body = tool.read(candidate, text, defines)
        warnings.extend(body.warnings)
        migrations.append(Migration(version=candidate.version, name=candidate.name,
                                    path=candidate.display, text=body.text,
                                    in_transaction=body.in_transaction))
    return History(tuple(migrations), tool.name, tuple(warnings))


def _read_files(paths: list[Path], source_format: str | None, defines: dict[str, str],
                until: str | None) -> History:
    if until is not None:
        if not until.isdigit() or not 1 <= int(until) <= len(paths):
            raise InputError(f"--until {until}: files given one by one are versions 1 to "
                             f"{len(paths)} in the order given")
        paths = paths[: int(until)]
    migrations = []
    warnings: list[SchemaWarning] = []
    formats = set()
    for index, path in enumerate(paths, 1):
        display = str(path)
        if path.is_dir():
            raise InputError("a folder, not a migration file (pass the folder on its own)",
                             file=display)
        if not path.is_file():
            raise InputError("no such file", file=display)
        if path.suffix in CODE_SUFFIXES:
            raise _code_error(display, CODE_SUFFIXES[path.suffix])
        text = read_text(path, display)
        tool = TOOLS[source_format or file_format(text)]
        formats.add(tool.name)
        body = tool.read_file(display, text, defines)
        warnings.extend(body.warnings)
        migrations.append(Migration(version=str(index), name=path.stem, path=display,
                                    text=body.text, in_transaction=body.in_transaction))
    fmt = source_format or (formats.pop() if len(formats) == 1 else plain.TOOL.name)
    return History(tuple(migrations), fmt, tuple(warnings))


def _duplicates(tool: Tool, candidates: Sequence[Candidate], strict: bool) -> list[SchemaWarning]:
    if tool.duplicates == "allow":
        return []
    groups: dict[Any, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(tool.version_key(candidate.version), []).append(candidate)
    warnings = []
    for group in groups.values():
        if len(group) < 2:
            continue
        names = ", ".join(c.display for c in group)
        version = group[0].version
        if tool.duplicates == "error":
            raise InputError(f"{len(group)} files share version {version} ({names}); "
                             f"{tool.name} refuses them", file=group[1].display, line=1)
        message = (f"{len(group)} files share version {version} ({names}); applied in "
                   f"file-name order, but {tool.name} records each version once")
        if strict:
            raise InputError(message + " (an error under --strict)", file=group[1].display,
                             line=1)
        warnings.append(SchemaWarning(message, file=group[1].display, line=1))
    return warnings


def version_index(tool: Tool, candidates: Sequence[Candidate], version: str, *,
                  option: str = "--until") -> int:
    """The index of the last of ``candidates`` whose version is ``version`` by the tool's rules;
    an error naming ``option`` when it is not a version, or no candidate has it."""
    try:
        wanted = tool.version_key(version)
    except (ValueError, InputError):
        raise InputError(f"{option} {version}: not a {tool.name} version") from None
    found = [i for i, c in enumerate(candidates) if tool.version_key(c.version) == wanted]
    if not found:
        span = (f" (versions run from {candidates[0].version} to {candidates[-1].version})"
                if candidates else "")
        raise InputError(f"{option} {version}: no {tool.name} migration has that version{span}")
    return found[-1]


def _code_error(display: str, language: str) -> InputError:
    return InputError(f"{language} code migration: schemafold folds SQL only (pass --until "
                      "with an earlier version to stop before it)", file=display)
