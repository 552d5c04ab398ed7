// empty-migration: the flagged revision really changes nothing; the merge revision is exempt.
import { describe, expect, it } from 'vitest';
import { expectBadVerdict, expectGoodVerdict, fixture, schemaSnapshot, withCase } from './helpers.js';

const RULE = 'empty-migration';

describe(RULE, () => {
  it('bad: the upgrade runs and leaves the schema exactly as it was', async () => {
    const c = fixture(`fixtures/rules/${RULE}/bad`);
    await expectBadVerdict(c, [RULE]);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      const before = await schemaSnapshot(p.db);
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.sql('SELECT version_num FROM alembic_version')).toBe(p.rev('add-hero-age'));
      expect(await schemaSnapshot(p.db)).toBe(before);
    });
  });

  it('good: the upgrade changes the schema', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good`);
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      const before = await schemaSnapshot(p.db);
      await p.alembicOk('upgrade', 'head');
      expect(await schemaSnapshot(p.db)).not.toBe(before);
    });
  });

  it('good-merge: a merge revision holds no operation, is not flagged (nor as manual), and joins the heads', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good-merge`);
    const r = await expectGoodVerdict(c);
    expect(r.report.diagnostics.filter((d) => d.rule === 'manual-migration')).toEqual([]);
    await withCase(c.dir, async (p) => {
      const heads = await p.alembicOk('heads');
      expect(heads.stdout.trim()).toBe(`${p.rev('merge-power-and-team')} (head)`);
      await p.alembicOk('upgrade', 'head');
    });
  });
});
