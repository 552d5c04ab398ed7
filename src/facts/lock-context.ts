/**
 * What the PostgreSQL lock rules share: the table catalogue of the environment (built once per run, not
 * once per rule), the transactions of each file, and a walk over every statement an upgrade runs — typed
 * operations and the statements inside readable `op.execute("…")` SQL — in source order.
 */
import type { History, MigrationFile } from '../model/migration.js';
import type { Settings } from '../model/settings.js';
import { buildCatalogue, opTable, tableKey, type TableCatalogue } from './catalogue.js';
import { executeSql } from './locks.js';
import { parseSql, type SqlStatement } from './sql-parse.js';
import { transactionsOf, type Transactions } from './transactions.js';
import type { Operation } from '../model/facts.js';

/** What these readings need of an environment rule's context (rules/types.ts EnvironmentContext). */
interface EnvironmentView {
  settings: Settings;
  files: MigrationFile[];
  history: History | null;
  isTarget?(file: MigrationFile): boolean;
}

export interface LockContext {
  catalogue: TableCatalogue;
  transactions(file: MigrationFile): Transactions;
  /** upgradeSteps of each file, computed once for all the lock rules that walk them. */
  steps: WeakMap<MigrationFile, Step[]>;
}

const cache = new WeakMap<object, LockContext>();

/** The rules apply to PostgreSQL only (config `dialect`, default `postgresql`). */
export function appliesTo(ctx: EnvironmentView): boolean {
  return ctx.settings.dialect.toLowerCase() === 'postgresql';
}

export function lockContext(ctx: EnvironmentView): LockContext {
  // Keyed by the files array, which the engine builds once per environment and run.
  const hit = cache.get(ctx.files);
  if (hit) return hit;
  const lc: LockContext = {
    catalogue: buildCatalogue(ctx.files, ctx.history),
    transactions: (file) => transactionsOf(file.facts, file.text),
    steps: new WeakMap(),
  };
  cache.set(ctx.files, lc);
  return lc;
}

/**
 * The files the lock rules report on. Their findings on a file come from its own statements (and the catalogue,
 * which reads every file), so files the engine does not report on are skipped rather than read in full.
 */
export function reportedFiles(ctx: EnvironmentView): MigrationFile[] {
  const isTarget = ctx.isTarget;
  return isTarget ? ctx.files.filter((f) => isTarget(f)) : ctx.files;
}

/** A typed operation of an upgrade body. */
export interface OpStep {
  kind: 'op';
  op: Operation;
  table: string | null;
  existing: boolean;
}

/** One statement of an `op.execute("…")`; `table` is the table it acts on, when it names one. */
export interface SqlStep {
  kind: 'sql';
  op: Operation;
  stmt: SqlStatement;
  table: string | null;
  existing: boolean;
}

export type Step = OpStep | SqlStep;

/** Every operation and readable SQL statement of the file's upgrade bodies, in source order. */
export function upgradeSteps(lc: LockContext, file: MigrationFile): Step[] {
  let steps = lc.steps.get(file);
  if (!steps) {
    steps = computeSteps(lc, file);
    lc.steps.set(file, steps);
  }
  return steps;
}

function computeSteps(lc: LockContext, file: MigrationFile): Step[] {
  const out: Step[] = [];
  for (const op of file.facts.operations) {
    if (op.fn !== 'upgrade') continue;
    const at = op.span.start;
    if (op.op !== 'execute') {
      const table = opTable(op) ?? (op.op === 'drop_index' && op.name ? lc.catalogue.indexTable(file, op.name, at) : null);
      // The table create_table makes has no rows yet, whatever else may have carried its name.
      const existing = op.op !== 'create_table' && lc.catalogue.isExisting(file, table, at);
      out.push({ kind: 'op', op, table, existing });
      continue;
    }
    const sql = executeSql(op);
    const stmts = sql === null ? null : parseSql(sql);
    if (!stmts) continue;
    // Tables created by an earlier statement of the same SQL text are as new as any other.
    const createdHere = new Set<string>();
    for (const stmt of stmts) {
      const table = statementTable(lc, file, stmt, at);
      const existing =
        stmt.kind !== 'create_table' && !(table !== null && createdHere.has(tableKey(table))) && lc.catalogue.isExisting(file, table, at);
      out.push({ kind: 'sql', op, stmt, table, existing });
      if (stmt.kind === 'create_table' && stmt.table) createdHere.add(tableKey(stmt.table));
    }
  }
  return out;
}

function statementTable(lc: LockContext, file: MigrationFile, s: SqlStatement, at: number): string | null {
  switch (s.kind) {
    case 'create_index':
    case 'alter_table':
    case 'create_table':
    case 'rename_table':
    case 'dml':
    case 'comment':
      return s.table ? tableKey(s.table) : null;
    case 'drop_table':
    case 'truncate':
    case 'lock':
      return s.tables[0] ? tableKey(s.tables[0]) : null;
    case 'drop_index':
      return s.names[0] ? lc.catalogue.indexTable(file, s.names[0], at) : null;
    default:
      return null;
  }
}

/** `'hero'`, or `?` for an unknown table, for messages. */
export function q(name: string | null): string {
  return name === null ? '?' : `'${name}'`;
}
