// missing-sqlmodel-import: the file the linter flags really raises NameError on upgrade, and runs
// once `import sqlmodel` is added; the files it leaves alone really run.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectAlembicFailure, expectBadVerdict, expectGoodVerdict, fixture, insertImportSqlmodel, lint, withCase } from './helpers.js';

const RULE = 'missing-sqlmodel-import';
const BAD = `fixtures/rules/${RULE}/bad`;

describe(RULE, () => {
  it('bad: the flagged file raises NameError on upgrade; with `import sqlmodel` inserted it runs', async () => {
    const c = fixture(BAD);
    const verdict = await expectBadVerdict(c, [RULE]);
    const flagged = [...new Set(verdict.report.diagnostics.filter((d) => d.rule === RULE).map((d) => d.file))];
    expect(flagged).toEqual([c.revisions[0]?.file]);

    await withCase(BAD, async (p) => {
      const first = await p.alembic('upgrade', 'head');
      expectAlembicFailure(first, "NameError: name 'sqlmodel' is not defined");
      expect(await p.db.sql("SELECT to_regclass('public.hero') IS NULL")).toBe('t');

      for (const f of flagged) await insertImportSqlmodel(path.join(p.root, f));
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.sql("SELECT to_regclass('public.hero') IS NOT NULL")).toBe('t');
    });
  });

  it('bad: after `migration-lint --fix` the migration runs and the rule is satisfied', async () => {
    await withCase(BAD, async (p) => {
      const fixed = await lint(p.root, ['--fix']);
      expect([0, 1], `--fix exit code\n${fixed.stderr}`).toContain(fixed.code);
      await p.alembicOk('upgrade', 'head');
      const again = await lint(p.root);
      expect(again.report.diagnostics.filter((d) => d.rule === RULE), 're-lint after --fix').toEqual([]);
    });
  });

  it('bad-unused: in a SQLModel project a migration without the import is flagged even though it runs', async () => {
    const c = fixture(`fixtures/rules/${RULE}/bad-unused`);
    await expectBadVerdict(c, [RULE]);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
    });
  });

  it('good (FastAPI template, `import sqlmodel.sql.sqltypes`): not flagged, and upgrade runs', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good`);
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
      expect(await p.db.sql("SELECT to_regclass('public.hero') IS NOT NULL")).toBe('t');
    });
  });

  it('good-sqlalchemy (plain SQLAlchemy project): no sqlmodel noise at all, and upgrade runs', async () => {
    const c = fixture(`fixtures/rules/${RULE}/good-sqlalchemy`);
    const r = await expectGoodVerdict(c);
    expect(r.report.diagnostics.filter((d) => d.rule.includes('sqlmodel'))).toEqual([]);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
    });
  });
});
