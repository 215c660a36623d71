"""Each migration tool's file names and markers, one small class per tool.

Names follow each tool's documentation: sqlx ``<version>_<name>.sql``; golang-migrate
``<version>_<name>.up.sql``; goose ``<version>_<name>.sql`` opening with ``-- +goose Up``;
dbmate ``<version>_<name>.sql`` with ``-- migrate:up``/``-- migrate:down`` sections; Flyway
``V<version>__<name>.sql``; diesel ``<version>_<name>/up.sql`` and ``down.sql``; Prisma
``<timestamp>_<name>/migration.sql`` with ``migration_lock.toml`` beside the folders;
postgres-migrations ``<version>_<name>.sql`` (``-- postgres-migrations disable-transaction``);
Liquibase ``changes/<version>_<name>.sql`` formatted SQL changesets under a ``changelog.xml``
(``runInTransaction:false``); sql-migrate ``<version>_<name>.sql`` with ``-- +migrate Up``
(``notransaction``); tern ``<sequence>_<name>.sql`` from ``001`` (``---- tern: disable-tx ----``);
Drizzle ``<idx>_<name>.sql`` with ``--> statement-breakpoint`` between statements and
``meta/_journal.json``; the Supabase CLI ``<timestamp>_<name>.sql``; Atlas
``<version>_<name>.sql`` with ``atlas.sum`` (``-- atlas:txmode none``); plain
``<version>_<name>.sql``. A file that must run outside a transaction carries the tool's marker
(sqlx and plain ``-- no-transaction``, goose ``-- +goose NO TRANSACTION``, dbmate
``transaction:false``, Flyway a ``.sql.conf`` with ``executeInTransaction=false``, diesel a
``metadata.toml`` with ``run_in_transaction = false``); golang-migrate and Prisma have none, and
run a file holding one statement outside a transaction block by themselves (each sends a file
whole, and PostgreSQL runs a query of several statements as one transaction). Drizzle and the
Supabase CLI cannot run a file outside a transaction at all: such a file gets a comment saying
so, and the README says how to apply it.

Must not know: how the statements were made.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import ClassVar

from schemafold.errors import InputError
from schemafold.files import PlannedFile
from schemafold.render.postgres import PREAMBLE
from schemafold.sources import TOOLS
from schemafold.sources import atlas as atlas_source
from schemafold.sources.drizzle import BREAKPOINT
from schemafold.writers.base import Writer, versions

__all__ = [
    "WRITERS",
    "Atlas",
    "Dbmate",
    "Diesel",
    "Drizzle",
    "Flyway",
    "GolangMigrate",
    "Goose",
    "Liquibase",
    "Plain",
    "PostgresMigrations",
    "Prisma",
    "SqlMigrate",
    "Sqlx",
    "Supabase",
    "Tern",
    "journal_whens",
    "marker",
]


def marker(tool: str) -> str:
    """The text the tool's reader takes as "outside a transaction" (one definition for both)."""
    text = TOOLS[tool].no_transaction_marker
    assert text is not None, tool
    return text


class Sqlx(Writer):
    name: ClassVar[str] = "sqlx"
    no_transaction: ClassVar[str] = "first line '-- no-transaction'"
    apply_with: ClassVar[str] = "`sqlx migrate run`"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        text = self.body(file)
        if not file.in_transaction:
            text = f"{marker(self.name)}\n{text}"
        return [(f"{version}_{name}.sql", text)]


class PostgresMigrations(Sqlx):
    name: ClassVar[str] = "postgres-migrations"
    no_transaction: ClassVar[str] = "'-- postgres-migrations disable-transaction'"
    apply_with: ClassVar[str] = "the postgres-migrations package's `migrate()`"


class Plain(Sqlx):
    name: ClassVar[str] = "plain"
    apply_with: ClassVar[str] = "psql (`psql -1 -f FILE` for each file in transaction)"


class GolangMigrate(Writer):
    name: ClassVar[str] = "golang-migrate"
    no_transaction: ClassVar[str] = "a file holding one statement, sent on its own"
    apply_with: ClassVar[str] = "`migrate -path DIR -database URL up`"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        return [(f"{version}_{name}.up.sql", self.body(file))]


