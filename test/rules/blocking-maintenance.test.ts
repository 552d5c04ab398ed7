import { describe, expect, it } from 'vitest';
import { lockBlocks } from '../../src/facts/locks.js';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'blocking-maintenance';

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports REINDEX without CONCURRENTLY, VACUUM FULL and CLUSTER, at the call', () => {
    const reindex = "    op.execute('REINDEX TABLE hero')";
    expect(lintLockIds(RULE, [reindex])).toEqual([
      onId(RULE, 10, 5, reindex.length + 1, 'reindex', { command: 'REINDEX TABLE', target: "existing table 'hero'", mode: 'SHARE', blocks: lockBlocks('SHARE') }),
    ]);
    const found = lintLockIds(RULE, ["    op.execute('VACUUM FULL hero')", "    op.execute('CLUSTER hero USING hero_pkey')", "    op.execute('REINDEX INDEX ix_hero_name')"]);
    const rewrite = (command: string) => byId(RULE, 'rewrite', { command, target: "existing table 'hero'", mode: 'ACCESS EXCLUSIVE', blocks: lockBlocks('ACCESS EXCLUSIVE') });
    expect(found.map((f) => ({ line: f.line, ...said(f) }))).toEqual([
      { line: 10, ...rewrite('VACUUM FULL') },
      { line: 11, ...rewrite('CLUSTER') },
      { line: 12, ...byId(RULE, 'reindex', { command: 'REINDEX INDEX', target: "'ix_hero_name'", mode: 'SHARE', blocks: lockBlocks('SHARE') }) },
    ]);
  });

  it('leaves REINDEX CONCURRENTLY, plain VACUUM and ANALYZE alone, and new tables', () => {
    expect(lintLock(RULE, ["    op.execute('REINDEX TABLE CONCURRENTLY hero')", "    op.execute('VACUUM ANALYZE hero')", "    op.execute('ANALYZE hero')"])).toEqual([]);
    expect(lintLock(RULE, ["    op.execute('REINDEX TABLE hero')"], [])).toEqual([]);
  });
});
