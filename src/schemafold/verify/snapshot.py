"""Reading one replayed database into a :class:`Snapshot`: all the equality contract compares.

This module owns what is read from one side of a comparison while its database still exists: the
``pg_dump --schema-only`` text, the roles dump (and the one taken before the replay, when there
is one), the database-level properties a schema dump leaves out, each table's rows, the columns
whose values came from volatile defaults, sequence positions and whether any sequence is behind
its column, and the counts shown in the metrics table. A snapshot is plain data: two of them are
compared by :mod:`schemafold.verify.compare` after the databases are gone, which is what lets one
server build the two sides one after the other.

It knows nothing of folding, migration files or SQL parsing, and replays nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from schemafold.verify.cluster import Server
from schemafold.verify.dump import dump_roles, dump_schema
from schemafold.verify.introspect.base import USER, ext_member
from schemafold.verify.replay import connect

__all__ = [
    "METRICS",
    "SequenceState",
    "Snapshot",
    "TableRows",
    "normalise_dump",
    "take_snapshot",
]

# Functions whose values differ between two replays although PostgreSQL calls them stable, and
# the SQL keywords that read the clock. Anything pg_proc marks volatile is added per database.
_TIME_FUNCTIONS = frozenset(
    {"now", "transaction_timestamp", "statement_timestamp", "clock_timestamp", "timeofday"}
)
_TIME_KEYWORDS = re.compile(
    r"\b(CURRENT_TIMESTAMP|CURRENT_TIME|CURRENT_DATE|LOCALTIMESTAMP|LOCALTIME)\b"
    # ('now'::text)::date is read at insert time (a bare 'now'::date was frozen at creation).
    r"|'(now|today|tomorrow|yesterday)'::text",
    re.IGNORECASE,
)
#: ``NEW.col := expression;`` (or ``=``) starting a statement of a trigger function's source
#: (not a comparison, ``IF NEW.a = OLD.a``): the column, the expression (up to the statement's
#: end)
_NEW_ASSIGNED = re.compile(
    r'(?:^|;|\b(?:THEN|ELSE|BEGIN|LOOP)\b)\s*'
    r'NEW\s*\.\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*:?=\s*([^;]*)',
    re.IGNORECASE)
# Serial and identity values are compared, never masked.
_NOT_MASKED = frozenset({"nextval"})
_CALL = re.compile(r'(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*\(')

#: The rows of the metrics table, in order: what each counts is in docs/verify.md.
METRICS = (
    "schemas",
    "extensions",
    "tables",
    "columns",
    "constraints",
    "indexes",
    "sequences",
    "types",
    "functions",
    "triggers",
    "views",
    "policies",
    "comments",
    "grants",
    "rows",
)


def normalise_dump(text: str) -> str:
    """A dump with only what the contract removes removed.

    Lines starting with ``--``, ``SET `` lines, ``SELECT pg_catalog.set_config(...)`` lines and
    ``\\restrict`` / ``\\unrestrict`` lines go; runs of blank lines become one.
    """
    kept: list[str] = []
    for line in text.splitlines():
        if (
            line.startswith("--")
            or line.startswith("SET ")
            or line.startswith("SELECT pg_catalog.set_config(")
            or line.startswith("\\restrict")
            or line.startswith("\\unrestrict")
        ):
            continue
        if not line.strip():
            if kept and kept[-1] == "":
                continue
            line = ""
        kept.append(line)
    while kept and kept[0] == "":
        kept.pop(0)
    while kept and kept[-1] == "":
        kept.pop()
    return "\n".join(kept) + ("\n" if kept else "")


@attrs.frozen
class ColumnInfo:
    name: str
    default: str | None


@attrs.frozen
class TableInfo:
    """A relation holding rows: ``name`` is ``schema.table`` (identifiers unquoted)."""

    name: str
    schema: str
    relname: str
    relkind: str
    populated: bool
    columns: tuple[ColumnInfo, ...]


@attrs.frozen(eq=False)
class TableRows:
    """A table's rows as a multiset of tuples of text (NULL as None), in ``columns`` order."""

    columns: tuple[str, ...]
    rows: Counter[tuple[str | None, ...]]

    def project(self, columns: Sequence[str]) -> Counter[tuple[str | None, ...]]:
        """The multiset of rows restricted to ``columns`` (masked columns left out)."""
        if tuple(columns) == self.columns:
            return self.rows
        index = [self.columns.index(c) for c in columns]
        projected: Counter[tuple[str | None, ...]] = Counter()
        for row, count in self.rows.items():
            projected[tuple(row[i] for i in index)] += count
        return projected


