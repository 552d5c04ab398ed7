import { defineRule } from './types.js';
import { appliesTo, lockContext, reportedFiles, q, upgradeSteps } from '../facts/lock-context.js';
import { literalString } from '../parse/python.js';
import type { Expr } from '../model/expr.js';

function recipe(table: string | null, name: string | null, columns: string | null, primary: boolean): string {
  const t = table ?? '<table>';
  const n = name ?? '<name>';
  const kind = primary ? 'PRIMARY KEY' : 'UNIQUE';
  return `Build the index first: \`with op.get_context().autocommit_block(): op.create_index("${n}", "${t}", ${columns ?? '[…]'}, unique=True, postgresql_concurrently=True)\`, then \`op.execute("ALTER TABLE ${t} ADD CONSTRAINT ${n} ${kind} USING INDEX ${n}")\`.`;
}

function columnsText(e: Expr | undefined): string | null {
  if (!e || e.kind !== 'seq') return null;
  const names = e.items.map((i) => literalString(i));
  return names.every((n) => n !== null) ? `[${names.map((n) => `"${n}"`).join(', ')}]` : null;
}

/** ADD CONSTRAINT UNIQUE / PRIMARY KEY builds its index while holding ACCESS EXCLUSIVE on the table. */
export default defineRule({
  meta: {
    id: 'unique-on-existing-table',
    description:
      '`create_unique_constraint`/`create_primary_key` on an existing table: builds the index under lock; the recipe is a concurrent unique index, then `ADD CONSTRAINT … USING INDEX`.',
    defaultSeverity: 'warning',
    fixable: false,
    help: recipe(null, null, null, false),
  },
  checkEnvironment(ctx) {
    if (!appliesTo(ctx)) return;
    const lc = lockContext(ctx);
    for (const file of reportedFiles(ctx)) {
      for (const step of upgradeSteps(lc, file)) {
        if (!step.existing) continue;
        if (step.kind === 'op') {
          const { op } = step;
          if (op.op !== 'create_unique_constraint' && op.op !== 'create_primary_key') continue;
          const primary = op.op === 'create_primary_key';
          const cols = columnsText(op.kwargs.find((k) => k.name === 'columns')?.value ?? op.args[op.receiver === 'batch' ? 1 : 2]);
          ctx.report(file.path, {
            span: op.span,
            message: `Adds ${primary ? 'primary key' : 'unique constraint'} ${q(op.name)} to existing table ${q(step.table)}: PostgreSQL builds its index under an ACCESS EXCLUSIVE lock (blocks reads and writes until the index is built)`,
            help: recipe(step.table, op.name, cols, primary),
          });
          continue;
        }
        if (step.stmt.kind !== 'alter_table') continue;
        for (const a of step.stmt.actions) {
          if (a.type !== 'add_constraint' || (a.constraint !== 'unique' && a.constraint !== 'primary') || a.usingIndex) continue;
          ctx.report(file.path, {
            span: step.op.span,
            message: `SQL adds ${a.constraint === 'primary' ? 'a primary key' : 'a unique constraint'} ${q(a.name)} to existing table ${q(step.table)} without USING INDEX: its index is built under an ACCESS EXCLUSIVE lock (blocks reads and writes)`,
            help: recipe(step.table, a.name, null, a.constraint === 'primary'),
          });
        }
      }
    }
  },
});
