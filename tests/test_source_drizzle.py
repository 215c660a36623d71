"""Drizzle (drizzle-kit) folders: the journal's order and tags, statement breakpoints, the
journal's ``when`` rules, the writer's files and journal; and on PostgreSQL, a history of our
own and its consolidation, each applied as drizzle-orm's migrator applies a folder (every
pending migration in one transaction, split at the breakpoints, recorded in
``drizzle.__drizzle_migrations``), built equal, and a database that ran the history skips the
consolidation; the same with drizzle-orm's own migrator (Node.js, tests/tools/drizzle)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli_run import run_cli
from schemafold.errors import InputError
from schemafold.sources import detect_format, read_history
from schemafold.sources.drizzle import BREAKPOINT, migration_hash
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import connect
from schemafold.writers import write
from schemafold.writers.tools import Drizzle, journal_whens

BP = BREAKPOINT + "\n"


def journal(*entries: tuple[str, int], dialect: str = "postgresql") -> str:
    return json.dumps({"version": "7", "dialect": dialect, "entries": [
        {"idx": i, "version": "7", "when": when, "tag": tag, "breakpoints": True}
        for i, (tag, when) in enumerate(entries)]}, indent=2)


def history(root: Path) -> Path:
    """A small drizzle-kit history of our own: tables, a foreign key added later, an enum, a
    statement without ``;`` before its breakpoint, a CRLF file, a file drizzle does not list."""
    (root / "meta").mkdir(parents=True)
    (root / "0000_brave_wolf.sql").write_text(
        'CREATE TYPE "public"."mood" AS ENUM(\'happy\', \'sad\');\n' + BP
        + 'CREATE TABLE "users" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"name" text\n);\n'
        + BP + 'CREATE TABLE "posts" ("id" serial PRIMARY KEY, "user_id" integer)\n' + BP
        + 'ALTER TABLE "posts" ADD CONSTRAINT "posts_user_fk" FOREIGN KEY ("user_id") '
          'REFERENCES "users"("id");\n')
    (root / "0001_calm_fox.sql").write_bytes(
        b'ALTER TABLE "users" ADD COLUMN "mood" "mood" DEFAULT \'happy\';'
        + BREAKPOINT.encode() + b'\r\nCREATE INDEX "users_name" ON "users" ("name");\r\n'
        + BREAKPOINT.encode() + b'\r\nINSERT INTO "users" ("name") VALUES (\'ann\');\r\n')
    (root / "0002_quiet_owl.sql").write_text(
        'ALTER TABLE "posts" ADD COLUMN "title" text NOT NULL DEFAULT \'\';\n' + BP
        + 'DROP INDEX "users_name";\n')
    (root / "scratch.sql").write_text("CREATE TABLE never (id int);\n")
    (root / "meta" / "_journal.json").write_text(journal(
        ("0000_brave_wolf", 1700000000000), ("0001_calm_fox", 1700000100000),
        ("0002_quiet_owl", 1700000200000)))
    return root


# ---------------------------------------------------------------------------------------------
# Reading


def test_reads_the_journal_in_order_with_breakpoints_as_statement_ends(tmp_path: Path) -> None:
    from schemafold.parse.splitter import split_sql

    folder = history(tmp_path / "drizzle")
    assert detect_format(folder) == "drizzle"
    read = read_history(folder)
    assert read.format == "drizzle"
    assert [(m.version, m.name, m.path, m.in_transaction) for m in read.migrations] == [
        ("0000", "brave_wolf", "0000_brave_wolf.sql", True),
        ("0001", "calm_fox", "0001_calm_fox.sql", True),
        ("0002", "quiet_owl", "0002_quiet_owl.sql", True)]
    first = split_sql(read.migrations[0].text, "0000_brave_wolf.sql").statements
    # the statement without ';' ends at its breakpoint; each keeps its line
    assert [(s.line, s.text.split("(")[0].rstrip()) for s in first] == [
        (1, 'CREATE TYPE "public"."mood" AS ENUM'), (3, 'CREATE TABLE "users"'),
        (8, 'CREATE TABLE "posts"'), (10, 'ALTER TABLE "posts" ADD CONSTRAINT "posts_user_fk" '
                                         'FOREIGN KEY')]
    assert [(w.file, "not in meta/_journal.json" in w.message) for w in read.warnings] == [
        ("scratch.sql", True)]
    until = read_history(folder, until="1")
    assert [m.version for m in until.migrations] == ["0000", "0001"]


def test_the_journal_not_the_file_names_orders_and_a_tag_without_number(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    (folder / "meta").mkdir(parents=True)
    (folder / "0001_b.sql").write_text("CREATE TABLE b (id int);\n")
    (folder / "seed.sql").write_text("CREATE TABLE a (id int);\n")
    (folder / "0001_c.sql").write_text("CREATE TABLE c (id int);\n")
    (folder / "meta" / "_journal.json").write_text(journal(("0001_c", 1), ("seed", 2),
                                                           ("0001_b", 3)))
    read = read_history(folder, strict=True)  # a shared number is nothing to drizzle
    assert [(m.version, m.name) for m in read.migrations] == [
        ("0001", "c"), ("1", "seed"), ("0001", "b")]
    assert read.warnings == ()


def test_journal_warnings_a_when_not_increasing_and_another_dialect(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    (folder / "meta").mkdir(parents=True)
    for tag in ("0000_a", "0001_b"):
        (folder / f"{tag}.sql").write_text(f"CREATE TABLE {tag[-1]} (id int);\n")
    (folder / "meta" / "_journal.json").write_text(
        journal(("0000_a", 1700000000000), ("0001_b", 1690000000000), dialect="mysql"))
    warnings = [(w.file, w.message) for w in read_history(folder).warnings]
    assert warnings[0][0] == "meta/_journal.json" and "'mysql', not 'postgresql'" in warnings[0][1]
    assert warnings[1][0] == "0001_b.sql" and "never runs this one" in warnings[1][1]


def test_a_statement_refused_in_a_transaction_reads_outside_one_with_a_warning(
        tmp_path: Path) -> None:
    folder = tmp_path / "d"
    (folder / "meta").mkdir(parents=True)
    (folder / "0000_a.sql").write_text("CREATE TABLE a (id int);\n" + BP
                                       + "CREATE INDEX CONCURRENTLY a_id ON a (id);\n")
    (folder / "meta" / "_journal.json").write_text(journal(("0000_a", 1)))
    read = read_history(folder)
    assert read.migrations[0].in_transaction is False
    assert [(w.file, w.line) for w in read.warnings] == [("0000_a.sql", 3)]
    assert "runs every pending migration in one transaction" in read.warnings[0].message


@pytest.mark.parametrize(("files", "message"), [
    ({"0000_a.sql": "SELECT 1;\n"}, r"no meta/_journal.json"),
    ({"meta/_journal.json": "{"}, r"not JSON"),
    ({"meta/_journal.json": '{"entries": [{"tag": "0000_a"}]}'}, r"needs a string 'tag' and a "
                                                                  r"number 'when'"),
    ({"meta/_journal.json": journal(("0000_a", 1))}, r"no 0000_a\.sql \(drizzle's migrator "
                                                     r"fails the same way\)"),
])
def test_refuses_what_the_migrator_refuses(tmp_path: Path, files: dict[str, str],
                                           message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    with pytest.raises(InputError, match=message):
        read_history(tmp_path, source_format="drizzle")


def test_migration_hash_is_sha256_hex_of_the_text_its_line_ends_as_read_or_made_lf() -> None:
    text = "CREATE TABLE a (id int);\r\n--> statement-breakpoint\r\nSELECT 1;\r\n"
    lf = hashlib.sha256(b"CREATE TABLE a (id int);\n--> statement-breakpoint\n"
                        b"SELECT 1;\n").hexdigest()
    assert migration_hash(text) == hashlib.sha256(text.encode()).hexdigest() != lf
    assert migration_hash(text, crlf_to_lf=True) == lf == migration_hash(text.replace("\r\n",
                                                                                      "\n"))


# ---------------------------------------------------------------------------------------------
# Writing


def test_journal_whens_default_below_any_real_stamp_or_ending_at_the_last() -> None:
    assert journal_whens(3) == [1, 2, 3]
    assert journal_whens(3, last_when=1700000200000) == [
        1700000199998, 1700000199999, 1700000200000]
    assert journal_whens(0) == []


def test_squash_writes_tags_breakpoints_and_the_journal(tmp_path: Path) -> None:
    folder = history(tmp_path / "drizzle")
    out = tmp_path / "out"
    done = run_cli("squash", str(folder), "--out", str(out), "--layout", "by-origin")
    assert done.returncode == 0, done.stderr
    assert "drizzle file" in done.stdout
    entries = json.loads((out / "meta" / "_journal.json").read_text())["entries"]
    sql = sorted(p.stem for p in out.glob("*.sql"))
    assert [e["tag"] for e in entries] == sql
    assert [e["idx"] for e in entries] == list(range(len(sql)))
    assert [e["when"] for e in entries] == journal_whens(len(sql))
    assert all(e["breakpoints"] is True and e["version"] == "7" for e in entries)
    text = (out / f"{sql[0]}.sql").read_text()
    assert text.startswith(f"SET check_function_bodies = false;\n{BP}")
    assert "drizzle-kit migrate" in (out / "README.md").read_text()
    back = read_history(out)
    assert back.format == "drizzle" and back.warnings == ()


def test_a_writer_given_the_last_when_ends_the_journal_at_it(tmp_path: Path) -> None:
    from schemafold.files import FilePlan, PlannedFile

    plan = FilePlan(layout="demo", move_forward=False, layout_files=(("a", "a"),), items=(),
                    moves=(), files=(PlannedFile("a", "a", ("CREATE TABLE a (id int);",)),
                                     PlannedFile("b", "b", ("CREATE TABLE b (id int);",))))
    files = dict(write(plan, "drizzle", base_version="0",
                       writer=Drizzle(last_when=1700000200000)))
    entries = json.loads(files["meta/_journal.json"])["entries"]
    assert [(e["tag"], e["when"]) for e in entries] == [
        ("0000_a", 1700000199999), ("0001_b", 1700000200000)]


# ---------------------------------------------------------------------------------------------
# On PostgreSQL, as drizzle-orm's migrator runs a folder


def drizzle_migrate(dsn: str, folder: Path) -> int:
    """Apply ``folder`` as drizzle-orm's PostgreSQL migrator does (``PgDialect.migrate``): the
    bookkeeping table if missing, the last row by ``created_at``, then in ONE transaction every
    journal entry whose ``when`` exceeds it, its text split at each breakpoint and each piece
    sent on its own, and a row ``(hash, when)``. Returns how many ran."""
    entries = json.loads((folder / "meta" / "_journal.json").read_text())["entries"]
    ran = 0
    with connect(dsn) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS drizzle")
        conn.execute("CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations "
                     "(id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)")
        last = conn.execute("SELECT created_at FROM drizzle.__drizzle_migrations "
                            "ORDER BY created_at DESC LIMIT 1").fetchone()
        with conn.transaction():
            for entry in entries:
                if last is not None and int(last[0]) >= entry["when"]:
                    continue
                text = (folder / f"{entry['tag']}.sql").read_bytes().decode()
                for piece in text.split(BREAKPOINT):
                    if piece.strip():
                        conn.execute(piece.encode())
                conn.execute("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) "
                             "VALUES (%s, %s)", (migration_hash(text), entry["when"]))
                ran += 1
    return ran


def test_history_and_consolidation_applied_by_the_migrator_build_one_schema(
        tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    folder = history(tmp_path / "drizzle")
    out = tmp_path / "out"
    done = run_cli("squash", str(folder), "--out", str(out), "--layout", "by-origin")
    assert done.returncode == 0, done.stderr
    ran_history, ran_squash = fresh_db("dz_history"), fresh_db("dz_squash")
    assert drizzle_migrate(pg_cluster.dsn(ran_history), folder) == 3
    written = len(list(out.glob("*.sql")))
    assert drizzle_migrate(pg_cluster.dsn(ran_squash), out) == written
    with connect(pg_cluster.dsn(ran_squash)) as conn:
        rows = conn.execute("SELECT hash, created_at FROM drizzle.__drizzle_migrations "
                            "ORDER BY id").fetchall()
    assert rows == [(migration_hash((out / f"{e['tag']}.sql").read_text()), e["when"])
                    for e in json.loads((out / "meta" / "_journal.json").read_text())["entries"]]
    # a database that ran the history skips every entry of the consolidation
    assert drizzle_migrate(pg_cluster.dsn(ran_history), out) == 0
    for db in (ran_history, ran_squash):
        with connect(pg_cluster.dsn(db)) as conn:
            conn.execute("DROP SCHEMA drizzle CASCADE")
    comparison = compare_databases((pg_cluster, ran_history), (pg_cluster, ran_squash))
    assert comparison.equal, comparison.summary()


# ---------------------------------------------------------------------------------------------
# drizzle-orm itself (tests/tools/drizzle: drizzle-orm and node-postgres from the npm registry,
# pinned by its package-lock.json, installed there by `npm ci` on first use)

TOOL = Path(__file__).parent / "tools" / "drizzle"


def drizzle_orm() -> list[str]:
    """The command that runs drizzle-orm's own migrator on a folder (after installing it)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    assert node and npm, "Node.js and npm are needed to run drizzle-orm's own migrator"
    if not (TOOL / "node_modules" / "drizzle-orm").is_dir():
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=TOOL,
                              capture_output=True, text=True, check=False, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    return [node, str(TOOL / "migrate.mjs")]


