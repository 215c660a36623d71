"""The incremental cache: parse results and fold snapshots of a history's prefixes, on disk.

Owns: where the cache lives (``user_cache_dir``), the key of an entry, reading and writing
entries safely, keeping the folder under its bound, and a fold that starts from the longest
prefix of the history it finds cached (``CachedFold``). ``api`` asks ``current()`` whether a
cache is in use (the command line turns it on with ``use``; the library folds without one
unless a caller does the same).

The key of the prefix of the first ``i`` migrations is a chain of SHA-256 digests: the base is
the digest of the entry format, schemafold's version and the bytes of its own modules, sqlglot's
version, Python's version, the initial ``search_path`` and every setup file (its name as given
and its bytes); link ``i`` is the digest of link ``i - 1`` and migration ``i`` as it was read
(version, name, path, text after the tool's markers and ``--define`` placeholders were applied,
whether it runs in a transaction). So whatever changes what a fold sees -- an edited, inserted,
removed or renamed file, another ``--source-format``, ``--define``, ``--until``, ``--setup`` or
``--search-path``, another release -- changes the key of every prefix from that file on.

An entry (``<key>.fold``) holds, for one prefix, what parsing each of its migrations gave and
the fold's working state after it (``fold.state.FoldState``, pickled): framed parts, each with
its length and CRC-32; the events and the lineage are a part of their own, unpickled only when
something reads them (``Deferred``, ``Events``, ``Lineage``), the origins they share with the
rest pickled once and referred to by place. ``<key>.squash`` entries are finished
consolidations (``schemafold.squash_cache``), kept in the same folder under the same bound.
A run restores the longest cached prefix, parses and folds only the migrations after it, and
gives what a run without the cache gives, byte for byte. It writes at most one entry: the state
before its last migration (the one most likely to be edited next), once enough migrations were
folded since the entry it started from (``_worth_writing``); where the fold stops at a file it
cannot follow (``schemafold.tail``), the state before that file. An entry that cannot be read
(truncated, another format, a key that is not its name, anything unpickling raises) is ignored
and removed. Entries are written to a temporary file and renamed into place, so a reader never
sees half of one and two processes writing the same entry do no harm. After a write, the least
recently used entries are removed until the folder holds at most ``max_bytes``
(``DEFAULT_MAX_BYTES``).

Must not know: argument parsing, what any event does, rendering.
"""

from __future__ import annotations

import contextlib
import contextvars
import copyreg
import gc
import hashlib
import io
import os
import pickle
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from schemafold.deferred import DeferredEvents
from schemafold.errors import InputError, SchemaWarning
from schemafold.fragment import fragment, fragment_or_none
from schemafold.progress import Progress, Ticker
from schemafold.sources import Migration

if TYPE_CHECKING:  # the folding modules, imported where a fold runs: a warm ``squash``
    # (``schemafold.squash_cache``) needs only the keys
    from schemafold import events as ev
    from schemafold.fold.state import FoldResult
    from schemafold.parse import ParseResult

__all__ = ["DEFAULT_MAX_BYTES", "CachedFold", "FoldCache", "current", "use", "user_cache_dir"]

#: The layout of an entry; raise it when what an entry holds changes shape.
FORMAT = 3
MAGIC = b"schemafold-cache %d\n" % FORMAT
#: The most the cache folder holds (entries beyond it are removed, least recently used first).
DEFAULT_MAX_BYTES = 1 << 30
SUFFIX = ".fold"
#: The suffixes of the folder's entries: fold states, finished consolidations
#: (``schemafold.squash_cache``).
SUFFIXES = (SUFFIX, ".squash")
#: How stale an entry's time of last use may be before a read renews it (seconds).
USED_EVERY = 3600


