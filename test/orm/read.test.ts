/**
 * Finding and reading the models statically: what env.py reaches, how SQLModel and SQLAlchemy turn each class
 * into a table (checked against SQLModel's get_column_from_field / get_sqlalchemy_type), and what stays unknown.
 */
import { describe, expect, it } from 'vitest';
import { driftOf, ENV_SQLMODEL, kinds, migration, tablesOf } from './support.js';

const HERO = `from typing import Optional
from sqlmodel import Field, SQLModel


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
`;

describe('finding the models from env.py', () => {
  it('follows imports transitively through the project: env.py → logging module → db module → star import of the models', () => {
    const d = driftOf({
      'alembic/env.py': 'from alembic import context\nimport app.log\nfrom app.db import Base\n\ntarget_metadata = Base.metadata\n',
      'app/__init__.py': '',
      'app/log.py': 'import logging\nfrom app import db  # noqa\n',
      'app/db.py': 'from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n\n\nfrom app.models import *  # noqa\n',
      'app/models.py': 'from sqlalchemy import Column, Integer, String\nfrom app.db import Base\n\n\nclass User(Base):\n    __tablename__ = "users"\n    id = Column(Integer, primary_key=True)\n    name = Column(String(50), nullable=False)\n',
    });
    expect(tablesOf(d)).toEqual({ users: 'id:INTEGER:NN:PK name:VARCHAR(50):NN' });
    expect(d.project.reached.map((m) => m.name)).toEqual(['app', 'app.log', 'app.db', 'app.models']);
  });

  it('takes a package over a module of the same name, as Python does', () => {
    const d = driftOf({
      'alembic/env.py': ENV_SQLMODEL,
      'app/__init__.py': '',
      'app/models.py': HERO.replace('Hero', 'Stale'),
      'app/models/__init__.py': 'from sqlmodel import SQLModel\nfrom .hero import Hero\n',
      'app/models/hero.py': HERO,
    });
    expect(Object.keys(tablesOf(d))).toEqual(['hero']);
  });

  it('leaves out imports under `if TYPE_CHECKING:` (they never run)', () => {
    const d = driftOf({
      'alembic/env.py': ENV_SQLMODEL,
      'app/__init__.py': '',
      'app/models/__init__.py': 'from typing import TYPE_CHECKING\nfrom sqlmodel import SQLModel\nfrom .hero import Hero\nif TYPE_CHECKING:\n    from .team import Team\n',
      'app/models/hero.py': HERO,
      'app/models/team.py': HERO.replace('Hero', 'Team'),
    });
    expect(Object.keys(tablesOf(d))).toEqual(['hero']);
    expect(d.unimported.map((u) => u.model.className)).toEqual(['Team']);
    expect(d.unimported[0]!.fix?.statement).toBe('from .team import Team');
  });

  it("resolves against env.py's sys.path.insert (a src/ layout reached through Path(__file__).parents)", () => {
    const d = driftOf({
      'alembic/env.py': 'import sys\nfrom pathlib import Path\nsys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))\nfrom shop.models import SQLModel\ntarget_metadata = SQLModel.metadata\n',
      'lib/shop/__init__.py': '',
      'lib/shop/models.py': HERO,
    });
    expect(Object.keys(tablesOf(d))).toEqual(['hero']);
  });

  it('reads config `models` instead of following env.py', () => {
    const d = driftOf({ 'alembic/env.py': 'from sqlmodel import SQLModel\ntarget_metadata = SQLModel.metadata\n', 'somewhere/m.py': HERO }, { configModels: ['somewhere/m.py'] });
    expect(Object.keys(tablesOf(d))).toEqual(['hero']);
  });

  it('knows target_metadata = None and a missing target_metadata', () => {
    expect(driftOf({ 'alembic/env.py': 'target_metadata = None\n', 'app/__init__.py': '', 'app/models.py': HERO }).target.kind).toBe('none');
    const missing = driftOf({ 'alembic/env.py': 'from alembic import context\n', 'app/__init__.py': '', 'app/models.py': HERO });
    expect(missing.target.kind).toBe('missing');
    expect(missing.projectModels.map((m) => m.className)).toEqual(['Hero']);
  });
});

