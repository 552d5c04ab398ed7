/**
 * When PostgreSQL's parser (libpg-query: a 1.7 MB wasm module, the largest single cost of starting up) is
 * loaded. Importers get it loaded with sql-parse.ts, as before, unless the process entry (the CLI's bin)
 * defers it before importing anything else: then it loads only once a migration holds SQL to read, through
 * `lintAsync` (engine) or `withSqlParser`, and a pre-commit run over migrations without SQL never pays for it.
 */
import type * as PgQuery from 'libpg-query';

const state: { deferred: boolean; pg: typeof PgQuery | null; loading: Promise<void> | null } = { deferred: false, pg: null, loading: null };

/** Called by the bin before it imports the CLI: sql-parse.ts then skips loading the parser on import. */
export function deferSqlParser(): void {
  state.deferred = true;
}

export function sqlParserDeferred(): boolean {
  return state.deferred;
}

/** Whether the parser has been loaded (for DEBUG output and the start-up tests). */
export function sqlParserLoaded(): boolean {
  return state.pg !== null;
}

/** Loads the parser once; concurrent callers share the one load. */
export function loadSqlParser(): Promise<void> {
  state.loading ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    state.pg = m;
  });
  return state.loading;
}

/**
 * Thrown by the first SQL read before the parser is loaded. Rules are pure, so `lintAsync` and `withSqlParser`
 * catch it, load the parser and run the rules again: the outcome is the one an eager load would give.
 */
export class SqlParserNotLoaded extends Error {
  constructor() {
    super('the SQL parser is not loaded yet: await loadSqlParser() (or use lintAsync) before reading SQL');
  }
}

/** The loaded parser; throws SqlParserNotLoaded (outside any try that would read it as a SQL syntax error). */
export function sqlParser(): typeof PgQuery {
  if (!state.pg) throw new SqlParserNotLoaded();
  return state.pg;
}

/** Runs `fn`, loading the parser and running it again when it needed SQL read; `fn` must have no side effects before its SQL reads. */
export async function withSqlParser<T>(fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof SqlParserNotLoaded)) throw err;
    await loadSqlParser();
    return fn();
  }
}
