import { defineRule } from './types.js';

/**
 * The static `alembic check`: what `alembic revision --autogenerate` would write now, one finding per
 * difference, at the model's line when the model has the thing, else at the migration operation that made it.
 */
export default defineRule({
  meta: {
    id: 'model-drift',
    description: 'The schema the migrations build differs from the models: autogenerate would add, drop or alter a table, column, index, constraint or foreign key.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Generate the migration with `alembic revision --autogenerate -m "…"`, review it, and commit it with the model change.',
    project: true,
    messages: { drift: '{detail}: autogenerate would write `{operation}`' },
  },
  checkEnvironment({ models, report }) {
    if (!models || !models.touched()) return;
    const drift = models.drift();
    if (!drift || drift.target.kind !== 'keys') return;
    // A table model env.py never imports shows up as a table to drop: model-not-imported names the cause.
    const unimported = new Set(drift.unimported.map((u) => u.model.table.key));
    for (const d of drift.diffs) {
      if ((d.kind === 'remove_table' || d.kind === 'remove_index') && unimported.has(d.table)) continue;
      const at = d.model ?? d.migration;
      if (!at) continue;
      const added = d.kind.startsWith('add_') || d.kind.startsWith('modify_');
      report(models.rel(at.file), {
        span: { start: at.start, end: at.end },
        messageId: 'drift',
        data: { detail: d.detail, operation: d.operation },
        help: added
          ? 'The models changed with no migration for it: run `alembic revision --autogenerate -m "…"`, review the migration and commit both together.'
          : 'The migrations make what no model declares: add it back to the model, or generate the migration that removes it (`alembic revision --autogenerate`).',
      });
    }
  },
});
