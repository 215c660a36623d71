"""Values of the interpreted subset, and the errors it raises.

Owns: how a value is written as text (PostgreSQL's output functions for the types the subset
knows: integers, numerics, booleans, text, arrays, dates, object identifiers), ``format()``,
``quote_ident``/``quote_literal``/``quote_nullable``, casts between those types, and the two ways
interpretation stops: ``GiveUp`` (outside the subset: the statement stays an opaque barrier) and
``PlpgsqlError`` (PostgreSQL would raise this error here; handlers may catch it).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.names import QName, quote_ident

Value = Any  # None (NULL), bool, int, Decimal, str, datetime.date, Oid, list, Record


class GiveUp(Exception):  # noqa: N818 - a reason, not a failure
    """The code does something outside the deterministic subset: nothing it did is kept."""


class PlpgsqlError(Exception):
    """An error PostgreSQL raises at this point: ``condition`` is its name
    (``duplicate_table``), ``sqlstate`` its code."""

    def __init__(self, condition: str, sqlstate: str, message: str) -> None:
        super().__init__(message)
        self.condition = condition
        self.sqlstate = sqlstate
        self.message = message


#: The conditions handlers may name, by their SQLSTATE (PostgreSQL's errcodes.txt).
SQLSTATES = {
    "raise_exception": "P0001",
    "assert_failure": "P0004",
    "no_data_found": "P0002",
    "too_many_rows": "P0003",
    "duplicate_object": "42710",
    "duplicate_table": "42P07",
    "duplicate_column": "42701",
    "duplicate_function": "42723",
    "duplicate_schema": "42P06",
    "invalid_table_definition": "42P16",
    "undefined_object": "42704",
    "undefined_table": "42P01",
    "undefined_column": "42703",
    "undefined_function": "42883",
    "invalid_schema_name": "3F000",
    "division_by_zero": "22012",
    "null_value_not_allowed": "22004",
    "invalid_parameter_value": "22023",
    "invalid_text_representation": "22P02",
    "numeric_value_out_of_range": "22003",
    "string_data_right_truncation": "22001",
    "wrong_object_type": "42809",
    "dependent_objects_still_exist": "2BP01",
    "syntax_error": "42601",
    "feature_not_supported": "0A000",
    "unique_violation": "23505",
    "check_violation": "23514",
    "not_null_violation": "23502",
    "foreign_key_violation": "23503",
}
#: Classes a condition name covers besides itself (``others`` is handled by the runner).
CLASSES = {
    "integrity_constraint_violation": "23",
    "syntax_error_or_access_rule_violation": "42",
    "data_exception": "22",
}


def error(condition: str, message: str) -> PlpgsqlError:
    return PlpgsqlError(condition, SQLSTATES[condition], message)


@attrs.frozen
class Oid:
    """An object identifier: ``kind`` is namespace, class, type, proc; ``key`` the model key."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: str
    schema: str | None
    name: str
    visible: bool = True  # resolved through search_path (output unqualified)

    def text(self) -> str:
        if self.kind == "namespace" or self.schema is None:
            return quote_ident(self.name)
        if self.visible:
            return quote_ident(self.name)
        return QName(self.schema, self.name).sql()


@attrs.frozen
class Unknown:
    """A catalog value the fold does not know (the output columns of a view written without a
    column list): using it gives up."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    what: str


@attrs.frozen
class Record:
    """A row: field names in order, and their values."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    fields: tuple[str, ...]
    values: tuple[Value, ...]

    def get(self, name: str) -> Value:
        if name not in self.fields:
            raise error("undefined_column", f'record has no field "{name}"')
        return self.values[self.fields.index(name)]


class TimestampTz(datetime.datetime):
    """A ``timestamp with time zone`` (``generate_series`` over dates gives them): its text
    depends on the session's TimeZone, so it is never written as text; as a date it is the day
    it was made from."""


@attrs.frozen
class Interval:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash
    months: int = 0
    days: int = 0


