"""Consolidations that did not replay, found by writing histories in the shapes real teams'
migrations take (Rails structure dumps, Ecto and Oban, TypeORM, Sequelize, Hasura, Supabase,
multi-tenant schemas, data backfills) and replaying each history and its consolidation on a
real PostgreSQL (``squash --verify``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import squash_verify

# a table whose rows a trigger watches: an INSERT into it is kept to run after every object
_WATCHED = ("CREATE TABLE log (x text);\n"
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql\n"
            "  AS $$ BEGIN INSERT INTO log VALUES ('i'); RETURN NULL; END $$;\n"
            "CREATE TABLE p (id int PRIMARY KEY);\n"
            "CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION f();\n")


@pytest.mark.parametrize("files", [
    # Hasura's shape: a row of the watched table, then a row referencing it
    {"0001_a.sql": _WATCHED + "CREATE TABLE c (id int, p_id int REFERENCES p);\n"
                   "INSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1);\n"},
    {"0001_a.sql": _WATCHED + "CREATE TABLE c (id int, p_id int REFERENCES p);\n",
     "0002_b.sql": "INSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1);\n"},
    # the referencing table created after the rows; an UPDATE setting the key
    {"0001_a.sql": _WATCHED + "INSERT INTO p VALUES (1);\n"
                   "CREATE TABLE c (id serial, p_id int REFERENCES p);\n"
                   "INSERT INTO c (p_id) VALUES (1);\nINSERT INTO c (p_id) SELECT id FROM p;\n"
                   "INSERT INTO c (p_id) VALUES (NULL);\nUPDATE c SET p_id = 1 WHERE id = 3;\n"},
])
def test_rows_referencing_rows_written_after_every_object_follow_them(
        tmp_path: Path, files: dict[str, str]) -> None:
    """An INSERT a trigger fires on runs after every object (foreign keys included); a row
    referencing one it writes was loaded in the data phase, and the consolidation's foreign
    key refused it (``violates foreign key constraint "c_p_id_fkey"``). Data statements on a
    table whose foreign key references such rows follow them."""
    out = squash_verify(tmp_path, files)
    assert out.index("CREATE TRIGGER tr") < out.index("INSERT INTO p VALUES (1)") \
        < out.rindex("INSERT INTO c"), out


_LOADED = _WATCHED + ("CREATE TABLE c (id int, p_id int);\n"
                      "INSERT INTO c VALUES (1, 1);\nINSERT INTO p VALUES (1);\n")


@pytest.mark.parametrize("later", [
    "ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p;\n",
    "ALTER TABLE IF EXISTS c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p, "
    "ADD COLUMN z int;\n",
    # NOT VALID checks nothing; VALIDATE does
    "ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p NOT VALID;\n"
    "ALTER TABLE c VALIDATE CONSTRAINT c_fk;\n",
    # a folded action before it in the same statement: the file is kept as written
    "ALTER TABLE c ADD COLUMN z int, ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p;\n",
    # later statements on the table follow the key
    "ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p;\n"
    "ALTER TABLE c RENAME CONSTRAINT c_fk TO c_fk2;\nINSERT INTO c VALUES (2, 1);\n"
    "ALTER TABLE c ADD COLUMN w text;\nCREATE INDEX ON c (w);\n"
    "ALTER TABLE c DROP CONSTRAINT c_fk2;\n",
])
def test_a_foreign_key_added_over_rows_written_after_every_object_is_kept_after_them(
        tmp_path: Path, later: str) -> None:
    """Rows loaded in the data phase referencing rows an INSERT kept after every object
    writes, and a foreign key added between them later: the consolidation created the key
    before those rows existed (``violates foreign key constraint "c_fk"``). The key is kept
    verbatim after them."""
    squash_verify(tmp_path, {"0001_a.sql": _LOADED, "0002_b.sql": later})


def test_a_self_reference_added_over_rows_written_after_every_object(tmp_path: Path) -> None:
    squash_verify(tmp_path, {"0001_a.sql": _WATCHED.replace("(id int PRIMARY KEY)",
                                                            "(id int PRIMARY KEY, up int)")
                             .replace("CREATE TRIGGER", "INSERT INTO p VALUES (2, 1);\n"
                                      "CREATE TRIGGER")
                             + "INSERT INTO p VALUES (1, NULL);\n"
                               "ALTER TABLE p ADD FOREIGN KEY (up) REFERENCES p;\n"})
