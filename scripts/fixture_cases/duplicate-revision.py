"""Fixture cases of the rule duplicate-revision (played by scripts/gen_fixtures.py)."""
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
        "duplicate-revision", "bad",
        "A revision file duplicated under another name (`<rev>_add_team_table copy.py`, as a "
        "file manager names a copy): two files define the same revision.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Edit("copied the second revision's file to `<rev>_add_team_table copy.py`",
                 lambda c: c.copy("add-team-table", "add-team-table-copy",
                                  c.path("add-team-table").stem + " copy.py")),
        ],
        expect=[Expect("duplicate-revision", [
            var("add-team-table", "revision"), var("add-team-table-copy", "revision"),
        ])],
        oracle="alembic warns that the revision is present more than once and keeps one file",
    ),
    Case(
        "duplicate-revision", "good",
        "The intact two-revision chain.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
        ],
        oracle="alembic loads it without a warning",
    ),
]
