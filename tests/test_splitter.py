"""Tests for the statement splitter (schemafold.parse.splitter).

Every case asserts exact statement texts and lines. The fixture files under
tests/fixtures/split/ are also checked against PostgreSQL's own parser (pglast, a GPL dev
dependency used only here), except the ones that intentionally hold psql meta-commands
(``*_meta.sql``) or syntax errors (``*_broken.sql``), which are compared with explicit lists.
So are the coverage fixtures under tests/fixtures/coverage/: statement count and boundaries, the
error fixtures with deliberate syntax errors statement by statement (listed by name).
"""

from __future__ import annotations

from pathlib import Path

import pglast
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pglast import parser as pg_parser

from schemafold.parse.splitter import (
    MetaCommand,
    SplitError,
    SplitResult,
    Statement,
    line_of,
    split_sql,
)

FIXTURES = Path(__file__).parent / "fixtures" / "split"


def read_fixture(path: Path) -> str:
    # Bytes, not read_text(): universal newlines would turn the CRLF fixture into LF.
    return path.read_bytes().decode("utf-8")


def split(text: str, file: str = "<sql>") -> SplitResult:
    """split_sql, plus the invariants every result must satisfy."""
    result = split_sql(text, file)
    previous_end = 0
    for statement in result.statements:
        assert statement.file == file
        assert statement.start >= previous_end
        assert statement.end > statement.start
        assert text[statement.start : statement.end] == statement.text
        assert statement.text == statement.text.strip()
        assert statement.line == line_of(text, statement.start)
        previous_end = statement.end
    for meta in result.meta_commands:
        assert meta.file == file
        assert meta.text.startswith("\\")
        assert meta.text == meta.text.strip()
        assert text.split("\n")[meta.line - 1].strip() == meta.text
    return result


def pieces(text: str) -> list[tuple[int, str]]:
    """(line, text) of each statement."""
    return [(s.line, s.text) for s in split(text).statements]


def texts(text: str) -> list[str]:
    return [s.text for s in split(text).statements]


# -- the interface ------------------------------------------------------------------------------


def test_statement_carries_provenance() -> None:
    text = "-- header\n  CREATE TABLE a (id int);\n"
    result = split_sql(text, "0001_init.sql")
    assert result == SplitResult(
        statements=(
            Statement(
                text="CREATE TABLE a (id int)", file="0001_init.sql", line=2, start=12, end=35
            ),
        ),
        meta_commands=(),
    )


def test_default_file_name() -> None:
    assert split_sql("SELECT 1").statements[0].file == "<sql>"


@pytest.mark.parametrize("text", ["", "   \n\t\n", "-- only a comment\n", "/* c; */ ;; ; -- x"])
def test_nothing_to_split(text: str) -> None:
    assert split(text) == SplitResult((), ())


def test_line_of() -> None:
    text = "a\nbc\r\nd"
    assert [line_of(text, i) for i in range(len(text) + 1)] == [1, 1, 2, 2, 2, 2, 3, 3]


# -- quoting and comments -----------------------------------------------------------------------


def test_dollar_quotes_with_nested_tags_and_semicolons() -> None:
    text = (
        "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.id := 1; RETURN NEW; END; $$"
        " LANGUAGE plpgsql;\n"
        "CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $body$\n"
        "DECLARE q text := $q$a;b$q$;\n"
        "BEGIN RETURN $$x;y$$ || $_$;$_$ || $Body$;$Body$; END;\n"
        "$body$;\n"
        "SELECT $$$$, $a$$a$;"
    )
    assert pieces(text) == [
        (
            1,
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.id := 1; RETURN NEW; END; $$"
            " LANGUAGE plpgsql",
        ),
        (
            2,
            "CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $body$\n"
            "DECLARE q text := $q$a;b$q$;\n"
            "BEGIN RETURN $$x;y$$ || $_$;$_$ || $Body$;$Body$; END;\n"
            "$body$",
        ),
        (6, "SELECT $$$$, $a$$a$"),
    ]


def test_dollar_quote_has_no_escapes() -> None:
    assert texts("SELECT $$a\\$$; SELECT 2") == ["SELECT $$a\\$$", "SELECT 2"]


def test_positional_parameters_are_not_dollar_quotes() -> None:
    assert texts("PREPARE q (int, int) AS SELECT $1 + $2; EXECUTE q (1, 2);") == [
        "PREPARE q (int, int) AS SELECT $1 + $2",
        "EXECUTE q (1, 2)",
    ]


