import { describe, expect, it } from 'vitest';
import { changesOf, type Change, type ColumnSpec } from '../../src/facts/changes/index.js';
import { extractFacts } from '../../src/facts/extract.js';

/** A migration whose upgrade() runs the given lines (indented by the caller). */
function migration(body: string[]): string {
  return ['import sqlalchemy as sa', 'from alembic import op', 'from sqlalchemy.dialects import postgresql', '', 'def upgrade():', ...body, ''].join('\n');
}

function changes(...body: string[]): Change[] {
  const text = migration(body);
  return changesOf({ facts: extractFacts(text), text });
}

/**
 * What a change does, without where and how it was written: two forms of one change have the same shape. The
 * Python a column's type was written in (`typeExpr`) is how; `unsure` is kept only when something was not read.
 */
function shape(c: Change): unknown {
  const { fn: _fn, fnName: _n, form: _f, call: _c, span: _s, at: _a, sql: _q, unsure, ...rest } = c;
  const out = unsure === null ? rest : { ...rest, unsure };
  const column = ({ typeExpr: _t, ...col }: ColumnSpec) => col;
  if (out.kind === 'add_column') return { ...out, column: { ...column(out.column), nullable: out.column.nullable === true ? null : out.column.nullable } };
  if (out.kind === 'create_table') return { ...out, columns: out.columns.map(column) };
  if (out.kind === 'alter_type') return { ...out, toExpr: out.toExpr === null ? null : 'python' };
  return out;
}

const shapes = (...body: string[]) => changes(...body).map(shape);