@attrs.frozen
class SequenceState:
    name: str
    increment: int
    last_value: int
    is_called: bool

    @property
    def next_value(self) -> int:
        """The value the next ``nextval()`` returns (ignoring the bounds)."""
        return self.last_value + self.increment if self.is_called else self.last_value


@attrs.frozen(eq=False)
class Snapshot:
    """What the contract compares of one database, read while it existed.

    ``server`` tells servers apart (roles are per server); ``roles_before`` is the roles dump
    taken before the replay, when the caller took one.
    """

    label: str
    server: str
    major: int
    raw_dump: str
    dump: str
    roles: str
    roles_before: str | None
    database: tuple[str, ...]
    tables: Mapping[str, TableInfo]
    rows: Mapping[str, TableRows]
    foreign_tables: tuple[str, ...]
    unpopulated: frozenset[str]
    masked: frozenset[str]
    sequences: Mapping[str, SequenceState]
    feeds: Mapping[str, str]
    """``schema.table.column`` -> the sequence feeding it (owned, identity, or by default)."""
    behind: tuple[str, ...]
    large_objects: int
    tablespaces: int
    metrics: Mapping[str, int]


_SESSION_SETTINGS = (
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET bytea_output = 'hex'",
    "SET extra_float_digits = 1",
    "SET search_path = ''",  # regclass and friends print qualified
    "SET row_security = off",
)

_TABLESPACES = "SELECT count(*) FROM pg_tablespace WHERE spcname NOT IN ('pg_default', 'pg_global')"

def _qualified(schema: str, name: str) -> str:
    return f"{schema}.{name}"


