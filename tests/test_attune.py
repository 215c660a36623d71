"""The Attune example (examples/attune): its original 23-file history, replayed on a real
PostgreSQL the way Attune's runner does (setup first, then one transaction per file in file-name
order, unqualified names under ``search_path = attune, public``), checked against what the fact
sheet of Attune's history (facts.md, sections 2-6 and 8) says it builds.

Two databases are built once per module in the session cluster: ``final`` replays the history in
one go, as Attune would; ``staged`` replays it file by file, snapshotting the catalog after each
file, seeding a pack and three triggers (test-only rows) before the webhook migration and
probing what ``TRUNCATE runtime CASCADE`` reaches. The roles of setup.sql are cluster-wide, so
the staged database gets setup.sql without its CREATE ROLE statements; both roles are dropped
when the module ends. (The databases live in the session's ``pg_cluster``; ``fresh_db`` is
per-test, and these are built once per module.)

The hand-written oracle examples/attune/expected-findings.json is checked here too: every
``file:line`` it names lies in a statement that names the object, objects it calls dropped are
gone and objects it calls added exist, and every count equals what PostgreSQL built.

The committed consolidation examples/attune/consolidated is checked last: regenerating it gives
the same bytes, ``schemafold verify`` (a subprocess, throwaway clusters of its own) says it equals
the history, the layout moves only the six foreign keys the seed's file order breaks, and it
follows the SQL where the seed is wrong. The example's README is checked against real runs: its
commands run as written from the repository root, every output line it shows is printed, and its
counts are measured.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest
import tomllib

from schemafold.api import fold, parse
from schemafold.files import plan_files
from schemafold.layout import load_layout
from schemafold.parse.splitter import Statement, line_of, split_sql
from schemafold.sources import read_history
from schemafold.verify.cluster import Cluster
from schemafold.verify.replay import ReplayFile, connect, replay

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "attune"
MIGRATIONS = EXAMPLE / "migrations"
SETUP = EXAMPLE / "setup.sql"
FINDINGS = json.loads((EXAMPLE / "expected-findings.json").read_text())
SEARCH_PATH = ("attune", "public")
SESSION = "SET search_path TO attune, public"
ROLES = ("svc_attune", "attune_api")

# facts.md §2.1, in apply order
FILES = [
    "20250101000001_initial_setup.sql",
    "20250101000002_core_tables.sql",
    "20250101000003_event_system.sql",
    "20250101000004_execution_system.sql",
    "20250101000005_supporting_tables.sql",
    "20260119000001_add_execution_notify_trigger.sql",
    "20260120000001_add_webhook_support.sql",
    "20260120000002_webhook_advanced_features.sql",
    "20260120200000_add_pack_test_results.sql",
    "20260122000001_pack_installation_metadata.sql",
    "20260127000001_consolidate_webhook_config.sql",
    "20260127212500_consolidate_workflow_task_execution.sql",
    "20260129000001_fix_webhook_function_overload.sql",
    "20260129140130_add_is_adhoc_flag.sql",
    "20260129150000_add_event_notify_trigger.sql",
    "20260130000001_add_rule_to_event.sql",
    "20260131000001_add_worker_role.sql",
    "20260202000001_add_sensor_runtimes.sql",
    "20260203000001_unify_runtimes.sql",
    "20260203000002_add_pack_environments.sql",
    "20260203000003_add_rule_trigger_to_execution_notify.sql",
    "20260204000001_add_enforcement_notify_trigger.sql",
    "20260204000001_restore_webhook_functions.sql",
]

# facts.md §3: the 22 base tables, 5 added by the chain, workflow_task_execution dropped
BASE_TABLES = {
    "pack", "runtime", "worker", "identity", "permission_set", "permission_assignment", "policy",
    "key", "trigger", "sensor", "event", "enforcement", "action", "rule", "execution", "inquiry",
    "workflow_definition", "workflow_execution", "workflow_task_execution", "notification",
    "artifact", "queue_stats",
}
TABLES_AT_END = (BASE_TABLES - {"workflow_task_execution"}) | {
    "webhook_event_log", "webhook_rate_limit", "pack_test_execution", "pack_installation",
    "pack_environment",
}

# facts.md §4, labels in order
ENUMS = {
    "worker_type_enum": ["local", "remote", "container"],
    "worker_status_enum": ["active", "inactive", "busy", "error"],
    "enforcement_status_enum": ["created", "processed", "disabled"],
    "enforcement_condition_enum": ["any", "all"],
    "execution_status_enum": ["requested", "scheduling", "scheduled", "running", "completed",
                              "failed", "canceling", "cancelled", "timeout", "abandoned"],
    "inquiry_status_enum": ["pending", "responded", "timeout", "cancelled"],
    "policy_method_enum": ["cancel", "enqueue"],
    "owner_type_enum": ["system", "identity", "pack", "action", "sensor"],
    "notification_status_enum": ["created", "queued", "processing", "error"],
    "artifact_type_enum": ["file_binary", "file_datatable", "file_image", "file_text", "other",
                           "progress", "url"],
    "artifact_retention_enum": ["versions", "days", "hours", "minutes"],
    "worker_role_enum": ["action", "sensor", "hybrid"],
    "pack_environment_status_enum": ["pending", "installing", "ready", "failed", "outdated"],
}
ENUM_FILE = {name: FILES[0] for name in ENUMS} | {
    "runtime_type_enum": FILES[0],
    "worker_role_enum": "20260131000001_add_worker_role.sql",
    "pack_environment_status_enum": "20260203000002_add_pack_environments.sql",
}

# facts.md §5
FUNCTIONS = {
    "update_updated_column", "validate_key_owner", "notify_on_insert", "notify_execution_change",
    "generate_webhook_key", "enable_trigger_webhook", "disable_trigger_webhook",
    "regenerate_trigger_webhook_key", "generate_webhook_hmac_secret",
    "configure_trigger_webhook_rate_limit", "configure_trigger_webhook_ip_whitelist",
    "check_webhook_rate_limit", "check_webhook_ip_whitelist", "get_pack_test_stats",
    "pack_has_passing_tests", "update_pack_test_metadata", "notify_event_created",
    "get_pack_environment_path", "runtime_requires_environment", "notify_enforcement_change",
}
# every table with an "updated" column has update_<table>_updated, except webhook_rate_limit
# (none) and pack_installation (its own name)
TIMESTAMP_TRIGGER_TABLES = TABLES_AT_END - {
    "permission_assignment", "queue_stats", "webhook_event_log", "webhook_rate_limit",
    "pack_test_execution", "pack_installation",
}
TRIGGERS = {
    (t, f"update_{t}_updated", "update_updated_column") for t in TIMESTAMP_TRIGGER_TABLES
} | {
    ("pack_installation", "pack_installation_updated_trigger", "update_updated_column"),
    ("key", "validate_key_owner_trigger", "validate_key_owner"),
    ("notification", "notify_on_notification_insert", "notify_on_insert"),
    ("execution", "notify_execution_change", "notify_execution_change"),
    ("event", "notify_event_created", "notify_event_created"),
    ("enforcement", "notify_enforcement_change", "notify_enforcement_change"),
    ("pack_test_execution", "trigger_update_pack_test_metadata", "update_pack_test_metadata"),
}
NOTIFY_TIMING = {
    "notify_execution_change": "AFTER INSERT OR UPDATE ON attune.execution FOR EACH ROW",
    "notify_event_created": "AFTER INSERT ON attune.event FOR EACH ROW",
    "notify_enforcement_change": "AFTER INSERT OR UPDATE ON attune.enforcement FOR EACH ROW",
    "notify_on_notification_insert": "AFTER INSERT ON attune.notification FOR EACH ROW",
}

# facts.md §6: active GRANT statements per file
GRANTS_PER_FILE = {
    "20250101000002_core_tables.sql": 16,
    "20250101000003_event_system.sql": 8,
    "20250101000004_execution_system.sql": 17,
    "20250101000005_supporting_tables.sql": 5,
    "20260120000002_webhook_advanced_features.sql": 5,
}
SIUD = ("SELECT", "INSERT", "UPDATE", "DELETE")
SVC_TABLES = (BASE_TABLES - {"workflow_task_execution"})
TABLE_GRANTS = (
    {("svc_attune", t, p) for t in SVC_TABLES for p in SIUD}
    | {("svc_attune", v, "SELECT") for v in ("workflow_execution_summary", "workflow_action_link")}
    | {("attune_api", "webhook_event_log", p) for p in ("SELECT", "INSERT")}
    | {("attune_api", "webhook_rate_limit", p) for p in SIUD}
)
SEQUENCE_GRANTS = (
    {("svc_attune", f"{t}_id_seq", p) for t in SVC_TABLES - {"queue_stats"}
     for p in ("USAGE", "SELECT")}
    | {("attune_api", f"{t}_id_seq", p) for t in ("webhook_event_log", "webhook_rate_limit")
       for p in ("USAGE", "SELECT")}
)
GONE = {"workflow_task_execution", "workflow_task_execution_id_seq", "workflow_task_detail",
        "webhook_stats_detailed"}

WEBHOOK_SEED = """
INSERT INTO pack (ref, label, version) VALUES ('core', 'Core', '1.0.0');
INSERT INTO trigger (ref, label, webhook_enabled, webhook_key, webhook_secret,
    webhook_hmac_enabled, webhook_hmac_secret, webhook_hmac_algorithm,
    webhook_rate_limit_enabled, webhook_rate_limit_requests, webhook_rate_limit_window_seconds,
    webhook_ip_whitelist_enabled, webhook_ip_whitelist, webhook_payload_size_limit_kb)
