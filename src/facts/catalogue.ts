/**
 * The table catalogue: which tables hold rows in production when a migration's statement runs.
 *
 * SPEC "PostgreSQL lock safety": a table is existing when a revision at the applied baseline created
 * it, or, without git history, when it is not created earlier in the same file. A table that only the
 * change's own (unapplied) revisions create is new, and so empty when they deploy. Tables used but never
 * created by any migration are existing. create_table / rename_table / drop_table (and the same in
 * readable `op.execute` SQL) are replayed over the revision graph in graph order, along the ancestry of
 * the file asked about.
 */
import { literalString } from '../parse/python.js';
import type { History, MigrationFile } from '../model/migration.js';
import { derived } from './derived.js';
import { buildGraph, resolveTarget, type GraphNode, type RevisionGraph } from './graph.js';
import { executeSql } from './locks.js';
import { parseSql } from './sql-parse.js';
import type { Operation } from '../model/facts.js';

/** What happens to a table or index at one point of a file's upgrade. */
type Event =
  | { at: number; kind: 'create_table'; table: string }
  | { at: number; kind: 'drop_table'; table: string }
  | { at: number; kind: 'rename_table'; table: string; to: string }
  | { at: number; kind: 'create_index'; index: string; table: string }
  | { at: number; kind: 'drop_index'; index: string };

type State = 'existing' | 'new';

interface Replay {
  tables: Map<string, State>;
  indexes: Map<string, string>;
}

export interface TableCatalogue {
  /** Whether `table` has rows when the statement at `offset` of `file` runs (unknown names: yes). */
  isExisting(file: MigrationFile, table: string | null, offset: number): boolean;
  /** The table an index belongs to, as the migrations before `offset` created it, or null. */
  indexTable(file: MigrationFile, index: string, offset: number): string | null;
}

/** `public.hero` and `hero` are one table; other schemas stay qualified. */
export function tableKey(name: string, schema?: string | null): string {
  const full = schema ? `${schema}.${name}` : name;
  return full.startsWith('public.') ? full.slice('public.'.length) : full;
}

/** The table an operation names, schema-qualified when it gives a literal `schema=`. */
export function opTable(op: Operation): string | null {
  if (!op.table) return null;
  const schema = literalString(op.kwargs.find((k) => k.name === 'schema')?.value);
  return tableKey(op.table, schema);
}

