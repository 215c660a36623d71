"""Roles the history renames and drops, met by statements kept verbatim: squashed and proved
equal on PostgreSQL (``schemafold squash --verify``, a throwaway cluster per side, so the roles
of one side never meet the other's).

PostgreSQL facts these rest on (checked on 15): ``DROP ROLE`` fails while the role holds a
privilege or a default privilege in the database, or owns an object ("role cannot be dropped
because some objects depend on it"); ``DROP OWNED BY`` revokes its privileges (on the database
too); ``ALTER ROLE ... RENAME TO`` keeps grants, owners and policies, which name roles by OID.
"""

from __future__ import annotations

from pathlib import Path

from cli_run import squash_verify
from schemafold.api import fold_history
from schemafold.sources import read_history


def test_a_dropped_role_a_kept_statement_names_is_created_and_dropped_at_the_end(
        tmp_path: Path) -> None:
    written = squash_verify(tmp_path, {
        "0001_roles.sql": "CREATE ROLE sf_rd_reader;\n"
                          "CREATE TABLE item (id int PRIMARY KEY, note text);\n"
                          "GRANT SELECT ON item TO sf_rd_reader;\n"
                          "GRANT CONNECT ON DATABASE postgres TO sf_rd_reader;\n"
                          "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO sf_rd_reader;\n",
        "0002_drop.sql": "DROP OWNED BY sf_rd_reader;\nDROP ROLE sf_rd_reader;\n",
        "0003_more.sql": "CREATE TABLE later (id int);\n",
    })
    assert written.index("CREATE ROLE sf_rd_reader") < written.index("DROP OWNED BY")
    assert written.rstrip().endswith("DROP ROLE sf_rd_reader;")
    assert "GRANT SELECT ON TABLE item" not in written  # forgotten at the DROP ROLE


def test_a_renamed_role_keeps_its_grants_owners_and_policies(tmp_path: Path) -> None:
    written = squash_verify(tmp_path, {
        "0001_roles.sql": "CREATE ROLE sf_rd_app;\nCREATE ROLE sf_rd_group;\n"
                          "CREATE TABLE item (id int PRIMARY KEY, owner_name text);\n"
                          "GRANT SELECT, UPDATE ON item TO sf_rd_app;\n"
                          "ALTER TABLE item OWNER TO sf_rd_group;\n"
                          "ALTER TABLE item ENABLE ROW LEVEL SECURITY;\n"
                          "CREATE POLICY mine ON item TO sf_rd_app USING (owner_name = 'x');\n",
        "0002_rename.sql": "ALTER ROLE sf_rd_app RENAME TO sf_rd_application;\n"
                           "ALTER GROUP sf_rd_group ADD USER sf_rd_application;\n",
        "0003_more.sql": "CREATE TABLE later (id int);\n",
    })
    assert "TO sf_rd_application" in written


def test_a_dropped_role_the_fold_has_own_an_object_starts_a_verbatim_tail(
        tmp_path: Path) -> None:
    """``DROP OWNED BY`` (kept verbatim) dropped the role's table in the history; the fold
    cannot follow that, and keeps the history as written from the ``DROP ROLE``'s file."""
    files = {
        "0001_roles.sql": "CREATE ROLE sf_rd_owner;\nCREATE TABLE item (id int);\n"
                          "ALTER TABLE item OWNER TO sf_rd_owner;\n",
        "0002_drop.sql": "DROP OWNED BY sf_rd_owner;\nDROP ROLE sf_rd_owner;\n",
    }
    src = tmp_path / "h"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text)
    tailed = fold_history(read_history(src))
    assert [m.path.rsplit("/", 1)[-1] for m in tailed.tail] == ["0002_drop.sql"]
    (tmp_path / "v").mkdir()
    squash_verify(tmp_path / "v", files)
