/**
 * Column types in PostgreSQL's own terms, whichever way a migration writes them: a SQLAlchemy / SQLModel /
 * postgresql-dialect type expression (`sa.String(length=50)`, `sqlmodel.sql.sqltypes.AutoString()`,
 * `postgresql.TIMESTAMP(timezone=True, precision=3)`) or a SQL type name as PostgreSQL's parser reads it.
 * The mapping is what SQLAlchemy's PostgreSQL dialect renders in DDL (sqlalchemy/dialects/postgresql/base.py).
 */
import { dottedName, isTrue, kwarg, literalString } from '../../parse/python.js';
import type { Call, Expr } from '../../model/expr.js';
import { arr, field, obj, str, type Json } from './pg-json.js';
import type { SqlType } from './types.js';

function t(name: string, mods: number[] = [], extra: Partial<SqlType> = {}): SqlType {
  return { name, mods, array: 0, enumName: null, known: true, ...extra };
}

function num(e: Expr | undefined): number | null {
  return e?.kind === 'num' && /^\d+$/.test(e.text) ? Number(e.text) : null;
}

function mod(call: Call | null, names: string[], index: number): number | null {
  if (!call) return null;
  for (const n of names) {
    const v = kwarg(call, n);
    if (v) return num(v);
  }
  return num(call.args[index]);
}

function isTrueKw(call: Call | null, name: string): boolean {
  return isTrue(call ? kwarg(call, name) : undefined);
}

const VARCHAR = new Set(['String', 'VARCHAR', 'Unicode', 'NVARCHAR', 'AutoString']);
const BPCHAR = new Set(['CHAR', 'NCHAR', 'CHARACTER']);
const TEXT = new Set(['Text', 'TEXT', 'UnicodeText', 'CLOB']);
const SIMPLE: Record<string, string> = {
  Integer: 'int4', INTEGER: 'int4', INT: 'int4',
  SmallInteger: 'int2', SMALLINT: 'int2',
  BigInteger: 'int8', BIGINT: 'int8',
  Boolean: 'bool', BOOLEAN: 'bool',
  Date: 'date', DATE: 'date',
  REAL: 'float4',
  Double: 'float8', DOUBLE: 'float8', DOUBLE_PRECISION: 'float8',
  Uuid: 'uuid', UUID: 'uuid', GUID: 'uuid',
  JSON: 'json', JSONB: 'jsonb',
  INET: 'inet', CIDR: 'cidr', MACADDR: 'macaddr', MACADDR8: 'macaddr8',
  LargeBinary: 'bytea', BYTEA: 'bytea', BLOB: 'bytea', PickleType: 'bytea',
  CITEXT: 'citext', MONEY: 'money', OID: 'oid', TSVECTOR: 'tsvector', HSTORE: 'hstore',
  INT4RANGE: 'int4range', INT8RANGE: 'int8range', NUMRANGE: 'numrange', DATERANGE: 'daterange', TSRANGE: 'tsrange', TSTZRANGE: 'tstzrange',
};

/** A SQLAlchemy type expression (`sa.Integer()`, `sa.Integer`, `postgresql.ARRAY(sa.String(5))`), or null when it is no type we can name. */
export function typeFromPython(e: Expr | undefined): SqlType | null {
  if (!e) return null;
  const call = e.kind === 'call' ? e : null;
  const callee = dottedName(call ? call.callee : e);
  if (!callee) return null;
  const name = callee.split('.').pop()!;
  if (VARCHAR.has(name)) {
    const n = mod(call, ['length'], 0);
    return t('varchar', n === null ? [] : [n]);
  }
  if (BPCHAR.has(name)) return t('bpchar', [mod(call, ['length'], 0) ?? 1]);
  if (TEXT.has(name)) return t('text');
  if (name in SIMPLE) return t(SIMPLE[name]!);
  switch (name) {
    case 'Numeric':
    case 'NUMERIC':
    case 'DECIMAL': {
      const p = mod(call, ['precision'], 0);
      const s = mod(call, ['scale'], 1);
      return t('numeric', p === null ? [] : s === null ? [p] : [p, s]);
    }
    case 'Float':
    case 'FLOAT': {
      // SQLAlchemy renders FLOAT(p); PostgreSQL takes p <= 24 as real, anything else as double precision.
      const p = mod(call, ['precision'], 0);
      return t(p !== null && p <= 24 ? 'float4' : 'float8');
    }
    case 'DateTime':
    case 'TIMESTAMP': {
      const p = mod(call, ['precision'], name === 'TIMESTAMP' ? 1 : -1);
      return t(isTrueKw(call, 'timezone') || (name === 'TIMESTAMP' && isTrue(call?.args[0])) ? 'timestamptz' : 'timestamp', p === null ? [] : [p]);
    }
    case 'Time':
    case 'TIME': {
      const p = mod(call, ['precision'], name === 'TIME' ? 1 : -1);
      return t(isTrueKw(call, 'timezone') || (name === 'TIME' && isTrue(call?.args[0])) ? 'timetz' : 'time', p === null ? [] : [p]);
    }
    case 'Interval':
    case 'INTERVAL': {
      const p = mod(call, ['precision', 'second_precision'], -1);
      return t('interval', p === null ? [] : [p]);
    }
    case 'Enum':
    case 'ENUM': {
      const enumName = call ? literalString(kwarg(call, 'name')) : null;
      return t('enum', [], { enumName, known: enumName !== null });
    }
    case 'ARRAY': {
      const item = typeFromPython(call ? (kwarg(call, 'item_type') ?? call.args[0]) : undefined);
      const dims = mod(call, ['dimensions'], -1) ?? 1;
      return item ? { ...item, array: item.array + dims } : t('unknown', [], { array: dims, known: false });
    }
    default:
      return t(name.toLowerCase(), [], { known: false });
  }
}

