import { defineRule, type Report } from './types.js';
import { operationsIn, quote } from './util.js';
import { destructiveSql } from '../facts/sql.js';
import { isWidening, readColumnType } from '../facts/types-sql.js';
import { literalString } from '../parse/python.js';
import type { Operation } from '../facts/types.js';

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
  const t = quote(op.table);
  switch (op.op) {
    case 'drop_table':
      return { span: op.span, message: `Drops table ${t} and every row in it`, help: APPROVE };
    case 'drop_column':
      return { span: op.span, message: `Drops column ${quote(op.name)} of table ${t} and all its values`, help: APPROVE };
    case 'drop_constraint': {
      const type = literalString(op.kwargs.find((k) => k.name === 'type_')?.value);
      if (type !== 'primary') return null;
      return { span: op.span, message: `Drops the primary key ${quote(op.name)} of table ${t}: rows lose their identity and references to them break`, help: APPROVE };
    }
    case 'rename_table':
      return {
        span: op.span,
        message: `Renames table ${t} to ${quote(op.name)}: running code that still uses the old name fails until it is deployed`,
        help: APPROVE,
      };
    case 'alter_column': {
      const newName = literalString(op.kwargs.find((k) => k.name === 'new_column_name')?.value);
      if (newName !== null || op.kwargs.some((k) => k.name === 'new_column_name')) {
        return {
          span: op.span,
          message: `Renames column ${quote(op.name)} of table ${t}${newName ? ` to '${newName}'` : ''}: running code that uses the old name breaks`,
          help: APPROVE,
        };
      }
      const typeArg = op.kwargs.find((k) => k.name === 'type_')?.value;
      if (!typeArg) return null;
      const from = readColumnType(op.kwargs.find((k) => k.name === 'existing_type')?.value);
      const to = readColumnType(typeArg);
      if (isWidening(from, to)) return null;
      const change = from ? `from ${from.name}${from.length !== null ? `(${from.length})` : ''} to ${to?.name ?? 'another type'}${to?.length != null ? `(${to.length})` : ''}` : 'without `existing_type`';
      return {
        span: op.span,
        message: `Changes the type of column ${quote(op.name)} of table ${t} ${change}: values that do not fit are cut or the upgrade fails`,
        help: APPROVE,
      };
    }
    default:
      return null;
  }
}
