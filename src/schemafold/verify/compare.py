"""Comparing two databases by the equality contract (design.md, "Equality (contract)").

This module owns deciding whether two replayed databases are equal and saying how they differ:
the normalised ``pg_dump --schema-only`` texts, roles, each table's rows as a sorted multiset
(columns filled by volatile defaults masked and named), sequence positions, and the
database-level properties a schema dump leaves out. Whatever it compares more loosely, or not at
all, it names in ``not_compared``.

It knows nothing of folding, migration files or SQL parsing, and does not replay anything: the
engine builds the databases, this module only reads them.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from schemafold.errors import EnvironmentProblem
from schemafold.verify.engine import Cluster, connect, dump_roles, dump_schema

__all__ = [
    "Comparison",
    "RowDifference",
    "compare_databases",
    "normalise_dump",
]

_SAMPLES = 3

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
# Serial and identity values are compared, never masked.
_NOT_MASKED = frozenset({"nextval"})
_CALL = re.compile(r'(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*\(')


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
class RowDifference:
    """A table whose rows differ: how many rows only each side has, and a few of them."""

    table: str
    only_left: int
    only_right: int
    sample_left: tuple[str, ...] = ()
    sample_right: tuple[str, ...] = ()
    note: str = ""

    def describe(self) -> str:
        text = f"{self.table}: {self.only_left} row(s) only on the left, "
        text += f"{self.only_right} only on the right"
        if self.note:
            text += f" ({self.note})"
        lines = [text]
        lines += [f"    < {row}" for row in self.sample_left]
        lines += [f"    > {row}" for row in self.sample_right]
        return "\n".join(lines)


@attrs.frozen
class Comparison:
    """The outcome of comparing two databases. ``equal`` is the verdict; the rest says why."""

    equal: bool
    schema_diff: str
    roles_diff: str
    database_diff: str
    row_differences: tuple[RowDifference, ...]
    masked_columns: tuple[str, ...]
    sequence_differences: tuple[str, ...]
    sequence_notes: tuple[str, ...]
    not_compared: tuple[str, ...]
    left: str = "left"
    right: str = "right"

    def summary(self) -> str:
        """A human-readable account: the verdict, what differs, what was masked or not compared."""
        lines = [
            f"{'EQUAL' if self.equal else 'NOT EQUAL'}: {self.left} vs {self.right}",
        ]
        if self.schema_diff:
            lines += ["", "schema (pg_dump --schema-only, normalised) differs:", self.schema_diff]
        if self.roles_diff:
            lines += ["", "roles differ:", self.roles_diff]
        if self.database_diff:
            lines += ["", "database-level properties differ:", self.database_diff]
        if self.row_differences:
            lines += ["", "rows differ:"]
            lines += ["  " + d.describe() for d in self.row_differences]
        if self.sequence_differences:
            lines += ["", "sequences differ:"]
            lines += [f"  {s}" for s in self.sequence_differences]
        if self.sequence_notes:
            lines += ["", "sequence positions (reported, not a difference):"]
            lines += [f"  {s}" for s in self.sequence_notes]
        if self.masked_columns:
            lines += ["", "masked columns (volatile defaults, rows compared without them):"]
            lines += [f"  {c}" for c in self.masked_columns]
        if self.not_compared:
            lines += ["", "not compared:"]
            lines += [f"  {c}" for c in self.not_compared]
        return "\n".join(lines).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return attrs.asdict(self, recurse=True)


# ---------------------------------------------------------------------------------------------
# Reading one side


@attrs.frozen
class _Column:
    name: str
    default: str | None


@attrs.frozen
class _Table:
    name: str  # qualified, as "schema.table" (identifiers unquoted)
    schema: str
    relname: str
    relkind: str
    populated: bool
    columns: tuple[_Column, ...]


@attrs.frozen
class _Sequence:
    name: str
    schema: str
    relname: str
    increment: int
    last_value: int
    is_called: bool

    @property
    def next_value(self) -> int:
        """The value the next ``nextval()`` returns (ignoring the bounds)."""
        return self.last_value + self.increment if self.is_called else self.last_value


@attrs.frozen
class _SequenceUse:
    sequence: str
    table: _Table
    column: str


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

_USER_SCHEMAS = """
    n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%'
    AND n.nspname NOT LIKE 'pg\\_temp\\_%'
