import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'transaction-control';

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports COMMIT, ROLLBACK, BEGIN and SAVEPOINT in SQL, at the call', () => {
    const commit = "    op.execute('COMMIT')";
    expect(lintLockIds(RULE, [commit])).toEqual([onId(RULE, 10, 5, commit.length + 1, 'commit', { statement: 'COMMIT' })]);
    const found = lintLockIds(RULE, ["    op.execute('BEGIN; UPDATE hero SET age = 1; ROLLBACK')", "    op.execute(sa.text('SAVEPOINT s1'))", '    op.get_bind().exec_driver_sql("START TRANSACTION")']);
    expect(found.map((f) => ({ line: f.line, ...said(f) }))).toEqual([
      { line: 10, ...byId(RULE, 'begin', { statement: 'BEGIN' }) },
      { line: 10, ...byId(RULE, 'rollback', { statement: 'ROLLBACK' }) },
      { line: 11, ...byId(RULE, 'savepoint', { statement: 'SAVEPOINT' }) },
      { line: 12, ...byId(RULE, 'begin', { statement: 'BEGIN' }) },
    ]);
  });

  it('does not read the words in strings, comments or function bodies', () => {
    expect(
      lintLock(RULE, [
        "    op.execute(\"UPDATE hero SET name = 'COMMIT' -- ROLLBACK\")",
        "    op.execute('CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ SELECT 1 $$')",
      ]),
    ).toEqual([]);
  });
});
