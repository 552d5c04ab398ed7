import { volatilityWith } from '../facts/changes/functions.js';
import { defineChangeRule, q } from './change-rule.js';

function recipe(table: string | null, column: string | null): string {
  return `Add ${q(column)} without a default (nullable), then \`op.alter_column("${table ?? '<table>'}", "${column ?? '<column>'}", server_default=…)\` (new rows only, no rewrite), and backfill the existing rows in batches.`;
}

/**
 * ADD COLUMN with a non-volatile default is instant since PostgreSQL 11 (the value is stored once in the
 * catalogue); a volatile default must be computed for each row, so the table is rewritten. A function
 * PostgreSQL does not ship (a user's own) is volatile unless its CREATE FUNCTION (in any migration of the
 * environment: op.execute SQL) or a later ALTER FUNCTION says otherwise.
 * SERIAL, identity and stored generated columns are rewriting-column-add's.
 */
export default defineChangeRule({
  meta: {
    id: 'volatile-default',
    description: '`add_column` with a volatile `server_default` (`gen_random_uuid()`, `clock_timestamp()`, `nextval(…)`; `now()` is stable): rewrites the table.',
    defaultSeverity: 'warning',
    fixable: false,
    help: recipe(null, null),
    messages: {
      volatile:
        'Adds column {column} to existing table {table} with the volatile default {function}(): PostgreSQL rewrites every row under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
      sqlVolatile:
        'SQL adds column {column} to existing table {table} with the volatile default {function}(): PostgreSQL rewrites every row under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
    },
  },
  on: {
    add_column(c, { step, file, files, report }) {
      const { column } = c;
      if (column.serial || column.identity || column.generated) return;
      if (!column.default || column.default.volatility !== 'volatile') return;
      if (volatilityWith(column.default, files, file, c.span.start) !== 'volatile') return;
      const fn = column.default.calls[0] ?? '?';
      report({
        messageId: c.form === 'sql' ? 'sqlVolatile' : 'volatile',
        data: { column: q(column.name), table: q(step.table), function: fn },
        help: recipe(step.table, column.name),
      });
    },
  },
});
