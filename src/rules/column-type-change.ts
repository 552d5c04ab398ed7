import { defineRule } from './types.js';
import { appliesTo, lockContext, reportedFiles, q, upgradeSteps } from '../facts/lock-context.js';
import { readColumnType, type ColumnType } from '../facts/types-sql.js';
import type { Expr } from '../model/expr.js';

/** The arguments of a type call (`DateTime(timezone=True)`), spans left out, for comparing two types. */
function typeArgs(e: Expr | undefined): string {
  if (!e || e.kind !== 'call') return '[]';
  return JSON.stringify([e.args, e.kwargs], (k, v: unknown) => (k === 'span' ? undefined : v));
}

const HELP =
  'Add a new column of the new type, backfill it in batches and switch the code over in a later release; widening `varchar(n)`, or changing it to `text`, needs no rewrite.';

/**
 * PostgreSQL keeps the table as it is only when the old values are valid as they stand in the new type
 * (binary-coercible, no tighter modifier); anything else rewrites every row under ACCESS EXCLUSIVE.
 */
export function rewritesTable(from: ColumnType | null, to: ColumnType | null, sameArgs = true): boolean {
  if (!from || !to) return true;
  const strLike = (t: ColumnType) => t.family === 'string' && t.name !== 'CITEXT';
  if (strLike(from) && strLike(to)) return !(to.length === null || (from.length !== null && to.length >= from.length));
  if (strLike(from) && to.family === 'text') return false;
  if (from.family === 'text' && to.family === 'text') return false;
  if (from.family === 'text' && strLike(to)) return to.length !== null;
  if (from.family === 'numeric' && to.family === 'numeric') {
    if (to.length === null) return false;
    return !(from.length !== null && to.length >= from.length && to.rank === from.rank);
  }
  // int → bigint keeps every value but not the storage: PostgreSQL rewrites the table.
  return !(sameArgs && from.name.toLowerCase() === to.name.toLowerCase() && from.length === to.length && from.rank === to.rank);
}

function typeText(t: ColumnType | null): string {
  if (!t) return '?';
  return t.length !== null ? `${t.name}(${t.length})` : t.name;
}

export default defineRule({
  meta: {
    id: 'column-type-change',
    description: '`alter_column(type_=…)` on an existing table when the change rewrites the table (not for widening `varchar(n)` or to `text`).',
    defaultSeverity: 'warning',
    fixable: false,
    help: HELP,
  },
  checkEnvironment(ctx) {
    if (!appliesTo(ctx)) return;
    const lc = lockContext(ctx);
    for (const file of reportedFiles(ctx)) {
      for (const step of upgradeSteps(lc, file)) {
        if (!step.existing) continue;
        if (step.kind === 'op') {
          const { op } = step;
          if (op.op !== 'alter_column') continue;
          const typeArg = op.kwargs.find((k) => k.name === 'type_')?.value;
          if (!typeArg) continue;
          const existing = op.kwargs.find((k) => k.name === 'existing_type')?.value;
          const from = readColumnType(existing);
          const to = readColumnType(typeArg);
          const using = op.kwargs.some((k) => k.name === 'postgresql_using');
          if (!using && !rewritesTable(from, to, typeArgs(existing) === typeArgs(typeArg))) continue;
          const change = from ? `from ${typeText(from)} to ${typeText(to)}` : `to ${typeText(to)} (no \`existing_type\`, so it may not be a widening)`;
          ctx.report(file.path, {
            span: op.span,
            message: `Changes the type of column ${q(op.name)} of existing table ${q(step.table)} ${change}: PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock (blocks reads and writes)`,
            help: HELP,
          });
          continue;
        }
        if (step.stmt.kind !== 'alter_table') continue;
        for (const a of step.stmt.actions) {
          if (a.type !== 'alter_type') continue;
          // SQL names no old type: a plain change to a string type is taken as the usual widening.
          if (!a.using && a.to && /^(varchar|text)$/.test(a.to.name)) continue;
          ctx.report(file.path, {
            span: step.op.span,
            message: `SQL changes the type of column ${q(a.column)} of existing table ${q(step.table)}${a.to ? ` to ${a.to.name}` : ''}: unless the old type is binary-coercible, PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock (blocks reads and writes)`,
            help: HELP,
          });
        }
      }
    }
  },
});
