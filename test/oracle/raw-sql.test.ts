// raw-sql: the flagged op.execute really rewrites existing rows, a change no model describes.
import { describe, expect, it } from 'vitest';
import { expectBadVerdict, expectGoodVerdict, fixture, withCase } from './helpers.js';

const RULE = 'raw-sql';
const SEED = "INSERT INTO hero (name, secret_name) VALUES ('Spider-Boy', 'Pedro Parqueador'), ('Black Lion', 'Trevor Challa')";

describe(RULE, () => {
  it('bad: the upgrade rewrites seeded rows', async () => {
    const c = fixture(`fixtures/rules/${RULE}/bad`);
    await expectBadVerdict(c, [RULE]);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      await p.db.sql(SEED);
      const r = await p.alembicOk('upgrade', 'head');
      expect(r.output).toContain('add hero rank');
      expect(await p.db.rows('SELECT name, rank FROM hero ORDER BY name')).toEqual([
        ['Black Lion', 'recruit'],
        ['Spider-Boy', 'recruit'],
      ]);
      // Offline, the statement is emitted verbatim: nothing but the SQL says what it does.
      const offline = await p.alembicOk('upgrade', `${p.rev('add-hero-table')}:head`, '--sql');
      expect(offline.stdout).toContain("UPDATE hero SET rank = 'recruit' WHERE rank IS NULL");
    });
  });

  it('good: the same add_column leaves seeded rows alone', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good`);
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      await p.db.sql(SEED);
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.rows('SELECT name, rank IS NULL FROM hero ORDER BY name')).toEqual([
        ['Black Lion', 't'],
        ['Spider-Boy', 't'],
      ]);
    });
  });
});
