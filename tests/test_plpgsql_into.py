"""PL/pgSQL ``INTO`` targets, as PostgreSQL's compiler reads them when it creates a function
(``check_function_bodies`` on) or runs a ``DO`` block: a target that no declaration in scope
supplies is ``"x" is not a known variable``, and the history is refused with that message at the
target's line (exit 2). Every verdict here is also asked of a real PostgreSQL, so that no
history it takes is refused, and each refusal carries PostgreSQL's own message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_run import run_cli, squash_verify
from postgresql_verdict import refusal
from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.verify.cluster import Cluster

TABLE = "CREATE TABLE en (rule_ref text, trigger_ref text, id int)"


def fn(body: str, args: str = "", returns: str = "int") -> str:
    return (f"CREATE FUNCTION f({args}) RETURNS {returns} LANGUAGE plpgsql AS $body$\n"
            f"{body}\n$body$")


# (statement after TABLE, PostgreSQL's message, or None where it takes the statement)
CASES = [
    # the one-name and the list form, STRICT or not; a bare name folded, a quoted one as written
    (fn("DECLARE a text; b text;\nBEGIN\n  SELECT en.rule_ref, en.trigger_ref INTO Add a, b "
        "FROM en;\n  RETURN 1;\nEND"), '"add" is not a known variable'),
    (fn("BEGIN SELECT 1 INTO STRICT x; RETURN 1; END"), '"x" is not a known variable'),
    (fn("DECLARE x int; BEGIN SELECT 1, 2 INTO x, y; RETURN x; END"),
     '"y" is not a known variable'),
    (fn('BEGIN SELECT 1 INTO "Add"; RETURN 1; END'), '"Add" is not a known variable'),
    (fn('DECLARE "A" int; BEGIN SELECT 1 INTO a; RETURN 1; END'),
     '"a" is not a known variable'),
    (fn('BEGIN SELECT 1 INTO "message"; RETURN 1; END'), '"message" is not a known variable'),
    (fn("BEGIN SELECT * INTO TEMP t FROM en; RETURN 1; END"), '"temp" is not a known variable'),
    # EXECUTE ... INTO, RETURNING ... INTO, WITH ... SELECT ... INTO
    (fn("BEGIN EXECUTE 'SELECT $1' USING 1 INTO y; RETURN 1; END"),
     '"y" is not a known variable'),
    (fn("BEGIN INSERT INTO en (id) VALUES (1) RETURNING id INTO x; RETURN 1; END"),
     '"x" is not a known variable'),
    (fn("BEGIN UPDATE en SET id = 1 RETURNING id INTO x; RETURN 1; END"),
     '"x" is not a known variable'),
    (fn("BEGIN WITH q AS (SELECT 1 AS id) SELECT id INTO x FROM q; RETURN 1; END"),
     '"x" is not a known variable'),
    # scopes: a nested block's variable, a FOR loop's, a label alone, a dotted unknown name
    (fn("BEGIN DECLARE x int; BEGIN NULL; END; SELECT 1 INTO x; RETURN 1; END"),
     '"x" is not a known variable'),
    (fn("BEGIN FOR i IN 1..3 LOOP NULL; END LOOP; SELECT 1 INTO i; RETURN 1; END"),
     '"i" is not a known variable'),
    (fn("<<outer>> DECLARE x int; BEGIN SELECT 1 INTO outer; RETURN 1; END"),
     '"outer" is not a known variable'),
    (fn("DECLARE x int; BEGIN SELECT 1 INTO nope.x; RETURN 1; END"),
     '"nope.x" is not a known variable'),
    (fn("BEGIN SELECT 1 INTO sqlerrm; RETURN 1; END"), '"sqlerrm" is not a known variable'),
    # a trigger's variables are a trigger function's only
    (fn("BEGIN SELECT * INTO NEW FROM en; RETURN 1; END"), '"new" is not a known variable'),
    (fn("BEGIN SELECT 'x' INTO NEW.rule_ref; RETURN 1; END"),
     '"new.rule_ref" is not a known variable'),
    ("CREATE PROCEDURE p(x int) LANGUAGE plpgsql AS $$ BEGIN SELECT 1 INTO y; END $$",
     '"y" is not a known variable'),
    ("DO $$ BEGIN SELECT EXISTS (SELECT 1 FROM en) INTO present; END $$",
     '"present" is not a known variable'),
    # what PostgreSQL takes: declarations in this and enclosing blocks, labels
    (fn("DECLARE x int; BEGIN SELECT 1 INTO STRICT x; RETURN x; END"), None),
    (fn("DECLARE x int; BEGIN BEGIN SELECT 1 INTO x; END; RETURN 1; END"), None),
    (fn("<<outer>> DECLARE x int; BEGIN DECLARE x int; BEGIN SELECT 1 INTO outer.x; END; "
        "RETURN 1; END"), None),
    (fn('DECLARE "A" int; b int; BEGIN SELECT 1, 2 INTO "A", B; RETURN 1; END'), None),
    # parameters by name, by number, qualified by the function's name; OUT and TABLE columns
    (fn("BEGIN SELECT 1 INTO p; RETURN p; END", args="p int"), None),
    (fn("BEGIN SELECT 1 INTO $1; RETURN 1; END", args="int"), None),
    (fn("BEGIN SELECT 1 INTO f.p; RETURN p; END", args="p int"), None),
    (fn("BEGIN SELECT 1, 'a' INTO a, b; END", args="OUT a int, OUT b text", returns="record"),
     None),
    (fn("BEGIN SELECT 1 INTO k; RETURN NEXT; END", returns="TABLE (k int)"), None),
    ("CREATE PROCEDURE p(INOUT x int) LANGUAGE plpgsql AS $$ BEGIN SELECT 1 INTO x; END $$",
     None),
    # found, loop variables, records and their fields, aliases, handlers
    (fn("BEGIN SELECT true INTO found; RETURN 1; END"), None),
    (fn("BEGIN <<l>> FOR i IN 1..3 LOOP SELECT 1 INTO i; SELECT 2 INTO l.i; END LOOP; "
        "RETURN 1; END"), None),
    (fn("DECLARE c CURSOR FOR SELECT id FROM en; n int; BEGIN FOR r IN c LOOP "
        "SELECT r.id INTO n; END LOOP; RETURN 1; END"), None),
    (fn("DECLARE r record; s en%ROWTYPE; BEGIN SELECT 1 INTO r.whatever; "
        "SELECT 'x' INTO s.rule_ref; SELECT * INTO r FROM en; RETURN 1; END"), None),
    (fn("DECLARE a ALIAS FOR $1; BEGIN SELECT 1 INTO a; RETURN 1; END", args="int"), None),
    (fn("DECLARE c CURSOR FOR SELECT 1; x int; a int[] := '{1,2}'; BEGIN SELECT 'c' INTO c; "
        "FOREACH x IN ARRAY a LOOP SELECT INTO x id FROM en; END LOOP; "
        "CASE WHEN x > 0 THEN SELECT 1 INTO x; END CASE; RETURN 1; END"), None),
    (fn("DECLARE m text; BEGIN RETURN 1; EXCEPTION WHEN others THEN SELECT SQLERRM INTO m; "
        "RETURN 0; END"), None),
    # EXECUTE, RETURNING, INSERT INTO after WITH, INTO in a comment
    (fn("DECLARE x int; BEGIN EXECUTE 'SELECT $1' INTO STRICT x USING 1; "
        "INSERT INTO en (id) VALUES (1) RETURNING id INTO x; "
        "WITH q AS (SELECT 1 AS id) INSERT INTO en (id) SELECT id FROM q; "
        "SELECT 1 -- INTO nope\n INTO x; RETURN x; END"), None),
    # a trigger function's NEW, OLD, TG_*; DO's found
    (fn("BEGIN SELECT * INTO NEW FROM en; SELECT 'x' INTO NEW.rule_ref; SELECT * INTO OLD "
        "FROM en; SELECT 'x' INTO tg_op; RETURN NEW; END", returns="trigger"), None),
    ("DO $$ DECLARE n int; BEGIN SELECT true INTO found; SELECT count(*) INTO n FROM en; "
     "END $$", None),
    # PostgreSQL does not compile the body
    ("SET LOCAL check_function_bodies = off;\n" + fn("BEGIN SELECT 1 INTO x; RETURN 1; END"),
     None),
]


@pytest.fixture(scope="module")
def into_db(pg_cluster: Cluster) -> Iterator[str]:
    """One database for the module: each case runs in a transaction rolled back."""
    name = "plpgsql_into"
    pg_cluster.create_database(name)
    yield name
    pg_cluster.drop_database(name)


def _postgresql_says(pg_cluster: Cluster, db: str, statement: str) -> str | None:
    # one simple query, as psql sends
    error = refusal(pg_cluster, db, [f"{TABLE};\n{statement}"])
    if error is None:
        return None
    return str(getattr(getattr(error, "diag", None), "message_primary", error))


def _schemafold_says(statement: str) -> str | None:
    try:
        fold_sql(f"{TABLE};\n{statement};\n")
    except InputError as error:
        return error.message
    return None


@pytest.mark.parametrize(("statement", "message"), CASES)
def test_into_targets_as_postgresql_compiles_them(pg_cluster: Cluster, into_db: str,
                                                  statement: str, message: str | None) -> None:
    assert _postgresql_says(pg_cluster, into_db, statement) == message
    assert _schemafold_says(statement) == message


HISTORY = (
    "CREATE TABLE en (rule_ref text, trigger_ref text);\n"
    "CREATE FUNCTION f() RETURNS trigger AS $$\n"
    "DECLARE a text; b text;\n"
    "BEGIN\n"
    "  SELECT en.rule_ref, en.trigger_ref INTO Add a, b FROM en;\n"
    "  RETURN NEW;\n"
    "END $$ LANGUAGE plpgsql;\n"
)


def test_squash_refuses_an_unknown_into_target_at_its_line(tmp_path: Path) -> None:
    src = tmp_path / "m"
    src.mkdir()
    (src / "0001_a.sql").write_text(HISTORY)
    done = run_cli("squash", str(src), "--out", str(tmp_path / "o"))
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert ('0001_a.sql:5: "add" is not a known variable: '
            "SELECT en.rule_ref, en.trigger_ref INTO Add a, b FROM en;") in done.stderr
    assert not (tmp_path / "o").exists()


VALID = {
    "0001_tables.sql": "CREATE TABLE en (id int PRIMARY KEY, rule_ref text, n int);\n",
    "0002_functions.sql": """CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total int;
