/**
 * Structural extremes a generated or hostile file can hold: brackets nested 10,000 deep, chains of 20,000
 * operators, attributes, calls and subscripts, a 1 MB line, 100,000 lines, 20,000 files in one folder. Each is
 * read with CPython's verdict (`ast.parse`: accepted, or refused on the line it names), never with an internal
 * error, and in time that grows linearly with its size (ratios between sizes, never wall times).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/index.js';
import { LineIndex } from '../../src/parse/source.js';
import { astVerdicts, cli, HAS_PYTHON, HERO, migration, project, tmpDir, VERSIONS } from './helpers.js';

interface Ours {
  ok: boolean;
  line: number | null;
  message: string | null;
  ms: number;
}

function ours(text: string): Ours {
  const started = performance.now();
  const facts = extractFacts(text);
  const ms = performance.now() - started;
  const err = facts.parseError;
  return { ok: !err, line: err ? new LineIndex(text).position(err.span.start).line : null, message: err?.message ?? null, ms };
}

/** A migration whose upgrade() holds `body` on one statement line (line 22). */
const inMigration = (body: string) => migration({ ...HERO, upgrade: [body] });

/** Shapes CPython refuses or accepts whatever their size, each as a function of it. */
const SHAPES: Record<string, (n: number) => string> = {
  'nested parentheses': (n) => `x = ${'('.repeat(n)}1${')'.repeat(n)}`,
  'nested lists': (n) => `x = ${'['.repeat(n)}1${']'.repeat(n)}`,
  'nested dicts': (n) => `x = ${'{1: '.repeat(n)}1${'}'.repeat(n)}`,
  'nested calls': (n) => `x = ${'f('.repeat(n)}1${')'.repeat(n)}`,
  'brackets never closed': (n) => `x = ${'('.repeat(n)}1`,
  '+ chain': (n) => `x = a${' + 1'.repeat(n)}`,
  '* and + chain': (n) => `x = a${' * b + c'.repeat(n)}`,
  'attribute chain': (n) => `x = a${'.b'.repeat(n)}`,
  'call chain': (n) => `x = a${'()'.repeat(n)}`,
  'subscript chain': (n) => `x = a${'[0]'.repeat(n)}`,
  'method chain': (n) => `x = a${'.b(1)'.repeat(n)}`,
  'unary minus chain': (n) => `x = ${'-'.repeat(n)}a`,
  'not chain': (n) => `x = ${'not '.repeat(n)}a`,
  'power chain': (n) => `x = a${' ** a'.repeat(n)}`,
  'lambda chain': (n) => `x = ${'lambda: '.repeat(n)}a`,
  'conditional chain': (n) => `x = ${'a if b else '.repeat(n)}a`,
  'chain as a call argument': (n) => `op.execute(a${'.b'.repeat(n)})`,
  'chain in an f-string': (n) => `x = f"{a${'.b'.repeat(n)}}"`,
  'assignment targets': (n) => `${'a = '.repeat(n)}1`,
  'implicitly joined strings': (n) => `x = ${"'a' ".repeat(n)}`,
  'tuple items': (n) => `x = ${'a, '.repeat(n)}`,
  'list items': (n) => `x = [${'a + 1, '.repeat(n)}]`,
  'call arguments': (n) => `op.execute(${'a.b, '.repeat(n)})`,
};

