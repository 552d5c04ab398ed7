import { defineChangeRule, q } from './change-rule.js';
import { destruction, type Destruction } from '../facts/destructive.js';
import { typeText } from '../facts/changes/sql-types.js';
import type { Change } from '../facts/changes/types.js';
import type { Report } from './types.js';

const APPROVE = 'If the loss is intended, approve it: `# migration-lint: ignore destructive-operation -- <why>` on the line.';

const MESSAGES = {
  dropTable: 'Drops table {table} and every row in it',
  dropColumn: 'Drops column {column} of table {table} and all its values',
  dropPrimaryKey: 'Drops the primary key {name} of table {table}: rows lose their identity and references to them break',
  renameTable: 'Renames table {table} to {newName}: running code that still uses the old name fails until it is deployed',
  renameColumn: 'Renames column {column} of table {table}: running code that uses the old name breaks',
  renameColumnTo: "Renames column {column} of table {table} to '{newName}': running code that uses the old name breaks",
  typeChange: 'Changes the type of column {column} of table {table} from {from} to {to}: values that do not fit are cut or the upgrade fails (docs/type-changes.md)',
  typeChangeUnknown: 'Changes the type of column {column} of table {table} to {to} without `existing_type`: values that do not fit are cut or the upgrade fails (docs/type-changes.md)',
  truncate: 'Truncates table {table} in {function}(): the rows it removes are gone for good',
  deleteRows: 'Deletes rows of table {table} in {function}(): the rows it removes are gone for good',
  dropObject: 'Drops {object} {name} in {function}(): what it holds is gone for good',
};

function message(c: Change, d: Destruction): Pick<Report<keyof typeof MESSAGES>, 'messageId' | 'data'> {
  const table = q(c.table);
  const col = (c as { column?: unknown }).column;
  const column = q(typeof col === 'string' ? col : null);
  const name = q('name' in c ? (c.name as string | null) : null);
  switch (d.kind) {
    case 'drop-table':
      return { messageId: 'dropTable', data: { table } };
    case 'drop-column':
      return { messageId: 'dropColumn', data: { column, table } };
    case 'drop-primary-key':
      return { messageId: 'dropPrimaryKey', data: { name, table } };
    case 'rename-table':
      return { messageId: 'renameTable', data: { table, newName: q(d.newName) } };
    case 'rename-column':
      return d.newName ? { messageId: 'renameColumnTo', data: { column, table, newName: d.newName } } : { messageId: 'renameColumn', data: { column, table } };
    case 'type-change':
      return d.from
        ? { messageId: 'typeChange', data: { column, table, from: typeText(d.from), to: typeText(d.to) } }
        : { messageId: 'typeChangeUnknown', data: { column, table, to: typeText(d.to) } };
    case 'rows':
      return { messageId: d.what === 'TRUNCATE' ? 'truncate' : 'deleteRows', data: { table, function: c.fnName } };
    case 'drop-object':
      return { messageId: 'dropObject', data: { object: d.object, name, function: c.fnName } };
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
    messages: MESSAGES,
  },
  postgresOnly: false,
  existingOnly: false,
  downgrade: true,
  on: {
    any(change, { step, report }) {
      const d = destruction(change, step.existing);
      if (d) report(message(change, d));
    },
  },
});
