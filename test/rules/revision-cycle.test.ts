import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { mini } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'revision-cycle';
const [A, B, C, D] = ['aaaaaaaaaaa1', 'bbbbbbbbbbb2', 'ccccccccccc3', 'ddddddddddd4'];
const file = (rev: string) => `alembic/versions/${rev}_step.py`;
/** A revision in the `mini` layout: line 4 free (depends_on, branch_labels), revision on line 5, down_revision on line 6. */
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
  it('reports every revision of a cycle at its down_revision line, naming the whole cycle; revisions hanging off it are not in it', () => {
    const versions = { ...rev(A, q(C)), ...rev(B, q(A)), ...rev(C, q(B)), ...rev(D, q(C)) };
    expect(lintRuleIds(RULE, { versions })).toEqual([
      pos(file(A), 6, 1, 6, 31, 'cycle', { revision: A, links: 'down_revision', path: `${A} → ${C} → ${B} → ${A}`, error: 'Cycle' }),
      pos(file(B), 6, 1, 6, 31, 'cycle', { revision: B, links: 'down_revision', path: `${B} → ${A} → ${C} → ${B}`, error: 'Cycle' }),
      pos(file(C), 6, 1, 6, 31, 'cycle', { revision: C, links: 'down_revision', path: `${C} → ${B} → ${A} → ${C}`, error: 'Cycle' }),
    ]);
  });

  it('reports a revision that names itself', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(B)) } })).toEqual([
      pos(file(B), 6, 1, 6, 31, 'cycle', { revision: B, links: 'down_revision', path: `${B} → ${B}`, error: 'Cycle' }),
    ]);
  });

  it('follows depends_on too (by id or branch label), reporting the depends_on line where that link closes the loop', () => {
    const versions = { ...rev(A, 'None', `depends_on = '${C}'`), ...rev(B, q(A), "branch_labels = ('audit',)"), ...rev(C, q(B)) };
    expect(lintRuleIds(RULE, { versions })).toEqual([
      pos(file(A), 4, 1, 4, 28, 'cycle', { revision: A, links: 'depends_on/down_revision', path: `${A} → ${C} → ${B} → ${A}`, error: 'Dependency cycle' }),
      pos(file(B), 6, 1, 6, 31, 'cycle', { revision: B, links: 'down_revision/depends_on', path: `${B} → ${A} → ${C} → ${B}`, error: 'Dependency cycle' }),
      pos(file(C), 6, 1, 6, 31, 'cycle', { revision: C, links: 'down_revision/depends_on', path: `${C} → ${B} → ${A} → ${C}`, error: 'Dependency cycle' }),
    ]);
    const byLabel = { ...rev(A, 'None', "depends_on = 'audit'"), ...rev(B, q(A), "branch_labels = ('audit',)") };
    expect(lintRuleIds(RULE, { versions: byLabel }).map(({ messageId, message }) => ({ messageId, message }))).toEqual([
      byId(RULE, 'cycle', { revision: A, links: 'depends_on/down_revision', path: `${A} → ${B} → ${A}`, error: 'Dependency cycle' }),
      byId(RULE, 'cycle', { revision: B, links: 'down_revision/depends_on', path: `${B} → ${A} → ${B}`, error: 'Dependency cycle' }),
    ]);
  });

  it('names every revision caught when the loop is more than one cycle', () => {
    // A merge revision whose two parents both descend from it: two cycles through A.
    const versions = { ...rev(A, `(${q(B)}, ${q(C)})`), ...rev(B, q(A)), ...rev(C, q(A)) };
    const caught = (revision: string, path: string) =>
      byId(RULE, 'largerCycle', { revision, links: 'down_revision', path, count: 3, revisions: `${A}, ${B}, ${C}`, error: 'Cycle' });
    expect(lintRuleIds(RULE, { versions }).map(({ file, messageId, message }) => ({ file, messageId, message }))).toEqual([
      { file: file(A), ...caught(A, `${A} → ${B} → ${A}`) },
      { file: file(B), ...caught(B, `${B} → ${A} → ${B}`) },
      { file: file(C), ...caught(C, `${C} → ${A} → ${C}`) },
    ]);
  });

  it('reports nothing for a linear history, a fork or a merge', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(A)), ...rev(C, q(A)), ...rev(D, `(${q(B)}, ${q(C)})`) } })).toEqual([]);
  });

  it('still reports a cycle among the readable files when another file cannot be read statically', () => {
    const versions = { ...rev(A, q(B)), ...rev(B, q(A)), ...rev(C, 'compute_parent()') };
    expect(lintRuleIds(RULE, { versions }).map((d) => d.file)).toEqual([file(A), file(B)]);
  });
});
