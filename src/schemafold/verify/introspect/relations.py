"""Reading relations from the catalogs: sequences, tables (columns, constraints, partitions,
inheritance, rows), indexes, views and materialized views.

Must not know: folding, rendering; the other kinds of object (``objects``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from schemafold.events import Column, Constraint, IndexElement, SequenceOptions
from schemafold.model import (
    Index,
    ModelColumn,
    Privilege,
    Row,
    Table,
    TableConstraint,
    View,
)
from schemafold.model import Sequence as SequenceObj
from schemafold.names import QName, quote_ident
from schemafold.names import quote_literal as literal
from schemafold.verify.introspect.base import (
    USER,
    Acl,
    CatalogReader,
    collation_name,
    ext_member,
    paren_group,
    privileges_against,
    split_top,
    storage_options,
    trailing_index_options,
)

_FK_ACTIONS = re.compile(
    r"\bON (DELETE|UPDATE) (SET NULL(?: \([^)]*\))?|SET DEFAULT(?: \([^)]*\))?|CASCADE|RESTRICT)"
)



class RelationsReader(CatalogReader):
    """Sequences, tables, indexes and views."""

    # -- sequences ----------------------------------------------------------------------------

    def read_sequences(self) -> None:
        acls = self.catalog_acls("pg_class", "s", "o.relkind = 'S'")
        for (oid, schema, name, as_type, start, increment, maximum, minimum, cache, cycle,
             owner, comment, table_schema, table, column, deptype) in self.all(
            f"""
            SELECT c.oid::int8, n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),
                   s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle,
                   pg_catalog.pg_get_userbyid(c.relowner),
                   pg_catalog.obj_description(c.oid, 'pg_class'),
                   tn.nspname, t.relname, a.attname, d.deptype
            FROM pg_catalog.pg_sequence s
            JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_depend d
                   ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                  AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
            LEFT JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
            LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
            LEFT JOIN pg_catalog.pg_attribute a
                   ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE {USER} AND {ext_member("pg_class", "c.oid")}
            ORDER BY c.oid
            """
        ):
            qname = QName(schema, name)
            from psycopg import sql

            last_value, is_called = self.one(
                sql.SQL("SELECT last_value, is_called FROM {}").format(
                    sql.Identifier(schema, name))
            )
            options = SequenceOptions(
                as_type=as_type, increment=int(increment), minvalue=int(minimum),
                maxvalue=int(maximum), start=int(start), cache=int(cache), cycle=bool(cycle),
            )
            owned_by = (QName(table_schema, table), column) if table is not None else None
            position = int(last_value) if is_called else None
            restart = int(last_value) if not is_called and int(last_value) != int(start) else None
            self.add(SequenceObj(
                name=qname, written=qname, options=options, owned_by=owned_by,
                identity=deptype == "i", position=position, restart_with=restart,
                owner=self.owner(owner), comment=comment, acl=tuple(acls.get(oid, [])),
                created=oid,
            ))

    # -- tables -------------------------------------------------------------------------------

    def read_tables(self) -> None:
        acls = self.catalog_acls("pg_class", "r", "o.relkind IN ('r', 'p', 'v', 'm')")
        column_acls = self.column_acls()
        columns = self.table_columns()
        constraints = self.constraints()
        for (oid, schema, name, kind, persistence, owner, comment, rls, forced, reloptions,
             tablespace, access_method, partkey, bound, parent_schema, parent,
             inherits) in self.all(
            f"""
            SELECT c.oid::int8, n.nspname, c.relname, c.relkind, c.relpersistence,
                   pg_catalog.pg_get_userbyid(c.relowner),
                   pg_catalog.obj_description(c.oid, 'pg_class'),
                   c.relrowsecurity, c.relforcerowsecurity, c.reloptions, ts.spcname,
                   CASE WHEN c.relkind = 'r' AND am.amname <> 'heap' THEN am.amname END,
                   CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
                   CASE WHEN c.relispartition
                        THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
                   pn.nspname, p.relname,
                   ARRAY(SELECT pg_catalog.quote_ident(inn.nspname) || '.'
                                || pg_catalog.quote_ident(ic.relname)
                         FROM pg_catalog.pg_inherits i
                         JOIN pg_catalog.pg_class ic ON ic.oid = i.inhparent
                         JOIN pg_catalog.pg_namespace inn ON inn.oid = ic.relnamespace
                         WHERE i.inhrelid = c.oid AND NOT c.relispartition
                         ORDER BY i.inhseqno)
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = c.reltablespace
            LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
            LEFT JOIN pg_catalog.pg_inherits pi ON pi.inhrelid = c.oid AND c.relispartition
            LEFT JOIN pg_catalog.pg_class p ON p.oid = pi.inhparent
            LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
            WHERE c.relkind IN ('r', 'p') AND {USER} AND {ext_member("pg_class", "c.oid")}
            ORDER BY c.oid
            """
        ):
            qname = QName(schema, name)
            options = " ".join(
                part for part in (
                    f"USING {quote_ident(access_method)}" if access_method else None,
                    storage_options(reloptions),
                    f"TABLESPACE {quote_ident(tablespace)}" if tablespace else None,
                ) if part
            ) or None
            parent_name = QName(parent_schema, parent) if parent is not None else None
            privileges = acls.get(oid, []) + column_acls.get(oid, [])
            table = Table(
                name=qname, written=qname, columns=tuple(columns.get(oid, ())),
                constraints=tuple(constraints.get(oid, ())),
                unlogged=persistence == "u", partition_by=partkey,
                partition_of=parent_name, partition_of_written=parent_name,
                partition_bound=bound, inherits=tuple(QName.parse(t) for t in inherits),
                options=options, rls_enabled=bool(rls), rls_forced=bool(forced),
                owner=self.owner(owner), comment=comment,
                acl=tuple(privileges), created=oid,
            )
            self.add(table)
            if self.with_rows and kind == "r":
                self.read_rows(table)

    def column_acls(self) -> dict[int, list[Privilege]]:
        rows = self.all(
            f"""
            SELECT c.oid::int8, a.attname, x.grantee, x.privilege_type, x.is_grantable
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace,
                 LATERAL pg_catalog.aclexplode(a.attacl)
                    WITH ORDINALITY AS x(grantor, grantee, privilege_type, is_grantable, n)
            WHERE a.attacl IS NOT NULL AND NOT a.attisdropped AND a.attnum > 0 AND {USER}
            ORDER BY 1, a.attnum, x.n
            """
        )
        names = self.role_names({r[2] for r in rows})
        out: dict[int, list[Privilege]] = defaultdict(list)
        for oid, column, grantee, privilege, grantable in rows:
            item = Acl(names[grantee], privilege, bool(grantable))
            out[oid].extend(privileges_against([item], [], column=column))
        return out

    def table_columns(self) -> dict[int, list[ModelColumn]]:
        out: dict[int, list[ModelColumn]] = defaultdict(list)
        for (relid, attnum, name, type_text, default, not_null, identity, generated,
             collation, comment, local, not_null_name) in self.all(
            f"""
            SELECT a.attrelid::int8, a.attnum, a.attname,
                   pg_catalog.format_type(a.atttypid, a.atttypmod),
                   pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attnotnull, a.attidentity,
                   a.attgenerated,
                   CASE WHEN a.attcollation <> t.typcollation THEN
                        {collation_name("a.attcollation")} END,
                   pg_catalog.col_description(a.attrelid, a.attnum), a.attislocal,
                   (SELECT k.conname FROM pg_catalog.pg_constraint k
                    WHERE k.conrelid = a.attrelid AND k.contype = 'n'
                      AND k.conkey[1] = a.attnum)
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
              AND {USER}
            ORDER BY a.attrelid, a.attnum
            """
        ):
            self.columns[(relid, attnum)] = name
            generation = None
            if generated == "s":
                generation, default = f"GENERATED ALWAYS AS ({default}) STORED", None
            elif generated == "v":
                generation, default = f"GENERATED ALWAYS AS ({default}) VIRTUAL", None
            identity_kind = {"a": "ALWAYS", "d": "BY DEFAULT"}.get(identity or "")
            column = Column(
                name=name, type=type_text, default=default, not_null=bool(not_null),
                identity=identity_kind, generated=generation, collation=collation,
            )
            # PostgreSQL 18 catalogs each NOT NULL as a named constraint (contype 'n');
            # earlier majors have none, and the name stays unset
            out[relid].append(ModelColumn(column=column, comment=comment, created=attnum,
                                          inherited=not local, not_null_name=not_null_name))
        return out

    def constraints(self) -> dict[int, list[TableConstraint]]:
        out: dict[int, list[TableConstraint]] = defaultdict(list)
        rows = self.all(
            f"""
            SELECT k.oid::int8, k.conrelid::int8, k.conname, k.contype,
                   pg_catalog.pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred,
                   k.convalidated, k.connoinherit, k.conkey, k.confkey, fn.nspname, f.relname,
                   k.confmatchtype, pg_catalog.obj_description(k.oid, 'pg_constraint'),
                   k.confrelid::int8, pk.conname, k.coninhcount,
                   CASE WHEN k.contype IN ('p', 'u', 'x') AND k.conindid <> 0
                        THEN pg_catalog.obj_description(k.conindid, 'pg_class') END
            FROM pg_catalog.pg_constraint k
            LEFT JOIN pg_catalog.pg_constraint pk ON pk.oid = k.conparentid
            JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_class f ON f.oid = k.confrelid
            LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
            WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND {USER}
              -- a partitioned table's foreign key makes one on each partition by itself
              AND NOT (k.contype = 'f' AND k.conparentid <> 0)
            ORDER BY k.conrelid, k.conname
            """
        )
        for (oid, relid, name, kind, definition, deferrable, deferred, validated, no_inherit,
             conkey, confkey, ref_schema, ref_table, match, comment, confrelid, parent,
             inherited, index_comment) in rows:
            columns = tuple(self.columns.get((relid, n), "") for n in (conkey or []))
            fields: dict[str, Any] = {
                "name": name, "columns": columns, "deferrable": bool(deferrable),
                "initially_deferred": bool(deferred), "not_valid": not validated,
            }
            target = None
            if kind == "c":
                expression, _ = paren_group(definition, definition.index("("))
                constraint = Constraint(kind="check", expression=expression,
                                        no_inherit=bool(no_inherit), **fields)
            elif kind == "f":
                target = QName(ref_schema, ref_table)
                actions = dict(_FK_ACTIONS.findall(definition))
                constraint = Constraint(
                    kind="foreign key", references=target,
                    ref_columns=tuple(self.columns.get((confrelid, n), "") for n in confkey),
                    on_delete=actions.get("DELETE"), on_update=actions.get("UPDATE"),
                    match={"f": "FULL", "p": "PARTIAL"}.get(match), **fields,
                )
            elif kind == "x":
                constraint = self.exclusion(definition, fields)
            else:
                head = "PRIMARY KEY" if kind == "p" else "UNIQUE"
                _, end = paren_group(definition, definition.index("("))
                constraint = Constraint(
                    kind="primary key" if kind == "p" else "unique",
                    nulls_not_distinct=definition.startswith(f"{head} NULLS NOT DISTINCT"),
                    index_options=trailing_index_options(definition[end:]), **fields,
                )
            if kind == "c" and inherited:
                parent = name  # a CHECK given by a parent keeps the parent's name
            out[relid].append(TableConstraint(constraint=constraint, target=target,
                                              comment=comment, index_comment=index_comment,
                                              created=oid, parent_constraint=parent))
        return out

    @staticmethod
    def exclusion(definition: str, fields: dict[str, Any]) -> Constraint:
        match = re.match(r"EXCLUDE USING (\S+) ", definition)
        method = match.group(1) if match else None
        start = definition.index("(")
        expression, end = paren_group(definition, start)
        rest = definition[end:]
        where = None
        where_at = rest.find(" WHERE (")
        if where_at >= 0:
            where, after = paren_group(rest, where_at + len(" WHERE "))
            rest = rest[:where_at] + rest[after:]
        return Constraint(kind="exclude", method=method, expression=expression, where=where,
                          index_options=trailing_index_options(rest), **fields)

    def read_rows(self, table: Table) -> None:
        from psycopg import sql

        columns = [c.name for c in table.columns if c.column.generated is None]
        if not columns:
            return
        query = sql.SQL("SELECT {} FROM ONLY {}").format(
            sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in columns),
            sql.Identifier(str(table.name.schema), table.name.name),
        )
        values = self.all(query)
        if not values:
            return
        ordered = sorted(values, key=lambda r: tuple((v is None, v or "") for v in r))
        self.rows[table.key()] = tuple(
            Row(values=tuple(
                (c, "NULL" if v is None else literal(v)) for c, v in zip(columns, row,
                                                                            strict=True)))
            for row in ordered
        )

    # -- indexes, views -----------------------------------------------------------------------

    def read_indexes(self) -> None:
        nulls = "i.indnullsnotdistinct" if self.major >= 15 else "false"
        for (oid, schema, name, table_schema, table, table_oid, unique, method, nkey, keys,
             definition, where, reloptions, tablespace, nulls_not_distinct,
             comment, parent_schema, parent) in self.all(
            f"""
            SELECT i.indexrelid::int8, n.nspname, ic.relname, tn.nspname, tc.relname,
                   tc.oid::int8, i.indisunique, am.amname, i.indnkeyatts,
                   i.indkey::int2[], pg_catalog.pg_get_indexdef(i.indexrelid),
                   pg_catalog.pg_get_expr(i.indpred, i.indrelid), ic.reloptions, ts.spcname,
                   {nulls}, pg_catalog.obj_description(ic.oid, 'pg_class'), pn.nspname, p.relname
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
            JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
            JOIN pg_catalog.pg_am am ON am.oid = ic.relam
            LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = ic.reltablespace
            LEFT JOIN pg_catalog.pg_inherits h ON h.inhrelid = i.indexrelid
            LEFT JOIN pg_catalog.pg_class p ON p.oid = h.inhparent
            LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
            WHERE tc.relkind IN ('r', 'p', 'm') AND {USER} AND {ext_member("pg_class", "tc.oid")}
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                              WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')
                                AND k.conrelid = i.indrelid)
            ORDER BY i.indexrelid
            """
        ):
            using = definition.index(f" USING {method} (")
            columns_text, _ = paren_group(definition, using + len(f" USING {method} "))
            texts = split_top(columns_text[1:-1])
            elements = []
            for position, text in enumerate(texts[:nkey], 1):
                attnum = keys[position - 1]
                head = self.one("SELECT pg_catalog.pg_get_indexdef(%s, %s, false)",
                                [oid, position])[0]
                suffix = text[len(head):].strip() if text.startswith(head) else ""
                if attnum != 0:
                    elements.append(IndexElement(column=self.columns[(table_oid, attnum)],
                                                 suffix=suffix))
                else:
                    elements.append(IndexElement(expression=head, suffix=suffix))
            include = tuple(self.columns[(table_oid, k)] for k in keys[nkey:])
            options = " ".join(
                p for p in (storage_options(reloptions),
                            f"TABLESPACE {quote_ident(tablespace)}" if tablespace else None) if p
            ) or None
            self.add(Index(
                name=QName(schema, name), table=QName(table_schema, table),
                table_written=QName(table_schema, table), elements=tuple(elements),
                unique=bool(unique), method=method, include=include, where=where,
                options=options, nulls_not_distinct=bool(nulls_not_distinct), comment=comment,
                attached_to=QName(parent_schema, parent) if parent is not None else None,
                created=oid,
            ))

    def read_views(self) -> None:
        acls = self.catalog_acls("pg_class", "r", "o.relkind IN ('v', 'm')")
        column_acls = self.column_acls()
        for (oid, schema, name, kind, query, reloptions, populated, owner,
             comment) in self.all(
            f"""
            SELECT c.oid::int8, n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid),
                   c.reloptions, c.relispopulated, pg_catalog.pg_get_userbyid(c.relowner),
                   pg_catalog.obj_description(c.oid, 'pg_class')
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v', 'm') AND {USER} AND {ext_member("pg_class", "c.oid")}
            ORDER BY c.oid
            """
        ):
            check_option = None
            kept = []
            for item in reloptions or []:
                key, _, value = item.partition("=")
                if key == "check_option":
                    check_option = value.upper()
                else:
                    kept.append(item)
            options = storage_options(kept)
            comments = tuple(
                (column, text) for column, text in self.all(
                    "SELECT attname, pg_catalog.col_description(attrelid, attnum) "
                    "FROM pg_catalog.pg_attribute WHERE attrelid = %s AND attnum > 0 "
                    "AND NOT attisdropped AND pg_catalog.col_description(attrelid, attnum) "
                    "IS NOT NULL ORDER BY attnum", [oid])
            )
            qname = QName(schema, name)
            privileges = acls.get(oid, []) + column_acls.get(oid, [])
            self.add(View(
                name=qname, written=qname, query=query, materialized=kind == "m",
                with_data=bool(populated), options=options[len("WITH "):] if options else None,
                check_option=check_option, column_comments=comments, owner=self.owner(owner),
                comment=comment, acl=tuple(privileges),
                created=oid,
            ))

