/**
 * The engine: discovered environments → facts → rules → severities and suppressions → diagnostics, with
 * `--fix` applied and the files linted again. Pure apart from the SourceProvider it is given and the
 * writes of --fix through io/files.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { Config } from '../config/load.js';
import type { DiscoveredEnvironment } from '../discover/environments.js';
import { extractFacts } from '../facts/extract.js';
import { loadSqlParser, SqlParserNotLoaded } from '../facts/sql-loader.js';
import { writeBytes } from '../io/files.js';
import { decodePython, decodeUtf8, LineIndex, type Span } from '../parse/source.js';
import { ruleById, rules as allRules } from '../rules/index.js';
import type { Environment, Fix, History, Level, MigrationFile, Report, Rule, Settings, Severity } from '../rules/types.js';
import { hashOf, LazyMigration, type FactsCache } from './cache.js';
import { checkSuppressions } from './suppressions.js';
import { workTree, type SourceProvider } from './source.js';

export interface Diagnostic {
  rule: string;
  severity: Severity;
  /** Relative to the working directory, `/` separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  help: string;
  fixable: boolean;
  /**
   * The rule's fix, in the diagnostic's own coordinates (1-based lines, code-point columns, end exclusive), for
   * the outputs that offer it without applying it: reviewdog suggestions, editor code actions.
   */
  fix?: DiagnosticFix;
}

export interface DiagnosticEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

export interface DiagnosticFix {
  description: string;
  edits: DiagnosticEdit[];
}

export interface EnvironmentResult {
  name: string;
  versions: string[];
  files: MigrationFile[];
  template: Environment['template'];
}

export interface LintResult {
  diagnostics: Diagnostic[];
  suppressed: Diagnostic[];
  /** Files linted (reported on), not every file the graph rules read. */
  fileCount: number;
  environments: EnvironmentResult[];
  fixed: { file: string; description: string }[];
}

export interface LintRequest {
  cwd: string;
  environments: DiscoveredEnvironment[];
  config: Config;
  /** `--rule id=level`, over config. */
  ruleLevels?: Record<string, Level>;
  /** Absolute paths to report on; null reports on every migration (graph rules always read all). */
  targets?: Set<string> | null;
  source?: SourceProvider;
  history?: History | null;
  fix?: boolean;
  /** Facts and findings remembered across runs (engine/cache.ts); saved when the run ends. */
  cache?: FactsCache | null;
}

interface Doc {
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

/** Normalised absolute paths without `.`/`..` segments: below such a folder, relative() is a slice. */
const PLAIN_ABSOLUTE = path.sep === '/' ? /^\/(?!.*(?:\/\.{1,2}(?:\/|$)|\/\/|\/$))/ : null;

export function relPath(cwd: string, abs: string): string {
  // Thousands of paths per run, nearly all directly below cwd: skip path.relative's resolving when it cannot differ.
  if (PLAIN_ABSOLUTE && abs.length > cwd.length + 1 && abs.startsWith(cwd) && abs[cwd.length] === '/' && PLAIN_ABSOLUTE.test(cwd) && PLAIN_ABSOLUTE.test(abs)) {
    return abs.slice(cwd.length + 1);
  }
  const rel = path.relative(cwd, abs) || path.basename(abs);
  return rel.split(path.sep).join('/');
}

export function loadMigration(rel: string, bytes: Uint8Array): { file: MigrationFile; bom: boolean; lines: LineIndex } {
  const decoded = decodePython(bytes);
  const lines = new LineIndex(decoded.text);
  const facts = extractFacts(decoded.text, lines);
  const decodeError = decoded.error
    ? { span: { start: decoded.error.offset, end: Math.min(decoded.error.offset + 1, decoded.text.length) }, message: decoded.error.message }
    : null;
  return { file: { path: rel, text: decoded.text, facts, decodeError }, bom: decoded.bom, lines };
}

export function lint(req: LintRequest): LintResult {
  const step = lintSteps(req).next();
  // Only a process that deferred the SQL parser (the CLI) gets here without it; it uses lintAsync.
  if (!step.done) throw new SqlParserNotLoaded();
  return step.value;
}

/**
 * lint() for a process that defers loading PostgreSQL's parser (facts/sql-loader.ts): it is loaded only once a
 * rule reads SQL, and that pass's rules run again (they are pure, and the files already read stay read).
 */
export async function lintAsync(req: LintRequest): Promise<LintResult> {
  const steps = lintSteps(req);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await loadSqlParser();
  }
}

