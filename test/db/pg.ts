/**
 * Real PostgreSQL for the --database-url tests: the server CI starts (scripts/oracle-db.sh), reached with the
 * PG* settings .ci/run exports. Each test file makes its own databases and drops them when done.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'migration_lint',
  password: process.env.PGPASSWORD || 'migration_lint',
};

export function urlFor(database: string, password = PG.password): string {
  return `postgresql://${encodeURIComponent(PG.user)}:${encodeURIComponent(password)}@${PG.host}:${PG.port}/${database}`;
}

async function withClient<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ ...PG, database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const made: string[] = [];

/**
 * A new database; `versions` given: an `alembic_version` table as Alembic creates it (`alembic stamp`), with
 * those rows; null: no such table (a database Alembic never touched).
 */
export async function createDatabase(label: string, versions: string[] | null): Promise<string> {
  const name = `ml_${label}_${randomBytes(4).toString('hex')}`;
  await withClient('postgres', (c) => c.query(`CREATE DATABASE ${name}`));
  made.push(name);
  if (versions) {
    await withClient(name, async (c) => {
      await c.query('CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))');
      for (const v of versions) await c.query('INSERT INTO alembic_version (version_num) VALUES ($1)', [v]);
    });
  }
  return name;
}

export async function dropDatabases(): Promise<void> {
  const names = made.splice(0);
  await withClient('postgres', async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** For afterAll: dropping a database takes a second or more on a busy machine. */
export const DROP_TIMEOUT = 120_000;
