import { defineChangeRule, q } from './change-rule.js';

const HELP =
  'An exclusion constraint cannot be added NOT VALID: add it while the table is new (in the revision that creates it), or build a new table with the constraint, copy the rows in batches and swap the names; otherwise schedule the lock.';

/** ADD CONSTRAINT … EXCLUDE builds its index and checks every row under ACCESS EXCLUSIVE, and PostgreSQL has no NOT VALID for it. */
export default defineChangeRule({
  meta: {
    id: 'exclusion-constraint-on-existing-table',
    description: '`create_exclude_constraint` (or SQL `EXCLUDE`) on an existing table: a full scan under lock, and it cannot be added `NOT VALID`.',
    defaultSeverity: 'warning',
    fixable: false,
    help: HELP,
    messages: {
      add: 'Adds exclusion constraint {constraint} to existing table {table}: PostgreSQL builds its index and checks every row under an ACCESS EXCLUSIVE lock (blocks reads and writes), and an exclusion constraint cannot be added NOT VALID',
      sqlAdd:
        'SQL adds exclusion constraint {constraint} to existing table {table}: PostgreSQL builds its index and checks every row under an ACCESS EXCLUSIVE lock (blocks reads and writes), and an exclusion constraint cannot be added NOT VALID',
    },
  },
  on: {
    add_constraint(c, { step, report }) {
      if (c.constraint.kind !== 'exclusion') return;
      report({
        messageId: c.form === 'sql' ? 'sqlAdd' : 'add',
        data: { constraint: q(c.constraint.name), table: q(step.table) },
      });
    },
  },
});
