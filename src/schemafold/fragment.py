"""A piece of SQL as the history wrote it, read once: the value events and the model carry for
expressions, predicates, queries and routine texts.

Owns: :class:`Fragment`, a ``str`` (so every use of the text, and every byte rendered from it,
is unchanged) whose tokens and the answers to the questions later stages ask of it — which
names it spells, which it calls, which sequences ``nextval`` names — are computed on first use
and kept on the value. The parser's events make their SQL fields fragments (attrs converters,
:func:`fragment`), the fold's rewrites return fragments, and the fold, the dependency order,
the renderer and the rewriter query a fragment instead of tokenizing its text again.

Must not know: what a statement means, or the schema state.

It sits below ``parse`` in the import graph (``events`` imports it), so the tokenizer is
imported where a fragment is first read, not at import time: ``parse`` imports ``events``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from schemafold.names import QName

if TYPE_CHECKING:
    from sqlglot.tokenizer_core import Token

__all__ = ["KEEP_TOKENS_CHARS", "Fragment", "fragment", "fragment_or_none", "spelled_as_word"]

_T = TypeVar("_T")
_FALLBACK_NAME = re.compile(r'"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*')
#: A run of the characters a bare name is made of, from one that may start it: PostgreSQL's
#: ident_start (ASCII letters, ``_``, any non-ASCII character) then ident_cont (digits and ``$``
#: too). A name it spells is one such run of the case-folded text, or one of its ``$`` parts.
_WORD = re.compile(r"(?:[A-Za-z_]|[^\x00-\x7f])(?:[A-Za-z0-9_$]|[^\x00-\x7f])*")
#: names of at least this many bytes may be a longer word cut short (NAMEDATALEN - 1)
_NAME_BYTES = 63
_SEQUENCE_FUNCTIONS = frozenset({"nextval", "currval", "setval"})
#: The longest text whose tokens a fragment keeps (see :attr:`Fragment.tokens`).
KEEP_TOKENS_CHARS = 8192


class Fragment(str):
    """SQL text exactly as written, with its tokens read once and kept.

    Equal to, hashed like and printed like the plain string; slicing, ``strip()`` or ``+`` give
    plain strings (the caller makes a fragment again with :func:`fragment` where it keeps the
    result). The queries are computed on first use; a fragment is immutable, so they never go
    stale. Pickling keeps only the text."""

    # A str subclass cannot have non-empty __slots__; the cached answers live in __dict__.

    def __reduce__(self) -> tuple[Any, ...]:
        return (Fragment, (str(self),))

    @property
    def tokens(self) -> tuple[Token, ...]:
        """sqlglot's tokens of the text, read as :func:`schemafold.parse.tokens.tokenize` reads
        them (comments blanked, multi-word key words one token a word). Raises sqlglot's
        ``TokenError`` on text PostgreSQL could not tokenize either.

        Kept on the fragment when the text is at most :data:`KEEP_TOKENS_CHARS` long (every
        expression, predicate and most queries); a longer text (a kept data statement, a large
        routine) goes through the tokenizer's bounded cache instead, so that a history of large
        statements does not hold all their tokens for as long as the model lives."""
        kept: tuple[Token, ...] | None = self.__dict__.get("_tokens")
        if kept is not None:
            return kept
        from schemafold.parse.tokens import tokenize  # parse imports events, which imports this

        tokens = tuple(tokenize(self))
        if len(self) <= KEEP_TOKENS_CHARS:
            self.__dict__["_tokens"] = tokens
        return tokens

    @functools.cached_property
    def readable(self) -> bool:
        """Whether the tokenizer reads the text (sqlglot rejects a few exotic texts)."""
        try:
            self.tokens  # noqa: B018 - computed for its error
        except Exception:  # sqlglot's TokenError, or a tokenizer bug on exotic text
            return False
        return True

    def tokens_or_none(self) -> tuple[Token, ...] | None:
        """:attr:`tokens`, or None where the tokenizer rejects the text (for best-effort readers
        such as dependency discovery)."""
        return self.tokens if self.readable else None

    @functools.cached_property
    def _identifiers(self) -> frozenset[str]:
        from schemafold.parse.tokens import identifier_of

        return frozenset(n for t in self.tokens if (n := identifier_of(t)) is not None)

    def identifiers(self) -> frozenset[str]:
        """Every name the text spells: quoted identifiers as written, bare words folded to lower
        case (key words included: the caller matches them against names it knows)."""
        return self._identifiers

    @functools.cached_property
    def _casefolded(self) -> str:
        return self.casefold()

    def may_spell(self, name: str, folded: str | None = None) -> bool:
        """False when ``name`` is certainly not among :meth:`identifiers`, found without reading
        the tokens: a name the text spells is, case-folded, part of the case-folded text
        (folding and truncating a word keep it a part of it), unless it is written with
        escapes (``U&"\\0066"``) or doubled quotes. ``folded``: ``name.casefold()``, when the
        caller asks many texts about one name."""
        if '"' in name or "&" in self:
            return True
        return (name.casefold() if folded is None else folded) in self._casefolded

    @functools.cached_property
    def words(self) -> frozenset[str] | None:
        """The words of the case-folded text (``_WORD``, and each one's ``$`` parts): every
        name :meth:`identifiers` holds that :func:`spelled_as_word` is among them, case-folded
        (those of strings and comments too). None when the text has a ``&``, which may start
        a name written with escapes (``U&"\\0066"``)."""
        if "&" in self:
            return None
        found = set(_WORD.findall(self._casefolded))
        found.update(part for word in list(found) if "$" in word
                     for part in _WORD.findall(word.replace("$", " ")))
        return frozenset(found)

    @functools.cached_property
    def _names(self) -> tuple[tuple[QName, bool], ...]:
        from schemafold.parse.tokens import TokenType, dotted_name

        tokens = self.tokens_or_none()
        if tokens is None:
            return tuple(
                (QName.parse(m.group()), self[m.end():].lstrip().startswith("("))
                for m in _FALLBACK_NAME.finditer(self))
        found: list[tuple[QName, bool]] = []
        i, n = 0, len(tokens)
        while i < n:
            parts, j = dotted_name(tokens, i)
            if not parts:
                i += 1
                continue
            called = j < n and tokens[j].token_type == TokenType.L_PAREN
            found.append((QName.from_parts(parts), called))
            if len(parts) == 3:  # a.b.c: schema.table.column names the relation a.b
                found.append((QName(parts[0], parts[1]), False))
            elif len(parts) == 2:  # t.c: a relation t, or a schema-qualified name
                found.append((QName(None, parts[0]), False))
            i = j
        return tuple(found)

    def names(self) -> tuple[tuple[QName, bool], ...]:
        """Every (possibly qualified) name, and whether it is called (followed by ``(``).

        ``a.b.c`` gives ``b.c`` and the relation ``a.b``; ``t.c`` gives ``t.c`` and ``t`` (the
        caller decides what a qualified name means). String literals and dollar-quoted bodies
        are not read. Text the tokenizer rejects is read by a plain pattern, best effort."""
        return self._names

    def calls(self) -> tuple[QName, ...]:
        """The names called (a name followed by ``(``): functions, and casts written as calls."""
        return tuple(name for name, called in self._names if called)

    @functools.cached_property
    def _sequences(self) -> tuple[QName, ...]:
        from schemafold.parse.tokens import TokenType, identifier_of, is_string

        tokens = self.tokens_or_none() or ()
        return tuple(
            QName.parse(tokens[i + 2].text)
            for i in range(len(tokens) - 2)
            if identifier_of(tokens[i]) in _SEQUENCE_FUNCTIONS
            and tokens[i + 1].token_type == TokenType.L_PAREN
            and is_string(tokens[i + 2]))

    def sequences(self) -> tuple[QName, ...]:
        """The sequences named by ``nextval('...')``, ``currval`` or ``setval`` (the string
        read as a name)."""
        return self._sequences

    def derived(self, reader: Callable[[Fragment], _T]) -> _T:
        """``reader(self)``, computed once per fragment and reader: how a stage keeps its own
        question of a fragment (a view's output names, a routine's RETURNS types) with the
        fragment rather than asking it again. ``reader`` must be a module-level function whose
        answer depends on the text alone."""
        answers: dict[Callable[[Fragment], Any], Any] = self.__dict__.setdefault("_derived", {})
        try:
            return answers[reader]  # type: ignore[no-any-return]
        except KeyError:
            answer = answers[reader] = reader(self)
            return answer


def spelled_as_word(folded: str) -> bool:
    """Whether a name, case-folded, is found among :attr:`Fragment.words` of every text that
    spells it: one word, too short to be a longer one cut to ``NAMEDATALEN``."""
    return _WORD.fullmatch(folded) is not None and len(folded.encode()) < _NAME_BYTES


@overload
def fragment(text: str) -> Fragment: ...


@overload
def fragment(text: None) -> None: ...


def fragment(text: str | None) -> Fragment | None:
    """``text`` as a :class:`Fragment` (the same object when it is one already); None stays
    None. The converter of every SQL-text field of the events and the model."""
    if text is None or type(text) is Fragment:
        return text
    return Fragment(text)


def fragment_or_none(text: str | None) -> Fragment | None:
    """:func:`fragment` for optional fields (one signature, for attrs converters)."""
    return fragment(text)