describe('one change, whatever its form', () => {
  it('add_column with a ForeignKey, unique=True and index=True is the SQL ADD COLUMN with REFERENCES / UNIQUE, and the index', () => {
    const alembic = shapes("    op.add_column('hero', sa.Column('team_id', sa.Integer(), sa.ForeignKey('team.id'), unique=True, nullable=True))");
    const batch = shapes("    with op.batch_alter_table('hero') as batch_op:", "        batch_op.add_column(sa.Column('team_id', sa.Integer(), sa.ForeignKey('team.id'), unique=True, nullable=True))");
    const sql = shapes("    op.execute('ALTER TABLE hero ADD COLUMN team_id integer REFERENCES team (id) UNIQUE')");
    expect(alembic).toEqual(batch);
    expect(sql.map((s) => (s as Change).kind).sort()).toEqual(['add_column', 'add_constraint', 'add_constraint']);
    expect(new Set(sql.map((s) => JSON.stringify(s)))).toEqual(new Set(alembic.map((s) => JSON.stringify(s))));
    expect(alembic).toContainEqual({
      kind: 'add_constraint',
      table: 'hero',
      inline: 'add_column',
      constraint: {
        kind: 'foreign',
        name: null,
        columns: ['team_id'],
        notValid: false,
        usingIndex: null,
        references: { table: 'team', columns: ['id'], ondelete: null, onupdate: null, deferrable: null },
        notNullColumn: null,
      },
    });
    const indexed = shapes("    op.add_column('hero', sa.Column('name', sa.String(length=50), index=True))");
    expect(indexed[1]).toEqual({
      kind: 'create_index',
      table: 'hero',
      inline: 'add_column',
      ifNotExists: false,
      index: { name: 'ix_hero_name', auto: true, columns: ['name'], expressions: false, unique: false, concurrently: false, partial: false },
    });
  });

  it('reads the column parts that decide a rewrite: generated, identity, serial, defaults and their volatility', () => {
    const [computed] = changes("    op.add_column('hero', sa.Column('double_age', sa.Integer(), sa.Computed('age * 2', persisted=True)))");
    const [generatedSql] = changes("    op.execute('ALTER TABLE hero ADD COLUMN double_age integer GENERATED ALWAYS AS (age * 2) STORED')");
    expect(computed).toMatchObject({ kind: 'add_column', column: { generated: { stored: true, expr: { volatility: 'immutable' } } } });
    expect(generatedSql).toMatchObject({ kind: 'add_column', column: { generated: { stored: true, expr: { volatility: 'immutable' } } } });
    expect(changes("    op.add_column('hero', sa.Column('n', sa.BigInteger(), sa.Identity(always=True)))")[0]).toMatchObject({ column: { identity: { always: true }, type: { name: 'int8' } } });
    expect(changes("    op.execute('ALTER TABLE hero ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY')")[0]).toMatchObject({ column: { identity: { always: true }, type: { name: 'int8' } } });
    expect(changes("    op.execute('ALTER TABLE hero ADD COLUMN n bigserial')")[0]).toMatchObject({ column: { serial: true, type: { name: 'int8' } } });
    expect(changes("    op.add_column('hero', sa.Column('id2', sa.Integer(), primary_key=True))")[0]).toMatchObject({ column: { serial: true } });
    expect(changes("    op.add_column('hero', sa.Column('id2', sa.Integer(), primary_key=True, autoincrement=False))")[0]).toMatchObject({ column: { serial: false } });
    const vol = (line: string) => (changes(line)[0] as Extract<Change, { kind: 'add_column' }>).column.default?.volatility;
    expect(vol("    op.add_column('hero', sa.Column('u', sa.Uuid(), server_default=sa.text('gen_random_uuid()')))")).toBe('volatile');
    expect(vol("    op.add_column('hero', sa.Column('u', sa.Uuid(), server_default=sa.func.gen_random_uuid()))")).toBe('volatile');
    expect(vol("    op.add_column('hero', sa.Column('t', sa.DateTime(), server_default=sa.text('now()')))")).toBe('stable');
    expect(vol("    op.add_column('hero', sa.Column('t', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP')))")).toBe('stable');
    expect(vol("    op.add_column('hero', sa.Column('s', sa.String(), server_default='x'))")).toBe('immutable');
    // A function PostgreSQL does not ship is the user's own: volatile unless declared otherwise.
    expect(vol("    op.add_column('hero', sa.Column('s', sa.String(), server_default=sa.text('make_code()')))")).toBe('volatile');
    expect(vol("    op.execute(\"ALTER TABLE hero ADD COLUMN s text DEFAULT app.make_code()\")")).toBe('volatile');
    expect(vol("    op.execute(\"ALTER TABLE hero ADD COLUMN s text DEFAULT 'x'\")")).toBe('immutable');
  });

  it('alter_column is the same change as ALTER COLUMN … SET NOT NULL / TYPE / SET DEFAULT / RENAME', () => {
    expect(shapes("    op.alter_column('hero', 'age', existing_type=sa.INTEGER(), nullable=False)")).toEqual(shapes("    op.execute('ALTER TABLE hero ALTER COLUMN age SET NOT NULL')"));
    expect(shapes("    op.alter_column('hero', 'age', nullable=True)")).toEqual(shapes("    op.execute('ALTER TABLE public.hero ALTER age DROP NOT NULL')"));
    expect(shapes("    op.alter_column('hero', 'name', new_column_name='title')")).toEqual(shapes("    op.execute('ALTER TABLE hero RENAME COLUMN name TO title')"));
    expect(shapes("    op.alter_column('hero', 'age', server_default=None)")).toEqual(shapes("    op.execute('ALTER TABLE hero ALTER COLUMN age DROP DEFAULT')"));
    const [typed] = changes("    op.alter_column('hero', 'name', existing_type=sa.VARCHAR(length=20), type_=sa.Text())");
    expect(typed).toMatchObject({ kind: 'alter_type', column: 'name', from: { name: 'varchar', mods: [20] }, to: { name: 'text', mods: [] }, using: false });
    const [sqlTyped] = changes("    op.execute('ALTER TABLE hero ALTER COLUMN name TYPE text')");
    expect(sqlTyped).toMatchObject({ kind: 'alter_type', column: 'name', from: null, to: { name: 'text' } });
    // Alembic emits the rename last, after the other changes to the column.
    expect(changes("    op.alter_column('hero', 'age', new_column_name='years', nullable=False, type_=sa.BigInteger())").map((c) => c.kind)).toEqual(['set_not_null', 'alter_type', 'rename_column']);
  });

  it('constraints: NOT VALID, VALIDATE, USING INDEX, drop; and an exclusion constraint in either form', () => {
    expect(shapes("    op.create_foreign_key('fk_hero_team', 'hero', 'team', ['team_id'], ['id'], postgresql_not_valid=True)")).toEqual(
      shapes("    op.execute('ALTER TABLE hero ADD CONSTRAINT fk_hero_team FOREIGN KEY (team_id) REFERENCES team (id) NOT VALID')"),
    );
    expect(shapes("    op.create_check_constraint('ck_age', 'hero', 'age IS NOT NULL', postgresql_not_valid=True)")).toEqual(
      shapes("    op.execute('ALTER TABLE hero ADD CONSTRAINT ck_age CHECK (\"age\" IS NOT NULL) NOT VALID')"),
    );
    expect(changes("    op.create_check_constraint('ck_age', 'hero', 'age IS NOT NULL')")[0]).toMatchObject({ constraint: { notNullColumn: 'age', notValid: false } });
    expect(changes("    op.execute('ALTER TABLE hero VALIDATE CONSTRAINT ck_age')")[0]).toMatchObject({ kind: 'validate_constraint', table: 'hero', name: 'ck_age' });
    expect(changes("    op.execute('ALTER TABLE hero ADD CONSTRAINT uq_name UNIQUE USING INDEX ix_name')")[0]).toMatchObject({ constraint: { kind: 'unique', usingIndex: 'ix_name' } });
    expect(shapes("    op.create_unique_constraint('uq_name', 'hero', ['name'])")).toEqual(shapes("    op.execute('ALTER TABLE hero ADD CONSTRAINT uq_name UNIQUE (name)')"));
    expect(shapes("    op.create_exclude_constraint('ex_span', 'booking', ('room', '='), ('during', '&&'), using='gist')")).toEqual(
      shapes("    op.execute('ALTER TABLE booking ADD CONSTRAINT ex_span EXCLUDE USING gist (room WITH =, during WITH &&)')").map((s) => ({
        ...(s as object),
        constraint: { ...(s as { constraint: object }).constraint, columns: ['room', 'during'] },
      })),
    );
    expect(changes("    op.drop_constraint('pk_hero', 'hero', type_='primary')")[0]).toMatchObject({ kind: 'drop_constraint', constraint: 'primary', name: 'pk_hero' });
  });

  it('indexes, maintenance, transaction control and settings from SQL', () => {
    expect(shapes("    op.create_index('ix_hero_name', 'hero', ['name'], unique=True, postgresql_concurrently=True)")).toEqual(
      shapes("    op.execute('CREATE UNIQUE INDEX CONCURRENTLY ix_hero_name ON hero (name)')"),
    );
    expect(shapes("    op.drop_index('ix_hero_name', postgresql_concurrently=True)")).toEqual(shapes("    op.execute('DROP INDEX CONCURRENTLY ix_hero_name')"));
    const kinds = changes(
      "    op.execute('REINDEX TABLE CONCURRENTLY hero; VACUUM FULL hero; CLUSTER hero USING ix_hero_name; BEGIN; COMMIT; SAVEPOINT a; SET lock_timeout = \\'5s\\'; SET LOCAL statement_timeout TO 0')",
    ).map(shape);
    expect(kinds).toEqual([
      { kind: 'maintenance', table: 'hero', command: 'reindex', full: false, concurrently: true, target: 'table', name: 'hero' },
      { kind: 'maintenance', table: 'hero', command: 'vacuum', full: true, concurrently: false, target: 'table', name: 'hero' },
      { kind: 'maintenance', table: 'hero', command: 'cluster', full: false, concurrently: false, target: 'table', name: 'hero' },
      { kind: 'transaction', table: null, command: 'begin' },
      { kind: 'transaction', table: null, command: 'commit' },
      { kind: 'transaction', table: null, command: 'savepoint' },
      { kind: 'set', table: null, name: 'lock_timeout', value: '5s', local: false },
      { kind: 'set', table: null, name: 'statement_timeout', value: '0', local: true },
    ]);
  });

  it('tables: create with inline constraints, rename, drop, in both forms; schemas kept, public folded', () => {
    const created = shapes(
      "    op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False), sa.Column('team_id', sa.Integer(), nullable=True), sa.ForeignKeyConstraint(['team_id'], ['team.id'], name='fk_team'), sa.PrimaryKeyConstraint('id'))",
    );
    expect(created[0]).toMatchObject({ kind: 'create_table', table: 'hero', columns: [{ name: 'id', nullable: false, type: { name: 'int4' } }, { name: 'team_id' }] });
    expect(created.slice(1)).toEqual([
      { kind: 'add_constraint', table: 'hero', inline: 'create_table', constraint: { kind: 'foreign', name: 'fk_team', columns: ['team_id'], notValid: false, usingIndex: null, references: { table: 'team', columns: ['id'], ondelete: null, onupdate: null, deferrable: null }, notNullColumn: null } },
      { kind: 'add_constraint', table: 'hero', inline: 'create_table', constraint: { kind: 'primary', name: null, columns: ['id'], notValid: false, usingIndex: null, references: null, notNullColumn: null } },
    ]);
    const sqlCreated = shapes("    op.execute('CREATE TABLE hero (id integer NOT NULL, team_id integer, CONSTRAINT fk_team FOREIGN KEY (team_id) REFERENCES team (id), PRIMARY KEY (id))')");
    expect(sqlCreated.slice(1)).toEqual(created.slice(1));
    expect(shapes("    op.rename_table('hero', 'champion', schema='game')")).toEqual(shapes("    op.execute('ALTER TABLE game.hero RENAME TO champion')"));
    expect(shapes("    op.drop_table('hero', schema='public')")).toEqual(shapes("    op.execute('DROP TABLE hero')"));
    expect(shapes("    op.drop_column('hero', 'age')")).toEqual(shapes("    op.execute('ALTER TABLE hero DROP COLUMN age')"));
  });

  it('rows: DML, TRUNCATE and a DELETE inside a CTE; other statements by their node', () => {
    expect(changes("    op.execute('WITH gone AS (DELETE FROM hero RETURNING id) SELECT count(*) FROM gone; TRUNCATE team')").map(shape)).toEqual([
      { kind: 'data', table: 'hero', verb: 'delete' },
      { kind: 'data', table: 'team', verb: 'truncate' },
    ]);
    expect(changes("    op.execute('CREATE EXTENSION IF NOT EXISTS pgcrypto')")[0]).toMatchObject({ kind: 'other', statement: 'CreateExtensionStmt' });
    expect(changes("    op.execute('DROP VIEW hero_stats')")[0]).toMatchObject({ kind: 'drop_object', object: 'view', name: 'hero_stats' });
  });

  it('SQL DROPs name what they drop, whatever node the parse tree gives the name in', () => {
    // Each kind as PostgreSQL's parser gives it: a List of names, a bare String, a TypeName, an ObjectWithArgs.
    const dropped = (sql: string) => changes(`    op.execute('${sql}')`).map(shape);
    expect(dropped('DROP DATABASE IF EXISTS reports WITH (FORCE)')).toEqual([{ kind: 'drop_object', table: null, object: 'database', name: 'reports' }]);
    expect(dropped('DROP SCHEMA app, audit CASCADE')).toEqual([
      { kind: 'drop_object', table: null, object: 'schema', name: 'app' },
      { kind: 'drop_object', table: null, object: 'schema', name: 'audit' },
    ]);
    expect(dropped('DROP EXTENSION IF EXISTS hstore')).toEqual([{ kind: 'drop_object', table: null, object: 'extension', name: 'hstore' }]);
    expect(dropped('DROP TYPE app.mood')).toEqual([{ kind: 'drop_object', table: null, object: 'type', name: 'app.mood' }]);
    expect(dropped('DROP DOMAIN positive')).toEqual([{ kind: 'drop_object', table: null, object: 'domain', name: 'positive' }]);
    expect(dropped('DROP FUNCTION app.touch(integer), stamp')).toEqual([
      { kind: 'drop_object', table: null, object: 'function', name: 'app.touch' },
      { kind: 'drop_object', table: null, object: 'function', name: 'stamp' },
    ]);
    expect(dropped('DROP PROCEDURE archive_heroes()')).toEqual([{ kind: 'drop_object', table: null, object: 'procedure', name: 'archive_heroes' }]);
    expect(dropped('DROP VIEW app.hero_stats')).toEqual([{ kind: 'drop_object', table: null, object: 'view', name: 'app.hero_stats' }]);
    expect(dropped('DROP MATERIALIZED VIEW hero_totals')).toEqual([{ kind: 'drop_object', table: null, object: 'materialized view', name: 'hero_totals' }]);
    expect(dropped('DROP SEQUENCE app.hero_code_seq')).toEqual([{ kind: 'drop_object', table: null, object: 'sequence', name: 'app.hero_code_seq' }]);
    expect(dropped('DROP INDEX CONCURRENTLY app.ix_hero_name')).toEqual([{ kind: 'drop_index', table: null, name: 'app.ix_hero_name', concurrently: true, ifExists: false }]);
  });

  it('SQL it cannot read is an unknown change, never nothing', () => {
    expect(changes('    op.execute(sql)')[0]).toMatchObject({ kind: 'unknown', reason: 'not-literal' });
    expect(changes("    op.execute('ALTER TABLE hero ADD COLUMN')")[0]).toMatchObject({ kind: 'unknown', reason: 'syntax-error' });
    expect(changes("    op.execute(sa.table('hero').delete())")[0]).toMatchObject({ kind: 'unknown', reason: 'data' });
    expect(changes("    op.execute(hero.update().where(hero.c.id == 1).values(name='x'))")[0]).toMatchObject({ kind: 'unknown', reason: 'data' });
    expect(changes('    op.execute(sa.schema.CreateTable(hero))')[0]).toMatchObject({ kind: 'unknown', reason: 'expression' });
    expect(changes('    op.execute(sa.text(f"UPDATE {table} SET n = :n").bindparams(n=1))')[0]).toMatchObject({ kind: 'unknown', reason: 'data' });
    expect(changes('    op.execute(dedent(f"\\n    UPDATE users SET n = {TRUE}\\n"))')[0]).toMatchObject({ kind: 'unknown', reason: 'data' });
    expect(changes('    op.execute(f"ALTER TABLE {table} ADD COLUMN n integer")')[0]).toMatchObject({ kind: 'unknown', reason: 'not-literal' });
  });

  it('points at the call, and at each statement inside a verbatim string literal', () => {
    const text = migration(['    op.execute("""', '        SET lock_timeout = \'5s\';', '        ALTER TABLE hero ALTER COLUMN age SET NOT NULL;', '    """)']);
    const cs = changesOf({ facts: extractFacts(text), text });
    expect(cs.map((c) => [c.kind, text.slice(c.at!.start, c.at!.end), c.sql])).toEqual([
      ['set', "SET lock_timeout = '5s'", { index: 0, count: 2 }],
      ['set_not_null', 'ALTER TABLE hero ALTER COLUMN age SET NOT NULL', { index: 1, count: 2 }],
    ]);
    expect(text.slice(cs[0]!.span.start, cs[0]!.span.end).startsWith('op.execute("""')).toBe(true);
    // An escape in the literal: the statement cannot be placed, the call still is.
    const escaped = migration(["    op.execute('SET lock_timeout = \\'5s\\'; ALTER TABLE hero DROP COLUMN age')"]);
    const ec = changesOf({ facts: extractFacts(escaped), text: escaped });
    expect(ec.map((c) => c.at)).toEqual([null, null]);
    const inline = changes("    op.add_column('hero', sa.Column('team_id', sa.Integer(), sa.ForeignKey('team.id')))");
    expect(inline.map((c) => c.form)).toEqual(['op', 'column']);
  });

  it('keeps downgrade changes apart, and is plain data', () => {
    const text = [...migration(["    op.add_column('hero', sa.Column('age', sa.Integer()))"]).split('\n'), 'def downgrade():', "    op.drop_column('hero', 'age')", ''].join('\n');
    const cs = changesOf({ facts: extractFacts(text), text });
    expect(cs.map((c) => [c.fn, c.kind])).toEqual([
      ['upgrade', 'add_column'],
      ['downgrade', 'drop_column'],
    ]);
    expect(JSON.parse(JSON.stringify(cs))).toEqual(cs);
  });
});
