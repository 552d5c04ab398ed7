/**
 * The GitHub Action: lint the migrations a change touches, annotate their lines, write the review summary
 * to the job summary and one sticky pull request comment, set the outputs, and fail per `fail-on`.
 *
 * Safety: it never runs repository code (JavaScript configs are refused, git is only read and fetched),
 * never prints the token, and every piece of file text that reaches the log does so between
 * `::stop-commands::` markers or through @actions/core's escaping, so no file can issue a workflow command.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { loadConfig } from '../config/load.js';
import { discover } from '../discover/environments.js';
import { lint } from '../engine/lint.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { EnvironmentResult } from '../model/result.js';
import { MigrationLintError, environmentError, usageError } from '../errors.js';
import { prepareGitMode } from '../git/mode.js';
import { driftLine } from '../reporters/drift.js';
import { reporters } from '../reporters/index.js';
import { rules } from '../rules/index.js';
import { driftOutcome } from '../orm/view.js';
import type { SourceProvider } from '../model/source.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import type { LintResult } from '../model/result.js';
import type { Config } from '../config/load.js';
import { buildSummary, relativeTargets } from '../summary/build.js';
import { DOCS_BASE, VERSION } from '../version.js';
import { annotateWithCheckRun, annotateWithCommands, isPermissionError, type AnnotationMode } from './annotate.js';
import { upsertStickyComment } from './comment.js';
import { changeRange } from './event.js';
import { ensureBase } from './git.js';
import { COMMENT_LIMIT, JOB_SUMMARY_LIMIT, headline, renderReport } from './report.js';

interface Inputs {
  paths: string[];
  base: string;
  config: string | null;
  failOn: 'error' | 'warning' | 'never';
  token: string;
  annotations: AnnotationMode;
  comment: boolean;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`input '${name}' must be one of ${allowed.join(', ')}, not '${value.replace(/[^\x20-\x7e]/g, '?')}'`);
}

/** A ref is one printable word: anything else is no ref, and would only reach git and the log. */
const REF = /^[\w./~^@{}:+-]+$/;

function readInputs(): Inputs {
  const comment = core.getInput('comment').trim() || 'true';
  const base = core.getInput('base').trim();
  if (base && !REF.test(base)) throw usageError("input 'base' is not a git ref or commit");
  return {
    paths: core.getMultilineInput('path').filter(Boolean),
    base,
    config: core.getInput('config').trim() || null,
    failOn: oneOf('fail-on', core.getInput('fail-on').trim() || 'error', ['error', 'warning', 'never'] as const),
    token: core.getInput('github-token'),
    annotations: oneOf('annotations', core.getInput('annotations').trim() || 'auto', ['auto', 'checks', 'commands'] as const),
    comment: oneOf('comment', comment.toLowerCase(), ['true', 'false'] as const) === 'true',
  };
}

