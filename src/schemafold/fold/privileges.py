"""Folding owners, comments, roles and privileges.

Owns: ``GRANT``/``REVOKE`` on objects and columns, ``ON ALL ... IN SCHEMA`` expanded at fold time
into explicit grants on what exists then, default privileges applied to objects created after
them, ``OWNER TO``, ``COMMENT ON`` (``IS NULL`` removes) and role statements.

Must not know: SQL text, rendering, databases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Sequence as Seq
from typing import TypeVar

import attrs

from schemafold import events as ev
from schemafold.fold.state import FoldState
from schemafold.fragment import fragment
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.lineage import Account, Action, Change, Part
from schemafold.model import (
    CompositeType,
    Domain,
    Function,
    Index,
    Key,
    Policy,
    Privilege,
    Role,
    Sequence,
    Table,
    View,
)
from schemafold.names import QName, quote_ident
from schemafold.pg_catalog import is_catalog_function

T = TypeVar("T")

#: role specifications that name no role of their own
_ROLE_WORDS = frozenset({"PUBLIC", "CURRENT_USER", "CURRENT_ROLE", "SESSION_USER", "POSTGRES"})
#: ``ALTER GROUP g ADD USER m`` / ``DROP USER m``: a statement on membership
_MEMBERS = re.compile(r"\b(ADD|DROP)\s+USER\b", re.IGNORECASE)


class PrivilegeFolding(FoldState):
    def _apply_RoleStatement(self, e: ev.RoleStatement) -> None:
        for name in e.names:
            key: Key = ObjectKey.of(ObjectKind.ROLE, None, name)
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
                assert isinstance(role, Role)
                self._forget_role(name, e.origin)
                del self.objects[key]
                self._dropped(key, e.origin, e)
                self.dropped_roles[name] = role
            elif e.verb == "create":
                if role is not None:
                    raise self._error(e.origin, f'role "{name}" already exists')
                self._put(key, Role(name=name, statements=(e.origin.text,), created=self.ordinal,
                                    external=self.external))
                self._created(key, e.origin, e)
            else:
                if role is None:
                    # a role from outside the history (grant membership, alter): keep as written
                    self._keep(e.origin, ())
                    return
                assert isinstance(role, Role)
                holder = self._membership_holder(e)
                if holder is not None and holder != key:
                    # written with the role created last of those it names (all exist then)
                    held = self.objects[holder]
                    assert isinstance(held, Role)
                    if e.origin.text not in held.statements:
                        self._put(holder, attrs.evolve(held, statements=(
                            *held.statements, e.origin.text)))
                    self._touch(key, e.origin, Action.ALTERED, e)
                    continue
                role = attrs.evolve(role, statements=(*role.statements, e.origin.text))
                new_name = _renamed_to(e.origin.text) if e.verb == "alter" else None
                if new_name is not None and new_name != name:
                    if ObjectKey.of(ObjectKind.ROLE, None, new_name) in self.objects:
                        raise self._error(e.origin, f'role "{new_name}" already exists')
                    self._rename_role(name, new_name)
                    del self.objects[key]
                    self._rekey(key, ObjectKey.of(ObjectKind.ROLE, None, new_name))
                    key = ObjectKey.of(ObjectKind.ROLE, None, new_name)
                    role = attrs.evolve(role, name=new_name)
                self._put(key, role)
                self._touch(key, e.origin, Action.ALTERED, e)

    def _membership_holder(self, e: ev.RoleStatement) -> Key | None:
        """For a statement on membership (``GRANT r TO m``, ``ALTER GROUP g ADD USER m``), the
        role the history created last of those it names: its statements are written with that
        role's, when every role it names exists."""
        if e.verb not in ("grant", "revoke") and not _MEMBERS.search(e.origin.text):
            return None
        from schemafold.parse.tokens import identifiers_in

        named = [ObjectKey.of(ObjectKind.ROLE, None,
                              n) for n in sorted(identifiers_in(e.origin.text))
                 if isinstance(self.objects.get(ObjectKey.of(ObjectKind.ROLE, None, n)), Role)]
        return max(named, key=lambda k: self.objects[k].created, default=None)

    def _rename_role(self, old: str, new: str) -> None:
        """``ALTER ROLE old RENAME TO new``: what the role owns and holds follows it (owners and
        grants name the role by its OID in PostgreSQL)."""
        for key, obj in list(self.objects.items()):
            acl = tuple(attrs.evolve(p, grantee=new) if p.grantee == old else p for p in obj.acl)
            owner = new if obj.owner == old else obj.owner
            if acl != obj.acl or owner != obj.owner:
                obj = attrs.evolve(obj, acl=acl, owner=owner)
                self._put(key, obj)
            if isinstance(obj, Policy) and old in obj.roles:
                self._put(key, attrs.evolve(obj, roles=tuple(
                    new if r == old else r for r in obj.roles)))
        for uid, creator in list(self.creator.items()):
            if creator == old:
                self.creator[uid] = new

    def _forget_role(self, name: str, origin: ev.Origin) -> None:
        """``DROP ROLE name`` ran in the history, so PostgreSQL found the role holding no
        privilege, default privilege or object in the database: any the fold still gives it
        were taken away by a statement it kept verbatim (``DROP OWNED BY``, a ``REVOKE ...
        CASCADE``), and are forgotten here. An object the fold still has the role own cannot
        be forgotten (``DROP OWNED`` drops it, ``REASSIGN OWNED`` gives it away): the fold
        cannot follow the history there."""
        owned = sorted(repr(key) for key, obj in self.objects.items()
                       if obj.owner == name and not isinstance(obj, Role))
        owned += sorted(repr(self.key_of[uid]) for uid, creator in self.creator.items()
                        if creator == name and uid in self.key_of
                        and self.key_of[uid] in self.objects)
        if owned:
            raise self.fold_limit(origin, f"role {name} is dropped, but the fold has it own "
                                  f"{owned[0]}: a statement kept verbatim must have dropped "
                                  "or given away what it owned")
        for key, obj in list(self.objects.items()):
            acl = tuple(p for p in obj.acl if p.grantee != name)
            if acl != obj.acl:
                self._put(key, attrs.evolve(obj, acl=acl))
        kept_rules = []
        for (rule, rule_role), text in zip(self.default_acl, self.default_privileges,
                                           strict=True):
            owners = set(rule.for_roles) if rule.for_roles else {rule_role}
            if name not in owners and name not in rule.grantees:
                kept_rules.append(((rule, rule_role), text))
            elif owners != {name} and set(rule.grantees) != {name}:
                raise self.fold_limit(origin, f"role {name} is dropped, and the default "
                                      f"privileges of {rule.origin.where()} name it beside "
                                      "other roles")
        self.default_acl = [rule for rule, _ in kept_rules]
        self.default_privileges = [text for _, text in kept_rules]

    def _note_server_roles(self, names: Iterable[str], origin: ev.Origin) -> None:
        """Warn, once a role, where a statement first names a role that neither the setup nor
        a statement the fold follows creates (nor a built-in one): the consolidation, like the
        history, runs only where it exists, and a fresh database has none (a misspelt role
        is found here)."""
        for name in names:
            bare = name.removeprefix("GROUP ").strip()
            if not bare or bare.upper() in _ROLE_WORDS or bare.startswith("pg_") \
                    or bare in self.server_roles_noted \
                    or ObjectKey.of(ObjectKind.ROLE, None, bare) in self.objects:
                continue
            self.server_roles_noted.add(bare)
            self._warn(origin, f'names role "{bare}", which neither the setup nor a statement '
                       "the fold follows creates: it must exist where the consolidation runs")

    def _apply_SetOwner(self, e: ev.SetOwner) -> None:
        self._note_server_roles([e.owner], e.origin)
        if e.kind in (ObjectKind.TABLE, ObjectKind.INDEX) and self._index_owner(e):
            return
        # ALTER TABLE v OWNER TO: any relation
        kind = ObjectKind.RELATION if e.kind == ObjectKind.TABLE else e.kind
        key = self._target_key(kind, e.target, e.origin, e.if_exists)
        if key is None:
            self.noop[e.origin] = f"{e.kind} {e.target} does not exist"
            return
        obj = self.objects[key]
        self._put(key, attrs.evolve(obj, owner=e.owner))
        self._touch(key, e.origin, Action.ALTERED, e)

    def _index_owner(self, e: ev.SetOwner) -> bool:
        """``ALTER TABLE i OWNER TO`` or ``ALTER INDEX i OWNER TO`` on an index (a key's
        index too): an index has its table's owner, and PostgreSQL leaves it so (15 and 18:
        a warning, ``cannot change owner of index``, when the role is another); on a
        partitioned table's index it refuses the statement. False when ``e`` names no index."""
        name = e.target.name
        key = self._resolve(name, (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE,
                                   ObjectKind.INDEX))
        if key is not None and key.kind != ObjectKind.INDEX:
            return False
        index = self.objects.get(key) if key is not None else None
        if isinstance(index, Index):
            table = self.objects.get(ObjectKey.of(ObjectKind.TABLE, index.table.schema,
                                                  index.table.name))
        else:
            backing = self._key_index(name) if key is None else None
            if backing is None:
                return False
            table = backing[1]
        if isinstance(table, Table) and table.partition_by is not None:
            raise self._error(e.origin, f'cannot change owner of index "{name.name}"')
        self.noop[e.origin] = "an index keeps its table's owner"
        return True

    def _apply_Comment(self, e: ev.Comment) -> None:
        if e.kind == "database" or _in_the_catalog(e.target) or self._built_in_function(
                e.kind, e.target, e.origin):
            self._keep(e.origin, ())  # the server's own objects: the fold does not know them
            return
        if e.kind == ObjectKind.COLUMN and self._composite_attribute_comment(e):
            return
        if e.kind == ObjectKind.COLUMN:
            table_key = self._relation(e.target.name, e.origin, (ObjectKind.TABLE, ObjectKind.VIEW))
            assert table_key is not None
            obj = self.objects[table_key]
            assert e.column is not None
            missing = self._error(e.origin, f'column "{e.column}" of relation '
                                  f'"{table_key.name}" does not exist')
            if isinstance(obj, Table):
                if obj.column(e.column) is None:
                    raise missing
                self._put(table_key, attrs.evolve(obj, columns=tuple(
                    attrs.evolve(c, comment=e.text) if c.name == e.column else c
                    for c in obj.columns)))
                self._touch(self._column_key(obj, e.column), e.origin, Action.COMMENTED,
                            Account.of(e, part=Part("column", e.column, Action.COMMENTED)))
            elif isinstance(obj, View):
                from schemafold.fold.relations import view_output_names  # imports this module

                names = view_output_names(obj)
                if names is not None and e.column not in names:
                    raise missing
                comments = dict(obj.column_comments)
                if e.text is None:
                    comments.pop(e.column, None)
                else:
                    comments[e.column] = e.text
                self._put(table_key, attrs.evolve(obj, column_comments=tuple(
                    sorted(comments.items()))))
            self._touch(table_key, e.origin, Action.COMMENTED,
                        Account.of(e, part=Part("column", e.column, Action.COMMENTED)))
            return
        if e.kind == ObjectKind.CONSTRAINT and e.target.table is not None and self._resolve(
                e.target.table, (ObjectKind.TABLE, ObjectKind.VIEW)) is None:
            self._comment_domain_constraint(e)
            return
        if e.kind == ObjectKind.CONSTRAINT:
            table_key = self._target_key(ObjectKind.CONSTRAINT, e.target, e.origin, False)
            assert table_key is not None
            table = self.objects[table_key]
            assert isinstance(table, Table)
            name = e.target.name.name
            if table.constraint_named(name) is None:
                raise self._error(e.origin, f'constraint "{name}" does not exist')
            self._put(table_key, attrs.evolve(table, constraints=tuple(
                attrs.evolve(c, comment=e.text) if c.name == name else c
                for c in table.constraints)))
            self._touch(table_key, e.origin, Action.COMMENTED,
                        Account.of(e, part=Part("constraint", name, Action.COMMENTED)))
            return
        if e.kind == ObjectKind.INDEX and self._resolve(e.target.name, (ObjectKind.INDEX,)) is None:
            backing = self._key_index(e.target.name)
            if backing is not None:  # the index of a key constraint has a comment of its own
                table_key, table, name = backing
                self._put(table_key, attrs.evolve(table, constraints=tuple(
                    attrs.evolve(c, index_comment=e.text) if c.name == name else c
                    for c in table.constraints)))
                self._touch(table_key, e.origin, Action.COMMENTED,
                            Account.of(e, part=Part("index", name, Action.COMMENTED)))
                return
        key = self._target_key("routine" if e.routine else e.kind, e.target, e.origin, False)
        assert key is not None
        self._put(key, attrs.evolve(self.objects[key], comment=e.text))
        self._touch(key, e.origin, Action.COMMENTED, e)

    def _composite_attribute_comment(self, e: ev.Comment) -> bool:
        """``COMMENT ON COLUMN t.a`` where ``t`` is a composite type (``CREATE TYPE t AS
        (...)``), which PostgreSQL takes as a relation's column: the attribute must exist, and
        the statement, which the model does not carry, is kept verbatim. False when ``t`` is
        no composite type the fold knows (a table's or view's name goes on as before)."""
        if self._resolve(e.target.name, (ObjectKind.TABLE, ObjectKind.VIEW)) is not None:
            return False
        key = self._resolve(e.target.name, (ObjectKind.TYPE,))
        composite = self.objects.get(key) if key is not None else None
        if not isinstance(composite, CompositeType):
            return False
        if all(a.name != e.column for a in composite.attributes):
            raise self._error(e.origin, f'column "{e.column}" of relation '
                              f'"{composite.name.name}" does not exist')
        self._keep_unmodelled(e.origin, "a comment on a composite type's attribute",
                              [composite.name])  # (its text names the type as t.a: a schema)
        return True

    def _built_in_function(self, kind: str, ref: ev.ObjectRef, origin: ev.Origin) -> bool:
        """Whether ``ref``, named as a function or procedure without a schema, is none the
        history made but has the name of a function of ``pg_catalog`` (``COMMENT ON FUNCTION
        now()``): PostgreSQL looks there first and finds it, so the statement is kept as
        written, as on ``pg_catalog.now()``. Arguments are not compared (the fold does not know
        the catalog's signatures): one that matches no built-in fails when the consolidation
        runs, as it failed in the history."""
        return (kind in (ObjectKind.FUNCTION, ObjectKind.PROCEDURE) and ref.name.schema is None
                and is_catalog_function(ref.name.name)
                and not self._function(ref.name, ref.arg_types, origin, missing_ok=True))

    def _comment_domain_constraint(self, e: ev.Comment) -> None:
        """``COMMENT ON CONSTRAINT c ON DOMAIN d`` (a table's name never is a domain's: they
        share pg_type's namespace)."""
        assert e.target.table is not None
        key = self._resolve(e.target.table, (ObjectKind.TYPE,))
        domain = self.objects.get(key) if key is not None else None
        if key is None or not isinstance(domain, Domain):
            raise self._error(e.origin, f'domain "{e.target.table}" does not exist')
        name = e.target.name.name
        if not any(c.name == name for c in domain.checks):
            raise self._error(e.origin, f'constraint "{name}" for domain '
                              f'"{domain.name.name}" does not exist')
        comments = dict(domain.check_comments)
        if e.text is None:
            comments.pop(name, None)
        else:
            comments[name] = e.text
        self._put(key, attrs.evolve(domain, check_comments=tuple(sorted(comments.items()))))
        self._touch(key, e.origin, Action.COMMENTED,
                    Account.of(e, part=Part("constraint", name, Action.COMMENTED)))

    def _apply_Grant(self, e: ev.Grant) -> None:
        self._note_server_roles(e.grantees, e.origin)
        kind = {"routine": "function", "domain": "type", "large object": "?"}.get(e.kind, e.kind)
        for ref in e.targets:
            if kind in ("database", "language", "tablespace", "?") or _in_the_catalog(ref) \
                    or self._built_in_function(kind, ref, e.origin):
                self._keep(e.origin, ())
                return
            if kind == ObjectKind.TABLE:
                key = self._relation(ref.name, e.origin,
                                     (ObjectKind.TABLE, ObjectKind.VIEW, ObjectKind.SEQUENCE))
            else:
                key = self._target_key("routine" if e.kind == "routine" else kind, ref,
                                       e.origin, False)
            assert key is not None
            self._check_granted_columns(key, e)
            self._grant(key, e.privileges, e.grantees, e.columns, e.grant_option, e.revoke,
                        e.origin)

    def _check_granted_columns(self, key: Key, e: ev.Grant) -> None:
        """``GRANT`` or ``REVOKE`` of privileges on columns (``UPDATE (a, b) ON t``): each must
        be a column of the table (``column "zz" of relation "t" does not exist``, 15 and 18).
        Judged on a table whose every column the fold knows (no partition, no inheriting
        table, as ``_require_columns``); a system column's name is left alone."""
        table = self.objects.get(key)
        if not e.columns or not isinstance(table, Table) or table.partition_of is not None \
                or table.inherits or not table.columns:
            return
        for name in e.columns:
            if table.column(name) is None and name not in _SYSTEM_COLUMNS:
                raise self._error(e.origin, f'column "{name}" of relation "{table.name.name}" '
                                  "does not exist")

    def _grant(self, key: Key, privileges: Seq[str], grantees: Seq[str],
               columns: Seq[str], grant_option: bool, revoke: bool,
               origin: ev.Origin) -> None:
        obj = self.objects[key]
        acl = change_acl(obj.acl, grantees, privileges, columns, grant_option, revoke,
                         inert=self._inert_grantees(obj.owner))
        self._put(key, attrs.evolve(obj, acl=acl))
        self._touch(key, origin, Action.GRANTED, Account(Change.PRIVILEGES_CHANGED))

    def _apply_GrantOnAll(self, e: ev.GrantOnAll) -> None:
        kinds = {"tables": (Table, View), "sequences": (Sequence,),
                 "functions": (Function,), "procedures": (Function,), "routines": (Function,)}
        wanted = kinds.get(e.kind, ())
        self._note_server_roles(e.grantees, e.origin)
        for schema in e.schemas:  # ... IN SCHEMA s
            self._require_schema(schema, e.origin)
        for key, obj in sorted(self.objects.items(), key=lambda kv: repr(kv[0])):
            if isinstance(obj, wanted) and getattr(obj, "name", QName(None, "")).schema in \
                    e.schemas and not (isinstance(obj, Sequence) and e.kind == "tables"):
                self._grant(key, e.privileges, e.grantees, (), e.grant_option, e.revoke,
                            e.origin)
        if not self.touched.get(e.origin):
            self.noop[e.origin] = f"no {e.kind} in {', '.join(e.schemas)} yet"

    def _apply_DefaultPrivileges(self, e: ev.DefaultPrivileges) -> None:
        self._note_server_roles((*e.for_roles, *e.grantees), e.origin)
        for schema in e.schemas:  # ... IN SCHEMA s
            self._require_schema(schema, e.origin)
        role = self._owner()
        self.default_acl.append((e, role))
        text: str = e.origin.text
        if role is not None and not e.for_roles:
            # run under SET ROLE: the rule is that role's, wherever the consolidation runs it
            text = _for_role(text, role)
        self.default_privileges.append(text)
        self.as_written.add(e.origin)  # emitted after every object, as written

    def _check_running_role(self, rule: ev.DefaultPrivileges) -> None:
        """An object the role running the migrations creates, under default privileges ``FOR
        ROLE`` a role the history did not create (``postgres`` in pg_dump's output, a role of
        the setup): whether the rule gives it privileges depends on that role's name, which
        the fold does not know. A limit: the history is kept as written from here."""
        for role in rule.for_roles:
            key = ObjectKey.of(ObjectKind.ROLE, None, role)
            made = self.objects.get(key)
            if made is None or made.external:
                raise self.fold_limit(
                    self.statements[-1],
                    f"the default privileges FOR ROLE {role} ({rule.origin.where()}) may apply "
                    f"to what this creates: it depends on whether {role} runs the migrations, "
                    "which the fold does not know")

    def _inert_grantees(self, owner: str | None) -> frozenset[str]:
        """Roles a REVOKE matching no grant takes nothing from: the roles the history created
        (so none of them runs the migrations) other than the object's owner. Such a revoke is
        a no-op in the history; kept, the consolidation would replay it after a later ``OWNER
        TO`` that role and take the owner's own privileges away."""
        return frozenset(str(k[1]) for k in self.objects.keys_of_kind("role") if k[1] != owner)

    def _default_grants(self, obj: T, kind: str) -> T:
        """``obj``, just created, with the privileges the default privileges in force give it:
        rules for its kind, its schema (or all schemas), and the role creating it (``FOR ROLE``,
        or the role that ran the rule).

        As in PostgreSQL, the rules for all schemas make one default acl and the rules ``IN
        SCHEMA`` another, which is added to it: a per-schema ``REVOKE`` takes away only what
        per-schema rules granted, never what the global ones did."""
        if not self.default_acl:
            return obj  # nothing to add (and no pass over every object per CREATE)
        creator = self._owner()
        inert: frozenset[str] | None = None
        acl: tuple[Privilege, ...] = obj.acl  # type: ignore[attr-defined]
        added: tuple[Privilege, ...] = ()
        schema = getattr(obj, "name", QName(None, "")).schema
        for rule, rule_role in self.default_acl:
            if rule.kind != kind or (rule.schemas and schema not in rule.schemas):
                continue
            if creator is None and rule.for_roles:
                self._check_running_role(rule)
            if (creator not in rule.for_roles) if rule.for_roles else creator != rule_role:
                continue
            if inert is None:
                inert = self._inert_grantees(creator)
            if rule.schemas:
                added = change_acl(added, rule.grantees, rule.privileges, (),
                                   rule.grant_option, rule.revoke, inert=inert)
            else:
                acl = change_acl(acl, rule.grantees, rule.privileges, (), rule.grant_option,
                                 rule.revoke, inert=inert)
        # A per-schema revoke of what it never granted does nothing.
        acl += tuple(p for p in added if not p.revoke and p not in acl)
        return attrs.evolve(obj, acl=acl)  # type: ignore[misc]


