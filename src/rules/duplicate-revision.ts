import { defineRule } from './types.js';
import { buildGraph } from '../facts/graph.js';

/** Two files with one id: Alembic keeps one of them, and which one runs depends on file order. */
export default defineRule({
  meta: {
    id: 'duplicate-revision',
    description: 'Two files define the same `revision`.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Give the copy a new id (`alembic revision` generates one) and set the down_revision of its children, or delete the stray copy.',
    kind: 'graph',
    messages: { duplicate: "Revision '{revision}' is also defined in {others}: Alembic cannot tell them apart" },
  },
  checkEnvironment({ files, report }) {
    const graph = buildGraph(files);
    for (const [rev, dupes] of graph.duplicates) {
      for (const file of dupes) {
        const others = dupes.filter((d) => d !== file).map((d) => d.path);
        report(file.path, {
          span: file.facts.revision.span!,
          messageId: 'duplicate',
          data: { revision: rev, others: others.join(', ') },
        });
      }
    }
  },
});