def test_nested_block_comments_with_semicolons() -> None:
    text = (
        "/* block ; comment /* nested ; */ still ; */ CREATE TABLE b (x int);\n"
        "SELECT 1 /* in ; /* the ; */ middle ; */ + 2;\n"
    )
    assert pieces(text) == [
        (1, "CREATE TABLE b (x int)"),
        (2, "SELECT 1 /* in ; /* the ; */ middle ; */ + 2"),
    ]


def test_nested_comment_closed_by_adjacent_terminators() -> None:
    # sqlglot's tokenizer rejects "*/*/" closing a nested comment; PostgreSQL accepts it.
    text = "/* a /* b */*/ SELECT 1;\nSELECT 2 /* c /* d */*/ + 3;"
    assert pieces(text) == [(1, "SELECT 1"), (2, "SELECT 2 /* c /* d */*/ + 3")]
    assert list(pglast.split(text)) == ["SELECT 1", "SELECT 2 /* c /* d */*/ + 3"]


def test_line_comments_with_semicolons() -> None:
    text = "SELECT 1 -- one; two\n  + 2; -- three; four\nSELECT 3;--five;\n"
    assert pieces(text) == [(1, "SELECT 1 -- one; two\n  + 2"), (3, "SELECT 3")]


def test_doubled_single_quotes() -> None:
    text = "INSERT INTO b VALUES ('it''s; fine');\nSELECT '''', ''';''';"
    assert pieces(text) == [
        (1, "INSERT INTO b VALUES ('it''s; fine')"),
        (2, "SELECT '''', ''';'''"),
    ]


def test_standard_strings_do_not_treat_backslash_as_escape() -> None:
    assert texts("SELECT 'a\\'; SELECT 2") == ["SELECT 'a\\'", "SELECT 2"]


def test_escape_strings() -> None:
    text = (
        "INSERT INTO b VALUES (E'\\';still string');\n"
        "INSERT INTO b VALUES (e'back\\\\slash; \\'quoted\\' ''doubled'';');\n"
        "SELECT E'\\\\';"
    )
    assert pieces(text) == [
        (1, "INSERT INTO b VALUES (E'\\';still string')"),
        (2, "INSERT INTO b VALUES (e'back\\\\slash; \\'quoted\\' ''doubled'';')"),
        (3, "SELECT E'\\\\'"),
    ]


def test_other_string_prefixes() -> None:
    text = "SELECT U&'d\\0061t\\+000061;', B'101', X'1F', N'n;'; SELECT 2;"
    assert texts(text) == ["SELECT U&'d\\0061t\\+000061;', B'101', X'1F', N'n;'", "SELECT 2"]


def test_quoted_identifiers_with_semicolons() -> None:
    text = 'CREATE TABLE "semi;colon" (id int, "odd "" name;" text);\nSELECT U&"a;b" FROM t;'
    assert pieces(text) == [
        (1, 'CREATE TABLE "semi;colon" (id int, "odd "" name;" text)'),
        (2, 'SELECT U&"a;b" FROM t'),
    ]


# -- statement boundaries -----------------------------------------------------------------------


def test_empty_statements_produce_nothing() -> None:
    text = ";;\nSELECT 1;;\n ; ;\nSELECT 2;\n;"
    assert pieces(text) == [(2, "SELECT 1"), (4, "SELECT 2")]


def test_missing_final_semicolon() -> None:
    assert pieces("SELECT 1;\nSELECT 2\n  + 3") == [(1, "SELECT 1"), (2, "SELECT 2\n  + 3")]


def test_missing_final_semicolon_then_trailing_comment() -> None:
    text = "SELECT 1;\nSELECT 2 -- no semicolon\n/* end */\n"
    assert pieces(text) == [(1, "SELECT 1"), (2, "SELECT 2")]


def test_trailing_comment_after_last_statement() -> None:
    text = "SELECT 1; -- trailing; comment\n/* and; another */\n"
    assert pieces(text) == [(1, "SELECT 1")]


def test_leading_comments_excluded_inner_comments_kept() -> None:
    text = (
        "-- 0001: leading comment; not part of the statement\n"
        "/* also\n leading */ CREATE TABLE a ( -- inner\n  id int /* kept */\n) /* before ; */;"
    )
    result = split(text)
    assert [(s.line, s.text, s.start) for s in result.statements] == [
        (
            3,
            "CREATE TABLE a ( -- inner\n  id int /* kept */\n)",
            text.index("CREATE"),
        )
    ]


