"""Sources: every tool's naming, order, sections, transaction markers and placeholders, read from
one fixture per quirk under tests/fixtures/sources/<tool>/<quirk>; detection; ``until``; code
migrations; the command-line flags. Each valid fixture is also replayed on PostgreSQL as the tool
would run it (up halves only, in its transaction mode) and compared with its consolidation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_run import run_cli
from schemafold import api
from schemafold.errors import InputError
from schemafold.fold import FoldResult
from schemafold.model import Table
from schemafold.parse.splitter import split_sql
from schemafold.render.postgres import render_schema
from schemafold.sources import SOURCE_FORMATS, TOOLS, History, detect_format, read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import ReplayFile, replay

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
DEFINES = {
    "flyway/placeholders": {"prefix": "shop", "owner": "alice"},
    "goose/envsub": {"DEFAULT_VALUE": "on"},
}
UNTIL = {"goose/go_code": "1", "flyway/java": "1"}


def fixture(name: str) -> Path:
    return FIXTURES / name


def read(name: str, **options: object) -> History:
    return read_history(fixture(name), **options)  # type: ignore[arg-type]


def order(history: History) -> list[tuple[str, bool]]:
    return [(m.path, m.in_transaction) for m in history.migrations]


def columns(result: FoldResult, table: str) -> list[str]:
    obj = result.schema.objects[("table", "public", table)]
    assert isinstance(obj, Table)
    return [c.name for c in obj.columns]


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def refusal(folder: Path, files: dict[str, str], source_format: str) -> str:
    """The error reading ``files`` (written into ``folder``) as ``source_format`` gives."""
    write(folder, files)
    with pytest.raises(InputError) as caught:
        read_history(folder, source_format=source_format)
    return str(caught.value)


# ---------------------------------------------------------------------------------------------
# The interface


def test_every_tool_is_a_source_format_with_its_marker() -> None:
    assert set(SOURCE_FORMATS) == {"sqlx", "golang-migrate", "goose", "dbmate", "flyway",
                                   "diesel", "prisma", "postgres-migrations", "drizzle",
                                   "supabase", "atlas", "liquibase", "sql-migrate", "tern",
                                   "plain"}
    assert TOOLS["sqlx"].no_transaction_marker == "-- no-transaction"
    assert TOOLS["postgres-migrations"].no_transaction_marker == (
        "-- postgres-migrations disable-transaction")
    assert TOOLS["goose"].no_transaction_marker == "-- +goose NO TRANSACTION"
    assert TOOLS["dbmate"].no_transaction_marker == "-- migrate:up transaction:false"
    assert TOOLS["diesel"].no_transaction_marker == "run_in_transaction = false"
    assert TOOLS["golang-migrate"].no_transaction_marker is None
    assert TOOLS["prisma"].no_transaction_marker is None
    assert TOOLS["liquibase"].no_transaction_marker == "runInTransaction:false"
    assert TOOLS["sql-migrate"].no_transaction_marker == "-- +migrate Up notransaction"
    assert TOOLS["tern"].no_transaction_marker == "---- tern: disable-tx ----"


def test_the_old_module_path_still_imports() -> None:
    from schemafold.parse import parse_migrations
    from schemafold.sources import Migration, read_text

    migration = Migration("1", "x", "x.sql", "CREATE TABLE t (a int);")
    assert parse_migrations([migration]).statements[0].line == 1
    assert read_text(fixture("sqlx/simple/1_init.sql"), "1_init.sql").startswith("CREATE")


# ---------------------------------------------------------------------------------------------
# Detection


@pytest.mark.parametrize(("name", "expected"), [
    ("sqlx/simple", "sqlx"),
    ("sqlx/no_transaction", "sqlx"),
    ("sqlx/shared_version", "sqlx"),
    # Reversible sqlx and golang-migrate histories look the same: the documented default is
    # golang-migrate, and --source-format sqlx names sqlx.
    ("sqlx/reversible", "golang-migrate"),
    ("golang_migrate/numeric_order", "golang-migrate"),
    ("goose/sections", "goose"),
    ("goose/go_code", "goose"),
    ("goose/timestamps", "goose"),
    ("dbmate/sections", "dbmate"),
    ("dbmate/transaction_false", "dbmate"),
    ("flyway/versions", "flyway"),
    ("flyway/repeatable", "flyway"),
    ("flyway/java", "flyway"),
    ("diesel/basic", "diesel"),
    ("prisma/basic", "prisma"),
    ("plain/numbered", "plain"),
    ("plain/runner_names", "plain"),
])
def test_detection(name: str, expected: str) -> None:
    assert detect_format(fixture(name)) == expected


def test_detection_prefers_sqlx_when_a_reversible_history_carries_its_marker(
        tmp_path: Path) -> None:
    write(tmp_path, {"1_a.up.sql": "CREATE TABLE a (id int);", "1_a.down.sql": "DROP TABLE a;",
                     "2_b.up.sql": "-- no-transaction\nCREATE INDEX CONCURRENTLY ON a (id);",
                     "2_b.down.sql": ""})
    assert detect_format(tmp_path) == "sqlx"
    assert order(read_history(tmp_path)) == [("1_a.up.sql", True), ("2_b.up.sql", False)]


def test_detection_of_goose_go_only_folder_and_plain_fallback(tmp_path: Path) -> None:
    write(tmp_path / "g", {"00001_init.go": "package m\n"})
    assert detect_format(tmp_path / "g") == "goose"
    write(tmp_path / "p", {"001-init.sql": "CREATE TABLE a (id int);", "my_notes.sql": ""})
    assert detect_format(tmp_path / "p") == "plain"


# ---------------------------------------------------------------------------------------------
# sqlx


def test_sqlx_versions_are_numbers() -> None:
    history = read("sqlx/simple")
    assert history.format == "sqlx"
    assert [m.version for m in history.migrations] == ["1", "2", "10"]
    assert [m.name for m in history.migrations] == ["init", "add_email", "email_index"]


def test_sqlx_reversible_reads_only_up_files() -> None:
    history = read("sqlx/reversible", source_format="sqlx")
    assert order(history) == [("20240101000000_users.up.sql", True),
                              ("20240102000000_posts.up.sql", True)]
    assert all("DROP" not in m.text for m in history.migrations)


def test_sqlx_no_transaction_only_at_the_start_of_a_file() -> None:
    assert order(read("sqlx/no_transaction")) == [
        ("1_event.sql", True), ("2_event_at.sql", False), ("3_note.sql", True)]


def test_sqlx_shared_version_warns_naming_both_and_orders_by_file_name() -> None:
    history = read("sqlx/shared_version")
    assert [m.path for m in history.migrations] == [
        "20250101000001_core.sql", "20250101000001_extra.sql", "20250101000002_label.sql"]
    (warning,) = history.warnings
    assert "20250101000001_core.sql, 20250101000001_extra.sql" in str(warning)
    with pytest.raises(InputError, match="share version 20250101000001.*--strict"):
        read("sqlx/shared_version", strict=True)


def test_sqlx_refuses_a_non_numeric_version_and_skips_names_it_ignores(tmp_path: Path) -> None:
    write(tmp_path, {"1_a.sql": "CREATE TABLE a (id int);", "readme.sql": "notes"})
    history = read_history(tmp_path, source_format="sqlx")
    assert [m.path for m in history.migrations] == ["1_a.sql"]
    assert "readme.sql:1: warning: not a sqlx migration name" in str(history.warnings[0])
    (tmp_path / "v2_b.sql").write_text("")
    with pytest.raises(InputError, match="v2_b.sql: sqlx needs an integer version"):
        read_history(tmp_path, source_format="sqlx")


# ---------------------------------------------------------------------------------------------
# golang-migrate


def test_golang_migrate_numeric_order_up_files_only() -> None:
    history = read("golang_migrate/numeric_order")
    assert order(history) == [("1_create_item.up.sql", True), ("2_add_sku.up.sql", True),
                              ("10_sku_index.up.sql", True)]
    assert [m.name for m in history.migrations] == ["create_item", "add_sku", "sku_index"]
    assert "schema.sql:1: warning: not a golang-migrate migration name" in str(
        history.warnings[0])


def test_golang_migrate_refuses_two_up_files_of_one_version(tmp_path: Path) -> None:
    write(tmp_path, {"1_a.up.sql": "SELECT 1;", "001_b.up.sql": "SELECT 2;"})
    with pytest.raises(InputError, match=r"2 files share version .*golang-migrate refuses"):
        read_history(tmp_path)


# ---------------------------------------------------------------------------------------------
# goose


def test_goose_folds_only_the_up_section_on_its_original_lines() -> None:
    history = read("goose/sections")
    assert order(history) == [("00001_create_users.sql", True), ("00002_functions.sql", True)]
    assert all("DROP" not in m.text and "+goose" not in m.text for m in history.migrations)
    parsed = api.parse(fixture("goose/sections"))
    lines = [(o.file, o.line) for o in parsed.statements]
    assert lines == [("00001_create_users.sql", 4), ("00002_functions.sql", 3),
                     ("00002_functions.sql", 12), ("00002_functions.sql", 18)]


def test_goose_statement_blocks_are_one_statement_each() -> None:
    """StatementBegin/End around plpgsql bodies: dollar-quoted and single-quoted bodies with
    ``;`` inside stay one statement in schemafold's splitter, as goose sends them."""
    text = read("goose/sections").migrations[1].text
    statements = [s.text for s in split_sql(text, "f.sql").statements]
    assert len(statements) == 3
    assert statements[0].startswith("CREATE FUNCTION touch()") and statements[0].endswith("$$")
    assert "''hello; ''" in statements[1] and statements[1].endswith("'")


