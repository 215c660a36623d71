"""Type names PostgreSQL knows without the history creating them, for telling a column type that
does not exist (``int$``, ``bo$x$olean``: ``type "int$" does not exist``) from one that does.

Owns: the built-in type names of ``pg_catalog`` (asked of PostgreSQL 15: ``SELECT typname FROM
pg_type WHERE typnamespace = 'pg_catalog'::regnamespace``, arrays ``_x`` and the catalogs' row
types ``pg_x`` matched by their prefix), the grammar's own spellings (``integer``, ``double
precision``, ``serial``...), and :func:`type_name`, the name a column's type text names.

Must not know: the schema state (the fold asks it for the history's own types).
"""

from __future__ import annotations

from schemafold.fragment import fragment
from schemafold.names import QName
from schemafold.parse.tokens import TokenType, dotted_name, word

#: ``SELECT typname FROM pg_type WHERE typnamespace = 'pg_catalog'::regnamespace`` on
#: PostgreSQL 15, without the arrays (``_int4``) and catalog row types (``pg_class``), which
#: :func:`builtin` takes by their prefix.
PG_CATALOG_TYPES = frozenset("""
    aclitem any anyarray anycompatible anycompatiblearray anycompatiblemultirange
    anycompatiblenonarray anycompatiblerange anyelement anyenum anymultirange anynonarray
    anyrange bit bool box bpchar bytea char cid cidr circle cstring date datemultirange
    daterange event_trigger fdw_handler float4 float8 gtsvector index_am_handler inet int2
    int2vector int4 int4multirange int4range int8 int8multirange int8range internal interval
    json jsonb jsonpath language_handler line lseg macaddr macaddr8 money name numeric
    nummultirange numrange oid oidvector path point polygon record refcursor regclass
    regcollation regconfig regdictionary regnamespace regoper regoperator regproc regprocedure
    regrole regtype table_am_handler text tid time timestamp timestamptz timetz trigger
    tsm_handler tsmultirange tsquery tsrange tstzmultirange tstzrange tsvector txid_snapshot
    unknown uuid varbit varchar void xid xid8 xml
""".split())  # noqa: SIM905

#: Names the grammar reads as a type without pg_type having them (``integer`` is int4), the
#: serial pseudo-types of column definitions, and names of other majors.
GRAMMAR_TYPES = frozenset("""
    int integer smallint bigint real float double decimal dec boolean character nchar national
    serial serial2 serial4 serial8 smallserial bigserial abstime reltime tinterval smgr opaque
    pg_snapshot
""".split())  # noqa: SIM905

#: First words of the SQL types of more than one word, and of keyword types with modifiers.
_KEYWORD_STARTS = frozenset(("DOUBLE", "NATIONAL", "CHARACTER", "CHAR", "NCHAR", "BIT",
                             "TIME", "TIMESTAMP", "INTERVAL", "VARCHAR", "NUMERIC", "DECIMAL",
                             "DEC", "FLOAT", "INT", "INTEGER", "SMALLINT", "BIGINT", "REAL",
                             "BOOLEAN"))


def builtin(name: str) -> bool:
    """Whether ``name`` (unqualified, or in ``pg_catalog``) is a type PostgreSQL always has."""
    return (name in PG_CATALOG_TYPES or name in GRAMMAR_TYPES or name.startswith("_")
            or name.startswith("pg_"))


def type_name(type_text: str) -> QName | None:
    """The (possibly qualified) name a column's type names, without modifiers or array bounds;
    None for the grammar's keyword types (``double precision``, ``timestamp(3) with time
    zone``), which always exist, and for text this cannot read."""
    tokens = fragment(type_text).tokens_or_none()  # None: unreadable, no evidence either way
    if tokens is None:
        return None
    if not tokens or (tokens[0].token_type != TokenType.IDENTIFIER
                      and word(tokens[0]) in _KEYWORD_STARTS):
        return None
    parts, _ = dotted_name(tokens, 0)
    if not parts or len(parts) > 3:
        return None
    return QName.from_parts(parts)
