"""Fixture cases of the rule target-metadata-missing (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from typing import Callable

from fixture_kit import Autogen, Case, Edit, Expect, Models, hero, in_file, models


def env_replace(old: str, new: str) -> Callable[..., None]:
    def fn(ctx) -> None:
        env = ctx.script_dir / "env.py"
        text = env.read_text()
        assert old in text, f"[{ctx.rel}] no {old!r} in env.py"
        env.write_text(text.replace(old, new))
    return fn


CASES: list[Case] = [
    Case(
        "target-metadata-missing", "bad",
        "env.py as `alembic init` writes it (`target_metadata = None`) in a project with table "
        "models: autogenerate compares the database with nothing.",
        [Models(models(hero())), Autogen("add-hero-table", "add hero table"),
         Edit("target_metadata = None in env.py", env_replace("target_metadata = SQLModel.metadata",
                                                             "target_metadata = None"))],
        expect=[Expect("target-metadata-missing", [in_file("alembic/env.py")])],
    ),
    Case(
        "target-metadata-missing", "good",
        "env.py hands Alembic `SQLModel.metadata` after importing the models.",
        [Models(models(hero())), Autogen("add-hero-table", "add hero table")],
    ),
]