def test_statement_may_start_with_a_parenthesis() -> None:
    assert texts("(SELECT 1) UNION (SELECT 2); (VALUES (1))") == [
        "(SELECT 1) UNION (SELECT 2)",
        "(VALUES (1))",
    ]


def test_several_statements_on_one_line() -> None:
    text = "SELECT 1; SELECT 2;SELECT 3"
    result = split(text)
    assert [(s.line, s.start, s.end, s.text) for s in result.statements] == [
        (1, 0, 8, "SELECT 1"),
        (1, 10, 18, "SELECT 2"),
        (1, 19, 27, "SELECT 3"),
    ]


def test_unicode_offsets_are_characters() -> None:
    text = (
        "COMMENT ON TABLE a IS 'Ünïcødé ; ✓ 日本語';\n"
        "CREATE TABLE \"Ünï;cødé\" (ä int); SELECT '😀';"
    )
    result = split(text)
    assert [(s.line, s.text) for s in result.statements] == [
        (1, "COMMENT ON TABLE a IS 'Ünïcødé ; ✓ 日本語'"),
        (2, 'CREATE TABLE "Ünï;cødé" (ä int)'),
        (2, "SELECT '😀'"),
    ]
    assert result.statements[2].start == text.index("SELECT '😀'")


def test_crlf_line_endings() -> None:
    text = (
        "-- crlf\r\nCREATE TABLE c1 (\r\n  id int\r\n);\r\n\r\n"
        "CREATE FUNCTION c2() RETURNS int LANGUAGE plpgsql AS $$\r\nBEGIN\r\n"
        "  RETURN 1;\r\nEND;\r\n$$;\r\nSELECT 1; SELECT 2\r\n"
    )
    assert pieces(text) == [
        (2, "CREATE TABLE c1 (\r\n  id int\r\n)"),
        (
            6,
            "CREATE FUNCTION c2() RETURNS int LANGUAGE plpgsql AS $$\r\nBEGIN\r\n"
            "  RETURN 1;\r\nEND;\r\n$$",
        ),
        (11, "SELECT 1"),
        (11, "SELECT 2"),
    ]


def test_do_blocks() -> None:
    text = (
        "DO $do$ BEGIN EXECUTE 'SELECT 1; SELECT 2'; END $do$;\n"
        "DO LANGUAGE plpgsql $$\nBEGIN\n  RAISE NOTICE 'a;b';\nEND\n$$ ;\n"
        "do $$ begin perform 1; end $$"
    )
    assert pieces(text) == [
        (1, "DO $do$ BEGIN EXECUTE 'SELECT 1; SELECT 2'; END $do$"),
        (2, "DO LANGUAGE plpgsql $$\nBEGIN\n  RAISE NOTICE 'a;b';\nEND\n$$"),
        (7, "do $$ begin perform 1; end $$"),
    ]


def test_sqlglot_command_statements_keep_exact_slices() -> None:
    # sqlglot's tokenizer folds whatever follows a statement-initial DO/CALL/VACUUM/... into one
    # STRING token with wrong offsets; the splitter switches that mode off.
    text = (
        "CALL p(1, 'a;b')  ;\n"
        "VACUUM (ANALYZE) a -- note; this\n;\n"
        "RESET search_path /* c */;\n"
        "LOCK TABLE a IN ACCESS EXCLUSIVE MODE\n  ;\n"
        "REFRESH MATERIALIZED VIEW mv; SHOW search_path;\n"
        "BEGIN; EXPLAIN SELECT 1"
    )
    assert pieces(text) == [
        (1, "CALL p(1, 'a;b')"),
        (2, "VACUUM (ANALYZE) a"),
        (4, "RESET search_path"),
        (5, "LOCK TABLE a IN ACCESS EXCLUSIVE MODE"),
        (7, "REFRESH MATERIALIZED VIEW mv"),
        (7, "SHOW search_path"),
        (8, "BEGIN"),
        (8, "EXPLAIN SELECT 1"),
    ]


def test_syntax_error_inside_one_statement() -> None:
    text = (
        "CREATE TABLE ok1 (id int);\nCREATE TABLE broken (id int,);\n"
        "SELECT FROM WHERE;\nCREATE TABLE ok2 (id int);"
    )
    assert pieces(text) == [
        (1, "CREATE TABLE ok1 (id int)"),
        (2, "CREATE TABLE broken (id int,)"),
        (3, "SELECT FROM WHERE"),
        (4, "CREATE TABLE ok2 (id int)"),
    ]


