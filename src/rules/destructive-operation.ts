import { defineChangeRule, q } from './change-rule.js';
import { destruction, type Destruction } from '../facts/destructive.js';
import { typeText } from '../facts/changes/sql-types.js';
import type { Change } from '../facts/changes/types.js';

const APPROVE = 'If the loss is intended, approve it: `# migration-lint: ignore destructive-operation -- <why>` on the line.';

function message(c: Change, d: Destruction): string {
  const t = q(c.table);
  const col = (c as { column?: unknown }).column;
  const column = q(typeof col === 'string' ? col : null);
  switch (d.kind) {
    case 'drop-table':
      return `Drops table ${t} and every row in it`;
    case 'drop-column':
      return `Drops column ${column} of table ${t} and all its values`;
    case 'drop-primary-key':
      return `Drops the primary key ${q('name' in c ? (c.name as string | null) : null)} of table ${t}: rows lose their identity and references to them break`;
    case 'rename-table':
      return `Renames table ${t} to ${q(d.newName)}: running code that still uses the old name fails until it is deployed`;
    case 'rename-column':
      return `Renames column ${column} of table ${t}${d.newName ? ` to '${d.newName}'` : ''}: running code that uses the old name breaks`;
    case 'type-change': {
      const change = d.from ? `from ${typeText(d.from)} to ${typeText(d.to)}` : `to ${typeText(d.to)} without \`existing_type\``;
      return `Changes the type of column ${column} of table ${t} ${change}: values that do not fit are cut or the upgrade fails (docs/type-changes.md)`;
    }
    case 'rows':
      return `${d.what === 'TRUNCATE' ? 'Truncates' : 'Deletes rows of'} table ${t} in ${c.fnName}(): the rows it removes are gone for good`;
    case 'drop-object':
      return `Drops ${d.object} ${q('name' in c ? (c.name as string | null) : null)} in ${c.fnName}(): what it holds is gone for good`;
  }
}

/**
 * Data that an upgrade destroys cannot be brought back by a downgrade: this needs a human's yes. The same
 * change is judged whatever its form (Alembic call, batch twin, SQL); a table created earlier in the same
 * change is empty, so dropping or rewriting it destroys nothing.
 */
export default defineChangeRule({
  meta: {
    id: 'destructive-operation',
    description: 'An upgrade drops a table or column, a primary key, renames, narrows a type, or runs SQL that drops, truncates or deletes.',
    defaultSeverity: 'error',
    fixable: false,
    help: APPROVE,
  },
  postgresOnly: false,
  existingOnly: false,
  downgrade: true,
  on: {
    any(change, { step, report }) {
      const d = destruction(change, step.existing);
      if (d) report({ message: message(change, d) });
    },
  },
});
