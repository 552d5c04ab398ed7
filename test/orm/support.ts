/** A project on disk for the model reader's tests: files by relative path, read back through orm/ as the engine does. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { loadMigration } from '../../src/facts/migration.js';
import { computeDrift, type DriftResult } from '../../src/orm/drift.js';
import { projectFiles } from '../../src/io/project-files.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

export function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-orm-'));
  roots.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export const ENV_SQLMODEL = `from alembic import context\nfrom app.models import SQLModel\n\ntarget_metadata = SQLModel.metadata\n`;

/** Drift of a project laid out as `alembic.ini` + `alembic/env.py` + `alembic/versions/` at its root. */
export function driftOf(files: Record<string, string>, opts: { configModels?: string[] } = {}): DriftResult {
  const dir = writeTree({ 'alembic.ini': '[alembic]\nscript_location = alembic\nprepend_sys_path = .\n', ...files });
  const versions = path.join(dir, 'alembic', 'versions');
  fs.mkdirSync(versions, { recursive: true });
  const migrations = fs
    .readdirSync(versions)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => loadMigration(`alembic/versions/${f}`, fs.readFileSync(path.join(versions, f))).file);
  const envPy = path.join(dir, 'alembic', 'env.py');
  return computeDrift({
    envPy: { file: envPy, text: fs.readFileSync(envPy, 'utf8') },
    iniDir: dir,
    prependSysPath: ['.'],
    configModels: opts.configModels?.map((m) => path.join(dir, m)) ?? null,
    files: projectFiles((abs) => (fs.existsSync(abs) && fs.statSync(abs).isFile() ? fs.readFileSync(abs, 'utf8') : null)),
    migrations,
    versionDirs: [versions],
  });
}

/** `table: col:TYPE:NULL|NN[:PK] …` for each table of the models on the target metadata. */
export function tablesOf(d: DriftResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, t] of d.tables) {
    out[k] = [...t.columns.values()].map((c) => `${c.name}:${c.type}:${c.nullable === null ? '?' : c.nullable ? 'NULL' : 'NN'}${c.primaryKey ? ':PK' : ''}`).join(' ');
  }
  return out;
}

export function migration(rev: string, down: string | null, upgrade: string[]): string {
  return [
    '"""m"""',
    'from alembic import op',
    'import sqlalchemy as sa',
    'import sqlmodel',
    '',
    `revision = '${rev}'`,
    `down_revision = ${down ? `'${down}'` : 'None'}`,
    'branch_labels = None',
    'depends_on = None',
    '',
    '',
    'def upgrade():',
    ...upgrade.map((l) => `    ${l}`),
    '',
    '',
    'def downgrade():',
    '    pass',
    '',
  ].join('\n');
}

export function kinds(d: DriftResult): string[] {
  return d.diffs.map((x) => `${x.kind} ${x.table}${x.column ? `.${x.column}` : ''}${x.name ? ` ${x.name}` : ''}`);
}

/** A throwaway copy of a fixture project, to edit. */
export function copyTree(src: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-orm-'));
  roots.push(dir);
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}
