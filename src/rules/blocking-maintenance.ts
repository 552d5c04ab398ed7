import { defineChangeRule, q } from './change-rule.js';
import { changeLock, lockBlocks } from '../facts/locks.js';

const HELP_REINDEX = 'Write `REINDEX … CONCURRENTLY` and run it inside `with op.get_context().autocommit_block():`.';
const HELP_REWRITE =
  'Leave it out of the migration: run plain `VACUUM` (no lock that blocks traffic), or rebuild the table online with pg_repack in a maintenance job.';

/**
 * REINDEX without CONCURRENTLY, VACUUM FULL and CLUSTER hold their lock for as long as they take to rebuild
 * the index or the whole table: minutes to hours on a large table, with traffic waiting.
 */
export default defineChangeRule({
  meta: {
    id: 'blocking-maintenance',
    description: '`REINDEX` without `CONCURRENTLY`, `VACUUM FULL`, `CLUSTER` on an existing table: they lock it for their whole run.',
    defaultSeverity: 'warning',
    fixable: false,
    help: HELP_REINDEX,
    messages: {
      reindex: 'SQL runs {command} on {target}: it holds {mode} for its whole run ({blocks}), and ACCESS EXCLUSIVE on each index it rebuilds',
      rewrite: 'SQL runs {command} on {target}: it holds {mode} for its whole run ({blocks}), while it rewrites the table',
    },
  },
  on: {
    maintenance(c, { step, report }) {
      const what =
        c.command === 'reindex' && !c.concurrently ? `REINDEX ${(c.target ?? '').toUpperCase()}`.trim()
        : c.command === 'vacuum' && c.full ? 'VACUUM FULL'
        : c.command === 'cluster' ? 'CLUSTER'
        : null;
      if (!what) return;
      const mode = changeLock(c)!;
      const on = step.table ? `existing table ${q(step.table)}` : c.name ? q(c.name) : 'every table it covers';
      report({
        messageId: c.command === 'reindex' ? 'reindex' : 'rewrite',
        data: { command: what, target: on, mode, blocks: lockBlocks(mode) },
        help: c.command === 'reindex' ? HELP_REINDEX : HELP_REWRITE,
      });
    },
  },
});
