/**
 * The user's own functions, as the migrations declare them. PostgreSQL takes a function it does not ship as
 * VOLATILE unless its CREATE FUNCTION (or a later ALTER FUNCTION) says STABLE or IMMUTABLE; a column whose
 * default calls one is judged by the declaration in force where the column is added: the last one before it
 * in its own file or its ancestors (down_revision), as Alembic runs them.
 */
import type { MigrationFile } from '../../model/migration.js';
import { ancestors, buildGraph, type RevisionGraph } from '../graph.js';
import { changesOf } from './index.js';
import type { SqlExpr, Volatility } from './types.js';
import { functionVolatility, mostVolatile } from './volatility.js';

interface Declaration {
  file: MigrationFile;
  revision: string | null;
  offset: number;
  volatility: Volatility;
}

interface Declared {
  graph: RevisionGraph;
  byName: Map<string, Declaration[]>;
  lineage: Map<string, Set<string>>;
}

const built = new WeakMap<MigrationFile[], Declared>();

function revisionOf(f: MigrationFile): string | null {
  const v = f.facts.revision.values;
  return v?.length === 1 && typeof v[0] === 'string' ? v[0] : null;
}

/** Every declaration of a function's volatility in the environment's upgrades, by function name. */
function declared(files: MigrationFile[]): Declared {
  let out = built.get(files);
  if (out) return out;
  const byName = new Map<string, Declaration[]>();
  for (const f of files) {
    if (f.facts.parseError) continue;
    for (const c of changesOf(f)) {
      if (c.fn !== 'upgrade' || c.kind !== 'other' || !c.function?.volatility) continue;
      const list = byName.get(c.function.name) ?? [];
      list.push({ file: f, revision: revisionOf(f), offset: c.span.start, volatility: c.function.volatility });
      byName.set(c.function.name, list);
    }
  }
  out = { graph: buildGraph(byName.size ? files : []), byName, lineage: new Map() };
  built.set(files, out);
  return out;
}

/**
 * The volatility declared for `name` where `file` runs the statement at `offset`, or null when no declaration
 * comes before it. Declarations on parallel branches that both come before it (a merge): the most volatile.
 */
export function declaredVolatility(files: MigrationFile[], file: MigrationFile, offset: number, name: string): Volatility | null {
  const d = declared(files);
  const all = d.byName.get(name);
  if (!all) return null;
  const lineage = (rev: string | null): Set<string> => {
    if (rev === null) return new Set();
    let s = d.lineage.get(rev);
    if (!s) d.lineage.set(rev, (s = ancestors(d.graph, rev)));
    return s;
  };
  // a runs before b: earlier in the same file, or in one of b's ancestors.
  const before = (a: { file: MigrationFile; revision: string | null; offset: number }, b: typeof a) =>
    a.file === b.file ? a.offset < b.offset : a.revision !== null && lineage(b.revision).has(a.revision);
  const use = { file, revision: revisionOf(file), offset };
  const earlier = all.filter((x) => before(x, use));
  const last = earlier.filter((x) => !earlier.some((y) => y !== x && before(x, y)));
  return last.length ? last.map((x) => x.volatility).reduce(mostVolatile) : null;
}

/**
 * PostgreSQL's verdict on an expression once the volatility declared for the user's functions is known
 * (`declared(name)`, null for a function nobody declared): a declared call takes its declaration; the rest
 * keep the verdict read from the expression.
 */
export function resolveVolatility(expr: SqlExpr, declared: (name: string) => Volatility | null): Volatility | null {
  if (expr.volatility !== 'volatile') return expr.volatility;
  const known = expr.calls.map(declared);
  if (known.every((v) => v === null)) return expr.volatility;
  return expr.calls.map((fn, i) => known[i] ?? functionVolatility(fn)).reduce(mostVolatile, 'immutable');
}

/** The verdict on a default that `file` adds at `offset`, with the declarations the history holds there. */
export function volatilityWith(expr: SqlExpr, files: MigrationFile[], file: MigrationFile, offset: number): Volatility | null {
  return resolveVolatility(expr, (fn) => declaredVolatility(files, file, offset, fn));
}
