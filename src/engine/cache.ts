/**
 * The cache: per-file facts keyed by content, and per-environment results keyed by every input the rules read.
 *
 * A file's key is its git blob id: free from the index under --staged (SourceProvider.key), and for work-tree
 * files the same id computed from the bytes, so that one cached entry serves both. A work-tree file whose stamp
 * (size, mtime, ctime, inode) is unchanged since it was hashed keeps its key without being read, as git's index
 * does; a stamp is only recorded once the file is older than RACY_MS, so an edit within the clock's granularity
 * is never mistaken for no edit.
 *
 * Layout under the location (`node_modules/.cache/migration-lint`, or --cache-location), one folder per build of
 * the tool (version and the stamps of its own code, so that any change to how facts or findings are computed
 * starts afresh):
 *   entries.json       head facts (what environment rules read of every file) and derived values, by key
 *   stamps.json        the stamps of work-tree files and their keys, by path
 *   *.delta-*.json     what a run added to either, folded into the main file once there are several
 *   packs/<id>.pack    the rest of each file's facts, one pack per run that learnt any (one write, not one per
 *                      file), read by offset only when a rule needs them
 *   results/<key>.json the findings of one environment, by the hash of all its inputs
 *   modules/<key>.json a project module as the model reader read it (orm/module-cache.ts), by its bytes and
 *                      place, behind the hash of what follows, so that a damaged entry is a miss
 * Every write is a temp file renamed into place, so a concurrent run reads either the old file or the new one;
 * two runs folding deltas at once keep the last writer's main file, and what the other added is computed again.
 * Anything unreadable, unparsable or of the wrong shape is a miss and is written afresh. The cache never
 * changes a result: every entry holds exactly what would be computed without it.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachDerived, type DerivedStore } from '../facts/derived.js';
import { extractFacts } from '../facts/extract.js';
import type { MigrationFacts } from '../model/facts.js';
import { UnreadableFileError } from '../io/files.js';
import { VERSION } from '../version.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { SourceProvider } from '../model/source.js';
import type { ModuleStore } from '../orm/module-cache.js';

/** Bumped when the layout or the shape of an entry changes. */
const FORMAT = 3;
const RACY_MS = 2000;
/** Findings of this many environment states are kept (a branch switch and back hits again). */
const RESULTS_KEPT = 8;
/** Modules kept beyond twice those a run read: older versions of edited modules go. */
const MODULES_SPARE = 64;

const MODULE_KEY = /^[0-9a-f]{40}$/;

/** What graph and environment rules read of files they do not report on: kept in the index, read at once. */
const HEAD_KEYS = ['parseError', 'revision', 'downRevision', 'branchLabels', 'dependsOn', 'sqlmodelBound', 'sqlmodelUses'] as const;

type Stamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number, key: string];

interface Entry {
  head: Record<string, unknown>;
  derived: Record<string, unknown>;
  used: number;
  /** Where the rest of the facts is: [pack, byte offset, byte length]. */
  body: [pack: string, offset: number, length: number];
}

export interface EnvResult {
  diagnostics: Diagnostic[];
  suppressed: Diagnostic[];
  /** Applied revisions left to the graph rules (applied revisions are not re-judged). */
  graphOnly?: number;
}

/** Git's blob id of some bytes: what `git hash-object` prints, and what the index holds for a staged file. */
export function blobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A short stable hash of any JSON-able value. */
export function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex');
}

let factKeys: string[] | null = null;
/** Every key of MigrationFacts, in the order extractFacts builds them (so that cached facts enumerate alike). */
function allFactKeys(): string[] {
  return (factKeys ??= Object.keys(extractFacts('')));
}

/**
 * The folder of the tool's compiled code (lib/, or src/ in tests): the nearest folder, from this module's up,
 * that holds the bin. This module is in lib/engine/ as tsc builds it, and in lib/cli.js itself once bundled.
 */
function codeRoot(here: string): string {
  for (let d = here, i = 0; i < 4; i++, d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'cli.js')) || fs.existsSync(path.join(d, 'cli.ts'))) return d;
  }
  return path.dirname(here);
}

