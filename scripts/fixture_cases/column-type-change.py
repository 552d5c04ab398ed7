"""Fixture cases of the rule column-type-change (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Expect,
    HERO_NAME_100,
    Models,
    PG_HEADER,
    call,
    hero,
    models,
)

CASES: list[Case] = [
    Case(
        "column-type-change", "bad",
        "`age` moved from int to BigInteger (`sa_column=Column(BigInteger())`): autogenerate "
        "emits op.alter_column(type_=sa.BigInteger()), which rewrites the table.",
        [
            Models(models(hero(), header=PG_HEADER)),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("age: Optional[int] = Field(default=None, sa_column=Column(BigInteger()))",
                               drop=("age",)), header=PG_HEADER)),
            Autogen("make-hero-age-bigint", "make hero age bigint"),
        ],
        expect=[Expect("column-type-change", [call("make-hero-age-bigint", "op.alter_column(")])],
        oracle="ALTER COLUMN TYPE bigint rewrites hero (PostgreSQL: rewriting table) under "
               "ACCESS EXCLUSIVE",
    ),
    Case(
        "column-type-change", "good",
        "`name` widened from max_length=100 to 200: varchar(100) → varchar(200) keeps the table.",
        [
            Models(models(hero(HERO_NAME_100, drop=("name",)))),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero("name: str = Field(max_length=200)", drop=("name",)))),
            Autogen("widen-hero-name", "widen hero name"),
        ],
        oracle="ACCESS EXCLUSIVE for an instant: no rewrite, no scan",
    ),
]
