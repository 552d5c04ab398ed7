/**
 * Loading an environment for a pass: which migrations it has (config `ignore` applied), keyed through the cache,
 * read only when a rule or a finding needs them; its template and env.py; and the documents findings are
 * placed in.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { extractFacts } from '../facts/extract.js';
import { decodeMigration, type DecodedMigration } from '../facts/migration.js';
import { UnreadableFileError } from '../io/files.js';
import { relPath } from '../io/paths.js';
import { workTree } from '../io/source.js';
import type { DiscoveredEnvironment, Environment } from '../model/environment.js';
import type { MigrationFacts } from '../model/facts.js';
import type { MigrationFile } from '../model/migration.js';
import type { SourceProvider } from '../model/source.js';
import { LineIndex } from '../parse/source.js';
import { modelInputs } from '../orm/environment.js';
import { projectFiles } from '../io/project-files.js';
import type { FactsCache } from './cache.js';
import type { LintRequest } from './request.js';
import { modelRulesOn, resolveLevels } from './settings.js';

/**
 * A migration as the engine hands it to rules, read when first used: its bytes when a rule needs its text, its
 * facts from the cache when the cache knows its content (the head at once, the rest on first use), else from
 * the parser. A file the engine never reports on, in a repository the cache knows, is never read at all.
 */
export class LazyMigration implements MigrationFile {
  private bytes: Uint8Array | null;
  private decoded: DecodedMigration | null = null;
  private lineIndex: LineIndex | null = null;
  private factsValue: MigrationFacts | null = null;
  /** Its facts were extracted in this run and are to be cached (engine/pass.ts keeps their derived values with them). */
  extracted = false;
  internalError: string | null = null;

  constructor(
    readonly abs: string,
    readonly path: string,
    private readonly source: SourceProvider,
    private readonly cache: FactsCache | null,
    /** The content key, when the cache gave one. */
    readonly key: string | null,
    bytes: Uint8Array | null,
  ) {
    this.bytes = bytes;
  }

  private load(): DecodedMigration {
    if (this.decoded) return this.decoded;
    let bytes = this.bytes;
    let unreadable: string | null = null;
    if (!bytes) {
      try {
        bytes = this.source.read(this.abs);
      } catch (err) {
        // A path the source cannot read (a folder `x.py`, a FIFO, a link out of the repository) is that file's parse-error.
        if (!(err instanceof UnreadableFileError)) throw err;
        unreadable = err.message;
        bytes = new Uint8Array();
      }
    }
    this.bytes = null;
    this.decoded = decodeMigration(bytes, unreadable);
    return this.decoded;
  }

  get text(): string {
    return this.load().text;
  }

  get bom(): boolean {
    return this.load().bom;
  }

  get decodeError(): MigrationFile['decodeError'] {
    return this.load().decodeError;
  }

  /** Nothing could be read: only a rule that says why (meta.runsOnUnreadable) looks at it. */
  get unreadable(): boolean {
    return this.load().unreadable;
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  get facts(): MigrationFacts {
    if (!this.factsValue) {
      try {
        const compute = () => extractFacts(this.text, this.lines);
        const cached = this.key !== null && this.cache ? this.cache.facts(this.key, compute) : null;
        this.factsValue = cached ?? compute();
        if (!cached && this.key !== null && this.cache) {
          this.cache.remember(this.key, this.factsValue);
          this.extracted = true;
        }
      } catch (err) {
        // One file the linter cannot read must not stop the run: it gets internal-error, the others their
        // findings. Its facts are those of an empty file, never cached.
        this.internalError = `reading its facts failed: ${describeError(err)}`;
        this.factsValue = extractFacts('');
      }
    }
    return this.factsValue;
  }
}

/** A file findings are placed in: a migration, or the environment's template. */
export interface Doc {
  abs: string;
  rel: string;
  readonly text: string;
  readonly lines: LineIndex;
  file: MigrationFile | null;
}

/** A migration's doc reads the file only when a finding on it needs positions. */
function migrationDoc(f: LazyMigration): Doc {
  return {
    abs: f.abs,
    rel: f.path,
    get text() {
      return f.text;
    },
    get lines() {
      return f.lines;
    },
    file: f,
  };
}

/** env.py sits in the script location: beside script.py.mako, or above the first versions folder. */
export function envPyPath(denv: DiscoveredEnvironment): string | null {
  const scriptDir = denv.templatePath ? path.dirname(denv.templatePath) : denv.versionDirs[0] ? path.dirname(denv.versionDirs[0]) : null;
  return scriptDir ? path.join(scriptDir, 'env.py') : null;
}

/** What a pass lints of one environment. */
export interface LoadedEnvironment {
  env: Environment;
  files: LazyMigration[];
  /** Every file is keyed by content (so the environment's findings can be cached). */
  keyed: boolean;
  /** Documents by relative path: the migrations and the template. */
  docs: Map<string, Doc>;
}

/**
 * One pass's migrations, per environment: keyed through the cache when there is one, and read only when used
 * (a pass after --fix wrote files starts with a new Loader). The source is told at once which files will surely be read (those the
 * cache does not know, the targets, the template and env.py), so that git reads them in one batch.
 */
export class Loader {
  private readonly envs = new Map<DiscoveredEnvironment, { files: LazyMigration[]; keyed: boolean }>();
  private readonly ignore: picomatch.Matcher | null;
  private modelRules: boolean | undefined;
  /** The project's folders as the model rules' readers list them (io/project-files.ts), walked once per pass. */
  readonly listings = new Map<string, string[]>();