def test_goose_no_transaction() -> None:
    assert order(read("goose/no_transaction")) == [("00001_event.sql", True),
                                                   ("00002_event_at.sql", False)]


def test_goose_versions_are_numbers_sequential_or_timestamps() -> None:
    assert [m.version for m in read("goose/timestamps").migrations] == [
        "9", "10", "20240101120000"]


def test_goose_go_migration_is_refused_unless_until_stops_before_it() -> None:
    with pytest.raises(InputError, match=r"^00002_backfill.go: Go code migration"):
        read("goose/go_code")
    with pytest.raises(InputError, match="00002_backfill.go"):
        read("goose/go_code", until="3")
    assert [m.path for m in read("goose/go_code", until="1").migrations] == [
        "00001_accounts.sql"]


def test_goose_envsub_substitutes_defines_between_on_and_off() -> None:
    (migration,) = read("goose/envsub", defines={"DEFAULT_VALUE": "on"}).migrations
    assert "CREATE TABLE settings (key text PRIMARY KEY, value text DEFAULT 'on');" in (
        migration.text)
    assert "'${NOT_SUBSTITUTED}'" in migration.text
    with pytest.raises(InputError, match=r"00001_settings.sql:3: no value for \$\{DEFAULT_VALUE"):
        read("goose/envsub")


