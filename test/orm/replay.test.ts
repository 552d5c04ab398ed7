/**
 * The drift check reads the migrations through the lock rules' replay of change events, run in detail
 * (orm/replay.ts): what that adds to the catalogue the lock rules use (names for unnamed constraints, SQL
 * followed as the lock rules follow it, the foreign keys' actions, what cannot be followed), seen through
 * `drift` on small projects.
 */
import { describe, expect, it } from 'vitest';
import { replayEnvironment } from '../../src/facts/changes/replay.js';
import { loadMigration } from '../../src/facts/migration.js';
import { replayMigrations } from '../../src/orm/replay.js';
import { DEFAULT_CONVENTION } from '../../src/orm/schema.js';
import { driftOf, ENV_SQLMODEL, kinds, migration } from './support.js';

const MODELS = `from typing import Optional
from sqlmodel import Field, SQLModel


class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=50)


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=50)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id", ondelete="CASCADE")
`;

const TEAM = "op.create_table('team', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False), sa.PrimaryKeyConstraint('id'))";

function project(...upgrades: string[][]): ReturnType<typeof driftOf> {
  const files: Record<string, string> = { 'alembic/env.py': ENV_SQLMODEL, 'app/__init__.py': '', 'app/models.py': MODELS };
  upgrades.forEach((lines, i) => {
    files[`alembic/versions/r${i}.py`] = migration(`r${i}`, i ? `r${i - 1}` : null, lines);
  });
  return driftOf(files);
}

describe('the drift check reads the lock rules’ replay', () => {
  it('the SQL the lock rules read is followed: tables, columns, nullability and keys made in SQL compare (their types do not)', () => {
    const d = project([
      TEAM,
      "op.execute('CREATE TABLE hero (id serial PRIMARY KEY, name varchar(50) NOT NULL, team_id integer REFERENCES team (id) ON DELETE CASCADE)')",
    ]);
    expect(d.unknown).toEqual([]);
    expect(kinds(d)).toEqual([]);
  });

  it('a foreign key action written in SQL is compared with the model’s', () => {
    const d = project([TEAM, "op.execute('CREATE TABLE hero (id serial PRIMARY KEY, name varchar(50) NOT NULL, team_id integer REFERENCES team (id))')"]);
    expect(kinds(d)).toEqual(['remove_fk hero.team_id hero_team_id_fkey', 'add_fk hero.team_id']);
  });

  it('an unnamed constraint dropped by the name PostgreSQL gave it is followed', () => {
    const d = project([
      TEAM,
      "op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False), sa.Column('team_id', sa.Integer(), nullable=True), sa.ForeignKeyConstraint(['team_id'], ['team.id'], ondelete='CASCADE'), sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('name'))",
      "op.drop_constraint('hero_name_key', 'hero', type_='unique')",
    ]);
    expect(d.unknown).toEqual([]);
    expect(kinds(d)).toEqual([]);
  });

  it('a unique constraint that adopts an index built concurrently has the index’s columns and takes its place', () => {
    const d = driftOf({
      'alembic/env.py': ENV_SQLMODEL,
      'app/__init__.py': '',
      'app/models.py': MODELS.replace('class Hero(SQLModel, table=True):\n', 'class Hero(SQLModel, table=True):\n    __table_args__ = (UniqueConstraint("name", name="uq_hero_name"),)\n').replace('from sqlmodel', 'from sqlalchemy import UniqueConstraint\nfrom sqlmodel'),
      'alembic/versions/r0.py': migration('r0', null, [
        TEAM,
        "op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False), sa.Column('team_id', sa.Integer(), nullable=True), sa.ForeignKeyConstraint(['team_id'], ['team.id'], ondelete='CASCADE'), sa.PrimaryKeyConstraint('id'))",
      ]),
      'alembic/versions/r1.py': migration('r1', 'r0', [
        'with op.get_context().autocommit_block():',
        "    op.create_index('uq_hero_name', 'hero', ['name'], unique=True, postgresql_concurrently=True)",
        "op.execute('ALTER TABLE hero ADD CONSTRAINT uq_hero_name UNIQUE USING INDEX uq_hero_name')",
      ]),
    });
    expect(d.unknown).toEqual([]);
    expect(kinds(d)).toEqual([]);
  });

  it('a drop the replay cannot place, an operation under a condition and an expression object are not followed, and say where', () => {
    const d = project(
      [TEAM, "op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))"],
      ["op.drop_constraint('hero_nick_key', 'hero', type_='unique')", "if op.get_context().dialect.name == 'postgresql':", "    op.add_column('team', sa.Column('motto', sa.Text()))"],
      ['op.execute(sa.schema.CreateTable(other))', "op.execute(sa.table('team').update().values(name='x'))"],
    );
    expect(d.unknown.map((u) => [u.table, u.reason])).toEqual([
      ['*', 'op.execute in alembic/versions/r2.py runs an expression object, not SQL text'],
      ['hero', 'drop_constraint in alembic/versions/r1.py drops a constraint the replay cannot place'],
      ['team', 'add_column in alembic/versions/r1.py runs only under a condition'],
    ]);
    expect(d.unknown[0]!.origin).toMatchObject({ file: 'alembic/versions/r2.py' });
    expect(kinds(d)).toEqual([]);
  });

  it('a file the graph cannot place leaves what it touches unknown: the columns it names, else the table', () => {
    const unplaced = (models: string, lines: string[]) =>
      driftOf({
        'alembic/env.py': ENV_SQLMODEL,
        'app/__init__.py': '',
        'app/models.py': models,
        'alembic/versions/r0.py': migration('r0', null, [TEAM, "op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))"]),
        'alembic/versions/r1.py': migration('r1', 'r0', lines).replace("revision = 'r1'", 'revision = make_id()'),
      });
    const reason = 'alembic/versions/r1.py: its place in the revision graph is not statically known';
    const withMotto = MODELS.replace('    name: str = Field(max_length=50)\n', '    name: str = Field(max_length=50)\n    motto: str\n');
    const column = unplaced(withMotto, ["op.add_column('team', sa.Column('motto', sa.Text(), nullable=False))"]);
    expect(column.unknown.map((u) => [u.table, u.column, u.reason])).toEqual([['team', 'motto', reason]]);
    // The hero table differs from the model, and nothing unplaced touches it: that is still reported.
    expect(kinds(column)).toEqual(['add_column hero.name', 'add_column hero.team_id', 'add_fk hero.team_id']);
    const table = unplaced(MODELS, ["op.create_index('ix_team_name', 'team', ['name'])"]);
    expect(table.unknown.map((u) => [u.table, u.column, u.reason])).toEqual([['team', null, reason]]);
  });

  it('is the lock rules’ replay: the same tables, columns and indexes as their catalogue at the heads', () => {
    const text = migration('r0', null, [TEAM, "op.create_index(op.f('ix_team_name'), 'team', ['name'], unique=True)", "op.execute('ALTER TABLE team ADD COLUMN motto text')"]);
    const files = [loadMigration('alembic/versions/r0.py', Buffer.from(text)).file];
    const drift = replayMigrations(files, DEFAULT_CONVENTION).tables.get('team')!;
    const locks = replayEnvironment(files, null).final().table('team')!;
    expect([...drift.columns.keys()]).toEqual([...locks.columns.keys()]);
    expect(drift.indexes.map((i) => i.name)).toEqual([...locks.indexes.keys()]);
    expect([...drift.columns.keys()]).toEqual(['id', 'name', 'motto']);
    expect(drift.columns.get('motto')).toMatchObject({ type: null, nullable: true, origin: { file: 'alembic/versions/r0.py' } });
  });
});
