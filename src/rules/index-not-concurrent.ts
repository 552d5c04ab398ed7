import { defineRule } from './types.js';
import { appliesTo, lockContext, reportedFiles, q, upgradeSteps } from '../facts/lock-context.js';
import { isTrueKw, lockBlocks, lockOf, statementLock } from '../facts/locks.js';

const HELP_OP = 'Pass `postgresql_concurrently=True` and run the call inside `with op.get_context().autocommit_block():`.';
const HELP_SQL = 'Write `CREATE INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY` and run it inside `with op.get_context().autocommit_block():`.';

/** Building or dropping an index the plain way locks the table for as long as the build (or the wait) takes. */
export default defineRule({
  meta: {
    id: 'index-not-concurrent',
    description: '`create_index`/`drop_index` on an existing table without `postgresql_concurrently=True`: blocks writes while the index builds.',
    defaultSeverity: 'warning',
    fixable: false,
    help: HELP_OP,
  },
  checkEnvironment(ctx) {
    if (!appliesTo(ctx)) return;
    const lc = lockContext(ctx);
    for (const file of reportedFiles(ctx)) {
      for (const step of upgradeSteps(lc, file)) {
        if (!step.existing) continue;
        if (step.kind === 'op') {
          const { op } = step;
          if ((op.op !== 'create_index' && op.op !== 'drop_index') || isTrueKw(op, 'postgresql_concurrently')) continue;
          // A concurrently flag held in a variable is not assumed either way.
          if (op.kwargs.some((k) => k.name === 'postgresql_concurrently' && k.value.kind !== 'bool')) continue;
          const mode = lockOf(op)!;
          const what = op.op === 'create_index' ? `Creates index ${q(op.name)} on` : `Drops index ${q(op.name)} of`;
          const until = op.op === 'create_index' ? 'until the index is built' : 'until the drop gets its lock and commits';
          ctx.report(file.path, {
            span: op.span,
            message: `${what} existing table ${q(step.table)} without CONCURRENTLY: ${mode} lock ${until} (${lockBlocks(mode)})`,
            help: HELP_OP,
          });
        } else {
          const { stmt } = step;
          if ((stmt.kind !== 'create_index' && stmt.kind !== 'drop_index') || stmt.concurrently) continue;
          const mode = statementLock(stmt)!;
          const verb = stmt.kind === 'create_index' ? 'CREATE INDEX' : 'DROP INDEX';
          ctx.report(file.path, {
            span: step.op.span,
            message: `SQL runs ${verb} without CONCURRENTLY on existing table ${q(step.table)}: ${mode} lock (${lockBlocks(mode)})`,
            help: HELP_SQL,
          });
        }
      }
    }
  },
});
