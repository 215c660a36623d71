"""A default set by ``ALTER ... SET DEFAULT`` (any expression, ``a_expr`` in PostgreSQL's grammar)
written into ``CREATE TABLE`` or ``CREATE DOMAIN`` (a ``b_expr`` there): parenthesised where it
has a word a ``b_expr`` cannot hold. Without the parentheses ``now() AT TIME ZONE 'utc'`` is a
syntax error in the consolidation, and ``'x'::text COLLATE "C"`` silently gives the column the
collation (PostgreSQL 15 reads ``COLLATE`` after a column's default as the column's)."""

from __future__ import annotations

import pytest

from replay_helpers import replay_both, texts
from schemafold import fold_sql
from schemafold.render.postgres import default_expression, render_schema
from schemafold.verify.cluster import Cluster

DEFAULTS = [
    ("ts timestamp", "now() AT TIME ZONE 'utc'"),
    ("b text", "'x'::text COLLATE \"C\""),
    ("f boolean", "true AND false"),
    ("f boolean", "NULL IS NULL"),
    ("f boolean", "'x' LIKE 'y'"),
    ("f boolean", "1 IN (1, 2)"),
    ("f boolean", "1 BETWEEN 0 AND 2"),
    ("f boolean", "NOT false"),
    ("n int", "- 1"),
]


@pytest.mark.parametrize(("column", "default"), DEFAULTS)
def test_a_default_set_later_replays_in_create_table(clusters: tuple[Cluster, Cluster],
                                                      column: str, default: str) -> None:
    name = column.split()[0]
    history = (f"CREATE TABLE t (id int, {column});\n"
               f"ALTER TABLE t ALTER COLUMN {name} SET DEFAULT {default};\n"
               f"CREATE DOMAIN d AS {column.split(' ', 1)[1]};\n"
               f"ALTER DOMAIN d SET DEFAULT {default};\n")
    consolidation = render_schema(fold_sql(history).schema)
    comparison = replay_both(clusters, texts([("0001.sql", history)]),
                             texts([("0001_schema.sql", consolidation)]))
    assert comparison.equal, comparison.summary() + "\n" + consolidation


def test_a_default_a_column_definition_takes_is_written_as_it_is() -> None:
    assert default_expression("now()") == "now()"
    assert default_expression("'a'::text || 'b'") == "'a'::text || 'b'"
    assert default_expression("CASE WHEN true THEN 1 END") == "CASE WHEN true THEN 1 END"
    assert default_expression("now() AT TIME ZONE 'utc'") == "(now() AT TIME ZONE 'utc')"
    assert default_expression("(now() AT TIME ZONE 'utc')") == "(now() AT TIME ZONE 'utc')"
