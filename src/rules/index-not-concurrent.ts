import { defineChangeRule, q } from './change-rule.js';
import { changeLock, lockBlocks } from '../facts/locks.js';

const HELP_OP = 'Pass `postgresql_concurrently=True` and run the call inside `with op.get_context().autocommit_block():`.';
const HELP_SQL = 'Write `CREATE INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY` and run it inside `with op.get_context().autocommit_block():`.';
const HELP_COLUMN =
  'Drop `index=True` from the column and build the index on its own: `with op.get_context().autocommit_block(): op.create_index(…, postgresql_concurrently=True)`.';

/** Building or dropping an index the plain way locks the table for as long as the build (or the wait) takes. */
export default defineChangeRule({
  meta: {
    id: 'index-not-concurrent',
    description: '`create_index`/`drop_index` on an existing table without `postgresql_concurrently=True`: blocks writes while the index builds.',
    defaultSeverity: 'warning',
    fixable: false,
    help: HELP_OP,
    messages: {
      create: 'Creates index {index} on existing table {table} without CONCURRENTLY: {mode} lock until the index is built ({blocks})',
      createColumn: "Creates index {index} (the column's `index=True`) on existing table {table} without CONCURRENTLY: {mode} lock until the index is built ({blocks})",
      sqlCreate: 'SQL runs CREATE INDEX without CONCURRENTLY on existing table {table}: {mode} lock ({blocks})',
      drop: 'Drops index {index} of existing table {table} without CONCURRENTLY: {mode} lock until the drop gets its lock and commits ({blocks})',
      sqlDrop: 'SQL runs DROP INDEX without CONCURRENTLY on existing table {table}: {mode} lock ({blocks})',
    },
  },
  on: {
    create_index(c, { step, report }) {
      // A concurrently flag held in a variable (null) is not assumed either way.
      if (c.index.concurrently !== false) return;
      const mode = changeLock(c)!;
      report({
        messageId: c.form === 'sql' ? 'sqlCreate' : c.form === 'column' ? 'createColumn' : 'create',
        data: { index: q(c.index.name), table: q(step.table), mode, blocks: lockBlocks(mode) },
        help: c.form === 'sql' ? HELP_SQL : c.form === 'column' ? HELP_COLUMN : HELP_OP,
      });
    },
    drop_index(c, { step, report }) {
      if (c.concurrently !== false) return;
      const mode = changeLock(c)!;
      report({
        messageId: c.form === 'sql' ? 'sqlDrop' : 'drop',
        data: { index: q(c.name), table: q(step.table), mode, blocks: lockBlocks(mode) },
        help: c.form === 'sql' ? HELP_SQL : HELP_OP,
      });
    },
  },
});
