"""Identifiers and qualified names as PostgreSQL sees them.

Owns: folding unquoted identifiers to lower case, quoting for output, qualified names, and the
canonical spelling of type names used to key functions (``int``, ``int4`` and ``integer`` are one
type). Knows nothing of statements, events or schema state.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import attrs

_PLAIN = re.compile(r"^[a-z_][a-z0-9_$]*$")

# PostgreSQL's reserved key words (and those reserved "can be function or type"): an identifier
# spelled like one of these must be quoted on output.
RESERVED = frozenset(
    """
    all analyse analyze and any array as asc asymmetric authorization binary both case cast check
    collate collation column concurrently constraint create cross current_catalog current_date
    current_role current_schema current_time current_timestamp current_user default deferrable
    desc distinct do else end except false fetch for foreign freeze from full grant group having
    ilike in initially inner intersect into is isnull join lateral leading left like limit
    localtime localtimestamp natural not notnull null offset on only or order outer overlaps
    placing primary references returning right select session_user similar some symmetric
    system_user table tablesample then to trailing true union unique user using variadic verbose
    when where window with
    """.split()  # noqa: SIM905
)


#: PostgreSQL's NAMEDATALEN - 1: the most bytes a name keeps.
NAME_BYTES = 63


def truncate_identifier(name: str) -> str:
    """``name`` cut to the 63 bytes (UTF-8) PostgreSQL keeps of an identifier, quoted or not,
    never in the middle of a character: ``CREATE TABLE`` with a 70-byte name makes the table
    of its first 63, which that name and the cut one both name."""
    if len(name) <= NAME_BYTES // 4:
        return name
    data = name.encode()
    if len(data) <= NAME_BYTES:
        return name
    return data[:NAME_BYTES].decode(errors="ignore")


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold_case(text: str) -> str:
    """``text`` as PostgreSQL folds an unquoted name in a UTF-8 database: ASCII letters to
    lower case, every other character as written (``Übersicht`` stays ``Übersicht``)."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def fold_identifier(text: str, quoted: bool) -> str:
    """The name PostgreSQL stores for an identifier written as ``text``."""
    return truncate_identifier(text if quoted else fold_case(text))


def quote_literal(text: str) -> str:
    """``text`` as an SQL string literal (standard_conforming_strings)."""
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """``name`` as it must be written in SQL: bare when PostgreSQL would read it back unchanged."""
    if _PLAIN.match(name) and name not in RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'


@attrs.frozen(order=True)
class QName:
    """A possibly schema-qualified name; ``schema`` is None where the history wrote none."""

    schema: str | None
    name: str

    @classmethod
    def parse(cls, text: str) -> QName:
        """Read ``a``, ``"A"``, ``s.a`` or ``"s"."a b"`` into a QName (identifiers folded)."""
        return cls.from_parts(split_qualified(text))

    @classmethod
    def from_parts(cls, parts: Sequence[str]) -> QName:
        """The name the parts of a dotted name make: ``a``, ``s.a``, ``db.s.a`` (the database
        part dropped). ``parts`` holds at least one part."""
        return cls(None, parts[-1]) if len(parts) == 1 else cls(parts[-2], parts[-1])

    def sql(self) -> str:
        head = f"{quote_ident(self.schema)}." if self.schema else ""
        return head + quote_ident(self.name)

    def qualified(self, schema: str) -> QName:
        return self if self.schema else QName(schema, self.name)

    def __str__(self) -> str:
        return self.sql()


def split_qualified(text: str) -> list[str]:
    """Split ``a.b.c`` into folded parts, honouring double quotes."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i < n and text[i] == '"':
            j = i + 1
            buf = []
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    break
                buf.append(text[j])
                j += 1
            parts.append(truncate_identifier("".join(buf)))
            i = j + 1
        else:
            j = i
            while j < n and text[j] != "." and not text[j].isspace():
                j += 1
            parts.append(truncate_identifier(fold_case(text[i:j])))
            i = j
        while i < n and text[i].isspace():
            i += 1
        if i < n and text[i] == ".":
            i += 1
    return parts


#: The serial pseudo-types and the integer type of the column (and sequence) each makes.
SERIAL_TYPES = {
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
}

_TYPE_ALIASES = {
    "int": "integer",
    "int4": "integer",
    "int2": "smallint",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "float": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "character varying": "character varying",
    "decimal": "numeric",
    "dec": "numeric",
    "char varying": "character varying",
    "nchar": "character",
    "nchar varying": "character varying",
    "national char": "character",
    "national character": "character",
    "national char varying": "character varying",
    "national character varying": "character varying",
    "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone",
    "timetz": "time with time zone",
    "time": "time without time zone",
    "varbit": "bit varying",
    **SERIAL_TYPES,
}

_TYPMOD = re.compile(r"\([^()]*\)")
#: ``float(p)``: ``real`` up to 24 binary digits, ``double precision`` above (gram.y)
_FLOAT_PRECISION = re.compile(r"float\s*\(\s*(\d+)\s*\)", re.IGNORECASE)
#: an interval's fields (``interval day to second``): the type is interval, as a typmod makes it
_INTERVAL_FIELDS = re.compile(r"interval\s+(?:year|month|day|hour|minute|second)"
                              r"(?:\s+to\s+(?:month|hour|minute|second))?", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def canonical_type(text: str) -> str:
    """The canonical spelling of a type for keying functions: aliases resolved, typmods dropped,
    ``_text`` and ``text[]`` one type, array bounds and dimensions ignored, identifiers folded,
    ``float(p)`` and an interval's fields read as PostgreSQL reads them. Remembered: a fold
    asks it of every column's type for each drop of a table or type, and a history spells
    few types."""
    t = " ".join(text.strip().split())
    array = 0
    while True:
        m = re.search(r"\s*\[\s*\d*\s*\]\s*$", t)
        if not m:
            break
        t = t[: m.start()]
        array += 1
    if re.search(r"\s+array$", t, re.IGNORECASE):
        t = re.sub(r"\s+array$", "", t, flags=re.IGNORECASE)
        array += 1
    precision = _FLOAT_PRECISION.fullmatch(t)
    if precision is not None:
        t = "real" if int(precision.group(1)) <= 24 else "double precision"
    t = _TYPMOD.sub("", t).strip()
    # "timestamp(3) with time zone" leaves a double space once the typmod is gone.
    t = " ".join(t.split())
    if _INTERVAL_FIELDS.fullmatch(t):
        t = "interval"
    parts = split_qualified(t) if '"' in t else \
        [truncate_identifier(part) for part in fold_case(t).split(".")]
    base = ".".join(parts)
    if base.startswith("pg_catalog."):
        base = base[len("pg_catalog.") :]
    if base == "char" and t.endswith('"char"'):
        return '"char"' + ("[]" if array else "")  # the one-byte type, not character(1)
    if base.startswith("_") and not array:
        base, array = base[1:], 1
    base = _TYPE_ALIASES.get(base, base)
    return base + ("[]" if array else "")  # int[][] is int[]: PostgreSQL has one array type


@functools.lru_cache(maxsize=4096)
def type_base(text: str) -> tuple[str | None, str]:
    """The (schema, name) of the type ``text`` spells, arrays read as their element type: a
    column of a dropped or renamed type (or row type) is one whose base is its name. The
    schema is None when ``text`` names none (or more than two parts: then the name is the
    whole spelling)."""
    base = canonical_type(text).removesuffix("[]").removesuffix("[]")
    parts = base.split(".")
    if len(parts) == 2:
        return parts[0], parts[1]
    return None, base
