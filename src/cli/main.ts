/** Argument parsing and the error edge: every failure becomes one line and exit 2, findings exit 1. */
import { Command, CommanderError, Option } from 'commander';
import { closest, MigrationLintError } from '../errors.js';
import { VERSION } from '../version.js';
import type { CliIO } from './io.js';
import type { LintFlags } from './lint.js';
import { registerInit } from './init.js';
import { registerSummary } from './summary.js';
import { registerDrift } from './drift.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export async function main(argv: string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('migration-lint')
    .description('Lint Alembic migrations in SQLModel/SQLAlchemy projects.')
    .version(VERSION, '-v, --version')
    .argument('[paths...]', 'migration files or folders (default: found from alembic.ini)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['stylish', 'json', 'sarif', 'github', 'junit', 'gitlab', 'rdjson']).default('stylish'))
    .option('-o, --output <file>', 'write the report to a file')
    .option('--fix', 'apply safe fixes (insert missing imports: `import sqlmodel`, `import sqlalchemy as sa`, …)')
    .option('-q, --quiet', 'report errors only')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('--rule <id=level>', 'set a rule level (repeatable)', collect)
    .option('-c, --config <file>', 'use this config file')
    .option('--staged', 'lint what is staged in the git index, as a pre-commit hook does')
    .option('--base <ref>', 'lint what changed since merge-base(<ref>, HEAD); <ref> is the applied baseline')
    .option('--all', 'audit every migration with every rule (by default, applied revisions get the graph checks only)')
    .option('--database-url <url>', 'read alembic_version from this PostgreSQL database (or MIGRATION_LINT_DATABASE_URL): what it ran is applied, the rest pending')
    .option('--no-color', 'no colours (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--report-suppressed', 'list the findings that suppression comments approved')
    .option('--list-rules', 'print every rule: id, default severity, fixable, description (--format json for an array)')
    .option('--explain <id>', "print a rule's documentation")
    .option('--cache', 'remember facts and findings between runs (the default)')
    .option('--no-cache', 'read and check every file afresh, and write no cache')
    .option('--cache-location <dir>', 'where the cache lives (default: node_modules/.cache/migration-lint)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (str, write) => write(commanderError(str)) })
    .action(async (paths: string[], flags: LintFlags & { listRules?: boolean; explain?: string }) => {
      // Each path imports only what it runs: --version and --help load no linter, a lint no catalogue printer.
      if (flags.listRules) exitCode = (await import('./explain.js')).listRules(flags, io);
      else if (flags.explain !== undefined) exitCode = await (await import('./explain.js')).explainRule(flags.explain, flags, io);
      else exitCode = await (await import('./lint.js')).runLint(paths, flags, io);
    });
  // Subcommands take their own --format; program options must not swallow theirs.
  program.enablePositionalOptions();
  registerSummary(program, io, (code) => {
    exitCode = code;
  });
  registerDrift(program, io, (code) => {
    exitCode = code;
  });
  registerInit(program, io, VERSION, (code) => {
    exitCode = code;
  });
  program
    .command('lsp')
    .description('a language server over stdio: findings as you edit, fixes as code actions, rule docs on hover')
    .option('--stdio', 'talk over stdin and stdout (the only transport, and the default)')
    .exitOverride()
    .action(async () => {
      // Loaded only here: the protocol library costs every other command nothing (it is external to lib/cli.js).
      exitCode = await (await import('../lsp/server.js')).runLanguageServer({ cwd: io.cwd });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return handleError(err, io);
  }
}

/**
 * Commander's parse errors (`error: unknown option '--formt'` and `(Did you mean --format?)` on a line of its
 * own) in our form: one line that names the problem and the fix. Subcommands inherit this.
 */
export function commanderError(str: string): string {
  const hint = /\n\(Did you mean (.+)\?\)\s*$/.exec(str);
  const text = str
    .replace(/\n\(Did you mean .+\?\)\s*$/, '')
    .trim()
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*/g, ' ');
  let fix = hint ? ` (did you mean ${hint[1]}?)` : '';
  const choice = /argument '(.*)' is invalid\. Allowed choices are (.+)\.$/.exec(text);
  const near = choice ? closest(choice[1]!, choice[2]!.split(', ')) : null;
  if (near) fix = ` (did you mean '${near}'?)`;
  if (!fix && !choice) fix = '; see --help';
  return `migration-lint: ${text}${fix}\n`;
}

export function handleError(err: unknown, io: CliIO): number {
  if (err instanceof CommanderError) {
    // --help and --version exit through here with code 0; parse errors were already printed by commander.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return 2;
  }
  if (err instanceof MigrationLintError) {
    io.stderr(`migration-lint: ${err.message}\n`);
    return 2;
  }
  const e = err as Error;
  if (io.env.DEBUG?.split(',').some((d) => d.trim() === 'migration-lint' || d.trim() === '*')) io.stderr(`${e?.stack ?? String(err)}\n`);
  io.stderr(`migration-lint: internal error: ${e?.message ?? String(err)} (set DEBUG=migration-lint for the stack trace, and please report it)\n`);
  return 2;
}
