/** Reading alembic_version from a real PostgreSQL: what is recorded, read-only, timeouts, TLS, and no password in any message. */
import { afterAll, describe, expect, it } from 'vitest';
import { readAlembicVersion } from '../../src/db/read.js';
import { maskUrl, parseDatabaseUrl, resolveDatabaseUrl } from '../../src/db/url.js';
import { MigrationLintError } from '../../src/errors.js';
import { createDatabase, DROP_TIMEOUT, dropDatabases, PG, urlFor } from './pg.js';

afterAll(dropDatabases, DROP_TIMEOUT);

const SECRET = 'Sekr1t-pässword/42';

async function failure(p: Promise<unknown>): Promise<MigrationLintError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MigrationLintError);
  return err as MigrationLintError;
}

describe('readAlembicVersion on a real PostgreSQL', () => {
  it('reads every row of alembic_version, and an untouched database as nothing applied', async () => {
    const one = await createDatabase('one', ['9f880c76005f']);
    expect(await readAlembicVersion(urlFor(one))).toEqual({ shownUrl: urlFor(one, '***'), recorded: ['9f880c76005f'], hasVersionTable: true });
    const two = await createDatabase('two', ['aaaa', 'bbbb']);
    expect((await readAlembicVersion(urlFor(two))).recorded.sort()).toEqual(['aaaa', 'bbbb']);
    const none = await createDatabase('none', null);
    expect(await readAlembicVersion(urlFor(none))).toEqual({ shownUrl: urlFor(none, '***'), recorded: [], hasVersionTable: false });
  });

  it('accepts the SQLAlchemy form Python projects keep in DATABASE_URL', async () => {
    const db = await createDatabase('sqla', ['c754a58dffc5']);
    const url = urlFor(db).replace('postgresql://', 'postgresql+psycopg2://');
    expect((await readAlembicVersion(url)).recorded).toEqual(['c754a58dffc5']);
  });

  it('reads in a read-only transaction: a version table whose read would write is refused by PostgreSQL', async () => {
    // alembic_version as a view over a function that writes: only a read-only transaction stops the write.
    const db = await createDatabase('ro', null);
    const pg = (await import('pg')).default;
    const c = new pg.Client({ ...PG, database: db });
    await c.connect();
    try {
      await c.query('CREATE TABLE audit (n int)');
      await c.query("CREATE FUNCTION versions() RETURNS SETOF text LANGUAGE sql VOLATILE AS $$ INSERT INTO audit VALUES (1); SELECT 'aaaa'::text $$");
      await c.query('CREATE VIEW alembic_version AS SELECT versions() AS version_num');
      const err = await failure(readAlembicVersion(urlFor(db)));
      expect(err.message).toBe(`cannot read alembic_version from ${urlFor(db, '***')}: cannot execute INSERT in a read-only transaction`);
      expect((await c.query('SELECT count(*)::int AS n FROM audit')).rows[0].n).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('gives up after the statement timeout when alembic_version is locked, naming the URL without its password', async () => {
    const db = await createDatabase('locked', ['aaaa']);
    const pg = (await import('pg')).default;
    const locker = new pg.Client({ ...PG, database: db });
    await locker.connect();
    try {
      // A running migration holds ACCESS EXCLUSIVE on the table: the read must not wait for it.
      await locker.query('BEGIN; LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const err = await failure(readAlembicVersion(urlFor(db), { timeoutMs: 500 }));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(err.message).toMatch(new RegExp(`^cannot read alembic_version from ${urlFor(db, '***').replace(/[*.?+]/g, '\\$&')}: canceling statement due to (lock|statement) timeout$`));
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('a wrong password, an unreachable server and a missing database: one line each, no password', async () => {
    const db = await createDatabase('auth', ['aaaa']);
    const wrong = await failure(readAlembicVersion(urlFor(db, SECRET)));
    expect(wrong.message).toBe(`cannot read alembic_version from ${urlFor(db, '***')}: password authentication failed for user "${PG.user}"`);
    const down = await failure(readAlembicVersion(`postgresql://${PG.user}:${encodeURIComponent(SECRET)}@127.0.0.1:1/${db}`));
    expect(down.message).toBe(`cannot read alembic_version from postgresql://${PG.user}:***@127.0.0.1:1/${db}: connect ECONNREFUSED 127.0.0.1:1`);
    const missing = await failure(readAlembicVersion(urlFor('ml_no_such_database')));
    expect(missing.message).toBe(`cannot read alembic_version from ${urlFor('ml_no_such_database', '***')}: database "ml_no_such_database" does not exist`);
    for (const e of [wrong, down, missing]) {
      expect(e.message).not.toContain('Sekr1t');
      expect(e.message).not.toContain(encodeURIComponent(SECRET));
      expect(e.message.split('\n')).toHaveLength(1);
    }
  });

  it('asks for TLS when the URL says sslmode=require (libpq meaning), and not with sslmode=disable', async () => {
    const db = await createDatabase('tls', ['aaaa']);
    const ssl = (await import('pg')).default;
    const c = new ssl.Client({ ...PG, database: 'postgres' });
    await c.connect();
    const serverSsl = (await c.query('SHOW ssl')).rows[0].ssl === 'on';
    await c.end();
    if (serverSsl) {
      expect((await readAlembicVersion(`${urlFor(db)}?sslmode=require`)).recorded).toEqual(['aaaa']);
    } else {
      const err = await failure(readAlembicVersion(`${urlFor(db)}?sslmode=require`));
      expect(err.message).toBe(`cannot read alembic_version from ${urlFor(db, '***')}?sslmode=require: The server does not support SSL connections`);
    }
    expect((await readAlembicVersion(`${urlFor(db)}?sslmode=disable`)).recorded).toEqual(['aaaa']);
  });
});

describe('database URLs', () => {
  it('masks the password in the user info and in a password parameter', () => {
    expect(maskUrl(parseDatabaseUrl(`postgresql+asyncpg://app:${encodeURIComponent(SECRET)}@db:5432/app?sslmode=require`).url)).toBe(
      'postgresql://app:***@db:5432/app?sslmode=require',
    );
    expect(maskUrl(parseDatabaseUrl(`postgres://app@db/app?password=${encodeURIComponent(SECRET)}`).url)).toBe('postgresql://app@db/app?password=***');
  });

  it('refuses other databases and text that is no URL, without echoing it', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/app')).toThrow('the database URL names mysql; only PostgreSQL is supported (postgresql://user@host:5432/dbname)');
    expect(() => parseDatabaseUrl('host=db password=hunter2')).toThrow(/^the database URL is not a URL: /);
    expect(() => parseDatabaseUrl('postgresql://app:hunter2@[db/app')).toThrow(/^the database URL cannot be parsed/);
    for (const bad of ['mysql://root:hunter2@db/app', 'host=db password=hunter2', 'postgresql://app:hunter2@[db/app']) {
      try {
        parseDatabaseUrl(bad);
      } catch (err) {
        expect((err as Error).message).not.toContain('hunter2');
      }
    }
  });

  it('takes --database-url, else MIGRATION_LINT_DATABASE_URL, else the variable the config names', () => {
    const env = { MIGRATION_LINT_DATABASE_URL: 'postgresql://a/one', DATABASE_URL: 'postgresql://a/two' };
    expect(resolveDatabaseUrl('postgresql://a/flag', env, 'DATABASE_URL')).toBe('postgresql://a/flag');
    expect(resolveDatabaseUrl(undefined, env, 'DATABASE_URL')).toBe('postgresql://a/one');
    expect(resolveDatabaseUrl(undefined, { DATABASE_URL: 'postgresql://a/two' }, 'DATABASE_URL')).toBe('postgresql://a/two');
    // The variable the config names is not set (a laptop without the database): no database, no error.
    expect(resolveDatabaseUrl(undefined, {}, 'DATABASE_URL')).toBeNull();
    expect(resolveDatabaseUrl(undefined, {}, null)).toBeNull();
  });
});
