import { defineRule } from './types.js';
import { ancestors, buildGraph } from '../facts/graph.js';

/** `alembic upgrade head` refuses to run with two heads: the deploy stops until someone merges them. */
export default defineRule({
  meta: {
    id: 'multiple-heads',
    description: 'The revision graph has more than one head (two migrations share a `down_revision`), unless `branch_labels` split them.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Run `alembic merge heads -m "merge <a> and <b>"`, or rebase the new revision onto the current head (set its down_revision).',
  },
  checkEnvironment({ files, report }) {
    const graph = buildGraph(files);
    // With a file left out or missing, a "head" may be the parent of the revision we cannot see: no guessing.
    if (graph.heads.length < 2 || !graph.complete) return;
    const lineage = new Map(graph.heads.map((h) => [h, ancestors(graph, h)]));
    const labelsOf = (h: string) => new Set([...lineage.get(h)!].flatMap((r) => graph.nodes.get(r)?.labels ?? []));
    // Heads on separately labelled branches (e.g. expand/contract) are intended, as Alembic allows.
    const unlabelled = graph.heads.filter((h) => {
      const mine = labelsOf(h);
      return ![...mine].some((l) => graph.heads.every((o) => o === h || !labelsOf(o).has(l)));
    });
    if (unlabelled.length < 2) return;
    const all = graph.heads.join(', ');
    for (const h of unlabelled) {
      const node = graph.nodes.get(h)!;
      const f = node.file.facts;
      const span = f.downRevision.span ?? f.revision.span ?? { start: 0, end: 0 };
      report(node.file.path, {
        span,
        message: `Revision '${h}' is one of ${graph.heads.length} heads (${all}): \`alembic upgrade head\` fails with "Multiple head revisions"`,
      });
    }
  },
});