def test_unbalanced_closing_parenthesis_does_not_swallow_the_file() -> None:
    assert texts("SELECT 1));\nSELECT 2;") == ["SELECT 1))", "SELECT 2"]


def test_unbalanced_opening_parenthesis_keeps_the_statement_open_like_psql() -> None:
    assert texts("CREATE TABLE t (id int;\nSELECT 2;\nSELECT 3);\nSELECT 4;") == [
        "CREATE TABLE t (id int;\nSELECT 2;\nSELECT 3)",
        "SELECT 4",
    ]


# -- BEGIN ATOMIC, CASE, transactions, rules ----------------------------------------------------


def test_begin_atomic_function_body() -> None:
    text = (
        "CREATE FUNCTION h(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT i + 1; END;\n"
        "CREATE PROCEDURE ins(x int) LANGUAGE sql\nbegin atomic\n"
        "  INSERT INTO t VALUES (x);\n  INSERT INTO t VALUES (x + 1);\nend;\n"
        "SELECT h(1);"
    )
    assert pieces(text) == [
        (1, "CREATE FUNCTION h(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT i + 1; END"),
        (
            2,
            "CREATE PROCEDURE ins(x int) LANGUAGE sql\nbegin atomic\n"
            "  INSERT INTO t VALUES (x);\n  INSERT INTO t VALUES (x + 1);\nend",
        ),
        (7, "SELECT h(1)"),
    ]


def test_case_nests_inside_begin_atomic() -> None:
    text = (
        "CREATE FUNCTION s(i int) RETURNS text LANGUAGE sql BEGIN ATOMIC\n"
        "  SELECT CASE WHEN i > 0 THEN 'pos;' ELSE (CASE i WHEN 0 THEN 'zero' END) END;\n"
        "  SELECT CASE WHEN i IS NULL THEN 'null' END;\n"
        "END;\nSELECT CASE WHEN true THEN 1 END; SELECT 2;"
    )
    assert pieces(text) == [
        (
            1,
            "CREATE FUNCTION s(i int) RETURNS text LANGUAGE sql BEGIN ATOMIC\n"
            "  SELECT CASE WHEN i > 0 THEN 'pos;' ELSE (CASE i WHEN 0 THEN 'zero' END) END;\n"
            "  SELECT CASE WHEN i IS NULL THEN 'null' END;\n"
            "END",
        ),
        (5, "SELECT CASE WHEN true THEN 1 END"),
        (5, "SELECT 2"),
    ]


def test_begin_atomic_with_comment_between_the_keywords() -> None:
    text = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN /* ; */ ATOMIC SELECT 1; END; X"
    assert texts(text) == [
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN /* ; */ ATOMIC SELECT 1; END",
        "X",
    ]


def test_transaction_begin_is_a_statement_of_its_own() -> None:
    text = (
        "BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n"
        "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nEND;\n"
        "BEGIN WORK; ROLLBACK; START TRANSACTION; END"
    )
    assert pieces(text) == [
        (1, "BEGIN"),
        (2, "CREATE TABLE t (id int)"),
        (3, "COMMIT"),
        (4, "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE"),
        (5, "SELECT 1"),
        (6, "END"),
        (7, "BEGIN WORK"),
        (7, "ROLLBACK"),
        (7, "START TRANSACTION"),
        (7, "END"),
    ]


def test_create_rule_with_several_actions() -> None:
    text = (
        "CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES ('x'); "
        "INSERT INTO b VALUES ('y;z'));\n"
        "CREATE RULE r2 AS ON UPDATE TO a DO INSTEAD (\n"
        "  INSERT INTO b VALUES ('old' || OLD.id);\n  NOTIFY a_changed;\n);\n"
        "CREATE RULE r3 AS ON DELETE TO a DO INSTEAD NOTHING;"
    )
    assert pieces(text) == [
        (
            1,
            "CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES ('x'); "
            "INSERT INTO b VALUES ('y;z'))",
        ),
        (
            2,
            "CREATE RULE r2 AS ON UPDATE TO a DO INSTEAD (\n"
            "  INSERT INTO b VALUES ('old' || OLD.id);\n  NOTIFY a_changed;\n)",
        ),
        (6, "CREATE RULE r3 AS ON DELETE TO a DO INSTEAD NOTHING"),
    ]


# -- psql meta-commands -------------------------------------------------------------------------


