import { defineChangeRule, REFUSED_IN_TRANSACTION } from './change-rule.js';

const HELP = 'Put the call inside `with op.get_context().autocommit_block():`, which commits the migration\'s transaction first.';

/** Alembic runs a PostgreSQL migration in a transaction; CONCURRENTLY cannot run inside one, so the upgrade fails. */
export default defineChangeRule({
  meta: {
    id: 'concurrent-index-in-transaction',
    description: '`postgresql_concurrently=True` (or SQL `CONCURRENTLY`) outside `with op.get_context().autocommit_block():`: PostgreSQL refuses it inside a transaction block.',
    defaultSeverity: 'error',
    fixable: false,
    help: HELP,
    messages: { inTransaction: REFUSED_IN_TRANSACTION.inTransaction, inString: REFUSED_IN_TRANSACTION.inString },
  },
  existingOnly: false,
  on: {
    create_index(c, x) {
      const where = c.index.concurrently === true ? x.inTransaction() : null;
      const what = c.form === 'sql' ? 'SQL CREATE INDEX CONCURRENTLY' : `\`${c.call.split('.').pop()}(postgresql_concurrently=True)\``;
      if (where) x.report({ messageId: where === 'string' ? 'inString' : 'inTransaction', data: { what } });
    },
    drop_index(c, x) {
      const where = c.concurrently === true ? x.inTransaction() : null;
      const what = c.form === 'sql' ? 'SQL DROP INDEX CONCURRENTLY' : `\`${c.call.split('.').pop()}(postgresql_concurrently=True)\``;
      if (where) x.report({ messageId: where === 'string' ? 'inString' : 'inTransaction', data: { what } });
    },
  },
});
