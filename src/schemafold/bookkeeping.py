"""Each migration tool's bookkeeping: what a database records of the migrations it ran, and how a
consolidation of the history up to a version (``squash --upto``) takes the replaced files' place.

Owns, per tool, one :class:`Bookkeeping` (``BOOKKEEPING`` maps ``--naming`` names to them):

- ``versions``: the versions of the consolidation's files, chosen so that a database that ran the
  history up to VERSION skips them by the tool's own rules (see each class);
- ``companions``: the files of one later migration to copy byte for byte (a diesel or Prisma
  folder, a Flyway ``.sql.conf``, a ``.down.sql``);
- ``table`` and ``ddl``: the bookkeeping table, and the ``CREATE TABLE IF NOT EXISTS`` the tool
  itself runs before it records anything;
- ``adopt``: the SQL that rewrites the table so the tool takes the consolidation's files as
  applied and the replaced files as gone (``schemafold adopt`` runs it in one transaction);
- ``deploy``: the README's words on existing databases and on fresh ones;
- ``recorded``, ``key`` and ``missing``: what the table says ran, so that ``adopt`` refuses a
  database that has not run every replaced migration.

**Adding a tool** (Drizzle, Supabase, Atlas, Liquibase, sql-migrate, tern...): subclass
:class:`Bookkeeping`, set ``tool`` to the ``--naming`` name and ``table``/``ddl`` to the table the
tool creates; override ``versions`` when the tool does not skip a recorded version by its number
(the default keeps the history's last versions: the last file takes VERSION), ``file_version``
when the version written in a file name differs from ``Migration.version`` (diesel keeps its
dashes), ``companions`` when a migration is more than one file, ``adopt`` (from the replaced
migrations and the :class:`Written` files, return statements; each value through
:func:`literal`), ``deploy`` (Markdown lines), and ``recorded`` (a query of the applied
rows) with ``key`` (what the table records of a migration) or ``missing`` (when a plain
membership test is not the tool's rule). Then add an instance to ``BOOKKEEPING``.
A tool whose writer has no bookkeeping of its own (``plain``) keeps the base class, whose
``adopt`` refuses.

Facts each class relies on are cited in its docstring (sources read in each tool's repository).

Must not know: folding, rendering, databases (the SQL is text; ``live`` runs it).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import attrs

from schemafold.errors import InputError
from schemafold.sources import Migration
from schemafold.sources.base import Candidate

__all__ = ["BOOKKEEPING", "Bookkeeping", "Written", "flyway_checksum", "literal"]


@attrs.frozen
class Written:
    """One migration of the consolidation as written: its version (as in its file name), its
    name, the path of its script inside the output folder, and the script's text."""

    version: str
    name: str
    path: str
    text: str

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