def test_meta_commands_are_reported_and_not_glued() -> None:
    text = (
        "\\set ON_ERROR_STOP on\nCREATE TABLE p (id int);\n"
        "  \\connect other\t\nCREATE TABLE q (id int);\n\\i next.sql"
    )
    result = split(text, "m.sql")
    assert [(s.line, s.text) for s in result.statements] == [
        (2, "CREATE TABLE p (id int)"),
        (4, "CREATE TABLE q (id int)"),
    ]
    assert result.meta_commands == (
        MetaCommand("\\set ON_ERROR_STOP on", "m.sql", 1),
        MetaCommand("\\connect other", "m.sql", 3),
        MetaCommand("\\i next.sql", "m.sql", 5),
    )


def test_meta_command_with_an_unbalanced_quote() -> None:
    text = "\\echo Don't panic\nSELECT 'x';\n\\echo \"half\nSELECT 2;"
    result = split(text)
    assert [(s.line, s.text) for s in result.statements] == [(2, "SELECT 'x'"), (4, "SELECT 2")]
    assert [(m.line, m.text) for m in result.meta_commands] == [
        (1, "\\echo Don't panic"),
        (3, '\\echo "half'),
    ]


def test_meta_command_after_a_statement_without_blank_line() -> None:
    result = split("SELECT 1; -- done\n\\gset\nSELECT 2")
    assert [(s.line, s.text) for s in result.statements] == [(1, "SELECT 1"), (3, "SELECT 2")]
    assert [(m.line, m.text) for m in result.meta_commands] == [(2, "\\gset")]


def test_backslash_line_inside_a_dollar_body_is_not_a_meta_command() -> None:
    text = "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n\\not meta; SELECT 1\n$$;\n\\x"
    result = split(text)
    assert [(s.line, s.text) for s in result.statements] == [
        (1, "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n\\not meta; SELECT 1\n$$")
    ]
    assert [(m.line, m.text) for m in result.meta_commands] == [(4, "\\x")]


def test_backslash_line_inside_a_block_comment_is_not_a_meta_command() -> None:
    text = "/* comment\n\\not meta\n /* nested\n\\nor this\n */ */\nSELECT 1;\n\\x"
    result = split(text)
    assert [(s.line, s.text) for s in result.statements] == [(6, "SELECT 1")]
    assert [(m.line, m.text) for m in result.meta_commands] == [(7, "\\x")]


def test_backslash_line_inside_strings_is_not_a_meta_command() -> None:
    text = (
        "SELECT 'a\n\\in a string';\nSELECT E'it\\'s\n\\still in it';\n"
        'SELECT "quoted\n\\ident";\n\\x'
    )
    result = split(text)
    assert [(s.line, s.text) for s in result.statements] == [
        (1, "SELECT 'a\n\\in a string'"),
        (3, "SELECT E'it\\'s\n\\still in it'"),
        (5, 'SELECT "quoted\n\\ident"'),
    ]
    assert [(m.line, m.text) for m in result.meta_commands] == [(7, "\\x")]


def test_backslash_line_inside_an_unfinished_statement_stays_in_it() -> None:
    text = "CREATE TABLE r (\n\\unfinished statement\nid int);\nSELECT 1\n\\g\n;\n\\q"
    result = split(text)
    assert [(s.line, s.text) for s in result.statements] == [
        (1, "CREATE TABLE r (\n\\unfinished statement\nid int)"),
        (4, "SELECT 1\n\\g"),
    ]
    assert [(m.line, m.text) for m in result.meta_commands] == [(7, "\\q")]


def test_backslash_not_at_a_line_start_is_not_a_meta_command() -> None:
    # The rule is line-based: only a line whose first non-blank character is a backslash.
    result = split("SELECT 1; \\echo x\nSELECT 2;")
    assert [s.text for s in result.statements] == ["SELECT 1", "\\echo x\nSELECT 2"]
    assert result.meta_commands == ()


def test_meta_commands_in_a_crlf_file() -> None:
    text = "\\set a 1\r\nSELECT 1;\r\n\\echo done\r\n"
    result = split(text)
    assert [(s.line, s.text) for s in result.statements] == [(2, "SELECT 1")]
    assert [(m.line, m.text) for m in result.meta_commands] == [
        (1, "\\set a 1"),
        (3, "\\echo done"),
    ]


