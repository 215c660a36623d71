"""Entity-relationship diagrams of a schema: Mermaid (``erDiagram``) and Graphviz (``dot``).

Owns: which tables and foreign keys a diagram shows, and writing them in each notation. Tables
are the entities (partitions are left out: their parent stands for them); each column shows its
type and whether it is a primary key (PK), part of a foreign key (FK) or unique (UK); each
foreign key is a relationship from the referencing table to the referenced one, optional on the
referenced side when any of its columns may be NULL. Output is sorted, so the same schema gives
the same bytes.

Must not know: SQL text beyond a column's type, files, databases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from schemafold.model import Schema, Table
from schemafold.names import QName


@attrs.frozen
class Entity:
    name: str
    columns: tuple[tuple[str, str, tuple[str, ...]], ...]  # (name, type, keys)


@attrs.frozen
class Relationship:
    child: str
    parent: str
    label: str
    optional: bool  # the referencing columns may be NULL: a child may have no parent


def _tables(schema: Schema) -> list[Table]:
    tables = [o for o in schema.objects.values() if isinstance(o, Table)
              and not o.external and o.partition_of is None]
    return sorted(tables, key=lambda t: (t.name.schema or "", t.name.name))


def _label(name: QName, schemas: set[str]) -> str:
    return name.name if len(schemas) <= 1 else f"{name.schema}.{name.name}"


def entities_and_relationships(schema: Schema) -> tuple[list[Entity], list[Relationship]]:
    """The diagram's content, in a stable order."""
    tables = _tables(schema)
    schemas = {t.name.schema or "" for t in tables}
    shown = {(t.name.schema, t.name.name) for t in tables}
    entities, relationships = [], []
    for table in tables:
        primary: set[str] = set()
        foreign: set[str] = set()
        unique: set[str] = set()
        for c in table.constraints:
            kind, names = c.constraint.kind, c.constraint.columns
            if kind == "primary key":
                primary.update(names)
            elif kind == "foreign key":
                foreign.update(names)
            elif kind == "unique" and len(names) == 1:
                unique.update(names)
        shown_columns = []
        for column in table.columns:
            marks = tuple(m for m, where in (("PK", primary), ("FK", foreign), ("UK", unique))
                          if column.name in where)
            shown_columns.append((column.name, " ".join(column.column.type.split()), marks))
        label = _label(table.name, schemas)
        entities.append(Entity(label, tuple(shown_columns)))
        for c in sorted(table.constraints, key=lambda c: c.name):
            target = c.target or c.constraint.references
            if c.constraint.kind != "foreign key" or target is None:
                continue
            parent = QName(target.schema or table.name.schema, target.name)
            if (parent.schema, parent.name) not in shown:
                continue
            nullable = any(not (col := table.column(n)) or not col.column.not_null
                           for n in c.constraint.columns)
            relationships.append(Relationship(label, _label(parent, schemas), c.name, nullable))
    return entities, relationships


def _mermaid_word(text: str) -> str:
    """Mermaid takes letters, digits, ``_``, ``-``, ``(``, ``)``, ``[`` and ``]`` in names and
    types: anything else becomes ``_``."""
    word = re.sub(r"[^A-Za-z0-9_\-()\[\]]", "_", text)
    return word if word[:1].isalpha() or word[:1] == "_" else f"_{word}"


def mermaid(schema: Schema) -> str:
    """A Mermaid ``erDiagram``: paste it into a Markdown file that renders Mermaid."""
    entities, relationships = entities_and_relationships(schema)
    lines = ["erDiagram"]
    for entity in entities:
        lines.append(f'    {_mermaid_word(entity.name)} {{')
        for name, type_, keys in entity.columns:
            marks = f" {', '.join(keys)}" if keys else ""
            lines.append(f"        {_mermaid_word(type_)} {_mermaid_word(name)}{marks}")
        lines.append("    }")
    for r in relationships:
        parent_end = "o|" if r.optional else "||"
        lines.append(f'    {_mermaid_word(r.child)} }}o--{parent_end} '
                     f'{_mermaid_word(r.parent)} : "{r.label}"')
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _dot_rows(entity: Entity) -> Iterator[str]:
    yield (f'<tr><td colspan="2" bgcolor="lightgrey"><b>{_dot_text(entity.name)}</b>'
           "</td></tr>")
    for name, type_, keys in entity.columns:
        marks = f" ({', '.join(keys)})" if keys else ""
        yield (f'<tr><td port="{_dot_text(name)}" align="left">{_dot_text(name)}{marks}</td>'
               f'<td align="left">{_dot_text(type_)}</td></tr>')


def dot(schema: Schema) -> str:
    """A Graphviz digraph: ``dot -Tsvg schema.dot -o schema.svg``."""
    entities, relationships = entities_and_relationships(schema)
    lines = ["digraph schema {", "    rankdir=LR;",
             '    node [shape=plaintext, fontname="Helvetica"];',
             '    edge [fontname="Helvetica", fontsize=10];']
    for entity in entities:
        rows = "".join(_dot_rows(entity))
        lines.append(f'    "{entity.name}" [label=<<table border="0" cellborder="1" '
                     f'cellspacing="0">{rows}</table>>];')
    for r in relationships:
        style = ', style="dashed"' if r.optional else ""
        lines.append(f'    "{r.child}" -> "{r.parent}" [label="{r.label}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"
