"""Evaluating data statements on rows whose values are known: the fold's row arithmetic.

Owns: reading the small SQL fragments data statements carry — values, ``WHERE`` predicates,
``SET`` expressions, column defaults, ``ON CONFLICT`` clauses, the query of ``INSERT ... SELECT``,
the value of ``setval`` — far enough to evaluate them on rows whose values are SQL texts, and
raising ``NotStatic`` (with the reason) for anything it cannot decide exactly.

A row value is SQL text: a literal as written (``42``, ``'x'``, ``NULL``, ``'{}'::jsonb``), or an
expression that does not depend on the row (``now()``, ``jsonb_build_object('a', 'x')``), which
loads to the same value. Predicates compare literals by the column's type (integers, numerics,
booleans, text, ``citext``, ``uuid``, ``jsonb``, enum labels); a comparison it cannot decide is
``NotStatic``, never a guess.

Modules: ``literals`` (constants and how they compare by type), ``expressions`` (predicates and
substituting a row's values into an expression), ``constants`` (folding an expression over
literals into the literal it loads as), ``fragments`` (the statement pieces: ``setval`` values,
``INSERT ... SELECT`` queries, ``ON CONFLICT``, defaults, names in opaque SQL), ``queries``
(whole data statements read with sqlglot: whether one surely finds no row), ``evaluate`` (joins,
grouping, aggregates and ordering over rows, where PostgreSQL's result is certain).

Must not know: the schema state, folding, rendering, databases.
"""

from schemafold.rows.constants import constant
from schemafold.rows.expressions import (
    DETERMINISTIC,
    VOLATILE,
    Predicate,
    RowSource,
    Scope,
    parse_predicate,
    substitute,
    volatile_call,
)
from schemafold.rows.fragments import (
    Assignment,
    MaxOf,
    OnConflict,
    SimpleSelect,
    UnmodelledName,
    called_names,
    created_names,
    mentioned_names,
    names_in_sql_strings,
    nextval_of,
    parse_on_conflict,
    parse_select,
    parse_sequence_value,
    parse_values,
    unmodelled_created,
)
from schemafold.rows.literals import (
    NotStatic,
    is_literal,
    key_category,
    key_value,
    read_literal,
    stored_text,
    string_value,
    type_category,
)
from schemafold.rows.queries import changes_nothing, statement_target

__all__ = [
    "DETERMINISTIC",
    "VOLATILE",
    "Assignment",
    "MaxOf",
    "NotStatic",
    "OnConflict",
    "Predicate",
    "RowSource",
    "Scope",
    "SimpleSelect",
    "UnmodelledName",
    "called_names",
    "changes_nothing",
    "constant",
    "created_names",
    "is_literal",
    "key_category",
    "key_value",
    "mentioned_names",
    "names_in_sql_strings",
    "nextval_of",
    "parse_on_conflict",
    "parse_predicate",
    "parse_select",
    "parse_sequence_value",
    "parse_values",
    "read_literal",
    "unmodelled_created",
    "statement_target",
    "stored_text",
    "string_value",
    "substitute",
    "type_category",
    "volatile_call",
]
