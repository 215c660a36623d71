"""Replaying SQL files on a server: connecting, sending each file as PostgreSQL's simple query
protocol would, and an error that names the file, line and statement that failed.

Owns: ``connect``, ``ReplayFile``, ``ReplayError``, ``replay``.
psycopg is imported lazily (the package imports without it).

Must not know: clusters' lifecycle, dumps, snapshots, the fold.
"""

from __future__ import annotations

import contextlib
import select
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from schemafold.errors import EnvironmentProblem, SchemafoldError

if TYPE_CHECKING:
    import psycopg


__all__ = [
    "ReplayError",
    "ReplayFile",
    "connect",
    "replay",
]


def connect(dsn: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """A psycopg connection in autocommit mode.

    Raises :class:`EnvironmentProblem` when psycopg is missing or the server cannot be reached.
    """
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise EnvironmentProblem(
            "psycopg is not installed: pip install 'schemafold[postgres]'"
        ) from None
    try:
        return psycopg.connect(dsn, autocommit=True, **kwargs)
    except psycopg.OperationalError as exc:
        raise EnvironmentProblem(f"cannot connect to the database: {exc}".strip()) from exc


@attrs.frozen
class ReplayFile:
    """One file of SQL as a migration tool would run it.

    ``sql`` is sent whole, in one simple-query call, as sqlx and psql do. When ``in_transaction``
    is false and ``statements`` (the file's statements, as split by the caller) is given, each
    statement runs on its own in autocommit mode, because PostgreSQL treats a multi-statement
    query as one implicit transaction and ``CREATE INDEX CONCURRENTLY`` would refuse to run.
    ``statements`` also helps place an error that the server reports without a position.
    """

    name: str
    sql: str
    in_transaction: bool = True
    statements: tuple[str, ...] | None = None


class ReplayError(SchemafoldError):
    """A statement failed while replaying a file: names the file, line, message and line text."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        text: str | None = None,
        sqlstate: str | None = None,
        detail: str | None = None,
        hint: str | None = None,
        context: str | None = None,
        statement_index: int | None = None,
    ) -> None:
        super().__init__(message, file=file, line=line, text=text)
        self.sqlstate = sqlstate
        self.detail = detail
        self.hint = hint
        self.context = context
        self.statement_index = statement_index


@attrs.frozen
class _ServerError:
    message: str
    sqlstate: str | None
    position: int | None
    detail: str | None
    hint: str | None
    context: str | None
    succeeded: int  # statements of the query that completed before the failing one


class _Failed(Exception):
    def __init__(self, error: _ServerError) -> None:
        super().__init__(error.message)
        self.error = error


def _field(result: Any, field: Any, encoding: str) -> str | None:
    value = result.error_field(field)
    return None if value is None else bytes(value).decode(encoding, "replace")


def _simple_query(conn: psycopg.Connection[Any], text: str) -> None:
    """Run ``text`` with the simple-query protocol, counting the statements that completed.

    psycopg's ``execute`` raises on the first failed result and forgets how many statements
    before it succeeded; going one level down keeps that count, which places errors that the
    server reports without a position (constraint violations, errors inside DO blocks).

    The rows after a ``COPY ... FROM stdin`` (a pg_dump script, as psql runs it) are sent as
    the COPY's data: the server reads the text with them blanked.
    """
    import psycopg
    from psycopg import pq

    from schemafold.parse.splitter import blank_copy_data, copy_blocks

    pgconn = conn.pgconn
    encoding = conn.info.encoding
    blocks = copy_blocks(text)
    copies = [text[b.start:b.data_end].encode(encoding) for b in blocks]
    text = blank_copy_data(text, blocks)
    try:
        pgconn.send_query(text.encode(encoding))
    except psycopg.OperationalError:
        raise _Failed(_client_error(pgconn, encoding)) from None
    succeeded = 0
    error: _ServerError | None = None
    try:
        while True:
            while pgconn.is_busy():
                select.select([pgconn.socket], [], [], 1.0)
                pgconn.consume_input()
            result = pgconn.get_result()
            if result is None:
                break
            status = result.status
            if status in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
                succeeded += 1
            elif status == pq.ExecStatus.COPY_IN:
                if copies:
                    pgconn.put_copy_data(copies.pop(0))
                    pgconn.put_copy_end(None)
                else:
                    pgconn.put_copy_end(b"COPY FROM STDIN without rows after it")
            elif status == pq.ExecStatus.COPY_OUT:
                while True:
                    n, _ = pgconn.get_copy_data(0)
                    if n < 0:
                        break
                succeeded += 1
            elif (
                status in (pq.ExecStatus.FATAL_ERROR, pq.ExecStatus.BAD_RESPONSE) and error is None
            ):
                error = _result_error(result, encoding, succeeded)
    except BaseException:
        # Interrupted (Ctrl-C) or lost: cancel what runs and give the connection up.
        with contextlib.suppress(Exception):
            pgconn.get_cancel().cancel()
        with contextlib.suppress(Exception):
            conn.close()
        raise
    if error is not None:
        raise _Failed(error)


def _client_error(pgconn: Any, encoding: str) -> _ServerError:
    message = bytes(pgconn.error_message).decode(encoding, "replace").strip()
    return _ServerError(message or "connection lost", None, None, None, None, None, 0)


def _result_error(result: Any, encoding: str, succeeded: int) -> _ServerError:
    from psycopg import pq

    fields = pq.DiagnosticField
    primary = _field(result, fields.MESSAGE_PRIMARY, encoding)
    if primary is None:
        primary = bytes(result.error_message).decode(encoding, "replace").strip() or "error"
    position = _field(result, fields.STATEMENT_POSITION, encoding)
    return _ServerError(
        message=primary,
        sqlstate=_field(result, fields.SQLSTATE, encoding),
        position=int(position) if position and position.isdigit() else None,
        detail=_field(result, fields.MESSAGE_DETAIL, encoding),
        hint=_field(result, fields.MESSAGE_HINT, encoding),
        context=_field(result, fields.CONTEXT, encoding),
        succeeded=succeeded,
    )


def _line_of(text: str, offset: int) -> tuple[int, str]:
    """1-based line number and that line's text, for a 0-based character offset into ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return line, text[start : end if end >= 0 else len(text)]


def _statement_offsets(sql: str, statements: Sequence[str]) -> list[int | None]:
    """Where each statement starts in ``sql``, found in order; None where it cannot be found."""
    offsets: list[int | None] = []
    cursor = 0
    for statement in statements:
        needle = statement.strip()
        found = sql.find(needle, cursor) if needle else -1
        if found < 0:
            offsets.append(None)
            continue
        offsets.append(found)
        cursor = found + len(needle)
    return offsets


def _replay_error(
    file: ReplayFile,
    error: _ServerError,
    *,
    base_offset: int | None,
    statement_index: int | None,
) -> ReplayError:
    """Place a server error in the file.

    ``base_offset`` is where the text we sent starts in the file (0 for the whole file, a
    statement's offset when statements run one by one, None when unknown).
    """
    line: int | None = None
    line_text: str | None = None
    if error.position is not None and base_offset is not None:
        line, line_text = _line_of(file.sql, base_offset + error.position - 1)
    elif statement_index is not None and file.statements is not None:
        offsets = _statement_offsets(file.sql, file.statements)
        if statement_index < len(offsets) and offsets[statement_index] is not None:
            offset = offsets[statement_index]
            assert offset is not None
            if error.position is not None:
                offset += error.position - 1
            line, line_text = _line_of(file.sql, offset)
    message = error.message
    if line is None and statement_index is not None:
        message = f"{message} (in statement {statement_index + 1} of the file)"
    return ReplayError(
        message,
        file=file.name,
        line=line,
        text=line_text.strip() if line_text is not None else None,
        sqlstate=error.sqlstate,
        detail=error.detail,
        hint=error.hint,
        context=error.context,
        statement_index=statement_index,
    )


def replay(
    dsn: str,
    files: Sequence[ReplayFile],
    *,
    role: str | None = None,
    session_setup: str | None = None,
) -> None:
    """Run ``files`` in order against ``dsn``, each in a fresh session, as a migration tool would.

    Each session first runs ``session_setup`` (e.g. ``SET search_path TO app, public``), then
    ``SET ROLE role`` when a role is given. A file in a transaction runs as ``BEGIN``, its whole
    text in one call, ``COMMIT``; a failure rolls that file back and raises :class:`ReplayError`.
    Earlier files stay committed, as with a migration tool.
    """
    from psycopg import sql

    for file in files:
        with connect(dsn, application_name="schemafold-replay") as conn:
            try:
                if session_setup:
                    _simple_query(conn, session_setup)
                if role is not None:
                    _simple_query(
                        conn, sql.SQL("SET ROLE {}").format(sql.Identifier(role)).as_string(conn)
                    )
            except _Failed as exc:
                raise ReplayError(
                    f"session setup failed: {exc.error.message}", file=file.name
                ) from None
            _replay_file(conn, file)


def _replay_file(conn: psycopg.Connection[Any], file: ReplayFile) -> None:
    from psycopg import pq

    if file.in_transaction:
        _simple_query(conn, "BEGIN")
        try:
            _simple_query(conn, file.sql)
        except _Failed as exc:
            with contextlib.suppress(_Failed):
                _simple_query(conn, "ROLLBACK")
            raise _replay_error(
                file, exc.error, base_offset=0, statement_index=exc.error.succeeded
            ) from None
        try:
            _simple_query(conn, "COMMIT")
        except _Failed as exc:  # deferred constraints fail here
            raise ReplayError(
                f"at COMMIT: {exc.error.message}",
                file=file.name,
                sqlstate=exc.error.sqlstate,
                detail=exc.error.detail,
            ) from None
        return
    if file.statements is None:
        try:
            _simple_query(conn, file.sql)
        except _Failed as exc:
            raise _replay_error(
                file, exc.error, base_offset=0, statement_index=exc.error.succeeded
            ) from None
    else:
        offsets = _statement_offsets(file.sql, file.statements)
        for index, statement in enumerate(file.statements):
            if not statement.strip():
                continue
            try:
                _simple_query(conn, statement)
            except _Failed as exc:
                offset = offsets[index]
                if offset is not None:
                    # Positions count from the statement's first character as we sent it.
                    offset -= len(statement) - len(statement.lstrip())
                raise _replay_error(
                    file, exc.error, base_offset=offset, statement_index=index
                ) from None
    if conn.pgconn.transaction_status != pq.TransactionStatus.IDLE:
        with contextlib.suppress(_Failed):
            _simple_query(conn, "ROLLBACK")
        raise ReplayError(
            "the file left a transaction open; its work would be lost when the session ends",
            file=file.name,
        )
