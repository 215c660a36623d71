"""The row evaluator (schemafold.rows) and data folding on tracked rows (schemafold.fold.data):
what is evaluated, what is refused (``NotStatic``), and the rule for statements kept verbatim."""

from __future__ import annotations

import re

import pytest

from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.fold import FoldResult
from schemafold.names import QName
from schemafold.rows import (
    MaxOf,
    NotStatic,
    Scope,
    constant,
    created_names,
    is_literal,
    names_in_sql_strings,
    nextval_of,
    parse_on_conflict,
    parse_predicate,
    parse_select,
    parse_sequence_value,
    substitute,
)


def scope(**columns: tuple[str, str]) -> Scope:
    """A row: column -> (value text, comparison category)."""
    return Scope({k: v for k, (v, _) in columns.items()},
                 {k: c for k, (_, c) in columns.items()}, frozenset({"t"}))


ROW = scope(id=("3", "integer"), name=("'Ann'", "text"), email=("NULL", "text"),
            active=("TRUE", "boolean"), price=("10.50", "numeric"))


# ---------------------------------------------------------------------------------------------
# Predicates


@pytest.mark.parametrize(("predicate", "expected"), [
    ("id = 3", True),
    ("id = '3'", True),
    ("t.id <> 3", False),
    ("id != 4", True),
    ("id IN (1, 2, 3)", True),
    ("id NOT IN (1, 2)", True),
    ("id IN (1, NULL)", None),
    ("email IS NULL", True),
    ("email IS NOT NULL", False),
    ("email = 'x'", None),
    ("name = 'Ann' AND (id = 1 OR id = 3)", True),
    ("NOT (name = 'Ann')", False),
    ("email = 'x' OR id = 3", True),
    ("email = 'x' AND id = 4", False),
    ("active", True),
    ("active IS TRUE AND NOT active = 'f'", True),
    ("price = 10.5", True),
    ("price >= 10 AND id < 4", True),
    ("TRUE", True),
])
def test_predicates_are_evaluated_with_three_valued_logic(predicate: str,
                                                          expected: bool | None) -> None:
    assert parse_predicate(predicate)(ROW) is expected


@pytest.mark.parametrize(("category", "left", "right", "equal"), [
    ("citext", "'Ann'", "'aNN'", True),
    ("character", "'ab  '", "'ab'", True),
    ("uuid", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "'{a0eebc999c0b4ef8bb6d6bb9bd380a11}'",
     True),
    ("jsonb", "'{\"a\": 1, \"b\": [2]}'", "'{\"b\":[2],\"a\":1}'", True),
    ("enum", "'low'", "'high'", False),
    ("text", "'a'", "'A'", False),
    ("boolean", "'yes'", "TRUE", True),
    ("other", "'2020-01-01'", "'2020-01-01'", True),
])
def test_literals_compare_by_the_column_type(category: str, left: str, right: str,
                                             equal: bool) -> None:
    assert parse_predicate(f"c = {right}")(scope(c=(left, category))) is equal


@pytest.mark.parametrize(("predicate", "reason"), [
    ("c = '2020-01-02'", "does not compare"),
    ("lower(name) = 'ann'", "calls lower()"),
    ("id IN (SELECT 1)", "IN (SELECT"),
    ("name LIKE 'A%'", "LIKE"),
    ("d = 1", "not a column"),
    ("name < 'B'", "not numbers"),
    ("x.id = 3", "x.id"),
])
def test_what_a_predicate_cannot_decide_is_not_static(predicate: str, reason: str) -> None:
    row = scope(id=("3", "integer"), name=("'Ann'", "text"), c=("'2020-01-01'", "other"))
    with pytest.raises(NotStatic, match=re.escape(reason)):
        parse_predicate(predicate)(row)


def test_a_column_holding_an_expression_is_not_compared() -> None:
    with pytest.raises(NotStatic, match="not a constant"):
        parse_predicate("at = '2020-01-01'")(scope(at=("now()", "other")))


def test_exists_reads_the_rows_of_another_table() -> None:
    rows = [scope(code=("'a'", "text")), scope(code=("'b'", "text"))]

    def tables(name: QName) -> list[Scope]:
        assert name == QName(None, "codes")
        return rows

    exists = parse_predicate("NOT EXISTS (SELECT 1 FROM codes WHERE code = 'b')", tables)
    assert exists(Scope({}, {})) is False
    assert parse_predicate("EXISTS (SELECT 1 FROM codes WHERE code = 'z')", tables)(
        Scope({}, {})) is False