describe('reading SQLModel classes as SQLModel maps them', () => {
  const project = (models: string, pins = 'sqlmodel>=0.0.21\n') =>
    driftOf({ 'alembic/env.py': ENV_SQLMODEL, 'app/__init__.py': '', 'app/models.py': models, 'requirements.txt': pins });

  it('maps every annotation type get_sqlalchemy_type knows, with max_length and Decimal precision', () => {
    const d = project(`import enum
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Optional
from pydantic import EmailStr
from sqlmodel import Field, SQLModel


class Color(str, enum.Enum):
    red = "red"


class Thing(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    s: str
    s5: str = Field(max_length=5)
    i: int
    f: float
    b: bool
    dt: datetime
    d: date
    t: time
    td: timedelta
    by: bytes
    dec: Decimal = Field(max_digits=10, decimal_places=2)
    e: Color
    em: EmailStr
    o: Optional[int] = None
    u: int | None = None
`);
    expect(tablesOf(d)).toEqual({
      thing:
        'id:UUID:NN:PK s:VARCHAR:NN s5:VARCHAR(5):NN i:INTEGER:NN f:FLOAT:NN b:BOOLEAN:NN dt:TIMESTAMP WITHOUT TIME ZONE:NN d:DATE:NN ' +
        't:TIME WITHOUT TIME ZONE:NN td:INTERVAL:NN by:BYTEA:NN dec:NUMERIC(10, 2):NN e:color:NN em:VARCHAR:NN o:INTEGER:NULL u:INTEGER:NULL',
    });
  });

  it('decides nullability by the pydantic generation the project pins: `str = Field(default=None)`', () => {
    const model = 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int = Field(primary_key=True)\n    nick: str = Field(default=None)\n';
    expect(tablesOf(project(model, 'sqlmodel==0.0.8\npydantic==1.10.4\n')).hero).toBe('id:INTEGER:NN:PK nick:VARCHAR:NULL');
    expect(tablesOf(project(model, 'sqlmodel==0.0.22\npydantic==2.9.2\n')).hero).toBe('id:INTEGER:NN:PK nick:VARCHAR:NN');
  });

  it('inherits fields from non-table bases, honours __tablename__, nullable=, sa_type, sa_column and skips Relationship', () => {
    const d = project(`from typing import Optional
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlmodel import Field, Relationship, SQLModel


class Base(SQLModel):
    title: str = Field(max_length=100, index=True)


class Item(Base, table=True):
    __tablename__ = "items"
    id: Optional[int] = Field(default=None, primary_key=True)
    big: int = Field(sa_type=sa.BigInteger)
    owner_id: Optional[int] = Field(default=None, foreign_key="user.id", ondelete="CASCADE", nullable=False)
    ext: str = Field(sa_column=sa.Column(pg.UUID(as_uuid=True), sa.ForeignKey("user.uuid", ondelete="SET NULL"), server_default=sa.text("gen_random_uuid()")))
    owner: Optional["User"] = Relationship(back_populates="items")
`);
    expect(tablesOf(d)).toEqual({ items: 'title:VARCHAR(100):NN id:INTEGER:NN:PK big:BIGINT:NN owner_id:INTEGER:NN ext:UUID:NULL' });
    const t = d.tables.get('items')!;
    expect(t.indexes.map((i) => [i.name, i.columns, i.unique])).toEqual([['ix_items_title', ['title'], false]]);
    expect(t.foreignKeys.map((f) => [f.columns, f.refTable, f.refColumns, f.ondelete])).toEqual([
      [['owner_id'], 'user', ['id'], 'CASCADE'],
      [['ext'], 'user', ['uuid'], 'SET NULL'],
    ]);
  });

  it('reads __table_args__: named and partial indexes, unique and composite constraints, a trailing {}', () => {
    const d = project(`from sqlmodel import Field, SQLModel, Index, UniqueConstraint
from sqlalchemy import ForeignKeyConstraint, CheckConstraint, text


class Seat(SQLModel, table=True):
    __table_args__ = (
        Index("ix_seat_row_col", "row", "col", unique=True),
        Index("ix_seat_live", "row", postgresql_where=text("col > 0")),
        UniqueConstraint("hall", "row", name="uq_seat_hall_row"),
        ForeignKeyConstraint(["hall", "row"], ["hall_row.hall", "hall_row.row"], ondelete="CASCADE"),
        CheckConstraint("col >= 0", name="ck_col"),
        {"comment": "seats"},
    )
    id: int = Field(primary_key=True)
    hall: int
    row: int
    col: int
`);
    const t = d.tables.get('seat')!;
    expect(t.unknown).toBeNull();
    expect(t.indexes.map((i) => [i.name, i.columns, i.unique])).toEqual([
      ['ix_seat_row_col', ['row', 'col'], true],
      ['ix_seat_live', ['row'], false],
    ]);
    expect(t.uniques).toMatchObject([{ name: 'uq_seat_hall_row', columns: ['hall', 'row'] }]);
    expect(t.foreignKeys).toMatchObject([{ columns: ['hall', 'row'], refTable: 'hall_row', refColumns: ['hall', 'row'], ondelete: 'CASCADE' }]);
  });

  it('names index=True indexes and unnamed constraints by a naming convention set in env.py after the import', () => {
    const d = driftOf({
      'alembic/env.py':
        'from app.models import SQLModel\nSQLModel.metadata.naming_convention = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}\ntarget_metadata = SQLModel.metadata\n',
      'app/__init__.py': '',
      'app/models.py': 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int = Field(primary_key=True)\n    email: str = Field(unique=True)\n    team_id: int = Field(foreign_key="team.id")\n',
    });
    const t = d.tables.get('hero')!;
    expect(t.uniques.map((u) => u.name)).toEqual(['uq_hero_email']);
    expect(t.foreignKeys.map((f) => f.name)).toEqual(['fk_hero_team_id_team']);
  });
});

