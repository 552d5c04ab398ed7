/**
 * Shared by the PostgreSQL lock rule tests: projects of several revisions (a base revision that creates
 * the tables, then the revision under test), linted with or without an applied baseline (History), and
 * a real git repository for the CLI's `--base`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig, type Config } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { lint } from '../../src/engine/lint.js';
import type { History } from '../../src/model/migration.js';
import { git, write } from '../helpers/project.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { brief, mini, writeProject, type ConfigOverrides, type Found } from './helpers.js';
import { briefId, byId, type FoundId } from './message-ids.js';

export const BASE_FILE = 'a1a1a1a1a1a1_add_hero_table.py';
export const NEXT_FILE = 'b2b2b2b2b2b2_change_hero.py';
export const FILE = `alembic/versions/${NEXT_FILE}`;

/** The base revision: creates hero and team. */
export const BASE = mini({
  rev: 'a1a1a1a1a1a1',
  upgrade: [
    "    op.create_table('team', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))",
    "    op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sa.String(), nullable=True), sa.Column('age', sa.Integer(), nullable=True), sa.Column('team_id', sa.Integer(), nullable=True), sa.PrimaryKeyConstraint('id'))",
  ],
});

/** The revision under test (its first upgrade line is line 10), after BASE. */
export function next(upgrade: string[], line4 = ''): string {
  return mini({ rev: 'b2b2b2b2b2b2', down: "'a1a1a1a1a1a1'", message: 'change hero', upgrade, line4 });
}

type LockOverrides = ConfigOverrides & { envPy?: string };

/** Lints BASE + the given revision; `applied` lists the version files that exist at the baseline (null: no git). */
export function lintLock(rule: string, upgrade: string[] | Record<string, string>, applied: string[] | null = null, overrides: LockOverrides = {}): Found[] {
  return lockDiagnostics(rule, upgrade, applied, overrides).map(brief);
}

/** As lintLock, with each finding's message id. */
export function lintLockIds(rule: string, upgrade: string[] | Record<string, string>, applied: string[] | null = null, overrides: LockOverrides = {}): FoundId[] {
  return lockDiagnostics(rule, upgrade, applied, overrides).map(briefId);
}

function lockDiagnostics(rule: string, upgrade: string[] | Record<string, string>, applied: string[] | null, overrides: LockOverrides): Diagnostic[] {
  const versions = Array.isArray(upgrade) ? { [BASE_FILE]: BASE, [NEXT_FILE]: next(upgrade) } : upgrade;
  const dir = writeProject({ versions });
  if (overrides.envPy !== undefined) fs.writeFileSync(path.join(dir, 'alembic', 'env.py'), overrides.envPy);
  const { envPy: _envPy, ...configOverrides } = overrides;
  const config: Config = { ...defaultConfig(dir), ...configOverrides };
  const found = discover(dir, [], config.versions);
  const history: History | null = applied
    ? { baselineCommit: 'c0ffee', baselineRef: 'origin/main', entries: [], appliedPaths: new Set(applied.map((f) => `alembic/versions/${f}`)) }
    : null;
  return lint({ cwd: dir, environments: found.environments, config, history }).diagnostics.filter((d) => d.rule === rule);
}

/** A finding of `rule` on the revision under test by its message id (with `data`, the values it is filled with). */
export function onId(rule: string, line: number, column: number, endColumn: number, messageId: string, data?: Record<string, string | number>, endLine = line): FoundId {
  return { rule, file: FILE, line, column, endLine, endColumn, ...byId(rule, messageId, data) };
}

/** A git repository with a base commit on `main` and the given files committed on a branch on top. */
export function gitRepo(base: Record<string, string>, change: Record<string, string>): string {
  const dir = writeProject({ versions: {} });
  const commit = (files: Record<string, string>, message: string) => {
    for (const [name, text] of Object.entries(files)) write(dir, `alembic/versions/${name}`, text);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', message);
  };
  git(dir, 'init', '-q', '-b', 'main');
  commit(base, 'base');
  git(dir, 'checkout', '-q', '-b', 'change');
  commit(change, 'change');
  return dir;
}
