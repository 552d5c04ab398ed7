"""Fixture cases of the rule destructive-operation (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Expect,
    Models,
    TEAM,
    approved_sql,
    by_hand,
    call,
    hero,
    models,
)

CASES: list[Case] = [
    Case(
        "destructive-operation", "bad",
        "`age` removed from the Hero model: autogenerate emits op.drop_column in upgrade().",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(drop=("age",)))),
            Autogen("remove-hero-age", "remove hero age"),
        ],
        expect=[Expect("destructive-operation", [call("remove-hero-age", "op.drop_column(")])],
        oracle="a seeded age is gone after upgrade + downgrade",
    ),
    Case(
        "destructive-operation", "bad-table",
        "The Team model removed: autogenerate emits op.drop_table in upgrade().",
        [
            Models(models(hero(), TEAM)),
            Autogen("add-hero-and-team-tables", "add hero and team tables"),
            Models(models(hero())),
            Autogen("remove-team-table", "remove team table"),
        ],
        expect=[Expect("destructive-operation", [call("remove-team-table", "op.drop_table(")])],
        oracle="seeded teams are gone after upgrade + downgrade",
    ),
    Case(
        "destructive-operation", "bad-batch",
        "env.py with render_as_batch=True: the removed field becomes batch_op.drop_column inside "
        "`with op.batch_alter_table('hero')`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(drop=("age",)))),
            Autogen("remove-hero-age", "remove hero age"),
        ],
        expect=[Expect("destructive-operation", [call("remove-hero-age", "batch_op.drop_column(")])],
        render_as_batch=True,
        oracle="a seeded age is gone after upgrade + downgrade",
    ),
    by_hand("destructive-operation", "bad-drop-schema",
            "A schema dropped by hand in SQL, with the tables in it (DROP SCHEMA … CASCADE).",
            approved_sql("DROP SCHEMA archive CASCADE", "archive retired") + "\n", "pass\n", "op.execute(",
            oracle="seeded rows of a table in the schema are gone after upgrade + downgrade"),
    Case(
        "destructive-operation", "good",
        "An additive change (a new Optional field): add_column in upgrade(); the drop_column is in "
        "downgrade(), which is exempt.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="seeded rows keep their values through the upgrade",
    ),
]