/** The run, pausing (yield) whenever the rules need the SQL parser before it is loaded. */
function* lintSteps(req: LintRequest): Generator<void, LintResult, void> {
  const runPass = function* (): Generator<void, ReturnType<typeof runOnce>, void> {
    const loader = new Loader(req);
    for (;;) {
      try {
        return runOnce(req, loader);
      } catch (err) {
        if (!(err instanceof SqlParserNotLoaded)) throw err;
        yield;
      }
    }
  };
  let pass = yield* runPass();
  const source = req.source ?? workTree;
  if (!req.fix || !source.writable) {
    req.cache?.save();
    return pass.result;
  }
  const fixed: LintResult['fixed'] = [];
  // A fix that overlaps another waits for the next pass, as in ESLint; the cap ends any ping-pong between rules.
  for (let round = 0; round < 10 && pass.pendingFixes.size; round++) {
    let changed = false;
    for (const [abs, { doc, fixes }] of pass.pendingFixes) {
      const out = applyFixesToBytes(source.read(abs), doc.text, fixes);
      if (!out) continue;
      writeBytes(abs, out.bytes);
      changed = true;
      for (const f of out.applied) {
        if (!fixed.some((x) => x.file === doc.rel && x.description === f.description)) fixed.push({ file: doc.rel, description: f.description });
      }
    }
    if (!changed) break;
    pass = yield* runPass();
  }
  fixed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  req.cache?.save();
  return { ...pass.result, fixed };
}

/** env.py sits in the script location: beside script.py.mako, or above the first versions folder. */
function envPyPath(denv: DiscoveredEnvironment): string | null {
  const scriptDir = denv.templatePath ? path.dirname(denv.templatePath) : denv.versionDirs[0] ? path.dirname(denv.versionDirs[0]) : null;
  return scriptDir ? path.join(scriptDir, 'env.py') : null;
}

/**
 * One pass's migrations, per environment: keyed through the cache when there is one, read only when used, and
 * kept when the pass's rules run again. The source is told at once which files will surely be read (those the
 * cache does not know, the targets, the template and env.py), so that git reads them in one batch.
 */
class Loader {
  private readonly envs = new Map<DiscoveredEnvironment, { files: LazyMigration[]; keyed: boolean }>();
  private readonly ignore: picomatch.Matcher | null;

  constructor(private readonly req: LintRequest) {
    this.ignore = req.config.ignore.length ? picomatch(req.config.ignore, { dot: true }) : null;
  }

  /** Whether config `ignore` leaves out this path (relative to the working directory). */
  ignored(rel: string): boolean {
    return !!this.ignore && (this.ignore(rel) || this.ignore(relPath(this.req.config.dir, path.resolve(this.req.cwd, rel))));
  }

  environment(denv: DiscoveredEnvironment): { files: LazyMigration[]; keyed: boolean } {
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
    source.willRead?.(toRead);
    const loaded = { files, keyed };
    this.envs.set(denv, loaded);
    return loaded;
  }
}