@pytest.mark.parametrize(("text", "message"), [
    ("CREATE TABLE a (id int);\n-- +goose Up\n", "00001_a.sql:1: statement before"),
    ("-- +goose Down\nDROP TABLE a;\n", "00001_a.sql:1: no '-- +goose Up' annotation"),
    ("-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n", "00001_a.sql:2: '-- +goose "
     "StatementBegin' is not ended"),
    ("-- +goose Up\n-- +goose StatementEnd\n", "00001_a.sql:2: '-- +goose StatementEnd' without"),
    ("-- +goose Up\n-- +goose Sideways\n", "00001_a.sql:2: unknown goose annotation"),
])
def test_goose_malformed_annotations(tmp_path: Path, text: str, message: str) -> None:
    assert refusal(tmp_path, {"00001_a.sql": text}, "goose").startswith(message)


def test_goose_refuses_unversioned_sql_and_duplicate_versions(tmp_path: Path) -> None:
    write(tmp_path, {"1_a.sql": "-- +goose Up\nSELECT 1;\n", "01_b.sql": "-- +goose Up\n"})
    with pytest.raises(InputError, match=r"version 01 \(01_b.sql, 1_a.sql\); goose refuses"):
        read_history(tmp_path)
    (tmp_path / "01_b.sql").unlink()
    (tmp_path / "init.sql").write_text("-- +goose Up\n")
    with pytest.raises(InputError, match="init.sql: goose needs an integer version"):
        read_history(tmp_path)


