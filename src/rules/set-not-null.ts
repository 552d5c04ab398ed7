import { defineRule } from './types.js';
import { appliesTo, lockContext, reportedFiles, q, upgradeSteps } from '../facts/lock-context.js';
import { tableKey } from '../facts/catalogue.js';
import { isTrueKw } from '../facts/locks.js';
import { notNullCheckColumn } from '../facts/sql-parse.js';
import { literalString } from '../parse/python.js';

function recipe(table: string | null, column: string | null): string {
  const t = table ?? '<table>';
  const c = column ?? '<column>';
  const ck = `ck_${t}_${c}_not_null`;
  return `Add \`op.create_check_constraint("${ck}", "${t}", "${c} IS NOT NULL", postgresql_not_valid=True)\`, validate it in \`with op.get_context().autocommit_block(): op.execute("ALTER TABLE ${t} VALIDATE CONSTRAINT ${ck}")\`, then \`alter_column(nullable=False)\` (no scan) and drop the check.`;
}

/**
 * SET NOT NULL checks every row under ACCESS EXCLUSIVE, unless a valid `CHECK (col IS NOT NULL)` already
 * proves it (PostgreSQL 12+), which is what the recipe builds without blocking traffic.
 */
export default defineRule({
  meta: {
    id: 'set-not-null',
    description: '`alter_column(nullable=False)` on an existing table: a full scan under ACCESS EXCLUSIVE; the recipe is a `NOT VALID` check constraint, `VALIDATE`, then `SET NOT NULL`.',
    defaultSeverity: 'warning',
    fixable: false,
    help: recipe(null, null),
  },
  checkEnvironment(ctx) {
    if (!appliesTo(ctx)) return;
    const lc = lockContext(ctx);
    for (const file of reportedFiles(ctx)) {
      // `table.column` proven NOT NULL by a valid check constraint, and NOT VALID checks awaiting VALIDATE.
      const proven = new Set<string>();
      const pending = new Map<string, string>();
      const key = (table: string | null, column: string) => `${table === null ? '?' : tableKey(table)}.${column}`;
      const check = (table: string | null, name: string | null, column: string | null, notValid: boolean) => {
        if (!column) return;
        if (!notValid) proven.add(key(table, column));
        else if (name) pending.set(name, key(table, column));
      };
      const flag = (span: { start: number; end: number }, table: string | null, column: string | null, sql: boolean) => {
        ctx.report(file.path, {
          span,
          message: `${sql ? 'SQL makes' : 'Makes'} column ${q(column)} of existing table ${q(table)} NOT NULL: PostgreSQL scans every row under an ACCESS EXCLUSIVE lock (blocks reads and writes)`,
          help: recipe(table, column),
        });
      };
      for (const step of upgradeSteps(lc, file)) {
        if (step.kind === 'op') {
          const { op } = step;
          if (op.op === 'create_check_constraint') {
            const cond = literalString(op.kwargs.find((k) => k.name === 'condition')?.value ?? op.args[2]);
            check(step.table, op.name, cond === null ? null : notNullCheckColumn(cond), isTrueKw(op, 'postgresql_not_valid'));
            continue;
          }
          if (op.op !== 'alter_column' || !step.existing) continue;
          const nullable = op.kwargs.find((k) => k.name === 'nullable')?.value;
          if (!nullable || nullable.kind !== 'bool' || nullable.value) continue;
          if (op.name && proven.has(key(step.table, op.name))) continue;
          flag(op.span, step.table, op.name, false);
          continue;
        }
        if (step.stmt.kind !== 'alter_table') continue;
        for (const a of step.stmt.actions) {
          if (a.type === 'add_constraint' && a.constraint === 'check') check(step.table, a.name, a.notNullColumn, a.notValid);
          else if (a.type === 'validate_constraint') {
            const k = pending.get(a.name);
            if (k) proven.add(k);
          } else if (a.type === 'set_not_null' && step.existing && !proven.has(key(step.table, a.column))) {
            flag(step.op.span, step.table, a.column, true);
          }
        }
      }
    }
  },
});