/** Prints text from repository files with workflow commands switched off, under a token nobody can guess. */
function printUntrusted(text: string): void {
  if (!text) return;
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}${os.EOL}`);
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  process.stdout.write(`::${token}::${os.EOL}`);
}

function httpWhy(err: unknown): string {
  const e = err as { status?: number; message?: string };
  const first = (e?.message ?? String(err)).split('\n')[0]!.slice(0, 300);
  return e?.status ? `HTTP ${e.status}: ${first}` : first;
}

export async function run(): Promise<void> {
  try {
    await lintChange();
  } catch (err) {
    if (err instanceof MigrationLintError) core.setFailed(`migration-lint: ${err.message}`);
    else {
      core.setFailed(`migration-lint: internal error: ${(err as Error)?.message ?? String(err)} (please report it)`);
      if (core.isDebug()) core.debug(String((err as Error)?.stack ?? err));
    }
  }
}

async function lintChange(): Promise<void> {
  const inputs = readInputs();
  const cwd = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const ctx = github.context;
  const range = changeRange(ctx.eventName, ctx.payload as Parameters<typeof changeRange>[1], ctx.sha, inputs.base);

  if (range.base && !REF.test(range.base)) throw usageError(`the base from ${range.baseFrom} is not a git ref or commit`);
  let base: string | null = null;
  if (range.base) {
    const ensured = ensureBase(cwd, range.base, core.info);
    base = ensured.commit;
    core.info(`Base: ${base} (${range.baseFrom})`);
  } else core.info(`Base: ${range.baseFrom}`);

  const ruleIds = new Set(rules.map((r) => r.meta.id));
  const config = await loadConfig(cwd, inputs.config, ruleIds, { allowCode: false });
  const mode = await prepareGitMode({ cwd, staged: false, base, all: base === null, configBaseline: config.baseline });
  const found = mode.discover((dir) => discover(dir, inputs.paths, config.versions), cwd);
  if (found.environments.length === 0 || found.environments.every((e) => mode.source.files(e).length === 0)) {
    throw environmentError(`no Alembic migrations found: looked in ${found.searched.join(', ')}. Set the 'path' input to the versions folder.`);
  }
  let targets = mode.targets(found.environments);
  if (found.explicitFiles) {
    const explicit = new Set(found.explicitFiles);
    targets = targets ? new Set([...targets].filter((t) => explicit.has(t))) : explicit;
  }
  // The Action keeps its scope: a pull request or push judges what it changed with every rule, and an event
  // without a base judges every migration (an audit), whatever the config's `scope`.
  const result = lint({ cwd, environments: found.environments, config, targets, source: mode.source, history: mode.history(found.environments), scope: 'all', changedPython: mode.changedPython ?? null });
  const summary = buildSummary({
    environments: result.environments.map((env, i) => ({ versions: env.versions, files: env.files, fileTemplate: found.environments[i]?.fileTemplate ?? null })),
    targets: relativeTargets(cwd, targets),
    dialect: config.dialect,
  });
  const drift = modelsLine(cwd, found.environments, result, mode.source, config);

  const diagnostics = result.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const failed = inputs.failOn === 'error' ? errors > 0 : inputs.failOn === 'warning' ? errors + warnings > 0 : false;

  const reportContext = { result, rules, color: false, quiet: false, reportSuppressed: false, version: VERSION, docsBase: DOCS_BASE };
  core.startGroup(`migration-lint ${VERSION}: ${headline(diagnostics)} in ${result.fileCount} migration${result.fileCount === 1 ? '' : 's'}`);
  printUntrusted(reporters.stylish!(reportContext));
  core.endGroup();

  const sarifFile = path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'migration-lint.sarif');
  fs.writeFileSync(sarifFile, reporters.sarif!(reportContext));
  core.setOutput('errors', errors);
  core.setOutput('warnings', warnings);
  core.setOutput('sarif-file', sarifFile);

  const { owner, repo } = ctx.repo;
  const serverUrl = ctx.serverUrl.replace(/\/+$/, '');
  const link = (file: string, line: number) => {
    const p = file.split('/').map((s) => encodeURIComponent(s).replace(/[()']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
    return `${serverUrl}/${owner}/${repo}/blob/${range.headSha}/${p}#L${line}`;
  };
  const scope = base ? `since ${'`'}${base.slice(0, 12)}${'`'} (${range.baseFrom})` : null;
  const octokit = inputs.token ? github.getOctokit(inputs.token) : null;

  // Annotations. A finding on a file that is gone (a deleted applied revision) keeps its path in the SARIF
  // file and the summary, but GitHub can only annotate a file of the commit: it is shown on one that exists.
  const annotated = diagnostics.map((d) => onExistingFile(d, cwd, result.environments));
  let checkRunUrl: string | null = null;
  let annotations = inputs.annotations;
  if (annotations !== 'commands' && !octokit) {
    if (annotations === 'checks') throw usageError("annotations: checks needs the 'github-token' input");
    core.info('No github-token: annotating with workflow commands');
    annotations = 'commands';
  }
  if (annotations !== 'commands' && octokit) {
    try {
      const check = await annotateWithCheckRun(octokit.rest.checks as never, {
        owner,
        repo,
        headSha: range.headSha,
        name: 'migration-lint',
        title: `migration-lint: ${headline(diagnostics)}`,
        summary: renderReport({ diagnostics, suppressed: result.suppressed.length, summary, scope, link, drift }, 60000, 'see the job summary'),
        conclusion: failed ? 'failure' : errors + warnings ? 'neutral' : 'success',
        diagnostics: annotated,
      });
      checkRunUrl = check.url;
      core.info(`Annotated ${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'} on check run ${check.id}`);
    } catch (err) {
      if (annotations === 'checks') throw environmentError(`cannot create the check run (${httpWhy(err)}): give the job \`permissions: checks: write\`, or set annotations: commands`);
      const why = isPermissionError(err)
        ? `the token cannot create check runs (${httpWhy(err)}; pull requests from forks get a read-only token)`
        : `creating the check run failed (${httpWhy(err)})`;
      core.info(`annotations: auto: ${why}; annotating with workflow commands instead`);
      annotations = 'commands';
    }
  }
  if (annotations === 'commands') annotateWithCommands(annotated, core.info);

  // Job summary and the sticky comment.
  const reportInput = { diagnostics, suppressed: result.suppressed.length, summary, scope, link, checkRunUrl, drift };
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(renderReport(reportInput, JOB_SUMMARY_LIMIT, 'see the step log and the SARIF file')).write();
  }
  if (inputs.comment && range.pullNumber !== null && octokit) {
    const runUrl = process.env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${process.env.GITHUB_RUN_ID}` : null;
    const body = renderReport(reportInput, COMMENT_LIMIT, runUrl ? `see the [job summary](${runUrl})` : 'see the job summary');
    try {
      const c = await upsertStickyComment(
        {
          list: (p) => octokit.paginate(octokit.rest.issues.listComments, p),
          create: (p) => octokit.rest.issues.createComment(p),
          update: (p) => octokit.rest.issues.updateComment(p),
        },
        { owner, repo, pullNumber: range.pullNumber },
        body,
      );
      core.info(`${c.created ? 'Created' : 'Updated'} the summary comment on pull request #${range.pullNumber}`);
    } catch (err) {
      const why = isPermissionError(err) ? `the token cannot write comments (${httpWhy(err)}; add \`permissions: pull-requests: write\`)` : httpWhy(err);
      core.info(`comment: not written: ${why}; the summary is in the job summary`);
    }
  }

  if (failed) core.setFailed(`migration-lint: ${headline(diagnostics)} (fail-on: ${inputs.failOn})`);
  else core.info(`migration-lint: ${headline(diagnostics)}`);
}

