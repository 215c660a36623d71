"""Rows a history inserts twice under a unique key, that reference a row no table holds, or that
break a NOT NULL or CHECK constraint (issue 15): PostgreSQL refuses the ``INSERT`` that repeats
a primary key's, a unique constraint's or a unique index's values, whose foreign key names a key
the referenced table does not hold, or whose row holds a NULL where a column is NOT NULL or
makes a CHECK false, and ``squash`` refuses the history as it does. Only values surely equal
count: constants compared by the column's type; a foreign key only where every referenced row is
known. Each case's verdict is asked of a real PostgreSQL in the same test, so that a refusal can
never be of a history PostgreSQL applies; the cases the fold leaves unchecked (an expression
index, a cast, a row a statement kept verbatim may have added) are listed too, and must never be
refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from postgresql_verdict import fold_refusal, primary_message, refusal
from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TYPE mood AS ENUM ('low', 'high')",
    "CREATE TABLE item (id int PRIMARY KEY, code text UNIQUE, size numeric, label char(4), "
    "ref uuid, flag boolean, feel mood, note text)",
    "CREATE UNIQUE INDEX item_size ON item (size)",
    "CREATE UNIQUE INDEX item_label ON item (label)",
    "CREATE UNIQUE INDEX item_ref ON item (ref)",
    "CREATE UNIQUE INDEX item_flag ON item (flag)",
    "CREATE UNIQUE INDEX item_feel ON item (feel)",
    "CREATE TABLE pair (a int, b int, PRIMARY KEY (a, b))",
    "CREATE TABLE serial_row (id serial PRIMARY KEY, name text)",
    "CREATE TABLE shelf (id int PRIMARY KEY, code text UNIQUE)",
    "CREATE TABLE book (id int, shelf_id bigint REFERENCES shelf, shelf_code text "
    "REFERENCES shelf (code))",
    "CREATE TABLE node (id int PRIMARY KEY, up int REFERENCES node)",
]

DUPLICATE = "duplicate key value violates unique constraint"
MISSING = 'insert or update on table "book" violates foreign key constraint'


#: (statements after SETUP, PostgreSQL's primary message or None, whether the fold refuses)
CASES: list[tuple[list[str], str | None, bool]] = [
    # a key a row of an earlier statement holds, or an earlier row of the same statement
    (["INSERT INTO item (id) VALUES (1)", "INSERT INTO item (id) VALUES (1)"],
     f'{DUPLICATE} "item_pkey"', True),
    (["INSERT INTO item (id) VALUES (1), (2), (1)"], f'{DUPLICATE} "item_pkey"', True),
    (["INSERT INTO item (id, code) VALUES (1, 'a')", "INSERT INTO item (id, code) "
      "VALUES (2, 'a')"], f'{DUPLICATE} "item_code_key"', True),
    (["INSERT INTO pair VALUES (1, 1), (1, 2), (2, 1)", "INSERT INTO pair VALUES (1, 1)"],
     f'{DUPLICATE} "pair_pkey"', True),
    # compared by the column's type: numbers, blank-padded characters, uuids, booleans,
    # enum labels, a number given for a text column
    (["INSERT INTO item (id, size) VALUES (1, 1.50), (2, '1.5')"],
     f'{DUPLICATE} "item_size"', True),
    (["INSERT INTO item (id, label) VALUES (1, 'ab'), (2, 'ab  ')"],
     f'{DUPLICATE} "item_label"', True),
    (["INSERT INTO item (id, ref) VALUES (1, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'), "
      "(2, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}')"], f'{DUPLICATE} "item_ref"', True),
    (["INSERT INTO item (id, flag) VALUES (1, true), (2, 'yes')"],
     f'{DUPLICATE} "item_flag"', True),
    (["INSERT INTO item (id, feel) VALUES (1, 'low'), (2, 'low')"],
     f'{DUPLICATE} "item_feel"', True),
    (["INSERT INTO item (id, code) VALUES (1, 12), (2, '12')"],
     f'{DUPLICATE} "item_code_key"', True),
    (["INSERT INTO item (id) VALUES ('7')", "INSERT INTO item (id) VALUES (7)"],
     f'{DUPLICATE} "item_pkey"', True),
    # a serial column's next value is a key an explicit row already took
    (["INSERT INTO serial_row (id, name) VALUES (1, 'a')",
      "INSERT INTO serial_row (name) VALUES ('b')"], f'{DUPLICATE} "serial_row_pkey"', True),
    # the key is free again after the row is deleted or its key updated
    (["INSERT INTO item (id) VALUES (1)", "DELETE FROM item WHERE id = 1",
      "INSERT INTO item (id) VALUES (1)"], None, False),
    (["INSERT INTO item (id) VALUES (1)", "UPDATE item SET id = 2 WHERE id = 1",
      "INSERT INTO item (id) VALUES (1)"], None, False),
    (["INSERT INTO item (id) VALUES (1)", "UPDATE item SET id = 2 WHERE id = 1",
      "INSERT INTO item (id) VALUES (2)"], f'{DUPLICATE} "item_pkey"', True),
    (["INSERT INTO item (id) VALUES (1)", "TRUNCATE item", "INSERT INTO item (id) VALUES (1)"],
     None, False),
    (["INSERT INTO item (id) VALUES (1)", "ALTER TABLE item ALTER COLUMN id TYPE bigint "
      "USING id + 10", "INSERT INTO item (id) VALUES (1)"], None, False),
    (["INSERT INTO item (id) VALUES (1)", "ALTER TABLE item ALTER COLUMN id TYPE bigint "
      "USING id + 10", "INSERT INTO item (id) VALUES (11)"], f'{DUPLICATE} "item_pkey"', True),
    (["SAVEPOINT s", "INSERT INTO item (id) VALUES (5)", "ROLLBACK TO SAVEPOINT s",
      "INSERT INTO item (id) VALUES (5)"], None, False),
    # values that differ: never a duplicate
    (["INSERT INTO item (id, code, size, label, flag, feel) VALUES "
      "(1, 'a', 1, 'x', true, 'low'), (2, 'a ', 1.01, 'y', false, 'high'), "
      "(3, 'A', NULL, NULL, NULL, NULL), (4, NULL, NULL, NULL, NULL, NULL)"], None, False),
    (["INSERT INTO pair VALUES (1, 1), (1, 2), (2, 1), (2, 2)"], None, False),
    # a constant expression is folded to the constant it loads as
    (["INSERT INTO item (id, code) VALUES (1, 'a')", "INSERT INTO item (id, code) "
      "VALUES (2, lower('A'))"], f'{DUPLICATE} "item_code_key"', True),
    # ON CONFLICT decides for itself; a key that is no constant is not compared
    (["INSERT INTO item (id) VALUES (1)", "INSERT INTO item (id) VALUES (1) "
      "ON CONFLICT DO NOTHING"], None, False),
    (["INSERT INTO item (id, note) VALUES (1, now()::text), (2, now()::text)",
      "CREATE UNIQUE INDEX item_note ON item (note)"], "could not create unique index "
     '"item_note"', False),
    # what the fold leaves to PostgreSQL: a cast, an expression or partial unique index,
    # a deferred constraint (checked at COMMIT, when the row may be gone)
    (["INSERT INTO item (id, code) VALUES (1, 'abc'::varchar(2)), (2, 'ab')"],
     f'{DUPLICATE} "item_code_key"', False),
    (["CREATE UNIQUE INDEX item_lower ON item (lower(note))",
      "INSERT INTO item (id, note) VALUES (1, 'A'), (2, 'a')"],
     f'{DUPLICATE} "item_lower"', False),
    (["CREATE UNIQUE INDEX item_open ON item (note) WHERE flag",
      "INSERT INTO item (id, note, flag) VALUES (1, 'a', false), (2, 'a', NULL)"],
     None, False),
    (["CREATE TABLE later (k int UNIQUE DEFERRABLE INITIALLY DEFERRED)",
      "INSERT INTO later VALUES (1)", "INSERT INTO later VALUES (1)",
      "DELETE FROM later WHERE ctid = (SELECT max(ctid) FROM later)"], None, False),
    # a foreign key naming a key no row holds: in the referenced table, compared by type
    (["INSERT INTO book (id, shelf_id) VALUES (1, 7)"], f'{MISSING} "book_shelf_id_fkey"',
     True),
    (["INSERT INTO shelf VALUES (7, 'a7')", "INSERT INTO book (id, shelf_id) VALUES (1, 7)",
      "INSERT INTO book (id, shelf_id, shelf_code) VALUES (2, 7, 'a8')"],
     f'{MISSING} "book_shelf_code_fkey"', True),
    (["INSERT INTO shelf VALUES (7, 'a7')", "DELETE FROM shelf",
      "INSERT INTO book (id, shelf_id) VALUES (1, '7')"], f'{MISSING} "book_shelf_id_fkey"',
     True),
    (["INSERT INTO shelf VALUES (7, 'a7'), (8, 'a8'), (10, 'a10')", "INSERT INTO book (id, "
      "shelf_id, shelf_code) VALUES (1, 7, 'a8'), (2, '8', NULL), (3, NULL, 'a7')",
      "UPDATE shelf SET id = 9 WHERE id = 10", "INSERT INTO book (id, shelf_id) VALUES (4, 9)"],
     None, False),
    # a table referencing itself: the statement's own rows count, whatever their order
    (["INSERT INTO node VALUES (1, NULL), (2, 3), (3, 1)", "INSERT INTO node VALUES (4, 2)"],
     None, False),
    (["INSERT INTO node VALUES (1, NULL), (2, 3)"],
     'insert or update on table "node" violates foreign key constraint "node_up_fkey"', True),
    # the referenced rows are not all known: a statement kept verbatim may have added some
    (["INSERT INTO shelf SELECT g, 'a' || g FROM generate_series(1, 3) g",
      "INSERT INTO book (id, shelf_id) VALUES (1, 2)"], None, False),
    (["INSERT INTO shelf SELECT g, 'a' || g FROM generate_series(1, 3) g",
      "INSERT INTO book (id, shelf_id) VALUES (1, 4)"], f'{MISSING} "book_shelf_id_fkey"',
     False),
    # a constant is compared as its column stores it: 1.5 given for an integer is 2,
    # numeric(5, 1) stores 1.25 as 1.3, varchar(3) 'abc  ' as 'abc'
    (["CREATE TABLE p (id int PRIMARY KEY, n numeric(5, 1) UNIQUE, v varchar(3) UNIQUE)",
      "INSERT INTO p VALUES (1.5, 1.25, 'abc  ')",
      "CREATE TABLE c (pid int REFERENCES p, pn numeric REFERENCES p (n), "
      "pv text REFERENCES p (v))", "INSERT INTO c VALUES (2, 1.3, 'abc')"], None, False),
    (["CREATE TABLE p (id int PRIMARY KEY)", "INSERT INTO p VALUES (1.5), (2)"],
     f'{DUPLICATE} "p_pkey"', True),
    # a NULL in a NOT NULL column (a key's too); a CHECK the row makes false (NULL passes)
    (["INSERT INTO pair (a) VALUES (1)"],
     'null value in column "b" of relation "pair" violates not-null constraint', True),
    (["INSERT INTO serial_row (name) VALUES ('a')", "INSERT INTO serial_row DEFAULT VALUES",
      "CREATE TABLE filled (n text NOT NULL DEFAULT 'x', k int GENERATED BY DEFAULT AS "
      "IDENTITY, g int GENERATED ALWAYS AS (1) STORED)", "INSERT INTO filled DEFAULT VALUES"],
     None, False),
    (["CREATE TABLE measured (n int CHECK (n > 0), m int, CONSTRAINT m_small CHECK (m < 10 OR "
      "m IS NULL), s text CHECK (s IN ('a', 'b')), f boolean CHECK (f))",
      "INSERT INTO measured VALUES (1, 5, 'a', true), (NULL, NULL, NULL, NULL), (2, 9, 'b', "
      "NULL)"], None, False),
    (["CREATE TABLE measured (n int CHECK (n > 0))", "INSERT INTO measured VALUES (1), (0)"],
     'new row for relation "measured" violates check constraint "measured_n_check"', True),
    (["CREATE TABLE measured (n int, m int)", "ALTER TABLE measured ADD CONSTRAINT m_small "
      "CHECK (m < 10 AND n <> m) NOT VALID", "INSERT INTO measured VALUES (1, 1)"],
     'new row for relation "measured" violates check constraint "m_small"', True),
    (["CREATE TABLE measured (s text CHECK (length(s) < 3))",
      "INSERT INTO measured VALUES ('abcd')"],
     'new row for relation "measured" violates check constraint "measured_s_check"', False),
    # an INSERT ... SELECT from a subquery is a query the fold does not evaluate, no bad input
    (["INSERT INTO item (id) SELECT x FROM (SELECT 1 AS x) s",
      "INSERT INTO item (id, code) SELECT 2, 'a' FROM (VALUES (1)) v"], None, False),
    # replica: PostgreSQL checks no foreign key (and squash stops folding, see below)
    (["SET LOCAL session_replication_role = replica",
      "INSERT INTO book (id, shelf_id) VALUES (1, 7)"], None, False),
]


@pytest.mark.parametrize(("statements", "error", "refused"), CASES)
def test_duplicate_keys_are_refused_as_postgresql_does(pg_cluster: Cluster, pg_db: str,
                                                       statements: list[str],
                                                       error: str | None,
                                                       refused: bool) -> None:
    history = [*SETUP, *statements]
    assert primary_message(refusal(pg_cluster, pg_db, history)) == error
    assert _fold_error(history) == (error if refused else None)


def test_the_refusal_names_the_statement_and_the_key() -> None:
    history = ";\n".join([*SETUP, "INSERT INTO pair VALUES (3, 4)",
                          "INSERT INTO pair VALUES\n  (3, 4)"]) + ";\n"
    with pytest.raises(InputError) as raised:
        fold_sql(history)
    assert raised.value.line == len(SETUP) + 2
    assert raised.value.message == f'{DUPLICATE} "pair_pkey": Key (a, b)=(3, 4) already exists'


def test_replica_rows_are_kept_as_written(tmp_path: Path) -> None:
    """Rows inserted while ``session_replication_role`` is ``replica`` need not match their
    foreign keys; a consolidation adds its keys after its rows, so folding stops there (the
    file is kept as written), and the squash replays to the same database."""
    history = tmp_path / "migrations"
    history.mkdir()
    (history / "0001_tables.sql").write_text(
        "CREATE TABLE shelf (id int PRIMARY KEY);\n"
        "CREATE TABLE book (shelf_id int REFERENCES shelf);\n")
    (history / "0002_load.sql").write_text(
        "SET session_replication_role TO 'replica';\nINSERT INTO book VALUES (5);\n"
        "SET session_replication_role = DEFAULT;\n")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "schemafold", "squash", str(history), "--out",
                          str(out), "--verify", "-q"], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    assert (out / "0002_load.sql").read_text() == (history / "0002_load.sql").read_text()


def _fold_error(statements: list[str]) -> str | None:
    """The fold's refusal of the history, up to the key it names, or None (also when it
    stops folding: a fold limit)."""
    error = fold_refusal(statements, limit_taken=True)
    return None if error is None else error.message.split(": Key (")[0]
