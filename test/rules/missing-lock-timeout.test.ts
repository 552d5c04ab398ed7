import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'missing-lock-timeout';
const ADD = "    op.add_column('hero', sa.Column('power', sa.String(), nullable=True))";
const SET = '    op.execute("SET lock_timeout = \'5s\'")';

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports once per migration, at the first statement that blocks writes on an existing table', () => {
    const found = lintLockIds(RULE, ["    op.create_index('ix', 'hero', ['name'], postgresql_concurrently=True)", ADD, "    op.drop_column('hero', 'age')"]);
    expect(found).toEqual([onId(RULE, 11, 5, ADD.length + 1, 'call', { call: 'add_column', table: "'hero'", mode: 'ACCESS EXCLUSIVE', blocks: 'blocks reads and writes' })]);
  });

  it('ignores locks that let writes through and new tables', () => {
    expect(lintLock(RULE, ["    op.execute('ALTER TABLE hero VALIDATE CONSTRAINT ck')", "    op.execute('UPDATE hero SET age = 1')"])).toEqual([]);
    expect(lintLock(RULE, [ADD], [])).toEqual([]);
  });

  it('is satisfied by SET lock_timeout before the statement, not after it, and not by 0', () => {
    expect(lintLock(RULE, [SET, ADD])).toEqual([]);
    expect(lintLock(RULE, ["    op.get_bind().exec_driver_sql('SET lock_timeout TO 3000')", ADD])).toEqual([]);
    expect(lintLock(RULE, [ADD, SET]).map((f) => f.line)).toEqual([10]);
    expect(lintLock(RULE, ["    op.execute('SET lock_timeout = 0')", ADD]).map((f) => f.line)).toEqual([11]);
  });

  it('is not satisfied by statement_timeout alone, and says why (measured: test/oracle/locks.test.ts)', () => {
    const found = lintLockIds(RULE, ["    op.execute(\"SET statement_timeout = '30s'\")", ADD]);
    expect(found.map((f) => [f.line, f.messageId])).toEqual([[11, 'callStatementTimeout']]);
    expect(lintLock(RULE, ["    op.execute(\"SET statement_timeout = '30s'\")", SET, ADD])).toEqual([]);
  });

  it('SET LOCAL lasts until the autocommit block commits it', () => {
    const local = "    op.execute(\"SET LOCAL lock_timeout = '5s'\")";
    expect(lintLock(RULE, [local, ADD])).toEqual([]);
    expect(lintLock(RULE, [local, '    with op.get_context().autocommit_block():', '        pass', ADD]).map((f) => f.line)).toEqual([13]);
  });

  it('is satisfied by env.py setting it in a string, not in a comment', () => {
    const env = (body: string) => `from alembic import context\n${body}\n`;
    expect(lintLock(RULE, [ADD], null, { envPy: env('connect_args = {"options": "-c lock_timeout=5s"}') })).toEqual([]);
    expect(lintLock(RULE, [ADD], null, { envPy: env("SQL = \"SET lock_timeout = '2s'\"") })).toEqual([]);
    expect(lintLock(RULE, [ADD], null, { envPy: env("# SET lock_timeout = '2s'") })).toHaveLength(1);
    expect(lintLock(RULE, [ADD], null, { envPy: env('connect_args = {"options": "-c lock_timeout=0"}') })).toHaveLength(1);
  });

  it('applies to PostgreSQL only', () => {
    expect(lintLock(RULE, [ADD], null, { dialect: 'sqlite' })).toEqual([]);
  });
});
