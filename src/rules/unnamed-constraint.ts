import { defineRule } from './types.js';
import { argument } from '../parse/python.js';
import { quote } from './util.js';

const CREATES = new Set(['create_foreign_key', 'create_unique_constraint', 'create_check_constraint']);

/**
 * A constraint made without a name gets one the database picks, which the code does not know; the
 * downgrade's `drop_constraint(None, …)` then fails outright ("Constraint must have a name").
 */
export default defineRule({
  meta: {
    id: 'unnamed-constraint',
    description: '`create_foreign_key(None, …)`, `create_unique_constraint(None, …)` or `drop_constraint(None, …)`: unnamed constraints cannot be dropped later.',
    defaultSeverity: 'warning',
    fixable: false,
    help: 'Set a naming convention on SQLModel.metadata (`SQLModel.metadata.naming_convention = {...}`) and regenerate, or pass an explicit name.',
    messages: {
      drop: '`drop_constraint(None, {table})` in {function} fails when it runs: Alembic cannot drop a constraint without its name',
      create: '`{op}` on table {table} creates an unnamed constraint: the database names it, so no later migration can drop it by name',
    },
  },
  checkFile({ file, report }) {
    if (file.facts.parseError) return;
    for (const op of file.facts.operations) {
      if (!CREATES.has(op.op) && op.op !== 'drop_constraint') continue;
      const name = argument(op, 0, op.kwargs.some((k) => k.name === 'constraint_name') ? 'constraint_name' : 'name');
      if (name && name.kind !== 'none') continue;
      if (!name && op.star) continue;
      const where = `${op.fn === 'upgrade' ? 'upgrade' : 'downgrade'}()`;
      report({
        span: op.span,
        ...(op.op === 'drop_constraint'
          ? { messageId: 'drop', data: { table: quote(op.table), function: where } }
          : { messageId: 'create', data: { op: op.op, table: quote(op.table) } }),
      });
    }
  },
});
