"""The incremental cache (schemafold.cache, docs/cache.md): whatever the cache holds -- nothing,
the right prefix, a stale, corrupt or foreign entry -- a command's output is byte for byte what
it is with ``--no-cache``. Not timed: bench/run.py measures what the cache saves."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from schemafold import cache as cache_module
from schemafold.api import fold, fold_history
from schemafold.cache import FoldCache, use, user_cache_dir
from schemafold.cli import main
from schemafold.sources import History, Migration, read_history

ROOT = Path(__file__).resolve().parents[1]
ATTUNE = ROOT / "examples" / "attune"

HISTORY = {
    "20240101000001_accounts.sql":
        "CREATE TABLE account (id serial PRIMARY KEY, email text NOT NULL UNIQUE);\n"
        "CREATE INDEX account_email_lower ON account (lower(email));\n"
        "INSERT INTO account (email) VALUES ('a@example.org'), ('b@example.org');\n",
    "20240101000002_orders.sql":
        "CREATE TABLE purchase (id bigserial PRIMARY KEY,\n"
        "  account_id int REFERENCES account (id) ON DELETE CASCADE, total numeric(10, 2));\n"
        "COMMENT ON TABLE purchase IS 'what an account bought';\n",
    "20240101000003_rename.sql":
        "ALTER TABLE account RENAME COLUMN email TO mail;\n"
        "UPDATE account SET mail = upper(mail) WHERE id = 1;\n",
    "20240101000004_savepoint.sql":
        "BEGIN;\nCREATE TABLE scratch (n int);\nROLLBACK;\n"
        "CREATE TYPE mood AS ENUM ('calm', 'busy');\n",
    "20240101000005_view.sql":
        "CREATE VIEW busy_accounts AS SELECT a.id, a.mail FROM account a\n"
        "  JOIN purchase p ON p.account_id = a.id;\n"
        "ALTER TABLE purchase ADD COLUMN mood mood DEFAULT 'calm';\n",
    "20240101000006_drop.sql":
        "DROP INDEX account_email_lower;\nALTER TABLE purchase DROP COLUMN total;\n",
}

# a table a DO block makes under a condition the fold cannot decide; a later file alters it, so
# the fold stops there and keeps the files from there on as written (schemafold.tail)
TAILED = {
    "20240201000001_base.sql": "CREATE TABLE ledger_line (id int PRIMARY KEY, memo text);\n",
    "20240201000002_dynamic.sql":
        "DO $$ BEGIN\n  IF random() < 2 THEN\n"
        "    EXECUTE 'CREATE TABLE audit_' || 'trail (at timestamptz)';\n  END IF;\nEND $$;\n",
    "20240201000003_more.sql": "ALTER TABLE ledger_line ADD COLUMN amount int;\n",
    "20240201000004_touch.sql": "ALTER TABLE audit_trail ADD COLUMN who text;\n",
}


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def squash(src: Path, out: Path, *extra: str) -> tuple[int, str, str, dict[str, bytes]]:
    """``squash SRC --out OUT`` and everything it printed and wrote (paths in the output
    made neutral, so that two folders compare)."""
    code, stdout, stderr = cli("squash", str(src), "--out", str(out), "--force", "-v", *extra)
    written = {p.relative_to(out).as_posix(): p.read_bytes()
               for p in sorted(out.rglob("*")) if p.is_file()}
    return code, stdout.replace(str(out), "OUT"), stderr, written


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.fold")) if folder.is_dir() else []


def same_as_cold(src: Path, tmp: Path, cache_dir: Path, *extra: str) -> list[Path]:
    """Squash ``src`` through the cache and without it; they agree byte for byte. Returns the
    entries the cache holds afterwards."""
    cold = squash(src, tmp / "cold", "--no-cache", *extra)
    warm = squash(src, tmp / "warm", "--cache-dir", str(cache_dir), *extra)
    assert warm == cold
    return entries(cache_dir)


def test_a_miss_then_hits_give_the_output_of_a_run_without_the_cache(tmp_path: Path) -> None:
    source = tmp_path / "attune"
    for path in (ATTUNE / "migrations").iterdir():
        write(source, {path.name: path.read_text(encoding="utf-8")})
    before = sorted((p.name, p.read_bytes()) for p in source.iterdir())
    options = ("--setup", str(ATTUNE / "setup.sql"), "--search-path", "attune,public",
               "--layout", str(ATTUNE / "layout.toml"))
    cache_dir = tmp_path / "cache"
    cold = squash(source, tmp_path / "cold", "--no-cache", *options)
    assert cold[0] == 0 and len(cold[3]) > 3
    assert not cache_dir.exists()
    for run in range(3):  # a miss (it writes the entry), then hits
        warm = squash(source, tmp_path / f"warm{run}", "--cache-dir", str(cache_dir), *options)
        assert warm == cold
        assert len(entries(cache_dir)) == 1
    assert sorted((p.name, p.read_bytes()) for p in source.iterdir()) == before
    # the other commands that fold read the same entry and say the same as without it
    for command in (["plan"], ["report"], ["graph", "--format", "dot"], ["at"]):
        args = [*command, str(source), *(["20260127000001"] if command == ["at"] else []),
                "--setup", str(ATTUNE / "setup.sql"), "--search-path", "attune,public"]
        assert cli(*args, "--cache-dir", str(cache_dir)) == cli(*args, "--no-cache")


def test_the_fold_result_is_the_same_object_for_object(tmp_path: Path) -> None:
    source = write(tmp_path / "h", HISTORY)
    cold = fold(source)
    with use(FoldCache(tmp_path / "cache")):
        for _ in range(2):
            warm = fold(source)
            assert warm == cold
            assert (warm.ledger, warm.lineage, warm.warnings, warm.events) == (
                cold.ledger, cold.lineage, cold.warnings, cold.events)
            assert (warm.data_notes, warm.interpreted, warm.not_interpreted) == (
                cold.data_notes, cold.interpreted, cold.not_interpreted)


def test_an_edit_in_the_middle_an_appended_file_and_a_new_last_file(tmp_path: Path) -> None:
    source = write(tmp_path / "h", HISTORY)
    cache_dir = tmp_path / "cache"
    assert len(same_as_cold(source, tmp_path / "1", cache_dir)) == 1
    # appended: the entry before the last file is the start, another is written
    write(source, {"20240101000007_more.sql": "ALTER TABLE account ADD COLUMN note text;\n"})
    assert len(same_as_cold(source, tmp_path / "2", cache_dir)) == 2
    # the last file edited: starts from the entry before it
    write(source, {"20240101000007_more.sql": "ALTER TABLE account ADD COLUMN memo text;\n"})
    same_as_cold(source, tmp_path / "3", cache_dir)
    # a file in the middle edited: every later prefix's key changes
    write(source, {"20240101000003_rename.sql":
                   "ALTER TABLE account RENAME COLUMN email TO address;\n"})
    (source / "20240101000005_view.sql").write_text(
        HISTORY["20240101000005_view.sql"].replace("a.mail", "a.address"), encoding="utf-8")
    same_as_cold(source, tmp_path / "4", cache_dir)
    # a file removed, one renamed
    (source / "20240101000007_more.sql").unlink()
    (source / "20240101000006_drop.sql").rename(source / "20240101000008_drop.sql")
    same_as_cold(source, tmp_path / "5", cache_dir)


def test_an_option_that_changes_the_fold_changes_the_key(tmp_path: Path) -> None:
    source = write(tmp_path / "h", {
        "20240101000001_a.sql": "CREATE TABLE thing (id int);\n",
        "20240101000002_b.sql": "ALTER TABLE thing ADD COLUMN n int;\n",
        "20240101000003_c.sql": "CREATE INDEX thing_n ON thing (n);\n"})
    setup = tmp_path / "setup.sql"
    setup.write_text("CREATE SCHEMA app;\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    same_as_cold(source, tmp_path / "1", cache_dir, "--setup", str(setup))
    same_as_cold(source, tmp_path / "2", cache_dir, "--setup", str(setup),
                 "--search-path", "app,public")
    setup.write_text("CREATE SCHEMA app;\nCREATE TABLE app.other (id int);\n",
                     encoding="utf-8")
    same_as_cold(source, tmp_path / "3", cache_dir, "--setup", str(setup),
                 "--search-path", "app,public")
    same_as_cold(source, tmp_path / "4", cache_dir, "--until", "20240101000002")
    same_as_cold(source, tmp_path / "5", cache_dir, "--source-format", "golang-migrate")
    # one per distinct key; golang-migrate reads these files as the same migrations as the
    # detected sqlx does (the key is what the fold sees), so those two runs share an entry
    assert len(entries(cache_dir)) == 4


def test_another_version_of_schemafold_reads_none_of_the_entries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write(tmp_path / "h", HISTORY)
    cache_dir = tmp_path / "cache"
    first = same_as_cold(source, tmp_path / "1", cache_dir)
    monkeypatch.setattr(cache_module, "_CODE_DIGEST", b"another release" * 2)
    second = same_as_cold(source, tmp_path / "2", cache_dir)
    assert len(second) == 2 and first[0] in second


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other format", "other key",
                                    "empty"])
def test_a_corrupt_or_foreign_entry_is_ignored_and_replaced(tmp_path: Path,
                                                             damage: str) -> None:
    source = write(tmp_path / "h", HISTORY)
    cache_dir = tmp_path / "cache"
    [entry] = same_as_cold(source, tmp_path / "1", cache_dir)
    data = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(data[:len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(data[:len(cache_module.MAGIC) + 32] + b"\x80\x05not a pickle")
    elif damage == "other format":
        entry.write_bytes(b"schemafold-cache 0\n" + data[len(cache_module.MAGIC):])
    elif damage == "empty":
        entry.write_bytes(b"")
    else:  # a valid entry of another prefix under this entry's name
        other = write(tmp_path / "other", {"20240101000001_x.sql": "CREATE TABLE x (i int);\n",
                                           "20240101000002_y.sql": "CREATE TABLE y (i int);\n"})
        [foreign] = same_as_cold(other, tmp_path / "0", tmp_path / "other-cache")
        entry.write_bytes(foreign.read_bytes())
    for finished in cache_dir.glob("*.squash"):  # else the finished consolidation is read
        finished.unlink()
    assert same_as_cold(source, tmp_path / "2", cache_dir) == [entry]
    assert entry.read_bytes() == data  # rewritten as it was


def test_a_history_the_fold_stops_in_keeps_its_tail_the_same(tmp_path: Path) -> None:
    source = write(tmp_path / "h", TAILED)
    cache_dir = tmp_path / "cache"
    same_as_cold(source, tmp_path / "1", cache_dir)
    _, stdout, _, written = squash(source, tmp_path / "2", "--cache-dir", str(cache_dir))
    assert "kept" in stdout and any("audit_trail" in t.decode() for t in written.values())
    write(source, {"20240201000005_last.sql": "CREATE TABLE last_one (id int);\n"})
    same_as_cold(source, tmp_path / "3", cache_dir)
    same_as_cold(source, tmp_path / "4", cache_dir, "--upto", "20240201000003")
    # the fold stops before the last file: the state where it stops is the entry
    write(source, {"20240201000006_after.sql": "CREATE TABLE after_all (id int);\n"})
    fresh = tmp_path / "fresh-cache"
    [entry] = same_as_cold(source, tmp_path / "5", fresh)
    with use(FoldCache(fresh)):
        cached = fold_history(read_history(source))
    assert cached.tail and len(cached.folded) == 3
    assert FoldCache(fresh).read(bytes.fromhex(entry.stem))["position"] == 3
    assert same_as_cold(source, tmp_path / "6", fresh) == [entry]


def test_a_changelog_of_several_migrations_appended_with_a_rollback(tmp_path: Path) -> None:
    changelog = ("--liquibase formatted sql\n\n"
                 "--changeset me:1\nCREATE TABLE a (id int);\n\n"
                 "--changeset me:2\nCREATE TABLE b (id int);\n\n")
    source = write(tmp_path / "h", {"changelog.sql": changelog})
    cache_dir = tmp_path / "cache"
    options = ("--source-format", "liquibase")
    same_as_cold(source, tmp_path / "1", cache_dir, *options)
    write(source, {"changelog.sql": changelog + "--changeset me:3\nBEGIN;\n"
                   "CREATE TABLE c (id int);\nROLLBACK;\n"})
    same_as_cold(source, tmp_path / "2", cache_dir, *options)


def test_a_later_rollback_in_a_file_of_the_prefix_is_not_missed(tmp_path: Path) -> None:
    """The fold reads a file's statements knowing whether the file holds a ROLLBACK anywhere
    (fold_events' ``rollback_files``): an entry folded when a file of its prefix held none is
    not used once a later migration of the same file holds one."""
    first = Migration("1", "a", "same.sql", "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n")
    other = Migration("2", "b", "other.sql", "CREATE TABLE b (id int);\n")
    rolled = Migration("2", "b", "same.sql", "BEGIN;\nCREATE TABLE c (id int);\nROLLBACK;\n")
    with use(FoldCache(tmp_path / "cache")):
        fold(History((first, other), "plain"))
        assert len(entries(tmp_path / "cache")) == 1  # the state after ``first``
        warm = fold(History((first, rolled), "plain"))
    cold = fold(History((first, rolled), "plain"))
    assert (warm, warm.ledger, warm.lineage, warm.warnings) == (
        cold, cold.ledger, cold.lineage, cold.warnings)


def test_no_cache_and_the_settings_file_write_nothing(tmp_path: Path) -> None:
    source = write(tmp_path / "project" / "migrations", HISTORY)
    cache_dir = tmp_path / "cache"
    squash(source, tmp_path / "1", "--no-cache", "--cache-dir", str(cache_dir))
    assert not cache_dir.exists()
    settings = tmp_path / "project" / "schemafold.toml"
    settings.write_text("cache = false\ncache_dir = '../elsewhere'\n", encoding="utf-8")
    squash(source, tmp_path / "2")
    assert not (tmp_path / "elsewhere").exists()
    settings.write_text("cache_dir = '../elsewhere'\n", encoding="utf-8")
    squash(source, tmp_path / "3")
    assert len(entries(tmp_path / "elsewhere")) == 1
    settings.write_text("cache = 'no'\n", encoding="utf-8")
    code, _, stderr = cli("squash", str(source), "--out", str(tmp_path / "4"))
    assert code == 2 and "cache: expected true or false" in stderr
    assert sorted(p.name for p in source.iterdir()) == sorted(HISTORY)


def test_by_default_the_user_cache_folder(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    source = write(tmp_path / "h", HISTORY)
    monkeypatch.setenv("SCHEMAFOLD_CACHE_DIR", str(tmp_path / "env"))
    squash(source, tmp_path / "1")
    assert len(entries(tmp_path / "env")) == 1
    squash(source, tmp_path / "2", "--cache-dir", str(tmp_path / "flag"))  # the flag wins
    assert len(entries(tmp_path / "flag")) == 1
    monkeypatch.delenv("SCHEMAFOLD_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform not in ("darwin", "win32"):
        squash(source, tmp_path / "3")
        assert len(entries(tmp_path / "xdg" / "schemafold")) == 1


def test_every_command_that_folds_takes_the_flags() -> None:
    for command in ("squash", "plan", "report", "blame", "at", "graph", "adopt"):
        code, stdout, _ = cli_help(command)
        assert "--no-cache" in stdout and "--cache-dir DIR" in stdout, command
    for command in ("events", "diff", "verify"):
        assert "--no-cache" not in cli_help(command)[1], command


def cli_help(command: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            contextlib.suppress(SystemExit):
        main([command, "--help"])
    return 0, out.getvalue(), err.getvalue()


def test_the_folder_stays_under_its_bound(tmp_path: Path) -> None:
    source = write(tmp_path / "h", HISTORY)
    bounded = FoldCache(tmp_path / "cache", max_bytes=1)
    with use(bounded):
        fold(source)
    assert entries(tmp_path / "cache") == []  # larger than the bound: never written
    folder = tmp_path / "lru"
    with use(FoldCache(folder)):
        for n in range(3):
            write(source, {f"20240101000{n + 10}_n.sql": f"CREATE TABLE n{n} (i int);\n"})
            fold(source)
    sizes = sorted(p.stat().st_size for p in entries(folder))
    assert len(sizes) == 3
    newest = max(entries(folder), key=lambda p: p.stat().st_mtime_ns)
    small = FoldCache(folder, max_bytes=sizes[-1] + 1)
    os.utime(newest)
    small.evict()
    assert entries(folder) == [newest]


def test_two_processes_at_once(tmp_path: Path) -> None:
    source = write(tmp_path / "h", HISTORY)
    cache_dir = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    runs = [subprocess.Popen([sys.executable, "-m", "schemafold", "squash", str(source),
                              "--out", str(tmp_path / f"o{i}"), "--cache-dir", str(cache_dir)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for i in range(2)]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
    # one fold state and one finished consolidation, no temporary file left
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(
        [entries(cache_dir)[0].name, finished(cache_dir)[0].name])
    one, two = ({p.name: p.read_bytes() for p in (tmp_path / f"o{i}").iterdir()}
                for i in range(2))
    cold = squash(source, tmp_path / "cold", "--no-cache")[3]
    assert one == two == cold


def test_the_cache_folder_of_each_platform() -> None:
    home = {"HOME": "/home/u"}
    assert user_cache_dir(home, "linux") == Path("/home/u/.cache/schemafold")
    assert user_cache_dir({**home, "XDG_CACHE_HOME": "/var/c"}, "linux") == Path(
        "/var/c/schemafold")
    assert user_cache_dir({**home, "XDG_CACHE_HOME": "relative"}, "linux") == Path(
        "/home/u/.cache/schemafold")
    assert user_cache_dir(home, "darwin") == Path("/home/u/Library/Caches/schemafold")
    assert user_cache_dir({"LOCALAPPDATA": "C:/Users/u/AppData/Local"}, "win32") == Path(
        "C:/Users/u/AppData/Local/schemafold/Cache")
    assert user_cache_dir({**home, "SCHEMAFOLD_CACHE_DIR": "/tmp/sf"}, "linux") == Path(
        "/tmp/sf")


@attrs.frozen
class Converted:
    value: str = attrs.field(converter=str.lower)


@attrs.define
class Mutable:
    value: int


@attrs.frozen(kw_only=True)
class KeywordOnly:
    value: int


@attrs.frozen(init=False)
class OwnInit:
    value: int

    def __init__(self, text: str) -> None:
        object.__setattr__(self, "value", int(text))


@attrs.frozen
class OwnReduce:
    value: int

    def __reduce__(self) -> tuple[object, ...]:
        return (OwnReduce, (self.value,))


def test_the_pickler_calls_only_frozen_store_only_classes(tmp_path: Path) -> None:
    """Frozen attrs classes whose ``__init__`` only stores its positional arguments are pickled
    as a call of the class; any other class keeps pickle's default (its ``__init__`` would
    convert, validate or compute, or the object is mutable)."""
    from schemafold.events import Origin
    from schemafold.lineage import Account, Action, LineageEntry

    assert cache_module._positional_fields(LineageEntry) is not None
    assert cache_module._positional_fields(Origin) is not None  # its converter: fragment()
    for cls in (Converted, Mutable, KeywordOnly, OwnInit, OwnReduce, int, Path):
        assert cache_module._positional_fields(cls) is None
    cache = FoldCache(tmp_path)
    origin = Origin("a.sql", 3, "SELECT 1")
    entry = LineageEntry(Action.CREATED, origin, Account(), ("t",), None)
    value = {"entries": [entry, entry], "other": [Converted("A"), Mutable(1)]}
    cache.write(b"k" * 32, value)
    back = cache.read(b"k" * 32)
    assert back == value and back["entries"][0] is back["entries"][1]


# -- the consolidation cache (schemafold.squash_cache) ------------------------------------------


def run_squash(src: Path, out: Path, *extra: str) -> tuple[int, str, str, dict[str, bytes]]:
    """``squash`` as a user runs it (warnings grouped, no -v), and what it wrote, with the
    paths of OUT made neutral."""
    code, stdout, stderr = cli("squash", str(src), "--out", str(out), *extra)
    written = ({p.relative_to(out).as_posix(): p.read_bytes()
                for p in sorted(out.rglob("*")) if p.is_file()} if out.is_dir() else {})
    return code, stdout.replace(str(out), "OUT"), stderr.replace(str(out), "OUT"), written


def finished(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.squash")) if folder.is_dir() else []


def no_folding(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a consolidation made anew fails the test: only the cache may answer."""
    import schemafold.consolidation

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("consolidated again: the finished consolidation was not used")

    monkeypatch.setattr(schemafold.consolidation, "consolidate", refuse)


