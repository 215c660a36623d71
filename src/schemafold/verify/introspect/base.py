"""What every catalog reader of introspection shares: the connection and its settings, the SQL
that selects the user's objects (a snapshot and a server's emptiness check select by it too),
privileges as the model keeps them (grants and revokes against each object's default), and
small helpers for the text the server's functions return.

Must not know: which objects are read (the sibling modules do that), folding, rendering.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from schemafold.model import (
    Key,
    Privilege,
    Row,
    SchemaObject,
)
from schemafold.names import quote_literal as literal
from schemafold.verify.replay import connect

SESSION = (
    "SET search_path = ''",
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET bytea_output = 'hex'",
    "SET extra_float_digits = 3",
    "SET row_security = off",
)

USER = """
    n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%'
    AND n.nspname NOT LIKE 'pg\\_temp\\_%'
"""

#: The column prefix of each catalog whose objects have an owner, an acl and a namespace.
_CATALOG_PREFIXES = {"pg_class": "rel", "pg_type": "typ", "pg_proc": "pro"}


def ext_member(classid: str, oid: str) -> str:
    """SQL: the object is not a member of an extension."""
    return (
        f"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = "
        f"'pg_catalog.{classid}'::pg_catalog.regclass AND e.objid = {oid} AND e.deptype = 'e')"
    )


def collation_name(oid: str) -> str:
    """SQL: the schema-qualified, quoted name of the collation whose oid is ``oid``."""
    return (
        "(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)"
        " FROM pg_catalog.pg_collation co"
        " JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
        f" WHERE co.oid = {oid})"
    )


def paren_group(text: str, start: int) -> tuple[str, int]:
    """The parenthesised group opening at ``text[start]`` (quotes respected), and the index
    just after it."""
    assert text[start] == "("
    depth = 0
    quote: str | None = None
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                if i + 1 < len(text) and text[i + 1] == quote:
                    i += 2
                    continue
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[start : i + 1], i + 1
        i += 1
    return text[start:], len(text)


def split_top(text: str) -> list[str]:
    """Split the inside of a parenthesised list at its top-level commas."""
    parts: list[str] = []
    depth = 0
    quote: str | None = None
    current: list[str] = []
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in ("'", '"'):
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def storage_options(reloptions: Sequence[str] | None) -> str | None:
    """``WITH (a='1', b='x')`` from a reloptions array, values quoted as pg_dump writes them."""
    if not reloptions:
        return None
    items = []
    for item in reloptions:
        key, _, value = item.partition("=")
        items.append(f"{key}={literal(value)}")
    return f"WITH ({', '.join(items)})"


@attrs.frozen
class Acl:
    """Privileges as the model keeps them: what differs from the object's default."""

    grantee: str
    privilege: str
    grantable: bool


def privileges_against(actual: Iterable[Acl], default: Iterable[Acl], column: str | None = None
                ) -> list[Privilege]:
    have = {(a.grantee, a.privilege): a.grantable for a in actual}
    base = {(a.grantee, a.privilege): a.grantable for a in default}
    out: list[Privilege] = []
    for (grantee, privilege), grantable in have.items():
        if (grantee, privilege) not in base or (grantable and not base[(grantee, privilege)]):
            out.append(Privilege(grantee=grantee, privilege=privilege, column=column,
                                 grant_option=grantable))
    for (grantee, privilege), grantable in base.items():
        if (grantee, privilege) not in have:
            out.append(Privilege(grantee=grantee, privilege=privilege, column=column,
                                 revoke=True))
        elif grantable and not have[(grantee, privilege)]:
            out.append(Privilege(grantee=grantee, privilege=privilege, column=column,
                                 grant_option=True, revoke=True))
    # Revokes of defaults first, then grants in the order of the acl: replayed in that order,
    # they give the same acl array (and pg_dump prints grants in its order).
    return [p for p in out if p.revoke] + [p for p in out if not p.revoke]


def trailing_index_options(text: str) -> str | None:
    """What follows a key's column list in ``pg_get_constraintdef``, less the deferral and
    validity words the model keeps as flags: INCLUDE, WITH, USING INDEX TABLESPACE."""
    rest = text
    for word in (" NOT VALID", " INITIALLY DEFERRED", " INITIALLY IMMEDIATE", " DEFERRABLE",
                 " NOT DEFERRABLE"):
        rest = rest.replace(word, "")
    rest = rest.strip()
    return rest or None


