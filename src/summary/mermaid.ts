/**
 * A picture of the revision graph as a Mermaid flowchart, which GitHub and GitLab render in markdown: the
 * whole graph (`summary --format mermaid`), or the part a change touches (the pull request comment). Long
 * linear runs become one "… N revisions" node so that the picture stays readable; heads, merges, branch
 * points, branch labels, depends_on links and the changed revisions stay, and a down_revision that no file
 * defines is drawn in red. Every label comes from repository files, so all but plain letters, digits and a
 * few punctuation marks is written as a Mermaid entity code: no text can close a label or add a statement.
 */
import type { RevisionNodeView } from './types.js';

/** Runs shorter than this are drawn revision by revision: a "… 2 revisions" node saves nothing. */
const RUN_MIN = 3;
const MESSAGE_MAX = 48;
const REVISION_MAX = 32;

/** Text for inside a quoted Mermaid label: letters, digits, spaces and `.,:_/+=-` as they are, the rest as `#code;`. */
export function mermaidText(s: string): string {
  let out = '';
  for (const ch of s.replace(/\s+/g, ' ')) out += /^[\p{L}\p{N} .,:_/+=-]$/u.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

function clip(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

type Shown = { kind: 'revision'; node: RevisionNodeView } | { kind: 'run'; count: number; earlier: boolean } | { kind: 'missing'; revision: string };

interface Layout {
  shown: Map<string, Shown>;
  edges: { from: string; to: string; dotted: boolean }[];
}

/**
 * Which revisions to draw and how the rest collapse. Kept revisions are drawn; from each, every parent edge is
 * followed down through linear revisions (one parent, one child, nothing to say about them) to the next kept
 * one: that run is drawn whole when short, else as one node. A run that ends elsewhere (below the part a
 * change touches) ends in an "… N earlier revisions" node, one per revision where the runs stop.
 */
function layout(graph: RevisionNodeView[], focus: boolean): Layout | null {
  const byRev = new Map(graph.map((n) => [n.revision, n]));
  const children = new Map<string, string[]>();
  for (const n of graph) {
    for (const d of new Set(n.downRevisions)) if (byRev.has(d)) children.set(d, [...(children.get(d) ?? []), n.revision]);
  }
  const dependedOn = new Set<string>();
  const byLabel = new Map<string, string>();
  for (const n of graph) for (const l of n.branchLabels) byLabel.set(l, n.revision);
  const resolve = (target: string) => (byRev.has(target) ? target : byLabel.get(target));
  for (const n of graph) for (const t of n.dependsOn) dependedOn.add(resolve(t) ?? t);
  const childCount = (rev: string) => children.get(rev)?.length ?? 0;
  const linear = (n: RevisionNodeView) =>
    n.downRevisions.length === 1 &&
    byRev.has(n.downRevisions[0]!) &&
    childCount(n.revision) === 1 &&
    !n.branchLabels.length &&
    !n.dependsOn.length &&
    !n.changed &&
    !n.missing.length &&
    !dependedOn.has(n.revision);

  const kept = new Set<string>();
  if (focus) {
    const changed = graph.filter((n) => n.changed);
    if (!changed.length) return null;
    for (const n of changed) {
      kept.add(n.revision);
      for (const c of children.get(n.revision) ?? []) kept.add(c);
      for (const d of n.downRevisions) {
        if (!byRev.has(d)) continue;
        kept.add(d);
        // Siblings: a second head or a branch beside the change shows where the graph forks.
        for (const s of children.get(d) ?? []) kept.add(s);
      }
    }
    for (const n of graph) if (!childCount(n.revision) || n.missing.length) kept.add(n.revision);
  } else {
    for (const n of graph) if (!linear(n)) kept.add(n.revision);
  }

  const shown = new Map<string, Shown>();
  const edges: Layout['edges'] = [];
  const idOf = new Map<string, string>();
  graph.forEach((n, i) => idOf.set(n.revision, `r${i}`));
  const show = (rev: string) => {
    const id = idOf.get(rev)!;
    shown.set(id, { kind: 'revision', node: byRev.get(rev)! });
    return id;
  };
  let runs = 0;
  const missingIds = new Map<string, string>();
  const earlierIds = new Map<string, string>();
  /** Revisions below `rev` (itself included) that are not kept: what an "earlier revisions" node stands for. */
  const hiddenAncestors = (rev: string) => {
    const seen = new Set<string>();
    const stack = [rev];
    while (stack.length) {
      const r = stack.pop()!;
      if (seen.has(r) || kept.has(r) || !byRev.has(r)) continue;
      seen.add(r);
      stack.push(...byRev.get(r)!.downRevisions);
    }
    return seen.size;
  };

  // Kept revisions in history order; a walk may keep one more (the fork or base where a run stops).
  const queue = graph.filter((n) => kept.has(n.revision));
  const keep = (rev: string) => {
    if (kept.has(rev)) return;
    kept.add(rev);
    queue.push(byRev.get(rev)!);
  };
  const earlier: { id: string; below: string }[] = [];
  for (let qi = 0; qi < queue.length; qi++) {
    const n = queue[qi]!;
    const to = show(n.revision);
    for (const d of new Set(n.downRevisions)) {
      if (!byRev.has(d)) {
        // A parent that only an unreadable file may define is not drawn: nothing is known of it.
        if (!n.missing.includes(d)) continue;
        let id = missingIds.get(d);
        if (!id) {
          id = `m${missingIds.size}`;
          missingIds.set(d, id);
          shown.set(id, { kind: 'missing', revision: d });
        }
        edges.push({ from: id, to, dotted: false });
        continue;
      }
      const path: string[] = [];
      let cur = d;
      while (!kept.has(cur) && linear(byRev.get(cur)!)) {
        path.push(cur);
        cur = byRev.get(cur)!.downRevisions[0]!;
      }
      let from: string;
      if (kept.has(cur) || byRev.get(cur)!.downRevisions.length < 2) {
        // A fork or a base below the change is drawn: it shows where the change's line of history starts.
        keep(cur);
        from = idOf.get(cur)!;
      } else {
        // A merge below the change: everything under it is history, one node shared by every run that stops there.
        let id = earlierIds.get(cur);
        if (!id) {
          id = `h${earlierIds.size}`;
          earlierIds.set(cur, id);
          earlier.push({ id, below: cur });
        }
        from = id;
      }
      if (path.length >= RUN_MIN) {
        const id = `x${runs++}`;
        shown.set(id, { kind: 'run', count: path.length, earlier: false });
        edges.push({ from, to: id, dotted: false }, { from: id, to, dotted: false });
      } else {
        let below = from;
        for (const rev of path.reverse()) {
          const id = show(rev);
          edges.push({ from: below, to: id, dotted: false });
          below = id;
        }
        edges.push({ from: below, to, dotted: false });
      }
    }
  }
  // Counted once every kept revision is known, so that nothing drawn is counted as well.
  for (const e of earlier) shown.set(e.id, { kind: 'run', count: hiddenAncestors(e.below), earlier: true });
  for (const n of graph) {
    const to = idOf.get(n.revision)!;
    if (!shown.has(to)) continue;
    for (const t of n.dependsOn) {
      const target = resolve(t);
      const from = target ? idOf.get(target) : undefined;
      if (from && shown.has(from)) edges.push({ from, to, dotted: true });
    }
  }
  return { shown, edges };
}

const CLASSES: Record<string, string> = {
  changed: 'fill:#dafbe1,stroke:#1a7f37,stroke-width:2px',
  head: 'stroke-width:3px',
  changedhead: 'fill:#dafbe1,stroke:#1a7f37,stroke-width:3px',
  missing: 'fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#cf222e',
  run: 'fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a',
};

function statements(l: Layout, prefix: string, heads: Set<string>, used: Set<string>): string[] {
  const out: string[] = [];
  const classes = new Map<string, string[]>();
  const tag = (cls: string, id: string) => classes.set(cls, [...(classes.get(cls) ?? []), id]);
  // Revisions in history order, then what stands for the rest: the order Mermaid meets them in shapes its layout.
  const rank = (id: string) => (id.startsWith('r') ? Number(id.slice(1)) : Number.MAX_SAFE_INTEGER);
  const ids = [...l.shown.keys()].sort((a, b) => rank(a) - rank(b));
  for (const id of ids) {
    const s = l.shown.get(id)!;
    const pid = `${prefix}${id}`;
    if (s.kind === 'run') {
      out.push(`${pid}(["… ${s.count} ${s.earlier ? 'earlier ' : ''}revision${s.count === 1 ? '' : 's'}"])`);
      tag('run', pid);
    } else if (s.kind === 'missing') {
      out.push(`${pid}["${mermaidText(clip(s.revision, REVISION_MAX))}<br/>missing: no file defines it"]`);
      tag('missing', pid);
    } else {
      const n = s.node;
      const head = heads.has(n.revision);
      const lines = [`<b>${mermaidText(clip(n.revision, REVISION_MAX))}</b>${head ? ' head' : ''}${n.changed ? ' · changed' : ''}`];
      if (n.message) lines.push(mermaidText(clip(n.message, MESSAGE_MAX)));
      if (n.branchLabels.length) lines.push(`branch ${n.branchLabels.map((b) => mermaidText(clip(b, REVISION_MAX))).join(', ')}`);
      const label = `"${lines.join('<br/>')}"`;
      // A merge is a hexagon, so that it reads as one at a glance.
      out.push(n.downRevisions.length > 1 ? `${pid}{{${label}}}` : `${pid}[${label}]`);
      if (n.changed) tag(head ? 'changedhead' : 'changed', pid);
      else if (head) tag('head', pid);
    }
  }
  for (const e of l.edges) out.push(`${prefix}${e.from} ${e.dotted ? '-. depends on .->' : '-->'} ${prefix}${e.to}`);
  for (const [cls, ids] of classes) {
    out.push(`class ${ids.join(',')} ${cls}`);
    used.add(cls);
  }
  return out;
}

export interface GraphPicture {
  /** A label for the environment (its versions folders), used when several share one chart. */
  name: string;
  heads: string[];
  graph: RevisionNodeView[];
}

/**
 * One flowchart, oldest at the top. `focus`: only the part the changed revisions touch, null when none
 * changed; otherwise the whole graph of each environment (one subgraph each when there are several).
 */
export function renderMermaid(envs: GraphPicture[], opts: { focus: boolean }): string | null {
  const parts: string[][] = [];
  const used = new Set<string>();
  envs.forEach((env, i) => {
    const l = layout(env.graph, opts.focus);
    if (l && l.shown.size) parts.push(statements(l, envs.length > 1 ? `e${i}` : '', new Set(env.heads), used));
    else parts.push([]);
  });
  if (parts.every((p) => !p.length)) return null;
  const out = ['flowchart TD'];
  if (envs.length === 1) out.push(...parts[0]!.map((s) => `  ${s}`));
  else {
    parts.forEach((p, i) => {
      if (!p.length) return;
      out.push(`  subgraph e${i}["${mermaidText(envs[i]!.name)}"]`, ...p.map((s) => `    ${s}`), '  end');
    });
  }
  for (const [cls, style] of Object.entries(CLASSES)) if (used.has(cls)) out.push(`  classDef ${cls} ${style}`);
  return `${out.join('\n')}\n`;
}