describe('reading SQLAlchemy declarative models on the same metadata', () => {
  it('reads Mapped[...] + mapped_column, classic Column, plain mixins and Table(...)', () => {
    const d = driftOf({
      'alembic/env.py': 'from app.models import Base\ntarget_metadata = Base.metadata\n',
      'app/__init__.py': '',
      'app/models.py': `from datetime import datetime
from typing import Optional
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Timestamps:
    created_at = Column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class Author(Timestamps, Base):
    __tablename__ = "author"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    bio: Mapped[Optional[str]]
    books: Mapped[list["Book"]] = relationship(back_populates="author")


class Book(Base):
    __tablename__ = "book"
    id = Column(Integer, primary_key=True)
    author_id = Column(ForeignKey("author.id", ondelete="CASCADE"))


tags = Table("tag", Base.metadata, Column("id", Integer, primary_key=True), Column("label", String(20), unique=True))
`,
    });
    expect(tablesOf(d)).toEqual({
      author: 'id:INTEGER:NN:PK name:VARCHAR(80):NN bio:VARCHAR:NULL created_at:TIMESTAMP WITH TIME ZONE:NN',
      book: 'id:INTEGER:NN:PK author_id:null:NULL',
      tag: 'id:INTEGER:NN:PK label:VARCHAR(20):NULL',
    });
  });
});