# ---------------------------------------------------------------------------------------------
# Expressions and constants


def test_substitute_replaces_columns_and_folds_constants() -> None:
    assert substitute("lower(split_part(email, '@', 1))",
                      {None: scope(email=("'Ann@x.org'", "text"))}) == ("'ann'", False)
    assert substitute("jsonb_build_object('a', a, 'b', t.b)",
                      {None: scope(a=("1", "integer"), b=("NULL", "text"))}) == (
        "jsonb_build_object('a', 1, 'b', NULL)", False)
    assert substitute("n - 1", {None: scope(n=("-5", "integer"))}) == ("-6", False)
    assert substitute("coalesce(x, now())", {None: scope(x=("NULL", "other"))}) == (
        "coalesce(NULL, now())", True)
    assert substitute("EXCLUDED.v || '!'", {None: scope(v=("'old'", "text")),
                                            "excluded": scope(v=("'new'", "text"))}) == (
        "'new!'", False)
    assert substitute("CAST(n AS text)", {None: scope(n=("7", "integer"))}) == (
        "CAST(7 AS text)", False)


def test_substituted_literals_keep_their_column_type() -> None:
    row = Scope({"meta": "'{}'", "n": "2", "s": "'x'"}, {}, frozenset(),
                {"meta": "jsonb", "n": "integer", "s": "text"})
    assert substitute("meta || '{\"a\": 1}'", {None: row}) == (
        "('{}')::jsonb || '{\"a\": 1}'", False)
    assert substitute("n * 3", {None: row}) == ("6", False)
    assert substitute("meta", {None: row}) == ("'{}'", False)  # the column itself: as it is
    assert substitute("s || n", {None: row}) == ("'x2'", False)


@pytest.mark.parametrize(("expression", "reason"), [
    ("(SELECT max(id) FROM t)", "subquery"),
    ("my_function(a)", r"calls my_function\(\)"),
    ("nextval('s')", r"calls nextval\(\)"),
    ("other_column + 1", "other_column"),
    ("u.a", "u.a"),
])
def test_substitute_refuses_what_it_cannot_evaluate(expression: str, reason: str) -> None:
    with pytest.raises(NotStatic, match=reason):
        substitute(expression, {None: scope(a=("1", "integer"))})


@pytest.mark.parametrize(("text", "folded"), [
    ("'a' || 'b'", "'ab'"),
    ("upper('x') || 1 + 2", "'X3'"),
    ("(0) + 1", "1"),
    ("('5')::int * 100", "500"),
    ("-7 / 2", "-3"),
    ("-7 % 3", "-1"),
    ("1.5 * 2", "3.0"),
    ("concat('a', NULL, 2)", "'a2'"),
    ("'it''s' || ''", "'it''s'"),
    ("'a' || NULL", "NULL"),
    ("'x'", None),
    ("now()", None),
    ("1 / 0", None),
    ("'{}'::jsonb || '{}'", None),
])
def test_constant_folding(text: str, folded: str | None) -> None:
    assert constant(text) == folded


def test_literals() -> None:
    assert all(is_literal(t) for t in ("1", "-2.5", "'x'", "NULL", "TRUE", "'{}'::jsonb",
                                       "(3)", "date '2020-01-01'", "'a'::varchar(3)[]"))
    assert not any(is_literal(t) for t in ("now()", "1 + 1", "a", "ARRAY[1]"))


# ---------------------------------------------------------------------------------------------
# Statement fragments


def test_parse_select_takes_one_table_and_a_predicate() -> None:
    select = parse_select("SELECT id, lower(name) AS n FROM app.users u WHERE id > 1")
    assert (select.items, select.table, select.alias, select.where) == (
        ("id", "lower(name) AS n"), QName("app", "users"), "u", "id > 1")
    assert parse_select("SELECT * FROM t").items is None
    assert parse_select("SELECT 1, 'x'").table is None
    for query in ("SELECT a FROM t JOIN u ON u.id = t.id", "SELECT count(*) FROM t",
                  "SELECT a FROM t ORDER BY a", "SELECT DISTINCT a FROM t",
                  "SELECT a FROM t UNION SELECT b FROM u", "WITH x AS (SELECT 1) SELECT 1"):
        with pytest.raises(NotStatic):
            parse_select(query)