# ---------------------------------------------------------------------------------------------
# dbmate


def test_dbmate_up_sections_on_their_lines_and_a_final_statement_without_semicolon() -> None:
    history = read("dbmate/sections")
    assert [m.version for m in history.migrations] == [
        "20240101000000", "20240102000000", "20240103000000"]
    assert all("drop" not in m.text and "migrate:" not in m.text for m in history.migrations)
    parsed = api.parse(fixture("dbmate/sections"))
    assert [(o.file, o.line, o.text.split("(")[0].strip()) for o in parsed.statements] == [
        ("20240101000000_create_users.sql", 2, "create table users"),
        ("20240102000000_email.sql", 2, "alter table users add column email text;"[:-1]),
        ("20240102000000_email.sql", 3, "create index users_email_idx on users"),
        ("20240103000000_audit.sql", 3, "create table audit"),
    ]


def test_sections_of_a_crlf_file_keep_their_lines(tmp_path: Path) -> None:
    text = ("-- header\r\n-- migrate:up\r\nCREATE TABLE a (id int);\r\n-- migrate:down\r\n"
            "DROP TABLE a;\r\n")
    (tmp_path / "1_a.sql").write_bytes(text.encode())
    (migration,) = read_history(tmp_path).migrations
    assert migration.text == "\r\n\r\nCREATE TABLE a (id int);\r\n"
    assert [o.line for o in api.parse(tmp_path).statements] == [3]


def test_dbmate_transaction_false() -> None:
    assert order(read("dbmate/transaction_false")) == [
        ("20240101000000_event.sql", True), ("20240102000000_event_at.sql", False)]


@pytest.mark.parametrize(("text", "message"), [
    ("create table a (id int);\n", "1_a.sql:1: statement before '-- migrate:up'"),
    ("-- migrate:down\ndrop table a;\n-- migrate:up\n", "1_a.sql:1: '-- migrate:down' before"),
    ("-- just a comment\n", "1_a.sql:1: no '-- migrate:up' section"),
    ("-- migrate:up transaction\nselect 1;\n", "1_a.sql:1: dbmate option 'transaction'"),
])
def test_dbmate_malformed_sections(tmp_path: Path, text: str, message: str) -> None:
    assert refusal(tmp_path, {"1_a.sql": text}, "dbmate").startswith(message)


# ---------------------------------------------------------------------------------------------
# Flyway


def test_flyway_versions_compare_part_by_part_and_undo_files_are_ignored() -> None:
    history = read("flyway/versions")
    assert [m.path for m in history.migrations] == [
        "V1__init.sql", "V1_2__add_name.sql", "V1.3__add_note.sql", "more/V1_10__add_price.sql",
        "V2__name_index.sql"]
    assert columns(api.fold(fixture("flyway/versions")), "item") == [
        "id", "name", "note", "price"]


def test_flyway_repeatables_run_once_after_all_versioned_by_description() -> None:
    history = read("flyway/repeatable")
    assert [m.path for m in history.migrations] == [
        "V1__item.sql", "V2__quantity.sql", "R__functions.sql", "R__views.sql"]
    until = read("flyway/repeatable", until="1")
    assert [m.path for m in until.migrations] == ["V1__item.sql", "R__functions.sql",
                                                  "R__views.sql"]


def test_flyway_placeholders_come_from_defines() -> None:
    (migration,) = read("flyway/placeholders",
                        defines={"prefix": "shop", "owner": "alice"}).migrations
    assert migration.text == ("-- Created by V1__schema.sql\nCREATE TABLE shop_item (id int "
                              "PRIMARY KEY, owner text DEFAULT 'alice');\n")
    with pytest.raises(InputError) as caught:
        read("flyway/placeholders", defines={"prefix": "shop"})
    assert str(caught.value).startswith(
        "V1__schema.sql:2: no value for placeholder ${owner} (pass --define owner=VALUE)")


def test_flyway_java_migration_is_refused_unless_until_stops_before_it() -> None:
    with pytest.raises(InputError, match=r"^V2__Backfill.java: Java code migration"):
        read("flyway/java")
    assert [m.path for m in read("flyway/java", until="1").migrations] == ["V1__account.sql"]


