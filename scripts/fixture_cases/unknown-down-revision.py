"""Fixture cases of the rule unknown-down-revision (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Edit,
    Expect,
    Models,
    TEAM,
    hero,
    models,
    var,
)

CASES: list[Case] = [
    Case(
        "unknown-down-revision", "bad",
        "A three-revision chain whose middle file was deleted (a bad rebase): the last revision's "
        "down_revision names a revision no file defines.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power"),
            Edit("deleted the middle revision's file (add team table)",
                 lambda c: c.delete("add-team-table")),
        ],
        expect=[Expect("unknown-down-revision", [var("add-hero-power", "down_revision")])],
        oracle="alembic refuses to load the revision graph",
    ),
    Case(
        "unknown-down-revision", "good",
        "The intact three-revision chain.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="`alembic upgrade head` passes",
    ),
]
