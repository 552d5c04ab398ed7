/**
 * Rules over change events, declared by what is particular to them: listeners per event kind, as ESLint's
 * rule listeners or Ruff's checker dispatch. The walk is shared: the environment's replay (facts/changes/
 * replay.ts) computes each file's steps once, with the state of each table before each change, and every
 * rule's listeners are called over those steps in source order.
 */
import { replayEnvironment, type Step } from '../facts/changes/replay.js';
import type { Change, ChangeKind, ChangeOf } from '../facts/changes/types.js';
import { changesOf } from '../facts/changes/index.js';
import { transactionsOf, type Transactions } from '../facts/transactions.js';
import type { MigrationFile } from '../model/migration.js';
import type { Span } from '../model/span.js';
import { defineRule, type EnvironmentContext, type Report, type Rule, type RuleMeta } from './types.js';

export interface ChangeContext<Options, State, Id extends string = string> {
  file: MigrationFile;
  /** Every file of the environment (what the history declares beyond tables: the user's functions). */
  files: MigrationFile[];
  step: Step;
  options: Options;
  /** What the rule keeps for the file it is reading (from `file()`). */
  state: State;
  transactions(): Transactions;
  /**
   * Whether the change runs inside a transaction block: Alembic's (outside `autocommit_block()`), or the implicit
   * one PostgreSQL runs a multi-statement SQL string in, even in autocommit mode; null when it runs on its own.
   */
  inTransaction(): 'migration' | 'string' | null;
  /** Reports at the change's call unless a span is given; help defaults to the rule's. */
  report(r: Omit<Report, 'span' | 'messageId'> & { messageId: NoInfer<Id>; span?: Span }): void;
}

type Listener<K extends ChangeKind, Options, State, Id extends string> = (change: ChangeOf<K>, c: ChangeContext<Options, State, Id>) => void;

export type Listeners<Options, State, Id extends string = string> = { [K in ChangeKind]?: Listener<K, Options, State, Id> } & {
  /** Called for every change, after the listener of its kind. */
  any?: (change: Change, c: ChangeContext<Options, State, Id>) => void;
};

export interface ChangeRuleSpec<Options, State, Id extends string = string> {
  /** Its `messages` give the ids the listeners may report (the rule's `Id`). */
  meta: RuleMeta<Id>;
  options?(raw: Record<string, unknown>): Options;
  /** The PostgreSQL lock rules apply to PostgreSQL only (config `dialect`); default true. */
  postgresOnly?: boolean;
  /** Only changes to tables that hold rows (created before the change); default true. */
  existingOnly?: boolean;
  /** Also read downgrade() when `checkDowngrade` is set (its changes have no replay: every table counts as existing). */
  downgrade?: boolean;
  /** Whether the rule has anything to say in this environment at all. */
  applies?(ctx: EnvironmentContext<Options>): boolean;
  /** A fresh state for each file read. */
  file?(file: MigrationFile): State;
  on: Listeners<Options, State, Id>;
}

/**
 * The files reported on. Findings on a file come from its own changes (and the replay, which reads every file),
 * so files the engine does not report on are skipped rather than read in full.
 */
export function reportedFiles(ctx: EnvironmentContext<unknown>): MigrationFile[] {
  const isTarget = ctx.isTarget;
  return isTarget ? ctx.files.filter((f) => isTarget(f)) : ctx.files;
}

function downgradeSteps(file: MigrationFile): Step[] {
  return changesOf(file)
    .filter((c) => c.fn === 'downgrade')
    .map((change) => ({ change, table: change.table, before: null, existing: true }));
}

export function defineChangeRule<Options = Record<string, unknown>, State = undefined, Id extends string = string>(
  spec: ChangeRuleSpec<Options, State, Id>,
): Rule<Options, Id> {
  const existingOnly = spec.existingOnly ?? true;
  return defineRule<Options, Id>({
    meta: spec.meta,
    ...(spec.options ? { options: spec.options } : {}),
    checkEnvironment(ctx) {
      if ((spec.postgresOnly ?? true) && ctx.settings.dialect.toLowerCase() !== 'postgresql') return;
      if (spec.applies && !spec.applies(ctx)) return;
      const replay = replayEnvironment(ctx.files, ctx.history);
      for (const file of reportedFiles(ctx)) {
        if (file.facts.parseError) continue;
        let tx: Transactions | null = null;
        const steps = spec.downgrade && ctx.settings.checkDowngrade ? [...replay.steps(file), ...downgradeSteps(file)] : replay.steps(file);
        const state = spec.file ? spec.file(file) : (undefined as State);
        for (const step of steps) {
          if (existingOnly && !step.existing) continue;
          const kind = spec.on[step.change.kind] as Listener<ChangeKind, Options, State, Id> | undefined;
          if (!kind && !spec.on.any) continue;
          const c: ChangeContext<Options, State, Id> = {
            file,
            files: ctx.files,
            step,
            options: ctx.options,
            state,
            transactions: () => (tx ??= transactionsOf(file.facts, file.text)),
            inTransaction: () => {
              if (step.change.sql && step.change.sql.count > 1) return 'string';
              return c.transactions().inAutocommit(step.change.span.start) ? null : 'migration';
            },
            report: (r) => ctx.report(file.path, { help: spec.meta.help, ...r, span: r.span ?? step.change.span }),
          };
          kind?.(step.change as never, c);
          spec.on.any?.(step.change, c);
        }
      }
    },
  });
}

/**
 * The messages of a statement PostgreSQL refuses inside a transaction block, by where it runs (the ids
 * `inTransaction` and `inString`; `{what}` names the statement), for the rules that find such statements.
 */
export const REFUSED_IN_TRANSACTION = {
  inTransaction: `{what} runs inside the migration's transaction: PostgreSQL refuses it ("cannot run inside a transaction block") and the upgrade fails`,
  inString: '{what} runs inside a multi-statement SQL string (one implicit transaction): PostgreSQL refuses it ("cannot run inside a transaction block") and the upgrade fails',
};

/** `'hero'`, or `?` for an unknown name, for messages. */
export function q(name: string | null): string {
  return name === null ? '?' : `'${name}'`;
}
