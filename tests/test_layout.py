"""Layouts (schemafold.layout): the TOML format and its validation, selectors, the built-ins, and
which file each object of a real fold is assigned to, with the reason. No database."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemafold import fold
from schemafold.errors import InputError
from schemafold.files import FilePlan, plan_files
from schemafold.layout import (
    BY_ORIGIN,
    SINGLE,
    Item,
    Layout,
    Selector,
    assign,
    load_layout,
    parse_layout,
)
from schemafold.sources import read_history

HISTORY = {
    "0001_base.sql": """
        CREATE TYPE mood AS ENUM ('ok', 'sad');
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.at := now(); RETURN NEW; END $$;
        CREATE TABLE person (id int PRIMARY KEY, at timestamptz, m mood);
        CREATE INDEX person_at_idx ON person (at);
        CREATE TRIGGER person_touch BEFORE UPDATE ON person
            FOR EACH ROW EXECUTE FUNCTION touch();
        """,
    "0002_more.sql": """
        CREATE TABLE team (id int PRIMARY KEY, lead int REFERENCES person (id));
        CREATE VIEW leads AS SELECT p.id FROM person p JOIN team t ON t.lead = p.id;
        INSERT INTO team (id) VALUES (1);
        """,
}


def write_history(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text("\n".join(line.strip() for line in text.splitlines()))
    return folder


def plan(folder: Path, layout: Layout) -> FilePlan:
    return plan_files(fold(folder), layout, read_history(folder).migrations)


def where(result: FilePlan) -> dict[str, tuple[int, str]]:
    return {item.label: (item.file, item.reason) for item in result.items}


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return write_history(tmp_path / "migrations", HISTORY)


# ---------------------------------------------------------------------------------------------
# The format


GOOD = """\
# the seed's shape
move_forward = true
description = "two files"

[[file]]
name = "initial_setup"
description = "enums and shared functions"
select = ["type:*", "function:touch"]

