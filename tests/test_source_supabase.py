"""Supabase CLI folders: the three places SRC may point at, names and order, the files the CLI
skips, detection; the writer's 14-digit versions; and on PostgreSQL, a history of our own and
its consolidation, each applied as the CLI applies a folder (a file's statements and its
``supabase_migrations.schema_migrations`` row in one implicit transaction), built equal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_run import run_cli
from schemafold.errors import InputError
from schemafold.parse.splitter import split_sql
from schemafold.sources import detect_format, read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import connect
from schemafold.writers import WRITERS

FILES = {
    "20240101120000_users.sql": (
        "create table public.profiles (\n  id uuid primary key,\n  username text unique\n);\n"
        "alter table public.profiles enable row level security;\n"),
    "20240102120000_policies.sql": (
        "create policy \"read own\" on public.profiles for select using (true);\n"
        "create function public.handle() returns trigger language plpgsql as $$\n"
        "begin new.username := lower(new.username); return new; end $$;\n"),
    "20240103120000_trigger.sql": (
        "create trigger profiles_lower before insert on public.profiles\n"
        "  for each row execute function public.handle();\n"
        "insert into public.profiles (id, username) values "
        "('00000000-0000-0000-0000-000000000001', 'Ann');\n"),
}


def project(root: Path) -> Path:
    """A Supabase project of our own: ``supabase/config.toml``, ``supabase/migrations`` with
    the files above, a README the CLI skips, and ``supabase/seed.sql``."""
    migrations = root / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    (root / "supabase" / "config.toml").write_text('project_id = "demo"\n')
    (root / "supabase" / "seed.sql").write_text("insert into public.profiles values "
                                                 "('00000000-0000-0000-0000-000000000002', "
                                                 "'seed');\n")
    for name, text in FILES.items():
        (migrations / name).write_text(text)
    (migrations / "notes.sql").write_text("select 1;\n")
    return root


def test_src_may_be_the_project_the_supabase_folder_or_the_migrations(tmp_path: Path) -> None:
    root = project(tmp_path / "app")
    for src, prefix in ((root, "supabase/migrations/"), (root / "supabase", "migrations/"),
                        (root / "supabase" / "migrations", "")):
        assert detect_format(src) == "supabase", src
        read = read_history(src)
        assert [(m.version, m.name, m.path, m.in_transaction) for m in read.migrations] == [
            (n[:14], n[15:-4], prefix + n, True) for n in FILES]
        assert [(w.file, "not a Supabase migration name" in w.message)
                for w in read.warnings] == [(prefix + "notes.sql", True)]
    until = read_history(root, until="20240102120000")
    assert len(until.migrations) == 2


def test_timestamped_files_elsewhere_need_config_toml_near(tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    flat.mkdir()
    for name, text in FILES.items():
        (flat / name).write_text(text)
    assert detect_format(flat) == "sqlx"
    assert read_history(flat, source_format="supabase").format == "supabase"
    inner = tmp_path / "supabase" / "db"
    inner.mkdir(parents=True)
    (tmp_path / "supabase" / "config.toml").write_text("")
    for name, text in FILES.items():
        (inner / name).write_text(text)
    assert detect_format(inner) == "supabase"


def test_the_cli_skips_an_early_init_dump_and_refuses_a_shared_version(tmp_path: Path) -> None:
    folder = tmp_path / "supabase" / "migrations"
    folder.mkdir(parents=True)
    (folder / "20211208000000_init.sql").write_text("create table dumped (id int);\n")
    (folder / "20240101120000_a.sql").write_text("create table a (id int);\n")
    read = read_history(folder)
    assert [m.path for m in read.migrations] == ["20240101120000_a.sql"]
    assert "early Supabase CLI" in read.warnings[0].message
    (folder / "20240101120000_b.sql").write_text("create table b (id int);\n")
    with pytest.raises(InputError, match="share version 20240101120000.*supabase refuses"):
        read_history(folder)


def test_a_statement_refused_in_a_transaction_reads_outside_one_with_a_warning(
        tmp_path: Path) -> None:
    folder = tmp_path / "supabase" / "migrations"
    folder.mkdir(parents=True)
    (folder / "20240101120000_a.sql").write_text(
        "create table a (id int);\ncreate index concurrently a_id on a (id);\n")
    read = read_history(tmp_path)
    assert read.migrations[0].in_transaction is False
    assert [(w.file, w.line) for w in read.warnings] == [
        ("supabase/migrations/20240101120000_a.sql", 2)]
    assert "one implicit transaction" in read.warnings[0].message


def test_writer_versions_are_fourteen_digits_and_an_early_init_name_is_renamed() -> None:
    supabase = WRITERS["supabase"]
    assert supabase.versions("20240101120000", 2) == ["20240101120000", "20240101120001"]
    assert supabase.versions("1", 1) == ["00000000000001"]
    with pytest.raises(InputError, match="Supabase versions are 14-digit"):
        supabase.versions("99999999999999", 2)
    from schemafold.files import PlannedFile

    file = PlannedFile("init", "init", ("CREATE TABLE a (id int);",))
    assert supabase.files("00000000000001", "init", file)[0][0] == (
        "00000000000001_init_schema.sql")
    assert supabase.files("20240101120000", "init", file)[0][0] == "20240101120000_init.sql"


# ---------------------------------------------------------------------------------------------
# On PostgreSQL, as the Supabase CLI applies a folder


def supabase_up(dsn: str, folder: Path) -> list[str]:
    """Apply ``folder`` as ``supabase migration up`` does: its history table, then each
    migration file in name order, its statements and its row in one transaction (the CLI's
    batch is one implicit transaction). Returns the versions recorded."""
    with connect(dsn) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS supabase_migrations")
        conn.execute("CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations "
                     "(version text NOT NULL PRIMARY KEY, statements text[], name text)")
        for path in sorted(folder.glob("*.sql")):
            version, _, name = path.stem.partition("_")
            statements = [s.text for s in split_sql(path.read_text(), path.name).statements]
            with conn.transaction():
                for statement in statements:
                    conn.execute(statement.encode())
                conn.execute("INSERT INTO supabase_migrations.schema_migrations "
                             "(version, name, statements) VALUES (%s, %s, %s)",
                             (version, name, statements))
        return [r[0] for r in conn.execute(
            "SELECT version FROM supabase_migrations.schema_migrations ORDER BY version")]


def test_history_and_consolidation_applied_as_the_cli_does_build_one_schema(
        tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    root = project(tmp_path / "app")
    out = tmp_path / "out"
    done = run_cli("squash", str(root), "--out", str(out), "--layout", "by-origin")
    assert done.returncode == 0, done.stderr
    assert "supabase file" in done.stdout
    names = sorted(p.name for p in out.glob("*.sql"))
    assert names[0].startswith("20240101120000_") and all(len(n.split("_")[0]) == 14
                                                          for n in names)
    assert "supabase migration up" in (out / "README.md").read_text()
    back = read_history(out, source_format="supabase")
    assert [m.path for m in back.migrations] == names
    ran_history, ran_squash = fresh_db("sb_history"), fresh_db("sb_squash")
    migrations = root / "supabase" / "migrations"
    (migrations / "notes.sql").unlink()  # the CLI skips it; so does this runner's glob
    assert supabase_up(pg_cluster.dsn(ran_history), migrations) == [n[:14] for n in FILES]
    assert supabase_up(pg_cluster.dsn(ran_squash), out) == [n[:14] for n in names]
    for db in (ran_history, ran_squash):
        with connect(pg_cluster.dsn(db)) as conn:
            conn.execute("DROP SCHEMA supabase_migrations CASCADE")
    comparison = compare_databases((pg_cluster, ran_history), (pg_cluster, ran_squash))
    assert comparison.equal, comparison.summary()