class _Reader:
    """What a snapshot reads from one database, over one connection."""

    def __init__(self, server: Server, dbname: str) -> None:
        self.conn = connect(server.dsn(dbname), application_name="schemafold-compare")
        for setting in _SESSION_SETTINGS:
            self.conn.execute(setting)

    def close(self) -> None:
        self.conn.close()

    def rows(self, query: Any, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(query, params)
        return list(cur.fetchall())

    def count(self, query: str) -> int:
        value = self.rows(query)[0][0]
        return int(value or 0)

    def tables(self) -> dict[str, TableInfo]:
        rows = self.rows(
            f"""
            SELECT n.nspname, c.relname, c.relkind, c.relispopulated, a.attname,
                   coalesce(pg_get_expr(d.adbin, d.adrelid), t.typdefault)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a
                   ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            LEFT JOIN pg_type t ON t.oid = a.atttypid AND t.typtype = 'd'
            WHERE c.relkind IN ('r', 'p', 'm', 'f') AND {USER}
            ORDER BY n.nspname, c.relname, a.attnum
            """
        )
        grouped: dict[str, tuple[str, str, str, bool, list[ColumnInfo]]] = {}
        for schema, relname, relkind, populated, column, default in rows:
            key = _qualified(schema, relname)
            entry = grouped.setdefault(key, (schema, relname, relkind, bool(populated), []))
            if column is not None:
                entry[4].append(ColumnInfo(column, default))
        return {
            key: TableInfo(key, schema, relname, relkind, populated, tuple(columns))
            for key, (schema, relname, relkind, populated, columns) in grouped.items()
        }

    def volatile_functions(self, names: Iterable[str]) -> set[str]:
        wanted = sorted(set(names))
        if not wanted:
            return set()
        rows = self.rows(
            "SELECT DISTINCT proname FROM pg_proc WHERE provolatile = 'v' AND proname = ANY(%s)",
            [wanted],
        )
        return {row[0] for row in rows}

    def trigger_assignments(self) -> list[tuple[str, str, str, str, str]]:
        """(schema, table, function name, function source, trigger arguments) of each user
        ``BEFORE ... FOR EACH ROW`` trigger."""
        rows = self.rows(
            f"""
            SELECT n.nspname, c.relname, p.proname, coalesce(p.prosrc, ''),
                   encode(tg.tgargs, 'escape')
            FROM pg_trigger tg
            JOIN pg_class c ON c.oid = tg.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_proc p ON p.oid = tg.tgfoid
            WHERE NOT tg.tgisinternal AND tg.tgtype & 3 = 3 AND {USER}
            """
        )
        return [(str(a), str(b), str(c), str(d), str(e)) for a, b, c, d, e in rows]

    def table_rows(self, table: TableInfo) -> TableRows:
        from psycopg import sql

        columns = tuple(c.name for c in table.columns)
        if not columns:
            count = self.rows(
                sql.SQL("SELECT count(*) FROM {}{}").format(
                    sql.SQL("ONLY ") if table.relkind == "r" else sql.SQL(""),
                    sql.Identifier(table.schema, table.relname),
                )
            )[0][0]
            return TableRows((), Counter({(): int(count)} if count else {}))
        import psycopg

        relation = sql.SQL("{}{}").format(
            sql.SQL("ONLY ") if table.relkind == "r" else sql.SQL(""),
            sql.Identifier(table.schema, table.relname),
        )
        try:
            rows = self.rows(sql.SQL("SELECT {} FROM {}").format(
                sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c))
                                   for c in columns), relation))
        except psycopg.Error:
            # a cast to text the history defined (CREATE CAST (t AS text) WITH FUNCTION ...)
            # failed: read every column through its type's output function instead
            rows = self.rows(sql.SQL("SELECT {} FROM {}").format(
                sql.SQL(", ").join(sql.SQL("format('%s', {})").format(sql.Identifier(c))
                                   for c in columns), relation))
        return TableRows(columns, Counter(tuple(row) for row in rows))

    def sequences(self) -> dict[str, SequenceState]:
        from psycopg import sql

        rows = self.rows(
            f"""
            SELECT n.nspname, c.relname, s.seqincrement
            FROM pg_sequence s
            JOIN pg_class c ON c.oid = s.seqrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {USER}
            ORDER BY 1, 2
            """
        )
        found = {}
        for schema, relname, increment in rows:
            state = self.rows(
                sql.SQL("SELECT last_value, is_called FROM {}").format(
                    sql.Identifier(schema, relname)
                )
            )[0]
            key = _qualified(schema, relname)
            found[key] = SequenceState(key, int(increment), int(state[0]), bool(state[1]))
        return found

    def sequence_uses(self) -> list[tuple[str, str, str, str]]:
        """(sequence, schema, table, column) for every column a sequence feeds: by ownership
        (serial, identity) or by a column default."""
        rows = self.rows(
            """
            SELECT DISTINCT sn.nspname || '.' || s.relname, tn.nspname, t.relname, a.attname
            FROM (
                SELECT d.objid AS seq, d.refobjid AS rel, d.refobjsubid AS attnum
                FROM pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                  AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
                UNION
                SELECT d.refobjid, ad.adrelid, ad.adnum
                FROM pg_depend d
                JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                WHERE d.refclassid = 'pg_class'::regclass
            ) u
            JOIN pg_class s ON s.oid = u.seq AND s.relkind = 'S'
            JOIN pg_namespace sn ON sn.oid = s.relnamespace
            JOIN pg_class t ON t.oid = u.rel AND t.relkind IN ('r', 'p')
            JOIN pg_namespace tn ON tn.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = u.rel AND a.attnum = u.attnum
            WHERE NOT a.attisdropped
            ORDER BY 1, 2, 3, 4
            """
        )
        return [(seq, schema, table, column) for seq, schema, table, column in rows]

    def column_extreme(self, schema: str, table: str, column: str, ascending: bool) -> int | None:
        """max (or min) of the column a sequence feeds, when its values are numbers."""
        import psycopg
        from psycopg import sql

        query = sql.SQL("SELECT {}({}) FROM {}").format(
            sql.SQL("max" if ascending else "min"),
            sql.Identifier(column),
            sql.Identifier(schema, table),
        )
        try:
            value = self.rows(query)[0][0]
        except psycopg.Error:
            return None
        try:
            return None if value is None else int(value)
        except (TypeError, ValueError):
            return None

    def database_properties(self) -> list[str]:
        """What a schema dump leaves out: database settings, comment, privileges, owner, and
        where tables are stored (tablespace, access method), which pg_dump says in SET lines."""
        lines: list[str] = []
        info = self.rows(
            """
            SELECT pg_get_userbyid(d.datdba), d.datacl::text,
                   shobj_description(d.oid, 'pg_database'), d.datconnlimit
            FROM pg_database d WHERE d.datname = current_database()
            """
        )[0]
        lines.append(f"owner {info[0]}")
        lines.append(f"privileges {info[1]}")
        lines.append(f"comment {info[2]!r}")
        lines.append(f"connection limit {info[3]}")
        for role, config in self.rows(
            """
            SELECT coalesce(pg_get_userbyid(s.setrole), ''), s.setconfig
            FROM pg_db_role_setting s
            JOIN pg_database d ON d.oid = s.setdatabase AND d.datname = current_database()
            ORDER BY 1
            """
        ):
            for item in config or []:
                lines.append(f"setting {item}" + (f" for role {role}" if role else ""))
        for name, tablespace, access_method in self.rows(
            f"""
            SELECT n.nspname || '.' || c.relname, ts.spcname, am.amname
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
            LEFT JOIN pg_am am ON am.oid = c.relam
            WHERE {USER} AND c.relkind IN ('r', 'm', 'i', 'p', 'I')
              AND (c.reltablespace <> 0
                   OR (c.relkind IN ('r', 'm') AND am.amname IS DISTINCT FROM 'heap'))
            ORDER BY 1
            """
        ):
            if tablespace is not None:
                lines.append(f"{name} in tablespace {tablespace}")
            if access_method not in (None, "heap"):
                lines.append(f"{name} using access method {access_method}")
        return lines

    def metrics(self) -> dict[str, int]:
        """Object counts in the user's schemas (extension members left out); ``rows`` is added
        by the caller from the rows it read."""
        rel = ext_member("pg_class", "c.oid")
        counts = {
            "schemas": f"""SELECT count(*) FROM pg_namespace n WHERE {USER}
                AND {ext_member("pg_namespace", "n.oid")}""",
            "extensions": "SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'",
            "tables": f"""SELECT count(*) FROM pg_class c JOIN pg_namespace n
                ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'f') AND {USER}
                AND {rel}""",
            "columns": f"""SELECT count(*) FROM pg_attribute a JOIN pg_class c
                ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
                AND {USER} AND {rel}""",
            "constraints": f"""SELECT count(*) FROM pg_constraint k
                JOIN pg_namespace n ON n.oid = k.connamespace
                WHERE k.contype <> 'n' AND {USER}
                AND {ext_member("pg_constraint", "k.oid")}
                AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.deptype = 'e'
                    AND e.classid = 'pg_class'::regclass AND e.objid = k.conrelid)""",
            "indexes": f"""SELECT count(*) FROM pg_class c JOIN pg_namespace n
                ON n.oid = c.relnamespace WHERE c.relkind IN ('i', 'I') AND {USER}
                AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_depend e
                    ON e.objid = i.indrelid AND e.classid = 'pg_class'::regclass
                    AND e.deptype = 'e' WHERE i.indexrelid = c.oid)""",
            "sequences": f"""SELECT count(*) FROM pg_class c JOIN pg_namespace n
                ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND {USER} AND {rel}""",
            "types": f"""SELECT count(*) FROM pg_type t JOIN pg_namespace n
                ON n.oid = t.typnamespace WHERE {USER}
                AND {ext_member("pg_type", "t.oid")}
                AND (t.typtype IN ('e', 'd', 'r', 'b')
                     OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class
                                              WHERE oid = t.typrelid) = 'c'))
                AND NOT (t.typtype = 'b' AND t.typelem <> 0 AND t.typlen = -1)""",
            "functions": f"""SELECT count(*) FROM pg_proc p JOIN pg_namespace n
                ON n.oid = p.pronamespace WHERE {USER}
                AND {ext_member("pg_proc", "p.oid")}""",
            "triggers": f"""SELECT count(*) FROM pg_trigger g JOIN pg_class c
                ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE NOT g.tgisinternal AND {USER} AND {rel}""",
            "views": f"""SELECT count(*) FROM pg_class c JOIN pg_namespace n
                ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND {USER}
                AND {rel}""",
            "policies": f"""SELECT count(*) FROM pg_policy p JOIN pg_class c
                ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE {USER}""",
            "comments": """SELECT count(*) FROM pg_description d
                WHERE d.objoid >= 16384 AND NOT EXISTS (SELECT 1 FROM pg_depend e
                    WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')""",
            "grants": f"""SELECT count(*) FROM (
                SELECT c.relowner AS owner, c.relacl AS acl FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER} AND {rel}
                UNION ALL SELECT c.relowner, a.attacl FROM pg_attribute a
                    JOIN pg_class c ON c.oid = a.attrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER}
                    AND a.attacl IS NOT NULL AND NOT a.attisdropped
                UNION ALL SELECT p.proowner, p.proacl FROM pg_proc p
                    JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {USER}
                    AND {ext_member("pg_proc", "p.oid")}
                UNION ALL SELECT t.typowner, t.typacl FROM pg_type t
                    JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {USER}
                    AND {ext_member("pg_type", "t.oid")}
                UNION ALL SELECT n.nspowner, n.nspacl FROM pg_namespace n WHERE {USER}
            ) o, LATERAL aclexplode(o.acl) x WHERE x.grantee <> o.owner""",
        }
        return {name: self.count(query) for name, query in counts.items()}


