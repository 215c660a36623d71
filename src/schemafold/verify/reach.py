"""Statements that reach outside the database a verification builds: what ``verify --dsn`` refuses
to run on the user's server unless ``--allow-outside-database`` is given.

Owns: finding, in the files of a side (and the setup files), each top-level statement that acts
on the server beyond its database: ``CREATE``/``ALTER``/``DROP DATABASE``, ``ALTER SYSTEM``,
tablespaces and subscriptions, ``COPY`` to or from a program or a server file, and changes to
roles that existed before the replay (``ALTER``/``DROP ROLE``, ``GRANT``/``REVOKE`` of one such
role to another, ``COMMENT``/``SECURITY LABEL ON ROLE``, ``REASSIGN OWNED``). Roles the files
create themselves are theirs to change: they are dropped after each side.

It reads top-level statements only: a ``DO`` block or function that runs such a statement with
``EXECUTE`` is not seen (docs/verify.md says so). It knows nothing of folding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from schemafold.errors import InputError, excerpt
from schemafold.fragment import fragment
from schemafold.parse.splitter import split_sql
from schemafold.parse.tokens import Token, TokenType, identifier_of, is_string, word

__all__ = ["Reach", "reaching_outside"]


@attrs.frozen
class Reach:
    """One statement that reaches outside the database: where, and what it reaches."""

    file: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.why}: {excerpt(self.text)}"


def reaching_outside(files: Iterable[tuple[str, str]], existing_roles: Iterable[str]
                     ) -> list[Reach]:
    """The statements of ``files`` (name, SQL text; in the order they run) that reach outside
    the database, given the roles the server had before anything ran."""
    # the role a session runs as existed before, whatever its name
    existing = {*existing_roles, "current_user", "current_role", "session_user"}
    created: set[str] = set()
    found: list[Reach] = []
    for name, text in files:
        try:
            statements = split_sql(text, name).statements
        except InputError:
            continue  # not runnable as it is: the replay reports it
        for statement in statements:
            tokens = fragment(statement.text).tokens_or_none()
            if tokens is None:  # the replay reports text that does not tokenize
                continue
            why = _reaches(tokens, existing - created, created)
            if why:
                found.append(Reach(statement.file, statement.line, statement.text, why))
    return found


_ROLE_WORDS = ("ROLE", "USER", "GROUP")


def _reaches(tokens: Sequence[Token], before: set[str], created: set[str]) -> str | None:
    words = [word(t) for t in tokens]
    head = words[:3]

    def roles_from(start: int) -> list[str]:
        names = []
        for token in tokens[start:]:
            if token.token_type == TokenType.COMMA:
                continue
            name = identifier_of(token)
            if name is None or (word(token) in ("WITH", "IN", "SET", "RESET", "RENAME", "TO",
                                                "GRANTED", "CASCADE", "RESTRICT")):
                break
            names.append(name)
        return names

    if head[:2] in (["CREATE", "DATABASE"], ["ALTER", "DATABASE"], ["DROP", "DATABASE"]):
        return f"{head[0]} DATABASE acts on another database of the server"
    if head[:2] == ["ALTER", "SYSTEM"]:
        return "ALTER SYSTEM changes the server's configuration"
    if head[:2] in (["CREATE", "TABLESPACE"], ["ALTER", "TABLESPACE"], ["DROP", "TABLESPACE"]):
        return f"{head[0]} TABLESPACE acts on the server's storage"
    if head[:2] in (["CREATE", "SUBSCRIPTION"], ["ALTER", "SUBSCRIPTION"]):
        return f"{head[0]} SUBSCRIPTION connects to another server"
    if head[:1] == ["COPY"]:
        for i, w in enumerate(words):
            if w in ("FROM", "TO") and i + 1 < len(tokens):
                target = words[i + 1]
                if target == "PROGRAM":
                    return "COPY ... PROGRAM runs a program on the server's machine"
                if is_string(tokens[i + 1]):
                    return "COPY reads or writes a file on the server's machine"
        return None
    if head[:1] == ["CREATE"] and len(head) > 1 and head[1] in _ROLE_WORDS:
        names = roles_from(2)
        if names:
            created.add(names[0])
        return None
    if head[:1] in (["ALTER"], ["DROP"]) and len(head) > 1 and head[1] in _ROLE_WORDS:
        start = 4 if words[2:4] == ["IF", "EXISTS"] else 2
        if head[0] == "ALTER" and words[2:3] == ["ALL"]:
            return "ALTER ROLE ALL changes every role of the server"
        touched = [n for n in roles_from(start) if n in before]
        if touched:
            return f"{head[0]} {head[1]} changes role {touched[0]}, which existed before"
        return None
    if words[:3] in (["COMMENT", "ON", "ROLE"], ["SECURITY", "LABEL", "ON"]) and \
            (words[2] == "ROLE" or "ROLE" in words[3:6]):
        at = words.index("ROLE") + 1
        names = roles_from(at)
        if names and names[0] in before:
            return f"{words[0]} on role {names[0]}, which existed before"
        return None
    if words[:2] == ["REASSIGN", "OWNED"]:
        return "REASSIGN OWNED acts on objects of every database of the server"
    if head[:1] in (["GRANT"], ["REVOKE"]) and "ON" not in words:
        # role membership: GRANT a TO b / REVOKE a FROM b
        split = "TO" if head[0] == "GRANT" else "FROM"
        if split not in words:
            return None
        at = words.index(split)
        start = 1
        if head[0] == "REVOKE" and words[1:4] in (["ADMIN", "OPTION", "FOR"],
                                                   ["INHERIT", "OPTION", "FOR"],
                                                   ["SET", "OPTION", "FOR"]):
            start = 4
        granted = [n for n in roles_from(start) if n]
        members = roles_from(at + 1)
        old_granted = [n for n in granted if n in before]
        old_members = [n for n in members if n in before]
        if old_granted and old_members:
            return (f"{head[0]} changes the membership of role {old_members[0]}, which existed "
                    "before")
    return None