function eventsOf(file: MigrationFile): Event[] {
  const out: Event[] = [];
  for (const op of file.facts.operations) {
    if (op.fn !== 'upgrade') continue;
    const at = op.span.start;
    const table = opTable(op);
    switch (op.op) {
      case 'create_table':
        if (table) out.push({ at, kind: 'create_table', table });
        break;
      case 'drop_table':
        if (table) out.push({ at, kind: 'drop_table', table });
        break;
      case 'rename_table': {
        const schema = literalString(op.kwargs.find((k) => k.name === 'schema')?.value);
        if (table && op.name) out.push({ at, kind: 'rename_table', table, to: tableKey(op.name, schema) });
        break;
      }
      case 'create_index':
        if (table && op.name) out.push({ at, kind: 'create_index', index: op.name, table });
        break;
      case 'drop_index':
        if (op.name) out.push({ at, kind: 'drop_index', index: op.name });
        break;
      case 'execute': {
        const sql = executeSql(op);
        for (const s of (sql !== null && parseSql(sql)) || []) {
          if (s.kind === 'create_table' && s.table) out.push({ at, kind: 'create_table', table: tableKey(s.table) });
          else if (s.kind === 'drop_table') for (const t of s.tables) out.push({ at, kind: 'drop_table', table: tableKey(t) });
          else if (s.kind === 'rename_table' && s.table) {
            const schema = s.table.includes('.') ? s.table.split('.')[0] : null;
            out.push({ at, kind: 'rename_table', table: tableKey(s.table), to: tableKey(s.newName, schema) });
          } else if (s.kind === 'create_index' && s.table && s.name) out.push({ at, kind: 'create_index', index: s.name, table: tableKey(s.table) });
          else if (s.kind === 'drop_index') for (const i of s.names) out.push({ at, kind: 'drop_index', index: i });
        }
        break;
      }
      default:
        break;
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

function apply(r: Replay, e: Event, created: State): void {
  switch (e.kind) {
    case 'create_table':
      r.tables.set(e.table, created);
      break;
    case 'drop_table':
      r.tables.delete(e.table);
      break;
    case 'rename_table': {
      const state = r.tables.get(e.table) ?? 'existing';
      r.tables.delete(e.table);
      r.tables.set(e.to, state);
      for (const [i, t] of r.indexes) if (t === e.table) r.indexes.set(i, e.to);
      break;
    }
    case 'create_index':
      r.indexes.set(e.index, e.table);
      break;
    case 'drop_index':
      r.indexes.delete(e.index);
      break;
  }
}

/**
 * The revisions a file's revision stands on (down_revision and depends_on, transitively), oldest first.
 * Depth-first post-order: every parent lands before its children, which is the order Alembic runs them. An
 * explicit stack, since a chain of thousands of revisions is deeper than the call stack.
 */
function lineage(graph: RevisionGraph, rev: string): string[] {
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
  return order.filter((r) => r !== rev);
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

export function buildCatalogue(files: MigrationFile[], history: History | null): TableCatalogue {
  const graph = buildGraph(files);
  const events = new Map<MigrationFile, Event[]>();
  const eventsFor = (f: MigrationFile) => {
    let e = events.get(f);
    if (!e) {
      // Remembered with the file's facts (cached with them): a run reporting on one file replays thousands.
      e = derived(f.facts, 'catalogue.events', () => eventsOf(f));
      events.set(f, e);
    }
    return e;
  };
  const before = new Map<MigrationFile, Replay>();
  let onCycle: Set<string> | null = null;

  // The state when the file starts: what its ancestors made. Without history every ancestor counts as
  // deployed, so the replay only matters with a baseline (it still tracks renames and indexes).
  const replay = (node: GraphNode): Replay => {
    const r: Replay = { tables: new Map(), indexes: new Map() };
    for (const ancestor of lineage(graph, node.revision)) {
      const f = graph.nodes.get(ancestor)!.file;
      const applied = !history || history.appliedPaths.has(f.path);
      for (const e of eventsFor(f)) apply(r, e, applied ? 'existing' : 'new');
    }
    return r;
  };
  // A revision with one parent and no depends_on, on no cycle, starts where its parent ends: its lineage is
  // the parent's followed by the parent. Chains of them reuse the parent's state (linear, not quadratic).
  const parentOf = (node: GraphNode): GraphNode | null => {
    if (node.downs.length !== 1 || node.dependsOn.length !== 0) return null;
    onCycle ??= cyclic(graph);
    if (onCycle.has(node.revision)) return null;
    return graph.nodes.get(node.downs[0]!) ?? null;
  };
  const after = (start: Replay, node: GraphNode): Replay => {
    const evs = eventsFor(node.file);
    // Unchanged states are shared: nothing mutates a start state once it is stored.
    if (!evs.length) return start;
    const r: Replay = { tables: new Map(start.tables), indexes: new Map(start.indexes) };
    const applied = !history || history.appliedPaths.has(node.file.path);
    for (const e of evs) apply(r, e, applied ? 'existing' : 'new');
    return r;
  };
  const startOf = (file: MigrationFile): Replay => {
    const hit = before.get(file);
    if (hit) return hit;
    const rev = file.facts.revision.values?.length === 1 ? file.facts.revision.values[0] : null;
    const node = typeof rev === 'string' ? graph.nodes.get(rev) : undefined;
    if (!node || node.file !== file) {
      const empty: Replay = { tables: new Map(), indexes: new Map() };
      before.set(file, empty);
      return empty;
    }
    const chain: GraphNode[] = [];
    let top = node;
    for (let parent = parentOf(top); parent && !before.has(top.file); parent = parentOf(top)) {
      chain.push(top);
      top = parent;
    }
    let state = before.get(top.file) ?? replay(top);
    before.set(top.file, state);
    for (let i = chain.length - 1; i >= 0; i--) {
      state = after(state, i === chain.length - 1 ? top : chain[i + 1]!);
      before.set(chain[i]!.file, state);
    }
    return state;
  };

  // The states within one file: [k] is the state after its first k events. Rules ask about the statements of
  // one file in a row, so only the last file's are kept, and a state is copied once per event, not per question.
  let within: { file: MigrationFile; states: Replay[] } | null = null;
  const at = (file: MigrationFile, offset: number): Replay => {
    if (within?.file !== file) within = { file, states: [startOf(file)] };
    const { states } = within;
    const evs = eventsFor(file);
    let k = 0;
    while (k < evs.length && evs[k]!.at < offset) k++;
    while (states.length <= k) {
      const prev = states[states.length - 1]!;
      const r: Replay = { tables: new Map(prev.tables), indexes: new Map(prev.indexes) };
      // Within the file, whatever it created earlier is empty when the later statement runs.
      apply(r, evs[states.length - 1]!, 'new');
      states.push(r);
    }
    return states[k]!;
  };

  return {
    isExisting(file, table, offset) {
      if (table === null) return true;
      return at(file, offset).tables.get(tableKey(table)) !== 'new';
    },
    indexTable(file, index, offset) {
      return at(file, offset).indexes.get(index) ?? null;
    },
  };
}
