/**
 * What a real database says is applied: the rows of its `alembic_version` table, read with node-postgres in
 * one round trip (a read-only transaction with its own statement and lock timeouts, rolled back), over TLS
 * when the URL asks for it. The URL's password never leaves this module: every message names the URL
 * with the password masked, and any text that carries the password is masked too.
 *
 * `pg` is imported only here and only when a URL is given, so an ordinary lint never loads it.
 */
import { environmentError, usageError } from '../errors.js';

export interface DatabaseState {
  /** The URL as it may be shown: password masked. */
  shownUrl: string;
  /** `version_num` of every row; empty when the table is missing or empty (nothing applied yet). */
  recorded: string[];
  /** False when the database has no `alembic_version` table: Alembic has never stamped it. */
  hasVersionTable: boolean;
}

export interface ReadOptions {
  /** Connect, statement and lock timeout, each (default 5 s): a linter must never hang on a database. */
  timeoutMs?: number;
}

const MASK = '***';

/**
 * `postgresql://`, `postgres://`, or a SQLAlchemy URL naming a driver (`postgresql+psycopg2://`,
 * `postgresql+asyncpg://`), as Python projects keep them in DATABASE_URL.
 */
export function parseDatabaseUrl(raw: string): { url: URL; secrets: string[] } {
  const text = raw.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
  if (!scheme) throw usageError(`the database URL is not a URL: give postgresql://user@host:5432/dbname`);
  const dialect = scheme.toLowerCase().split('+')[0];
  if (dialect !== 'postgresql' && dialect !== 'postgres') {
    throw usageError(`the database URL names ${dialect}; only PostgreSQL is supported (postgresql://user@host:5432/dbname)`);
  }
  let url: URL;
  try {
    url = new URL(`postgresql${text.slice(scheme.length)}`);
  } catch {
    // The URL parser's message would echo the whole URL, password included.
    throw usageError(`the database URL cannot be parsed: give postgresql://user:password@host:5432/dbname (with the password percent-encoded)`);
  }
  const secrets: string[] = [];
  if (url.password) {
    secrets.push(url.password);
    try {
      secrets.push(decodeURIComponent(url.password));
    } catch {
      // a malformed escape: the raw form is masked already
    }
  }
  for (const key of ['password', 'sslpassword']) {
    const v = url.searchParams.get(key);
    if (v) secrets.push(v);
  }
  return { url, secrets: secrets.filter((s) => s.length > 0) };
}

/** The URL with its password (in the user info or a `password=` parameter) masked. */
export function maskUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = 'MASKED';
  for (const key of ['password', 'sslpassword']) if (copy.searchParams.has(key)) copy.searchParams.set(key, 'MASKED');
  return copy.href.replace(/MASKED/g, MASK);
}

function mask(text: string, secrets: string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
  return out;
}

/**
 * The connection string handed to node-postgres: the driver suffix gone, and libpq's meaning of `sslmode`
 * (`require` encrypts without verifying the certificate, as psycopg does) unless the URL chose otherwise.
 */
function connectionString(url: URL): string {
  const copy = new URL(url.href);
  if (copy.searchParams.has('sslmode') && !copy.searchParams.has('uselibpqcompat')) copy.searchParams.set('uselibpqcompat', 'true');
  return copy.href;
}

const QUERY = [
  'BEGIN TRANSACTION READ ONLY',
  // LOCAL: they end with the transaction, and a pooler (pgbouncer) keeps no trace of them.
  'SET LOCAL statement_timeout = $TIMEOUT',
  'SET LOCAL lock_timeout = $TIMEOUT',
  'SELECT version_num FROM alembic_version',
  'ROLLBACK',
].join('; ');

interface PgResult {
  rows: Record<string, unknown>[];
}

export async function readAlembicVersion(rawUrl: string, opts: ReadOptions = {}): Promise<DatabaseState> {
  const { url, secrets } = parseDatabaseUrl(rawUrl);
  const shownUrl = maskUrl(url);
  const timeout = Math.max(1, Math.round(opts.timeoutMs ?? 5000));
  const fail = (why: string) => environmentError(`cannot read alembic_version from ${shownUrl}: ${mask(why, secrets)}`);

  const { default: pg } = await import('pg');
  let client: InstanceType<typeof pg.Client>;
  try {
    client = new pg.Client({
      connectionString: connectionString(url),
      connectionTimeoutMillis: timeout,
      query_timeout: timeout * 2,
      application_name: 'migration-lint',
    });
  } catch (err) {
    throw fail((err as Error).message.split('\n')[0] ?? 'invalid connection settings');
  }
  // A connection that drops after connecting emits 'error'; without a listener Node would throw it.
  client.on('error', () => {});
  const started = Date.now();
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    // node-postgres reports its own connect timeout as a terminated connection.
    const timedOut = Date.now() - started >= timeout * 0.9;
    throw fail(timedOut ? `no answer within ${timeout / 1000} s (is the host reachable from here?)` : describe(err));
  }
  try {
    const results = (await client.query(QUERY.replace(/\$TIMEOUT/g, String(timeout)))) as unknown as PgResult[];
    const select = results[3];
    const recorded = (select?.rows ?? []).map((r) => r.version_num).filter((v): v is string => typeof v === 'string');
    return { shownUrl, recorded, hasVersionTable: true };
  } catch (err) {
    // undefined_table: no migration was ever run here, so none is applied.
    if ((err as { code?: string }).code === '42P01') return { shownUrl, recorded: [], hasVersionTable: false };
    throw fail(describe(err));
  } finally {
    await client.end().catch(() => {});
  }
}

/** node-postgres errors in one line: the server's message, or the socket's (ECONNREFUSED 127.0.0.1:1). */
function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: { message?: string }[] };
  const msg = e.message || e.errors?.map((x) => x.message).find(Boolean) || e.code || String(err);
  return msg.split('\n')[0]!;
}

/**
 * Where the URL comes from: `--database-url`, else MIGRATION_LINT_DATABASE_URL, else the config's `databaseUrl`,
 * which is only ever a reference to an environment variable (`$DATABASE_URL` or `${DATABASE_URL}`) so that no
 * password sits in a committed file. A reference to a variable that is not set means no database.
 */
export function resolveDatabaseUrl(flag: string | undefined, env: Record<string, string | undefined>, configRef: string | null): string | null {
  if (flag !== undefined) {
    if (!flag.trim()) throw usageError('--database-url needs a URL (postgresql://user@host:5432/dbname)');
    return flag;
  }
  const fromEnv = env.MIGRATION_LINT_DATABASE_URL;
  if (fromEnv && fromEnv.trim()) return fromEnv;
  if (configRef === null) return null;
  const name = envReference(configRef);
  const value = name ? env[name] : undefined;
  return value && value.trim() ? value : null;
}

/** `$NAME` or `${NAME}` → NAME; anything else is not a reference. */
export function envReference(value: string): string | null {
  const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value.trim());
  return m ? (m[1] ?? m[2]!) : null;
}
