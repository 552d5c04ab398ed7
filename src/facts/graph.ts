/**
 * The revision graph of one environment, as Alembic's RevisionMap builds it. Files whose revision
 * variables cannot be resolved statically are left out rather than guessed at.
 */
import type { MigrationFacts } from '../model/facts.js';
import type { MigrationFile } from '../model/migration.js';

export interface GraphNode {
  revision: string;
  file: MigrationFile;
  downs: string[];
  labels: string[];
  dependsOn: string[];
}

export interface RevisionGraph {
  nodes: Map<string, GraphNode>;
  /** Revisions defined by more than one file, with every file that defines them. */
  duplicates: Map<string, MigrationFile[]>;
  heads: string[];
  bases: string[];
  /** Files left out because a value could not be resolved statically. */
  unresolved: MigrationFile[];
  /** What is still known of each left-out file: a reference to one of these is not dangling, only unreadable. */
  leftOut: LeftOut[];
  /**
   * Every file is in `nodes` and every down_revision names one of them. Only then are `heads` certain:
   * a left-out or missing file may be the child that makes a "head" an ordinary revision.
   */
  complete: boolean;
}

export interface LeftOut {
  file: MigrationFile;
  /** Null when the file's own `revision` cannot be read: it might be any revision. */
  revision: string | null;
  /** Null when unreadable, else the values as far as they resolve. */
  downs: (string | null)[] | null;
  labels: (string | null)[] | null;
}

function known(values: (string | null)[] | null): values is string[] {
  return values !== null && values.every((v) => v !== null);
}

const built = new WeakMap<MigrationFile[], { files: MigrationFile[]; graph: RevisionGraph }>();

/**
 * The graph of `files`, built once per files array: every graph rule and the lock catalogue ask for it, and on
 * thousands of revisions building it is most of their work. The array's content is checked, not only its
 * identity, so an array changed since gets a new graph. Nothing mutates a graph once built.
 */
export function buildGraph(files: MigrationFile[]): RevisionGraph {
  const hit = built.get(files);
  if (hit && hit.files.length === files.length && hit.files.every((f, i) => f === files[i])) return hit.graph;
  const graph = buildGraphOf(files);
  built.set(files, { files: [...files], graph });
  return graph;
}

function buildGraphOf(files: MigrationFile[]): RevisionGraph {
  const nodes = new Map<string, GraphNode>();
  const duplicates = new Map<string, MigrationFile[]>();
  const unresolved: MigrationFile[] = [];
  const leftOut: LeftOut[] = [];
  for (const file of files) {
    const f = file.facts;
    const rev = f.revision.values;
    const revision = rev?.length === 1 ? rev[0] : null;
    if (typeof revision !== 'string' || !known(f.downRevision.values) || !known(f.branchLabels.values) || !known(f.dependsOn.values)) {
      unresolved.push(file);
      leftOut.push({ file, revision: revision ?? null, downs: f.downRevision.values, labels: f.branchLabels.values });
      continue;
    }
    const existing = nodes.get(revision);
    if (existing) {
      const list = duplicates.get(revision) ?? [existing.file];
      list.push(file);
      duplicates.set(revision, list);
      continue;
    }
    nodes.set(revision, { revision, file, downs: f.downRevision.values, labels: f.branchLabels.values, dependsOn: f.dependsOn.values });
  }
  const referenced = new Set<string>();
  for (const n of nodes.values()) for (const d of n.downs) referenced.add(d);
  // A left-out file's parents are still its parents: they are no heads.
  for (const l of leftOut) for (const d of l.downs ?? []) if (d !== null) referenced.add(d);
  const heads = [...nodes.keys()].filter((r) => !referenced.has(r));
  const bases = [...nodes.values()].filter((n) => n.downs.length === 0).map((n) => n.revision);
  const dangling = [...nodes.values()].some((n) => n.downs.some((d) => !nodes.has(d) && !duplicates.has(d)));
  return { nodes, duplicates, heads, bases, unresolved, leftOut, complete: leftOut.length === 0 && !dangling };
}

/** Whether a left-out file might define `target`, as its revision or (for depends_on) one of its labels. */
export function mayBeLeftOut(graph: RevisionGraph, target: string, labels: boolean): boolean {
  return graph.leftOut.some(
    (l) => l.revision === null || l.revision === target || (labels && (l.labels === null || l.labels.some((x) => x === null || x === target))),
  );
}

/**
 * Every revision reachable from `from` (itself included) by `next`, added to `seen`: the one walk over the
 * revision graph, downwards (ancestors, what a database has applied) or upwards (what is built on a base).
 */
export function reach(from: string, next: (rev: string) => Iterable<string>, seen = new Set<string>()): Set<string> {
  const stack = [from];
  while (stack.length) {
    const r = stack.pop()!;
    if (seen.has(r)) continue;
    seen.add(r);
    for (const n of next(r)) stack.push(n);
  }
  return seen;
}

/** Every revision reachable downwards from `rev` (itself included), following down_revision only. */
export function ancestors(graph: RevisionGraph, rev: string): Set<string> {
  return reach(rev, (r) => graph.nodes.get(r)?.downs ?? []);
}

/** Resolves a down_revision/depends_on target the way Alembic does: a revision, a branch label, or a unique prefix. */
export function resolveTarget(graph: RevisionGraph, target: string, allowPrefix: boolean): string | null {
  if (graph.nodes.has(target) || graph.duplicates.has(target)) return target;
  for (const n of graph.nodes.values()) if (n.labels.includes(target)) return n.revision;
  if (allowPrefix && target.length >= 4) {
    const matches = [...graph.nodes.keys()].filter((r) => r.startsWith(target));
    if (matches.length === 1) return matches[0]!;
  }
  return null;
}

/** A merge revision: `down_revision` names two or more parents. */
export function isMerge(facts: MigrationFacts): boolean {
  return (facts.downRevision.values?.length ?? 0) > 1;
}
