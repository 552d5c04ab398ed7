"""Fixture cases of the rule revision-mismatch (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Edit,
    Expect,
    Models,
    TEAM,
    header,
    hero,
    models,
    var,
)

CASES: list[Case] = [
    Case(
        "revision-mismatch", "bad",
        "`revision =` of the head revision edited by hand: it disagrees with the `Revision ID:` "
        "header and with the id in the file name.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power", upgrade=False),
            Edit("changed `revision = '<id>'` of the head revision to another id (header and file "
                 "name left alone)",
                 lambda c: c.replace("add-hero-power", f"revision = '{c.rev('add-hero-power')}'",
                                     f"revision = '{c.rev('edited-revision-id')}'")),
        ],
        expect=[Expect("revision-mismatch", [
            var("add-hero-power", "revision"), header("add-hero-power", "Revision ID:")])],
        oracle="alembic knows only the edited id: the id in the header and file name cannot be "
               "upgraded to",
    ),
    Case(
        "revision-mismatch", "bad-rebased",
        "A revision made on a branch and 'rebased' by editing `down_revision` to the new head, "
        "with the `Revises:` header left stale.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Models(models(hero("power: Optional[str] = None"), TEAM)),
            Autogen("add-hero-power", "add hero power", parent="add-hero-table", upgrade=False),
            Edit("rebased the branch revision by editing `down_revision` to the other head "
                 "(add team table); the `Revises:` header still names add hero table",
                 lambda c: c.replace("add-hero-power",
                                     f"down_revision = '{c.rev('add-hero-table')}'",
                                     f"down_revision = '{c.rev('add-team-table')}'")),
        ],
        expect=[Expect("revision-mismatch", [
            var("add-hero-power", "down_revision"), header("add-hero-power", "Revises:")])],
        oracle="alembic follows the variable: one head, linear history, the header lies",
    ),
    Case(
        "revision-mismatch", "good",
        "Header, variable and file name agree.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("power: Optional[str] = None"))),
            Autogen("add-hero-power", "add hero power"),
        ],
        oracle="the id in the header and file name is the one alembic upgrades to",
    ),
]