function runOnce(req: LintRequest, loader: Loader): { result: LintResult; pendingFixes: Map<string, { doc: Doc; fixes: Fix[] }> } {
  const source = req.source ?? workTree;
  const { config, cwd } = req;
  const levels = resolveLevels(config, req.ruleLevels ?? {});
  const ruleIds = new Set(allRules.map((r) => r.meta.id));

  const diagnostics: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  const pendingFixes = new Map<string, { doc: Doc; fixes: Fix[] }>();
  const environments: EnvironmentResult[] = [];
  let fileCount = 0;

  for (const denv of req.environments) {
    const docs = new Map<string, Doc>();
    const loaded = loader.environment(denv);
    const files: LazyMigration[] = loaded.files;
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
    environments.push({ name: env.name, versions: env.versions, files, template });
    const isTarget = (rel: string) => {
      if (!req.targets) return true;
      const doc = docs.get(rel);
      return doc ? req.targets.has(doc.abs) : false;
    };
    fileCount += files.filter((f) => isTarget(f.path)).length;

    // Findings are a function of what the rules are given; when all of it is as in a run before, so are they.
    // The settings are keyed by what they follow from (config, template, the files by key and, under "auto",
    // the project files), so that a run whose findings are cached reads no file's facts at all.
    const resultKey =
      req.cache && !req.fix && loaded.keyed
        ? hashOf([
            cwd,
            [...levels],
            [config.sqlmodelImport, config.checkDowngrade, config.vagueMessages, config.dialect],
            config.sqlmodelImport === 'auto' ? projectNamesSqlmodel(denv.root, source) : null,
            env,
            files.map((f) => [f.path, f.key]),
            req.targets ? files.filter((f) => isTarget(f.path)).map((f) => f.path) : null,
            historyInputs(req.history ?? null),
          ])
        : null;
    const known = resultKey ? req.cache!.result(resultKey) : null;
    if (known) {
      for (const d of known.diagnostics) diagnostics.push(d);
      for (const d of known.suppressed) suppressed.push(d);
      continue;
    }
    const settings = resolveSettings(config, denv, files, template, source);
    const envDiagnostics: Diagnostic[] = [];
    const envSuppressed: Diagnostic[] = [];

    const raw: { rule: Rule; file: string; report: Report }[] = [];
    for (const rule of allRules) {
      const level = levels.get(rule.meta.id)!;
      if (level.level === 'off') continue;
      const options = level.options;
      if (rule.checkFile) {
        for (const file of files) {
          if (!isTarget(file.path)) continue;
          // Nothing was read: only parse-error has something to say (why it could not be).
          if (file.unreadable && rule.meta.id !== 'parse-error') continue;
          rule.checkFile({ file, env, settings, options, report: (r) => raw.push({ rule, file: file.path, report: r }) });
        }
      }
      if (rule.checkEnvironment) {
        rule.checkEnvironment({
          env,
          files,
          settings,
          options,
          history: req.history ?? null,
          isTarget: (file) => isTarget(file.path),
          report: (file, r) => raw.push({ rule, file, report: r }),
        });
      }
    }

    const checks = new Map<string, ReturnType<typeof checkSuppressions>>();
    const suppressionsOf = (doc: Doc) => {
      let c = checks.get(doc.rel);
      if (!c) {
        c = checkSuppressions(doc.file?.facts.suppressions ?? [], ruleIds);
        checks.set(doc.rel, c);
      }
      return c;
    };
    for (const { rule, file, report } of raw) {
      // Template findings count for the environment whether or not a migration is a target.
      let doc = docs.get(file);
      if (!doc) {
        // A path that no longer exists (a deleted applied revision): reported at its line 1, never dropped.
        if (loader.ignored(file)) continue;
        doc = { abs: path.resolve(cwd, file), rel: file, text: '', lines: new LineIndex(''), file: null };
        docs.set(file, doc);
      }
      if (doc.file && !isTarget(file)) continue;
      const level = levels.get(rule.meta.id)!.level as Severity;
      const severity: Severity = report.severity === 'warning' ? 'warning' : level;
      const d = toDiagnostic(rule.meta.id, severity, doc, report.span, report.message, report.help ?? rule.meta.help, report.fix ?? null);
      const sup = doc.file ? suppressionsOf(doc).match(rule.meta.id, d.line, d.endLine) : null;
      if (sup) {
        envSuppressed.push(d);
        continue;
      }
      envDiagnostics.push(d);
      if (report.fix) {
        const entry = pendingFixes.get(doc.abs) ?? { doc, fixes: [] };
        entry.fixes.push(report.fix);
        pendingFixes.set(doc.abs, entry);
      }
    }
    const supLevel = levels.get('invalid-suppression')!;
    if (supLevel.level !== 'off') {
      for (const doc of docs.values()) {
        if (!doc.file || !isTarget(doc.rel)) continue;
        for (const p of suppressionsOf(doc).problems) {
          envDiagnostics.push(
            toDiagnostic('invalid-suppression', supLevel.level as Severity, doc, p.suppression.span, p.message, ruleById.get('invalid-suppression')!.meta.help, null),
          );
        }
      }
    }
    for (const d of envDiagnostics) diagnostics.push(d);
    for (const d of envSuppressed) suppressed.push(d);
    if (resultKey) req.cache!.storeResult(resultKey, { diagnostics: envDiagnostics, suppressed: envSuppressed });
  }

  diagnostics.sort(byPosition);
  suppressed.sort(byPosition);
  return { result: { diagnostics, suppressed, fileCount, environments, fixed: [] }, pendingFixes };
}

/** Everything of the git history the rules may read, for the result key (old texts by hash). */
function historyInputs(history: History | null): unknown {
  if (!history) return null;
  return {
    baselineCommit: history.baselineCommit,
    baselineRef: history.baselineRef,
    appliedPaths: [...history.appliedPaths].sort(),
    entries: history.entries.map((e) => [e.status, e.oldPath, e.newPath, e.baselineCommit, e.baselineRef, e.oldFacts === null, hashOf(e.oldText)]),
  };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

function toDiagnostic(rule: string, severity: Severity, doc: Doc, span: Span, message: string, help: string, fix: Fix | null): Diagnostic {
  const start = doc.lines.position(span.start);
  const end = doc.lines.position(Math.max(span.end, span.start));
  const d: Diagnostic = {
    rule,
    severity,
    file: doc.rel,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message,
    help,
    fixable: fix !== null,
  };
  if (fix) {
    d.fix = {
      description: fix.description,
      edits: fix.edits.map((e) => {
        const from = doc.lines.position(e.start);
        const to = doc.lines.position(Math.max(e.end, e.start));
        return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column, text: e.text };
      }),
    };
  }
  return d;
}

