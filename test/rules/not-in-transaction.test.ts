import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintLock, on } from './lock-helpers.js';

const RULE = 'not-in-transaction';

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports statements PostgreSQL refuses inside a transaction block, at the call', () => {
    const vacuum = "    op.execute('VACUUM hero')";
    expect(lintLock(RULE, [vacuum])).toEqual([on(RULE, 10, 5, vacuum.length + 1, "SQL VACUUM runs inside the migration's transaction: PostgreSQL refuses it")]);
    const found = lintLock(RULE, [
      "    op.execute('REINDEX TABLE CONCURRENTLY hero')",
      "    op.execute('CREATE DATABASE reports')",
      "    op.execute(\"ALTER SYSTEM SET work_mem = '64MB'\")",
      "    op.execute('CREATE INDEX CONCURRENTLY ix ON hero (name)')",
    ]);
    expect(found.map((f) => [f.line, f.message.slice(0, 28)])).toEqual([
      [10, 'SQL REINDEX CONCURRENTLY run'],
      [11, 'SQL CREATE DATABASE runs ins'],
      [12, 'SQL ALTER SYSTEM runs inside'],
    ]);
  });

  it('is silent inside autocommit_block(), unless the string holds several statements', () => {
    expect(lintLock(RULE, ['    with op.get_context().autocommit_block():', "        op.execute('VACUUM hero')"])).toEqual([]);
    const two = lintLock(RULE, ['    with op.get_context().autocommit_block():', "        op.execute('SET lock_timeout = 0; VACUUM hero')"]);
    expect(two.map((f) => f.message)).toEqual([expect.stringContaining('multi-statement SQL string')]);
  });
});