def run_drizzle_orm(command: list[str], cluster: Cluster, db: str, folder: Path) -> list[list[Any]]:
    url = f"postgres://postgres@{cluster.host}:{cluster.port}/{db}?sslmode=disable"
    done = subprocess.run([*command, url, str(folder)], capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    rows: list[list[Any]] = json.loads(done.stdout)
    return rows


def test_drizzle_orm_itself_applies_history_and_consolidation_alike(
        tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    command = drizzle_orm()
    folder = history(tmp_path / "drizzle")
    (folder / "scratch.sql").unlink()
    folder.joinpath("0003_block.sql").write_text(  # a statement the fold keeps as written
        "DO $$ BEGIN PERFORM count(*) FROM users; END $$;\n" + BP
        + 'ALTER TABLE "users" ADD COLUMN "late" text;\n')
    entries = json.loads((folder / "meta" / "_journal.json").read_text())["entries"]
    entries.append({"idx": 3, "version": "7", "when": 1700000300000, "tag": "0003_block",
                    "breakpoints": True})
    (folder / "meta" / "_journal.json").write_text(json.dumps({"version": "7", "dialect":
                                                               "postgresql", "entries": entries}))
    out = tmp_path / "out"
    done = run_cli("squash", str(folder), "--out", str(out), "--layout", "by-origin")
    assert done.returncode == 0, done.stderr
    ran_history, ran_squash = fresh_db("orm_history"), fresh_db("orm_squash")
    rows = run_drizzle_orm(command, pg_cluster, ran_history, folder)
    assert rows == [[migration_hash((folder / f"{e['tag']}.sql").read_bytes().decode()),
                     e["when"]] for e in entries]
    written = json.loads((out / "meta" / "_journal.json").read_text())["entries"]
    assert run_drizzle_orm(command, pg_cluster, ran_squash, out) == [
        [migration_hash((out / f"{e['tag']}.sql").read_text()), e["when"]] for e in written]
    # the history's database skips the whole consolidation: nothing new is recorded
    assert run_drizzle_orm(command, pg_cluster, ran_history, out) == rows
    for db in (ran_history, ran_squash):
        with connect(pg_cluster.dsn(db)) as conn:
            conn.execute("DROP SCHEMA drizzle CASCADE")
    comparison = compare_databases((pg_cluster, ran_history), (pg_cluster, ran_squash))
    assert comparison.equal, comparison.summary()
