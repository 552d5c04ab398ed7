/**
 * Where each argument of an Alembic operation sits: its positional parameters as Alembic's `Operations`
 * methods declare them, and as the `BatchOperations` twins declare them (the table argument gone, taken from
 * `batch_alter_table`). Read from alembic/operations/ops.py (Alembic 1.8 to 1.13 agree).
 */
import type { Expr } from '../../model/expr.js';
import type { Operation } from '../../model/facts.js';
import { kwarg } from '../../parse/python.js';

const OP_PARAMS: Record<string, string[]> = {
  add_column: ['table_name', 'column', 'schema'],
  alter_column: ['table_name', 'column_name', 'nullable', 'comment', 'server_default', 'new_column_name', 'type_', 'existing_type', 'existing_server_default', 'existing_nullable', 'existing_comment', 'schema'],
  bulk_insert: ['table', 'rows', 'multiinsert'],
  create_check_constraint: ['constraint_name', 'table_name', 'condition', 'schema'],
  create_exclude_constraint: ['constraint_name', 'table_name'],
  create_foreign_key: ['constraint_name', 'source_table', 'referent_table', 'local_cols', 'remote_cols', 'onupdate', 'ondelete', 'deferrable', 'initially', 'match', 'source_schema', 'referent_schema'],
  create_index: ['index_name', 'table_name', 'columns', 'schema', 'unique'],
  create_primary_key: ['constraint_name', 'table_name', 'columns', 'schema'],
  create_table: ['table_name'],
  create_table_comment: ['table_name', 'comment', 'existing_comment', 'schema'],
  create_unique_constraint: ['constraint_name', 'table_name', 'columns', 'schema'],
  drop_column: ['table_name', 'column_name', 'schema'],
  drop_constraint: ['constraint_name', 'table_name', 'type_', 'schema'],
  drop_index: ['index_name', 'table_name', 'schema'],
  drop_table: ['table_name', 'schema'],
  drop_table_comment: ['table_name', 'existing_comment', 'schema'],
  execute: ['sqltext', 'execution_options'],
  rename_table: ['old_table_name', 'new_table_name', 'schema'],
};

const BATCH_PARAMS: Record<string, string[]> = {
  add_column: ['column', 'insert_before', 'insert_after'],
  alter_column: ['column_name', 'nullable', 'comment', 'server_default', 'new_column_name', 'type_', 'existing_type', 'existing_server_default', 'existing_nullable', 'existing_comment', 'insert_before', 'insert_after'],
  create_check_constraint: ['constraint_name', 'condition'],
  create_exclude_constraint: ['constraint_name'],
  create_foreign_key: ['constraint_name', 'referent_table', 'local_cols', 'remote_cols', 'referent_schema', 'onupdate', 'ondelete', 'deferrable', 'initially', 'match'],
  create_index: ['index_name', 'columns'],
  create_primary_key: ['constraint_name', 'columns'],
  create_table_comment: ['comment', 'existing_comment'],
  create_unique_constraint: ['constraint_name', 'columns'],
  drop_column: ['column_name'],
  drop_constraint: ['constraint_name', 'type_'],
  drop_index: ['index_name'],
  drop_table_comment: ['existing_comment'],
  execute: ['sqltext', 'execution_options'],
};

// Older names Alembic still accepts as keywords (alembic/util/langhelpers.py `_with_legacy_names`).
const ALIASES: Record<string, Record<string, string[]>> = {
  create_check_constraint: { constraint_name: ['name'], table_name: ['source', 'table'] },
  create_exclude_constraint: { constraint_name: ['name'] },
  create_foreign_key: { constraint_name: ['name'], source_table: ['source'], referent_table: ['referent'] },
  create_index: { index_name: ['name'] },
  create_primary_key: { constraint_name: ['name'] },
  create_table: { table_name: ['name'] },
  create_unique_constraint: { constraint_name: ['name'], table_name: ['source'] },
  drop_constraint: { constraint_name: ['name'] },
  drop_index: { index_name: ['name'] },
  drop_table: { table_name: ['name'] },
};

/** The argument `name` of `op` (keyword or positional, in the op's own form), or undefined when not given. */
export function argOf(op: Operation, name: string): Expr | undefined {
  const kw = kwarg(op, name) ?? op.kwargs.find((k) => ALIASES[op.op]?.[name]?.includes(k.name))?.value;
  if (kw) return kw;
  const params = (op.receiver === 'batch' ? BATCH_PARAMS : OP_PARAMS)[op.op] ?? [];
  const i = params.indexOf(name);
  return i === -1 ? undefined : op.args[i];
}

/** Positional arguments past the declared ones (`create_table`'s columns, `create_exclude_constraint`'s elements). */
export function restArgs(op: Operation): Expr[] {
  const params = (op.receiver === 'batch' ? BATCH_PARAMS : OP_PARAMS)[op.op] ?? [];
  return op.args.slice(params.length);
}
