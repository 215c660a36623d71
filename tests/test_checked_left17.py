"""What the fold models it checks as PostgreSQL would (issue 15), for kinds of statement
``squash`` exited 0 on while PostgreSQL 15 refuses them: a policy's ``USING`` or ``WITH
CHECK`` expression its command does not take. Each case is asked of a real PostgreSQL in the
same test, beside valid neighbours, and the fold's verdict must agree: refused by both, or
taken by both; where the fold cannot judge exactly it stops folding (a fold limit), which
counts as neither refusing what PostgreSQL takes nor taking what it refuses."""

from __future__ import annotations

import pytest

from postgresql_verdict import first_line, fold_refusal, refusal
from schemafold.errors import FoldLimit
from schemafold.verify.cluster import Cluster

SETUP = [
    "CREATE TABLE t (id int PRIMARY KEY, a int, b text)",
    "CREATE TABLE u (id int, c int)",
]

_RLS = "ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"

#: (statements after SETUP, apart at ";\n"; PostgreSQL's verdict: True taken, False refused,
#: and the fold refuses too; "stop": refused, and the fold stops folding there)
CASES: list[tuple[str, bool | str]] = [
    # a policy's command takes USING, WITH CHECK or both
    (_RLS + "CREATE POLICY p ON t FOR SELECT USING (true);\n"
     "ALTER POLICY p ON t WITH CHECK (a > 0)", False),
    (_RLS + "CREATE POLICY p ON t FOR DELETE USING (true);\n"
     "ALTER POLICY p ON t WITH CHECK (a > 0)", False),
    (_RLS + "CREATE POLICY p ON t FOR INSERT WITH CHECK (true);\n"
     "ALTER POLICY p ON t USING (a > 0)", False),
    (_RLS + "CREATE POLICY p ON t FOR SELECT USING (true);\nALTER POLICY p ON t RENAME TO q;\n"
     "ALTER POLICY q ON t TO public WITH CHECK (a > 0)", False),
    ("CREATE POLICY p ON t FOR SELECT USING (true) WITH CHECK (true)", False),
    ("CREATE POLICY p ON t FOR DELETE WITH CHECK (true)", False),
    ("CREATE POLICY p ON t FOR INSERT USING (true)", False),
    ("CREATE POLICY p ON t AS RESTRICTIVE FOR INSERT TO public USING (true) WITH CHECK (true)",
     False),
    (_RLS + "CREATE POLICY p ON t FOR INSERT WITH CHECK (true);\n"
     "ALTER POLICY p ON t WITH CHECK (a > 0)", True),
    (_RLS + "CREATE POLICY p ON t FOR UPDATE USING (true);\n"
     "ALTER POLICY p ON t WITH CHECK (a > 0)", True),
    (_RLS + "CREATE POLICY p ON t USING (true);\n"
     "ALTER POLICY p ON t USING (a > 0) WITH CHECK (a > 0)", True),
    (_RLS + "CREATE POLICY p ON t FOR SELECT USING (true);\nALTER POLICY p ON t USING (a > 0);\n"
     "ALTER POLICY p ON t TO public", True),
    ("CREATE POLICY p ON t FOR UPDATE USING (true) WITH CHECK (true);\n"
     "CREATE POLICY q ON t FOR ALL WITH CHECK (true);\n"
     "CREATE POLICY r ON t FOR delete USING (a > 0);\n"
     "CREATE POLICY s ON t FOR insert TO public WITH CHECK (a > 0)", True),
]


@pytest.mark.parametrize(("statements", "verdict"), CASES)
def test_the_fold_refuses_what_postgresql_refuses(pg_cluster: Cluster, pg_db: str,
                                                   statements: str, verdict: bool | str) -> None:
    history = [*SETUP, *statements.split(";\n")]
    error = refusal(pg_cluster, pg_db, history)
    assert (error is None) == (verdict is True), first_line(error)
    found = fold_refusal(history)
    if verdict is True:
        assert found is None or isinstance(found, FoldLimit), found
    elif verdict == "stop":
        assert isinstance(found, FoldLimit), found
    else:
        assert found is not None and not isinstance(found, FoldLimit), found
        said = first_line(error)
        assert said is not None and said in str(found), (said, str(found))
