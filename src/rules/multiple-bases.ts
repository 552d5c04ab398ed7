import { defineRule } from './types.js';
import { buildGraph, reach } from '../facts/graph.js';

/**
 * A second root usually means a lost `down_revision` (a bad merge or rebase, a file copied from another
 * project): on a database already at head, Alembic sees that whole line as never applied and runs it from
 * its first `create_table`. Intended independent branches (`alembic revision --head=base
 * --branch-label=…`) carry a branch label, as they must for `alembic upgrade <label>@head`.
 */
export default defineRule({
  meta: {
    id: 'multiple-bases',
    description: 'More than one revision has no `down_revision`, unless `branch_labels` separate them.',
    defaultSeverity: 'warning',
    fixable: false,
    help: "Set the stray base's down_revision to the revision it was meant to follow; if the branch is meant to be independent, give its base a branch_labels entry.",
    kind: 'graph',
    messages: {
      bases: "Revision '{revision}' has no down_revision, like {others}: the history has {count} bases ({bases}) and no branch label tells them apart",
    },
  },
  checkEnvironment({ files, report }) {
    const graph = buildGraph(files);
    // A file left out (a value that cannot be read statically) may be another base, or carry the label
    // that separates these: no guessing, as multiple-heads does.
    if (graph.bases.length < 2 || graph.leftOut.length > 0) return;
    const children = new Map<string, string[]>();
    for (const n of graph.nodes.values()) {
      for (const d of n.downs) children.set(d, [...(children.get(d) ?? []), n.revision]);
    }
    const labelsOf = new Map(graph.bases.map((b) => [b, descendantLabels(b, children, graph.nodes)]));
    // A base whose line carries a label no other base's line carries is an intended separate branch.
    const unlabelled = graph.bases.filter((b) => {
      const mine = labelsOf.get(b)!;
      return ![...mine].some((l) => graph.bases.every((o) => o === b || !labelsOf.get(o)!.has(l)));
    });
    if (unlabelled.length < 2) return;
    const all = graph.bases.join(', ');
    for (const b of unlabelled) {
      const node = graph.nodes.get(b)!;
      const f = node.file.facts;
      report(node.file.path, {
        span: f.downRevision.span ?? f.revision.span ?? { start: 0, end: 0 },
        messageId: 'bases',
        data: { revision: b, others: others(b, graph.bases), count: graph.bases.length, bases: all },
      });
    }
  },
});

function others(b: string, bases: string[]): string {
  const rest = bases.filter((x) => x !== b).map((x) => `'${x}'`);
  return rest.length === 1 ? rest[0]! : `${rest.slice(0, -1).join(', ')} and ${rest[rest.length - 1]}`;
}

/** Branch labels on `base` and every revision built on it. */
function descendantLabels(base: string, children: Map<string, string[]>, nodes: ReturnType<typeof buildGraph>['nodes']): Set<string> {
  return new Set([...reach(base, (r) => children.get(r) ?? [])].flatMap((r) => nodes.get(r)?.labels ?? []));
}
