"""Consolidations that did not replay, found by writing histories in the shapes of
declarative partitioning, Supabase projects (an ``auth`` schema and platform tables from a
setup file), table inheritance, data migrations and PostgreSQL's less common objects, and
replaying each history and its consolidation on a real PostgreSQL (``squash --verify``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import run_cli


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
     "CREATE COLLATION fr10_ci (provider = icu, locale = 'und-u-ks-level2', "
     "deterministic = false);\n"
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
