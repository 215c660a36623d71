"""The library's face, used as an embedding tool would: only names ``schemafold`` exports
consolidate a history, write it, prove it equal on a real PostgreSQL, report on it, blame an
object, fold it up to a version and list its events."""

from __future__ import annotations

from pathlib import Path

import pytest

import schemafold
from schemafold import verify

HISTORY = {
    "0001_accounts.sql": "CREATE TABLE account (id serial PRIMARY KEY, email text NOT NULL);\n"
                         "CREATE TABLE scratch (id int);\n",
    "0002_plan.sql": "ALTER TABLE account ADD COLUMN plan text DEFAULT 'free';\n"
                     "INSERT INTO account (email) VALUES ('a@example.org');\n",
    "0003_cleanup.sql": "DROP TABLE scratch;\n"
                        "CREATE INDEX account_email ON account (email);\n",
}


@pytest.fixture
def history(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, text in HISTORY.items():
        (folder / name).write_text(text)
    return folder


def test_consolidate_write_verify_and_report(history: Path, tmp_path: Path) -> None:
    squashed = schemafold.consolidate(str(history), naming="sqlx")
    assert isinstance(squashed, schemafold.Consolidation)
    names = [name for name, _ in squashed.files]
    assert names == ["0001_schema.sql", "README.md"]
    text = dict(squashed.files)["0001_schema.sql"]
    assert "scratch" not in text and "plan text DEFAULT 'free'" in text
    assert len(squashed.result.ledger) == 6 and squashed.kept_verbatim == 0

    out = tmp_path / "squashed"
    schemafold.write(squashed, str(out))
    assert sorted(p.name for p in out.iterdir()) == names
    with pytest.raises(schemafold.SchemafoldError, match="exists"):
        schemafold.write(squashed, out)
    squashed.write(out, force=True)

    verified = schemafold.verify(str(history), str(out))
    assert isinstance(verified, schemafold.VerifyResult)
    assert verified.equal, verified.failure

    found = schemafold.report(str(history))
    assert found.to_dict() == schemafold.build_report(
        squashed.history, squashed.result, squashed.plan, source=str(history)).to_dict()
    assert any("scratch" in str(f.to_dict()) for f in found.sections["created_then_dropped"])

    report = schemafold.build_report(squashed.history, squashed.result, squashed.plan)
    dropped = [f.to_dict() for f in report.sections["created_then_dropped"]]
    assert any("scratch" in str(f) for f in dropped)
    assert "scratch" in report.markdown()


def test_fold_takes_a_path_as_text_and_points_sql_to_fold_sql(history: Path) -> None:
    result = schemafold.fold(str(history))
    assert ("table", "public", "account") in result.schema.objects
    with pytest.raises(TypeError, match="fold_sql"):
        schemafold.fold("CREATE TABLE t (id int);")


def test_consolidate_upto_keeps_the_later_files(history: Path, tmp_path: Path) -> None:
    upto = schemafold.consolidate_upto(str(history), "0002")
    assert upto.later == ("0003_cleanup.sql",)
    files = dict(upto.files)
    assert files["0003_cleanup.sql"] == HISTORY["0003_cleanup.sql"]
    upto.write(tmp_path / "upto")
    assert verify(history, tmp_path / "upto").equal


def test_the_public_names_and_the_modules_of_the_same_names(history: Path) -> None:
    import schemafold.at
    import schemafold.blame
    import schemafold.report
    import schemafold.verify
    from schemafold import events as ev
    from schemafold.verify import Verifier

    assert callable(schemafold.verify) and schemafold.verify is verify
    for name in ("report", "blame", "at", "write", "fold"):
        assert callable(getattr(schemafold, name)), name
    assert Verifier.__module__ == "schemafold.verify.run"
    assert ev.Origin.__module__ == "schemafold.events"  # still the module of event classes
    assert schemafold.events(history).events == schemafold.parse(history).events


def test_blame_returns_rows_in_history_order(history: Path) -> None:
    found = schemafold.blame(history, "account")
    assert isinstance(found, schemafold.Blame)
    assert found.matches == ("table public.account",)
    assert [(r.file, r.line, r.action, r.description) for r in found.rows] == [
        ("0001_accounts.sql", 1, "created", "create table account"),
        ("0001_accounts.sql", 1, "altered", "constraint account_pkey added"),
        ("0001_accounts.sql", 1, "created", "column id serial"),
        ("0001_accounts.sql", 1, "created", "column email text"),
        ("0002_plan.sql", 1, "created", "add column account.plan text"),
        ("0002_plan.sql", 2, "data", "insert 1 row(s) into account")]
    assert found.text().splitlines()[0] == "# table public.account"
    plan = found.rows[4]
    assert plan.key == schemafold.ObjectKey.column("public", "account", "plan")
    assert str(plan.to_dict()["statement"]).startswith("ALTER TABLE account ADD COLUMN plan")
    assert found.to_dict()["matches"] == ["table public.account"]
    dropped = schemafold.blame(str(history), "table:scratch")
    assert dropped.rows[0].action == "created" and dropped.rows[-1].action == "dropped"
    with pytest.raises(schemafold.InputError, match="no object named 'nosuch'"):
        schemafold.blame(history, "nosuch")


def test_at_folds_up_to_a_version(history: Path) -> None:
    before = schemafold.at(str(history), "0001")
    assert isinstance(before, schemafold.SchemaAt) and before.migrations == 1
    assert ("table", "public", "scratch") in before.schema.objects
    assert "CREATE TABLE scratch" in before.sql() and "plan" not in before.sql()
    names = [o["object"] for o in before.to_dict()["objects"]]  # type: ignore[union-attr]
    assert "table public.account" in names
    after = schemafold.at(history, "0003")
    assert ("table", "public", "scratch") not in after.schema.objects
    with pytest.raises(schemafold.InputError, match="^VERSION 0009"):
        schemafold.at(history, "0009")


def test_events_carry_their_provenance(history: Path) -> None:
    parsed = schemafold.events(str(history))
    first = parsed.events[0]
    assert (first.origin.file, first.origin.line) == ("0001_accounts.sql", 1)
    assert first.to_dict()["kind"] == "CreateTable"
    assert [e.origin.file for e in parsed.events][-1] == "0003_cleanup.sql"
