/**
 * The fixture half of every rule test: lint each real Alembic project under fixtures/rules/<id>/ and
 * compare the rule's diagnostics with positions written down by hand from the fixture files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCases, fixtureDir, lintFixture, type ConfigOverrides } from './helpers.js';

export interface Expected {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** A substring of the message. */
  message: string;
  /** What the source holds at (line, column): guards the hand-written numbers against a regenerated fixture. */
  source?: string;
}

/**
 * `bad`: every bad case of the rule with its exact diagnostics, in the engine's order (file, line, column).
 * Every `good*` case found on disk must give none.
 */
export function fixtureSuite(rule: string, bad: Record<string, Expected[]>, overrides: ConfigOverrides = {}): void {
  describe(`${rule}: fixtures/rules/${rule}`, () => {
    const cases = fixtureCases(rule);

    it('has expectations for every bad case on disk, and every case listed exists', () => {
      expect(Object.keys(bad).sort()).toEqual(cases.filter((c) => c.startsWith('bad')).sort());
    });

    for (const [kase, expected] of Object.entries(bad)) {
      it(`${kase}: reports exactly where the fixture says`, () => {
        const found = lintFixture(rule, kase, overrides);
        expect(found).toEqual(
          expected.map((e) => ({
            rule,
            file: e.file,
            line: e.line,
            column: e.column,
            endLine: e.endLine,
            endColumn: e.endColumn,
            message: expect.stringContaining(e.message),
          })),
        );
        for (const e of expected) {
          if (e.source === undefined) continue;
          const text = fs.readFileSync(path.join(fixtureDir(rule, kase), e.file), 'utf8');
          const line = text.split(/\r\n|\n|\r/)[e.line - 1]!;
          expect([...line].slice(e.column - 1).join('')).toMatch(new RegExp(`^${e.source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        }
      });
    }

    for (const kase of cases.filter((c) => c.startsWith('good'))) {
      it(`${kase}: reports nothing`, () => {
        expect(lintFixture(rule, kase, overrides)).toEqual([]);
      });
    }
  });
}
