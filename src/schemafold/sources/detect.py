"""Detection: which tool's history a folder is, from its shape.

The rules run in this order and the first that holds wins, most specific first:

1. diesel: a sub-folder holds ``up.sql``;
2. prisma: a ``<14 digits>_<name>`` sub-folder holds ``migration.sql`` (or ``migration_lock.toml``
   lies beside a sub-folder holding one);
2a. drizzle: ``meta/_journal.json`` lies under the folder;
2b. supabase: ``supabase/migrations`` holds numbered ``.sql`` files, or the folder holds
    14-digit timestamped ones and is ``supabase/migrations`` or has ``supabase/config.toml``
    near (``supabase.claims_folder``);
3. flyway: a file (at any depth) is named ``V<version>__<description>.sql`` or ``R__...``;
3a. liquibase: a ``.sql`` file starts ``--liquibase formatted sql``, or a master changelog
   (``changelog.xml``/``.yaml``/``.yml``/``.json``, ``db.changelog-master.*``) is there;
3b. sql-migrate: a ``.sql`` file has a ``-- +migrate Up`` line;
3c. tern: a numbered ``.sql`` file has ``---- create above / drop below ----`` or ``---- tern:
   disable-tx ----``, or ``tern.conf`` is there;
4. goose: a ``.sql`` file has a ``-- +goose Up`` line, or a ``<version>_<name>.go`` file exists;
5. dbmate: a ``.sql`` file has a ``-- migrate:up`` line;
5a. postgres-migrations: a numbered ``.sql`` file carries a ``-- postgres-migrations`` marker;
5b. atlas: ``atlas.sum`` lies in the folder, beside no ``.up.sql``/``.down.sql`` file (Atlas
    also keeps a sum beside the golang-migrate, goose, Flyway and dbmate files it can write,
    which those tools apply: hence after the rules above);
6. sqlx: a numbered ``.sql`` file starts with ``-- no-transaction``, or simple
   ``<version>_<name>.sql`` and reversible ``.up.sql``/``.down.sql`` files are mixed;
7. golang-migrate: there are ``<version>_<name>.up.sql`` files (sqlx's reversible histories look
   the same and need ``--source-format sqlx``);
8. sqlx: every ``.sql`` file is ``<version>_<name>.sql``;
9. plain: anything else (numbered files, ``V``-prefixed or not).

Must not know: SQL meaning; how a tool reads its files (each tool module says what it claims).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from schemafold.errors import InputError
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
from schemafold.sources.base import Listing, numeric_prefix, suffix


def listing(folder: Path, raw: dict[str, bytes] | None = None) -> Listing:
    """The shape of ``folder`` that the rules look at (top-level ``.sql`` texts read leniently).
    ``raw``, when given, receives the bytes of the top-level ``.sql`` files read, by name (the
    history's reader then reads each file once)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as error:
        raise InputError(f"cannot read folder: {error.strerror}", file=str(folder)) from None
    is_file = {e.name: _is(e.is_file) for e in entries}
    files = tuple(e.name for e in entries if is_file[e.name])
    subfolders = {e.name: tuple(sorted(c.name for c in Path(e.path).iterdir() if c.is_file()))
                  for e in entries if _is(e.is_dir) and not e.name.startswith(".")}
    # what ``folder.rglob("*.*")`` gives, files only: the top level's names holding a dot, and
    # below every sub-folder that is not a link (rglob does not follow links to folders)
    tree_list = [e.name for e in entries if is_file[e.name] and "." in e.name]
    for e in entries:
        if _is(functools.partial(e.is_dir, follow_symlinks=False)):
            tree_list.extend(p.relative_to(folder).as_posix() for p in Path(e.path).rglob("*.*")
                             if p.is_file())
    tree = tuple(sorted(tree_list))
    texts = {}
    for e in entries:
        if is_file[e.name] and suffix(e.name) == ".sql":
            with open(e.path, "rb") as handle:
                data = handle.read()
            if raw is not None:
                raw[e.name] = data
            texts[e.name] = data.decode("utf-8", errors="replace")
    return Listing(files, subfolders, tree, texts)


def _is(test: Callable[[], bool]) -> bool:
    """``DirEntry.is_file``/``is_dir`` as ``Path.is_file``/``is_dir`` answer: False when the
    entry cannot be examined."""
    try:
        return test()
    except OSError:
        return False


def detect_format(folder: Path, shape: Listing | None = None) -> str:
    """The name of the tool whose history ``folder`` holds (see the module docstring);
    ``shape``: its ``listing``, when the caller made it."""
    shape = listing(folder) if shape is None else shape
    if diesel.TOOL.claims(shape):
        return diesel.TOOL.name
    if prisma.TOOL.claims(shape):
        return prisma.TOOL.name
    if drizzle.TOOL.claims(shape):
        return drizzle.TOOL.name
    if supabase.claims_folder(folder, shape):
        return supabase.TOOL.name
    if flyway.TOOL.claims(shape):
        return flyway.TOOL.name
    for marked in (liquibase.TOOL, sql_migrate.TOOL, tern.TOOL):  # each by its own markers
        if marked.claims(shape):
            return marked.name
    go_files = [n for n in shape.files if n.endswith(".go") and numeric_prefix(n)
                and not n.endswith("_test.go")]
    if goose.TOOL.claims(shape) or go_files:
        return goose.TOOL.name
    if dbmate.TOOL.claims(shape):
        return dbmate.TOOL.name
    if postgres_migrations.TOOL.claims(shape):
        return postgres_migrations.TOOL.name
    if atlas.TOOL.claims(shape):
        return atlas.TOOL.name
    if sqlx.TOOL.claims_reversible(shape):
        return sqlx.TOOL.name
    if golang_migrate.TOOL.claims(shape):
        return golang_migrate.TOOL.name
    if sqlx.TOOL.claims(shape):
        return sqlx.TOOL.name
    return plain.TOOL.name


def file_format(text: str) -> str:
    """The tool a single file given on its own belongs to, from its markers."""
    if goose.UP_MARKER.search(text):
        return goose.TOOL.name
    if dbmate.UP_MARKER.search(text):
        return dbmate.TOOL.name
    if liquibase.is_formatted(text):
        return liquibase.TOOL.name
    if sql_migrate.UP_MARKER.search(text):
        return sql_migrate.TOOL.name
    if tern.SEPARATOR in text or tern.DISABLE_TX in text:
        return tern.TOOL.name
    return plain.TOOL.name
