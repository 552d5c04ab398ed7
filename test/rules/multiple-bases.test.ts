import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { mini } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'multiple-bases';
const [A, B, C, D] = ['aaaaaaaaaaa1', 'bbbbbbbbbbb2', 'ccccccccccc3', 'ddddddddddd4'];
const file = (rev: string) => `alembic/versions/${rev}_step.py`;
/** A revision in the `mini` layout: line 4 free (branch_labels), revision on line 5, down_revision on line 6. */
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
  it('reports every base at its down_revision line, naming the others, also once the lines are merged', () => {
    const versions = { ...rev(A, 'None'), ...rev(B, '()'), ...rev(C, '[]'), ...rev(D, `(${q(A)}, ${q(B)}, ${q(C)})`) };
    expect(lintRuleIds(RULE, { versions })).toEqual([
      pos(file(A), 6, 1, 6, 21, 'bases', { revision: A, others: `'${B}' and '${C}'`, count: 3, bases: `${A}, ${B}, ${C}` }),
      pos(file(B), 6, 1, 6, 19, 'bases', { revision: B, others: `'${A}' and '${C}'`, count: 3, bases: `${A}, ${B}, ${C}` }),
      pos(file(C), 6, 1, 6, 19, 'bases', { revision: C, others: `'${A}' and '${B}'`, count: 3, bases: `${A}, ${B}, ${C}` }),
    ]);
  });

  it('accepts bases separated by branch labels, on the base or on a revision built on it', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, 'None', "branch_labels = ('audit',)") } })).toEqual([]);
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, 'None'), ...rev(C, q(B), "branch_labels = 'audit'") } })).toEqual([]);
  });

  it('still reports bases whose lines share the only label (a label on the merge of the two)', () => {
    const versions = { ...rev(A, 'None'), ...rev(B, 'None'), ...rev(C, `(${q(A)}, ${q(B)})`, "branch_labels = ('main',)") };
    expect(lintRuleIds(RULE, { versions }).map((d) => d.file)).toEqual([file(A), file(B)]);
  });

  it('reports nothing for one base, or when a file cannot be read statically (it may hold the label)', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(A)), ...rev(C, q(A)) } })).toEqual([]);
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, 'None'), ...rev(C, q(B), 'branch_labels = (LABEL,)') } })).toEqual([]);
  });
});