def test_parse_on_conflict() -> None:
    nothing = parse_on_conflict("(key) DO NOTHING")
    assert (nothing.columns, nothing.update) == (("key",), None)
    update = parse_on_conflict("ON CONSTRAINT t_pkey DO UPDATE SET v = EXCLUDED.v, n = t.n + 1 "
                               "WHERE t.n < 5")
    assert update.constraint == "t_pkey"
    assert [(a.column, a.expression) for a in update.update or ()] == [
        ("v", "EXCLUDED.v"), ("n", "t.n + 1")]
    assert update.where == "t.n < 5"
    with pytest.raises(NotStatic):
        parse_on_conflict("(lower(key)) DO NOTHING")


@pytest.mark.parametrize(("text", "value"), [
    ("42", 42),
    ("(SELECT max(id) FROM countries)", MaxOf(QName(None, "countries"), "id")),
    ("COALESCE((SELECT MAX(id) FROM s.t), 1)", MaxOf(QName("s", "t"), "id", 1)),
    ("(SELECT coalesce(max(id), 0) + 1 FROM t)", MaxOf(QName(None, "t"), "id", 0, 1)),
    ("max(no)", MaxOf(None, "no")),
    ("(SELECT max(id) FROM t) + 10", MaxOf(QName(None, "t"), "id", None, 10)),
])
def test_parse_sequence_value(text: str, value: int | MaxOf) -> None:
    assert parse_sequence_value(text) == value


def test_small_readers() -> None:
    assert nextval_of("nextval('app.\"Seq\"'::regclass)") == QName("app", "Seq")
    assert nextval_of("nextval('s')") == QName(None, "s")
    assert nextval_of("now()") is None
    assert created_names("DO $$ BEGIN CREATE TABLE IF NOT EXISTS app.x (a int); "
                         "EXECUTE 'create view v as select 1'; END $$") == [
        QName("app", "x"), QName(None, "v")]
    assert QName(None, "accounts") in names_in_sql_strings(
        "DO $$ BEGIN EXECUTE 'UPDATE accounts SET a = 1'; END $$")


# ---------------------------------------------------------------------------------------------
# Data folding on tracked rows


def rows(result: FoldResult, table: str = "t") -> list[dict[str, str]]:
    return [dict(r.values) for r in result.schema.rows.get(("table", "public", table), ())]


def outcomes(result: FoldResult) -> list[str]:
    return [entry.describe() for entry in result.ledger]


def test_update_and_delete_by_predicate() -> None:
    result = fold_sql(
        "CREATE TABLE t (id int, tag text);\n"
        "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL);\n"
        "UPDATE t SET tag = tag || '!' WHERE tag IS NOT NULL AND id <> 2;\n"
        "UPDATE t SET tag = 'z' WHERE id = 9;\n"
        "DELETE FROM t WHERE tag IS NULL;\n"
        "DELETE FROM t WHERE id IN (7, 8);\n")
    assert rows(result) == [{"id": "2", "tag": "'b'"}, {"id": "1", "tag": "'a!'"}]
    assert outcomes(result)[3:] == ["no-op(no row matches)", "absorbed-into(table public.t)",
                                    "no-op(no row matches)"]
    assert not result.schema.kept


def test_statements_on_an_empty_table_are_no_ops() -> None:
    result = fold_sql("CREATE TABLE t (id int);\nUPDATE t SET id = (SELECT 1);\n"
                      "DELETE FROM t WHERE random() > 0.5;\nTRUNCATE t;\n")
    assert outcomes(result)[1:] == ["no-op(table public.t is empty)"] * 2 + [
        "no-op(tables are empty)"]


def test_a_statement_trigger_fires_even_on_an_empty_table() -> None:
    result = fold_sql(
        "CREATE TABLE t (id int);\nCREATE TABLE log (at text);\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n"
        "  INSERT INTO log VALUES ('deleted'); RETURN NULL; END $$;\n"
        "CREATE TRIGGER tr AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION f();\n"
        "DELETE FROM t;\n")
    assert outcomes(result)[-1] == "kept-verbatim"