[[file]]
name = "rest"
rest = true
"""


def test_a_layout_reads_into_files_selectors_and_options() -> None:
    layout = parse_layout(GOOD, "layout.toml")
    assert layout.move_forward is True
    assert layout.description == "two files"
    assert [f.name for f in layout.files] == ["initial_setup", "rest"]
    assert layout.files[0].select == (Selector("type", "*"), Selector("function", "touch"))
    assert layout.files[0].description == "enums and shared functions"
    assert (layout.files[0].rest, layout.files[1].rest) == (False, True)
    assert layout.source == "layout.toml"
    assert not parse_layout('[[file]]\nname = "a"\nrest = true\n').move_forward


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[file]\nname = 'a'\n", "layout.toml:1: not valid TOML"),
        ("colour = 1\n[[file]]\nname='a'\nrest=true\n",
         "layout.toml:1: unknown key 'colour' (a layout has move_forward, description, file)"),
        ("move_forward = 'yes'\n[[file]]\nname='a'\nrest=true\n",
         "layout.toml:1: move_forward must be true or false"),
        ("move_forward = true\n", "layout.toml: a layout needs at least one [[file]] entry"),
        ("[[file]]\nselect = ['table:*']\n", "layout.toml:1: file 1: needs a name (a string)"),
        ("[[file]]\nname = 'a b'\nrest = true\n",
         "layout.toml:2: file 1 (\"a b\"): a name holds letters, digits, '_' and '-' only"),
        ("[[file]]\nname = 'a'\nrest = true\n[[file]]\nname = 'a'\nselect = ['table:*']\n",
         "layout.toml:5: file 2 (\"a\"): name used by file 1 too"),
        ("[[file]]\nname = 'a'\nselects = ['table:*']\n",
         "layout.toml:3: file 1 (\"a\"): unknown key 'selects' (a file has name, description, "
         "select, rest)"),
        ("[[file]]\nname = 'a'\nselect = 'table:*'\n",
         'layout.toml:3: file 1 ("a"): select must be a list of strings'),
        ("[[file]]\nname = 'a'\nselect = ['table']\n",
         'layout.toml:3: file 1 ("a"): select[1] "table": a selector is kind:glob'),
        ("[[file]]\nname = 'a'\nselect = [\n  'type:*',\n  'tabel:x',\n]\n",
         "layout.toml:5: file 1 (\"a\"): select[2] \"tabel:x\": unknown kind 'tabel' (kinds: "
         "schema, extension, role, type, sequence, table, view, function, trigger, policy, "
         "index, foreign_key, data)"),
        ("[[file]]\nname = 'a'\nrest = true\n[[file]]\nname = 'b'\nrest = true\n",
         'layout.toml:6: file 2 ("b"): rest = true is already set on file 1'),
        ("[[file]]\nname = 'a'\n",
         'layout.toml:1: file 1 ("a"): selects nothing (give select = [...] or rest = true)'),
        ("[[file]]\nname = 'a'\nrest = 'yes'\n",
         'layout.toml:3: file 1 ("a"): rest must be true or false'),
    ],
)
def test_layout_errors_name_the_file_the_entry_and_the_line(text: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_layout(text, "layout.toml")
    assert str(caught.value).startswith(expected), str(caught.value)
    assert caught.value.exit_code == 2


def test_built_ins_and_layout_files(tmp_path: Path) -> None:
    assert load_layout("single") is SINGLE
    assert load_layout("by-origin") is BY_ORIGIN
    assert BY_ORIGIN.move_forward and not SINGLE.move_forward
    assert SINGLE.files[0].rest
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    assert load_layout(path).files == parse_layout(GOOD).files
    assert load_layout(str(path)).name == "mine.toml"
    with pytest.raises(InputError, match=r"missing\.toml: cannot read layout .*single or "
                       r"by-origin"):
        load_layout(tmp_path / "missing.toml")


def test_selectors_match_kind_and_glob_on_the_name_or_schema_dot_name() -> None:
    item = Item("table", "permission_set", "app", ("table", "app", "permission_set"), "table x")
    assert Selector("table", "permission_*").matches(item)
    assert Selector("table", "app.perm*").matches(item)
    assert not Selector("table", "public.*").matches(item)
    assert not Selector("view", "*").matches(item)
    assert not Selector("table", "Permission_*").matches(item)  # names as stored: case matters


# ---------------------------------------------------------------------------------------------
# Assignment


def test_selected_objects_their_followers_and_the_rest(history: Path) -> None:
    layout = parse_layout(GOOD, "layout.toml")
    result = where(plan(history, layout))
    assert result["type mood"] == (1, 'selected by "type:*"')
    assert result["function touch()"] == (1, 'selected by "function:touch"')
    assert result["table person"] == (2, "not selected: the rest file")
    assert result["index person_at_idx"] == (2, "follows table person")
    assert result["trigger person_touch on person"] == (2, "follows table person")
    assert result["foreign key team_lead_fkey on team"] == (2, "follows table team")
    assert result["rows of table team"] == (2, "follows table team")
    assert result["view leads"] == (2, "not selected: the rest file")


def test_a_selector_can_take_a_follower_elsewhere(history: Path) -> None:
    layout = parse_layout(
        "[[file]]\nname = 'tables'\nselect = ['table:*', 'type:*', 'function:*']\n"
        "[[file]]\nname = 'later'\nselect = ['index:*', 'trigger:person_*', 'data:*', "
        "'foreign_key:*_fkey', 'view:*']\n",
        "layout.toml",
    )
    result = where(plan(history, layout))
    assert result["table person"][0] == 1
    for label in ("index person_at_idx", "trigger person_touch on person", "rows of table team",
                  "foreign key team_lead_fkey on team", "view leads"):
        assert result[label][0] == 2, label
    assert result["index person_at_idx"][1] == 'selected by "index:*"'


def test_an_object_two_files_select_is_an_error_naming_both(history: Path) -> None:
    layout = parse_layout(
        "[[file]]\nname = 'a'\nselect = ['table:*']\n"
        "[[file]]\nname = 'b'\nselect = ['table:team']\nrest = true\n",
        "layout.toml",
    )
    with pytest.raises(InputError) as caught:
        plan(history, layout)
    assert str(caught.value) == (
        'layout.toml:6: table team is selected by file 1 ("a") ("table:*") and by file 2 '
        '("b") ("table:team"); each object goes into one file'
    )


def test_objects_no_selector_claims_are_listed_in_one_error(history: Path) -> None:
    layout = parse_layout("[[file]]\nname = 'a'\nselect = ['table:*']\n", "layout.toml")
    with pytest.raises(InputError) as caught:
        plan(history, layout)
    assert str(caught.value) == (
        "layout.toml: 3 objects no file selects (add selectors, or rest = true on one file): "
        "type mood, function touch(), view leads"
    )


def test_a_selector_that_matches_nothing_is_a_warning(history: Path) -> None:
    layout = parse_layout(
        "[[file]]\nname = 'a'\nselect = ['table:nothing_like_this']\nrest = true\n",
        "layout.toml",
    )
    warnings = [str(w) for w in plan(history, layout).warnings]
    assert warnings == [
        'layout.toml:3: warning: file 1 ("a"): selector "table:nothing_like_this" matches nothing'
    ]


def test_a_file_left_empty_is_not_written_and_said_so(history: Path) -> None:
    layout = parse_layout(
        "[[file]]\nname = 'all'\nrest = true\n[[file]]\nname = 'none'\nselect = ['role:*']\n",
        "layout.toml",
    )
    result = plan(history, layout)
    assert [f.name for f in result.files] == ["all"]
    assert [str(w) for w in result.warnings] == [
        'layout.toml:6: warning: file 2 ("none"): selector "role:*" matches nothing',
        'layout.toml:5: warning: file 2 ("none") holds nothing and is not written',
    ]


def test_by_origin_one_file_per_creating_migration(history: Path) -> None:
    (history / "0003_nothing.sql").write_text("SELECT 1;\n")
    result = plan(history, BY_ORIGIN)
    assert [name for name, _ in result.layout_files] == ["base", "more"]
    assert result.layout_files[0][1] == "what 0001_base.sql created"
    placed = where(result)
    assert placed["table person"] == (1, "created in 0001_base.sql")
    assert placed["index person_at_idx"] == (1, "created in 0001_base.sql")
    assert placed["table team"] == (2, "created in 0002_more.sql")
    assert placed["rows of table team"] == (2, "follows table team")
    assert result.move_forward


def test_single_puts_everything_in_one_file(history: Path) -> None:
    result = plan(history, SINGLE)
    assert [f.name for f in result.files] == ["schema"]
    assert {item.file for item in result.items} == {1}
    assert not result.moves


def test_assign_by_origin_without_migrations_falls_back_to_one_file() -> None:
    item = Item("table", "t", "public", ("table", "public", "t"), "table t", created=1)
    assignment = assign(BY_ORIGIN, [item])
    assert [f.name for f in assignment.files] == ["schema"]
    assert assignment.placements[item.node].file == 0


def test_an_inheritance_childs_check_waits_for_the_function_it_calls(tmp_path: Path) -> None:
    """A child's CHECKs stay in its CREATE TABLE (with INHERITS, or before ALTER TABLE ...
    INHERIT): the child moves to the file of the function a CHECK calls (on PostgreSQL the
    consolidation replays: tests/test_histories.py's fixtures; checked by hand with --verify)."""
    folder = write_history(tmp_path / "migrations", {
        "0001_t.sql": "CREATE TABLE p (a int);\nCREATE TABLE c (b int, a int);\n",
        "0002_f.sql": """
            CREATE FUNCTION pos(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';
            ALTER TABLE c ADD CONSTRAINT k CHECK (pos(a));
            ALTER TABLE p ADD CONSTRAINT k CHECK (pos(a));
            ALTER TABLE c INHERIT p;
            """,
    })
    result = plan(folder, BY_ORIGIN)
    first, second = ("\n".join(f.statements) for f in result.files)
    assert "CREATE TABLE c " not in first
    assert second.index("CREATE FUNCTION pos") < second.index("CREATE TABLE c ") \
        < second.index("ALTER TABLE c INHERIT p;")