def test_flyway_script_config_execute_in_transaction() -> None:
    assert order(read("flyway/script_config")) == [("V1__event.sql", True),
                                                   ("V2__event_at.sql", False)]


def test_flyway_until_matches_versions_numerically() -> None:
    for until in ("1_3", "1.3", "1.3.0", "01.3"):
        assert read("flyway/versions", until=until).migrations[-1].path == "V1.3__add_note.sql"


@pytest.mark.parametrize(("files", "message"), [
    ({"V1__a.sql": "", "V1.0__b.sql": ""}, "share version 1.0 (V1.0__b.sql, V1__a.sql); flyway "
     "refuses them"),
    ({"V1a__a.sql": ""}, "V1a__a.sql: invalid Flyway version '1a'"),
    ({"R__a.sql": "", "sub/R__a.sql": ""}, "two repeatable migrations with description 'a'"),
])
def test_flyway_refuses_what_flyway_refuses(tmp_path: Path, files: dict[str, str],
                                            message: str) -> None:
    assert message in refusal(tmp_path, files, "flyway")


# ---------------------------------------------------------------------------------------------
# diesel


def test_diesel_versions_without_dashes_and_run_in_transaction() -> None:
    history = read("diesel/basic")
    assert order(history) == [
        ("00000000000000_diesel_initial_setup/up.sql", True),
        ("20240102030404_create_users/up.sql", True),
        ("2024-01-02-030405_create_posts/up.sql", True),
        ("2024-02-01-000000_posts_title_index/up.sql", False),
    ]
    assert [m.version for m in history.migrations][2] == "20240102030405"
    assert [m.path for m in read("diesel/basic", until="2024-01-02-030405").migrations][-1] == (
        "2024-01-02-030405_create_posts/up.sql")


@pytest.mark.parametrize(("files", "message"), [
    ({"2024-01-01-000000_a/down.sql": ""}, "2024-01-01-000000_a: a diesel migration folder "
     "without up.sql"),
    ({"2024-01-01-000000_a/up.sql": "  \n"}, "2024-01-01-000000_a/up.sql: empty migration"),
    ({"2024-01-01-000000_a/up.sql": "SELECT 1;", "2024-01-01-000000_a/metadata.toml":
      "run_in_transaction = nope"}, "2024-01-01-000000_a/metadata.toml: not TOML"),
])
def test_diesel_refuses_what_diesel_refuses(tmp_path: Path, files: dict[str, str],
                                            message: str) -> None:
    assert refusal(tmp_path, files, "diesel").startswith(message)


# ---------------------------------------------------------------------------------------------
# Prisma


def test_prisma_folders_in_name_order_versions_are_their_timestamps() -> None:
    history = read("prisma/basic")
    assert history.format == "prisma" and history.warnings == ()
    assert [(m.version, m.name) for m in history.migrations] == [
        ("20240101120000", "init"), ("20240102090000", "person_name_index"),
        ("20240103100000", "add_mood_value"),
        # one timestamp, two migrations (Prisma records each by its whole name): name order
        ("20240104080000", "audit"), ("20240104080000", "email")]
    assert history.migrations[0].path == "20240101120000_init/migration.sql"
    assert [m.version for m in read("prisma/basic", until="20240103100000").migrations] == [
        "20240101120000", "20240102090000", "20240103100000"]


def test_prisma_transaction_mode_is_how_postgresql_runs_the_file_prisma_sends() -> None:
    assert [m.in_transaction for m in read("prisma/basic").migrations] == [
        True,   # several statements sent whole: one implicit transaction
        False,  # CREATE INDEX CONCURRENTLY alone: a one-statement query is no block
        False,  # ADD VALUE, then the value used: applies only statement by statement
        True,   # one statement: atomic either way
        False,  # CONCURRENTLY beside another statement: statement by statement (Prisma 7.4)
    ]


def test_prisma_reads_a_migration_sql_given_alone() -> None:
    file = fixture("prisma/basic/20240102090000_person_name_index/migration.sql")
    history = read_history([file], source_format="prisma")
    assert history.format == "prisma" and not history.migrations[0].in_transaction


