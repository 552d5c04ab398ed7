/**
 * The change events replayed over the revision graph and the git baseline: the schema each migration starts
 * from, and every upgrade change of a file with the state of its table just before it runs.
 *
 * A table is existing (it may hold rows, so locking it blocks real traffic) when a revision at the applied baseline created it, or,
 * without git history, when it is not created earlier in the same file; a table that only the change's own
 * (unapplied) revisions create is new. Tables used but never created by any migration are existing. The
 * replay follows each file's ancestry (down_revision and depends_on) in the order Alembic runs it, so what an
 * earlier revision did (a constraint added NOT VALID, a CHECK (col IS NOT NULL) validated) is known later.
 *
 * Linear in the size of the history: a revision starts from its first parent's end state, computed once (a
 * merge adds what its other parents bring), and states are persistent (schema.ts): copying one is O(1), a
 * change costs what it touches, so keeping every revision's start state and every step's table costs O(changes).
 */
import type { History, MigrationFile } from '../../model/migration.js';
import { buildGraph, resolveTarget, type GraphNode, type RevisionGraph } from '../graph.js';
import { changesOf } from './index.js';
import { Schema, type Detail, type TableState } from './schema.js';
import type { Change } from './types.js';

/** One upgrade change of a file, with the table as it was just before the change ran. */
export interface Step {
  change: Change;
  /** The table acted on: the change's own, or for DROP INDEX the index's table as the replay knows it. */
  table: string | null;
  /** The table's state before the change (null: never seen created, nor changed). */
  before: TableState | null;
  /** The table holds rows when the change runs (it was there before the change, so it may hold rows); false for the table a create_table makes. */
  existing: boolean;
}

export interface EnvironmentReplay {
  /** The schema when `file`'s upgrade starts. */
  startOf(file: MigrationFile): Schema;
  /** Every change of `file`'s upgrade bodies, in source order, each with its table's state before it. */
  steps(file: MigrationFile): Step[];
  /**
   * The schema at the heads: every revision's upgrade applied once, in upgradeOrder(). With `detail`, a
   * detailed replay (schema.ts Detail): a file that does not parse leaves every table not followed, a file the
   * graph cannot place what it touches.
   */
  final(detail?: Detail): Schema;
}

const upgradeChanges = (f: MigrationFile): Change[] => changesOf(f).filter((c) => c.fn === 'upgrade');

/**
 * The revisions a file's revision stands on (down_revision and depends_on, transitively), oldest first.
 * Depth-first post-order: every parent lands before its children, which is the order Alembic runs them. An
 * explicit stack, since a chain of thousands of revisions is deeper than the call stack.
 */
function lineage(graph: RevisionGraph, revs: string[]): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const enter = (r: string): { r: string; next: string[]; i: number } | null => {
    if (seen.has(r)) return null;
    seen.add(r);
    const n = graph.nodes.get(r);
    if (!n) return null;
    const next = [...n.downs];
    for (const d of n.dependsOn) {
      const target = resolveTarget(graph, d, true);
      if (target) next.push(target);
    }
    return { r, next, i: 0 };
  };
  for (const rev of revs) {
    const stack: { r: string; next: string[]; i: number }[] = [];
    const first = enter(rev);
    if (first) stack.push(first);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.next.length) {
        const frame = enter(top.next[top.i++]!);
        if (frame) stack.push(frame);
      } else {
        order.push(top.r);
        stack.pop();
      }
    }
  }
  return order;
}

/**
 * Revisions that may lie on a cycle (or stand on one): what remains after peeling, child first, every
 * revision no remaining revision stands on. Any other revision is never its own ancestor.
 */
function cyclic(graph: RevisionGraph): Set<string> {
  const parents = new Map<string, string[]>();
  const children = new Map<string, number>();
  for (const n of graph.nodes.values()) {
    const ps = [...n.downs, ...n.dependsOn.map((d) => resolveTarget(graph, d, true))].filter((p): p is string => p !== null && graph.nodes.has(p));
    parents.set(n.revision, ps);
    for (const p of ps) children.set(p, (children.get(p) ?? 0) + 1);
  }
  const left = new Set(graph.nodes.keys());
  const ready = [...left].filter((r) => !children.get(r));
  while (ready.length) {
    const r = ready.pop()!;
    left.delete(r);
    for (const p of parents.get(r)!) {
      const c = children.get(p)! - 1;
      children.set(p, c);
      if (c === 0) ready.push(p);
    }
  }
  return left;
}

/**
 * Every revision in the order `alembic upgrade heads` runs them: each head's lineage, parents first; then, by
 * file path, any revision no head reaches (one on a cycle). The lock rules' replay and the drift check's follow it.
 */
export function upgradeOrder(graph: RevisionGraph): string[] {
  const rest = [...graph.nodes.values()].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0)).map((n) => n.revision);
  return lineage(graph, [...graph.heads, ...rest]);
}

const built = new WeakMap<MigrationFile[], { history: History | null; replay: EnvironmentReplay }>();

