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
    kind: 'graph',
    messages: { heads: "Revision '{revision}' is one of {count} heads ({heads}): `alembic upgrade head` fails with \"Multiple head revisions\"" },
  },
  checkEnvironment({ files, report }) {
    const graph = buildGraph(files);
    if (graph.heads.length < 2) return;
    // What the graph cannot see may join a "head" to the rest: a missing revision that a down_revision names
    // (a typo, a deleted file) may have any head as its parent, as may a left-out file's unreadable parent.
    // Each such link joins at most one head, so a fork elsewhere still shows when the heads outnumber them;
    // a dangling down_revision is unknown-down-revision's finding and never hides a fork.
    if (graph.leftOut.some((l) => l.downs === null)) return;
    const missing = new Set<string>();
    for (const n of graph.nodes.values()) for (const d of n.downs) if (!graph.nodes.has(d) && !graph.duplicates.has(d)) missing.add(d);
    const unseenLinks = missing.size + graph.leftOut.reduce((k, l) => k + l.downs!.filter((d) => d === null).length, 0);
    if (graph.heads.length - unseenLinks < 2) return;
    const lineage = new Map(graph.heads.map((h) => [h, ancestors(graph, h)]));
    // A head whose own line is cut by a missing parent may be what the missing revision continues: not reported.
    const cut = (h: string) => [...lineage.get(h)!].some((r) => missing.has(r));
    const labelsOf = (h: string) => new Set([...lineage.get(h)!].flatMap((r) => graph.nodes.get(r)?.labels ?? []));
    // Heads on separately labelled branches (e.g. expand/contract) are intended, as Alembic allows.
    const unlabelled = graph.heads.filter((h) => {
      if (cut(h)) return false;
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
        messageId: 'heads',
        data: { revision: h, count: graph.heads.length, heads: all },
      });
    }
  },
});
