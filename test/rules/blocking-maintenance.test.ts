import { describe, expect, it } from 'vitest';
import { lockBlocks } from '../../src/facts/locks.js';
import { fixtureSuite } from './fixture-suite.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'blocking-maintenance';

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports REINDEX without CONCURRENTLY, VACUUM FULL and CLUSTER, at the call', () => {
    const reindex = "    op.execute('REINDEX TABLE hero')";
    expect(lintLockIds(RULE, [reindex])).toEqual([
      onId(RULE, 10, 5, reindex.length + 1, 'reindex', { command: 'REINDEX TABLE', target: "existing table 'hero'", mode: 'SHARE', blocks: lockBlocks('SHARE') }),
    ]);
    const found = lintLock(RULE, ["    op.execute('VACUUM FULL hero')", "    op.execute('CLUSTER hero USING hero_pkey')", "    op.execute('REINDEX INDEX ix_hero_name')"]);
    expect(found.map((f) => [f.line, f.message.slice(0, 30)])).toEqual([
      [10, 'SQL runs VACUUM FULL on existi'],
      [11, 'SQL runs CLUSTER on existing t'],
      [12, "SQL runs REINDEX INDEX on 'ix_"],
    ]);
  });

  it('leaves REINDEX CONCURRENTLY, plain VACUUM and ANALYZE alone, and new tables', () => {
    expect(lintLock(RULE, ["    op.execute('REINDEX TABLE CONCURRENTLY hero')", "    op.execute('VACUUM ANALYZE hero')", "    op.execute('ANALYZE hero')"])).toEqual([]);
    expect(lintLock(RULE, ["    op.execute('REINDEX TABLE hero')"], [])).toEqual([]);
  });
});
