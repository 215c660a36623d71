"""A live database against a history: drift (``schemafold diff``) and adopting a consolidation
(``schemafold adopt``).

Owns: building the history (up to a version) on a throwaway server the way ``verify`` does,
comparing it with the live database's ``pg_dump --schema-only`` object by object (the equality
contract's first clause, with owners and privileges; rows, sequence positions and roles are not
compared, as a live database's rows are its own, and the output says so), leaving out the
migration tool's own bookkeeping table, and running a tool's bookkeeping statements in one
transaction.

Must not know: folding, rendering, any one tool's table (``schemafold.bookkeeping``).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from schemafold.errors import InputError
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.progress import Progress
from schemafold.sources import History
from schemafold.verify.compare import ObjectDifference, dump_objects

__all__ = ["Drift", "apply_statements", "drift", "recorded_rows", "script"]

#: What a drift check leaves out of the equality contract, and says so.
NOT_COMPARED = (
    "rows and sequence positions (a live database's data is its own)",
    "roles (the live server's roles are not the replay's)",
    "database-level settings (ALTER DATABASE ... SET)",
)


@attrs.frozen
class Drift:
    """The live database against the history's replay: each object that differs (``missing``:
    only the history builds it; ``extra``: only the database has it; ``changed``), with the
    history's definition on the left and the database's on the right."""

    database: str
    history: str
    differences: tuple[ObjectDifference, ...]
    ignored: tuple[str, ...] = ()
    not_compared: tuple[str, ...] = NOT_COMPARED

    @property
    def equal(self) -> bool:
        return not self.differences

    def text(self) -> str:
        lines = [f"schemafold diff: {'NO DRIFT' if self.equal else 'DRIFT'}",
                 f"history:  {self.history}", f"database: {self.database}"]
        if self.ignored:
            lines.append(f"left out: {', '.join(self.ignored)} (the migration tool's own)")
        if self.differences:
            lines.append("")
            lines.append(f"{len(self.differences)} object(s) differ (< or - the history, > or + "
                         "the database):")
            for d in self.differences:
                status = {"missing": "missing from the database",
                          "extra": "only in the database"}.get(d.status, "changed")
                lines.append(f"{status}: {d.kind} {d.name}")
                if d.left is not None and d.right is not None:  # what changed, in context
                    diff = difflib.unified_diff(d.left.splitlines(), d.right.splitlines(),
                                                n=1, lineterm="")
                    lines += [f"    {line}" for line in list(diff)[2:]
                              if not line.startswith("@@")]
                    continue
                for mark, text in (("<", d.left), (">", d.right)):
                    if text is not None:
                        lines += [f"    {mark} {line}" for line in text.splitlines()]
        lines.append("")
        lines.append("not compared: " + "; ".join(self.not_compared))
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "equal": self.equal,
            "history": self.history,
            "database": self.database,
            "left_out": list(self.ignored),
            "differences": [{"kind": d.kind, "name": d.name, "status": d.status,
                             "history": d.left, "database": d.right}
                            for d in self.differences],
            "not_compared": list(self.not_compared),
        }


def _replay_files(history: History) -> list[Any]:
    from schemafold.parse.splitter import split_sql
    from schemafold.verify.replay import ReplayFile

    files = []
    for m in history.migrations:
        try:
            statements: tuple[str, ...] | None = tuple(
                s.runnable for s in split_sql(m.text, m.path).statements)
        except InputError:
            statements = None
        files.append(ReplayFile(m.path, m.text, m.in_transaction, statements))
    return files


def _bookkeeping_objects(conn: Any, table: str | None) -> tuple[str, set[str]]:
    """The schema of the tool's table in the live database, and the names (unqualified) of the
    table, its indexes and the sequences it owns; ("", set()) when there is none."""
    if table is None:
        return "", set()
    row = conn.execute(
        "SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE c.oid = to_regclass(%s)", [table]).fetchone()
    if row is None:
        return "", set()
    oid, schema, name = row
    names = {name}
    names.update(r[0] for r in conn.execute(
        "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s", [oid]).fetchall())
    names.update(r[0] for r in conn.execute(
        "SELECT s.relname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid "
        "WHERE d.refobjid = %s AND d.classid = 'pg_class'::regclass AND s.relkind = 'S'",
        [oid]).fetchall())
    return schema, names


def _belongs(key: tuple[str, str], schema: str, names: set[str]) -> bool:
    """Whether a pg_dump entry is about the tool's table (its definition, constraints,
    defaults, indexes, owned sequences, comments, privileges)."""
    if not names:
        return False
    _, name = key
    if not name.startswith(schema + "."):
        return False
    rest = name[len(schema) + 1:]
    for n in names:
        if (rest == n or rest.startswith(n + " ") or rest.endswith(" " + n)
                or rest.startswith(f"COLUMN {n}.")):
            return True
    return False


def drift(
    history: History,
    dsn: str,
    *,
    table: str | None = None,
    also: Sequence[str] = (),
    setup: Sequence[os.PathLike[str]] = (),
    search_path: Sequence[str] | None = None,
    role: str | None = None,
    label: str = "history",
    progress: Progress | None = None,
) -> Drift:
    """Build ``history`` on a throwaway server (replayed as ``role``, by default the live
    connection's role, so that owners compare) and compare its schema, object by object, with
    the live database ``dsn``. ``table`` is the migration tool's bookkeeping table, left out
    on both sides, and so are the tables ``also`` names (other tables the tool keeps, in the
    same schema)."""
    from schemafold.verify.dump import dump_schema
    from schemafold.verify.replay import connect
    from schemafold.verify.run import read_side
    from schemafold.verify.servers import ExternalServer, Side, choose_engine

    live = ExternalServer(dsn)
    with connect(live.dsn()) as conn:
        schema, names = _bookkeeping_objects(conn, table)
        for other in also:
            where, more = _bookkeeping_objects(conn, other)
            if more and where == (schema or where):
                schema, names = where, names | more
    live_objects = dump_objects(dump_schema(live, live.database))
    if role is None and live.user != "postgres":
        role = live.user
    setup_files = [f for path in setup for f in read_side(Path(path), source_format="plain")]
    session = None
    if search_path:
        from schemafold.names import quote_ident

        session = "SET search_path TO " + ", ".join(quote_ident(s) for s in search_path)
    engine = choose_engine(None, progress=progress)
    try:
        from schemafold.verify.replay import ReplayError

        try:
            snapshot = engine.build(Side(label, tuple(_replay_files(history))),
                                    setup=setup_files, role=role, session_setup=session)
        except ReplayError as error:
            raise InputError(f"the history does not replay: {error.message}", file=error.file,
                             line=error.line, text=error.text) from None
    finally:
        engine.close()
    built = dump_objects(snapshot.raw_dump)
    ignored = sorted(k[1] for k in live_objects if _belongs(k, schema, names))
    left = {k: v for k, v in built.items() if not _belongs(k, schema, names)}
    right = {k: v for k, v in live_objects.items() if not _belongs(k, schema, names)}
    own = ObjectKey.of(ObjectKind.SCHEMA, None, schema)
    if (names and own in right and own not in left
            and not any(k[1].startswith(schema + ".") for k in right)):
        # the tool's own schema (drizzle, supabase_migrations, atlas_schema_revisions), which
        # holds nothing but its table
        del right[own]
        ignored.append(schema)
        names = {*names, ""}
    differences = []
    for key in sorted(set(left) | set(right)):
        lt, rt = left.get(key), right.get(key)
        if lt == rt:
            continue
        status = "missing" if rt is None else "extra" if lt is None else "changed"
        differences.append(ObjectDifference(key[0], key[1], status, lt, rt))
    where = f"{live.where} (as {live.user})"
    return Drift(database=where, history=label, differences=tuple(differences),
                 ignored=tuple(f"{schema}.{n}" if n else f"schema {schema}"
                               for n in sorted(names)) if ignored else ())


def recorded_rows(dsn: str, table: str | None, query: str | None
                  ) -> list[tuple[Any, ...]] | None:
    """The rows ``query`` reads from the tool's table ``table`` on ``dsn``; None when there is
    no such table (the tool never ran there) or nothing to read."""
    from schemafold.verify.replay import connect

    if table is None or query is None:
        return None
    with connect(dsn, application_name="schemafold-adopt") as conn:
        found = conn.execute("SELECT to_regclass(%s)", [table]).fetchone()
        if found is None or found[0] is None:
            return None
        return [tuple(row) for row in conn.execute(query).fetchall()]


def script(statements: Iterable[str]) -> str:
    """``statements`` as the one transaction ``apply_statements`` runs (for ``--dry-run``)."""
    body = "".join(f"{s.rstrip().rstrip(';')};\n" for s in statements)
    return f"BEGIN;\n{body}COMMIT;\n"


def apply_statements(dsn: str, statements: Sequence[str]) -> None:
    """Run ``statements`` in one transaction on ``dsn``: all of them, or none."""
    from schemafold.verify.replay import connect

    with connect(dsn, application_name="schemafold-adopt") as conn, conn.transaction():
        for statement in statements:
            conn.execute(statement)
