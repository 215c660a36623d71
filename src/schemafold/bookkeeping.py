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

- ``bind``, ``copy_name`` and ``arrange``: what a tool needs from the folder read (Drizzle's
  journal, Liquibase's rows), the name a later file is copied under (tern renumbers), and the
  output folder's files about every migration (a journal, ``atlas.sum``, a master changelog);
- ``also``: other tables the tool keeps (Liquibase's lock table), left out of the check.

**Adding a tool**: subclass
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
import re
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
    #: other tables the tool keeps beside it (a lock table), left out of ``adopt``'s check
    also: ClassVar[tuple[str, ...]] = ()

    #: a query listing what the tool recorded as applied (rows for ``missing``); None: the
    #: tool records nothing schemafold can read
    recorded: ClassVar[str | None] = None

    def bind(self, root: Path, replaced: Sequence[Candidate], later: Sequence[Candidate]
             ) -> Bookkeeping:
        """This bookkeeping for the history in ``root`` cut into the ``replaced`` files and the
        ``later`` ones (a tool that needs more than the migrations' text, such as Drizzle's
        journal, returns a copy that knows it)."""
        return self

    def copy_name(self, name: str) -> str:
        """The name a later file of the history is copied under (its own, unless the tool
        numbers files by position)."""
        return name

    def arrange(self, files: Sequence[tuple[str, str]], copies: Sequence[tuple[str, str]]
                ) -> list[tuple[str, str]]:
        """The output folder (README aside): the consolidation's ``files`` as written, then the
        later ``copies``; a tool whose folder has a file about every migration (Drizzle's
        journal, ``atlas.sum``) rewrites it here for the whole folder."""
        return [*files, *copies]

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


class _Positional(Bookkeeping):
    """A tool that numbers migrations by position (1, 2, ... without a gap): the consolidation
    is numbered from 1 and every later file renumbered after it, its contents as they are
    (``copy_name``); ``name_pattern`` reads a file name's number (group ``version``) and name
    (group ``name``)."""

    #: the fewest digits a renumbered file name has
    min_width: ClassVar[int] = 1

    def __init__(self, cut: int = 0, count: int = 0) -> None:
        self.cut = cut  # how many files the consolidation replaces
        self.count = count  # how many files it has

    def bind(self, root: Path, replaced: Sequence[Candidate], later: Sequence[Candidate]
             ) -> Bookkeeping:
        return type(self)(len(replaced))

    def version_width(self, replaced: Sequence[Migration]) -> int:
        return self.min_width

    def name_pattern(self) -> re.Pattern[str]:
        raise NotImplementedError

    def versions(self, replaced: Sequence[Migration], count: int) -> list[str]:
        self.count = count
        width = self.version_width(replaced)
        return [f"{n:0{width}d}" for n in range(1, count + 1)]

    def copy_name(self, name: str) -> str:
        """``<n><separator><name>.sql`` renumbered: n - VERSION + the consolidation's count,
        the separator and the padding kept."""
        match = self.name_pattern().match(name) if "/" not in name else None
        if match is None:
            return name
        digits = match.group("version")
        separator = name[len(digits)]
        number = int(digits) - self.cut + self.count
        width = max(self.min_width, len(digits))
        return f"{number:0{width}d}{separator}{match.group('name')}.sql"

    def companions(self, candidate: Candidate, root: Path) -> list[Path]:
        return [candidate.path]


class PostgresMigrations(_Positional):
    """postgres-migrations records each migration in ``migrations (id, name, hash,
    executed_at)``, ``hash`` the SHA-1 (hex) of the file name followed by its SQL
    (``hashString(fileName + sql)``), and refuses ids that are not consecutive from its own
    migration 0 ("Found a non-consecutive migration ID", ``validateMigrationOrdering``) and an
    applied migration whose file's hash differs ("Hashes don't match"). So, as with tern, the
    consolidation is numbered from 1 and the later files are renumbered after it (their
    contents byte for byte), and a database that ran the history up to VERSION has its rows
    1..VERSION replaced by the consolidation's (``adopt``); its row 0 (the package's own table)
    stays."""

    tool = "postgres-migrations"
    table = "migrations"
    ddl = ("CREATE TABLE IF NOT EXISTS migrations (id integer PRIMARY KEY, "
           "name varchar(100) UNIQUE NOT NULL, hash varchar(40) NOT NULL, "
           "executed_at timestamp DEFAULT current_timestamp)")
    recorded = "SELECT id FROM migrations"

    def version_width(self, replaced: Sequence[Migration]) -> int:
        return max(4, *(len(m.version) for m in replaced)) if replaced else 4

    def name_pattern(self) -> re.Pattern[str]:
        from schemafold.sources.postgres_migrations import NAME

        return NAME

    def key(self, migration: Migration) -> str:
        return str(int(migration.version))

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        statements = [f"DELETE FROM migrations WHERE id BETWEEN 1 AND {len(replaced)}"]
        for number, w in enumerate(written, 1):
            file_name = _file_name(w.path)
            digest = hashlib.sha1((file_name + w.text).encode("utf-8")).hexdigest()
            statements.append(
                "INSERT INTO migrations (id, name, hash) VALUES "
                f"({number}, {literal(w.name)}, {literal(digest)})")
        return statements

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        n = len(written)
        return [
            f"- **Existing databases** (they ran the history up to {upto}): postgres-migrations "
            "wants ids consecutive from 1 and checks the hash of every migration it ran, so the "
            f"consolidation takes ids 1 to {n} and the later files are renumbered after it "
            "(their names here differ from the history's, their contents do not); first run, "
            f"once per database, `schemafold adopt HISTORY --upto {upto} --dsn URL` (it checks "
            "that the database equals the history, then replaces the rows of the replaced "
            "migrations in `migrations` by the consolidation's), then `migrate()` as before.",
            "- **Fresh databases**: `migrate()` applies every file in order.",
        ]


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _statement_count(text: str) -> int:
    """How many statements ``text`` holds (schemafold's splitter; 1 when it cannot read it)."""
    from schemafold.parse.splitter import split_sql

    try:
        return max(1, len(split_sql(text, "adopt").statements))
    except InputError:
        return 1


def _statements(text: str) -> list[str]:
    """``text``'s statements, trimmed, without their final ``;`` (the whole text when the
    splitter cannot read it)."""
    from schemafold.parse.splitter import split_sql

    try:
        found = [s.text.strip() for s in split_sql(text, "adopt").statements]
    except InputError:
        return [text.strip()]
    return [s for s in found if s] or [text.strip()]


class Drizzle(Bookkeeping):
    """drizzle-orm records each migration in ``drizzle.__drizzle_migrations (id serial, hash,
    created_at bigint)`` (``hash`` the SHA-256 hex of the file's text, ``created_at`` its journal
    ``when``) and runs an entry only when its ``when`` exceeds the ``created_at`` of the last row
    by ``created_at`` (``PgDialect.migrate`` in drizzle-orm ``pg-core/dialect.ts``: ``order by
    created_at desc limit 1``, ``Number(lastDbMigration.created_at) < migration.folderMillis``).
    The consolidation's journal entries end at the ``when`` of the last replaced entry
    (``journal_whens``), so a database that ran the history up to it skips them; the later
    entries keep their own ``when``s and tags."""

    tool = "drizzle"
    table = "drizzle.__drizzle_migrations"
    ddl = ("CREATE SCHEMA IF NOT EXISTS drizzle;\n"
           "CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (\n"
           "    id SERIAL PRIMARY KEY,\n"
           "    hash text NOT NULL,\n"
           "    created_at bigint\n)")
    recorded = "SELECT created_at FROM drizzle.__drizzle_migrations"

    def __init__(self, root: Path | None = None, entries: Sequence[dict[str, object]] = (),
                 cut: int = 0) -> None:
        self.root = root
        self.entries = list(entries)
        self.cut = cut

    def bind(self, root: Path, replaced: Sequence[Candidate], later: Sequence[Candidate]
             ) -> Bookkeeping:
        from schemafold.sources.drizzle import journal_entries

        return Drizzle(root, journal_entries(root), len(replaced))

    def _whens(self) -> list[int]:
        return [int(float(str(e["when"]))) for e in self.entries]

    def _written_whens(self, count: int) -> list[int]:
        from schemafold.writers.tools import journal_whens

        return journal_whens(count, self._whens()[self.cut - 1])

    def companions(self, candidate: Candidate, root: Path) -> list[Path]:
        """The file, and its drizzle-kit snapshot (``meta/<number>_snapshot.json``) when there
        is one (drizzle-kit generates the next migration from the last snapshot)."""
        snapshot = root / "meta" / f"{candidate.version}_snapshot.json"
        return [candidate.path, *([snapshot] if snapshot.is_file() else [])]

    def arrange(self, files: Sequence[tuple[str, str]], copies: Sequence[tuple[str, str]]
                ) -> list[tuple[str, str]]:
        import json

        from schemafold.sources.drizzle import JOURNAL

        assert self.root is not None
        journal = json.loads((self.root / JOURNAL).read_text(encoding="utf-8"))
        tags = [path.removesuffix(".sql") for path, _ in files
                if path.endswith(".sql") and "/" not in path]
        entries: list[object] = [
            {"idx": int(tag.partition("_")[0]), "version": "7", "when": when, "tag": tag,
             "breakpoints": True}
            for tag, when in zip(tags, self._written_whens(len(tags)), strict=True)]
        entries += self.entries[self.cut:]
        journal["entries"] = entries
        text = json.dumps(journal, indent=2) + "\n"
        out = [(name, text if name == JOURNAL else body) for name, body in files]
        last = self.entries[self.cut - 1]
        match = str(last["tag"]).partition("_")[0]
        snapshot = self.root / "meta" / f"{match}_snapshot.json"
        name = f"meta/{tags[-1].partition('_')[0]}_snapshot.json"
        names = {n for n, _ in out} | {n for n, _ in copies}
        if snapshot.is_file() and name not in names:
            out.append((name, snapshot.read_text(encoding="utf-8")))
        return [*out, *copies]

    def missing(self, replaced: Sequence[Migration], rows: Sequence[tuple[object, ...]]
                ) -> list[str]:
        """drizzle's own rule: a migration ran when the last ``created_at`` is at least its
        ``when``."""
        last = max((int(str(r[0])) for r in rows if r[0] is not None), default=None)
        whens = self._whens()
        return [m.path for m, when in zip(replaced, whens, strict=False)
                if last is None or last < when]

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        whens = self._whens()[: self.cut]
        out = [f"DELETE FROM drizzle.__drizzle_migrations WHERE {self._in('created_at', whens)}"]
        for w, when in zip(written, self._written_whens(len(written)), strict=True):
            out.append("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES "
                       f"({literal(hashlib.sha256(w.data).hexdigest())}, {when})")
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): nothing to do; the "
            "journal's consolidation entries end at the `when` of the last replaced migration, "
            "which those databases recorded, so `drizzle-kit migrate` runs only the later "
            "entries (they keep their own `when`s). (`schemafold adopt` checks the database and "
            "replaces the replaced migrations' rows in `drizzle.__drizzle_migrations` by the "
            "consolidation's hashes.)",
            "- **Fresh databases**: `drizzle-kit migrate` runs every entry, in one transaction.",
        ]


