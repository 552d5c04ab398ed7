// --database-url against what real Alembic leaves in a real database: the revisions `alembic upgrade` ran are
// applied, the rest pending; a recorded revision whose file is gone stops every Alembic command, and
// database-revision-missing says so before a deploy does.
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { currentRevisions, expectAlembicFailure, fixture, lint, withCase } from './helpers.js';

const CASE = 'fixtures/rules/unknown-down-revision/good';

describe('database-revision-missing', () => {
  it('bad: the applied head revision is deleted; Alembic cannot locate it, and the linter reports it', async () => {
    const c = fixture(CASE);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
      const head = p.rev('add-hero-power');
      expect(await currentRevisions(p.db)).toEqual([head]);
      await rm(p.file('add-hero-power'));
      for (const args of [['current'], ['upgrade', 'head'], ['downgrade', '-1']]) {
        expectAlembicFailure(await p.alembic(...args), `Can't locate revision identified by '${head}'`);
      }
      const r = await lint(p.root, ['--database-url', p.db.url]);
      expect(r.code).toBe(1);
      const found = r.report.diagnostics.filter((d) => d.rule === 'database-revision-missing');
      expect(found.map((d) => [d.file, d.line, d.column])).toEqual([['alembic/script.py.mako', 1, 1]]);
      expect(found[0]!.message).toContain(`records revision '${head}' in alembic_version`);
      // The password of the URL never reaches the output.
      const password = new URL(p.db.url).password;
      if (password) expect(JSON.stringify(r.report) + r.stderr).not.toContain(`:${password}@`);
    });
  });

  it('good: at a middle revision, nothing is reported and the rest is pending', async () => {
    const c = fixture(CASE);
    await withCase(c.dir, async (p) => {
      const first = p.rev('add-hero-table');
      await p.alembicOk('upgrade', first);
      expect(await currentRevisions(p.db)).toEqual([first]);
      const r = await lint(p.root, ['--database-url', p.db.url]);
      expect(r.report.diagnostics.filter((d) => d.rule === 'database-revision-missing')).toEqual([]);
      const summary = (r.report as unknown as { summary: { database: { recorded: string[]; pending: string[]; missing: string[] } } }).summary;
      expect(summary.database.recorded).toEqual([first]);
      // In the order `alembic upgrade head` will run them.
      expect(summary.database.pending).toEqual([p.rev('add-team-table'), p.rev('add-hero-power')]);
      expect(summary.database.missing).toEqual([]);
      await p.alembicOk('upgrade', 'head');
      const after = await lint(p.root, ['--database-url', p.db.url]);
      expect((after.report as unknown as { summary: { database: { pending: string[] } } }).summary.database.pending).toEqual([]);
    });
  });
});
