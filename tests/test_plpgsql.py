"""The PL/pgSQL interpreter (schemafold.plpgsql) on its own and inside the fold: what it reads,
how it evaluates, what it runs, and where it gives up (the statement then stays an opaque
barrier, exactly as before). The histories proven on PostgreSQL are in
test_plpgsql_histories.py; the expected values here were checked on PostgreSQL 15."""

from __future__ import annotations

import datetime

import pytest

from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.fold import FoldResult
from schemafold.model import Table
from schemafold.plpgsql import syntax as s
from schemafold.plpgsql.run import CURRENT_DATABASE, _compare
from schemafold.plpgsql.values import (
    GiveUp,
    PlpgsqlError,
    add_interval,
    cast,
    format_text,
    output,
    parse_array,
    parse_interval,
    quote_literal,
    quote_nullable,
    to_char,
)


def tables(result: FoldResult) -> list[str]:
    return sorted(f"{k[1]}.{k[2]}" for k, o in result.schema.objects.items()
                  if isinstance(o, Table))


def outcome(result: FoldResult, line: int) -> str:
    [entry] = [e for e in result.ledger if e.line == line]
    return entry.outcome


def do(body: str) -> str:
    return f"DO $$\n{body}\n$$;\n"


# -- reading ----------------------------------------------------------------------------------


def test_reads_every_statement_kind() -> None:
    block = s.parse_block("""
<<outer>>
DECLARE
  i int := 0;
  t text DEFAULT 'x';
  c CONSTANT int = 3;
  r record;
  a ALIAS FOR i;
BEGIN
  i := i + 1;
  t = 'y';
  IF i > 0 THEN NULL; ELSIF i < 0 THEN NULL; ELSE NULL; END IF;
  CASE i WHEN 1, 2 THEN NULL; ELSE NULL; END CASE;
  CASE WHEN i = 1 THEN NULL; END CASE;
  LOOP EXIT WHEN i > 3; i := i + 1; CONTINUE; END LOOP;
  <<inner>> WHILE i < 5 LOOP i := i + 1; EXIT inner; END LOOP inner;
  FOR j IN REVERSE 10..1 BY 2 LOOP NULL; END LOOP;
  FOR r IN SELECT relname FROM pg_class LOOP NULL; END LOOP;
  FOR r IN EXECUTE 'SELECT 1' LOOP NULL; END LOOP;
  FOREACH t IN ARRAY ARRAY['a'] LOOP NULL; END LOOP;
  PERFORM 1;
  SELECT 1, 2 INTO STRICT i, c FROM pg_class;
  EXECUTE format('CREATE TABLE %I ()', t) USING i;
  EXECUTE 'SELECT 1' INTO i;
  RAISE NOTICE 'n % %', i, t;
  RAISE EXCEPTION USING MESSAGE = 'm', ERRCODE = 'P0001';
  RAISE duplicate_object;
  ASSERT i > 0, 'message';
  CREATE TABLE plain (id int);
  RETURN;
EXCEPTION
  WHEN duplicate_table OR SQLSTATE '42710' THEN NULL;
  WHEN others THEN RAISE;
END outer;
""")
    assert block.label == "outer"
    assert [d.name for d in block.declares] == ["i", "t", "c", "r", "a"]
    assert block.declares[4].alias_of == "i"
    kinds = [type(st).__name__ for st in block.body]
    assert kinds == ["Assign", "Assign", "If", "Case", "Case", "Loop", "Loop", "Loop", "Loop",
                     "Loop", "Loop", "Sql", "Sql", "Execute", "Execute", "Raise", "Raise",
                     "Raise", "Assert", "Sql", "Return"]
    loops = [st for st in block.body if isinstance(st, s.Loop)]
    assert loops[1].label == "inner" and loops[1].condition is not None
    assert loops[2].reverse and loops[2].low == s.Text("10", loops[2].low.line)
    assert loops[2].step is not None and loops[2].step.text == "2"
    assert loops[3].query is not None and not loops[3].dynamic
    assert loops[4].dynamic and loops[5].array is not None
    select = block.body[12]
    assert isinstance(select, s.Sql)
    assert select.into == ("i", "c") and select.strict
    assert select.text.text == "SELECT 1, 2 FROM pg_class"
    assert block.handlers is not None
    assert block.handlers[0].conditions == ("duplicate_table", "sqlstate 42710")


