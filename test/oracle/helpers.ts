// Shared machinery of the oracle suite: real Alembic (Debian's /usr/bin/python3) against a real
// PostgreSQL, and the linter's CLI, both run with argument arrays (never a shell string).
//
// Connection settings come from PGHOST / PGPORT / PGUSER / PGPASSWORD (defaults: the local
// cluster set up by scripts/oracle-db.sh: 127.0.0.1:5432, role migration_lint/migration_lint).
// Every test creates its own database and drops it when it ends.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PYTHON = process.env.MIGRATION_LINT_PYTHON ?? '/usr/bin/python3';
/** The CLI as package.json's `bin` names it (the built JavaScript, e.g. lib/cli.js). */
export const CLI = path.join(
  REPO,
  (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin[
    'migration-lint'
  ] ?? 'lib/cli.js',
);

export const pg = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: process.env.PGPORT ?? '5432',
  user: process.env.PGUSER ?? 'migration_lint',
  password: process.env.PGPASSWORD ?? 'migration_lint',
};

// ------------------------------------------------------------------------------------------
// Processes
// ------------------------------------------------------------------------------------------

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for messages and for matching errors that Alembic prints on either. */
  output: string;
}

export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      [...args],
      { cwd: opts.cwd, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`cannot run ${cmd}: ${error.message}`));
          return;
        }
        const code = error ? Number(error.code) : 0;
        resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
      },
    );
  });
}

function pgEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PGPASSWORD: pg.password };
}

/** Run SQL with psql; returns psql's unaligned, tuples-only output (`|` between columns). */
export async function psql(dbname: string, sql: string): Promise<string> {
  const r = await run(
    'psql',
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', dbname, '-c', sql],
    { env: pgEnv() },
  );
  if (r.code !== 0) {
    throw new Error(`psql on ${dbname} failed (${r.code}): ${sql}\n${r.output}`);
  }
  return r.stdout.trim();
}

export function databaseUrl(dbname: string): string {
  const auth = encodeURIComponent(pg.user) + (pg.password ? `:${encodeURIComponent(pg.password)}` : '');
  if (pg.host.startsWith('/')) {
    return `postgresql://${auth}@/${dbname}?host=${encodeURIComponent(pg.host)}&port=${pg.port}`;
  }
  return `postgresql://${auth}@${pg.host}:${pg.port}/${dbname}`;
}

let reachable: Promise<void> | undefined;

/** Fails (never skips) with a message that says how to get a server. */
export function requirePostgres(): Promise<void> {
  reachable ??= psql('postgres', 'SELECT 1').then(
    () => undefined,
    (e: unknown) => {
      throw new Error(
        `PostgreSQL is not reachable as ${pg.user}@${pg.host}:${pg.port}. Run \`bash scripts/oracle-db.sh\` ` +
          `as root (starts the cluster, creates the role) or set PGHOST/PGPORT/PGUSER/PGPASSWORD.\n${String(e)}`,
      );
    },
  );
  return reachable;
}

// ------------------------------------------------------------------------------------------
// Databases
// ------------------------------------------------------------------------------------------

export interface Db {
  name: string;
  url: string;
  /** Run SQL, return psql's output (rows on lines, columns split by `|`). */
  sql(query: string): Promise<string>;
  /** Rows as arrays of strings. */
  rows(query: string): Promise<string[][]>;
}

let dbCounter = 0;

export async function createDatabase(): Promise<Db> {
  await requirePostgres();
  dbCounter += 1;
  const name = `ml_oracle_${process.pid}_${dbCounter}_${Math.random().toString(36).slice(2, 8)}`;
  await psql('postgres', `CREATE DATABASE "${name}"`);
  return {
    name,
    url: databaseUrl(name),
    sql: (q) => psql(name, q),
    rows: async (q) => {
      const out = await psql(name, q);
      return out === '' ? [] : out.split('\n').map((line) => line.split('|'));
    },
  };
}

export async function dropDatabase(db: Db): Promise<void> {
  await psql('postgres', `DROP DATABASE IF EXISTS "${db.name}" WITH (FORCE)`);
}

// ------------------------------------------------------------------------------------------
// Fixtures (fixtures/manifest.json, written by scripts/gen_fixtures.py)
// ------------------------------------------------------------------------------------------

export interface Position {
  file: string;
  line?: number;
  column?: number;
  source?: string;
}

export interface Expectation {
  rule: string;
  severity: 'error' | 'warning';
  /** Where the diagnostic may point: one match among these is enough. */
  at: Position[];
}

export interface RevisionEntry {
  key: string;
  revision: string;
  downRevision?: string | string[] | null;
  message: string;
  file: string | null;
  head: string | null;
  deleted?: boolean;
  truncated?: boolean;
  copyOf?: string;
}

export interface FixtureCase {
  dir: string;
  cwd: string;
  project: string;
  rule: string | null;
  verdict: 'bad' | 'good';
  name: string;
  summary: string;
  oracle: string;
  versions: string;
  revisions: RevisionEntry[];
  edits: string[];
  expect: Expectation[];
  syntaxErrors: Record<string, { line: number; column: number; message: string }>;
}

