"""Each migration tool's file names and markers, one small class per tool.

Names follow each tool's documentation: sqlx ``<version>_<name>.sql``; golang-migrate
``<version>_<name>.up.sql``; goose ``<version>_<name>.sql`` opening with ``-- +goose Up``;
dbmate ``<version>_<name>.sql`` with ``-- migrate:up``/``-- migrate:down`` sections; Flyway
``V<version>__<name>.sql``; diesel ``<version>_<name>/up.sql`` and ``down.sql``; Prisma
``<timestamp>_<name>/migration.sql`` with ``migration_lock.toml`` beside the folders;
postgres-migrations ``<version>_<name>.sql`` (``-- postgres-migrations disable-transaction``); plain
``<version>_<name>.sql``. A file that must run outside a transaction carries the tool's marker
(sqlx and plain ``-- no-transaction``, goose ``-- +goose NO TRANSACTION``, dbmate
``transaction:false``, Flyway a ``.sql.conf`` with ``executeInTransaction=false``, diesel a
``metadata.toml`` with ``run_in_transaction = false``); golang-migrate and Prisma have none, and
run a file holding one statement outside a transaction block by themselves (each sends a file
whole, and PostgreSQL runs a query of several statements as one transaction).

Must not know: how the statements were made.
"""

from __future__ import annotations

from typing import ClassVar

from schemafold.errors import InputError
from schemafold.files import PlannedFile
from schemafold.sources import TOOLS
from schemafold.writers.base import Writer, versions

__all__ = [
    "WRITERS",
    "Dbmate",
    "Diesel",
    "Flyway",
    "GolangMigrate",
    "Goose",
    "Plain",
    "PostgresMigrations",
    "Prisma",
    "Sqlx",
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


#: ``--naming`` name -> writer, in the order ``--help`` lists them.
WRITERS: dict[str, Writer] = {
    w.name: w for w in (Sqlx(), GolangMigrate(), Goose(), Dbmate(), Flyway(), Diesel(),
                        Prisma(), PostgresMigrations(), Plain())
}
