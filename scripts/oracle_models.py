"""The model oracle's projects: for each case, a real Alembic project whose migration comes from a real
`alembic revision --autogenerate` on PostgreSQL, upgraded, then real `compare_metadata` on the real models,
first as generated (in sync) and then with the models changed one step. Prints one JSON document:
[{"name", "dir", "steps": [{"models": "v1"|"v2", "diffs": [[kind, table, column|null], ...]}]}].

Run by test/oracle/models.test.ts with Debian's python3 (python3-alembic, python3-sqlmodel, psycopg2).
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PYTHON = "/usr/bin/python3"

HEAD = """\
import enum
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlmodel import Field, Relationship, SQLModel
"""

ENV = """\
from alembic import context
from sqlalchemy import engine_from_config, pool

import models  # noqa: F401  registers the tables
from models import SQLModel

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
"""

COMPARE = """\
import json, sys
sys.path.insert(0, ".")
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata
import models
engine = sa.create_engine(sys.argv[1])
out = []
def add(kind, table, column):
    out.append([kind, table, column])
with engine.connect() as conn:
    mc = MigrationContext.configure(conn, opts={"compare_type": True, "target_metadata": models.SQLModel.metadata})
    for d in compare_metadata(mc, models.SQLModel.metadata):
        if isinstance(d, list):
            for m in d:
                add(m[0], m[2], m[3])
            continue
        kind = d[0]
        if kind in ("add_table", "remove_table"):
            add(kind, d[1].name, None)
        elif kind in ("add_column", "remove_column"):
            add(kind, d[2], d[3].name)
        elif kind in ("add_index", "remove_index", "add_constraint", "remove_constraint", "add_fk", "remove_fk"):
            add(kind, d[1].table.name, None)
        else:
            add(kind, None, None)
