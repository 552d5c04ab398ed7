/**
 * The cache (engine/cache.ts) never changes a result: every run here is compared with the same run without a
 * cache, on the bundled example project (real Alembic output, SQL and lock findings included). What the cache
 * is for is checked through its counters and through a source that counts what it is asked to read.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { blobId, FactsCache } from '../../src/engine/cache.js';
import { lint } from '../../src/engine/lint.js';
import type { LintResult } from '../../src/model/result.js';
import { workTree } from '../../src/io/source.js';
import type { SourceProvider } from '../../src/model/source.js';
import type { Level } from '../../src/model/diagnostic.js';
import { tree } from '../discover/tree.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = path.join(ROOT, 'examples/fastapi-sqlmodel/backend');
const VERSIONS = 'app/alembic/versions';
// The CLI runs from its TypeScript sources in child processes, through tsx's loader (resolved from here, not the temp cwd).
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function project(): string {
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) files[path.relative(EXAMPLE, abs)] = fs.readFileSync(abs);
    }
  };
  walk(EXAMPLE);
  return tree(files);
}

function migrations(root: string): string[] {
  return fs
    .readdirSync(path.join(root, VERSIONS))
    .filter((f) => f.endsWith('.py'))
    .map((f) => path.join(root, VERSIONS, f))
    .sort();
}

interface RunOptions {
  cache?: FactsCache | null;
  targets?: string[];
  source?: SourceProvider;
  ruleLevels?: Record<string, Level>;
}

function run(root: string, opts: RunOptions = {}): LintResult {
  const found = discover(root, [], null);
  return lint({
    cwd: root,
    environments: found.environments,
    config: defaultConfig(root),
    cache: opts.cache ?? null,
    targets: opts.targets ? new Set(opts.targets) : null,
    source: opts.source,
    ruleLevels: opts.ruleLevels,
  });
}

/** What a run reports, without the file objects. */
const outcome = (r: LintResult) => ({ diagnostics: r.diagnostics, suppressed: r.suppressed, fileCount: r.fileCount });

/** A work-tree source that records every migration it is asked to read. */
function counting(): { source: SourceProvider; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    source: {
      ...workTree,
      read: (p) => {
        reads.push(path.basename(p));
        return workTree.read(p);
      },
    },
  };
}

/** The model rules replay every migration (all bodies read): the assertions about reading one file leave them out. */
const NO_MODEL_RULES: Record<string, Level> = { 'model-drift': 'off', 'model-not-imported': 'off', 'target-metadata-missing': 'off' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Renames the receiver of the upgrade's first operation (`op.` → `xx.`, then `xx.` → `yy.`): the same size,
 * and different findings each time (the operation goes, an undefined name comes, named in the message).
 */
function editSameSize(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const edited = /\bxx\./.test(text) ? text.replace(/\bxx\./, 'yy.') : text.replace(/^(\s+)op\./m, '$1xx.');
  expect(edited).not.toBe(text);
  expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(text));
  fs.writeFileSync(file, edited);
}

