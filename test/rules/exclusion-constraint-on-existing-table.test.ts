import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'exclusion-constraint-on-existing-table';
const EX = "    op.create_exclude_constraint('ex_hero_name', 'hero', ('name', '='), using='btree')";

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports create_exclude_constraint and SQL EXCLUDE on an existing table, at the call', () => {
    expect(lintLockIds(RULE, [EX])).toEqual([onId(RULE, 10, 5, EX.length + 1, 'add', { constraint: "'ex_hero_name'", table: "'hero'" })]);
    const sql = "    op.execute('ALTER TABLE hero ADD CONSTRAINT ex_age EXCLUDE USING btree (age WITH =)')";
    expect(lintLockIds(RULE, [sql]).map(said)).toEqual([byId(RULE, 'sqlAdd', { constraint: "'ex_age'", table: "'hero'" })]);
  });

  it('leaves a table created in the same change alone', () => {
    expect(lintLock(RULE, ["    op.create_table('booking', sa.Column('id', sa.Integer()))", "    op.create_exclude_constraint('ex_b', 'booking', ('id', '='))"])).toEqual([]);
    expect(lintLock(RULE, [EX], [])).toEqual([]);
  });
});
