import { detectEol } from '../parse/source.js';
import type { Fix } from '../model/diagnostic.js';
import { defineRule } from './types.js';
import type { Unimported } from '../orm/drift.js';
import type { ModuleInfo } from '../orm/module.js';

/**
 * A table model Alembic never sees: no import on any path from env.py reaches its module, so its table is
 * not on the metadata autogenerate compares (the seed's "verify model imports in app/models/__init__.py").
 */
export default defineRule({
  meta: {
    id: 'model-not-imported',
    description: 'A table model is not imported on any path from env.py to the metadata it hands Alembic: autogenerate does not see it.',
    defaultSeverity: 'error',
    fixable: true,
    help: 'Import the model where env.py\'s imports reach it: in the models package that imports its siblings (`app/models/__init__.py`), else in env.py; `npx migration-lint --fix` adds the import there.',
    project: true,
    messages: {
      dropped: "table model {model} is not imported on any path from env.py: autogenerate would write `op.drop_table('{table}')` for its live table",
      droppedFix: "table model {model} is not imported on any path from env.py (add it to {where}): autogenerate would write `op.drop_table('{table}')` for its live table",
      neverCreated: 'table model {model} is not imported on any path from env.py: autogenerate never creates table {table}',
      neverCreatedFix: 'table model {model} is not imported on any path from env.py (add it to {where}): autogenerate never creates table {table}',
    },
  },
  checkEnvironment({ models, report }) {
    if (!models || !models.touched()) return;
    const drift = models.drift();
    if (!drift || drift.target.kind !== 'keys') return;
    for (const u of drift.unimported) {
      const cls = u.model.cls!;
      const table = u.model.table.key;
      const made = drift.diffs.some((d) => d.kind === 'remove_table' && d.table === table);
      const data = { model: cls.name, table };
      report(models.rel(cls.file), {
        span: cls.nameSpan,
        ...(u.fix
          ? { messageId: made ? 'droppedFix' : 'neverCreatedFix', data: { ...data, where: models.rel(u.fix.file) } }
          : { messageId: made ? 'dropped' : 'neverCreated', data }),
        fix: u.fix ? importFix(u.fix, models.rel(u.fix.file)) : undefined,
      });
    }
  },
});

/** Inserts the import after the last top-level import of the file (or at its top), in the file's line endings. */
function importFix(fix: NonNullable<Unimported['fix']>, file: string): Fix {
  const m: ModuleInfo = fix.module;
  const eol = detectEol(m.text);
  // Only an import at column 0: one inside `try:` or `if:` would take the new line out of its block.
  const last = [...m.imports].filter((i) => i.topLevel && (i.span.start === 0 || m.text[i.span.start - 1] === '\n')).sort((a, b) => a.span.end - b.span.end).pop();
  // After the import's line, trailing comment included (comments are not part of the statement's span).
  const eolAt = last ? m.text.slice(last.span.end).search(/\r|\n|$/) : 0;
  const at = last ? last.span.end + eolAt : 0;
  const text = last ? `${eol}${fix.statement}` : `${fix.statement}${eol}`;
  return { description: `import the model in ${file}`, file, edits: [{ start: at, end: at, text }] };
}
