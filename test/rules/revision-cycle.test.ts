import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintRule, mini } from './helpers.js';

const RULE = 'revision-cycle';
const [A, B, C, D] = ['aaaaaaaaaaa1', 'bbbbbbbbbbb2', 'ccccccccccc3', 'ddddddddddd4'];
const file = (rev: string) => `alembic/versions/${rev}_step.py`;
/** A revision in the `mini` layout: line 4 free (depends_on, branch_labels), revision on line 5, down_revision on line 6. */
const rev = (id: string, down: string, line4 = '') => ({ [`${id}_step.py`]: mini({ rev: id, down, line4, message: `step ${id}`, upgrade: ['    pass'] }) });
const q = (id: string) => `'${id}'`;
const pos = (f: string, line: number, column: number, endLine: number, endColumn: number, message: string) => ({
  rule: RULE,
  file: f,
  line,
  column,
  endLine,
  endColumn,
  message: expect.stringContaining(message),
});
const ALEMBIC = 'Every `alembic` command fails with "Cycle is detected in revisions"';

fixtureSuite(RULE);

describe(`${RULE}: the graph`, () => {
  it('reports every revision of a cycle at its down_revision line, naming the whole cycle; revisions hanging off it are not in it', () => {
    const versions = { ...rev(A, q(C)), ...rev(B, q(A)), ...rev(C, q(B)), ...rev(D, q(C)) };
    expect(lintRule(RULE, { versions })).toEqual([
      pos(file(A), 6, 1, 6, 31, `Revision '${A}' is in a cycle: its down_revision leads ${A} → ${C} → ${B} → ${A}. ${ALEMBIC}`),
      pos(file(B), 6, 1, 6, 31, `Revision '${B}' is in a cycle: its down_revision leads ${B} → ${A} → ${C} → ${B}.`),
      pos(file(C), 6, 1, 6, 31, `Revision '${C}' is in a cycle: its down_revision leads ${C} → ${B} → ${A} → ${C}.`),
    ]);
  });

  it('reports a revision that names itself', () => {
    expect(lintRule(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(B)) } })).toEqual([
      pos(file(B), 6, 1, 6, 31, `Revision '${B}' is in a cycle: its down_revision leads ${B} → ${B}.`),
    ]);
  });

  it('follows depends_on too (by id or branch label), reporting the depends_on line where that link closes the loop', () => {
    const versions = { ...rev(A, 'None', `depends_on = '${C}'`), ...rev(B, q(A), "branch_labels = ('audit',)"), ...rev(C, q(B)) };
    expect(lintRule(RULE, { versions })).toEqual([
      pos(file(A), 4, 1, 4, 28, `Revision '${A}' is in a cycle: its depends_on/down_revision leads ${A} → ${C} → ${B} → ${A}. Every \`alembic\` command fails with "Dependency cycle is detected in revisions"`),
      pos(file(B), 6, 1, 6, 31, `Revision '${B}' is in a cycle: its down_revision/depends_on leads ${B} → ${A} → ${C} → ${B}.`),
      pos(file(C), 6, 1, 6, 31, `Revision '${C}' is in a cycle: its down_revision/depends_on leads ${C} → ${B} → ${A} → ${C}.`),
    ]);
    const byLabel = { ...rev(A, 'None', "depends_on = 'audit'"), ...rev(B, q(A), "branch_labels = ('audit',)") };
    expect(lintRule(RULE, { versions: byLabel }).map((d) => d.message.split('.')[0])).toEqual([
      `Revision '${A}' is in a cycle: its depends_on/down_revision leads ${A} → ${B} → ${A}`,
      `Revision '${B}' is in a cycle: its down_revision/depends_on leads ${B} → ${A} → ${B}`,
    ]);
  });

  it('names every revision caught when the loop is more than one cycle', () => {
    // A merge revision whose two parents both descend from it: two cycles through A.
    const versions = { ...rev(A, `(${q(B)}, ${q(C)})`), ...rev(B, q(A)), ...rev(C, q(A)) };
    expect(lintRule(RULE, { versions }).map((d) => [d.file, d.message.split('.')[0]])).toEqual([
      [file(A), `Revision '${A}' is in a cycle: its down_revision leads ${A} → ${B} → ${A}; 3 revisions are caught in it: ${A}, ${B}, ${C}`],
      [file(B), `Revision '${B}' is in a cycle: its down_revision leads ${B} → ${A} → ${B}; 3 revisions are caught in it: ${A}, ${B}, ${C}`],
      [file(C), `Revision '${C}' is in a cycle: its down_revision leads ${C} → ${A} → ${C}; 3 revisions are caught in it: ${A}, ${B}, ${C}`],
    ]);
  });

  it('reports nothing for a linear history, a fork or a merge', () => {
    expect(lintRule(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(A)), ...rev(C, q(A)), ...rev(D, `(${q(B)}, ${q(C)})`) } })).toEqual([]);
  });

  it('still reports a cycle among the readable files when another file cannot be read statically', () => {
    const versions = { ...rev(A, q(B)), ...rev(B, q(A)), ...rev(C, 'compute_parent()') };
    expect(lintRule(RULE, { versions }).map((d) => d.file)).toEqual([file(A), file(B)]);
  });
});
