"""Folding owners, comments, roles and privileges.

Owns: ``GRANT``/``REVOKE`` on objects and columns, ``ON ALL ... IN SCHEMA`` expanded at fold time
into explicit grants on what exists then, default privileges applied to objects created after
them, ``OWNER TO``, ``COMMENT ON`` (``IS NULL`` removes) and role statements.

Must not know: SQL text, rendering, databases.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq
from typing import TypeVar

import attrs

from schemafold import events as ev
from schemafold.fold.state import FoldState
from schemafold.model import (
    Function,
    Key,
    Privilege,
    Role,
    Sequence,
    Table,
    View,
)
from schemafold.names import QName

T = TypeVar("T")


class PrivilegeFolding(FoldState):
    def _apply_RoleStatement(self, e: ev.RoleStatement) -> None:
        for name in e.names:
            key: Key = ("role", name)
            role = self.objects.get(key)
            if e.verb == "drop":
                if role is None:
                    if e.if_exists:
                        self.noop[e.origin] = f"role {name} does not exist"
                        continue
                    self._warn(e.origin, f"role {name} was not created by the history")
                    self.kept_origins.add(e.origin)
                    self._keep(e.origin, ())
                    return
                del self.objects[key]
                self._dropped(key, e.origin, e.describe())
            elif e.verb == "create":
                if role is not None:
                    raise self._error(e.origin, f'role "{name}" already exists')
                self._put(key, Role(name=name, statements=(e.origin.text,), created=self.ordinal,
                                    external=self.external))
                self._created(key, e.origin, e.describe())
            else:
                if role is None:
                    # a role from outside the history (grant membership, alter): keep as written
                    self._keep(e.origin, ())
                    return
                assert isinstance(role, Role)
                self._put(key, attrs.evolve(role, statements=(*role.statements, e.origin.text)))
                self._touch(key, e.origin, "altered", e.describe())

    def _apply_SetOwner(self, e: ev.SetOwner) -> None:
        key = self._target_key(e.kind, e.target, e.origin, False)
        assert key is not None
        obj = self.objects[key]
        self._put(key, attrs.evolve(obj, owner=e.owner))
        self._touch(key, e.origin, "altered", e.describe())

    def _apply_Comment(self, e: ev.Comment) -> None:
        if e.kind == "column":
            table_key = self._relation(e.target.name, e.origin, ("table", "view"))
            assert table_key is not None
            obj = self.objects[table_key]
            assert e.column is not None
            if isinstance(obj, Table):
                if obj.column(e.column) is None:
                    raise self._error(e.origin, f'column "{e.column}" does not exist')
                self._put(table_key, attrs.evolve(obj, columns=tuple(
                    attrs.evolve(c, comment=e.text) if c.name == e.column else c
                    for c in obj.columns)))
                self._touch(self._column_key(obj, e.column), e.origin, "commented",
                            e.describe())
            elif isinstance(obj, View):
                comments = dict(obj.column_comments)
                if e.text is None:
                    comments.pop(e.column, None)
                else:
                    comments[e.column] = e.text
                self._put(table_key, attrs.evolve(obj, column_comments=tuple(
                    sorted(comments.items()))))
            self._touch(table_key, e.origin, "commented", e.describe())
            return
        if e.kind == "constraint":
            table_key = self._target_key("constraint", e.target, e.origin, False)
            assert table_key is not None
            table = self.objects[table_key]
            assert isinstance(table, Table)
            name = e.target.name.name
            if table.constraint_named(name) is None:
                raise self._error(e.origin, f'constraint "{name}" does not exist')
            self._put(table_key, attrs.evolve(table, constraints=tuple(
                attrs.evolve(c, comment=e.text) if c.name == name else c
                for c in table.constraints)))
            self._touch(table_key, e.origin, "commented", e.describe())
            return
        key = self._target_key(e.kind, e.target, e.origin, False)
        assert key is not None
        self._put(key, attrs.evolve(self.objects[key], comment=e.text))
        self._touch(key, e.origin, "commented", e.describe())

    def _apply_Grant(self, e: ev.Grant) -> None:
        kind = {"routine": "function", "domain": "type", "large object": "?"}.get(e.kind, e.kind)
        for ref in e.targets:
            if kind in ("database", "language", "tablespace", "?"):
                self._keep(e.origin, ())
                return
            if kind == "table":
                key = self._relation(ref.name, e.origin, ("table", "view", "sequence"))
            else:
                key = self._target_key(kind, ref, e.origin, False)
            assert key is not None
            self._grant(key, e.privileges, e.grantees, e.columns, e.grant_option, e.revoke,
                        e.origin)

    def _grant(self, key: Key, privileges: Seq[str], grantees: Seq[str],
               columns: Seq[str], grant_option: bool, revoke: bool,
               origin: ev.Origin) -> None:
        obj = self.objects[key]
        acl = list(obj.acl)
        for grantee in grantees:
            for privilege in privileges:
                for column in columns or (None,):
                    entry = Privilege(grantee=grantee, privilege=privilege, column=column,
                                      grant_option=grant_option)
                    if revoke:
                        matching = [p for p in acl if not p.revoke and p.grantee == grantee
                                    and p.column == column and (
                                        p.privilege == privilege or privilege == "ALL")]
                        if matching:
                            acl = [p for p in acl if p not in matching]
                        else:
                            acl.append(attrs.evolve(entry, revoke=True))
                    elif entry not in acl:
                        acl = [p for p in acl if not (p.revoke and p.grantee == grantee
                                                      and p.privilege == privilege
                                                      and p.column == column)]
                        acl.append(entry)
        self._put(key, attrs.evolve(obj, acl=tuple(acl)))
        self._touch(key, origin, "granted", "privileges changed")

    def _apply_GrantOnAll(self, e: ev.GrantOnAll) -> None:
        kinds = {"tables": (Table, View), "sequences": (Sequence,),
                 "functions": (Function,), "procedures": (Function,), "routines": (Function,)}
        wanted = kinds.get(e.kind, ())
        for key, obj in sorted(self.objects.items(), key=lambda kv: repr(kv[0])):
            if isinstance(obj, wanted) and getattr(obj, "name", QName(None, "")).schema in \
                    e.schemas and not (isinstance(obj, Sequence) and e.kind == "tables"):
                self._grant(key, e.privileges, e.grantees, (), e.grant_option, e.revoke,
                            e.origin)
        if not self.touched.get(e.origin):
            self.noop[e.origin] = f"no {e.kind} in {', '.join(e.schemas)} yet"

    def _apply_DefaultPrivileges(self, e: ev.DefaultPrivileges) -> None:
        self.default_acl.append(e)
        self.default_privileges.append(e.origin.text)

    def _default_grants(self, obj: T, kind: str) -> T:
        for rule in self.default_acl:
            schema = getattr(obj, "name", QName(None, "")).schema
            if rule.kind != kind or (rule.schemas and schema not in rule.schemas):
                continue
            acl = list(obj.acl)  # type: ignore[attr-defined]
            for grantee in rule.grantees:
                for privilege in rule.privileges:
                    entry = Privilege(grantee=grantee, privilege=privilege,
                                      grant_option=rule.grant_option, revoke=rule.revoke)
                    if entry not in acl:
                        acl.append(entry)
            obj = attrs.evolve(obj, acl=tuple(acl))  # type: ignore[misc]
        return obj