/** The replay of an environment, built once per files array (and history) for every rule that asks. */
export function replayEnvironment(files: MigrationFile[], history: History | null): EnvironmentReplay {
  const hit = built.get(files);
  if (hit && hit.history === history) return hit.replay;
  const replay = buildReplay(files, history);
  built.set(files, { history, replay });
  return replay;
}

function buildReplay(files: MigrationFile[], history: History | null): EnvironmentReplay {
  const graph = buildGraph(files);
  const applied = (f: MigrationFile) => !history || history.appliedPaths.has(f.path);
  const before = new Map<MigrationFile, Schema>();
  const steps = new WeakMap<MigrationFile, Step[]>();
  let onCycle: Set<string> | null = null;

  const applyFile = (s: Schema, f: MigrationFile, path: string | null = null) => {
    const origin = applied(f) ? 'existing' : 'new';
    for (const c of upgradeChanges(f)) s.apply(c, origin, path);
  };
  // A root, or a revision on or above a cycle: its whole lineage, replayed.
  const replayLineage = (node: GraphNode): Schema => {
    const s = Schema.empty();
    for (const r of lineage(graph, [node.revision])) if (r !== node.revision) applyFile(s, graph.nodes.get(r)!.file);
    return s;
  };
  // The revision a state continues from: the first one `node` stands on, whose whole lineage Alembic runs
  // before the others' (lineage() visits it first). Revisions on or above a cycle replay their lineage instead.
  const firstParent = (node: GraphNode): GraphNode | null => {
    onCycle ??= cyclic(graph);
    if (onCycle.has(node.revision)) return null;
    for (const d of [...node.downs, ...node.dependsOn.map((t) => resolveTarget(graph, t, true))]) {
      const parent = d === null ? undefined : graph.nodes.get(d);
      if (parent && parent !== node) return parent;
    }
    return null;
  };
  const after = (start: Schema, node: GraphNode): Schema => {
    // Unchanged states are shared: nothing changes a start state once it is stored.
    if (!upgradeChanges(node.file).length) return start;
    const s = start.clone();
    applyFile(s, node.file);
    return s;
  };
  // A merge (or a revision with depends_on) starts where its first parent ends, plus the revisions only its
  // other parents bring, in the order Alembic runs them: its lineage after the first parent's.
  const join = (state: Schema, node: GraphNode, first: GraphNode): Schema => {
    if (node.downs.length + node.dependsOn.length === 1) return state;
    const order = lineage(graph, [node.revision]);
    const rest = order.slice(order.indexOf(first.revision) + 1, -1);
    if (!rest.length) return state;
    const s = state.clone();
    for (const r of rest) applyFile(s, graph.nodes.get(r)!.file);
    return s;
  };
  const startOf = (file: MigrationFile): Schema => {
    const hit = before.get(file);
    if (hit) return hit;
    const rev = file.facts.revision.values?.length === 1 ? file.facts.revision.values[0] : null;
    const node = typeof rev === 'string' ? graph.nodes.get(rev) : undefined;
    if (!node || node.file !== file) {
      const empty = Schema.empty();
      before.set(file, empty);
      return empty;
    }
    // Up the first parents to a state already known (or a root), then down again: each state once, O(1) to copy.
    const chain: GraphNode[] = [];
    let top = node;
    for (let parent = firstParent(top); parent && !before.has(top.file); parent = firstParent(top)) {
      chain.push(top);
      top = parent;
    }
    let state = before.get(top.file) ?? replayLineage(top);
    before.set(top.file, state);
    for (let i = chain.length - 1; i >= 0; i--) {
      const parent = i === chain.length - 1 ? top : chain[i + 1]!;
      state = join(after(state, parent), chain[i]!, parent);
      before.set(chain[i]!.file, state);
    }
    return state;
  };

  return {
    startOf,
    steps(file) {
      let out = steps.get(file);
      if (out) return out;
      const s = startOf(file).clone();
      out = [];
      for (const change of upgradeChanges(file)) {
        const table = change.table ?? (change.kind === 'drop_index' ? s.indexTable(change.name) : null);
        out.push({ change, table, before: s.table(table), existing: change.kind !== 'create_table' && s.isExisting(table) });
        // Within the file, whatever it created earlier is empty when the later statement runs.
        s.apply(table !== change.table ? { ...change, table } : change, 'new');
      }
      steps.set(file, out);
      return out;
    },
    final(detail) {
      const s = Schema.empty(detail ?? null);
      const placed = new Set<MigrationFile>();
      for (const r of upgradeOrder(graph)) {
        const f = graph.nodes.get(r)!.file;
        placed.add(f);
        if (detail && f.facts.parseError) s.notFollowed(null, `${f.path} does not parse`, null);
        else applyFile(s, f, detail ? f.path : null);
      }
      if (detail) {
        for (const f of files) {
          if (placed.has(f)) continue;
          for (const c of upgradeChanges(f)) s.notPlaced(c, `${f.path}: its place in the revision graph is not statically known`);
        }
      }
      return s;
    },
  };
}
