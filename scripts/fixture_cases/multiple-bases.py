"""Fixture cases of the rule multiple-bases (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    AUDIT_LOG,
    Autogen,
    Case,
    Edit,
    Expect,
    Merge,
    Models,
    TEAM,
    hero,
    labelled_base,
    models,
    rewire,
    var,
)

CASES: list[Case] = [
    Case(
        "multiple-bases", "bad",
        "The second revision lost its down_revision (set to None in a bad merge), and `alembic "
        "merge heads` then joined the two lines: one head, two unlabelled bases.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
            Edit("set down_revision (and the `Revises:` header) of add team table to None",
                 rewire("add-team-table", "add-hero-table", None)),
            Merge("merge-heads", "merge hero and team lines"),
        ],
        expect=[Expect("multiple-bases", [var("add-hero-table", "down_revision"),
                                          var("add-team-table", "down_revision")])],
    ),
    Case(
        "multiple-bases", "good",
        "One base: the intact two-revision chain.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), TEAM)),
            Autogen("add-team-table", "add team table"),
        ],
    ),
    Case(
        "multiple-bases", "good-branch-label",
        "A deliberately independent second base, made as Alembic documents it (`alembic revision "
        "--autogenerate --head base --branch-label audit`), later joined by `alembic merge heads`.",
        [
            Models(models(hero())),
            Autogen("add-hero-table", "add hero table"),
            Models(models(hero(), AUDIT_LOG)),
            Edit("ran `alembic revision --autogenerate --head base --branch-label audit -m "
                 "\"add audit log table\"` (real Alembic; the Autogen step has no --head base)",
                 labelled_base("add-audit-log-table", "add audit log table", "audit")),
            Merge("merge-audit", "merge audit branch"),
        ],
    ),
]
