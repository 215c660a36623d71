"""The library's face, used as an embedding tool would: only names ``schemafold`` exports (and
``schemafold.verify``'s ``verify``) consolidate a history, write it, prove it equal on a real
PostgreSQL and report on it."""

from __future__ import annotations

from pathlib import Path

import pytest

import schemafold
from schemafold.verify import verify

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
    squashed.write(out)
    assert sorted(p.name for p in out.iterdir()) == names
    with pytest.raises(schemafold.SchemafoldError, match="exists"):
        squashed.write(out)
    squashed.write(out, force=True)

    verified = verify(history, out)
    assert verified.equal, verified.failure

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