def output(value: Value) -> str | None:
    """The text PostgreSQL's output function writes for ``value`` (None for NULL)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, TimestampTz):
        raise GiveUp("a timestamp with time zone written as text (it depends on TimeZone)")
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Oid):
        return value.text()
    if isinstance(value, list):
        return "{" + ",".join(_array_item(v) for v in value) + "}"
    if isinstance(value, Record):
        raise GiveUp("a record written as text")
    if isinstance(value, Unknown):
        raise GiveUp(f"{value.what}, which the fold does not know")
    if isinstance(value, Interval):
        raise GiveUp("an interval written as text")
    raise GiveUp(f"a value of type {type(value).__name__}")


def _array_item(value: Value) -> str:
    text = output(value)
    if text is None:
        return "NULL"
    if text == "" or re.search(r'[{},"\\\s]', text) or text.upper() == "NULL":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def quote_literal(value: Value) -> str | None:
    text = output(value)
    if text is None:
        return None
    quoted = "'" + text.replace("'", "''") + "'"
    if "\\" in text:
        return "E" + quoted.replace("\\", "\\\\")
    return quoted


def quote_nullable(value: Value) -> str:
    quoted = quote_literal(value)
    return "NULL" if quoted is None else quoted


def quote_identifier(value: Value) -> str | None:
    text = output(value)
    return None if text is None else quote_ident(text)


_SPEC = re.compile(r"%(?:(\d+)\$)?(-)?(\d+|\*)?([sIL%])?")


def format_text(template: str | None, args: list[Value]) -> str | None:
    """PostgreSQL's ``format(formatstr, args...)``."""
    if template is None:
        return None
    out: list[str] = []
    i = 0
    position = 0
    while i < len(template):
        ch = template[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        match = _SPEC.match(template, i)
        if match is None or match.group(4) is None:
            raise error("invalid_parameter_value", "unterminated format() type specifier")
        index, minus, width, kind = match.groups()
        i = match.end()
        if kind == "%":
            out.append("%")
            continue
        if width == "*":
            raise GiveUp("format() with a width argument")
        if index is not None:
            position = int(index)
        else:
            position += 1
        if position < 1 or position > len(args):
            raise error("invalid_parameter_value", "too few arguments for format()")
        value = args[position - 1]
        if kind == "I":
            if value is None:
                raise error("null_value_not_allowed",
                            "null values cannot be formatted as an SQL identifier")
            text = quote_identifier(value) or ""
        elif kind == "L":
            text = quote_nullable(value)
        else:
            text = output(value) or ""
        if width is not None:
            text = text.ljust(int(width)) if minus else text.rjust(int(width))
        out.append(text)
    return "".join(out)


# -- casts ------------------------------------------------------------------------------------

_INT_TYPES = {"int", "integer", "int4", "int2", "int8", "smallint", "bigint", "serial",
              "bigserial"}
_TEXT_TYPES = {"text", "varchar", "character varying", "name", "char", "character", "bpchar",
               "citext"}
_NUMERIC_TYPES = {"numeric", "decimal"}
_BOOL_TYPES = {"boolean", "bool"}


def type_family(type_text: str) -> str:
    """``int``, ``text``, ``numeric``, ``bool``, ``date``, ``record``, ``array``, ``regclass``,
    ``regtype``, ``regnamespace``, ``interval``; anything else gives up."""
    t = " ".join(type_text.lower().replace("pg_catalog.", "").split())
    if t.endswith("[]") or t.startswith("_"):
        return "array"
    t = re.sub(r"\s*\(.*\)$", "", t)
    if t in _INT_TYPES:
        return "int"
    if t in _TEXT_TYPES:
        return "text"
    if t in _NUMERIC_TYPES:
        return "numeric"
    if t in _BOOL_TYPES:
        return "bool"
    if t in ("timestamp", "timestamp without time zone"):
        return "timestamp"
    if t in ("date", "record", "regclass", "regtype", "regnamespace", "interval", "oid"):
        return t
    if t.endswith("%rowtype"):
        return "record"
    raise GiveUp(f"a value of type {type_text}")


def cast(value: Value, family: str) -> Value:
    """``value::type`` for a type family of ``type_family`` (object identifiers are cast by the
    runner, which knows the catalog)."""
    if value is None:
        return None
    if family == "text":
        if isinstance(value, bool):
            return "true" if value else "false"
        return output(value)
    if family == "int":
        if isinstance(value, bool):
            raise GiveUp("a boolean cast to integer")
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal):
            return int(value.to_integral_value(rounding="ROUND_HALF_UP"))
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise error("invalid_text_representation",
                            f'invalid input syntax for type integer: "{value}"') from None
        raise GiveUp(f"a {type(value).__name__} cast to integer")
    if family == "numeric":
        if isinstance(value, bool):
            raise GiveUp("a boolean cast to numeric")
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, str):
            try:
                return Decimal(value.strip())
            except InvalidOperation:
                raise error("invalid_text_representation",
                            f'invalid input syntax for type numeric: "{value}"') from None
        raise GiveUp(f"a {type(value).__name__} cast to numeric")
    if family == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str):
            word = value.strip().lower()
            if word in ("t", "true", "y", "yes", "on", "1"):
                return True
            if word in ("f", "false", "n", "no", "off", "0"):
                return False
            raise error("invalid_text_representation",
                        f'invalid input syntax for type boolean: "{value}"')
        raise GiveUp(f"a {type(value).__name__} cast to boolean")
    if family == "timestamp":
        if isinstance(value, TimestampTz):
            return datetime.datetime.combine(value.date(), value.time())
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            return datetime.datetime(value.year, value.month, value.day)
        if isinstance(value, str):
            try:
                return datetime.datetime.fromisoformat(value.strip())
            except ValueError:
                raise GiveUp(f"a timestamp written {value!r}") from None
        raise GiveUp(f"a {type(value).__name__} cast to timestamp")
    if family == "date":
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise GiveUp(f"a date written {value!r}") from None
        raise GiveUp(f"a {type(value).__name__} cast to date")
    if family == "interval":
        if isinstance(value, Interval):
            return value
        if isinstance(value, str):
            return parse_interval(value)
        raise GiveUp(f"a {type(value).__name__} cast to interval")
    if family == "array":
        if isinstance(value, list):
            return value
        if isinstance(value, str):
            return parse_array(value)
        raise GiveUp("a cast to an array")
    if family == "record":
        if isinstance(value, Record):
            return value
        raise GiveUp("a cast to a record")
    raise GiveUp(f"a cast to {family}")


