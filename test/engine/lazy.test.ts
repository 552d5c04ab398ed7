/**
 * What the CLI loads: every module a run imports is traced (a resolve hook in the child process), so that a
 * pre-commit run is held to loading only what it uses: no other reporter, no summary or Action code, no jiti,
 * and PostgreSQL's parser (libpg-query, 1.7 MB of wasm) only once a migration holds SQL for it to read.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { lint } from '../../src/engine/lint.js';
import { tree } from '../discover/tree.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const EXAMPLE = path.join(ROOT, 'examples/fastapi-sqlmodel/backend/app/alembic');
const PLAIN = 'c754a58dffc5_initialize_models.py';
const WITH_SQL = '79069a325e14_add_item_status.py';

const HOOKS = `
import fs from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  fs.appendFileSync(process.env.ML_TRACE, r.url + '\\n');
  return r;
}
`;

function project(migrations: string[]): string {
  const files: Record<string, string | Buffer> = {
    'alembic.ini': '[alembic]\nscript_location = alembic\n',
    'alembic/env.py': fs.readFileSync(path.join(EXAMPLE, 'env.py')),
    'alembic/script.py.mako': fs.readFileSync(path.join(EXAMPLE, 'script.py.mako')),
    'trace/hooks.mjs': HOOKS,
    'trace/register.mjs': `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
  };
  for (const m of migrations) files[`alembic/versions/${m}`] = fs.readFileSync(path.join(EXAMPLE, 'versions', m));
  return tree(files);
}

/** Runs the CLI from its sources in `cwd`; returns what it printed and every module URL it resolved. */
function cli(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string; loaded: string[] } {
  const trace = path.join(cwd, 'trace', `${Math.random().toString(36).slice(2)}.txt`);
  fs.writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', TSX, '--import', pathToFileURL(path.join(cwd, 'trace/register.mjs')).href, path.join(ROOT, 'src/cli.ts'), ...args], {
    cwd,
    env: { ...process.env, ML_TRACE: trace, DEBUG: 'migration-lint', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded: fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean) };
}

const loads = (loaded: string[], what: RegExp) => loaded.some((u) => what.test(u));

describe('what the CLI loads', () => {
  it('--version loads no linter', () => {
    const root = project([PLAIN]);
    const r = cli(root, ['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(loads(r.loaded, /\/src\/cli\/main\.ts$/)).toBe(true);
    for (const heavy of [/\/src\/engine\//, /\/src\/rules\//, /@lezer\//, /libpg-query/, /\/src\/reporters\//, /\/src\/summary\//]) {
      expect(loads(r.loaded, heavy), String(heavy)).toBe(false);
    }
  });

  it('a lint without SQL loads the one reporter it prints with, and no SQL parser, summary, Action code or jiti', () => {
    const root = project([PLAIN]);
    const r = cli(root, ['--format', 'json', '--no-cache']);
    // The example's first revision uses sqlmodel without importing it: findings, exit 1.
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ files: 1, errors: 2 });
    expect(r.stderr).toContain('PostgreSQL parser not loaded');
    expect(loads(r.loaded, /\/src\/reporters\/json\.ts$/)).toBe(true);
    for (const unused of [/libpg-query/, /\/src\/reporters\/(stylish|sarif|github|junit)\.ts$/, /\/src\/summary\//, /\/src\/action\//, /@actions\//, /jiti/, /\/src\/cli\/explain\.ts$/]) {
      expect(loads(r.loaded, unused), String(unused)).toBe(false);
    }
  });

  it('--staged in a repository without SQL leaves the SQL parser unloaded too', () => {
    const root = project([PLAIN]);
    const git = (...args: string[]) => expect(spawnSync('git', args, { cwd: root }).status).toBe(0);
    git('init', '-q', '-b', 'main');
    git('add', '--', 'alembic.ini', 'alembic');
    const r = cli(root, ['--staged', '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`alembic/versions/${PLAIN}:23:24`);
    expect(r.stderr).toContain('PostgreSQL parser not loaded');
    expect(loads(r.loaded, /libpg-query/)).toBe(false);
    expect(loads(r.loaded, /\/src\/reporters\/stylish\.ts$/)).toBe(true);
  });

  it('a migration with SQL loads the parser, and gets the findings of a run that loaded it up front', () => {
    const root = project([PLAIN, WITH_SQL]);
    const r = cli(root, ['--format', 'json', '--no-cache']);
    expect(r.stderr).toContain('PostgreSQL parser loaded');
    expect(loads(r.loaded, /libpg-query/)).toBe(true);
    // In this process the parser was loaded on import (nothing deferred it): the same findings.
    const found = discover(root, [], null);
    const eager = lint({ cwd: root, environments: found.environments, config: defaultConfig(root) });
    const brief = (d: { rule: string; file: string; line: number; column: number; message: string }) => `${d.file}:${d.line}:${d.column} ${d.rule} ${d.message}`;
    const deferred = JSON.parse(r.stdout) as { diagnostics: { rule: string; file: string; line: number; column: number; message: string }[] };
    expect(deferred.diagnostics.map(brief)).toEqual(eager.diagnostics.map(brief));
    expect(eager.diagnostics.some((d) => d.rule === 'raw-sql' || d.rule === 'missing-lock-timeout')).toBe(true);
  });
});