def literal(value: object) -> str:
    """``value`` as an SQL literal (text, integers, booleans, bytes, None)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return f"'\\x{value.hex()}'::bytea"
    text = str(value)
    return "'" + text.replace("'", "''") + "'"


def flyway_checksum(data: bytes) -> int:
    """Flyway's checksum of a script: CRC-32 over the UTF-8 bytes of each line without its line
    break (lines split at ``\\n``, ``\\r\\n`` or ``\\r``, as Java's ``BufferedReader.readLine``
    does), a BOM dropped from the first line, as a signed 32-bit integer (flyway-core
    ``internal/resolver/ChecksumCalculator``)."""
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    crc = 0
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # readLine returns no line after a final line break
    for line in lines:
        crc = zlib.crc32(line.encode("utf-8"), crc)
    return crc - (1 << 32) if crc >= 1 << 31 else crc


class Bookkeeping:
    """A tool's bookkeeping (see the module docstring for what a subclass overrides)."""

    tool: ClassVar[str] = "plain"
    #: the table the tool records migrations in (unqualified: on the connection's search_path)
    table: ClassVar[str | None] = None
    #: the statements the tool runs to create it (one string; ``;`` between statements)
    ddl: ClassVar[str] = ""

    #: a query listing what the tool recorded as applied (rows for ``missing``); None: the
    #: tool records nothing schemafold can read
    recorded: ClassVar[str | None] = None

    def file_version(self, migration: Migration) -> str:
        """The version as written in the migration's file name."""
        return migration.version

    def key(self, migration: Migration) -> str:
        """What the tool records of ``migration`` (the first column of ``recorded``)."""
        return migration.version

    def missing(self, replaced: Sequence[Migration], rows: Sequence[tuple[object, ...]]
                ) -> list[str]:
        """The replaced migrations the database has not recorded as applied (``rows`` are
        ``recorded``'s): adopting would mark them applied although they never ran."""
        done = {str(row[0]) for row in rows}
        return [m.path for m in replaced if self.key(m) not in done]

    def versions(self, replaced: Sequence[Migration], count: int) -> list[str]:
        """The versions of the consolidation's ``count`` files: the last ``count`` versions of
        the replaced history, so the last file takes VERSION and every file has a version a
        database that ran the history has recorded (or, for golang-migrate, below the one it
        records)."""
        if count > len(replaced):
            raise InputError(
                f"--upto: the consolidation needs {count} files but the history up to there has "
                f"{len(replaced)}; each file takes the version of a replaced one, so that "
                f"databases that ran the history skip it (use --layout single)")
        return [self.file_version(m) for m in replaced[len(replaced) - count:]]

    def companions(self, candidate: Candidate, root: Path) -> list[Path]:
        """The files of one migration to copy as they are: its script, its configuration file,
        and a ``.down.sql`` beside an ``.up.sql``."""
        paths = [candidate.path]
        if candidate.companion is not None:
            paths.append(candidate.companion)
        name = candidate.path.name
        if name.endswith(".up.sql"):
            down = candidate.path.with_name(name[: -len(".up.sql")] + ".down.sql")
            if down.is_file():
                paths.append(down)
        return paths

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        """The statements that make the tool take ``written`` as applied and ``replaced`` as
        gone (run in one transaction, after ``ddl``)."""
        raise InputError(f"{self.tool} keeps no bookkeeping table schemafold knows: there is "
                         "nothing to adopt (apply the consolidation to fresh databases only)")

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        """The README's section: what to do on databases that ran the history up to ``upto``,
        and on fresh ones (Markdown lines)."""
        return [
            f"- **Existing databases** (they ran the history up to {upto}): {self.tool} keeps no "
            "record schemafold can rewrite; apply only the files after the consolidation.",
            "- **Fresh databases**: apply every file in order.",
        ]

    def _in(self, column: str, values: Sequence[object]) -> str:
        return f"{column} IN ({', '.join(literal(v) for v in values)})"


def _gone(replaced: Sequence[Migration], kept: Sequence[str], key: object) -> list[str]:
    seen = set(kept)
    out = []
    for m in replaced:
        value = key(m)  # type: ignore[operator]
        if value not in seen:
            out.append(value)
            seen.add(value)
    return out


class Sqlx(Bookkeeping):
    """sqlx records each migration in ``_sqlx_migrations`` with the SHA-384 of the file's text,
    and ``sqlx migrate run`` refuses a recorded version whose file is missing or whose checksum
    differs (sqlx-core ``migrate/migration.rs`` ``checksum``; ``migrate/migrator.rs``
    ``validate_applied_migrations``; the table in sqlx-postgres ``migrate.rs``
    ``ensure_migrations_table``). The description is the file name after the first ``_``,
    without ``.sql``, with ``_`` read as a space (sqlx-core ``migrate/source.rs``)."""

    tool = "sqlx"
    table = "_sqlx_migrations"
    ddl = ("CREATE TABLE IF NOT EXISTS _sqlx_migrations (\n"
           "    version BIGINT PRIMARY KEY,\n"
           "    description TEXT NOT NULL,\n"
           "    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
           "    success BOOLEAN NOT NULL,\n"
           "    checksum BYTEA NOT NULL,\n"
           "    execution_time BIGINT NOT NULL\n)")
    recorded = "SELECT version FROM _sqlx_migrations WHERE success"

    def key(self, migration: Migration) -> str:
        return str(int(migration.version))

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        versions = [int(m.version) for m in replaced]
        out = [f"DELETE FROM _sqlx_migrations WHERE {self._in('version', versions)}"]
        for w in written:
            description = w.name.replace("_", " ")
            out.append(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, "
                f"execution_time) VALUES ({int(w.version)}, {literal(description)}, true, "
                f"{literal(hashlib.sha384(w.data).digest())}, 0)")
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): sqlx refuses a "
            "recorded migration whose file changed or is missing, so first run, once per "
            f"database, `schemafold adopt HISTORY --upto {upto} --dsn URL` (it checks that the "
            "database equals the history, then rewrites `_sqlx_migrations` in one "
            "transaction), then deploy this folder with `sqlx migrate run`.",
            "- **Fresh databases**: `sqlx migrate run` applies every file in order.",
        ]