class Supabase(Bookkeeping):
    """The Supabase CLI records each migration in ``supabase_migrations.schema_migrations
    (version text primary key, statements text[], name text)`` and refuses a database whose
    recorded versions are not all in the local folder ("Remote migration versions not found
    in local migrations directory", ``FindPendingMigrations`` in ``pkg/migration/list.go``);
    a local file older than the last recorded version that is not recorded is refused too
    (``ErrMissingRemote``, unless ``--include-all``). The consolidation's files take versions
    the history recorded; the replaced versions they drop must leave the table."""

    tool = "supabase"
    table = "supabase_migrations.schema_migrations"
    ddl = ("CREATE SCHEMA IF NOT EXISTS supabase_migrations;\n"
           "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations "
           "(version text NOT NULL PRIMARY KEY);\n"
           "ALTER TABLE supabase_migrations.schema_migrations "
           "ADD COLUMN IF NOT EXISTS statements text[];\n"
           "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text")
    recorded = "SELECT version FROM supabase_migrations.schema_migrations"

    def __init__(self, prefix: str = "") -> None:
        #: where the migrations lie in the folder read (``supabase/migrations/``)
        self.prefix = prefix

    def bind(self, root: Path, replaced: Sequence[Candidate], later: Sequence[Candidate]
             ) -> Bookkeeping:
        from schemafold.sources.supabase import migrations_folder

        inner = migrations_folder(root)
        return Supabase(inner.relative_to(root).as_posix() + "/" if inner != root else "")

    def arrange(self, files: Sequence[tuple[str, str]], copies: Sequence[tuple[str, str]]
                ) -> list[tuple[str, str]]:
        """The consolidation's files go where the later ones are (``supabase/migrations``)."""
        return [*((self.prefix + name if name.endswith(".sql") else name, text)
                  for name, text in files), *copies]

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        kept = [w.version for w in written]
        gone = _gone(replaced, kept, lambda m: m.version)
        out = ([f"DELETE FROM supabase_migrations.schema_migrations WHERE "
                f"{self._in('version', gone)}"] if gone else [])
        for w in written:
            array = "ARRAY[" + ", ".join(literal(s) for s in _statements(w.text)) + "]::text[]"
            out.append(
                "INSERT INTO supabase_migrations.schema_migrations (version, statements, name) "
                f"VALUES ({literal(w.version)}, {array}, {literal(w.name)}) ON CONFLICT "
                "(version) DO UPDATE SET statements = excluded.statements, name = excluded.name")
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): the CLI refuses a "
            "database that recorded versions this folder no longer has (\"Remote migration "
            "versions not found in local migrations directory\"), so first run, once per "
            f"database, `schemafold adopt HISTORY --upto {upto} --dsn URL` (it checks that the "
            "database equals the history, then removes the replaced versions from "
            "`supabase_migrations.schema_migrations` and records the consolidation's, in one "
            "transaction; it replaces `supabase migration repair --status reverted` for each "
            "dropped version), then `supabase db push` (or `supabase migration up`).",
            "- **Fresh databases**: `supabase db push` (or `supabase db reset` locally) applies "
            "every file in order.",
        ]