#: System columns a column privilege may name (``GRANT SELECT (ctid) ON t``).
_SYSTEM_COLUMNS = frozenset({"ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"})


def change_acl(acl: Seq[Privilege], grantees: Seq[str], privileges: Seq[str],
               columns: Seq[str], grant_option: bool, revoke: bool,
               inert: frozenset[str] = frozenset()) -> tuple[Privilege, ...]:
    """``acl`` after a GRANT (or REVOKE) of ``privileges`` (on ``columns``, or the object) to
    ``grantees``. A revoke takes away matching grants; one that matches none is kept as a revoke
    (it takes away a built-in default, such as EXECUTE from PUBLIC). ``REVOKE GRANT OPTION FOR``
    (``revoke`` and ``grant_option``) keeps the privilege without its grant option. A revoke on
    the object (no ``columns``) takes the privilege away on its columns too, as PostgreSQL does
    for tables. A revoke from one of the ``inert`` roles that matches no grant is dropped (it
    takes nothing away). A revoke from PUBLIC is kept even when it matched a grant: PUBLIC may
    also hold the privilege by default."""
    out = list(acl)
    for grantee in grantees:
        for privilege in privileges:
            for column in columns or (None,):
                entry = Privilege(grantee=grantee, privilege=privilege, column=column,
                                  grant_option=grant_option)
                if revoke:
                    # A revoke on the table takes the privilege away on every column too.
                    matching = [p for p in out if not p.revoke and p.grantee == grantee
                                and (p.column == column or column is None) and (
                                    p.privilege == privilege or privilege == "ALL")]
                    # GRANT ALL, then REVOKE one privilege: ALL stays, less that one.
                    under_all = privilege != "ALL" and any(
                        p.privilege == "ALL" and not p.revoke and p.grantee == grantee
                        and p.column == column and (p.grant_option or not grant_option)
                        for p in out)
                    if matching and grant_option:
                        out = [attrs.evolve(p, grant_option=False) if p in matching else p
                               for p in out]
                    elif matching:
                        out = [p for p in out if p not in matching]
                    # PUBLIC may hold it by default too (EXECUTE on functions, USAGE on
                    # types): a GRANT to PUBLIC, then a REVOKE, takes that away as well
                    public = grantee == "PUBLIC" and not grant_option
                    if under_all or public or (not matching and grantee not in inert):
                        revoked = attrs.evolve(entry, revoke=True)
                        if revoked not in out:
                            out.append(revoked)
                elif entry not in out:
                    out = [p for p in out if not (p.grantee == grantee and p.column == column
                                                  and p.privilege == privilege and (
                                                      p.revoke or not p.grant_option))]
                    if privilege == "ALL":  # grants again what was revoked under an older ALL
                        out = [p for p in out if not (
                            p.revoke and p.grantee == grantee and p.column == column
                            and (grant_option or not p.grant_option))]
                    out.append(entry)
    return tuple(out)