/**
 * The build of the tool: its version, the cache format, and the size and mtime of its own compiled code. A
 * development build changes with every compile; an installed package never does.
 */
function toolKey(): string {
  const h = createHash('sha1').update(`${VERSION}\0${FORMAT}\0`);
  const root = codeRoot(path.dirname(fileURLToPath(import.meta.url)));
  const visit = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 2 && e.name !== 'action') visit(p, depth + 1);
      } else if (/\.[cm]?[jt]s$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        try {
          const st = fs.statSync(p);
          h.update(`${path.relative(root, p)}\0${st.size}\0${st.mtimeMs}\0`);
        } catch {
          // A file that vanished mid-walk: the next run sees the new tree.
        }
      }
    }
  };
  visit(root, 0);
  return h.digest('hex');
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where the cache lives unless --cache-location says: `node_modules/.cache/migration-lint` of the nearest folder
 * (up to the repository root) with `node_modules` or a `package.json`, as find-cache-dir does for Babel, ESLint
 * and AVA. A Python project run through npx or pre-commit has neither: there it is `.migration-lint-cache` at
 * the repository root (else the working directory), ignoring itself as `.ruff_cache` and `.mypy_cache` do,
 * rather than a `node_modules` the project never had or a folder per checkout in the user's home.
 */
export function defaultCacheLocation(cwd: string): string {
  let top = path.resolve(cwd);
  for (let d = top; ; d = path.dirname(d)) {
    if (isDir(path.join(d, 'node_modules')) || fs.existsSync(path.join(d, 'package.json'))) return path.join(d, 'node_modules', '.cache', 'migration-lint');
    if (fs.existsSync(path.join(d, '.git'))) {
      top = d;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  return path.join(top, '.migration-lint-cache');
}

function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEntry(e: unknown): e is Entry {
  if (!isObject(e) || !isObject(e.head) || !isObject(e.derived) || typeof e.used !== 'number') return false;
  const b = e.body;
  if (!Array.isArray(b) || b.length !== 3 || typeof b[0] !== 'string' || !/^[\w-]+$/.test(b[0]) || !Number.isSafeInteger(b[1]) || !Number.isSafeInteger(b[2])) return false;
  return HEAD_KEYS.every((h) => h in (e.head as object));
}

function isStamp(s: unknown): s is Stamp {
  return Array.isArray(s) && s.length === 5 && s.slice(0, 4).every((n) => typeof n === 'number') && typeof s[4] === 'string';
}

/** Deltas folded into the main file once there are this many. */
const MAX_DELTAS = 8;

/**
 * A JSON map kept as a main file and small delta files: a run that learnt a little (one staged file) writes a
 * delta of what it learnt rather than the whole map again; once deltas pile up, a run folds them into the main
 * file. Read on first use only, so a run that needs none of it (a warm full lint) never parses it. Values are
 * checked when read: a damaged one is a miss.
 */
class JsonMap<V> {
  private map: Record<string, unknown> | null = null;
  private readonly added: Record<string, V> = {};
  private dirty = false;
  private deltas: string[] = [];
  /** The main file was missing or unreadable. */
  fresh = false;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly valid: (v: unknown) => v is V,
  ) {}

  private load(): Record<string, unknown> {
    if (this.map) return this.map;
    const main = readJson(path.join(this.dir, `${this.name}.json`));
    this.fresh = !isObject(main);
    const map: Record<string, unknown> = isObject(main) ? main : {};
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((f) => f.startsWith(`${this.name}.delta-`) && f.endsWith('.json'));
    } catch {
      // No folder yet: nothing cached.
    }
    for (const f of names.sort()) {
      const delta = readJson(path.join(this.dir, f));
      if (isObject(delta)) Object.assign(map, delta);
      this.deltas.push(f);
    }
    this.map = map;
    return map;
  }

  get(key: string): V | undefined {
    const map = this.load();
    if (!Object.hasOwn(map, key)) return undefined;
    const v = map[key];
    return this.valid(v) ? v : undefined;
  }

  set(key: string, value: V): void {
    this.load()[key] = value;
    this.added[key] = value;
    this.dirty = true;
  }

  /** A value changed in place (a derived value added to an entry): written with the rest. */
  touch(key: string, value: V): void {
    this.added[key] = value;
    this.dirty = true;
  }

  keys(): string[] {
    return Object.keys(this.load());
  }

  /** Only while compacting (pruning): a delta cannot say that a key is gone. */
  delete(key: string): void {
    delete this.load()[key];
    this.dirty = true;
  }

  /** Whether the next save folds everything into the main file. */
  get compacting(): boolean {
    return this.map !== null && (this.fresh || this.deltas.length >= MAX_DELTAS);
  }

  save(): void {
    // Never read: nothing learnt, nothing to fold.
    if (!this.map || (!this.dirty && this.deltas.length < MAX_DELTAS)) return;
    if (this.compacting) {
      writeAtomic(path.join(this.dir, `${this.name}.json`), JSON.stringify(this.map));
      // Only the deltas this run read are folded in; one a concurrent run wrote since stays for the next.
      for (const f of this.deltas) fs.rmSync(path.join(this.dir, f), { force: true });
      this.deltas = [];
      this.fresh = false;
    } else {
      writeAtomic(path.join(this.dir, `${this.name}.delta-${Date.now()}-${process.pid}-${randomBytes(3).toString('hex')}.json`), JSON.stringify(this.added));
    }
    this.dirty = false;
  }
}

