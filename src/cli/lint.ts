/** The main command: find migrations, lint them, report, and choose the exit code. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, parseRuleSetting } from '../config/load.js';
import { discover } from '../discover/environments.js';
import { defaultCacheLocation, FactsCache } from '../engine/cache.js';
import { lintAsync } from '../engine/lint.js';
import type { LintResult } from '../model/result.js';
import { sqlParserLoaded } from '../facts/sql-loader.js';
import { closest, usageError, didYouMean } from '../errors.js';
import { resolveDatabaseUrl } from '../db/url.js';
import { prepareGitMode } from '../git/mode.js';
import type { Reporter } from '../reporters/types.js';
import { rules } from '../rules/index.js';
import type { Level } from '../model/diagnostic.js';
import { DOCS_BASE, VERSION } from '../version.js';
import { useColor, type CliIO } from './io.js';

export interface LintFlags {
  format: string;
  output?: string;
  fix?: boolean;
  quiet?: boolean;
  maxWarnings?: string;
  rule?: string[];
  config?: string;
  staged?: boolean;
  base?: string;
  all?: boolean;
  databaseUrl?: string;
  color?: boolean;
  reportSuppressed?: boolean;
  /** --cache / --no-cache: undefined is the default, on (BENCHMARKS.md: a warm run of 10,000 migrations is a fraction of a cold one). */
  cache?: boolean;
  cacheLocation?: string;
}

/** Each format's module, imported only for the format asked for: a hook never loads the SARIF writer. */
const REPORTERS: Record<string, () => Promise<Reporter>> = {
  stylish: async () => (await import('../reporters/stylish.js')).stylish,
  json: async () => (await import('../reporters/json.js')).json,
  sarif: async () => (await import('../reporters/sarif.js')).sarif,
  github: async () => (await import('../reporters/github.js')).github,
  junit: async () => (await import('../reporters/junit.js')).junit,
  gitlab: async () => (await import('../reporters/gitlab.js')).gitlab,
  rdjson: async () => (await import('../reporters/rdjson.js')).rdjson,
};

/** The cache of facts and findings, unless --no-cache; a location that cannot be used means no cache, never a failure. */
function openCache(flags: LintFlags, io: CliIO): FactsCache | null {
  if (flags.cache === false) return null;
  const location = flags.cacheLocation ? path.resolve(io.cwd, flags.cacheLocation) : defaultCacheLocation(io.cwd);
  return FactsCache.open(location);
}

/**
 * The text each reported path had in this run: the migrations and templates as the engine decoded them, other
 * files (env.py) through the run's source, so that --staged reports columns of the staged text, not the disk's.
 */
function linted(result: LintResult, read: (file: string) => string | null): (file: string) => string | null {
  let known: Map<string, () => string> | null = null;
  return (file) => {
    if (!known) {
      known = new Map();
      for (const env of result.environments) {
        for (const f of env.files) known.set(f.path, () => f.text);
        if (env.template) known.set(env.template.path, () => env.template!.text);
      }
    }
    const hit = known.get(file);
    return hit ? hit() : read(file);
  };
}

