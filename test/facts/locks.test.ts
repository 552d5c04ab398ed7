// The lock knowledge without a server (the oracle suite measures the same modes on PostgreSQL):
// what lockOf() answers, what the SQL reader makes of statements, and which statements share a transaction.
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';
import { blocksReads, blocksWrites, fromPgLocksMode, lockBlocks, lockOf, sqlLock, strongest } from '../../src/facts/locks.js';
import { checkConstraint } from '../../src/facts/changes/column.js';
import { readSql } from '../../src/facts/changes/from-sql.js';
import { exprFromText } from '../../src/facts/changes/sql-expr.js';
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
  const bodies = (sql: string) => readSql(sql)?.flatMap((s) => s.events.map((e) => ({ table: e.table, ...e.body })));

  it('reads the statements of the safe recipes', () => {
    expect(bodies("ALTER TABLE public.hero ADD CONSTRAINT fk FOREIGN KEY (team_id) REFERENCES team (id) NOT VALID; SET LOCAL lock_timeout TO '5s'")).toEqual([
      {
        table: 'hero',
        kind: 'add_constraint',
        inline: null,
        constraint: { kind: 'foreign', name: 'fk', columns: ['team_id'], notValid: true, usingIndex: null, notNullColumn: null, references: { table: 'team', columns: ['id'], ondelete: null, onupdate: null, deferrable: null } },
      },
      { table: null, kind: 'set', name: 'lock_timeout', value: '5s', local: true },
    ]);
    expect(bodies('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Ix" ON hero (lower(name))')).toEqual([
      { table: 'hero', kind: 'create_index', inline: null, ifNotExists: true, index: { name: 'Ix', auto: false, columns: [], expressions: true, unique: true, concurrently: true, partial: false } },
    ]);
    expect(bodies('ALTER TABLE hero ALTER COLUMN name TYPE varchar(200), ADD CONSTRAINT uq UNIQUE USING INDEX ix')).toMatchObject([
      { kind: 'alter_type', column: 'name', using: false, to: { name: 'varchar', mods: [200] } },
      { kind: 'add_constraint', constraint: { kind: 'unique', usingIndex: 'ix' } },
    ]);
    expect(readSql('CREATE TABLE (')).toBeNull();
  });

  it('finds volatile calls and NOT NULL checks in expressions', () => {
    expect(exprFromText('gen_random_uuid()')).toEqual({ text: 'gen_random_uuid()', calls: ['gen_random_uuid'], volatility: 'volatile' });
    expect(exprFromText("coalesce(NULL, nextval('s'))").volatility).toBe('volatile');
    expect(exprFromText('now()').volatility).toBe('stable');
    expect(exprFromText("'random()'").volatility).toBe('immutable');
    expect(checkConstraint('ck', '"age" IS NOT NULL', false).notNullColumn).toBe('age');
    expect(checkConstraint('ck', 'age > 0', false).notNullColumn).toBeNull();
  });

  it('takes DELETE only as a statement: not an ON DELETE action, a trigger event or a grant', () => {
    for (const sql of [
      'ALTER TABLE hero ADD CONSTRAINT fk_team FOREIGN KEY (team_id) REFERENCES team (id) ON DELETE CASCADE',
      'CREATE TRIGGER audit AFTER DELETE ON hero FOR EACH ROW EXECUTE FUNCTION audit()',
      'GRANT SELECT, INSERT, DELETE ON hero TO app',
      'CREATE POLICY p ON hero FOR DELETE USING (true)',
      "UPDATE hero SET note = 'DROP TABLE x'",
      'SELECT 1 -- DROP TABLE x',
      'CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM hero $$ LANGUAGE sql',
    ]) {
      expect(bodies(sql)!.filter((b) => b.kind === 'data' && b.verb === 'delete'), sql).toEqual([]);
      expect(bodies(sql)!.filter((b) => b.kind === 'drop_table'), sql).toEqual([]);
    }
    expect(bodies('WITH gone AS (DELETE FROM hero RETURNING id) SELECT count(*) FROM gone')).toEqual([{ table: 'hero', kind: 'data', verb: 'delete' }]);
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
