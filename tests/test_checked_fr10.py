"""Consolidations that did not replay, found by writing histories in the shapes of
declarative partitioning, Supabase projects (an ``auth`` schema and platform tables from a
setup file), table inheritance, data migrations and PostgreSQL's less common objects, and
replaying each history and its consolidation on a real PostgreSQL (``squash --verify``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import run_cli, squash_verify


def squash_verify_setup(tmp_path: Path, setup: str, history: str) -> str:
    """``squash --verify --setup`` of a one-file ``history`` over ``setup``: it exits 0 proving
    the consolidation EQUAL; the consolidation's text."""
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_a.sql").write_text(history)
    (tmp_path / "setup.sql").write_text(setup)
    done = run_cli("squash", str(src), "--setup", str(tmp_path / "setup.sql"), "--out",
                   str(tmp_path / "out"), "--verify", "--no-cache", "-v")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout, done.stdout
    said = [line for line in (done.stdout + done.stderr).splitlines() if "setup.sql:" in line
            and ("warning: kept verbatim" in line or "warning: data statement kept" in line)]
    assert not said, said
    return "\n".join(p.read_text() for p in sorted((tmp_path / "out").glob("*.sql")))


@pytest.mark.parametrize(("setup", "history"), [
    # Supabase's realtime publication comes from the platform; a migration adds a table to it
    ("CREATE PUBLICATION supabase_realtime;\n",
     "CREATE TABLE profiles (id int PRIMARY KEY);\n"
     "ALTER PUBLICATION supabase_realtime ADD TABLE profiles;\n"),
    # a platform table's seed rows (storage.buckets), a history's table referencing them
    ("CREATE SCHEMA storage;\nCREATE TABLE storage.buckets (id text PRIMARY KEY);\n"
     "INSERT INTO storage.buckets VALUES ('avatars');\n",
     "CREATE TABLE uploads (id int, bucket text REFERENCES storage.buckets);\n"
     "INSERT INTO uploads VALUES (1, 'avatars');\n"),
    # roles made by a guarded DO block, a collation and a call
    ("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fr10_anon') THEN\n"
     "  CREATE ROLE fr10_anon NOLOGIN; END IF; END $$;\n"
     # (a libc collation: the pip-installed server is built without ICU)
     "CREATE COLLATION fr10_ci (provider = libc, locale = 'C');\n"
     "CREATE SEQUENCE fr10_s;\nSELECT setval('fr10_s', 5);\n",
     "CREATE TABLE tags (name text COLLATE fr10_ci PRIMARY KEY);\n"
     "GRANT SELECT ON tags TO fr10_anon;\n"),
])
def test_what_the_setup_keeps_verbatim_is_not_written_again(
        tmp_path: Path, setup: str, history: str) -> None:
    """A setup file's statements the fold does not model (``CREATE PUBLICATION``, a DO block,
    a setup table's rows) were written into the consolidation as statements kept verbatim, so
    it did not replay over the setup (``publication "supabase_realtime" already exists``,
    ``duplicate key value``). The setup exists where the consolidation runs: nothing of it is
    written, and no warning says it is kept."""
    out = squash_verify_setup(tmp_path, setup, history)
    assert "PUBLICATION supabase_realtime;" not in out, out
    assert "storage.buckets VALUES" not in out and "fr10_anon;" not in out.split("GRANT")[0]


_KEPT_INSERT = ("CREATE TABLE src (id int, grp text);\n"
                "INSERT INTO src VALUES (1, 'a'), (2, 'a'), (3, 'b');\n"
                "CREATE TABLE t (id int, s text DEFAULT 'old', n int NOT NULL DEFAULT 0);\n"
                # DISTINCT ON: not evaluated, kept verbatim in the data phase
                "INSERT INTO t (id) SELECT DISTINCT ON (grp) id FROM src ORDER BY grp, id;\n")


@pytest.mark.parametrize("later", [
    "ALTER TABLE t ALTER COLUMN s SET DEFAULT 'new';\n",
    "ALTER TABLE t ALTER COLUMN s DROP DEFAULT;\n",
    # Django's AddField with a default: the rows get it, the column keeps none
    "ALTER TABLE t ADD COLUMN flag boolean DEFAULT false NOT NULL;\n"
    "ALTER TABLE t ALTER COLUMN flag DROP DEFAULT;\n",
    "ALTER TABLE t ADD COLUMN z int;\nALTER TABLE t ALTER COLUMN z SET DEFAULT 7;\n",
    # a kept UPDATE setting a column to DEFAULT
    "UPDATE t SET n = DEFAULT WHERE id = 1;\nALTER TABLE t ALTER COLUMN n SET DEFAULT 3;\n",
])
def test_a_default_changed_after_a_kept_statement_leaving_it_to_it(
        tmp_path: Path, later: str) -> None:
    """An INSERT kept verbatim leaves a column to its default, which a later statement sets or
    drops: the consolidation ran the INSERT with the last default (rows ``'new'`` where the
    history has ``'old'``; NULL in a NOT NULL column: ``null value in column "flag"``). The
    fold is cut at the file changing the default; a default changed in a later file leaves
    the earlier ones folded."""
    squash_verify(tmp_path, {"0001_a.sql": _KEPT_INSERT + later})
    (tmp_path / "files").mkdir()
    out = squash_verify(tmp_path / "files", {"0001_a.sql": _KEPT_INSERT, "0002_b.sql": later})
    assert "CREATE TABLE src" in out, out


@pytest.mark.parametrize("later", [
    # the column the INSERT lists, or one added with the default it keeps
    "ALTER TABLE t ALTER COLUMN id SET DEFAULT 5;\n",
    "ALTER TABLE t ADD COLUMN z int DEFAULT 7;\n",
])
def test_a_default_the_kept_statement_does_not_take_still_folds(
        tmp_path: Path, later: str) -> None:
    out = squash_verify(tmp_path, {"0001_a.sql": _KEPT_INSERT + later})
    assert "CREATE TABLE t (\n" in out, out


_ENUM_KEPT = ("CREATE TYPE st AS ENUM ('a', 'b');\n"
              "CREATE TABLE src (id int, grp text);\n"
              "INSERT INTO src VALUES (1, 'a'), (2, 'a'), (3, 'b');\n"
              "CREATE TABLE t (id int, s st, ss st[]);\n"
              "INSERT INTO t (id, s) SELECT DISTINCT ON (grp) id, 'a' FROM src ORDER BY grp, id;\n")


@pytest.mark.parametrize("later", [
    "ALTER TYPE st RENAME VALUE 'a' TO 'z';\n",
    # a valid neighbour: a label added leaves the statement runnable, and it still folds
    "ALTER TYPE st ADD VALUE 'c';\n",
])
def test_an_enum_label_renamed_after_a_kept_statement(tmp_path: Path, later: str) -> None:
    """An INSERT kept verbatim writes the enum label ``'a'``, which ``RENAME VALUE`` later
    renames: the consolidation ran it against the final enum (``invalid input value for enum
    st: "a"``). The fold is cut where the label is renamed."""
    out = squash_verify(tmp_path, {"0001_a.sql": _ENUM_KEPT + later})
    assert ("CREATE TABLE t (\n" in out) == ("ADD VALUE" in later), out