describe.skipIf(!HAS_PYTHON)('structural extremes, judged by CPython', () => {
  // Short chains and long ones, far from CPython's limit of about 3,000 levels on either side (its exact place
  // depends on how deep in the stack the file is compiled). Between a few hundred and that limit lezer cuts
  // left-associative chains short (the known gap, test/robustness/fuzz.test.ts).
  const SIZES = [50, 250, 10_000, 20_000];
  const cases = Object.entries(SHAPES).flatMap(([name, shape]) => SIZES.map((n) => ({ name: `${name} × ${n}`, text: inMigration(shape(n)) })));

  it('every shape at every size gets CPython\'s verdict, on CPython\'s line', { timeout: 300_000 }, () => {
    const verdicts = astVerdicts(cases.map((c) => c.text));
    const disagree: string[] = [];
    cases.forEach((c, k) => {
      const py = verdicts[k]!;
      const got = ours(c.text);
      if (got.ok !== py.ok || (!py.ok && py.line !== null && got.line !== py.line)) {
        disagree.push(`${c.name}: CPython ${py.ok ? 'accepts' : `refuses (${py.message}) at line ${py.line}`}, we ${got.ok ? 'accept' : `refuse (${got.message}) at line ${got.line}`}`);
      }
      // Refused without a line by CPython (RecursionError, MemoryError): we name the statement's line.
      if (!py.ok && py.line === null) expect(got.line, c.name).toBe(22);
    });
    expect(disagree).toEqual([]);
  });

  it('indentation 10,000 levels deep is refused at the line of the 100th level, as CPython does', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i)}if a:\n`).join('') + `${' '.repeat(10_000)}pass\n`;
    const [py] = astVerdicts([text]);
    expect(py).toMatchObject({ ok: false, line: 101, message: 'too many levels of indentation' });
    expect(ours(text)).toMatchObject({ ok: false, line: 101, message: 'too many levels of indentation' });
  });

  it('an elif chain of 10,000 is refused (CPython nests each elif in the one before)', () => {
    const text = `if a:\n    pass\n${'elif a:\n    pass\n'.repeat(10_000)}`;
    expect(astVerdicts([text])[0]!.ok).toBe(false);
    expect(ours(text).ok).toBe(false);
    const short = `if a:\n    pass\n${'elif a:\n    pass\n'.repeat(100)}`;
    expect(ours(short).ok).toBe(true);
  });

  it('a 1 MB line and a 100,000-line file are read as CPython reads them', { timeout: 120_000 }, () => {
    const texts = [
      inMigration(`x = [${'1, '.repeat(350_000)}]`),
      inMigration(`op.execute("${'a'.repeat(1 << 20)}")`),
      inMigration(`x = {${"'k': 1, ".repeat(120_000)}}`),
      inMigration(`x = ${'1 + '.repeat(250_000)}1`),
      migration({ ...HERO, upgrade: Array.from({ length: 100_000 }, (_, i) => `op.drop_column('hero', 'c${i}')`) }),
    ];
    const verdicts = astVerdicts(texts);
    texts.forEach((t, k) => {
      const got = ours(t);
      expect([k, got.ok, got.line]).toEqual([k, verdicts[k]!.ok, verdicts[k]!.line ?? (verdicts[k]!.ok ? null : 22)]);
    });
  });
});

/** The fastest of three runs of `f`, in ms: the least disturbed by other work on a shared machine. */
function timed(f: () => void): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const started = performance.now();
    f();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('time grows linearly with size', () => {
  // Eight times the input must cost well under 64 times the time (what a quadratic step would show); the
  // margin over 8 is for a machine shared with other work.
  const LIMIT = 24;
  const GROWTH: Record<string, (n: number) => string> = {
    'one long line of list items': (n) => inMigration(`x = [${'1, '.repeat(n * 4)}]`),
    'many lines': (n) => migration({ ...HERO, upgrade: Array.from({ length: n }, (_, i) => `op.drop_column('hero', 'c${i}')`) }),
    'chain far past the limit': (n) => inMigration(`x = a${'.b'.repeat(n * 40)}`),
    'brackets far past the limit': (n) => inMigration(`x = ${'('.repeat(n * 40)}1${')'.repeat(n * 40)}`),
    'operator chain past the limit': (n) => inMigration(`x = a${' + 1'.repeat(n * 40)}`),
    'conditional chain past the limit': (n) => inMigration(`x = ${'a if b else '.repeat(n * 20)}a`),
  };
  for (const [name, make] of Object.entries(GROWTH)) {
    it(name, { timeout: 120_000 }, () => {
      const small = make(1_250);
      const large = make(10_000);
      ours(small); // warm up
      // Below 25 ms a run is mostly start-up and garbage collection, not work that grows with the input.
      const ratio = timed(() => ours(large)) / Math.max(25, timed(() => ours(small)));
      expect(ratio, `${name}: ×8 input took ×${ratio.toFixed(1)} time`).toBeLessThan(LIMIT);
    });
  }
});

describe('20,000 files in one versions folder', () => {
  // Each revision adds a column to one table: a replay that copied the table per revision held O(n^2) column
  // entries and died out of memory at ~4 GB (facts/changes/schema.ts now shares table states). The heap cap makes
  // a return of that a failure here, not a slow machine.
  it('every file is read and counted, in time and memory linear in their number', { timeout: 600_000 }, () => {
    const run = (count: number) => {
      const root = project(tmpDir(`many-${count}`));
      const dir = path.join(root, VERSIONS);
      let down: string | null = null;
      for (let i = 0; i < count; i++) {
        const rev = `r${String(i).padStart(11, '0')}`;
        fs.writeFileSync(path.join(dir, `${rev}_step.py`), migration({ rev, down, message: `step ${i}`, upgrade: [`op.add_column('hero', sa.Column('c${i}', sa.Integer(), nullable=True))`] }));
        down = rev;
      }
      // In its own process, as users run it.
      const r = cli(root, ['--no-cache', '--format', 'json'], { timeout: 600_000, nodeArgs: ['--max-old-space-size=1024'] });
      expect(r.stderr).toBe('');
      expect(r.json!.summary.files).toBe(count);
      expect(r.json!.diagnostics.filter((d) => d.rule === 'parse-error' || d.rule === 'internal-error')).toEqual([]);
      const ms = r.ms;
      fs.rmSync(root, { recursive: true, force: true });
      return ms;
    };
    const small = run(2_500);
    const large = run(20_000);
    expect(large / small, `×8 files took ×${(large / small).toFixed(1)} time`).toBeLessThan(24);
  });
});
