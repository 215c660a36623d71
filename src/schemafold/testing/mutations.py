"""Mutation operators for SQL consolidations: small, realistic mistakes a verification must catch.

This module owns producing *mutants* of a consolidation (a list of ``(file name, SQL text)``):
each operator finds the places it can change and yields one mutant per place, named and
described. The operators are those a hand-written consolidation gets wrong: a statement left out,
enum labels out of order, a literal changed in a default or CHECK, a GRANT or COMMENT lost, a
function body edited, a row lost, another owner, another sequence INCREMENT, two columns
swapped, an implicit constraint name changed.

It works on SQL text through the project's splitter and tokenizer; it knows nothing of
databases, folding or the model. Use :func:`mutants` for every operator, or :data:`OPERATORS`
for one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

import attrs

from schemafold.fragment import fragment
from schemafold.parse.splitter import split_sql
from schemafold.parse.tokens import Token, TokenType

__all__ = ["OPERATORS", "Mutant", "mutants"]

Files = tuple[tuple[str, str], ...]


@attrs.frozen
class Mutant:
    """A consolidation with one change: which operator, where (file and line), and what."""

    operator: str
    file: str
    line: int
    description: str
    files: Files

    def label(self) -> str:
        return f"{self.operator} at {self.file}:{self.line}: {self.description}"


@attrs.frozen
class _Statement:
    file_index: int
    file: str
    text: str  # the whole file
    start: int
    end: int  # exclusive, before the ';'
    line: int

    @property
    def sql(self) -> str:
        return self.text[self.start : self.end]

    def tokens(self) -> list[Token]:
        # a statement the tokenizer refuses has no sites
        return list(fragment(self.sql).tokens_or_none() or ())


def _statements(files: Files) -> list[_Statement]:
    found = []
    for index, (name, text) in enumerate(files):
        for s in split_sql(text, name).statements:
            found.append(_Statement(index, name, text, s.start, s.end, s.line))
    return found


def _replace(files: Files, statement: _Statement, start: int, end: int, new: str) -> Files:
    """``files`` with ``statement.sql[start:end]`` replaced by ``new``."""
    name, text = files[statement.file_index]
    a, b = statement.start + start, statement.start + end
    changed = text[:a] + new + text[b:]
    return files[: statement.file_index] + ((name, changed),) + files[statement.file_index + 1 :]


def _drop(files: Files, statement: _Statement) -> Files:
    """``files`` without ``statement`` (and its ``;``)."""
    name, text = files[statement.file_index]
    end = statement.end
    while end < len(text) and text[end] in " \t":
        end += 1
    if end < len(text) and text[end] == ";":
        end += 1
    changed = text[: statement.start] + text[end:]
    return files[: statement.file_index] + ((name, changed),) + files[statement.file_index + 1 :]


def _words(tokens: Sequence[Token], count: int) -> list[str]:
    return [t.text.upper() for t in tokens[:count]]


def _starts(statement: _Statement, *words: str) -> bool:
    return _words(statement.tokens(), len(words)) == list(words)


def _group_end(tokens: Sequence[Token], open_index: int) -> int:
    """The index of the token closing the parenthesis at ``open_index``."""
    depth = 0
    for i in range(open_index, len(tokens)):
        if tokens[i].token_type == TokenType.L_PAREN:
            depth += 1
        elif tokens[i].token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return i
    return len(tokens) - 1


def _top_level_items(tokens: Sequence[Token], open_index: int) -> list[tuple[int, int]]:
    """(first, last) token indexes of each comma-separated item inside a parenthesised group."""
    close = _group_end(tokens, open_index)
    items: list[tuple[int, int]] = []
    depth = 0
    first = open_index + 1
    for i in range(open_index + 1, close):
        kind = tokens[i].token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
        elif kind == TokenType.COMMA and depth == 0:
            items.append((first, i - 1))
            first = i + 1
    if first < close:
        items.append((first, close - 1))
    return items


def _literal_text(token: Token, sql: str) -> str:
    return sql[token.start : token.end + 1]


def _changed_literal(token: Token, sql: str) -> str | None:
    """A literal token changed: a number plus one, a string with ``!`` added."""
    raw = _literal_text(token, sql)
    if token.token_type == TokenType.NUMBER:
        try:
            return str(int(raw) + 1)
        except ValueError:
            return raw + "1" if "." in raw else None
    if token.token_type == TokenType.STRING and raw.endswith("'"):
        return raw[:-1] + "!'"
    return None


# ---------------------------------------------------------------------------------------------
# The operators


def drop_statement(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        first = " ".join(s.sql.split()[:4])
        yield Mutant("drop-statement", s.file, s.line, f"drop {first} ...", _drop(files, s))


def swap_enum_labels(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        tokens = s.tokens()
        upper = [t.text.upper() for t in tokens]
        if upper[:2] != ["CREATE", "TYPE"] or "ENUM" not in upper:
            continue
        open_index = upper.index("ENUM") + 1
        if open_index >= len(tokens) or tokens[open_index].token_type != TokenType.L_PAREN:
            continue
        labels = [tokens[a] for a, b in _top_level_items(tokens, open_index) if a == b]
        for left, right in zip(labels, labels[1:], strict=False):
            a, b = _literal_text(left, s.sql), _literal_text(right, s.sql)
            swapped = s.sql[: left.start] + b + s.sql[left.end + 1 : right.start] + a
            swapped += s.sql[right.end + 1 :]
            yield Mutant("swap-enum-labels", s.file, s.line, f"swap {a} and {b}",
                         _replace(files, s, 0, len(s.sql), swapped))


def change_default_or_check_literal(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        tokens = s.tokens()
        sites: list[Token] = []
        for i, token in enumerate(tokens):
            word = token.text.upper()
            if word == "DEFAULT" and i + 1 < len(tokens):
                following = tokens[i + 1]
                if following.token_type in (TokenType.NUMBER, TokenType.STRING):
                    sites.append(following)
            elif word == "CHECK" and i + 1 < len(tokens) \
                    and tokens[i + 1].token_type == TokenType.L_PAREN:
                close = _group_end(tokens, i + 1)
                sites.extend(t for t in tokens[i + 2 : close]
                             if t.token_type in (TokenType.NUMBER, TokenType.STRING))
        for token in sites:
            new = _changed_literal(token, s.sql)
            if new is None:
                continue
            old = _literal_text(token, s.sql)
            yield Mutant("change-literal", s.file, s.line, f"{old} -> {new}",
                         _replace(files, s, token.start, token.end + 1, new))


def delete_grant(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        if _starts(s, "GRANT"):
            yield Mutant("delete-grant", s.file, s.line, " ".join(s.sql.split()[:8]),
                         _drop(files, s))


def delete_comment(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        if _starts(s, "COMMENT", "ON"):
            yield Mutant("delete-comment", s.file, s.line, " ".join(s.sql.split()[:5]),
                         _drop(files, s))


_BODY_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def change_function_body_token(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        tokens = s.tokens()
        upper = [t.text.upper() for t in tokens[:6]]
        if not upper or upper[0] != "CREATE" or not ({"FUNCTION", "PROCEDURE"} & set(upper)):
            continue
        for token in tokens:
            if token.token_type not in (TokenType.HEREDOC_STRING, TokenType.STRING):
                continue
            raw = _literal_text(token, s.sql)
            if token.token_type == TokenType.STRING and len(raw) < 8:
                continue  # a short string is an option ('plpgsql'), not a body
            words = [m for m in _BODY_WORD.finditer(raw) if not raw.startswith("$", m.start() - 1)]
            if not words:
                continue
            # The last word of the body: an identifier or keyword near its end.
            word = words[-1]
            start = token.start + word.start()
            new = word.group() + "_x"
            yield Mutant("change-body-token", s.file, s.line,
                         f"{word.group()} -> {new} in the body",
                         _replace(files, s, start, start + len(word.group()), new))
            break


def delete_row(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        tokens = s.tokens()
        upper = [t.text.upper() for t in tokens]
        if upper[:2] != ["INSERT", "INTO"] or "VALUES" not in upper:
            continue
        i = upper.index("VALUES") + 1
        rows: list[tuple[int, int]] = []
        while i < len(tokens) and tokens[i].token_type == TokenType.L_PAREN:
            close = _group_end(tokens, i)
            rows.append((i, close))
            i = close + 1
            if i < len(tokens) and tokens[i].token_type == TokenType.COMMA:
                i += 1
            else:
                break
        if len(rows) == 1:
            yield Mutant("delete-row", s.file, s.line, "drop the only row", _drop(files, s))
            continue
        for n, (a, b) in enumerate(rows):
            if n + 1 < len(rows):  # the row and the comma after it
                start, end = tokens[a].start, tokens[rows[n + 1][0]].start
            else:  # the comma before it and the row
                start, end = tokens[rows[n - 1][1]].end + 1, tokens[b].end + 1
            text = s.sql[tokens[a].start : tokens[b].end + 1]
            yield Mutant("delete-row", s.file, s.line, f"drop row {text[:40]}",
                         _replace(files, s, start, end, ""))


def _roles(files: Files) -> list[str]:
    names = ["postgres"]
    for s in _statements(files):
        tokens = s.tokens()
        if _words(tokens, 2) == ["CREATE", "ROLE"] and len(tokens) > 2:
            names.append(tokens[2].text)
    return list(dict.fromkeys(names))


def change_owner(files: Files) -> Iterator[Mutant]:
    roles = _roles(files)
    for s in _statements(files):
        tokens = s.tokens()
        upper = [t.text.upper() for t in tokens]
        for i, word in enumerate(upper):
            is_owner = word == "OWNER" and i + 2 < len(tokens) and upper[i + 1] == "TO"
            is_authorization = word == "AUTHORIZATION" and i + 1 < len(tokens) \
                and upper[0] == "CREATE"
            if not (is_owner or is_authorization):
                continue
            token = tokens[i + 2] if is_owner else tokens[i + 1]
            current = token.text
            other = next((r for r in roles if r != current), None)
            if other is None:
                continue
            yield Mutant("change-owner", s.file, s.line, f"owner {current} -> {other}",
                         _replace(files, s, token.start, token.end + 1, other))


def change_increment(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        tokens = s.tokens()
        upper = [t.text.upper() for t in tokens]
        is_sequence = upper[:2] in (["CREATE", "SEQUENCE"], ["ALTER", "SEQUENCE"])
        has_identity = "IDENTITY" in upper
        if not (is_sequence or has_identity):
            continue
        changed = False
        for i, word in enumerate(upper):
            if word != "INCREMENT":
                continue
            j = i + 2 if i + 1 < len(upper) and upper[i + 1] == "BY" else i + 1
            if j < len(tokens) and tokens[j].token_type == TokenType.NUMBER:
                n = int(tokens[j].text)
                new = str(n + 1 if n > 0 else n * 2)
                yield Mutant("change-increment", s.file, s.line, f"INCREMENT {n} -> {new}",
                             _replace(files, s, tokens[j].start, tokens[j].end + 1, new))
                changed = True
        if changed:
            continue
        if is_sequence and len(tokens) > 2:
            # No INCREMENT written: give it one, right after the sequence's (qualified) name.
            last = 2
            while last + 2 < len(tokens) and tokens[last + 1].token_type == TokenType.DOT:
                last += 2
            at = tokens[last].end + 1
            yield Mutant("change-increment", s.file, s.line, "INCREMENT 1 -> 2",
                         _replace(files, s, at, at, " INCREMENT BY 2"))
        elif has_identity:
            k = upper.index("IDENTITY")
            if k + 1 < len(tokens) and tokens[k + 1].token_type == TokenType.L_PAREN:
                at = tokens[k + 1].end + 1
                yield Mutant("change-increment", s.file, s.line, "identity INCREMENT 1 -> 2",
                             _replace(files, s, at, at, "INCREMENT BY 2 "))
            else:
                at = tokens[k].end + 1
                yield Mutant("change-increment", s.file, s.line, "identity INCREMENT 1 -> 2",
                             _replace(files, s, at, at, " (INCREMENT BY 2)"))


_NOT_COLUMNS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"}


def swap_columns(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        tokens = s.tokens()
        upper = [t.text.upper() for t in tokens]
        if upper[:1] != ["CREATE"] or "TABLE" not in upper[:3]:
            continue
        open_index = next((i for i, t in enumerate(tokens)
                           if t.token_type == TokenType.L_PAREN), None)
        if open_index is None or "PARTITION" in upper[:open_index]:
            continue
        items = [(a, b) for a, b in _top_level_items(tokens, open_index)
                 if upper[a] not in _NOT_COLUMNS]
        for (a1, b1), (a2, b2) in zip(items, items[1:], strict=False):
            first = s.sql[tokens[a1].start : tokens[b1].end + 1]
            second = s.sql[tokens[a2].start : tokens[b2].end + 1]
            swapped = (s.sql[: tokens[a1].start] + second
                       + s.sql[tokens[b1].end + 1 : tokens[a2].start] + first
                       + s.sql[tokens[b2].end + 1 :])
            yield Mutant("swap-columns", s.file, s.line,
                         f"swap columns {tokens[a1].text} and {tokens[a2].text}",
                         _replace(files, s, 0, len(s.sql), swapped))


_IMPLICIT = re.compile(r"_(pkey|key|fkey|check|excl|idx)\d*$")


def rename_implicit_constraint(files: Files) -> Iterator[Mutant]:
    for s in _statements(files):
        tokens = s.tokens()
        for i, token in enumerate(tokens[:-1]):
            if token.text.upper() != "CONSTRAINT" or (i > 0 and tokens[i - 1].text.upper()
                                                        in ("ON", "COMMENT")):
                continue
            if i > 0 and _words(tokens, 2) == ["COMMENT", "ON"]:
                continue
            name = tokens[i + 1]
            if not _IMPLICIT.search(name.text):
                continue
            new = name.text + "_r"
            yield Mutant("rename-implicit-constraint", s.file, s.line,
                         f"constraint {name.text} -> {new}",
                         _replace(files, s, name.start, name.end + 1, new))


#: Every operator by name, in the order they are documented.
OPERATORS: dict[str, Callable[[Files], Iterator[Mutant]]] = {
    "drop-statement": drop_statement,
    "swap-enum-labels": swap_enum_labels,
    "change-literal": change_default_or_check_literal,
    "delete-grant": delete_grant,
    "delete-comment": delete_comment,
    "change-body-token": change_function_body_token,
    "delete-row": delete_row,
    "change-owner": change_owner,
    "change-increment": change_increment,
    "swap-columns": swap_columns,
    "rename-implicit-constraint": rename_implicit_constraint,
}


def mutants(files: Sequence[tuple[str, str]], operators: Sequence[str] | None = None
            ) -> Iterator[Mutant]:
    """Every mutant of ``files`` under ``operators`` (default: all), operator by operator, in
    the order of the places they change."""
    frozen: Files = tuple((name, text) for name, text in files)
    for name in operators or list(OPERATORS):
        yield from OPERATORS[name](frozen)
