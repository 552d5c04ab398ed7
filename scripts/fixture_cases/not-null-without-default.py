"""Fixture cases of the rule not-null-without-default (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Expect,
    HERO_POWER_STR,
    Models,
    call,
    hero,
    models,
)

CASES: list[Case] = [
    Case(
        "not-null-without-default", "bad",
        "A non-Optional `power: str` added to an existing model: add_column nullable=False without "
        "server_default.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(HERO_POWER_STR))),
            Autogen("add-hero-power", "add hero power"),
        ],
        expect=[Expect("not-null-without-default", [call("add-hero-power", "op.add_column(")])],
        oracle="upgrade fails with NotNullViolation on a table with rows (and passes on an empty one)",
    ),
    Case(
        "not-null-without-default", "good",
        "The same field with `sa_column_kwargs={\"server_default\": \"none\"}`: add_column "
        "nullable=False with server_default.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero('power: str = Field(default="none", sa_column_kwargs={"server_default": "none"})'))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="upgrade passes on a table with rows, which get the default",
    ),
    Case(
        "not-null-without-default", "good-optional",
        "The same field as `Optional[str] = None`: add_column nullable=True.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="upgrade passes on a table with rows",
    ),
]