def test_many_backslash_lines_inside_bodies_split_right() -> None:
    body = "".join(f"\\line {i} inside a body\n" for i in range(2000))
    text = (
        f"SELECT $$\n{body}$$;\n/*\n{body}*/\nSELECT '\n{body}';\nSELECT E'\\'\n{body}';\n"
        f'SELECT "\n{body}";\n\\echo done\nSELECT 1'
    )
    result = split(text)  # how fast: bench/run.py, not a timed test
    assert len(result.statements) == 5
    assert result.statements[-1].text == "SELECT 1"
    assert [m.text for m in result.meta_commands] == ["\\echo done"]


# -- errors -------------------------------------------------------------------------------------


def test_unterminated_dollar_quote() -> None:
    text = "CREATE TABLE a (id int);\n\nCREATE FUNCTION f() RETURNS int AS $body$\nSELECT 1;\n"
    with pytest.raises(SplitError) as caught:
        split_sql(text, "0002_f.sql")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.file == "0002_f.sql"
    assert error.line == 3
    assert error.text == "$body$"
    assert str(error) == "0002_f.sql:3: unterminated dollar-quoted string: $body$"


def test_unterminated_dollar_quote_on_a_later_line_names_the_statement() -> None:
    text = "SELECT 1;\nCREATE FUNCTION f()\n  RETURNS int AS $$ SELECT 1;\n"
    with pytest.raises(SplitError) as caught:
        split_sql(text, "x.sql")
    assert caught.value.line == 3
    assert caught.value.text == "$$ SELECT 1;"
    assert "line 2" in str(caught.value)
    assert str(caught.value).startswith("x.sql:3: unterminated dollar-quoted string")


@pytest.mark.parametrize(
    ("text", "line", "what", "offending"),
    [
        ("SELECT 1;\nSELECT 'abc;\nSELECT 2;", 2, "quoted string", "'abc;"),
        ("SELECT E'abc\\';\n", 1, "quoted string", "E'abc\\';"),
        ('SELECT 1;\n\nSELECT "abc;\n', 3, "quoted identifier", '"abc;'),
        ("SELECT 1; /* a /* b */\nSELECT 2;", 1, "/* comment", "/* a /* b */"),
        ("SELECT 1;\n\\echo x\n$q$ never closed $Q$", 3, "dollar-quoted", "$q$ never closed $Q$"),
    ],
)
def test_unterminated_constructs(text: str, line: int, what: str, offending: str) -> None:
    with pytest.raises(SplitError) as caught:
        split_sql(text, "bad.sql")
    assert caught.value.file == "bad.sql"
    assert caught.value.line == line
    assert caught.value.text == offending
    assert what in str(caught.value)


def test_offending_text_is_cut_to_one_short_line() -> None:
    text = "SELECT '" + "x" * 200 + "\nmore"
    with pytest.raises(SplitError) as caught:
        split_sql(text)
    assert "\n" not in caught.value.text
    assert len(caught.value.text) <= 80
    assert caught.value.text.startswith("'xxx")


# -- fixture files ------------------------------------------------------------------------------


def _is_pglast_comparable(path: Path) -> bool:
    return not path.name.endswith(("_meta.sql", "_broken.sql"))


FIXTURE_FILES = sorted(FIXTURES.glob("*.sql"))
PGLAST_FIXTURES = [p for p in FIXTURE_FILES if _is_pglast_comparable(p)]


def test_fixture_set_is_complete() -> None:
    names = {p.name for p in FIXTURE_FILES}
    assert {
        "tricky.sql",
        "begin_atomic.sql",
        "rule_multi.sql",
        "psql_meta.sql",
        "syntax_broken.sql",
        "crlf.sql",
        "no_final_semicolon.sql",
    } <= names
    assert b"\r\n" in (FIXTURES / "crlf.sql").read_bytes()
    assert not read_fixture(FIXTURES / "no_final_semicolon.sql").rstrip().endswith(";")
    assert len(split(read_fixture(FIXTURES / "tricky.sql")).statements) >= 15


@pytest.mark.parametrize("path", PGLAST_FIXTURES, ids=lambda p: p.name)
def test_fixture_agrees_with_postgres_parser(path: Path) -> None:
    text = read_fixture(path)
    ours = split(text, path.name).statements
    theirs = list(pglast.split(text))
    assert len(ours) == len(theirs), [s.text for s in ours]
    for mine, pg in zip(ours, theirs, strict=True):
        # pglast's piece runs up to the ';', so it may end with comments; otherwise equal.
        assert pg.startswith(mine.text), (mine.text, pg)
        rest = pg_parser.scan(pg[len(mine.text) :])
        assert all(token.name in ("SQL_COMMENT", "C_COMMENT") for token in rest), pg
        assert pglast.fingerprint(mine.text) == pglast.fingerprint(pg)
        assert len(pglast.parse_sql(mine.text)) == 1


