import { defineRule } from './types.js';
import { buildGraph, mayBeLeftOut, resolveTarget } from '../facts/graph.js';

/** Alembic builds the whole graph before any command: one dangling parent breaks `upgrade`, `history`, everything. */
export default defineRule({
  meta: {
    id: 'unknown-down-revision',
    description: '`down_revision` (or `depends_on`) names a revision that no file defines.',
    defaultSeverity: 'error',
    fixable: false,
    help: "Point down_revision at an existing revision (`alembic heads` shows the current head), or restore the parent's file.",
    kind: 'graph',
    messages: {
      downRevision: "down_revision '{missing}' names a revision that no migration defines: Alembic fails with \"Revision {missing} referenced from {revision} is not present\"",
      dependsOn: "depends_on '{missing}' names a revision or branch label that no migration defines",
    },
  },
  checkEnvironment({ files, report }) {
    const graph = buildGraph(files);
    for (const node of graph.nodes.values()) {
      const f = node.file.facts;
      for (const d of node.downs) {
        // down_revision takes exact ids only (Alembic resolves no labels or prefixes there).
        if (graph.nodes.has(d) || graph.duplicates.has(d) || mayBeLeftOut(graph, d, false)) continue;
        report(node.file.path, {
          span: f.downRevision.span!,
          messageId: 'downRevision',
          data: { missing: d, revision: node.revision },
        });
      }
      for (const d of node.dependsOn) {
        if (resolveTarget(graph, d, true) !== null || mayBeLeftOut(graph, d, true)) continue;
        report(node.file.path, {
          span: f.dependsOn.span!,
          messageId: 'dependsOn',
          data: { missing: d },
        });
      }
    }
  },
});
