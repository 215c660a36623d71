"""``REFRESH MATERIALIZED VIEW`` after rows the consolidation writes late: a statement kept
verbatim (after an opaque statement touched its table, or after every object because a trigger
fires on it) writes rows the view reads, and the history refreshes the view after it. Folded,
the refresh ran in the data phase, before those rows, and the view held none of them (the
property test found it: ``rows differ: public.v1``). Each history is squashed and verified on a
real PostgreSQL (``squash --verify`` must say EQUAL)."""

from __future__ import annotations

from pathlib import Path

from cli_run import squash_verify


def test_a_refresh_after_rows_kept_after_an_opaque_statement(tmp_path: Path) -> None:
    out = squash_verify(tmp_path, {
        "001_a.sql": "CREATE COLLATION co1 (locale = 'C');\n"
                     "CREATE TABLE t1 (id serial PRIMARY KEY, c1 text);\n",
        "002_b.sql": "CREATE MATERIALIZED VIEW v1 AS SELECT a.id AS o1 FROM t1 a;\n",
        "003_c.sql": "ALTER TABLE t1 ALTER COLUMN c1 TYPE text COLLATE co1;\n",
        "004_d.sql": "INSERT INTO t1 (id) VALUES (DEFAULT);\nREFRESH MATERIALIZED VIEW v1;\n",
    })
    assert out.index("INSERT INTO t1") < out.rindex("REFRESH MATERIALIZED VIEW v1")


def test_a_refresh_after_rows_a_trigger_watches(tmp_path: Path) -> None:
    out = squash_verify(tmp_path, {
        "001_a.sql": "CREATE TABLE t1 (id serial PRIMARY KEY, n int);\n"
                     "CREATE TABLE log (id int);\n"
                     "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                     "INSERT INTO log VALUES (NEW.id); RETURN NEW; END $$;\n"
                     "CREATE TRIGGER tr AFTER INSERT ON t1 FOR EACH ROW EXECUTE FUNCTION tf();\n"
                     "CREATE MATERIALIZED VIEW v1 AS SELECT count(*) AS c FROM t1;\n"
                     "CREATE MATERIALIZED VIEW v2 AS SELECT count(*) AS c FROM log;\n",
        "002_b.sql": "INSERT INTO t1 (n) VALUES (1), (2);\nREFRESH MATERIALIZED VIEW v1;\n"
                     "REFRESH MATERIALIZED VIEW v2;\n",
    })
    inserted = out.index("INSERT INTO t1")
    assert inserted < out.rindex("REFRESH MATERIALIZED VIEW v1")
    assert inserted < out.rindex("REFRESH MATERIALIZED VIEW v2")


def test_a_refresh_of_rows_loaded_in_the_data_phase_stays_folded(tmp_path: Path) -> None:
    out = squash_verify(tmp_path, {
        "001_a.sql": "CREATE TABLE t1 (id serial PRIMARY KEY, n int);\n"
                     "CREATE MATERIALIZED VIEW v1 AS SELECT count(*) AS c FROM t1;\n",
        "002_b.sql": "INSERT INTO t1 (n) VALUES (1), (2);\nREFRESH MATERIALIZED VIEW v1;\n",
    })
    assert out.count("REFRESH MATERIALIZED VIEW v1") == 1
    assert out.index("INSERT INTO t1") < out.index("REFRESH MATERIALIZED VIEW v1")