_INTERVAL_PART = re.compile(r"\s*([+-]?\d+)\s*(years?|months?|mons?|days?|weeks?)\s*", re.I)


def parse_interval(text: str) -> Interval:
    months = days = 0
    pos = 0
    text = text.strip()
    if not text:
        raise GiveUp("an empty interval")
    while pos < len(text):
        match = _INTERVAL_PART.match(text, pos)
        if match is None:
            raise GiveUp(f"an interval written {text!r}")
        n, unit = int(match.group(1)), match.group(2).lower()
        if unit.startswith("year"):
            months += 12 * n
        elif unit.startswith("mon"):
            months += n
        elif unit.startswith("week"):
            days += 7 * n
        else:
            days += n
        pos = match.end()
    return Interval(months, days)


def add_interval(date: datetime.date, interval: Interval, sign: int = 1) -> datetime.datetime:
    """``date + interval``: a timestamp, as in PostgreSQL."""
    months = date.month - 1 + sign * interval.months
    year = date.year + months // 12
    month = months % 12 + 1
    day = date.day
    while True:
        try:
            moved = datetime.date(year, month, day)
            break
        except ValueError:
            day -= 1  # the end of a shorter month, as PostgreSQL does
    moved += datetime.timedelta(days=sign * interval.days)
    if isinstance(date, TimestampTz):
        return TimestampTz.combine(moved, date.time())
    if isinstance(date, datetime.datetime):
        return datetime.datetime.combine(moved, date.time())
    return datetime.datetime(moved.year, moved.month, moved.day)


def parse_array(text: str) -> list[Value]:
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise error("invalid_text_representation", f'malformed array literal: "{text}"')
    inner = text[1:-1]
    if not inner.strip():
        return []
    items: list[Value] = []
    i = 0
    while i <= len(inner):
        while i < len(inner) and inner[i].isspace():
            i += 1
        if i < len(inner) and inner[i] == '"':
            j = i + 1
            buf = []
            while j < len(inner) and inner[j] != '"':
                if inner[j] == "\\":
                    j += 1
                buf.append(inner[j])
                j += 1
            items.append("".join(buf))
            i = j + 1
            while i < len(inner) and inner[i] != ",":
                i += 1
        else:
            j = inner.find(",", i)
            j = len(inner) if j < 0 else j
            item = inner[i:j].strip()
            if "{" in item:
                raise GiveUp("a multidimensional array")
            items.append(None if item.upper() == "NULL" else item)
            i = j
        i += 1
    return items


_TO_CHAR_DATE = re.compile(r"YYYY|MM|DD|FM")


def to_char(value: Value, template: str | None) -> str | None:
    if value is None or template is None:
        return None
    if isinstance(value, datetime.date):
        parts = {"YYYY": f"{value.year:04d}", "MM": f"{value.month:02d}",
                 "DD": f"{value.day:02d}"}
        rest = _TO_CHAR_DATE.sub("", template)
        if re.search(r"[A-Za-z]", rest):
            raise GiveUp(f"to_char with template {template!r}")
        return _TO_CHAR_DATE.sub(lambda m: parts.get(m.group(), ""), template)
    if isinstance(value, int) and not isinstance(value, bool):
        fill = not template.startswith("FM")
        digits = template if fill else template[2:]
        if not digits or set(digits) - {"0", "9"}:
            raise GiveUp(f"to_char with template {template!r}")
        text = str(abs(value))
        sign = "-" if value < 0 else (" " if fill else "")
        if len(text) > len(digits):
            return sign + "#" * len(digits)
        first_zero = digits.find("0")
        text = text.rjust(len(digits) - first_zero if first_zero >= 0 else 1, "0")
        out = sign + text
        return out.rjust(len(digits) + 1) if fill else out
    raise GiveUp("to_char of this type")