class Atlas(Bookkeeping):
    """Atlas records each file it runs in ``atlas_schema_revisions.atlas_schema_revisions``
    (version, description, type, applied, total, executed_at, execution_time, error,
    error_stmt, hash, partial_hashes, operator_version; ``cmd/atlas/internal/migrate/ent``'s
    schema) and takes as pending the files after the last revision's version, which must be in
    the folder ("version %q exists in revisions table was not found in the migration
    directory"), the last one again when its ``applied`` is below its ``total`` (``Pending`` in
    ``sql/migrate/migrate.go``). A revision of a file run is ``type`` 2
    (``RevisionTypeExecute``; 1 is a baseline, 4 resolved) with ``hash`` the file's ``h1:``
    hash in ``atlas.sum`` without ``h1:``. The consolidation's files take versions the history
    recorded, the last one VERSION; ``atlas.sum`` is rewritten for the whole folder."""

    tool = "atlas"
    table = "atlas_schema_revisions.atlas_schema_revisions"
    ddl = ("CREATE SCHEMA IF NOT EXISTS atlas_schema_revisions;\n"
           "CREATE TABLE IF NOT EXISTS atlas_schema_revisions.atlas_schema_revisions (\n"
           "    version character varying NOT NULL PRIMARY KEY,\n"
           "    description character varying NOT NULL,\n"
           "    type bigint NOT NULL DEFAULT 2,\n"
           "    applied bigint NOT NULL DEFAULT 0,\n"
           "    total bigint NOT NULL DEFAULT 0,\n"
           "    executed_at timestamp with time zone NOT NULL,\n"
           "    execution_time bigint NOT NULL,\n"
           "    error text,\n"
           "    error_stmt text,\n"
           "    hash character varying NOT NULL,\n"
           "    partial_hashes jsonb,\n"
           "    operator_version character varying NOT NULL\n)")
    recorded = ("SELECT version, applied = total AND error IS NULL "
                "FROM atlas_schema_revisions.atlas_schema_revisions")

    def arrange(self, files: Sequence[tuple[str, str]], copies: Sequence[tuple[str, str]]
                ) -> list[tuple[str, str]]:
        from schemafold.sources.atlas import SUM_FILE, sum_text

        every = [*files, *copies]
        scripts = [(name, text.encode("utf-8")) for name, text in every
                   if name.endswith(".sql") and "/" not in name]
        text = sum_text(scripts)
        return [(name, text if name == SUM_FILE else body) for name, body in every]

    def missing(self, replaced: Sequence[Migration], rows: Sequence[tuple[object, ...]]
                ) -> list[str]:
        """Atlas's rule: the files up to the last revision ran (that one too when complete)."""
        if not rows:
            return [m.path for m in replaced]
        last, complete = max((str(v), bool(c)) for v, c in rows)
        return [m.path for m in replaced
                if m.version > last or (m.version == last and not complete)]

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        from schemafold.sources.atlas import hash_files

        kept = [w.version for w in written]
        gone = _gone(replaced, kept, lambda m: m.version)
        table = self.table
        out = [f"DELETE FROM {table} WHERE {self._in('version', gone)}"] if gone else []
        hashes = dict(hash_files(sorted((_file_name(w.path), w.data) for w in written)))
        for w in written:
            n = _statement_count(w.text)
            out.append(
                f"INSERT INTO {table} (version, description, type, applied, total, "
                "executed_at, execution_time, error, error_stmt, hash, partial_hashes, "
                f"operator_version) VALUES ({literal(w.version)}, {literal(w.name)}, 2, {n}, "
                f"{n}, now(), 0, NULL, NULL, {literal(hashes[_file_name(w.path)])}, NULL, "
                "'schemafold adopt') ON CONFLICT (version) DO UPDATE SET description = "
                "excluded.description, type = 2, applied = excluded.applied, total = "
                "excluded.total, error = NULL, error_stmt = NULL, hash = excluded.hash, "
                "partial_hashes = NULL")
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): nothing to do; "
            f"their last revision is {upto}, the consolidation's last file, so `atlas migrate "
            "apply` runs only the files after it. (`schemafold adopt` checks the database and "
            "replaces the replaced files' revisions by the consolidation's, with their "
            "`atlas.sum` hashes.)",
            "- **Fresh databases**: `atlas migrate apply` runs every file in order "
            "(`atlas.sum` covers this folder).",
        ]