/**
 * Cached facts: the head as own properties, every other key a getter on the prototype that reads the rest of
 * the facts from their pack once, on first use, and keeps them as own properties. (Until then Object.keys lists
 * only the head; reading any field gives what extractFacts gives.) One class, so that the thousands of objects
 * a --staged run creates share their shape.
 */
let CachedFacts: (new (head: Record<string, unknown>, loadBody: () => Record<string, unknown>) => object) | null = null;
const BODY_LOADER = new WeakMap<object, () => Record<string, unknown>>();

function cachedFactsClass(): new (head: Record<string, unknown>, loadBody: () => Record<string, unknown>) => object {
  if (CachedFacts) return CachedFacts;
  const bodyKeys = allFactKeys().filter((k) => !(HEAD_KEYS as readonly string[]).includes(k));
  class Facts {
    constructor(head: Record<string, unknown>, loadBody: () => Record<string, unknown>) {
      for (const k of HEAD_KEYS) (this as Record<string, unknown>)[k] = head[k];
      BODY_LOADER.set(this, loadBody);
    }
  }
  for (const k of bodyKeys) {
    Object.defineProperty(Facts.prototype, k, {
      enumerable: true,
      configurable: true,
      get(this: object) {
        const body = BODY_LOADER.get(this)!();
        for (const b of bodyKeys) Object.defineProperty(this, b, { value: body[b], enumerable: true, writable: true, configurable: true });
        return body[k];
      },
    });
  }
  CachedFacts = Facts;
  return Facts;
}

export class FactsCache {
  /** Counters for tests and DEBUG output. */
  readonly stats = { hits: 0, misses: 0, bodyReads: 0, bodyMisses: 0, resultHits: 0, moduleHits: 0, moduleMisses: 0 };
  private readonly entries: JsonMap<Entry>;
  private readonly stamps: JsonMap<Stamp>;
  private readonly now = Date.now();
  private readonly used = new Set<string>();
  private readonly stamped = new Set<string>();
  /** Facts computed this run, to be written to a pack on save, with the entries that will point to them. */
  private readonly bodies = new Map<string, { entry: Entry; facts: MigrationFacts }>();
  private readonly results = new Map<string, EnvResult>();
  /** Modules read this run (by key) and those read afresh, to be written on save. */
  private readonly modulesUsed = new Set<string>();
  private readonly modulesNew = new Map<string, string>();

  /**
   * The model reader's modules (orm/module-cache.ts): what it reads is checked there again, and one it cannot
   * use is read afresh and set (a miss).
   */
  readonly modules: ModuleStore = {
    get: (key) => this.moduleData(key),
    set: (key, data) => {
      if (!MODULE_KEY.test(key)) return;
      this.stats.moduleMisses++;
      this.modulesUsed.add(key);
      this.modulesNew.set(key, data);
    },
  };

