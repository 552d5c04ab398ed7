// Revision-graph rules: what the linter reports, Alembic really refuses (or really misreads).
import { describe, expect, it } from 'vitest';
import { currentRevisions, expectAlembicFailure, expectBadVerdict, expectGoodVerdict, fixture, revisionOf, withCase } from './helpers.js';

describe('multiple-heads', () => {
  it('bad: `alembic upgrade head` fails with "Multiple head revisions"', async () => {
    const c = fixture('fixtures/rules/multiple-heads/bad');
    await expectBadVerdict(c, ['multiple-heads']);
    await withCase(c.dir, async (p) => {
      const heads = await p.alembicOk('heads');
      expect(heads.stdout.trim().split('\n').sort()).toEqual(
        [`${p.rev('add-hero-power')} (head)`, `${p.rev('add-team-table')} (head)`].sort(),
      );
      expectAlembicFailure(await p.alembic('upgrade', 'head'), 'Multiple head revisions are present');
      expect(await p.db.sql("SELECT to_regclass('public.hero') IS NULL")).toBe('t');
    });
  });

  it('good: after `alembic merge heads`, `alembic upgrade head` passes', async () => {
    const c = fixture('fixtures/rules/multiple-heads/good');
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
      expect(await currentRevisions(p.db)).toEqual([p.rev('merge-power-and-team')]);
    });
  });
});

describe('unknown-down-revision', () => {
  it('bad: alembic refuses to load the graph (KeyError naming the missing revision)', async () => {
    const c = fixture('fixtures/rules/unknown-down-revision/bad');
    await expectBadVerdict(c, ['unknown-down-revision']);
    const missing = revisionOf(c, 'add-hero-power').downRevision;
    expect(missing).toBe(revisionOf(c, 'add-team-table').revision);
    expect(revisionOf(c, 'add-team-table').file).toBeNull();
    await withCase(c.dir, async (p) => {
      for (const args of [['upgrade', 'head'], ['heads'], ['history']]) {
        expectAlembicFailure(await p.alembic(...args), `KeyError: '${String(missing)}'`);
      }
      expect(await p.db.sql("SELECT to_regclass('public.hero') IS NULL")).toBe('t');
    });
  });

  it('good: the intact chain upgrades', async () => {
    const c = fixture('fixtures/rules/unknown-down-revision/good');
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
      expect(await currentRevisions(p.db)).toEqual([p.rev('add-hero-power')]);
    });
  });
});

describe('duplicate-revision', () => {
  it('bad: alembic warns the revision is present more than once and cannot upgrade', async () => {
    const c = fixture('fixtures/rules/duplicate-revision/bad');
    await expectBadVerdict(c, ['duplicate-revision']);
    await withCase(c.dir, async (p) => {
      const r = await p.alembic('upgrade', 'head');
      expectAlembicFailure(
        r,
        `UserWarning: Revision ${p.rev('add-team-table')} is present more than once`,
        'Multiple head revisions are present',
      );
    });
  });

  it('good: loads without a warning and upgrades', async () => {
    const c = fixture('fixtures/rules/duplicate-revision/good');
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      const r = await p.alembicOk('upgrade', 'head');
      expect(r.output).not.toContain('present more than once');
    });
  });
});

describe('revision-mismatch', () => {
  it('bad: alembic knows only the edited `revision =`; the id in the header and file name does not exist', async () => {
    const c = fixture('fixtures/rules/revision-mismatch/bad');
    await expectBadVerdict(c, ['revision-mismatch']);
    const entry = revisionOf(c, 'add-hero-power');
    const fileId = (entry.file ?? '').split('/').pop()?.split('_')[0] ?? '';
    expect(fileId).toMatch(/^[0-9a-f]{12}$/);
    expect(entry.revision).not.toBe(fileId);
    await withCase(c.dir, async (p) => {
      expectAlembicFailure(await p.alembic('upgrade', fileId), `Can't locate revision identified by '${fileId}'`);
      await p.alembicOk('upgrade', entry.revision);
      expect(await currentRevisions(p.db)).toEqual([entry.revision]);
    });
  });

  it('bad-rebased: alembic follows `down_revision`, not the stale `Revises:` header', async () => {
    const c = fixture('fixtures/rules/revision-mismatch/bad-rebased');
    await expectBadVerdict(c, ['revision-mismatch']);
    await withCase(c.dir, async (p) => {
      const hist = await p.alembicOk('history');
      expect(hist.stdout).toContain(`${p.rev('add-team-table')} -> ${p.rev('add-hero-power')} (head)`);
      expect(hist.stdout).not.toContain(`${p.rev('add-hero-table')} -> ${p.rev('add-hero-power')}`);
      const up = await p.alembicOk('upgrade', 'head');
      expect(up.output.indexOf('add team table')).toBeLessThan(up.output.indexOf('add hero power'));
    });
  });

  it('good: the id in the header and file name is the one alembic upgrades to', async () => {
    const c = fixture('fixtures/rules/revision-mismatch/good');
    await expectGoodVerdict(c);
    const entry = revisionOf(c, 'add-hero-power');
    const fileId = (entry.file ?? '').split('/').pop()?.split('_')[0] ?? '';
    expect(fileId).toBe(entry.revision);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', fileId);
    });
  });
});

describe('parse-error', () => {
  it('bad: alembic refuses to load the scripts (SyntaxError); the linter reports it and still lints the sibling', async () => {
    const c = fixture('fixtures/rules/parse-error/bad');
    const r = await expectBadVerdict(c, ['parse-error']);
    const broken = revisionOf(c, 'add-hero-power').file ?? '';
    const intact = revisionOf(c, 'add-hero-table').file ?? '';
    expect(r.report.diagnostics.filter((d) => d.rule === 'parse-error').map((d) => d.file)).toEqual([broken]);
    expect(r.report.diagnostics.some((d) => d.file === intact && d.rule === 'parse-error')).toBe(false);
    expect(r.report.summary.files, 'both files are linted').toBe(2);
    await withCase(c.dir, async (p) => {
      const up = await p.alembic('upgrade', 'head');
      expectAlembicFailure(up, 'SyntaxError', broken.split('/').pop() ?? '');
      expect(await p.db.sql("SELECT to_regclass('public.hero') IS NULL")).toBe('t');
    });
  });

  it('good: both revisions load and upgrade', async () => {
    const c = fixture('fixtures/rules/parse-error/good');
    await expectGoodVerdict(c);
    await withCase(c.dir, async (p) => {
      await p.alembicOk('upgrade', 'head');
    });
  });
});
