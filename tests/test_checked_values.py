"""Constants PostgreSQL's input functions refuse (issue 15): a date that is no date in a
partition bound, a default or an inserted row, a ``jsonb`` default that is no JSON, ``NOT``
of a string that is no boolean, a label an enum lacks compared with its column, a predicate
that is a constant of another type than ``boolean``. Each statement is one the fuzz run found
``squash`` exiting 0 on while PostgreSQL refuses it, or a valid neighbour; every verdict is
asked of a real PostgreSQL in the same test, so that a refusal can never be of a statement
PostgreSQL applies."""

from __future__ import annotations

import pytest

from postgresql_verdict import fold_refusal, primary_message, refusal
from schemafold.verify.cluster import Cluster

#: the tables every statement below runs after
SETUP = [
    "CREATE TYPE priority AS ENUM ('low', 'high')",
    "CREATE TABLE ticket (id int PRIMARY KEY, priority priority, note text, payload jsonb, "
    "due date, at timestamp, stamped timestamptz)",
    "CREATE TABLE reading (at date) PARTITION BY RANGE (at)",
    "CREATE TABLE event (at timestamptz) PARTITION BY RANGE (at)",
]

#: date and timestamp literals: (value, whether PostgreSQL's date input takes it)
DATES = [
    # the first field a date of digits giving fewer than year, month and day
    ("2025/* x /* y */ */-01-01", False),
    ("2026-/* x */01-01", False),
    ("2025-01 CASE -01", False),
    ("2025-01-$ 01", False),
    ("2025-01", False),
    ("2025-", False),
    ("2025.01.", False),
    ("$2025-01 x", False),
    ("12-31", False),
    # a time zone displacement alone
    ("-01-01", False),
    ("-0101", False),
    ("+01:00", False),
    # a day the calendar lacks
    ("2023-02-29", False),
    # valid neighbours: the many spellings PostgreSQL reads
    ("2025-01-01", True),
    ("2025-1-1", True),
    ("2025--01-01", True),
    ("2025-123", True),
    ("20250105", True),
    ("2025.01.05", True),
    ("1/8/1999", True),
    ("J2451187", True),
    ("Jan 5 2025", True),
    ("May 5, 2025", True),
    ("5-May-2025", True),
    ("2025-jan-05", True),
    ("Thu Jan 01 2025", True),
    ("today", True),
    (" epoch ", True),
    ("infinity", True),
    ("-infinity", True),
    ("2025*01*01", True),
    ("$2025-01-01", True),
    ("2025-01-01 /**/", True),
    ("2025-01-01 $", True),
    ("+05 2025-01-01", True),
    ("2025-01-01 10:00:00.123456", True),
    ("2025-01-01T10:00:00+02", True),
    ("2025-01-01 10:00 -08:00", True),
    ("2025-01-01 10:00:00 America/New_York", True),
    ("2025-01-01 at 10:00", True),
]


@pytest.mark.parametrize(("value", "valid"), DATES)
@pytest.mark.parametrize("place", [
    "CREATE TABLE reading_1 PARTITION OF reading FOR VALUES FROM ('{v}') TO (MAXVALUE)",
    "CREATE TABLE event_1 PARTITION OF event FOR VALUES FROM ('{v}') TO (MAXVALUE)",
    "INSERT INTO ticket (id, due) VALUES (1, '{v}')",
    "INSERT INTO ticket (id, at) VALUES (1, '{v}')",
    "ALTER TABLE ticket ADD COLUMN since timestamptz DEFAULT '{v}'",
    "ALTER TABLE ticket ALTER COLUMN due SET DEFAULT '{v}'",
])
def test_dates_postgresql_cannot_read_are_refused(pg_cluster: Cluster, pg_db: str, value: str,
                                                  valid: bool, place: str) -> None:
    statements = [*SETUP, place.format(v=value)]
    error = _postgresql_error(pg_cluster, pg_db, statements)
    assert (error is None) == valid, error
    assert _schemafold_error(statements) == error


