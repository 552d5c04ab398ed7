/**
 * What a database's `alembic_version` means for one environment's revisions, as Alembic reads it: every
 * recorded revision and all it stands on (its `down_revision` ancestors and its `depends_on` targets) is
 * applied; a recorded revision that no file defines is missing; the rest is pending, in upgrade order.
 */
import type { DatabaseView } from '../model/database.js';
import type { MigrationFile } from '../model/migration.js';
import { buildGraph, reach, resolveTarget } from './graph.js';

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
    reach(resolved, (r) => standsOn(graph, r), applied);
  }
  return { shownUrl, recorded, current, applied, missing, pending: upgradeOrder(graph).filter((r) => !applied.has(r)) };
}

/** What a revision needs applied first: its down_revisions and its depends_on targets. */
function standsOn(graph: ReturnType<typeof buildGraph>, rev: string): string[] {
  const node = graph.nodes.get(rev);
  if (!node) return [];
  return [...node.downs, ...node.dependsOn.map((d) => resolveTarget(graph, d, true)).filter((t): t is string => t !== null)];
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
