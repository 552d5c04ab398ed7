/**
 * One pass: for each environment, the rules run over its files at their levels, and what they report becomes
 * diagnostics, approved by suppression comments or not, with the fixes they offer. A pass pauses (yields)
 * before the rules when the files hold SQL and PostgreSQL's parser is still to be loaded (facts/sql-loader.ts).
 */
import path from 'node:path';
import type { DatabaseView } from '../model/database.js';
import type { Diagnostic, Fix, Severity } from '../model/diagnostic.js';
import type { History } from '../model/migration.js';
import type { LintResult, EnvironmentResult } from '../model/result.js';
import type { Span } from '../model/span.js';
import { workTree } from '../io/source.js';
import { changesOf } from '../facts/changes/index.js';
import { needsSqlParser } from '../facts/sql-loader.js';
import { LineIndex } from '../parse/source.js';
import { ruleById, rules as allRules } from '../rules/index.js';
import { ruleFailure } from '../rules/internal-error.js';
import { resolveReport, type ModelsContext, type ResolvedReport, type Rule } from '../rules/types.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import type { MigrationFile } from '../model/migration.js';
import type { SourceProvider } from '../model/source.js';
import { relPath } from '../io/paths.js';
import { envPyOf, loadModels, modelsStamp, type LoadedModels } from '../orm/environment.js';
import { hashOf } from './cache.js';
import { Directives } from './directives.js';
import type { LintRequest } from './request.js';
import { describeError, type Doc, type LazyMigration, type Loader } from './load.js';
import { environmentScope, learnConventions, markerUse } from './scope.js';
import { dependencyFilesKey, modelRulesOn, resolveLevels, resolveSettings } from './settings.js';

/** What a pass asks of its driver before it can go on. */
export type PassNeed = 'sql-parser';

export interface PassResult {
  result: LintResult;
  /** Fixes offered by unsuppressed findings, by absolute path. */
  pendingFixes: Map<string, { doc: Doc; fixes: Fix[] }>;
}