/**
 * "Models vs migrations: …" for the summary and the comment: the whole project's static `alembic check`, whatever
 * the change touched. None when model-drift is off or no environment has models to compare (then the model
 * rules are silent too, and target-metadata-missing says why when it applies).
 */
function modelsLine(cwd: string, environments: DiscoveredEnvironment[], result: LintResult, source: SourceProvider, config: Config): string | null {
  if ((config.rules['model-drift']?.level ?? 'error') === 'off') return null;
  const views = [];
  for (const [i, denv] of environments.entries()) {
    const env = result.environments[i];
    if (!env) continue;
    const out = driftOutcome(cwd, denv, source, env.files, env.versions, { models: config.models, dir: config.dir });
    if (out.view) views.push(out.view);
    else printUntrusted(`models vs migrations: not compared: ${out.problem}`);
  }
  return views.length ? driftLine({ version: 1, environments: views }) : null;
}

/** The diagnostic as it can be annotated: on its own file when that exists, else line 1 of its environment's template or first migration. */
export function onExistingFile(d: Diagnostic, cwd: string, environments: EnvironmentResult[]): Diagnostic {
  if (fs.existsSync(path.resolve(cwd, d.file))) return d;
  const env = environments.find((e) => e.versions.some((v) => d.file.startsWith(`${v}/`))) ?? environments[0];
  const home = env?.template?.path ?? env?.files.find((f) => fs.existsSync(path.resolve(cwd, f.path)))?.path;
  return home ? { ...d, file: home, line: 1, column: 1, endLine: 1, endColumn: 1 } : d;
}
