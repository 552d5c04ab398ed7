// What PostgreSQL 15 does when a column changes type, for every pair of the types SQLModel and Alembic emit
// (src/facts/changes/type-reps.ts): does the table's relfilenode change (a rewrite), with the session TimeZone
// UTC and not; and, for values at the edges of the old type, does the ALTER fail, or does a value come out
// different (cast back to the old type, it is no longer equal). The committed table (docs/type-changes.md and
// src/facts/changes/type-matrix.ts, which the rules read) must equal what is measured here;
// UPDATE_TYPE_MATRIX=1 writes both.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSql } from '../../src/facts/changes/from-sql.js';
import { typeText } from '../../src/facts/changes/sql-types.js';
import { fromFlags, toFlags, typeTransition, type TypeTransition } from '../../src/facts/changes/type-change.js';
import { TYPE_MATRIX_DATA } from '../../src/facts/changes/type-matrix.js';
import { MATRIX_TYPES } from '../../src/facts/changes/type-reps.js';
import type { SqlType } from '../../src/facts/changes/types.js';
import { createDatabase, dropDatabase, pg as pgSettings, REPO, type Db } from './helpers.js';

const UPDATE = process.env.UPDATE_TYPE_MATRIX === '1';

/** SQL for a matrix type. */
const sqlOf = (t: string) => (t === 'enum mood' ? 'mood' : t);

/** Values at the edges of each type (as SQL literals of that type); NULL always converts, so it is left out. */
function edges(t: string): string[] {
  const base = t.replace(/\[\]$/, '');
  const unquote = (v: string) => (v.startsWith("'") ? v.slice(1, -1) : v);
  if (t.endsWith('[]')) return [`'{${edges(base).map((v) => `"${unquote(v).replace(/"/g, '\\"')}"`).join(',')}}'`];
  switch (base) {
    case 'smallint':
      return ['-32768', '32767', '0'];
    case 'integer':
      return ['-2147483648', '2147483647', '1'];
    case 'bigint':
      return ['-9223372036854775808', '9223372036854775807', '1'];
    case 'numeric':
      return ['123456789012345.678901', '-0.5', '1e-20'];
    // The largest value of each size, and its smallest fraction: what fits and what rounds depend on them.
    case 'numeric(10,2)':
      return ['99999999.99', '12345678.91', '-0.01', '1'];
    case 'numeric(12,2)':
      return ['9999999999.99', '1234567890.12', '0.01', '1'];
    case 'numeric(10,4)':
      return ['999999.9999', '123456.7891', '0.0001', '1'];
    case 'real':
      return ['3.4e38', '0.1', '1'];
    case 'double precision':
      return ['1.7976931348623157e308', '0.1', '1'];
    case 'varchar(10)':
      return ["'abcdefghij'", "'a  '", "'1'"];
    case 'varchar(20)':
      return ["'abcdefghijklmnopqrst'", "'1'"];
    case 'varchar':
    case 'text':
      return [`'${'x'.repeat(300)}'`, "'abc '", "'1'", "'true'"];
    case 'char(10)':
      return ["'abcdefghij'", "'a'"];
    case 'char(20)':
      return ["'abcdefghijklmnopqrst'", "'a'"];
    case 'boolean':
      return ['true', 'false'];
    case 'date':
      return ["'2020-02-29'", "'infinity'"];
    case 'time':
      return ["'23:59:59.999999'"];
    case 'time(3)':
      return ["'12:34:56.789'"];
    case 'timetz':
      return ["'12:34:56.123456+05'"];
    case 'timestamp':
      return ["'2020-02-29 12:34:56.123456'", "'infinity'"];
    case 'timestamp(3)':
      return ["'2020-02-29 12:34:56.789'"];
    case 'timestamptz':
      return ["'2020-02-29 12:34:56.123456+05'", "'infinity'"];
    case 'timestamptz(3)':
      return ["'2020-02-29 12:34:56.789+05'"];
    case 'interval':
      return ["'1 year 2 mons 3 days 04:05:06.789012'"];
    case 'interval(3)':
      return ["'3 days 04:05:06.789'"];
    case 'uuid':
      return ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"];
    case 'json':
      return [`'{"a":1,"a":2}'`, "'[1, 2]'"];
    case 'jsonb':
      return [`'{"b": [1, 2]}'`];
    case 'inet':
      return ["'192.168.1.5/24'", "'::1'"];
    case 'cidr':
      return ["'10.0.0.0/8'"];
    case 'bytea':
      return ["'\\x00ff'"];
    case 'enum mood':
      return ["'ok'"];
    default:
      throw new Error(`no edge values for ${t}`);
  }
}

