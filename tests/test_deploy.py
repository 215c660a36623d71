"""Squashing part of a history whose databases already ran it: ``squash --upto``, ``adopt`` and
``diff``, proved on a real PostgreSQL with the tools' own rules (dbmate's own binary; sqlx's and
Prisma's bookkeeping read back as the tools read it, checksums recomputed here)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_run import run_cli
from replay_helpers import fixture_settings, history_files, replay_both
from schemafold.api import consolidate_upto
from schemafold.bookkeeping import BOOKKEEPING, flyway_checksum
from schemafold.sources import History, read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import ReplayFile, connect, replay

HISTORIES = Path(__file__).parent / "histories"

#: A history of four steps, each depending on the one before (written here for these tests).
STEPS = [
    ("create_accounts", "CREATE TABLE account (id serial PRIMARY KEY, email text NOT NULL);\n"
     "CREATE INDEX account_email_idx ON account (email);\n"),
    ("rename_email", "ALTER TABLE account RENAME COLUMN email TO login;\n"
     "ALTER TABLE account ADD COLUMN created timestamptz DEFAULT now();\n"),
    ("add_orders", "CREATE TABLE orders (id serial PRIMARY KEY,\n"
     "    account_id int REFERENCES account (id), total numeric(10, 2));\n"
     "DROP INDEX account_email_idx;\n"),
    ("order_view", "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;\n"
     "COMMENT ON TABLE orders IS 'what accounts bought';\n"),
]


def write_history(folder: Path, tool: str) -> Path:
    """STEPS as ``tool``'s files in ``folder``."""
    folder.mkdir(parents=True)
    for number, (name, sql) in enumerate(STEPS, 1):
        version = f"2024010100000{number}"
        if tool == "dbmate":
            (folder / f"{version}_{name}.sql").write_text(
                f"-- migrate:up\n{sql}\n-- migrate:down\n")
        elif tool == "sqlx":
            (folder / f"{number:04d}_{name}.sql").write_text(sql)
        elif tool == "prisma":
            (folder / f"{version}_{name}").mkdir()
            (folder / f"{version}_{name}" / "migration.sql").write_text(sql)
        elif tool == "flyway":
            (folder / f"V{number}__{name}.sql").write_text(sql)
        elif tool == "goose":
            (folder / f"{number:05d}_{name}.sql").write_text(
                f"-- +goose Up\n{sql}\n-- +goose Down\n")
        elif tool == "golang-migrate":
            (folder / f"{number:06d}_{name}.up.sql").write_text(sql)
            (folder / f"{number:06d}_{name}.down.sql").write_text("-- no way back\n")
        elif tool == "diesel":
            sub = folder / f"2024-01-01-00000{number}_{name}"
            sub.mkdir()
            (sub / "up.sql").write_text(sql)
            (sub / "down.sql").write_text("-- no way back\n")
        elif tool == "drizzle":
            pieces = [p.strip() for p in sql.split(";\n") if p.strip()]
            (folder / f"{number - 1:04d}_{name}.sql").write_text(
                "\n--> statement-breakpoint\n".join(p + ";" for p in pieces) + "\n")
        elif tool == "supabase":
            (folder / "supabase" / "migrations").mkdir(parents=True, exist_ok=True)
            (folder / "supabase" / "migrations" / f"{version}_{name}.sql").write_text(sql)
        elif tool == "atlas":
            (folder / f"{version}_{name}.sql").write_text(sql)
        elif tool == "sql-migrate":
            (folder / f"{number}_{name}.sql").write_text(f"-- +migrate Up\n{sql}")
        elif tool == "tern":
            (folder / f"{number:03d}_{name}.sql").write_text(sql)
        elif tool == "postgres-migrations":
            (folder / f"{number}-{name}.sql").write_text(sql)
        elif tool == "liquibase":
            (folder / f"{number}_{name}.sql").write_text(
                f"--liquibase formatted sql\n\n--changeset test:{name}\n{sql}")
    if tool == "prisma":
        (folder / "migration_lock.toml").write_text('provider = "postgresql"\n')
    if tool == "drizzle":
        (folder / "meta").mkdir()
        entries = [{"idx": n, "version": "7", "when": DRIZZLE_WHEN + 1000 * n,
                    "tag": f"{n:04d}_{name}", "breakpoints": True}
                   for n, (name, _) in enumerate(STEPS)]
        (folder / "meta" / "_journal.json").write_text(json.dumps(
            {"version": "7", "dialect": "postgresql", "entries": entries}, indent=2))
        for n in range(len(STEPS)):
            (folder / "meta" / f"{n:04d}_snapshot.json").write_text(f'{{"n": {n}}}\n')
    if tool == "atlas":
        (folder / "atlas.sum").write_text(atlas_sum(folder))
    return folder


#: drizzle-kit stamps a journal entry with the time in milliseconds
DRIZZLE_WHEN = 1704067200000


def atlas_sum(folder: Path) -> str:
    """atlas.sum computed here, independently: one running SHA-256 fed each file's name then
    its bytes, in name order; each file's hash the state so far; the first line the SHA-256 of
    every name and hash."""
    import base64

    running, total, lines = hashlib.sha256(), hashlib.sha256(), []
    for path in sorted(folder.glob("*.sql")):
        running.update(path.name.encode())
        running.update(path.read_bytes())
        value = base64.b64encode(running.copy().digest()).decode()
        total.update(path.name.encode())
        total.update(value.encode())
        lines.append(f"{path.name} h1:{value}\n")
    return f"h1:{base64.b64encode(total.digest()).decode()}\n" + "".join(lines)


def write_out(folder: Path, files: tuple[tuple[str, str], ...]) -> Path:
    for name, text in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


# ---------------------------------------------------------------------------------------------
# squash --upto


def test_upto_copies_later_files_byte_for_byte_and_reuses_versions(tmp_path: Path) -> None:
    history = write_history(tmp_path / "h", "dbmate")
    crlf = history / "20240101000004_order_view.sql"
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))  # kept as it is
    upto = consolidate_upto(history, "20240101000002")
    assert [w.path for w in upto.written] == ["20240101000002_schema.sql"]
    names = [name for name, _ in upto.files]
    assert names == ["20240101000002_schema.sql", "20240101000003_add_orders.sql",
                     "20240101000004_order_view.sql", "README.md"]
    out = write_out(tmp_path / "o", upto.files)
    for later in ("20240101000003_add_orders.sql", "20240101000004_order_view.sql"):
        assert (out / later).read_bytes() == (history / later).read_bytes()
    readme = (out / "README.md").read_text()
    assert "**Existing databases**" in readme and "**Fresh databases**" in readme