  private constructor(
    readonly location: string,
    readonly dir: string,
  ) {
    this.entries = new JsonMap(dir, 'entries', isEntry);
    this.stamps = new JsonMap(dir, 'stamps', isStamp);
  }

  /**
   * Opens the cache at `location` (created on save); a missing or damaged index is an empty cache. `build` stands
   * in for the build of the tool (tests use it to play a version change).
   */
  static open(location: string, opts: { build?: string } = {}): FactsCache {
    const build = opts.build === undefined ? toolKey() : createHash('sha1').update(opts.build).digest('hex');
    return new FactsCache(path.resolve(location), path.join(path.resolve(location), build.slice(0, 16)));
  }

  /** Stamps are kept by path relative to the cache, shorter than absolute ones. */
  private stampKey(abs: string): string {
    // Thousands of files share a few folders: path.relative once per folder, not once per file.
    const dir = path.dirname(abs);
    let rel = this.relDirs.get(dir);
    if (rel === undefined) {
      rel = path.relative(this.location, dir);
      this.relDirs.set(dir, rel);
    }
    const base = path.basename(abs);
    return rel ? `${rel}${path.sep}${base}` : base;
  }

  private readonly relDirs = new Map<string, string>();

  /**
   * The content key of a migration, and its bytes when they had to be read for it: the source's own key (a blob
   * id from the git index), else the recorded one while the file's stamp is unchanged, else the hash of its bytes.
   * Null when the file cannot be read: the engine then reads it itself and reports why.
   */
  keyFor(abs: string, source: SourceProvider): { key: string | null; bytes: Uint8Array | null } {
    const own = source.key?.(abs);
    if (own) return { key: own, bytes: null };
    const stamp = source.stamp?.(abs) ?? null;
    const sk = stamp ? this.stampKey(abs) : '';
    const known = stamp ? this.stamps.get(sk) : undefined;
    if (stamp) this.stamped.add(sk);
    if (stamp && known && known[0] === stamp.size && known[1] === stamp.mtimeMs && known[2] === stamp.ctimeMs && known[3] === stamp.ino) {
      return { key: known[4], bytes: null };
    }
    let bytes: Uint8Array;
    try {
      bytes = source.read(abs);
    } catch (err) {
      if (err instanceof UnreadableFileError) return { key: null, bytes: null };
      throw err;
    }
    const key = blobId(bytes);
    // A stale stamp left in place never matches again: ctime only moves forward.
    if (stamp && this.now - stamp.mtimeMs > RACY_MS && this.now - stamp.ctimeMs > RACY_MS) {
      this.stamps.set(sk, [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, key]);
    }
    return { key, bytes };
  }

  has(key: string): boolean {
    return this.entries.get(key) !== undefined;
  }

  /**
   * Cached facts for `key`: the head at once, the rest read from facts/<key>.json on first use (or, should that
   * file be gone or damaged, taken from `compute()` and written again). Null on a miss.
   */
  facts(key: string, compute: () => MigrationFacts): MigrationFacts | null {
    const entry = this.entries.get(key);
    if (!entry) {
      this.stats.misses++;
      return null;
    }
    this.stats.hits++;
    this.used.add(key);
    const loadBody = (): Record<string, unknown> => {
      this.stats.bodyReads++;
      const raw = this.readBody(entry.body);
      if (isObject(raw) && allFactKeys().every((k) => (HEAD_KEYS as readonly string[]).includes(k) || k in raw)) return raw;
      this.stats.bodyMisses++;
      const computed = compute();
      this.bodies.set(key, { entry, facts: computed });
      return computed as unknown as Record<string, unknown>;
    };
    const Facts = cachedFactsClass();
    const facts = new Facts(entry.head, loadBody);
    attachDerived(facts, this.derivedStore(key, entry));
    return facts as MigrationFacts;
  }