  constructor(private readonly req: LintRequest) {
    this.ignore = req.config.ignore.length ? picomatch(req.config.ignore, { dot: true }) : null;
  }

  /** Whether config `ignore` leaves out this path (relative to the working directory). */
  ignored(rel: string): boolean {
    return !!this.ignore && (this.ignore(rel) || this.ignore(relPath(this.req.config.dir, path.resolve(this.req.cwd, rel))));
  }

  private migrations(denv: DiscoveredEnvironment): { files: LazyMigration[]; keyed: boolean } {
    const hit = this.envs.get(denv);
    if (hit) return hit;
    const { cwd, config, targets } = this.req;
    const source = this.req.source ?? workTree;
    const cache = this.req.cache ?? null;
    const files: LazyMigration[] = [];
    const toRead: string[] = [];
    let keyed = true;
    for (const abs of source.files(denv)) {
      const rel = relPath(cwd, abs);
      if (this.ignore && (this.ignore(rel) || this.ignore(relPath(config.dir, abs)))) continue;
      const { key, bytes } = cache ? cache.keyFor(abs, source) : { key: null, bytes: null };
      if (key === null) keyed = false;
      // Surely read: what the cache cannot key, and the targets. What the cache lacks is found out when its
      // facts are asked for; a batching source loads the rest together then (git/mode.ts IndexSource).
      if (!bytes && (key === null || !!targets?.has(abs))) toRead.push(abs);
      files.push(new LazyMigration(abs, rel, source, cache, key, bytes));
    }
    const envPy = envPyPath(denv);
    if (denv.templatePath) toRead.push(denv.templatePath);
    if (envPy) toRead.push(envPy);
    // The model rules read the project's modules whenever the findings are not cached: with the migrations, in
    // the same git process under --staged (a result found in the cache leaves these few blobs unused).
    if (source.willRead && (this.modelRules ??= modelRulesOn(resolveLevels(config, this.req.ruleLevels ?? {})))) toRead.push(...modelInputs(denv, projectFiles(() => null, this.listings)));
    source.willRead?.(toRead);
    const loaded = { files, keyed };
    this.envs.set(denv, loaded);
    return loaded;
  }

  /** The environment as the pass's rules see it: its migrations, template and env.py. */
  environment(denv: DiscoveredEnvironment): LoadedEnvironment {
    const { cwd } = this.req;
    const source = this.req.source ?? workTree;
    const { files, keyed } = this.migrations(denv);
    const docs = new Map<string, Doc>();
    for (const f of files) docs.set(f.path, migrationDoc(f));
    let template: Environment['template'] = null;
    if (denv.templatePath) {
      const text = source.readText(denv.templatePath);
      if (text !== null) {
        const rel = relPath(cwd, denv.templatePath);
        template = { path: rel, text };
        docs.set(rel, { abs: denv.templatePath, rel, text, lines: new LineIndex(text), file: null });
      }
    }
    const envPyAbs = envPyPath(denv);
    const envPyText = envPyAbs ? source.readText(envPyAbs) : null;
    const env: Environment = {
      name: relPath(cwd, denv.name.startsWith('[') ? denv.root : denv.name),
      versions: denv.versionDirs.map((d) => relPath(cwd, d)),
      template,
      envPy: envPyAbs && envPyText !== null ? { path: relPath(cwd, envPyAbs), text: envPyText } : null,
      fileTemplate: denv.fileTemplate,
    };
    if (denv.name.startsWith('[')) env.name = denv.name;
    return { env, files, keyed, docs };
  }
}

/** An exception as one line for a finding: its message, never a stack. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return text.split(/\r?\n/)[0]!.slice(0, 300);
}
