import { defineRule } from './types.js';
import { appliesTo, lockContext, reportedFiles, upgradeSteps } from '../facts/lock-context.js';
import { isTrueKw } from '../facts/locks.js';

const HELP = 'Put the call inside `with op.get_context().autocommit_block():`, which commits the migration\'s transaction first.';

/** Alembic runs a PostgreSQL migration in a transaction; CONCURRENTLY cannot run inside one, so the upgrade fails. */
export default defineRule({
  meta: {
    id: 'concurrent-index-in-transaction',
    description: '`postgresql_concurrently=True` (or SQL `CONCURRENTLY`) outside `with op.get_context().autocommit_block():`: PostgreSQL refuses it inside a transaction block.',
    defaultSeverity: 'error',
    fixable: false,
    help: HELP,
  },
  checkEnvironment(ctx) {
    if (!appliesTo(ctx)) return;
    const lc = lockContext(ctx);
    for (const file of reportedFiles(ctx)) {
      const tx = lc.transactions(file);
      const steps = upgradeSteps(lc, file);
      for (const step of steps) {
        // Several statements in one execute are one implicit transaction, even in autocommit mode.
        const shared = step.kind === 'sql' && steps.filter((s) => s.op === step.op).length > 1;
        if (tx.inAutocommit(step.op.span.start) && !shared) continue;
        let what: string | null = null;
        if (step.kind === 'op') {
          if ((step.op.op === 'create_index' || step.op.op === 'drop_index') && isTrueKw(step.op, 'postgresql_concurrently')) {
            what = `\`${step.op.op}(postgresql_concurrently=True)\``;
          }
        } else if ((step.stmt.kind === 'create_index' || step.stmt.kind === 'drop_index' || step.stmt.kind === 'reindex') && step.stmt.concurrently) {
          what = `SQL ${step.stmt.kind === 'create_index' ? 'CREATE INDEX' : step.stmt.kind === 'drop_index' ? 'DROP INDEX' : 'REINDEX'} CONCURRENTLY`;
        }
        if (!what) continue;
        ctx.report(file.path, {
          span: step.op.span,
          message: `${what} runs inside ${shared ? 'a multi-statement SQL string (one implicit transaction)' : "the migration's transaction"}: PostgreSQL refuses it ("cannot run inside a transaction block") and the upgrade fails`,
          help: HELP,
        });
      }
    }
  },
});
