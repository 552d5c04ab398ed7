import { describe, expect, it } from 'vitest';
import { run } from '../cli/run.js';
import { lockBlocks } from '../../src/facts/locks.js';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { BASE, BASE_FILE, gitRepo, lintLock, next, lintLockIds, onId } from './lock-helpers.js';
import { mini } from './helpers.js';

const RULE = 'index-not-concurrent';
const IX = "    op.create_index('ix_hero_name', 'hero', ['name'], unique=False)";

fixtureSuite(RULE);

describe(`${RULE}: which tables`, () => {
  it('reports create_index on a table an earlier revision created (no git: existing)', () => {
    expect(lintLockIds(RULE, [IX])).toEqual([onId(RULE, 10, 5, 68, 'create', { index: "'ix_hero_name'", table: "'hero'", mode: 'SHARE', blocks: lockBlocks('SHARE') })]);
  });

  it('leaves a table created earlier in the same file alone', () => {
    const text = mini({
      upgrade: ["    op.create_table('sidekick', sa.Column('id', sa.Integer()))", "    op.create_index('ix_sidekick_id', 'sidekick', ['id'])"],
    });
    expect(lintLock(RULE, { 'a1b2c3d4e5f6_add_sidekick.py': text })).toEqual([]);
  });

  it('reports a table created later in the same file (the index comes first)', () => {
    const text = mini({
      upgrade: ["    op.create_index('ix_sidekick_id', 'sidekick', ['id'])", "    op.create_table('sidekick', sa.Column('id', sa.Integer()))"],
    });
    expect(lintLock(RULE, { 'a1b2c3d4e5f6_add_sidekick.py': text }).map((f) => f.line)).toEqual([10]);
  });

  it('with a baseline: a table only an unapplied revision of the branch creates is new', () => {
    expect(lintLock(RULE, [IX], [])).toEqual([]);
  });

  it('with a baseline: a table an applied revision created is existing', () => {
    expect(lintLock(RULE, [IX], [BASE_FILE])).toHaveLength(1);
  });

  it('follows rename_table and drop_table through the graph', () => {
    const renamed = lintLock(RULE, ["    op.rename_table('hero', 'champion')", "    op.create_index('ix_champion_name', 'champion', ['name'])"], []);
    expect(renamed).toEqual([]);
    const dropped = lintLock(RULE, ["    op.drop_table('hero')", "    op.create_table('hero', sa.Column('id', sa.Integer()))", IX], [BASE_FILE]);
    expect(dropped).toEqual([]);
  });

  it('tables used but never created by any migration are existing, even with a baseline', () => {
    expect(lintLock(RULE, ["    op.create_index('ix_legacy_name', 'legacy', ['name'])"], [])).toHaveLength(1);
  });

  it('reads schema= and public. as the same table the SQL names', () => {
    expect(lintLock(RULE, ["    op.execute('CREATE INDEX ix ON public.hero (name)')"], [])).toEqual([]);
    expect(lintLock(RULE, ["    op.create_index('ix', 'hero', ['name'], schema='audit')"], [])).toHaveLength(1);
  });
});

