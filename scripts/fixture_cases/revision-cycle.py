"""Fixture cases of the rule revision-cycle (played by scripts/gen_fixtures.py)."""
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
    rewire,
    var,
)

CASES: list[Case] = [
    Case(
        "revision-cycle", "bad",
        "A three-revision chain whose middle revision was 'rebased' onto the newest one: its "
        "down_revision now names its own child, so the two point at each other.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power"),
            Edit("set down_revision (and the `Revises:` header) of add team table to add hero "
                 "power, its own child",
                 rewire("add-team-table", "add-hero-table", "add-hero-power")),
        ],
        expect=[Expect("revision-cycle", [var("add-team-table", "down_revision"),
                                          var("add-hero-power", "down_revision")])],
    ),
    Case(
        "revision-cycle", "good",
        "The intact three-revision chain.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power"),
        ],
    ),
]
