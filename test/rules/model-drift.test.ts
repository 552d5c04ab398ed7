import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { fixtureDir, lintDir } from './helpers.js';
import { byId, lintFixtureIds } from './message-ids.js';
import { copyTree } from '../orm/support.js';
import { git, runCli } from '../git/helpers.js';
import { gitStats } from '../../src/git/exec.js';
import { ROOT } from './helpers.js';

const RULE = 'model-drift';
const REV = fs.readdirSync(path.join(fixtureDir(RULE, 'bad-removed'), 'alembic/versions')).find((f) => f.endsWith('.py'))!;

fixtureSuite(RULE);

describe(`${RULE}: positions in the fixtures`, () => {
  const cases: Record<string, { file: string; line: number; column: number; endLine: number; endColumn: number; messageId: string; data: Record<string, string | number>; source?: string }[]> = {
  bad: [{ file: 'models.py', line: 11, column: 5, endLine: 11, endColumn: 19, messageId: 'drift', data: { detail: 'column hero.power is in the model but no migration adds it', operation: "op.add_column('hero', sa.Column('power', sa.Integer(), nullable=False))" }, source: 'power: int = 0' }],
  'bad-removed': [
    { file: `alembic/versions/${REV}`, line: 29, column: 5, endLine: 29, endColumn: 74, messageId: 'drift', data: { detail: 'index ix_hero_name on hero is made by the migrations but is in no model', operation: "op.drop_index(op.f('ix_hero_name'), table_name='hero')" }, source: 'op.create_index' },
    { file: `alembic/versions/${REV}`, line: 30, column: 5, endLine: 35, endColumn: 6, messageId: 'drift', data: { detail: 'table team is made by the migrations but is in no model', operation: "op.drop_table('team')" }, source: "op.create_table('team'" },
  ],
  };
  it.each(Object.keys(cases))('%s', (kase) => {
    expect(lintFixtureIds(RULE, kase)).toEqual(cases[kase]!.map(({ source: _s, messageId, data, ...at }) => ({ rule: RULE, ...at, ...byId(RULE, messageId, data) })));
  });
});

describe(`${RULE}: what it compares`, () => {
  it('reports nothing once the migration for the change is there, and the model change again without it', () => {
    const dir = copyTree(fixtureDir(RULE, 'bad'));
    const models = path.join(dir, 'models.py');
    fs.writeFileSync(models, fs.readFileSync(models, 'utf8').replace('    power: int = 0\n', ''));
    expect(lintDir(dir).diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
    fs.writeFileSync(models, fs.readFileSync(models, 'utf8').replace('    age: Optional[int] = None\n', '    age: int\n'));
    expect(lintDir(dir).diagnostics.filter((d) => d.rule === RULE).map((d) => d.message)).toEqual([
      "hero.age is NOT NULL in the model, nullable in the migrations: autogenerate would write `op.alter_column('hero', 'age', nullable=False)`",
    ]);
  });

  it('is silent when env.py gives no metadata (target-metadata-missing says why)', () => {
    expect(lintDir(fixtureDir('target-metadata-missing', 'bad')).diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
  });
});

describe(`${RULE}: in the pre-commit hook and the PR check`, () => {
  /** The bad case's project with its models in sync, committed; `power` is the model change the tests make. */
  function repo(): { dir: string; models: string; inSync: string } {
    const dir = copyTree(fixtureDir(RULE, 'bad'));
    const models = path.join(dir, 'models.py');
    const bad = fs.readFileSync(models, 'utf8');
    const inSync = bad.replace('    power: int = 0\n', '');
    expect(inSync).not.toBe(bad);
    fs.writeFileSync(models, inSync);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'in sync');
    fs.writeFileSync(models, bad);
    return { dir, models, inSync };
  }
  const drift = (r: Awaited<ReturnType<typeof runCli>>) => r.diagnostics.filter((d) => d.rule === RULE).map((d) => `${d.file}:${d.line}`);

  it('--staged: a commit that changes a model and brings no migration is an error at the model line', async () => {
    const { dir } = repo();
    git(dir, 'add', 'models.py');
    const r = await runCli(dir, ['--staged']);
    expect(drift(r)).toEqual(['models.py:11']);
    expect(r.status).toBe(1);
  });

  it('--base: the same change on a branch, since the base', async () => {
    const { dir } = repo();
    git(dir, 'commit', '-q', '-am', 'power');
    expect(drift(await runCli(dir, ['--base', 'HEAD~1']))).toEqual(['models.py:11']);
  });

  it('is not asked when the change touches no model, env.py or migration', async () => {
    const { dir, models, inSync } = repo();
    git(dir, 'commit', '-q', '-am', 'power, drifted');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'unrelated\n');
    fs.writeFileSync(path.join(dir, 'tool.py'), 'print(1)\n');
    git(dir, 'add', 'notes.txt', 'tool.py');
    expect(drift(await runCli(dir, ['--staged']))).toEqual([]);
    // Touching the model again brings the standing drift back into view.
    fs.writeFileSync(models, `${fs.readFileSync(models, 'utf8')}\n`);
    git(dir, 'add', 'models.py');
    expect(drift(await runCli(dir, ['--staged']))).toEqual(['models.py:11']);
    expect(inSync).not.toContain('power');
  });

  it('--staged reads the models from the index in one batch, however many modules there are', async () => {
    const dir = copyTree(path.join(ROOT, 'examples/seed-sqlmodel'));
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'seed');
    const item = path.join(dir, 'backend/app/models/item.py');
    const processes = async (extraModules: number) => {
      for (let i = 0; i < extraModules; i++) fs.writeFileSync(path.join(dir, `backend/app/models/m${i}.py`), `from sqlmodel import SQLModel\n\n\nclass M${i}(SQLModel):\n    x: int\n`);
      fs.appendFileSync(item, '\n');
      git(dir, 'add', '-A');
      gitStats.processes = 0;
      const r = await runCli(dir, ['--staged', '--no-cache']);
      expect(r.diagnostics.map((d) => d.rule)).toEqual(['model-drift', 'model-not-imported']);
      return gitStats.processes;
    };
    const few = await processes(0);
    expect(await processes(12)).toBe(few);
  });

  it('--staged with a migration staged reads the models in the git process that reads the migration: no process more than with the model rules off', async () => {
    const dir = copyTree(path.join(ROOT, 'examples/seed-sqlmodel'));
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'seed');
    const versions = path.join(dir, 'backend/app/alembic/versions');
    const last = path.join(versions, fs.readdirSync(versions).filter((f) => f.endsWith('.py')).sort().at(-1)!);
    fs.appendFileSync(last, '\n# staged\n');
    git(dir, 'add', '-A');
    const processes = async (args: string[]) => {
      gitStats.processes = 0;
      const r = await runCli(dir, ['--staged', '--no-cache', ...args]);
      return { processes: gitStats.processes, models: r.diagnostics.some((d) => d.rule === 'model-drift') };
    };
    const on = await processes([]);
    const off = await processes(['--rule', 'model-drift=off', '--rule', 'model-not-imported=off', '--rule', 'target-metadata-missing=off']);
    // The models were read (the seed's models drift from its migrations), and cost no git process.
    expect(on.models).toBe(true);
    expect(off.models).toBe(false);
    expect(on.processes).toBe(off.processes);
  });
});
