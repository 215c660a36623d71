"""What a real PostgreSQL says of statements, asked without leaving a trace, and what the fold
says of the same statements: the checked-input tests (``test_checked_*``) judge each statement
by PostgreSQL's answer and the fold's."""

from __future__ import annotations

from schemafold import fold_sql
from schemafold.errors import FoldLimit, InputError
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


def fold_refusal(statements: list[str], *, limit_taken: bool = False) -> InputError | None:
    """The fold's refusal of ``statements``, folded as one migration (each ended by ``;``), or
    None when it takes them; with ``limit_taken`` a fold limit (folding stops, the rest is kept
    as written, and squash exits 0) counts as taken."""
    try:
        fold_sql(";\n".join(statements) + ";\n")
    except FoldLimit as error:
        return None if limit_taken else error
    except InputError as error:
        return error
    return None


def fold_refusal_text(statements: list[str]) -> str | None:
    """The fold's refusal of ``statements`` as it prints it (``file:line: message: text``), or
    None when it takes them."""
    error = fold_refusal(statements)
    return None if error is None else str(error)


def assert_judged_alike(cluster: Cluster, db: str, statements: list[str], valid: bool) -> None:
    """PostgreSQL takes ``statements`` (in database ``db``, rolled back) exactly when ``valid``
    says so, and so does the fold (stopping folding counts as taking them)."""
    error = refusal(cluster, db, statements)
    assert (error is None) == valid, first_line(error)
    found = fold_refusal(statements, limit_taken=True)
    assert (found is None) == valid, found


def assert_refused_alike(cluster: Cluster, db: str, statements: list[str],
                         fragment: str | None) -> None:
    """PostgreSQL and the fold both take ``statements`` (``fragment`` None), or both refuse
    them, each with ``fragment`` in its message. The fold says ``table/view "x" does not exist``
    where PostgreSQL says ``relation "x" does not exist``: it names the kinds it looked for."""
    postgresql = first_line(refusal(cluster, db, statements))
    fold = fold_refusal_text(statements)
    if fragment is None:
        assert postgresql is None
        assert fold is None
        return
    assert postgresql is not None and fragment in postgresql, postgresql
    assert fold is not None, statements[-1]
    if fragment.startswith('relation "') and fragment.endswith("does not exist"):
        fragment = fragment.replace("relation", "table/view", 1)
    assert fragment in fold, fold


def assert_refusal_says_what_postgresql_says(cluster: Cluster, db: str,
                                             statements: list[str]) -> None:
    """PostgreSQL refuses ``statements``, and the fold's refusal holds PostgreSQL's message."""
    said = first_line(refusal(cluster, db, statements))
    assert said is not None, statements[-1]
    found = fold_refusal_text(statements)
    assert found is not None and said in found, (said, found)


def assert_verdict(cluster: Cluster, db: str, statements: list[str],
                   verdict: bool | str) -> None:
    """``verdict`` True: PostgreSQL takes ``statements``, and the fold takes them or stops
    folding at them; ``"stop"``: PostgreSQL refuses them and the fold stops folding (narrower,
    correct); ``"before 16"``: as True on PostgreSQL 14 and 15, while 16 and later refuse a word
    they reserve (``system_user``) or made a key word (``json``) with a syntax error, and the
    fold, which reads 15's grammar, still takes them; ``"takes before 16"``: 15 takes them and
    16 and later refuse them, and the fold stops folding at them; else PostgreSQL refuses them
    and the fold refuses them too, its message holding PostgreSQL's."""
    error = refusal(cluster, db, statements)
    if verdict == "takes before 16":
        # a behaviour that changed between majors: the fold stops folding on both
        verdict = "stop" if cluster.major >= 16 else True
        assert isinstance(fold_refusal(statements), FoldLimit)
    if verdict == "before 16":
        if cluster.major >= 16:
            said = first_line(error)
            assert said is not None and said.startswith("syntax error at or near"), said
            error = None
        verdict = True
    assert (error is None) == (verdict is True), first_line(error)
    found = fold_refusal(statements)
    if verdict is True:
        assert found is None or isinstance(found, FoldLimit), found
    elif verdict == "stop":
        assert isinstance(found, FoldLimit), found
    else:
        assert found is not None and not isinstance(found, FoldLimit), found
        said = first_line(error)
        assert said is not None and said in str(found), (said, str(found))
