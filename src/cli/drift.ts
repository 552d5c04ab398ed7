/** `migration-lint drift`: models vs migrations, a static `alembic check` (SPEC "Models are the truth"). */
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { environmentError, usageError } from '../errors.js';
import type { CliIO } from './io.js';

export interface DriftFlags {
  format: 'text' | 'json' | 'markdown';
  output?: string;
  config?: string;
}

export function registerDrift(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('drift')
    .description('models vs migrations: what `alembic revision --autogenerate` would write, without a database or importing the app')
    .argument('[paths...]', 'migration files or folders (default: found from alembic.ini)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('-o, --output <file>', 'write the report to a file')
    .option('-c, --config <file>', 'use this config file')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (paths: string[], flags: DriftFlags) => {
      done(await runDrift(paths, flags, io));
    });
}

export async function runDrift(paths: string[], flags: DriftFlags, io: CliIO): Promise<number> {
  // Imported here: registering the subcommand must not load the model reader for every other command.
  const [{ loadConfig }, { discover }, { rules }, { loadEnvironment }, { driftOutcome }, render, { workTree }, { loadSqlParser, needsSqlParser }] = await Promise.all([
    import('../config/load.js'),
    import('../discover/environments.js'),
    import('../rules/index.js'),
    import('../summary/build.js'),
    import('../orm/view.js'),
    import('../reporters/drift.js'),
    import('../io/source.js'),
    import('../facts/sql-loader.js'),
  ]);
  const config = await loadConfig(io.cwd, flags.config ?? null, new Set(rules.map((r) => r.meta.id)));
  const found = discover(io.cwd, paths, config.versions);
  if (found.environments.length === 0) {
    throw usageError(`no Alembic migrations found: looked in ${found.searched.join(', ')}. Pass the versions folder as an argument or set "versions" in the config.`);
  }
  const view: import('../model/drift.js').DriftJson = { version: 1, environments: [] };
  for (const denv of found.environments) {
    const env = loadEnvironment(io.cwd, denv, workTree, config);
    // SQL in op.execute is read with PostgreSQL's parser, loaded only when a migration has some.
    if (needsSqlParser(env.files)) await loadSqlParser();
    const out = driftOutcome(io.cwd, denv, workTree, env.files, env.versions, { models: config.models, dir: config.dir });
    if (out.problem !== null) throw environmentError(out.problem);
    view.environments.push(out.view);
  }
  const text = flags.format === 'json' ? render.renderDriftJson(view) : flags.format === 'markdown' ? render.renderDriftMarkdown(view) : render.renderDriftText(view);
  if (flags.output) {
    const out = path.resolve(io.cwd, flags.output);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, text);
  } else io.stdout(text);
  return view.environments.some((e) => e.differences.length) ? 1 : 0;
}
