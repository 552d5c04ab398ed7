/**
 * The revision graph as a Mermaid flowchart (summary --format mermaid, and the markdown summary the Action
 * posts). Every chart this file makes, from synthetic graphs, the summary fixtures and the bundled example
 * (whole, and the part a change touches in a real git repository), is collected and, in the last test, parsed
 * by Mermaid's own parser (the `mermaid` package's parse, given a DOM by jsdom: dev dependencies only).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mermaidText, renderMermaid } from '../../src/summary/mermaid.js';
import type { RevisionNodeView } from '../../src/summary/types.js';
import { run } from '../cli/run.js';
import { ROOT, fixtureDir } from '../rules/helpers.js';

const EXAMPLE = path.join(ROOT, 'examples', 'fastapi-sqlmodel');
const charts: { name: string; text: string }[] = [];

function keep(name: string, text: string | null): string {
  expect(text, name).not.toBeNull();
  charts.push({ name, text: text! });
  return text!;
}

/** Mermaid blocks of a markdown document. */
function blocks(md: string): string[] {
  return [...md.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/**
 * A graph from lines `rev <- down1,down2 | message | flags`, flags among `changed`, `label=x`, `depends=y`.
 * A down revision no line defines is missing.
 */
function graphOf(spec: string[]): RevisionNodeView[] {
  const rows = spec.map((line) => {
    const [head, message, flags = ''] = line.split('|').map((s) => s.trim());
    const [rev, downs = ''] = head!.split('<-').map((s) => s.trim());
    const f = flags.split(/\s+/).filter(Boolean);
    return {
      revision: rev!,
      downRevisions: downs ? downs.split(',').map((s) => s.trim()) : [],
      branchLabels: f.filter((x) => x.startsWith('label=')).map((x) => x.slice(6)),
      dependsOn: f.filter((x) => x.startsWith('depends=')).map((x) => x.slice(8)),
      message: message || null,
      changed: f.includes('changed'),
      missing: [] as string[],
    };
  });
  const defined = new Set(rows.map((r) => r.revision));
  for (const r of rows) r.missing = r.downRevisions.filter((d) => !defined.has(d));
  return rows;
}

function linear(n: number, prefix = 'r', from: string | null = null): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i} <- ${i === 0 ? (from ?? '') : `${prefix}${i - 1}`} | step ${i}`);
}

function headsOf(graph: RevisionNodeView[]): string[] {
  const parents = new Set(graph.flatMap((n) => n.downRevisions));
  return graph.filter((n) => !parents.has(n.revision)).map((n) => n.revision);
}

function chart(name: string, spec: string[], focus: boolean): string {
  const graph = graphOf(spec);
  return keep(name, renderMermaid([{ name: 'alembic/versions', heads: headsOf(graph), graph }], { focus }));
}

/** The text of every node label, entity codes decoded, by node id. */
function labels(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^\s*(\w+)(?:\[|\{\{|\(\[)"(.*)"(?:\]|\}\}|\]\))$/gm)) {
    out.set(m[1]!, m[2]!.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))));
  }
  return out;
}

describe('the whole graph', () => {
  it('a long linear history becomes base, one "… N revisions" node, head', () => {
    const text = chart('linear 100', linear(100), false);
    expect(text).toBe(
      [
        'flowchart TD',
        '  r0["<b>r0</b><br/>step 0"]',
        '  r99["<b>r99</b> head<br/>step 99"]',
        '  x0(["… 98 revisions"])',
        '  r0 --> x0',
        '  x0 --> r99',
        '  class r99 head',
        '  class x0 run',
        '  classDef head stroke-width:3px',
        '  classDef run fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a',
        '',
      ].join('\n'),
    );
  });

  it('keeps branch points, merges (hexagons), branch labels and depends_on; short runs stay whole', () => {
    const text = chart(
      'branches',
      [
        'a <- | init',
        'b <- a | users',
        'c <- b | items | label=items',
        'd <- b | orders',
        'e <- c,d | merge items and orders',
        'f <- e | audit | depends=items',
      ],
      false,
    );
    const l = labels(text);
    expect([...l.values()]).toEqual([
      '<b>a</b><br/>init',
      '<b>b</b><br/>users',
      '<b>c</b><br/>items<br/>branch items',
      '<b>d</b><br/>orders',
      '<b>e</b><br/>merge items and orders',
      '<b>f</b> head<br/>audit',
    ]);
    expect(text).toContain('  r4{{"<b>e</b><br/>merge items and orders"}}');
    expect(text.split('\n').filter((s) => s.includes('->')).sort()).toEqual([
      '  r0 --> r1',
      '  r1 --> r2',
      '  r1 --> r3',
      '  r2 --> r4',
      '  r2 -. depends on .-> r5',
      '  r3 --> r4',
      '  r4 --> r5',
    ]);
  });

  it('a down_revision that no file defines is a red node', () => {
    const text = chart('missing', ['a <- | init', 'b <- a | users', 'c <- 9f00ba4 | orphan'], false);
    expect(text).toContain('  m0["9f00ba4<br/>missing: no file defines it"]');
    expect(text).toContain('  m0 --> r2');
    expect(text).toContain('  class m0 missing');
    expect(text).toMatch(/classDef missing fill:#ffebe9,stroke:#cf222e/);
  });

  it('several environments: one subgraph each', async () => {
    const graph = graphOf(linear(2));
    const text = keep('two envs', renderMermaid([{ name: 'db/one', heads: ['r1'], graph }, { name: 'db/"two"', heads: ['r1'], graph }], { focus: false }));
    expect(text).toContain('  subgraph e0["db/one"]');
    expect(text).toContain('  subgraph e1["db/#34;two#34;"]');
    expect(text).toContain('    e1r0 --> e1r1');
  });
});

describe('the part a change touches', () => {
  it('a new revision on a long history: the new one, its parent, the base and one run', () => {
    const text = chart('new on top', [...linear(60), 'n <- r59 | add hero | changed'], true);
    expect([...labels(text).values()]).toEqual(['<b>r0</b><br/>step 0', '<b>r59</b><br/>step 59', '<b>n</b> head · changed<br/>add hero', '… 58 revisions']);
    expect(text).toContain('class r60 changedhead');
  });

  it('a new revision on an old parent: the second head, the fork, both runs', () => {
    const text = chart('fork', [...linear(40), 'n <- r10 | add hero | changed'], true);
    const l = labels(text);
    expect([...l.values()].sort()).toEqual(
      ['<b>n</b> head · changed<br/>add hero', '<b>r10</b><br/>step 10', '<b>r11</b><br/>step 11', '<b>r39</b> head<br/>step 39', '<b>r0</b><br/>step 0', '… 27 revisions', '… 9 revisions'].sort(),
    );
  });

  it('history below a merge is one "earlier revisions" node', () => {
    const text = chart('below a merge', ['a <- | init', 'b <- a | x', 'c <- a | y', 'm <- b,c | merge', ...linear(5, 's', 'm'), 'n <- s4 | new | changed'], true);
    expect([...labels(text).values()]).toEqual(['<b>s4</b><br/>step 4', '<b>n</b> head · changed<br/>new', '… 4 revisions', '… 4 earlier revisions']);
    expect(text).toContain('  h0 --> x0\n  x0 --> r8\n  r8 --> r9\n');
  });

  it('nothing changed: no picture', () => {
    expect(renderMermaid([{ name: 'v', heads: ['r1'], graph: graphOf(linear(2)) }], { focus: true })).toBeNull();
  });
});

describe('labels are untrusted text', () => {
  const hostile = [
    'evil"] --> x; click r0 "javascript:alert(1)"',
    '%% comment\nflowchart LR\nclassDef a fill:red',
    '<script>alert(1)</script><img src=x onerror=alert(1)>',
    '`**md**` #35; &amp; end ::: subgraph',
    'RTL \u202e override, zero\u200bwidth, 𝒳 non-BMP, tab\there',
  ];
  it('every label reads back as written (clipped) and nothing leaves it', () => {
    const spec = hostile.map((m, i) => `h${i} <- ${i ? `h${i - 1}` : ''} | ${m.replace(/\|/g, '/').replace(/\n/g, '\\n')}`);
    const graph = graphOf(spec);
    graph.forEach((n, i) => {
      n.message = hostile[i]!;
      // Changed revisions are all drawn, none collapsed into a run.
      n.changed = true;
    });
    graph[4]!.revision = 'rev"]; click';
    const text = keep('hostile', renderMermaid([{ name: 'v', heads: ['rev"]; click'], graph }], { focus: false }));
    for (const line of text.split('\n').slice(1, -1)) {
      expect(line).toMatch(/^ {2}(\w+(\[|\{\{|\(\[)"[^"]*"(\]|\}\}|\]\))|\w+ (-->|-\. depends on \.->) \w+|class [\w,]+ \w+|classDef \w+ [\w:#,.\- ]+)$/);
    }
    const read = [...labels(text).values()].join('\n');
    for (const m of hostile) {
      const chars = [...m.replace(/\s+/g, ' ')];
      expect(read).toContain(chars.length > 48 ? `${chars.slice(0, 47).join('')}…` : chars.join(''));
    }
    expect(read).toContain('rev"]; click');
  });

  it('mermaidText writes anything beyond letters, digits and .,:_/+=- as entity codes', () => {
    expect(mermaidText('a"b<c>#d;\ne é𝒳')).toBe('a#34;b#60;c#62;#35;d#59; e é𝒳');
  });
});

describe('from the CLI', () => {
  it("the bundled example: summary --format mermaid is the whole graph (its two heads); markdown holds the same chart", async () => {
    const r = await run(['summary', '--format', 'mermaid'], EXAMPLE);
    expect(r.code).toBe(0);
    const text = keep('example whole', r.stdout);
    expect(text).toContain('<b>16db34190a95</b> head');
    expect(text).toContain('<b>51ca2cb925d2</b> head');
    const md = await run(['summary', '--format', 'markdown'], EXAMPLE);
    expect(blocks(md.stdout)).toEqual([text]);
  });

  it('summary --base in a git repository: the chart is the part of the graph the change touches, the new revision highlighted', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-mermaid-'));
    try {
      fs.cpSync(EXAMPLE, dir, { recursive: true });
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'base');
      const base = git('rev-parse', 'HEAD');
      const versions = path.join(dir, 'backend/app/alembic/versions');
      fs.writeFileSync(
        path.join(versions, 'aa00bb11cc22_merge_heads.py'),
        `"""merge heads\n\nRevision ID: aa00bb11cc22\nRevises: 16db34190a95, 51ca2cb925d2\n"""\nrevision = 'aa00bb11cc22'\ndown_revision = ('16db34190a95', '51ca2cb925d2')\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n`,
      );
      const md = await run(['summary', '--base', base, '--format', 'markdown'], dir);
      expect(md.code).toBe(0);
      const [text] = blocks(md.stdout);
      keep('example --base', text ?? null);
      const l = [...labels(text!).values()];
      expect(l).toContain('<b>aa00bb11cc22</b> head · changed<br/>merge heads');
      expect(text).toMatch(/r\d+\{\{"<b>aa00bb11cc22<\/b> head · changed<br\/>merge heads"\}\}/);
      // Its two parents (the old heads), no longer heads.
      expect(l).toContain('<b>16db34190a95</b><br/>add user bio');
      expect(l).toContain('<b>51ca2cb925d2</b><br/>add item archived at');
      expect(text).not.toContain(' head<br/>add user bio');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the summary fixtures and a rule fixture, as markdown', async () => {
    for (const dir of [path.join(ROOT, 'test/summary/fixtures/annotated'), path.join(ROOT, 'test/summary/fixtures/multidb'), fixtureDir('destructive-operation', 'bad-batch')]) {
      const md = await run(['summary', '--format', 'markdown'], dir);
      expect(md.code, md.stderr).toBe(0);
      const found = blocks(md.stdout);
      expect(found.length, dir).toBeGreaterThan(0);
      found.forEach((b) => keep(path.relative(ROOT, dir), b));
      const whole = await run(['summary', '--format', 'mermaid'], dir);
      keep(`${path.relative(ROOT, dir)} whole`, whole.stdout);
    }
  });
});

describe("Mermaid's own parser", () => {
  it('accepts every chart above', async () => {
    expect(charts.length).toBeGreaterThanOrEqual(15);
    // Mermaid's parser reads labels through DOMPurify, which needs a window: jsdom's, for this test only.
    const { JSDOM } = await import('jsdom');
    const dom = new JSDOM('<!doctype html><html><body></body></html>');
    const g = globalThis as Record<string, unknown>;
    const saved = { window: g.window, document: g.document };
    g.window = dom.window;
    g.document = dom.window.document;
    try {
      const mermaid = (await import('mermaid')).default;
      for (const c of charts) {
        await expect(mermaid.parse(c.text), c.name).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
      }
      // And it is a parser: a label left open is refused.
      await expect(mermaid.parse('flowchart TD\n  a["x"] --> b["y\n')).rejects.toThrow();
    } finally {
      g.window = saved.window;
      g.document = saved.document;
      dom.window.close();
    }
  });
});
