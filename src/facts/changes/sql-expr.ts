/**
 * Column defaults and generated expressions: which functions they call and how volatile PostgreSQL takes
 * them to be. The verdict decides whether ADD COLUMN rewrites the table: PostgreSQL 11+ evaluates a
 * non-volatile default once and stores it in the catalogue; a volatile one is evaluated for every row.
 */
import { dottedName, literalString } from '../../parse/python.js';
import type { Expr } from '../../model/expr.js';
import { loadSqlParser, sqlParser, sqlParserDeferred } from '../sql-loader.js';
import { arr, field, obj, str, walk, type Json } from './pg-json.js';
import { functionVolatility, mostVolatile as most } from './volatility.js';
import type { SqlExpr, Volatility } from './types.js';

// PostgreSQL's parser is loaded on import, unless the process deferred it (the CLI: facts/sql-loader.ts). Every
// reader of SQL in facts/changes/ imports this module.
if (!sqlParserDeferred()) await loadSqlParser();

/** Reads a parsed SQL expression (a node of PostgreSQL's parse tree). */
export function exprFromSql(node: Json, text: string | null = null): SqlExpr {
  const calls: string[] = [];
  let volatility: Volatility = 'immutable';
  for (const [type, f] of walk(node)) {
    if (type === 'FuncCall') {
      const parts = arr(f.funcname).map((n) => str(field(n, 'String')?.sval));
      const name = parts[parts.length - 1];
      if (typeof name !== 'string') continue;
      const fn = name.toLowerCase();
      calls.push(fn);
      // A schema other than pg_catalog is a user's function, whatever its name.
      const schema = parts.length > 1 ? parts[0] : null;
      volatility = most(volatility, schema && schema !== 'pg_catalog' ? 'volatile' : functionVolatility(fn));
    } else if (type === 'SQLValueFunction') {
      // CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP, CURRENT_USER, …: fixed for the statement.
      volatility = most(volatility, 'stable');
    } else if (type === 'SubLink') {
      volatility = most(volatility, 'volatile');
    }
  }
  return { text, calls, volatility };
}

const cache = new Map<string, Json | null>();

/** A SQL expression given as text, parsed as PostgreSQL parses `SELECT (expr)`; null when its grammar rejects it. */
export function parseSqlExpr(text: string): Json | null {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const pg = sqlParser();
  let out: Json | null = null;
  try {
    const stmt = field(obj(arr(pg.parseSync(`SELECT (${text})`).stmts)[0])?.stmt, 'SelectStmt');
    out = field(arr(stmt?.targetList)[0], 'ResTarget')?.val ?? null;
  } catch {
    out = null;
  }
  if (cache.size > 500) cache.clear();
  cache.set(text, out);
  return out;
}

export function exprFromText(text: string): SqlExpr {
  const node = parseSqlExpr(text);
  return node === null ? { text, calls: [], volatility: null } : exprFromSql(node, text);
}

/**
 * A `server_default=` value: a string (SQLAlchemy quotes it: a constant), `sa.text("now()")`,
 * `sa.func.gen_random_uuid()`, `sa.true()`. Null for `None` and for what only Python knows (a variable).
 */
export function exprFromPython(e: Expr | undefined): SqlExpr | null {
  if (!e || e.kind === 'none') return null;
  if (e.kind === 'str' && !e.formatted) return { text: `'${e.value.replace(/'/g, "''")}'`, calls: [], volatility: 'immutable' };
  if (e.kind === 'num' || e.kind === 'bool') return { text: e.kind === 'num' ? e.text : String(e.value), calls: [], volatility: 'immutable' };
  if (e.kind !== 'call') return { text: null, calls: [], volatility: null };
  const callee = dottedName(e.callee) ?? '';
  const fn = /(?:^|\.)func\.(\w+)$/.exec(callee);
  if (fn) {
    // sa.func.f('x', 1) renders f('x', 1): the arguments are literals or the text is not known.
    const args = e.args.map((a) => (a.kind === 'num' ? a.text : a.kind === 'str' && !a.formatted ? `'${a.value.replace(/'/g, "''")}'` : null));
    const text = args.every((a) => a !== null) ? `${fn[1]}(${args.join(', ')})` : null;
    const name = fn[1]!.toLowerCase();
    return { text, calls: [name], volatility: functionVolatility(name) };
  }
  if (/(^|\.)(true|false|null)$/.test(callee) && e.args.length === 0) return { text: callee.split('.').pop()!, calls: [], volatility: 'immutable' };
  if (/(^|\.)(FetchedValue)$/.test(callee)) return null;
  const sql = /(^|\.)(text|literal_column)$/.test(callee) ? literalString(e.args[0]) : null;
  return sql === null ? { text: null, calls: [], volatility: null } : exprFromText(sql);
}
