/** .pre-commit-hooks.yaml: the hook the pre-commit framework reads from this repository. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PRE_COMMIT_SNIPPET } from '../../src/cli/init.js';
import { ROOT, removeTempDirs } from '../package/helpers.js';

afterAll(removeTempDirs);

type Hook = Record<string, unknown>;
const [hook, ...others] = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const local = (parse(PRE_COMMIT_SNIPPET) as { repos: { hooks: Hook[] }[] }).repos[0]!.hooks[0]!;

describe('.pre-commit-hooks.yaml', () => {
  it('declares one node hook that lints the index itself', () => {
    expect(others).toEqual([]);
    expect(hook).toMatchObject({ id: 'migration-lint', language: 'node', entry: 'migration-lint --staged', pass_filenames: false, require_serial: true });
  });

  it('runs for migrations and the template, and not for other Python', () => {
    // pre-commit applies `files` with Python's re.search; this pattern means the same in JavaScript.
    const files = new RegExp(hook!.files as string);
    for (const p of ['backend/app/alembic/versions/1a2b3c4d5e6f_add_hero.py', 'alembic/versions/2024/01/abc_x.py', 'migrations/versions/0001_initial.py', 'versions/x.py', 'backend/app/alembic/script.py.mako']) {
      expect(files.test(p), p).toBe(true);
    }
    for (const p of ['backend/app/models.py', 'backend/app/alembic/env.py', 'versions.py', 'src/conversions/x.py', 'alembic/versions/README', 'alembic/script.py.mako.bak']) {
      expect(files.test(p), p).toBe(false);
    }
  });

  it('matches the `repo: local` hook that init prints and the README shows', () => {
    for (const key of ['id', 'entry', 'language', 'pass_filenames', 'files', 'require_serial']) expect(local[key], key).toEqual(hook![key]);
  });
});
