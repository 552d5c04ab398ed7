import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintProject, mini } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'unknown-down-revision';
const [A, B, C, F] = ['aaaaaaaaaaa1', 'bbbbbbbbbbb2', 'ccccccccccc3', 'ffffffffffff'];
const file = (rev: string) => `alembic/versions/${rev}_step.py`;
/** A revision in the `mini` layout: line 4 free, revision on line 5, down_revision on line 6. */
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

describe(`${RULE}: down_revision`, () => {
  it('reports a parent no file defines, at the down_revision line', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(F)) } })).toEqual([pos(file(B), 6, 1, 6, 31, 'downRevision', { missing: F, revision: B })]);
  });

  it('reports the missing parent of a merge, once', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, `(${q(A)}, ${q(F)})`) } })).toEqual([pos(file(B), 6, 1, 6, 49, 'downRevision', { missing: F, revision: B })]);
  });

  it('reads a parent held in a module constant, and annotated variables', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, 'PARENT', `PARENT = ${q(F)}`) } })).toEqual([pos(file(B), 6, 1, 6, 23, 'downRevision', { missing: F, revision: B })]);
    const annotated = ['from typing import Union', `revision: str = ${q(B)}`, `down_revision: Union[str, None] = ${q(F)}`, ''].join('\n');
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), [`${B}_step.py`]: annotated } })).toEqual([pos(file(B), 3, 1, 3, 49, 'downRevision', { missing: F, revision: B })]);
  });

  it('accepts a chain whose parents all exist', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(A)), ...rev(C, `(${q(A)}, ${q(B)})`) } })).toEqual([]);
  });

  it('does not call a left-out file missing', () => {
    // Before the fix, C's parent B counted as missing because B's own down_revision cannot be read statically.
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, 'resolve_parent()'), ...rev(C, q(B)) } })).toEqual([]);
    // A file whose revision cannot be read may be the parent: no guessing.
    const opaque = { [`${B}_step.py`]: "from ids import make_id\nrevision = make_id()\ndown_revision = None\n" };
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...opaque, ...rev(C, q(F)) } })).toEqual([]);
  });
});

describe(`${RULE}: depends_on`, () => {
  it('reports a dependency no file defines, at the depends_on line', () => {
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), ...rev(B, q(A), `depends_on = ${q(F)}`) } })).toEqual([
      pos(file(B), 4, 1, 4, 28, 'dependsOn', { missing: F }),
    ]);
  });

  it('accepts a revision or a branch label', () => {
    const versions = { ...rev(A, 'None', "branch_labels = ('audit',)"), ...rev(B, 'None', `depends_on = ${q(A)}`), ...rev(C, q(B), "depends_on = ('audit',)") };
    expect(lintRuleIds(RULE, { versions })).toEqual([]);
  });
});

describe(`${RULE}: positions and approval`, () => {
  it('gives the same position in CRLF and BOM files', () => {
    const broken = rev(B, q(F))[`${B}_step.py`]!;
    const expected = [pos(file(B), 6, 1, 6, 31, 'downRevision', { missing: F, revision: B })];
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), [`${B}_step.py`]: broken.replace(/\n/g, '\r\n') } })).toEqual(expected);
    expect(lintRuleIds(RULE, { versions: { ...rev(A, 'None'), [`${B}_step.py`]: `\uFEFF${broken}` } })).toEqual(expected);
  });

  it('is approved by a comment with a reason on the line above', () => {
    const approved = [
      "revision = 'bbbbbbbbbbb2'",
      '# migration-lint: ignore unknown-down-revision -- parent lives in the plugin package',
      "down_revision = 'ffffffffffff'",
      '',
      'def upgrade():',
      '    pass',
      '',
    ].join('\n');
    const result = lintProject({ versions: { ...rev(A, 'None'), [`${B}_step.py`]: approved } });
    expect(result.diagnostics.filter((d) => d.rule === RULE || d.rule === 'invalid-suppression')).toEqual([]);
    expect(result.suppressed.filter((d) => d.rule === RULE).map((d) => [d.file, d.line])).toEqual([[file(B), 3]]);
  });
});
