/** `migration-lint summary`: what each migration does, for review (the Action's pull-request comment; `--format markdown`, `json` or `text`). */
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { resolveDatabaseUrl } from '../db/url.js';
import { usageError } from '../errors.js';
import type { CliIO } from './io.js';

export interface SummaryFlags {
  format: 'markdown' | 'text' | 'json' | 'mermaid';
  output?: string;
  config?: string;
  staged?: boolean;
  base?: string;
  all?: boolean;
  databaseUrl?: string;
}

export function registerSummary(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('summary')
    .description('what each migration does to the schema, for review (with --staged/--base: the changed ones)')
    .argument('[paths...]', 'migration files or folders (default: found from alembic.ini)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['markdown', 'text', 'json', 'mermaid']).default('text'))
    .option('-o, --output <file>', 'write the summary to a file')
    .option('-c, --config <file>', 'use this config file')
    .option('--staged', 'summarise the migrations staged in the git index')
    .option('--base <ref>', 'summarise what changed since merge-base(<ref>, HEAD)')
    .option('--all', 'summarise every migration (the default without --staged/--base)')
    .option('--database-url <url>', 'read alembic_version from this PostgreSQL database (or MIGRATION_LINT_DATABASE_URL) and list what is pending')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (paths: string[], flags: SummaryFlags) => {
      done(await runSummary(paths, flags, io));
    });
}

export async function runSummary(paths: string[], flags: SummaryFlags, io: CliIO): Promise<number> {
  if ([flags.staged, flags.base !== undefined, flags.all].filter(Boolean).length > 1) {
    throw usageError('--staged, --base and --all are alternatives: give one');
  }
  // Imported here, not at the top: registering the subcommand must not load the linter for every other command.
  const [{ loadConfig }, { discover }, { prepareGitMode }, { rules }, { buildSummary, loadEnvironment, relativeTargets }, { renderJson, renderMarkdown, renderMermaidGraph, renderText }, { loadSqlParser, needsSqlParser }] =
    await Promise.all([
      import('../config/load.js'),
      import('../discover/environments.js'),
      import('../git/mode.js'),
      import('../rules/index.js'),
      import('../summary/build.js'),
      import('../summary/render.js'),
      import('../facts/sql-loader.js'),
    ]);
  const config = await loadConfig(io.cwd, flags.config ?? null, new Set(rules.map((r) => r.meta.id)));
  const git = await prepareGitMode({ cwd: io.cwd, staged: !!flags.staged, base: flags.base ?? null, all: !!flags.all, configBaseline: config.baseline });
  const found = git.discover((cwd) => discover(cwd, paths, config.versions), io.cwd);
  if (found.environments.length === 0) {
    throw usageError(`no Alembic migrations found: looked in ${found.searched.join(', ')}. Pass the versions folder as an argument or set "versions" in the config.`);
  }
  let targets = git.targets(found.environments);
  const changedOnly = targets !== null;
  if (found.explicitFiles) {
    const explicit = new Set(found.explicitFiles);
    targets = targets ? new Set([...targets].filter((t) => explicit.has(t))) : explicit;
  }
  const environments = found.environments.map((env) => loadEnvironment(io.cwd, env, git.source, config));
  // The locks of SQL operations need PostgreSQL's parser, loaded (when the bin deferred it) only for files holding SQL.
  if (needsSqlParser(environments.flatMap((e) => e.files))) await loadSqlParser();
  const databaseUrl = resolveDatabaseUrl(flags.databaseUrl, io.env, config.databaseUrl);
  const database = databaseUrl ? await (await import('../db/read.js')).readAlembicVersion(databaseUrl) : null;
  const view = buildSummary({ environments, targets: relativeTargets(io.cwd, targets), dialect: config.dialect, database });
  const text =
    flags.format === 'json'
      ? renderJson(view)
      : flags.format === 'markdown'
        ? renderMarkdown(view, { changedOnly })
        : flags.format === 'mermaid'
          ? renderMermaidGraph(view)
          : renderText(view, { changedOnly });
  if (flags.output) {
    const out = path.resolve(io.cwd, flags.output);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, text);
  } else io.stdout(text);
  return 0;
}
