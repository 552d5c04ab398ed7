"""Fixture cases of the rule identifier-too-long (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import Autogen, Case, Models, by_hand, hero, models

LONG_INDEX = "ix_hero_secret_name_and_every_other_thing_we_might_search_heroes_by"

CASES: list[Case] = [
    by_hand("identifier-too-long", "bad", "An index name of 67 bytes.",
            f'op.create_index("{LONG_INDEX}", "hero", ["secret_name"])\n',
            f'op.drop_index("{LONG_INDEX}", table_name="hero")\n', "op.create_index(",
            oracle="upgrade fails: SQLAlchemy's IdentifierError (exceeds maximum length of 63 characters)"),
    Case(
        "identifier-too-long", "good",
        "An index on secret_name declared in the model (`Field(index=True)`): autogenerate names it.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("secret_name: str = Field(index=True)", drop=("secret_name",)))),
            Autogen("change-hero", "add hero secret name index", upgrade=False),
        ],
        oracle="upgrade passes",
    ),
]
