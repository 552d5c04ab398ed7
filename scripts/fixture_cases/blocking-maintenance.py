"""Fixture cases of the rule blocking-maintenance (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import AUTOCOMMIT, Case, approved_sql, by_hand

CASES: list[Case] = [
    by_hand("blocking-maintenance", "bad", "REINDEX TABLE without CONCURRENTLY in a migration.",
            approved_sql("REINDEX TABLE hero", "rebuild bloated indexes") + "\n", "pass\n", "op.execute(",
            oracle="REINDEX TABLE asks for SHARE on hero: writes wait"),
    by_hand("blocking-maintenance", "good", "The safe form: REINDEX … CONCURRENTLY in an autocommit block.",
            AUTOCOMMIT + "    " + approved_sql("REINDEX TABLE CONCURRENTLY hero", "rebuild bloated indexes") + "\n",
            "pass\n", oracle="upgrade passes"),
]