@pytest.mark.parametrize("body", [
    "DECLARE c CURSOR FOR SELECT 1; BEGIN NULL; END",
    "BEGIN OPEN c; END",
    "BEGIN GET DIAGNOSTICS n = ROW_COUNT; END",
    "BEGIN COMMIT; END",
    "BEGIN RETURN NEXT 1; END",
    "BEGIN NULL;",
])
def test_refuses_what_it_does_not_read(body: str) -> None:
    with pytest.raises(s.Unreadable):
        s.parse_block(body)


# -- values ------------------------------------------------------------------------------------


def test_format_as_postgresql_writes_it() -> None:
    assert format_text("%s|%L|%I|%-5s|%3s|%%|%2$s", [True, True, "Ab", "ab", "c"]) == \
        "t|'t'|\"Ab\"|ab   |  c|%|t"
    assert format_text("%I.%I", ["public", "user"]) == 'public."user"'
    assert format_text("%L %s", [None, None]) == "NULL "
    assert format_text("%1$s %1$L", ["x"]) == "x 'x'"
    assert format_text("%s", [[1, 2]]) == "{1,2}"
    with pytest.raises(PlpgsqlError) as caught:
        format_text("%I", [None])
    assert caught.value.sqlstate == "22004"
    with pytest.raises(PlpgsqlError):
        format_text("%s %s", ["a"])


def test_quoting_and_casts() -> None:
    assert quote_literal(5) == "'5'"
    assert quote_literal("it's") == "'it''s'"
    assert quote_literal("a\\b") == "E'a\\\\b'"
    assert quote_nullable(None) == "NULL"
    assert cast(True, "text") == "true" and output(True) == "t"
    assert cast("42", "int") == 42 and cast(" 7 ", "int") == 7
    with pytest.raises(PlpgsqlError):
        cast("x", "int")
    assert output(["a", "b c", None]) == '{a,"b c",NULL}'
    assert parse_array('{a,"b c",NULL}') == ["a", "b c", None]


def test_dates_and_to_char() -> None:
    assert add_interval(datetime.date(2024, 1, 31), parse_interval("1 month")) == \
        datetime.datetime(2024, 2, 29)
    assert output(add_interval(datetime.date(2024, 1, 1), parse_interval("1 mon"))) == \
        "2024-02-01 00:00:00"
    assert to_char(5, "FM00") == "05"
    assert to_char(5, "000") == " 005"
    assert to_char(12, "9999") == "   12"
    with pytest.raises(GiveUp):
        to_char(5, "9G999")


# -- running inside the fold -------------------------------------------------------------------


def test_loops_and_control_flow() -> None:
    result = fold_sql(do("""
DECLARE
  i int := 0;
  names text[] := ARRAY['b', 'a'];
  n text;
BEGIN
  LOOP
    i := i + 1;
    CONTINUE WHEN i % 2 = 0;
    EXIT WHEN i > 5;
    EXECUTE 'CREATE TABLE odd_' || i || ' ()';
  END LOOP;
  WHILE i > 3 LOOP i := i - 1; END LOOP;
  CASE i WHEN 3 THEN CREATE TABLE three (); ELSE CREATE TABLE other (); END CASE;
  FOREACH n IN ARRAY names LOOP
    EXECUTE format('CREATE TABLE %I ()', upper(n) || lower('X'));
  END LOOP;
  FOR j IN 1..10 BY 4 LOOP
    EXECUTE concat('CREATE TABLE step_', j, ' ()');
  END LOOP;
  <<outer>> FOR a IN 1..3 LOOP
    FOR b IN 1..3 LOOP
      EXIT outer WHEN a = 2;
      EXECUTE format('CREATE TABLE pair_%s_%s ()', a, b);
    END LOOP;
  END LOOP;
END"""))
    assert tables(result) == [
        "public.Ax", "public.Bx", "public.odd_1", "public.odd_3", "public.odd_5",
        "public.pair_1_1", "public.pair_1_2", "public.pair_1_3", "public.step_1",
        "public.step_5", "public.step_9", "public.three"]
    assert outcome(result, 1) == "absorbed-into"
    assert not result.schema.kept


