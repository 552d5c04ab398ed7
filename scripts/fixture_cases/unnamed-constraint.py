"""Fixture cases of the rule unnamed-constraint (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Expect,
    Models,
    TEAM,
    call,
    hero,
    models,
)

CASES: list[Case] = [
    Case(
        "unnamed-constraint", "bad",
        "A foreign key added to an existing table without a naming convention: "
        "op.create_foreign_key(None, ...) in upgrade(), op.drop_constraint(None, ...) in downgrade().",
        [
            Models(models(TEAM, hero())),
            Autogen("add-hero-and-team-tables", "add hero and team tables"),
            Models(models(TEAM, hero('team_id: Optional[int] = Field(default=None, foreign_key="team.id")'))),
            Autogen("add-hero-team-id", "add hero team id"),
        ],
        expect=[Expect("unnamed-constraint", [
            call("add-hero-team-id", "op.create_foreign_key("),
            call("add-hero-team-id", "op.drop_constraint(", func="downgrade"),
        ])],
        oracle="the downgrade fails: SQLAlchemy cannot emit DROP CONSTRAINT without a name",
    ),
    Case(
        "unnamed-constraint", "good",
        "The same with a naming convention on SQLModel.metadata: op.create_foreign_key("
        "op.f('fk_hero_team_id_team'), ...).",
        [
            Models(models(TEAM, hero(), naming=True)),
            Autogen("add-hero-and-team-tables", "add hero and team tables"),
            Models(models(TEAM, hero('team_id: Optional[int] = Field(default=None, foreign_key="team.id")'), naming=True)),
            Autogen("add-hero-team-id", "add hero team id"),
        ],
        oracle="the downgrade drops fk_hero_team_id_team by name",
    ),
]