def test_a_statement_trigger_that_changes_nothing_does_not_stop_the_fold() -> None:
    result = fold_sql(
        "CREATE TABLE t (id int);\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n"
        "  PERFORM pg_notify('t', 'deleted'); RETURN NULL; END $$;\n"
        "CREATE TRIGGER tr AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION f();\n"
        "DELETE FROM t;\n")
    assert outcomes(result)[-1].startswith("no-op")


def test_what_cannot_be_evaluated_is_kept_and_the_table_stays_verbatim() -> None:
    result = fold_sql(
        "CREATE TABLE t (id int, n int);\n"
        "INSERT INTO t VALUES (1, 1);\n"
        "UPDATE t SET n = (SELECT 2);\n"
        "INSERT INTO t VALUES (2, 2);\n")
    assert outcomes(result)[1:] == ["absorbed-into(table public.t)", "kept-verbatim",
                                    "kept-verbatim"]
    assert rows(result) == [{"id": "1", "n": "1"}]  # loaded before the kept statements
    assert [k.data for k in result.schema.kept] == [True, True]
    assert "cannot evaluate it: a subquery" in str(result.warnings[0])


def test_insert_select_from_a_tracked_table_and_the_not_exists_idiom() -> None:
    result = fold_sql(
        "CREATE TABLE old (id int, name text);\n"
        "INSERT INTO old VALUES (1, 'Ann'), (2, 'Bob');\n"
        "CREATE TABLE t (id serial, name text);\n"
        "INSERT INTO t (name) SELECT upper(name) FROM old WHERE id > 1;\n"
        "INSERT INTO t (name) SELECT 'Cy' WHERE NOT EXISTS (SELECT 1 FROM t WHERE name = 'Cy');\n"
        "INSERT INTO t (name) SELECT 'Cy' WHERE NOT EXISTS (SELECT 1 FROM t WHERE name = 'Cy');\n"
        "DROP TABLE old;\n")
    assert rows(result) == [{"id": "1", "name": "'BOB'"}, {"id": "2", "name": "'Cy'"}]
    assert outcomes(result)[-3:] == ["absorbed-into(table public.t)",
                                     "no-op(the query selects no rows)",
                                     "absorbed-into(table public.old)"]
    assert not result.schema.kept


def test_on_delete_cascade_through_two_tables() -> None:
    result = fold_sql(
        "CREATE TABLE a (id int PRIMARY KEY);\n"
        "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a ON DELETE CASCADE);\n"
        "CREATE TABLE c (id int, b_id int REFERENCES b (id) ON DELETE CASCADE);\n"
        "INSERT INTO a VALUES (1), (2);\n"
        "INSERT INTO b VALUES (10, 1), (20, 2);\n"
        "INSERT INTO c VALUES (100, 10), (200, 20), (300, NULL);\n"
        "DELETE FROM a WHERE id = 2;\n")
    assert rows(result, "b") == [{"id": "10", "a_id": "1"}]
    assert rows(result, "c") == [{"id": "100", "b_id": "10"}, {"id": "300", "b_id": "NULL"}]


def test_added_columns_fill_tracked_rows_in_order() -> None:
    result = fold_sql(
        "CREATE TABLE t (name text);\n"
        "INSERT INTO t VALUES ('a'), ('b');\n"
        "ALTER TABLE t ADD COLUMN id serial, ADD COLUMN kind text DEFAULT 'x';\n"
        "ALTER TABLE t ADD COLUMN ident int GENERATED ALWAYS AS IDENTITY (START WITH 5);\n"
        "ALTER TABLE t ALTER COLUMN kind TYPE int USING length(kind) + 1;\n")
    assert rows(result) == [{"name": "'a'", "id": "1", "kind": "2", "ident": "5"},
                            {"name": "'b'", "id": "2", "kind": "2", "ident": "6"}]


def test_rows_follow_a_renamed_enum_label() -> None:
    result = fold_sql(
        "CREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE t (m mood, n text);\n"
        "INSERT INTO t VALUES ('sad', 'sad'), ('ok'::mood, NULL);\n"
        "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';\n"
        "DELETE FROM t WHERE m = 'blue';\n")
    assert rows(result) == [{"m": "'ok'::mood", "n": "NULL"}]