export function* runPass(req: LintRequest, loader: Loader): Generator<PassNeed, PassResult, void> {
  const source = req.source ?? workTree;
  const { config, cwd } = req;
  const levels = resolveLevels(config, req.ruleLevels ?? {});
  const ruleIds = new Set(allRules.map((r) => r.meta.id));

  const diagnostics: Diagnostic[] = [];
  const suppressed: Diagnostic[] = [];
  const pendingFixes = new Map<string, { doc: Doc; fixes: Fix[] }>();
  const environments: EnvironmentResult[] = [];
  let fileCount = 0;
  let graphOnly = 0;
  const databaseViews: DatabaseView[] = [];

  for (const denv of req.environments) {
    const { env, files, keyed, docs } = loader.environment(denv);
    environments.push({ name: env.name, versions: env.versions, files, template: env.template });
    const isTarget = (rel: string) => {
      if (!req.targets) return true;
      const doc = docs.get(rel);
      return doc ? req.targets.has(doc.abs) : false;
    };
    fileCount += files.filter((f) => isTarget(f.path)).length;
    const scope = req.scope ?? config.scope;

    // Findings are a function of what the rules are given; when all of it is as in a run before, so are they.
    // The settings are keyed by what they follow from (config, template, the files by key and, under "auto",
    // the project files), so that a run whose findings are cached reads no file's facts at all.
    // The model rules' findings also follow from the project's Python modules: with them on, the key holds
    // those files' stamps too (null when one changed too recently to trust its stamp: then nothing is cached).
    const modelRules = modelRulesOn(levels) && hasEnvPy(denv, source);
    const stamp = req.cache && !req.fix && keyed && modelRules ? modelsStamp(denv, source, loader.listings) : undefined;
    const resultKey =
      req.cache && !req.fix && keyed && stamp !== null
        ? hashOf([
            stamp ?? null,
            config.models,
            cwd,
            [...levels],
            [config.sqlmodelImport, config.checkDowngrade, config.vagueMessages, config.dialect],
            config.sqlmodelImport === 'auto' ? dependencyFilesKey(denv.root, source) : null,
            env,
            files.map((f) => [f.path, f.key]),
            req.targets ? files.filter((f) => isTarget(f.path)).map((f) => f.path) : null,
            historyInputs(req.history ?? null),
            scope,
          ])
        : null;
    // A database's state is no input a cache can key: runs with one always judge afresh.
    const known = resultKey && !req.database ? req.cache!.result(resultKey) : null;
    if (known) {
      for (const d of known.diagnostics) diagnostics.push(d);
      for (const d of known.suppressed) suppressed.push(d);
      graphOnly += known.graphOnly ?? 0;
      continue;
    }
    const models = modelsContext(req, denv, source, files, loader.listings);
    if (needsSqlParser(files)) yield 'sql-parser';
    const definedElsewhere = (rev: string) =>
      req.environments.some((other) => other !== denv && loader.environment(other).files.some((f) => f.facts.revision.values?.includes(rev)));
    const envScope = environmentScope(files, req.history ?? null, req.database ?? null, definedElsewhere, scope);
    const envGraphOnly = files.filter((f) => envScope.graphOnly.has(f.path) && isTarget(f.path)).length;
    graphOnly += envGraphOnly;
    if (envScope.database) databaseViews.push(envScope.database);
    /** Content rules judge what a revision does: not asked about applied revisions unless the run audits them. */
    const judges = (rule: Rule, file: string) => (rule.meta.kind ?? 'content') !== 'content' || !envScope.graphOnly.has(file);
    const settings = resolveSettings(config, denv, files, env.template, source);
    // An audit (--all) holds every revision to the defaults, as before conventions were learnt: learning them
    // from the very revisions it judges would excuse what it is asked to find.
    settings.conventions = scope === 'all' ? undefined : learnConventions(envScope.applied, env, appliedFrom(req.history ?? null, envScope.database));
    environments[environments.length - 1]!.conventions = settings.conventions;
    const envDiagnostics: Diagnostic[] = [];
    const envSuppressed: Diagnostic[] = [];

    const raw: { rule: Rule; file: string; report: ResolvedReport }[] = [];
    const internal = ruleById.get('internal-error')!;
    // A rule that throws is the linter's bug, not the file's: that file gets internal-error naming the rule,
    // and every other file and rule goes on.
    const failed = (rule: Rule, file: string, what: string, err: unknown) =>
      levels.get(internal.meta.id)!.level !== 'off' &&
      raw.push({ rule: internal, file, report: resolveReport(internal.meta, ruleFailure(rule.meta.id, what, describeError(err))) });
    for (const rule of allRules) {
      const level = levels.get(rule.meta.id)!;
      if (level.level === 'off') continue;
      const options = level.options;
      if (rule.checkFile) {
        for (const file of files) {
          if (!isTarget(file.path) || !judges(rule, file.path)) continue;
          // Nothing was read: only a rule that says why has something to say.
          if (file.unreadable && !rule.meta.runsOnUnreadable) continue;
          if (file.internalError && !rule.meta.reportsInternalErrors) continue;
          const before = raw.length;
          try {
            rule.checkFile({ file, env, settings, options, report: (r) => raw.push({ rule, file: file.path, report: resolveReport(rule.meta, r) }) });
          } catch (err) {
            raw.length = before;
            failed(rule, file.path, 'on it', err);
          }
          // Its facts failed to read during this rule: what the rule said rests on none, internal-error speaks.
          if (file.internalError && !rule.meta.reportsInternalErrors) raw.length = before;
        }
      }
      if (rule.checkEnvironment) {
        const before = raw.length;
        try {
          rule.checkEnvironment({
            env,
            files,
            settings,
            options,
            history: req.history ?? null,
            database: envScope.database,
            isTarget: (file) => isTarget(file.path) && judges(rule, file.path),
            report: (file, r) => raw.push({ rule, file, report: resolveReport(rule.meta, r) }),
            models,
          });
        } catch (err) {
          raw.length = before;
          const first = files.find((f) => isTarget(f.path));
          if (first) failed(rule, first.path, 'on its environment', err);
        }
      }
    }

    const directives = new Directives(ruleIds);
    for (const { rule, file, report } of raw) {
      // Template findings count for the environment whether or not a migration is a target.
      let doc = docs.get(file);
      if (!doc) {
        // A path that no longer exists (a deleted applied revision): reported at its line 1, never dropped.
        if (loader.ignored(file)) continue;
        doc = otherDoc(cwd, file, rule.meta.project ? source : null);
        docs.set(file, doc);
      }
      if (doc.file && !rule.meta.project && (!isTarget(file) || !judges(rule, file))) continue;
      const level = levels.get(rule.meta.id)!.level as Severity;
      const severity: Severity = report.severity === 'warning' ? 'warning' : level;
      const d = toDiagnostic(rule.meta.id, severity, doc, report.span, report.message, report.help ?? rule.meta.help, report.fix ?? null);
      d.messageId = report.messageId;
      const sup = doc.file ? directives.of(doc).match(rule.meta.id, d.line, d.endLine) : null;
      if (sup) {
        envSuppressed.push(d);
        continue;
      }
      envDiagnostics.push(d);
      if (report.fix) {
        // A fix may edit another file than the finding's (model-not-imported imports the model in its package).
        let target = doc;
        if (report.fix.file && report.fix.file !== doc.rel) {
          target = docs.get(report.fix.file) ?? otherDoc(cwd, report.fix.file, source);
          docs.set(report.fix.file, target);
        }
        const entry = pendingFixes.get(target.abs) ?? { doc: target, fixes: [] };
        entry.fixes.push(report.fix);
        pendingFixes.set(target.abs, entry);
      }
    }
    // Broken suppression comments are reported under the rule that says it holds them; they approve nothing.
    for (const rule of allRules) {
      const level = levels.get(rule.meta.id)!.level;
      if (!rule.meta.reportsDirectiveProblems || level === 'off') continue;
      for (const doc of docs.values()) {
        if (!doc.file || !isTarget(doc.rel) || envScope.graphOnly.has(doc.rel)) continue;
        for (const p of directives.of(doc).problems) {
          const r = resolveReport(rule.meta, { span: p.suppression.span, messageId: p.messageId, data: p.data });
          const d = toDiagnostic(rule.meta.id, level, doc, r.span, r.message, rule.meta.help, null);
          d.messageId = p.messageId;
          envDiagnostics.push(d);
        }
      }
    }
    for (const d of envDiagnostics) diagnostics.push(d);
    for (const d of envSuppressed) suppressed.push(d);
    if (req.cache) keepDerived(files);
    if (resultKey && !req.database) req.cache!.storeResult(resultKey, { diagnostics: envDiagnostics, suppressed: envSuppressed, graphOnly: envGraphOnly });
  }

  diagnostics.sort(byPosition);
  suppressed.sort(byPosition);
  const database = req.database
    ? {
        shownUrl: req.database.shownUrl,
        recorded: req.database.recorded,
        current: databaseViews.flatMap((v) => v.current),
        pending: databaseViews.flatMap((v) => v.pending),
        missing: [...new Set(databaseViews.flatMap((v) => v.missing))],
      }
    : null;
  return { result: { diagnostics, suppressed, fileCount, graphOnly, database, environments, fixed: [] }, pendingFixes };
}