def _renamed_to(text: str) -> str | None:
    """The new name of ``ALTER ROLE|USER|GROUP name RENAME TO new``; None for any other ALTER."""
    from schemafold.parse.tokens import identifier_of, word

    tokens = fragment(text).tokens
    words = [word(t) for t in tokens]
    for i in range(len(tokens) - 2):
        if words[i] == "RENAME" and words[i + 1] == "TO":
            return identifier_of(tokens[i + 2])
    return None


def _for_role(text: str, role: str) -> str:
    """``ALTER DEFAULT PRIVILEGES <rest>`` as ``ALTER DEFAULT PRIVILEGES FOR ROLE role <rest>``."""
    tokens = fragment(text).tokens
    if len(tokens) < 3:
        return text
    end = tokens[2].end + 1
    return f"{text[:end]} FOR ROLE {quote_ident(role)}{text[end:]}"


def _in_the_catalog(ref: ev.ObjectRef) -> bool:
    """A reference qualified with a schema every database has and no history creates objects
    in (``pg_catalog.now()``, ``pg_catalog.pg_class``): GRANT and COMMENT on them are kept as
    written (``REVOKE EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) FROM PUBLIC``)."""
    return any(name is not None and name.schema in ("pg_catalog", "information_schema")
               for name in (ref.name, ref.table))
