/**
 * The model oracle: for generated projects (scripts/oracle_models.py: real `alembic revision --autogenerate`,
 * real `alembic upgrade` on PostgreSQL, real `compare_metadata` on the real models), our differences equal
 * Alembic's, as (kind, table, column), in sync and after one change: nothing missing, nothing extra.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigration } from '../../src/facts/migration.js';
import { projectFiles } from '../../src/io/project-files.js';
import { computeDrift } from '../../src/orm/drift.js';
import { PYTHON, REPO, requirePostgres } from './helpers.js';

interface Step {
  models: 'v1' | 'v2';
  diffs: [string, string | null, string | null][];
}
interface Case {
  name: string;
  dir: string;
  steps: Step[];
}

const COLUMN_KINDS = new Set(['add_column', 'remove_column', 'modify_nullable', 'modify_type']);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-oracle-models-'));
let cases: Case[] = [];
const NAMES = [...fs.readFileSync(path.join(REPO, 'scripts/oracle_models.py'), 'utf8').matchAll(/^ {4}\("([\w-]+)", model\(/gm)].map((m) => m[1]!);

beforeAll(async () => {
  await requirePostgres();
  const out = execFileSync(PYTHON, [path.join(REPO, 'scripts/oracle_models.py'), root], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 900_000 });
  cases = JSON.parse(out) as Case[];
}, 900_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function ours(dir: string, models: string): string[] {
  fs.writeFileSync(path.join(dir, 'models.py'), models);
  const versions = path.join(dir, 'alembic/versions');
  const migrations = fs
    .readdirSync(versions)
    .filter((f) => f.endsWith('.py'))
    .map((f) => loadMigration(`alembic/versions/${f}`, fs.readFileSync(path.join(versions, f))).file);
  const envPy = path.join(dir, 'alembic/env.py');
  const drift = computeDrift({
    envPy: { file: envPy, text: fs.readFileSync(envPy, 'utf8') },
    iniDir: dir,
    prependSysPath: ['.'],
    configModels: null,
    files: projectFiles((abs) => (fs.existsSync(abs) && fs.statSync(abs).isFile() ? fs.readFileSync(abs, 'utf8') : null)),
    migrations,
    versionDirs: [versions],
  });
  expect(drift.unknown, 'nothing left unknown in a generated project').toEqual([]);
  return drift.diffs.map((d) => JSON.stringify([d.kind, d.table, COLUMN_KINDS.has(d.kind) ? d.column : null])).sort();
}

describe('model-drift equals real Alembic compare_metadata', () => {
  it('covers at least 25 model shapes', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(25);
    expect(cases.map((c) => c.name)).toEqual(NAMES);
  });

  it.each(NAMES)('%s: in sync, then one change', (name) => {
    const c = cases.find((x) => x.name === name)!;
    const v2 = fs.readFileSync(path.join(c.dir, 'models.py'), 'utf8');
    const v1 = fs.readFileSync(path.join(c.dir, 'models.v1.py'), 'utf8');
    for (const step of c.steps) {
      const theirs = step.diffs.map((d) => JSON.stringify([d[0], d[1], COLUMN_KINDS.has(d[0]) ? d[2] : null])).sort();
      expect(ours(c.dir, step.models === 'v1' ? v1 : v2), `${name} ${step.models}`).toEqual(theirs);
    }
    // The changed step must differ for the case to prove anything.
    expect(c.steps[1]!.diffs.length, `${name}: v2 changes the schema`).toBeGreaterThan(0);
  });
});
