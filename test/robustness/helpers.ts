/**
 * Shared by the robustness suite: the corpus of real migrations, temp Alembic projects, the built CLI in its
 * own process (exit codes, stdout and stderr exactly as users and CI see them), and CPython as the judge of
 * what is valid Python.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GIT_ENV, type MigrationSpec } from '../helpers/project.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'lib', 'cli.js');
export const PYTHON = '/usr/bin/python3';
export const HAS_PYTHON = fs.existsSync(PYTHON);
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

export { GIT_ENV, git, gitInput, migration, tmpDir, VERSIONS, write, type MigrationSpec } from '../helpers/project.js';
/** A temp Alembic project at `root` holding `versions`. */
export { writeProject as project } from '../helpers/project.js';

// ---------------------------------------------------------------------------------------------------------
// The corpus: every migration real Alembic generated for the fixtures and the example project.

export interface CorpusFile {
  /** Relative to the repository root. */
  name: string;
  bytes: Buffer;
}

let corpusCache: CorpusFile[] | null = null;

/** `fixtures/rules/**\/versions/*.py` and `examples/**\/versions/*.py`, in a stable order. */
export function corpus(): CorpusFile[] {
  if (corpusCache) return corpusCache;
  const out: CorpusFile[] = [];
  for (const top of ['fixtures/rules', 'examples']) {
    const base = path.join(ROOT, top);
    if (!fs.existsSync(base)) continue;
    for (const rel of fs.readdirSync(base, { recursive: true, encoding: 'utf8' })) {
      const parts = rel.split(path.sep);
      if (parts.length < 2 || parts[parts.length - 2] !== 'versions' || !rel.endsWith('.py')) continue;
      const full = path.join(base, rel);
      if (!fs.lstatSync(full).isFile()) continue;
      out.push({ name: `${top}/${parts.join('/')}`, bytes: fs.readFileSync(full) });
    }
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  corpusCache = out;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Migrations the tests reuse.

export const HERO: MigrationSpec = {
  rev: 'a1b2c3d4e5f6',
  down: null,
  message: 'add hero table',
  upgrade: ["op.create_table('hero',", "sa.Column('id', sa.Integer(), nullable=False),", "sa.PrimaryKeyConstraint('id')", ')'],
};

export const POWER: MigrationSpec = {
  rev: 'b2c3d4e5f6a7',
  down: HERO.rev,
  message: 'add hero power',
  upgrade: ["op.add_column('hero', sa.Column('power', sa.Integer(), nullable=True))"],
};

export const HERO_FILE = 'a1b2c3d4e5f6_add_hero_table.py';
export const POWER_FILE = 'b2c3d4e5f6a7_add_hero_power.py';

// ---------------------------------------------------------------------------------------------------------
// The built CLI, as a user runs it.

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
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Parsed from stdout when it is the JSON report. */
  json: { diagnostics: JsonDiagnostic[]; summary: { files: number; errors: number; warnings: number; suppressed: number } } | null;
}

/** `node lib/cli.js ARGS` in `cwd`, killed after `timeout` ms (a hang fails the test instead of stalling it). */
export function cli(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string | undefined>; timeout?: number; input?: string; nodeArgs?: string[] } = {},
): CliRun {
  const env: Record<string, string | undefined> = { ...process.env, ...GIT_ENV, NO_COLOR: '1', FORCE_COLOR: undefined, DEBUG: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const started = performance.now();
  const spawnOpts: SpawnSyncOptions = { cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8', maxBuffer: 1 << 28, timeout: opts.timeout ?? 60_000, input: opts.input };
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], spawnOpts);
  const ms = performance.now() - started;
  const stdout = String(r.stdout ?? '');
  let json: CliRun['json'] = null;
  if (stdout.trimStart().startsWith('{')) json = JSON.parse(stdout) as CliRun['json'];
  return { status: r.status, signal: r.signal, stdout, stderr: String(r.stderr ?? ''), ms, json };
}

/** What a failure must look like: one line on stderr, `migration-lint: …`, no stack trace. */
export function expectOneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${stderr}`);
  if (/\n\s+at |\bat .+:\d+:\d+\)?$/m.test(stderr)) throw new Error(`stack trace on stderr:\n${stderr}`);
  return lines[0]!;
}

// ---------------------------------------------------------------------------------------------------------
// CPython, the judge of what compiles.

export interface PythonVerdict {
  ok: boolean;
  /** SyntaxError (or ValueError for NUL bytes before 3.12) message, with CPython's line. */
  message: string | null;
  line: number | null;
}

/** Compiles each file's bytes as importlib does (`compile(bytes, path, 'exec')`), all in one process. */
export function pythonVerdicts(files: Uint8Array[], python = PYTHON): PythonVerdict[] {
  const script = `
import json, sys, warnings
warnings.simplefilter('ignore')
out = []
data = sys.stdin.buffer.read()
n = int.from_bytes(data[:4], 'big'); pos = 4
for _ in range(n):
    size = int.from_bytes(data[pos:pos + 4], 'big'); pos += 4
    src = data[pos:pos + size]; pos += size
    try:
        compile(src, 'migration.py', 'exec', dont_inherit=True)
        out.append({'ok': True, 'message': None, 'line': None})
    except SyntaxError as e:
        out.append({'ok': False, 'message': e.msg, 'line': e.lineno})
    except (ValueError, RecursionError, MemoryError) as e:
        out.append({'ok': False, 'message': str(e), 'line': None})
print(json.dumps(out))
`;
  const parts: Buffer[] = [u32(files.length)];
  for (const f of files) parts.push(u32(f.length), Buffer.from(f));
  const r = spawnSync(python, ['-c', script], { input: Buffer.concat(parts), maxBuffer: 1 << 28, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PythonVerdict[];
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/**
 * `ast.parse` of each text, called from a script's top level as `python3 -c "import ast; ast.parse(…)"` is:
 * CPython's verdict on syntax alone, with the line it names (none for RecursionError and MemoryError).
 */
export function astVerdicts(texts: string[]): PythonVerdict[] {
  const script = `
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    try:
        ast.parse(src)
        out.append({'ok': True, 'message': None, 'line': None})
    except SyntaxError as e:
        out.append({'ok': False, 'message': e.msg, 'line': e.lineno})
    except (ValueError, RecursionError, MemoryError) as e:
        out.append({'ok': False, 'message': type(e).__name__, 'line': None})
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(texts), maxBuffer: 1 << 28, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PythonVerdict[];
}
