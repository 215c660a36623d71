"""Parsing: migration text to events, with provenance.

Owns: splitting each migration into statements (``splitter``) and translating each statement
(``postgres``), collecting warnings for psql meta-commands and statements kept verbatim.
Must not know: the schema state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.collect import fewer_collections
from schemafold.errors import InputError, SchemaWarning
from schemafold.events import CreateFunction, Event, Origin, SessionStatement
from schemafold.parse.postgres import translate
from schemafold.parse.splitter import split_sql
from schemafold.parse.tokens import body_error, remember
from schemafold.progress import Progress, Ticker
from schemafold.sources import Migration


@attrs.frozen
class ParseResult:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
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
        # RETURN expr written bare after the options (not in a string): a SQL-standard body
        standard = not plpgsql and event.body.lstrip()[:6].upper() == "RETURN" and \
            origin.text.rstrip().rstrip(";").rstrip().endswith(event.body.rstrip().rstrip(";"))
        error = body_error(event.body, file=origin.file, line=line, plpgsql=plpgsql,
                           outer=outer, standard=standard) or (
            _bare_return_error(event, origin.file, line) if plpgsql else None)
        if error is not None:
            raise error


#: ``RETURN ;`` (a cheap test before tokenizing) and a parameter list with an output parameter
_BARE_RETURN = re.compile(r"(?i)(?<![\w$])return\s*;")
_OUTPUT_PARAMETER = re.compile(r"(?i)(?<![\w$])(?:in)?out(?![\w$])")


def _bare_return_error(event: CreateFunction, file: str, line: int) -> InputError | None:
    """``RETURN;`` in a PL/pgSQL function with a result of one value (not a procedure, not
    ``void``, ``event_trigger``, ``SETOF``, ``TABLE (...)`` or a result given by output
    parameters): PostgreSQL's ``missing expression at or near ";"`` when it compiles the
    function (15 and 18)."""
    from schemafold.names import canonical_type
    from schemafold.parse.tokens import Cursor, TokenType, word

    body = event.body
    returns = " ".join((event.returns or "").split()).lower()
    if body is None or event.procedure or not returns or \
            not _BARE_RETURN.search(body) or _OUTPUT_PARAMETER.search(event.arguments) or \
            returns.startswith(("setof ", "table")) or \
            canonical_type(returns) in ("void", "event_trigger"):
        return None
    try:
        cursor = Cursor(body, file=file, line=line)
    except Exception:  # noqa: BLE001 - a body the tokenizer cannot read: no evidence
        return None
    tokens = cursor.tokens
    for before, token in zip(tokens, tokens[1:], strict=False):
        if word(before) == "RETURN" and token.token_type == TokenType.SEMICOLON:
            return cursor.error('missing expression at or near ";"', token)
    return None


def parse_sql(text: str, file: str = "<sql>") -> ParseResult:
    """The events of SQL text (one migration named ``file``)."""
    return parse_migrations([Migration(version="1", name=file, path=file, text=text)])
