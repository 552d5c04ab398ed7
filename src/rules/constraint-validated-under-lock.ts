import { defineChangeRule, q } from './change-rule.js';
import { changeLock, lockBlocks, type LockMode } from '../facts/locks.js';

/** 'a SHARE ROW EXCLUSIVE' / 'an ACCESS EXCLUSIVE'. */
function an(mode: LockMode): string {
  return `${mode.startsWith('A') ? 'an' : 'a'} ${mode}`;
}

function recipe(table: string | null, name: string | null): string {
  const t = table ?? '<table>';
  const n = name ?? '<name>';
  return `Add it with \`postgresql_not_valid=True\` (SQL: \`NOT VALID\`), then validate it in its own transaction: \`with op.get_context().autocommit_block(): op.execute("ALTER TABLE ${t} VALIDATE CONSTRAINT ${n}")\`.`;
}

const RECIPE_COLUMN =
  'Add the column without its `ForeignKey`, then `op.create_foreign_key(…, postgresql_not_valid=True)` and validate it in an autocommit block: `with op.get_context().autocommit_block(): op.execute("ALTER TABLE … VALIDATE CONSTRAINT …")`.';

/**
 * Adding a foreign key or check constraint checks every existing row while holding the add's lock;
 * `NOT VALID` skips that check, and `VALIDATE CONSTRAINT` later does it under a lock that lets reads
 * and writes through — but only if the add's lock was released first (another transaction).
 */
/** Constraints added NOT VALID in the file, by name: the transaction and lock of the add. */
type Added = Map<string, { tx: string; mode: LockMode; table: string | null }>;

export default defineChangeRule({
  meta: {
    id: 'constraint-validated-under-lock',
    description:
      '`create_foreign_key`/`create_check_constraint` on an existing table without `postgresql_not_valid=True` (or SQL `NOT VALID`) and a later `VALIDATE CONSTRAINT`.',
    defaultSeverity: 'warning',
    fixable: false,
    help: recipe(null, null),
    messages: {
      add: 'Adds {constraint} to existing table {table} and checks every row under {lock} lock on {tables} ({blocks})',
      addInline: "Adds {constraint} (the column's `{clause}`) to existing table {table} and checks every row under {lock} lock on {tables} ({blocks})",
      sqlAdd: 'SQL adds {constraint} to existing table {table} without NOT VALID: every row is checked under {lock} lock on {tables} ({blocks})',
      validateSameTransaction:
        "Validates {constraint} in the same transaction that added it NOT VALID: the add's {mode} lock on {table} is still held while every row is checked ({blocks})",
    },
  },
  file: (): Added => new Map(),
  on: {
    add_constraint(c, { step, state, transactions, report }) {
      const { constraint } = c;
      if (constraint.kind !== 'foreign' && constraint.kind !== 'check') return;
      const fk = constraint.kind === 'foreign';
      const mode = changeLock(c)!;
      if (constraint.notValid) {
        if (constraint.name) state.set(constraint.name, { tx: transactions().transactionKey(c.span.start), mode, table: step.table });
        return;
      }
      const referent = fk ? (constraint.references?.table ?? null) : null;
      const tables = referent && referent !== step.table ? `${q(step.table)} and ${q(referent)}` : q(step.table);
      const what = fk ? 'foreign key' : 'check constraint';
      const named = constraint.name === null ? `an unnamed ${what}` : c.form === 'sql' ? `a ${what} ${q(constraint.name)}` : `${what} ${q(constraint.name)}`;
      const data = { constraint: named, table: q(step.table), lock: an(mode), tables, blocks: lockBlocks(mode) };
      report({
        ...(c.form === 'sql'
          ? { messageId: 'sqlAdd', data }
          : c.form === 'column'
            ? { messageId: 'addInline', data: { ...data, clause: fk ? 'ForeignKey' : 'CheckConstraint' } }
            : { messageId: 'add', data }),
        help: c.form === 'column' ? RECIPE_COLUMN : recipe(step.table, constraint.name),
      });
    },
    validate_constraint(c, { state, transactions, report, step }) {
      const added = c.name === null ? undefined : state.get(c.name);
      if (!added || added.tx !== transactions().transactionKey(c.span.start)) return;
      report({
        messageId: 'validateSameTransaction',
        data: { constraint: q(c.name), mode: added.mode, table: q(added.table), blocks: lockBlocks(added.mode) },
        help: recipe(step.table, c.name),
      });
    },
  },
});