export interface Manifest {
  version: number;
  cases: FixtureCase[];
}

let manifestCache: Manifest | undefined;

export function manifest(): Manifest {
  manifestCache ??= JSON.parse(readFileSync(path.join(REPO, 'fixtures', 'manifest.json'), 'utf8')) as Manifest;
  return manifestCache;
}

/** A case by its folder, e.g. `fixtures/rules/not-null-without-default/bad`. */
export function fixture(dir: string): FixtureCase {
  const c = manifest().cases.find((x) => x.dir === dir);
  if (!c) throw new Error(`no case ${dir} in fixtures/manifest.json (run: bash scripts/gen-fixtures.sh)`);
  return c;
}

export function revisionOf(c: FixtureCase, key: string): RevisionEntry {
  const r = c.revisions.find((x) => x.key === key);
  if (!r) throw new Error(`${c.dir}: no revision with key ${key}`);
  return r;
}

export function rev(c: FixtureCase, key: string): string {
  return revisionOf(c, key).revision;
}

// ------------------------------------------------------------------------------------------
// A fixture copied to a temporary folder, with its own database
// ------------------------------------------------------------------------------------------

export interface Project {
  case: FixtureCase;
  db: Db;
  /** The copy's root (the case folder). */
  root: string;
  /** Where alembic.ini is (the copy's root, or backend/ for the example). */
  cwd: string;
  /** `python3 -m alembic ARGS` in the copy, against this test's database. */
  alembic(...args: string[]): Promise<RunResult>;
  /** Like alembic(), but fails the test with Alembic's output if the command fails. */
  alembicOk(...args: string[]): Promise<RunResult>;
  /** Absolute path of a revision's file in the copy. */
  file(key: string): string;
  rev(key: string): string;
}

/**
 * Copy a case (so that Alembic's runs and edits never touch the committed fixtures), create a
 * fresh database, run `fn`, then drop the database and the copy.
 */
export async function withCase<T>(dir: string, fn: (p: Project) => Promise<T>): Promise<T> {
  const c = fixture(dir);
  const db = await createDatabase();
  const tmp = await mkdtemp(path.join(tmpdir(), 'ml-oracle-'));
  try {
    const root = path.join(tmp, path.basename(c.dir));
    await cp(path.join(REPO, c.dir), root, { recursive: true });
    const cwd = path.join(root, c.project);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MIGRATION_LINT_DATABASE_URL: db.url,
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const alembic = (...args: string[]) => run(PYTHON, ['-m', 'alembic', ...args], { cwd, env });
    const project: Project = {
      case: c,
      db,
      root,
      cwd,
      alembic,
      alembicOk: async (...args: string[]) => {
        const r = await alembic(...args);
        if (r.code !== 0) {
          throw new Error(`alembic ${args.join(' ')} failed in ${c.dir} (exit ${r.code}):\n${r.output}`);
        }
        return r;
      },
      file: (key: string) => {
        const f = revisionOf(c, key).file;
        if (f === null) throw new Error(`${c.dir}: revision ${key} has no file`);
        return path.join(root, f);
      },
      rev: (key: string) => rev(c, key),
    };
    return await fn(project);
  } finally {
    await dropDatabase(db);
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Insert `import sqlmodel` after `import sqlalchemy as sa`, as a developer would. */
export async function insertImportSqlmodel(file: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const anchor = 'import sqlalchemy as sa\n';
  if (!text.includes(anchor)) throw new Error(`${file} has no \`${anchor.trim()}\``);
  await writeFile(file, text.replace(anchor, `${anchor}import sqlmodel\n`));
}

/** Columns, indexes and constraints of the public schema (minus alembic_version), sorted. */
export async function schemaSnapshot(db: Db): Promise<string> {
  return db.sql(`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
           || ' default=' || coalesce(column_default, '')
      FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> 'alembic_version'
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename <> 'alembic_version'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint
     WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'alembic_version'
    ORDER BY 1`);
}

export async function currentRevisions(db: Db): Promise<string[]> {
  const out = await db.sql('SELECT version_num FROM alembic_version ORDER BY 1');
  return out === '' ? [] : out.split('\n');
}

// ------------------------------------------------------------------------------------------
// The linter (`--format json` → {version, diagnostics:[{rule,severity,file,line,column,...}],
// summary:{files,errors,warnings,suppressed}}; exit 0 clean, 1 lint errors, 2 usage/config/env)
// ------------------------------------------------------------------------------------------

export interface Diagnostic {
  rule: string;
  severity: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  fixable?: boolean;
}

export interface LintReport {
  version: number;
  diagnostics: Diagnostic[];
  summary: { files: number; errors: number; warnings: number; suppressed: number };
}

export interface LintResult {
  code: number;
  report: LintReport;
  stderr: string;
}

/** `node <bin> --format json [args]` (the built CLI) with the given working directory. */
export async function lint(cwd: string, args: readonly string[] = []): Promise<LintResult> {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} does not exist: build the linter first (npm run build; npm run test:oracle builds it)`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = await run(process.execPath, [CLI, '--format', 'json', ...args], { cwd, env });
  let report: LintReport;
  try {
    report = JSON.parse(r.stdout) as LintReport;
  } catch {
    throw new Error(
      `migration-lint --format json ${args.join(' ')} in ${cwd} exited ${r.code} without JSON on stdout:\n` +
        `stdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
  }
  return { code: r.code, report, stderr: r.stderr };
}