def test_catalog_reads() -> None:
    result = fold_sql("""CREATE SCHEMA app;
CREATE TABLE app.a (id int PRIMARY KEY, note text);
CREATE TYPE app.mood AS ENUM ('ok', 'sad');
""" + do("""
DECLARE
  n int;
  r record;
BEGIN
  SELECT count(*) INTO n FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
   WHERE t.typname = 'mood';
  EXECUTE format('CREATE TABLE app.enum_%s ()', n);
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'app.a'::regclass
             AND attname = 'note') THEN
    CREATE TABLE app.has_note ();
  END IF;
  IF to_regclass('a') IS NULL AND to_regclass('app.a') IS NOT NULL THEN
    CREATE TABLE app.not_on_path ();
  END IF;
  IF to_regtype('app.mood') IS NOT NULL AND to_regnamespace('nope') IS NULL THEN
    CREATE TABLE app.type_found ();
  END IF;
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
           WHERE s.nspname = 'app' AND c.relkind = 'r' ORDER BY c.relname DESC LOOP
    EXECUTE format('COMMENT ON TABLE app.%I IS %L', r.relname, 'seen');
  END LOOP;
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'a_pkey'
                 AND conrelid = 'app.a'::regclass) THEN
    CREATE TABLE app.wrong ();
  END IF;
  IF current_schema() = 'public' THEN
    CREATE TABLE app.current_is_public ();
  END IF;
END"""))
    assert tables(result) == ["app.a", "app.current_is_public", "app.enum_2", "app.has_note",
                              "app.not_on_path", "app.type_found"]
    comments = {k[2]: getattr(o, "comment", None) for k, o in result.schema.objects.items()
                if k[0] == "table"}
    assert comments.pop("current_is_public") is None  # created after the loop
    assert set(comments.values()) == {"seen"}


def test_exception_blocks_undo_their_statements() -> None:
    result = fold_sql("CREATE TABLE t (id int);\n" + do("""
BEGIN
  BEGIN
    CREATE TABLE first ();
    CREATE TABLE t ();
  EXCEPTION WHEN duplicate_table THEN
    CREATE TABLE caught ();
  END;
  BEGIN
    DROP TABLE nothing;
  EXCEPTION WHEN undefined_table THEN NULL;
  END;
  BEGIN
    RAISE EXCEPTION 'mine' USING ERRCODE = 'duplicate_object';
  EXCEPTION WHEN duplicate_object THEN CREATE TABLE own_error ();
  END;
END"""))
    assert tables(result) == ["public.caught", "public.own_error", "public.t"]


def test_an_error_nobody_catches_gives_up() -> None:
    """An executed statement that fails without a handler: the fold may not know the whole
    database (PostgreSQL would reject the history), so the block stays a barrier."""
    result = fold_sql("CREATE TABLE t (id int);\n" + do("DECLARE v int; BEGIN CREATE TABLE t (); "
                                                     "END"))
    assert outcome(result, 2) == "kept-verbatim"