# (statement, PostgreSQL's error or None) after SETUP
STATEMENTS: list[tuple[str, str | None]] = [
    # a string default is read by its column's type as the default is set
    ("ALTER TABLE ticket ADD COLUMN config jsonb NOT NULL DEFAULT '{} retries'",
     "invalid input syntax for type json"),
    ("ALTER TABLE ticket ALTER COLUMN payload SET DEFAULT ''",
     "invalid input syntax for type json"),
    ("CREATE TABLE hook (config json DEFAULT '{\"a\": NaN}')",
     "invalid input syntax for type json"),
    ("CREATE TABLE hook (config jsonb DEFAULT '{}'::jsonb, n int DEFAULT '1.5')",
     'invalid input syntax for type integer: "1.5"'),
    ("CREATE TABLE hook (on_ boolean DEFAULT 'maybe')",
     'invalid input syntax for type boolean: "maybe"'),
    ("CREATE TABLE hook (config jsonb DEFAULT ' {\"a\": [1, 2e400, \"x\"], \"a\": null} ', "
     "other json DEFAULT '[]'::json, n int DEFAULT ' 12 ', flag boolean DEFAULT 'of', "
     "t text DEFAULT '{} retries', d date DEFAULT 'today', v varchar(3) DEFAULT '2025-01')",
     None),
    ("CREATE TABLE hook (config jsonb DEFAULT '{} retries'::text::jsonb)", None),  # at insert
    # a string longer than a character type's length (its excess not all spaces), given for
    # a column; a DEFAULT is converted only when a row takes it
    ("CREATE TABLE code (c varchar(2));\nINSERT INTO code VALUES ('abc')",
     "value too long for type character varying(2)"),
    ("CREATE TABLE code (d char(2));\nINSERT INTO code (d) VALUES ('FR'), (')DE')",
     "value too long for type character(2)"),
    ("CREATE TABLE code (e char);\nUPDATE code SET e = 'ab'",
     "value too long for type character(1)"),
    ("CREATE DOMAIN two AS varchar(2);\nCREATE TABLE code (c two);\n"
     "INSERT INTO code VALUES ('a''b')", "value too long for type character varying(2)"),
    ("CREATE TABLE code (c varchar(2), d char(2), e char, f varchar, g bpchar);\n"
     "CREATE TABLE later (h character varying (3) DEFAULT 'abcd');\n"
     "INSERT INTO code (c, d, e, f, g) VALUES "
     "('ab  ', 'x ', 'y', 'long text', 'long text'), ('a' || '', 'éé', ' ', '', ''), "
     "('abc'::varchar(2), 'xyz'::char(2), E'\\\\', NULL, NULL)", None),
    # NOT of a string: the string is read as a boolean
    ("CREATE UNIQUE INDEX ticket_key ON ticket (id, (payload ->> NOT 'ref'))",
     'invalid input syntax for type boolean: "ref"'),
    ("CREATE VIEW v AS SELECT id FROM ticket WHERE NOT 'maybe' AND id > 0",
     'invalid input syntax for type boolean: "maybe"'),
    ("CREATE VIEW v AS SELECT NOT 'yes' AS a, NOT ' Of ' AS b, NOT 'ref' = note AS c, "
     "NOT 'ref' IS NULL AS d, note NOT LIKE 'ref' AS e, (NOT '1') AS f FROM ticket", None),
    ("CREATE VIEW v AS SELECT id FROM ticket WHERE note IS NOT DISTINCT FROM 'ref'", None),
    # a string compared with a column of an enum type is read as the enum when the view, the
    # index or the policy is made
    ("CREATE VIEW v AS SELECT t.id FROM ticket t JOIN reading r ON true "
     "WHERE t.priority = 'paid'", 'invalid input value for enum priority: "paid"'),
    ("CREATE VIEW v AS SELECT id FROM ticket WHERE 'low' <> priority OR priority "
     "IN ('high', 'urgent')", 'invalid input value for enum priority: "urgent"'),
    ("CREATE INDEX ticket_p ON ticket (id) WHERE priority > 'nope'",
     'invalid input value for enum priority: "nope"'),
    ("ALTER TABLE ticket ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON ticket "
     "USING (priority = 'nope')", 'invalid input value for enum priority: "nope"'),
    ("ALTER TYPE priority RENAME VALUE 'high' TO 'urgent';\nCREATE VIEW v AS SELECT id "
     "FROM ticket WHERE priority = 'high'", 'invalid input value for enum priority: "high"'),
    ("ALTER TYPE priority RENAME VALUE 'high' TO 'urgent';\nALTER TYPE priority ADD VALUE "
     "'mid';\nCREATE VIEW v AS SELECT id FROM ticket WHERE priority IN ('urgent', 'low') "
     "AND priority::text = 'paid' AND note = 'paid' AND (SELECT priority FROM ticket "
     "LIMIT 1) <> 'low'", None),
    ("CREATE VIEW v AS SELECT t.id FROM ticket t, (SELECT 'x' AS priority) s "
     "WHERE s.priority = 'paid'", None),
    # a condition that is one constant must be a boolean
    ("CREATE INDEX ticket_urgent ON ticket (id) WHERE priority 'high'",
     "argument of WHERE must be type boolean, not type priority"),
    ("CREATE INDEX ticket_urgent ON ticket (id) WHERE (priority 'nope')",
     'invalid input value for enum priority: "nope"'),
    ("CREATE INDEX ticket_urgent ON ticket (id) WHERE 1",
     "argument of WHERE must be type boolean, not type integer"),
    ("CREATE INDEX ticket_urgent ON ticket (id) WHERE text 'x'",
     "argument of WHERE must be type boolean, not type text"),
    ("CREATE INDEX ticket_urgent ON ticket (id) WHERE 'x'",
     'invalid input syntax for type boolean: "x"'),
    ("ALTER TABLE ticket ADD CONSTRAINT c CHECK (1.5)",
     "argument of CHECK must be type boolean, not type numeric"),
    ("CREATE TABLE hook (x int CHECK (jsonb '{}'))",
     "argument of CHECK must be type boolean, not type jsonb"),
    ("ALTER TABLE ticket ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON ticket FOR INSERT "
     "WITH CHECK (priority 'low')", "argument of POLICY must be type boolean, not type priority"),
    ("CREATE INDEX ticket_urgent ON ticket (id) WHERE 'true';\n"
     "CREATE INDEX ticket_other ON ticket (id) WHERE (bool 'on');\n"
     "CREATE INDEX ticket_third ON ticket (id) WHERE NULL;\n"
     "ALTER TABLE ticket ADD CONSTRAINT c CHECK (true), ADD CONSTRAINT d CHECK ('yes')", None),
]


@pytest.mark.parametrize(("statement", "error"), STATEMENTS)
def test_constants_postgresql_cannot_read_are_refused(pg_cluster: Cluster, pg_db: str,
                                                      statement: str,
                                                      error: str | None) -> None:
    statements = [*SETUP, *statement.split(";\n")]
    assert _postgresql_error(pg_cluster, pg_db, statements) == error
    assert _schemafold_error(statements) == error


def _postgresql_error(pg_cluster: Cluster, db: str, statements: list[str]) -> str | None:
    """PostgreSQL's primary message for the first statement it refuses, or None."""
    return primary_message(refusal(pg_cluster, db, statements))


def _schemafold_error(statements: list[str]) -> str | None:
    """The fold's message for the statement it refuses (without the column it names), or
    None."""
    error = fold_refusal(statements)
    return None if error is None else error.message.split(" (column ")[0]


