"""A role the history names but neither creates nor gets from the setup must exist on the server
the consolidation runs on (as it must for the history): squash says so once, at the first
statement naming it, so a misspelt role is not a silent surprise at deploy time."""

from __future__ import annotations

from pathlib import Path

from schemafold import fold_sql

MESSAGE = "which neither the setup nor a statement the fold follows creates"


def _role_warnings(text: str, setup: tuple[Path, ...] = ()) -> list[tuple[int | None, str]]:
    result = fold_sql(text, setup=setup)
    return [(w.line, w.message) for w in result.warnings if MESSAGE in w.message]


def test_a_role_from_the_server_is_named_once_at_its_first_statement() -> None:
    found = _role_warnings(
        "CREATE TABLE t (id int);\n"
        "ALTER TABLE t OWNER TO app_ownr;\n"
        "GRANT SELECT ON t TO reader, PUBLIC;\n"
        "GRANT UPDATE ON t TO reader;\n"
        "ALTER TABLE t OWNER TO app_ownr;\n")
    assert found == [
        (2, 'names role "app_ownr", which neither the setup nor a statement the fold follows '
            "creates: it must exist where the consolidation runs"),
        (3, 'names role "reader", which neither the setup nor a statement the fold follows '
            "creates: it must exist where the consolidation runs"),
    ]


def test_roles_the_history_or_the_setup_creates_and_built_in_ones_are_not_named(
        tmp_path: Path) -> None:
    setup = tmp_path / "setup.sql"
    setup.write_text("CREATE ROLE from_setup NOLOGIN;\n")
    assert _role_warnings(
        "CREATE ROLE made_here NOLOGIN;\n"
        "CREATE TABLE t (id int);\n"
        "ALTER TABLE t OWNER TO made_here;\n"
        "GRANT SELECT ON t TO from_setup, PUBLIC, CURRENT_USER, pg_read_all_data;\n"
        "ALTER TABLE t OWNER TO postgres;\n", setup=(setup,)) == []