def test_raise_exception_fails_the_history() -> None:
    with pytest.raises(InputError, match="stop here") as caught:
        fold_sql(do("DECLARE v int := 2; BEGIN IF v > 1 THEN RAISE EXCEPTION 'stop %', 'here'; "
                    "END IF; END"))
    assert caught.value.line == 1
    with pytest.raises(InputError, match="assertion failed"):
        fold_sql(do("DECLARE v int := 1; BEGIN ASSERT v = 2; END"))


def test_notices_change_nothing() -> None:
    result = fold_sql(do("DECLARE v int := 1; BEGIN RAISE NOTICE 'v is %', v; END"))
    assert outcome(result, 1) == "no-op"
    assert not result.warnings


def test_routines_with_defaults_named_arguments_and_results() -> None:
    result = fold_sql("""CREATE FUNCTION name_of(base text, n int DEFAULT 1) RETURNS text
LANGUAGE plpgsql AS $$ BEGIN RETURN base || '_' || n; END $$;
CREATE PROCEDURE make(base text, n int) LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TABLE %I ()', name_of(base, n));
END $$;
CALL make('a', 1);
SELECT name_of('unused');
""" + do("BEGIN CALL make(n => 2, base => 'b'); END") + """CREATE FUNCTION make_b3()
RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM make('b', 3); END $$;
SELECT make_b3();
""")
    assert tables(result) == ["public.a_1", "public.b_2", "public.b_3"]
    assert outcome(result, 7) == "absorbed-into"
    assert outcome(result, 8) == "no-op"
    assert outcome(result, 9) == "absorbed-into"
    assert outcome(result, 14) == "absorbed-into"


@pytest.mark.parametrize("body", [
    "BEGIN IF now() > '2020-01-01' THEN CREATE TABLE x (); END IF; END",
    "BEGIN IF (SELECT count(*) FROM t) = 0 THEN CREATE TABLE x (); END IF; END",
    "BEGIN PERFORM nextval('s'); END",
    "BEGIN IF current_setting('app.x', true) IS NULL THEN CREATE TABLE x (); END IF; END",
    "DECLARE c CURSOR FOR SELECT 1; BEGIN CREATE TABLE x (); END",
    "BEGIN CREATE TABLE x (); INSERT INTO t SELECT count(*) FROM pg_stat_activity; END",
    "BEGIN EXECUTE 'CREATE TABLE x ()'; CREATE RULE r AS ON INSERT TO t DO NOTHING; END",
    "BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'x') THEN NULL; END IF; "
    "CREATE TABLE x (); END",
    "DECLARE i int := 0; BEGIN LOOP i := i + 1; END LOOP; END",
    "DECLARE id int := 1; BEGIN CREATE TABLE x (); INSERT INTO t VALUES (id); END",
])
def test_gives_up_before_changing_anything(body: str) -> None:
    if body.startswith("BEGIN"):  # variables: the parser's static reading does not take it
        body = "DECLARE v int; " + body
    result = fold_sql("CREATE TABLE t (id int);\nCREATE SEQUENCE s;\n" + do(body))
    assert outcome(result, 3) == "kept-verbatim"
    assert tables(result) == ["public.t"]
    assert [b.line for b in result.data_notes.barriers] == [3]


def test_executed_statements_carry_their_own_text() -> None:
    result = fold_sql(do("""BEGIN
  EXECUTE format('CREATE FUNCTION %I() RETURNS int LANGUAGE sql AS %L', 'one', 'SELECT 1');
  EXECUTE format('CREATE VIEW %I AS SELECT %s AS n', 'v', 1);
END"""))
    function = result.schema.objects[("function", "public", "one", ())]
    assert getattr(function, "text", "").startswith("CREATE FUNCTION one() RETURNS int")
    [entry] = result.ledger
    assert entry.outcome == "absorbed-into"
    assert not [w for w in result.warnings if "kept verbatim" in w.message]


