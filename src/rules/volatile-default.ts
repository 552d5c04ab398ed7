import { defineRule } from './types.js';
import { appliesTo, lockContext, reportedFiles, q, upgradeSteps } from '../facts/lock-context.js';
import { volatileCallIn } from '../facts/sql-parse.js';
import { dottedName, literalString } from '../parse/python.js';
import type { Expr } from '../model/expr.js';
import { columnKwarg, isColumnCall } from './util.js';

function recipe(table: string | null, column: string | null): string {
  return `Add ${q(column)} without a default (nullable), then \`op.alter_column("${table ?? '<table>'}", "${column ?? '<column>'}", server_default=…)\` (new rows only, no rewrite), and backfill the existing rows in batches.`;
}

/** The volatile function a server_default calls, or null (constants and stable functions such as now()). */
export function volatileDefault(column: Expr | undefined): string | null {
  if (!isColumnCall(column)) return null;
  // Identity columns and sequences fill every existing row with nextval().
  for (const a of column.args) {
    if (a.kind === 'call' && /(^|\.)(Identity|Sequence)$/.test(dottedName(a.callee) ?? '')) return 'nextval';
  }
  const def = columnKwarg(column, 'server_default');
  if (!def || def.kind === 'none' || def.kind === 'str') return null;
  if (def.kind === 'call') {
    const callee = dottedName(def.callee) ?? '';
    // sa.func.gen_random_uuid()
    const m = /(?:^|\.)func\.(\w+)$/.exec(callee);
    if (m) return volatileCallIn(`${m[1]}()`);
    const sql = literalString(def);
    if (sql !== null) return volatileCallIn(sql);
  }
  return null;
}

/**
 * ADD COLUMN with a constant default is instant since PostgreSQL 11 (the value is stored once in the
 * catalogue); a volatile default must be computed for each row, so the table is rewritten.
 */
export default defineRule({
  meta: {
    id: 'volatile-default',
    description: '`add_column` with a volatile `server_default` (`gen_random_uuid()`, `clock_timestamp()`, `nextval(…)`; `now()` is stable): rewrites the table.',
    defaultSeverity: 'warning',
    fixable: false,
    help: recipe(null, null),
  },
  checkEnvironment(ctx) {
    if (!appliesTo(ctx)) return;
    const lc = lockContext(ctx);
    for (const file of reportedFiles(ctx)) {
      for (const step of upgradeSteps(lc, file)) {
        if (!step.existing) continue;
        if (step.kind === 'op') {
          const { op } = step;
          if (op.op !== 'add_column') continue;
          const column = op.kwargs.find((k) => k.name === 'column')?.value ?? op.args[op.receiver === 'batch' ? 0 : 1];
          const fn = volatileDefault(column);
          if (!fn) continue;
          ctx.report(file.path, {
            span: op.span,
            message: `Adds column ${q(op.name)} to existing table ${q(step.table)} with the volatile default ${fn}(): PostgreSQL rewrites every row under an ACCESS EXCLUSIVE lock (blocks reads and writes)`,
            help: recipe(step.table, op.name),
          });
          continue;
        }
        if (step.stmt.kind !== 'alter_table') continue;
        for (const a of step.stmt.actions) {
          if (a.type !== 'add_column' || !a.volatileDefault) continue;
          ctx.report(file.path, {
            span: step.op.span,
            message: `SQL adds column ${q(a.column)} to existing table ${q(step.table)} with the volatile default ${a.volatileDefault}(): PostgreSQL rewrites every row under an ACCESS EXCLUSIVE lock (blocks reads and writes)`,
            help: recipe(step.table, a.column),
          });
        }
      }
    }
  },
});
