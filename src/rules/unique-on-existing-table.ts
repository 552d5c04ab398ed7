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
    messages: {
      unique: 'Adds unique constraint {name} to existing table {table}: PostgreSQL builds its index under an ACCESS EXCLUSIVE lock (blocks reads and writes until the index is built)',
      uniqueColumn:
        "Adds unique constraint {name} (the column's `unique=True`) to existing table {table}: PostgreSQL builds its index under an ACCESS EXCLUSIVE lock (blocks reads and writes until the index is built)",
      primaryKey: 'Adds primary key {name} to existing table {table}: PostgreSQL builds its index under an ACCESS EXCLUSIVE lock (blocks reads and writes until the index is built)',
      sqlUnique: 'SQL adds a unique constraint {name} to existing table {table} without USING INDEX: its index is built under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
      sqlPrimaryKey: 'SQL adds a primary key {name} to existing table {table} without USING INDEX: its index is built under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
    },
  },
  on: {
    add_constraint(c, { step, report }) {
      const k = c.constraint;
      if ((k.kind !== 'unique' && k.kind !== 'primary') || k.usingIndex) return;
      const primary = k.kind === 'primary';
      // A column's `unique=True` is the only inline form (facts/changes/column.ts): no primary key comes from one.
      report({
        messageId: c.form === 'sql' ? (primary ? 'sqlPrimaryKey' : 'sqlUnique') : primary ? 'primaryKey' : c.form === 'column' ? 'uniqueColumn' : 'unique',
        data: { name: q(k.name), table: q(step.table) },
        help: recipe(step.table, k.name ?? (k.columns.length ? `uq_${step.table ?? 't'}_${k.columns.join('_')}` : null), k.columns, primary),
      });
    },
  },
});
