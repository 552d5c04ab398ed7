"""Fixture cases of the rule parse-error (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Edit,
    Expect,
    Models,
    hero,
    in_file,
    models,
    rev_id,
)

CASES: list[Case] = [
    Case(
        "parse-error", "bad",
        "The second revision truncated in the middle of its op.add_column(...) call; the first "
        "revision, intact, sits beside it and must still be linted.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
            Edit("truncated the second revision right after `sa.Column('power',` (mid-call)",
                 lambda c: c.truncate("add-hero-power", "sa.Column('power',")),
        ],
        expect=[Expect("parse-error", [in_file(
            "alembic/versions/" + rev_id("fixtures/rules/parse-error/bad", "add-hero-power")
            + "_add_hero_power.py")])],
        oracle="alembic refuses to load the scripts: SyntaxError",
    ),
    Case(
        "parse-error", "good",
        "Both revisions intact.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="`alembic upgrade head` passes",
    ),
]