describe('facts cache', () => {
  it('a second run takes its findings from the cache; a run reporting on one file reads only that one in full', () => {
    const root = project();
    const location = path.join(root, '.cache');
    const files = migrations(root);
    const reference = run(root);
    expect(reference.diagnostics.length).toBeGreaterThan(10);

    const first = FactsCache.open(location);
    expect(outcome(run(root, { cache: first }))).toEqual(outcome(reference));
    expect(first.stats).toMatchObject({ hits: 0, misses: files.length, resultHits: 0 });

    const second = FactsCache.open(location);
    expect(outcome(run(root, { cache: second }))).toEqual(outcome(reference));
    // Nothing read in full: the findings of the whole environment come back as they were.
    expect(second.stats).toMatchObject({ hits: 0, misses: 0, bodyReads: 0, resultHits: 1 });

    const target = files.find((f) => f.includes('79069a325e14'))!;
    const one = run(root, { targets: [target] });
    expect(one.diagnostics.length).toBeGreaterThan(0);
    const third = FactsCache.open(location);
    expect(outcome(run(root, { cache: third, targets: [target], ruleLevels: NO_MODEL_RULES }))).toEqual(outcome(run(root, { targets: [target], ruleLevels: NO_MODEL_RULES })));
    // The graph rules read every file's head, the lock catalogue every ancestor's table events, both from the
    // index: only the file reported on is read in full.
    expect(third.stats).toMatchObject({ hits: files.length, misses: 0, bodyReads: 1, resultHits: 0 });
    // The model rules replay the same change events as the lock catalogue (one replay): from the index too.
    const fourth = FactsCache.open(location);
    expect(outcome(run(root, { cache: fourth, targets: [target] }))).toEqual(outcome(one));
    expect(fourth.stats).toMatchObject({ hits: files.length, misses: 0, bodyReads: 1, resultHits: 0 });
  });

  it('an edited file is read again; unchanged files are trusted to their stamps, a file changed within 2 s never is', async () => {
    const root = project();
    const location = path.join(root, '.cache');
    const files = migrations(root);
    // Stamps are only recorded for files older than the clock granularity guard.
    await sleep(2100);
    const a = counting();
    run(root, { cache: FactsCache.open(location), source: a.source });
    expect(a.reads.length).toBe(files.length);

    const edited = files.find((f) => f.includes('16db34190a95'))!;
    editSameSize(edited);
    const expected = run(root, { targets: [edited] });
    const b = counting();
    const cacheB = FactsCache.open(location);
    expect(outcome(run(root, { cache: cacheB, source: b.source, targets: [edited] }))).toEqual(outcome(expected));
    expect(b.reads).toEqual([path.basename(edited)]);
    expect(cacheB.stats.misses).toBe(1);

    // Same size, same second: only the stamp's guard tells this edit apart from the one before.
    editSameSize(edited);
    const expectedAgain = run(root, { targets: [edited] });
    expect(outcome(expectedAgain)).not.toEqual(outcome(expected));
    const c = counting();
    expect(outcome(run(root, { cache: FactsCache.open(location), source: c.source, targets: [edited] }))).toEqual(outcome(expectedAgain));
    expect(c.reads).toEqual([path.basename(edited)]);
  });

  it('a damaged cache is a miss, never an error, and is written afresh', () => {
    const root = project();
    const location = path.join(root, '.cache');
    const files = migrations(root);
    const reference = run(root);
    const first = FactsCache.open(location);
    run(root, { cache: first });
    const dir = first.dir;

    fs.writeFileSync(path.join(dir, 'entries.json'), '{"broken');
    fs.writeFileSync(path.join(dir, 'stamps.json'), '[1, 2');
    for (const f of fs.readdirSync(path.join(dir, 'results'))) fs.writeFileSync(path.join(dir, 'results', f), 'null');
    const damaged = FactsCache.open(location);
    expect(outcome(run(root, { cache: damaged }))).toEqual(outcome(reference));
    expect(damaged.stats).toMatchObject({ hits: 0, misses: files.length, resultHits: 0 });
    expect(() => JSON.parse(fs.readFileSync(path.join(dir, 'entries.json'), 'utf8'))).not.toThrow();

    // One file's facts overwritten with garbage inside the pack: that file alone is parsed again.
    const target = files.find((f) => f.includes('79069a325e14'))!;
    const entries = JSON.parse(fs.readFileSync(path.join(dir, 'entries.json'), 'utf8')) as Record<string, { body: [string, number, number] }>;
    const [pack, offset, length] = entries[blobId(fs.readFileSync(target))]!.body;
    const fd = fs.openSync(path.join(dir, 'packs', `${pack}.pack`), 'r+');
    fs.writeSync(fd, Buffer.alloc(length, 0x7b), 0, length, offset);
    fs.closeSync(fd);
    const one = run(root, { targets: [target], ruleLevels: NO_MODEL_RULES });
    const repaired = FactsCache.open(location);
    expect(outcome(run(root, { cache: repaired, targets: [target], ruleLevels: NO_MODEL_RULES }))).toEqual(outcome(one));
    expect(repaired.stats).toMatchObject({ bodyReads: 1, bodyMisses: 1 });

    // Rewritten: another run reporting on it (other settings, so its findings are not cached) reads it back.
    const levels: Record<string, Level> = { ...NO_MODEL_RULES, 'vague-message': 'off' };
    const after = FactsCache.open(location);
    expect(outcome(run(root, { cache: after, targets: [target], ruleLevels: levels }))).toEqual(outcome(run(root, { targets: [target], ruleLevels: levels })));
    expect(after.stats).toMatchObject({ bodyReads: 1, bodyMisses: 0 });
  });

  it('another build of the tool starts afresh and removes the cache of the one before', () => {
    const root = project();
    const location = path.join(root, '.cache');
    const reference = run(root);
    const old = FactsCache.open(location, { build: '0.1.0 one' });
    run(root, { cache: old });
    expect(fs.existsSync(path.join(old.dir, 'entries.json'))).toBe(true);

    const next = FactsCache.open(location, { build: '0.1.1 two' });
    expect(next.dir).not.toBe(old.dir);
    expect(outcome(run(root, { cache: next }))).toEqual(outcome(reference));
    expect(next.stats).toMatchObject({ hits: 0, misses: migrations(root).length, resultHits: 0 });
    expect(fs.existsSync(old.dir)).toBe(false);
    expect(fs.existsSync(path.join(next.dir, 'entries.json'))).toBe(true);
    // The location ignores itself, as .ruff_cache does: nothing of it shows in `git status`.
    expect(fs.readFileSync(path.join(location, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('runs that write at the same time leave a cache every later run can use', async () => {
    const root = project();
    const location = path.join(root, '.cache');
    const files = migrations(root);
    const edited = files.find((f) => f.includes('16db34190a95'))!;
    const original = fs.readFileSync(edited);

    // Two runs that both read the cache before either writes it, each learning something the other does not.
    const a = FactsCache.open(location);
    const b = FactsCache.open(location);
    run(root, { cache: a });
    editSameSize(edited);
    const editedReference = run(root);
    run(root, { cache: b });
    b.save();
    a.save();
    const later = FactsCache.open(location);
    expect(outcome(run(root, { cache: later }))).toEqual(outcome(editedReference));
    fs.writeFileSync(edited, original);
    expect(outcome(run(root, { cache: FactsCache.open(location) }))).toEqual(outcome(run(root)));

    // Processes writing one cache together: every one reports what a run without any cache reports.
    const cli = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'src/cli.ts'), '--format', 'json', ...args], {
          cwd: root,
          env: { ...process.env, DEBUG: '', ...env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const fresh = path.join(root, '.cache-cli');
    const expected = await cli(['--no-cache']);
    expect(expected.code).toBe(1);
    for (let round = 0; round < 2; round++) {
      const runs = await Promise.all([0, 1, 2].map(() => cli(['--cache-location', fresh])));
      for (const r of runs) expect({ code: r.code, stdout: r.stdout }).toEqual({ code: expected.code, stdout: expected.stdout });
    }
    // And what they left is used.
    const stats = await cli(['--cache-location', fresh], { DEBUG: 'migration-lint' });
    expect(stats.stdout).toBe(expected.stdout);
    expect(stats.stderr).toContain('"resultHits":1');
    const leftovers: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.tmp')) leftovers.push(e.name);
      }
    };
    walk(fresh);
    expect(leftovers).toEqual([]);
  }, 120_000);
});