describe('declarative inheritance as SQLAlchemy maps it', () => {
  const BASE = `from typing import Optional
from sqlalchemy import Column, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Record(Base):
    __abstract__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
`;
  const env = 'from app.models import Base\ntarget_metadata = Base.metadata\n';
  /** A project whose app/models.py holds BASE and then these classes, with extra files (migrations). */
  const project = (classes: string, extra: Record<string, string> = {}) =>
    driftOf({ 'alembic/env.py': env, 'app/__init__.py': '', 'app/models.py': `${BASE}\n${classes}`, ...extra });

  it('single-table inheritance: subclasses without a table add their columns to the parent table, through mixins and abstract levels', () => {
    const d = project(`
class Price(Record):
    __tablename__ = "price"
    kind: Mapped[str] = mapped_column(String(20))
    __mapper_args__ = {"polymorphic_on": "kind"}


class _Fixed(Price):
    amount: Mapped[Optional[int]] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), use_existing_column=True)
    __mapper_args__ = {"polymorphic_abstract": True}


class Legacy:
    interval: Mapped[Optional[str]] = mapped_column(String(10))


class LegacyFixed(Legacy, _Fixed):
    __mapper_args__ = {"polymorphic_identity": "legacy_fixed"}


class Custom(Price):
    minimum: Mapped[Optional[int]] = mapped_column(Integer)
`);
    expect(tablesOf(d)).toEqual({ price: 'kind:VARCHAR(20):NN id:INTEGER:NN:PK amount:INTEGER:NULL minimum:INTEGER:NULL interval:VARCHAR(10):NULL' });
    expect(d.unknown).toEqual([]);
  });

  it("joined inheritance: a subclass with its own __tablename__ has its own columns only, not its mapped parent's", () => {
    const d = project(`
class Pet(Record):
    __tablename__ = "pet"
    name: Mapped[str] = mapped_column(String(50))


class Dog(Pet):
    __tablename__ = "dog"
    id: Mapped[int] = mapped_column(ForeignKey("pet.id"), primary_key=True)
    bark: Mapped[Optional[int]]
`);
    expect(tablesOf(d)).toEqual({ pet: 'name:VARCHAR(50):NN id:INTEGER:NN:PK', dog: 'id:INTEGER:NN:PK bark:INTEGER:NULL' });
  });

  it("a base from a library may declare columns: the migrations' extra columns and indexes are unknown, the model's own still compared", () => {
    const d = project(`from authlib.integrations.sqla_oauth2 import OAuth2TokenMixin
from typing import Generic, TypeVar

T = TypeVar("T")


class Token(Record, OAuth2TokenMixin, Generic[T]):
    __tablename__ = "token"
    user_id: Mapped[int]
`, {
      'alembic/versions/a1_token.py': migration('a1', null, [
        "op.create_table('token', sa.Column('id', sa.Integer(), nullable=False), sa.Column('access_token', sa.String(255), nullable=False), sa.PrimaryKeyConstraint('id'))",
        "op.create_index('ix_token_access_token', 'token', ['access_token'], unique=True)",
      ])
    });
    expect(kinds(d)).toEqual(['add_column token.user_id']);
    expect(d.unknown.map((u) => [u.table, u.column, u.reason])).toEqual([
      ['token', 'access_token', 'Token inherits from authlib.integrations.sqla_oauth2.OAuth2TokenMixin, whose columns the reader cannot see'],
    ]);
  });

  it('a standalone Index(name, Model.attr, ...) at module level is on the table of its columns; one inside a function is not', () => {
    const d = project(`
class Case(Record):
    __tablename__ = "case"
    kind: Mapped[str] = mapped_column(String(20))


class Dispute(Case):
    dispute_id: Mapped[Optional[int]]


Index("ix_case_dispute_id", Dispute.dispute_id, unique=True, postgresql_where="dispute_id IS NOT NULL")
ix_kind = Index("ix_case_kind", Case.kind)


def later():
    Index("ix_case_never", Case.kind)
`);
    expect(d.tables.get('case')!.indexes.map((i) => `${i.name}(${i.columns.join(',')})${i.unique ? ' unique' : ''}`)).toEqual([
      'ix_case_dispute_id(dispute_id) unique',
      'ix_case_kind(kind)',
    ]);
  });
});