BEGIN
  SELECT count(*) INTO total FROM en;
  SELECT 'rule-' || NEW.id INTO NEW.rule_ref;
  SELECT total INTO STRICT NEW.n;
  RETURN NEW;
END $$;

CREATE FUNCTION counts(p_id int, OUT seen int, OUT label text) LANGUAGE plpgsql AS $$
<<outer>>
DECLARE
  r en%ROWTYPE;
  x int;
BEGIN
  DECLARE
    x int;
  BEGIN
    SELECT id INTO x FROM en WHERE id = p_id;
    SELECT x INTO outer.x;
  END;
  FOR i IN 1..2 LOOP
    SELECT i INTO seen;
  END LOOP;
  SELECT * INTO r FROM en WHERE id = $1;
  IF NOT FOUND THEN
    SELECT true INTO found;
  END IF;
  EXECUTE 'SELECT $1::text' INTO label USING r.rule_ref;
  UPDATE en SET n = n WHERE id = p_id RETURNING n INTO x;
END $$;

CREATE TRIGGER en_stamp BEFORE INSERT ON en FOR EACH ROW EXECUTE FUNCTION stamp();
""",
    "0003_rows.sql": "INSERT INTO en (id) VALUES (1), (2);\n",
}


def test_a_history_of_valid_into_targets_squashes_equal(tmp_path: Path) -> None:
    """Parameters, OUT parameters, a nested block's and a labelled block's declarations, a
    loop's variable, a record, FOUND, a trigger's NEW: squashed, and the consolidation replays
    to the database the history makes."""
    squash_verify(tmp_path, VALID)
