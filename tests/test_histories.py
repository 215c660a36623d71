"""Every fixture history under tests/histories: fold it (no database), render the consolidation,
replay history and consolidation each in its own throwaway cluster, and require equality under the
contract (schema dump with owners and privileges, roles, rows, sequences).

``INDEX.toml`` maps each PostgreSQL behaviour of the design notes (1-9, 12-15) and the
environment section to the fixtures that exercise it; ``[fixture.<name>]`` tables give a fixture
its environment: ``setup`` files (relative to the fixture folder, folded as external objects and
replayed first on both sides), the ``search_path`` both sides run under, and ``sequences`` whose
positions the history set explicitly (both sides must agree on them).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import tomllib

from replay_helpers import Settings, fixture_settings, history_files, replay_both, texts
from schemafold import fold
from schemafold.fold import FoldResult
from schemafold.model import Table
from schemafold.parse.splitter import split_sql
from schemafold.parse.tokens import is_word, tokenize
from schemafold.render.postgres import render_schema, render_statements
from schemafold.sources import read_history
from schemafold.verify.cluster import Cluster

HISTORIES = Path(__file__).parent / "histories"
FIXTURES = sorted(p.name for p in HISTORIES.iterdir() if p.is_dir())
INDEX = tomllib.loads((HISTORIES / "INDEX.toml").read_text())

#: Behaviours of the design notes every fixture set must cover (10 and 11, data and opaque
#: statements, have fixtures of their own elsewhere), and the environment section.
REQUIRED = [str(n) for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15)] + ["environment"]


def settings(name: str) -> Settings:
    return fixture_settings(HISTORIES / name)


@cache
def folded(name: str) -> FoldResult:
    s = settings(name)
    return fold(HISTORIES / name, setup=s.setup, search_path=s.search_path)


def behaviours_of(name: str) -> set[str]:
    return {key for key, fixtures in INDEX["behaviours"].items() if name in fixtures}


def _number(behaviour: str) -> str:
    return behaviour.split("-", 1)[0]


# ---------------------------------------------------------------------------------------------
# The index itself


def test_every_required_behaviour_has_two_fixtures() -> None:
    by_number = {_number(key): fixtures for key, fixtures in INDEX["behaviours"].items()}
    for behaviour in REQUIRED:
        fixtures = by_number.get(behaviour)
        assert fixtures, f"behaviour {behaviour} has no fixture in INDEX.toml"
        assert len(set(fixtures)) >= 2, f"behaviour {behaviour} has fewer than two fixtures"


def test_every_fixture_is_indexed_and_has_three_migrations() -> None:
    indexed = {f for fixtures in INDEX["behaviours"].values() for f in fixtures}
    assert indexed == set(FIXTURES)
    assert set(INDEX.get("fixture", {})) <= set(FIXTURES)
    for name in FIXTURES:
        assert len(read_history(HISTORIES / name).migrations) >= 3, name
        for setup in settings(name).setup:
            assert setup.is_file(), setup


def test_ten_fixtures_combine_three_behaviours() -> None:
    combined = [name for name in FIXTURES if len(behaviours_of(name)) >= 3]
    assert len(combined) >= 10, combined


def test_fixture_roles_are_unique() -> None:
    """Roles are cluster-wide and the fixtures share two clusters: each creates its own."""
    seen: Counter[str] = Counter()
    for name in FIXTURES:
        texts = [m.text for m in read_history(HISTORIES / name).migrations]
        texts += [p.read_text() for p in settings(name).setup]
        for text in texts:
            for role in re.findall(r"(?i)\bCREATE\s+(?:ROLE|USER|GROUP)\s+(\w+)", text):
                seen[role.lower()] += 1
    assert all(count == 1 for count in seen.values()), seen


# ---------------------------------------------------------------------------------------------
# Each fixture


@pytest.mark.parametrize("name", FIXTURES)
def test_squash_equals_history(name: str, clusters: tuple[Cluster, Cluster]) -> None:
    s = settings(name)
    consolidation = render_schema(folded(name).schema)
    comparison = replay_both(clusters, history_files(HISTORIES / name),
                             texts([("0001_schema.sql", consolidation)]),
                             explicit_positions=s.sequences, settings=s)
    assert comparison.equal, comparison.summary() + "\n" + consolidation
    assert not comparison.roles_diff


#: ALTER statements a consolidation may contain: constraints added in post-data (pg_dump's form,
#: and how foreign-key cycles are deferred), row level security switches, owners, sequence
#: ownership, default privileges, a partition attached with its own column order (or NOT NULL
#: names), an inheritance child's own NOT NULL on a column its parent gives (pg_dump's form; and
#: its parent's after it, when the child's came first), and a child of ALTER TABLE ... INHERIT
#: whose column order INHERITS would not give.
_ALLOWED_ALTER = re.compile(
    r"(?is)^ALTER ("
    r"TABLE (ONLY )?\S+ ADD CONSTRAINT"
    r"|TABLE \S+ (ENABLE|FORCE) ROW LEVEL SECURITY"
    r"|DOMAIN \S+ ADD (CONSTRAINT \S+ )?CHECK .* NOT VALID$"
    r"|(MATERIALIZED VIEW|TABLE|VIEW|SEQUENCE|TYPE|DOMAIN|SCHEMA|FUNCTION|PROCEDURE) \S+?"
    r"(\(.*\))? OWNER TO \S+$"
    r"|SEQUENCE \S+ OWNED BY \S+$"
    r"|DEFAULT PRIVILEGES "
    r"|TABLE ONLY \S+ ATTACH PARTITION \S+ (FOR VALUES|DEFAULT)"
    r"|TABLE (ONLY )?\S+ ALTER COLUMN \S+ SET NOT NULL$"
    # an inherited column's own default, as pg_dump writes it
    r"|TABLE ONLY \S+ ALTER COLUMN \S+ (SET DEFAULT .*|DROP DEFAULT)$"
    # a child with its own column order made a child again (INHERITS would reorder it)
    r"|TABLE \S+ INHERIT \S+$"
    r")"
)


@pytest.mark.parametrize("name", FIXTURES)
def test_consolidation_is_a_fold_not_a_replay(name: str) -> None:
    result = folded(name)
    kept = {k.text.strip().rstrip(";").strip() for k in result.schema.kept}
    created: Counter[tuple[object, ...]] = Counter()
    for _, key, sql in render_statements(result.schema):
        body = sql.strip().rstrip(";").strip()
        if body in kept:
            continue
        words = [t.text.upper() for t in tokenize(body) if is_word(t)]
        assert words[0] != "DROP", body
        assert "RENAME" not in words, body
        if body.upper().startswith("ALTER"):
            assert _ALLOWED_ALTER.match(body), body
        if re.match(r"(?is)^CREATE\b", body):
            assert key in result.schema.objects, (key, body)
            assert not result.schema.objects[key].external, body
            created[key] += 1
    assert all(count == 1 for count in created.values()), created
    for key, obj in result.schema.objects.items():
        if obj.external or key == ("schema", "public"):
            continue
        if key[0] == "sequence" and (getattr(obj, "implicit", False)
                                     or getattr(obj, "identity", False)):
            continue  # created by its serial or identity column
        assert created[key] == 1, f"{key} is never created"


@pytest.mark.parametrize("name", FIXTURES)
def test_ledger_accounts_for_every_statement(name: str) -> None:
    result = folded(name)
    count = sum(
        len(split_sql(m.text, m.path).statements)
        for m in read_history(HISTORIES / name).migrations
    )
    assert len(result.ledger) == count
    final = set(result.schema.objects)
    for entry in result.ledger:
        assert entry.outcome in ("absorbed-into", "superseded-by", "no-op", "kept-verbatim")
        if entry.outcome == "absorbed-into":
            target = entry.target
            assert target is not None
            dropped = any(e.action == "dropped" for e in result.lineage.get(target, ()))
            if target[0] == "column":  # a column of a table of the net schema
                table = result.schema.objects.get(("table", *target[1:3]))
                alive = isinstance(table, Table) and table.column(str(target[3])) is not None
            else:
                alive = target in final
            assert alive or dropped, entry
        if entry.outcome == "superseded-by":
            assert entry.by and re.match(r".+:\d+$", entry.by), entry


def test_unqualified_names_stay_unqualified() -> None:
    """Under ``--search-path app,public`` the history's unqualified names land in app and are
    rendered unqualified; what it qualified stays qualified."""
    text = render_schema(folded("env_search_path").schema)
    for created in ("TYPE plan", "TABLE subscription", "VIEW paying", "FUNCTION tenant_name"):
        assert re.search(rf"\nCREATE {created}\b", text), created
    assert "CREATE TABLE public.heartbeat" in text
    assert "REFERENCES tenant (id)" in text
    assert "CREATE TABLE app." not in text and "CREATE TYPE app." not in text


def test_names_created_under_another_search_path_are_qualified() -> None:
    """Objects the history created after ``SET search_path`` are rendered in their schema, and
    the names their expressions resolved then are qualified."""
    text = render_schema(folded("search_path_schemas").schema)
    assert "CREATE TABLE app.account (" in text
    assert "CREATE TABLE account (" in text  # the public one, created under the default path
    assert "role app.app_role DEFAULT" in text
    assert "DEFAULT app.next_ticket()" in text and "nextval('app.ticket_no')" in text
    assert "FROM audit.log l JOIN app.account a" in text
    assert "EXECUTE FUNCTION audit.log_touch()" in text


def test_rolled_back_statements_leave_no_trace() -> None:
    result = folded("transactions_rollback")
    text = (HISTORIES / "transactions_rollback" / "0001_base.sql").read_text().splitlines()
    savepoint = text.index("SAVEPOINT before_experiment;") + 1
    rollback = text.index("ROLLBACK TO SAVEPOINT before_experiment;") + 1
    undone = [e for e in result.ledger
              if e.file == "0001_base.sql" and savepoint < e.line < rollback]
    assert len(undone) == 4  # ADD COLUMN, CREATE INDEX, INSERT, DROP TABLE
    for entry in undone:
        assert (entry.outcome, entry.reason) == (
            "no-op", f"rolled back by 0001_base.sql:{rollback}"), entry
    wallet = result.schema.objects[("table", "public", "wallet")]
    assert isinstance(wallet, Table)
    assert [c.name for c in wallet.columns] == ["id", "owner", "balance", "currency"]
    assert ("table", "public", "wallet_audit") not in result.schema.objects
    assert ("index", "public", "wallet_experiment_idx") not in result.lineage


def test_owner_and_default_privileges_follow_the_role() -> None:
    objects = folded("privileges_owners").schema.objects
    summary = objects[("table", "reporting", "summary")]
    later = objects[("table", "public", "later")]
    entry = objects[("table", "public", "ledger_entry")]
    assert summary.owner == "privileges_owner"
    # made under SET ROLE: the migrating role's default privileges do not apply to it
    assert all(p.grantee != "privileges_reader" for p in summary.acl)
    # made after the default privilege was revoked again
    assert later.acl == ()
    assert {(p.grantee, p.privilege) for p in entry.acl if not p.revoke} >= {
        ("privileges_reader", "SELECT"), ("privileges_writer", "INSERT")}
