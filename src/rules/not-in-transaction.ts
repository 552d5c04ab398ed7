import { defineChangeRule, REFUSED_IN_TRANSACTION } from './change-rule.js';
import type { Change } from '../facts/changes/types.js';

const HELP = 'Run it inside `with op.get_context().autocommit_block():`, one statement per `op.execute(…)`.';

// Statements PostgreSQL runs only outside a transaction block (PreventInTransactionBlock in its sources), of
// those read as `other`; DROP DATABASE is a drop_object (destructive-operation reports it as well).
const REFUSED: Record<string, string> = {
  CreatedbStmt: 'CREATE DATABASE',
  AlterSystemStmt: 'ALTER SYSTEM',
  CreateTableSpaceStmt: 'CREATE TABLESPACE',
  DropTableSpaceStmt: 'DROP TABLESPACE',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION',
  DropSubscriptionStmt: 'DROP SUBSCRIPTION',
};

/** The statement, when PostgreSQL refuses it inside a transaction block; CREATE/DROP INDEX CONCURRENTLY are concurrent-index-in-transaction's. */
function refused(c: Change): string | null {
  if (c.kind === 'maintenance') {
    if (c.command === 'vacuum') return c.full ? 'VACUUM FULL' : 'VACUUM';
    if (c.command === 'reindex' && c.concurrently) return 'REINDEX CONCURRENTLY';
    if (c.command === 'reindex' && (c.target === 'database' || c.target === 'system')) return `REINDEX ${c.target.toUpperCase()}`;
    return null;
  }
  if (c.kind === 'other') return REFUSED[c.statement] ?? null;
  if (c.kind === 'drop_object') return c.object === 'database' ? 'DROP DATABASE' : null;
  return null;
}

/** Alembic runs a PostgreSQL migration in a transaction; these statements cannot run inside one, so the upgrade fails. */
export default defineChangeRule({
  meta: {
    id: 'not-in-transaction',
    description:
      'A statement PostgreSQL refuses inside a transaction block (`VACUUM`, `REINDEX … CONCURRENTLY`, `CREATE DATABASE`, `ALTER SYSTEM`, …) outside `autocommit_block()`; `CREATE INDEX CONCURRENTLY` stays with `concurrent-index-in-transaction`.',
    defaultSeverity: 'error',
    fixable: false,
    help: HELP,
    messages: { inTransaction: REFUSED_IN_TRANSACTION.inTransaction, inString: REFUSED_IN_TRANSACTION.inString },
  },
  existingOnly: false,
  on: {
    any(c, x) {
      const what = refused(c);
      const where = what ? x.inTransaction() : null;
      if (what && where) x.report({ messageId: where === 'string' ? 'inString' : 'inTransaction', data: { what: `SQL ${what}` } });
    },
  },
});
