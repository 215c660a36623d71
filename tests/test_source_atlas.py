"""Atlas versioned migrations: ``atlas.sum`` exactly as Atlas computes it (checked against the
example Atlas documents), the reader's checksum warnings, the ``txmode``, ``checkpoint``,
``delimiter`` and ``sum`` directives as Atlas reads them, detection, the writer's directive and
sum; and on PostgreSQL, a history of our own and its consolidation, each run as Atlas runs it,
built equal."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from cli_run import run_cli
from replay_helpers import history_files
from schemafold.errors import InputError
from schemafold.parse.splitter import split_sql
from schemafold.sources import detect_format, read_history
from schemafold.sources.atlas import hash_files, sum_text, sum_warning
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import replay


def test_atlas_sum_of_the_documented_example() -> None:
    """The three files and their ``atlas.sum`` that Atlas's announcement of its execution
    engine shows (atlasgo.io blog, 2022-09-05): files without a final line break."""
    files = [
        ("1_initial.sql", b'-- add new schema named "my_schema"\nCREATE DATABASE `my_schema`;\n'
                          b'-- create "tbl" table\n'
                          b"CREATE TABLE `my_schema`.`tbl` (`col` int NOT NULL);"),
        ("2_second.sql", b"ALTER TABLE `my_schema`.`tbl` ADD `col_2` TEXT;"),
        ("3_third.sql", b"CREATE TABLE `tbl_2` (`col` int NOT NULL);"),
    ]
    assert sum_text(files) == (
        "h1:cD9kOv5VDRLrKVZ0pM4CxAlhH6mgE8PQLpUeuIMKDcs=\n"
        "1_initial.sql h1:SrFyOe0eg5WnE96GH3TtAt6046sfrOK4YKZYBlYr1SA=\n"
        "2_second.sql h1:FPzwV+MzwyCss7SASZtyafXiYc9Un5bzlcc3u7MxLJU=\n"
        "3_third.sql h1:uD+xDcA3Q+gHqwca2ZBDAHWYvC2eiUcwr1IgMsN0Q6c=\n")


def test_a_sum_beside_another_tools_files_leaves_them_to_that_tool(tmp_path: Path) -> None:
    golang = folder_of(tmp_path / "g", {"1_a.up.sql": "CREATE TABLE a (id int);\n",
                                        "1_a.down.sql": "DROP TABLE a;\n"})
    assert detect_format(golang) == "golang-migrate"
    goose = folder_of(tmp_path / "o", {"1_a.sql": "-- +goose Up\nCREATE TABLE a (id int);\n"})
    assert detect_format(goose) == "goose"


def test_a_file_marked_sum_ignore_feeds_its_name_only_and_gets_no_line() -> None:
    files = [("1_a.sql", b"CREATE TABLE a (id int);\n"),
             ("2_b.sql", b"-- atlas:sum ignore\nSELECT 1;\n"),
             ("3_c.sql", b"CREATE TABLE c (id int);\n")]
    running = hashlib.sha256(b"1_a.sql" + files[0][1])
    first = base64.b64encode(running.copy().digest()).decode()
    running.update(b"2_b.sql" + b"3_c.sql" + files[2][1])
    third = base64.b64encode(running.digest()).decode()
    assert hash_files(files) == [("1_a.sql", first), ("3_c.sql", third)]


def folder_of(root: Path, files: dict[str, str], *, sum_file: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text)
    if sum_file:
        (root / "atlas.sum").write_text(sum_text([(n, t.encode()) for n, t in files.items()]))
    return root


HISTORY = {
    "20240101000000_users.sql": "CREATE TABLE users (id int PRIMARY KEY, name text);\n",
    "20240102000000_index.sql": (
        "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY users_name ON users (name);\n"),
    "20240103000000_function.sql": (
        "-- atlas:delimiter \\n-- end\\n\n"
        "CREATE FUNCTION lower_name() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN NEW.name := lower(NEW.name); RETURN NEW; END $$\n"
        "-- end\n"
        "CREATE TRIGGER users_lower BEFORE INSERT ON users FOR EACH ROW\n"
        "  EXECUTE FUNCTION lower_name()\n"
        "-- end\n"
        "INSERT INTO users VALUES (1, 'Ann')\n"),
    "20240104000000_posts.sql": (
        "-- atlas:txmode file\n\n"
        "CREATE TABLE posts (id int PRIMARY KEY, author int REFERENCES users (id));\n"),
}


def test_reads_names_order_directives_and_a_valid_sum(tmp_path: Path) -> None:
    folder = folder_of(tmp_path / "migrations", HISTORY)
    assert detect_format(folder) == "atlas"
    read = read_history(folder)
    assert read.warnings == ()
    assert [(m.version, m.name, m.in_transaction) for m in read.migrations] == [
        ("20240101000000", "users", True), ("20240102000000", "index", False),
        ("20240103000000", "function", True), ("20240104000000", "posts", True)]
    function = read.migrations[2].text
    assert function.split("\n")[0] == ""  # the directive's line, emptied
    statements = split_sql(function, "f").statements
    assert [(s.line, s.text.split()[1]) for s in statements] == [
        (2, "FUNCTION"), (5, "TRIGGER"), (8, "INTO")]
    assert len(function.split("\n")) == len(HISTORY["20240103000000_function.sql"].split("\n"))


def test_a_delimiter_ends_statements_outside_quotes_parentheses_and_comments() -> None:
    from schemafold.sources.atlas import with_delimiter_as_semicolons

    text = ("-- atlas:delimiter //\nCREATE FUNCTION f() RETURNS text LANGUAGE sql AS "
            "$$ SELECT '//' $$//\nSELECT (4//2), '//' -- a // comment\n//\n")
    assert with_delimiter_as_semicolons(text, "f") == (
        "\nCREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT '//' $$;\n"
        "SELECT (4//2), '//' -- a // comment\n;\n")
    # a line comment takes its line break along, as Atlas skips it: no delimiter starts there
    lines = "-- atlas:delimiter \\n-- end\\n\nSELECT 1\n-- note\n-- end\nSELECT 2\n-- end\n"
    assert with_delimiter_as_semicolons(lines, "f") == (
        "\nSELECT 1\n-- note\n-- end\nSELECT 2;\n\n")
    assert with_delimiter_as_semicolons("SELECT 1;\n", "f") == "SELECT 1;\n"


def test_warns_when_atlas_sum_is_missing_or_does_not_match(tmp_path: Path) -> None:
    folder = folder_of(tmp_path / "m", HISTORY)
    (folder / "20240102000000_index.sql").write_text(
        HISTORY["20240102000000_index.sql"] + "-- edited\n")
    warning = sum_warning(folder, sorted(HISTORY))
    assert warning is not None and "checksum mismatch" in warning.message
    assert "first difference: 20240102000000_index.sql" in warning.message
    assert [w.file for w in read_history(folder).warnings] == ["atlas.sum"]
    (folder / "20240105000000_more.sql").write_text("SELECT 1;\n")
    assert "checksum mismatch" in read_history(folder).warnings[0].message
    (folder / "atlas.sum").write_text("h1:x\nbroken line\n")
    assert "format invalid" in read_history(folder).warnings[0].message
    (folder / "atlas.sum").unlink()
    read = read_history(folder, source_format="atlas")
    assert "checksum file not found" in read.warnings[0].message


@pytest.mark.parametrize(("header", "message"), [
    ("-- atlas:txmode all\n\n", r"txmode all is not allowed in a file"),
    ("-- atlas:txmode sometimes\n\n", r"unknown atlas:txmode 'sometimes'"),
    ("-- atlas:txmode none\n-- atlas:txmode file\n\n", r"two atlas:txmode directives"),
])
def test_refuses_the_txmode_directives_atlas_refuses(tmp_path: Path, header: str,
                                                     message: str) -> None:
    folder = folder_of(tmp_path / "m", {"1_a.sql": header + "CREATE TABLE a (id int);\n"})
    with pytest.raises(InputError, match=message):
        read_history(folder)


def test_a_directive_without_a_blank_line_after_the_header_is_ignored_as_atlas_does(
        tmp_path: Path) -> None:
    folder = folder_of(tmp_path / "m", {
        "1_a.sql": "-- atlas:txmode none\nCREATE TABLE a (id int);\n",
        "2_b.sql": "CREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY b_id ON b (id);\n"})
    read = read_history(folder)
    assert [m.in_transaction for m in read.migrations] == [True, False]
    assert [(w.file, w.line) for w in read.warnings] == [("1_a.sql", 1), ("2_b.sql", 2)]
    assert "ignores this one" in read.warnings[0].message
    assert "atlas:txmode none" in read.warnings[1].message


def test_a_fresh_database_starts_at_the_last_checkpoint(tmp_path: Path) -> None:
    folder = folder_of(tmp_path / "m", {
        "1_a.sql": "CREATE TABLE a (id int);\n",
        "2_b.sql": "CREATE TABLE b (id int);\n",
        "3_checkpoint.sql": "-- atlas:checkpoint\n\nCREATE TABLE a (id int);\n"
                            "CREATE TABLE b (id int);\n",
        "4_c.sql": "CREATE TABLE c (id int);\n"})
    read = read_history(folder)
    assert [m.path for m in read.migrations] == ["3_checkpoint.sql", "4_c.sql"]
    assert [(w.file, "the 2 files before it (1_a.sql to 2_b.sql) are skipped" in w.message)
            for w in read.warnings] == [("3_checkpoint.sql", True)]


# ---------------------------------------------------------------------------------------------
# Writing, and on PostgreSQL


def test_squash_writes_txmode_none_and_a_sum_atlas_accepts(
        tmp_path: Path, pg_cluster: Cluster, fresh_db: Callable[..., str]) -> None:
    folder = folder_of(tmp_path / "migrations", {
        **HISTORY, "20240105000000_notice.sql": (
            "-- atlas:txmode none\n\nDO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM "
            "users; RAISE NOTICE '%', n; END $$;\n")})
    out = tmp_path / "out"
    done = run_cli("squash", str(folder), "--out", str(out), "--layout", "by-origin")
    assert done.returncode == 0, done.stderr
    assert "atlas file" in done.stdout
    names = sorted(p.name for p in out.glob("*.sql"))
    assert sum_warning(out, names) is None
    running = hashlib.sha256()  # the sum recomputed by hand, as Atlas's NewHashFile does
    lines = []
    for name in names:
        running.update(name.encode() + (out / name).read_bytes())
        lines.append(f"{name} h1:{base64.b64encode(running.copy().digest()).decode()}")
    assert (out / "atlas.sum").read_text().splitlines()[1:] == lines
    back = read_history(out)
    assert back.format == "atlas" and back.warnings == ()
    outside = [m for m in back.migrations if not m.in_transaction]
    assert outside and all(m.text.startswith("-- atlas:txmode none\n\n") for m in outside)
    assert "atlas migrate apply" in (out / "README.md").read_text()
    ran_history, ran_squash = fresh_db("at_history"), fresh_db("at_squash")
    replay(pg_cluster.dsn(ran_history), history_files(read_history(folder)))
    replay(pg_cluster.dsn(ran_squash), history_files(back))
    comparison = compare_databases((pg_cluster, ran_history), (pg_cluster, ran_squash))
    assert comparison.equal, comparison.summary()
