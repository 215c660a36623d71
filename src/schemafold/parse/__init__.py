"""Parsing: migration text to events, with provenance.

Owns: splitting each migration into statements (``splitter``) and translating each statement
(``postgres``), collecting warnings for psql meta-commands and statements kept verbatim.
Must not know: the schema state.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from schemafold.collect import fewer_collections
from schemafold.errors import SchemaWarning
from schemafold.events import Event, Origin, SessionStatement
from schemafold.parse.postgres import translate
from schemafold.parse.splitter import split_sql
from schemafold.parse.tokens import remember
from schemafold.progress import Progress, Ticker
from schemafold.sources import Migration


@attrs.frozen
class ParseResult:
    events: tuple[Event, ...]
    warnings: tuple[SchemaWarning, ...]
    statements: tuple[Origin, ...]  # every input statement, including those with no event


@fewer_collections()
def parse_migrations(migrations: Iterable[Migration], *,
                     progress: Progress | None = None) -> ParseResult:
    """The events of ``migrations``, in order; ``progress`` hears how many files are done."""
    events: list[Event] = []
    warnings: list[SchemaWarning] = []
    statements: list[Origin] = []
    migrations = list(migrations)
    ticker = Ticker(progress, "parsed files", len(migrations))
    for done, migration in enumerate(migrations):
        ticker.tick(done)
        split = split_sql(migration.text, migration.path)
        for meta in split.meta_commands:
            warnings.append(SchemaWarning(
                "psql meta-command ignored (migration tools do not run them)",
                file=meta.file, line=meta.line, text=meta.text))
        for statement in split.statements:
            origin = Origin(statement.file, statement.line, statement.text,
                            migration=migration.version,
                            in_transaction=migration.in_transaction,
                            copy_data=statement.copy_data)
            statements.append(origin)
            if statement.tokens is not None:
                remember(statement.text, statement.tokens.moved())  # read once, when split
            translation = translate(origin)
            warnings.extend(translation.warnings)
            if translation.events:
                events.extend(translation.events)
            else:
                events.append(SessionStatement(origin=origin, verb="empty statement"))
    return ParseResult(tuple(events), tuple(warnings), tuple(statements))


def parse_sql(text: str, file: str = "<sql>") -> ParseResult:
    """The events of SQL text (one migration named ``file``)."""
    return parse_migrations([Migration(version="1", name=file, path=file, text=text)])