"""


def _qualified(schema: str, name: str) -> str:
    return f"{schema}.{name}"


class _Side:
    """What the comparison reads from one database."""

    def __init__(self, cluster: Cluster, dbname: str) -> None:
        self.cluster = cluster
        self.dbname = dbname
        self.conn = connect(cluster.dsn(dbname), application_name="schemafold-compare")
        for setting in _SESSION_SETTINGS:
            self.conn.execute(setting)

    def close(self) -> None:
        self.conn.close()

    def rows(self, query: Any, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(query, params)
        return list(cur.fetchall())

    def tables(self) -> dict[str, _Table]:
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
            WHERE c.relkind IN ('r', 'p', 'm', 'f') AND {_USER_SCHEMAS}
            ORDER BY n.nspname, c.relname, a.attnum
            """
        )
        grouped: dict[str, tuple[str, str, str, bool, list[_Column]]] = {}
        for schema, relname, relkind, populated, column, default in rows:
            key = _qualified(schema, relname)
            entry = grouped.setdefault(key, (schema, relname, relkind, bool(populated), []))
            if column is not None:
                entry[4].append(_Column(column, default))
        return {
            key: _Table(key, schema, relname, relkind, populated, tuple(columns))
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

    def table_rows(self, table: _Table, columns: list[str]) -> Counter[tuple[str | None, ...]]:
        from psycopg import sql

        selected = sql.SQL(", ").join(
            sql.SQL("{}::text").format(sql.Identifier(c)) for c in columns
        )
        query = sql.SQL("SELECT {} FROM {}{}").format(
            selected,
            sql.SQL("ONLY ") if table.relkind == "r" else sql.SQL(""),
            sql.Identifier(table.schema, table.relname),
        )
        return Counter(tuple(row) for row in self.rows(query))

    def sequences(self) -> dict[str, _Sequence]:
        from psycopg import sql

        rows = self.rows(
            f"""
            SELECT n.nspname, c.relname, s.seqincrement
            FROM pg_sequence s
            JOIN pg_class c ON c.oid = s.seqrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {_USER_SCHEMAS}
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
            found[key] = _Sequence(key, schema, relname, int(increment), int(state[0]), state[1])
        return found

    def sequence_uses(self, tables: Mapping[str, _Table]) -> list[_SequenceUse]:
        """Columns a sequence feeds: by ownership (serial, identity) or by a column default."""
        rows = self.rows(
            """
            SELECT sn.nspname, s.relname, tn.nspname, t.relname, a.attname
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
            JOIN pg_class t ON t.oid = u.rel
            JOIN pg_namespace tn ON tn.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = u.rel AND a.attnum = u.attnum
            WHERE NOT a.attisdropped
            ORDER BY 1, 2, 3, 4, 5
            """
        )
        uses = []
        for seq_schema, seq_name, schema, relname, column in rows:
            table = tables.get(_qualified(schema, relname))
            if table is not None:
                uses.append(_SequenceUse(_qualified(seq_schema, seq_name), table, column))
        return uses

    def column_extreme(self, use: _SequenceUse, ascending: bool) -> int | None:
        """max (or min) of the column a sequence feeds, when its values are numbers."""
        import psycopg
        from psycopg import sql

        query = sql.SQL("SELECT {}({}) FROM {}").format(
            sql.SQL("max" if ascending else "min"),
            sql.Identifier(use.column),
            sql.Identifier(use.table.schema, use.table.relname),
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
            WHERE {_USER_SCHEMAS} AND c.relkind IN ('r', 'm', 'i', 'p', 'I')
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

    def count(self, query: str) -> int:
        value = self.rows(query)[0][0]
        return int(value or 0)


# ---------------------------------------------------------------------------------------------
# Comparing


def _diff(left: str, right: str, left_name: str, right_name: str) -> str:
    if left == right:
        return ""
    return "\n".join(
        difflib.unified_diff(
            left.splitlines(),
            right.splitlines(),
            fromfile=left_name,
            tofile=right_name,
            lineterm="",
        )
    )


def _format_row(row: tuple[str | None, ...], columns: list[str]) -> str:
    values = ["NULL" if v is None else v for v in row]
    return "(" + ", ".join(f"{c}={v}" for c, v in zip(columns, values, strict=True)) + ")"


def _sort_key(row: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((v is None, v or "") for v in row)


def _masked_columns(side: _Side, tables: Mapping[str, _Table]) -> set[str]:
    """Qualified columns whose default reads the clock or calls a volatile function."""
    candidates: dict[str, set[str]] = {}
    for table in tables.values():
        for column in table.columns:
            if column.default is None:
                continue
            names = {
                (quoted.replace('""', '"') if quoted else plain.lower())
                for quoted, plain in _CALL.findall(column.default)
            }
            candidates[_qualified(table.name, column.name)] = names
            if _TIME_KEYWORDS.search(column.default):
                names.add("now")
    all_names = set().union(*candidates.values()) if candidates else set()
    volatile = side.volatile_functions(all_names - _NOT_MASKED) | _TIME_FUNCTIONS
    return {name for name, calls in candidates.items() if calls & volatile}


def _compare_rows(
    left: _Side,
    right: _Side,
    left_tables: Mapping[str, _Table],
    right_tables: Mapping[str, _Table],
    masked: set[str],
) -> tuple[list[RowDifference], list[str]]:
    differences: list[RowDifference] = []
    not_compared: list[str] = []
    for name in sorted(set(left_tables) & set(right_tables)):
        lt, rt = left_tables[name], right_tables[name]
        if lt.relkind == "p" or rt.relkind == "p":
            continue  # a partitioned table holds no rows itself: its partitions are compared
        if lt.relkind == "f" or rt.relkind == "f":
            not_compared.append(f"rows of foreign table {name}")
            continue
        if lt.relkind == "m" and (not lt.populated or not rt.populated):
            if lt.populated != rt.populated:
                differences.append(
                    RowDifference(
                        name,
                        0,
                        0,
                        note=(
                            f"materialized view populated on the "
                            f"{'left' if lt.populated else 'right'} only"
                        ),
                    )
                )
            continue
        right_names = {c.name for c in rt.columns}
        columns = [
            c.name
            for c in lt.columns
            if c.name in right_names and _qualified(name, c.name) not in masked
        ]
        left_rows = left.table_rows(lt, columns)
        right_rows = right.table_rows(rt, columns)
        if left_rows == right_rows:
            continue
        only_left = left_rows - right_rows
        only_right = right_rows - left_rows
        differences.append(
            RowDifference(
                name,
                sum(only_left.values()),
                sum(only_right.values()),
                tuple(
                    _format_row(r, columns)
                    for r in sorted(only_left.elements(), key=_sort_key)[:_SAMPLES]
                ),
                tuple(
                    _format_row(r, columns)
                    for r in sorted(only_right.elements(), key=_sort_key)[:_SAMPLES]
                ),
            )
        )
    return differences, not_compared


def _resolve_sequence_name(name: str, known: Iterable[str]) -> str:
    if "." in name:
        return name
    matches = [k for k in known if k.split(".", 1)[1] == name]
    return matches[0] if len(matches) == 1 else f"public.{name}"


def _compare_sequences(
    sides: tuple[tuple[str, _Side, Mapping[str, _Table]], tuple[str, _Side, Mapping[str, _Table]]],
    explicit_positions: Mapping[str, int | None],
) -> tuple[list[str], list[str]]:
    differences: list[str] = []
    notes: list[str] = []
    sequences: list[dict[str, _Sequence]] = []
    for label, side, tables in sides:
        seqs = side.sequences()
        sequences.append(seqs)
        for use in side.sequence_uses(tables):
            seq = seqs.get(use.sequence)
            if seq is None:
                continue
            ascending = seq.increment > 0
            extreme = side.column_extreme(use, ascending)
            if extreme is None:
                continue
            behind = seq.next_value <= extreme if ascending else seq.next_value >= extreme
            if behind:
                differences.append(
                    f"{label}: sequence {seq.name} is behind its column "
                    f"{_qualified(use.table.name, use.column)}: next value {seq.next_value}, "
                    f"but the column already holds {extreme}"
                )
    left_seqs, right_seqs = sequences
    explicit = {
        _resolve_sequence_name(k, set(left_seqs) | set(right_seqs)): v
        for k, v in explicit_positions.items()
    }
    for name, expected in sorted(explicit.items()):
        positions = []
        for (label, _, _), seqs in zip(sides, sequences, strict=True):
            seq = seqs.get(name)
            if seq is None:
                differences.append(f"{label}: sequence {name}, set explicitly, does not exist")
                continue
            positions.append(seq.next_value)
            if expected is not None and seq.next_value != expected:
                differences.append(
                    f"{label}: sequence {name} would next give {seq.next_value}; "
                    f"the history set it to give {expected}"
                )
        if expected is None and len(positions) == 2 and positions[0] != positions[1]:
            differences.append(
                f"sequence {name}, set explicitly, would next give {positions[0]} on the left "
                f"and {positions[1]} on the right"
            )
    for name in sorted(set(left_seqs) & set(right_seqs)):
        if name in explicit:
            continue
        lpos, rpos = left_seqs[name].next_value, right_seqs[name].next_value
        if lpos != rpos:
            notes.append(
                f"sequence {name} would next give {lpos} on the left and {rpos} on the right"
            )
    return differences, notes


def _roles_delta(before: str, after: str) -> list[str]:
    """The lines added (+) and removed (-) between two normalised roles dumps, sorted."""
    b = Counter(normalise_dump(before).splitlines())
    a = Counter(normalise_dump(after).splitlines())
    added = sorted((a - b).elements())
    removed = sorted((b - a).elements())
    return [f"+{line}" for line in added if line] + [f"-{line}" for line in removed if line]


def compare_databases(
    left: tuple[Cluster, str],
    right: tuple[Cluster, str],
    *,
    roles_baseline: tuple[str, str] | None = None,
    explicit_positions: Mapping[str, int | None] | None = None,
) -> Comparison:
    """Compare two databases by the equality contract; each side is ``(cluster, dbname)``.

    Roles are cluster-wide. When the sides are in different clusters their
    ``pg_dumpall --roles-only`` outputs are compared. In one cluster, pass ``roles_baseline`` =
    (roles dump taken before the left side replayed, roles dump taken before the right side
    replayed), with the right side replayed after the left and nothing else changing roles in
    between: the change each replay made is then compared. Without it, roles are listed as not
    compared.

    ``explicit_positions`` names sequences whose positions the history set (``RESTART``,
    ``setval``), mapped to the value the next ``nextval()`` must return on both sides, or to
    None when the two sides must merely agree. Other position differences are only reported.
    """
    (left_cluster, left_db), (right_cluster, right_db) = left, right
    if left_cluster.major != right_cluster.major:
        raise EnvironmentProblem(
            f"the two sides run on different PostgreSQL majors ({left_cluster.major} and "
            f"{right_cluster.major}); the contract compares dumps of one major"
        )
    same_cluster = left_cluster is right_cluster
    left_name = f"left ({left_db})"
    right_name = f"right ({right_db})" if left_db != right_db or not same_cluster else "right"
    not_compared: list[str] = []

    schema_diff = _diff(
        normalise_dump(dump_schema(left_cluster, left_db)),
        normalise_dump(dump_schema(right_cluster, right_db)),
        left_name,
        right_name,
    )

    if not same_cluster:
        roles_diff = _diff(
            normalise_dump(dump_roles(left_cluster)),
            normalise_dump(dump_roles(right_cluster)),
            f"roles of the {left_name} cluster",
            f"roles of the {right_name} cluster",
        )
    elif roles_baseline is not None:
        before_left, before_right = roles_baseline
        left_delta = _roles_delta(before_left, before_right)
        right_delta = _roles_delta(before_right, dump_roles(right_cluster))
        roles_diff = _diff(
            "\n".join(left_delta),
            "\n".join(right_delta),
            f"role changes by the {left_name} replay",
            f"role changes by the {right_name} replay",
        )
    else:
        roles_diff = ""
        not_compared.append("roles (both sides in one cluster, and no roles baseline given)")

    left_side = _Side(left_cluster, left_db)
    try:
        right_side = _Side(right_cluster, right_db)
        try:
            database_diff = _diff(
                "\n".join(left_side.database_properties()),
                "\n".join(right_side.database_properties()),
                left_name,
                right_name,
            )
            left_tables = left_side.tables()
            right_tables = right_side.tables()
            masked = _masked_columns(left_side, left_tables) | _masked_columns(
                right_side, right_tables
            )
            row_differences, rows_not_compared = _compare_rows(
                left_side, right_side, left_tables, right_tables, masked
            )
            not_compared += rows_not_compared
            sequence_differences, sequence_notes = _compare_sequences(
                (("left", left_side, left_tables), ("right", right_side, right_tables)),
                explicit_positions or {},
            )
            large_objects = left_side.count(
                "SELECT count(*) FROM pg_largeobject_metadata"
            ) + right_side.count("SELECT count(*) FROM pg_largeobject_metadata")
            if large_objects:
                not_compared.append("contents of large objects")
            clusters = [left_side] if same_cluster else [left_side, right_side]
            if any(side.count(_TABLESPACES) for side in clusters):
                not_compared.append("tablespace definitions (cluster-wide; only their use is)")
        finally:
            right_side.close()
    finally:
        left_side.close()

    equal = not (
        schema_diff or roles_diff or database_diff or row_differences or sequence_differences
    )
    return Comparison(
        equal=equal,
        schema_diff=schema_diff,
        roles_diff=roles_diff,
        database_diff=database_diff,
        row_differences=tuple(row_differences),
        masked_columns=tuple(sorted(masked)),
        sequence_differences=tuple(sequence_differences),
        sequence_notes=tuple(sequence_notes),
        not_compared=tuple(not_compared),
        left=left_name,
        right=right_name,
    )
