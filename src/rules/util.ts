/** Small readings of facts that several rules share. */
import type { MigrationFacts, MigrationFunction, Operation } from '../model/facts.js';
import type { Span } from '../model/span.js';
import { dottedName, kwarg } from '../parse/python.js';
import type { Call, Expr } from '../model/expr.js';

/** The bodies that upgrade the schema: `upgrade()` or multidb `upgrade_<name>()`, never the dispatcher. */
export function bodies(facts: MigrationFacts, kind: 'upgrade' | 'downgrade'): MigrationFunction[] {
  return facts.functions.filter((f) => f.kind === kind && !f.dispatcher);
}

/** Operations a rule looks at: upgrade always, downgrade too when `checkDowngrade` (or the rule) asks. */
export function operationsIn(facts: MigrationFacts, includeDowngrade: boolean): Operation[] {
  return facts.operations.filter((o) => o.fn === 'upgrade' || includeDowngrade);
}

export function lineSpanAtStart(): Span {
  return { start: 0, end: 0 };
}

/** `sa.Column(…)`'s keyword, or undefined. */
export function columnKwarg(column: Expr | undefined, name: string): Expr | undefined {
  if (!column || column.kind !== 'call') return undefined;
  return kwarg(column, name);
}

export function isColumnCall(e: Expr | undefined): e is Call {
  return !!e && e.kind === 'call' && /(^|\.)Column$/.test(dottedName(e.callee) ?? '');
}

export function isNoneOrAbsent(e: Expr | undefined): boolean {
  return !e || e.kind === 'none';
}

/** Where an operation's name starts: the `op.` / `batch_op.` of the call, to its closing parenthesis. */
export function opSpan(op: Operation): Span {
  return op.span;
}

export function quote(s: string | null): string {
  return s === null ? '?' : `'${s}'`;
}
