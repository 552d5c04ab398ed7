/**
 * Property tests over mutated real migrations (fast-check, fixed seed): the engine never throws, ends in
 * bounded time per file, never drops a file, and reports parse-error exactly when CPython refuses the file.
 *
 * `npm test` runs 150 cases of each property in a few seconds. A longer run is one command:
 *   npm run fuzz                                    (5,000 cases, longer huge lines)
 *   FUZZ_RUNS=50000 FUZZ_SEED=$RANDOM npm run fuzz   (more, another seed: fast-check prints seed and path on failure)
 * A failure found that way becomes a file in ./regressions with its expectation in regressions.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { extractFacts, lint } from '../../src/index.js';
import { decodePython, LineIndex } from '../../src/parse/source.js';
import { corpus, HAS_PYTHON, project, pythonVerdicts, tmpDir, VERSIONS } from './helpers.js';
import { applyMutations, describeMutations, mutations } from './mutate.js';

/** `npm run fuzz` (npm names the script in npm_lifecycle_event) runs long by default; `npm test` short. */
const LONG = process.env.npm_lifecycle_event === 'fuzz';
const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? (LONG ? 5_000 : 150)));
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_607);
/** Per file: generous, as the machine is shared; a typical mutated migration takes a few milliseconds. */
const PER_FILE_MS = Number(process.env.FUZZ_FILE_MS ?? 5_000);
// The longer runs get the time they need; the default run stays within a few seconds.
const TIMEOUT = { timeout: Math.max(60_000, RUNS * 200) };

const files = corpus();
const sample = fc.record({ file: fc.nat({ max: Math.max(0, files.length - 1) }), muts: mutations });

interface Read {
  text: string;
  lines: LineIndex;
  facts: ReturnType<typeof extractFacts>;
  decodeError: boolean;
  ms: number;
}

function read(bytes: Uint8Array): Read {
  const started = performance.now();
  const decoded = decodePython(bytes);
  const lines = new LineIndex(decoded.text);
  const facts = extractFacts(decoded.text, lines);
  return { text: decoded.text, lines, facts, decodeError: decoded.error !== null, ms: performance.now() - started };
}

function expectInside(span: { start: number; end: number }, text: string) {
  expect(span.start).toBeGreaterThanOrEqual(0);
  expect(span.end).toBeGreaterThanOrEqual(span.start);
  expect(span.end).toBeLessThanOrEqual(text.length);
}

describe('the corpus', () => {
  it('holds the real migrations of the fixtures and the example project', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.name.startsWith('examples/'))).toBe(true);
  });
});

describe('extractFacts on mutated migrations', () => {
  it('never throws, ends in bounded time, and keeps every span inside the file', TIMEOUT, () => {
    fc.assert(
      fc.property(sample, ({ file, muts }) => {
        const r = read(applyMutations(files[file]!.bytes, muts));
        expect(r.ms, `${files[file]!.name} ${describeMutations(muts)}`).toBeLessThan(PER_FILE_MS);
        if (r.facts.parseError) expectInside(r.facts.parseError.span, r.text);
        for (const op of r.facts.operations) expectInside(op.span, r.text);
        for (const s of r.facts.suppressions) expectInside(s.span, r.text);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('lint() over a versions folder of mutated migrations', () => {
  it('lints every file: each is counted, and gets parse-error exactly when it cannot be read as Python', TIMEOUT, () => {
    const root = project(tmpDir('fuzz'));
    const versions = path.join(root, VERSIONS);
    const config = defaultConfig(root);
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 3 }), (batch) => {
        fs.rmSync(versions, { recursive: true, force: true });
        fs.mkdirSync(versions);
        const names = batch.map((_, k) => `m${k}_${'abcdef012345'.slice(k)}.py`);
        const written = batch.map(({ file, muts }, k) => {
          const bytes = applyMutations(files[file]!.bytes, muts);
          fs.writeFileSync(path.join(versions, names[k]!), bytes);
          return read(bytes);
        });
        const started = performance.now();
        const found = discover(root, [], null);
        const result = lint({ cwd: root, environments: found.environments, config });
        expect(performance.now() - started).toBeLessThan(PER_FILE_MS * batch.length);

        // No file silently skipped: each was read and counted.
        expect(result.fileCount).toBe(batch.length);
        expect(result.environments.flatMap((e) => e.files.map((f) => f.path)).sort()).toEqual(names.map((n) => `${VERSIONS}/${n}`).sort());
        names.forEach((name, k) => {
          const own = result.diagnostics.filter((d) => d.file === `${VERSIONS}/${name}`);
          const parseErrors = own.filter((d) => d.rule === 'parse-error');
          const broken = written[k]!.decodeError || written[k]!.facts.parseError !== null;
          // Suppression comments cannot approve parse-error away (a mutation may write one).
          const approved = result.suppressed.some((d) => d.file === `${VERSIONS}/${name}` && d.rule === 'parse-error');
          expect(parseErrors.length + (approved ? 1 : 0), `${name}: ${describeMutations(batch[k]!.muts)}`).toBe(broken ? 1 : 0);
        });
        for (const d of result.diagnostics) {
          const doc = written[names.findIndex((n) => d.file === `${VERSIONS}/${n}`)];
          const lineCount = doc ? doc.lines.lineCount : Infinity;
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.endLine).toBeGreaterThanOrEqual(d.line);
          if (d.endLine === d.line) expect(d.endColumn).toBeGreaterThanOrEqual(d.column);
          expect(d.endLine).toBeLessThanOrEqual(lineCount);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { seed: SEED + 1, numRuns: Math.max(1, Math.ceil(RUNS / 8)) },
    );
  });
});

/**
 * Bytes that are not UTF-8 are refused by design (parse-error: Alembic reads revisions as UTF-8 or their
 * declared coding), though CPython 3.11 lets them pass inside comments. Otherwise the verdicts agree: the grammar
 * limits once listed here (form feeds in indentation, chains of hundreds of operators, a backslash continued onto
 * a blank line) are gone with our fork of the grammar (test/parse/differential.test.ts).
 */
describe('parse-error agrees with CPython', () => {
  it.skipIf(!HAS_PYTHON)('a file CPython refuses gets parse-error; one it compiles gets none', TIMEOUT, () => {
    const samples = fc.sample(sample, { seed: SEED + 2, numRuns: RUNS });
    const inputs = [...files.map((f) => ({ label: f.name, bytes: f.bytes as Uint8Array })), ...samples.map((s) => ({ label: `${files[s.file]!.name} ${describeMutations(s.muts)}`, bytes: applyMutations(files[s.file]!.bytes, s.muts) as Uint8Array }))];
    const verdicts = pythonVerdicts(inputs.map((i) => i.bytes));
    const missed: string[] = [];
    const extra: string[] = [];
    inputs.forEach((input, k) => {
      const ours = read(input.bytes);
      const refused = ours.decodeError || ours.facts.parseError !== null;
      const py = verdicts[k]!;
      if (!py.ok && !refused) missed.push(`${input.label}: CPython says "${py.message}" at line ${py.line}`);
      if (py.ok && refused && !ours.decodeError) {
        extra.push(`${input.label}: we say "${ours.facts.parseError!.message}" at ${JSON.stringify(ours.lines.position(ours.facts.parseError!.span.start))}`);
      }
    });
    // The real migrations (the parse-error fixture aside) are valid Python.
    expect(verdicts.slice(0, files.length).filter((v) => !v.ok).length).toBeLessThanOrEqual(files.filter((f) => f.name.includes('/parse-error/')).length);
    expect(missed).toEqual([]);
    expect(extra).toEqual([]);
  });
});
