"""Fixture cases of the rule model-not-imported (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from typing import Callable

from fixture_kit import TEAM, Autogen, Case, Edit, Expect, Models, hero, in_file, models


def seed_layout(imported: tuple[str, ...]) -> Callable[..., None]:
    """The seed's models package: models/__init__.py re-exports one module per model (Hero, Team);
    only the modules in `imported` are imported there. models.py goes: the package takes its place."""
    def fn(ctx) -> None:
        pkg = ctx.project_dir / "models"
        pkg.mkdir(exist_ok=True)
        lines = ["from sqlmodel import SQLModel  # noqa: F401 (env.py takes the metadata from here)\n"]
        lines += [f"from .{m} import {m.capitalize()}  # noqa: F401\n" for m in imported]
        (pkg / "__init__.py").write_text("".join(lines))
        (pkg / "hero.py").write_text(models(hero()))
        (pkg / "team.py").write_text(models(TEAM))
        ctx.models_path.unlink()
    return fn


CASES: list[Case] = [
    Case(
        "model-not-imported", "bad",
        "The seed's layout: models/__init__.py re-exports one module per model, and team.py is "
        "missing from it. Alembic never sees Team and would write drop_table for its live table.",
        [Models(models(hero(), TEAM)), Autogen("add-hero-and-team", "add hero and team"),
         Edit("split models.py into the models/ package, leaving team out of models/__init__.py",
              seed_layout(("hero",)))],
        expect=[Expect("model-not-imported", [in_file("models/team.py")])],
        oracle="compare_metadata reports remove_table team",
    ),
    Case(
        "model-not-imported", "good",
        "The seed's layout with every model module imported in models/__init__.py.",
        [Models(models(hero(), TEAM)), Autogen("add-hero-and-team", "add hero and team"),
         Edit("split models.py into the models/ package", seed_layout(("hero", "team")))],
    ),
]
