"""Objects of an extension in another schema, reached through the search_path: a column of its
type, an index with its operator class, a view calling its function. The fold does not know an
extension's contents, so the consolidation's files search the extension's schema too, after
the initial path, as the history did when it wrote those names (issue: Real histories II)."""

from __future__ import annotations

from pathlib import Path

from cli_run import run_cli

FILES = {
    "0001_ext.sql": "CREATE SCHEMA ext;\nCREATE EXTENSION citext SCHEMA ext;\n"
                    "CREATE EXTENSION pg_trgm SCHEMA ext;\n",
    "0002_use.sql": "SET search_path TO public, ext;\n"
                    "CREATE TABLE person (id int PRIMARY KEY, email citext NOT NULL, name text);\n"
                    "CREATE INDEX person_name_trgm ON person USING gin (name gin_trgm_ops);\n"
                    "CREATE VIEW close_names AS\n"
                    "  SELECT p.id, similarity(p.name, 'ann') AS s FROM person p;\n"
                    "ALTER TABLE person ADD CONSTRAINT email_lower\n"
                    "  CHECK (email = lower(email::text)::citext);\n"
                    "INSERT INTO person VALUES (1, 'ann@example.org', 'Ann');\n",
    "0003_more.sql": "CREATE TABLE plain_table (id int);\n",
}


def test_extension_objects_through_the_search_path_are_found_again(tmp_path: Path) -> None:
    src = tmp_path / "migrations"
    src.mkdir()
    for name, text in FILES.items():
        (src / name).write_text(text)
    for layout in ("single", "by-origin"):
        out = tmp_path / f"out-{layout}"
        done = run_cli("squash", str(src), "--out", str(out), "--layout", layout, "--verify")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "schemafold verify: EQUAL" in done.stdout
        for path in out.glob("*.sql"):
            text = path.read_text()
            assert 'SET LOCAL search_path TO "$user", public, ext;' in text, path.name


def test_no_search_path_is_set_when_nothing_reached_another_schema(tmp_path: Path) -> None:
    src = tmp_path / "migrations"
    src.mkdir()
    (src / "0001_ext.sql").write_text("CREATE SCHEMA ext;\nCREATE EXTENSION citext SCHEMA ext;\n"
                                      "CREATE TABLE t (email ext.citext);\n")
    out = tmp_path / "out"
    done = run_cli("squash", str(src), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "search_path" not in "".join(p.read_text() for p in out.glob("*.sql"))
