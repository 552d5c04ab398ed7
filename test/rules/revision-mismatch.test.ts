import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintProject, migration } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'revision-mismatch';
const [A, B, R, X] = ['aaaaaaaaaaa1', 'bbbbbbbbbbb2', 'a1b2c3d4e5f6', '0a3fe5bfa713'];
/** As Alembic writes it: `Revision ID:` on line 3, `Revises:` on line 4, revision on line 14, down_revision on line 15. */
const gen = (revision: string, down: string | null = A) => migration({ revision, down, message: 'add hero power' });
const pos = (file: string, line: number, column: number, endLine: number, endColumn: number, messageId: string, data?: Record<string, string | number>) => ({
  rule: RULE,
  file: `alembic/versions/${file}`,
  line,
  column,
  endLine,
  endColumn,
  ...byId(RULE, messageId, data),
});

fixtureSuite(RULE);

describe(`${RULE}: the docstring header`, () => {
  it('reports a Revision ID that is not `revision`, at the revision line', () => {
    const text = gen(R).replace(`Revision ID: ${R}`, `Revision ID: ${X}`);
    expect(lintRuleIds(RULE, { versions: { [`${R}_add_hero_power.py`]: text } })).toEqual([
      pos(`${R}_add_hero_power.py`, 14, 1, 14, 26, 'docstringRevision', { revision: R, said: X }),
    ]);
  });

  it('reports a Revises that is not `down_revision`, at the down_revision line', () => {
    const text = gen(R).replace(`Revises: ${A}`, `Revises: ${B}`);
    expect(lintRuleIds(RULE, { versions: { [`${R}_add_hero_power.py`]: text } })).toEqual([
      pos(`${R}_add_hero_power.py`, 15, 1, 15, 31, 'docstringRevises', { downRevision: `'${A}'`, said: B }),
    ]);
  });

  it('accepts a merge whose Revises lists the parents in another order, and an empty Revises for a base', () => {
    const merge = gen(R).replace(`Revises: ${A}`, `Revises: ${B}, ${A}`).replace(`down_revision = '${A}'`, `down_revision = ('${A}', '${B}')`);
    expect(lintRuleIds(RULE, { versions: { [`${R}_merge.py`]: merge } })).toEqual([]);
    expect(lintRuleIds(RULE, { versions: { [`${R}_initial.py`]: gen(R, null) } })).toEqual([]);
  });

  it('reads annotated variables and ids held in module constants', () => {
    const text = gen(R)
      .replace(`Revision ID: ${R}`, `Revision ID: ${X}`)
      .replace(`revision = '${R}'`, `REV = '${R}'\nrevision: str = REV`);
    expect(lintRuleIds(RULE, { versions: { [`${R}_add_hero_power.py`]: text } })).toEqual([
      pos(`${R}_add_hero_power.py`, 15, 1, 15, 20, 'docstringRevision', { revision: R, said: X }),
    ]);
  });
});

describe(`${RULE}: the file name`, () => {
  it('reports a hex id in the file name that is not `revision`', () => {
    expect(lintRuleIds(RULE, { versions: { [`${X}_add_hero_power.py`]: gen(R) } })).toEqual([
      pos(`${X}_add_hero_power.py`, 14, 1, 14, 26, 'fileName', { revision: R, said: X }),
    ]);
  });

  it('accepts names without an id, names with a prefix of the id, and non-hex ids', () => {
    expect(lintRuleIds(RULE, { versions: { '0001_initial.py': gen('0001', null) } })).toEqual([]);
    expect(lintRuleIds(RULE, { versions: { 'add_hero_power.py': gen(R) } })).toEqual([]);
    expect(lintRuleIds(RULE, { versions: { 'a1b2c3d4_add_hero_power.py': gen(R) } })).toEqual([]);
  });

  it("reads the id through alembic.ini's file_template", () => {
    const ini = ['[alembic]', 'script_location = %(here)s/alembic', 'file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s', ''].join('\n');
    const good = `2024_01_31_1200-${R}_add_hero_power.py`;
    const bad = `2024_01_31_1200-${X}_add_hero_power.py`;
    expect(lintRuleIds(RULE, { versions: { [good]: gen(R) }, extra: { 'alembic.ini': ini } })).toEqual([]);
    expect(lintRuleIds(RULE, { versions: { [bad]: gen(R) }, extra: { 'alembic.ini': ini } })).toEqual([
      pos(bad, 14, 1, 14, 26, 'fileName', { revision: R, said: X }),
    ]);
  });
});

describe(`${RULE}: positions and approval`, () => {
  const text = gen(R).replace(`Revises: ${A}`, `Revises: ${B}`);

  it('gives the same position in CRLF and BOM files', () => {
    const expected = [pos(`${R}_x.py`, 15, 1, 15, 31, 'docstringRevises', { downRevision: `'${A}'`, said: B })];
    expect(lintRuleIds(RULE, { versions: { [`${R}_x.py`]: text.replace(/\n/g, '\r\n') } })).toEqual(expected);
    expect(lintRuleIds(RULE, { versions: { [`${R}_x.py`]: `\uFEFF${text}` } })).toEqual(expected);
  });

  it('is approved by a trailing comment with a reason', () => {
    const approved = text.replace(`down_revision = '${A}'`, `down_revision = '${A}'  # migration-lint: ignore revision-mismatch -- rebased onto ${A} in PR 77`);
    const result = lintProject({ versions: { [`${R}_x.py`]: approved } });
    expect(result.diagnostics.filter((d) => d.rule === RULE || d.rule === 'invalid-suppression')).toEqual([]);
    expect(result.suppressed.filter((d) => d.rule === RULE).map((d) => d.line)).toEqual([15]);
  });
});
