"""What the extensions PostgreSQL ships create: their relations, types and functions by name.

Owns: :func:`extension_objects`, the objects a set of extensions adds to a database, read from
``pg_extension_objects.txt`` beside this module. Each line is ``extension<TAB>kind<TAB>name``,
``kind`` one of ``extension`` (the extension is known), ``requires`` (an extension it needs,
which ``CASCADE`` creates), ``relation``, ``type`` and ``function``. The file is the sorted
union, over a fresh PostgreSQL 15 and 18 cluster, of every available extension's members: for
each name of ``pg_available_extensions`` (plpgsql aside, which every database has), in a fresh
database, ``CREATE EXTENSION "<name>" CASCADE`` and then::

    SELECT c.relname FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
     WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
       AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = '<name>')

(and the same over ``pg_type``'s ``typname`` and ``pg_proc``'s ``proname``), with
``SELECT extname FROM pg_extension`` for what it required. Of them, only pg_stat_statements
and pg_buffercache create relations (views).

It lets the fold keep checking names while a history uses the extensions most histories use
(``uuid-ossp``, ``pgcrypto``, ``citext``...): a name none of them creates is still missing. An
extension not in the file (PostGIS, TimescaleDB...) may create anything, and the fold checks no
name its objects could supply.

Must not know: the fold, SQL text, databases.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import NamedTuple

__all__ = ["ExtensionObjects", "extension_objects"]


class ExtensionObjects(NamedTuple):
    """The names of what some extensions create, by kind (as PostgreSQL stores them)."""

    relations: frozenset[str]
    types: frozenset[str]
    functions: frozenset[str]


_NOTHING = ExtensionObjects(frozenset(), frozenset(), frozenset())


@cache
def _members() -> dict[str, dict[str, frozenset[str]]]:
    text = files("schemafold").joinpath("pg_extension_objects.txt").read_text("utf-8")
    found: dict[str, dict[str, set[str]]] = {}
    for line in text.splitlines():
        if line:
            extension, kind, name = line.split("\t")
            found.setdefault(extension, {}).setdefault(kind, set()).add(name)
    return {extension: {kind: frozenset(names) for kind, names in kinds.items()}
            for extension, kinds in found.items()}


@cache
def _objects_of(extensions: frozenset[str]) -> ExtensionObjects | None:
    members = _members()
    wanted = set(extensions - {"plpgsql"})
    for extension in extensions:
        if extension != "plpgsql" and extension not in members:
            return None
        wanted |= members.get(extension, {}).get("requires", frozenset())
    if not wanted:
        return _NOTHING
    return ExtensionObjects(*(
        frozenset().union(*(members[e].get(kind, frozenset()) for e in wanted))
        for kind in ("relation", "type", "function")))


def extension_objects(extensions: Iterable[str]) -> ExtensionObjects | None:
    """What the named extensions (and those they require) create, or None when one of them is
    not an extension PostgreSQL 15 or 18 ships (its objects are not known)."""
    return _objects_of(frozenset(extensions))