def test_fixture_with_meta_commands() -> None:
    text = read_fixture(FIXTURES / "psql_meta.sql")
    result = split(text, "psql_meta.sql")
    assert [(s.line, s.text) for s in result.statements] == [
        (3, "CREATE TABLE p (id int)"),
        (
            6,
            "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n"
            "\\this line is inside a dollar body\nSELECT 'x'\n$$",
        ),
        (13, "CREATE TABLE q (id int)"),
        (15, "SELECT 'a\n\\inside a string\n'"),
        (18, "CREATE TABLE r (\n\\unfinished statement\nid int)"),
    ]
    assert [(m.line, m.text) for m in result.meta_commands] == [
        (1, "\\set ON_ERROR_STOP on"),
        (2, "\\echo Don't panic: applying 0007"),
        (4, "\\connect other"),
        (14, "\\i other.sql"),
        (21, "\\unset ON_ERROR_STOP"),
        (22, "\\echo last line without a newline"),
    ]
    # With the meta-command lines blanked out, PostgreSQL's parser sees the same statements up to
    # the one that has a backslash line inside it.
    meta_lines = {m.line for m in result.meta_commands}
    blanked = "\n".join(
        " " * len(line) if number in meta_lines else line
        for number, line in enumerate(text.split("\n"), start=1)
    )
    assert list(pglast.split(blanked[: result.statements[4].start])) == [
        s.text for s in result.statements[:4]
    ]


def test_fixture_with_syntax_errors() -> None:
    text = read_fixture(FIXTURES / "syntax_broken.sql")
    assert pieces(text) == [
        (1, "CREATE TABLE ok1 (id int)"),
        (2, "CREATE TABLE broken (id int,)"),
        (3, "CREATE TABLE ok2 (id int)"),
        (4, "SELECT FROM WHERE"),
        (5, "SELECT 1))"),
        (6, "CREATE TABLE ok3 (id int)"),
    ]
    with pytest.raises(pglast.parser.ParseError):
        pglast.split(text)


def test_crlf_fixture_lines() -> None:
    text = read_fixture(FIXTURES / "crlf.sql")
    assert [(s.line, s.text.split("\r\n")[0]) for s in split(text).statements] == [
        (2, "CREATE TABLE c1 ("),
        (9, "CREATE FUNCTION c2() RETURNS int LANGUAGE plpgsql AS $$"),
        (14, "INSERT INTO c1 VALUES (1, 'a')"),
        (14, "INSERT INTO c1 VALUES (2, 'b')"),
    ]


# -- properties and speed -----------------------------------------------------------------------

_POOL = [
    "CREATE TABLE a (id int)",
    "INSERT INTO b VALUES ('it''s; fine')",
    "SELECT E'\\';x'",
    'CREATE TABLE "semi;colon" (id int)',
    "DO $do$ BEGIN EXECUTE 'SELECT 1; SELECT 2'; END $do$",
    "SELECT $q$a;$$b$$;$q$",
    "SELECT 1 /* in; /* nested; */ side */ + 2",
    "SELECT 1 -- line; comment\n  + 2",
    "CREATE FUNCTION h(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT i + 1; END",
    "CREATE RULE r AS ON INSERT TO a DO ALSO (INSERT INTO b VALUES (1); NOTIFY c)",
    "BEGIN",
    "COMMENT ON TABLE a IS 'Ünïcødé ; ✓'",
    "VACUUM (ANALYZE) a",
]
_SEPARATORS = [";", ";\n", " ;\n\n", ";\r\n", "; -- c; d\n", ";/* x; */", ";;\n;", "\n;\t"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_POOL), st.sampled_from(_SEPARATORS)), min_size=1, max_size=12
    ),
    st.sampled_from(["", "-- head; er\n", "/* a; */\n\n", "\\set x 1\n"]),
    st.booleans(),
)
def test_any_sequence_of_statements_splits_back(
    parts: list[tuple[str, str]], head: str, drop_last_separator: bool
) -> None:
    text = head + "".join(statement + separator for statement, separator in parts)
    if drop_last_separator:
        text = text[: len(text) - len(parts[-1][1])]
    result = split(text)
    assert [s.text for s in result.statements] == [statement for statement, _ in parts]
    assert [m.text for m in result.meta_commands] == (
        ["\\set x 1"] if head.startswith("\\") else []
    )


