"""Fixture cases of the rule not-in-transaction (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import AUTOCOMMIT, Case, approved_sql, by_hand

CASES: list[Case] = [
    by_hand("not-in-transaction", "bad", "VACUUM in a migration, inside Alembic's transaction.",
            approved_sql("VACUUM ANALYZE hero", "fresh statistics") + "\n", "pass\n", "op.execute(",
            oracle="upgrade fails: VACUUM cannot run inside a transaction block"),
    by_hand("not-in-transaction", "good", "VACUUM inside an autocommit block.",
            AUTOCOMMIT + "    " + approved_sql("VACUUM ANALYZE hero", "fresh statistics") + "\n", "pass\n",
            oracle="upgrade passes"),
]
