"""Reading the catalogs' objects other than relations: roles, schemas, extensions, types,
functions and procedures, triggers, policies and default privileges.

Must not know: folding, rendering; tables, indexes and views (``relations``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import attrs

from schemafold.events import Column, Constraint
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Policy,
    Privilege,
    RangeType,
    Role,
    SchemaObj,
    Trigger,
)
from schemafold.names import QName, canonical_type, quote_ident
from schemafold.names import quote_literal as literal
from schemafold.verify.introspect.base import (
    USER,
    Acl,
    CatalogReader,
    collation_name,
    ext_member,
    paren_group,
    privileges_against,
)

_POLICY_COMMANDS = {"r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE", "*": "ALL"}
_DEFAULT_ACL_KINDS = {
    "r": ("TABLES", "r"),
    "S": ("SEQUENCES", "s"),
    "f": ("FUNCTIONS", "f"),
    "T": ("TYPES", "T"),
    "n": ("SCHEMAS", "n"),
    "L": ("LARGE OBJECTS", "L"),
}

class ObjectsReader(CatalogReader):
    """Roles, schemas, extensions, types, routines, triggers, policies, default privileges."""

    # -- roles, schemas, extensions ---------------------------------------------------------

    def read_roles(self, exclude: Sequence[str]) -> None:
        excluded = sorted({*exclude, self.current_user, self.default_owner})
        import psycopg

        try:
            passwords = dict(
                self.all("SELECT rolname, rolpassword FROM pg_catalog.pg_authid "
                         "WHERE rolpassword IS NOT NULL")
            )
        except psycopg.Error:  # not a superuser: pg_authid is not readable
            passwords = {}
        roles = self.all(
            """
            SELECT r.oid::int8, r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole,
                   r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls,
                   r.rolconnlimit, r.rolvaliduntil::text,
                   pg_catalog.shobj_description(r.oid, 'pg_authid')
            FROM pg_catalog.pg_roles r
            WHERE r.rolname !~ '^pg_' AND r.oid <> 10 AND NOT (r.rolname = ANY(%s))
            ORDER BY r.oid
            """,
            [excluded],
        )
        statements: dict[str, list[str]] = {}
        created: dict[str, int] = {}
        comments: dict[str, str | None] = {}
        for (oid, name, sup, inherit, createrole, createdb, login, replication, bypass,
             limit, valid, comment) in roles:
            flags = [
                "SUPERUSER" if sup else "NOSUPERUSER",
                "INHERIT" if inherit else "NOINHERIT",
                "CREATEROLE" if createrole else "NOCREATEROLE",
                "CREATEDB" if createdb else "NOCREATEDB",
                "LOGIN" if login else "NOLOGIN",
                "REPLICATION" if replication else "NOREPLICATION",
                "BYPASSRLS" if bypass else "NOBYPASSRLS",
            ]
            if limit != -1:
                flags.append(f"CONNECTION LIMIT {limit}")
            if name in passwords:
                flags.append(f"PASSWORD {literal(passwords[name])}")
            if valid is not None:
                flags.append(f"VALID UNTIL {literal(valid)}")
            statements[name] = [
                f"CREATE ROLE {quote_ident(name)}",
                f"ALTER ROLE {quote_ident(name)} WITH {' '.join(flags)}",
            ]
            created[name] = int(oid)
            comments[name] = comment
        for name, config in self.all(
            """
            SELECT r.rolname, s.setconfig FROM pg_catalog.pg_db_role_setting s
            JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
            WHERE s.setdatabase = 0 ORDER BY 1
            """
        ):
            for item in config or []:
                key, _, value = item.partition("=")
                if name in statements:
                    statements[name].append(
                        f"ALTER ROLE {quote_ident(name)} SET {key} TO {literal(value)}"
                    )
        for role, member, admin in self.all(
            """
            SELECT r.rolname, m.rolname, a.admin_option
            FROM pg_catalog.pg_auth_members a
            JOIN pg_catalog.pg_roles r ON r.oid = a.roleid
            JOIN pg_catalog.pg_roles m ON m.oid = a.member
            ORDER BY 1, 2
            """
        ):
            holders = [n for n in (role, member) if n in statements]
            if not holders:
                continue
            # Both roles exist before the grant: it goes with whichever was created last.
            later = max(holders, key=lambda n: created[n])
            option = " WITH ADMIN OPTION" if admin else ""
            statements[later].append(f"GRANT {quote_ident(role)} TO {quote_ident(member)}{option}")
        for name, texts in statements.items():
            self.add(Role(name=name, statements=tuple(texts), comment=comments[name],
                          created=created[name]))

    def read_schemas(self) -> None:
        acls = self.acls(
            f"""SELECT n.oid::int8 AS oid, n.nspowner AS owner, n.nspacl AS acl,
                       'n'::"char" AS kind
                FROM pg_catalog.pg_namespace n WHERE {USER}"""
        )
        bootstrap = self.one("SELECT rolname FROM pg_catalog.pg_roles WHERE oid = 10")[0]
        for oid, name, owner, comment in self.all(
            f"""
            SELECT n.oid::int8, n.nspname, pg_catalog.pg_get_userbyid(n.nspowner),
                   pg_catalog.obj_description(n.oid, 'pg_namespace')
            FROM pg_catalog.pg_namespace n
            WHERE {USER} AND {ext_member("pg_namespace", "n.oid")}
            ORDER BY n.oid
            """
        ):
            privileges = acls.get(oid, [])
            if name == "public":
                # The public schema is there in every new database: only what changed since is
                # kept (and rendered), as the fold does.
                self.add(self.public_schema(owner, comment, privileges, bootstrap))
                continue
            self.add(SchemaObj(name=name, owner=self.owner(owner), comment=comment,
                               acl=tuple(privileges), created=oid))

    def public_schema(self, owner: str, comment: str | None, privileges: list[Privilege],
                      bootstrap: str) -> SchemaObj:
        initial_owner = "pg_database_owner" if self.major >= 15 else bootstrap
        # In a new database the public schema grants USAGE (before 15: and CREATE) to PUBLIC.
        initial = [Privilege(grantee="PUBLIC", privilege="USAGE")]
        if self.major < 15:
            initial.append(Privilege(grantee="PUBLIC", privilege="CREATE"))
        changed = [p for p in privileges if p not in initial]
        for p in initial:
            if p not in privileges:
                changed.append(attrs.evolve(p, revoke=True))
        return SchemaObj(
            name="public",
            owner=None if owner == initial_owner else owner,
            comment=None if comment == "standard public schema" else comment,
            acl=tuple([p for p in changed if p.revoke] + [p for p in changed if not p.revoke]),
            external=True,
        )

    def read_extensions(self) -> None:
        for oid, name, schema, version, comment in self.all(
            """
            SELECT e.oid::int8, e.extname, n.nspname, e.extversion,
                   NULLIF(pg_catalog.obj_description(e.oid, 'pg_extension'), a.comment)
            FROM pg_catalog.pg_extension e
            JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
            LEFT JOIN pg_catalog.pg_available_extensions a ON a.name = e.extname
            WHERE e.extname <> 'plpgsql'
            ORDER BY e.oid
            """
        ):
            self.add(Extension(name=name, schema=schema, version=version, comment=comment,
                               created=oid))

    # -- types --------------------------------------------------------------------------------

    def read_types(self) -> None:
        acls = self.catalog_acls("pg_type", "T")
        types = self.all(
            f"""
            SELECT t.oid::int8, n.nspname, t.typname, t.typtype,
                   pg_catalog.pg_get_userbyid(t.typowner),
                   pg_catalog.obj_description(t.oid, 'pg_type'), t.typrelid::int8,
                   pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull,
                   pg_catalog.pg_get_expr(t.typdefaultbin, 0::pg_catalog.oid), t.typdefault,
                   CASE WHEN t.typcollation <> 0 AND t.typcollation IS DISTINCT FROM
                             (SELECT b.typcollation FROM pg_catalog.pg_type b
                              WHERE b.oid = t.typbasetype)
                        THEN {collation_name("t.typcollation")} END
            FROM pg_catalog.pg_type t
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
            WHERE {USER} AND {ext_member("pg_type", "t.oid")}
              AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))
            ORDER BY t.oid
            """
        )
        for (oid, schema, name, kind, owner, comment, relid, base, not_null, default_expr,
             default_text, collation) in types:
            qname = QName(schema, name)
            common: dict[str, Any] = {
                "name": qname, "written": qname, "owner": self.owner(owner), "comment": comment,
                "acl": tuple(acls.get(oid, [])), "created": oid,
            }
            if kind == "e":
                labels = tuple(
                    r[0] for r in self.all(
                        "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = %s "
                        "ORDER BY enumsortorder", [oid])
                )
                self.add(EnumType(labels=labels, **common))
            elif kind == "c":
                self.add(CompositeType(attributes=self.attributes(relid), **common))
            elif kind == "d":
                default = default_expr if default_expr is not None else default_text
                self.add(Domain(base_type=base, default=default, not_null=bool(not_null),
                                collation=collation, checks=self.domain_checks(oid), **common))
            else:
                subtype, options = self.range_options(oid, qname)
                self.add(RangeType(subtype=subtype, options=options, **common))

    def attributes(self, relid: int) -> tuple[Column, ...]:
        return tuple(
            Column(name=name, type=type_text, collation=collation)
            for name, type_text, collation in self.all(
                f"""
                SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                       CASE WHEN a.attcollation <> t.typcollation THEN
                            {collation_name("a.attcollation")} END
                FROM pg_catalog.pg_attribute a
                JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum
                """,
                [relid],
            )
        )

    def domain_checks(self, oid: int) -> tuple[Constraint, ...]:
        checks = []
        for name, definition, validated in self.all(
            "SELECT conname, pg_catalog.pg_get_constraintdef(oid), convalidated "
            "FROM pg_catalog.pg_constraint WHERE contypid = %s AND contype = 'c' ORDER BY conname",
            [oid],
        ):
            start = definition.index("(")
            expression, _ = paren_group(definition, start)
            checks.append(Constraint(kind="check", name=name, expression=expression,
                                     not_valid=not validated))
        return tuple(checks)

    def range_options(self, oid: int, name: QName) -> tuple[str, str]:
        (subtype, opclass, default_opclass, collation, subtype_collation, canonical, diff,
         multirange) = self.one(
            f"""
            SELECT pg_catalog.format_type(r.rngsubtype, NULL),
                   pg_catalog.quote_ident(opn.nspname) || '.' || pg_catalog.quote_ident(o.opcname),
                   o.opcdefault,
                   {collation_name("r.rngcollation")},
                   r.rngcollation = st.typcollation,
                   NULLIF(r.rngcanonical, 0)::pg_catalog.regproc::text,
                   NULLIF(r.rngsubdiff, 0)::pg_catalog.regproc::text,
                   r.rngmultitypid::pg_catalog.regtype::text
            FROM pg_catalog.pg_range r
            JOIN pg_catalog.pg_opclass o ON o.oid = r.rngsubopc
            JOIN pg_catalog.pg_namespace opn ON opn.oid = o.opcnamespace
            JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
            WHERE r.rngtypid = %s
            """,
            [oid],
        )
        parts = [f"SUBTYPE = {subtype}"]
        if not default_opclass:
            parts.append(f"SUBTYPE_OPCLASS = {opclass}")
        if collation is not None and not subtype_collation:
            parts.append(f"COLLATION = {collation}")
        if canonical:
            parts.append(f"CANONICAL = {canonical}")
        if diff:
            parts.append(f"SUBTYPE_DIFF = {diff}")
        parts.append(f"MULTIRANGE_TYPE_NAME = {multirange}")
        return subtype, "(" + ", ".join(parts) + ")"

    # -- functions, triggers, policies --------------------------------------------------------

    def read_functions(self) -> None:
        acls = self.catalog_acls("pg_proc", "f")
        for (oid, schema, name, kind, definition, language, trigger, body, owner, comment,
             arg_types) in self.all(
            f"""
            SELECT p.oid::int8, n.nspname, p.proname, p.prokind,
                   pg_catalog.pg_get_functiondef(p.oid), l.lanname,
                   p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype, p.prosrc,
                   pg_catalog.pg_get_userbyid(p.proowner),
                   pg_catalog.obj_description(p.oid, 'pg_proc'),
                   ARRAY(SELECT pg_catalog.format_type(t, NULL)
                         FROM unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, i)
                         ORDER BY i)
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            JOIN pg_catalog.pg_language l ON l.oid = p.prolang
            WHERE p.prokind IN ('f', 'p', 'w') AND {USER} AND {ext_member("pg_proc", "p.oid")}
              -- a range type's constructor functions come with the type
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                              WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                                AND d.objid = p.oid AND d.deptype = 'i')
            ORDER BY p.oid
            """
        ):
            qname = QName(schema, name)
            self.add(Function(
                name=qname, written=qname, arg_types=tuple(canonical_type(t) for t in arg_types),
                text=definition.rstrip(), procedure=kind == "p", returns_trigger=bool(trigger),
                language=language, body=body, owner=self.owner(owner), comment=comment,
                acl=tuple(acls.get(oid, [])), created=oid,
            ))

    def read_triggers(self) -> None:
        parent = "g.tgparentid = 0" if self.major >= 13 else "true"
        for (oid, table_schema, table, table_oid, name, kind, fn_schema, fn_name, args, attrs_,
             constraint, deferrable, deferred, old_table, new_table, definition,
             comment) in self.all(
            f"""
            SELECT g.oid::int8, n.nspname, c.relname, c.oid::int8, g.tgname, g.tgtype,
                   fn.nspname, f.proname, g.tgargs, g.tgattr::int2[], g.tgconstraint <> 0,
                   g.tgdeferrable, g.tginitdeferred, g.tgoldtable, g.tgnewtable,
                   pg_catalog.pg_get_triggerdef(g.oid),
                   pg_catalog.obj_description(g.oid, 'pg_trigger')
            FROM pg_catalog.pg_trigger g
            JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_proc f ON f.oid = g.tgfoid
            JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
            WHERE NOT g.tgisinternal AND {parent} AND {USER} AND {ext_member("pg_class", "c.oid")}
            ORDER BY g.oid
            """
        ):
            timing = "BEFORE" if kind & 2 else "INSTEAD OF" if kind & 64 else "AFTER"
            events = []
            if kind & 4:
                events.append("INSERT")
            if kind & 8:
                events.append("DELETE")
            if kind & 16:
                columns = [self.columns[(table_oid, n)] for n in (attrs_ or [])]
                events.append("UPDATE" + (f" OF {', '.join(map(quote_ident, columns))}"
                                          if columns else ""))
            if kind & 32:
                events.append("TRUNCATE")
            arguments = [a.decode() for a in bytes(args).split(b"\x00")[:-1]] if args else []
            when = None
            marker = definition.find(" WHEN (")
            if marker >= 0:
                when, _ = paren_group(definition, marker + len(" WHEN "))
            referencing = []
            if old_table:
                referencing.append(f"OLD TABLE AS {quote_ident(old_table)}")
            if new_table:
                referencing.append(f"NEW TABLE AS {quote_ident(new_table)}")
            deferral = None
            if constraint and deferrable:
                deferral = "DEFERRABLE INITIALLY " + ("DEFERRED" if deferred else "IMMEDIATE")
            qtable = QName(table_schema, table)
            qfunction = QName(fn_schema, fn_name)
            self.add(Trigger(
                name=name, table=qtable, table_written=qtable, function=qfunction,
                function_written=qfunction, timing=timing, events=" OR ".join(events),
                for_each_row=bool(kind & 1), when=when,
                function_args=", ".join(literal(a) for a in arguments),
                constraint=bool(constraint), deferral=deferral,
                referencing=("REFERENCING " + " ".join(referencing)) if referencing else None,
                comment=comment, created=oid,
            ))

    def read_policies(self) -> None:
        for (oid, table_schema, table, name, permissive, command, roles, using, check,
             comment) in self.all(
            f"""
            SELECT p.oid::int8, n.nspname, c.relname, p.polname, p.polpermissive, p.polcmd,
                   ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)
                                END FROM unnest(p.polroles) AS r ORDER BY 1),
                   pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                   pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
                   pg_catalog.obj_description(p.oid, 'pg_policy')
            FROM pg_catalog.pg_policy p
            JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE {USER}
            ORDER BY p.oid
            """
        ):
            qtable = QName(table_schema, table)
            self.add(Policy(
                name=name, table=qtable, table_written=qtable, permissive=bool(permissive),
                command=_POLICY_COMMANDS[command],
                roles=() if list(roles) == ["public"] else tuple(roles), using=using,
                check=check, comment=comment, created=oid,
            ))

    def read_default_privileges(self) -> None:
        rows = self.all(
            """
            SELECT d.oid::int8, pg_catalog.pg_get_userbyid(d.defaclrole), n.nspname,
                   d.defaclobjtype, 'a', x.grantee, x.privilege_type, x.is_grantable, x.n
            FROM pg_catalog.pg_default_acl d
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace,
                 LATERAL pg_catalog.aclexplode(d.defaclacl)
                    WITH ORDINALITY AS x(grantor, grantee, privilege_type, is_grantable, n)
            UNION ALL
            SELECT d.oid::int8, pg_catalog.pg_get_userbyid(d.defaclrole), NULL, d.defaclobjtype,
                   'd', x.grantee, x.privilege_type, x.is_grantable, x.n
            FROM pg_catalog.pg_default_acl d,
                 LATERAL pg_catalog.aclexplode(pg_catalog.acldefault(
                     CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END,
                     d.defaclrole))
                    WITH ORDINALITY AS x(grantor, grantee, privilege_type, is_grantable, n)
            WHERE d.defaclnamespace = 0
            ORDER BY 1, 5, 9
            """
        )
        names = self.role_names({r[5] for r in rows})
        entries: dict[int, tuple[str, str | None, str]] = {}
        actual: dict[int, list[Acl]] = defaultdict(list)
        default: dict[int, list[Acl]] = defaultdict(list)
        for oid, role, schema, kind, which, grantee, privilege, grantable, _ in rows:
            if which == "a":
                entries[oid] = (role, schema, kind)
            (actual if which == "a" else default)[oid].append(
                Acl(names[grantee], privilege, bool(grantable)))
        statements = []
        for oid, (role, schema, kind) in sorted(entries.items(),
                                                key=lambda e: (e[1][0], e[1][1] or "", e[1][2])):
            what = _DEFAULT_ACL_KINDS.get(kind, ("TABLES", "r"))[0]
            head = f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote_ident(role)}"
            if schema is not None:
                head += f" IN SCHEMA {quote_ident(schema)}"
            for p in privileges_against(actual[oid], default[oid]):
                grantee = "PUBLIC" if p.grantee == "PUBLIC" else quote_ident(p.grantee)
                if p.revoke:
                    option = "GRANT OPTION FOR " if p.grant_option else ""
                    statements.append(
                        f"{head} REVOKE {option}{p.privilege} ON {what} FROM {grantee}")
                else:
                    option = " WITH GRANT OPTION" if p.grant_option else ""
                    statements.append(
                        f"{head} GRANT {p.privilege} ON {what} TO {grantee}{option}")
        self.default_privileges = statements


