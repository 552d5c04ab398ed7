/**
 * The types the type-change matrix is measured on (the types SQLModel and Alembic emit for PostgreSQL), and
 * how any other type maps onto them: `varchar(50)` → `varchar(200)` behaves as the measured widening
 * `varchar(10)` → `varchar(20)`, `numeric(8, 2)` → `numeric(14, 2)` as `numeric(10,2)` → `numeric(12,2)`.
 */
import { typeText } from './sql-types.js';
import type { SqlType } from './types.js';

/** SQL spellings of the measured types; the oracle creates `mood` as an enum. */
export const MATRIX_TYPES = [
  'smallint', 'integer', 'bigint',
  'numeric', 'numeric(10,2)', 'numeric(12,2)', 'numeric(10,4)',
  'real', 'double precision',
  'varchar(10)', 'varchar(20)', 'varchar', 'text', 'char(10)', 'char(20)',
  'boolean',
  'date', 'time', 'time(3)', 'timetz',
  'timestamp', 'timestamp(3)', 'timestamptz', 'timestamptz(3)',
  'interval', 'interval(3)',
  'uuid', 'json', 'jsonb', 'inet', 'cidr', 'bytea',
  'enum mood',
  'integer[]', 'bigint[]', 'text[]', 'varchar(10)[]',
] as const;

/** The measured sizes of each modifier-taking type: [small, large]; null stands for "no modifier" (the maximum). */
const SIZES: Record<string, [number[], number[]]> = {
  varchar: [[10], [20]],
  bpchar: [[10], [20]],
};
const PRECISION = new Set(['time', 'timestamp', 'timestamptz', 'interval']);

function withMods(t: SqlType, mods: number[]): SqlType {
  return { ...t, mods };
}

/** Orders two modifier lists of one type: -1 narrower, 0 same, 1 wider ([] is the widest). */
function compareMods(a: number[], b: number[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  return Math.sign(a[0]! - b[0]!);
}

/** One type on its own, as the matrix names it (for a pair across types). */
function single(t: SqlType): SqlType {
  if (MEASURED.has(typeText(t))) return t;
  if (t.name === 'enum') return { ...t, enumName: 'mood' };
  if (SIZES[t.name]) return t.mods.length ? withMods(t, SIZES[t.name]![0]) : t;
  if (PRECISION.has(t.name)) return t.mods.length && t.mods[0]! < 6 ? withMods(t, [3]) : withMods(t, []);
  if (t.name === 'numeric') return t.mods.length ? withMods(t, [10, t.mods[1] && t.mods[1] > 2 ? 4 : 2]) : t;
  return t;
}

const MEASURED = new Set<string>(MATRIX_TYPES);

/** The measured pair that behaves as `from` → `to`. */
export function representatives(from: SqlType, to: SqlType): [SqlType, SqlType] {
  if (MEASURED.has(typeText(from)) && MEASURED.has(typeText(to))) return [from, to];
  const sameBase = from.name === to.name && from.array === to.array;
  if (sameBase && SIZES[from.name] && from.mods.length && to.mods.length) {
    const [small, large] = SIZES[from.name]!;
    const c = compareMods(from.mods, to.mods);
    return c <= 0 ? [withMods(from, small), withMods(to, c === 0 ? small : large)] : [withMods(from, large), withMods(to, small)];
  }
  if (sameBase && PRECISION.has(from.name)) {
    // Precision 6 is the maximum, the same as none.
    const norm = (t: SqlType) => (t.mods.length && t.mods[0]! < 6 ? withMods(t, t.mods) : withMods(t, []));
    const f = norm(from);
    const t = norm(to);
    const c = compareMods(f.mods, t.mods);
    if (c === 0) return [single(f), single(f)];
    if (f.mods.length && t.mods.length) return c < 0 ? [withMods(f, [3]), withMods(t, [])] : [withMods(f, []), withMods(t, [3])];
    return [single(f), single(t)];
  }
  if (sameBase && from.name === 'numeric' && from.mods.length && to.mods.length) {
    const [p1, s1 = 0] = from.mods;
    const [p2, s2 = 0] = to.mods;
    if (s1 === s2) return p2! >= p1! ? [withMods(from, [10, 2]), withMods(to, [p2 === p1 ? 10 : 12, 2])] : [withMods(from, [12, 2]), withMods(to, [10, 2])];
    return s2 > s1 ? [withMods(from, [10, 2]), withMods(to, [10, 4])] : [withMods(from, [10, 4]), withMods(to, [10, 2])];
  }
  return [single(from), single(to)];
}

/** The matrix key of a pair: `varchar(10)>text`. */
export function matrixKey(from: SqlType, to: SqlType): string {
  const [f, t] = representatives(from, to);
  return `${typeText(f)}>${typeText(t)}`;
}
