import { defineRule } from './types.js';
import { columnKwarg, isColumnCall, isFalse, operationsIn, quote } from './util.js';
import { dottedName } from '../parse/python.js';
import type { Operation } from '../model/facts.js';

/** PostgreSQL checks NOT NULL for every existing row at once: with no default to fill them, the upgrade fails. */
export default defineRule({
  meta: {
    id: 'not-null-without-default',
    description: '`add_column` of a `nullable=False` column with no `server_default` on an existing table: fails on any table with rows.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Give the field a server default (`sa_column_kwargs={"server_default": …}`), or add it nullable, backfill, then make it NOT NULL.',
  },
  checkFile({ file, settings, report }) {
    if (file.facts.parseError) return;
    const ops = operationsIn(file.facts, settings.checkDowngrade);
    const created = new Map<string, number>();
    for (const op of ops) {
      if (op.op === 'create_table' && op.table) created.set(op.table, op.span.start);
    }
    for (const op of ops) {
      if (op.op !== 'add_column') continue;
      const column = columnArg(op);
      if (!isColumnCall(column)) continue;
      if (!isFalse(columnKwarg(column, 'nullable'))) continue;
      const def = columnKwarg(column, 'server_default');
      if (def && def.kind !== 'none') continue;
      if (isTrue(columnKwarg(column, 'primary_key'))) continue;
      // Identity and computed columns fill every row themselves.
      if (column.args.some((a) => a.kind === 'call' && /(^|\.)(Identity|Computed|Sequence)$/.test(dottedName(a.callee) ?? ''))) continue;
      // A table this file created earlier is empty, so the constraint holds trivially.
      const createdAt = op.table ? created.get(op.table) : undefined;
      if (createdAt !== undefined && createdAt < op.span.start) continue;
      report({
        span: op.span,
        message: `Adds NOT NULL column ${quote(op.name)} to table ${quote(op.table)} without a server_default: the upgrade fails with NotNullViolation if the table has rows`,
      });
    }
  },
});

function columnArg(op: Operation) {
  return op.kwargs.find((k) => k.name === 'column')?.value ?? op.args[op.receiver === 'batch' ? 0 : 1];
}

function isTrue(e: ReturnType<typeof columnKwarg>): boolean {
  return !!e && e.kind === 'bool' && e.value;
}
