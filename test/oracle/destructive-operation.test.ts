// destructive-operation: what the flagged upgrade drops is really lost: downgrade brings the
// column or table back, empty.
import { describe, expect, it } from 'vitest';
import { expectBadVerdict, expectGoodVerdict, fixture, withCase } from './helpers.js';

const RULE = 'destructive-operation';
const HERO = "INSERT INTO hero (name, secret_name, age) VALUES ('Rusty-Man', 'Tommy Sharp', 48)";
const AGE_COLUMN =
  "SELECT count(*) FROM information_schema.columns WHERE table_name = 'hero' AND column_name = 'age'";

describe(RULE, () => {
  for (const name of ['bad', 'bad-batch']) {
    it(`${name}: a seeded age is gone after upgrade and downgrade`, async () => {
      const c = fixture(`fixtures/rules/${RULE}/${name}`);
      await expectBadVerdict(c, [RULE]);
      await withCase(c.dir, async (p) => {
        await p.alembicOk('upgrade', p.rev('add-hero-table'));
        await p.db.sql(HERO);
        expect(await p.db.sql('SELECT age FROM hero')).toBe('48');
        await p.alembicOk('upgrade', 'head');
        expect(await p.db.sql(AGE_COLUMN)).toBe('0');
        await p.alembicOk('downgrade', '-1');
        expect(await p.db.sql(AGE_COLUMN)).toBe('1');
        expect(await p.db.rows('SELECT name, age IS NULL FROM hero')).toEqual([['Rusty-Man', 't']]);
      });
    });
  }

  it('bad-table: seeded teams are gone after upgrade and downgrade', async () => {
    const c = fixture(`fixtures/rules/${RULE}/bad-table`);
    await expectBadVerdict(c, [RULE]);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-and-team-tables'));
      await p.db.sql("INSERT INTO team (name, headquarters) VALUES ('Preventers', 'Sharp Tower'), ('Z-Force', 'Sister Margaret''s Bar')");
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.sql("SELECT to_regclass('public.team') IS NULL")).toBe('t');
      await p.alembicOk('downgrade', '-1');
      expect(await p.db.sql('SELECT count(*) FROM team')).toBe('0');
    });
  });

  it('bad-drop-schema: seeded rows of a table in the dropped schema are gone after upgrade and downgrade', async () => {
    const c = fixture(`fixtures/rules/${RULE}/bad-drop-schema`);
    const r = await expectBadVerdict(c, [RULE]);
    // The finding names the schema (it once said "Drops schema ?").
    expect(r.report.diagnostics.filter((d) => d.rule === RULE).map((d) => d.message)).toEqual([expect.stringContaining("Drops schema 'archive'")]);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      await p.db.sql("CREATE SCHEMA archive; CREATE TABLE archive.hero (name text); INSERT INTO archive.hero VALUES ('Rusty-Man')");
      expect(await p.db.sql('SELECT count(*) FROM archive.hero')).toBe('1');
      await p.alembicOk('upgrade', 'head');
      await p.alembicOk('downgrade', '-1');
      expect(await p.db.sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'archive'")).toBe('0');
    });
  });

  it('good (additive; drops only in downgrade): seeded rows keep their values through the upgrade', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good`);
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      await p.db.sql(HERO);
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.rows('SELECT name, secret_name, age, power IS NULL FROM hero')).toEqual([
        ['Rusty-Man', 'Tommy Sharp', '48', 't'],
      ]);
    });
  });
});