class Goose(Writer):
    name: ClassVar[str] = "goose"
    no_transaction: ClassVar[str] = "'-- +goose NO TRANSACTION'"
    apply_with: ClassVar[str] = "`goose -dir DIR postgres URL up`"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        head = ["-- +goose Up"] if file.in_transaction else [marker(self.name), "-- +goose Up"]
        body = self.body(file, [self.statement(s) for s in file.statements])
        return [(f"{version}_{name}.sql", "\n".join(head) + "\n" + body)]

    @staticmethod
    def statement(sql: str) -> str:
        """goose splits a section at each line ending with ``;``: a statement holding a ``;``
        (a function body, a DO block, a string) or a comment line goes between
        ``StatementBegin`` and ``StatementEnd``."""
        body = sql.rstrip()
        inner = body[:-1] if body.endswith(";") else body
        if ";" in inner or any(line.lstrip().startswith("--") for line in body.splitlines()):
            return f"-- +goose StatementBegin\n{body}\n-- +goose StatementEnd"
        return body


class Dbmate(Writer):
    name: ClassVar[str] = "dbmate"
    no_transaction: ClassVar[str] = "'-- migrate:up transaction:false'"
    apply_with: ClassVar[str] = "`dbmate --migrations-dir DIR up`"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        up = "-- migrate:up" if file.in_transaction else marker(self.name)
        return [(f"{version}_{name}.sql", f"{up}\n{self.body(file)}\n-- migrate:down\n")]


class Flyway(Writer):
    name: ClassVar[str] = "flyway"
    no_transaction: ClassVar[str] = "its .sql.conf says executeInTransaction=false"
    apply_with: ClassVar[str] = "`flyway migrate` (locations pointing at this folder)"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        """``V<version>__<name>.sql``; a version given as ``B<version>`` writes a baseline
        migration (``squash --upto``)."""
        path = f"{version}__{name}.sql" if version.startswith("B") else f"V{version}__{name}.sql"
        out = [(path, self.body(file))]
        if not file.in_transaction:
            out.append((f"{path}.conf", "executeInTransaction=false\n"))
        return out


class Diesel(Writer):
    name: ClassVar[str] = "diesel"
    no_transaction: ClassVar[str] = "its metadata.toml says run_in_transaction = false"
    apply_with: ClassVar[str] = "`diesel migration run`"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        folder = f"{version}_{name}"
        out = [
            (f"{folder}/up.sql", self.body(file)),
            (f"{folder}/down.sql", "-- A consolidation is not reverted file by file.\n"),
        ]
        if not file.in_transaction:
            out.append((f"{folder}/metadata.toml", f"{marker(self.name)}\n"))
        return out


class Prisma(Writer):
    name: ClassVar[str] = "prisma"
    no_transaction: ClassVar[str] = "a file holding one statement, which Prisma sends on its own"
    apply_with: ClassVar[str] = "`prisma migrate deploy` (this folder as the migrations folder)"
    #: Prisma names a migration after a UTC timestamp, ``YYYYMMDDHHMMSS``.
    width: ClassVar[int] = 14

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        return [(f"{version}_{name}/migration.sql", self.body(file))]

    def versions(self, base: str, count: int) -> list[str]:
        """Versions of Prisma's 14 digits (a shorter base zero-padded), so that the folders
        sort as they apply and schemafold's detection knows them."""
        numbers = versions(base, count, self.width)
        if len(numbers[-1] if numbers else base) > self.width:
            raise InputError(f"--base-version {base}: Prisma versions are {self.width}-digit "
                             f"timestamps, and {count} files from it need more digits")
        return numbers

    def folder_files(self) -> list[tuple[str, str]]:
        return [("migration_lock.toml", "# Written by schemafold, as Prisma Migrate writes it: "
                 "the database provider\nprovider = \"postgresql\"\n")]


