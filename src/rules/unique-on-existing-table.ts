import { defineChangeRule, q } from './change-rule.js';

function recipe(table: string | null, name: string | null, columns: string[], primary: boolean): string {
  const t = table ?? '<table>';
  const n = name ?? '<name>';
  const cols = columns.length ? `[${columns.map((c) => `"${c}"`).join(', ')}]` : '[…]';
  const kind = primary ? 'PRIMARY KEY' : 'UNIQUE';
  return `Build the index first: \`with op.get_context().autocommit_block(): op.create_index("${n}", "${t}", ${cols}, unique=True, postgresql_concurrently=True)\`, then \`op.execute("ALTER TABLE ${t} ADD CONSTRAINT ${n} ${kind} USING INDEX ${n}")\`.`;
}

/** ADD CONSTRAINT UNIQUE / PRIMARY KEY builds its index while holding ACCESS EXCLUSIVE on the table. */
export default defineChangeRule({
  meta: {
    id: 'unique-on-existing-table',
    description:
      '`create_unique_constraint`/`create_primary_key` on an existing table: builds the index under lock; the recipe is a concurrent unique index, then `ADD CONSTRAINT … USING INDEX`.',
    defaultSeverity: 'warning',
    fixable: false,
    help: recipe(null, null, [], false),
  },
  on: {
    add_constraint(c, { step, report }) {
      const k = c.constraint;
      if ((k.kind !== 'unique' && k.kind !== 'primary') || k.usingIndex) return;
      const primary = k.kind === 'primary';
      const what = primary ? 'primary key' : 'unique constraint';
      const inline = c.form === 'column' ? " (the column's `unique=True`)" : '';
      report({
        message:
          c.form === 'sql'
            ? `SQL adds ${primary ? 'a primary key' : 'a unique constraint'} ${q(k.name)} to existing table ${q(step.table)} without USING INDEX: its index is built under an ACCESS EXCLUSIVE lock (blocks reads and writes)`
            : `Adds ${what} ${q(k.name)}${inline} to existing table ${q(step.table)}: PostgreSQL builds its index under an ACCESS EXCLUSIVE lock (blocks reads and writes until the index is built)`,
        help: recipe(step.table, k.name ?? (k.columns.length ? `uq_${step.table ?? 't'}_${k.columns.join('_')}` : null), k.columns, primary),
      });
    },
  },
});