VALUES ('demo.webhook', 'Webhook', TRUE, 'wh_seeded', 'plain-secret', TRUE, 'hmac-secret',
    'sha512', TRUE, 10, 30, TRUE, ARRAY['10.0.0.0/8', '192.168.1.5'], 256);
INSERT INTO trigger (ref, label, webhook_key) VALUES ('demo.keyonly', 'Key only', 'wh_keyonly');
INSERT INTO trigger (ref, label) VALUES ('demo.timer', 'Timer');
"""


@attrs.frozen
class Snapshot:
    tables: frozenset[str]
    views: frozenset[str]
    enums: frozenset[str]
    functions: frozenset[str]
    runtime_rows: tuple[tuple[str, str | None], ...]
    trigger_columns: frozenset[str]
    webhook_configs: dict[str, Any]


@attrs.frozen
class Attune:
    cluster: Cluster
    final: str  # database replayed in one go
    staged: str  # database replayed file by file, with seeds and probes
    snapshots: dict[str, Snapshot]
    truncate_reaches: frozenset[str]


def _q(dsn: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connect(dsn) as conn:
        return list(conn.execute(sql, params or None).fetchall())


def _snapshot(dsn: str) -> Snapshot:
    def names(sql: str) -> frozenset[str]:
        return frozenset(r[0] for r in _q(dsn, sql))

    relations = ("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE n.nspname = 'attune' AND c.relkind = %s")
    tables = frozenset(r[0] for r in _q(dsn, relations, "r"))
    return Snapshot(
        tables=tables,
        views=frozenset(r[0] for r in _q(dsn, relations, "v")),
        enums=names("SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                    "WHERE n.nspname = 'attune' AND t.typtype = 'e'"),
        functions=names(
            "SELECT p.proname || '(' || oidvectortypes(p.proargtypes) || ')' FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'attune' AND NOT "
            "EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"),
        runtime_rows=tuple(_q(dsn, "SELECT r.ref, p.ref FROM attune.runtime r "
                                   "LEFT JOIN attune.pack p ON p.id = r.pack ORDER BY r.ref"))
        if "runtime" in tables else (),
        trigger_columns=names("SELECT column_name FROM information_schema.columns "
                              "WHERE table_schema = 'attune' AND table_name = 'trigger'"),
        webhook_configs=dict(_q(dsn, "SELECT ref, to_jsonb(t) -> 'webhook_config' "
                                     "FROM attune.trigger t")) if "trigger" in tables else {},
    )


def _truncate_reach(dsn: str) -> frozenset[str]:
    """The tables PostgreSQL says TRUNCATE runtime CASCADE reaches, in a rolled-back transaction."""
    notices: list[str] = []
    with connect(dsn) as conn:
        conn.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
        conn.execute(SESSION)
        conn.execute("BEGIN")
        conn.execute("TRUNCATE runtime CASCADE")
        conn.execute("ROLLBACK")
    return frozenset(re.sub(r'^truncate cascades to table "(.*)"$', r"\1", n) for n in notices)


def _setup_without_roles() -> str:
    statements = split_sql(SETUP.read_text(), SETUP.name).statements
    return ";\n".join(s.text for s in statements if not s.text.upper().startswith("CREATE ROLE"))


@pytest.fixture(scope="module")
def history_files() -> list[ReplayFile]:
    history = read_history(MIGRATIONS, source_format="sqlx")
    return [ReplayFile(m.path, m.text, m.in_transaction) for m in history.migrations]


@pytest.fixture(scope="module")
def attune(pg_cluster: Cluster, history_files: list[ReplayFile]) -> Iterator[Attune]:
    tag = uuid.uuid4().hex[:10]
    final, staged = f"attune_final_{tag}", f"attune_staged_{tag}"
    try:
        final_dsn = pg_cluster.create_database(final)
        replay(final_dsn, [ReplayFile(SETUP.name, SETUP.read_text())])
        replay(final_dsn, history_files, session_setup=SESSION)

        staged_dsn = pg_cluster.create_database(staged)
        replay(staged_dsn, [ReplayFile("setup.sql (roles exist)", _setup_without_roles())])
        snapshots: dict[str, Snapshot] = {}
        reach: frozenset[str] = frozenset()
        for file in history_files:
            if file.name == "20260127000001_consolidate_webhook_config.sql":
                replay(staged_dsn, [ReplayFile("test-only seed", WEBHOOK_SEED)],
                       session_setup=SESSION)
            if file.name == "20260203000001_unify_runtimes.sql":
                reach = _truncate_reach(staged_dsn)
            replay(staged_dsn, [file], session_setup=SESSION)
            snapshots[file.name] = _snapshot(staged_dsn)
        yield Attune(pg_cluster, final_dsn, staged_dsn, snapshots, reach)
    finally:
        pg_cluster.drop_database(final)
        pg_cluster.drop_database(staged)
        with connect(pg_cluster.dsn()) as conn:
            for role in ROLES:
                conn.execute(f"DROP ROLE IF EXISTS {role}")


def _statements(name: str) -> tuple[Statement, ...]:
    return split_sql((MIGRATIONS / name).read_text(), name).statements


def _all_statements() -> list[Statement]:
    return [s for name in FILES for s in _statements(name)]


# ---------------------------------------------------------------------------------------------
# The history itself


def test_history_is_23_files_with_22_versions() -> None:
    history = read_history(MIGRATIONS, source_format="sqlx")
    assert [m.path for m in history.migrations] == FILES
    assert len({m.version for m in history.migrations}) == 22
    assert all(m.in_transaction for m in history.migrations)
    shared = [w for w in history.warnings if "share version 20260204000001" in str(w)]
    assert len(shared) == 1


def test_tables_at_the_end_of_the_chain(attune: Attune) -> None:
    assert _snapshot(attune.final).tables == TABLES_AT_END
    assert attune.snapshots[FILES[4]].tables == BASE_TABLES
    assert len(TABLES_AT_END) == 26


def test_enums_and_their_labels_in_order(attune: Attune) -> None:
    rows = _q(attune.final, "SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) "
                            "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                            "JOIN pg_enum e ON e.enumtypid = t.oid WHERE n.nspname = 'attune' "
                            "GROUP BY t.typname")
    assert dict(rows) == ENUMS
    created = set().union(*(s.enums for s in attune.snapshots.values()))
    assert created == set(ENUMS) | {"runtime_type_enum"}


def test_every_enum_is_created_in_a_do_block_that_swallows_duplicate_object() -> None:
    found: dict[str, str] = {}
    for statement in _all_statements():
        for name in re.findall(r"CREATE TYPE (\w+) AS ENUM", statement.text):
            assert statement.text.startswith("DO $$"), (statement.file, statement.line)
            assert re.search(r"EXCEPTION\s+WHEN duplicate_object THEN NULL;\s*END",
                             statement.text), (statement.file, statement.line)
            found[name] = statement.file
    assert found == ENUM_FILE
    assert sum(1 for f in found.values() if f == FILES[0]) == 12


def test_the_duplicate_object_blocks_let_initial_setup_run_again(attune: Attune) -> None:
    text = (MIGRATIONS / FILES[0]).read_text()
    with connect(attune.final) as conn:
        conn.execute(SESSION)
        conn.execute("BEGIN")
        conn.execute(text)  # the 11 surviving enums raise duplicate_object inside their blocks
        conn.execute("ROLLBACK")
        conn.execute("BEGIN")
        with pytest.raises(psycopg.errors.DuplicateObject):  # what the blocks swallow
            conn.execute("CREATE TYPE worker_type_enum AS ENUM ('local')")
        conn.execute("ROLLBACK")


def test_functions_and_triggers_by_name(attune: Attune) -> None:
    functions = _snapshot(attune.final).functions
    assert {f.split("(")[0] for f in functions} == FUNCTIONS
    assert len(functions) == 20
    assert "enable_trigger_webhook(bigint, jsonb)" in functions
    triggers = _q(attune.final, "SELECT c.relname, t.tgname, p.proname, pg_get_triggerdef(t.oid) "
                                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal")
    assert {row[:3] for row in triggers} == TRIGGERS
    definitions = {row[1]: row[3] for row in triggers}
    for name, timing in NOTIFY_TIMING.items():
        assert timing in definitions[name], definitions[name]
    bodies = dict(_q(attune.final,
                     "SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'notify_%'"))
    assert "pg_notify('attune_notifications'" in bodies["notify_execution_change"]
    assert "pg_notify('attune_notifications'" in bodies["notify_enforcement_change"]
    assert "pg_notify('event_created'" in bodies["notify_event_created"]
    assert re.search(r"pg_notify\(\s*NEW\.channel,", bodies["notify_on_insert"])


def test_listen_notify_payloads_come_from_the_last_versions(attune: Attune) -> None:
    received: dict[str, dict[str, Any]] = {}
    with connect(attune.staged) as listener, connect(attune.staged) as writer:
        for channel in ("attune_notifications", "event_created", "demo_channel"):
            listener.execute(f"LISTEN {channel}")
        writer.execute(SESSION)
        writer.execute("INSERT INTO event (trigger_ref) VALUES ('demo.timer')")
        writer.execute("INSERT INTO enforcement (rule_ref, trigger_ref, payload) "
                       "VALUES ('demo.rule', 'demo.timer', '{}')")
        writer.execute("INSERT INTO execution (action_ref, enforcement) "
                       "SELECT 'demo.noop', max(id) FROM enforcement")
        writer.execute("INSERT INTO notification (channel, entity_type, entity, activity) "
                       "VALUES ('demo_channel', 'execution', '1', 'created')")
        for note in listener.notifies(timeout=5, stop_after=4):
            payload = json.loads(note.payload)
            received[payload.get("entity_type", "?") + "@" + note.channel] = payload
    event = received["event@event_created"]["data"]
    assert "rule_ref" in event  # 20260130000001's version, not 20260129150000's
    enforcement = received["enforcement@attune_notifications"]
    assert enforcement["operation"] == "created"
    execution = received["execution@attune_notifications"]["data"]
    assert (execution["rule_ref"], execution["trigger_ref"]) == ("demo.rule", "demo.timer")
    assert received["execution@demo_channel"]["activity"] == "created"


def test_restored_webhook_functions_behave_as_the_last_file_says(attune: Attune) -> None:
    with connect(attune.staged) as conn:
        conn.execute(SESSION)
        conn.execute("BEGIN")
        timer = conn.execute("SELECT id FROM trigger WHERE ref = 'demo.timer'").fetchone()[0]
        enabled, key, url = conn.execute("SELECT * FROM enable_trigger_webhook(%s)",
                                         (timer,)).fetchone()
        assert enabled and re.fullmatch(r"wh_[a-z0-9]{1,32}", key)
        assert url == "http://localhost:8080/api/v1/webhooks/" + key
        assert conn.execute("SELECT disable_trigger_webhook(%s)", (timer,)).fetchone()[0]
        assert conn.execute("SELECT webhook_key FROM trigger WHERE id = %s",
                            (timer,)).fetchone()[0] is None
        conn.execute("ROLLBACK")


def test_grants_per_file(attune: Attune) -> None:
    for name in FILES:
        grants = [s for s in _statements(name) if s.text.upper().startswith("GRANT")]
        assert len(grants) == GRANTS_PER_FILE.get(name, 0), name
        for statement in grants:
            match = re.fullmatch(r"GRANT ([A-Z, ]+) ON (SEQUENCE )?(\w+) TO (\w+)", statement.text)
            assert match, statement.text
            privileges, sequence, target, role = match.groups()
            if target in GONE:
                assert _q(attune.final, "SELECT to_regclass(%s)", f"attune.{target}") == [(None,)]
                continue
            check = "has_sequence_privilege" if sequence else "has_table_privilege"
            for privilege in privileges.split(", "):
                assert _q(attune.final, f"SELECT {check}(%s, %s, %s)", role,
                          f"attune.{target}", privilege) == [(True,)], statement.text
    for name in (FILES[0], "20260120000001_add_webhook_support.sql"):
        text = (MIGRATIONS / name).read_text()
        assert re.search(r"^-- GRANT ", text, re.M), name  # only commented-out grants


def test_grants_at_the_end_are_exactly_those_of_the_history(attune: Attune) -> None:
    tables = _q(attune.final, "SELECT grantee, table_name, privilege_type "
                              "FROM information_schema.role_table_grants "
                              "WHERE table_schema = 'attune' AND grantee = ANY(%s)", list(ROLES))
    assert set(tables) == TABLE_GRANTS
    sequences = _q(attune.final, "SELECT a.grantee::regrole::text, c.relname, a.privilege_type "
                                 "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, "
                                 "aclexplode(c.relacl) a WHERE n.nspname = 'attune' "
                                 "AND c.relkind = 'S' AND a.grantee <> c.relowner")
    assert set(sequences) == SEQUENCE_GRANTS


def test_runtime_rows_are_inserted_then_truncated(attune: Attune) -> None:
    inserts = [s for s in _statements("20260202000001_add_sensor_runtimes.sql")
               if s.text.startswith("INSERT INTO runtime")]
    assert len(inserts) == 4
    assert any(s.text == "TRUNCATE runtime CASCADE"
               for s in _statements("20260203000001_unify_runtimes.sql"))
    after_inserts = attune.snapshots["20260202000001_add_sensor_runtimes.sql"].runtime_rows
    assert after_inserts == tuple(
        (f"core.sensor.{n}", "core") for n in ("native", "nodejs", "python", "shell"))
    assert attune.snapshots["20260203000001_unify_runtimes.sql"].runtime_rows == ()
    assert _q(attune.final, "SELECT count(*) FROM attune.runtime") == [(0,)]
    assert attune.truncate_reaches == set(FINDINGS["truncate_cascades_to"]["tables"])


def test_webhook_update_folds_seeded_columns_into_webhook_config(attune: Attune) -> None:
    name = "20260127000001_consolidate_webhook_config.sql"
    statements = _statements(name)
    update = next(i for i, s in enumerate(statements) if s.text.startswith("UPDATE trigger"))
    drop = next(i for i, s in enumerate(statements)
                if "DROP COLUMN IF EXISTS webhook_secret" in s.text)
    assert update < drop and "webhook_ip_whitelist" in statements[update].text
    before, after = attune.snapshots[FILES[9]], attune.snapshots[name]
    dropped = {f["object"].split(".")[1] for f in FINDINGS["created_then_dropped"]
               if f["object"].startswith("column trigger.")}
    assert len(dropped) == 10 and dropped <= before.trigger_columns
    assert not dropped & after.trigger_columns and "webhook_config" in after.trigger_columns
    assert after.webhook_configs["demo.webhook"] == {
        "secret": "plain-secret",
        "hmac": {"enabled": True, "secret": "hmac-secret", "algorithm": "sha512"},
        "rate_limit": {"enabled": True, "requests": 10, "window_seconds": 30},
        "ip_whitelist": {"enabled": True, "ips": ["10.0.0.0/8", "192.168.1.5"]},
        "payload_size_limit_kb": 256,
    }
    assert after.webhook_configs["demo.keyonly"] == {
        "secret": None,
        "hmac": {"enabled": False, "secret": None, "algorithm": "sha256"},
        "rate_limit": {"enabled": False, "requests": 100, "window_seconds": 60},
        "ip_whitelist": {"enabled": False, "ips": []},
        "payload_size_limit_kb": 1024,
    }
    assert after.webhook_configs["demo.timer"] == {}  # neither enabled nor keyed: default
    assert attune.snapshots[FILES[-1]].webhook_configs == after.webhook_configs


# ---------------------------------------------------------------------------------------------
# The fold and the layout


def _folded() -> Any:
    return fold(MIGRATIONS, setup=[SETUP], search_path=SEARCH_PATH, source_format="sqlx")


def _net(folded: Any, kind: str) -> set[str]:
    return {str(key[2]) for key, obj in folded.schema.objects.items()
            if key[0] == kind and not obj.external}


def test_fold_net_schema_has_the_replayed_tables(attune: Attune) -> None:
    assert _net(_folded(), "table") == _snapshot(attune.final).tables


def test_fold_net_schema_has_the_replayed_types_views_and_functions(attune: Attune) -> None:
    folded = _folded()
    final = _snapshot(attune.final)
    assert _net(folded, "type") == final.enums
    assert _net(folded, "view") == final.views
    assert _net(folded, "function") == {f.split("(")[0] for f in final.functions}


PLACED_KINDS = ("extension", "type", "table", "view", "function", "trigger")


def test_layout_has_the_seed_files_and_places_every_object_once() -> None:
    folded = _folded()
    layout = tomllib.loads((EXAMPLE / "layout.toml").read_text())
    names = [f["name"] for f in layout["file"]]
    assert names == ["initial_setup", "identity_and_auth", "pack_system", "action_sensor",
                     "trigger_event_rule", "execution_system", "workflow_system",
                     "worker_notification", "artifacts", "webhook_system", "pack_environments",
                     "pack_testing", "notify_triggers"]
    selectors = [tuple(s.split(":", 1)) for f in layout["file"] for s in f["select"]]
    used: set[tuple[str, ...]] = set()
    for key, obj in folded.schema.objects.items():
        kind = str(key[0])
        if obj.external or kind not in PLACED_KINDS:
            continue
        name = str(key[-1] if kind == "trigger" else key[1] if kind == "extension" else key[2])
        matches = [s for s in selectors if s[0] == kind and fnmatch.fnmatchcase(name, s[1])]
        used.update(matches)
        if kind != "trigger":  # triggers follow their table unless claimed
            assert len(matches) == 1, (key, matches)
        else:
            assert len(matches) <= 1, (key, matches)
    assert used == set(selectors)


# ---------------------------------------------------------------------------------------------
# The hand-written oracle


def _place(place: str) -> tuple[str, int]:
    name, line = place.rsplit(":", 1)
    return name, int(line)


def _statement_at(place: str) -> tuple[Statement, str]:
    name, line = _place(place)
    text = (MIGRATIONS / name).read_text()
    for statement in split_sql(text, name).statements:
        if statement.line <= line <= line_of(text, statement.end):
            return statement, text.splitlines()[line - 1]
    raise AssertionError(f"{place} is not inside a statement")


def _names(obj: str) -> tuple[str, list[str]]:
    """The object's own name (which the named line must show) and the other names its statement
    must mention (table, row ref)."""
    kind, rest = obj.split(" ", 1)
    if kind == "comment":
        rest = rest.split(" ", 2)[-1]
    if kind == "rows":
        table, _, ref = rest.partition(" ")
        return table, [ref.strip("()")] if ref else []
    if kind == "trigger":
        name, _, table = rest.split(" ")
        return name, [table]
    if kind in ("column", "constraint", "comment") and "." in rest:
        table, name = rest.split(".")
        return name, [table]
    return rest.split("(")[0], []


def _check_place(obj: str, place: str, *, with_extras: bool = True) -> None:
    name, extras = _names(obj)
    statement, line = _statement_at(place)
    assert re.search(rf"\b{re.escape(name)}\b", line), (place, obj, line)
    for extra in extras if with_extras else []:
        assert re.search(rf"\b{re.escape(extra)}\b", statement.text), (place, obj)


def _order(place: str) -> tuple[int, int]:
    name, line = _place(place)
    return FILES.index(name), line


def test_every_place_in_the_findings_shows_its_object() -> None:
    checked = 0
    for item in FINDINGS["created_then_dropped"]:
        _check_place(item["object"], item["created"])
        _check_place(item.get("via", item["object"]), item["dropped"])
        assert _order(item["created"]) < _order(item["dropped"])
        checked += 2
    for item in FINDINGS["added_later"]:
        _check_place(item["object"], item["added"])
        if "table_created" in item:
            created, _ = _statement_at(item["table_created"])
            table = re.match(r"CREATE TABLE (\w+)", created.text)
            assert table and created.line == _place(item["table_created"])[1], item
            added, _ = _statement_at(item["added"])
            assert re.search(rf"\b{table.group(1)}\b", added.text), item
            assert _order(item["table_created"]) < _order(item["added"])
        checked += 1
    for item in FINDINGS["changed"]:
        for step in item["steps"]:
            _check_place(item["object"], step)
        assert item["steps"] == sorted(item["steps"], key=_order)
        assert item["final"] == item["steps"][-1]
        checked += len(item["steps"])
    for item in FINDINGS["wiped"]:
        _check_place(item["object"], item["inserted"])
        _check_place(item["object"], item["wiped"], with_extras=False)
        checked += 2
    for item in FINDINGS["no_ops_on_a_fresh_database"]:
        _check_place(item["object"], item["at"])
        checked += 1
    for item in FINDINGS["seed_claims_vs_sql"]:
        for evidence in item["evidence"]:
            _check_place(evidence["object"], evidence["at"], with_extras=False)
            checked += 1
    _check_place("table runtime", FINDINGS["truncate_cascades_to"]["statement"])
    assert checked > 150


def _exists(dsn: str, obj: str) -> bool:
    kind, rest = obj.split(" ", 1)
    if kind in ("table", "view", "index"):
        return _q(dsn, "SELECT to_regclass(%s) IS NOT NULL", f"attune.{rest}")[0][0]
    if kind == "type":
        return _q(dsn, "SELECT to_regtype(%s) IS NOT NULL", f"attune.{rest}")[0][0]
    if kind == "function":
        return _q(dsn, "SELECT to_regprocedure(%s) IS NOT NULL", f"attune.{rest}")[0][0]
    if kind == "column":
        table, column = rest.split(".")
        return bool(_q(dsn, "SELECT 1 FROM information_schema.columns WHERE table_schema = "
                            "'attune' AND table_name = %s AND column_name = %s", table, column))
    if kind == "constraint":
        table, name = rest.split(".")
        return bool(_q(dsn, "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = "
                            "to_regclass(%s)", name, f"attune.{table}"))
    if kind == "trigger":
        name, _, table = rest.split(" ")
        return bool(_q(dsn, "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = "
                            "to_regclass(%s)", name, f"attune.{table}"))
    raise AssertionError(f"unknown kind in {obj!r}")


def test_findings_agree_with_the_replayed_catalog(attune: Attune) -> None:
    for item in FINDINGS["created_then_dropped"]:
        assert not _exists(attune.final, item["object"]), item["object"]
    for item in FINDINGS["added_later"]:
        assert _exists(attune.final, item["object"]), item["object"]
    for item in FINDINGS["changed"]:
        if not item["object"].startswith("comment"):
            assert _exists(attune.final, item["object"]), item["object"]


def _measured_counts(attune: Attune) -> dict[str, int]:
    history = read_history(MIGRATIONS, source_format="sqlx")
    snapshots = list(attune.snapshots.values())
    final = _snapshot(attune.final)

    def union(field: str) -> int:
        return len(set().union(*(getattr(s, field) for s in snapshots)))

    def count(sql: str) -> int:
        return int(_q(attune.final, sql)[0][0])

    in_attune = "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'attune'"
    return {
        "files": len(history.migrations),
        "versions": len({m.version for m in history.migrations}),
        "statements": len(_all_statements()),
        "tables_in_base_files": len(attune.snapshots[FILES[4]].tables),
        "tables_created": union("tables"),
        "tables_at_end": len(final.tables),
        "enums_created": union("enums"),
        "enums_at_end": len(final.enums),
        "functions_created": union("functions"),
        "functions_at_end": len(final.functions),
        "views_created": union("views"),
        "views_at_end": len(final.views),
        "triggers_at_end": count("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON "
                                 f"c.oid = t.tgrelid {in_attune} AND NOT t.tgisinternal"),
        "indexes_at_end": count(f"SELECT count(*) FROM pg_index i JOIN pg_class c ON "
                                f"c.oid = i.indrelid {in_attune}"),
        "columns_at_end": count(f"SELECT count(*) FROM pg_attribute a JOIN pg_class c ON "
                                f"c.oid = a.attrelid {in_attune} AND c.relkind = 'r' "
                                "AND a.attnum > 0 AND NOT a.attisdropped"),
        "grant_statements": sum(1 for s in _all_statements() if s.text.startswith("GRANT")),
        "runtime_rows_inserted": max(len(s.runtime_rows) for s in snapshots),
        "runtime_rows_at_end": count("SELECT count(*) FROM attune.runtime"),
        "tables_emptied_by_truncate": 1 + len(attune.truncate_reaches),
    }


def test_counts_are_measured_not_claimed(attune: Attune) -> None:
    assert FINDINGS["counts"] == _measured_counts(attune)


README_COUNTS = {
    "Migration files": "files",
    "Distinct versions": "versions",
    "SQL statements": "statements",
    "Tables in the five base files": "tables_in_base_files",
    "Tables ever created": "tables_created",
    "Tables at the end": "tables_at_end",
    "Enum types ever created": "enums_created",
    "Enum types at the end": "enums_at_end",
    "Functions ever created": "functions_created",
    "Functions at the end": "functions_at_end",
    "Views ever created": "views_created",
    "Views at the end": "views_at_end",
    "Triggers at the end": "triggers_at_end",
    "Indexes at the end (with keys)": "indexes_at_end",
    "Columns at the end": "columns_at_end",
    "GRANT statements": "grant_statements",
    "Runtime rows inserted": "runtime_rows_inserted",
    "Runtime rows at the end": "runtime_rows_at_end",
    "Tables emptied by TRUNCATE runtime CASCADE": "tables_emptied_by_truncate",
}


def test_readme_states_the_measured_counts() -> None:
    text = (EXAMPLE / "README.md").read_text()
    rows = dict(re.findall(r"^\| ([^|]+?) \| (\d+) \|", text, re.M))
    for label, key in README_COUNTS.items():
        assert int(rows[label]) == FINDINGS["counts"][key], label


# ---------------------------------------------------------------------------------------------
# The committed consolidation (examples/attune/consolidated) and the README's walkthrough

REPO = EXAMPLE.parent.parent
CONSOLIDATED = EXAMPLE / "consolidated"
README = EXAMPLE / "README.md"
#: the command that wrote examples/attune/consolidated (add --force to rewrite it)
#: (the layout, naming, setup file and search_path come from examples/attune/schemafold.toml)
SQUASH = ("schemafold", "squash", "examples/attune/migrations",
          "--out", "examples/attune/consolidated")
VERIFY = ("schemafold", "verify", "examples/attune/migrations", "examples/attune/consolidated")
#: the README's squash writes here; the test writes into a temporary folder instead
README_OUT = "/tmp/attune-consolidated"
#: foreign keys the seed's file order puts before the table they reference: (from, to) file
MOVED_FOREIGN_KEYS = {
    "foreign key permission_set_pack_fkey on permission_set": (2, 3),
    "foreign key key_owner_pack_fkey on key": (2, 3),
    "foreign key key_owner_action_fkey on key": (2, 4),
    "foreign key key_owner_sensor_fkey on key": (2, 4),
    "foreign key sensor_trigger_fkey on sensor": (4, 5),
    "foreign key action_workflow_def_fkey on action": (4, 7),
}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``schemafold ARGS`` in a subprocess, from the repository root, as the README runs it."""
    assert args[0] == "schemafold"
    return subprocess.run([sys.executable, "-m", "schemafold.cli", *args[1:]], cwd=REPO,
                          capture_output=True, text=True, check=False)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_committed_consolidation_is_what_squash_writes(tmp_path: Path) -> None:
    out = tmp_path / "consolidated"
    command = list(SQUASH)
    command[command.index("--out") + 1] = str(out)
    done = _cli(*command)
    assert done.returncode == 0, done.stderr
    assert f"into 13 sqlx files in {out} (" in done.stdout
    fresh, committed = _tree(out), _tree(CONSOLIDATED)
    differing = []
    for name in sorted(fresh.keys() | committed.keys()):
        if name not in committed:
            differing.append(f"{name} (new, not committed)")
        elif name not in fresh:
            differing.append(f"{name} (committed, no longer written)")
        elif fresh[name] != committed[name]:
            differing.append(f"{name} (differs)")
    assert not differing, (
        "examples/attune/consolidated is not what schemafold squash writes now: "
        + ", ".join(differing) + ". Regenerate it, from the repository root, with: "
        + " ".join(SQUASH) + " --force")
    assert sorted(n for n in committed if not n.endswith(".sql")) == ["README.md"]
    assert len(committed) == 14  # the seed's 13 files (none outside a transaction), README.md
    for name, data in committed.items():  # nothing that depends on where it was written
        for path in (str(REPO), str(tmp_path), "/tmp/", "/home/", "/root/"):
            assert path.encode() not in data, (name, path)