class Liquibase(Writer):
    name: ClassVar[str] = "liquibase"
    no_transaction: ClassVar[str] = "its changeset says runInTransaction:false"
    apply_with: ClassVar[str] = "`liquibase update --changelog-file=changelog.xml`"
    #: The master changelog: every formatted SQL file of ``changes/``, in lexical order.
    master: ClassVar[str] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- Written by schemafold: the consolidation's formatted SQL files, in lexical order "
        "-->\n"
        '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"\n'
        '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
        '    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog '
        'http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">\n'
        '    <includeAll path="changes/" relativeToChangelogFile="true"/>\n'
        "</databaseChangeLog>\n")

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        """One formatted SQL file of one changeset ``schemafold:<name>``, sent whole
        (``splitStatements:false``: Liquibase's own splitter does not know dollar quotes, and
        PostgreSQL's JDBC driver runs each statement of the text in the changeset's
        transaction)."""
        flags = " splitStatements:false" + ("" if file.in_transaction
                                            else f" {marker(self.name)}")
        head = f"--liquibase formatted sql\n\n--changeset schemafold:{name}{flags}\n"
        return [(f"changes/{version}_{name}.sql", head + self.body(file))]

    def folder_files(self) -> list[tuple[str, str]]:
        return [("changelog.xml", self.master)]


class SqlMigrate(Writer):
    name: ClassVar[str] = "sql-migrate"
    no_transaction: ClassVar[str] = "'-- +migrate Up notransaction'"
    apply_with: ClassVar[str] = "`sql-migrate up` (dir: this folder in dbconfig.yml)"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        head = "-- +migrate Up" if file.in_transaction else marker(self.name)
        body = self.body(file, [self.statement(s) for s in file.statements])
        return [(f"{version}_{name}.sql", f"{head}\n{body}")]

    @staticmethod
    def statement(sql: str) -> str:
        """sql-migrate ends a statement at each line whose last word ends with ``;`` and drops
        lines starting ``-- ``: a statement holding such a line goes between
        ``StatementBegin`` and ``StatementEnd``."""
        body = sql.rstrip()
        if Goose.statement(body) == body:
            return body
        return f"-- +migrate StatementBegin\n{body}\n-- +migrate StatementEnd"


class Tern(Writer):
    name: ClassVar[str] = "tern"
    no_transaction: ClassVar[str] = "'---- tern: disable-tx ----'"
    apply_with: ClassVar[str] = "`tern migrate --migrations DIR`"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        # tern runs each file through Go's text/template: a literal '{{' is written as an action
        # that prints it
        text = self.body(file).replace("{{", '{{"{{"}}')
        if not file.in_transaction:
            text = f"{marker(self.name)}\n{text}"
        return [(f"{version}_{name}.sql", text)]

    def versions(self, base: str, count: int) -> list[str]:
        """tern's sequence numbers are positions (1, 2, 3, ... without a gap), so a
        consolidation is always numbered from 001, whatever the base."""
        return versions("1", count, 3)


def timestamp_versions(tool: str, base: str, count: int, width: int = 14) -> list[str]:
    """Versions of ``width`` digits (a shorter base zero-padded), as the tools that name a
    migration after a UTC timestamp (``YYYYMMDDHHMMSS``) write them."""
    numbers = versions(base, count, width)
    if len(numbers[-1] if numbers else base) > width:
        raise InputError(f"--base-version {base}: {tool} versions are {width}-digit "
                         f"timestamps, and {count} files from it need more digits")
    return numbers


#: A note at the top of a file the history ran outside a transaction, for the tools that
#: cannot run one so.
_NO_TRANSACTION_NOTE = ("-- schemafold: the history ran this outside a transaction; {tool} "
                        "runs it inside one (see README.md)\n")


def journal_whens(count: int, last_when: int | None = None) -> list[int]:
    """The journal ``when`` of each of ``count`` written Drizzle migrations: ``1``, ``2``, ...
    by default, or, given ``last_when``, consecutive milliseconds ending at it (the last
    entry keeps ``last_when``).

    drizzle-orm runs a migration only when its ``when`` exceeds the ``created_at`` of the
    last one a database recorded: a database that ran the history (whose entries carry real
    millisecond timestamps) skips every default ``when``, and one that ran it up to the entry
    whose ``when`` is ``last_when`` skips the consolidation ending at it; an empty database runs
    them all, and migrations drizzle-kit generates later (stamped with the time) run after."""
    first = 1 if last_when is None else last_when - count + 1
    return [first + i for i in range(count)]


