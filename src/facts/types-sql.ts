/**
 * SQLAlchemy column types as written in a migration (`sa.String(length=50)`, `sa.Text()`,
 * `sqlmodel.sql.sqltypes.AutoString()`), reduced to what decides whether a type change keeps every value.
 */
import { dottedName, kwarg } from '../parse/python.js';
import type { Expr } from '../model/expr.js';

export interface ColumnType {
  name: string;
  family: 'string' | 'text' | 'integer' | 'numeric' | 'other';
  length: number | null;
  rank: number;
}

const STRING = new Set(['String', 'VARCHAR', 'Unicode', 'NVARCHAR', 'AutoString', 'CHAR', 'NCHAR', 'CITEXT']);
const TEXT = new Set(['Text', 'TEXT', 'UnicodeText', 'CLOB']);
const INTEGER: Record<string, number> = { SmallInteger: 1, SMALLINT: 1, Integer: 2, INTEGER: 2, INT: 2, BigInteger: 3, BIGINT: 3 };

export function readColumnType(e: Expr | undefined): ColumnType | null {
  if (!e) return null;
  const call = e.kind === 'call' ? e : null;
  const callee = call ? dottedName(call.callee) : dottedName(e);
  if (!callee) return null;
  const name = callee.split('.').pop()!;
  const lenExpr = call ? (kwarg(call, 'length') ?? kwarg(call, 'precision') ?? call.args[0]) : undefined;
  const length = lenExpr?.kind === 'num' ? Number(lenExpr.text) : null;
  if (STRING.has(name)) return { name, family: name === 'CHAR' || name === 'NCHAR' ? 'other' : 'string', length, rank: 0 };
  if (TEXT.has(name)) return { name, family: 'text', length: null, rank: 0 };
  if (name in INTEGER) return { name, family: 'integer', length: null, rank: INTEGER[name]! };
  if (name === 'Numeric' || name === 'NUMERIC' || name === 'DECIMAL') {
    const scale = call ? (kwarg(call, 'scale') ?? call.args[1]) : undefined;
    return { name, family: 'numeric', length, rank: scale?.kind === 'num' ? Number(scale.text) : 0 };
  }
  return { name, family: 'other', length, rank: 0 };
}

/** True when every value of `from` fits `to` unchanged: widening a varchar, varchar to text, int to bigint. */
export function isWidening(from: ColumnType | null, to: ColumnType | null): boolean {
  if (!from || !to) return false;
  if (from.family === 'string' && to.family === 'string') return to.length === null || (from.length !== null && to.length >= from.length);
  if (from.family === 'string' && to.family === 'text') return true;
  if (from.family === 'text' && to.family === 'text') return true;
  if (from.family === 'text' && to.family === 'string') return to.length === null && to.name !== 'CHAR';
  if (from.family === 'integer' && to.family === 'integer') return to.rank >= from.rank;
  if (from.family === 'integer' && to.family === 'numeric') return true;
  if (from.family === 'numeric' && to.family === 'numeric') {
    if (to.length === null) return true;
    return from.length !== null && to.length - to.rank >= from.length - from.rank && to.rank >= from.rank;
  }
  return false;
}