describe("env.py's include_object / include_name hooks", () => {
  const models = `from typing import Optional
from sqlmodel import Field, SQLModel


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    power: int
`;
  // The migrations make hero (without power) and a spatial_ref_sys table no model declares.
  const versions = {
    'alembic/versions/a1_init.py': migration('a1', null, [
      "op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False), sa.PrimaryKeyConstraint('id'))",
      "op.create_table('spatial_ref_sys', sa.Column('srid', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('srid'))",
    ]),
  };
  const env = (hook: string, kw = 'include_object=include_object') => `from alembic import context
from app.models import SQLModel

target_metadata = SQLModel.metadata
EXCLUDED = {"spatial_ref_sys"}

${hook}


def run_migrations_offline():
    context.configure(url="sqlite://", target_metadata=target_metadata)


def run_migrations_online():
    context.configure(connection=None, target_metadata=target_metadata, ${kw})
`;
  const run = (envPy: string) => driftOf({ 'alembic/env.py': envPy, 'app/__init__.py': '', 'app/models.py': models, ...versions });

  it('include_schemas counts in any configure() call: the online one, not only the first', () => {
    const withSchema = models + '\n\nclass Audit(SQLModel, table=True):\n    __table_args__ = {"schema": "audit"}\n    id: Optional[int] = Field(default=None, primary_key=True)\n';
    const envPy = env('', 'include_schemas=True');
    const d = driftOf({ 'alembic/env.py': envPy, 'app/__init__.py': '', 'app/models.py': withSchema, ...versions });
    expect(kinds(d)).toEqual(['add_table audit.audit', 'add_column hero.power', 'remove_table spatial_ref_sys']);
    // Without it, tables outside the default schema are not compared, as autogenerate leaves them.
    expect(kinds(driftOf({ 'alembic/env.py': env('', 'compare_type=True'), 'app/__init__.py': '', 'app/models.py': withSchema, ...versions }))).toEqual(['add_column hero.power', 'remove_table spatial_ref_sys']);
  });

  it('without a hook, every difference is reported', () => {
    expect(kinds(run(env('', 'compare_type=True')))).toEqual(['add_column hero.power', 'remove_table spatial_ref_sys']);
  });

  it('a difference on a name the hook writes (in the online configure, through a module-level set) is unknown; the rest is reported', () => {
    const d = run(env('def include_object(obj, name, type_, reflected, compare_to):\n    return not (type_ == "table" and name in EXCLUDED)'));
    expect(kinds(d)).toEqual(['add_column hero.power']);
    expect(d.unknown.map((u) => [u.table, u.reason])).toEqual([['spatial_ref_sys', "env.py's include_object names it: autogenerate may leave it out"]]);
  });

  it('a lambda hook is read the same way', () => {
    expect(kinds(run(env('', 'include_object=lambda o, n, t, r, c: n != "spatial_ref_sys"')))).toEqual(['add_column hero.power']);
  });

  it('a hook that tests only reflected/compare_to may leave out what exists only in the database: removals are unknown', () => {
    const d = run(env('def include_object(obj, name, type_, reflected, compare_to):\n    return not (reflected and compare_to is None)'));
    expect(kinds(d)).toEqual(['add_column hero.power']);
  });

  it('a hook that takes its names from elsewhere (a config call) leaves every difference unknown, whatever literals it holds', () => {
    const d = run(env('def include_object(object, name, type_, reflected, compare_to):\n    return not name.startswith(config.get_main_option("skip_prefix"))'));
    expect(kinds(d)).toEqual([]);
    expect(d.unknown.map((u) => [u.table, u.reason])).toEqual([
      ['hero', "env.py's include_object calls config.get_main_option, so the names it decides on are not known"],
      ['spatial_ref_sys', "env.py's include_object calls config.get_main_option, so the names it decides on are not known"],
    ]);
  });

  it('a hook that names nothing and tests only its parameters (not reflected/compare_to) leaves every difference unknown', () => {
    const d = run(env('def include_object(object, name, type_, reflected, compare_to):\n    return type_ != "index"'));
    expect(kinds(d)).toEqual([]);
  });

  it('calls on the given names (startswith) keep the literals readable', () => {
    const d = run(env('def include_object(object, name, type_, reflected, compare_to):\n    return not (type_ == "table" and name.startswith("spatial_"))'));
    expect(kinds(d)).toEqual(['add_column hero.power']);
  });

  it('a hook the reader cannot read (imported from elsewhere) makes every difference unknown', () => {
    const d = run(env('from app.filters import include_object'));
    expect(kinds(d)).toEqual([]);
    expect(d.unknown.map((u) => u.reason)).toEqual([
      "env.py's include_object= is not a function defined in env.py",
      "env.py's include_object= is not a function defined in env.py",
    ]);
  });
});

describe('what is not statically known is unknown, never guessed', () => {
  it('a @declared_attr __tablename__, an env-var-chosen type, a computed table name', () => {
    const d = driftOf({
      'alembic/env.py': ENV_SQLMODEL,
      'app/__init__.py': '',
      'app/models.py': `import os
import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

JSON_TYPE = sa.JSON if os.environ.get("DB") == "sqlite" else sa.Text


class Tenant(SQLModel, table=True):
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower() + "s"

    id: int = Field(primary_key=True)


class Doc(SQLModel, table=True):
    id: int = Field(primary_key=True)
    body: str = Field(sa_type=JSON_TYPE)
`,
    });
    expect(d.unknown.map((u) => [u.table, u.column])).toEqual([['Tenant', null]]);
    expect(tablesOf(d).doc).toBe('id:INTEGER:NN:PK body:null:NN');
  });
});