export async function runLint(paths: string[], flags: LintFlags, io: CliIO): Promise<number> {
  const loadReporter = Object.hasOwn(REPORTERS, flags.format) ? REPORTERS[flags.format] : undefined;
  if (!loadReporter) throw usageError(`unknown format '${flags.format}'${didYouMean(flags.format, Object.keys(REPORTERS))}; use one of ${Object.keys(REPORTERS).join(', ')}`);
  let maxWarnings: number | null = null;
  if (flags.maxWarnings !== undefined) {
    if (!/^\d+$/.test(flags.maxWarnings)) throw usageError(`--max-warnings takes a whole number, not '${flags.maxWarnings}'`);
    maxWarnings = Number(flags.maxWarnings);
  }
  if ([flags.staged, flags.base !== undefined, flags.all].filter(Boolean).length > 1) {
    throw usageError('--staged, --base and --all are alternatives: give one');
  }
  const ruleIds = new Set(rules.map((r) => r.meta.id));
  const ruleLevels: Record<string, Level> = {};
  for (const spec of flags.rule ?? []) {
    const m = /^([\w-]+)=(\w+)$/.exec(spec);
    if (!m) throw usageError(`--rule takes <id>=<off|warning|error>, not '${spec}'`);
    if (!ruleIds.has(m[1]!)) throw usageError(`--rule: unknown rule '${m[1]}'${didYouMean(m[1]!, ruleIds) || '; `migration-lint --list-rules` lists them all'}`);
    ruleLevels[m[1]!] = parseRuleSetting(m[2], `--rule ${m[1]}`).level;
  }

  // `migration-lint summry` reads as a path: when it names nothing, say which command was meant.
  for (const p of paths) {
    const command = fs.existsSync(path.resolve(io.cwd, p)) ? null : closest(p, ['summary', 'init', 'drift']);
    if (command) throw usageError(`no such file or folder: ${p} (did you mean the command '${command}'?)`);
  }

  const config = await loadConfig(io.cwd, flags.config ?? null, ruleIds);
  const git = await prepareGitMode({ cwd: io.cwd, staged: !!flags.staged, base: flags.base ?? null, all: !!flags.all, configBaseline: config.baseline });
  const found = git.discover((cwd) => discover(cwd, paths, config.versions), io.cwd);
  // An environment with no revisions yet (right after `alembic init`, or nothing staged in it) is clean, not
  // an error: a hook must not block every commit of a new project. Finding no environment at all is.
  if (found.environments.length === 0) {
    throw usageError(`no Alembic migrations found: looked in ${found.searched.join(', ')}. Pass the versions folder as an argument or set "versions" in the config.`);
  }
  let targets = git.targets(found.environments);
  if (found.explicitFiles) {
    const explicit = new Set(found.explicitFiles);
    targets = targets ? new Set([...targets].filter((t) => explicit.has(t))) : explicit;
  }
  if (flags.fix && !git.source.writable) throw usageError('--fix rewrites files in the work tree; run it without --staged, then stage the result');
  const databaseUrl = resolveDatabaseUrl(flags.databaseUrl, io.env, config.databaseUrl);
  // node-postgres is loaded only when there is a database to read.
  const database = databaseUrl ? await (await import('../db/read.js')).readAlembicVersion(databaseUrl) : null;
  const cache = openCache(flags, io);
  const result = await lintAsync({
    cwd: io.cwd,
    environments: found.environments,
    config,
    ruleLevels,
    targets,
    source: git.source,
    history: git.history(found.environments),
    // Files named on the command line are audited: the user asked about them.
    scope: flags.all || found.explicitFiles ? 'all' : config.scope,
    database,
    fix: !!flags.fix,
    cache,
    changedPython: git.changedPython ?? null,
  });
  if (io.env.DEBUG?.split(',').some((d) => d.trim() === 'migration-lint' || d.trim() === '*')) {
    if (cache) io.stderr(`migration-lint: cache ${cache.dir}: ${JSON.stringify(cache.stats)}\n`);
    io.stderr(`migration-lint: PostgreSQL parser ${sqlParserLoaded() ? 'loaded' : 'not loaded'}\n`);
  }
  const reporter = await loadReporter();
  if (flags.quiet) result.diagnostics = result.diagnostics.filter((d) => d.severity === 'error');

  const text = reporter({
    result,
    rules,
    color: flags.output ? false : useColor(io, flags.color),
    quiet: !!flags.quiet,
    reportSuppressed: !!flags.reportSuppressed,
    version: VERSION,
    docsBase: DOCS_BASE,
    source: linted(result, (file) => git.source.readText(path.resolve(io.cwd, file))),
  });
  if (flags.output) {
    const out = path.resolve(io.cwd, flags.output);
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, text);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'EISDIR' ? 'it is a folder' : code === 'EEXIST' || code === 'ENOTDIR' ? 'a part of its path is a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (err as Error).message);
      throw usageError(`cannot write --output ${flags.output} (${why}): give the path of a file you can write`);
    }
  } else io.stdout(text);

  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  if (errors) return 1;
  if (maxWarnings !== null && warnings > maxWarnings) {
    io.stderr(`migration-lint: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}
