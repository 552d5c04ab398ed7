/**
 * The layering of src/, checked on every import (static, dynamic and type-only): no module imports one of a
 * layer it may not read, and no two modules import each other, however indirectly. The table is the one in
 * ARCHITECTURE.md; a change to it is a change to the architecture, made in both places.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

/** What each folder of src/ may import besides itself (and the leaf modules errors.ts and version.ts). */
const ALLOWED: Record<string, string[]> = {
  model: [],
  parse: ['model'],
  io: ['model'],
  facts: ['model', 'parse'],
  orm: ['model', 'io', 'parse', 'facts', 'discover'],
  rules: ['model', 'parse', 'facts', 'orm'],
  discover: ['model', 'io'],
  db: ['model', 'io'],
  config: ['model', 'io', 'rules'],
  engine: ['model', 'io', 'parse', 'facts', 'orm', 'rules', 'config'],
  git: ['model', 'io', 'facts', 'discover'],
  summary: ['model', 'io', 'parse', 'facts', 'discover', 'config'],
  reporters: ['model', 'io', 'rules'],
  lsp: ['model', 'io', 'parse', 'facts', 'orm', 'rules', 'discover', 'db', 'config', 'engine', 'git', 'summary', 'reporters', 'cli'],
  cli: ['model', 'io', 'parse', 'facts', 'orm', 'rules', 'discover', 'db', 'config', 'engine', 'git', 'summary', 'reporters', 'lsp'],
  action: ['model', 'io', 'parse', 'facts', 'orm', 'rules', 'discover', 'db', 'config', 'engine', 'git', 'summary', 'reporters'],
};
/** Modules at the top of src/: leaves every layer may import, and the entry points, which may import anything. */
const LEAVES = new Set(['errors.ts', 'version.ts']);
const ENTRIES = new Set(['index.ts', 'cli.ts']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** src-relative path → the src-relative paths it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const deps = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.relative(SRC, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts').split(path.sep).join('/'));
    graph.set(path.relative(SRC, file).split(path.sep).join('/'), deps);
  }
  return graph;
}

const layerOf = (rel: string) => (rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : rel);

describe('the layering of src/', () => {
  const graph = importGraph();

  it('reads the imports of every module (the check is not vacuous)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('engine/lint.ts')).toContain('engine/pass.ts');
    for (const deps of graph.values()) for (const d of deps) expect(graph.has(d), d).toBe(true);
  });

  it('has a layer for every folder', () => {
    const folders = new Set([...graph.keys()].filter((f) => f.includes('/')).map(layerOf));
    expect([...folders].sort()).toEqual(Object.keys(ALLOWED).sort());
    for (const f of graph.keys()) if (!f.includes('/')) expect(LEAVES.has(f) || ENTRIES.has(f), f).toBe(true);
  });

  it('imports only in the allowed direction', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      const from = layerOf(file);
      for (const dep of deps) {
        const to = layerOf(dep);
        if (to === from || LEAVES.has(to) || ENTRIES.has(from)) continue;
        if (LEAVES.has(from) || ENTRIES.has(to) || !ALLOWED[from]!.includes(to)) wrong.push(`${file} -> ${dep}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].join(' -> '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