class SqlMigrate(Bookkeeping):
    """sql-migrate records each file it runs by its file name in ``gorp_migrations (id text
    primary key, applied_at timestamptz)`` and runs every file whose name is not recorded
    (checked with Debian's sql-migrate). The consolidation's files are new names, so existing
    databases need their rows rewritten."""

    tool = "sql-migrate"
    table = "gorp_migrations"
    ddl = ('CREATE TABLE IF NOT EXISTS "gorp_migrations" ("id" text NOT NULL PRIMARY KEY, '
           '"applied_at" timestamp with time zone)')
    recorded = "SELECT id FROM gorp_migrations"

    def key(self, migration: Migration) -> str:
        return _file_name(migration.path)

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        names = [_file_name(w.path) for w in written]
        gone = _gone(replaced, names, self.key)
        out = [f"DELETE FROM gorp_migrations WHERE {self._in('id', gone)}"] if gone else []
        out += [f"INSERT INTO gorp_migrations (id, applied_at) VALUES ({literal(n)}, now()) "
                "ON CONFLICT DO NOTHING" for n in names]
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to {upto}): the "
            "consolidation's files are new to `gorp_migrations`, so first run, once per "
            f"database, `schemafold adopt HISTORY --upto {upto} --dsn URL` (it checks that the "
            "database equals the history, then records the new files as applied and removes "
            "the replaced ones, in one transaction), then `sql-migrate up`.",
            "- **Fresh databases**: `sql-migrate up` applies every file in order.",
        ]


