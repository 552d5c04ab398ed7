import { defineChangeRule, q } from './change-rule.js';
import { provenNotNull } from '../facts/changes/schema.js';

function recipe(table: string | null, column: string | null): string {
  const t = table ?? '<table>';
  const c = column ?? '<column>';
  const ck = `ck_${t}_${c}_not_null`;
  return `Add \`op.create_check_constraint("${ck}", "${t}", "${c} IS NOT NULL", postgresql_not_valid=True)\`, validate it in \`with op.get_context().autocommit_block(): op.execute("ALTER TABLE ${t} VALIDATE CONSTRAINT ${ck}")\`, then \`alter_column(nullable=False)\` (no scan) and drop the check.`;
}

/**
 * SET NOT NULL checks every row under ACCESS EXCLUSIVE, unless a valid `CHECK (col IS NOT NULL)` already
 * proves it (PostgreSQL 12+), which is what the recipe builds without blocking traffic. The replay knows
 * such a check whichever revision added and validated it.
 */
export default defineChangeRule({
  meta: {
    id: 'set-not-null',
    description: '`alter_column(nullable=False)` on an existing table: a full scan under ACCESS EXCLUSIVE; the recipe is a `NOT VALID` check constraint, `VALIDATE`, then `SET NOT NULL`.',
    defaultSeverity: 'warning',
    fixable: false,
    help: recipe(null, null),
    messages: {
      setNotNull: 'Makes column {column} of existing table {table} NOT NULL: PostgreSQL scans every row under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
      sqlSetNotNull: 'SQL makes column {column} of existing table {table} NOT NULL: PostgreSQL scans every row under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
    },
  },
  on: {
    set_not_null(c, { step, report }) {
      if (provenNotNull(step.before, c.column)) return;
      report({
        messageId: c.form === 'sql' ? 'sqlSetNotNull' : 'setNotNull',
        data: { column: q(c.column), table: q(step.table) },
        help: recipe(step.table, c.column),
      });
    },
  },
});