class GolangMigrate(Bookkeeping):
    """golang-migrate records one row, the current version and a dirty flag, in
    ``schema_migrations``; ``migrate up`` reads the source from the current version on and
    requires that version to exist in the source (``versionExists`` in ``migrate.go``): the
    last file takes VERSION, earlier files any lower versions."""

    tool = "golang-migrate"
    table = "schema_migrations"
    ddl = ("CREATE TABLE IF NOT EXISTS schema_migrations "
           "(version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)")
    recorded = "SELECT version, dirty FROM schema_migrations"

    def missing(self, replaced: Sequence[Migration], rows: Sequence[tuple[object, ...]]
                ) -> list[str]:
        last = int(replaced[-1].version)
        if any(not dirty and int(str(version)) >= last for version, dirty in rows):
            return []
        return [replaced[-1].path]

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        return ["DELETE FROM schema_migrations",
                f"INSERT INTO schema_migrations (version, dirty) VALUES "
                f"({int(written[-1].version)}, false)"]

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): nothing to do; their "
            f"`schema_migrations` says {int(upto)}, the consolidation's last version, so "
            "`migrate up` applies only the files after it. (`schemafold adopt` checks the "
            "database first and sets the same row.)",
            "- **Fresh databases**: `migrate up` applies every file in order.",
        ]


class Goose(Bookkeeping):
    """goose records each applied version in ``goose_db_version``; ``goose up`` refuses a file
    whose version is below the highest applied one and was never applied ("found N missing
    migrations before current version", unless ``-allow-missing``). Each consolidation file
    takes a version the history recorded, so none is missing."""

    tool = "goose"
    table = "goose_db_version"
    # as goose's PostgreSQL dialect creates it (database/dialect/postgres.go ``CreateTable``)
    ddl = ("CREATE TABLE IF NOT EXISTS goose_db_version (\n"
           "    id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,\n"
           "    version_id bigint NOT NULL,\n"
           "    is_applied boolean NOT NULL,\n"
           "    tstamp timestamp NOT NULL DEFAULT now()\n)")
    recorded = "SELECT version_id FROM goose_db_version WHERE is_applied"

    def key(self, migration: Migration) -> str:
        return str(int(migration.version))

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        kept = [str(int(w.version)) for w in written]
        gone = [int(v) for v in _gone(replaced, kept, lambda m: str(int(m.version)))]
        out = [f"DELETE FROM goose_db_version WHERE {self._in('version_id', gone)}"] if gone else []
        # goose records version 0 when it creates its table; a table adopt created gets it too
        out.append("INSERT INTO goose_db_version (version_id, is_applied) SELECT 0, true "
                   "WHERE NOT EXISTS (SELECT 1 FROM goose_db_version WHERE version_id = 0)")
        for w in written:
            v = int(w.version)
            out.append(f"INSERT INTO goose_db_version (version_id, is_applied) SELECT {v}, true "
                       f"WHERE NOT EXISTS (SELECT 1 FROM goose_db_version WHERE version_id = {v} "
                       "AND is_applied)")
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): nothing to do; the "
            "consolidation's files carry versions they recorded, so `goose up` applies only the "
            "files after them. (`schemafold adopt` checks the database and removes the rows of "
            "the replaced versions.)",
            "- **Fresh databases**: `goose up` applies every file in order.",
        ]


class Dbmate(Bookkeeping):
    """dbmate records each applied version in ``schema_migrations (version)``, and ``dbmate up``
    applies every file whose version is not recorded, in file-name order, whatever its place
    (``FindMigrations``/``Migrate`` in ``pkg/dbmate/db.go``; ``--strict`` refuses out-of-order
    ones). Each consolidation file takes a version the history recorded."""

    tool = "dbmate"
    table = "schema_migrations"
    # as dbmate 2.37 creates it (read back from a database it migrated)
    ddl = ("CREATE TABLE IF NOT EXISTS schema_migrations "
           "(version character varying NOT NULL PRIMARY KEY)")
    recorded = "SELECT version FROM schema_migrations"

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        kept = [w.version for w in written]
        gone = _gone(replaced, kept, lambda m: m.version)
        out = [f"DELETE FROM schema_migrations WHERE {self._in('version', gone)}"] if gone else []
        out += [f"INSERT INTO schema_migrations (version) VALUES ({literal(v)}) "
                "ON CONFLICT DO NOTHING" for v in kept]
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): nothing to do; the "
            "consolidation's files carry versions they recorded, so `dbmate up` applies only "
            "the files after them. (`schemafold adopt` checks the database and removes the rows "
            "of the replaced versions.)",
            "- **Fresh databases**: `dbmate up` applies every file in order.",
        ]