def test_a_kept_delete_whose_foreign_key_acts_runs_after_it_and_so_does_what_follows() -> None:
    result = fold_sql(
        "CREATE TABLE p (id int PRIMARY KEY, tags text[]);\n"
        "CREATE TABLE c (id int, p_id int REFERENCES p ON DELETE CASCADE);\n"
        "INSERT INTO p VALUES (1, '{a}');\nINSERT INTO c VALUES (10, 1);\n"
        "DELETE FROM p WHERE 'a' = ANY (tags);\n"
        "INSERT INTO c VALUES (11, NULL);\nALTER TABLE c ADD COLUMN x int;\n"
        "ALTER TABLE c ADD CONSTRAINT c_id_check CHECK (id > 0);\n")
    assert outcomes(result)[4:] == ["kept-verbatim", "kept-verbatim",
                                    "absorbed-into(table public.c)",
                                    "absorbed-into(table public.c)"]
    assert [k.data for k in result.schema.kept] == [False, False]  # after every object
    [barrier] = result.data_notes.barriers
    assert barrier.writes == (("table", "public", "p"), ("table", "public", "c"))
    assert [(c.kind, c.name, c.line) for c in result.data_notes.rule_changes] == [
        ("check constraint", "c_id_check", 6)]


def test_emptying_a_table_cannot_supersede_what_also_wrote_another() -> None:
    result = fold_sql(
        "CREATE TABLE p (id int PRIMARY KEY, tags text[]);\n"
        "CREATE TABLE c (id int, p_id int REFERENCES p ON DELETE CASCADE);\n"
        "INSERT INTO p VALUES (1, '{a}');\nINSERT INTO c VALUES (10, 1);\n"
        "DELETE FROM p WHERE 'a' = ANY (tags);\nTRUNCATE c;\nTRUNCATE p CASCADE;\n")
    # TRUNCATE c alone leaves p, which the DELETE also wrote: kept; p and c together: both go
    assert outcomes(result)[4:] == ["superseded-by(<sql>:7)"] * 2 + [
        "absorbed-into(table public.p)"]
    assert not result.schema.kept and not result.schema.rows


def test_renames_and_drops_follow_the_rows() -> None:
    result = fold_sql(
        "CREATE TABLE t (a int, b int);\nINSERT INTO t VALUES (1, 2);\n"
        "UPDATE t SET b = 3;\n"
        "ALTER TABLE t RENAME COLUMN a TO c;\nALTER TABLE t DROP COLUMN b;\n"
        "ALTER TABLE t RENAME TO u;\n")
    assert rows(result, "u") == [{"c": "1"}]
    assert outcomes(result)[2] == "superseded-by(<sql>:5)"  # the column it set is gone


def test_kept_statement_naming_a_renamed_column_is_an_error_naming_file_and_line() -> None:
    with pytest.raises(InputError) as raised:
        fold_sql("CREATE TABLE t (a int, b int);\n"
                 "INSERT INTO t VALUES (1, 2);\n"
                 "UPDATE t SET b = (SELECT max(a) FROM t);\n"
                 "ALTER TABLE t RENAME COLUMN a TO c;\n", file="m.sql")
    error = raised.value
    assert (error.file, error.line) == ("m.sql", 3)
    assert "column public.t.a is renamed at m.sql:4" in str(error)


def test_kept_statement_on_a_table_dropped_later_is_superseded() -> None:
    result = fold_sql("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n"
                      "UPDATE t SET a = (SELECT 2);\nDROP TABLE t;\n")
    assert outcomes(result)[1:3] == ["superseded-by(<sql>:4)"] * 2
    assert not result.schema.kept


WIPED = (
    "CREATE TABLE pack (id serial PRIMARY KEY, ref text);\n"
    "CREATE TABLE runtime (id serial PRIMARY KEY, pack int, kind text);\n"
    "INSERT INTO runtime (pack, kind) VALUES ((SELECT id FROM pack WHERE ref = 'core'), 'a'),\n"
    "    ((SELECT id FROM pack WHERE ref = 'core'), 'b');\n"
    "INSERT INTO runtime (pack, kind) VALUES ((SELECT id FROM pack LIMIT 1), 'c');\n"
)