def test_prisma_files_beside_the_folders(tmp_path: Path) -> None:
    write(tmp_path, {"20240101000000_a/migration.sql": "CREATE TABLE a (id int);",
                     "migration_lock.toml": 'provider = "mysql"\n', "README.md": "notes",
                     "schema.sql": "CREATE TABLE x (id int);",
                     ".hidden/migration.sql": "CREATE TABLE h (id int);"})
    history = read_history(tmp_path)
    assert history.format == "prisma" and [m.name for m in history.migrations] == ["a"]
    assert [str(w) for w in history.warnings] == [
        "migration_lock.toml:1: warning: the provider is 'mysql', not 'postgresql'; the files "
        "are read as PostgreSQL",
        "schema.sql:1: warning: not in a Prisma migration folder "
        "(<timestamp>_<name>/migration.sql), skipped"]


def test_prisma_refuses_a_folder_without_its_script(tmp_path: Path) -> None:
    message = refusal(tmp_path, {"20240101000000_a/migration.sql": "CREATE TABLE a (id int);",
                                 "20240102000000_b/notes.txt": ""}, "prisma")
    assert message == ("20240102000000_b: a Prisma migration folder without migration.sql "
                       "(Prisma fails to read its script)")


def test_prisma_detection_with_or_without_the_lock_file(tmp_path: Path) -> None:
    write(tmp_path / "bare", {"20240101000000_init/migration.sql": "CREATE TABLE a (id int);"})
    assert detect_format(tmp_path / "bare") == "prisma"
    # folder names Prisma did not write itself: the lock file says whose they are
    write(tmp_path / "locked", {"init/migration.sql": "CREATE TABLE a (id int);",
                                "migration_lock.toml": 'provider = "postgresql"\n'})
    assert detect_format(tmp_path / "locked") == "prisma"
    assert [m.version for m in read_history(tmp_path / "locked").migrations] == ["init"]
    write(tmp_path / "neither", {"init/migration.sql": "CREATE TABLE a (id int);",
                                 "1_a.sql": "CREATE TABLE b (id int);"})
    assert detect_format(tmp_path / "neither") == "sqlx"


# ---------------------------------------------------------------------------------------------
# plain, files one by one, until


def test_plain_numbered_files() -> None:
    history = read("plain/numbered")
    assert order(history) == [("1_init.sql", True), ("2-users.sql", True), ("10.sql", False)]
    assert "notes.sql:1: warning: not a numbered migration file name" in str(history.warnings[0])


def test_plain_reads_the_up_halves_of_a_runner_of_ones_own() -> None:
    history = read("plain/runner_names")
    assert history.format == "plain" and history.warnings == ()
    assert [(m.version, m.name, m.path) for m in history.migrations] == [
        ("0001", "Create_Users", "V0001.Create_Users.up.sql"),
        ("0002", "Add_Email", "V0002.Add_Email.up.sql"),
        ("0010", "Email_Index", "V0010.Email_Index.up.sql")]
    assert all(m.in_transaction for m in history.migrations)


def test_plain_numbered_names_without_separators_in_numeric_order(tmp_path: Path) -> None:
    write(tmp_path, {"000010.sql": "CREATE INDEX ON a (id);", "2.sql": "ALTER TABLE a ADD b int;",
                     "000001.sql": "CREATE TABLE a (id int);", "1.down.sql": "DROP TABLE a;",
                     "v3.up.sql": "ALTER TABLE a ADD c int;"})
    assert detect_format(tmp_path) == "plain"
    history = read_history(tmp_path)
    assert [(m.version, m.name) for m in history.migrations] == [
        ("000001", ""), ("2", ""), ("3", ""), ("000010", "")]
    assert history.warnings == ()


def test_files_given_one_by_one_are_read_by_their_markers() -> None:
    goose_file = fixture("goose/sections/00001_create_users.sql")
    dbmate_file = fixture("dbmate/transaction_false/20240102000000_event_at.sql")
    history = read_history([goose_file, dbmate_file])
    assert [m.version for m in history.migrations] == ["1", "2"]
    assert "DROP" not in history.migrations[0].text
    assert "drop" not in history.migrations[1].text
    assert [m.in_transaction for m in history.migrations] == [True, False]
    assert read_history([goose_file, dbmate_file], until="1").migrations[0].path == str(
        goose_file)
    with pytest.raises(InputError, match="Go code migration"):
        read_history(fixture("goose/go_code/00002_backfill.go"))


