/**
 * Column types as PostgreSQL DDL, the way SQLAlchemy's PostgreSQL compiler prints them, because that printed
 * form is what autogenerate compares (alembic/ddl/impl.py `_tokenize_column_type`). Both the models'
 * `sa.String(255)` / `str = Field(max_length=255)` and the migrations' `sa.String(length=255)` end up here.
 */
import { kwarg, literalBool } from '../parse/python.js';
import type { Expr } from '../model/expr.js';
import { integer, plainString } from './literal.js';

/** Turns a name or attribute chain into its qualified name (`sa.String` → `sqlalchemy.String`); null if not a chain. */
export type Qualify = (v: Expr) => string | null;

/** Roots a SQLAlchemy type is reached through, qualified (model side) or as migrations spell them. */
const SA_ROOTS = new Set(['sqlalchemy', 'sqlmodel', 'sa', 'postgresql', 'pg', 'sqltypes', 'types', 'mysql', 'sqlite']);

function lastPart(q: string): string {
  return q.slice(q.lastIndexOf('.') + 1);
}

const SIMPLE: Record<string, string> = {
  Text: 'TEXT',
  TEXT: 'TEXT',
  UnicodeText: 'TEXT',
  CLOB: 'TEXT',
  Integer: 'INTEGER',
  INTEGER: 'INTEGER',
  INT: 'INTEGER',
  BigInteger: 'BIGINT',
  BIGINT: 'BIGINT',
  SmallInteger: 'SMALLINT',
  SMALLINT: 'SMALLINT',
  Boolean: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  Date: 'DATE',
  DATE: 'DATE',
  Interval: 'INTERVAL',
  INTERVAL: 'INTERVAL',
  LargeBinary: 'BYTEA',
  BYTEA: 'BYTEA',
  BLOB: 'BYTEA',
  Uuid: 'UUID',
  UUID: 'UUID',
  GUID: 'UUID',
  JSON: 'JSON',
  JSONB: 'JSONB',
  REAL: 'REAL',
  Double: 'DOUBLE PRECISION',
  DOUBLE_PRECISION: 'DOUBLE PRECISION',
  DOUBLE: 'DOUBLE PRECISION',
  INET: 'INET',
  CIDR: 'CIDR',
  MACADDR: 'MACADDR',
  TSVECTOR: 'TSVECTOR',
  CITEXT: 'CITEXT',
  MONEY: 'MONEY',
  OID: 'OID',
  HSTORE: 'HSTORE',
};

/** The DDL of a SQLAlchemy type expression (`sa.String(50)`, `BigInteger`, `pg.UUID(as_uuid=True)`), null if unknown. */
export function sqlTypeOf(v: Expr | undefined, qualify: Qualify, enumName?: (v: Expr) => string | null): string | null {
  if (!v) return null;
  const call = v.kind === 'call' ? v : null;
  const q = qualify(call ? call.callee : v);
  if (!q) return null;
  const name = lastPart(q);
  const root = q.split('.')[0]!;
  // A type from the project or another library: what it compiles to is not known here.
  if (q.includes('.') && !SA_ROOTS.has(root)) return null;
  const a0 = call?.args[0];
  switch (name) {
    case 'String':
    case 'VARCHAR':
    case 'Unicode':
    case 'NVARCHAR':
    case 'AutoString': {
      const n = integer(call ? (kwarg(call, 'length') ?? a0) : undefined);
      return n === null ? 'VARCHAR' : `VARCHAR(${n})`;
    }
    case 'CHAR':
    case 'NCHAR': {
      const n = integer(call ? (kwarg(call, 'length') ?? a0) : undefined);
      return n === null ? 'CHAR' : `CHAR(${n})`;
    }
    case 'Float':
    case 'FLOAT': {
      const n = integer(call ? (kwarg(call, 'precision') ?? a0) : undefined);
      return n === null ? 'FLOAT' : `FLOAT(${n})`;
    }
    case 'Numeric':
    case 'NUMERIC':
    case 'DECIMAL': {
      const base = name === 'DECIMAL' ? 'DECIMAL' : 'NUMERIC';
      const p = integer(call ? (kwarg(call, 'precision') ?? a0) : undefined);
      const s = integer(call ? (kwarg(call, 'scale') ?? call.args[1]) : undefined);
      if (p === null) return base;
      return s === null ? `${base}(${p})` : `${base}(${p}, ${s})`;
    }
    case 'DateTime':
    case 'TIMESTAMP':
    case 'Time':
    case 'TIME': {
      const tzv = call ? kwarg(call, 'timezone') : undefined;
      const tz = literalBool(tzv);
      if (tzv && tz === null) return null;
      const base = name === 'Time' || name === 'TIME' ? 'TIME' : 'TIMESTAMP';
      return `${base} ${tz ? 'WITH' : 'WITHOUT'} TIME ZONE`;
    }
    case 'Enum':
    case 'ENUM': {
      if (!call) return null;
      const n = kwarg(call, 'name');
      if (n) return plainString(n);
      // sa.Enum(PyEnum): the type is named after the class, lower-cased.
      if (a0 && plainString(a0) === null && enumName) return enumName(a0);
      return null;
    }
    case 'ARRAY': {
      const inner = sqlTypeOf(call ? (kwarg(call, 'item_type') ?? a0) : undefined, qualify, enumName);
      return inner === null ? null : `${inner}[]`;
    }
    default:
      return SIMPLE[name] ?? null;
  }
}

