// unnamed-constraint: the flagged downgrade really cannot drop the constraint it names None.
import { describe, expect, it } from 'vitest';
import { expectAlembicFailure, expectBadVerdict, expectGoodVerdict, fixture, withCase } from './helpers.js';

const RULE = 'unnamed-constraint';
const FKS = "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'hero'::regclass ORDER BY 1";

describe(RULE, () => {
  it('bad: PostgreSQL picks the name on upgrade, and the downgrade fails', async () => {
    const c = fixture(`fixtures/rules/${RULE}/bad`);
    await expectBadVerdict(c, [RULE]);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.sql(FKS)).toBe('hero_team_id_fkey');
      const r = await p.alembic('downgrade', '-1');
      expectAlembicFailure(r, 'CompileError', "Can't emit DROP CONSTRAINT", 'it has no name');
      expect(await p.db.sql('SELECT version_num FROM alembic_version')).toBe(p.rev('add-hero-team-id'));
      expect(await p.db.sql(FKS)).toBe('hero_team_id_fkey');
    });
  });

  it('good (naming convention): the constraint is named, and the downgrade drops it by name', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good`);
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.sql(FKS)).toBe('fk_hero_team_id_team');
      await p.alembicOk('downgrade', '-1');
      expect(await p.db.sql(FKS)).toBe('');
      expect(await p.db.sql('SELECT version_num FROM alembic_version')).toBe(p.rev('add-hero-and-team-tables'));
    });
  });
});