def test_until_a_version_that_does_not_exist_is_an_error() -> None:
    with pytest.raises(InputError, match=r"--until 3: no sqlx migration has that version "
                       r"\(versions run from 1 to 10\)"):
        read("sqlx/simple", until="3")
    with pytest.raises(InputError, match="--until abc: not a sqlx version"):
        read("sqlx/simple", until="abc")
    assert [m.version for m in read("sqlx/simple", until="0002").migrations] == ["1", "2"]


def test_unknown_source_format() -> None:
    with pytest.raises(InputError, match="unknown source format 'alembic'"):
        read("sqlx/simple", source_format="alembic")


# ---------------------------------------------------------------------------------------------
# The command line


def test_cli_define_and_until() -> None:
    src = str(fixture("flyway/placeholders"))
    done = run_cli("events", src, "--define", "prefix=shop", "--define", "owner=alice")
    assert done.returncode == 0, done.stderr
    assert "V1__schema.sql:2\tcreate\t" in done.stdout and "shop_item" in done.stdout
    missing = run_cli("events", src, "--define", "prefix=shop")
    assert missing.returncode == 2
    assert missing.stderr.strip() == ("schemafold: error: V1__schema.sql:2: no value for "
                                      "placeholder ${owner} (pass --define owner=VALUE): "
                                      "${owner}")
    bad = run_cli("events", src, "--define", "prefix")
    assert bad.returncode == 2 and "expected KEY=VALUE" in bad.stderr
    until = run_cli("events", str(fixture("sqlx/simple")), "--until", "2")
    assert until.returncode == 0 and "10_email_index" not in until.stdout
    assert "2_add_email.sql:1" in until.stdout
    nowhere = run_cli("events", str(fixture("sqlx/simple")), "--until", "7")
    assert nowhere.returncode == 2 and len(nowhere.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("name", "file"), [("goose/go_code", "00002_backfill.go"),
                                            ("flyway/java", "V2__Backfill.java")])
def test_cli_code_migration_is_exit_2_naming_it(name: str, file: str) -> None:
    done = run_cli("events", str(fixture(name)))
    assert done.returncode == 2
    assert done.stderr.startswith(f"schemafold: error: {file}: ")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert run_cli("events", str(fixture(name)), "--until", "1").returncode == 0


def test_cli_source_format_and_strict_duplicates() -> None:
    src = str(fixture("sqlx/shared_version"))
    warned = run_cli("events", src)
    assert warned.returncode == 0 and "share version" in warned.stderr
    strict = run_cli("events", src, "--strict")
    assert strict.returncode == 2 and "share version" in strict.stderr
    named = run_cli("events", str(fixture("sqlx/reversible")), "--source-format", "sqlx")
    assert named.returncode == 0, named.stderr
    unknown = run_cli("events", src, "--source-format", "alembic")
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


# ---------------------------------------------------------------------------------------------
# On PostgreSQL: each history, as its tool runs it, equals its consolidation

HISTORIES = sorted(f"{tool.name}/{quirk.name}" for tool in FIXTURES.iterdir()
                   for quirk in tool.iterdir())


@pytest.mark.parametrize("name", HISTORIES)
def test_history_as_the_tool_runs_it_equals_its_consolidation(
        name: str, pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    options = {"defines": DEFINES.get(name), "until": UNTIL.get(name)}
    history = read(name, **options)
    files = []
    for migration in history.migrations:
        statements = None
        if not migration.in_transaction:
            statements = tuple(s.text for s in split_sql(migration.text, migration.path)
                               .statements)
        files.append(ReplayFile(migration.path, migration.text, migration.in_transaction,
                                statements))
    left, right = fresh_db("src"), fresh_db("fold")
    replay(pg_cluster.dsn(left), files)
    result = api.fold(fixture(name), **options)  # type: ignore[arg-type]
    replay(pg_cluster.dsn(right), [ReplayFile("0001_schema.sql", render_schema(result.schema))])
    comparison = compare_databases((pg_cluster, left), (pg_cluster, right))
    assert comparison.equal, comparison.summary()
