import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'rewriting-column-add';
const add = (col: string) => `    op.add_column('hero', ${col})`;

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports a stored generated, an identity and a SERIAL column added to an existing table, at the call', () => {
    const computed = add("sa.Column('double_age', sa.Integer(), sa.Computed('age * 2', persisted=True))");
    expect(lintLockIds(RULE, [computed])).toEqual([onId(RULE, 10, 5, computed.length + 1, 'generated', { column: "'double_age'", table: "'hero'" })]);
    expect(lintLockIds(RULE, [add("sa.Column('n', sa.BigInteger(), sa.Identity(always=True))")]).map(said)).toEqual([byId(RULE, 'identity', { column: "'n'", table: "'hero'" })]);
    expect(lintLockIds(RULE, [add("sa.Column('code', sa.Integer(), primary_key=True)")]).map(said)).toEqual([byId(RULE, 'serial', { column: "'code'", table: "'hero'" })]);
  });

  it('reads the same in SQL and in the batch twin', () => {
    const found = lintLock(RULE, [
      "    op.execute('ALTER TABLE hero ADD COLUMN double_age integer GENERATED ALWAYS AS (age * 2) STORED')",
      "    op.execute('ALTER TABLE hero ADD COLUMN n bigserial')",
      "    with op.batch_alter_table('hero') as batch_op:",
      "        batch_op.add_column(sa.Column('m', sa.Integer(), sa.Identity()))",
    ]);
    expect(found.map((f) => [f.line, f.column])).toEqual([
      [10, 5],
      [11, 5],
      [13, 9],
    ]);
  });

  it('leaves plain columns, constant defaults and new tables alone', () => {
    expect(lintLock(RULE, [add("sa.Column('double_age', sa.Integer(), nullable=True)"), add("sa.Column('rank', sa.Integer(), server_default='0')")])).toEqual([]);
    expect(lintLock(RULE, [add("sa.Column('code', sa.Integer(), primary_key=True, autoincrement=False)")])).toEqual([]);
    expect(lintLock(RULE, [add("sa.Column('double_age', sa.Integer(), sa.Computed('age * 2'))")], [])).toEqual([]);
  });
});
