import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'column-type-change';
const alter = (from: string, to: string, extra = '') => `    op.alter_column('hero', 'name', existing_type=${from}, type_=${to}${extra})`;

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports a rewriting change at the call', () => {
    const line = alter('sa.INTEGER()', 'sa.BigInteger()');
    expect(lintLockIds(RULE, [line])).toEqual([onId(RULE, 10, 5, line.length + 1, 'rewrite', { column: "'name'", table: "'hero'", change: 'from integer to bigint' })]);
  });

  it.each([
    ['sa.VARCHAR(length=100)', 'sa.String(length=200)'],
    ['sa.VARCHAR(length=100)', 'sa.String()'],
    ['sa.VARCHAR(length=100)', 'sa.Text()'],
    ['sa.TEXT()', 'sa.String()'],
    ['sa.NUMERIC(precision=10, scale=2)', 'sa.Numeric(precision=12, scale=2)'],
    ['sa.NUMERIC(precision=10, scale=2)', 'sa.Numeric()'],
  ])('keeps quiet for %s → %s (no rewrite)', (from, to) => {
    expect(lintLock(RULE, [alter(from, to)])).toEqual([]);
  });

  it.each([
    ['sa.VARCHAR(length=200)', 'sa.String(length=100)'],
    ['sa.TEXT()', 'sa.String(length=50)'],
    ['sa.INTEGER()', 'sa.Numeric()'],
    ['sa.NUMERIC(precision=10, scale=2)', 'sa.Numeric(precision=12, scale=4)'],
    ['sa.DateTime()', 'sa.DateTime(timezone=True)'],
  ])('reports %s → %s', (from, to) => {
    expect(lintLock(RULE, [alter(from, to)])).toHaveLength(1);
  });

  it('reports postgresql_using= and a change without existing_type', () => {
    expect(lintLock(RULE, [alter('sa.VARCHAR(length=10)', 'sa.String(length=20)', ", postgresql_using='name::varchar(20)'")])).toHaveLength(1);
    expect(lintLockIds(RULE, ["    op.alter_column('hero', 'name', type_=sa.Text())"]).map(said)).toEqual([
      byId(RULE, 'rewrite', { column: "'name'", table: "'hero'", change: 'to text (no `existing_type`, so it may not be a widening)' }),
    ]);
  });

  it('leaves new tables alone', () => {
    expect(lintLock(RULE, [alter('sa.INTEGER()', 'sa.BigInteger()')], [])).toEqual([]);
  });

  it('reads ALTER COLUMN TYPE in SQL: reported unless a plain change to varchar/text', () => {
    const found = lintLock(RULE, [
      "    op.execute('ALTER TABLE hero ALTER COLUMN age TYPE bigint')",
      "    op.execute('ALTER TABLE hero ALTER COLUMN name TYPE text')",
      "    op.execute('ALTER TABLE hero ALTER COLUMN name TYPE varchar(20) USING left(name, 20)')",
    ]);
    expect(found.map((f) => f.line)).toEqual([10, 12]);
  });
});
