"""What a real PostgreSQL says of statements, asked without leaving a trace: the checked-input
tests (``test_checked_*``) judge each statement by PostgreSQL's answer and the fold's."""

from __future__ import annotations

from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import connect


class _Rollback(Exception):
    pass


def refusal(cluster: Cluster, db: str, statements: list[str]) -> Exception | None:
    """Run ``statements`` in database ``db`` in one transaction, rolled back whatever happens:
    the error of the first one PostgreSQL refuses, or None when it takes them all."""
    with connect(cluster.dsn(db)) as conn:
        try:
            with conn.transaction():
                for statement in statements:
                    conn.execute(statement)
                raise _Rollback
        except _Rollback:
            return None
        except Exception as error:  # noqa: BLE001 - any refusal is the answer
            return error


def first_line(error: Exception | None) -> str | None:
    """The first line of a refusal's text (psycopg's: the primary message), or None."""
    return None if error is None else str(error).splitlines()[0]


def primary_message(error: Exception | None) -> str | None:
    """PostgreSQL's primary message of a refusal, or None; any other failure is the test's."""
    import psycopg

    if error is None:
        return None
    if not isinstance(error, psycopg.Error):
        raise error
    return error.diag.message_primary
