"""Layouts: which file of a consolidation each object goes into.

Owns: the TOML layout format and its validation (every error names the layout file, the entry and
its line), the built-in layouts ``single`` and ``by-origin``, selectors (``kind:glob``), the items
a layout places (objects, foreign keys, a table's rows) and assigning each item to exactly one
file, with the reason.

Rules: an item is placed by the selectors that match it; an object claimed by two files is an
error naming both (no "first match wins": a broad glob in one file and a name in another is a
mistake more often than an intent); items no selector claims go to the file marked
``rest = true``, or are an error listing all of them. Indexes, triggers, policies, foreign keys,
a table's rows and the sequences a table owns follow their table (or materialized view) unless a
selector claims them; constraints, comments, owners and grants always follow their object.

Must not know: rendering, dependency order (``files`` moves parts forward), migration tools,
databases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import attrs

from schemafold import model
from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.errors import InputError, SchemaWarning
from schemafold.kinds import ObjectKey, ObjectKind
from schemafold.model import (
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Index,
    Key,
    Node,
    Policy,
    RangeType,
    Role,
    Schema,
    SchemaObj,
    SchemaObject,
    Table,
    Trigger,
    View,
)
from schemafold.order import describe_node, fk_node

__all__ = [
    "BUILT_IN",
    "KINDS",
    "Assignment",
    "FileSpec",
    "Item",
    "Layout",
    "Placement",
    "Selector",
    "SourceMigration",
    "assign",
    "data_label",
    "data_node",
    "items_of",
    "load_layout",
    "parse_layout",
]

#: Selector kinds, and what each matches.
KINDS: Mapping[str, str] = {
    "schema": "schemas",
    "extension": "extensions",
    "role": "roles the history creates",
    "type": "enums, composite types, domains and range types",
    "sequence": "sequences",
    "table": "tables (with their columns, constraints, comments and grants)",
    "view": "views and materialized views",
    "function": "functions and procedures",
    "trigger": "triggers (by trigger name)",
    "policy": "row level security policies (by policy name)",
    "index": "indexes (by index name)",
    "foreign_key": "foreign-key constraints (by constraint name)",
    "data": "a table's surviving rows (by table name), a materialized view's refresh",
}

BUILT_IN = ("single", "by-origin")

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_FILE_KEYS = ("name", "description", "select", "rest")
_TOP_KEYS = ("move_forward", "description", "file")


# ---------------------------------------------------------------------------------------------
# The layout


@attrs.frozen
class Selector:
    """``kind:glob``: the glob matches an item's unqualified name, or ``schema.name`` when it
    holds a dot. Case matters (names are as PostgreSQL stores them)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: str
    pattern: str

    @property
    def text(self) -> str:
        return f"{self.kind}:{self.pattern}"

    def matches(self, item: Item) -> bool:
        if item.kind != self.kind:
            return False
        if "." in self.pattern and item.schema is not None:
            return fnmatchcase(f"{item.schema}.{item.name}", self.pattern)
        return fnmatchcase(item.name, self.pattern)


