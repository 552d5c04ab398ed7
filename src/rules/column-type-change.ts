import { defineChangeRule, q } from './change-rule.js';
import { typeText } from '../facts/changes/sql-types.js';
import { typeTransition } from '../facts/changes/type-change.js';

const HELP =
  'Add a new column of the new type, backfill it in batches and switch the code over in a later release; widening `varchar(n)`, or changing it to `text`, needs no rewrite (docs/type-changes.md lists what PostgreSQL does for each pair).';

/**
 * PostgreSQL keeps the table as it is only when the old values are valid as they stand in the new type
 * (binary-coercible, no tighter modifier); anything else rewrites every row under ACCESS EXCLUSIVE. Which
 * pairs rewrite is measured on PostgreSQL (docs/type-changes.md), not listed from memory.
 */
export default defineChangeRule({
  meta: {
    id: 'column-type-change',
    description: '`alter_column(type_=…)` on an existing table when the change rewrites the table (not for widening `varchar(n)` or to `text`).',
    defaultSeverity: 'warning',
    fixable: false,
    help: HELP,
    messages: {
      sql: 'SQL changes the type of column {column} of existing table {table} {change}: unless the old type is binary-coercible, PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
      rewrite: 'Changes the type of column {column} of existing table {table} {change}: PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
      rewriteUnlessUtc:
        'Changes the type of column {column} of existing table {table} {change}: PostgreSQL rewrites the whole table unless the session TimeZone is UTC under an ACCESS EXCLUSIVE lock (blocks reads and writes)',
    },
  },
  on: {
    alter_type(c, { step, report }) {
      const t = typeTransition(c.from, c.to, c.using);
      const sql = c.form === 'sql';
      // SQL names no old type: a change to text or an unbounded varchar is taken as the usual widening.
      if (sql && !c.using && c.from === null && c.to && (c.to.name === 'text' || (c.to.name === 'varchar' && c.to.mods.length === 0))) return;
      if (t && t.rewrite === false) return;
      const change = c.from ? `from ${typeText(c.from)} to ${typeText(c.to)}` : sql ? `to ${typeText(c.to)}` : `to ${typeText(c.to)} (no \`existing_type\`, so it may not be a widening)`;
      report({
        messageId: sql ? 'sql' : t?.rewrite === 'unless-utc' ? 'rewriteUnlessUtc' : 'rewrite',
        data: { column: q(c.column), table: q(step.table), change },
      });
    },
  },
});
