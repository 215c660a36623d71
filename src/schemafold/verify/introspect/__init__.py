"""Reading a live PostgreSQL database back into the schema model ``fold`` produces.

This package owns :func:`introspect`: the catalogs of one database turned into a
:class:`~schemafold.model.Schema` — roles, schemas, extensions, enum, composite, domain and range
types, sequences (options, owner column, position), tables (columns with types, defaults,
NOT NULL, identity, generation and collation; constraints; partitioning and inheritance; row level
security), indexes, views and materialized views, functions and procedures (their full definition
from ``pg_get_functiondef``), triggers, policies, owners, privileges, comments, default
privileges and every table's rows. Every text it stores is the server's own spelling
(``format_type``, ``pg_get_expr``, ``pg_get_viewdef``...), read with an empty ``search_path`` so
that every name is schema-qualified and ``written`` equals ``name``.

What the model cannot hold (aggregates, operators, casts, collations, text search objects,
foreign tables and servers, publications, event triggers, rules, statistics objects, disabled
triggers, large objects) is not read; :func:`not_held` names what a database has of it.

Modules: ``base`` (the connection, privileges against defaults, text helpers), ``objects``
(roles, schemas, extensions, types, routines, triggers, policies, default privileges),
``relations`` (sequences, tables, indexes, views); this one puts them together and compares two
schemas field by field (:func:`schema_differences`).

It knows nothing of folding, rendering or files; it only reads (psycopg, imported lazily).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import attrs

from schemafold.model import Schema
from schemafold.verify.introspect.base import USER, ext_member
from schemafold.verify.introspect.objects import ObjectsReader
from schemafold.verify.introspect.relations import RelationsReader
from schemafold.verify.replay import connect

__all__ = ["introspect", "not_held", "schema_differences"]


class _Reader(ObjectsReader, RelationsReader):
    """Every catalog reader over one connection."""


def introspect(
    dsn: str,
    *,
    owner: str | None = None,
    rows: bool = True,
    exclude_roles: Sequence[str] = (),
) -> Schema:
    """The schema of the database at ``dsn``, in the model ``fold`` produces.

    Objects owned by ``owner`` (default: the role introspect connects as) get owner None, as the
    fold gives objects the replaying role owns. Roles are the server's, less the bootstrap
    superuser, the ``pg_*`` roles, the connecting role, ``owner`` and ``exclude_roles``.
    ``rows=False`` leaves the tables' rows out. Names are schema-qualified throughout, so that
    the rendered schema builds the same database whatever ``search_path`` it runs under;
    ``created`` is each object's oid, which orders ties as creation did.
    """
    reader = _Reader(dsn, owner, rows)
    try:
        reader.read_roles(exclude_roles)
        reader.read_schemas()
        reader.read_extensions()
        reader.read_types()
        reader.read_sequences()
        reader.table_columns()  # column names by number, for constraints and indexes
        reader.read_tables()
        reader.read_indexes()
        reader.read_views()
        reader.read_functions()
        reader.read_triggers()
        reader.read_policies()
        reader.read_default_privileges()
    finally:
        reader.conn.close()
    ordered = dict(sorted(reader.objects.items(), key=lambda item: (item[1].created,
                                                                     repr(item[0]))))
    return Schema(objects=ordered, rows=reader.rows,
                  default_privileges=tuple(reader.default_privileges))


_NOT_HELD = {
    "aggregates": "SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p "
                  "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
                  "WHERE p.prokind = 'a' AND {user} AND {ext_proc}",
    "operators": "SELECT o.oid::regoperator::text FROM pg_catalog.pg_operator o "
                 "JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace "
                 "WHERE {user} AND {ext_oper}",
    "collations": "SELECT c.collname FROM pg_catalog.pg_collation c "
                  "JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace WHERE {user}",
    "foreign tables": "SELECT c.oid::regclass::text FROM pg_catalog.pg_class c "
                      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE c.relkind = 'f' AND {user}",
    "rules": "SELECT r.rulename || ' on ' || r.ev_class::regclass::text "
             "FROM pg_catalog.pg_rewrite r WHERE r.rulename <> '_RETURN' AND r.ev_class >= 16384",
    "event triggers": "SELECT evtname FROM pg_catalog.pg_event_trigger",
    "publications": "SELECT pubname FROM pg_catalog.pg_publication",
    "disabled triggers": "SELECT g.tgname || ' on ' || g.tgrelid::regclass::text "
                         "FROM pg_catalog.pg_trigger g WHERE NOT g.tgisinternal "
                         "AND g.tgenabled <> 'O'",
    "statistics objects": "SELECT s.stxname FROM pg_catalog.pg_statistic_ext s "
                          "JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace "
                          "WHERE {user}",
}


def not_held(dsn: str) -> dict[str, list[str]]:
    """What the database holds that the model (and so :func:`introspect`) cannot: kind to
    names, only kinds that have something."""
    found: dict[str, list[str]] = {}
    with connect(dsn, application_name="schemafold-introspect") as conn:
        conn.execute("SET search_path = ''")
        for kind, query in _NOT_HELD.items():
            text = query.format(user=USER, ext_proc=ext_member("pg_proc", "p.oid"),
                                ext_oper=ext_member("pg_operator", "o.oid"))
            names = sorted(str(r[0]) for r in conn.execute(text).fetchall())
            if names:
                found[kind] = names
    return found


def _fields(value: object, path: str, other: object, out: list[str]) -> None:
    if attrs.has(type(value)) and type(value) is type(other):
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(value))):
            if field.name == "created" or not field.eq:
                continue  # the order of creation, how a value was set: not the database's
            _fields(getattr(value, field.name), f"{path}.{field.name}",
                    getattr(other, field.name), out)
    elif (isinstance(value, tuple) and isinstance(other, tuple) and len(value) == len(other)
          and any(attrs.has(type(v)) for v in value)):
        for i, (a, b) in enumerate(zip(value, other, strict=True)):
            _fields(a, f"{path}[{i}]", b, out)
    elif value != other:
        out.append(f"{path}: {value!r} != {other!r}")


def schema_differences(left: Schema, right: Schema) -> list[str]:
    """Every field on which two schemas differ, one line each (``key.field: left != right``):
    objects only one side has, fields of objects both have, rows and default privileges.
    ``created`` (the order of creation) is not compared."""
    out: list[str] = []
    for key in sorted(set(left.objects) | set(right.objects), key=repr):
        a, b = left.objects.get(key), right.objects.get(key)
        if a is None or b is None:
            out.append(f"{key}: only on the {'right' if a is None else 'left'}")
            continue
        _fields(a, repr(key), b, out)
    for key in sorted(set(left.rows) | set(right.rows), key=repr):
        if left.rows.get(key, ()) != right.rows.get(key, ()):
            out.append(f"rows of {key}: {left.rows.get(key, ())!r} != {right.rows.get(key, ())!r}")
    if left.default_privileges != right.default_privileges:
        out.append(f"default privileges: {left.default_privileges!r} != "
                   f"{right.default_privileges!r}")
    return out

