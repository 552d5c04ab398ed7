/**
 * The model reader's modules in the cache (orm/module-cache.ts, kept by engine/cache.ts): a run whose modules
 * did not change parses none of them, and the cache never changes a result. Every run with a cache is compared
 * with the same run without one, on the bundled seed project (a models package of several modules).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { FactsCache } from '../../src/engine/cache.js';
import { lint } from '../../src/engine/lint.js';
import type { LintResult } from '../../src/model/result.js';
import { readModule } from '../../src/orm/module.js';
import { decodeModule, encodeModule } from '../../src/orm/module-cache.js';
import { tree } from '../discover/tree.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SEED = path.join(ROOT, 'examples/seed-sqlmodel/backend');
const VERSIONS = 'app/alembic/versions';

function filesBelow(dir: string, keep: (abs: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && keep(abs)) out.push(abs);
    }
  };
  walk(dir);
  return out.sort();
}

function project(): string {
  const files: Record<string, Uint8Array> = {};
  for (const abs of filesBelow(SEED)) files[path.relative(SEED, abs)] = fs.readFileSync(abs);
  return tree(files);
}

/** A lint reporting on one migration (so that the environment's findings are judged, not taken whole from the cache). */
function run(root: string, cache: FactsCache | null): LintResult {
  const found = discover(root, [], null);
  const target = fs.readdirSync(path.join(root, VERSIONS)).filter((f) => f.endsWith('.py')).sort()[0]!;
  return lint({
    cwd: root,
    environments: found.environments,
    config: defaultConfig(root),
    cache,
    targets: new Set([path.join(root, VERSIONS, target)]),
  });
}

const outcome = (r: LintResult) => ({ diagnostics: r.diagnostics, suppressed: r.suppressed, fileCount: r.fileCount });
const modelFindings = (r: LintResult) => r.diagnostics.filter((d) => d.rule.startsWith('model-')).map((d) => `${d.rule} ${d.file}:${d.line}`);
const moduleFiles = (location: string) => filesBelow(location, (f) => f.includes(`${path.sep}modules${path.sep}`) && f.endsWith('.json'));

/** A new result key every time (the findings are then judged again), the migrations' facts unchanged. */
function touchTarget(root: string, i: number): void {
  const first = path.join(root, VERSIONS, fs.readdirSync(path.join(root, VERSIONS)).filter((f) => f.endsWith('.py')).sort()[0]!);
  fs.appendFileSync(first, `\n# run ${i}\n`);
}

describe('model modules in the cache', () => {
  it('read back from the cache, a module is what readModule reads, for every Python module of the examples and fixtures', () => {
    const modules = [path.join(ROOT, 'examples'), path.join(ROOT, 'fixtures')].flatMap((d) => filesBelow(d, (f) => f.endsWith('.py') && !f.includes(`${path.sep}versions${path.sep}`)));
    expect(modules.length).toBeGreaterThan(10);
    let classes = 0;
    for (const file of modules) {
      const text = fs.readFileSync(file, 'utf8');
      const name = path.basename(file, '.py');
      const read = readModule(file, name, false, text);
      const back = decodeModule(encodeModule(read), file, name, false, text);
      expect(back, file).toStrictEqual(read);
      // A class binding is the very class of the module's list, as readModule makes it.
      for (const [n, b] of back!.bindings) if (b.kind === 'class') expect(back!.classes.includes(b.cls), `${file} ${n}`).toBe(true);
      classes += read.classes.length;
    }
    expect(classes).toBeGreaterThan(10);
  });

  it('a run whose modules did not change parses none of them; an edited module alone is read again, with its new findings', () => {
    const root = project();
    const location = path.join(root, '.cache');
    touchTarget(root, 0);
    const first = FactsCache.open(location);
    expect(outcome(run(root, first))).toEqual(outcome(run(root, null)));
    const kept = moduleFiles(location).length;
    expect(first.stats).toMatchObject({ moduleHits: 0, moduleMisses: kept });
    // env.py and the models package's modules.
    expect(kept).toBeGreaterThanOrEqual(5);

    touchTarget(root, 1);
    const second = FactsCache.open(location);
    expect(outcome(run(root, second))).toEqual(outcome(run(root, null)));
    expect(second.stats).toMatchObject({ moduleHits: kept, moduleMisses: 0, resultHits: 0 });
    expect(moduleFiles(location)).toHaveLength(kept);

    // A column added to a model: the drift it makes is found, through the one module read afresh.
    const item = path.join(root, 'app/models/item.py');
    const before = modelFindings(run(root, null));
    fs.writeFileSync(item, fs.readFileSync(item, 'utf8').replace('    priority: Optional[int] = None\n', '    priority: Optional[int] = None\n    rating: int = 0\n'));
    const after = run(root, null);
    expect(modelFindings(after)).not.toEqual(before);
    const third = FactsCache.open(location);
    expect(outcome(run(root, third))).toEqual(outcome(after));
    expect(third.stats).toMatchObject({ moduleHits: kept - 1, moduleMisses: 1 });
    expect(moduleFiles(location)).toHaveLength(kept + 1);
  });

  it('a damaged or foreign module entry is a miss, never an error, and is written afresh', () => {
    const root = project();
    const location = path.join(root, '.cache');
    run(root, FactsCache.open(location));
    const entries = moduleFiles(location);
    expect(entries.length).toBeGreaterThanOrEqual(5);
    const withSum = (data: string) => `${createHash('sha1').update(data).digest('hex')}\n${data}`;
    const damage = [
      (text: string) => text.slice(0, text.length >> 1), // cut short
      (text: string) => `${text} `, // altered (still JSON): its checksum no longer fits
      () => withSum('{"parseError":false}'), // another shape, checksum and all
      () => withSum('{"parseError":false,"futureAnnotations":false,"imports":[],"classes":[],"assignments":[],"calls":[],"bindings":[["Item",{"kind":"class","index":7}]]}'),
      () => withSum('not json'),
      () => '',
    ];
    entries.forEach((f, i) => fs.writeFileSync(f, damage[i % damage.length]!(fs.readFileSync(f, 'utf8'))));
    touchTarget(root, 1);
    const reference = run(root, null);
    const damaged = FactsCache.open(location);
    expect(outcome(run(root, damaged))).toEqual(outcome(reference));
    // Every module read afresh (those of another shape came back from the store, and were refused).
    expect(damaged.stats.moduleMisses).toBe(entries.length);

    // Written afresh: the next run reads every module from the cache.
    touchTarget(root, 2);
    const next = FactsCache.open(location);
    expect(outcome(run(root, next))).toEqual(outcome(run(root, null)));
    expect(next.stats).toMatchObject({ moduleHits: entries.length, moduleMisses: 0 });
  });
});
