/**
 * The contract between rules and the engine. A rule reads facts and reports spans; it never prints, and
 * never touches git or the disk: the engine hands it everything it may look at.
 */
import type { DatabaseView } from '../model/database.js';
import type { Fix, Severity } from '../model/diagnostic.js';
import type { Environment } from '../model/environment.js';
import type { History, MigrationFile } from '../model/migration.js';
import type { Conventions, Settings } from '../model/settings.js';
import type { Span } from '../model/span.js';
import type { DriftResult } from '../orm/drift.js';

export interface Report<Id extends string = string> {
  span: Span;
  /** Which of the rule's `meta.messages` it is, with `data` for the template's `{name}`s. */
  messageId: Id;
  data?: Record<string, string | number>;
  /** The fix or safe recipe for this finding; the rule's generic help is used when absent. */
  help?: string;
  fix?: Fix;
  /** A finding that is milder than the rule's level (an applied revision edited only cosmetically). */
  severity?: Severity;
}

interface ContextBase<Options> {
  settings: Settings;
  options: Options;
}

/**
 * `Id` is the rule's message ids, inferred from its `meta.messages` (never from its reports, hence NoInfer): a
 * report naming an id the rule lacks does not compile.
 */
export interface FileContext<Options = Record<string, unknown>, Id extends string = string> extends ContextBase<Options> {
  file: MigrationFile;
  env: Environment;
  report(r: Report<NoInfer<Id>>): void;
}

export interface EnvironmentContext<Options = Record<string, unknown>, Id extends string = string> extends ContextBase<Options> {
  env: Environment;
  /** Every migration of the environment (graph rules need them all, even when only some are linted). */
  files: MigrationFile[];
  history: History | null;
  /** What `--database-url` said about this environment's revisions; null without a database. */
  database?: DatabaseView | null;
  /**
   * Whether the engine reports on this file (--staged and --base report on what changed; findings on other
   * files are dropped). A rule whose findings on a file depend only on facts read for it may skip the rest.
   */
  isTarget?(file: MigrationFile): boolean;
  /** Report on a migration file, or on the environment's template when `file` is its path. */
  report(file: string, r: Report<NoInfer<Id>>): void;
  /** The project's models as env.py hands them to Alembic (orm/), for the rules that judge models. */
  models?: ModelsContext;
}

export interface ModelsContext {
  /** Models read and compared with the migrations, computed on first use; null without an env.py. */
  drift(): DriftResult | null;
  /**
   * Whether the run judges the models: always, except in --staged/--base runs whose change touches no model
   * file, no env.py and no migration of the environment.
   */
  touched(): boolean;
  /** The relative path reports take, for a path the model reader gives (absolute) or a migration's (relative). */
  rel(file: string): string;
}

export interface RuleMeta<Id extends string = string> {
  id: string;
  description: string;
  defaultSeverity: Severity;
  fixable: boolean;
  /** One line: the usual fix or approval, shown under each finding. */
  help: string;
  /** Also runs on files that could not be read at all, to say why (every other rule skips them). */
  runsOnUnreadable?: boolean;
  /** Reports what failed inside the linter on a file (MigrationFile.internalError), and what rules threw. */
  reportsInternalErrors?: boolean;
  /** The engine's problems with suppression comments (engine/directives.ts) are reported under this rule. */
  reportsDirectiveProblems?: boolean;
  /**
   * What the rule judges: `content` (the default) judges what a revision does, and is not asked
   * about applied revisions unless the run audits everything (`--all`); `graph` judges how the revisions fit
   * together and `history` what happened to applied ones since the baseline: both always see every revision.
   */
  kind?: 'content' | 'graph' | 'history';
  /** The house convention its verdict depends on, learnt from the applied revisions; `--explain` says what was learnt. */
  convention?: keyof Conventions;
  /**
   * The rule judges the project (the models), not migrations: it reports wherever the cause is, on files
   * that are not migrations and on applied migrations alike (the result cache keys the project's Python files too).
   */
  project?: boolean;
  /**
   * The rule's messages by id, `{name}` standing for `data.name` (as ESLint's `meta.messages`): every report
   * names one with `messageId`, and tests assert the id, not the wording.
   */
  messages: Record<Id, string>;
}

/** A report with its message written out from the template `messageId` names. */
export type ResolvedReport = Omit<Report, 'data'> & { message: string };

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * Fills in a report's message from the rule's templates. A wrong id or a missing value is the rule's bug: it
 * throws, and the engine reports internal-error on the file, as for any rule that throws.
 */
export function resolveReport(meta: RuleMeta, r: Report): ResolvedReport {
  const { messageId, data, ...rest } = r;
  const template = Object.hasOwn(meta.messages, messageId) ? meta.messages[messageId]! : null;
  if (template === null) throw new Error(`rule ${meta.id} has no message '${messageId}'`);
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    const v = data?.[name];
    if (v === undefined) throw new Error(`rule ${meta.id}: message '${messageId}' needs {${name}}`);
    return String(v);
  });
  return { ...rest, message: text, messageId };
}

export interface Rule<Options = Record<string, unknown>, Id extends string = string> {
  meta: RuleMeta<Id>;
  /** Validates and fills defaults for `["error", {options}]` from config; throws a message on bad input. */
  options?(raw: Record<string, unknown>): Options;
  checkFile?(ctx: FileContext<Options, Id>): void;
  checkEnvironment?(ctx: EnvironmentContext<Options, Id>): void;
}

export function defineRule<Options = Record<string, unknown>, Id extends string = string>(rule: Rule<Options, Id>): Rule<Options, Id> {
  return rule;
}