def test_upto_unknown_version_is_one_line_exit_2(tmp_path: Path) -> None:
    history = write_history(tmp_path / "h", "sqlx")
    done = run_cli("squash", str(history), "--upto", "0042", "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "--upto 0042: no sqlx migration has that version" in done.stderr


def test_upto_companions_are_copied(tmp_path: Path) -> None:
    history = write_history(tmp_path / "h", "prisma")
    (history / "20240101000004_order_view" / "notes.txt").write_text("kept\n")
    upto = consolidate_upto(history, "20240101000002")
    names = [name for name, _ in upto.files]
    assert "20240101000004_order_view/notes.txt" in names
    assert "20240101000003_add_orders/migration.sql" in names
    assert "migration_lock.toml" in names


def test_flyway_upto_writes_a_baseline_that_squashes_again(tmp_path: Path) -> None:
    history = write_history(tmp_path / "h", "flyway")
    upto = consolidate_upto(history, "2")
    assert [w.path for w in upto.written] == ["B2__schema.sql"]
    out = write_out(tmp_path / "o", upto.files)
    read = read_history(out)
    assert [m.path for m in read.migrations] == ["B2__schema.sql", "V3__add_orders.sql",
                                                 "V4__order_view.sql"]
    again = consolidate_upto(out, "3")
    assert [w.path for w in again.written] == ["B3__schema.sql"]
    assert [name for name, _ in again.files] == ["B3__schema.sql", "V4__order_view.sql",
                                                 "README.md"]


def test_flyway_checksum_is_crc32_of_the_lines() -> None:
    # independent: java.util.zip.CRC32 over the lines' bytes without breaks, as a signed int
    import binascii

    expected = binascii.crc32(b"CREATE TABLE t ();" + b"SELECT 1;")
    expected = expected - (1 << 32) if expected >= 1 << 31 else expected
    assert flyway_checksum(b"CREATE TABLE t ();\r\nSELECT 1;\n") == expected
    assert flyway_checksum(b"\xef\xbb\xbfCREATE TABLE t ();\nSELECT 1;") == expected


#: The fixture histories of several files; those creating roles are left out, as roles are
#: cluster-wide and the module's clusters serve every example.
HISTORY_NAMES = sorted(
    p.name for p in HISTORIES.iterdir()
    if p.is_dir() and len(list(p.glob("*.sql"))) >= 2
    and not any("CREATE ROLE" in f.read_text().upper() for f in p.rglob("*.sql")))


@settings(max_examples=int(os.environ.get("SCHEMAFOLD_UPTO_EXAMPLES", "4")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_squash_upto_then_later_files_replays_as_the_history(
        data: st.DataObject, clusters: tuple[Cluster, Cluster]) -> None:
    name = data.draw(st.sampled_from(HISTORY_NAMES), label="history")
    folder = HISTORIES / name
    history = read_history(folder)
    k = data.draw(st.integers(0, len(history.migrations) - 1), label="split")
    fixture = fixture_settings(folder)
    upto = consolidate_upto(folder, history.migrations[k].version, setup=fixture.setup,
                            search_path=fixture.search_path)
    out = write_out(Path(f"/tmp/schemafold-upto-{uuid.uuid4().hex[:8]}"), upto.files)
    try:
        comparison = replay_both(clusters, history_files(folder), history_files(out),
                                 explicit_positions=fixture.sequences, settings=fixture)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    assert comparison.equal, comparison.summary()


#: The tools whose output folder has more than the files (a journal, atlas.sum), or whose
#: later files are renamed (tern)
FOLDER_TOOLS = ["drizzle", "supabase", "atlas", "sql-migrate", "tern", "liquibase"]


def as_tool(history: History, tool: str, folder: Path) -> Path:
    """``history``'s migrations written as ``tool``'s files in ``folder``."""
    from schemafold.parse.splitter import split_sql
    from schemafold.writers.tools import SqlMigrate

    folder.mkdir(parents=True)
    entries = []
    for n, m in enumerate(history.migrations, 1):
        name = f"step{n}"
        pieces = [s.text.strip() + ";" for s in split_sql(m.text, m.path).statements]
        if tool == "drizzle":
            tag = f"{n - 1:04d}_{name}"
            (folder / f"{tag}.sql").write_text("\n--> statement-breakpoint\n".join(pieces) + "\n")
            entries.append({"idx": n - 1, "version": "7", "when": DRIZZLE_WHEN + 1000 * n,
                            "tag": tag, "breakpoints": True})
        elif tool == "supabase":
            (folder / "supabase" / "migrations").mkdir(parents=True, exist_ok=True)
            (folder / "supabase" / "migrations" / f"202401010000{n:02d}_{name}.sql").write_text(
                m.text)
        elif tool == "atlas":
            (folder / f"202401010000{n:02d}_{name}.sql").write_text(m.text)
        elif tool == "sql-migrate":
            (folder / f"{n}_{name}.sql").write_text(
                "-- +migrate Up\n" + "\n".join(SqlMigrate.statement(p) for p in pieces) + "\n")
        elif tool == "liquibase":
            (folder / f"{n:02d}_{name}.sql").write_text(
                f"--liquibase formatted sql\n\n--changeset t:{name} splitStatements:false\n"
                + m.text)
        else:
            (folder / f"{n:03d}_{name}.sql").write_text(m.text)
    if tool == "drizzle":
        (folder / "meta").mkdir()
        (folder / "meta" / "_journal.json").write_text(json.dumps(
            {"version": "7", "dialect": "postgresql", "entries": entries}, indent=2))
    if tool == "atlas":
        (folder / "atlas.sum").write_text(atlas_sum(folder))
    return folder


#: fixture histories every tool runs as written: each file in one transaction, no template
#: braces (tern)
FOLDER_HISTORIES = [
    name for name in HISTORY_NAMES
    if all(m.in_transaction and "{{" not in m.text
           for m in read_history(HISTORIES / name).migrations)]


@settings(max_examples=int(os.environ.get("SCHEMAFOLD_UPTO_EXAMPLES", "4")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_squash_upto_keeps_each_tools_folder_readable(
        data: st.DataObject, clusters: tuple[Cluster, Cluster], tmp_path_factory) -> None:
    """At any split point, the output folder read back by the tool's own reader (journal,
    atlas.sum, renumbered tern files) replays as the history."""
    tool = data.draw(st.sampled_from(FOLDER_TOOLS), label="tool")
    name = data.draw(st.sampled_from(FOLDER_HISTORIES), label="history")
    fixture = fixture_settings(HISTORIES / name)
    original = read_history(HISTORIES / name)
    base = tmp_path_factory.mktemp("folder")
    folder = as_tool(original, tool, base / "h")
    history = read_history(folder, source_format=tool)
    k = data.draw(st.integers(0, len(history.migrations) - 1), label="split")
    upto = consolidate_upto(folder, history.migrations[k].version, source_format=tool,
                            setup=fixture.setup, search_path=fixture.search_path)
    out = write_out(base / "o", upto.files)
    read = read_history(out, source_format=tool)
    assert not [w for w in read.warnings if "atlas.sum" in w.message or "journal" in w.message]
    assert len(read.migrations) == len(upto.written) + len(history.migrations) - k - 1
    if tool == "atlas":
        assert (out / "atlas.sum").read_text() == atlas_sum(out)
    comparison = replay_both(clusters, history_files(HISTORIES / name), history_files(read),
                             explicit_positions=fixture.sequences, settings=fixture)
    assert comparison.equal, comparison.summary()


# ---------------------------------------------------------------------------------------------
# adopt with dbmate's own binary


def dbmate(url: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["dbmate", "--url", url, "--migrations-dir", str(folder),
                           "--no-dump-schema", *args], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    return done


def dbmate_url(cluster: Cluster, db: str) -> str:
    return f"postgres://postgres@{cluster.host}:{cluster.port}/{db}?sslmode=disable"


@pytest.mark.parametrize("k", [1, 2, 3])
def test_dbmate_adopt_then_up_equals_a_fresh_build(k: int, tmp_path: Path, pg_cluster: Cluster,
                                                   fresh_db) -> None:
    history = write_history(tmp_path / "h", "dbmate")
    ran = tmp_path / "ran"
    ran.mkdir()
    for path in sorted(history.iterdir())[:k]:
        shutil.copy(path, ran / path.name)
    live = fresh_db("live")
    dbmate(dbmate_url(pg_cluster, live), ran, "up")
    squashed = tmp_path / "squashed"
    version = f"2024010100000{k}"
    done = run_cli("squash", str(history), "--upto", version, "--out", str(squashed))
    assert done.returncode == 0, done.stderr
    done = run_cli("adopt", str(history), "--upto", version, "--dsn", pg_cluster.dsn(live))
    assert done.returncode == 0, done.stdout + done.stderr
    status = dbmate(dbmate_url(pg_cluster, live), squashed, "status")
    assert f"Pending: {len(STEPS) - k}" in status.stdout, status.stdout  # the later files only
    dbmate(dbmate_url(pg_cluster, live), squashed, "up")
    fresh = fresh_db("fresh")
    dbmate(dbmate_url(pg_cluster, fresh), squashed, "up")
    assert "Pending: 0" in dbmate(dbmate_url(pg_cluster, live), squashed, "status").stdout
    comparison = compare_databases((pg_cluster, live), (pg_cluster, fresh))
    assert comparison.equal, comparison.summary()


def test_dbmate_adopt_creates_the_table_dbmate_creates(tmp_path: Path, pg_cluster: Cluster,
                                                      fresh_db) -> None:
    """A database that ran the history by other means: adopt creates dbmate's own table."""
    history = write_history(tmp_path / "h", "dbmate")
    live = fresh_db("live")
    replay(pg_cluster.dsn(live), history_files(read_history(history, until="20240101000002")))
    done = run_cli("adopt", str(history), "--upto", "20240101000002", "--dsn",
                   pg_cluster.dsn(live))
    assert done.returncode == 0, done.stdout + done.stderr
    squashed = write_out(tmp_path / "s", consolidate_upto(history, "20240101000002").files)
    dbmate(dbmate_url(pg_cluster, live), squashed, "up")
    fresh = fresh_db("fresh")
    dbmate(dbmate_url(pg_cluster, fresh), squashed, "up")
    comparison = compare_databases((pg_cluster, live), (pg_cluster, fresh))
    assert comparison.equal, comparison.summary()


def test_dbmate_without_adopt_skips_the_consolidation(tmp_path: Path, pg_cluster: Cluster,
                                                      fresh_db) -> None:
    """The consolidation's file takes a version the database recorded: dbmate skips it."""
    history = write_history(tmp_path / "h", "dbmate")
    ran = tmp_path / "ran"
    ran.mkdir()
    for path in sorted(history.iterdir())[:2]:
        shutil.copy(path, ran / path.name)
    live = fresh_db("live")
    dbmate(dbmate_url(pg_cluster, live), ran, "up")
    squashed = write_out(tmp_path / "s", consolidate_upto(history, "20240101000002").files)
    assert "Pending: 2" in dbmate(dbmate_url(pg_cluster, live), squashed, "status").stdout


# ---------------------------------------------------------------------------------------------
# adopt for sqlx and Prisma: their tables read back as the tools read them


def migrate_as_sqlx(dsn: str, folder: Path, count: int | None = None) -> None:
    """What ``sqlx migrate run`` does (for the first ``count`` files): check what is recorded,
    then run each pending file in a transaction and record it with the SHA-384 of its text."""
    with connect(dsn) as conn:
        conn.execute(BOOKKEEPING["sqlx"].ddl)
    pending = sqlx_pending(dsn, folder)
    files = [folder / name for name in pending][:count]
    for p in files:
        replay(dsn, [ReplayFile(p.name, p.read_text())])
        version, _, rest = p.name.partition("_")
        with connect(dsn) as conn:
            conn.execute("INSERT INTO _sqlx_migrations (version, description, success, "
                         "checksum, execution_time) VALUES (%s, %s, true, %s, 0)",
                         [int(version), rest[:-4].replace("_", " "),
                          hashlib.sha384(p.read_bytes()).digest()])


def sqlx_pending(dsn: str, folder: Path) -> list[str]:
    """sqlx's checks: every recorded version has its file, with the same checksum; the files
    not recorded are pending."""
    with connect(dsn) as conn:
        applied = dict(conn.execute("SELECT version, checksum FROM _sqlx_migrations "
                                    "ORDER BY version").fetchall())
    files = {int(p.name.partition("_")[0]): p for p in folder.glob("*.sql")}
    for version, checksum in applied.items():
        assert version in files, f"sqlx: migration {version} was applied but is missing"
        assert bytes(checksum) == hashlib.sha384(files[version].read_bytes()).digest(), (
            f"sqlx: migration {version} was previously applied but has been modified")
    return [files[v].name for v in sorted(files) if v not in applied]


def test_sqlx_adopt(tmp_path: Path, pg_cluster: Cluster, fresh_db) -> None:
    history = write_history(tmp_path / "h", "sqlx")
    live = fresh_db("live")
    migrate_as_sqlx(pg_cluster.dsn(live), history, 3)
    squashed = write_out(tmp_path / "s", consolidate_upto(history, "0003").files)
    with pytest.raises(AssertionError, match="missing|modified"):
        sqlx_pending(pg_cluster.dsn(live), squashed)  # what sqlx says without adopt
    dry = run_cli("adopt", str(history), "--upto", "0003", "--dsn", pg_cluster.dsn(live),
                  "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "DELETE FROM _sqlx_migrations" in dry.stdout and dry.stdout.rstrip().endswith(
        "COMMIT;")
    with pytest.raises(AssertionError):
        sqlx_pending(pg_cluster.dsn(live), squashed)  # --dry-run changed nothing
    done = run_cli("adopt", str(history), "--upto", "0003", "--dsn", pg_cluster.dsn(live))
    assert done.returncode == 0, done.stdout + done.stderr
    assert sqlx_pending(pg_cluster.dsn(live), squashed) == ["0004_order_view.sql"]
    migrate_as_sqlx(pg_cluster.dsn(live), squashed)
    fresh = fresh_db("fresh")
    migrate_as_sqlx(pg_cluster.dsn(fresh), squashed)
    comparison = compare_databases((pg_cluster, live), (pg_cluster, fresh))
    assert comparison.equal, comparison.summary()
    with connect(pg_cluster.dsn(live)) as conn:
        rows = conn.execute("SELECT version, description, success FROM _sqlx_migrations "
                            "ORDER BY version").fetchall()
    assert rows == [(3, "schema", True), (4, "order view", True)]


def test_prisma_adopt(tmp_path: Path, pg_cluster: Cluster, fresh_db) -> None:
    history = write_history(tmp_path / "h", "prisma")
    live = fresh_db("live")
    dsn = pg_cluster.dsn(live)
    folders = sorted(p for p in history.iterdir() if p.is_dir())
    with connect(dsn) as conn:
        conn.execute(BOOKKEEPING["prisma"].ddl)
    replay(dsn, [ReplayFile(p.name, (p / "migration.sql").read_text()) for p in folders[:2]])
    with connect(dsn) as conn:
        for p in folders[:2]:
            conn.execute(
                "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, "
                "started_at, applied_steps_count) VALUES (%s, %s, now(), %s, now(), 1)",
                [str(uuid.uuid4()), hashlib.sha256((p / "migration.sql").read_bytes())
                 .hexdigest(), p.name])
    squashed = write_out(tmp_path / "s", consolidate_upto(history, "20240101000002").files)
    done = run_cli("adopt", str(history), "--upto", "20240101000002", "--dsn", dsn)
    assert done.returncode == 0, done.stdout + done.stderr
    with connect(dsn) as conn:
        rows = conn.execute("SELECT migration_name, checksum, finished_at IS NOT NULL, "
                            "rolled_back_at, applied_steps_count FROM _prisma_migrations "
                            "ORDER BY migration_name").fetchall()
    on_disk = {p.name: p for p in squashed.iterdir() if p.is_dir()}
    # as `prisma migrate deploy` reads it: every row finished, its folder there, same checksum
    for name, checksum, finished, rolled_back, steps in rows:
        assert name in on_disk and finished and rolled_back is None and steps == 1
        assert checksum == hashlib.sha256((on_disk[name] / "migration.sql").read_bytes()
                                          ).hexdigest()
    assert [r[0] for r in rows] == ["20240101000002_schema"]
    pending = sorted(set(on_disk) - {r[0] for r in rows})
    assert pending == ["20240101000003_add_orders", "20240101000004_order_view"]


# ---------------------------------------------------------------------------------------------
# refusing a database that differs; diff


def test_adopt_refuses_a_database_that_differs(tmp_path: Path, pg_cluster: Cluster,
                                               fresh_db) -> None:
    history = write_history(tmp_path / "h", "sqlx")
    live = fresh_db("live")
    migrate_as_sqlx(pg_cluster.dsn(live), history, 2)
    with connect(pg_cluster.dsn(live)) as conn:
        conn.execute("ALTER TABLE account ADD COLUMN hotfix boolean")
        before = conn.execute("SELECT version FROM _sqlx_migrations ORDER BY 1").fetchall()
    done = run_cli("adopt", str(history), "--upto", "0002", "--dsn", pg_cluster.dsn(live))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "changed: table public.account" in done.stdout
    assert "hotfix" in done.stdout
    assert "refusing to adopt" in done.stderr
    with connect(pg_cluster.dsn(live)) as conn:
        assert conn.execute("SELECT version FROM _sqlx_migrations ORDER BY 1").fetchall() == before


def test_diff_equal_then_drift(tmp_path: Path, pg_cluster: Cluster, fresh_db) -> None:
    history = write_history(tmp_path / "h", "sqlx")
    live = fresh_db("live")
    migrate_as_sqlx(pg_cluster.dsn(live), history, 4)
    done = run_cli("diff", str(history), "--dsn", pg_cluster.dsn(live))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "NO DRIFT" in done.stdout and "_sqlx_migrations" in done.stdout
    with connect(pg_cluster.dsn(live)) as conn:
        conn.execute("CREATE INDEX orders_total_idx ON orders (total)")
    done = run_cli("diff", str(history), "--dsn", pg_cluster.dsn(live), "--format", "json")
    assert done.returncode == 1, done.stdout + done.stderr
    import json

    report = json.loads(done.stdout)
    assert [(d["kind"], d["name"], d["status"]) for d in report["differences"]] == [
        ("index", "public.orders_total_idx", "extra")]
    done = run_cli("diff", str(history), "--dsn", pg_cluster.dsn(live), "--until", "0003")
    assert done.returncode == 1
    assert "only in the database: view public.big_orders" in done.stdout


# ---------------------------------------------------------------------------------------------
# adopt for the other tools: their tables read back as each tool reads them


def second_version(tool: str) -> str:
    return {"goose": "00002", "golang-migrate": "000002", "diesel": "2024-01-01-000002",
            "flyway": "2"}[tool]


@pytest.mark.parametrize("tool", ["goose", "golang-migrate", "diesel", "flyway"])
def test_adopt_writes_what_the_tool_reads(tool: str, tmp_path: Path, pg_cluster: Cluster,
                                          fresh_db) -> None:
    history = write_history(tmp_path / "h", tool)
    live = fresh_db("live")
    dsn = pg_cluster.dsn(live)
    replay(dsn, history_files(read_history(history, until=second_version(tool))))
    version = second_version(tool)
    squashed = write_out(tmp_path / "s", consolidate_upto(history, version).files)
    done = run_cli("adopt", str(history), "--upto", version, "--dsn", dsn)
    assert done.returncode == 0, done.stdout + done.stderr
    with connect(dsn) as conn:
        if tool == "goose":
            applied = {r[0] for r in conn.execute(
                "SELECT version_id FROM goose_db_version WHERE is_applied").fetchall()}
            on_disk = {int(p.name.split("_")[0]) for p in squashed.glob("*.sql")}
            # goose: no file below the highest applied version may be unapplied
            assert applied == {0, 2}
            assert {v for v in on_disk - applied if v < max(applied)} == set()
            assert on_disk - applied == {3, 4}
        elif tool == "golang-migrate":
            rows = conn.execute("SELECT version, dirty FROM schema_migrations").fetchall()
            assert rows == [(2, False)]
            assert (squashed / "000002_schema.up.sql").is_file()  # versionExists(2)
            assert (squashed / "000003_add_orders.down.sql").read_text() == "-- no way back\n"
        elif tool == "diesel":
            rows = conn.execute("SELECT version FROM __diesel_schema_migrations").fetchall()
            assert rows == [("20240101000002",)]
            folders = sorted(p.name for p in squashed.iterdir() if p.is_dir())
            assert folders[0] == "2024-01-01-000002_schema"
        else:
            import binascii

            rows = conn.execute(
                "SELECT installed_rank, version, description, type, script, checksum, "
                "success FROM flyway_schema_history").fetchall()
            lines = (squashed / "B2__schema.sql").read_bytes().split(b"\n")
            crc = binascii.crc32(b"".join(lines[:-1] if lines[-1] == b"" else lines))
            crc = crc - (1 << 32) if crc >= 1 << 31 else crc
            assert rows == [(1, "2", "schema", "SQL_BASELINE", "B2__schema.sql", crc, True)]


def test_adopt_refuses_a_database_that_has_not_recorded_every_replaced_migration(
        tmp_path: Path, pg_cluster: Cluster, fresh_db) -> None:
    history = write_history(tmp_path / "h", "sqlx")
    live = fresh_db("live")
    migrate_as_sqlx(pg_cluster.dsn(live), history, 3)
    with connect(pg_cluster.dsn(live)) as conn:
        conn.execute("DELETE FROM _sqlx_migrations WHERE version = 2")
    done = run_cli("adopt", str(history), "--upto", "0003", "--dsn", pg_cluster.dsn(live))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "does not record 1 of the migrations up to 0003 as applied (0002_rename_email.sql)" \
        in done.stderr
    with connect(pg_cluster.dsn(live)) as conn:
        assert conn.execute("SELECT version FROM _sqlx_migrations ORDER BY 1").fetchall() == [
            (1,), (3,)]


def test_flyway_reads_the_highest_baseline_in_place_of_the_versions_below(tmp_path: Path) -> None:
    """As a fresh `flyway migrate` does: the highest B, then the versions above it."""
    folder = tmp_path / "f"
    folder.mkdir()
    for name in ("V1__a.sql", "V2__b.sql", "B1__old.sql", "B2__base.sql", "V3__c.sql"):
        (folder / name).write_text("SELECT 1;\n")
    assert [m.path for m in read_history(folder).migrations] == ["B2__base.sql", "V3__c.sql"]


# ---------------------------------------------------------------------------------------------
# Drizzle, Supabase, Atlas, sql-migrate, tern: each tool's rules as it applies them (sql-migrate
# its own binary; the others read back here as their sources read their tables)


def drizzle_pending(dsn: str, folder: Path) -> list[str]:
    """drizzle-orm's migrate(): the journal's entries whose `when` exceeds the `created_at` of
    the last row by created_at."""
    entries = json.loads((folder / "meta" / "_journal.json").read_text())["entries"]
    for e in entries:
        assert (folder / f"{e['tag']}.sql").is_file(), f"No file {e['tag']}.sql found"
    with connect(dsn) as conn:
        conn.execute(BOOKKEEPING["drizzle"].ddl)
        row = conn.execute("SELECT created_at FROM drizzle.__drizzle_migrations "
                           "ORDER BY created_at DESC LIMIT 1").fetchone()
    return [f"{e['tag']}.sql" for e in entries if row is None or int(row[0]) < e["when"]]


def migrate_as_drizzle(dsn: str, folder: Path, count: int | None = None) -> None:
    whens = {f"{e['tag']}.sql": e["when"] for e in json.loads(
        (folder / "meta" / "_journal.json").read_text())["entries"]}
    for name in drizzle_pending(dsn, folder)[:count]:
        text = (folder / name).read_text()
        replay(dsn, [ReplayFile(name, text)])
        with connect(dsn) as conn:
            conn.execute("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) "
                         "VALUES (%s, %s)", [hashlib.sha256(text.encode()).hexdigest(),
                                             whens[name]])


def supabase_pending(dsn: str, folder: Path) -> list[str]:
    """The Supabase CLI's FindPendingMigrations: every recorded version must be a local file;
    no unrecorded local file may come before the last recorded one."""
    local = sorted(p.name for p in (folder / "supabase" / "migrations").glob("*.sql"))
    with connect(dsn) as conn:
        conn.execute(BOOKKEEPING["supabase"].ddl)
        remote = sorted(r[0] for r in conn.execute(
            "SELECT version FROM supabase_migrations.schema_migrations").fetchall())
    versions = [n.split("_", 1)[0] for n in local]
    missing = [v for v in remote if v not in versions]
    assert not missing, f"Remote migration versions not found in local migrations directory: " \
        f"{missing}"
    pending = [n for n, v in zip(local, versions, strict=True) if v not in remote]
    assert not remote or all(n.split("_", 1)[0] > remote[-1] for n in pending), (
        "Found local migration files to be inserted before the last migration on remote")
    return pending


def migrate_as_supabase(dsn: str, folder: Path, count: int | None = None) -> None:
    for name in supabase_pending(dsn, folder)[:count]:
        text = (folder / "supabase" / "migrations" / name).read_text()
        replay(dsn, [ReplayFile(name, text)])
        version, _, rest = name.partition("_")
        with connect(dsn) as conn:
            conn.execute("INSERT INTO supabase_migrations.schema_migrations (version, name, "
                         "statements) VALUES (%s, %s, %s)",
                         [version, rest[:-4], [s.strip() for s in text.split(";\n")
                                               if s.strip()]])


def atlas_pending(dsn: str, folder: Path) -> list[str]:
    """Atlas's Pending: atlas.sum must match; the last revision's version must be a file; the
    files after it are pending (that one too when partly applied)."""
    assert (folder / "atlas.sum").read_text() == atlas_sum(folder), "checksum mismatch"
    names = sorted(p.name for p in folder.glob("*.sql"))
    with connect(dsn) as conn:
        conn.execute(BOOKKEEPING["atlas"].ddl)
        revs = conn.execute("SELECT version, applied, total FROM "
                            "atlas_schema_revisions.atlas_schema_revisions "
                            "ORDER BY version").fetchall()
    if not revs:
        return names
    last, applied, total = revs[-1]
    found = [i for i, n in enumerate(names) if n.split("_", 1)[0] == last]
    assert found, f"version {last!r} exists in revisions table was not found in the directory"
    index = found[-1] + (1 if applied == total else 0)
    return names[index:]


def migrate_as_atlas(dsn: str, folder: Path, count: int | None = None) -> None:
    sums = dict(line.split(" h1:") for line in
                (folder / "atlas.sum").read_text().splitlines()[1:])
    for name in atlas_pending(dsn, folder)[:count]:
        replay(dsn, [ReplayFile(name, (folder / name).read_text())])
        version, _, rest = name.partition("_")
        with connect(dsn) as conn:
            conn.execute(
                "INSERT INTO atlas_schema_revisions.atlas_schema_revisions (version, "
                "description, type, applied, total, executed_at, execution_time, hash, "
                "operator_version) VALUES (%s, %s, 2, 1, 1, now(), 0, %s, 'test')",
                [version, rest[:-4], sums[name]])


def tern_pending(dsn: str, folder: Path) -> list[str]:
    """tern: files numbered 1..N without a gap; schema_version's one row is the last applied;
    a version above N is refused."""
    names = sorted(folder.glob("*.sql"), key=lambda p: int(p.name.split("_", 1)[0]))
    assert [int(p.name.split("_", 1)[0]) for p in names] == list(range(1, len(names) + 1))
    with connect(dsn) as conn:
        conn.execute(BOOKKEEPING["tern"].ddl)
        conn.execute("INSERT INTO schema_version (version) SELECT 0 "
                     "WHERE NOT EXISTS (SELECT FROM schema_version)")
        (current,) = conn.execute("SELECT version FROM schema_version").fetchone()
    assert current <= len(names), f"current version {current} is greater than last version"
    return [p.name for p in names[current:]]


def migrate_as_tern(dsn: str, folder: Path, count: int | None = None) -> None:
    for name in tern_pending(dsn, folder)[:count]:
        replay(dsn, [ReplayFile(name, (folder / name).read_text())])
        with connect(dsn) as conn:
            conn.execute("UPDATE schema_version SET version = %s", [int(name.split("_")[0])])


def sql_migrate(dsn_parts: tuple[str, int, str], folder: Path, *args: str
                ) -> subprocess.CompletedProcess[str]:
    host, port, db = dsn_parts
    config = folder.parent / f"dbconfig-{folder.name}-{db}.yml"
    config.write_text(f"test:\n  dialect: postgres\n  datasource: host={host} port={port} "
                      f"user=postgres dbname={db} sslmode=disable\n  dir: {folder}\n")
    return subprocess.run(["sql-migrate", *args, f"-config={config}", "-env=test"],
                          capture_output=True, text=True, check=False, timeout=120)


def pgm_pending(dsn: str, folder: Path) -> list[str]:
    """postgres-migrations: ids consecutive from 1 ("Found a non-consecutive migration ID"),
    each migration it ran recorded in ``migrations`` with the SHA-1 of its file name and
    contents, which must still match ("Hashes don't match"); pending: the ids not recorded."""
    names = sorted(folder.glob("*.sql"), key=lambda p: int(p.name.split("_")[0].split("-")[0]))
    ids = [int(p.name.split("_")[0].split("-")[0]) for p in names]
    assert ids == list(range(1, len(names) + 1)), f"Found a non-consecutive migration ID {ids}"
    with connect(dsn) as conn:
        conn.execute(BOOKKEEPING["postgres-migrations"].ddl)
        rows = dict(conn.execute("SELECT id, hash FROM migrations").fetchall())
    for number, path in zip(ids, names, strict=True):
        if number in rows:
            digest = hashlib.sha1((path.name + path.read_text()).encode()).hexdigest()
            assert rows[number] == digest, f"Hashes don't match for migration {path.name}"
    return [p.name for n, p in zip(ids, names, strict=True) if n not in rows]


def migrate_as_pgm(dsn: str, folder: Path, count: int | None = None) -> None:
    for name in pgm_pending(dsn, folder)[:count]:
        text = (folder / name).read_text()
        replay(dsn, [ReplayFile(name, text)])
        number = int(name.split("_")[0].split("-")[0])
        label = name[len(str(number)):].lstrip("0")
        with connect(dsn) as conn:
            conn.execute("INSERT INTO migrations (id, name, hash) VALUES (%s, %s, %s)",
                         [number, name.split("_", 1)[-1].split("-", 1)[-1][:-4] or label,
                          hashlib.sha1((name + text).encode()).hexdigest()])


SIMULATED = {"drizzle": (drizzle_pending, migrate_as_drizzle),
             "supabase": (supabase_pending, migrate_as_supabase),
             "atlas": (atlas_pending, migrate_as_atlas),
             "tern": (tern_pending, migrate_as_tern),
             "postgres-migrations": (pgm_pending, migrate_as_pgm)}
SECOND = {"drizzle": "0001", "supabase": "20240101000002", "atlas": "20240101000002",
          "tern": "002", "sql-migrate": "2", "postgres-migrations": "2"}


@pytest.mark.parametrize("tool", ["drizzle", "supabase", "atlas", "tern", "postgres-migrations"])
def test_adopt_then_the_tool_runs_the_later_files(tool: str, tmp_path: Path,
                                                  pg_cluster: Cluster, fresh_db) -> None:
    pending, migrate = SIMULATED[tool]
    history = write_history(tmp_path / "h", tool)
    live = fresh_db("live")
    dsn = pg_cluster.dsn(live)
    migrate(dsn, history, 2)
    version = SECOND[tool]
    # tern's names are sqlx's too: detection needs telling
    upto = consolidate_upto(history, version, source_format=tool)
    squashed = write_out(tmp_path / "s", upto.files)
    later = [Path(name).name for name in upto.later if name.endswith(".sql")]
    if tool in ("drizzle", "atlas"):
        assert pending(dsn, squashed) == later  # nothing to do before adopt
    elif tool == "supabase":
        with pytest.raises(AssertionError, match="Remote migration versions not found"):
            pending(dsn, squashed)
    elif tool == "tern":
        assert later == ["002_add_orders.sql", "003_order_view.sql"]  # renumbered
        assert pending(dsn, squashed) == later[1:]  # tern would skip a later file
    else:
        assert later == ["2-add_orders.sql", "3-order_view.sql"]  # renumbered after 0001
        with pytest.raises(AssertionError, match="Hashes don't match"):
            pending(dsn, squashed)
    done = run_cli("adopt", str(history), "--upto", version, "--dsn", dsn, "--source-format",
                   tool)
    assert done.returncode == 0, done.stdout + done.stderr
    assert pending(dsn, squashed) == later
    with connect(dsn) as conn:
        if tool == "drizzle":
            rows = conn.execute("SELECT hash, created_at FROM drizzle.__drizzle_migrations "
                                "ORDER BY created_at").fetchall()
            text = (squashed / "0001_schema.sql").read_bytes()
            assert rows == [(hashlib.sha256(text).hexdigest(), DRIZZLE_WHEN + 1000)]
        elif tool == "supabase":
            rows = conn.execute("SELECT version, name, statements FROM "
                                "supabase_migrations.schema_migrations").fetchall()
            assert [r[:2] for r in rows] == [("20240101000002", "schema")]
            assert any("CREATE TABLE" in s for s in rows[0][2])
        elif tool == "atlas":
            rows = conn.execute("SELECT version, description, type, applied = total, hash "
                                "FROM atlas_schema_revisions.atlas_schema_revisions").fetchall()
            line = (squashed / "atlas.sum").read_text().splitlines()[1]
            assert line.startswith("20240101000002_schema.sql h1:")
            assert rows == [("20240101000002", "schema", 2, True, line.split(" h1:")[1])]
        elif tool == "tern":
            assert conn.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        else:
            text = (squashed / "0001_schema.sql").read_text()
            digest = hashlib.sha1(("0001_schema.sql" + text).encode()).hexdigest()
            assert conn.execute("SELECT id, name, hash FROM migrations").fetchall() == [
                (1, "schema", digest)]
    migrate(dsn, squashed)
    assert pending(dsn, squashed) == []
    fresh = fresh_db("fresh")
    migrate(pg_cluster.dsn(fresh), squashed)
    assert pending(pg_cluster.dsn(fresh), squashed) == []
    # the tables' ids, times and statement lists are each database's own: compare the schemas
    # built, without them
    for db in (live, fresh):
        with connect(pg_cluster.dsn(db)) as conn:
            conn.execute(f"DROP TABLE {BOOKKEEPING[tool].table}")
            schema = BOOKKEEPING[tool].table.partition(".")[0]
            if "." in BOOKKEEPING[tool].table:
                conn.execute(f"DROP SCHEMA {schema}")
    comparison = compare_databases((pg_cluster, live), (pg_cluster, fresh))
    assert comparison.equal, comparison.summary()


def test_sql_migrate_adopt_with_its_own_binary(tmp_path: Path, pg_cluster: Cluster,
                                               fresh_db) -> None:
    history = write_history(tmp_path / "h", "sql-migrate")
    ran = tmp_path / "ran"
    ran.mkdir()
    for name in ("1_create_accounts.sql", "2_rename_email.sql"):
        shutil.copy(history / name, ran / name)
    live = fresh_db("live")
    where = (pg_cluster.host, pg_cluster.port, live)
    done = sql_migrate(where, ran, "up")
    assert done.returncode == 0, done.stdout + done.stderr
    upto = consolidate_upto(history, "2")
    squashed = write_out(tmp_path / "s", upto.files)
    assert [w.path for w in upto.written] == ["2_schema.sql"]
    done = run_cli("adopt", str(history), "--upto", "2", "--dsn", pg_cluster.dsn(live))
    assert done.returncode == 0, done.stdout + done.stderr
    with connect(pg_cluster.dsn(live)) as conn:
        assert conn.execute("SELECT id FROM gorp_migrations").fetchall() == [("2_schema.sql",)]
    status = sql_migrate(where, squashed, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip()
            for line in status.stdout.splitlines() if line.startswith("| ") and ".sql" in line}
    assert rows["3_add_orders.sql"] == "no" and rows["4_order_view.sql"] == "no"
    assert rows["2_schema.sql"] != "no"
    done = sql_migrate(where, squashed, "up")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Applied 2 migrations" in done.stdout, done.stdout
    fresh = fresh_db("fresh")
    done = sql_migrate((pg_cluster.host, pg_cluster.port, fresh), squashed, "up")
    assert done.returncode == 0, done.stdout + done.stderr
    ids = []
    for db in (live, fresh):
        with connect(pg_cluster.dsn(db)) as conn:
            ids.append(conn.execute("SELECT id FROM gorp_migrations ORDER BY id").fetchall())
            conn.execute("DROP TABLE gorp_migrations")  # applied_at is each database's own
    assert ids[0] == ids[1] == [("2_schema.sql",), ("3_add_orders.sql",), ("4_order_view.sql",)]
    comparison = compare_databases((pg_cluster, live), (pg_cluster, fresh))
    assert comparison.equal, comparison.summary()


def liquibase_checksum(sql: str) -> str:
    """Liquibase's checksum version 9 of a formatted SQL changeset, written here: MD5 of the
    SQL without space, tab, CR, LF bytes, as ``9:<hex>``; then MD5 of that and ``:``."""
    data = sql.strip().encode()
    inner = "9:" + hashlib.md5(bytes(b for b in data if b not in b" \t\r\n")).hexdigest()
    return "9:" + hashlib.md5((inner + ":").encode()).hexdigest()


def liquibase_changesets(folder: Path) -> list[tuple[str, str, str, str]]:
    """(id, author, filename, sql) of each changeset, through changelog.xml's includes (or
    every .sql file in path order without one), as `liquibase update` reaches them."""
    import re

    master = folder / "changelog.xml"
    files = (re.findall(r'<include file="([^"]+)"', master.read_text()) if master.is_file()
             else sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.sql")))
    out = []
    for name in files:
        parts = re.split(r"^--changeset ([^:\s]+):(\S+).*\n", (folder / name).read_text(),
                         flags=re.MULTILINE)
        for author, ident, body in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
            out.append((ident, author, name, body))
    return out


def liquibase_pending(dsn: str, folder: Path) -> list[str]:
    """`liquibase update`: a recorded changeset must keep its checksum; the ones not recorded
    by (id, author, filename) run."""
    with connect(dsn) as conn:
        conn.execute(BOOKKEEPING["liquibase"].ddl)
        # its lock table, as Liquibase creates it beside the changelog table
        conn.execute("CREATE TABLE IF NOT EXISTS databasechangeloglock (id integer PRIMARY KEY, "
                     "locked boolean NOT NULL, lockgranted timestamp, lockedby varchar(255))")
        rows = {(i, a, f): m for i, a, f, m in conn.execute(
            "SELECT id, author, filename, md5sum FROM databasechangelog").fetchall()}
    pending = []
    for ident, author, name, body in liquibase_changesets(folder):
        recorded = rows.get((ident, author, name))
        if recorded is None:
            pending.append(f"{name}::{ident}::{author}")
        else:
            assert recorded == liquibase_checksum(body), f"{name}::{ident}: checksum changed"
    return pending


def migrate_as_liquibase(dsn: str, folder: Path, count: int | None = None) -> None:
    pending = liquibase_pending(dsn, folder)[:count]
    for ident, author, name, body in liquibase_changesets(folder):
        if f"{name}::{ident}::{author}" not in pending:
            continue
        replay(dsn, [ReplayFile(name, body)])
        with connect(dsn) as conn:
            conn.execute(
                "INSERT INTO databasechangelog (id, author, filename, dateexecuted, "
                "orderexecuted, exectype, md5sum, description) SELECT %s, %s, %s, now(), "
                "COALESCE(max(orderexecuted), 0) + 1, 'EXECUTED', %s, 'sql' "
                "FROM databasechangelog", [ident, author, name, liquibase_checksum(body)])


def test_liquibase_adopt(tmp_path: Path, pg_cluster: Cluster, fresh_db) -> None:
    history = write_history(tmp_path / "h", "liquibase")
    live = fresh_db("live")
    dsn = pg_cluster.dsn(live)
    migrate_as_liquibase(dsn, history, 2)
    upto = consolidate_upto(history, "2")
    squashed = write_out(tmp_path / "s", upto.files)
    assert [n for n, _ in upto.files] == ["changes/2_schema.sql", "changelog.xml",
                                          "3_add_orders.sql", "4_order_view.sql", "README.md"]
    assert liquibase_pending(dsn, squashed)[0] == "changes/2_schema.sql::schema::schemafold"
    done = run_cli("adopt", str(history), "--upto", "2", "--dsn", dsn)
    assert done.returncode == 0, done.stdout + done.stderr
    assert liquibase_pending(dsn, squashed) == ["3_add_orders.sql::add_orders::test",
                                                "4_order_view.sql::order_view::test"]
    with connect(dsn) as conn:
        rows = conn.execute("SELECT id, author, filename, orderexecuted, exectype FROM "
                            "databasechangelog ORDER BY orderexecuted").fetchall()
    assert rows == [("schema", "schemafold", "changes/2_schema.sql", 1, "EXECUTED")]
    migrate_as_liquibase(dsn, squashed)
    fresh = fresh_db("fresh")
    migrate_as_liquibase(pg_cluster.dsn(fresh), squashed)
    assert liquibase_pending(pg_cluster.dsn(fresh), squashed) == []
    for db in (live, fresh):
        with connect(pg_cluster.dsn(db)) as conn:
            conn.execute("DROP TABLE databasechangelog, databasechangeloglock")
    comparison = compare_databases((pg_cluster, live), (pg_cluster, fresh))
    assert comparison.equal, comparison.summary()


def test_liquibase_upto_inside_a_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "h"
    folder.mkdir()
    (folder / "1_both.sql").write_text("--liquibase formatted sql\n\n--changeset t:a\n"
                                       "CREATE TABLE a ();\n--changeset t:b\nCREATE TABLE b ();\n")
    done = run_cli("squash", str(folder), "--upto", "1", "--out", str(tmp_path / "o"))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "changeset 1 is not the last of 1_both.sql" in done.stderr
    upto = consolidate_upto(folder, "2")
    assert [n for n, _ in upto.files] == ["changes/2_schema.sql", "changelog.xml", "README.md"]


@pytest.mark.parametrize("tool", ["drizzle", "supabase", "atlas", "tern"])
def test_adopt_refuses_a_database_behind_version(tool: str, tmp_path: Path,
                                                 pg_cluster: Cluster, fresh_db) -> None:
    """Each tool's own rule of what ran: a database that ran one file is not at the second."""
    pending, migrate = SIMULATED[tool]
    history = write_history(tmp_path / "h", tool)
    live = fresh_db("live")
    migrate(pg_cluster.dsn(live), history, 1)
    done = run_cli("adopt", str(history), "--upto", SECOND[tool], "--dsn", pg_cluster.dsn(live),
                   "--source-format", tool)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "does not record 1 of the migrations up to" in done.stderr
    assert len(pending(pg_cluster.dsn(live), history)) == 3  # nothing changed


def test_liquibase_adopt_keeps_the_recorded_folder(tmp_path: Path, pg_cluster: Cluster,
                                                   fresh_db) -> None:
    """Rows recorded under a folder (Spring Boot's classpath path): the consolidation's row
    gets the same folder, and the replaced rows are still found."""
    history = write_history(tmp_path / "h", "liquibase")
    live = fresh_db("live")
    dsn = pg_cluster.dsn(live)
    migrate_as_liquibase(dsn, history, 2)
    with connect(dsn) as conn:
        conn.execute("UPDATE databasechangelog SET filename = 'db/changelog/' || filename")
    done = run_cli("adopt", str(history), "--upto", "2", "--dsn", dsn)
    assert done.returncode == 0, done.stdout + done.stderr
    with connect(dsn) as conn:
        rows = conn.execute("SELECT id, filename FROM databasechangelog").fetchall()
    assert rows == [("schema", "db/changelog/changes/2_schema.sql")]
