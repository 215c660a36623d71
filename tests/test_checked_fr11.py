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


@pytest.mark.parametrize(("kept", "later"), [
    # a soft-delete key: a partial unique index, replaced by another one
    ("CREATE UNIQUE INDEX a_e ON a (email) WHERE d IS NULL;\n"
     "INSERT INTO a VALUES (1, 'x') ON CONFLICT (email) WHERE d IS NULL DO NOTHING;\n",
     "DROP INDEX a_e;\nCREATE UNIQUE INDEX a_l ON a (lower(email)) WHERE d IS NULL;\n"),
    ("CREATE UNIQUE INDEX a_e ON a (lower(email));\n"
     "INSERT INTO a VALUES (1, 'x') ON CONFLICT (lower(email)) DO NOTHING;\n",
     "DROP INDEX a_e;\n"),
    # a statement kept for its trigger, its arbiter a constraint dropped later
    (_WATCHED.replace("TABLE p (", "TABLE p (u int CONSTRAINT p_u UNIQUE, ")
     + "INSERT INTO p VALUES (1, 1) ON CONFLICT ON CONSTRAINT p_u DO NOTHING;\n",
     "ALTER TABLE p DROP CONSTRAINT p_u;\n"),
    (_WATCHED.replace("TABLE p (", "TABLE p (u int CONSTRAINT p_u UNIQUE, ")
     + "INSERT INTO p VALUES (1, 1) ON CONFLICT ON CONSTRAINT p_u DO NOTHING;\n",
     "ALTER TABLE p RENAME CONSTRAINT p_u TO p_u2;\n"),
])
def test_an_arbiter_dropped_after_a_kept_on_conflict_stops_the_fold(
        tmp_path: Path, kept: str, later: str) -> None:
    """An ``INSERT ... ON CONFLICT`` kept to run after every object names or infers a unique
    index or constraint a later file drops: the consolidation ran it without one (``there is
    no unique or exclusion constraint matching the ON CONFLICT specification``). Folding stops
    at the file dropping it; the earlier ones still fold."""
    out = squash_verify(tmp_path, {"0001_a.sql": "CREATE TABLE a (id int, email text, d int);\n"
                                   + kept, "0002_b.sql": later})
    assert "CREATE TABLE a (\n" in out, out


@pytest.mark.parametrize("later", [
    # an arbiter renamed, or rebuilt alike under another name, still serves
    "ALTER INDEX a_e RENAME TO a_e2;\n",
    "DROP INDEX a_e;\nCREATE UNIQUE INDEX a_e2 ON a (lower(email));\n",
    "DROP INDEX a_other;\n",
])
def test_an_arbiter_kept_alike_leaves_the_fold_whole(tmp_path: Path, later: str) -> None:
    """An arbiter renamed, rebuilt alike, or another unique index dropped: the kept statement
    still finds its arbiter, and every file folds."""
    out = squash_verify(tmp_path, {
        "0001_a.sql": "CREATE TABLE a (id int, email text);\n"
                      "CREATE UNIQUE INDEX a_e ON a (lower(email));\n"
                      "CREATE UNIQUE INDEX a_other ON a (id);\n"
                      "INSERT INTO a VALUES (1, 'x') ON CONFLICT (lower(email)) DO NOTHING;\n",
        "0002_b.sql": later})
    assert "ON CONFLICT (lower(email))" in out, out
    assert not (tmp_path / "out" / "0002_b.sql").exists()
