"""Settings written once (``schemafold.toml`` or ``[tool.schemafold]``), found walking up from
the migrations or the working folder, overridden by flags; ``schemafold config`` says where each
setting came from; every path argument is checked before anything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemafold.cli import main
from schemafold.settings import find_config


def _project(root: Path, config: str, *, pyproject: bool = False) -> Path:
    migrations = root / "db" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_init.sql").write_text("CREATE TABLE app.item (id int);\n")
    (root / "db" / "setup.sql").write_text("CREATE SCHEMA app;\n")
    if pyproject:
        (root / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.schemafold]\n'
                                             + config)
    else:
        (root / "db" / "schemafold.toml").write_text(config)
    return migrations


def _config(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, dict[str, object]]:
    assert main(["config", *argv, "--format", "json"]) == 0
    out: dict[str, dict[str, object]] = json.loads(capsys.readouterr().out)
    return out


def test_the_file_beside_the_migrations_is_found_from_the_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _project(tmp_path, 'setup = ["setup.sql"]\nsearch_path = ["app", "public"]\n'
                          'layout = "by-origin"\ndata = "drop"\n')
    settings = _config(capsys, str(migrations))
    config = str(tmp_path / "db" / "schemafold.toml")
    assert settings["setup"] == {"value": [str(tmp_path / "db" / "setup.sql")], "from": config}
    assert settings["search_path"] == {"value": "app,public", "from": config}
    assert settings["layout"] == {"value": "by-origin", "from": config}
    assert settings["data"] == {"value": "drop", "from": config}
    assert settings["naming"] == {"value": None, "from": "default"}
    assert settings["source"] == {"value": str(migrations), "from": "flag"}


def test_flags_win_over_the_file_and_the_file_over_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _project(tmp_path, 'search_path = "app,public"\nlayout = "by-origin"\n')
    settings = _config(capsys, str(migrations), "--search-path", "other", "--naming", "goose")
    assert settings["search_path"] == {"value": "other", "from": "flag"}
    assert settings["naming"] == {"value": "goose", "from": "flag"}
    assert settings["layout"]["from"] == str(tmp_path / "db" / "schemafold.toml")
    assert settings["data"] == {"value": "keep", "from": "default"}


def test_pyproject_tool_table_found_walking_up_from_the_working_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, 'source = "db/migrations"\nsetup = "db/setup.sql"\n'
             'search_path = "app,public"\n', pyproject=True)
    monkeypatch.chdir(tmp_path / "db")  # below the pyproject.toml: found walking up
    settings = _config(capsys)
    label = f"[tool.schemafold] of {tmp_path / 'pyproject.toml'}"
    assert settings["source"] == {"value": str(tmp_path / "db" / "migrations"), "from": label}
    # and a command run with no SRC squashes the configured source with the configured setup
    out = tmp_path / "out"
    assert main(["squash", "--out", str(out)]) == 0
    assert "CREATE TABLE app.item" in (out / "0001_schema.sql").read_text()


def test_a_schemafold_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.schemafold]\nnaming = "goose"\n')
    (tmp_path / "schemafold.toml").write_text('naming = "dbmate"\n')
    found = find_config(tmp_path)
    assert found is not None and found.values == {"naming": "dbmate"}
    (tmp_path / "schemafold.toml").unlink()
    found = find_config(tmp_path / "sub" / "x.sql")
    assert found is not None and found.values == {"naming": "goose"}


def test_dsn_comes_from_the_named_environment_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    migrations = _project(tmp_path, 'dsn_env = "SCHEMAFOLD_TEST_DSN"\n')
    monkeypatch.delenv("SCHEMAFOLD_TEST_DSN", raising=False)
    settings = _config(capsys, str(migrations))
    assert settings["dsn"]["value"] is None and "is not set" in str(settings["dsn"]["from"])
    monkeypatch.setenv("SCHEMAFOLD_TEST_DSN", "postgresql://ci:hunter2@db/scratch")
    settings = _config(capsys, str(migrations))
    assert settings["dsn"]["value"] == "postgresql://ci:***@db/scratch"  # never the password
    assert str(settings["dsn"]["from"]).startswith("$SCHEMAFOLD_TEST_DSN (dsn_env in ")
    settings = _config(capsys, str(migrations), "--dsn", "host=other")
    assert settings["dsn"] == {"value": "host=other", "from": "flag"}


def test_config_text_names_each_origin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _project(tmp_path, 'layout = "single"\n')
    assert main(["config", str(migrations), "--data", "separate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["source", str(migrations)]
    assert [" ".join(line.split()) for line in lines if line.startswith(("layout", "data"))] == [
        f"layout single {tmp_path / 'db' / 'schemafold.toml'}", "data separate flag"]


@pytest.mark.parametrize(("text", "message"), [
    ('colour = "red"\n', "unknown setting colour"),
    ('data = "lose"\n', "data: 'lose' is not one of keep, drop, separate"),
    ("setup = 3\n", "setup: expected a file name or a list of them"),
    ("naming = [\n", "not valid TOML"),
])
def test_a_bad_file_is_one_line_naming_it(
    text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = _project(tmp_path, text)
    assert main(["squash", str(migrations), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and message in err
    assert str(tmp_path / "db" / "schemafold.toml") in err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# Paths are checked first


def test_a_misspelt_source_is_no_such_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "migrations").mkdir()
    assert main(["squash", "migratoins", "--out", "squashed"]) == 2
    assert capsys.readouterr().err == "schemafold: error: no such folder: migratoins\n"
    assert not (tmp_path / "squashed").exists()


@pytest.mark.parametrize("argv", [
    ["verify", "{src}", "nowhere"],
    ["verify", "nowhere", "{src}"],
    ["squash", "{src}", "--out", "x", "--setup", "nowhere.sql"],
    ["plan", "{src}", "--layout", "nowhere.toml"],
    ["events", "nowhere.sql"],
    ["blame", "nowhere", "t"],
    ["at", "nowhere", "0001"],
    ["config", "--config", "nowhere.toml"],
])
def test_every_path_argument_is_checked_first(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    migrations = _project(tmp_path, "")
    argv = [a.replace("{src}", str(migrations)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    missing = next(a for a in argv if a.startswith("nowhere"))
    kind = "folder" if missing == "nowhere" else "file"
    assert err.startswith(f"schemafold: error: no such {kind}: {missing}"), err
    assert len(err.splitlines()) == 1
