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
import { writeBytes } from '../io/files.js';
import { decodePython, decodeUtf8, LineIndex, type Span } from '../parse/source.js';
import { ruleById, rules as allRules } from '../rules/index.js';
import type { Environment, Fix, History, Level, MigrationFile, Report, Rule, Settings, Severity } from '../rules/types.js';
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
}

interface Doc {
  abs: string;
  rel: string;
  text: string;
  bom: boolean;
  lines: LineIndex;
  file: MigrationFile | null;
}

export function relPath(cwd: string, abs: string): string {
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
  let pass = runOnce(req);
  const source = req.source ?? workTree;
  if (!req.fix || !source.writable) return pass.result;
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
    pass = runOnce(req);
  }
  fixed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { ...pass.result, fixed };
}

function runOnce(req: LintRequest): { result: LintResult; pendingFixes: Map<string, { doc: Doc; fixes: Fix[] }> } {
  const source = req.source ?? workTree;
  const { config, cwd } = req;
  const levels = resolveLevels(config, req.ruleLevels ?? {});
  const ruleIds = new Set(allRules.map((r) => r.meta.id));
  const ignore = config.ignore.length ? picomatch(config.ignore, { dot: true }) : null;

  const diagnostics: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  const pendingFixes = new Map<string, { doc: Doc; fixes: Fix[] }>();
  const environments: EnvironmentResult[] = [];
  let fileCount = 0;

  for (const denv of req.environments) {
    const docs = new Map<string, Doc>();
    const files: MigrationFile[] = [];
    for (const abs of source.files(denv)) {
      const rel = relPath(cwd, abs);
      if (ignore && (ignore(rel) || ignore(relPath(config.dir, abs)))) continue;
      const { file, bom, lines } = loadMigration(rel, source.read(abs));
      docs.set(rel, { abs, rel, text: file.text, bom, lines, file });
      files.push(file);
    }
    let template: Environment['template'] = null;
    if (denv.templatePath) {
      const text = source.readText(denv.templatePath);
      if (text !== null) {
        const rel = relPath(cwd, denv.templatePath);
        template = { path: rel, text };
        docs.set(rel, { abs: denv.templatePath, rel, text, bom: false, lines: new LineIndex(text), file: null });
      }
    }
    // env.py sits in the script location: beside script.py.mako, or above the first versions folder.
    const scriptDir = denv.templatePath ? path.dirname(denv.templatePath) : denv.versionDirs[0] ? path.dirname(denv.versionDirs[0]) : null;
    const envPyAbs = scriptDir ? path.join(scriptDir, 'env.py') : null;
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
    const settings = resolveSettings(config, denv, files, template, source);
    const isTarget = (rel: string) => {
      if (!req.targets) return true;
      const doc = docs.get(rel);
      return doc ? req.targets.has(doc.abs) : false;
    };
    fileCount += files.filter((f) => isTarget(f.path)).length;

    const raw: { rule: Rule; file: string; report: Report }[] = [];
    for (const rule of allRules) {
      const level = levels.get(rule.meta.id)!;
      if (level.level === 'off') continue;
      const options = level.options;
      if (rule.checkFile) {
        for (const file of files) {
          if (!isTarget(file.path)) continue;
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
      const doc = docs.get(file);
      if (!doc) continue;
      if (doc.file && !isTarget(file)) continue;
      const level = levels.get(rule.meta.id)!.level as Severity;
      const severity: Severity = report.severity === 'warning' ? 'warning' : level;
      const d = toDiagnostic(rule.meta.id, severity, doc, report.span, report.message, report.help ?? rule.meta.help, !!report.fix);
      const sup = doc.file ? suppressionsOf(doc).match(rule.meta.id, d.line, d.endLine) : null;
      if (sup) {
        suppressed.push(d);
        continue;
      }
      diagnostics.push(d);
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
          diagnostics.push(
            toDiagnostic('invalid-suppression', supLevel.level as Severity, doc, p.suppression.span, p.message, ruleById.get('invalid-suppression')!.meta.help, false),
          );
        }
      }
    }
  }

  diagnostics.sort(byPosition);
  suppressed.sort(byPosition);
  return { result: { diagnostics, suppressed, fileCount, environments, fixed: [] }, pendingFixes };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

function toDiagnostic(rule: string, severity: Severity, doc: Doc, span: Span, message: string, help: string, fixable: boolean): Diagnostic {
  const start = doc.lines.position(span.start);
  const end = doc.lines.position(Math.max(span.end, span.start));
  return {
    rule,
    severity,
    file: doc.rel,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message,
    help,
    fixable,
  };
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