def test_alter_database_search_path_reaches_later_files() -> None:
    sql = ("CREATE SCHEMA app;\n"
           + do("BEGIN EXECUTE format('ALTER DATABASE %I SET search_path TO app, public', "
                "current_database()); END")
           + "CREATE TABLE here ();\n")
    result = fold_sql(sql)
    assert tables(result) == ["public.here"]  # same session: the old path
    assert any(k.text.startswith("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET "
                                 "search_path TO app, public'") for k in result.schema.kept)
    with pytest.raises(GiveUp):
        _compare(CURRENT_DATABASE, "db", "=")


def test_alter_role_current_user_search_path_reaches_later_files() -> None:
    """Written plainly it is kept as written; run by a DO block it is rendered as the
    consolidation's own statement. A role's setting wins over the database's."""
    from schemafold import fold_events
    from schemafold.parse import parse_migrations
    from schemafold.sources import Migration

    def later_table(first: str) -> list[str]:
        migrations = [Migration("1", "a", "a.sql", first),
                      Migration("2", "b", "b.sql", "CREATE TABLE later ();")]
        result = fold_events(parse_migrations(migrations).events)
        return [f"{k[1]}.{k[2]}" for k in result.schema.objects if k[0] == "table"]

    plain = "CREATE SCHEMA app; ALTER ROLE CURRENT_USER SET search_path TO app, public;"
    assert later_table(plain) == ["app.later"]
    both = ("CREATE SCHEMA app; CREATE SCHEMA db; ALTER DATABASE x SET search_path TO db; "
            + do("BEGIN EXECUTE 'ALTER ROLE CURRENT_USER SET search_path = app'; END"))
    assert later_table(both) == ["app.later"]
    named = "CREATE SCHEMA app; ALTER ROLE someone SET search_path TO app;"
    assert later_table(named) == ["public.later"]


def test_handlers_see_the_error_and_may_raise_it_again() -> None:
    result = fold_sql("CREATE TABLE t (id int);\n" + do("""
DECLARE v int;
BEGIN
  BEGIN
    CREATE TABLE t ();
  EXCEPTION WHEN duplicate_table THEN
    EXECUTE format('COMMENT ON TABLE t IS %L', SQLSTATE || ': ' || SQLERRM);
  END;
END"""))
    assert result.schema.objects[("table", "public", "t")].comment == \
        '42P07: relation "t" already exists'
    with pytest.raises(InputError, match="mine"):
        fold_sql(do("DECLARE v int; BEGIN BEGIN RAISE EXCEPTION 'mine'; EXCEPTION WHEN others "
                    "THEN RAISE; END; END"))


def test_names_fold_to_lower_case_unless_quoted() -> None:
    result = fold_sql(do("""DECLARE MyVar int := 2; "Quoted" text := 'q';
BEGIN
  EXECUTE 'CREATE TABLE t' || MYVAR || "Quoted" || ' ()';
  IF EXISTS (SELECT 1 FROM PG_CATALOG.PG_CLASS C WHERE C.RELNAME = 't2q') THEN
    CREATE TABLE found ();
  END IF;
END"""))
    assert tables(result) == ["public.found", "public.t2q"]


def test_a_loop_over_rows_leaves_the_last_row() -> None:
    result = fold_sql("CREATE TABLE a (); CREATE TABLE b ();\n" + do("""DECLARE r record;
BEGIN
  FOR r IN SELECT relname FROM pg_class WHERE relkind = 'r' ORDER BY relname LOOP
    NULL;
  END LOOP;
  EXECUTE format('CREATE TABLE after_%s ()', r.relname);
END"""))
    assert "public.after_b" in tables(result)
    undeclared = fold_sql(do("DECLARE v int; BEGIN FOR q IN SELECT 1 AS x LOOP NULL; END LOOP; "
                             "END"))
    assert outcome(undeclared, 1) == "kept-verbatim"  # PostgreSQL refuses it


