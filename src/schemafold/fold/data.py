"""Folding data statements, session statements and opaque statements.

Owns: what ``INSERT``/``UPDATE``/``DELETE``/``TRUNCATE`` do to the rows a table may hold, which
data statements are no-ops (their table is known to be empty) and which are kept verbatim, the
session statements (``SET search_path``), and keeping ``Opaque`` statements with their read sets.

Must not know: SQL text, rendering, databases.
"""

from __future__ import annotations

from schemafold import events as ev
from schemafold.fold.state import FoldState
from schemafold.model import (
    Key,
    Table,
)
from schemafold.names import QName


class DataFolding(FoldState):
    def _apply_SetSearchPath(self, e: ev.SetSearchPath) -> None:
        self.search_path = e.schemas
        self.noop[e.origin] = "session setting"

    def _apply_SessionStatement(self, e: ev.SessionStatement) -> None:
        self.noop[e.origin] = e.verb

    def _data_table(self, name: QName, origin: ev.Origin) -> tuple[Key, int]:
        key = self._relation(name, origin, ("table",))
        assert key is not None
        return key, self.uid_of[key]

    def _apply_Insert(self, e: ev.Insert) -> None:
        key, uid = self._data_table(e.table, e.origin)
        self.has_rows.add(uid)
        self.data_statements.setdefault(uid, []).append(e.origin)
        self._keep(e.origin, (key,), data=True)

    def _apply_Update(self, e: ev.Update) -> None:
        self._data_change(e.table, e.origin)

    def _apply_Delete(self, e: ev.Delete) -> None:
        key, uid = self._data_table(e.table, e.origin)
        if uid not in self.has_rows:
            self.noop[e.origin] = f"table {e.table} is empty"
            return
        if e.where is None:
            self._wipe(uid, e.origin)
            return
        self._data_change(e.table, e.origin)

    def _data_change(self, table: QName, origin: ev.Origin) -> None:
        key, uid = self._data_table(table, origin)
        if uid not in self.has_rows:
            self.noop[origin] = f"table {table} is empty"
            return
        self.data_statements.setdefault(uid, []).append(origin)
        self._keep(origin, (key,), data=True)

    def _apply_Truncate(self, e: ev.Truncate) -> None:
        wiped = False
        for table in e.tables:
            key, uid = self._data_table(table, e.origin)
            if uid in self.has_rows:
                wiped = True
                self._wipe(uid, e.origin)
            if e.cascade:
                for other_key, other in self.objects.items():
                    if isinstance(other, Table) and any(
                            c.target == QName(str(key[1]), str(key[2]))
                            for c in other.constraints):
                        other_uid = self.uid_of[other_key]
                        if other_uid in self.has_rows:
                            wiped = True
                            self._wipe(other_uid, e.origin)
        if not wiped:
            self.noop[e.origin] = "tables are empty"

    def _wipe(self, uid: int, origin: ev.Origin) -> None:
        self.has_rows.discard(uid)
        statements = self.data_statements.pop(uid, [])
        for statement in statements:
            self.replaced_by.setdefault(statement, origin)
        self.kept = [k for k in self.kept if not any(
            k.file == s.file and k.line == s.line for s in statements)]
        touched = self.touched.setdefault(origin, [])
        if uid not in touched:
            touched.append(uid)

    def _apply_Opaque(self, e: ev.Opaque) -> None:
        reads = []
        for name in e.reads:
            key = self._resolve(name, ("table", "view", "sequence", "type"))
            if key is not None and key not in reads:
                reads.append(key)
        self._keep(e.origin, tuple(reads), data=False)