  private readBody([pack, offset, length]: Entry['body']): unknown {
    let fd: number | null = null;
    try {
      fd = fs.openSync(path.join(this.dir, 'packs', `${pack}.pack`), 'r');
      const buf = Buffer.alloc(length);
      if (fs.readSync(fd, buf, 0, length, offset) !== length) return undefined;
      return JSON.parse(buf.toString('utf8'));
    } catch {
      return undefined;
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
  }

  /** Keeps freshly extracted facts under `key` (written on save), with a store for their derived values. */
  remember(key: string, facts: MigrationFacts): void {
    const head: Record<string, unknown> = {};
    for (const k of HEAD_KEYS) head[k] = facts[k];
    const entry: Entry = { head, derived: {}, used: this.now, body: ['', 0, 0] };
    this.entries.set(key, entry);
    this.used.add(key);
    this.bodies.set(key, { entry, facts });
    attachDerived(facts, this.derivedStore(key, entry));
  }

  private derivedStore(key: string, entry: Entry): DerivedStore {
    return {
      get: (name) => (Object.hasOwn(entry.derived, name) ? entry.derived[name] : undefined),
      set: (name, value) => {
        entry.derived[name] = value;
        this.entries.touch(key, entry);
      },
    };
  }

  /** The findings of an environment whose inputs hash to `key`, or null. */
  result(key: string): EnvResult | null {
    const raw = readJson(path.join(this.dir, 'results', `${key}.json`));
    if (!isObject(raw) || !Array.isArray(raw.diagnostics) || !Array.isArray(raw.suppressed)) return null;
    this.stats.resultHits++;
    return raw as unknown as EnvResult;
  }

  storeResult(key: string, result: EnvResult): void {
    this.results.set(key, result);
  }

  private moduleData(key: string): string | undefined {
    if (!MODULE_KEY.test(key)) return undefined;
    let raw: string;
    try {
      raw = fs.readFileSync(path.join(this.dir, 'modules', `${key}.json`), 'utf8');
    } catch {
      return undefined;
    }
    // `<sha1 of the rest>\n<the rest>`: a file cut short or altered is a miss, not a module read wrong.
    const nl = raw.indexOf('\n');
    const data = raw.slice(nl + 1);
    if (nl !== 40 || createHash('sha1').update(data).digest('hex') !== raw.slice(0, nl)) return undefined;
    this.stats.moduleHits++;
    this.modulesUsed.add(key);
    return data;
  }

  /** Writes what this run learnt. A cache that cannot be written is no cache: the lint result stands. */
  save(): void {
    try {
      if (!fs.existsSync(this.location)) {
        fs.mkdirSync(this.location, { recursive: true });
        // Never committed, never backed up: git and backup tools skip it (the CACHEDIR.TAG convention).
        fs.writeFileSync(path.join(this.location, '.gitignore'), '# Created by migration-lint\n*\n');
        fs.writeFileSync(path.join(this.location, 'CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n# This is a cache directory created by migration-lint.\n');
      }
      fs.mkdirSync(path.join(this.dir, 'packs'), { recursive: true });
      fs.mkdirSync(path.join(this.dir, 'results'), { recursive: true });
      if (this.bodies.size) this.writePack();
      for (const [key, result] of this.results) writeAtomic(path.join(this.dir, 'results', `${key}.json`), JSON.stringify(result));
      if (this.results.size) this.pruneResults();
      if (this.modulesNew.size) this.writeModules();
      const fresh = this.entries.fresh;
      if (this.entries.compacting) {
        this.pruneEntries();
        this.prunePacks();
        for (const key of this.used) {
          const e = this.entries.get(key);
          if (e) e.used = this.now;
        }
      }
      this.entries.save();
      if (this.stamps.compacting) this.pruneStamps();
      this.stamps.save();
      if (fresh) this.removeOtherBuilds();
    } catch {
      // Read-only location, full disk, a concurrent run removing the folder: the next run tries again.
    }
  }

  /** Bounded growth: entries this run did not use go, least recently used first, beyond twice what it used. */
  private pruneEntries(): void {
    const keys = this.entries.keys();
    const limit = 2 * this.used.size + 256;
    if (keys.length <= limit) return;
    const usedAt = (k: string) => this.entries.get(k)?.used ?? 0;
    const stale = keys.filter((k) => !this.used.has(k)).sort((a, b) => usedAt(a) - usedAt(b));
    for (const k of stale.slice(0, keys.length - limit)) this.entries.delete(k);
  }

  /**
   * The bodies this run computed, in one new pack: written through one descriptor in large chunks, renamed into
   * place, and only then pointed to by the entries (written after it).
   */
  private writePack(): void {
    const id = `${this.now.toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
    const file = path.join(this.dir, 'packs', `${id}.pack`);
    const tmp = `${file}.tmp`;
    const bodyKeys = allFactKeys().filter((k) => !(HEAD_KEYS as readonly string[]).includes(k));
    const fd = fs.openSync(tmp, 'w');
    try {
      let offset = 0;
      let chunk: Buffer[] = [];
      let chunkSize = 0;
      const flush = () => {
        fs.writeSync(fd, chunk.length === 1 ? chunk[0]! : Buffer.concat(chunk, chunkSize));
        chunk = [];
        chunkSize = 0;
      };
      for (const [key, { entry, facts }] of this.bodies) {
        const body: Record<string, unknown> = {};
        for (const k of bodyKeys) body[k] = (facts as unknown as Record<string, unknown>)[k];
        const buf = Buffer.from(JSON.stringify(body), 'utf8');
        entry.body = [id, offset, buf.length];
        this.entries.touch(key, entry);
        offset += buf.length;
        chunk.push(buf);
        chunkSize += buf.length;
        if (chunkSize > 1 << 20) flush();
      }
      if (chunkSize) flush();
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  /** Packs no entry points to any more go (once a minute old: a concurrent run may be about to point to its own). */
  private prunePacks(): void {
    const live = new Set(this.entries.keys().map((k) => this.entries.get(k)?.body[0]));
    const dir = path.join(this.dir, 'packs');
    for (const f of fs.readdirSync(dir)) {
      const id = f.replace(/\.pack(\.tmp)?$/, '');
      if (live.has(id)) continue;
      const p = path.join(dir, f);
      if (this.now - fs.statSync(p).mtimeMs > 60_000) fs.rmSync(p, { force: true });
    }
  }

  /** Stamps of paths this run did not see (deleted or renamed files) go, beyond twice what it saw. */
  private pruneStamps(): void {
    const keys = this.stamps.keys();
    const limit = 2 * this.stamped.size + 256;
    if (keys.length <= limit) return;
    for (const k of keys.filter((k) => !this.stamped.has(k)).slice(0, keys.length - limit)) this.stamps.delete(k);
  }

  private writeModules(): void {
    const dir = path.join(this.dir, 'modules');
    fs.mkdirSync(dir, { recursive: true });
    for (const [key, data] of this.modulesNew) writeAtomic(path.join(dir, `${key}.json`), `${createHash('sha1').update(data).digest('hex')}\n${data}`);
    this.modulesNew.clear();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    const limit = 2 * this.modulesUsed.size + MODULES_SPARE;
    if (files.length <= limit) return;
    const stale = files
      .filter((f) => !this.modulesUsed.has(f.slice(0, -5)))
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => a.t - b.t);
    for (const { f } of stale.slice(0, files.length - limit)) fs.rmSync(path.join(dir, f), { force: true });
  }

  private pruneResults(): void {
    const dir = path.join(this.dir, 'results');
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(RESULTS_KEPT)) fs.rmSync(path.join(dir, f), { force: true });
  }

  /** Folders of other builds of the tool hold nothing this build may use. */
  private removeOtherBuilds(): void {
    for (const name of fs.readdirSync(this.location)) {
      const other = path.join(this.location, name);
      if (/^[0-9a-f]{16}$/.test(name) && name !== path.basename(this.dir) && fs.existsSync(path.join(other, 'entries.json'))) {
        fs.rmSync(other, { recursive: true, force: true });
      }
    }
  }
}
