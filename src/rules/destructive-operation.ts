import { defineRule, type Report } from './types.js';
import { operationsIn, quote } from './util.js';
import { destruction } from '../facts/destructive.js';
import { destructiveSql } from '../facts/sql.js';
import type { Operation } from '../model/facts.js';

const APPROVE = 'If the loss is intended, approve it: `# migration-lint: ignore destructive-operation -- <why>` on the line.';

/** Data that an upgrade destroys cannot be brought back by a downgrade: this needs a human's yes. */
export default defineRule({
  meta: {
    id: 'destructive-operation',
    description: 'An upgrade drops a table or column, a primary key, renames, narrows a type, or runs SQL that drops, truncates or deletes.',
    defaultSeverity: 'error',
    fixable: false,
    help: APPROVE,
  },
  checkFile({ file, settings, report }) {
    const { facts } = file;
    if (facts.parseError) return;
    for (const op of operationsIn(facts, settings.checkDowngrade)) {
      const r = judge(op);
      if (r) report(r);
    }
    for (const call of facts.sqlCalls) {
      if (call.fn === 'downgrade' && !settings.checkDowngrade) continue;
      if (call.sql === null) continue;
      const what = destructiveSql(call.sql);
      if (!what) continue;
      report({ span: call.span, message: `Raw SQL runs \`${what}\` in ${call.fnName}(): the rows it removes are gone for good`, help: APPROVE });
    }
  },
});

function judge(op: Operation): Report | null {
  const d = destruction(op);
  if (!d) return null;
  const t = quote(op.table);
  switch (d.kind) {
    case 'drop-table':
      return { span: op.span, message: `Drops table ${t} and every row in it`, help: APPROVE };
    case 'drop-column':
      return { span: op.span, message: `Drops column ${quote(op.name)} of table ${t} and all its values`, help: APPROVE };
    case 'drop-primary-key':
      return { span: op.span, message: `Drops the primary key ${quote(op.name)} of table ${t}: rows lose their identity and references to them break`, help: APPROVE };
    case 'rename-table':
      return {
        span: op.span,
        message: `Renames table ${t} to ${quote(op.name)}: running code that still uses the old name fails until it is deployed`,
        help: APPROVE,
      };
    case 'rename-column':
      return {
        span: op.span,
        message: `Renames column ${quote(op.name)} of table ${t}${d.newName ? ` to '${d.newName}'` : ''}: running code that uses the old name breaks`,
        help: APPROVE,
      };
    case 'type-change': {
      const { from, to } = d;
      const change = from ? `from ${from.name}${from.length !== null ? `(${from.length})` : ''} to ${to?.name ?? 'another type'}${to?.length != null ? `(${to.length})` : ''}` : 'without `existing_type`';
      return {
        span: op.span,
        message: `Changes the type of column ${quote(op.name)} of table ${t} ${change}: values that do not fit are cut or the upgrade fails`,
        help: APPROVE,
      };
    }
    case 'sql':
      // Raw SQL is judged from `sqlCalls`, which also holds the SQL run outside op.execute.
      return null;
  }
}