class Diesel(Bookkeeping):
    """diesel records each applied version, the folder name before its first ``_`` without
    dashes, in ``__diesel_schema_migrations (version, run_on)`` and runs every migration whose
    version is not recorded (diesel_migrations ``setup_migration_table.sql``,
    migrations_internals ``version_from_string``). Each consolidation folder takes a version
    the history recorded, dashes as written."""

    tool = "diesel"
    table = "__diesel_schema_migrations"
    ddl = ("CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY "
           "KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)")
    recorded = "SELECT version FROM __diesel_schema_migrations"

    def file_version(self, migration: Migration) -> str:
        return migration.path.split("/", 1)[0].split("_", 1)[0]

    def companions(self, candidate: Candidate, root: Path) -> list[Path]:
        folder = candidate.path.parent
        return sorted(p for p in folder.rglob("*") if p.is_file())

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        kept = [w.version.replace("-", "") for w in written]
        gone = _gone(replaced, kept, lambda m: m.version)
        out = ([f"DELETE FROM __diesel_schema_migrations WHERE {self._in('version', gone)}"]
               if gone else [])
        out += [f"INSERT INTO __diesel_schema_migrations (version) VALUES ({literal(v)}) "
                "ON CONFLICT DO NOTHING" for v in kept]
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): nothing to do; the "
            "consolidation's folders carry versions they recorded, so `diesel migration run` "
            "applies only the folders after them. (`schemafold adopt` checks the database and "
            "removes the rows of the replaced versions.)",
            "- **Fresh databases**: `diesel migration run` applies every folder in order.",
        ]


class Prisma(Bookkeeping):
    """Prisma records each migration by its folder name in ``_prisma_migrations``, with the
    SHA-256 (hex) of its ``migration.sql`` (prisma-engines ``checksum.rs``); ``migrate
    deploy`` applies every folder not recorded. The consolidation's folders are new names, so
    existing databases need their rows rewritten."""

    tool = "prisma"
    table = "_prisma_migrations"
    ddl = ('CREATE TABLE IF NOT EXISTS "_prisma_migrations" (\n'
           '    "id" VARCHAR(36) PRIMARY KEY NOT NULL,\n'
           '    "checksum" VARCHAR(64) NOT NULL,\n'
           '    "finished_at" TIMESTAMPTZ,\n'
           '    "migration_name" VARCHAR(255) NOT NULL,\n'
           '    "logs" TEXT,\n'
           '    "rolled_back_at" TIMESTAMPTZ,\n'
           '    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),\n'
           '    "applied_steps_count" INTEGER NOT NULL DEFAULT 0\n)')
    recorded = ('SELECT migration_name FROM "_prisma_migrations" '
                "WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")

    def key(self, migration: Migration) -> str:
        return migration.path.split("/", 1)[0]

    def companions(self, candidate: Candidate, root: Path) -> list[Path]:
        folder = candidate.path.parent
        return sorted(p for p in folder.rglob("*") if p.is_file())

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        names = [m.path.split("/", 1)[0] for m in replaced]
        out = [f'DELETE FROM "_prisma_migrations" WHERE {self._in("migration_name", names)}']
        for w in written:
            folder = w.path.split("/", 1)[0]
            out.append(
                'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, '
                "logs, rolled_back_at, started_at, applied_steps_count) VALUES "
                f"(gen_random_uuid()::text, {literal(hashlib.sha256(w.data).hexdigest())}, "
                f"now(), {literal(folder)}, NULL, NULL, now(), 1)")
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): the consolidation's "
            "folders are new to `_prisma_migrations`, so first run, once per database, "
            f"`schemafold adopt HISTORY --upto {upto} --dsn URL` (it checks that the database "
            "equals the history, then records the new folders as applied and removes the "
            "replaced ones, in one transaction; it replaces `prisma migrate resolve "
            "--applied` for each folder), then `prisma migrate deploy`.",
            "- **Fresh databases**: `prisma migrate deploy` applies every folder in order.",
        ]


