"""Liquibase formatted SQL: changesets and their attributes, rollback and directive lines, the
order of files (a folder as an includeAll, a master changelog's include/includeAll), detection,
the v9 checksum, the writer, and a history of changesets squashed and replayed equal on
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import run_cli
from replay_helpers import history_files
from schemafold import fold
from schemafold.errors import InputError
from schemafold.files import plan_files
from schemafold.layout import BY_ORIGIN
from schemafold.sources import detect_format, read_history
from schemafold.sources.liquibase import Row, checksum, parse, rows, runs_on_postgresql
from schemafold.verify.cluster import Cluster
from schemafold.verify.compare import compare_databases
from schemafold.verify.replay import replay
from schemafold.writers import write

# A changelog of our own, run by Liquibase 4.28.0 (its npm package, liquibase@4.28.1) against
# PostgreSQL 15: ``CHECKSUMS`` are the MD5SUM values it recorded in databasechangelog, the
# changeset of dbms:oracle was filtered out ("DBMS mismatch") and recorded nowhere.
CHANGELOG = """--liquibase formatted sql

--changeset alice:1
CREATE TABLE person (id int PRIMARY KEY, name text);
--rollback DROP TABLE person;

--changeset alice:2 runInTransaction:false
-- a plain comment stays in the SQL
CREATE INDEX CONCURRENTLY person_name ON person (name);

--changeset bob:3 splitStatements:false
--comment: a function
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1;
END $$;
/* liquibase rollback
DROP FUNCTION f();
*/

--changeset bob:4 dbms:oracle
CREATE TABLE never_here (id int);

