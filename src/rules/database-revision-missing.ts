import { resolveHistory } from '../facts/identity.js';
import { defineRule } from './types.js';

/**
 * A database whose `alembic_version` names a revision no file defines is stuck: Alembic resolves the current
 * revision before any command, so `upgrade`, `downgrade`, `current` and `stamp <rev>` all stop with "Can't
 * locate revision identified by …". The usual causes are a deleted applied revision and a revision that
 * was applied from a branch and never merged.
 */
export default defineRule({
  meta: {
    id: 'database-revision-missing',
    description: "With `--database-url`: the database's `alembic_version` records a revision that no migration file defines, so every Alembic command on it fails.",
    defaultSeverity: 'error',
    fixable: false,
    help: 'Restore the file that defines the revision (`git log --all --diff-filter=D --name-only` finds a deleted one) or merge the branch it came from; if it was abandoned, `alembic stamp` the database at the revision it really is at.',
    kind: 'graph',
    messages: {
      deleted:
        'The database {url} records revision \'{revision}\' in alembic_version: {path} defined it at the baseline and is gone. Every Alembic command on that database fails with "Can\'t locate revision identified by \'{revision}\'"',
      undefined:
        'The database {url} records revision \'{revision}\' in alembic_version: no file in this repository defines it. Every Alembic command on that database fails with "Can\'t locate revision identified by \'{revision}\'"',
    },
  },
  checkEnvironment(ctx) {
    const db = ctx.database;
    if (!db) return;
    // Where it can be shown: the file it lived in when that was deleted since the baseline (JSON and SARIF
    // carry the path), else the template, else the first versions folder. It is never dropped.
    const gone = ctx.history ? resolveHistory(ctx.history, ctx.files).entries.filter((e) => e.status === 'deleted') : [];
    for (const rev of db.missing) {
      const deleted = gone.find((e) => e.oldFacts?.revision.values?.length === 1 && e.oldFacts.revision.values[0] === rev);
      const file = ctx.env.template?.path ?? deleted?.oldPath ?? ctx.env.versions[0] ?? ctx.env.name;
      const data = { url: db.shownUrl, revision: rev };
      ctx.report(file, {
        span: { start: 0, end: 0 },
        ...(deleted ? { messageId: 'deleted', data: { ...data, path: deleted.oldPath } } : { messageId: 'undefined', data }),
      });
    }
  },
});