class CatalogReader:
    """One connection to the database being read, and what the readers collect."""

    def __init__(self, dsn: str, owner: str | None, rows: bool) -> None:
        self.conn = connect(dsn, application_name="schemafold-introspect")
        for setting in SESSION:
            self.conn.execute(setting)
        info = self.one("SELECT current_user, current_setting('server_version_num')::int")
        self.current_user: str = info[0]
        self.major: int = int(info[1]) // 10000
        self.default_owner = owner if owner is not None else self.current_user
        self.with_rows = rows
        self.objects: dict[Key, SchemaObject] = {}
        self.rows: dict[Key, tuple[Row, ...]] = {}
        self.default_privileges: list[str] = []
        self.columns: dict[tuple[int, int], str] = {}

    # -- plumbing -----------------------------------------------------------------------------

    def all(self, query: Any, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(query, params).fetchall())

    def one(self, query: Any, params: Sequence[Any] | None = None) -> tuple[Any, ...]:
        row = self.conn.execute(query, params).fetchone()
        assert row is not None
        return tuple(row)

    def owner(self, name: str | None) -> str | None:
        return None if name is None or name == self.default_owner else name

    def add(self, obj: SchemaObject) -> None:
        self.objects[obj.key()] = obj

    def acls(self, objects_sql: str) -> dict[int, list[Privilege]]:
        """Privileges of the objects ``objects_sql`` returns as (oid, owner oid, acl, kind):
        each object's acl minus its default (grants), and its default minus its acl (revokes)."""
        rows = self.all(
            f"""
            WITH o AS ({objects_sql})
            SELECT o.oid, 'a', x.grantee, x.privilege_type, x.is_grantable, x.n
            FROM o, LATERAL pg_catalog.aclexplode(o.acl)
                    WITH ORDINALITY AS x(grantor, grantee, privilege_type, is_grantable, n)
            WHERE o.acl IS NOT NULL
            UNION ALL
            SELECT o.oid, 'd', x.grantee, x.privilege_type, x.is_grantable, x.n
            FROM o, LATERAL pg_catalog.aclexplode(pg_catalog.acldefault(o.kind, o.owner))
                    WITH ORDINALITY AS x(grantor, grantee, privilege_type, is_grantable, n)
            WHERE o.acl IS NOT NULL
            ORDER BY 1, 2, 6
            """
        )
        names = self.role_names({row[2] for row in rows})
        actual: dict[int, list[Acl]] = defaultdict(list)
        default: dict[int, list[Acl]] = defaultdict(list)
        for oid, which, grantee, privilege, grantable, _ in rows:
            item = Acl(names[grantee], privilege, bool(grantable))
            (actual if which == "a" else default)[oid].append(item)
        return {oid: privileges_against(actual[oid], default[oid]) for oid in actual}

    def catalog_acls(self, catalog: str, kind: str, where: str = "TRUE"
                     ) -> dict[int, list[Privilege]]:
        """Privileges (see :meth:`acls`) of the user's objects in ``catalog`` (``pg_class``,
        ``pg_type`` or ``pg_proc``, as ``o``) that match ``where``; ``kind`` is the object type
        ``acldefault`` takes (``r`` relation, ``s`` sequence, ``T`` type, ``f`` function)."""
        prefix = _CATALOG_PREFIXES[catalog]
        return self.acls(
            f"""SELECT o.oid::int8 AS oid, o.{prefix}owner AS owner, o.{prefix}acl AS acl,
                       '{kind}'::"char" AS kind
                FROM pg_catalog.{catalog} o
                JOIN pg_catalog.pg_namespace n ON n.oid = o.{prefix}namespace
                WHERE {where} AND {USER}"""
        )

    def role_names(self, oids: Iterable[int]) -> dict[int, str]:
        wanted = sorted({int(o) for o in oids if o})
        names = {0: "PUBLIC"}
        if wanted:
            for oid, name in self.all(
                "SELECT oid::int8, rolname FROM pg_catalog.pg_roles WHERE oid = ANY(%s)",
                [wanted],
            ):
                names[int(oid)] = name
        return names

