"""A deterministic synthetic migration history with the churn real histories have.

Each migration does a few of the things the Attune history does over and over: create a table
with a serial key, a foreign key and a CHECK; add, rename, retype and drop columns; create and
drop indexes; replace a trigger function and its trigger; comment; grant; seed rows and update
them; drop a table now and then. The same ``seed`` and ``migrations`` give the same files, byte
for byte, so two runs measure the same work.
"""

from __future__ import annotations

import random
from pathlib import Path


class _History:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.tables: dict[str, list[str]] = {}  # table -> its droppable columns
        self.counter = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def create_table(self) -> list[str]:
        table = self.name("t")
        parent = self.random.choice(sorted(self.tables)) if self.tables else None
        columns = [self.name("c") for _ in range(3)]
        lines = [f"CREATE TABLE {table} (", "    id serial PRIMARY KEY,",
                 f"    {columns[0]} text NOT NULL DEFAULT '',",
                 f"    {columns[1]} integer CHECK ({columns[1]} >= 0),",
                 f"    {columns[2]} timestamptz DEFAULT now()"]
        if parent is not None:
            lines[-1] += ","
            lines.append(f"    {parent}_id integer REFERENCES {parent}(id) ON DELETE CASCADE")
        lines.append(");")
        self.tables[table] = columns[:2]
        statements = ["\n".join(lines)]
        statements.append(f"CREATE INDEX {table}_{columns[0]}_idx ON {table} ({columns[0]});")
        statements.append(f"COMMENT ON TABLE {table} IS 'synthetic table {table}';")
        statements.append(f"GRANT SELECT ON {table} TO PUBLIC;")
        rows = ", ".join(f"('row {i}', {i})" for i in range(1, 4))
        statements.append(f"INSERT INTO {table} ({columns[0]}, {columns[1]}) VALUES {rows};")
        return statements

    def churn(self) -> list[str]:
        table = self.random.choice(sorted(self.tables))
        columns = self.tables[table]
        kind = self.random.randrange(6)
        if kind == 0:
            column = self.name("c")
            columns.append(column)
            return [f"ALTER TABLE {table} ADD COLUMN {column} varchar(40);",
                    f"UPDATE {table} SET {column} = 'filled';",
                    f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;"]
        if kind == 1 and len(columns) > 1:
            old = columns.pop(self.random.randrange(len(columns)))
            new = self.name("c")
            columns.append(new)
            return [f"ALTER TABLE {table} RENAME COLUMN {old} TO {new};"]
        if kind == 2 and len(columns) > 2:
            column = columns.pop()
            return [f"ALTER TABLE {table} DROP COLUMN {column};"]
        if kind == 3:
            function = f"{table}_touch"
            return [
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger\n"
                f"LANGUAGE plpgsql AS $$\nBEGIN\n    PERFORM pg_notify('{table}', "
                f"'{self.counter}');\n    RETURN NEW;\nEND;\n$$;",
                f"DROP TRIGGER IF EXISTS {table}_touch ON {table};",
                f"CREATE TRIGGER {table}_touch AFTER INSERT ON {table}\n"
                f"    FOR EACH ROW EXECUTE FUNCTION {function}();",
            ]
        if kind == 4 and len(self.tables) > 3:
            del self.tables[table]
            return [f"DROP TABLE {table} CASCADE;",
                    f"DROP FUNCTION IF EXISTS {table}_touch();"]
        return [f"COMMENT ON TABLE {table} IS 'changed at {self.counter}';"]

    def migration(self) -> str:
        statements = self.create_table() if not self.tables or self.random.random() < 0.4 else []
        for _ in range(self.random.randrange(1, 4)):
            statements += self.churn()
        return "\n\n".join(statements) + "\n"


def write_history(folder: Path, migrations: int, *, seed: int = 7) -> int:
    """Write ``migrations`` files of the synthetic history into ``folder`` (sqlx naming);
    return the number of bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    history = _History(seed)
    written = 0
    for number in range(1, migrations + 1):
        text = history.migration()
        (folder / f"{number:05d}_step_{number}.sql").write_text(text)
        written += len(text.encode())
    return written


# -- the shapes that once grew quadratically: one file with very many statements, or one huge one


def many_tables(folder: Path, count: int) -> int:
    """One migration creating ``count`` tables (file planning once grew with its square)."""
    text = "".join(f"CREATE TABLE t{i} (id integer PRIMARY KEY, v text);\n"
                   for i in range(count))
    return _write_one(folder, text)


def many_updates(folder: Path, count: int) -> int:
    """One migration updating the same row ``count`` times (row tracking once grew with its
    square)."""
    lines = ["CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL);",
             "INSERT INTO counter (id, n) VALUES (1, 0);"]
    lines += [f"UPDATE counter SET n = {i} WHERE id = 1;" for i in range(1, count + 1)]
    return _write_one(folder, "\n".join(lines) + "\n")


def big_insert(folder: Path, megabytes: float) -> int:
    """One ``INSERT`` of about ``megabytes`` MB of rows."""
    rows = []
    size = 0
    i = 0
    while size < megabytes * 1_000_000:
        i += 1
        row = f"({i}, 'name {i}', {i % 97}, 'a somewhat longer description of row {i}')"
        rows.append(row)
        size += len(row) + 2
    text = ("CREATE TABLE item (id integer PRIMARY KEY, name text, n integer, note text);\n"
            "INSERT INTO item (id, name, n, note) VALUES\n" + ",\n".join(rows) + ";\n")
    return _write_one(folder, text)


def _write_one(folder: Path, text: str) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "00001_one.sql").write_text(text)
    return len(text.encode())