export function resolveLevels(config: Config, overrides: Record<string, Level>): Map<string, { level: Level; options: Record<string, unknown> }> {
  const out = new Map<string, { level: Level; options: Record<string, unknown> }>();
  for (const rule of allRules) {
    const fromConfig = config.rules[rule.meta.id];
    let level: Level = fromConfig?.level ?? rule.meta.defaultSeverity;
    const override = overrides[rule.meta.id];
    if (override) level = override;
    let options: Record<string, unknown> = fromConfig?.options ?? {};
    if (rule.options) options = rule.options(options) as Record<string, unknown>;
    out.set(rule.meta.id, { level, options });
  }
  return out;
}

const SQLMODEL_WORD = /(^|[^\w-])sqlmodel([^\w-]|$)/im;

/** "auto" means "always" in a SQLModel project and "when-used" elsewhere (SPEC missing-sqlmodel-import). */
function resolveSettings(
  config: Config,
  denv: DiscoveredEnvironment,
  files: MigrationFile[],
  template: Environment['template'],
  source: SourceProvider,
): Settings {
  let mode = config.sqlmodelImport;
  if (mode === 'auto') {
    const sqlmodelProject =
      (template !== null && /^\s*(import sqlmodel|from sqlmodel\b)/m.test(template.text)) ||
      files.some((f) => f.facts.sqlmodelBound) ||
      projectNamesSqlmodel(denv.root, source);
    mode = sqlmodelProject ? 'always' : 'when-used';
  }
  return { sqlmodelImport: mode, checkDowngrade: config.checkDowngrade, vagueMessages: config.vagueMessages, dialect: config.dialect };
}

function projectNamesSqlmodel(root: string, source: SourceProvider): boolean {
  let dir = root;
  for (let i = 0; i < 4; i++) {
    for (const name of ['pyproject.toml', 'requirements.txt', 'requirements-dev.txt', 'setup.cfg', 'setup.py', 'Pipfile']) {
      const text = source.readText(path.join(dir, name));
      if (text && SQLMODEL_WORD.test(text)) return true;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return false;
}

/**
 * The fixes that can be applied together: whole fixes (all their edits or none), in source order, skipping
 * any that overlaps one already taken or repeats it (two findings asking for the same insertion).
 */
function selectFixes(fixes: Fix[]): Fix[] {
  const ranged = fixes
    .filter((f) => f.edits.length)
    .map((f) => ({ f, start: Math.min(...f.edits.map((e) => e.start)), end: Math.max(...f.edits.map((e) => e.end)) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const taken: Fix[] = [];
  let lastEnd = -1;
  const seen = new Set<string>();
  for (const { f, start, end } of ranged) {
    const key = JSON.stringify(f.edits);
    if (seen.has(key) || start <= lastEnd) continue;
    seen.add(key);
    taken.push(f);
    lastEnd = end;
  }
  return taken;
}

/** Applies the fixes that do not overlap (see selectFixes); the rest wait for the next pass. */
export function applyFixes(text: string, fixes: Fix[]): string {
  const edits = selectFixes(fixes)
    .flatMap((f) => f.edits)
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * Applies fixes to a file's bytes, splicing only the edited ranges so that every other byte (BOM, line
 * endings, trailing whitespace, a missing final newline) stays as it was. Null when nothing applies, or when
 * the bytes are not the UTF-8 text the fixes were computed on (another codec, undecodable bytes, or a file
 * changed since it was read): such a file is left alone rather than re-encoded.
 */
export function applyFixesToBytes(bytes: Uint8Array, text: string, fixes: Fix[]): { bytes: Uint8Array; applied: Fix[] } | null {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok || decoded.text !== text) return null;
  const applied = selectFixes(fixes);
  const edits = applied.flatMap((f) => f.edits).sort((a, b) => a.start - b.start || a.end - b.end);
  if (!edits.some((e) => e.text !== text.slice(e.start, e.end))) return null;
  const base = decoded.bom ? 3 : 0;
  const byteAt = (offset: number) => base + Buffer.byteLength(text.slice(0, offset), 'utf8');
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (const e of edits) {
    const start = byteAt(e.start);
    parts.push(bytes.subarray(pos, start), Buffer.from(e.text, 'utf8'));
    pos = byteAt(e.end);
  }
  parts.push(bytes.subarray(pos));
  return { bytes: Buffer.concat(parts), applied };
}
