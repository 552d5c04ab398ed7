import { defineRule } from './types.js';
import { buildGraph, resolveTarget, type GraphNode, type RevisionGraph } from '../facts/graph.js';

interface Edge {
  to: string;
  via: 'down_revision' | 'depends_on';
}

/**
 * Alembic checks the whole graph for cycles before any command runs, so one bad `down_revision` (a rebase
 * that pointed a revision at its own descendant) stops every `alembic` command, not just `upgrade`.
 */
export default defineRule({
  meta: {
    id: 'revision-cycle',
    description: 'Following `down_revision`/`depends_on` leads back to the same revision.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Point the down_revision that closes the loop at the revision this one was really written after (`alembic history` before the bad edit, or `git log -p` on the file, shows it).',
    kind: 'graph',
    messages: {
      cycle: "Revision '{revision}' is in a cycle: its {links} leads {path}. Every `alembic` command fails with \"{error} is detected in revisions\"",
      largerCycle:
        "Revision '{revision}' is in a cycle: its {links} leads {path}; {count} revisions are caught in it: {revisions}. Every `alembic` command fails with \"{error} is detected in revisions\"",
    },
  },
  checkEnvironment({ files, report }) {
    const graph = buildGraph(files);
    const edges = edgesOf(graph);
    for (const component of cycles(edges)) {
      const inComponent = new Set(component);
      for (const rev of component) {
        const path = shortestCycle(rev, edges, inComponent);
        const node = graph.nodes.get(rev)!;
        const links = path.slice(0, -1).map((r, i) => edges.get(r)!.find((e) => e.to === path[i + 1])!.via);
        const kinds = [...new Set(links)].join('/');
        // Alembic's own words, which differ when a depends_on closes the loop.
        const data = { revision: rev, links: kinds, path: path.join(' → '), error: links.includes('depends_on') ? 'Dependency cycle' : 'Cycle' };
        report(node.file.path, {
          span: spanOf(node, links[0]!),
          ...(component.length > path.length - 1
            ? { messageId: 'largerCycle', data: { ...data, count: component.length, revisions: component.join(', ') } }
            : { messageId: 'cycle', data }),
        });
      }
    }
  },
});

/** Parent links as Alembic follows them: down_revision by exact id, depends_on also by branch label or prefix. */
function edgesOf(graph: RevisionGraph): Map<string, Edge[]> {
  const edges = new Map<string, Edge[]>();
  for (const n of graph.nodes.values()) {
    const out: Edge[] = [];
    for (const d of n.downs) if (graph.nodes.has(d)) out.push({ to: d, via: 'down_revision' });
    for (const d of n.dependsOn) {
      const to = resolveTarget(graph, d, true);
      if (to !== null && graph.nodes.has(to)) out.push({ to, via: 'depends_on' });
    }
    edges.set(n.revision, out);
  }
  return edges;
}

/** Strongly connected components that hold a cycle (Tarjan's algorithm, iterative: histories run to thousands). */
function cycles(edges: Map<string, Edge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const out_ = edges.get(frame.v)!;
      if (frame.i < out_.length) {
        const w = out_[frame.i++]!.to;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(frame.v)!));
      if (low.get(frame.v) !== index.get(frame.v)) continue;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== frame.v);
      const selfLoop = component.length === 1 && edges.get(frame.v)!.some((e) => e.to === frame.v);
      if (component.length > 1 || selfLoop) out.push(component.sort());
    }
  }
  return out;
}

/** `rev → … → rev` through the fewest links (breadth-first inside the component). */
function shortestCycle(rev: string, edges: Map<string, Edge[]>, component: Set<string>): string[] {
  const prev = new Map<string, string>();
  const queue = [rev];
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi]!;
    for (const { to } of edges.get(v)!) {
      if (!component.has(to)) continue;
      if (to === rev) {
        const path = [rev];
        for (let w = v; w !== rev; w = prev.get(w)!) path.splice(1, 0, w);
        return [...path, rev];
      }
      if (prev.has(to)) continue;
      prev.set(to, v);
      queue.push(to);
    }
  }
  return [rev, rev];
}

function spanOf(node: GraphNode, via: Edge['via']) {
  const f = node.file.facts;
  const span = via === 'depends_on' ? f.dependsOn.span : f.downRevision.span;
  return span ?? f.revision.span ?? { start: 0, end: 0 };
}