def test_verify_says_history_and_committed_consolidation_are_equal() -> None:
    done = _cli(*VERIFY, "--format", "json")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    report = json.loads(done.stdout)
    assert report["equal"] is True and report["failure"] is None
    assert (report["history_files"], report["consolidation_files"]) == (23, 13)
    comparison = report["comparison"]
    for difference in ("objects", "schema_diff", "roles_diff", "row_differences",
                       "sequence_differences", "sequence_notes", "not_compared"):
        assert not comparison[difference], (difference, comparison[difference])
    metrics = comparison["metrics"]
    assert all(m["history"] == m["consolidation"] for m in metrics.values()), metrics
    counts = FINDINGS["counts"]  # checked against the replayed catalog above
    assert {name: metrics[name]["consolidation"] for name in
            ("tables", "columns", "indexes", "types", "functions", "views", "triggers")} == {
        "tables": counts["tables_at_end"], "columns": counts["columns_at_end"],
        "indexes": counts["indexes_at_end"], "types": counts["enums_at_end"],
        "functions": counts["functions_at_end"], "views": counts["views_at_end"],
        "triggers": counts["triggers_at_end"]}
    assert metrics["rows"] == {"history": 0, "consolidation": 0}  # the runtime rows are wiped


def test_layout_moves_only_the_foreign_keys_the_seed_order_breaks() -> None:
    history = read_history(MIGRATIONS, source_format="sqlx")
    plan = plan_files(_folded(), load_layout(EXAMPLE / "layout.toml"), history.migrations)
    assert [f.name for f in plan.files] == [name for name, _ in plan.layout_files]
    assert all(f.in_transaction for f in plan.files)
    assert {m.part: (m.from_file, m.to_file) for m in plan.moves} == MOVED_FOREIGN_KEYS
    moved = {i.label: i.file for i in plan.items if "moved to a later file" in i.reason}
    assert moved == {part: to for part, (_, to) in MOVED_FOREIGN_KEYS.items()}
    kept = sorted((i.label, i.file) for i in plan.items if i.label.startswith("statement kept"))
    assert kept == [
        ("statement kept verbatim (20260129000001_fix_webhook_function_overload.sql:12)", 13),
        ("statement kept verbatim (20260204000001_restore_webhook_functions.sql:108)", 13),
    ]
    section = _readme_section("## How the layout placed things")
    for part, (start, end) in MOVED_FOREIGN_KEYS.items():
        name = part.split()[2]
        assert re.search(rf"`{name}`.*file {start} → {end}\b", section), part


