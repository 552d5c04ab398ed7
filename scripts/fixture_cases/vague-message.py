"""Fixture cases of the rule vague-message (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Expect,
    Models,
    hero,
    in_file,
    models,
    rev_id,
)

CASES: list[Case] = [
    Case(
        "vague-message", "bad",
        "`alembic revision --autogenerate -m \"update\"`: the message says nothing.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("update", "update"),
        ],
        expect=[Expect("vague-message", [in_file(
            "alembic/versions/" + rev_id("fixtures/rules/vague-message/bad", "update") + "_update.py")])],
    ),
    Case(
        "vague-message", "good",
        "The same change with `-m \"add hero power\"`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
    ),
]
