"""``fields_repr`` shows an attrs object as attrs' generated ``__repr__`` does: sorting and cache
keys read some of these texts, so a class that takes it must print exactly as before."""

from __future__ import annotations

from typing import Any

import attrs

from schemafold.attrs_repr import fields_repr
from schemafold.events import Column, CreateTable, Origin
from schemafold.names import QName


@attrs.define
class _Generated:
    name: str
    count: int = 0
    hidden: str = attrs.field(default="x", repr=False)
    shown_as: str = attrs.field(default="s", repr=lambda value: f"<{value}>")
    later: Any = attrs.field(init=False, default=None)
    unset: Any = attrs.field(init=False)
    inner: Any = None


@attrs.define
class _Written:
    __repr__ = fields_repr

    name: str
    count: int = 0
    hidden: str = attrs.field(default="x", repr=False)
    shown_as: str = attrs.field(default="s", repr=lambda value: f"<{value}>")
    later: Any = attrs.field(init=False, default=None)
    unset: Any = attrs.field(init=False)
    inner: Any = None


def _shown(cls: type[Any]) -> str:
    outer = cls("a'b", 3, inner=cls("inner"))
    outer.inner.inner = outer  # a cycle: shown as ... where it comes round again
    outer.later = [1, "two"]
    return repr(outer).replace(cls.__name__, "C")


def test_the_same_text_as_attrs_generates() -> None:
    assert _shown(_Written) == _shown(_Generated)
    assert _shown(_Written) == ("C(name=\"a'b\", count=3, shown_as=<s>, later=[1, 'two'], "
                                "unset=NOTHING, inner=C(name='inner', count=0, shown_as=<s>, "
                                "later=None, unset=NOTHING, inner=...))")


def test_events_print_as_before() -> None:
    origin = Origin(file="0001.sql", line=3, text="CREATE TABLE t (a int)")
    assert vars(Origin)["__repr__"] is fields_repr
    table = CreateTable(origin=origin, name=QName("public", "t"),
                        columns=(Column(name="a", type="int"),))
    assert repr(table) == (
        "CreateTable(name=QName(schema='public', name='t'), columns=(Column(name='a', "
        "type='int', default=None, not_null=False, identity=None, identity_options=None, "
        "identity_sequence=None, generated=None, collation=None, constraints=(), "
        "not_null_name=None, null_conflict=False),), constraints=(), if_not_exists=False, "
        "unlogged=False, partition_by=None, partition_of=None, partition_bound=None, "
        "inherits=(), like=(), options=None, as_query=None)")
    assert repr(origin) == ("Origin(file='0001.sql', line=3, text='CREATE TABLE t (a int)', "
                            "migration='', in_transaction=True, copy_data=None)")
