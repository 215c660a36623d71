"""What the fold models it checks as PostgreSQL would (issue 15), for the kinds of statement the
fuzz run of seed 33 found ``squash`` exiting 0 on while PostgreSQL refuses them: a policy's
``USING`` or ``WITH CHECK`` calling a function that exists nowhere (``USING (id = auth.
POLICYuid())``); a routine's or DO block's language that does not exist, after a DO block kept
verbatim that only checks the catalog (it makes no language); ``ON CONFLICT (k)`` with no
unique key of those columns; a ``GROUP BY`` or ``ORDER BY`` list starting with what starts no
item (``GROUP BY SELECT a``, ``GROUP BY BY a``); and a column privilege on a column the table
does not have (``UPDATE ( REFERENCESdisplay_name)``). Each case is asked of a real PostgreSQL
in the same test, beside valid neighbours, and the fold's verdict must agree: refused by both,
or taken by both."""

from __future__ import annotations

import pytest

from postgresql_verdict import assert_judged_alike, first_line, fold_refusal, refusal
from schemafold import fold_sql
from schemafold.errors import InputError
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

AUTH = ["CREATE SCHEMA auth", "CREATE FUNCTION auth.uid() RETURNS int LANGUAGE sql AS 'SELECT 1'"]

#: (statements after SETUP, whether PostgreSQL takes them): a policy's calls
POLICY_CASES: list[tuple[list[str], bool]] = [
    ([*AUTH, "CREATE POLICY p ON t USING (id = auth. POLICYuid())"], False),
    ([*AUTH, "CREATE POLICY p ON t USING (id = (SELECT auth.nouid()))"], False),
    (["CREATE POLICY p ON t FOR INSERT WITH CHECK (nouid() > 0)"], False),
    (["CREATE POLICY p ON t USING (EXISTS (SELECT 1 FROM u x(i, j) WHERE x.i = nouid()))"],
     False),
    (["CREATE POLICY p ON t USING (true)", "ALTER POLICY p ON t USING (nouid() = a)"], False),
    (["CREATE POLICY p ON t USING (true)", "ALTER POLICY p ON t WITH CHECK (nope.f(b))"], False),
    ([*AUTH, "CREATE POLICY p ON t USING (id = auth.uid())"], True),
    ([*AUTH, "CREATE POLICY p ON t USING (id = (SELECT auth.uid()))"], True),
    (["CREATE POLICY p ON t FOR INSERT WITH CHECK (abs(a) > 0)"], True),
    (["CREATE POLICY p ON t USING (EXISTS (SELECT 1 FROM u x(i, j) WHERE x.i = t.id))"], True),
    (["CREATE POLICY p ON t USING (a IN (WITH c(z) AS (SELECT 1) SELECT z FROM c))"], True),
    (["CREATE POLICY p ON t USING (a IN (SELECT g FROM generate_series(1, 3) AS s(g)))"], True),
    (["CREATE POLICY p ON t USING (b::varchar(10) = 'x' AND a::numeric(10,2) > 1 "
      "AND current_user = 'x')"], True),
    (["CREATE POLICY p ON t USING (coalesce(a, 0) > 0 AND greatest(a, 1) > 0 "
      "AND b = current_setting('x.y', true))"], True),
    (["CREATE POLICY p ON t USING (extract(day FROM now()) > 1 AND b IS DISTINCT FROM 'x')"],
     True),
    (["CREATE POLICY p ON t USING (a = ANY (ARRAY(SELECT c FROM u)) AND ROW(a, b) IS NOT NULL)"],
     True),
    (["CREATE TYPE mood AS ENUM ('a')", "CREATE POLICY p ON t USING (mood('a') IS NOT NULL)"],
     True),
    (["CREATE POLICY p ON t USING (true)",
      "ALTER POLICY p ON t USING (lower(b) = 'x') WITH CHECK (upper(b) = 'X')"], True),
]


