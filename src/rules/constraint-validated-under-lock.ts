import { defineRule } from './types.js';
import { appliesTo, lockContext, reportedFiles, q, upgradeSteps } from '../facts/lock-context.js';
import { isTrueKw, lockBlocks, type LockMode } from '../facts/locks.js';
import { literalString } from '../parse/python.js';

/** 'a SHARE ROW EXCLUSIVE' / 'an ACCESS EXCLUSIVE'. */
function an(mode: LockMode): string {
  return `${mode.startsWith('A') ? 'an' : 'a'} ${mode}`;
}

function recipe(table: string | null, name: string | null): string {
  const t = table ?? '<table>';
  const n = name ?? '<name>';
  return `Add it with \`postgresql_not_valid=True\` (SQL: \`NOT VALID\`), then validate it in its own transaction: \`with op.get_context().autocommit_block(): op.execute("ALTER TABLE ${t} VALIDATE CONSTRAINT ${n}")\`.`;
}

/**
 * Adding a foreign key or check constraint checks every existing row while holding the add's lock;
 * `NOT VALID` skips that check, and `VALIDATE CONSTRAINT` later does it under a lock that lets reads
 * and writes through — but only if the add's lock was released first (another transaction).
 */
export default defineRule({
  meta: {
    id: 'constraint-validated-under-lock',
    description:
      '`create_foreign_key`/`create_check_constraint` on an existing table without `postgresql_not_valid=True` (or SQL `NOT VALID`) and a later `VALIDATE CONSTRAINT`.',
    defaultSeverity: 'warning',
    fixable: false,
    help: recipe(null, null),
  },
  checkEnvironment(ctx) {
    if (!appliesTo(ctx)) return;
    const lc = lockContext(ctx);
    for (const file of reportedFiles(ctx)) {
      const tx = lc.transactions(file);
      // Constraints added NOT VALID in this file: the transaction and lock of the add.
      const addedNotValid = new Map<string, { tx: string; mode: LockMode; table: string | null }>();
      for (const step of upgradeSteps(lc, file)) {
        const at = step.op.span.start;
        if (step.kind === 'op') {
          const { op } = step;
          if (op.op !== 'create_foreign_key' && op.op !== 'create_check_constraint') continue;
          const fk = op.op === 'create_foreign_key';
          const mode: LockMode = fk ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
          if (isTrueKw(op, 'postgresql_not_valid')) {
            if (op.name) addedNotValid.set(op.name, { tx: tx.transactionKey(at), mode, table: step.table });
            continue;
          }
          if (!step.existing) continue;
          const referent = fk ? literalString(op.kwargs.find((k) => k.name === 'referent_table')?.value ?? op.args[2]) : null;
          const tables = referent && referent !== step.table ? `${q(step.table)} and ${q(referent)}` : q(step.table);
          ctx.report(file.path, {
            span: op.span,
            message: `Adds ${op.name === null ? 'an unnamed ' : ''}${fk ? 'foreign key' : 'check constraint'}${op.name === null ? '' : ` ${q(op.name)}`} to existing table ${q(step.table)} and checks every row under ${an(mode)} lock on ${tables} (${lockBlocks(mode)})`,
            help: recipe(step.table, op.name),
          });
          continue;
        }
        if (step.stmt.kind !== 'alter_table') continue;
        for (const a of step.stmt.actions) {
          if (a.type === 'add_constraint' && (a.constraint === 'foreign' || a.constraint === 'check')) {
            const mode: LockMode = a.constraint === 'foreign' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
            if (a.notValid) {
              if (a.name) addedNotValid.set(a.name, { tx: tx.transactionKey(at), mode, table: step.table });
              continue;
            }
            if (!step.existing) continue;
            ctx.report(file.path, {
              span: step.op.span,
              message: `SQL adds ${a.constraint === 'foreign' ? 'a foreign key' : 'a check constraint'} ${q(a.name)} to existing table ${q(step.table)} without NOT VALID: every row is checked under ${an(mode)} lock (${lockBlocks(mode)})`,
              help: recipe(step.table, a.name),
            });
          } else if (a.type === 'validate_constraint') {
            const added = addedNotValid.get(a.name);
            if (!added || added.tx !== tx.transactionKey(at)) continue;
            ctx.report(file.path, {
              span: step.op.span,
              message: `Validates ${q(a.name)} in the same transaction that added it NOT VALID: the add's ${added.mode} lock on ${q(added.table)} is still held while every row is checked (${lockBlocks(added.mode)})`,
              help: recipe(step.table, a.name),
            });
          }
        }
      }
    }
  },
});