def _create_table(table: str) -> tuple[str, list[str]]:
    """The consolidated file that creates ``table``, and the table's column names."""
    for path in sorted(CONSOLIDATED.glob("*.sql")):
        found = re.search(rf"^CREATE TABLE {table} \(\n(.*?)^\);", path.read_text(), re.M | re.S)
        if found:
            columns = [line.split()[0] for line in found.group(1).splitlines()
                       if not line.strip().startswith("CONSTRAINT")]
            return path.name.split("_", 1)[1].removesuffix(".sql"), columns
    raise AssertionError(f"no consolidated file creates table {table}")


def test_consolidation_follows_the_sql_where_the_seed_is_wrong() -> None:
    """README, "Where the seed document differs from the SQL", items 1-6, 8 and 10."""
    text = "\n".join(p.read_text() for p in sorted(CONSOLIDATED.glob("*.sql")))
    place = {t: _create_table(t) for t in ("action", "execution", "sensor", "rule", "trigger",
                                           "runtime", "pack", "pack_test_execution")}
    assert place["action"][0] == "action_sensor"
    assert {"is_workflow", "workflow_def", "is_adhoc"} <= set(place["action"][1])
    assert place["execution"][0] == "execution_system" and "workflow_task" in place["execution"][1]
    assert not {"is_workflow", "workflow_def"} & set(place["execution"][1])
    assert "is_adhoc" not in place["sensor"][1]
    for table in ("rule", "trigger"):
        assert place[table][0] == "trigger_event_rule" and "is_adhoc" in place[table][1]
    assert place["runtime"][0] == "pack_system" and "installers" in place["runtime"][1]
    assert "installers" not in place["pack"][1] and "runtime_type" not in place["runtime"][1]
    assert "webhook_config" in place["trigger"][1]
    assert not [c for c in place["trigger"][1] if c.startswith("webhook_ip_whitelist")]
    assert not re.search(r"CONSTRAINT runtime_\w+ CHECK", text)
    assert "CONSTRAINT pack_ref_lowercase CHECK" in text  # what a kept check looks like
    assert place["pack_test_execution"][0] == "pack_testing"
    assert "pack_test_results" not in text
    assert ("ADD CONSTRAINT enforcement_rule_fkey FOREIGN KEY (rule) REFERENCES rule (id) "
            "ON DELETE SET NULL;") in text
    rule_file = (CONSOLIDATED / "20250101000005_trigger_event_rule.sql").read_text()
    for index in ("idx_trigger_webhook_key", "idx_event_rule"):
        assert f"CREATE INDEX {index} ON" in rule_file
    assert len(re.findall(r"^CREATE TABLE ", text, re.M)) == FINDINGS["counts"]["tables_at_end"]
    enums = re.findall(r"^CREATE TYPE (\w+) AS ENUM", text, re.M)
    assert sorted(enums) == sorted(ENUMS)


