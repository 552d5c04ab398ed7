/**
 * What PostgreSQL does to a table when a column changes type: whether it rewrites the table, and whether
 * values can be lost or make the change fail. The verdicts come from PostgreSQL 15 itself: the oracle
 * measures every pair of the types SQLModel and Alembic emit (test/oracle/type-matrix.test.ts, written to
 * docs/type-changes.md and src/facts/changes/type-matrix.ts); pairs outside it fall back to the general rule
 * PostgreSQL applies (a change that is not binary-coercible with no tighter modifier rewrites every row).
 */
import { TYPE_MATRIX_DATA } from './type-matrix.js';
import { matrixKey } from './type-reps.js';
import { typeText } from './sql-types.js';
import type { SqlType } from './types.js';

export interface TypeTransition {
  /** Every row is rewritten under ACCESS EXCLUSIVE; `unless-utc`: only when the session TimeZone is not UTC (timestamp → timestamptz). */
  rewrite: boolean | 'unless-utc';
  /** Some values come out different (rounded, cut, reinterpreted, duplicates merged). */
  lossy: boolean;
  /** Some values make the ALTER fail (out of range, too long, not parseable). */
  fails: boolean;
  /** PostgreSQL refuses the change without a USING expression: the migration fails on any table. */
  noCast: boolean;
  /** Measured on PostgreSQL (true), or the general rule for a pair the matrix does not hold. */
  measured: boolean;
}

/** A matrix entry's flags (see type-matrix.ts). */
export function fromFlags(flags: string): Omit<TypeTransition, 'measured'> {
  return { rewrite: flags.includes('u') ? 'unless-utc' : flags.includes('r'), lossy: flags.includes('l'), fails: flags.includes('f'), noCast: flags.includes('n') };
}

export function toFlags(t: Omit<TypeTransition, 'measured'>): string {
  return `${t.rewrite === 'unless-utc' ? 'u' : t.rewrite ? 'r' : ''}${t.lossy ? 'l' : ''}${t.fails ? 'f' : ''}${t.noCast ? 'n' : ''}`;
}

const SAME: TypeTransition = { rewrite: false, lossy: false, fails: false, noCast: false, measured: true };

/** The transition `from` → `to`, as PostgreSQL performs it; null when either type is unknown. */
export function typeTransition(from: SqlType | null, to: SqlType | null, using = false): TypeTransition | null {
  if (!from || !to || !from.known || !to.known) return null;
  if (!using && typeText(from) === typeText(to)) return SAME;
  if (from.name === 'enum' && to.name === 'enum' && from.array === to.array && from.enumName !== to.enumName) {
    return { rewrite: true, lossy: false, fails: true, noCast: true, measured: false };
  }
  const hit = TYPE_MATRIX_DATA[matrixKey(from, to)];
  if (hit !== undefined && !using) return { ...fromFlags(hit), ...numericBounds(from, to), measured: true };
  // A USING expression, or a pair outside the matrix: PostgreSQL converts every value, so it rewrites; a
  // conversion it was not measured on may lose or refuse values.
  return { rewrite: true, lossy: true, fails: true, noCast: false, measured: false };
}

/** The largest integer of each integer type, and how many digits it has. */
const INTEGER_MAX: Record<string, bigint> = { int2: 32767n, int4: 2147483647n, int8: 9223372036854775807n };

/** Digits before the point of the largest absolute value a type holds, and digits after it; null when unbounded or not a number. */
function digits(t: SqlType): { whole: number; scale: number; max: bigint | null } | null {
  if (t.array !== 0) return null;
  const max = INTEGER_MAX[t.name];
  if (max !== undefined) return { whole: max.toString().length, scale: 0, max };
  if (t.name === 'numeric' && t.mods.length) return { whole: t.mods[0]! - (t.mods[1] ?? 0), scale: t.mods[1] ?? 0, max: null };
  return null;
}

/**
 * Between integers and sized numerics, whether values fail or change follows from the sizes alone, so the
 * matrix (measured on a few sizes: numeric(10,2), numeric(12,2), numeric(10,4)) is read for the rewrite and
 * the sizes decide the rest: a value fails when its whole digits (after rounding to the new scale, which may
 * carry: 99.99 → 100.0) do not fit, and changes when the new scale is smaller. Measured over a grid of sizes by
 * test/oracle/numeric-sizes.test.ts.
 */
function numericBounds(from: SqlType, to: SqlType): { lossy: boolean; fails: boolean } | null {
  const f = digits(from);
  const t = digits(to);
  if (!f || !t) return null;
  const lossy = f.scale > t.scale;
  if (t.max !== null) {
    // Into an integer type: the largest value of `from`, rounded to a whole number.
    const largest = 10n ** BigInt(f.whole) - (f.scale > 0 ? 0n : 1n);
    return { lossy, fails: f.max !== null ? f.max > t.max : largest > t.max };
  }
  return { lossy, fails: f.whole > t.whole || (f.whole === t.whole && lossy && f.max === null) };
}

/** The transition loses or refuses data: the change is destructive (unknown types count, as a change we cannot vouch for). */
export function isLossy(from: SqlType | null, to: SqlType | null, using = false): boolean {
  const t = typeTransition(from, to, using);
  return t === null || t.lossy || (t.fails && !t.noCast);
}