WARNED = {
    **HISTORY,
    "20240101000007_warned.sql":
        "CREATE TABLE IF NOT EXISTS account (id int);\n"
        "CREATE TABLE IF NOT EXISTS purchase (id int);\n"
        "SET LOCAL search_path TO public;\n",
}


@pytest.mark.parametrize("mode", [(), ("--format", "json"), ("-q",), ("-v",), ("--strict",)])
def test_a_warm_squash_prints_and_writes_what_a_cold_one_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: tuple[str, ...]) -> None:
    source = write(tmp_path / "h", WARNED)
    cache_dir = tmp_path / "cache"
    out = tmp_path / "out"
    cold = run_squash(source, out, "--force", "--no-cache", *mode)
    assert cold[2] or mode == ("-q",)  # warnings, grouped unless -v (the exit code: --strict)
    first = run_squash(source, out, "--force", "--cache-dir", str(cache_dir), *mode)
    assert first == cold and len(finished(cache_dir)) == (1 if cold[0] == 0 else 1)
    no_folding(monkeypatch)
    assert run_squash(source, out, "--force", "--cache-dir", str(cache_dir), *mode) == cold


@pytest.mark.parametrize("mode", [(), ("--format", "json")])
def test_a_warm_check_says_current_and_stale_as_a_cold_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: tuple[str, ...]) -> None:
    source = write(tmp_path / "h", WARNED)
    cache_dir = tmp_path / "cache"
    out = tmp_path / "committed"
    assert run_squash(source, out, "--cache-dir", str(cache_dir))[0] == 0
    current = run_squash(source, out, "--check", "--no-cache", *mode)
    assert current[0] == 0
    no_folding(monkeypatch)
    assert run_squash(source, out, "--check", "--cache-dir", str(cache_dir), *mode) == current
    monkeypatch.undo()
    # the committed folder edited by hand: stale, exit 1, the same diff
    [sql] = [p for p in sorted(out.iterdir()) if p.suffix == ".sql"][:1]
    sql.write_text(sql.read_text(encoding="utf-8") + "-- edited\n", encoding="utf-8")
    (out / "extra.sql").write_text("SELECT 1;\n", encoding="utf-8")
    stale = run_squash(source, out, "--check", "--no-cache", *mode)
    assert stale[0] == 1 and "edited" in stale[1]
    no_folding(monkeypatch)
    assert run_squash(source, out, "--check", "--cache-dir", str(cache_dir), *mode) == stale
    monkeypatch.undo()
    # the history changed since: stale, and no finished consolidation answers for it
    write(source, {"20240101000008_new.sql": "CREATE TABLE newer (id int);\n"})
    changed = run_squash(source, out, "--check", "--no-cache", *mode)
    assert changed[0] == 1 and "newer" in changed[1]
    assert run_squash(source, out, "--check", "--cache-dir", str(cache_dir), *mode) == changed