let db: Db;
let c: pg.Client;

beforeAll(async () => {
  db = await createDatabase();
  c = new pg.Client({ host: pgSettings.host, port: Number(pgSettings.port), user: pgSettings.user, password: pgSettings.password, database: db.name });
  await c.connect();
  await c.query("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
});

afterAll(async () => {
  await c?.end();
  if (db) await dropDatabase(db);
});

async function attempt(sql: string): Promise<boolean> {
  await c.query('SAVEPOINT s');
  try {
    await c.query(sql);
    await c.query('RELEASE SAVEPOINT s');
    return true;
  } catch {
    await c.query('ROLLBACK TO SAVEPOINT s');
    return false;
  }
}

async function relfilenode(): Promise<string> {
  return (await c.query("SELECT relfilenode::text AS r FROM pg_class WHERE oid = 'm'::regclass")).rows[0].r as string;
}

/** Rewrites with this TimeZone? null: PostgreSQL refuses the change without USING. */
async function rewrites(from: string, to: string, zone: string): Promise<boolean | null> {
  await c.query('BEGIN');
  try {
    await c.query(`SET LOCAL TimeZone = '${zone}'`);
    await c.query(`CREATE TABLE m (c ${sqlOf(from)})`);
    await c.query('INSERT INTO m VALUES (NULL)');
    const before = await relfilenode();
    if (!(await attempt(`ALTER TABLE m ALTER COLUMN c TYPE ${sqlOf(to)}`))) return null;
    return (await relfilenode()) !== before;
  } finally {
    await c.query('ROLLBACK');
  }
}

/** For one value: 'fails' (the ALTER errors), 'changes' (it no longer equals itself), or 'kept'. */
async function valueFate(from: string, to: string, value: string): Promise<'fails' | 'changes' | 'kept'> {
  await c.query('BEGIN');
  try {
    await c.query("SET LOCAL TimeZone = 'UTC'");
    await c.query(`CREATE TABLE m (c ${sqlOf(from)})`);
    await c.query(`INSERT INTO m VALUES ((${value})::${sqlOf(from)})`);
    const orig = (await c.query('SELECT c::text AS v FROM m')).rows[0].v as string;
    if (!(await attempt(`ALTER TABLE m ALTER COLUMN c TYPE ${sqlOf(to)}`))) return 'fails';
    let back: string;
    await c.query('SAVEPOINT b');
    try {
      back = (await c.query(`SELECT (c::${sqlOf(from)})::text AS v FROM m`)).rows[0].v as string;
      await c.query('RELEASE SAVEPOINT b');
    } catch {
      await c.query('ROLLBACK TO SAVEPOINT b');
      back = (await c.query('SELECT c::text AS v FROM m')).rows[0].v as string;
    }
    return back === orig ? 'kept' : 'changes';
  } finally {
    await c.query('ROLLBACK');
  }
}

async function measure(from: string, to: string): Promise<Omit<TypeTransition, 'measured'>> {
  const utc = await rewrites(from, to, 'UTC');
  if (utc === null) return { rewrite: true, lossy: false, fails: true, noCast: true };
  const paris = await rewrites(from, to, 'Europe/Paris');
  let lossy = false;
  let fails = false;
  for (const v of edges(from)) {
    const fate = await valueFate(from, to, v);
    lossy ||= fate === 'changes';
    fails ||= fate === 'fails';
  }
  return { rewrite: utc === paris ? utc : utc ? true : 'unless-utc', lossy, fails, noCast: false };
}

/** The matrix type as the rules read it from SQL. */
function parsed(t: string): SqlType {
  const s = readSql(`ALTER TABLE m ALTER COLUMN c TYPE ${sqlOf(t)}`)![0]!.events[0]!.body;
  if (s.kind !== 'alter_type' || !s.to) throw new Error(t);
  return s.to.name === 'mood' ? { ...s.to, name: 'enum', enumName: 'mood', known: true } : s.to;
}

describe('type changes on PostgreSQL 15', () => {
  it('the rules read each measured type as the matrix names it', () => {
    for (const t of MATRIX_TYPES) expect(typeText(parsed(t))).toBe(t);
  });

  it('every pair: rewrite, lost and refused values, as committed and as the rules say', async () => {
    const measured: Record<string, string> = {};
    for (const from of MATRIX_TYPES) {
      for (const to of MATRIX_TYPES) {
        if (from === to) continue;
        measured[`${from}>${to}`] = toFlags(await measure(from, to));
      }
    }
    if (UPDATE) {
      writeData(measured);
      writeDoc(measured);
      return;
    }
    expect(measured).toEqual(TYPE_MATRIX_DATA);
    // The rules' reading of each pair (through the representatives) is the measured one.
    for (const [pair, flags] of Object.entries(measured)) {
      const [from, to] = pair.split('>') as [string, string];
      const t = typeTransition(parsed(from), parsed(to));
      expect({ pair, ...t, measured: undefined }, pair).toEqual({ pair, ...fromFlags(flags), measured: undefined });
    }
    // About 1,300 pairs, a few statements each: minutes on a busy machine.
  }, 900_000);
});

function writeData(m: Record<string, string>): void {
  const lines = Object.entries(m).map(([k, v]) => `  '${k}': '${v}',`);
  const text = [
    '// Generated by test/oracle/type-matrix.test.ts (UPDATE_TYPE_MATRIX=1 npm run test:oracle) from PostgreSQL 15: do not edit.',
    '// `from>to` → flags: r = rewrites the table, u = rewrites unless the session TimeZone is UTC, l = some values change,',
    '// f = some values make the ALTER fail, n = no automatic conversion (ALTER … TYPE fails without USING).',
    'export const TYPE_MATRIX_DATA: Record<string, string> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
  writeFileSync(path.join(REPO, 'src/facts/changes/type-matrix.ts'), text);
}

function writeDoc(m: Record<string, string>): void {
  const cell = (flags: string) => {
    const t = fromFlags(flags);
    if (t.noCast) return 'no cast';
    const parts = [t.rewrite === 'unless-utc' ? 'rewrite¹' : t.rewrite ? 'rewrite' : 'in place'];
    if (t.fails) parts.push('fails');
    if (t.lossy) parts.push('lossy');
    return parts.join(', ');
  };
  const rows = Object.entries(m).map(([k, v]) => {
    const [from, to] = k.split('>');
    return `| \`${from}\` | \`${to}\` | ${cell(v)} |`;
  });
  const text = [
    '# Column type changes, measured',
    '',
    'What PostgreSQL 15 does to a table when `ALTER TABLE … ALTER COLUMN … TYPE` changes a column between two of the',
    'types SQLModel and Alembic emit. Written by `test/oracle/type-matrix.test.ts` (`UPDATE_TYPE_MATRIX=1 npm run',
    'test:oracle`), which fails when PostgreSQL disagrees with this table; `column-type-change` and',
    '`destructive-operation` read the same measurements (`src/facts/changes/type-matrix.ts`).',
    '',
    '- **in place**: the table keeps its `relfilenode` (no rewrite; PostgreSQL may still scan it to check values);',
    '  **rewrite**: a new `relfilenode`, every row rewritten under ACCESS EXCLUSIVE.',
    '- ¹ `timestamp` → `timestamptz` is done in place only when the session `TimeZone` is `UTC`; under any other',
    '  zone PostgreSQL rewrites the table (and reinterprets every value in that zone). Measured under `UTC` and',
    '  `Europe/Paris`.',
    '- **fails**: one of the edge values of the old type (its limits, a long string, `infinity`, a duplicate JSON key…)',
    '  makes the `ALTER` fail; **lossy**: one comes out different (cast back to the old type, it is not equal: rounded,',
    '  cut, padding removed, time zone or time of day dropped, duplicate keys merged).',
    '- **no cast**: PostgreSQL has no automatic conversion: the `ALTER` fails on any table unless a `USING` clause',
    '  (`postgresql_using=`) says how to convert.',
    '- Other modifiers map to the measured ones: `varchar(50)` → `varchar(200)` behaves as `varchar(10)` → `varchar(20)`,',
    '  `numeric(8,2)` → `numeric(14,2)` as `numeric(10,2)` → `numeric(12,2)`, `timestamp(0)` as `timestamp(3)`.',
    '',
    '| from | to | what PostgreSQL does |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(path.join(REPO, 'docs/type-changes.md'), text);
}
