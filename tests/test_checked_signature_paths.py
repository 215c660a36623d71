"""A routine created while ``search_path`` names another schema: PostgreSQL looks up the types of
its signature (parameters, ``RETURNS``, ``RETURNS TABLE`` columns, ``%TYPE``) when it creates
it, and the consolidation creates it under its own search_path. Each history is squashed and
verified on a real PostgreSQL (``squash --verify`` must say EQUAL)."""

from __future__ import annotations

from pathlib import Path

from cli_run import squash_verify

SCHEMA = """CREATE SCHEMA app;
SET search_path = app, public;
CREATE TABLE item (id int PRIMARY KEY, name text);
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
"""


def test_parameter_and_result_types_are_qualified(tmp_path: Path) -> None:
    out = squash_verify(tmp_path, {
        "001_app.sql": SCHEMA + """
CREATE FUNCTION item_name(i item) RETURNS text LANGUAGE sql AS $$ SELECT i.name $$;
CREATE FUNCTION moods(VARIADIC ms mood[]) RETURNS SETOF mood LANGUAGE sql
    AS $$ SELECT unnest(ms) $$;
CREATE FUNCTION pair(n posint DEFAULT 1) RETURNS TABLE (m mood, i item) LANGUAGE sql
    AS $$ SELECT 'a'::mood, NULL::item $$;
CREATE FUNCTION echo(INOUT m mood, OUT n posint) LANGUAGE plpgsql
    AS $$ BEGIN n := 1; END $$;
CREATE PROCEDURE note(m mood) LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION counted(m mood) RETURNS int LANGUAGE sql
    BEGIN ATOMIC SELECT count(*) FROM item; END;
GRANT EXECUTE ON FUNCTION moods(mood[]) TO PUBLIC;
COMMENT ON PROCEDURE note(mood) IS 'noted';
""",
        "002_more.sql": """DROP FUNCTION app.echo(app.mood);
ALTER FUNCTION app.moods(app.mood[]) RENAME TO all_moods;
COMMENT ON FUNCTION app.counted(app.mood) IS 'counts';
""",
    })
    assert "app.item_name(i app.item)" in out
    assert "RETURNS SETOF app.mood" in out
    assert "RETURNS TABLE (m app.mood, i app.item)" in out
    assert "COMMENT ON PROCEDURE app.note(app.mood)" in out
    assert "echo" not in out


def test_replaced_routine_under_the_same_path_keeps_one_signature(tmp_path: Path) -> None:
    out = squash_verify(tmp_path, {
        "001_app.sql": SCHEMA + """
CREATE FUNCTION label(m mood) RETURNS text LANGUAGE sql AS $$ SELECT 'one' $$;
""",
        "002_app.sql": """SET search_path = app, public;
CREATE OR REPLACE FUNCTION label(m mood) RETURNS text LANGUAGE sql AS $$ SELECT 'two' $$;
""",
    })
    assert out.count("FUNCTION app.label(m app.mood)") == 1
    assert "'two'" in out and "'one'" not in out


def test_a_public_type_stays_as_written(tmp_path: Path) -> None:
    out = squash_verify(tmp_path, {
        "001_app.sql": "CREATE TYPE shade AS ENUM ('x', 'y');\n" + SCHEMA + """
CREATE FUNCTION paint(s shade DEFAULT 'x'::shade) RETURNS shade LANGUAGE sql
    AS $$ SELECT s $$;
""",
    })
    assert "app.paint(s shade DEFAULT 'x'::shade) RETURNS shade" in out


def test_a_column_type_through_the_path_stops_folding(tmp_path: Path) -> None:
    out = squash_verify(tmp_path, {
        "001_base.sql": "CREATE TABLE plain (id int);\n",
        "002_app.sql": SCHEMA + """
CREATE FUNCTION by_id(n item.id%TYPE) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
""",
    })
    assert "CREATE FUNCTION by_id(n item.id%TYPE)" in out