/** Python annotation types SQLModel maps (get_sqlalchemy_type), by qualified name. */
export type PyType =
  | { kind: 'str'; maxLength: number | null }
  | { kind: 'simple'; ddl: string }
  | { kind: 'decimal'; precision: number | null; scale: number | null }
  | { kind: 'enum'; name: string; strSubclass: boolean };

const PY_SIMPLE: Record<string, string> = {
  'builtins.int': 'INTEGER',
  'builtins.float': 'FLOAT',
  'builtins.bool': 'BOOLEAN',
  'builtins.bytes': 'BYTEA',
  'datetime.datetime': 'TIMESTAMP WITHOUT TIME ZONE',
  'datetime.date': 'DATE',
  'datetime.time': 'TIME WITHOUT TIME ZONE',
  'datetime.timedelta': 'INTERVAL',
  'uuid.UUID': 'UUID',
};

const PY_STR = new Set([
  'builtins.str',
  'ipaddress.IPv4Address',
  'ipaddress.IPv4Network',
  'ipaddress.IPv6Address',
  'ipaddress.IPv6Network',
  'pathlib.Path',
  'pydantic.EmailStr',
  'pydantic.networks.EmailStr',
]);

export function pyTypeDdl(t: PyType): string {
  switch (t.kind) {
    case 'str':
      return t.maxLength ? `VARCHAR(${t.maxLength})` : 'VARCHAR';
    case 'simple':
      return t.ddl;
    case 'decimal':
      return t.precision === null ? 'NUMERIC' : t.scale === null ? `NUMERIC(${t.precision})` : `NUMERIC(${t.precision}, ${t.scale})`;
    case 'enum':
      return t.name;
  }
}

/** The SQLModel / SQLAlchemy type of a plain Python class, by qualified name, or null when neither maps it. */
export function pyTypeOf(qname: string): { kind: 'str' } | { kind: 'simple'; ddl: string } | { kind: 'decimal' } | null {
  if (PY_STR.has(qname)) return { kind: 'str' };
  if (qname === 'decimal.Decimal') return { kind: 'decimal' };
  const ddl = PY_SIMPLE[qname];
  return ddl ? { kind: 'simple', ddl } : null;
}

/** Alembic's type comparison (DefaultImpl.compare_type with PostgreSQL's synonyms): true when they differ. */
export function typesDiffer(conn: string, meta: string): boolean {
  const a = tokenize(conn);
  const b = tokenize(meta);
  if (a.token0 !== b.token0) {
    const synonyms = [new Set(['numeric', 'decimal']), new Set(['float', 'double precision'])];
    const allA = [a.token0, ...a.tokens].join(' ');
    const allB = [b.token0, ...b.tokens].join(' ');
    const same = synonyms.some((s) => (s.has(allA) && s.has(allB)) || (s.has(a.token0) && s.has(b.token0)));
    if (!same) return true;
  }
  if (a.tokens.length === b.tokens.length && a.tokens.join(' ') !== b.tokens.join(' ')) return true;
  if (a.args.length === b.args.length && a.args.join(',') !== b.args.join(',')) return true;
  return false;
}

function tokenize(ddl: string): { token0: string; tokens: string[]; args: string[] } {
  const def = ddl.toLowerCase();
  const parts = def.match(/[\w\-_]+|\(.+?\)/g) ?? [''];
  const terms: string[] = [];
  let paren: string | null = null;
  for (const t of parts) {
    if (/^\(.*\)$/.test(t)) paren = t;
    else terms.push(t);
  }
  const args: string[] = [];
  if (paren) for (const m of paren.match(/[^(),]+/g) ?? []) if (!m.includes('=')) args.push(m.trim());
  return { token0: terms[0] ?? '', tokens: terms.slice(1), args };
}