def _masked_columns(reader: _Reader, tables: Mapping[str, TableInfo]) -> set[str]:
    """Qualified columns whose default reads the clock or calls a volatile function, and
    those a row trigger's function sets so (``NEW.updated_at := now()``, or ``moddatetime``'s
    column): two replays write them at different times."""
    candidates: dict[str, set[str]] = {}

    def calls(name: str, expression: str) -> None:
        names = candidates.setdefault(name, set())
        names.update(quoted.replace('""', '"') if quoted else plain.lower()
                     for quoted, plain in _CALL.findall(expression))
        if _TIME_KEYWORDS.search(expression):
            names.add("now")

    for table in tables.values():
        for column in table.columns:
            if column.default is not None:
                calls(_qualified(table.name, column.name), column.default)
    for schema, relname, function, source, arguments in reader.trigger_assignments():
        table_name = _qualified(schema, relname)
        if table_name not in tables:
            continue
        if function == "moddatetime":  # contrib's spi: sets the column it is given to now()
            for argument in arguments.split("\\000"):
                if argument:
                    candidates.setdefault(_qualified(table_name, argument), set()).add("now")
        for found in _NEW_ASSIGNED.finditer(source):
            quoted, plain, expression = found.groups()
            assigned = quoted.replace('""', '"') if quoted else plain.lower()
            calls(_qualified(table_name, assigned), expression)
    all_names = set().union(*candidates.values()) if candidates else set()
    volatile = reader.volatile_functions(all_names - _NOT_MASKED) | _TIME_FUNCTIONS
    return {name for name, calls in candidates.items() if calls & volatile}