def test_five_thousand_statements_split() -> None:
    base = read_fixture(FIXTURES / "tricky.sql")
    per_copy = len(split(base).statements)
    copies = 5000 // per_copy + 1
    text = "\n".join(f"\\echo part {i}\n{base}" for i in range(copies))
    result = split_sql(text)  # how fast: bench/run.py, not a timed test
    assert len(result.statements) == per_copy * copies >= 5000
    assert len(result.meta_commands) == copies


# -- the coverage fixtures against PostgreSQL's parser -----------------------------------------

COVERAGE = Path(__file__).parent / "fixtures" / "coverage"
COVERAGE_FILES = sorted(COVERAGE.glob("*.sql"))

# Error fixtures holding statements PostgreSQL's grammar rejects on purpose: pglast cannot parse
# these files as a whole, so they are compared statement by statement instead.
PARSER_REJECTS = frozenset(
    {
        "data_errors_syntax.sql",
        "objects_errors_routines.sql",
        "objects_errors_types.sql",
        "opaque_errors_syntax.sql",
        "privileges_errors_syntax.sql",
        "procedural_errors_syntax.sql",
        "session_errors_syntax.sql",
        "tables_errors_syntax.sql",
    }
)


def test_parser_rejects_list_names_existing_error_fixtures() -> None:
    names = {p.name for p in COVERAGE_FILES}
    assert names >= PARSER_REJECTS
    assert all("_errors_" in name for name in PARSER_REJECTS)
    assert len(names - PARSER_REJECTS) >= 30


@pytest.mark.parametrize(
    "path", [p for p in COVERAGE_FILES if p.name not in PARSER_REJECTS], ids=lambda p: p.name
)
def test_coverage_fixture_boundaries_agree_with_postgres_parser(path: Path) -> None:
    """Same number of statements, each starting where PostgreSQL's starts and ending where it
    ends, less comments before the ``;`` (which PostgreSQL's piece keeps)."""
    text = read_fixture(path)
    ours = split(text, path.name).statements
    theirs = pglast.split(text, only_slices=True)
    assert len(ours) == len(theirs), f"{path.name}: {len(ours)} statements, not {len(theirs)}"
    for mine, pg in zip(ours, theirs, strict=True):
        where = f"{path.name}:{mine.line}"
        assert mine.start == pg.start, f"{where}: starts at {mine.start}, PostgreSQL {pg.start}"
        assert pg.start < mine.end <= pg.stop, f"{where}: ends at {mine.end}, PostgreSQL {pg.stop}"
        tail = pg_parser.scan(text[mine.end : pg.stop])
        assert all(t.name in ("SQL_COMMENT", "C_COMMENT") for t in tail), where


@pytest.mark.parametrize("name", sorted(PARSER_REJECTS))
def test_coverage_error_fixture_statements_agree_with_postgres_parser(name: str) -> None:
    """PostgreSQL rejects the file; alone, each statement it accepts is exactly one statement (so
    the splitter glued nothing), and at least one statement is a syntax error to it as well."""
    text = read_fixture(COVERAGE / name)
    with pytest.raises(pg_parser.ParseError):
        pglast.split(text)
    rejected = 0
    for statement in split(text, name).statements:
        try:
            alone = pglast.split(statement.text, only_slices=True)
        except pg_parser.ParseError:
            rejected += 1
            continue
        assert [(s.start, s.stop) for s in alone] == [(0, len(statement.text))], statement.text
    assert rejected >= 1


def test_copy_from_stdin_rows_are_the_copy_data_not_statements() -> None:
    """pg_dump's COPY ... FROM stdin is followed by rows up to a \\. line (psql sends them as the
    COPY's data): a row starting with a backslash is no meta-command, nothing in them is SQL."""
    text = ("CREATE TABLE t (a int, b text);\n"
            "COPY public.t (a, b) FROM stdin;\n"
            "1\tit's; here\n"
            "\\N\t\\\\x\n"
            "\\.\n"
            "\n"
            "SELECT 1;\n")
    result = split_sql(text, "dump.sql")
    assert [s.text for s in result.statements] == [
        "CREATE TABLE t (a int, b text)", "COPY public.t (a, b) FROM stdin", "SELECT 1"]
    assert result.statements[1].copy_data == "1\tit's; here\n\\N\t\\\\x\n"
    assert result.statements[2].line == 7
    assert result.statements[1].runnable == (
        "COPY public.t (a, b) FROM stdin;\n1\tit's; here\n\\N\t\\\\x\n\\.\n")
    assert not result.meta_commands
