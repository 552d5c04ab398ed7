import { defineRule } from './types.js';

/** Autogenerate compares the database with `target_metadata`; without it every model is invisible. */
export default defineRule({
  meta: {
    id: 'target-metadata-missing',
    description: 'env.py gives Alembic no metadata (`target_metadata = None`, or never set) while the project has table models: autogenerate sees none of them.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Import the models in env.py and set `target_metadata = SQLModel.metadata` (or `Base.metadata`), then pass it to `context.configure(target_metadata=target_metadata)`.',
    project: true,
    messages: {
      none: 'target_metadata is None, but the project defines {count} table model{s} ({models}, in {file}): autogenerate compares the database with nothing and would never create their tables',
      unset:
        'env.py never sets target_metadata, but the project defines {count} table model{s} ({models}, in {file}): autogenerate compares the database with nothing and would never create their tables',
    },
  },
  checkEnvironment({ models, report }) {
    if (!models || !models.touched()) return;
    const drift = models.drift();
    if (!drift || (drift.target.kind !== 'missing' && drift.target.kind !== 'none')) return;
    if (!drift.projectModels.length) return;
    const first = drift.projectModels[0]!;
    const names = drift.projectModels.slice(0, 3).map((m) => m.className).join(', ') + (drift.projectModels.length > 3 ? ', …' : '');
    const at = drift.target.origin ?? drift.configure ?? { file: drift.project.env.file, start: 0, end: 0 };
    const count = drift.projectModels.length;
    report(models.rel(at.file), {
      span: { start: at.start, end: at.end },
      messageId: drift.target.kind === 'none' ? 'none' : 'unset',
      data: { count, s: count === 1 ? '' : 's', models: names, file: models.rel(first.module.file) },
    });
  },
});
