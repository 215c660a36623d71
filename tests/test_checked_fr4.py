"""False refusals found by writing the statements dump tools, migration tools and hand-written
migrations produce and asking PostgreSQL 15 and the fold about each: statements PostgreSQL
applies that ``squash`` refused, each beside its nearest neighbour PostgreSQL refuses, which
the fold must still refuse. Every verdict is asked of a real PostgreSQL in the same test;
PostgreSQL's message must hold the error fragment, and so must the fold's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from postgresql_verdict import (
    assert_refused_alike,
    fold_refusal,
    refusal,
)
from schemafold.errors import FoldLimit
from schemafold.verify.cluster import Cluster

BASE = ["CREATE TABLE t (id int PRIMARY KEY, a int, b text)", "CREATE TABLE u (id int, c int)"]

_TRIGGER_FUNCTION = \
    "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"
_TRIGGER = "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE"

_PARTITIONED = "CREATE TABLE m (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)"
_Y2020 = "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')"
_Y2021 = "FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')"

# (statements, apart at ";\n"; the error fragment PostgreSQL and the fold give, or None)
CASES: list[tuple[str, str | None]] = [
    # any key word may be a trigger's argument, an option's name or a name in an operator's or
    # an aggregate's definition; a statement glued on without its ";" is still an error
    (f"{_TRIGGER_FUNCTION};\n{_TRIGGER} FUNCTION f('a', create);\n"
     f"CREATE CONSTRAINT TRIGGER tc AFTER INSERT ON t FOR EACH ROW EXECUTE PROCEDURE "
     f"public.f(create, alter, table, 1)", None),
    (f"{_TRIGGER_FUNCTION};\n{_TRIGGER} FUNCTION f() CREATE TABLE w (id int)",
     'syntax error at or near "CREATE"'),
    (f"{_TRIGGER_FUNCTION};\n{_TRIGGER} FUNCTION f(create table)", "syntax error at or near"),
    ("CREATE FUNCTION f() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;\n"
     "CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION f(create)",
     'syntax error at or near "create"'),
    ("CREATE FOREIGN DATA WRAPPER w OPTIONS (create 'x');\n"
     "CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (create 'x', alter 'y');\n"
     "ALTER SERVER s OPTIONS (ADD table 'z', SET create 'q', DROP alter);\n"
     "ALTER FOREIGN DATA WRAPPER w OPTIONS (ADD alter 'x', DROP create);\n"
     "CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (create 'x');\n"
     "CREATE FOREIGN TABLE ft (a int OPTIONS (create 'x')) SERVER s OPTIONS (create 'y');\n"
     "ALTER FOREIGN TABLE ft ALTER COLUMN a OPTIONS (SET create 'z');\n"
     "ALTER FOREIGN TABLE ft OPTIONS (DROP create)", None),
    ("CREATE FOREIGN DATA WRAPPER w OPTIONS (a 'x') CREATE TABLE w (id int)",
     'syntax error at or near "CREATE"'),
    ("CREATE FOREIGN DATA WRAPPER w OPTIONS (a 'x' create)", 'syntax error at or near "create"'),
    ("CREATE FOREIGN DATA WRAPPER w OPTIONS (create)", "syntax error at or near"),
    ("CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, create = x, FUNCTION = int4eq);\n"
     "CREATE OPERATOR <<< (LEFTARG = int, RIGHTARG = int, FUNCTION = int4lt, create);\n"
     "CREATE AGGREGATE ag(int) (SFUNC = int4pl, STYPE = int, create = 1);\n"
     "CREATE OR REPLACE AGGREGATE ag(int) (SFUNC = int4pl, STYPE = int, create)", None),
    ("CREATE AGGREGATE ag (BASETYPE = int, SFUNC = int4pl, STYPE = int, create = 1)",
     'syntax error at or near "create"'),
    ("CREATE AGGREGATE ag(int) (SFUNC = int4pl, STYPE = int) CREATE TABLE w (id int)",
     'syntax error at or near "CREATE"'),
    # (xmlelement(name create) is taken too; PostgreSQL without libxml, as the pip server the
    # tests may use, refuses every XML function, so it is not asked here)
    ("CREATE VIEW v AS SELECT abs(create) AS x", 'syntax error at or near "create"'),
    ("CREATE TABLE a (id int) CREATE TABLE b (id int)", 'syntax error at or near "CREATE"'),
    (f"{_PARTITIONED};\nCREATE TABLE m_2020 (id int NOT NULL, at date NOT NULL);\n"
     "ALTER TABLE ONLY m_2020 ADD CONSTRAINT m_2020_pkey PRIMARY KEY (id, at);\n"
     f"ALTER TABLE m ATTACH PARTITION m_2020 {_Y2020};\n"
     "ALTER TABLE m ADD CONSTRAINT m_pkey PRIMARY KEY (at, id)",
     'multiple primary keys for table "m_2020" are not allowed'),
    # a range type's multirange may be named by its options (pg_dump writes the name always)
    ("CREATE TYPE public.rng AS RANGE (subtype = integer, multirange_type_name = "
     "public.rng_multi);\nCREATE TYPE r2 AS RANGE (subtype = int, MULTIRANGE_TYPE_NAME = "
     '"R2_M");\nCREATE TABLE public.rr (r public.rng, m public.rng_multi, n rng_multi, '
     'o "R2_M")', None),
    ("CREATE TYPE r2 AS RANGE (subtype = int, multirange_type_name = \"R2_M\");\n"
     "CREATE TABLE rr (m r2_m)", 'type "r2_m" does not exist'),
    ("CREATE SCHEMA s2;\nCREATE TYPE rng AS RANGE (subtype = int, multirange_type_name = "
     "rng_multi);\nCREATE TABLE rr (m s2.rng_multi)", 'type "s2.rng_multi" does not exist'),
    # pg_dump's keys on a partitioned table: ALTER TABLE ONLY adds the parent's without cloning
    # it onto the partitions, which get their own, attached after; a partition made later still
    # gets a clone
    (f"{_PARTITIONED};\nCREATE TABLE m_2020 (id int NOT NULL, at date NOT NULL);\n"
     f"ALTER TABLE ONLY m ATTACH PARTITION m_2020 {_Y2020};\n"
     "ALTER TABLE ONLY m ADD CONSTRAINT m_pkey PRIMARY KEY (id, at);\n"
     "ALTER TABLE ONLY m_2020 ADD CONSTRAINT m_2020_pkey PRIMARY KEY (id, at);\n"
     "ALTER INDEX m_pkey ATTACH PARTITION m_2020_pkey;\n"
     f"CREATE TABLE m_2021 PARTITION OF m {_Y2021};\nINSERT INTO m VALUES (1, '2021-02-02')",
     None),
    (f"{_PARTITIONED};\nCREATE TABLE m_2020 PARTITION OF m {_Y2020};\n"
     "ALTER TABLE m ADD CONSTRAINT m_uq UNIQUE (id, at);\n"
     "ALTER TABLE ONLY m_2020 ADD CONSTRAINT m_2020_id_at_key UNIQUE (id, at)", "already exists"),
    (f"{_PARTITIONED};\nCREATE TABLE m_2020 PARTITION OF m {_Y2020};\n"
     "ALTER TABLE ONLY m ADD CONSTRAINT m_pkey PRIMARY KEY (id, at);\n"
     f"CREATE TABLE m_2021 PARTITION OF m {_Y2021};\n"
     "ALTER TABLE ONLY m_2021 ADD CONSTRAINT m_2021_pkey PRIMARY KEY (id, at)", "m_2021"),
    ("CREATE TABLE a (id int CREATE TABLE b (id int))", 'syntax error at or near "CREATE"'),
]


@pytest.mark.parametrize(("statement", "fragment"), CASES)
def test_judged_as_postgresql_judges(pg_cluster: Cluster, fresh_db: Callable[..., str],
                                     statement: str, fragment: str | None) -> None:
    assert_refused_alike(pg_cluster, fresh_db(), [*BASE, *statement.split(";\n")], fragment)


def test_key_attached_by_alter_index_stops_folding(pg_cluster: Cluster,
                                                  fresh_db: Callable[..., str]) -> None:
    """A partition's own key attached to its parent's by ``ALTER INDEX ... ATTACH PARTITION``
    (kept verbatim) goes when the parent's is dropped: a new key of other columns on the parent
    is cloned onto the partition. The fold does not follow the attachment and stops folding
    there rather than write a partition with two primary keys."""
    statements = [*BASE, _PARTITIONED, "CREATE TABLE m_2020 (id int NOT NULL, at date NOT NULL)",
                  f"ALTER TABLE ONLY m ATTACH PARTITION m_2020 {_Y2020}",
                  "ALTER TABLE ONLY m ADD CONSTRAINT m_pkey PRIMARY KEY (id, at)",
                  "ALTER TABLE ONLY m_2020 ADD CONSTRAINT m_2020_pkey PRIMARY KEY (id, at)",
                  "ALTER INDEX m_pkey ATTACH PARTITION m_2020_pkey",
                  "ALTER TABLE m DROP CONSTRAINT m_pkey",
                  "ALTER TABLE m ADD CONSTRAINT m_pkey PRIMARY KEY (at, id)"]
    assert refusal(pg_cluster, fresh_db(), statements) is None
    assert fold_refusal(statements, limit_taken=True) is None
    assert isinstance(fold_refusal(statements), FoldLimit)


def test_a_key_word_names_an_xml_element_or_instruction() -> None:
    """``xmlelement(name create)``, ``xmlpi(name alter)``: PostgreSQL 15 (built with libxml)
    takes both; asked of the fold alone, since a server without libxml refuses any XML
    function whatever its arguments."""
    view = "CREATE VIEW v AS SELECT xmlelement(name create) AS x, xmlpi(name alter) AS y"
    assert fold_refusal([*BASE, view]) is None
    assert fold_refusal([*BASE, "CREATE VIEW v AS SELECT abs(create) AS x"]) is not None