def test_every_option_that_changes_the_consolidation_changes_its_key(tmp_path: Path) -> None:
    source = write(tmp_path / "h", HISTORY)
    setup = tmp_path / "setup.sql"
    setup.write_text("CREATE SCHEMA app;\n", encoding="utf-8")
    layout = tmp_path / "layout.toml"
    layout.write_text('[[file]]\nname = "accounts"\nselect = ["table:account"]\n\n'
                      '[[file]]\nname = "rest"\nrest = true\n', encoding="utf-8")
    cache_dir = tmp_path / "cache"
    runs = [(), ("--layout", "by-origin"), ("--naming", "flyway"), ("--base-version", "7"),
            ("--data", "drop"), ("--data", "separate"), ("--setup", str(setup)),
            ("--setup", str(setup), "--search-path", "app,public"),
            ("--until", "20240101000004"), ("--layout", str(layout))]
    for number, extra in enumerate(runs):
        same_as_cold(source, tmp_path / str(number), cache_dir, *extra)
        assert (tmp_path / str(number) / "warm").is_dir()  # it squashed
        assert len(finished(cache_dir)) == number + 1
    # a setup file, a layout file, a migration edited: new keys, and the output of now
    setup.write_text("CREATE SCHEMA app;\nCREATE TABLE app.more (id int);\n",
                     encoding="utf-8")
    same_as_cold(source, tmp_path / "s", cache_dir, "--setup", str(setup))
    layout.write_text('[[file]]\nname = "types"\nselect = ["type:mood"]\n\n'
                      '[[file]]\nname = "rest"\nrest = true\n', encoding="utf-8")
    same_as_cold(source, tmp_path / "l", cache_dir, "--layout", str(layout))
    for run in ("s", "l"):
        assert (tmp_path / run / "warm").is_dir()
    write(source, {"20240101000002_orders.sql": HISTORY["20240101000002_orders.sql"]
                   .replace("what an account bought", "an order")})
    same_as_cold(source, tmp_path / "m", cache_dir)
    assert len(finished(cache_dir)) == len(runs) + 3
    # the same source under another folder name: its README names the folder
    moved = tmp_path / "elsewhere"
    source.rename(moved)
    same_as_cold(moved, tmp_path / "n", cache_dir)
    assert len(finished(cache_dir)) == len(runs) + 4


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "a fold entry"])
def test_a_broken_finished_consolidation_is_ignored_and_replaced(tmp_path: Path,
                                                                  damage: str) -> None:
    source = write(tmp_path / "h", HISTORY)
    cache_dir = tmp_path / "cache"
    same_as_cold(source, tmp_path / "1", cache_dir)
    [entry] = finished(cache_dir)
    data = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(data[:len(data) - 10])
    elif damage == "garbage":
        entry.write_bytes(data[:len(cache_module.MAGIC) + 32] + b"\x80\x05not a pickle")
    elif damage == "empty":
        entry.write_bytes(b"")
    else:  # a fold state's entry under its name: not what it holds
        [fold_entry] = entries(cache_dir)
        entry.write_bytes(fold_entry.read_bytes().replace(
            bytes.fromhex(fold_entry.stem), bytes.fromhex(entry.stem)))
    same_as_cold(source, tmp_path / "2", cache_dir)
    assert finished(cache_dir) == [entry] and entry.read_bytes() == data


def test_a_warm_squash_verify_still_verifies(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    source = write(tmp_path / "h", HISTORY)
    cache_dir = tmp_path / "cache"
    out = tmp_path / "out"
    assert run_squash(source, out, "--cache-dir", str(cache_dir))[0] == 0
    no_folding(monkeypatch)
    code, stdout, _, written = run_squash(source, out, "--force", "--verify", "--format", "json",
                                          "--cache-dir", str(cache_dir))
    assert code == 0 and written
    summary = json.loads(stdout)
    assert summary["verify"]["equal"] is True