@attrs.frozen
class FileSpec:
    """One file of a layout: its name (the writer adds the version), what it is for, its
    selectors, and whether it takes every item no selector claims."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    name: str
    description: str = ""
    select: tuple[Selector, ...] = ()
    rest: bool = False
    origin: str | None = None  # by-origin: the migration file it stands for


@attrs.frozen
class Layout:
    """An ordered list of files. ``source`` is the layout file (or the built-in's name), used in
    messages. ``by_origin`` layouts get their files from the history."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    name: str
    source: str
    files: tuple[FileSpec, ...] = ()
    move_forward: bool = False
    by_origin: bool = False
    description: str = ""
    lines: tuple[str, ...] = attrs.field(default=(), repr=False, eq=False)

    def where(self, value: str, entry: int | None = None) -> int | None:
        """The line of the layout file holding the string ``value`` (in file ``entry``, from
        0, when given), for messages."""
        return find_line(self.lines, value=value, entry=entry)

    def label(self, index: int) -> str:
        """``file 2 ("core")``: a file of this layout as messages name it (1-based)."""
        return f'file {index + 1} ("{self.files[index].name}")'


SINGLE = Layout(
    name="single",
    source="single",
    files=(FileSpec(name="schema", description="the whole schema", rest=True),),
)
BY_ORIGIN = Layout(name="by-origin", source="by-origin", move_forward=True, by_origin=True)


def find_line(
    lines: Sequence[str], *, value: str | None = None, key: str | None = None,
    entry: int | None = None,
) -> int | None:
    """The (1-based) line holding the string ``value`` (quoted either way) or the key ``key``,
    searched from the ``entry``-th ``[[file]]`` header (from 0) when given, else from the top;
    the header's own line when neither is given."""
    start = 0
    if entry is not None:
        headers = [n for n, line in enumerate(lines) if line.strip().startswith("[[file]]")]
        if entry >= len(headers):
            return None
        start = headers[entry]
        if value is None and key is None:
            return start + 1
    patterns = []
    if value is not None:
        patterns.append(re.compile(r"""(["'])""" + re.escape(value) + r"\1"))
    if key is not None:
        patterns.append(re.compile(r"^\s*" + re.escape(key) + r"\s*="))
    for number in range(start, len(lines)):
        if any(pattern.search(lines[number]) for pattern in patterns):
            return number + 1
    return None


def load_layout(spec: str | Path) -> Layout:
    """``single``, ``by-origin``, or a TOML layout file."""
    if isinstance(spec, str) and spec == "single":
        return SINGLE
    if isinstance(spec, str) and spec == "by-origin":
        return BY_ORIGIN
    path = Path(spec)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read layout ({error.strerror}); --layout takes a TOML file, "
                         f"{' or '.join(BUILT_IN)}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("layout is not UTF-8", file=str(path)) from None
    return parse_layout(text, str(path))


def parse_layout(text: str, source: str = "<layout>") -> Layout:
    """Read and validate a TOML layout (see docs/layouts.md)."""
    import tomllib  # only for a layout file: the built-in layouts need none

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise InputError(f"not valid TOML: {error}", file=source,
                         line=int(match.group(1)) if match else None) from None
    lines = tuple(text.splitlines())

    def fail(message: str, *, value: str | None = None, key: str | None = None,
             entry: int | None = None) -> InputError:
        line = find_line(lines, value=value, key=key, entry=entry)
        if line is None and entry is not None:
            line = find_line(lines, entry=entry)
        return InputError(message, file=source, line=line)

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(f"unknown key {key!r} (a layout has {', '.join(_TOP_KEYS)})", key=key)
    move_forward = data.get("move_forward", False)
    if not isinstance(move_forward, bool):
        raise fail("move_forward must be true or false", key="move_forward")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise fail("description must be a string", key="description")
    entries = data.get("file")
    if not isinstance(entries, list) or not entries:
        raise fail("a layout needs at least one [[file]] entry")
    files: list[FileSpec] = []
    seen: dict[str, int] = {}
    rest_file: int | None = None
    for index, entry in enumerate(entries, 1):
        files.append(_file_spec(entry, index, fail))
        spec = files[-1]
        label = f'file {index} ("{spec.name}")'
        if spec.name in seen:
            raise fail(f'{label}: name used by file {seen[spec.name]} too', key="name",
                       entry=index - 1)
        seen[spec.name] = index
        if spec.rest:
            if rest_file is not None:
                raise fail(f"{label}: rest = true is already set on file {rest_file}; only "
                           "one file takes the rest", key="rest", entry=index - 1)
            rest_file = index
    return Layout(name=Path(source).name, source=source, files=tuple(files),
                  move_forward=move_forward, description=description, lines=lines)


def _file_spec(entry: Any, index: int, fail: Callable[..., InputError]) -> FileSpec:
    if not isinstance(entry, dict):
        raise fail(f"file {index}: [[file]] entries are tables", entry=index - 1)
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise fail(f"file {index}: needs a name (a string)", entry=index - 1)
    label = f'file {index} ("{name}")'
    if not _NAME.match(name):
        raise fail(f"{label}: a name holds letters, digits, '_' and '-' only (the writer adds "
                   "the version and the tool's suffix)", key="name", entry=index - 1)
    for key in entry:
        if key not in _FILE_KEYS:
            raise fail(f"{label}: unknown key {key!r} (a file has {', '.join(_FILE_KEYS)})",
                       key=key, entry=index - 1)
    description = entry.get("description", "")
    if not isinstance(description, str):
        raise fail(f"{label}: description must be a string", key="description",
                   entry=index - 1)
    rest = entry.get("rest", False)
    if not isinstance(rest, bool):
        raise fail(f"{label}: rest must be true or false", key="rest", entry=index - 1)
    raw = entry.get("select", [])
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        raise fail(f"{label}: select must be a list of strings like \"table:user*\"",
                   key="select", entry=index - 1)
    if not raw and not rest:
        raise fail(f"{label}: selects nothing (give select = [...] or rest = true)",
                   entry=index - 1)
    selectors = []
    for position, text in enumerate(raw, 1):
        kind, colon, pattern = text.partition(":")
        where = f'{label}: select[{position}] "{text}"'
        if not colon or not pattern:
            raise fail(f"{where}: a selector is kind:glob, e.g. \"table:user*\"", value=text,
                       entry=index - 1)
        if kind not in KINDS:
            raise fail(f"{where}: unknown kind {kind!r} (kinds: {', '.join(KINDS)})",
                       value=text, entry=index - 1)
        selectors.append(Selector(kind, pattern))
    return FileSpec(name=name, description=description, select=tuple(selectors), rest=rest)


# ---------------------------------------------------------------------------------------------
# Items


@attrs.frozen
class Item:
    """Something a layout places: an object, a foreign key (``fk_node``), or a table's rows
    (``("data", table_key)``). ``owner`` is the item it follows when no selector claims it;
    ``created`` the ordinal of the statement that created it (``by-origin`` places by it)."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    kind: str
    name: str
    schema: str | None
    node: Node
    label: str
    owner: Node | None = None
    created: int = 0


def data_node(key: Node) -> Node:
    """The layout node of the rows of table ``key`` (or a materialized view's refresh)."""
    return ("data", key)


_KIND_OF: tuple[tuple[tuple[type[Any], ...], str], ...] = (
    ((SchemaObj,), "schema"),
    ((Extension,), "extension"),
    ((Role,), "role"),
    ((EnumType, CompositeType, Domain, RangeType), "type"),
    ((model.Sequence,), "sequence"),
    ((Table,), "table"),
    ((View,), "view"),
    ((Function,), "function"),
    ((Trigger,), "trigger"),
    ((Policy,), "policy"),
    ((Index,), "index"),
)


def data_label(schema: Schema, key: Node) -> str:
    """``rows of table t``, ``position of sequence s``, ``refresh of materialized view v``."""
    what = {"sequence": "position", "view": "refresh"}.get(str(key[0]), "rows")
    return f"{what} of {describe_node(schema, key)}"


def _kind_of(obj: SchemaObject) -> str:
    for classes, kind in _KIND_OF:
        if isinstance(obj, classes):
            return kind
    raise AssertionError(type(obj))  # pragma: no cover - every model class is listed


def _name_of(obj: SchemaObject) -> tuple[str, str | None]:
    if isinstance(obj, (SchemaObj, Extension, Role)):
        return obj.name, None
    if isinstance(obj, (Trigger, Policy)):
        return obj.name, obj.table.schema
    return obj.name.name, obj.name.schema


def _owner_of(schema: Schema, obj: SchemaObject) -> Key | None:
    """The table (or materialized view) an index, trigger, policy or owned sequence follows."""
    if isinstance(obj, (Index, Trigger, Policy)):
        name = obj.table
        for kind in (ObjectKind.TABLE, ObjectKind.VIEW):
            if (kind, name.schema, name.name) in schema.objects:
                return ObjectKey.from_tuple((kind, name.schema, name.name))
        return None
    if isinstance(obj, model.Sequence) and obj.owned_by is not None:
        table = obj.owned_by[0]
        key: Key = ObjectKey.of(ObjectKind.TABLE, table.schema or obj.name.schema, table.name)
        return key if key in schema.objects else None
    return None


def items_of(schema: Schema, present: Callable[[Node], bool]) -> list[Item]:
    """The items of ``schema`` a layout places: every object, foreign key and table's rows for
    which ``present(node)`` holds (the nodes that have statements to place)."""
    items: list[Item] = []
    for key in sorted(schema.objects, key=lambda k: (schema.objects[k].created, repr(k))):
        obj = schema.objects[key]
        name, where = _name_of(obj)
        owner = _owner_of(schema, obj)
        if owner is not None and not present(owner):
            owner = None
        if present(key):
            items.append(Item(_kind_of(obj), name, where, key, describe_node(schema, key),
                              owner, obj.created))
        if present(data_node(key)):  # rows, a sequence's position, a materialized view's refresh
            items.append(Item("data", name, where, data_node(key), data_label(schema, key),
                              key if present(key) else owner, obj.created))
        if isinstance(obj, Table):
            for constraint in obj.constraints:
                node = fk_node(key, constraint.name)
                if constraint.constraint.kind == "foreign key" and present(node):
                    items.append(Item("foreign_key", constraint.name, where, node,
                                      describe_node(schema, node), key, constraint.created))
    return items


# ---------------------------------------------------------------------------------------------
# Assignment


@attrs.frozen
class Placement:
    """The file (0-based) an item goes into, and why. ``claimed`` when a selector (or the rest
    file, or by-origin) put it there, rather than its owner."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    file: int
    reason: str
    claimed: bool = True


@attrs.frozen
class Assignment:
    """A layout applied to a schema: its files and every item's placement."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    layout: Layout
    files: tuple[FileSpec, ...]
    placements: Mapping[Node, Placement]
    items: tuple[Item, ...]
    warnings: tuple[SchemaWarning, ...] = ()

    def label(self, index: int) -> str:
        return f'file {index + 1} ("{self.files[index].name}")'

    def file_of_origin(self, path: str) -> int | None:
        """by-origin: the file standing for the migration ``path``."""
        for index, spec in enumerate(self.files):
            if spec.origin == path:
                return index
        return None


@attrs.frozen
class SourceMigration:
    """A source migration, as by-origin names its file: path and name."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    path: str
    name: str


def assign(
    layout: Layout,
    items: Sequence[Item],
    *,
    origins: Sequence[SourceMigration] = (),
    origin_of: Callable[[int], str | None] = lambda ordinal: None,
    extra_origins: Iterable[str] = (),
) -> Assignment:
    """Place every item in one file of ``layout``.

    For ``by-origin``, ``origins`` are the history's migrations in apply order and
    ``origin_of(ordinal)`` the path of the migration holding the statement with that ordinal;
    ``extra_origins`` are migrations that need a file though they created no item (they hold
    statements kept verbatim).
    """
    if layout.by_origin:
        return _assign_by_origin(layout, items, origins, origin_of, extra_origins)
    claims: dict[Node, tuple[int, Selector]] = {}
    used: set[tuple[int, Selector]] = set()
    for item in items:
        for index, spec in enumerate(layout.files):
            for selector in spec.select:
                if not selector.matches(item):
                    continue
                used.add((index, selector))
                earlier = claims.get(item.node)
                if earlier is None:
                    claims[item.node] = (index, selector)
                elif earlier[0] != index:
                    raise InputError(
                        f'{item.label} is selected by {layout.label(earlier[0])} '
                        f'("{earlier[1].text}") and by {layout.label(index)} '
                        f'("{selector.text}"); each object goes into one file',
                        file=layout.source, line=layout.where(selector.text, index))
    rest = next((i for i, spec in enumerate(layout.files) if spec.rest), None)
    placements: dict[Node, Placement] = {}
    unclaimed: list[Item] = []
    for item in items:
        if item.node in claims:
            index, selector = claims[item.node]
            placements[item.node] = Placement(index, f'selected by "{selector.text}"')
        elif item.owner is None:
            if rest is None:
                unclaimed.append(item)
            else:
                placements[item.node] = Placement(rest, "not selected: the rest file")
    if unclaimed:
        names = ", ".join(item.label for item in unclaimed)
        raise InputError(
            f"{len(unclaimed)} object{'s' if len(unclaimed) != 1 else ''} no file selects "
            f"(add selectors, or rest = true on one file): {names}", file=layout.source)
    _follow_owners(items, placements)
    warnings = [
        SchemaWarning(f'{layout.label(index)}: selector "{selector.text}" matches nothing',
                      file=layout.source, line=layout.where(selector.text, index) or 1)
        for index, spec in enumerate(layout.files)
        for selector in spec.select
        if (index, selector) not in used
    ]
    return Assignment(layout, layout.files, placements, tuple(items), tuple(warnings))


def _follow_owners(items: Sequence[Item], placements: dict[Node, Placement]) -> None:
    """Items no selector claimed go where their owner goes (owners come first in ``items``
    except for sequences owned by a later table, hence the loop)."""
    by_node = {item.node: item for item in items}
    for item in items:
        if item.node in placements:
            continue
        chain = [item]
        owner = item.owner
        while owner is not None and owner not in placements:
            chain.append(by_node[owner])
            owner = by_node[owner].owner
        assert owner is not None, item
        for follower in reversed(chain):
            lead = by_node[follower.owner] if follower.owner else None
            assert lead is not None
            placements[follower.node] = Placement(placements[lead.node].file,
                                                  f"follows {lead.label}", claimed=False)


def _file_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")
    return cleaned or "migration"


def _assign_by_origin(
    layout: Layout,
    items: Sequence[Item],
    origins: Sequence[SourceMigration],
    origin_of: Callable[[int], str | None],
    extra_origins: Iterable[str],
) -> Assignment:
    wanted = {origin_of(item.created) for item in items if item.kind != "data"}
    wanted.update(extra_origins)
    chosen = [origin for origin in origins if origin.path in wanted]
    if not chosen:
        chosen = list(origins[:1]) or [SourceMigration("", "schema")]
    files = tuple(
        FileSpec(name=_file_name(origin.name), description=f"what {origin.path} created",
                 origin=origin.path)
        for origin in chosen
    )
    index_of = {origin.path: i for i, origin in enumerate(chosen)}
    placements: dict[Node, Placement] = {}
    for item in items:
        if item.kind == "data" and item.owner is not None:
            continue  # rows go with their table
        path = origin_of(item.created)
        if path is not None and path in index_of:
            placements[item.node] = Placement(index_of[path], f"created in {path}")
        else:
            placements[item.node] = Placement(0, "no creating migration known: the first file")
    _follow_owners(items, placements)
    return Assignment(layout, files, placements, tuple(items))
