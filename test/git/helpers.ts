/**
 * Real git repositories in temp folders, shaped like an Alembic project, and the CLI run against them.
 * Git runs with no user or system config, so that the tester's own settings cannot change the outcome.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GIT_ENV, git, migration, tmpDir, write, writeProject, VERSIONS, type MigrationSpec } from '../helpers/project.js';
import { main } from '../../src/cli/main.js';

export const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));

export { GIT_ENV, git, gitEnv, gitInput, migration, read, tmpDir, VERSIONS, write, writeProject, type MigrationSpec } from '../helpers/project.js';

export const HERO = {
  rev: 'a1b2c3d4e5f6',
  down: null,
  message: 'add hero table',
  upgrade: [
    "op.create_table('hero',",
    "sa.Column('id', sa.Integer(), nullable=False),",
    "sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),",
    "sa.PrimaryKeyConstraint('id')",
    ')',
  ],
  downgrade: ["op.drop_table('hero')"],
} satisfies MigrationSpec;

export const POWER = {
  rev: 'b2c3d4e5f6a7',
  down: HERO.rev,
  message: 'add hero power',
  upgrade: ["op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True))"],
  downgrade: ["op.drop_column('hero', 'power')"],
} satisfies MigrationSpec;

export const TEAM = {
  rev: 'c3d4e5f6a7b8',
  down: POWER.rev,
  message: 'add team table',
  upgrade: [
    "op.create_table('team',",
    "sa.Column('id', sa.Integer(), nullable=False),",
    "sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),",
    "sa.PrimaryKeyConstraint('id')",
    ')',
  ],
  downgrade: ["op.drop_table('team')"],
} satisfies MigrationSpec;

export const HERO_FILE = `${VERSIONS}/a1b2c3d4e5f6_add_hero_table.py`;
export const POWER_FILE = `${VERSIONS}/b2c3d4e5f6a7_add_hero_power.py`;
export const TEAM_FILE = `${VERSIONS}/c3d4e5f6a7b8_add_team_table.py`;

/**
 * An "upstream" repository whose main branch holds the applied revisions (hero, power), and a clone of it
 * on a feature branch: origin/HEAD points at origin/main, as after a real `git clone`.
 */
export function upstreamAndClone(label: string): { upstream: string; repo: string; baseSha: string } {
  const upstream = tmpDir(`${label}-up`);
  git(upstream, 'init', '-q', '-b', 'main');
  writeProject(upstream);
  write(upstream, HERO_FILE, migration(HERO));
  write(upstream, POWER_FILE, migration(POWER));
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '-q', '-m', 'applied revisions');
  const baseSha = git(upstream, 'rev-parse', 'HEAD').trim();
  const repo = tmpDir(`${label}-clone`);
  git(repo, 'clone', '-q', upstream, '.');
  git(repo, 'checkout', '-q', '-b', 'feature');
  return { upstream, repo, baseSha };
}

export interface JsonDiagnostic {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixable: boolean;
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  diagnostics: JsonDiagnostic[];
}

function toRun(status: number, stdout: string, stderr: string): CliRun {
  let diagnostics: JsonDiagnostic[] = [];
  if (stdout.trim().startsWith('{')) diagnostics = (JSON.parse(stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
  return { status, stdout, stderr, diagnostics };
}

/** The built CLI in its own process (`node lib/cli.js --format json …`), for exit codes and stderr as users see them. */
export function runBin(cwd: string, args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  return toRun(r.status ?? -1, r.stdout, r.stderr);
}

// In-process runs read git's settings from this worker's environment: keep the tester's config out.
Object.assign(process.env, GIT_ENV);

/**
 * The same CLI entry (`main`) in this process: what most tests use, as a node start per case is slow.
 * `env` is applied to this process for the run (git reads PATH, GIT_INDEX_FILE… from it).
 */
export async function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const status = await main(['--format', 'json', ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      isTTY: false,
    });
    return toRun(status, stdout, stderr);
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Only this rule's findings, in the shape the tests assert: everything but the message. */
export function edited(run: CliRun): Omit<JsonDiagnostic, 'message' | 'fixable'>[] {
  return run.diagnostics
    .filter((d) => d.rule === 'applied-migration-edited')
    .map(({ rule, severity, file, line, column, endLine, endColumn }) => ({ rule, severity, file, line, column, endLine, endColumn }));
}

export function messages(run: CliRun): string[] {
  return run.diagnostics.filter((d) => d.rule === 'applied-migration-edited').map((d) => d.message);
}