describe(`${RULE}: the call`, () => {
  it('stays silent with postgresql_concurrently=True, and on a flag held in a variable', () => {
    expect(lintLock(RULE, ["    with op.get_context().autocommit_block():", "        op.create_index('ix', 'hero', ['name'], postgresql_concurrently=True)"])).toEqual([]);
    expect(lintLock(RULE, ["    op.create_index('ix', 'hero', ['name'], postgresql_concurrently=CONCURRENT)"])).toEqual([]);
  });

  it('reports postgresql_concurrently=False', () => {
    expect(lintLock(RULE, ["    op.create_index('ix', 'hero', ['name'], postgresql_concurrently=False)"])).toHaveLength(1);
  });

  it('reports drop_index with its ACCESS EXCLUSIVE lock, the table read from the index when table_name is absent', () => {
    expect(lintLockIds(RULE, ["    op.drop_index('ix_hero_name', table_name='hero')"])).toEqual([
      onId(RULE, 10, 5, 53, 'drop', { index: "'ix_hero_name'", table: "'hero'", mode: 'ACCESS EXCLUSIVE', blocks: 'blocks reads and writes' }),
    ]);
    const sameFile = lintLock(RULE, ["    op.create_table('sidekick', sa.Column('id', sa.Integer()))", "    op.create_index('ix_s', 'sidekick', ['id'])", "    op.drop_index('ix_s')"], []);
    expect(sameFile).toEqual([]);
  });

  it('reports batch_op.create_index on the batch table', () => {
    const found = lintLockIds(RULE, ["    with op.batch_alter_table('hero') as batch_op:", "        batch_op.create_index('ix_hero_age', ['age'])"]);
    expect(found).toEqual([onId(RULE, 11, 9, 54, 'create', { index: "'ix_hero_age'", table: "'hero'", mode: 'SHARE', blocks: lockBlocks('SHARE') })]);
  });

  it('reads CREATE INDEX / DROP INDEX in SQL, not in comments or strings of other statements', () => {
    expect(lintLock(RULE, ["    op.execute('CREATE UNIQUE INDEX ix ON hero (lower(name)) WHERE age > 0')"])).toHaveLength(1);
    expect(lintLockIds(RULE, ["    op.execute(sa.text('DROP INDEX ix_hero_name'))"]).map(said)).toEqual([
      byId(RULE, 'sqlDrop', { table: '?', mode: 'ACCESS EXCLUSIVE', blocks: lockBlocks('ACCESS EXCLUSIVE') }),
    ]);
    expect(lintLock(RULE, ["    op.execute(\"-- CREATE INDEX ix ON hero (name)\\nUPDATE hero SET name = 'CREATE INDEX'\")"])).toEqual([]);
    expect(lintLock(RULE, ["    op.execute('CREATE INDEX CONCURRENTLY ix ON hero (name)')"])).toEqual([]);
  });

  it('applies to PostgreSQL only', () => {
    expect(lintLock(RULE, [IX], null, { dialect: 'sqlite' })).toEqual([]);
  });

  it('is approved by a suppression with a reason', () => {
    expect(lintLock(RULE, [`${IX}  # migration-lint: ignore index-not-concurrent -- hero has 20 rows`])).toEqual([]);
  });
});

describe(`${RULE}: git baseline through the CLI`, () => {
  it('--base: silent on a table the branch itself created in another file, reports the applied one', async () => {
    const sidekick = mini({
      rev: 'c3c3c3c3c3c3',
      down: "'b2b2b2b2b2b2'",
      message: 'add sidekick index',
      upgrade: ["    op.create_index('ix_sidekick_id', 'sidekick', ['id'])", "    op.create_index('ix_hero_name', 'hero', ['name'])"],
    });
    const dir = gitRepo(
      { [BASE_FILE]: BASE },
      { 'b2b2b2b2b2b2_add_sidekick.py': next(["    op.create_table('sidekick', sa.Column('id', sa.Integer()))"]), 'c3c3c3c3c3c3_add_sidekick_index.py': sidekick },
    );
    const r = await run(['--base', 'main', '--format', 'json', '--rule', 'vague-message=off'], dir, { ...process.env });
    const found = (JSON.parse(r.stdout) as { diagnostics: { rule: string; file: string; line: number; message: string }[] }).diagnostics.filter((d) => d.rule === RULE);
    expect(found.map((d) => [d.file, d.line, d.message.slice(0, 40)])).toEqual([
      ['alembic/versions/c3c3c3c3c3c3_add_sidekick_index.py', 11, "Creates index 'ix_hero_name' on existing"],
    ]);
    // Without git the same files make sidekick existing for the later file.
    const plain = await run(['--all', '--format', 'json'], dir, { ...process.env });
    expect((JSON.parse(plain.stdout) as { diagnostics: { rule: string }[] }).diagnostics.filter((d) => d.rule === RULE)).toHaveLength(2);
  });
});
