/**
 * A project module as the model reader read it, kept by content so that a run whose modules did not change
 * parses none of them (a pre-commit run re-reads the models on every change to a migration). The store is the
 * engine's cache (engine/cache.ts); this module only says what an entry is: its key, and the module written
 * to and read back from JSON. What cannot be read back (damaged, of another shape) is a miss.
 */
import { createHash } from 'node:crypto';
import { readModule, type Binding, type ModuleInfo } from './module.js';

/** Bumped whenever ModuleInfo's shape or what readModule puts in it changes: older entries are then never hit. */
const FORMAT = 3;

/** Where read modules are kept between runs, by key; a value the store gives back is checked again here. */
export interface ModuleStore {
  get(key: string): string | undefined;
  set(key: string, data: string): void;
}

/** Everything readModule's result follows from: the bytes, and where they sit (relative imports resolve from the name). */
export function moduleKey(file: string, name: string | null, isPackage: boolean, text: string): string {
  return createHash('sha1').update(JSON.stringify([FORMAT, file, name, isPackage])).update('\0').update(text).digest('hex');
}

type StoredBinding = [name: string, binding: Exclude<Binding, { kind: 'class' }> | { kind: 'class'; index: number }];

interface Stored {
  parseError: boolean;
  futureAnnotations: boolean;
  imports: ModuleInfo['imports'];
  classes: ModuleInfo['classes'];
  assignments: ModuleInfo['assignments'];
  calls: ModuleInfo['calls'];
  /** The module's own statement calls, as indexes into `calls` (they are among them). */
  topCalls: number[];
  bindings: StoredBinding[];
}

/** The module as JSON: the text, file and name are the key's and are not repeated; a class binding is the class's index. */
export function encodeModule(info: ModuleInfo): string {
  const bindings: StoredBinding[] = [...info.bindings].map(([name, b]) => [name, b.kind === 'class' ? { kind: 'class', index: info.classes.indexOf(b.cls) } : b]);
  const stored: Stored = {
    parseError: info.parseError,
    futureAnnotations: info.futureAnnotations,
    imports: info.imports,
    classes: info.classes,
    assignments: info.assignments,
    calls: info.calls,
    topCalls: info.topCalls.map((c) => info.calls.indexOf(c)),
    bindings,
  };
  return JSON.stringify(stored);
}

const isArray = Array.isArray;

/** The module back from encodeModule's JSON, or null when it is not what encodeModule writes. */
export function decodeModule(data: string, file: string, name: string | null, isPackage: boolean, text: string): ModuleInfo | null {
  let s: Stored;
  try {
    s = JSON.parse(data) as Stored;
  } catch {
    return null;
  }
  if (typeof s !== 'object' || s === null || typeof s.parseError !== 'boolean' || typeof s.futureAnnotations !== 'boolean') return null;
  if (![s.imports, s.classes, s.assignments, s.calls, s.topCalls, s.bindings].every(isArray)) return null;
  const topCalls: ModuleInfo['topCalls'] = [];
  for (const i of s.topCalls) {
    const call = typeof i === 'number' ? s.calls[i] : undefined;
    if (!call) return null;
    topCalls.push(call);
  }
  const bindings = new Map<string, Binding>();
  for (const entry of s.bindings) {
    if (!isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'object' || entry[1] === null) return null;
    const [n, b] = entry;
    if (b.kind === 'class') {
      const cls = s.classes[b.index];
      if (!cls) return null;
      bindings.set(n, { kind: 'class', cls });
    } else bindings.set(n, b);
  }
  // A class keeps the module's file (a module moved with the same bytes is another key anyway).
  for (const c of s.classes) if (typeof c !== 'object' || c === null || !isArray(c.body) || c.file !== file) return null;
  return { file, name, isPackage, text, parseError: s.parseError, imports: s.imports, bindings, classes: s.classes, assignments: s.assignments, calls: s.calls, topCalls, futureAnnotations: s.futureAnnotations };
}

/** readModule, through the store when there is one: a hit parses nothing, a miss is read and kept. */
export function readModuleCached(store: ModuleStore | null | undefined, file: string, name: string | null, isPackage: boolean, text: string): ModuleInfo {
  if (!store) return readModule(file, name, isPackage, text);
  const key = moduleKey(file, name, isPackage, text);
  const data = store.get(key);
  const hit = data === undefined ? null : decodeModule(data, file, name, isPackage, text);
  if (hit) return hit;
  const info = readModule(file, name, isPackage, text);
  store.set(key, encodeModule(info));
  return info;
}
