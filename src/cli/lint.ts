/** The main command: find migrations, lint them, report, and choose the exit code. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, parseRuleSetting } from '../config/load.js';
import { discover } from '../discover/environments.js';
import { lint } from '../engine/lint.js';
import { usageError, didYouMean } from '../errors.js';
import { prepareGitMode } from '../git/mode.js';
import { reporters } from '../reporters/index.js';
import { rules } from '../rules/index.js';
import type { Level } from '../rules/types.js';
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
  color?: boolean;
  reportSuppressed?: boolean;
}

export async function runLint(paths: string[], flags: LintFlags, io: CliIO): Promise<number> {
  const reporter = reporters[flags.format];
  if (!reporter) throw usageError(`unknown format '${flags.format}'${didYouMean(flags.format, Object.keys(reporters))}; use one of ${Object.keys(reporters).join(', ')}`);
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
    if (!ruleIds.has(m[1]!)) throw usageError(`--rule: unknown rule '${m[1]}'${didYouMean(m[1]!, ruleIds)}`);
    ruleLevels[m[1]!] = parseRuleSetting(m[2], `--rule ${m[1]}`).level;
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
  const result = lint({
    cwd: io.cwd,
    environments: found.environments,
    config,
    ruleLevels,
    targets,
    source: git.source,
    history: git.history(found.environments),
    fix: !!flags.fix,
  });
  if (flags.quiet) result.diagnostics = result.diagnostics.filter((d) => d.severity === 'error');

  const text = reporter({
    result,
    rules,
    color: flags.output ? false : useColor(io, flags.color),
    quiet: !!flags.quiet,
    reportSuppressed: !!flags.reportSuppressed,
    version: VERSION,
    docsBase: DOCS_BASE,
  });
  if (flags.output) {
    const out = path.resolve(io.cwd, flags.output);
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, text);
    } catch (err) {
      throw usageError(`cannot write --output ${flags.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
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