class Flyway(Bookkeeping):
    """Flyway applies a baseline migration (``B<version>__<name>.sql``) only to a database whose
    schema history is empty, and then the versioned migrations above it; on a database that
    already ran the versions up to it, the baseline is ignored (Redgate Flyway documentation,
    "Baseline migrations"). ``flyway_schema_history`` records each script with a CRC-32 checksum
    of its lines (:func:`flyway_checksum`), and validation refuses applied versions no longer
    found ("Detected applied migration not resolved locally") unless
    ``ignoreMigrationPatterns`` includes ``*:missing``."""

    tool = "flyway"
    table = "flyway_schema_history"
    # as flyway-core's createMetaDataTable.sql for PostgreSQL creates it
    ddl = ('CREATE TABLE IF NOT EXISTS "flyway_schema_history" (\n'
           '    "installed_rank" INT NOT NULL,\n'
           '    "version" VARCHAR(50),\n'
           '    "description" VARCHAR(200) NOT NULL,\n'
           '    "type" VARCHAR(20) NOT NULL,\n'
           '    "script" VARCHAR(1000) NOT NULL,\n'
           '    "checksum" INTEGER,\n'
           '    "installed_by" VARCHAR(100) NOT NULL,\n'
           '    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),\n'
           '    "execution_time" INTEGER NOT NULL,\n'
           '    "success" BOOLEAN NOT NULL,\n'
           '    CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank")\n);\n'
           'CREATE INDEX IF NOT EXISTS "flyway_schema_history_s_idx" '
           'ON "flyway_schema_history" ("success")')
    recorded = "SELECT version, type FROM flyway_schema_history WHERE success"

    def missing(self, replaced: Sequence[Migration], rows: Sequence[tuple[object, ...]]
                ) -> list[str]:
        """A version counts as run when recorded, or at or below a baseline (``flyway
        baseline``'s ``BASELINE`` row, a baseline migration's ``SQL_BASELINE``)."""
        from schemafold.sources.flyway import parse_version

        done = {parse_version(str(v), "") for v, _ in rows if v}
        floor = max((parse_version(str(v), "") for v, kind in rows
                     if v and str(kind) in ("BASELINE", "SQL_BASELINE")), default=())
        return [m.path for m in replaced if m.version
                and parse_version(m.version, m.path) not in done
                and parse_version(m.version, m.path) > floor]

    def versions(self, replaced: Sequence[Migration], count: int) -> list[str]:
        if count != 1:
            raise InputError(
                f"--upto: Flyway applies one baseline migration, and this consolidation needs "
                f"{count} files (statements that run outside a transaction, or a layout of "
                "several files); use --layout single, or squash up to an earlier version")
        return ["B" + v for v in super().versions(replaced, count)]

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        from schemafold.sources.flyway import parse_version

        versions = sorted({".".join(map(str, parse_version(m.version, m.path)))
                           for m in replaced if m.version})
        scripts = [m.path.rsplit("/", 1)[-1] for m in replaced if not m.version]
        w = written[-1]
        version = ".".join(map(str, parse_version(w.version.removeprefix("B"), w.path)))
        script = w.path.rsplit("/", 1)[-1]
        description = w.name.replace("_", " ")
        where = self._in("version", versions)
        if scripts:
            where = f"({where} OR {self._in('script', scripts)})"
        return [
            "CREATE TEMPORARY TABLE schemafold_rank ON COMMIT DROP AS SELECT "
            "COALESCE((SELECT min(installed_rank) FROM flyway_schema_history "
            f"WHERE {where}), (SELECT COALESCE(max(installed_rank), 0) + 1 "
            "FROM flyway_schema_history)) AS rank",
            f"DELETE FROM flyway_schema_history WHERE {where}",
            "INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
            "script, checksum, installed_by, execution_time, success) SELECT rank, "
            f"{literal(version)}, {literal(description)}, 'SQL_BASELINE', {literal(script)}, "
            f"{flyway_checksum(w.data)}, current_user, 0, true FROM schemafold_rank",
        ]

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): Flyway ignores the "
            "baseline there, but its validation refuses the replaced versions it no longer "
            f"finds; run, once per database, `schemafold adopt HISTORY --upto {upto} --dsn URL` "
            "(it checks that the database equals the history, then replaces their rows in "
            "`flyway_schema_history` by the baseline's, in one transaction), or set "
            "`ignoreMigrationPatterns=*:missing`; then `flyway migrate`.",
            "- **Fresh databases**: `flyway migrate` applies the baseline, then every versioned "
            "file after it.",
        ]


class PostgresMigrations(Bookkeeping):
    """postgres-migrations refuses ids that are not consecutive from its own migration 0
    ("Found a non-consecutive migration ID", ``validateMigrationOrdering``), so later files
    cannot keep their ids behind a consolidation of fewer files: ``--upto`` refuses."""

    tool = "postgres-migrations"

    def versions(self, replaced: Sequence[Migration], count: int) -> list[str]:
        raise InputError(
            "--upto: postgres-migrations requires migration ids consecutive from 1 (\"Found a "
            "non-consecutive migration ID\"), so the later files cannot keep their ids after a "
            "consolidation of fewer files; squash the whole history instead")


#: ``--naming`` name -> its bookkeeping.
BOOKKEEPING: dict[str, Bookkeeping] = {
    b.tool: b for b in (Sqlx(), GolangMigrate(), Goose(), Dbmate(), Flyway(), Diesel(), Prisma(),
                        PostgresMigrations(), Bookkeeping())
}
