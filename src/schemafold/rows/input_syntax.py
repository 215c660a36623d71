"""What PostgreSQL's input functions refuse: a constant given for a column of a built-in type
(or an enum) that no supported server major accepts.

PostgreSQL converts an untyped string literal to its column's type when it analyzes the
statement, before any row is read, so ``INSERT INTO t (id) VALUES ('abc')`` or
``UPDATE t SET flag = 'maybe' WHERE false`` fail however many rows they would touch. The fold
evaluates such statements into rows; a value the server would refuse must stop the squash at
its statement rather than reach the consolidation.

Partition bounds are read the same way (``fold.partitions``). Every check here errs towards
accepting: a value is refused only when PostgreSQL 14 to 18 all
refuse it (PostgreSQL 16 reads ``0x1F`` and ``1_000`` as integers, so those pass), and a type
not listed is not checked. The rules were taken from the servers' answers, not from memory.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from schemafold.names import canonical_type
from schemafold.rows.literals import PLAIN_INTEGER, read_literal

__all__ = ["rejected_input", "rejected_text"]

#: the whitespace PostgreSQL's numeric and boolean input functions skip around a value
_SPACE = " \t\n\r\v\f"
_INTEGER_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}
_DECIMAL = re.compile(r"[+-]?[0-9]+")
#: forms PostgreSQL 16 and later also read (other bases, digits grouped by underscores)
_NEWER_INTEGER = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)")
_NUMBER = re.compile(r"[+-]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?")
#: what ``strtod`` reads, as ``real`` and ``double precision`` do (hexadecimal included, digits
#: grouped by underscores not)
_FLOAT = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                    r"|0[xX](?:[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?)")
_SPECIAL_NUMBERS = frozenset({"nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf"})
#: the special values ``strtod`` itself reads, as ``real`` and ``double precision`` take them
#: (``-NaN``, ``nan(123)``, ``+INFINITY``: the C library's forms, beyond PostgreSQL's own list)
_STRTOD_SPECIAL = re.compile(r"[+-]?(?:nan(?:\([0-9A-Za-z_]*\))?|inf(?:inity)?)", re.IGNORECASE)
_FLOATS = frozenset({"real", "double precision"})
_DATES = frozenset({"date", "timestamp without time zone", "timestamp with time zone"})
#: a date as ISO writes it, alone (year first: read so whatever the DateStyle)
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
_UUID = re.compile(r"\{?[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}\}?")


def rejected_input(type_text: str, value_sql: str,
                   labels: Sequence[str] | None = None) -> str | None:
    """PostgreSQL's error for ``value_sql`` (the SQL text of a value) given to a column of
    type ``type_text`` (an enum's when ``labels`` holds its labels), or None when the server
    accepts it or this module cannot tell. Only constants are checked: an untyped string
    literal, and an integer literal for an integer column."""
    kind, value = _constant(value_sql)
    if kind == "string":
        return rejected_text(type_text, value, labels)
    if kind == "number" and labels is None:
        return _out_of_range(_canonical(type_text), value)
    return None


def rejected_text(type_text: str, text: str,
                  labels: Sequence[str] | None = None) -> str | None:
    """:func:`rejected_input` for a string constant already read: ``text`` is its content."""
    if labels is not None:
        return None if text in labels else f'invalid input value for enum {type_text}: "{text}"'
    base = _canonical(type_text)
    if base in _INTEGER_RANGES:
        return _integer(base, text)
    if base == "numeric":
        return _number(base, text)
    if base in _FLOATS:
        return _float(base, text)
    if base == "boolean":
        return _boolean(text)
    if base == "uuid":
        return None if _UUID.fullmatch(text) else f'invalid input syntax for type uuid: "{text}"'
    if base in ("json", "jsonb"):
        return _json(text)
    if base in _DATES:
        return _iso_date(text) or _datetime(base, text)
    return None


#: a character type with its length: ``varchar(5)``, ``character varying (5)``, ``char``
_LENGTH_TYPE = re.compile(r"(character\s+varying|varchar|character|char|bpchar)"
                          r"\s*(?:\(\s*(\d+)\s*\))?", re.IGNORECASE)


def too_long(type_text: str, value_sql: str) -> str | None:
    """PostgreSQL's error for a string constant (``value_sql``, SQL text) longer than the
    length of a character type (``type_text``), its excess not all spaces, or None. An
    ``INSERT``'s value and an ``UPDATE``'s ``SET`` are converted when the statement is
    analyzed, so they fail even when no row is written; a column's ``DEFAULT`` is converted
    only when a row takes it (``DEFAULT 'abc'`` for a ``varchar(2)`` is accepted)."""
    found = _LENGTH_TYPE.fullmatch(type_text.strip())
    if found is None:
        return None
    kind = " ".join(found.group(1).lower().split())
    length = found.group(2)
    if length is None:
        if kind != "character" and kind != "char":
            return None  # varchar and bpchar without a length take any
        length = "1"
    constant, value = _constant(value_sql)
    if constant != "string" or "\\" in value or len(value.rstrip(" ")) <= int(length):
        return None  # (a backslash is an escape where standard_conforming_strings is off)
    name = "character varying" if kind in ("varchar", "character varying") else "character"
    return f"value too long for type {name}({int(length)})"


#: a column's type, canonical: asked once per value of a long INSERT, of a handful of types
_canonical = functools.lru_cache(maxsize=256)(canonical_type)


def _constant(value_sql: str) -> tuple[str | None, Any]:
    """The kind and value of an uncast constant; (None, None) for anything else. The plain
    forms (``'text'``, ``42``) are read without the tokenizer: a long ``INSERT`` holds
    thousands of them."""
    if len(value_sql) >= 2 and value_sql[0] == "'" and value_sql[-1] == "'" \
            and "'" not in value_sql[1:-1]:
        return "string", value_sql[1:-1]
    if PLAIN_INTEGER.fullmatch(value_sql):
        return "number", Decimal(value_sql)
    literal = read_literal(value_sql)
    if literal is None or literal[2] is not None:
        return None, None
    return literal[0], literal[1]


def _out_of_range(base: str, value: Decimal) -> str | None:
    bounds = _INTEGER_RANGES.get(base)
    if bounds is None or value != value.to_integral_value():
        return None
    if bounds[0] <= value <= bounds[1]:
        return None
    return f"{base} out of range"


def _integer(base: str, text: str) -> str | None:
    stripped = text.strip(_SPACE)
    if _DECIMAL.fullmatch(stripped):
        low, high = _INTEGER_RANGES[base]
        if low <= Decimal(stripped) <= high:  # no digit limit, unlike int()
            return None
        return f'value "{text}" is out of range for type {base}'
    if _NEWER_INTEGER.fullmatch(stripped):
        return None
    return f'invalid input syntax for type {base}: "{text}"'


def _number(base: str, text: str) -> str | None:
    stripped = text.strip(_SPACE)
    if _NUMBER.fullmatch(stripped) or _NEWER_INTEGER.fullmatch(stripped) \
            or stripped.lower() in _SPECIAL_NUMBERS:
        return None
    return f'invalid input syntax for type {base}: "{text}"'


def _float(base: str, text: str) -> str | None:
    stripped = text.strip(_SPACE)
    if _FLOAT.fullmatch(stripped) or _STRTOD_SPECIAL.fullmatch(stripped):
        return None
    return f'invalid input syntax for type {base}: "{text}"'


def _boolean(text: str) -> str | None:
    word = text.strip(_SPACE).lower()
    if word and any(full.startswith(word) for full in ("true", "false", "yes", "no")):
        return None
    if word in ("on", "of", "off", "1", "0"):
        return None
    return f'invalid input syntax for type boolean: "{text}"'


def _iso_date(text: str) -> str | None:
    """``YYYY-MM-DD`` with a year, month or day the calendar lacks; other spellings of dates and
    times (``Jan 5 2025``, ``today``, a time after the date) are not checked."""
    import calendar

    found = _ISO_DATE.fullmatch(text)
    if found is None:
        return None
    year, month, day = (int(g) for g in found.groups())
    if year >= 1 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f'date/time field value out of range: "{text}"'


#: the name PostgreSQL's date and timestamp input functions give their type in their errors
_DATETIME_NAMES = {"date": "date", "timestamp without time zone": "timestamp",
                   "timestamp with time zone": "timestamp with time zone"}
#: every word PostgreSQL's date and timestamp input may read after a date, lowercase, from the
#: servers themselves: the key words of ``datetktbl`` (month and day names, ``today``,
#: ``allballs``, ``ad``, units), the time zone abbreviations of every ``timezonesets`` file
#: PostgreSQL 15 and 18 ship, the all-letter abbreviations any zone of the tz database has had
#: (PostgreSQL 18 also reads those of the session's zone, ``lmt``) and the all-letter zone names
#: (``japan``, ``utc``; read as zones from 16 on, and as abbreviations before). Each word of four
#: letters or fewer that PostgreSQL 15 or 18 takes after ``2024-01-01`` is here; a word not here
#: is refused by both.
_DATETIME_WORD_LIST = """
    acdt acsst acst act acwst ad addt admt adt aedt aesst aest aft ahdt ahst akdt akst allballs
    almst almt am amst amt anast anat apr april apt aqtst aqtt arst art ast at aug august awdt
    awsst awst awt azost azot azst azt bc bdst bdt bmt bnt bort bot bra brst brt bst btt cadt
    cast cat cct cdt cemt cest cet cetdst chadt chast chost chot chst chut cit ckt clst clt cmt
    cot cpt cst cuba cvt cwst cwt cxt d davt ddut dec december dmt dow doy dst easst east eat
    ect edt eest eet eetdst egst egt egypt eire eit emt epoch ept est ewt factory feb february
    fet ffmt fjst fjt fkst fkt fmt fnst fnt fri friday galt gamt gb gdt gest get gft gilt gmt
    greenwich gst gyt h hadt hast hdt hkst hkt hkwt hmt hongkong hovst hovt hpt hst hwt iceland
    ict iddt idt imt infinity iot iran irdt irkst irkt irst irt isodow isoyear israel ist j
    jamaica jan january japan jayt jd jdt jmt jst jul julian july jun june kdt kgst kgt kmt
    kost krast krat kst kwajalein lhdt lhst libya ligt lint lkt lmt localtime lst m magst magt
    mar march mart mawt may mdst mdt mest mesz met metdst mez mht mist mm mmt mon monday mpt
    msd msk mst must mut mvt mwt myt navajo nct nddt ndt nft nov november novst novt now npt
    nrt nst nut nwt nz nzdt nzmt nzst nzt oct october omsst omst on orat pdt pet petst pett pgt
    phot pht pkst pkt plmt pm pmdt pmmt pmst pmt poland pont portugal posixrules ppmt ppt prc
    pst pwt pyst pyt qmt qyzt ret rmt roc rok rott s sadt sakst sakt samst samt sast sat
    saturday sbt sct sdmt sep sept september set sgt singapore sjmt smt sret srt sst sun sunday
    syot t taht tbmt tft thu thur thurs thursday tjt tkt tlt tmt today tomorrow tot trut tue
    tues tuesday turkey tvt uct ulast ulat universal ut utc uyst uyt uzst uzt vet vlast vlat
    volt vost vut wadt wakt wast wat wdt wed wednesday weds wemt west wet wetdst wft wgst wgt
    wib wit wita wmt wsdt wsst wst xjt y yakst yakt yapt yddt ydt yekst yekt yesterday ypt yst
    ywt z zmt zulu
"""
_DATETIME_WORDS = frozenset(_DATETIME_WORD_LIST.split())
#: an ISO date then one word, as ``'2024-01-01 made'``
_ISO_DATE_WORD = re.compile(r"[ \t\n\r\v\f]*([0-9]{4})-([0-9]{2})-([0-9]{2})[ \t\n\r\v\f]+"
                            r"([A-Za-z]+)[ \t\n\r\v\f]*")
#: an ISO date then one field of digits alone, as ``'2026-01-01 01'``
_ISO_DATE_DIGITS = re.compile(r"[ \t\n\r\v\f]*([0-9]{4})-([0-9]{2})-([0-9]{2})[ \t\n\r\v\f]+"
                              r"([0-9]+)[ \t\n\r\v\f]*")
#: a number alone, then a date of digits, then anything (``'2024 2025-01-01'``)
_NUMBER_THEN_DATE = re.compile(r"[ \t\n\r\v\f]*[0-9]+[ \t\n\r\v\f]+[0-9]+-[0-9]+-[0-9]+"
                               r"(?:[ \t\n\r\v\f].*)?", re.DOTALL)
#: the largest hour of a time zone displacement (``MAX_TZDISP_HOUR``)
_MAX_ZONE_HOUR = 15


def _datetime(base: str, text: str) -> str | None:
    """Two shapes of date or timestamp PostgreSQL's ``ParseDateTime`` and ``DecodeDateTime``
    refuse whatever follows and whatever the settings (``DateStyle``, time zone names and
    abbreviations), asked of PostgreSQL 15 to 18:

    - the first field a date of digits whose parts give fewer than year, month and day
      (``'2025-01'``, ``'2025-'``, ``'2025-01-$ 01'``): ``DecodeDate`` wants the whole date
      from it: two parts of digits make one only as a year and a day of the year, a part of
      3 digits (``'2025-032'``); ``'202501-01'`` is refused like ``'2025-01'``;
    - the whole value one signed number, a time zone displacement without a date (``'-01-01'``,
      ``'+05:30'``).

    - an ISO date of a day that exists then one word PostgreSQL reads neither as a key word, a
      time zone abbreviation nor a zone's name (``'2024-01-01 made'``; ``_DATETIME_WORDS``).

    - a sign that starts a field followed by neither a digit nor a letter (``'2025 --01-01'``,
      ``'2024-01-01 -'``): ``ParseDateTime`` splits the value into fields first and refuses
      that whatever follows (:func:`_fields_refused`); a field that is a point alone after
      numbers and a date of digits (``'2024 \\. 01-01'``), which no field before it makes
      an error of other words.

    - an ISO date of a day that exists then one field of digits alone, of other than 4 or 6
      digits (``'2026-01-01 01'``): with the date whole, the digits are a time, ``hhmm`` or
      ``hhmmss``.

    - a field of digits alone then a date of three parts of digits (``'2024 2025-01-01'``):
      the number takes the year, month or day (by its length and ``DateStyle``), or the whole
      date (six digits or more), and the date's parts then set one of those twice.

    Anything else (other words, times, zones, the many other spellings of dates) is not
    judged."""
    if _fields_refused(text) or _NUMBER_THEN_DATE.fullmatch(text):
        return f'invalid input syntax for type {_DATETIME_NAMES[base]}: "{text}"'
    if not any(c.isdigit() for c in text):
        return None
    timed = _ISO_DATE_DIGITS.fullmatch(text)
    if timed is not None and len(timed.group(4)) not in (4, 6) and \
            _iso_date(f"{timed.group(1)}-{timed.group(2)}-{timed.group(3)}") is None:
        # with the whole date read, a field of digits is a time: hhmm or hhmmss, no other
        # length (DecodeNumberField)
        return f'invalid input syntax for type {_DATETIME_NAMES[base]}: "{text}"'
    dated = _ISO_DATE_WORD.fullmatch(text)
    if dated is not None:
        word = dated.group(4).lower()
        # the server compares key words and abbreviations on their first ten letters
        if word in _DATETIME_WORDS or word[:10] in _DATETIME_WORDS \
                or _iso_date(f"{dated.group(1)}-{dated.group(2)}-{dated.group(3)}"):
            return None
        return f'invalid input syntax for type {_DATETIME_NAMES[base]}: "{text}"'
    first = _first_datetime_field(text)
    if first is None:
        return None
    kind, field, rest = first
    name = _DATETIME_NAMES[base]
    syntax = f'invalid input syntax for type {name}: "{text}"'
    if kind == "date":
        parts = re.findall(r"[0-9]+|[A-Za-z]+", field)
        if len(parts) < 3 and all(p.isdigit() and len(p) != 3 for p in parts):
            return syntax
        return None
    if kind == "zone" and not rest.strip(_SPACE):
        return _zone_alone(field, text) or syntax
    return None


_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: what C's ``ispunct`` takes in ASCII: printable, neither a letter, a digit nor a space
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _fields_refused(text: str) -> bool:
    """Whether ``ParseDateTime`` (PostgreSQL 15 to 18, the same code) refuses ``text`` while
    splitting it into fields, before any field is read: a sign starting a field (the fields
    before it ended) then, past spaces, neither a digit nor a letter; or a character that is
    neither a space, a digit, a letter, a sign, a point nor punctuation (a control
    character). Also a field that is a point alone (``'2024 \\. 01-01'``, ``'2024-01-01 .'``:
    a point starting a field, no digit after it), which ``DecodeDateTime`` refuses when it
    reads that field, after only numbers and a first field that is a date of digits, none of
    ten digits or more (which it reads without an error of other words: a time, a zone, a
    later date or a word before it may be out of range or unknown first). Only ASCII text of
    a few fields is judged (a letter outside ASCII depends on the server's locale; many
    fields or a long text fail otherwise); a word then a digit or ``+`` (whose field's end
    depends on the server's key words) is not judged either."""
    if not text.isascii() or len(text) > 60:
        return False
    at, end, fields = 0, len(text), 0
    plain = True  # every field so far a number or a date of digits, each part under ten digits

    def run(allowed: frozenset[str] | str) -> None:
        nonlocal at
        while at < end and text[at] in allowed:
            at += 1

    while at < end:
        char = text[at]
        if char in _SPACE:
            at += 1
            continue
        fields += 1
        if fields > 25:  # MAXDATEFIELDS
            return False
        if char in _DIGITS:
            start = at
            run(_DIGITS)
            if at < end and text[at] == ":":
                at += 1
                run(_DIGITS | {":", "."})
                plain = False
            elif at < end and text[at] in "-/.":
                delim = text[at]
                at += 1
                if at < end and text[at] in _DIGITS:
                    run(_DIGITS)
                    if at < end and text[at] == delim:
                        run(_DIGITS | {delim})
                else:
                    run(_DIGITS | _LETTERS | {delim})
                    plain = False
                # a date after another field may be read as a time and a zone (hhmmss-zz)
                plain = plain and delim != "." and text[at - 1] != delim and fields == 1
            plain = plain and all(len(part) < 10 for part in re.split("[-/]", text[start:at]))
        elif char == ".":
            at += 1
            if plain and (at == end or text[at] not in _DIGITS):
                return True  # a point alone: DecodeDateTime reads no number in it
            run(_DIGITS)
            plain = False
        elif char in _LETTERS:
            plain = False
            run(_LETTERS)
            if at < end and (text[at] == "+" or text[at] in _DIGITS):
                return False  # the field's end depends on datetktbl
            if at < end and text[at] in "-/.":
                at += 1
                run(_DIGITS | _LETTERS | set("+-/_.:"))
        elif char in "+-":
            plain = False
            at += 1
            run(_SPACE)
            if at < end and text[at] in _DIGITS:
                run(_DIGITS | {":", ".", "-"})
            elif at < end and text[at] in _LETTERS:
                run(_LETTERS)
            else:
                return True
        elif char in _PUNCTUATION:
            fields -= 1
            at += 1
        else:
            return True
    return False


def _first_datetime_field(text: str) -> tuple[str, str, str] | None:
    """The first field ``ParseDateTime`` reads from ``text``: ``date`` (digits then ``-``,
    ``/`` or ``.``, a three-part date or a date with a word in it), ``zone`` (a sign and
    digits), with its text and what follows it; None for other fields. Punctuation before it is
    skipped, as the server skips it."""
    at, end = 0, len(text)
    while at < end and text[at].isascii() and not text[at].isalnum() and text[at] not in "+-.":
        at += 1  # spaces and punctuation between fields
    if at == end or not text[at].isascii():
        return None
    start = at
    if text[at] in "+-":
        at += 1
        while at < end and text[at] in _SPACE:
            at += 1
        if at == end or not text[at].isascii() or not text[at].isdigit():
            return None
        digits = at
        while at < end and (text[at].isascii() and text[at].isdigit() or text[at] in ":.-"):
            at += 1
        return "zone", text[start] + text[digits:at], text[at:]
    if not (text[at].isascii() and text[at].isdigit()):
        return None
    while at < end and text[at].isascii() and text[at].isdigit():
        at += 1
    if at == end or text[at] not in "-/.":
        return None
    delim = text[at]
    at += 1
    if at < end and text[at].isascii() and text[at].isdigit():
        while at < end and text[at].isascii() and text[at].isdigit():
            at += 1
        if at == end or text[at] != delim:
            return None if delim == "." else ("date", text[start:at], text[at:])
        while at < end and (text[at].isascii() and text[at].isdigit() or text[at] == delim):
            at += 1
        return "date", text[start:at], text[at:]
    while at < end and (text[at].isascii() and text[at].isalnum() or text[at] == delim):
        at += 1
    return "date", text[start:at], text[at:]


def _zone_alone(field: str, text: str) -> str | None:
    """``DecodeTimezone``'s range error for a displacement (``'-99'``), or None."""
    found = re.match(r"[+-]([0-9]+)(?::(-?[0-9]+)?(?::(-?[0-9]+)?)?)?", field)
    assert found is not None
    hour, minute, second = int(found.group(1)), int(found.group(2) or 0), \
        int(found.group(3) or 0)
    if ":" not in field and found.end() == len(field) and len(field) > 3:
        hour, minute = divmod(hour, 100)
    if hour > _MAX_ZONE_HOUR or not 0 <= minute < 60 or not 0 <= second < 60:
        return f'time zone displacement out of range: "{text}"'
    return None


def _refuse_constant(name: str) -> object:
    raise ValueError(name)


def _json(text: str) -> str | None:
    try:
        # numbers kept as text: Python limits the digits it converts, the server does not
        json.loads(text, parse_constant=_refuse_constant, parse_int=str, parse_float=str)
    except RecursionError:
        return None  # deeper than Python reads: the server may read it
    except ValueError:
        return "invalid input syntax for type json"
    return None