/**
 * What environment rules read of every file, computed now for the files read afresh (their text is in memory,
 * the SQL parser loaded) and cached with their facts: a full lint judges no applied revision, so without this
 * the first --staged run after it would replay ten thousand ancestors from their full facts, and learn the
 * conventions from them. A file whose events fail to compute is left to the rule that reads them (it reports).
 */
function keepDerived(files: LazyMigration[]): void {
  for (const f of files) {
    if (!f.extracted || f.internalError) continue;
    try {
      markerUse(f.facts);
      changesOf(f);
    } catch {
      // Not cached: a rule asking for them meets the same failure and reports it as internal-error.
    }
  }
}

/** Where the applied revisions were learnt from, for `--explain`. */
function appliedFrom(history: History | null, database: DatabaseView | null): string {
  const parts: string[] = [];
  if (history) parts.push(`at the git baseline ${history.baselineCommit.slice(0, 7)}${history.baselineRef === 'HEAD' ? ' (HEAD)' : ` (merge-base with ${history.baselineRef})`}`);
  if (database) parts.push(`in the database ${database.shownUrl}`);
  return parts.length ? parts.join(' or ') : 'no git baseline or database';
}

/**
 * A file that is neither a migration nor the template: a deleted applied revision (no source: reported at its
 * line 1, never dropped), or a model module / env.py a model rule reports on or fixes (read through the source).
 */
function otherDoc(cwd: string, rel: string, source: SourceProvider | null): Doc {
  const abs = path.resolve(cwd, rel);
  const text = source?.readText(abs) ?? '';
  return { abs, rel, text, lines: new LineIndex(text), file: null };
}

function hasEnvPy(denv: DiscoveredEnvironment, source: SourceProvider): boolean {
  const env = envPyOf(denv);
  return env !== null && source.readText(env) !== null;
}

/**
 * The models of one environment for the model rules: read (orm/) on first use, and judged in --staged/--base
 * runs only when the change touches a migration of the environment, env.py or a module env.py reaches (or
 * one that defines an unimported model).
 */
function modelsContext(req: LintRequest, denv: DiscoveredEnvironment, source: SourceProvider, files: MigrationFile[], listings: Map<string, string[]>): ModelsContext {
  let loaded: LoadedModels | undefined;
  const load = () => (loaded ??= loadModels(denv, source, files, { models: req.config.models, dir: req.config.dir }, { store: req.cache?.modules ?? null, listings }));
  let touched: boolean | undefined;
  const judge = (): boolean => {
    const { targets } = req;
    if (!targets) return true;
    if (files.some((f) => targets.has(path.resolve(req.cwd, f.path)))) return true;
    const changed = req.changedPython?.() ?? null;
    if (!changed || changed.size === 0) return false;
    const drift = load().drift;
    if (!drift) return false;
    const involved = new Set([drift.project.env.file, ...drift.project.reached.map((x) => x.file), ...drift.unimported.map((u) => u.model.module.file)]);
    return [...changed].some((f) => involved.has(f));
  };
  return {
    drift: () => load().drift,
    touched: () => (touched ??= judge()),
    rel: (f) => (path.isAbsolute(f) ? relPath(req.cwd, f) : f),
  };
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
