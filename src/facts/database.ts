/**
 * What a database's `alembic_version` means for one environment's revisions, as Alembic reads it: every
 * recorded revision and all it stands on (its `down_revision` ancestors and its `depends_on` targets) is
 * applied; a recorded revision that no file defines is missing; the rest is pending, in upgrade order.
 */
import type { DatabaseView } from '../model/database.js';
import type { MigrationFile } from '../model/migration.js';
import { buildGraph, resolveTarget } from './graph.js';

export function databaseView(shownUrl: string, recorded: string[], files: MigrationFile[], definedElsewhere: (rev: string) => boolean): DatabaseView {
  const graph = buildGraph(files);
  const applied = new Set<string>();
  const current: string[] = [];
  const missing: string[] = [];
  for (const rev of recorded) {
    const resolved = resolveTarget(graph, rev, false);
    if (resolved === null) {
      if (!definedElsewhere(rev)) missing.push(rev);
      continue;
    }
    current.push(resolved);
    const stack = [resolved];
    while (stack.length) {
      const r = stack.pop()!;
      if (applied.has(r)) continue;
      applied.add(r);
      const node = graph.nodes.get(r);
      if (!node) continue;
      stack.push(...node.downs);
      for (const d of node.dependsOn) {
        const t = resolveTarget(graph, d, true);
        if (t !== null) stack.push(t);
      }
    }
  }
  return { shownUrl, recorded, current, applied, missing, pending: upgradeOrder(graph).filter((r) => !applied.has(r)) };
}

/** Revisions with every parent before its children (Kahn's algorithm; ties in file order). */
function upgradeOrder(graph: ReturnType<typeof buildGraph>): string[] {
  const waiting = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const n of graph.nodes.values()) {
    const parents = n.downs.filter((d) => graph.nodes.has(d));
    waiting.set(n.revision, parents.length);
    for (const p of parents) children.set(p, [...(children.get(p) ?? []), n.revision]);
  }
  const ready = [...graph.nodes.keys()].filter((r) => waiting.get(r) === 0);
  const out: string[] = [];
  while (ready.length) {
    const r = ready.shift()!;
    out.push(r);
    for (const c of children.get(r) ?? []) {
      const left = waiting.get(c)! - 1;
      waiting.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  // A cycle leaves its members waiting: listed after the rest rather than dropped.
  const listed = new Set(out);
  for (const r of graph.nodes.keys()) if (!listed.has(r)) out.push(r);
  return out;
}
