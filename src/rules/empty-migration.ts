import { defineRule } from './types.js';
import { bodies } from './util.js';
import { isMerge } from '../facts/graph.js';

/** An empty revision is a deploy step that does nothing: usually autogenerate found no change, or the edit was lost. */
export default defineRule({
  meta: {
    id: 'empty-migration',
    description: '`upgrade()` holds no operation (only `pass`, docstrings, comments or the autogenerate markers).',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Delete the revision if the models did not change, or regenerate it after changing them; merge revisions are exempt.',
    messages: {
      noUpgrade: 'Migration defines no `upgrade()` function: Alembic fails when it runs this revision',
      empty: '`{name}()` is empty: this revision changes nothing',
    },
  },
  checkFile({ file, report }) {
    const { facts } = file;
    if (facts.parseError || isMerge(facts)) return;
    const ups = bodies(facts, 'upgrade');
    if (ups.length === 0) {
      if (facts.revision.span) report({ span: facts.revision.span, messageId: 'noUpgrade' });
      return;
    }
    if (!ups.every((f) => f.empty)) return;
    const f = ups[0]!;
    report({
      span: { start: f.span.start, end: f.nameSpan.end },
      messageId: 'empty',
      data: { name: f.name },
    });
  },
});