class Drizzle(Writer):
    name: ClassVar[str] = "drizzle"
    no_transaction: ClassVar[str] = (
        "which drizzle cannot do: its migrator runs every pending migration in one "
        "transaction, so where PostgreSQL refuses this statement inside one, `drizzle-kit "
        "migrate` stops and rolls everything back; apply the files before it, then this "
        "statement with psql, then the rest")
    apply_with: ClassVar[str] = ("`drizzle-kit migrate` (or drizzle-orm's `migrate()`), this "
                                 "folder as the migrations folder; every pending file runs in "
                                 "one transaction")

    def __init__(self, last_when: int | None = None) -> None:
        #: the ``when`` of the last journal entry written (see ``journal_whens``)
        self.last_when = last_when

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        if file.verbatim:
            statements = self.verbatim_statements(file.statements[0])
        else:
            statements = [*([PREAMBLE, *file.session] if file.in_transaction else []),
                          *file.statements]
            if file.in_transaction and file.session:
                # the one transaction goes on into later migrations: end the file's own
                # search_path with the file
                statements.append("SET LOCAL search_path TO DEFAULT;")
        text = f"\n{BREAKPOINT}\n".join(s.rstrip("\n") for s in statements) + "\n"
        if not file.in_transaction:
            text = _NO_TRANSACTION_NOTE.format(tool="drizzle") + text
        return [(f"{version}_{name}.sql", text)]

    @staticmethod
    def verbatim_statements(text: str) -> list[str]:
        """A migration kept as written, as statements drizzle sends one by one (its text whole
        when the splitter cannot read it)."""
        from schemafold.parse.splitter import split_sql

        try:
            statements = split_sql(text, "verbatim").statements
        except InputError:
            return [text]
        return [s.text + ";" for s in statements] or [text]

    def closing_files(self, written: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        tags = [path.removesuffix(".sql") for path, _ in written
                if path.endswith(".sql") and "/" not in path]
        whens = journal_whens(len(tags), self.last_when)
        entries = [{"idx": int(tag.partition("_")[0]), "version": "7", "when": when,
                    "tag": tag, "breakpoints": True} for tag, when in zip(tags, whens, strict=True)]
        journal = {"version": "7", "dialect": "postgresql", "entries": entries}
        return [("meta/_journal.json", json.dumps(journal, indent=2) + "\n")]


class Supabase(Writer):
    name: ClassVar[str] = "supabase"
    no_transaction: ClassVar[str] = (
        "which the Supabase CLI cannot do: it sends a file's statements as one batch, one "
        "implicit transaction, so where PostgreSQL refuses this statement inside one, apply it "
        "with psql and record it with `supabase migration repair --status applied VERSION`")
    apply_with: ClassVar[str] = ("`supabase migration up` (or `supabase db push`), this folder "
                                 "as `supabase/migrations`")

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        if name == "init" and int(version) < 20211209000000:
            name = "init_schema"  # the CLI skips a first <timestamp>_init.sql from before then
        text = self.body(file)
        if not file.in_transaction:
            text = _NO_TRANSACTION_NOTE.format(tool="the Supabase CLI") + text
        return [(f"{version}_{name}.sql", text)]

    def versions(self, base: str, count: int) -> list[str]:
        """14-digit versions, as `supabase migration new` writes them (see
        ``timestamp_versions``)."""
        return timestamp_versions("Supabase", base, count)


class Atlas(Writer):
    name: ClassVar[str] = "atlas"
    no_transaction: ClassVar[str] = "its header says '-- atlas:txmode none', then a blank line"
    apply_with: ClassVar[str] = "`atlas migrate apply --dir file://DIR --url URL`"

    def files(self, version: str, name: str, file: PlannedFile) -> list[tuple[str, str]]:
        text = self.body(file)
        if not file.in_transaction and not atlas_source.file_directives(text, "txmode"):
            text = f"{marker(self.name)}\n\n{text}"
        return [(f"{version}_{name}.sql", text)]

    def closing_files(self, written: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        files = [(path, text.encode("utf-8")) for path, text in written
                 if path.endswith(".sql") and "/" not in path]
        return [(atlas_source.SUM_FILE, atlas_source.sum_text(files))]


#: ``--naming`` name -> writer, in the order ``--help`` lists them.
WRITERS: dict[str, Writer] = {
    w.name: w for w in (Sqlx(), GolangMigrate(), Goose(), Dbmate(), Flyway(), Diesel(),
                        Prisma(), PostgresMigrations(), Drizzle(), Supabase(), Atlas(),
                        Liquibase(), SqlMigrate(), Tern(), Plain())
}
