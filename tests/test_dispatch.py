"""The fold's dispatch table: every event class has a handler, every handler an event class.

``FoldState.handlers`` is built once per class from ``events.EVENT_CLASSES``; these tests are
what stands between a new event class and a ``TypeError`` at its first statement, and between
a handler and an event class it does not accept (a handler's parameter annotation is not checked
by mypy through the table, so it is checked here)."""

from __future__ import annotations

import inspect
import re
import typing

import pytest

from schemafold import events as ev
from schemafold.fold import Folder, fold_events
from schemafold.fold.state import FoldState, handler_table


def test_every_event_class_has_a_handler() -> None:
    missing = [c.__name__ for c in ev.EVENT_CLASSES if c not in Folder.handlers]
    assert missing == [], f"no _apply_<Event> on Folder for {missing}"


def test_every_handler_names_an_event_class() -> None:
    names = {c.__name__ for c in ev.EVENT_CLASSES}
    orphans = sorted(name for name in dir(Folder)
                     if re.fullmatch(r"_apply_[A-Z]\w*", name)
                     and name.removeprefix("_apply_") not in names)
    assert orphans == [], f"handlers without an event class in EVENT_CLASSES: {orphans}"


def test_event_classes_are_all_event_classes_once() -> None:
    assert len(set(ev.EVENT_CLASSES)) == len(ev.EVENT_CLASSES)
    defined = {c for c in vars(ev).values() if isinstance(c, type) and issubclass(c, ev.Event)
               and c is not ev.Event}
    assert defined == set(ev.EVENT_CLASSES)


@pytest.mark.parametrize("event_class", ev.EVENT_CLASSES, ids=lambda c: c.__name__)
def test_each_handler_takes_its_event_class(event_class: type[ev.Event]) -> None:
    handler = Folder.handlers[event_class]
    parameters = list(inspect.signature(handler).parameters.values())
    assert len(parameters) == 2, f"{handler.__qualname__} takes (self, event)"
    hints = typing.get_type_hints(handler)
    assert hints[parameters[1].name] is event_class, (
        f"{handler.__qualname__} is annotated {hints[parameters[1].name]!r}, "
        f"not {event_class.__name__}")
    assert hints.get("return") is type(None)


def test_the_table_is_the_most_derived_handler() -> None:
    """A mixin's handler that defers to another through ``super()`` is the one dispatched:
    the table holds what ``getattr`` on the class resolves, as the dispatch by name did."""
    for event_class, handler in Folder.handlers.items():
        assert handler is getattr(Folder, f"_apply_{event_class.__name__}")
    assert handler_table(Folder) == dict(Folder.handlers)


def test_a_class_without_a_handler_says_which() -> None:
    class Bare(FoldState):
        pass

    assert Bare.handlers == {}
    event = ev.CreateSchema(origin=ev.Origin("f.sql", 1, "CREATE SCHEMA s"), name="s")
    with pytest.raises(TypeError, match="Bare has no handler for CreateSchema events"):
        Bare().apply(event)


def test_dispatch_folds() -> None:
    origin = ev.Origin("f.sql", 1, "CREATE SCHEMA s")
    result = fold_events([ev.CreateSchema(origin=origin, name="s")])
    assert ("schema", "s") in result.schema.objects
