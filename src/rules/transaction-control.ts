import { defineChangeRule } from './change-rule.js';
import type { ChangeOf } from '../facts/changes/types.js';

const HELP =
  'Remove it: Alembic already runs the migration in a transaction. For statements that must run on their own, use `with op.get_context().autocommit_block():`.';

/** One message per transaction command (its id is the change's `command`); `{statement}` is how it is written. */
const MESSAGES: Record<ChangeOf<'transaction'>['command'], string> = {
  commit: "SQL runs {statement}: it commits Alembic's transaction halfway: what ran before stays even if a later statement fails, every later statement commits on its own, and alembic_version can be left behind the schema",
  rollback: 'SQL runs {statement}: it rolls back what the migration did so far, while Alembic goes on as if it had run, and every later statement commits on its own',
  begin: "SQL runs {statement}: it is ignored inside Alembic's transaction (PostgreSQL warns), and a matching COMMIT ends Alembic's transaction early",
  savepoint: "SQL runs {statement}: it splits Alembic's transaction in a way Alembic does not know of: a later ROLLBACK TO undoes part of the migration behind its back",
  release: 'SQL runs {statement}: it releases a savepoint Alembic does not know of',
  rollback_to: "SQL runs {statement}: it undoes part of the migration behind Alembic's back",
  prepare: "SQL runs {statement}: it hands Alembic's transaction to two-phase commit: the migration's work waits for a COMMIT PREPARED that Alembic never sends",
  commit_prepared: 'SQL runs {statement}: it commits a prepared transaction, which PostgreSQL refuses inside a transaction block',
  rollback_prepared: 'SQL runs {statement}: it rolls back a prepared transaction, which PostgreSQL refuses inside a transaction block',
};

/** BEGIN / COMMIT / ROLLBACK / SAVEPOINT in a migration's SQL end or split the transaction Alembic runs it in. */
export default defineChangeRule({
  meta: {
    id: 'transaction-control',
    description: '`BEGIN`, `COMMIT`, `ROLLBACK`, `SAVEPOINT` inside `op.execute`: they end or split the transaction Alembic runs the migration in.',
    defaultSeverity: 'error',
    fixable: false,
    help: HELP,
    messages: MESSAGES,
  },
  existingOnly: false,
  on: {
    transaction(c, { report }) {
      const word = c.command.replace('_', ' ').toUpperCase().replace('ROLLBACK TO', 'ROLLBACK TO SAVEPOINT');
      report({ messageId: c.command, data: { statement: word } });
    },
  },
});