export function lintCase(c: FixtureCase, args: readonly string[] = []): Promise<LintResult> {
  // --all: the fixtures are committed in this repository, so a plain run would count their revisions as
  // applied and leave them to the graph rules (SPEC "Scope"); the verdicts are about every rule.
  return lint(path.join(REPO, c.dir, c.cwd), ['--all', ...args]);
}

function show(ds: readonly Diagnostic[]): string {
  return ds.length === 0
    ? '(none)'
    : ds.map((d) => `  ${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule}: ${d.message}`).join('\n');
}

function matches(d: Diagnostic, at: Position): boolean {
  return (
    d.file === at.file && (at.line === undefined || d.line === at.line) && (at.column === undefined || d.column === at.column)
  );
}

/** The JSON report is well formed and agrees with the exit code (exit 0 clean, 1 errors, 2 usage). */
export function expectConsistentReport(r: LintResult): void {
  expect(r.report.version, 'JSON report version').toBe(1);
  expect(Array.isArray(r.report.diagnostics), 'diagnostics is an array').toBe(true);
  const errors = r.report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = r.report.diagnostics.filter((d) => d.severity === 'warning').length;
  expect(r.report.summary.errors, `summary.errors vs diagnostics:\n${show(r.report.diagnostics)}`).toBe(errors);
  expect(r.report.summary.warnings, `summary.warnings vs diagnostics:\n${show(r.report.diagnostics)}`).toBe(warnings);
  expect(r.code, `exit code (errors: ${errors})\nstderr: ${r.stderr}\n${show(r.report.diagnostics)}`).toBe(errors > 0 ? 1 : 0);
}

/**
 * The verdict on a bad case: every expected rule fires, with its default severity, at one of the
 * expected positions; exit 1 when any is an error. Warning-only rules also fail the run under
 * `--max-warnings 0`.
 */
export async function expectBadVerdict(c: FixtureCase, rules?: readonly string[]): Promise<LintResult> {
  const r = await lintCase(c);
  expectConsistentReport(r);
  const wanted = c.expect.filter((e) => !rules || rules.includes(e.rule));
  expect(wanted.length, `${c.dir}: no expectation for ${rules?.join(', ')}`).toBeGreaterThan(0);
  for (const e of wanted) {
    const got = r.report.diagnostics.filter((d) => d.rule === e.rule);
    const where = e.at.map((a) => `${a.file}${a.line ? `:${a.line}:${a.column ?? ''}` : ''}`).join(' | ');
    expect(got.length, `${c.dir}: expected ${e.rule} at ${where}; the linter said:\n${show(r.report.diagnostics)}`).toBeGreaterThan(0);
    expect(
      got.some((d) => e.at.some((a) => matches(d, a))),
      `${c.dir}: ${e.rule} should point at one of ${where}; got:\n${show(got)}`,
    ).toBe(true);
    for (const d of got) expect(d.severity, `${c.dir}: severity of ${e.rule}`).toBe(e.severity);
    if (e.severity === 'error') expect(r.code, `${c.dir}: exit code with ${e.rule}`).toBe(1);
  }
  if (wanted.every((e) => e.severity === 'warning')) {
    const strict = await lintCase(c, ['--max-warnings', '0']);
    expect(strict.code, `${c.dir}: --max-warnings 0 with ${wanted.map((e) => e.rule).join(', ')}`).toBe(1);
  }
  return r;
}

/** The verdict on a good case: no diagnostic of that rule, no error at all, exit 0. */
export async function expectGoodVerdict(c: FixtureCase, rule = c.rule): Promise<LintResult> {
  if (!rule) throw new Error(`${c.dir} has no rule`);
  const r = await lintCase(c);
  expectConsistentReport(r);
  const got = r.report.diagnostics.filter((d) => d.rule === rule);
  expect(got, `${c.dir}: ${rule} must not fire; got:\n${show(got)}`).toEqual([]);
  const errors = r.report.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, `${c.dir}: a good case has no errors; got:\n${show(errors)}`).toEqual([]);
  expect(r.code, `${c.dir}: exit code`).toBe(0);
  return r;
}

/** The case's verdict, whichever it is. */
export function expectVerdict(c: FixtureCase): Promise<LintResult> {
  return c.verdict === 'bad' ? expectBadVerdict(c) : expectGoodVerdict(c);
}

/** Alembic failed, with this text (a Python exception, a FAILED: line...) in its output. */
export function expectAlembicFailure(r: RunResult, ...texts: (string | RegExp)[]): void {
  expect(r.code, `alembic should have failed:\n${r.output}`).not.toBe(0);
  for (const t of texts) {
    if (typeof t === 'string') expect(r.output, 'alembic output').toContain(t);
    else expect(r.output, 'alembic output').toMatch(t);
  }
}