def user_cache_dir(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """The folder schemafold keeps its cache in: ``$SCHEMAFOLD_CACHE_DIR`` when set; else
    ``$XDG_CACHE_HOME/schemafold`` (``~/.cache/schemafold``) on Linux and other Unixes,
    ``~/Library/Caches/schemafold`` on macOS, ``%LOCALAPPDATA%\\schemafold\\Cache`` on
    Windows."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if env.get("SCHEMAFOLD_CACHE_DIR"):
        return Path(env["SCHEMAFOLD_CACHE_DIR"])
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    if platform == "win32":
        base = env.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "schemafold" / "Cache"
    if platform == "darwin":
        return home / "Library" / "Caches" / "schemafold"
    xdg = env.get("XDG_CACHE_HOME")
    base_path = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base_path / "schemafold"


_CODE_DIGEST: bytes | None = None


def code_digest() -> bytes:
    """A digest of schemafold's own modules (their paths and bytes) and the versions of
    schemafold, sqlglot and Python: an entry written by other code is never read."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        from schemafold import __version__

        digest = hashlib.sha256()
        for part in (str(FORMAT), __version__, _sqlglot_version(), sys.version,
                     str(pickle.HIGHEST_PROTOCOL)):
            digest.update(part.encode() + b"\0")
        root = Path(__file__).resolve().parent
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
        _CODE_DIGEST = digest.digest()
    return _CODE_DIGEST


def _sqlglot_version() -> str:
    """sqlglot's version, without importing sqlglot (a warm ``squash`` never needs it): from
    the module already imported, else from its installed metadata."""
    module = sys.modules.get("sqlglot")
    if module is not None and getattr(module, "__version__", None):
        return str(module.__version__)
    from importlib import metadata

    try:
        return metadata.version("sqlglot")
    except metadata.PackageNotFoundError:  # pragma: no cover - sqlglot is a dependency
        import sqlglot

        return str(getattr(sqlglot, "__version__", ""))


def base_key(setup: Iterable[Path], search_path: Sequence[str]) -> bytes:
    """The first link of the chain: the code, the initial ``search_path``, the setup files."""
    digest = hashlib.sha256(code_digest())
    digest.update(repr(tuple(search_path)).encode() + b"\0")
    for path in setup:
        digest.update(b"setup\0" + str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def chain(base: bytes, migrations: Sequence[Migration]) -> list[bytes]:
    """``keys[i]``: the key of the prefix of the first ``i`` migrations (``keys[0]`` is
    ``base``)."""
    keys = [base]
    for m in migrations:
        digest = hashlib.sha256(keys[-1])
        for part in (m.version, m.name, m.path, "1" if m.in_transaction else "0"):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(m.text.encode("utf-8", "surrogatepass"))
        keys.append(digest.digest())
    return keys


class FoldCache:
    """A cache folder (created when first written) and its bound."""

    def __init__(self, folder: str | os.PathLike[str] | None = None, *,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder) if folder is not None else user_cache_dir()
        self.max_bytes = max_bytes

    def path(self, key: bytes, suffix: str = SUFFIX) -> Path:
        return self.folder / f"{key.hex()}{suffix}"

    def has(self, key: bytes) -> bool:
        return self.path(key).is_file()

    def read(self, key: bytes, suffix: str = SUFFIX) -> Any:
        """The entry ``key`` unpickled, or None when there is none or it cannot be read (it
        is then removed). Parts written ``deferred`` come back as ``Deferred`` handles."""
        path = self.path(key, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = MAGIC + key
        if not data.startswith(head):
            self._remove(path)
            return None
        try:
            with _collector_paused(freeze=True):
                blobs = _split(memoryview(data)[len(head):])
                value, table, names = pickle.loads(blobs[0])
                if names:
                    if len(names) != len(blobs) - 1:
                        raise ValueError("an entry cut short")
                    value = dict(value)
                    for name, blob in zip(names, blobs[1:], strict=True):
                        value[name] = Deferred(blob, table)
        except Exception:  # a truncated or foreign entry: any error at all means "not cached"
            self._remove(path)
            return None
        with contextlib.suppress(OSError):
            # recently used: the last to be evicted. At most once an hour: setting the time of
            # a large file just written can cost tenths of a second of the kernel's time
            if time.time() - path.stat().st_mtime > USED_EVERY:
                os.utime(path)
        return value

    def write(self, key: bytes, value: Any, deferred: Sequence[str] = (), *,
              suffix: str = SUFFIX) -> None:
        """Store ``value`` under ``key`` atomically, then keep the folder under its bound. A
        cache that cannot be written (a read-only home, a full disk) is skipped silently.

        ``deferred``: names of entries of ``value`` (a dict) pickled apart, each read back
        only when asked (``Deferred.load``); the origins they share with the rest of the
        entry are pickled once, with the rest, and come back as the same objects."""
        try:
            with _collector_paused():
                table: list[Any] = []
                parts = []
                if deferred:
                    shared = _shared_types()
                    index: dict[int, int] = {}
                    for name in deferred:
                        parts.append(_dump(value[name], shared, table, index))
                    value = {k: v for k, v in value.items() if k not in deferred}
                payload = _frame([_dump((value, table, tuple(deferred))), *parts])
        except Exception:  # pragma: no cover - the state pickles (tests/test_cache.py)
            return
        if len(MAGIC) + len(key) + len(payload) > self.max_bytes:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX,
                                                 dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(MAGIC)
                    out.write(key)
                    out.write(payload)
                os.replace(temporary, self.path(key, suffix))
            except BaseException:
                self._remove(Path(temporary))
                raise
        except OSError:
            return
        self.evict()

    def entries(self) -> list[tuple[float, int, Path]]:
        """(last used, size, path) of every entry, and of temporary files an interrupted
        write left (older than an hour)."""
        found = []
        try:
            listing = list(os.scandir(self.folder))
        except OSError:
            return []
        stale = time.time() - 3600
        for item in listing:
            if not item.name.endswith(SUFFIXES):
                continue
            try:
                stat = item.stat()
            except OSError:
                continue
            if item.name.startswith(".tmp-") and stat.st_mtime > stale:
                continue  # another process is writing it
            found.append((stat.st_mtime, stat.st_size, Path(item.path)))
        return found

    def evict(self) -> None:
        """Remove the least recently used entries until the folder holds at most
        ``max_bytes``."""
        entries = sorted(self.entries())
        total = sum(size for _, size, _ in entries)
        for _, size, path in entries:
            if total <= self.max_bytes and not path.name.startswith(".tmp-"):
                continue
            self._remove(path)
            total -= size

    def clear(self) -> int:
        """Remove every entry; how many there were."""
        entries = self.entries()
        for _, _, path in entries:
            self._remove(path)
        return len(entries)

    @staticmethod
    def _remove(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


class _Reducers(dict[type, Any]):
    """The cache's pickler's ``dispatch_table``: each frozen attrs class whose ``__init__``
    takes every field positionally and only stores it (``_positional_fields``) is pickled as
    a call of the class with its fields' values, which unpickling runs in attrs' generated
    ``__init__``; otherwise pickle's default for such a class reads back through attrs'
    ``__setstate__``, a Python loop over a dict per object. A 10,000-migration entry holds
    some 600,000 such objects (origins, names, lineage entries): the entry is a quarter
    smaller and reads back faster. Other types: pickle's own rules (``copyreg.dispatch_table``
    first)."""

    def __init__(self, table: Mapping[type, Any]) -> None:
        super().__init__(table)
        self.others: set[type] = set()

    def __missing__(self, cls: type) -> Any:
        if cls in self.others:
            raise KeyError(cls)
        names = _positional_fields(cls)
        if names is None:
            self.others.add(cls)
            raise KeyError(cls)

        def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
            return cls, tuple([getattr(obj, name) for name in names])

        self[cls] = reduce
        return reduce


def _shared_types() -> frozenset[type]:
    """The types a deferred part refers to by their place in the entry's table instead of
    pickling them again: origins (their identity matters: ``is`` compares them), which the
    ledger's maps hold too. What only deferred parts hold (events) is pickled with them."""
    from schemafold.events import Origin

    return frozenset({Origin})


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, shared: frozenset[type], table: list[Any],
                 index: dict[int, int]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared, self.table, self.index = shared, table, index

    def persistent_id(self, obj: Any) -> int | None:
        if type(obj) not in self.shared:
            return None
        place = self.index.get(id(obj))
        if place is None:
            place = self.index[id(obj)] = len(self.table)
            self.table.append(obj)
        return place


def _dump(value: Any, shared: frozenset[type] = frozenset(), table: list[Any] | None = None,
          index: dict[int, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    pickler: pickle.Pickler
    if shared and table is not None and index is not None:
        pickler = _Pickler(buffer, shared, table, index)
    else:
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _Reducers(copyreg.dispatch_table)
    pickler.dump(value)
    return buffer.getvalue()


def _frame(blobs: Sequence[bytes]) -> bytes:
    """The blobs, after their count and each one's length and CRC-32 (8 bytes each,
    little-endian)."""
    head = [len(blobs).to_bytes(8, "little")]
    for blob in blobs:
        head += [len(blob).to_bytes(8, "little"), zlib.crc32(blob).to_bytes(8, "little")]
    return b"".join([*head, *blobs])


def _split(data: memoryview) -> list[memoryview]:
    """``_frame``'s blobs; ValueError when ``data`` is not whole (the checksums: a part read
    only later must not turn out broken then)."""
    count = int.from_bytes(data[:8], "little")
    if not 0 < count <= 16 or len(data) < 8 + 16 * count:
        raise ValueError("not an entry of this format")
    at = 8 + 16 * count
    blobs = []
    for i in range(count):
        length = int.from_bytes(data[8 + 16 * i:16 + 16 * i], "little")
        checksum = int.from_bytes(data[16 + 16 * i:24 + 16 * i], "little")
        blob = data[at:at + length]
        if len(blob) != length or zlib.crc32(blob) != checksum:
            raise ValueError("an entry cut short or damaged")
        blobs.append(blob)
        at += length
    if at != len(data):
        raise ValueError("an entry too long")
    return blobs


class Deferred:
    """A part of an entry pickled apart (``FoldCache.write``'s ``deferred``), unpickled on
    the first ``load()``; its origins and events are those of the rest of the entry."""

    __slots__ = ("_blob", "_table", "_value", "_loaded")

    def __init__(self, blob: memoryview, table: list[Any]) -> None:
        self._blob: memoryview | None = blob
        self._table = table
        self._value: Any = None
        self._loaded = False

    def load(self) -> Any:
        if not self._loaded:
            assert self._blob is not None
            with _collector_paused(freeze=True):
                unpickler = pickle.Unpickler(io.BytesIO(self._blob))
                unpickler.persistent_load = self._table.__getitem__  # type: ignore[method-assign]
                self._value = unpickler.load()
            self._loaded = True
            self._blob = None
        return self._value


#: Converters that give back the very object they are given when it is what they make (so a
#: converted value goes through them unchanged): ``fragment.fragment`` returns a ``Fragment``
#: or None as it is.
_STORED_AS_GIVEN: tuple[Any, ...] = (None, fragment, fragment_or_none)


def _positional_fields(cls: type) -> tuple[str, ...] | None:
    """The names of ``cls``'s fields, in ``__init__``'s order, when calling ``cls`` with their
    values gives back an equal object: a frozen attrs class, every field taken positionally
    by ``__init__`` and stored as given (no converter but those of ``_STORED_AS_GIVEN``, no
    validator, no ``__attrs_post_init__``). None otherwise."""
    if not attrs.has(cls) or hasattr(cls, "__attrs_post_init__"):
        return None
    init = getattr(cls.__init__, "__code__", None)
    if init is None or not init.co_filename.startswith("<attrs generated"):
        return None  # an ``__init__`` of the class's own
    if (cls.__reduce__ is not object.__reduce__
            or cls.__reduce_ex__ is not object.__reduce_ex__):
        return None  # the class says how it pickles
    try:
        cls.__setattr__(object.__new__(cls), "__probe__", None)
    except attrs.exceptions.FrozenInstanceError:
        pass  # frozen: attrs refuses every assignment
    except Exception:
        return None  # a mutable slotted class (no such slot)
    else:
        return None  # a mutable class
    names = []
    for field in attrs.fields(cls):
        if (not field.init or field.kw_only or field.validator is not None
                or field.converter not in _STORED_AS_GIVEN):
            return None
        names.append(field.name)
    return tuple(names)


@contextlib.contextmanager
def _collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic garbage collection while an entry is pickled or unpickled: millions of objects
    (or the pickler's memo of them) are made at once, with no cycles to find among them, and
    each collection would walk them all (a third of the time of reading or writing a
    10,000-migration entry).

    ``freeze`` (after unpickling): move every object the collector tracks into its permanent
    generation (``gc.freeze``) before it runs again. Otherwise the first collection after the
    pause walks the whole entry just read, once per generation it is promoted through (0.5 CPU
    seconds of a 10,000-migration re-fold). Frozen objects are still freed when no longer
    referenced; only reference cycles among them are left uncollected, and a fold's state
    is read once per run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


_CURRENT: contextvars.ContextVar[FoldCache | None] = contextvars.ContextVar(
    "schemafold_cache", default=None)


def current() -> FoldCache | None:
    """The cache folds use now (None: none)."""
    return _CURRENT.get()


@contextlib.contextmanager
def use(cache: FoldCache | None) -> Iterator[FoldCache | None]:
    """Fold with ``cache`` (None: without one) inside the ``with`` block::

        with schemafold.cache.use(FoldCache()):
            result = schemafold.fold("migrations")
    """
    token = _CURRENT.set(cache)
    try:
        yield cache
    finally:
        _CURRENT.reset(token)


def _worth_writing(position: int, start: int) -> bool:
    """Whether to write the state after ``position`` migrations when the run began from the
    entry after ``start``: when at least one migration in a hundred of the prefix (and at
    least one) was folded since, so that a long history pays for writing its (large) state
    once every few dozen new migrations, not on every run."""
    return position - start >= max(1, position // 100)


def _rollback_files(events: Iterable[ev.Event]) -> set[str]:
    """The files holding a ``ROLLBACK`` (``fold.folder.fold_events`` computes the same)."""
    from schemafold import events as ev

    return {e.origin.file for e in events
            if isinstance(e, ev.SessionStatement) and e.verb.startswith("rollback")}


class CachedFold:
    """One history's parse and fold through the cache.

    ``parse()`` gives what ``parse.parse_migrations`` gives for every migration (those of the
    longest cached prefix from its entry); ``fold(cut)`` what ``fold.fold_events`` gives for
    the events of the first ``cut`` migrations, from the longest cached prefix of them.

    The events of a cached prefix, and its lineage, are read from the entry only when
    something asks for them (``Deferred``): a squash that folds one new migration needs
    neither, and they are most of an entry.
    """

    def __init__(self, cache: FoldCache, migrations: Sequence[Migration],
                 setup_paths: Sequence[Path], setup_events: Sequence[ev.Event],
                 search_path: Sequence[str]) -> None:
        self.cache = cache
        self.migrations = list(migrations)
        self.setup_events = list(setup_events)
        self.search_path = tuple(search_path)
        self.keys = chain(base_key(setup_paths, search_path), self.migrations)
        # per migration, filled by parse(): its events (None: those of the entry's prefix,
        # read when asked, ``_events``), warnings and statements, and how many events
        self.events: list[tuple[ev.Event, ...] | None] = []
        self.parts: list[tuple[tuple[SchemaWarning, ...], tuple[ev.Origin, ...]]] = []
        self.bounds: list[int] = [0]  # events before migration i
        self.entry: dict[str, Any] | None = None
        self.entry_at = 0
        self.written = False

    def _load(self, below: int) -> tuple[int, dict[str, Any] | None]:
        """The longest cached prefix of at most ``below`` migrations, and its entry."""
        for position in range(below, 0, -1):
            key = self.keys[position]
            if not self.cache.has(key):
                continue
            entry = self.cache.read(key)
            if (isinstance(entry, dict) and entry.get("position") == position
                    and isinstance(entry.get("history"), Deferred)):
                return position, entry
        return 0, None

    def parse(self, progress: Progress | None = None) -> ParseResult:
        from schemafold.parse import ParseResult, parse_migrations

        self.entry_at, self.entry = self._load(len(self.migrations))
        counts: list[int] = []
        if self.entry is not None:
            self.parts = list(self.entry["parts"])
            counts = list(self.entry["counts"])
            self.events = [None] * len(self.parts)
            history = self.entry["history"]
        ticker = Ticker(progress, "parsed files", len(self.migrations))
        for done in range(len(self.parts), len(self.migrations)):
            ticker.tick(done)
            parsed = parse_migrations([self.migrations[done]])
            self.events.append(parsed.events)
            self.parts.append((parsed.warnings, parsed.statements))
            counts.append(len(parsed.events))
        self.bounds = [0]
        for count in counts:
            self.bounds.append(self.bounds[-1] + count)
        events: Sequence[ev.Event]
        if self.entry is None:
            events = tuple(e for part in self.events for e in part or ())
        else:
            events = DeferredEvents(lambda: tuple(e for i in range(len(self.events))
                                                  for e in self._events(i, history)))
        return ParseResult(
            events,  # type: ignore[arg-type]  # a tuple when read (deferred.DeferredEvents)
            tuple(w for part in self.parts for w in part[0]),
            tuple(o for part in self.parts for o in part[1]))

    def _events(self, i: int, history: Deferred | None = None) -> tuple[ev.Event, ...]:
        """The events of migration ``i``."""
        events = self.events[i]
        if events is None:
            assert history is not None
            for at, cached in enumerate(history.load()["parts"]):
                self.events[at] = cached
            events = self.events[i]
            assert events is not None
        return events

    def fold(self, cut: int, progress: Progress | None = None) -> FoldResult:
        """The fold of the first ``cut`` migrations (after the setup), as
        ``fold_events`` gives it."""
        from schemafold.errors import FoldLimit, StatementError
        from schemafold.fold.folder import Folder

        start, state, rollback = self._restore(cut)
        if state is None:
            folder = Folder(search_path=self.search_path)
            folder.rollback_files = rollback
            folder.external = True
            for event in self.setup_events:
                folder.apply(event)
            folder.setup_done()
            setup_statements = len(folder.statements)
        else:
            folder, setup_statements = state
            folder.rollback_files = rollback
        # write one state per run, when it is worth it: the state before the history's last
        # migration; or, folding again up to a file the fold cannot follow (``tail``), the
        # state at that file, where the next run's fold stops again
        capture = cut - 1 if cut == len(self.migrations) else cut
        if self.written or capture <= start or not _worth_writing(capture, start):
            capture = -1
        ticker = Ticker(progress, "folded events", self.bounds[cut])
        done = self.bounds[start]
        for i in range(start, cut):
            if i == capture:
                self._write(capture, folder, setup_statements, rollback)
            for event in self._events(i, self._history):
                ticker.tick(done)
                done += 1
                try:
                    folder.apply(event)
                except (FoldLimit, StatementError):
                    raise
                except InputError as error:
                    if folder.uncertain_after is None:
                        raise
                    raise folder.fold_limit(
                        event.origin, f"{error.message} (the fold cannot see what "
                        f"{folder.uncertain_after.where()} did)") from error
        if capture == cut:
            self._write(capture, folder, setup_statements, rollback)
        result = folder.result()
        return attrs.evolve(result, ledger=result.ledger[setup_statements:])

    @property
    def _history(self) -> Deferred | None:
        return self.entry["history"] if self.entry is not None else None

    def _rollback(self, cut: int, position: int, entry: dict[str, Any] | None) -> set[str]:
        """The files holding a ``ROLLBACK`` among the setup and the first ``cut`` migrations;
        those of the first ``position`` from ``entry`` (which holds their state)."""
        events: list[ev.Event] = list(self.setup_events)
        for i in range(position, cut):
            events.extend(self._events(i, self._history))
        found = _rollback_files(events)
        if entry is not None:
            found |= entry["prefix_rollback"]
        return found

    def _restore(self, cut: int) -> tuple[int, tuple[Any, int] | None, set[str]]:
        """The state after the longest cached prefix of at most ``cut`` migrations, folded
        under the same ``ROLLBACK`` files: (its length, (the folder, setup statements), the
        files holding a ``ROLLBACK``)."""
        entry: dict[str, Any] | None
        if self.entry is not None and self.entry_at <= cut and "folder" in self.entry:
            position, entry = self.entry_at, self.entry  # a state is restored once
        else:
            position, entry = self._load(cut)
        if entry is None:
            return 0, None, self._rollback(cut, 0, None)
        rollback = self._rollback(cut, position, entry)
        paths = {m.path for m in self.migrations[:position]}
        if entry["rollback"] != rollback & paths:
            # a later file with a prefix file's path holds a ROLLBACK
            return 0, None, self._rollback(cut, 0, None)
        folder = entry.pop("folder")
        history: Deferred = entry["history"]
        folder.lineage = Lineage(history)
        folder.events = Events(history, entry["event_origins"])
        folder.lineage_deferred = True
        return position, (folder, entry["setup_statements"]), rollback

    def _write(self, position: int, folder: Any, setup_statements: int,
               rollback: set[str]) -> None:
        self.written = True
        paths = {m.path for m in self.migrations[:position]}
        lineage, events = folder.lineage, folder.events
        plain_lineage = lineage.loaded() if isinstance(lineage, Lineage) else lineage
        plain_events = events.loaded() if isinstance(events, Events) else events
        prefix = [self._events(i, self._history) for i in range(position)]
        folder.lineage = folder.events = None  # pickled apart, read back only when asked
        try:
            self.cache.write(self.keys[position], {
                "position": position, "parts": self.parts[:position],
                "counts": [len(e) for e in prefix], "folder": folder,
                "event_origins": [e.origin for e in plain_events],
                "setup_statements": setup_statements, "rollback": rollback & paths,
                "prefix_rollback": _rollback_files(e for part in prefix for e in part),
                "history": {"lineage": plain_lineage, "events": plain_events,
                            "parts": prefix}}, deferred=("history",))
        finally:
            folder.lineage, folder.events = lineage, events


class Events:
    """A restored fold's events (``FoldState.events``), read from the entry only when
    something reads them; until then, those the new migrations add are kept apart."""

    __slots__ = ("_cached", "_origins", "_added", "_whole")

    def __init__(self, cached: Deferred, origins: list[ev.Origin]) -> None:
        self._cached: Deferred | None = cached
        self._origins = origins
        self._added: list[ev.Event] = []
        self._whole: list[ev.Event] | None = None

    def loaded(self) -> list[ev.Event]:
        if self._whole is None:
            assert self._cached is not None
            self._whole = [*self._cached.load()["events"], *self._added]
            self._cached, self._added = None, []
        return self._whole

    def append(self, event: ev.Event) -> None:
        if self._whole is not None:
            self._whole.append(event)
        else:
            self._added.append(event)

    def frozen(self) -> DeferredEvents[ev.Event]:
        """``FoldResult.events``: built on first use."""
        if self._whole is not None:
            whole = tuple(self._whole)
            return DeferredEvents(lambda: whole)
        origins = [*self._origins, *(e.origin for e in self._added)]
        return DeferredEvents(lambda: tuple(self.loaded()), lambda: origins)

    def __iter__(self) -> Iterator[ev.Event]:
        return iter(self.loaded())

    def __len__(self) -> int:
        return len(self.loaded())

    def __getitem__(self, index: Any) -> Any:
        return self.loaded()[index]

    def __deepcopy__(self, memo: dict[int, Any]) -> list[ev.Event]:
        return list(self.loaded())

    def __reduce__(self) -> tuple[Any, ...]:
        return list, (self.loaded(),)


class Lineage:
    """A restored fold's lineage (``FoldState.lineage``: uid -> its entries), read from the
    entry only when something reads it. Until then the entries the new migrations add are
    kept apart (``setdefault`` is all that recording an entry asks) and joined to the cached
    ones on the first read; a plain squash never reads them (``FoldResult.lineage`` is built
    on first use too)."""

    __slots__ = ("_cached", "_added", "_whole")

    def __init__(self, history: Deferred) -> None:
        self._cached: Deferred | None = history
        self._added: dict[int, list[Any]] = {}
        self._whole: dict[int, list[Any]] | None = None

    def loaded(self) -> dict[int, list[Any]]:
        """The whole lineage, as a plain dict."""
        if self._whole is None:
            assert self._cached is not None
            whole: dict[int, list[Any]] = self._cached.load()["lineage"]
            for uid, entries in self._added.items():
                if uid in whole:
                    whole[uid].extend(entries)
                else:
                    whole[uid] = entries
            self._whole, self._cached, self._added = whole, None, {}
        return self._whole

    def setdefault(self, uid: int, default: list[Any]) -> list[Any]:
        if self._whole is not None:
            return self._whole.setdefault(uid, default)
        return self._added.setdefault(uid, default)

    def get(self, uid: int, default: Any = None) -> Any:
        return self.loaded().get(uid, default)

    def __getitem__(self, uid: int) -> list[Any]:
        return self.loaded()[uid]

    def __contains__(self, uid: object) -> bool:
        return uid in self.loaded()

    def __iter__(self) -> Iterator[int]:
        return iter(self.loaded())

    def __len__(self) -> int:
        return len(self.loaded())

    def items(self) -> Any:
        return self.loaded().items()

    def keys(self) -> Any:
        return self.loaded().keys()

    def values(self) -> Any:
        return self.loaded().values()

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[int, list[Any]]:
        # a transaction's snapshot (fold.transactions._copy): a plain copy of the whole
        return {uid: list(entries) for uid, entries in self.loaded().items()}

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (self.loaded(),)
