import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'concurrent-index-in-transaction';

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports concurrent create_index/drop_index outside an autocommit block, whatever the table', () => {
    const line = "    op.create_index('ix', 'hero', ['name'], postgresql_concurrently=True)";
    expect(lintLockIds(RULE, [line], [])).toEqual([
      onId(RULE, 10, 5, line.length + 1, 'inTransaction', { what: '`create_index(postgresql_concurrently=True)`' }),
    ]);
    expect(lintLock(RULE, ["    op.drop_index('ix', table_name='hero', postgresql_concurrently=True)"]).map((f) => f.line)).toEqual([10]);
  });

  it('accepts the call inside `with op.get_context().autocommit_block():` (also through a variable)', () => {
    expect(lintLock(RULE, ['    with op.get_context().autocommit_block():', "        op.create_index('ix', 'hero', ['name'], postgresql_concurrently=True)"])).toEqual([]);
    expect(lintLock(RULE, ['    ctx = op.get_context()', '    with ctx.autocommit_block():', "        op.drop_index('ix', postgresql_concurrently=True)"])).toEqual([]);
  });

  it('reports the call after the block ends', () => {
    const found = lintLock(RULE, ['    with op.get_context().autocommit_block():', '        pass', "    op.create_index('ix', 'hero', ['name'], postgresql_concurrently=True)"]);
    expect(found.map((f) => [f.line, f.column])).toEqual([[12, 5]]);
  });

  it('reads CONCURRENTLY in SQL: CREATE INDEX, DROP INDEX (REINDEX is not-in-transaction\'s)', () => {
    const found = lintLockIds(RULE, [
      "    op.execute('CREATE INDEX CONCURRENTLY ix ON hero (name)')",
      "    op.execute('DROP INDEX CONCURRENTLY ix')",
      "    op.execute('REINDEX INDEX CONCURRENTLY ix')",
      "    op.execute('CREATE INDEX ix2 ON hero (name)')",
    ]);
    expect(found.map((f) => ({ line: f.line, ...said(f) }))).toEqual([
      { line: 10, ...byId(RULE, 'inTransaction', { what: 'SQL CREATE INDEX CONCURRENTLY' }) },
      { line: 11, ...byId(RULE, 'inTransaction', { what: 'SQL DROP INDEX CONCURRENTLY' }) },
    ]);
  });

  it('reports several statements in one SQL string even inside the block (one implicit transaction)', () => {
    const line = "        op.execute('SET lock_timeout = 0; CREATE INDEX CONCURRENTLY ix ON hero (name)')";
    const found = lintLockIds(RULE, ['    with op.get_context().autocommit_block():', line]);
    expect(found).toEqual([onId(RULE, 11, 9, line.length + 1, 'inString', { what: 'SQL CREATE INDEX CONCURRENTLY' })]);
  });

  it('applies to PostgreSQL only', () => {
    expect(lintLock(RULE, ["    op.create_index('ix', 'hero', ['name'], postgresql_concurrently=True)"], null, { dialect: 'mysql' })).toEqual([]);
  });
});