@pytest.mark.parametrize(("statements", "valid"), POLICY_CASES)
def test_a_policy_calling_no_function_is_refused_as_postgresql_refuses_it(
        pg_cluster: Cluster, pg_db: str, statements: list[str], valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements], valid)


def test_the_missing_function_of_a_policy_is_named(pg_cluster: Cluster, pg_db: str) -> None:
    statements = [*AUTH, "CREATE POLICY p ON t USING (id = auth. POLICYuid())"]
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, *statements]))
    assert said == "function auth.policyuid() does not exist"
    with pytest.raises(InputError) as refused:
        fold_sql(";\n".join([*SETUP, *statements]) + ";\n")
    assert "<sql>:5: function auth.policyuid(...) does not exist" in str(refused.value)


#: a DO block the fold keeps verbatim (PL/pgSQL it does not run: the identity arguments of a
#: function the history made) that only reads the catalog, and raises an error
CHECKING = ("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
            "AND p.proname = 'wf' AND pg_get_function_identity_arguments(p.oid) LIKE '%int%') "
            "THEN RAISE EXCEPTION 'wf(int) is missing'; END IF; END $$")
WF = "CREATE FUNCTION wf(a int) RETURNS int LANGUAGE sql AS 'SELECT a'"
MAKE_LANGUAGE = "CREATE LANGUAGE plpgs HANDLER plpgsql_call_handler"

