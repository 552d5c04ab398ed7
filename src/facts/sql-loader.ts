/**
 * When PostgreSQL's parser (libpg-query: a 1.7 MB wasm module, the largest single cost of starting up) is
 * loaded. Importers get it loaded with changes/sql-expr.ts, unless the process entry (the CLI's bin) defers it before
 * importing anything else: then it is loaded ahead of reading the files whose facts hold something for it to
 * read (`needsSqlParser`; the engine's `lintAsync` and the summary ask), and a pre-commit run over migrations
 * without SQL never pays for it.
 */
import { setFlagsFromString } from 'node:v8';
import type * as PgQuery from 'libpg-query';
import type { Expr } from '../model/expr.js';
import type { MigrationFacts } from '../model/facts.js';
import { derived } from './derived.js';

const state: { deferred: boolean; pg: typeof PgQuery | null; loading: Promise<void> | null } = { deferred: false, pg: null, loading: null };

/** Called by the bin before it imports the CLI: changes/sql-expr.ts then skips loading the parser on import. */
export function deferSqlParser(): void {
  state.deferred = true;
}

/**
 * For a process that lints and exits (the CLI's bin, the Action), called before the parser is loaded: V8 then
 * compiles the wasm with its baseline compiler only. By default it also recompiles the parser's hottest
 * functions with its optimizing compiler on background threads, and the process cannot exit until those
 * compiles end: measured on the bundled example, that kept every run that read SQL alive 60-190 ms after its
 * work was done and cost ~300 ms of CPU, for parsing that takes a few milliseconds at baseline speed
 * (BENCHMARKS.md, "12-05 evening"). A library's importer keeps V8's defaults: the flag is the process's.
 */
export function startQuickly(): void {
  if (state.pg === null && state.loading === null) setFlagsFromString('--liftoff-only');
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

/** A read of SQL before the parser was loaded: a file whose facts `holdsSql` missed (a bug, never input). */
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

// Calls whose SQL text facts/changes/ reads: a generated column's expression, a check constraint's condition.
const SQL_CALLS = /(^|\.)(Computed|CheckConstraint)$/;

/** A `server_default=` given as a call, a `sa.Computed(…)` or a `sa.CheckConstraint(…)`, among these arguments or inside them. */
function serverDefaultCall(args: Expr[], kwargs: { name: string; value: Expr }[]): boolean {
  const inside = (e: Expr): boolean => {
    if (e.kind === 'seq') return e.items.some(inside);
    if (e.kind !== 'call') return false;
    return SQL_CALLS.test(calleeName(e.callee)) || serverDefaultCall(e.args, e.kwargs);
  };
  return kwargs.some((k) => (k.name === 'server_default' && k.value.kind === 'call') || inside(k.value)) || args.some(inside);
}

function calleeName(e: Expr): string {
  return e.kind === 'name' ? e.name : e.kind === 'attr' ? `${calleeName(e.object)}.${e.attr}` : '';
}

/**
 * Whether anything of a file may be handed to PostgreSQL's parser: SQL text (`op.execute` and the like), a
 * check constraint's condition, or a server default given as a call (`sa.text(…)`, `sa.func.…()`). Every
 * reader of SQL in facts/ and rules/ reads one of these; a new reader of another part of the facts adds it here.
 */
export function holdsSql(facts: MigrationFacts): boolean {
  if (facts.sqlCalls.some((c) => c.sql !== null)) return true;
  return facts.operations.some((op) => op.op === 'execute' || op.op === 'create_check_constraint' || serverDefaultCall(op.args, op.kwargs));
}

/**
 * Whether the parser must be loaded before rules read these files: it was deferred, is not loaded yet, and some
 * file holds SQL (remembered with the facts in the cache, so that files the run does not report on are not read).
 */
export function needsSqlParser(files: Iterable<{ facts: MigrationFacts }>): boolean {
  if (!state.deferred || state.pg) return false;
  for (const f of files) if (derived(f.facts, 'sql.held', () => holdsSql(f.facts))) return true;
  return false;
}