class Tern(_Positional):
    """tern numbers migrations by position (1, 2, ... without a gap) and records one row, the
    number of the last one applied, in ``schema_version``; ``tern migrate`` runs the files after
    it and refuses a number above the last file ("current version %d is greater than last
    version of %d", ``MigrateTo`` in ``migrate/migrate.go``). The consolidation is numbered from
    1, the later files renumbered after it (tern cannot keep their numbers), so a database that
    ran the history up to VERSION must have its ``schema_version`` set to the consolidation's
    last number."""

    tool = "tern"
    table = "schema_version"
    ddl = ("CREATE TABLE IF NOT EXISTS schema_version "
           "(version int4 NOT NULL CHECK (version >= 0));\n"
           "CREATE UNIQUE INDEX IF NOT EXISTS schema_version_expr_idx ON schema_version ((1))")
    recorded = "SELECT version FROM schema_version"
    min_width: ClassVar[int] = 3

    def name_pattern(self) -> re.Pattern[str]:
        from schemafold.sources.tern import NAME

        return NAME

    def arrange(self, files: Sequence[tuple[str, str]], copies: Sequence[tuple[str, str]]
                ) -> list[tuple[str, str]]:
        return [*files, *copies]

    def missing(self, replaced: Sequence[Migration], rows: Sequence[tuple[object, ...]]
                ) -> list[str]:
        done = max((int(str(r[0])) for r in rows), default=0)
        return [m.path for m in replaced[done:]]

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        return ["DELETE FROM schema_version",
                f"INSERT INTO schema_version (version) VALUES ({len(written)})"]

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        n = len(written)
        numbers = "001" if n == 1 else f"001 to {n:03d}"
        return [
            f"- **Existing databases** (they ran the history up to {upto}): tern numbers "
            f"migrations by position, so the consolidation is {numbers} "
            "and the later files are renumbered after it (their names here differ from the "
            f"history's); first run, once per database, `schemafold adopt HISTORY --upto {upto} "
            f"--dsn URL` (it checks that the database equals the history, then sets "
            f"`schema_version` to {n}), then `tern migrate`. Without it, tern would skip later "
            "files.",
            "- **Fresh databases**: `tern migrate` applies every file in order.",
        ]