#: (statements after SETUP, whether PostgreSQL takes them, whether the fold refuses them
#: outright rather than stopping folding there): a routine's or a DO block's language
LANGUAGE_CASES: list[tuple[list[str], bool, bool]] = [
    ([WF, CHECKING, "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE plpgs"], False,
     False),
    ([WF, CHECKING, "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql"], True, False),
    ([WF, CHECKING, "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE \"plpgs\""],
     False, False),
    (["DO LANGUAGE plpgs $$ BEGIN END $$"], False, True),
    (["DO $$ BEGIN END $$ LANGUAGE 'plpgs'"], False, True),
    (["DO $$ BEGIN END $$ LANGUAGE \"PLPGSQL\""], False, True),
    (["DO $$ BEGIN END $$ LANGUAGE PLPGSQL"], True, False),
    (["DO 'BEGIN NULL; END' LANGUAGE plpgsql"], True, False),
    ([MAKE_LANGUAGE, "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ "
      "LANGUAGE plpgs"], True, False),
    (["DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_language WHERE lanname = 'plpgs') THEN "
      f"{MAKE_LANGUAGE}; END IF; END $$",
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgs"], True,
     False),
    (["DO $$ BEGIN IF random() > 2 THEN RAISE NOTICE 'x'; ELSE EXECUTE 'CREATE LANG' || "
      "'UAGE plpgs HANDLER plpgsql_call_handler'; END IF; END $$",
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgs"], True,
     False),
    (["CREATE FUNCTION mk() RETURNS int LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'CREATE LANG' "
      "|| 'UAGE plpgs HANDLER plpgsql_call_handler'; RETURN 1; END $$",
      "CREATE VIEW mkv AS SELECT mk() AS x",
      "DO $$ BEGIN IF random() > 2 THEN RAISE NOTICE 'x'; END IF; PERFORM x FROM mkv; END $$",
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgs"], True,
     False),
    (["CREATE FUNCTION mk() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'CREATE LANG' "
      "|| 'UAGE plpgs HANDLER plpgsql_call_handler'; END $$",
      "DO $$ BEGIN IF random() > 2 THEN RAISE NOTICE 'x'; END IF; PERFORM mk(); END $$",
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgs"], True,
     False),
    (["CREATE FUNCTION mk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'CREATE LANG' "
      "|| 'UAGE plpgs HANDLER plpgsql_call_handler'; RETURN NEW; END $$",
      "CREATE TRIGGER mkt BEFORE INSERT ON u FOR EACH ROW EXECUTE FUNCTION mk()",
      "DO $$ BEGIN IF random() > 2 THEN RAISE NOTICE 'x'; END IF; INSERT INTO u VALUES (1, 1); "
      "END $$",
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgs"], True,
     False),
]


@pytest.mark.parametrize(("statements", "valid", "refused"), LANGUAGE_CASES)
def test_a_language_no_kept_statement_made_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: list[str], valid: bool,
        refused: bool) -> None:
    """Refused outright where nothing is kept verbatim; after the catalog check kept verbatim,
    folding stops at the statement (the refusal comes after a kept statement), where it went
    on, silent, before."""
    error = refusal(pg_cluster, pg_db, [*SETUP, *statements])
    assert (error is None) == valid, first_line(error)
    found = fold_refusal([*SETUP, *statements])
    assert (found is None) == valid, found
    if found is not None:
        assert 'language "' in str(found) and "does not exist" in str(found)
        assert (type(found) is InputError) == refused, found


#: (statements after SETUP, whether PostgreSQL takes them): ON CONFLICT's target
CONFLICT_CASES: list[tuple[list[str], bool]] = [
    (["CREATE TABLE s (k text NOT NULL, v text)",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], False),
    (["CREATE TABLE s (k text NOT NULL, v text)",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v"],
     False),
    (["CREATE TABLE s (k text, v text, UNIQUE (v, k))",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], False),
    (["CREATE TABLE s (k text, v text, UNIQUE (k))",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k, v) DO NOTHING"], False),
    (["CREATE TABLE s (k text, v text)", "CREATE INDEX ON s (k)",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], False),
    (["CREATE TABLE s (k text, v text, CONSTRAINT sk UNIQUE (k))",
      "ALTER TABLE s DROP CONSTRAINT sk",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], False),
    (["CREATE TABLE s (k text PRIMARY KEY, v text)", "CREATE TABLE s2 (LIKE s)",
      "INSERT INTO s2 (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], False),
    (["CREATE TABLE s (k text, v text)",
      "INSERT INTO s (k, v) SELECT 'a', 'b' ON CONFLICT (k) DO NOTHING"], False),
    (["INSERT INTO t VALUES (1, 2, 'x') ON CONFLICT (a) DO UPDATE SET a = 3"], False),
    (["CREATE TABLE s (k text NOT NULL, v text)", "CREATE UNIQUE INDEX ON s (k)",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], True),
    (["CREATE TABLE s (k text, v text, UNIQUE (v, k))",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k, v) DO NOTHING"], True),
    (["CREATE TABLE s (k text, v text, UNIQUE (k))",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k, k) DO NOTHING"], True),
    (["CREATE TABLE s (k text, v text, UNIQUE (k) INCLUDE (v))",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], True),
    (["CREATE TABLE s (k text, v text)", "CREATE UNIQUE INDEX ON s (k) WHERE v IS NOT NULL",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) WHERE v IS NOT NULL DO NOTHING"],
     True),
    (["CREATE TABLE s (k text, v text)", "CREATE UNIQUE INDEX ON s (lower(k))",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (lower(k)) DO NOTHING"], True),
    (["CREATE TABLE s (k text, v text)", "CREATE UNIQUE INDEX si ON s (k)",
      "ALTER TABLE s ADD CONSTRAINT sk UNIQUE USING INDEX si",
      "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], True),
    (["CREATE TABLE s (k text, v text)", "CREATE UNIQUE INDEX si ON s (k)",
      "ALTER TABLE s RENAME k TO kk",
      "INSERT INTO s (kk, v) VALUES ('a', 'b') ON CONFLICT (kk) DO NOTHING"], True),
    (["CREATE TABLE s (k text PRIMARY KEY, v text)", "CREATE TABLE s2 (LIKE s INCLUDING INDEXES)",
      "INSERT INTO s2 (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"], True),
    (["CREATE TABLE p (k int, v text, PRIMARY KEY (k)) PARTITION BY RANGE (k)",
      "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10)",
      "INSERT INTO p1 VALUES (1, 'a') ON CONFLICT (k) DO NOTHING",
      "INSERT INTO p VALUES (2, 'a') ON CONFLICT (k) DO NOTHING"], True),
    (["CREATE TABLE s (k text, v text)", "ALTER TABLE s ADD PRIMARY KEY (k, v)",
      "INSERT INTO s VALUES ('a', 'b') ON CONFLICT (v, k) DO UPDATE SET k = 'c'"], True),
    (["INSERT INTO t VALUES (1, 2, 'x') ON CONFLICT (id) DO UPDATE SET a = 3",
      "INSERT INTO t VALUES (2, 2, 'x') ON CONFLICT DO NOTHING",
      "INSERT INTO t VALUES (3, 2, 'x') ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING"], True),
]


@pytest.mark.parametrize(("statements", "valid"), CONFLICT_CASES)
def test_an_on_conflict_target_no_key_has_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: list[str], valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements], valid)


def test_the_on_conflict_refusal_says_what_postgresql_says(pg_cluster: Cluster,
                                                           pg_db: str) -> None:
    statements = ["CREATE TABLE s (k text NOT NULL, v text)",
                  "INSERT INTO s (k, v) VALUES ('a', 'b') ON CONFLICT (k) DO NOTHING"]
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, *statements]))
    assert said == "there is no unique or exclusion constraint matching the ON CONFLICT " \
        "specification"
    found = fold_refusal([*SETUP, *statements])
    assert found is not None and f"<sql>:4: {said}: " in str(found)


#: (statement after SETUP, whether PostgreSQL takes it): how a GROUP BY or ORDER BY list starts
ORDERING_CASES: list[tuple[str, bool]] = [
    ("CREATE VIEW v AS SELECT a, sum(id) AS s FROM t GROUP BY SELECT a", False),
    ("CREATE VIEW v AS SELECT a, sum(id) AS s FROM t GROUP BY BY a", False),
    ("SELECT a, sum(id) AS s FROM t GROUP BY BY a", False),
    ("CREATE VIEW v AS SELECT a FROM t ORDER BY BY a", False),
    ("CREATE VIEW v AS SELECT a FROM t ORDER BY SELECT a", False),
    ("CREATE VIEW v AS SELECT a FROM t ORDER BY FROM a", False),
    ("CREATE VIEW v AS SELECT a FROM t ORDER BY AND a", False),
    ("CREATE VIEW v AS SELECT a FROM t ORDER BY * a", False),
    ("CREATE FUNCTION f() RETURNS SETOF int LANGUAGE sql AS 'SELECT a FROM t ORDER BY SELECT 1'",
     False),
    ("CREATE VIEW v AS SELECT a, sum(id) FROM t GROUP BY ALL a", True),
    ("CREATE VIEW v AS SELECT a, sum(id) FROM t GROUP BY DISTINCT a", True),
    ("CREATE VIEW v AS SELECT a, sum(id) FROM t GROUP BY ROLLUP (a)", True),
    ("CREATE VIEW v AS SELECT a, sum(id) FROM t GROUP BY GROUPING SETS ((a), ())", True),
    ("CREATE VIEW v AS SELECT a, sum(id) FROM t GROUP BY CUBE (a)", True),
    ("CREATE VIEW v AS SELECT b, sum(id) FROM t GROUP BY CASE WHEN a > 0 THEN b END, b", True),
    ("CREATE VIEW v AS SELECT a FROM t ORDER BY CASE WHEN a > 0 THEN 1 END, CAST(a AS text), "
     "- a, NOT (a > 1), ARRAY[a], EXISTS (SELECT 1), COALESCE(a, 1)", True),
    ("CREATE VIEW v AS SELECT string_agg(b, ',' ORDER BY b DESC NULLS LAST) FROM t", True),
    ("CREATE VIEW v AS SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a) FROM t", True),
    ("CREATE VIEW v AS SELECT rank() OVER (PARTITION BY b ORDER BY a) FROM t", True),
    ("CREATE VIEW v AS SELECT a AS by FROM t ORDER BY by DESC", True),
    ("CREATE VIEW v AS SELECT a FROM t ORDER BY a USING <", True),
    ("CREATE AGGREGATE my_rank (VARIADIC \"any\" ORDER BY VARIADIC \"any\") (SFUNC = "
     "ordered_set_transition_multi, STYPE = internal, FINALFUNC = rank_final, FINALFUNC_EXTRA, "
     "HYPOTHETICAL)", True),
    ("CREATE AGGREGATE my_pct (float8 ORDER BY anyelement) (SFUNC = ordered_set_transition, "
     "STYPE = internal, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA)", True),
    ("DO $$ DECLARE r record; BEGIN FOR r IN SELECT a FROM t ORDER BY a LOOP NULL; END LOOP; "
     "END $$", True),
]


@pytest.mark.parametrize(("statement", "valid"), ORDERING_CASES)
def test_a_list_starting_with_no_item_is_refused(pg_cluster: Cluster, pg_db: str,
                                                 statement: str, valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, statement], valid)


#: (statements after SETUP, whether PostgreSQL takes them): privileges on columns
COLUMN_GRANT_CASES: list[tuple[list[str], bool]] = [
    (["GRANT SELECT, UPDATE ( REFERENCESb) ON t TO PUBLIC"], False),
    (["GRANT UPDATE (b, zz) ON TABLE t TO PUBLIC"], False),
    (["REVOKE UPDATE (zz) ON t FROM PUBLIC"], False),
    (["GRANT SELECT (\"B\") ON t TO PUBLIC"], False),
    (["ALTER TABLE t RENAME b TO bb", "GRANT UPDATE (b) ON t TO PUBLIC"], False),
    (["ALTER TABLE t DROP COLUMN b", "GRANT UPDATE (b) ON t TO PUBLIC"], False),
    (["CREATE TABLE l (LIKE t)", "GRANT UPDATE (zz) ON l TO PUBLIC"], False),
    (["GRANT UPDATE (b) ON t TO PUBLIC", "REVOKE UPDATE (b) ON t FROM PUBLIC"], True),
    (["GRANT SELECT (id, \"a\", B) ON t TO PUBLIC"], True),
    (["GRANT SELECT (ctid), SELECT (xmin) ON t TO PUBLIC"], True),
    (["GRANT INSERT (a), REFERENCES (b) ON t TO PUBLIC", "GRANT ALL (a, b) ON t TO PUBLIC"],
     True),
    (["ALTER TABLE t RENAME b TO bb", "GRANT UPDATE (bb) ON t TO PUBLIC"], True),
    (["ALTER TABLE t ADD COLUMN n int", "GRANT UPDATE (n) ON t TO PUBLIC"], True),
    (["CREATE TABLE c () INHERITS (t)", "GRANT UPDATE (a) ON c TO PUBLIC"], True),
    (["CREATE TABLE l (LIKE t)", "GRANT UPDATE (a) ON l TO PUBLIC"], True),
    (["CREATE VIEW v AS SELECT id, a FROM t", "GRANT SELECT (a) ON v TO PUBLIC"], True),
    (["CREATE TABLE p (k int, v text) PARTITION BY RANGE (k)",
      "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (9)",
      "GRANT SELECT (v) ON p1 TO PUBLIC"], True),
]


@pytest.mark.parametrize(("statements", "valid"), COLUMN_GRANT_CASES)
def test_a_privilege_on_a_missing_column_is_refused(
        pg_cluster: Cluster, pg_db: str, statements: list[str], valid: bool) -> None:
    assert_judged_alike(pg_cluster, pg_db, [*SETUP, *statements], valid)


def test_the_missing_column_of_a_grant_is_named(pg_cluster: Cluster, pg_db: str) -> None:
    statement = "GRANT SELECT, UPDATE ( REFERENCESb) ON t TO PUBLIC"
    said = first_line(refusal(pg_cluster, pg_db, [*SETUP, statement]))
    assert said == 'column "referencesb" of relation "t" does not exist'
    found = fold_refusal([*SETUP, statement])
    assert found is not None and f"<sql>:3: {said}: {statement}" in str(found)
