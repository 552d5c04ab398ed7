// not-null-without-default: the flagged add_column really fails on a table with rows.
import { describe, expect, it } from 'vitest';
import { expectAlembicFailure, expectBadVerdict, expectGoodVerdict, fixture, withCase } from './helpers.js';

const RULE = 'not-null-without-default';
const SEED = "INSERT INTO hero (name, secret_name, age) VALUES ('Deadpond', 'Dive Wilson', 30)";

describe(RULE, () => {
  it('bad: upgrade fails with NotNullViolation on a table with rows', async () => {
    const c = fixture(`fixtures/rules/${RULE}/bad`);
    await expectBadVerdict(c, [RULE]);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      await p.db.sql(SEED);
      const r = await p.alembic('upgrade', 'head');
      expectAlembicFailure(r, 'NotNullViolation', 'column "power" of relation "hero" contains null values');
      expect(await p.db.sql('SELECT version_num FROM alembic_version')).toBe(p.rev('add-hero-table'));
    });
  });

  it('bad: the same upgrade passes on an empty table (the failure is about existing rows)', async () => {
    await withCase(`fixtures/rules/${RULE}/bad`, async (p) => {
      await p.alembicOk('upgrade', 'head');
    });
  });

  it('good (server_default): upgrade passes on a table with rows, which get the default', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good`);
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      await p.db.sql(SEED);
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.sql('SELECT power FROM hero')).toBe('none');
    });
  });

  it('good-optional (nullable): upgrade passes on a table with rows', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good-optional`);
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      await p.db.sql(SEED);
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.sql('SELECT power IS NULL FROM hero')).toBe('t');
    });
  });
});
