"""Fixture cases of the rule missing-sqlmodel-import (played by scripts/gen_fixtures.py)."""
from __future__ import annotations

from fixture_kit import (
    Autogen,
    Case,
    Expect,
    Mako,
    Models,
    hero,
    in_file,
    models,
    rev_id,
    use,
)

CASES: list[Case] = [
    Case(
        "missing-sqlmodel-import", "bad",
        "Alembic's stock script.py.mako (no `import sqlmodel`) in a SQLModel project: autogenerate "
        "renders `str` fields as `sqlmodel.sql.sqltypes.AutoString()` and imports nothing.",
        [Models(models(hero())), Autogen("add-hero-table", "add hero table")],
        expect=[
            Expect("missing-sqlmodel-import", [use("add-hero-table")]),
            Expect("template-missing-sqlmodel-import", [in_file("alembic/script.py.mako")]),
        ],
        mako="stock",
        oracle="upgrade raises NameError: name 'sqlmodel' is not defined; with `import sqlmodel` "
               "inserted it runs",
    ),
    Case(
        "missing-sqlmodel-import", "bad-unused",
        "The first revision was generated before the team fixed the template (int columns only, so "
        "it runs), the later one after: in a SQLModel project every migration must import sqlmodel "
        "(`sqlmodelImport: auto` = always).",
        [
            Mako("stock"),
            Models(models('''\
                class Counter(SQLModel, table=True):
                    id: Optional[int] = Field(default=None, primary_key=True)
                    value: int
                ''')),
            Autogen("add-counter-table", "add counter table"),
            Mako("sqlmodel"),
            Models(models('''\
                class Counter(SQLModel, table=True):
                    id: Optional[int] = Field(default=None, primary_key=True)
                    value: int
                ''', hero())),
            Autogen("add-hero-table", "add hero table"),
        ],
        expect=[Expect("missing-sqlmodel-import", [in_file(
            "alembic/versions/" + rev_id("fixtures/rules/missing-sqlmodel-import/bad-unused",
                                         "add-counter-table") + "_add_counter_table.py")])],
        mako="sqlmodel",
    ),
    Case(
        "missing-sqlmodel-import", "good",
        "The FastAPI full-stack template's script.py.mako (`import sqlmodel.sql.sqltypes`, which "
        "binds `sqlmodel`).",
        [Models(models(hero())), Autogen("add-hero-table", "add hero table")],
        mako="fastapi",
        oracle="upgrade runs",
    ),
    Case(
        "missing-sqlmodel-import", "good-sqlalchemy",
        "A plain SQLAlchemy project (declarative Base, stock template, no sqlmodel anywhere): no "
        "noise about sqlmodel.",
        [
            Models('''\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Hero(Base):
    __tablename__ = "hero"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    age = Column(Integer)
'''),
            Autogen("add-hero-table", "add hero table"),
        ],
        mako="stock",
        sqlalchemy_base=True,
        oracle="upgrade runs",
    ),
]