class Liquibase(Bookkeeping):
    """Liquibase records each changeset it runs in ``databasechangelog`` by ``(id, author,
    filename)`` with its ``md5sum`` (``schemafold.sources.liquibase.checksum``, version 9) and
    runs every changeset of the changelog not recorded; a recorded changeset whose checksum
    changed fails validation, and rows of changesets no longer in the changelog are left alone.
    The consolidation is one new changeset (``schemafold:<name>`` in ``changes/``); the later
    changesets keep their files, byte for byte, under the same paths, included one by one from
    the output's ``changelog.xml`` so that each keeps its ``filename`` and row. The cut must
    fall between files: a file whose changesets lie on both sides of VERSION cannot both go and
    stay."""

    tool = "liquibase"
    table = "databasechangelog"
    also = ("databasechangeloglock",)
    # as Liquibase creates it on PostgreSQL (read back with pg_dump from databases it migrated)
    ddl = ("CREATE TABLE IF NOT EXISTS databasechangelog (\n"
           "    id character varying(255) NOT NULL,\n"
           "    author character varying(255) NOT NULL,\n"
           "    filename character varying(255) NOT NULL,\n"
           "    dateexecuted timestamp without time zone NOT NULL,\n"
           "    orderexecuted integer NOT NULL,\n"
           "    exectype character varying(10) NOT NULL,\n"
           "    md5sum character varying(35),\n"
           "    description character varying(255),\n"
           "    comments character varying(255),\n"
           "    tag character varying(255),\n"
           "    liquibase character varying(20),\n"
           "    contexts character varying(255),\n"
           "    labels character varying(255),\n"
           "    deployment_id character varying(10)\n)")
    recorded = "SELECT id, author, filename FROM databasechangelog"

    def __init__(self, keys: Sequence[tuple[str, str, str]] = ()) -> None:
        #: ``(id, author, filename)`` of each changeset of the history, in order
        self.keys = list(keys)

    def bind(self, root: Path, replaced: Sequence[Candidate], later: Sequence[Candidate]
             ) -> Bookkeeping:
        from schemafold.sources.liquibase import rows

        if replaced and later and later[0].path == replaced[-1].path:
            shown = replaced[-1].display.rsplit("::", 2)[0]
            raise InputError(
                f"--upto: changeset {replaced[-1].version} is not the last of {shown}, and "
                "Liquibase records a changeset by its file: the later changesets of that file "
                "could not keep their rows; squash up to the last changeset of a file")
        return Liquibase([(r.id, r.author, r.filename) for r in rows(root)])

    def _where(self, keys: Sequence[tuple[str, str, str]]) -> str:
        """Rows of ``keys``; a filename may be recorded with a folder before it (a classpath
        or search path prefix)."""
        parts = [f"(id = {literal(i)} AND author = {literal(a)} AND (filename = {literal(f)} "
                 f"OR filename LIKE {literal('%/' + f)}))" for i, a, f in keys]
        return " OR ".join(parts) if parts else "false"

    def missing(self, replaced: Sequence[Migration], rows: Sequence[tuple[object, ...]]
                ) -> list[str]:
        done = [(str(i), str(a), str(f)) for i, a, f in rows]
        return [m.path for m, (i, a, f) in zip(replaced, self.keys, strict=False)
                if not any(i == di and a == da and (f == df or df.endswith("/" + f))
                           for di, da, df in done)]

    def arrange(self, files: Sequence[tuple[str, str]], copies: Sequence[tuple[str, str]]
                ) -> list[tuple[str, str]]:
        from xml.sax.saxutils import quoteattr

        included = [n for n, _ in files if n.endswith(".sql")]
        included += [n for n, _ in copies if n.endswith(".sql")]
        master = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            "<!-- Written by schemafold: the consolidation, then the history's later changelogs "
            "under their own paths, in order -->\n"
            '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"\n'
            '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
            '    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog '
            'http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">\n'
            + "".join(f'    <include file={quoteattr(n)} relativeToChangelogFile="true"/>\n'
                      for n in included)
            + "</databaseChangeLog>\n")
        return [*((n, master if n == "changelog.xml" else t) for n, t in files), *copies]

    def adopt(self, replaced: Sequence[Migration], written: Sequence[Written]) -> list[str]:
        from schemafold.sources.liquibase import checksum, parse

        where = self._where(self.keys[: len(replaced)])
        last = self.keys[len(replaced) - 1]
        # the folder before the file names, as the replaced rows recorded it (a classpath path
        # such as db/changelog/ when Spring Boot ran the master from there)
        prefix = (f"SELECT left(filename, length(filename) - {len(last[2])}) FROM "
                  f"databasechangelog WHERE {self._where([last])} LIMIT 1")
        out = [
            "CREATE TEMPORARY TABLE schemafold_order ON COMMIT DROP AS SELECT "
            f"COALESCE((SELECT min(orderexecuted) FROM databasechangelog WHERE {where}), "
            "(SELECT COALESCE(max(orderexecuted), 0) + 1 FROM databasechangelog)) AS n, "
            f"COALESCE(({prefix}), '') AS prefix",
            f"DELETE FROM databasechangelog WHERE {where}",
        ]
        for i, w in enumerate(written):
            changeset = parse(w.text, w.path).changesets[0]
            out.append(
                "INSERT INTO databasechangelog (id, author, filename, dateexecuted, "
                "orderexecuted, exectype, md5sum, description, comments, tag, liquibase, "
                f"contexts, labels, deployment_id) SELECT {literal(changeset.id)}, "
                f"{literal(changeset.author)}, prefix || {literal(w.path)}, now(), n + {i}, "
                "'EXECUTED', "
                f"{literal(checksum(changeset.sql(w.text)))}, 'sql', NULL, NULL, NULL, NULL, "
                "NULL, NULL FROM schemafold_order")
        return out

    def deploy(self, upto: str, written: Sequence[Written]) -> list[str]:
        return [
            f"- **Existing databases** (they ran the history up to changeset {upto}): the "
            "consolidation is a new changeset, which Liquibase would run again, so first run, "
            f"once per database, `schemafold adopt HISTORY --upto {upto} --dsn URL` (it checks "
            "that the database equals the history, then replaces the replaced changesets' rows "
            "in `databasechangelog` by the consolidation's, with its MD5SUM, in one "
            "transaction), then `liquibase update --changelog-file=changelog.xml`. The later "
            "changesets keep their files and paths, so their rows stay valid.",
            "- **Fresh databases**: `liquibase update --changelog-file=changelog.xml` runs every "
            "changeset in order.",
        ]


#: ``--naming`` name -> its bookkeeping.
BOOKKEEPING: dict[str, Bookkeeping] = {
    b.tool: b for b in (Sqlx(), GolangMigrate(), Goose(), Dbmate(), Flyway(), Diesel(), Prisma(),
                        PostgresMigrations(), Drizzle(), Supabase(), Atlas(), SqlMigrate(),
                        Tern(), Liquibase(), Bookkeeping())
}
