"""PostgreSQL's key words: what a bare word may be besides a name.

Owns: the list of key words (``pg_get_keywords()`` of PostgreSQL 15, and the words 16 to 18
added), lower case, for rules that must not read a key word as a name (a key word may belong to
a special syntax: ``x IS NFC NORMALIZED``, ``WITHIN GROUP (...)``).

Must not know: anything else.
"""

from __future__ import annotations

_KEYWORD_TEXT = """
    abort absent absolute access action add admin after aggregate all also alter always
    analyse analyze and any array as asc asensitive assertion assignment asymmetric at atomic
    attach attribute authorization backward before begin between bigint binary bit boolean
    both breadth by cache call called cascade cascaded case cast catalog chain char character
    characteristics check checkpoint class close cluster coalesce collate collation column
    columns comment comments commit committed compression concurrently conditional
    configuration conflict connection constraint constraints content continue conversion copy
    cost create cross csv cube current current_catalog current_date current_role
    current_schema current_time current_timestamp current_user cursor cycle data database day
    deallocate dec decimal declare default defaults deferrable deferred definer delete
    delimiter delimiters depends depth desc detach dictionary disable discard distinct do
    document domain double drop each else empty enable encoding encrypted end enum error
    escape event except exclude excluding exclusive execute exists explain expression
    extension external extract false family fetch filter finalize first float following for
    force foreign format forward freeze from full function functions generated global grant
    granted greatest group grouping groups handler having header hold hour identity if ilike
    immediate immutable implicit import in include including increment index indexes inherit
    inherits initially inline inner inout input insensitive insert instead int integer
    intersect interval into invoker is isnull isolation join json json_array json_arrayagg
    json_exists json_object json_objectagg json_query json_scalar json_serialize json_table
    json_value keep key keys label language large last lateral leading leakproof least left
    level like limit listen load local localtime localtimestamp location lock locked logged
    mapping match matched materialized maxvalue merge merge_action method minute minvalue mode
    month move name names national natural nchar nested new next nfc nfd nfkc nfkd no none
    normalize normalized not nothing notify notnull nowait null nullif nulls numeric object of
    off offset oids old omit on only operator option options or order ordinality others out
    outer over overlaps overlay overriding owned owner parallel parameter parser partial
    partition passing password path placing plans policy position preceding precision prepare
    prepared preserve primary prior privileges procedural procedure procedures program
    publication quote quotes range read real reassign recheck recursive ref references
    referencing refresh reindex relative release rename repeatable replace replica reset
    restart restrict return returning returns revoke right role rollback rollup routine
    routines row rows rule savepoint scalar schema schemas scroll search second security
    select sequence sequences serializable server session session_user set setof sets share
    show similar simple skip smallint snapshot some sql stable standalone start statement
    statistics stdin stdout storage stored strict string strip subscription substring support
    symmetric sysid system system_user table tables tablesample tablespace temp template
    temporary text then ties time timestamp to trailing transaction transform treat trigger
    trim true truncate trusted type types uescape unbounded uncommitted unconditional
    unencrypted union unique unknown unlisten unlogged until update user using vacuum valid
    validate validator value values varchar variadic varying verbose version view views
    volatile when where whitespace window with within without work wrapper write xml
    xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi
    xmlroot xmlserialize xmltable year yes zone
"""
KEYWORDS = frozenset(_KEYWORD_TEXT.split())

#: The key words every PostgreSQL command starts with (gram.y's stmt): a statement starting
#: with one that no handler models is valid SQL kept verbatim; anything else is a syntax error
#: (at the top level, and as a PL/pgSQL statement that is none of PL/pgSQL's own).
COMMAND_WORDS = frozenset(
    """
    ABORT ALTER ANALYZE ANALYSE BEGIN CALL CHECKPOINT CLOSE CLUSTER COMMENT COMMIT COPY CREATE
    DEALLOCATE DECLARE DELETE DISCARD DO DROP END EXECUTE EXPLAIN FETCH GRANT IMPORT INSERT LISTEN
    LOAD LOCK MERGE MOVE NOTIFY PREPARE REASSIGN REFRESH REINDEX RELEASE RESET REVOKE ROLLBACK
    SAVEPOINT SECURITY SELECT SET SHOW START TABLE TRUNCATE UNLISTEN UPDATE VACUUM VALUES WITH
    """.split()  # noqa: SIM905
)

#: PostgreSQL's reserved key words (``pg_get_keywords()``'s catcode 'R' on 15, and 18's
#: ``system_user``): never a name unquoted.
RESERVED = frozenset("""
    all analyse analyze and any array as asc asymmetric both case cast check collate column
    constraint create current_catalog current_date current_role current_time current_timestamp
    current_user default deferrable desc distinct do else end except false fetch for foreign
    from grant group having in initially intersect into lateral leading limit localtime
    localtimestamp not null offset on only or order placing primary references returning select
    session_user some symmetric system_user table then to trailing true union unique user using
    variadic when where window with
    """.split())  # noqa: SIM905
#: Of them, those an expression may start with (a value, a constructor, a cast, NOT, CASE).
EXPRESSION_STARTS = frozenset({
    "array", "case", "cast", "current_catalog", "current_date", "current_role", "current_time",
    "current_timestamp", "current_user", "false", "localtime", "localtimestamp", "not", "null",
    "session_user", "system_user", "true", "user",
})
#: PostgreSQL's type-or-function-name key words (catcode 'T'): a type's or a function's name,
#: but no table's, column's or index's (ColId) unquoted.
TYPE_FUNCTION_NAMES = frozenset("""
    authorization binary collation concurrently cross current_schema freeze full ilike inner is
    isnull join left like natural notnull outer overlaps right similar tablesample verbose
    """.split())  # noqa: SIM905
#: PostgreSQL's column-name key words (catcode 'C' on 15, and the JSON words 16 to 18 added) and
#: type-or-function-name key words (catcode 'T'): a name only where the grammar allows them.
_NOT_UNRESERVED = TYPE_FUNCTION_NAMES | frozenset("""
    between bigint bit boolean char character coalesce dec decimal exists extract float
    greatest grouping inout int integer interval least national nchar none normalize nullif
    numeric out overlay position precision real row setof smallint substring time timestamp
    treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest
    xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable json json_array json_arrayagg
    json_exists json_object json_objectagg json_query json_scalar json_serialize json_table
    json_value merge_action
    """.split())  # noqa: SIM905
#: The unreserved key words (catcode 'U'): where an expression's operand starts, one is a
#: column name (``WHERE key = 1``) unless a special syntax follows (``double precision``,
#: ``CURRENT OF``).
UNRESERVED = KEYWORDS - RESERVED - _NOT_UNRESERVED
