import { defineChangeRule, q } from './change-rule.js';

const HELP = 'Give the field a server default (`sa_column_kwargs={"server_default": …}`), or add it nullable, backfill, then make it NOT NULL.';

/**
 * PostgreSQL checks NOT NULL for every existing row at once: with nothing to fill them (no default, no
 * identity, sequence or generated value), the upgrade fails on any table that has rows.
 */
export default defineChangeRule({
  meta: {
    id: 'not-null-without-default',
    description: '`add_column` of a `nullable=False` column with no `server_default` on an existing table: fails on any table with rows.',
    defaultSeverity: 'error',
    fixable: false,
    help: HELP,
    messages: {
      notNull: 'Adds NOT NULL column {column} to table {table} without a server_default: the upgrade fails with NotNullViolation if the table has rows',
    },
  },
  postgresOnly: false,
  downgrade: true,
  on: {
    add_column(c, { step, report }) {
      const col = c.column;
      if (col.nullable !== false && !col.primaryKey) return;
      if (col.default || col.serial || col.identity || col.generated) return;
      report({
        messageId: 'notNull',
        data: { column: q(col.name), table: q(step.table) },
      });
    },
  },
});
