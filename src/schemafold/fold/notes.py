"""What folding data and opaque statements leaves for reports: barriers, rules that changed under
kept statements, sequences the history positioned, columns filled by volatile values.

Owns: the small records ``FoldResult.data_notes`` carries. Must not know: SQL text, rendering,
databases.
"""

from __future__ import annotations

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.lineage import describe_key
from schemafold.model import Key


@attrs.frozen
class Barrier:
    """A statement where folding stopped — an opaque one, or a data statement kept verbatim that
    a trigger or a foreign key action acts on: what it may change (``writes``), and why. It runs
    after every object; later statements on what it may change are kept verbatim, in order,
    after it."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    file: str
    line: int
    text: str
    reason: str
    writes: tuple[Key, ...]

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        objects = ", ".join(describe_key(k) for k in self.writes) or "nothing the fold knows"
        return f"{self.where()}: folding stops for {objects} ({self.reason})"


@attrs.frozen
class RuleChange:
    """A constraint or trigger that applies to a data statement kept verbatim but did not at the
    statement's point in history. In the data phase the table has its final columns and CHECKs:
    a ``CHECK`` added later, a column made ``NOT NULL`` later. A statement kept after every
    object (one a trigger or a foreign key action acts on, and the data statements after it on
    what it wrote) meets every constraint and trigger of the end."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    file: str
    line: int
    kind: str  # "check constraint" | "not null" | "foreign key constraint" | "trigger" ...
    target: Key  # the table
    name: str  # the constraint, column or trigger

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        return (f"{self.kind} {self.name} on {describe_key(self.target)} applies to this "
                "statement kept verbatim, but did not at its point in history")


@attrs.frozen
class DataNotes:
    """The data side of a fold, for reports and verification."""
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    barriers: tuple[Barrier, ...] = ()
    rule_changes: tuple[RuleChange, ...] = ()
    #: sequences whose position the history set (RESTART, setval, TRUNCATE ... RESTART
    #: IDENTITY), as ``schema.name``: both sides of a verification must agree on them.
    explicit_sequences: tuple[str, ...] = ()
    #: columns (``schema.table.column``) whose tracked values come from volatile expressions
    #: (``now()``, ``gen_random_uuid()``): equal only with the column masked.
    volatile_columns: tuple[str, ...] = ()
    #: how many tracked rows the consolidation loads
    rows: int = 0