def _behind(reader: _Reader, sequences: Mapping[str, SequenceState],
            uses: Iterable[tuple[str, str, str, str]]) -> list[str]:
    problems = []
    for seq_name, schema, table, column in uses:
        seq = sequences.get(seq_name)
        if seq is None:
            continue
        ascending = seq.increment > 0
        extreme = reader.column_extreme(schema, table, column, ascending)
        if extreme is None:
            continue
        behind = seq.next_value <= extreme if ascending else seq.next_value >= extreme
        if behind:
            problems.append(
                f"sequence {seq.name} is behind its column "
                f"{_qualified(_qualified(schema, table), column)}: next value {seq.next_value}, "
                f"but the column already holds {extreme}"
            )
    return problems


def take_snapshot(
    server: Server,
    dbname: str,
    *,
    label: str = "",
    roles_before: str | None = None,
) -> Snapshot:
    """Read everything the contract compares from ``dbname`` on ``server``."""
    raw = dump_schema(server, dbname)
    roles = normalise_dump(dump_roles(server))
    reader = _Reader(server, dbname)
    try:
        database = tuple(reader.database_properties())
        tables = reader.tables()
        masked = _masked_columns(reader, tables)
        rows: dict[str, TableRows] = {}
        foreign: list[str] = []
        unpopulated: set[str] = set()
        for name, table in sorted(tables.items()):
            if table.relkind == "p":
                continue  # a partitioned table holds no rows itself: its partitions do
            if table.relkind == "f":
                foreign.append(name)
                continue
            if table.relkind == "m" and not table.populated:
                unpopulated.add(name)
                continue
            rows[name] = reader.table_rows(table)
        sequences = reader.sequences()
        uses = reader.sequence_uses()
        feeds = {_qualified(_qualified(schema, table), column): seq
                 for seq, schema, table, column in uses}
        behind = tuple(_behind(reader, sequences, uses))
        metrics = reader.metrics()
        metrics["rows"] = sum(
            sum(r.rows.values()) for name, r in rows.items() if tables[name].relkind != "m"
        )
        large_objects = reader.count("SELECT count(*) FROM pg_largeobject_metadata")
        tablespaces = reader.count(_TABLESPACES)
    finally:
        reader.close()
    return Snapshot(
        label=label or dbname,
        server=server.identity,
        major=server.major,
        raw_dump=raw,
        dump=normalise_dump(raw),
        roles=roles,
        roles_before=None if roles_before is None else normalise_dump(roles_before),
        database=database,
        tables=tables,
        rows=rows,
        foreign_tables=tuple(foreign),
        unpopulated=frozenset(unpopulated),
        masked=frozenset(masked),
        sequences=sequences,
        feeds=feeds,
        behind=behind,
        large_objects=large_objects,
        tablespaces=tablespaces,
        metrics={name: metrics.get(name, 0) for name in METRICS},
    )
