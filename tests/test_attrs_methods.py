"""``fields_repr`` shows an attrs object as attrs' generated ``__repr__`` does: sorting and cache
keys read some of these texts, so a class that takes it must print exactly as before.
``fields_eq`` and ``fields_hash`` compare and hash as attrs' generated methods of a frozen class
do."""

from __future__ import annotations

from typing import Any

import attrs

from schemafold.attrs_methods import fields_eq, fields_hash, fields_repr
from schemafold.events import Column, CreateTable, Origin, SequenceOptions
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


@attrs.frozen
class _FrozenGenerated:
    a: Any
    b: Any = attrs.field(default=0, eq=False)
    c: Any = attrs.field(default="", eq=str.lower)


@attrs.frozen
class _FrozenWritten:
    __repr__ = fields_repr
    __eq__ = fields_eq
    __hash__ = fields_hash

    a: Any
    b: Any = attrs.field(default=0, eq=False)
    c: Any = attrs.field(default="", eq=str.lower)


class _Odd:
    """Compares to anything with a false value that is not a bool (the answer is passed on)."""

    def __eq__(self, other: object) -> Any:
        return 0

    __hash__ = object.__hash__


def test_equality_and_hash_as_attrs_generates() -> None:
    for cls in (_FrozenGenerated, _FrozenWritten):
        assert cls(1, 2, "X") == cls(1, 3, "x")  # b is not compared, c by its key
        assert hash(cls(1, 2, "X")) == hash(cls(1, 3, "x"))
        assert cls(1) != cls(2)
        assert cls(1).__eq__(1) is NotImplemented
        assert cls(1) != _FrozenWritten(1) or cls is _FrozenWritten
        odd: Any = cls(_Odd()) == cls(_Odd())
        assert odd == 0 and type(odd) is int
        assert len({cls(1, 1), cls(1, 2), cls(2)}) == 2
    assert _FrozenWritten(1) != _FrozenGenerated(1)


def test_events_compare_as_before() -> None:
    assert vars(SequenceOptions)["__eq__"] is fields_eq
    assert SequenceOptions(increment=2) == SequenceOptions(increment=2)
    assert SequenceOptions(increment=2) != SequenceOptions(increment=3)
    assert len({SequenceOptions(increment=2), SequenceOptions(increment=2)}) == 1
    one = Origin(file="0001.sql", line=1, text="SELECT 1")
    other = Origin(file="0002.sql", line=9, text="SELECT 2")
    assert Column(name="a", type="int") == Column(name="a", type="int")
    assert CreateTable(origin=one, name=QName(None, "t")) == \
        CreateTable(origin=other, name=QName(None, "t"))  # the origin is not compared