def test_truncate_supersedes_statements_kept_on_a_table_and_knows_its_rows_again() -> None:
    # As Attune's runtimes: rows the fold cannot evaluate, then the table emptied whole; the
    # column the kept statements name is dropped later, which the superseded ones may.
    result = fold_sql(WIPED + "TRUNCATE runtime;\nALTER TABLE runtime DROP COLUMN kind;\n"
                      "INSERT INTO runtime (pack) VALUES (1);\nINSERT INTO pack (ref) "
                      "VALUES ('core');\n")
    assert outcomes(result)[2:4] == ["superseded-by(<sql>:6)"] * 2
    assert not result.schema.kept
    assert rows(result, "runtime") == [{"id": "4", "pack": "1"}]  # 3 values drawn before
    assert rows(result, "pack") == [{"id": "1", "ref": "'core'"}]  # pack is tracked again


def test_a_sequence_advanced_by_superseded_statements_cannot_be_drawn_from_again() -> None:
    unknown = ("INSERT INTO runtime (pack, kind) SELECT id, ref FROM pack p "
               "JOIN pack q USING (id);\n")
    with pytest.raises(InputError) as raised:
        fold_sql(WIPED + unknown + "DELETE FROM runtime;\n"
                 "INSERT INTO runtime (pack) VALUES (2);\n", file="m.sql")
    assert (raised.value.file, raised.value.line) == ("m.sql", 8)
    assert "sequence public.runtime_id_seq, whose position is not known after m.sql:7" in str(
        raised.value)
    restarted = fold_sql(WIPED + unknown + "TRUNCATE runtime RESTART IDENTITY;\n"
                         "INSERT INTO runtime (pack) VALUES (2);\n")
    assert rows(restarted, "runtime") == [{"id": "1", "pack": "2", "kind": "NULL"}]


def test_rows_of_a_setup_table_are_kept_verbatim(tmp_path: object) -> None:
    from pathlib import Path

    setup = Path(str(tmp_path)) / "setup.sql"
    setup.write_text("CREATE SCHEMA auth; CREATE TABLE auth.users (id int);\n")
    result = fold_sql("INSERT INTO auth.users VALUES (1);\n", setup=[setup])
    assert outcomes(result) == ["kept-verbatim"]
    assert "comes from the setup" in str(result.warnings[-1])


def test_a_barrier_keeps_later_ddl_on_what_it_may_change() -> None:
    result = fold_sql(
        "CREATE TABLE t (id int);\nCREATE TABLE u (id int);\n"
        "DO $$ DECLARE n int; BEGIN PERFORM pg_advisory_xact_lock(1); "
        "EXECUTE 'ALTER TABLE t ADD COLUMN x int'; END $$;\n"
        "CREATE INDEX t_x ON t (x);\nDROP INDEX t_x;\nALTER TABLE u ADD COLUMN y int;\n")
    assert outcomes(result)[2:] == ["kept-verbatim"] * 3 + ["absorbed-into(table public.u)"]
    [barrier] = result.data_notes.barriers
    assert barrier.writes == (("table", "public", "t"),)
    assert ("index", "public", "t_x") not in result.schema.objects


# ---------------------------------------------------------------------------------------------
# What the parser gives the data fold


def test_parsed_setval_and_insert_shapes() -> None:
    from schemafold.events import Insert, Opaque, SetSequenceValue
    from schemafold.parse import parse_sql

    def event(text: str) -> object:
        [only] = parse_sql(text).events
        return only

    setval = event("SELECT pg_catalog.setval('app.s'::regclass, 42, false)")
    assert isinstance(setval, SetSequenceValue)
    assert (setval.sequence, setval.value, setval.is_called) == (QName("app", "s"), "42", False)
    serial = event("SELECT setval(pg_get_serial_sequence('t', 'Id'), max(id)) FROM t")
    assert isinstance(serial, SetSequenceValue)
    assert (serial.column_of, serial.from_table) == ((QName(None, "t"), "Id"), QName(None, "t"))
    assert isinstance(event("SELECT setval('s', 1), now()"), Opaque)
    joined = event("INSERT INTO a SELECT b.id FROM b JOIN c ON c.id = b.id ON CONFLICT DO NOTHING")
    assert isinstance(joined, Insert)
    assert (joined.query, joined.on_conflict) == ("SELECT b.id FROM b JOIN c ON c.id = b.id",
                                                  "DO NOTHING")
    defaults = event("INSERT INTO a (x, y) VALUES (DEFAULT, 1), (2, now())")
    assert isinstance(defaults, Insert)
    assert defaults.rows is None and defaults.query == "VALUES (DEFAULT, 1), (2, now())"
    assert isinstance(event("INSERT INTO a (x) VALUES (DEFAULT)"), Insert)