def _readme_section(heading: str) -> str:
    text = README.read_text()
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def _walkthrough() -> list[tuple[str, list[str]]]:
    """The README's ``sh`` blocks, each with the ``text`` blocks after it (its output)."""
    steps: list[tuple[str, list[str]]] = []
    for language, body in re.findall(r"```(sh|text)\n(.*?)```", _readme_section("## Running it"),
                                     re.S):
        if language == "sh":
            steps.append((body, []))
        else:
            steps[-1][1].append(body)
    return steps


def _assert_shown(excerpt: str, output: str, command: str) -> None:
    """Every line of ``excerpt`` is a line of ``output``, in order (whitespace runs compared as
    one space); ``...`` alone skips lines, a line ending in ``...`` is a cut-short line."""
    lines = [" ".join(line.split()) for line in output.splitlines()]
    at = 0
    for shown in excerpt.splitlines():
        want = " ".join(shown.split())
        if not want or want == "...":
            continue
        prefix = want.removesuffix("...") if want.endswith("...") else None
        for i in range(at, len(lines)):
            if lines[i] == want or (prefix is not None and lines[i].startswith(prefix)):
                at = i + 1
                break
        else:
            raise AssertionError(f"README shows {shown!r} after {command.splitlines()[0]!r}, "
                                 "which does not print it (there)")