--changeset bob:5 endDelimiter:/
INSERT INTO person VALUES (1, 'ann')
/
--changeset carol:6
--preconditions onFail:MARK_RAN
--precondition-sql-check expectedResult:0 SELECT count(*) FROM person WHERE id = 2
INSERT INTO person VALUES (2, 'bo');
"""
CHECKSUMS = {
    "1": "9:094341a9796834cee552be4b964543d3",
    "2": "9:1bb343cdaf7a2abbe09fd245da293bb2",
    "3": "9:891d20a2763ae8b872ca91c0ef274bb7",
    "5": "9:4f38522677c3ac3bd81d11129f1a1be7",
    "6": "9:9c1ee38fe08139fbbcda3385d84dc84a",
}


def _folder(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_changesets_are_migrations_in_file_order(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m", {"changelog.sql": CHANGELOG})
    assert detect_format(folder) == "liquibase"
    history = read_history(folder)
    assert [(m.version, m.name, m.path, m.in_transaction) for m in history.migrations] == [
        ("1", "1", "changelog.sql::1::alice", True),
        ("2", "2", "changelog.sql::2::alice", False),
        ("3", "3", "changelog.sql::3::bob", True),
        ("4", "5", "changelog.sql::5::bob", True),
        ("5", "6", "changelog.sql::6::carol", True),
    ]
    first, second, function, delimited, _ = history.migrations
    lines = first.text.split("\n")
    assert lines[3] == "CREATE TABLE person (id int PRIMARY KEY, name text);"  # line 4 stays 4
    assert "DROP" not in first.text and "DROP" not in function.text
    assert "--comment" not in function.text and "RETURN 1;" in function.text
    assert second.text.split("\n")[8].startswith("CREATE INDEX CONCURRENTLY")
    assert delimited.text.rstrip().endswith("VALUES (1, 'ann')\n;")
    messages = [(w.line, w.message) for w in history.warnings]
    assert (21, "dbms:oracle: not run on PostgreSQL, skipped") in messages
    assert any(line == 28 and "MARK_RAN" in m for line, m in messages)


def test_checksums_are_those_liquibase_records() -> None:
    changelog = parse(CHANGELOG, "changelog.sql")
    assert {c.id: checksum(c.sql(CHANGELOG)) for c in changelog.changesets
            if c.id in CHECKSUMS} == CHECKSUMS
    # whitespace and line endings do not count, anything else does
    body = "CREATE TABLE person (id int PRIMARY KEY, name text);"
    assert checksum(body) == CHECKSUMS["1"]
    assert checksum("  CREATE TABLE person\r\n(id int PRIMARY KEY,\tname text);\n") == (
        CHECKSUMS["1"])
    assert checksum(body.lower()) != CHECKSUMS["1"]


def test_bookkeeping_rows_are_those_liquibase_writes(tmp_path: Path) -> None:
    """A master including one file and a folder (a sub-folder, a plain SQL file, a GO line),
    updated by Liquibase 4.28.0 on PostgreSQL 15: it ran the changesets in this order and
    recorded these rows."""
    insert = "--liquibase formatted sql\n--changeset a:{0}\nINSERT INTO log VALUES ('{1}');\n"
    folder = _folder(tmp_path / "m", {
        "changelog.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n<databaseChangeLog '
            'xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n'
            '    <include file="first.sql" relativeToChangelogFile="true"/>\n'
            '    <includeAll path="changes/" relativeToChangelogFile="true"/>\n'
            "</databaseChangeLog>\n"),
        "first.sql": "--liquibase formatted sql\n--changeset a:first context:prod labels:x\n"
                     "--comment: hello there\nCREATE TABLE log (what text, at serial);\n",
        "changes/10_b.sql": insert.format("b", "10_b") + "GO\nINSERT INTO log VALUES ('10_b2');\n",
        "changes/2_a.sql": insert.format("a", "2_a"),
        "changes/sub/1_c.sql": insert.format("c", "sub_c"),
        "changes/3_plain.sql": "INSERT INTO log VALUES ('plain1');\n"
                               "INSERT INTO log VALUES ('plain2');\n",
        "changes/z.sql": insert.format("z", "changes_z"),
    })
    assert rows(folder) == [
        Row("first", "a", "first.sql", 1, "9:9e793cd45a65c0d124152bab76ef4de2", "sql",
            "hello there", "prod", "x"),
        Row("b", "a", "changes/10_b.sql", 2, "9:a91f4ab3b87abfac40271ac9a7b0421f", "sql",
            None, None, None),
        Row("a", "a", "changes/2_a.sql", 3, "9:a448ceeca9a7299a8352c9bbb56f88c9", "sql",
            None, None, None),
        Row("raw", "includeAll", "changes/3_plain.sql", 4, "9:6b88a039befb42ba5ef6dd8020caccab",
            "sql", None, None, None),
        Row("c", "a", "changes/sub/1_c.sql", 5, "9:7894c01298579c21375caadb531ce832", "sql",
            None, None, None),
        Row("z", "a", "changes/z.sql", 6, "9:17bba9d882196ec98043dd75284de296", "sql",
            None, None, None),
    ]
    history = read_history(folder)
    assert history.migrations[1].text.split("\n")[3] == ";"  # the GO line ends a statement


def test_attributes_and_directive_lines() -> None:
    text = ("--liquibase formatted sql\n"
            "SELECT 'before any changeset';\n"
            "--changeset a:x runAlways:true failOnError:false\n"
            "--validCheckSum: 9:abc\n"
            "--ignoreLines:start\nnot sql at all\n--ignoreLines:end\n"
            "SELECT 1;\n"
            "--rollback SELECT 2;\n"
            '--changeset "a b":"y z" ignore:true\nSELECT 3;\n'
            "--changeset c:go\nSELECT 4\nGO\n")
    changelog = parse(text, "f.sql")
    assert [w.line for w in changelog.warnings] == [2]
    first, ignored, go = changelog.changesets
    assert first.sql(text) == "SELECT 1;"
    assert [w.message.split(":")[0] for w in first.warnings] == ["runAlways", "failOnError"]
    assert (ignored.author, ignored.id, ignored.ignore) == ("a b", "y z", True)
    assert go.delimiter_lines == (14,)
    with pytest.raises(InputError, match="cannot read"):
        parse("--liquibase formatted sql\n--changeset nocolon\nSELECT 1;\n", "f.sql")
    with pytest.raises(InputError, match="not closed"):
        parse("--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n/* liquibase rollback\n",
              "f.sql")


def test_dbms_lists_as_liquibase_matches_them() -> None:
    assert runs_on_postgresql(None) and runs_on_postgresql("postgresql")
    assert runs_on_postgresql("h2, postgresql") and runs_on_postgresql("!oracle")
    assert runs_on_postgresql("all") and not runs_on_postgresql("none")
    assert not runs_on_postgresql("oracle,h2") and not runs_on_postgresql("!postgresql")


def test_a_folder_applies_in_lexical_order_of_paths(tmp_path: Path) -> None:
    head = "--liquibase formatted sql\n--changeset me:{0}\nCREATE TABLE t{0} (id int);\n"
    folder = _folder(tmp_path / "m", {
        "10_b.sql": head.format("b"), "2_a.sql": head.format("a"),
        "sub/1_c.sql": head.format("c"), "plain.sql": "CREATE TABLE raw (id int);\n"})
    history = read_history(folder)
    assert [m.path for m in history.migrations] == [
        "10_b.sql::b::me", "2_a.sql::a::me", "plain.sql::raw::includeAll", "sub/1_c.sql::c::me"]
    assert history.migrations[2].text == "CREATE TABLE raw (id int);\n"


@pytest.mark.parametrize("master", ["changelog.xml", "changelog.yaml", "changelog.json",
                                    "db.changelog-master.yaml"])
def test_a_master_changelog_orders_the_files(master: str, tmp_path: Path) -> None:
    head = "--liquibase formatted sql\n--changeset me:{0}\nCREATE TABLE t{0} (id int);\n"
    texts = {
        "changelog.xml": (
            '<?xml version="1.0"?>\n<databaseChangeLog '
            'xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n'
            '  <include file="z_first.sql" relativeToChangelogFile="true"/>\n'
            '  <includeAll path="more/" relativeToChangelogFile="true"/>\n'
            "</databaseChangeLog>\n"),
        "changelog.yaml": (
            "databaseChangeLog:\n  - include:\n      file: z_first.sql\n"
            "      relativeToChangelogFile: true\n"
            "  - includeAll: {path: more/, relativeToChangelogFile: true}\n"),
        "changelog.json": (
            '{"databaseChangeLog": [{"include": {"file": "z_first.sql", '
            '"relativeToChangelogFile": true}}, {"includeAll": {"path": "more/"}}]}'),
    }
    texts["db.changelog-master.yaml"] = texts["changelog.yaml"]
    folder = _folder(tmp_path / "m", {
        master: texts[master], "z_first.sql": head.format("z"),
        "more/2_b.sql": head.format("b"), "more/1_a.sql": head.format("a")})
    assert detect_format(folder) == "liquibase"
    assert [m.path for m in read_history(folder).migrations] == [
        "z_first.sql::z::me", "more/1_a.sql::a::me", "more/2_b.sql::b::me"]


def test_xml_change_types_and_missing_includes_are_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "x", {"changelog.xml": (
        '<databaseChangeLog>\n  <changeSet id="1" author="a">\n'
        '    <createTable tableName="t"/>\n  </changeSet>\n</databaseChangeLog>\n')})
    with pytest.raises(InputError, match="formatted SQL changelogs only") as caught:
        read_history(folder)
    assert caught.value.line == 2
    folder = _folder(tmp_path / "y", {"changelog.yaml": (
        "databaseChangeLog:\n  - include:\n      file: gone.sql\n")})
    with pytest.raises(InputError, match="'gone.sql' not found"):
        read_history(folder)


def test_until_counts_changesets_and_defines_fill_properties(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m", {"changelog.sql": (
        "--liquibase formatted sql\n--changeset a:1\nCREATE SCHEMA ${schema};\n"
        "--changeset a:2\nCREATE TABLE ${schema}.t (v text DEFAULT '${unknown}');\n")})
    history = read_history(folder, until="1", defines={"schema": "app"})
    assert [m.name for m in history.migrations] == ["1"]
    assert "CREATE SCHEMA app;" in history.migrations[0].text
    whole = read_history(folder, defines={"schema": "app"})
    assert "'${unknown}'" in whole.migrations[1].text


def test_one_file_given_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "one.sql"
    path.write_text("--liquibase formatted sql\n--changeset a:1\nCREATE TABLE a (id int);\n"
                    "--changeset a:2\nCREATE TABLE b (id int);\n")
    history = read_history(path)
    assert history.format == "liquibase" and len(history.migrations) == 1
    assert "CREATE TABLE b" in history.migrations[0].text
    assert "--changeset" not in history.migrations[0].text


def test_the_writer_and_its_output_replay_equal(tmp_path: Path, pg_cluster: Cluster) -> None:
    src = _folder(tmp_path / "src", {
        "changelog.yaml": "databaseChangeLog:\n  - includeAll:\n      path: changes/\n"
                          "      relativeToChangelogFile: true\n",
        "changes/001_people.sql": (
            "--liquibase formatted sql\n\n--changeset ann:people\n"
            "CREATE TABLE person (id int PRIMARY KEY, name text);\n"
            "INSERT INTO person VALUES (1, 'ann');\n--rollback DROP TABLE person;\n\n"
            "--changeset ann:mood splitStatements:false\n"
            "CREATE TYPE mood AS ENUM ('happy');\n"
            "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE plpgsql AS $$\n"
            "BEGIN RETURN upper(t); END $$;\n"),
        "changes/002_more.sql": (
            "--liquibase formatted sql\n\n--changeset bob:enum-value runInTransaction:false\n"
            "ALTER TYPE mood ADD VALUE 'sad';\n\n--changeset bob:column endDelimiter:/\n"
            "ALTER TABLE person ADD COLUMN feels mood DEFAULT 'sad'\n/\n"
            "UPDATE person SET name = shout(name)\n/\n"),
    })
    history = read_history(src)
    assert [m.in_transaction for m in history.migrations] == [True, True, False, True]
    plan = plan_files(fold(history), BY_ORIGIN, history.migrations)
    files = dict(write(plan, "liquibase", base_version="1"))
    assert files["changelog.xml"].count("<includeAll") == 1
    first = next(text for path, text in files.items() if path.startswith("changes/0001_"))
    assert first.startswith("--liquibase formatted sql\n\n--changeset schemafold:")
    out = _folder(tmp_path / "out", files)
    back = read_history(out)
    assert back.format == "liquibase"
    assert [m.name for m in back.migrations] == [f.name for f in plan.files]
    assert [m.in_transaction for m in back.migrations] == [f.in_transaction for f in plan.files]
    try:
        replay(pg_cluster.create_database("lb_history"), history_files(history))
        replay(pg_cluster.create_database("lb_squash"), history_files(back))
        comparison = compare_databases((pg_cluster, "lb_history"), (pg_cluster, "lb_squash"))
        assert comparison.equal, comparison.summary()
    finally:
        pg_cluster.drop_database("lb_history")
        pg_cluster.drop_database("lb_squash")


def test_squash_command_verifies_a_liquibase_history(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "m", {"changelog.sql": CHANGELOG})
    out = tmp_path / "out"
    done = run_cli("squash", str(folder), "--out", str(out), "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout
    assert (out / "changelog.xml").is_file()
    assert "liquibase update" in (out / "README.md").read_text()
