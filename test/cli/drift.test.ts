/** `migration-lint drift`: the static `alembic check` (text, JSON, markdown; exit 0 none, 1 some, 2 nothing to compare), and the Action's one line. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { driftLine } from '../../src/reporters/drift.js';
import type { DriftJson } from '../../src/model/drift.js';
import { fixtureDir } from '../rules/helpers.js';
import { run } from './run.js';

const OPERATION = "op.add_column('hero', sa.Column('power', sa.Integer(), nullable=False))";

describe('migration-lint drift', () => {
  it('text: each difference at the model line with the operation autogenerate would write; exit 1', async () => {
    const r = await run(['drift'], fixtureDir('model-drift', 'bad'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'alembic/versions: models in models.py',
        '  models.py:11  add_column  hero.power',
        '      column hero.power is in the model but no migration adds it',
        `      autogenerate would write: ${OPERATION}`,
        '1 difference between the models and the migrations: run `alembic revision --autogenerate`',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
  });

  it('json: the shape SPEC gives', async () => {
    const r = await run(['drift', '--format', 'json'], fixtureDir('model-drift', 'bad'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      version: 1,
      environments: [
        {
          versions: ['alembic/versions'],
          models: ['models.py'],
          differences: [
            { kind: 'add_column', table: 'hero', column: 'power', name: null, model: { file: 'models.py', line: 11 }, migration: null, detail: 'column hero.power is in the model but no migration adds it', operation: OPERATION },
          ],
          unknown: [],
        },
      ],
    });
  });

  it('markdown, and exit 0 when the models and migrations agree', async () => {
    const bad = await run(['drift', '-f', 'markdown'], fixtureDir('model-drift', 'bad'));
    expect(bad.stdout).toContain(`| \`models.py:11\` | column hero.power is in the model but no migration adds it | \`${OPERATION}\` |`);
    const good = await run(['drift', '-f', 'markdown'], fixtureDir('model-drift', 'good'));
    expect(good.stdout).toContain('No difference: `alembic revision --autogenerate` would write nothing.');
    expect(good.code).toBe(0);
    expect((await run(['drift'], fixtureDir('model-drift', 'good'))).stdout).toMatch(/\nmodels and migrations agree\n$/);
  });

  it('exit 2 naming the cause when there are no models to compare', async () => {
    const r = await run(['drift'], fixtureDir('target-metadata-missing', 'bad'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('alembic/versions: env.py gives Alembic no target_metadata (it is None): there are no models to compare (see target-metadata-missing)');
  });
});

describe('driftLine (the Action\'s "models vs migrations" line)', () => {
  const diff = (kind: string) => ({ kind, table: 't', column: null, name: null, model: null, migration: null, detail: '', operation: '' });
  const view = (...kinds: string[][]): DriftJson => ({ version: 1, environments: kinds.map((k) => ({ versions: ['v'], models: [], differences: k.map(diff), unknown: [] })) });

  it('in sync, or the differences counted by kind over every environment', () => {
    expect(driftLine(view([]))).toBe('Models vs migrations: in sync (autogenerate would write nothing).');
    expect(driftLine(view(['add_column']))).toBe('Models vs migrations: 1 difference (1 add_column): run `alembic revision --autogenerate`.');
    expect(driftLine(view(['add_column', 'remove_table'], ['add_column']))).toBe('Models vs migrations: 3 differences (2 add_column, 1 remove_table): run `alembic revision --autogenerate`.');
  });

  it("an ini below the repository's top, written to be run from there (script_location and prepend_sys_path from the top): the models are found", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-drift-rundir-'));
    try {
      fs.cpSync(fixtureDir('model-drift', 'good'), path.join(root, 'app'), { recursive: true });
      fs.writeFileSync(path.join(root, 'app/__init__.py'), '');
      const ini = path.join(root, 'app/alembic.ini');
      fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace('script_location = alembic', 'script_location = app/alembic'));
      const env = path.join(root, 'app/alembic/env.py');
      fs.writeFileSync(env, fs.readFileSync(env, 'utf8').replace('from models import SQLModel', 'from app.models import SQLModel'));
      const r = await run(['drift'], root);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('app/alembic/versions: models in app/models.py\nmodels and migrations agree\n');
      expect(r.code).toBe(0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