def test_readme_commands_run_as_written_and_print_what_it_shows(tmp_path: Path) -> None:
    text = README.read_text()
    assert "TODO" not in text
    out = str(tmp_path / "attune-consolidated")
    steps = _walkthrough()
    commands = [" ".join(shlex.split(line)) for script, _ in steps
                for line in script.replace("\\\n", " ").splitlines() if line.strip()]
    assert commands[0] == "schemafold events examples/attune/migrations"
    assert commands[1] == "schemafold plan examples/attune/migrations"
    squash = [c for c in commands if c.startswith("schemafold squash")]
    assert [c.replace(f" --out {README_OUT} --force", "") for c in squash] == [
        " ".join(c for i, c in enumerate(SQUASH) if i not in (3, 4))]
    assert f"diff -r {README_OUT} examples/attune/consolidated" in commands
    assert commands[-1] == " ".join(VERIFY)
    bin_dir = Path(sys.executable).parent
    env = {"PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    # the run's server (--pg-server) and, on a server without pgcrypto and uuid-ossp, the
    # stand-ins tests/conftest.py gives it (docs/testing.md); PYTHONPATH, when the suite runs
    # a checkout's src/ that is not the one installed, so that `schemafold` is the code tested
    env.update({k: v for k, v in os.environ.items()
                if k in ("SCHEMAFOLD_PG_BIN", "SCHEMAFOLD_PG_EXTENSION_PATH", "PYTHONPATH")})
    for script, excerpts in steps:
        script = script.replace(README_OUT, out)
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=REPO, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, (script, done.stdout[-3000:], done.stderr[-3000:])
        for excerpt in excerpts:
            _assert_shown(excerpt.replace(README_OUT, out), done.stdout + done.stderr, script)
    events = len(parse(MIGRATIONS, source_format="sqlx").events)
    assert re.search(rf"\b{events} events\b", _readme_section("## Running it")), events


def _measure(folder: Path) -> dict[str, int]:
    files = sorted(folder.glob("*.sql"))
    return {"Files": len(files),
            "Statements": sum(len(split_sql(p.read_text(), p.name).statements) for p in files),
            "Lines": sum(len(p.read_text().splitlines()) for p in files)}


def test_readme_states_counts_before_and_after() -> None:
    section = _readme_section("## Counts, measured")
    rows = {label: (int(a), int(b)) for label, a, b in
            re.findall(r"^\| ([^|]+?) \| (\d+) \| (\d+) \|$", section, re.M)}
    history, consolidation = _measure(MIGRATIONS), _measure(CONSOLIDATED)
    for label in history:
        assert rows[label] == (history[label], consolidation[label]), label


def test_readme_lists_each_consolidated_file_with_its_objects_and_lines() -> None:
    section = _readme_section("## How the layout placed things")
    written = (CONSOLIDATED / "README.md").read_text()
    holds = [int(n) for n in re.findall(r"^Holds (\d+) objects?:", written, re.M)]
    files = sorted(CONSOLIDATED.glob("*.sql"))
    listed = re.findall(r"^\| `(\d+_\w+\.sql)` \| (\d+) \| (\d+) \|", section, re.M)
    assert [(name, int(n), int(lines)) for name, n, lines in listed] == [
        (p.name, n, len(p.read_text().splitlines())) for p, n in zip(files, holds, strict=True)]
