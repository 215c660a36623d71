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
from schemafold.events import CreateFunction, Event, Origin, SessionStatement
from schemafold.parse.postgres import translate
from schemafold.parse.splitter import split_sql
from schemafold.parse.tokens import body_error, remember
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
    check_bodies = True
    for done, migration in enumerate(migrations):
        ticker.tick(done)
        if "check_function_bodies" in migration.text.lower():
            check_bodies = False  # a session (or more) that may not check them from here on
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
            made = translation.events
            if check_bodies:
                _check_bodies(origin, made)
                made = tuple(attrs.evolve(event, body_analyzed=True)
                             if isinstance(event, CreateFunction) and event.language == "sql"
                             else event for event in made)
            warnings.extend(translation.warnings)
            if made:
                events.extend(made)
            else:
                events.append(SessionStatement(origin=origin, verb="empty statement"))
    return ParseResult(tuple(events), tuple(warnings), tuple(statements))


def _check_bodies(origin: Origin, events: Iterable[Event]) -> None:
    """PostgreSQL checks the syntax of a function's body of SQL or PL/pgSQL when the function is
    created (``check_function_bodies``, on unless a history turns it off, which it then does in
    a file saying so): the body's errors that hold for any SQL text are errors here, with the
    body's line. A body written as ``'...'`` (quotes doubled) is checked from the statement's
    line. A PL/pgSQL body is compiled then too: an ``INTO`` target that none of its
    declarations, parameters or implicit variables supplies is refused."""
    from schemafold.plpgsql.syntax import routine_outer  # late: it reads with parse.tokens

    for event in events:
        if not isinstance(event, CreateFunction) or event.body is None or \
                event.language not in ("sql", "plpgsql"):
            continue
        at = origin.text.rfind(event.body)
        line = origin.line + (origin.text.count("\n", 0, at) if at >= 0 else 0)
        plpgsql = event.language == "plpgsql"
        outer = routine_outer(event.name.name, event.arguments, event.returns) \
            if plpgsql else None
        error = body_error(event.body, file=origin.file, line=line, plpgsql=plpgsql,
                           outer=outer)
        if error is not None:
            raise error


def parse_sql(text: str, file: str = "<sql>") -> ParseResult:
    """The events of SQL text (one migration named ``file``)."""
    return parse_migrations([Migration(version="1", name=file, path=file, text=text)])
