// What the rules of issue 14 claim about statements, proven with real Alembic on PostgreSQL 15, on the
// committed fixtures (fixtures/rules/<rule>/): the failure each bad case causes, and that the good twin runs.
// The lock and rewrite claims are measured in locks.test.ts (pg_locks), defaults.test.ts and type-matrix.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withCase } from './helpers.js';

/** transaction-control's last statement, as autogenerate writes it. */
const ADD = "op.add_column('hero', sa.Column('sidekick_id', sa.Integer(), nullable=True))";

const head = async (p: { db: { sql(q: string): Promise<string> } }) => p.db.sql('SELECT version_num FROM alembic_version');

describe('not-in-transaction', () => {
  it('bad: VACUUM inside the migration\'s transaction fails the upgrade', async () => {
    await withCase('fixtures/rules/not-in-transaction/bad', async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      const r = await p.alembic('upgrade', 'head');
      expect(r.code).not.toBe(0);
      expect(r.output).toContain('VACUUM cannot run inside a transaction block');
    });
  });

  it('REINDEX CONCURRENTLY, CREATE DATABASE, DROP DATABASE and ALTER SYSTEM are refused in a transaction block too', async () => {
    await withCase('fixtures/rules/not-in-transaction/bad', async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      for (const [sql, what] of [
        ['REINDEX TABLE CONCURRENTLY hero', 'REINDEX CONCURRENTLY cannot run inside a transaction block'],
        ['CREATE DATABASE ml_never', 'CREATE DATABASE cannot run inside a transaction block'],
        // Refused before the name is looked up: no database is needed, and none is dropped.
        ['DROP DATABASE ml_never', 'DROP DATABASE cannot run inside a transaction block'],
        ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM cannot run inside a transaction block'],
      ]) {
        await expect(p.db.sql(`BEGIN; ${sql}; COMMIT`), sql).rejects.toThrow(what);
      }
    });
  });
});

describe('transaction-control', () => {
  // The case's upgrade with its last statement made to fail, as a later one in a real migration might: does
  // the table created before it stay, and where is alembic_version?
  const upgradeFailingLast = async (dir: string) =>
    withCase(dir, async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      const file = p.file('change-hero');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(ADD);
      writeFileSync(file, text.replace(ADD, ADD.replace("'hero'", "'no_such_table'")));
      expect((await p.alembic('upgrade', 'head')).code).not.toBe(0);
      return { sidekick: await p.db.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'sidekick'"), head: await head(p), base: p.rev('add-hero-table') };
    });

  it('bad: after the COMMIT, a failing statement leaves the table created before it and alembic_version behind', async () => {
    const r = await upgradeFailingLast('fixtures/rules/transaction-control/bad');
    expect(r.sidekick).toBe('1');
    expect(r.head).toBe(r.base);
  });

  it('good: the same failure rolls everything back', async () => {
    const r = await upgradeFailingLast('fixtures/rules/transaction-control/good');
    expect(r.sidekick).toBe('0');
    expect(r.head).toBe(r.base);
  });
});

describe('exclusion-constraint-on-existing-table', () => {
  it('an exclusion constraint cannot be added NOT VALID', async () => {
    await withCase('fixtures/rules/exclusion-constraint-on-existing-table/bad', async (p) => {
      await p.alembicOk('upgrade', p.rev('add-hero-table'));
      await expect(p.db.sql('ALTER TABLE hero ADD CONSTRAINT ex_nv EXCLUDE USING btree (name WITH =) NOT VALID')).rejects.toThrow('EXCLUDE constraints cannot be marked NOT VALID');
      await p.alembicOk('upgrade', 'head');
    });
  });
});

describe('identifier-too-long', () => {
  it('bad: SQLAlchemy refuses the 67-byte index name and the upgrade fails', async () => {
    await withCase('fixtures/rules/identifier-too-long/bad', async (p) => {
      const r = await p.alembic('upgrade', 'head');
      expect(r.code).not.toBe(0);
      expect(r.output).toContain('exceeds maximum length of 63 characters');
    });
  });

  it('PostgreSQL cuts a long column name to 63 bytes', async () => {
    await withCase('fixtures/rules/identifier-too-long/good', async (p) => {
      await p.alembicOk('upgrade', 'head');
      await p.db.sql(`ALTER TABLE hero ADD COLUMN ${'c'.repeat(70)} integer`);
      expect(await p.db.sql("SELECT max(length(column_name)) FROM information_schema.columns WHERE table_name = 'hero'")).toBe('63');
      // At a character boundary: 'n_' and 32 two-byte characters (66 bytes) keep 'n_' and 30 of them (62 bytes).
      await p.db.sql(`ALTER TABLE hero ADD COLUMN n_${'é'.repeat(32)} integer`);
      expect(await p.db.sql("SELECT octet_length(column_name) FROM information_schema.columns WHERE table_name = 'hero' AND column_name LIKE 'n\\_%'")).toBe('62');
    });
  });
});
