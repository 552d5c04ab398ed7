/**
 * The fixture half of every rule test: lint each real Alembic project under fixtures/rules/<id>/ and hold the
 * rule's findings on each bad case to a committed snapshot (test/rules/__snapshots__/<id>/<case>.txt): every
 * finding drawn as a code frame, so that a change of position or message shows in review as a diff of the
 * source it points at. Positions are written nowhere by hand; where they must be, the generator's manifest
 * (scripts/fixture_cases/<id>.py `expect`) says independently which call or line each finding is on, and the
 * oracle suite holds the findings to it. Every good case must give no finding.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCases, fixtureDir, lintFixture, ROOT, type ConfigOverrides, type Found } from './helpers.js';

const SNAPSHOTS = path.join(ROOT, 'test/rules/__snapshots__');

/** The findings drawn over their source: a header, the message, and the lines they span with carets under them. */
export function codeFrames(findings: Found[], readSource: (file: string) => string | null): string {
  if (findings.length === 0) return '(no findings)\n';
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${f.rule} at ${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`, `  ${f.message}`);
    const text = readSource(f.file);
    if (text !== null) {
      const lines = text.split(/\r\n|\n|\r/);
      const last = Math.min(f.endLine, f.line + 5);
      const width = String(last + 1).length;
      for (let n = Math.max(1, f.line - 1); n <= Math.min(lines.length, last + 1); n++) {
        const line = lines[n - 1]!;
        const inside = n >= f.line && n <= f.endLine;
        out.push(`${inside ? '>' : ' '} ${String(n).padStart(width)} | ${line}`.trimEnd());
        if (!inside) continue;
        const chars = [...line];
        const from = n === f.line ? f.column - 1 : chars.findIndex((c) => c !== ' ' && c !== '\t');
        const to = n === f.endLine ? f.endColumn - 1 : chars.length;
        if (to > from && from >= 0) out.push(`  ${' '.repeat(width)} | ${' '.repeat(from)}${'^'.repeat(to - from)}`);
      }
      if (f.endLine > last) out.push(`  ${' '.repeat(width)} | …`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Every bad case of the rule against its snapshot, and every good case with no finding. */
export function fixtureSuite(rule: string, overrides: ConfigOverrides = {}): void {
  describe(`${rule}: fixtures/rules/${rule}`, () => {
    const cases = fixtureCases(rule);
    const bad = cases.filter((c) => c.startsWith('bad'));

    it('has a bad case and a good case, and a snapshot only for bad cases on disk', () => {
      expect(bad.length).toBeGreaterThan(0);
      expect(cases.some((c) => c.startsWith('good'))).toBe(true);
      const dir = path.join(SNAPSHOTS, rule);
      const snaps = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => f.replace(/\.txt$/, '')) : [];
      for (const s of snaps) expect(bad, `test/rules/__snapshots__/${rule}/${s}.txt has no case`).toContain(s);
    });

    for (const kase of bad) {
      it(`${kase}: reports what its snapshot shows`, async () => {
        const found = lintFixture(rule, kase, overrides);
        expect(found.length, `${kase} must fire ${rule}`).toBeGreaterThan(0);
        const read = (file: string) => {
          const p = path.join(fixtureDir(rule, kase), file);
          return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '') : null;
        };
        await expect(codeFrames(found, read)).toMatchFileSnapshot(path.join(SNAPSHOTS, rule, `${kase}.txt`));
      });
    }

    for (const kase of cases.filter((c) => c.startsWith('good'))) {
      it(`${kase}: reports nothing`, () => {
        expect(lintFixture(rule, kase, overrides)).toEqual([]);
      });
    }
  });
}
