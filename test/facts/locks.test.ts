// The lock knowledge without a server (the oracle suite measures the same modes on PostgreSQL):
// what lockOf() answers, what the SQL reader makes of statements, and which statements share a transaction.
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';
import { blocksReads, blocksWrites, fromPgLocksMode, lockBlocks, lockOf, sqlLock, strongest } from '../../src/facts/locks.js';
import { notNullCheckColumn, parseSql, volatileCallIn } from '../../src/facts/sql-parse.js';
import { transactionsOf } from '../../src/facts/transactions.js';

const op = (py: string) => extractFacts(`from alembic import op\n\n\ndef upgrade():\n    ${py}\n`).operations[0]!;

describe('lockOf', () => {
  it.each([
    ["op.create_index('ix', 'hero', ['name'])", 'SHARE'],
    ["op.create_index('ix', 'hero', ['name'], postgresql_concurrently=True)", 'SHARE UPDATE EXCLUSIVE'],
    ["op.drop_index('ix', table_name='hero')", 'ACCESS EXCLUSIVE'],
    ["op.create_foreign_key('fk', 'hero', 'team', ['team_id'], ['id'])", 'SHARE ROW EXCLUSIVE'],
    ["op.alter_column('hero', 'name', existing_type=sa.String(), comment='c')", 'SHARE UPDATE EXCLUSIVE'],
    ["op.alter_column('hero', 'name', comment='c', nullable=False)", 'ACCESS EXCLUSIVE'],
    ["op.bulk_insert(t, [])", 'ROW EXCLUSIVE'],
    ["op.execute('ALTER TABLE hero VALIDATE CONSTRAINT ck')", 'SHARE UPDATE EXCLUSIVE'],
    ["op.execute('UPDATE hero SET a = 1; CREATE INDEX ix ON hero (a)')", 'SHARE'],
    ["op.execute(sa.text('LOCK TABLE hero IN ROW EXCLUSIVE MODE'))", 'ROW EXCLUSIVE'],
  ])('%s → %s', (py, mode) => {
    expect(lockOf(op(py))).toBe(mode);
  });

  it('is null for SQL it cannot read or that locks no table', () => {
    expect(lockOf(op('op.execute(query)'))).toBeNull();
    expect(lockOf(op("op.execute('SET lock_timeout = 1000')"))).toBeNull();
    expect(lockOf(op("op.execute('this is not SQL')"))).toBeNull();
  });

  it('says what a mode blocks', () => {
    expect(lockBlocks('ACCESS EXCLUSIVE')).toBe('blocks reads and writes');
    expect(lockBlocks('SHARE')).toBe('blocks writes; reads go on');
    expect([blocksReads('SHARE ROW EXCLUSIVE'), blocksWrites('SHARE ROW EXCLUSIVE'), blocksWrites('SHARE UPDATE EXCLUSIVE')]).toEqual([false, true, false]);
    expect(strongest(['SHARE', null, 'ROW EXCLUSIVE'])).toBe('SHARE');
    expect(fromPgLocksMode('ShareUpdateExclusiveLock')).toBe('SHARE UPDATE EXCLUSIVE');
    expect(fromPgLocksMode('AccessExclusiveLock')).toBe('ACCESS EXCLUSIVE');
    expect(sqlLock('SELECT 1')).toBeNull();
  });
});

describe('the SQL reader', () => {
  it('reads the statements of the safe recipes', () => {
    expect(parseSql("ALTER TABLE public.hero ADD CONSTRAINT fk FOREIGN KEY (team_id) REFERENCES team (id) NOT VALID; SET LOCAL lock_timeout TO '5s'")).toEqual([
      {
        kind: 'alter_table',
        table: 'public.hero',
        actions: [{ type: 'add_constraint', constraint: 'foreign', name: 'fk', notValid: true, usingIndex: null, notNullColumn: null, references: 'team' }],
      },
      { kind: 'set', name: 'lock_timeout', value: '5s', local: true },
    ]);
    expect(parseSql('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Ix" ON hero (lower(name))')).toEqual([
      { kind: 'create_index', table: 'hero', name: 'Ix', concurrently: true, unique: true },
    ]);
    expect(parseSql('ALTER TABLE hero ALTER COLUMN name TYPE varchar(200), ADD CONSTRAINT uq UNIQUE USING INDEX ix')![0]).toMatchObject({
      actions: [
        { type: 'alter_type', column: 'name', using: false, to: { name: 'varchar', mods: [200] } },
        { type: 'add_constraint', constraint: 'unique', usingIndex: 'ix' },
      ],
    });
    expect(parseSql('CREATE TABLE (')).toBeNull();
  });

  it('finds volatile calls and NOT NULL checks in expressions', () => {
    expect(volatileCallIn('gen_random_uuid()')).toBe('gen_random_uuid');
    expect(volatileCallIn("coalesce(NULL, nextval('s'))")).toBe('nextval');
    expect(volatileCallIn('now()')).toBeNull();
    expect(volatileCallIn("'random()'")).toBeNull();
    expect(notNullCheckColumn('"age" IS NOT NULL')).toBe('age');
    expect(notNullCheckColumn('age > 0')).toBeNull();
  });
});

describe('transactions', () => {
  it('gives each autocommit statement its own transaction and splits the rest at each block', () => {
    const text = [
      'def upgrade():',
      "    op.execute('a')",
      '    with op.get_context().autocommit_block():',
      "        op.execute('b')",
      "        op.execute('c')",
      "    op.execute('d')",
      '',
    ].join('\n');
    const tx = transactionsOf({}, text);
    const at = (s: string) => text.indexOf(`op.execute('${s}')`);
    expect(['a', 'b', 'c', 'd'].map((s) => tx.inAutocommit(at(s)))).toEqual([false, true, true, false]);
    const keys = ['a', 'b', 'c', 'd'].map((s) => tx.transactionKey(at(s)));
    expect(new Set(keys).size).toBe(4);
  });
});
