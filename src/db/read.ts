/**
 * What a real database says is applied: the rows of its `alembic_version` table, read with node-postgres in
 * one round trip (a read-only transaction with its own statement and lock timeouts, rolled back), over TLS
 * when the URL asks for it. The URL's password never leaves this module: every message names the URL
 * with the password masked, and any text that carries the password is masked too.
 *
 * `pg` is imported only here and only when a URL is given, so an ordinary lint never loads it.
 */
import { environmentError } from '../errors.js';
import { MASK, maskUrl, parseDatabaseUrl } from './url.js';

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

