import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintFixture, lintProject, lintRule, mini } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'multiple-heads';
const [A, B, C, D] = ['aaaaaaaaaaa1', 'bbbbbbbbbbb2', 'ccccccccccc3', 'ddddddddddd4'];
const file = (rev: string) => `alembic/versions/${rev}_step.py`;
/** A revision in the `mini` layout: revision on line 5, down_revision on line 6, line 4 free. */
const rev = (id: string, down: string, line4 = '') => ({ [`${id}_step.py`]: mini({ rev: id, down, line4, message: `step ${id}`, upgrade: ['    pass'] }) });
const q = (id: string) => `'${id}'`;
const pos = (f: string, line: number, column: number, endLine: number, endColumn: number, messageId: string, data?: Record<string, string | number>) => ({
  rule: RULE,
  file: f,
  line,
  column,
  endLine,
  endColumn,
  ...byId(RULE, messageId, data),
});

fixtureSuite(RULE);

describe(`${RULE}: the graph`, () => {
  it('reports every head of a fork at its down_revision line', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(A)), ...rev(C, q(A)) } })).toEqual([
      pos(file(B), 6, 1, 6, 31, 'heads', { revision: B, count: 2, heads: `${B}, ${C}` }),
      pos(file(C), 6, 1, 6, 31, 'heads', { revision: C, count: 2, heads: `${B}, ${C}` }),
    ]);
  });

  it('reports two bases that are both heads', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, 'None') } })).toEqual([
      pos(file(A), 6, 1, 6, 21, 'heads', { revision: A, count: 2, heads: `${A}, ${B}` }),
      pos(file(B), 6, 1, 6, 21, 'heads', { revision: B, count: 2, heads: `${A}, ${B}` }),
    ]);
  });

  it('accepts a fork joined by a merge revision, tuple or list', () => {
    const fork = { ...rev(A, 'None'), ...rev(B, q(A)), ...rev(C, q(A)) };
    expect(lintRuleIds(RULE, { versions: { ...fork, ...rev(D, `(${q(B)}, ${q(C)})`) } })).toEqual([]);
    expect(lintRuleIds(RULE, { versions: { ...fork, ...rev(D, `[${q(C)}, ${q(B)}]`) } })).toEqual([]);
  });

  it('accepts heads split by branch_labels (expand/contract)', () => {
    const versions = { ...rev(A, 'None'), ...rev(B, q(A), "branch_labels = ('expand',)"), ...rev(C, q(A), "branch_labels = ('contract',)") };
    expect(lintRuleIds(RULE, { versions })).toEqual([]);
  });

  it('reads annotated variables and revision ids held in module constants', () => {
    const annotated = [
      '"""add team table"""',
      'from typing import Union',
      `PARENT = '${A}'`,
      `REV: str = '${C}'`,
      'revision: str = REV',
      'down_revision: Union[str, None] = PARENT',
      '',
      'def upgrade():',
      '    pass',
      '',
    ].join('\n');
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(A)), [`${C}_step.py`]: annotated } })).toEqual([
      pos(file(B), 6, 1, 6, 31, 'heads', { revision: B, count: 2, heads: `${B}, ${C}` }),
      pos(file(C), 6, 1, 6, 41, 'heads', { revision: C, count: 2, heads: `${B}, ${C}` }),
    ]);
  });

  it('does not guess when a file is left out because its down_revision cannot be read', () => {
    // Before the fix, B's parent A looked like a second head beside C.
    const versions = { ...rev(A, 'None'), ...rev(B, 'resolve_parent()'), ...rev(C, q(B)) };
    expect(lintRuleIds(RULE, { versions })).toEqual([]);
  });

  it('still reports a fork when a dangling down_revision elsewhere cuts another line', () => {
    // D names a revision no file defines (unknown-down-revision's finding); the fork B/C is certain all the same.
    const versions = { ...rev(A, 'None'), ...rev(B, q(A)), ...rev(C, q(A)), ...rev(D, q('eeeeeeeeeee5')) };
    expect(lintRuleIds(RULE, { versions })).toEqual([
      pos(file(B), 6, 1, 6, 31, 'heads', { revision: B, count: 3, heads: `${B}, ${C}, ${D}` }),
      pos(file(C), 6, 1, 6, 31, 'heads', { revision: C, count: 3, heads: `${B}, ${C}, ${D}` }),
    ]);
    expect(lintRule('unknown-down-revision', { versions })).toHaveLength(1);
  });

  it('does not count heads across a missing revision (that is unknown-down-revision)', () => {
    // The fixture's middle file was deleted: its parent and its child both looked like heads.
    expect(lintFixture(RULE, '../unknown-down-revision/bad')).toEqual([]);
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(C, q(B)) } })).toEqual([]);
  });
});

describe(`${RULE}: positions and approval`, () => {
  const crlf = (v: Record<string, string>) => Object.fromEntries(Object.entries(v).map(([k, t]) => [k, t.replace(/\n/g, '\r\n')]));
  const bom = (v: Record<string, string>) => Object.fromEntries(Object.entries(v).map(([k, t]) => [k, `\uFEFF${t}`]));

  it('gives the same position in CRLF and BOM files', () => {
    const versions = { ...rev(A, 'None'), ...rev(B, q(A)), ...rev(C, q(A)) };
    const expected = [pos(file(B), 6, 1, 6, 31, 'heads'), pos(file(C), 6, 1, 6, 31, 'heads')];
    expect(lintRuleIds(RULE, { versions: crlf(versions) })).toEqual(expected);
    expect(lintRuleIds(RULE, { versions: bom(versions) })).toEqual(expected);
  });

  it('is approved per file by a trailing comment with a reason on the down_revision line', () => {
    const approved = mini({ rev: C, down: `${q(A)}  # migration-lint: ignore multiple-heads -- hotfix branch, merged by the release job`, message: 'hotfix', upgrade: ['    pass'] });
    const result = lintProject({ versions: { ...rev(A, 'None'), ...rev(B, q(A)), [`${C}_step.py`]: approved } });
    expect(result.diagnostics.filter((d) => d.rule === RULE).map((d) => [d.file, d.line])).toEqual([[file(B), 6]]);
    expect(result.suppressed.filter((d) => d.rule === RULE).map((d) => [d.file, d.line])).toEqual([[file(C), 6]]);
  });
});
