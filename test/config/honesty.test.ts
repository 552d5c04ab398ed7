/**
 * Every configuration the user wrote either applies or stops the run naming it: a pyproject.toml or
 * package.json that holds our settings but does not parse, and an alembic.ini Alembic itself would refuse.
 */
import { describe, expect, it } from 'vitest';
import { cli, expectOneLine, HERO, HERO_FILE, migration, project, tmpDir, write } from '../robustness/helpers.js';

const hero = (label: string) => project(tmpDir(label), { [HERO_FILE]: migration(HERO) });

describe('config honesty', () => {
  it('a pyproject.toml with [tool.migration-lint] that does not parse: exit 2 with the TOML error and its line', () => {
    const root = hero('toml');
    write(root, 'pyproject.toml', '[project]\nname = "app"\n\n[tool.migration-lint]\nbaseline = "origin/main\n');
    const r = cli(root, ['--no-cache']);
    expect(r.status).toBe(2);
    expect(expectOneLine(r.stderr)).toMatch(/^migration-lint: .*cannot parse pyproject\.toml \(line 5\): /);
  });

  it('a broken pyproject.toml without our settings is not ours: the run goes on', () => {
    const root = hero('toml-other');
    write(root, 'pyproject.toml', '[project]\nname = "app\n');
    const r = cli(root, ['--no-cache', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.json!.summary.files).toBe(1);
  });

  it('a package.json with "migrationLint" that does not parse: exit 2 naming it', () => {
    const root = hero('pkg');
    write(root, 'package.json', '{ "name": "app", "migrationLint": { "baseline": "main", } ');
    const r = cli(root, ['--no-cache']);
    expect(r.status).toBe(2);
    expect(expectOneLine(r.stderr)).toMatch(/cannot parse package\.json/);
  });

  it('alembic.ini with a %(name)s interpolation configparser cannot fill: exit 2 naming the file, section and key', () => {
    const root = hero('interp');
    write(root, 'alembic.ini', '[alembic]\nscript_location = %(base)s/alembic\n');
    const r = cli(root, ['--no-cache']);
    expect(r.status).toBe(2);
    expect(expectOneLine(r.stderr)).toBe(
      "migration-lint: alembic.ini: [alembic] script_location: bad interpolation %(base)s: no option 'base' in [alembic] or [DEFAULT] (Alembic refuses this file)",
    );
  });

  it('alembic.ini whose script_location does not exist: exit 2 naming the file and the key, no fallback folder', () => {
    const root = hero('missing');
    write(root, 'alembic.ini', '[alembic]\nscript_location = migrations\n');
    const r = cli(root, ['--no-cache']);
    expect(r.status).toBe(2);
    expect(expectOneLine(r.stderr)).toBe('migration-lint: alembic.ini: [alembic] script_location = migrations: no such folder migrations (Alembic refuses this file)');
  });

  it('%(here)s and [DEFAULT] interpolation still apply', () => {
    const root = hero('here');
    write(root, 'alembic.ini', '[DEFAULT]\nbase = %(here)s\n\n[alembic]\nscript_location = %(base)s/alembic\n');
    const r = cli(root, ['--no-cache', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.json!.summary.files).toBe(1);
  });
});