const SQL_ALIASES: Record<string, [string, boolean]> = {
  serial: ['int4', true],
  serial4: ['int4', true],
  bigserial: ['int8', true],
  serial8: ['int8', true],
  smallserial: ['int2', true],
  serial2: ['int2', true],
  int: ['int4', false],
  integer: ['int4', false],
  smallint: ['int2', false],
  bigint: ['int8', false],
  boolean: ['bool', false],
  decimal: ['numeric', false],
  real: ['float4', false],
};

const KNOWN_SQL = new Set([
  'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'varchar', 'bpchar', 'text', 'bool', 'date', 'time', 'timetz',
  'timestamp', 'timestamptz', 'interval', 'uuid', 'json', 'jsonb', 'inet', 'cidr', 'bytea', 'citext', 'money', 'macaddr',
  'macaddr8', 'bit', 'varbit', 'xml', 'tsvector', 'oid', 'hstore', 'int4range', 'int8range', 'numrange', 'daterange', 'tsrange', 'tstzrange',
]);

// INTERVAL's first modifier is its field mask; this value means "all fields", i.e. none named.
const INTERVAL_FULL_RANGE = 32767;

/** A `TypeName` node of PostgreSQL's parse tree. `serial` says whether the name was a SERIAL pseudo-type. */
export function typeFromSql(node: Json): { type: SqlType; serial: boolean } | null {
  const o = obj(node);
  if (!o) return null;
  const names = arr(o.names)
    .map((n) => str(field(n, 'String')?.sval))
    .filter((n): n is string => n !== null);
  if (!names.length) return null;
  const schemaless = names[0] === 'pg_catalog' ? names.slice(1) : names;
  const raw = schemaless[schemaless.length - 1]!.toLowerCase();
  let mods = arr(o.typmods)
    .map((m) => obj(field(m, 'A_Const')?.ival)?.ival)
    .map((v) => (typeof v === 'number' ? v : 0));
  const [name, serial] = schemaless.length === 1 ? (SQL_ALIASES[raw] ?? [raw, false]) : [schemaless.join('.').toLowerCase(), false];
  if (name === 'interval' && mods[0] === INTERVAL_FULL_RANGE) mods = mods.slice(1);
  return {
    type: { name, mods, array: arr(o.arrayBounds).length, enumName: null, known: KNOWN_SQL.has(name) },
    serial,
  };
}

const DISPLAY: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bpchar: 'char',
  bool: 'boolean',
};

/** How a reviewer writes the type: `varchar(20)`, `timestamptz(3)`, `integer[]`, `enum mood`. */
export function typeText(type: SqlType | null): string {
  if (!type) return '?';
  const base = type.name === 'enum' ? `enum ${type.enumName ?? '?'}` : (DISPLAY[type.name] ?? type.name);
  return `${base}${type.mods.length ? `(${type.mods.join(',')})` : ''}${'[]'.repeat(type.array)}`;
}

export function sameType(a: SqlType | null, b: SqlType | null): boolean {
  return !!a && !!b && typeText(a) === typeText(b);
}
