// Every generated case, data-driven from fixtures/manifest.json: bad cases fire their rule where
// the manifest says, good cases do not; the bundled examples fire every rule between them; every good case
// really upgrades and downgrades on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { expectVerdict, manifest, withCase } from './helpers.js';

const RULES = [
  'missing-sqlmodel-import',
  'template-missing-sqlmodel-import',
  'empty-migration',
  'manual-migration',
  'destructive-operation',
  'raw-sql',
  'not-null-without-default',
  'unnamed-constraint',
  'vague-message',
  'multiple-heads',
  'unknown-down-revision',
  'duplicate-revision',
  'revision-mismatch',
  'parse-error',
  'model-drift',
  'model-not-imported',
];

const cases = manifest().cases;

describe('fixtures', () => {
  it('cover every rule with a bad and a good case, and the examples expect every rule', () => {
    for (const rule of RULES) {
      const mine = cases.filter((c) => c.rule === rule);
      expect(mine.some((c) => c.verdict === 'bad'), `${rule}: bad case`).toBe(true);
      expect(mine.some((c) => c.verdict === 'good'), `${rule}: good case`).toBe(true);
    }
    const examples = cases.filter((c) => c.rule === null);
    expect(examples.map((c) => c.dir)).toEqual(['examples/fastapi-sqlmodel', 'examples/seed-sqlmodel']);
    const fired = new Set(examples.flatMap((c) => c.expect.map((e) => e.rule)));
    expect(RULES.filter((r) => !fired.has(r)), 'rules the examples do not expect').toEqual([]);
    // Both model rules, each in its layout: the template's models.py and the seed's models package.
    expect(examples.map((c) => c.expect.filter((e) => e.rule.startsWith('model-')).map((e) => `${e.rule} ${e.at[0]!.file}`))).toEqual([
      ['model-drift backend/app/models.py'],
      ['model-not-imported backend/app/models/tag.py', 'model-drift backend/app/models/item.py'],
    ]);
  });
});

describe('linter verdicts', () => {
  for (const c of cases) {
    const what = c.rule === null ? `${c.dir}: every rule fires` : `${c.dir}: ${c.verdict === 'bad' ? 'fires' : 'does not fire'}`;
    it(what, async () => {
      await expectVerdict(c);
    });
  }
});

describe('good cases run on PostgreSQL', () => {
  for (const c of cases.filter((x) => x.verdict === 'good')) {
    it(`${c.dir}: upgrade head, then downgrade base`, async () => {
      await withCase(c.dir, async (p) => {
        await p.alembicOk('upgrade', 'head');
        await p.alembicOk('downgrade', 'base');
        expect(await p.db.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")).toBe('0');
      });
    });
  }
});
