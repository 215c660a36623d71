"""The net schema as of a version of a history: the history folded up to and including it.

Owns: reading a history up to a version (``at``), and the schema's two spellings ``schemafold
at`` prints: one SQL script in pg_dump's phases (``SchemaAt.sql``) or one entry per object with
the statements that create it (``SchemaAt.to_dict``). The command line's ``schemafold at``
parses arguments and prints.

Must not know: argument parsing, printing, databases.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

import attrs

from schemafold.errors import InputError, SchemaWarning
from schemafold.fold import FoldResult
from schemafold.model import Schema
from schemafold.progress import Progress

__all__ = ["SchemaAt", "at"]

DEFAULT_SEARCH_PATH = ("$user", "public")


@attrs.frozen
class SchemaAt:
    """The history folded up to ``version``: ``migrations`` how many of its files that is,
    ``result`` the fold (``schema``, lineage, ledger, warnings)."""

    version: str
    migrations: int
    result: FoldResult

    @property
    def schema(self) -> Schema:
        return self.result.schema

    @property
    def warnings(self) -> tuple[SchemaWarning, ...]:
        return self.result.warnings

    def sql(self) -> str:
        """One script that builds the schema, in pg_dump's phases (``at --format sql``)."""
        from schemafold.render.postgres import render_schema

        return render_schema(self.schema)

    def to_dict(self) -> dict[str, object]:
        """``{"version", "migrations", "objects"}``: the objects in creation order, each
        ``{"object", "kind", "statements": [{"phase", "sql"}]}`` (``at --format json``)."""
        from schemafold.lineage import describe_key
        from schemafold.render.postgres import render_statements

        objects: dict[str, dict[str, object]] = {}
        statements: dict[str, list[dict[str, str]]] = {}
        for phase, key, sql in render_statements(self.schema):
            owner = key[1] if key and key[0] == "fk" and isinstance(key[1], tuple) else key
            name = describe_key(owner) if owner and owner[0] != "kept" else "kept statements"
            if name not in objects:
                statements[name] = []
                objects[name] = {"object": name, "kind": str(owner[0]) if owner else "",
                                 "statements": statements[name]}
            statements[name].append({"phase": phase, "sql": sql})
        return {"version": self.version, "migrations": self.migrations,
                "objects": list(objects.values())}


def at(
    source: str | os.PathLike[str],
    version: str,
    *,
    setup: Iterable[str | os.PathLike[str]] = (),
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    source_format: str | None = None,
    defines: Mapping[str, str] | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> SchemaAt:
    """Fold the history in ``source`` up to and including ``version`` (as its tool writes
    versions: sqlx ``20260120000002``, Flyway ``1.10`` or ``1_10``, plain ``0007``). Raises
    :class:`InputError` when no migration has that version. No database is used."""
    from pathlib import Path

    from schemafold.api import fold
    from schemafold.sources import read_history

    try:
        history = read_history(Path(source), source_format=source_format, defines=defines,
                               until=version, strict=strict)
    except InputError as error:  # the sources say --until; here it is VERSION
        if error.message.startswith("--until "):
            error.message = "VERSION " + error.message[len("--until "):]
        raise
    result = fold(history, setup=setup, search_path=search_path, progress=progress)
    return SchemaAt(version=version, migrations=len(history.migrations), result=result)