def test_information_schema_table_constraints_lists_not_null_as_check() -> None:
    """PostgreSQL 15: a NOT NULL column and a primary key column each show as a CHECK row."""
    result = fold_sql("CREATE TABLE t (id int, n text NOT NULL, CONSTRAINT t_pk PRIMARY KEY "
                      "(id), CONSTRAINT c CHECK (id > 0));\n" + do("""DECLARE v int;
BEGIN
  SELECT count(*) INTO v FROM information_schema.table_constraints
   WHERE table_name = 't' AND constraint_type = 'CHECK';
  EXECUTE format('CREATE TABLE checks_%s ()', v);
END"""))
    assert "public.checks_3" in tables(result)


def test_the_columns_of_a_view_without_a_column_list_are_not_guessed() -> None:
    result = fold_sql("CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t;\n" + do(
        "DECLARE x int; BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 't' AND column_name = 'note') THEN ALTER TABLE t ADD COLUMN note "
        "text; END IF; END") + do(
        "DECLARE x int; BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'v' AND column_name = 'id') THEN CREATE TABLE wrong (); END IF; END"))
    assert outcome(result, 2) == "absorbed-into"
    assert outcome(result, 5) == "kept-verbatim"


def test_a_barrier_says_why_it_was_not_run() -> None:
    result = fold_sql("CREATE TABLE t (id int);\n" + do(
        "DECLARE v int; BEGIN IF now() > '2020-01-01' THEN CREATE TABLE x (); END IF; END"))
    [warning] = [w for w in result.warnings if w.line == 2 and w.message.startswith("kept")]
    assert warning.message.startswith("kept verbatim (PL/pgSQL not run statically: function")
    [barrier] = result.data_notes.barriers
    assert barrier.reason.startswith("opaque: PL/pgSQL not run statically: function")


def test_return_ends_a_do_block() -> None:
    result = fold_sql(do("DECLARE v int := 1; BEGIN IF v = 1 THEN CREATE TABLE a (); RETURN; "
                         "END IF; CREATE TABLE b (); END"))
    assert tables(result) == ["public.a"]


# -- trigger functions that change nothing (plpgsql.effects) -----------------------------------

from schemafold.plpgsql.effects import inert_trigger_body  # noqa: E402


def test_a_trigger_that_notifies_or_notes_and_returns_its_row_is_inert() -> None:
    notify = "\nbegin\n  perform pg_notify('jobs:insert', '');\n  return new;\nend;\n"
    assert inert_trigger_body(notify, row_level=False, before=False, events="INSERT")
    assert inert_trigger_body(notify, row_level=True, before=True, events="INSERT OR UPDATE")
    notice = "BEGIN RAISE NOTICE 'gone %', OLD.id; RETURN OLD; END"
    assert inert_trigger_body(notice, row_level=True, before=True, events="DELETE")
    assert inert_trigger_body("BEGIN RETURN NULL; END", row_level=True, before=False,
                              events="INSERT")


def test_a_trigger_that_may_change_something_is_not_inert() -> None:
    cases = [
        ("BEGIN NEW.x := 1; RETURN NEW; END", True, True, "INSERT"),  # changes the row
        ("BEGIN RETURN NULL; END", True, True, "INSERT"),  # a BEFORE row trigger skips the row
        ("BEGIN RETURN NEW; END", True, True, "INSERT OR DELETE"),  # NEW is NULL for DELETE
        ("BEGIN INSERT INTO log VALUES (1); RETURN NEW; END", False, False, "INSERT"),
        ("BEGIN RAISE EXCEPTION 'no'; END", False, False, "INSERT"),
        ("BEGIN PERFORM pg_notify('c', (SELECT max(id) FROM t)::text); RETURN NULL; END",
         False, False, "INSERT"),
        ("BEGIN IF TG_OP = 'INSERT' THEN RETURN NEW; END IF; RETURN NEW; END", True, True,
         "INSERT"),
        ("not plpgsql at all (", False, False, "INSERT"),
    ]
    for body, row_level, before, events in cases:
        assert not inert_trigger_body(body, row_level=row_level, before=before, events=events), body
