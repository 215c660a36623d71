"""Consolidations that did not replay, found by writing histories in the shapes more migration
tools generate (Flyway, Liquibase formatted SQL, Alembic offline SQL, Prisma, goose, dbmate,
golang-migrate, sqitch) and replaying each history and its consolidation on a real PostgreSQL
(``squash --verify``, or both sides replayed in the test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import squash_verify

_ROW_FUNCTION = ("CREATE TABLE customer (id int PRIMARY KEY);\n"
                 "CREATE FUNCTION f(c customer) RETURNS int LANGUAGE sql AS $$ SELECT c.id $$;\n")


@pytest.mark.parametrize("history", [
    # Liquibase: a changeset renames a table a function takes as its argument's row type (the
    # rename is kept verbatim), a later one makes a view of the new name
    _ROW_FUNCTION + "ALTER TABLE customer RENAME TO client;\n"
                    "CREATE VIEW v AS SELECT id FROM client;\n",
    _ROW_FUNCTION + "ALTER TABLE customer RENAME TO client;\n"
                    "CREATE MATERIALIZED VIEW m AS SELECT id FROM client;\n"
                    "CREATE INDEX ON client (id);\n",
    _ROW_FUNCTION + "CREATE SCHEMA s;\nALTER TABLE customer SET SCHEMA s;\n"
                    "CREATE VIEW v AS SELECT id FROM s.customer;\n",
    "CREATE TYPE st AS ENUM ('a');\n"
    "CREATE FUNCTION f(c st) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n"
    "ALTER TYPE st RENAME TO status;\nCREATE TABLE o (id int, s status);\n",
])
def test_what_names_the_new_name_of_a_kept_rename_runs_after_it(
        tmp_path: Path, history: str) -> None:
    """A rename (or ``SET SCHEMA``) kept verbatim, since a routine's signature names the row
    type or type: a later view or table naming the new name was written before the kept
    rename, and the consolidation did not replay (``relation "client" does not exist``). It is
    kept after the rename, in order."""
    squash_verify(tmp_path, {"0001_a.sql": history})


_PRISMA_ENUM = ('CREATE TYPE "Role" AS ENUM (\'USER\', \'ADMIN\', \'OLD\');\n'
                'CREATE TABLE "User" ("id" SERIAL NOT NULL, "role" "Role" NOT NULL '
                "DEFAULT 'USER');\n"
                'INSERT INTO "User" ("role") VALUES (\'ADMIN\'), (\'USER\');\n'
                'CREATE TYPE "Role_new" AS ENUM (\'USER\', \'ADMIN\', \'EDITOR\');\n'
                'ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;\n')
_PRISMA_SWAP = ('ALTER TYPE "Role" RENAME TO "Role_old";\n'
                'ALTER TYPE "Role_new" RENAME TO "Role";\n'
                'DROP TYPE "Role_old";\n'
                "ALTER TABLE \"User\" ALTER COLUMN \"role\" SET DEFAULT 'USER';\n")


@pytest.mark.parametrize("using", [
    # Prisma's enum rebuild: the cast in parentheses, the types quoted
    '("role"::text::"Role_new")',
    '(("role")::text::"Role_new")',
    # a value mapped by CASE names the quoted type: folding stops where the type is renamed
    '(CASE WHEN "role" = \'OLD\' THEN \'USER\' ELSE "role"::text END)::"Role_new"',
])
def test_rows_converted_by_a_prisma_enum_rebuild_replay(tmp_path: Path, using: str) -> None:
    """``ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new")`` then the old
    type renamed away and dropped: the rows were written as ``(('ADMIN')::"Role"::text::
    "Role_new")``, naming types the consolidation does not have (the parentheses hid the
    casts, and the check for a value naming a type compared ``"Role"`` with lowered text)."""
    out = squash_verify(tmp_path, {"0001_a.sql": _PRISMA_ENUM + 'ALTER TABLE "User" ALTER '
                                   f'COLUMN "role" TYPE "Role_new" USING {using};\n'
                                   + _PRISMA_SWAP})
    if "CASE" not in using:
        assert "Role_new" not in out.split("INSERT INTO", 1)[1], out


@pytest.mark.parametrize("history", [
    # Flyway's repeatable updated_at trigger, then a backfill UPDATE
    "CREATE TABLE t1 (id int PRIMARY KEY, created timestamptz DEFAULT now(),\n"
    "  updated timestamptz);\n"
    "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "  BEGIN NEW.updated := now(); RETURN NEW; END $$;\n"
    "CREATE TRIGGER t1_upd BEFORE UPDATE ON t1 FOR EACH ROW\n"
    "  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION trg();\n"
    "INSERT INTO t1 (id) VALUES (1);\nUPDATE t1 SET id = 2;\n",
    # Prisma's quoted column, set on insert
    'CREATE TABLE "Docs" (id int PRIMARY KEY, body text, "updatedAt" timestamp(3));\n'
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    'BEGIN NEW."updatedAt" = CURRENT_TIMESTAMP; RETURN NEW; END $$;\n'
    'CREATE TRIGGER t BEFORE INSERT OR UPDATE ON "Docs" FOR EACH ROW EXECUTE FUNCTION touch();\n'
    "INSERT INTO \"Docs\" VALUES (1, 'a', NULL);\n",
    # the assignment after a comparison of NEW's column (not itself an assignment)
    "CREATE TABLE t2 (id int PRIMARY KEY, v int, updated timestamptz);\n"
    "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n"
    "  IF NEW.v = OLD.v THEN RETURN NEW; END IF;\n"
    "  IF NEW.v IS DISTINCT FROM OLD.v THEN NEW.updated := clock_timestamp(); END IF;\n"
    "  RETURN NEW; END $$;\n"
    "CREATE TRIGGER t BEFORE UPDATE ON t2 FOR EACH ROW EXECUTE FUNCTION trg();\n"
    "INSERT INTO t2 VALUES (1, 1, NULL);\nUPDATE t2 SET v = 2;\n",
    "CREATE EXTENSION IF NOT EXISTS moddatetime;\n"
    "CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz);\n"
    "CREATE TRIGGER m BEFORE UPDATE ON docs FOR EACH ROW\n"
    "  EXECUTE PROCEDURE moddatetime(updated_at);\n"
    "INSERT INTO docs VALUES (1, 'a', NULL);\nUPDATE docs SET body = 'b';\n",
])
def test_a_column_a_row_trigger_sets_to_the_time_is_masked(tmp_path: Path, history: str) -> None:
    """An ``updated_at`` trigger and a data statement it fires on: each replay writes its own
    time, and ``verify`` found the history and its consolidation (the same statements, in
    order) NOT EQUAL. The column is masked, as one with a volatile default is."""
    squash_verify(tmp_path, {"0001_a.sql": history})
