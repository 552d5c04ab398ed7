import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintIds, lintProject, mini } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'duplicate-revision';
const [A, B] = ['aaaaaaaaaaa1', 'bbbbbbbbbbb2'];
const dir = 'alembic/versions';
/** The `mini` layout: revision on line 5. */
const step = (id: string, down = 'None') => mini({ rev: id, down, message: `step ${id}`, upgrade: ['    pass'] });
const pos = (file: string, line: number, column: number, endLine: number, endColumn: number, messageId: string, data?: Record<string, string | number>) => ({
  rule: RULE,
  file: `${dir}/${file}`,
  line,
  column,
  endLine,
  endColumn,
  ...byId(RULE, messageId, data),
});

fixtureSuite(RULE);

describe(`${RULE}: the graph`, () => {
  it('reports each copy with the message `duplicate`', () => {
    const versions = { [`${A}_one.py`]: step(A), [`${A}_two.py`]: step(A) };
    expect(lintIds(RULE, { versions })).toEqual(['5:1 duplicate', '5:1 duplicate']);
  });

  it('reports every file of a duplicated revision at its revision line, naming the others', () => {
    const versions = { [`${A}_one.py`]: step(A), [`${B}_two.py`]: step(B, `'${A}'`), [`${B}_three.py`]: step(B, `'${A}'`), [`${B}_four.py`]: step(B, `'${A}'`) };
    expect(lintRuleIds(RULE, { versions })).toEqual([
      pos(`${B}_four.py`, 5, 1, 5, 26, 'duplicate', { revision: B, others: `${dir}/${B}_three.py, ${dir}/${B}_two.py` }),
      pos(`${B}_three.py`, 5, 1, 5, 26, 'duplicate', { revision: B, others: `${dir}/${B}_four.py, ${dir}/${B}_two.py` }),
      pos(`${B}_two.py`, 5, 1, 5, 26, 'duplicate', { revision: B, others: `${dir}/${B}_four.py, ${dir}/${B}_three.py` }),
    ]);
  });

  it('reads annotated revisions and ids held in module constants', () => {
    const annotated = ['from typing import Union', `REV = '${A}'`, 'revision: str = REV', 'down_revision: Union[str, None] = None', ''].join('\n');
    expect(lintRuleIds(RULE, { versions: { [`${A}_one.py`]: step(A), [`${A}_two.py`]: annotated } })).toEqual([
      pos(`${A}_one.py`, 5, 1, 5, 26, 'duplicate', { revision: A, others: `${dir}/${A}_two.py` }),
      pos(`${A}_two.py`, 3, 1, 3, 20, 'duplicate', { revision: A, others: `${dir}/${A}_one.py` }),
    ]);
  });

  it('accepts distinct revisions, and leaves out files whose revision cannot be read', () => {
    expect(lintRuleIds(RULE, { versions: { [`${A}_one.py`]: step(A), [`${B}_two.py`]: step(B, `'${A}'`) } })).toEqual([]);
    const opaque = 'from ids import make_id\nrevision = make_id()\ndown_revision = None\n';
    expect(lintRuleIds(RULE, { versions: { [`${A}_one.py`]: step(A), [`${A}_two.py`]: opaque } })).toEqual([]);
  });
});

describe(`${RULE}: positions and approval`, () => {
  it('gives the same position in CRLF and BOM files', () => {
    const versions = { [`${A}_one.py`]: step(A).replace(/\n/g, '\r\n'), [`${A}_two.py`]: `\uFEFF${step(A)}` };
    expect(lintRuleIds(RULE, { versions })).toEqual([pos(`${A}_one.py`, 5, 1, 5, 26, 'duplicate'), pos(`${A}_two.py`, 5, 1, 5, 26, 'duplicate')]);
  });

  it('is approved per file by a trailing comment with a reason', () => {
    const approved = step(A).replace(`revision = '${A}'`, `revision = '${A}'  # migration-lint: ignore duplicate-revision -- vendored copy, never run here`);
    const result = lintProject({ versions: { [`${A}_one.py`]: step(A), [`${A}_two.py`]: approved } });
    expect(result.diagnostics.filter((d) => d.rule === RULE).map((d) => d.file)).toEqual([`${dir}/${A}_one.py`]);
    expect(result.suppressed.filter((d) => d.rule === RULE).map((d) => d.file)).toEqual([`${dir}/${A}_two.py`]);
  });
});
