// Integers and sized numerics changing into one another, over a grid of sizes the type matrix does not hold
// (it measures numeric(10,2), numeric(12,2) and numeric(10,4) only): for each pair, on PostgreSQL 15, does the
// table get a new relfilenode, and for the values at the edges of the old type (its largest and smallest, the
// smallest fraction, a value that carries when rounded) does the ALTER fail or the value come out different.
// column-type-change and destructive-operation read typeTransition(), which must agree on every pair.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSql } from '../../src/facts/changes/from-sql.js';
import { typeTransition } from '../../src/facts/changes/type-change.js';
import type { SqlType } from '../../src/facts/changes/types.js';
import { createDatabase, dropDatabase, pg as pgSettings, type Db } from './helpers.js';

const INTEGERS: Record<string, string> = { smallint: '32767', integer: '2147483647', bigint: '9223372036854775807' };
const FROM = ['smallint', 'integer', 'bigint', 'numeric(5,3)', 'numeric(6,0)', 'numeric(10,2)', 'numeric(12,2)', 'numeric(20,4)', 'numeric(3,1)'];
const TO = ['numeric(3,1)', 'numeric(4,0)', 'numeric(5,0)', 'numeric(6,4)', 'numeric(7,2)', 'numeric(9,0)', 'numeric(10,0)', 'numeric(12,2)', 'numeric(14,4)', 'numeric(19,0)', 'numeric(20,4)', 'numeric(24,8)', 'smallint', 'integer', 'bigint'];

/** Values at the edges of a type, as SQL literals. */
function edges(t: string): string[] {
  if (INTEGERS[t]) return [INTEGERS[t]!, `-${INTEGERS[t]}`, '1'];
  const [p, s] = /numeric\((\d+),(\d+)\)/.exec(t)!.slice(1).map(Number) as [number, number];
  const whole = '9'.repeat(p - s) || '0';
  const largest = s ? `${whole}.${'9'.repeat(s)}` : whole;
  const out = [largest, `-${largest}`];
  if (s) out.push(`0.${'0'.repeat(s - 1)}1`, `0.${'0'.repeat(s - 1)}5`);
  return out;
}

const typeOf = (sql: string): SqlType => {
  const body = readSql(`ALTER TABLE t ALTER COLUMN c TYPE ${sql}`)![0]!.events[0]!.body;
  if (body.kind !== 'alter_type' || !body.to) throw new Error(sql);
  return body.to;
};

let db: Db;
let c: pg.Client;
beforeAll(async () => {
  db = await createDatabase();
  c = new pg.Client({ host: pgSettings.host, port: Number(pgSettings.port), user: pgSettings.user, password: pgSettings.password, database: db.name });
  await c.connect();
});
afterAll(async () => {
  await c?.end();
  if (db) await dropDatabase(db);
});

async function inRollback<T>(fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    return await fn();
  } finally {
    await c.query('ROLLBACK');
  }
}

/** What PostgreSQL does for `from` → `to`. */
async function measure(from: string, to: string): Promise<{ rewrite: boolean; fails: boolean; lossy: boolean }> {
  const rewrite = await inRollback(async () => {
    await c.query(`CREATE TABLE t (c ${from})`);
    await c.query('INSERT INTO t VALUES (1)');
    const node = async () => (await c.query("SELECT relfilenode::text AS r FROM pg_class WHERE oid = 't'::regclass")).rows[0].r as string;
    const before = await node();
    await c.query(`ALTER TABLE t ALTER COLUMN c TYPE ${to}`);
    return before !== (await node());
  });
  let fails = false;
  let lossy = false;
  for (const v of edges(from)) {
    await inRollback(async () => {
      await c.query(`CREATE TABLE t (c ${from})`);
      await c.query(`INSERT INTO t VALUES (${v})`);
      await c.query('SAVEPOINT s');
      try {
        await c.query(`ALTER TABLE t ALTER COLUMN c TYPE ${to}`);
      } catch {
        fails = true;
        await c.query('ROLLBACK TO SAVEPOINT s');
        return;
      }
      const same = (await c.query(`SELECT c::numeric = (${v})::numeric AS same FROM t`)).rows[0].same as boolean;
      if (!same) lossy = true;
    });
  }
  return { rewrite, fails, lossy };
}

describe('integers and sized numerics, over sizes the matrix does not hold', () => {
  it('typeTransition agrees with PostgreSQL 15 on every pair', async () => {
    const disagree: string[] = [];
    let pairs = 0;
    for (const from of FROM) {
      for (const to of TO) {
        if (from === to || (INTEGERS[from] && INTEGERS[to])) continue;
        pairs++;
        const m = await measure(from, to);
        const t = typeTransition(typeOf(from), typeOf(to))!;
        const claimed = { rewrite: t.rewrite === true, fails: t.fails, lossy: t.lossy };
        if (JSON.stringify(claimed) !== JSON.stringify(m)) disagree.push(`${from} → ${to}: PostgreSQL ${JSON.stringify(m)}, rules ${JSON.stringify(claimed)}`);
      }
    }
    expect(pairs).toBeGreaterThan(100);
    expect(disagree).toEqual([]);
  });
});
