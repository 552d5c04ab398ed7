import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'not-in-transaction';

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports statements PostgreSQL refuses inside a transaction block, at the call', () => {
    const vacuum = "    op.execute('VACUUM hero')";
    expect(lintLockIds(RULE, [vacuum])).toEqual([onId(RULE, 10, 5, vacuum.length + 1, 'inTransaction', { what: 'SQL VACUUM' })]);
    const found = lintLockIds(RULE, [
      "    op.execute('REINDEX TABLE CONCURRENTLY hero')",
      "    op.execute('CREATE DATABASE reports')",
      "    op.execute(\"ALTER SYSTEM SET work_mem = '64MB'\")",
      "    op.execute('CREATE INDEX CONCURRENTLY ix ON hero (name)')",
      "    op.execute('DROP DATABASE reports')",
      "    op.execute('DROP SCHEMA reports')",
    ]);
    expect(found.map((f) => ({ line: f.line, ...said(f) }))).toEqual([
      { line: 10, ...byId(RULE, 'inTransaction', { what: 'SQL REINDEX CONCURRENTLY' }) },
      { line: 11, ...byId(RULE, 'inTransaction', { what: 'SQL CREATE DATABASE' }) },
      { line: 12, ...byId(RULE, 'inTransaction', { what: 'SQL ALTER SYSTEM' }) },
      { line: 14, ...byId(RULE, 'inTransaction', { what: 'SQL DROP DATABASE' }) },
    ]);
  });

  it('reports DROP DATABASE at the call outside autocommit_block(), and in a multi-statement string inside it', () => {
    // DROP DATABASE is read as a drop (destructive-operation's too), no longer as an unmodelled statement.
    const drop = "    op.execute('DROP DATABASE reports')";
    expect(lintLockIds(RULE, [drop])).toEqual([onId(RULE, 10, 5, drop.length + 1, 'inTransaction', { what: 'SQL DROP DATABASE' })]);
    expect(lintLock(RULE, ['    with op.get_context().autocommit_block():', `    ${drop}`])).toEqual([]);
    const two = "        op.execute('SELECT 1; DROP DATABASE reports')";
    expect(lintLockIds(RULE, ['    with op.get_context().autocommit_block():', two])).toEqual([onId(RULE, 11, 9, two.length + 1, 'inString', { what: 'SQL DROP DATABASE' })]);
  });

  it('is silent inside autocommit_block(), unless the string holds several statements', () => {
    expect(lintLock(RULE, ['    with op.get_context().autocommit_block():', "        op.execute('VACUUM hero')"])).toEqual([]);
    const two = lintLockIds(RULE, ['    with op.get_context().autocommit_block():', "        op.execute('SET lock_timeout = 0; VACUUM hero')"]);
    expect(two.map(said)).toEqual([byId(RULE, 'inString', { what: 'SQL VACUUM' })]);
  });
});