print(json.dumps(sorted(out, key=lambda x: json.dumps(x))))
"""


def model(*classes: str, naming: bool = False, extra: str = "") -> str:
    parts = [HEAD]
    if naming:
        parts.append('\nSQLModel.metadata.naming_convention = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s", '
                     '"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}\n')
    if extra:
        parts.append("\n" + textwrap.dedent(extra).strip("\n") + "\n")
    for c in classes:
        parts.append("\n\n" + textwrap.dedent(c).strip("\n") + "\n")
    return "".join(parts)


def hero(*fields: str, name: str = "Hero", base: str = "SQLModel", args: str = "") -> str:
    body = [f"class {name}({base}, table=True):"]
    if args:
        body.append(f"    __table_args__ = {args}")
    body.append("    id: Optional[int] = Field(default=None, primary_key=True)")
    body += [f"    {f}" for f in fields]
    return "\n".join(body) + "\n"


TEAM = hero("name: str = Field(max_length=50)", name="Team")
COLOR = "class Color(str, enum.Enum):\n    red = 'red'\n    blue = 'blue'\n"
BASE = "class HeroBase(SQLModel):\n    name: str = Field(max_length=80, index=True)\n    age: Optional[int] = None\n"

# Declarative classes on SQLModel's metadata (SQLAlchemy 1.4 style: Debian's SQLModel pins it).
DECL = "from sqlalchemy.orm import declarative_base\nBase = declarative_base(metadata=SQLModel.metadata)\n"
PET = ("class Pet(Base):\n    __tablename__ = 'pet'\n    id = sa.Column(sa.Integer, primary_key=True)\n"
       "    kind = sa.Column(sa.String(20), nullable=False)\n    __mapper_args__ = {'polymorphic_on': kind, 'polymorphic_identity': 'pet'}\n")
DOG_STI = "class Dog(Pet):\n    bark = sa.Column(sa.Integer, nullable=True)\n    __mapper_args__ = {'polymorphic_identity': 'dog'}\n"
CAT_STI = "class Cat(Pet):\n    lives = sa.Column(sa.Integer, nullable=True)\n    __mapper_args__ = {'polymorphic_identity': 'cat'}\n"
DOG_JOINED = ("class Dog(Pet):\n    __tablename__ = 'dog'\n    id = sa.Column(sa.Integer, sa.ForeignKey('pet.id'), primary_key=True)\n"
              "    __mapper_args__ = {'polymorphic_identity': 'dog'}\n")

# (name, v1 models, v2 models): every case is compared in sync (v1) and one step changed (v2).
CASES = [
    ("str", model(hero("name: str")), model(hero("name: str", "nick: str"))),
    ("max-length", model(hero("name: str = Field(max_length=20)")), model(hero("name: str = Field(max_length=40)"))),
    ("int-float-bool", model(hero("a: int", "b: float", "c: bool")), model(hero("a: int", "b: float"))),
    ("datetime-date-time", model(hero("a: datetime", "b: date", "c: time")), model(hero("a: datetime", "b: date", "c: time", "d: timedelta"))),
    ("bytes", model(hero("blob: bytes")), model(hero("blob: Optional[bytes] = None"))),
    ("optional", model(hero("a: Optional[str] = None")), model(hero("a: str"))),
    ("pipe-none", model(hero("a: Optional[int] = None", "b: str")), model(hero("a: int", "b: Optional[str] = None"))),
    # SQLModel 0.0.8's Field() takes no max_digits: the plain Decimal (NUMERIC) is what this generation maps.
    ("decimal", model(hero("price: Decimal")), model(hero("price: Optional[Decimal] = None"))),
    ("uuid-key", model(hero("ref: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)")), model(hero("ref: uuid.UUID = Field(default_factory=uuid.uuid4)"))),
    ("enum", model(hero("color: Color", name="Hero"), extra=COLOR), model(hero("color: Color", "other: Optional[Color] = None"), extra=COLOR)),
    ("index", model(hero("name: str = Field(index=True)")), model(hero("name: str"))),
    ("unique", model(hero("email: str = Field(unique=True)")), model(hero("email: str = Field(unique=True, index=True)"))),
    ("unique-index", model(hero("email: str = Field(unique=True, index=True)")), model(hero("email: str = Field(index=True)"))),
    ("fk", model(TEAM, hero("team_id: Optional[int] = Field(default=None, foreign_key='team.id')")), model(TEAM, hero("team_id: Optional[int] = None"))),
    ("fk-ondelete", model(TEAM, hero("team_id: Optional[int] = Field(default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey('team.id', ondelete='CASCADE')))")),
     model(TEAM, hero("team_id: Optional[int] = Field(default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey('team.id', ondelete='SET NULL')))"))),
    ("sa-column-server-default", model(hero("created: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False))")),
     model(hero("created: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=True))"))),
    ("pg-uuid-column", model(hero("ext: uuid.UUID = Field(sa_column=sa.Column(pg.UUID(as_uuid=True), nullable=False, unique=True))")),
     model(hero("ext: uuid.UUID = Field(sa_column=sa.Column(pg.UUID(as_uuid=True), nullable=False))"))),
    ("composite-index", model(hero("a: int", "b: int", args="(sa.Index('ix_hero_a_b', 'a', 'b'),)")), model(hero("a: int", "b: int", args="(sa.Index('ix_hero_a_b', 'a'),)"))),
    ("composite-unique", model(hero("a: int", "b: int", args="(sa.UniqueConstraint('a', 'b', name='uq_hero_a_b'),)")), model(hero("a: int", "b: int"))),
    ("table-args-trailing-dict", model(hero("a: int", args="(sa.Index('ix_hero_a', 'a', unique=True), {'comment': 'heroes'})")), model(hero("a: int", "c: int", args="(sa.Index('ix_hero_a', 'a', unique=True), {'comment': 'heroes'})"))),
    ("inheritance", model(BASE, hero("power: int", base="HeroBase")), model(BASE.replace("age: Optional[int] = None", "age: int = 0"), hero("power: int", base="HeroBase"))),
    ("naming-convention", model(TEAM, hero("email: str = Field(unique=True)", "team_id: Optional[int] = Field(default=None, foreign_key='team.id')", "name: str = Field(index=True)"), naming=True),
     model(TEAM, hero("email: str", "team_id: Optional[int] = Field(default=None, foreign_key='team.id')", "name: str = Field(index=True)"), naming=True)),
    ("tablename", model(hero("name: str").replace("class Hero(SQLModel, table=True):", "class Hero(SQLModel, table=True):\n    __tablename__ = 'heroes'")),
     model(hero("name: str"))),
    ("drop-table", model(TEAM, hero("name: str")), model(hero("name: str"))),
    ("add-table", model(hero("name: str")), model(hero("name: str"), TEAM.replace("Field(max_length=50)", "Field(max_length=50, index=True)"))),
    ("sa-type", model(hero("big: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))")), model(hero("big: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))"))),
    ("declarative-beside", model(hero("name: str"), extra="""
        from sqlalchemy.orm import declarative_base
        class Audit(SQLModel, table=True):
            id: Optional[int] = Field(default=None, primary_key=True)
            note: str = Field(sa_column=sa.Column(sa.Text, nullable=True))
        """), model(hero("name: str"), extra="""
        class Audit(SQLModel, table=True):
            id: Optional[int] = Field(default=None, primary_key=True)
            note: str = Field(sa_column=sa.Column(sa.String(200), nullable=True))
        """)),
    # Single-table inheritance: a subclass without a table adds its columns to its parent's table.
    ("single-table-inheritance", model(PET, DOG_STI, extra=DECL), model(PET, DOG_STI, CAT_STI, extra=DECL)),
    # Joined inheritance: the subclass's table has its own columns, not its parent's.
    ("joined-inheritance", model(PET, DOG_JOINED, extra=DECL),
     model(PET, DOG_JOINED + "    bark = sa.Column(sa.Integer, nullable=True)\n", extra=DECL)),
    # An Index built at module level from a mapped attribute is on that attribute's table.
    ("standalone-index", model(PET, DOG_STI, "sa.Index('ix_pet_bark', Dog.bark)", extra=DECL), model(PET, DOG_STI, extra=DECL)),
    ("relationship", model(TEAM.replace("Field(max_length=50)", "Field(max_length=50)\n    heroes: List['Hero'] = Relationship(back_populates='team')"),
                           hero("team_id: Optional[int] = Field(default=None, foreign_key='team.id')", "team: Optional[Team] = Relationship(back_populates='heroes')")),
     model(TEAM.replace("Field(max_length=50)", "Field(max_length=50)\n    heroes: List['Hero'] = Relationship(back_populates='team')"),
           hero("team_id: int = Field(foreign_key='team.id')", "team: Optional[Team] = Relationship(back_populates='heroes')"))),
]


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{cmd} in {cwd} failed:\n{p.stdout}\n{p.stderr}")
    return p.stdout


def main() -> None:
    root = Path(sys.argv[1])
    only = sys.argv[2] if len(sys.argv) > 2 else None
    pg_url = "postgresql://{u}:{p}@{h}:{port}".format(u=os.environ.get("PGUSER", "migration_lint"), p=os.environ.get("PGPASSWORD", "migration_lint"),
                                                      h=os.environ.get("PGHOST", "127.0.0.1"), port=os.environ.get("PGPORT", "5432"))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    admin = f"{pg_url}/postgres"
    results = []
    for i, (name, v1, v2) in enumerate(CASES):
        if only and only != name:
            continue
        d = root / name
        d.mkdir(parents=True)
        db = f"ml_models_{i}_{os.getpid()}"
        run([PYTHON, "-c", f"import sqlalchemy as sa; e = sa.create_engine({admin!r}, isolation_level='AUTOCOMMIT'); c = e.connect(); c.execute(sa.text('DROP DATABASE IF EXISTS {db}')); c.execute(sa.text('CREATE DATABASE {db}'))"], d, env)
        url = f"{pg_url}/{db}"
        try:
            run([PYTHON, "-m", "alembic", "init", "alembic"], d, env)
            ini = (d / "alembic.ini").read_text().replace("sqlalchemy.url = driver://user:pass@localhost/dbname", f"sqlalchemy.url = {url}")
            (d / "alembic.ini").write_text(ini)
            (d / "alembic" / "env.py").write_text(ENV)
            mako = d / "alembic" / "script.py.mako"
            mako.write_text(mako.read_text().replace("import sqlalchemy as sa\n", "import sqlalchemy as sa\nimport sqlmodel\n"))
            (d / "requirements.txt").write_text("sqlmodel==0.0.8\npydantic==1.10.4\nalembic==1.8.1\n")
            (d / "models.py").write_text(v1)
            run([PYTHON, "-m", "alembic", "revision", "--autogenerate", "-m", "initial", "--rev-id", "a1"], d, env)
            run([PYTHON, "-m", "alembic", "upgrade", "head"], d, env)
            steps = [{"models": "v1", "diffs": json.loads(run([PYTHON, "-c", COMPARE, url], d, env))}]
            (d / "models.py").write_text(v2)
            steps.append({"models": "v2", "diffs": json.loads(run([PYTHON, "-c", COMPARE, url], d, env))})
            (d / "models.v1.py").write_text(v1)
        finally:
            run([PYTHON, "-c", f"import sqlalchemy as sa; e = sa.create_engine({admin!r}, isolation_level='AUTOCOMMIT'); c = e.connect(); c.execute(sa.text('DROP DATABASE IF EXISTS {db}'))"], d, env)
        for p in d.rglob("__pycache__"):
            subprocess.run(["rm", "-rf", str(p)])
        results.append({"name": name, "dir": str(d), "steps": steps})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
