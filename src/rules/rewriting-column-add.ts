import { defineChangeRule, q } from './change-rule.js';
import type { ColumnSpec } from '../facts/changes/types.js';

/** What makes PostgreSQL fill every existing row of a column being added, or null. */
function rewriteReason(c: ColumnSpec): 'generated' | 'identity' | 'serial' | null {
  if (c.generated?.stored) return 'generated';
  if (c.identity) return 'identity';
  if (c.serial) return 'serial';
  return null;
}

const REWRITES = ': PostgreSQL rewrites every row under an ACCESS EXCLUSIVE lock (blocks reads and writes)';

function recipe(table: string | null, column: ColumnSpec): string {
  const t = table ?? '<table>';
  const c = column.name ?? '<column>';
  if (column.generated) {
    return `Add \`${c}\` as a plain nullable column, backfill it in batches (\`UPDATE ${t} SET ${c} = … WHERE id BETWEEN …\`) and keep it up to date from the application or a trigger; or compute it in a view or the query.`;
  }
  return `Add \`${c}\` as a plain nullable column, backfill it in batches, then give it its sequence for new rows only: \`op.execute("CREATE SEQUENCE ${t}_${c}_seq OWNED BY ${t}.${c}")\` and \`op.alter_column("${t}", "${c}", server_default=sa.text("nextval('${t}_${c}_seq')"))\` (SET DEFAULT rewrites nothing).`;
}

/**
 * ADD COLUMN is instant in PostgreSQL 11+ only when every existing row can share one stored value. A stored
 * generated column, an identity column and a SERIAL column each need a value of their own per row: PostgreSQL
 * rewrites the whole table under ACCESS EXCLUSIVE (measured: test/oracle/defaults.test.ts).
 */
export default defineChangeRule({
  meta: {
    id: 'rewriting-column-add',
    description:
      '`add_column` on an existing table of a stored generated column (`sa.Computed(..., persisted=True)`, `GENERATED ALWAYS AS … STORED`), an identity or a `SERIAL` column: PostgreSQL rewrites the table under ACCESS EXCLUSIVE.',
    defaultSeverity: 'warning',
    fixable: false,
    help: 'Add a plain nullable column, backfill it in batches, then attach the sequence or keep the value up to date from the application.',
    messages: {
      generated: `Adds column {column} to existing table {table} as a stored generated column (its expression is computed for every row)${REWRITES}`,
      identity: `Adds column {column} to existing table {table} as an identity column (every row gets a value from its sequence)${REWRITES}`,
      serial: `Adds column {column} to existing table {table} as a SERIAL column (every row gets a value from its sequence)${REWRITES}`,
      sqlGenerated: `SQL adds column {column} to existing table {table} as a stored generated column (its expression is computed for every row)${REWRITES}`,
      sqlIdentity: `SQL adds column {column} to existing table {table} as an identity column (every row gets a value from its sequence)${REWRITES}`,
      sqlSerial: `SQL adds column {column} to existing table {table} as a SERIAL column (every row gets a value from its sequence)${REWRITES}`,
    },
  },
  on: {
    add_column(c, { step, report }) {
      const why = rewriteReason(c.column);
      if (!why) return;
      report({
        messageId: c.form === 'sql' ? ({ generated: 'sqlGenerated', identity: 'sqlIdentity', serial: 'sqlSerial' } as const)[why] : why,
        data: { column: q(c.column.name), table: q(step.table) },
        help: recipe(step.table, c.column),
      });
    },
  },
});
