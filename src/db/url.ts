/**
 * Database URLs: parsing the forms Python projects keep in DATABASE_URL, masking the password for every
 * message, and where the URL comes from. No database driver is loaded here.
 */
import { usageError } from '../errors.js';

export const MASK = '***';

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

/**
 * Where the URL comes from: `--database-url`, else MIGRATION_LINT_DATABASE_URL, else the config's `databaseUrl`,
 * which is only ever a reference to an environment variable (`$DATABASE_URL` or `${DATABASE_URL}`) so that no
 * password sits in a committed file. A reference to a variable that is not set means no database.
 */
export function resolveDatabaseUrl(flag: string | undefined, env: Record<string, string | undefined>, configVariable: string | null): string | null {
  if (flag !== undefined) {
    if (!flag.trim()) throw usageError('--database-url needs a URL (postgresql://user@host:5432/dbname)');
    return flag;
  }
  const fromEnv = env.MIGRATION_LINT_DATABASE_URL;
  if (fromEnv && fromEnv.trim()) return fromEnv;
  const value = configVariable === null ? undefined : env[configVariable];
  return value && value.trim() ? value : null;
}
