// The lock oracle: every lock the PostgreSQL rules (and the summary's `lock`) claim, measured on a real
// server. A statement runs on a seeded table inside a transaction held open while a second connection
// reads pg_locks for that relation and probes whether a plain SELECT and an INSERT get through;
// PostgreSQL's own DEBUG1 messages tell whether it scanned ("verifying table", "validating foreign key
// constraint"), rewrote ("rewriting table") or built an index ("building index") meanwhile.
//
// 1. Every Alembic operation: the SQL Alembic renders for it (offline mode) is measured and compared with
//    lockOf(op) from src/facts/locks.ts.
// 2. Every rule: the bad fixture's revision and its safe twin, rendered by `alembic upgrade --sql` and
//    replayed statement by statement (autocommit blocks included) on a database upgraded to the parent
//    revision and seeded with rows. The bad statement does its work under the lock the diagnostic names;
//    the safe twin does its work (if any) under a lock that lets writes through.
// 3. concurrent-index-in-transaction and missing-lock-timeout are about what `alembic upgrade` does, so
//    their fixtures run for real.
// The measured tables must equal docs/locks.md (UPDATE_LOCKS_DOC=1 rewrites it), and every lock mode a
// rule's docs page names must be one measured for that rule.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/facts/extract.js';
import { blocksReads, blocksWrites, fromPgLocksMode, LOCK_MODES, lockLevel, lockOf, strongest, type LockMode } from '../../src/facts/locks.js';
import { readSql } from '../../src/facts/changes/from-sql.js';
import { lintDir } from '../rules/helpers.js';
import { createDatabase, dropDatabase, pg as pgSettings, PYTHON, REPO, requirePostgres, run, type Db } from './helpers.js';

const ROWS = 2000;

// ------------------------------------------------------------------------------------------
// Connections and measurement
// ------------------------------------------------------------------------------------------

type Work = 'scan' | 'rewrite' | 'build';

interface Measured {
  sql: string;
  /** Strongest lock the migration's connection holds on the table right after the statement. */
  held: LockMode | null;
  work: Work[];
  /** A plain SELECT / an INSERT from another connection waited for the lock (null: not probed). */
  readsWait: boolean | null;
  writesWait: boolean | null;
  /** PostgreSQL proved SET NOT NULL from a valid check constraint instead of scanning. */
  provedByConstraint: boolean;
}

async function connect(db: Db): Promise<pg.Client> {
  const c = new pg.Client({ host: pgSettings.host, port: Number(pgSettings.port), user: pgSettings.user, password: pgSettings.password, database: db.name });
  await c.connect();
  return c;
}

function workOf(notices: string[], table: string): Work[] {
  const out = new Set<Work>();
  for (const n of notices) {
    if (n.startsWith(`rewriting table "${table}"`)) out.add('rewrite');
    else if (n.startsWith(`verifying table "${table}"`) || n.startsWith('validating foreign key constraint')) out.add('scan');
    else if (new RegExp(`^building index ".*" on table "${table}"`).test(n)) out.add('build');
  }
  return [...out].sort();
}

async function heldBy(observer: pg.Client, pid: number, oid: number): Promise<LockMode | null> {
  const r = await observer.query<{ mode: string }>(
    "SELECT mode FROM pg_locks WHERE pid = $1 AND locktype = 'relation' AND relation = $2 AND granted",
    [pid, oid],
  );
  return strongest(r.rows.map((row) => fromPgLocksMode(row.mode)));
}

/** Whether `sql` waits for a lock (lock_timeout fires) from the observer's connection. */
async function waits(observer: pg.Client, sql: string): Promise<boolean> {
  await observer.query('BEGIN');
  try {
    await observer.query("SET LOCAL lock_timeout = '300ms'");
    await observer.query(sql);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === '55P03';
  } finally {
    await observer.query('ROLLBACK');
  }
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Probes on a table that other sessions can see (not one the open transaction just created). */
async function probes(observer: pg.Client, table: string, visible: boolean): Promise<{ readsWait: boolean | null; writesWait: boolean | null }> {
  if (!visible) return { readsWait: null, writesWait: null };
  const t = quoteIdent(table);
  return {
    readsWait: await waits(observer, `SELECT 1 FROM ${t} LIMIT 1`),
    // Parse analysis takes ROW EXCLUSIVE before any constraint is checked: a NOT NULL failure means it got through.
    writesWait: await waits(observer, `INSERT INTO ${t} DEFAULT VALUES`),
  };
}

async function tableOid(c: pg.Client, table: string): Promise<number | null> {
  const r = await c.query<{ oid: number | null }>('SELECT to_regclass($1)::oid AS oid', [table]);
  return r.rows[0]?.oid ?? null;
}

/**
 * Runs a script the way Alembic runs it (BEGIN/COMMIT as written; outside a transaction each statement
 * on its own), measuring the table after each statement while its transaction is still open.
 * CONCURRENTLY statements cannot run in a transaction: they are caught mid-way, while they wait for a
 * transaction that holds the table open.
 */
async function replay(db: Db, script: string[], table: string): Promise<Measured[]> {
  const mig = await connect(db);
  const observer = await connect(db);
  const holder = await connect(db);
  const notices: string[] = [];
  mig.on('notice', (n) => notices.push(n.message ?? ''));
  const out: Measured[] = [];
  try {
    await mig.query('SET client_min_messages = debug1');
    const pid = (await mig.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    let inTx = false;
    for (const sql of script) {
      const verb = sql.trim().toUpperCase();
      if (verb === 'BEGIN') {
        await mig.query('BEGIN');
        inTx = true;
        continue;
      }
      if (verb === 'COMMIT') {
        await mig.query('COMMIT');
        inTx = false;
        continue;
      }
      const before = await tableOid(observer, table);
      notices.length = 0;
      const concurrent = /\bCONCURRENTLY\b/i.test(sql);
      if (concurrent && !inTx) {
        out.push(await caughtMidway(mig, observer, holder, pid, sql, table, notices));
        continue;
      }
      // Outside a transaction (an autocommit block) the statement is its own transaction: same locks.
      if (!inTx) await mig.query('BEGIN');
      await mig.query(sql);
      const oid = before ?? (await tableOid(mig, table));
      const held = oid === null ? null : await heldBy(observer, pid, oid);
      const p = await probes(observer, table, before !== null);
      out.push({ sql, held, work: workOf(notices, table), ...p, provedByConstraint: notices.some((n) => n.includes('are sufficient to prove')) });
      if (!inTx) await mig.query('COMMIT');
    }
    if (inTx) await mig.query('ROLLBACK');
  } finally {
    await Promise.all([mig.end(), observer.end(), holder.end()]);
  }
  return out;
}

async function caughtMidway(
  mig: pg.Client,
  observer: pg.Client,
  holder: pg.Client,
  pid: number,
  sql: string,
  table: string,
  notices: string[],
): Promise<Measured> {
  const t = quoteIdent(table);
  const col = quoteIdent(await firstColumn(holder, table));
  // A writer's open transaction: CONCURRENTLY waits for it after taking its table lock.
  await holder.query('BEGIN');
  await holder.query(`UPDATE ${t} SET ${col} = ${col} WHERE ctid = (SELECT min(ctid) FROM ${t})`);
  const oid = (await tableOid(observer, table))!;
  const running = mig.query(sql);
  let held: LockMode | null = null;
  for (let i = 0; i < 200 && held === null; i++) {
    const waiting = await observer.query<{ w: string | null }>('SELECT wait_event_type AS w FROM pg_stat_activity WHERE pid = $1', [pid]);
    if (waiting.rows[0]?.w === 'Lock') held = await heldBy(observer, pid, oid);
    if (held === null) await new Promise((r) => setTimeout(r, 50));
  }
  const p = await probes(observer, table, true);
  await holder.query('ROLLBACK');
  await running;
  return { sql, held, work: workOf(notices, table), ...p, provedByConstraint: false };
}

async function firstColumn(c: pg.Client, table: string): Promise<string> {
  const r = await c.query<{ attname: string }>(
    'SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum LIMIT 1',
    [table],
  );
  return r.rows[0]!.attname;
}

/** Fills every table of the public schema with ROWS rows, referenced tables first. */
async function seed(db: Db): Promise<void> {
  const c = await connect(db);
  try {
    const cols = await c.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; max: number | null }>(
      `SELECT table_name, column_name, data_type, is_nullable, column_default, character_maximum_length AS max
         FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> 'alembic_version'
        ORDER BY table_name, ordinal_position`,
    );
    const fks = await c.query<{ tbl: string; col: string; ref: string; refcol: string }>(
      `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col, c.confrelid::regclass::text AS ref, ra.attname AS refcol
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
    );
    const tables = [...new Set(cols.rows.map((r) => r.table_name))];
    tables.sort((a, b) => Number(fks.rows.some((f) => f.tbl === a && f.ref === b)) - Number(fks.rows.some((f) => f.tbl === b && f.ref === a)));
    for (const t of tables) {
      const names: string[] = [];
      const exprs: string[] = [];
      for (const col of cols.rows.filter((r) => r.table_name === t)) {
        if (col.column_default !== null) continue;
        const fk = fks.rows.find((f) => f.tbl === t && f.col === col.column_name);
        let e: string;
        if (fk) e = `(SELECT min(${quoteIdent(fk.refcol)}) FROM ${quoteIdent(fk.ref)})`;
        else if (/int|numeric|double|real/.test(col.data_type)) e = 'g';
        else if (/char|text/.test(col.data_type)) e = `left('v' || g, ${col.max ?? 100})`;
        else if (col.data_type === 'boolean') e = 'true';
        else if (col.data_type === 'uuid') e = 'gen_random_uuid()';
        else if (col.data_type.startsWith('timestamp') || col.data_type === 'date') e = 'now()';
        else if (col.is_nullable === 'YES') continue;
        else throw new Error(`seed: no value for ${t}.${col.column_name} (${col.data_type})`);
        names.push(quoteIdent(col.column_name));
        exprs.push(e);
      }
      await c.query(`INSERT INTO ${quoteIdent(t)} (${names.join(', ')}) SELECT ${exprs.join(', ')} FROM generate_series(1, ${ROWS}) g`);
    }
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

/** Splits rendered SQL into statements (Alembic ends each with `;` and a blank line), minus its bookkeeping. */
function statements(script: string): string[] {
  const out: string[] = [];
  for (const raw of script.split(/;\s*\n/)) {
    const s = raw.replace(/^\s*--.*$/gm, '').trim();
    if (!s || /alembic_version/i.test(s)) continue;
    out.push(s);
  }
  // PostgreSQL's parser agrees on the statements (BEGIN/COMMIT included).
  const parsed = readSql(out.map((s) => `${s};`).join('\n'));
  expect(parsed?.length, `PostgreSQL's reading of the rendered SQL:\n${script}`).toBe(out.length);
  return out;
}

// ------------------------------------------------------------------------------------------
// What the docs table collects
// ------------------------------------------------------------------------------------------

interface OpRow {
  name: string;
  rules: string[];
  sql: string;
  claimed: LockMode | null;
  measured: Measured;
}

interface RuleRow {
  rule: string;
  kase: string;
  measured: Measured;
}

const opRows: OpRow[] = [];
const ruleRows: RuleRow[] = [];
const extraModes = new Map<string, Set<LockMode>>();

function note(rule: string, mode: LockMode | null): void {
  if (!mode) return;
  const set = extraModes.get(rule) ?? new Set<LockMode>();
  set.add(mode);
  extraModes.set(rule, set);
}

// ------------------------------------------------------------------------------------------
// 1. Operations
// ------------------------------------------------------------------------------------------

const BASE_SCHEMA = `
  CREATE TABLE team (id serial PRIMARY KEY, name varchar NOT NULL);
  CREATE TABLE hero (id serial PRIMARY KEY, name varchar NOT NULL, secret_name varchar NOT NULL, age integer, team_id integer);
`;

interface OpCase {
  name: string;
  py: string;
  table?: string;
  setup?: string;
  rules?: string[];
}

const OPS: OpCase[] = [
  { name: 'add_column', py: "op.add_column('hero', sa.Column('power', sa.String(), nullable=True))", rules: ['missing-lock-timeout'] },
  {
    name: 'add_column (volatile server_default)',
    py: "op.add_column('hero', sa.Column('uid', postgresql.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=True))",
    rules: ['volatile-default'],
  },
  { name: 'alter_column (nullable=False)', py: "op.alter_column('hero', 'age', existing_type=sa.Integer(), nullable=False)", rules: ['set-not-null'] },
  { name: 'alter_column (type_)', py: "op.alter_column('hero', 'age', existing_type=sa.Integer(), type_=sa.BigInteger())", rules: ['column-type-change'] },
  { name: 'alter_column (server_default)', py: "op.alter_column('hero', 'age', server_default=sa.text('0'))", rules: ['volatile-default'] },
  { name: 'alter_column (comment only)', py: "op.alter_column('hero', 'name', existing_type=sa.String(), comment='the name')" },
  { name: 'bulk_insert', py: "op.bulk_insert(sa.table('hero', sa.column('name', sa.String()), sa.column('secret_name', sa.String())), [{'name': 'a', 'secret_name': 'b'}])" },
  { name: 'create_check_constraint', py: "op.create_check_constraint('ck_hero_age', 'hero', 'age > 0')", rules: ['constraint-validated-under-lock'] },
  {
    name: 'create_check_constraint (NOT VALID)',
    py: "op.create_check_constraint('ck_hero_age', 'hero', 'age > 0', postgresql_not_valid=True)",
    rules: ['constraint-validated-under-lock', 'set-not-null'],
  },
  { name: 'create_exclude_constraint', py: "op.create_exclude_constraint('ex_hero_name', 'hero', ('name', '='), using='btree')" },
  {
    name: 'create_foreign_key',
    py: "op.create_foreign_key('fk_hero_team', 'hero', 'team', ['team_id'], ['id'])",
    rules: ['constraint-validated-under-lock', 'missing-lock-timeout'],
  },
  {
    name: 'create_foreign_key (NOT VALID)',
    py: "op.create_foreign_key('fk_hero_team', 'hero', 'team', ['team_id'], ['id'], postgresql_not_valid=True)",
    rules: ['constraint-validated-under-lock'],
  },
  { name: 'create_index', py: "op.create_index('ix_hero_name', 'hero', ['name'])", rules: ['index-not-concurrent', 'missing-lock-timeout'] },
  {
    name: 'create_index (postgresql_concurrently=True)',
    py: "op.create_index('ix_hero_name', 'hero', ['name'], postgresql_concurrently=True)",
    rules: ['index-not-concurrent', 'unique-on-existing-table'],
  },
  { name: 'create_primary_key', py: "op.create_primary_key('pk_hero', 'hero', ['id'])", setup: 'ALTER TABLE hero DROP CONSTRAINT hero_pkey', rules: ['unique-on-existing-table'] },
  { name: 'create_table', py: "op.create_table('sidekick', sa.Column('id', sa.Integer(), primary_key=True))", table: 'sidekick' },
  { name: 'create_table_comment', py: "op.create_table_comment('hero', 'heroes')" },
  { name: 'create_unique_constraint', py: "op.create_unique_constraint('uq_hero_name', 'hero', ['name'])", rules: ['unique-on-existing-table'] },
  { name: 'drop_column', py: "op.drop_column('hero', 'age')" },
  { name: 'drop_constraint', py: "op.drop_constraint('ck_hero_age', 'hero', type_='check')", setup: 'ALTER TABLE hero ADD CONSTRAINT ck_hero_age CHECK (age > 0)' },
  { name: 'drop_index', py: "op.drop_index('ix_hero_name', table_name='hero')", setup: 'CREATE INDEX ix_hero_name ON hero (name)', rules: ['index-not-concurrent'] },
  {
    name: 'drop_index (postgresql_concurrently=True)',
    py: "op.drop_index('ix_hero_name', table_name='hero', postgresql_concurrently=True)",
    setup: 'CREATE INDEX ix_hero_name ON hero (name)',
    rules: ['index-not-concurrent'],
  },
  { name: 'drop_table', py: "op.drop_table('hero')" },
  { name: 'drop_table_comment', py: "op.drop_table_comment('hero')", setup: "COMMENT ON TABLE hero IS 'heroes'" },
  { name: 'rename_table', py: "op.rename_table('hero', 'champion')" },
  {
    name: 'execute: VALIDATE CONSTRAINT',
    py: "op.execute('ALTER TABLE hero VALIDATE CONSTRAINT ck_hero_age')",
    setup: 'ALTER TABLE hero ADD CONSTRAINT ck_hero_age CHECK (age > 0) NOT VALID',
    rules: ['constraint-validated-under-lock', 'set-not-null'],
  },
  { name: 'execute: SET NOT NULL', py: "op.execute('ALTER TABLE hero ALTER COLUMN age SET NOT NULL')", rules: ['set-not-null'] },
  {
    name: 'execute: ADD CONSTRAINT … UNIQUE USING INDEX',
    py: "op.execute('ALTER TABLE hero ADD CONSTRAINT uq_hero_name UNIQUE USING INDEX uq_hero_name')",
    setup: 'CREATE UNIQUE INDEX uq_hero_name ON hero (name)',
    rules: ['unique-on-existing-table'],
  },
  { name: 'execute: SET STATISTICS', py: "op.execute('ALTER TABLE hero ALTER COLUMN age SET STATISTICS 500')" },
  { name: 'execute: SET (fillfactor)', py: "op.execute('ALTER TABLE hero SET (fillfactor = 70)')" },
  { name: 'execute: UPDATE', py: "op.execute('UPDATE hero SET age = 0 WHERE age IS NULL')" },
  { name: 'execute: LOCK TABLE … IN SHARE MODE', py: "op.execute('LOCK TABLE hero IN SHARE MODE')" },
];

// Renders each snippet with Alembic's real operations in offline (--sql) mode for PostgreSQL.
const RENDER_PY = `
import io, json, sys
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic.migration import MigrationContext
from alembic.operations import Operations
out = []
for snippet in json.load(sys.stdin):
    buf = io.StringIO()
    ctx = MigrationContext.configure(dialect_name='postgresql', opts={'as_sql': True, 'output_buffer': buf})
    exec(snippet, {'op': Operations(ctx), 'sa': sa, 'postgresql': postgresql})
    out.append(buf.getvalue())
print(json.dumps(out))
`;

function renderOps(snippets: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', RENDER_PY], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as string[]) : reject(new Error(`rendering failed (${code}):\n${stderr}`))));
    child.stdin.end(JSON.stringify(snippets));
  });
}

function parseOp(py: string) {
  const facts = extractFacts(`from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n    ${py}\n`);
  expect(facts.operations, py).toHaveLength(1);
  return facts.operations[0]!;
}

describe('lock of every Alembic operation, measured in pg_locks', () => {
  let rendered: string[] = [];
  // One database for these cases; each starts from a fresh public schema.
  let db: Db;
  beforeAll(async () => {
    await requirePostgres();
    rendered = await renderOps(OPS.map((o) => o.py));
    db = await createDatabase();
  });
  afterAll(async () => {
    if (db) await dropDatabase(db);
  });

  for (const [i, c] of OPS.entries()) {
    it(c.name, async () => {
      const op = parseOp(c.py);
      const claimed = lockOf(op);
      const sqls = rendered[i]!.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean);
      expect(sqls.length, `${c.name} renders one statement:\n${rendered[i]}`).toBe(1);
      await db.sql(`DROP SCHEMA public CASCADE; CREATE SCHEMA public; ${BASE_SCHEMA}`);
      await seed(db);
      if (c.setup) await db.sql(c.setup);
      const [m] = await replay(db, sqls, c.table ?? 'hero');
      opRows.push({ name: c.name, rules: c.rules ?? [], sql: sqls[0]!, claimed, measured: m! });
      for (const r of c.rules ?? []) note(r, m!.held);
      expect(m!.held, `pg_locks for ${sqls[0]}`).not.toBeNull();
      expect(claimed, `lockOf(${c.py}) vs pg_locks for ${sqls[0]}`).toBe(m!.held);
      if (m!.readsWait !== null) {
        expect(m!.readsWait, `a SELECT waits behind ${m!.held}`).toBe(blocksReads(m!.held!));
        expect(m!.writesWait, `an INSERT waits behind ${m!.held}`).toBe(blocksWrites(m!.held!));
      }
    });
  }
});

// ------------------------------------------------------------------------------------------
// 2. Rules: bad fixture vs safe twin
// ------------------------------------------------------------------------------------------

interface FixtureProject {
  dir: string;
  cwd: string;
  db: Db;
  alembic(...args: string[]): Promise<{ code: number; output: string; stdout: string }>;
  /** Revisions in file order (the fixtures are linear): [parent..., target]. */
  revisions: string[];
  cleanup(): Promise<void>;
}

function revisionsOf(caseDir: string): string[] {
  const versions = path.join(caseDir, 'alembic', 'versions');
  const files = readdirSync(versions).filter((f) => f.endsWith('.py'));
  const byRev = new Map<string, string | null>();
  for (const f of files) {
    const text = readFileSync(path.join(versions, f), 'utf8');
    const rev = /^revision\s*(?::[^=]*)?=\s*'([^']+)'/m.exec(text)?.[1];
    const down = /^down_revision\s*(?::[^=]*)?=\s*(?:'([^']+)'|None)/m.exec(text);
    if (rev) byRev.set(rev, down?.[1] ?? null);
  }
  const order: string[] = [];
  let cur = [...byRev.entries()].find(([, d]) => d === null)?.[0];
  while (cur) {
    order.push(cur);
    cur = [...byRev.entries()].find(([, d]) => d === cur)?.[0];
  }
  return order;
}

async function openFixture(rule: string, kase: string): Promise<FixtureProject> {
  const src = path.join(REPO, 'fixtures', 'rules', rule, kase);
  const tmp = mkdtempSync(path.join(tmpdir(), 'ml-locks-'));
  const dir = path.join(tmp, kase);
  cpSync(src, dir, { recursive: true });
  const db = await createDatabase();
  const env = { ...process.env, MIGRATION_LINT_DATABASE_URL: db.url, PYTHONDONTWRITEBYTECODE: '1' };
  return {
    dir: src,
    cwd: dir,
    db,
    alembic: (...args) => run(PYTHON, ['-m', 'alembic', ...args], { cwd: dir, env }),
    revisions: revisionsOf(src),
    cleanup: async () => {
      await dropDatabase(db);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** The rule's diagnostics on the committed fixture, with the lock mode each message names. */
function claims(rule: string, kase: string): { line: number; mode: LockMode | null; message: string }[] {
  const byLength = [...LOCK_MODES].sort((a, b) => b.length - a.length);
  return lintDir(path.join(REPO, 'fixtures', 'rules', rule, kase))
    .diagnostics.filter((d) => d.rule === rule)
    .map((d) => ({ line: d.line, message: d.message, mode: byLength.find((m) => d.message.includes(m)) ?? null }));
}

interface RuleCase {
  rule: string;
  bad: string[];
  good: string[];
  table: string;
  /** The work the flagged statement does under its lock. */
  work: Work;
}

const RULES: RuleCase[] = [
  { rule: 'index-not-concurrent', bad: ['bad', 'bad-sql'], good: ['good'], table: 'hero', work: 'build' },
  { rule: 'constraint-validated-under-lock', bad: ['bad', 'bad-check'], good: ['good'], table: 'hero', work: 'scan' },
  { rule: 'set-not-null', bad: ['bad'], good: ['good'], table: 'hero', work: 'scan' },
  { rule: 'column-type-change', bad: ['bad'], good: ['good'], table: 'hero', work: 'rewrite' },
  { rule: 'volatile-default', bad: ['bad'], good: ['good', 'good-stable'], table: 'hero', work: 'rewrite' },
  { rule: 'unique-on-existing-table', bad: ['bad'], good: ['good'], table: 'hero', work: 'build' },
];

async function measureFixture(rule: string, kase: string, table: string): Promise<Measured[]> {
  const p = await openFixture(rule, kase);
  try {
    const [target, parent] = [p.revisions[p.revisions.length - 1]!, p.revisions[p.revisions.length - 2]!];
    const up = await p.alembic('upgrade', parent);
    expect(up.code, `alembic upgrade ${parent}:\n${up.output}`).toBe(0);
    await seed(p.db);
    const sql = await p.alembic('upgrade', `${parent}:${target}`, '--sql');
    expect(sql.code, `alembic upgrade --sql:\n${sql.output}`).toBe(0);
    const measured = await replay(p.db, statements(sql.stdout), table);
    for (const m of measured) ruleRows.push({ rule, kase, measured: m });
    return measured;
  } finally {
    await p.cleanup();
  }
}

describe('each rule: the bad fixture does its work under the claimed lock, the safe twin under a weaker one', () => {
  beforeAll(requirePostgres);

  for (const rc of RULES) {
    for (const kase of rc.bad) {
      it(`${rc.rule}/${kase}`, async () => {
        const claimed = claims(rc.rule, kase);
        expect(claimed.length, `${rc.rule} fires on ${kase}`).toBeGreaterThan(0);
        const measured = await measureFixture(rc.rule, kase, rc.table);
        const working = measured.filter((m) => m.work.includes(rc.work));
        expect(working.length, `a statement that does the ${rc.work}:\n${JSON.stringify(measured, null, 2)}`).toBeGreaterThan(0);
        for (const c of claimed) {
          expect(c.mode, `the message names a lock mode: ${c.message}`).not.toBeNull();
          expect(working.map((m) => m.held), `held during the ${rc.work} vs "${c.message}"`).toContain(c.mode);
          note(rc.rule, c.mode);
        }
        for (const m of working) {
          expect(m.writesWait, `writes wait during: ${m.sql}`).toBe(true);
          expect(m.readsWait, `reads wait during ${m.sql} (${m.held})`).toBe(blocksReads(m.held!));
        }
      });
    }
    for (const kase of rc.good) {
      it(`${rc.rule}/${kase}`, async () => {
        expect(claims(rc.rule, kase)).toEqual([]);
        const measured = await measureFixture(rc.rule, kase, rc.table);
        for (const m of measured) {
          note(rc.rule, m.held);
          if (m.work.length === 0) continue;
          expect(blocksWrites(m.held!), `${m.sql} does ${m.work.join('+')} under ${m.held}`).toBe(false);
          expect(m.writesWait, `writes go on during: ${m.sql}`).toBe(false);
          expect(m.readsWait, `reads go on during: ${m.sql}`).toBe(false);
        }
        const bad = ruleRows.filter((r) => r.rule === rc.rule && r.kase === 'bad' && r.measured.work.includes(rc.work));
        const worst = strongest(measured.filter((m) => m.work.length > 0).map((m) => m.held));
        if (worst && bad[0]?.measured.held) expect(lockLevel(worst)).toBeLessThan(lockLevel(bad[0].measured.held));
        if (rc.rule === 'set-not-null') {
          const setNotNull = measured.find((m) => /SET NOT NULL/.test(m.sql))!;
          expect(setNotNull.work, 'SET NOT NULL after a valid check scans nothing').toEqual([]);
          expect(setNotNull.provedByConstraint).toBe(true);
        }
        if (rc.rule === 'constraint-validated-under-lock') {
          const add = measured.find((m) => /NOT VALID/.test(m.sql))!;
          expect(add.work, 'the NOT VALID add checks no row').toEqual([]);
        }
      });
    }
  }
});

// ------------------------------------------------------------------------------------------
// 3. What `alembic upgrade` does
// ------------------------------------------------------------------------------------------

describe('concurrent-index-in-transaction: the bad file fails under alembic upgrade, the fixed one passes', () => {
  beforeAll(requirePostgres);

  it('bad: CREATE INDEX CONCURRENTLY cannot run inside a transaction block', async () => {
    const p = await openFixture('concurrent-index-in-transaction', 'bad');
    try {
      const r = await p.alembic('upgrade', 'head');
      expect(r.code, r.output).not.toBe(0);
      expect(r.output).toContain('CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
      expect(claims('concurrent-index-in-transaction', 'bad')).toHaveLength(1);
    } finally {
      await p.cleanup();
    }
  });

  it('good: inside autocommit_block() the upgrade passes and the index is valid', async () => {
    const p = await openFixture('concurrent-index-in-transaction', 'good');
    try {
      const r = await p.alembic('upgrade', 'head');
      expect(r.code, r.output).toBe(0);
      expect(await p.db.sql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_hero_name'::regclass")).toBe('t');
      expect(claims('concurrent-index-in-transaction', 'good')).toEqual([]);
    } finally {
      await p.cleanup();
    }
  });
});

describe('missing-lock-timeout: behind an open transaction that read the table', () => {
  beforeAll(requirePostgres);

  /** Holds ACCESS SHARE on hero (an open transaction that read it), runs `alembic upgrade head`, watches. */
  async function behindReader(kase: string): Promise<{ code: number | null; output: string; seconds: number; probeQueued: boolean }> {
    const p = await openFixture('missing-lock-timeout', kase);
    const reader = await connect(p.db);
    const observer = await connect(p.db);
    try {
      const [target, parent] = [p.revisions[p.revisions.length - 1]!, p.revisions[p.revisions.length - 2]!];
      expect((await p.alembic('upgrade', parent)).code).toBe(0);
      await seed(p.db);
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM hero');
      const started = Date.now();
      const child = spawn(PYTHON, ['-m', 'alembic', 'upgrade', target], {
        cwd: p.cwd,
        env: { ...process.env, MIGRATION_LINT_DATABASE_URL: p.db.url, PYTHONDONTWRITEBYTECODE: '1' },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Wait until the migration is queued for its lock, then see whether a plain SELECT queues behind it.
      let queued = false;
      // Up to 30 s: on a loaded machine Python and Alembic take seconds to start.
      for (let i = 0; i < 600 && !queued; i++) {
        const r = await observer.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
        queued = r.rows[0]!.n > 0;
        if (!queued) await new Promise((res) => setTimeout(res, 50));
      }
      expect(queued, 'the migration waits for its lock').toBe(true);
      const probeQueued = await waits(observer, 'SELECT 1 FROM hero LIMIT 1');
      // Give it well past the 5s timeout of the good twins.
      const timeout = new Promise<'running'>((res) => setTimeout(() => res('running'), 8000));
      const first = await Promise.race([exited, timeout]);
      const seconds = (Date.now() - started) / 1000;
      await reader.query('ROLLBACK');
      const code = first === 'running' ? null : first;
      await exited;
      return { code, output, seconds, probeQueued };
    } finally {
      await Promise.all([reader.end(), observer.end()]);
      await p.cleanup();
    }
  }

  it('bad: without lock_timeout the upgrade waits indefinitely and reads queue behind it', async () => {
    expect(claims('missing-lock-timeout', 'bad').map((c) => c.mode)).toEqual(['ACCESS EXCLUSIVE']);
    const r = await behindReader('bad');
    expect(r.probeQueued, 'a plain SELECT queues behind the waiting ALTER TABLE').toBe(true);
    expect(r.code, `still waiting after ${r.seconds}s:\n${r.output}`).toBeNull();
    note('missing-lock-timeout', 'ACCESS EXCLUSIVE');
  });

  it('statement_timeout alone bounds the wait, but every query on the table queues behind it until then', async () => {
    const db = await createDatabase();
    const [reader, migrator, observer] = [await connect(db), await connect(db), await connect(db)];
    try {
      await reader.query('CREATE TABLE hero (id int)');
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM hero');
      await migrator.query("SET statement_timeout = '3s'");
      const started = Date.now();
      const alter = migrator.query('ALTER TABLE hero ADD COLUMN x int').then(
        () => 'passed',
        (e: Error) => e.message,
      );
      let queued = false;
      for (let i = 0; i < 40 && !queued; i++) {
        const r = await observer.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
        queued = r.rows[0]!.n > 0;
        if (!queued) await new Promise((res) => setTimeout(res, 50));
      }
      expect(queued, 'the ALTER TABLE waits for its lock').toBe(true);
      expect(await waits(observer, 'SELECT 1 FROM hero LIMIT 1'), 'a plain SELECT queues behind it').toBe(true);
      expect(await alter).toContain('canceling statement due to statement timeout');
      expect((Date.now() - started) / 1000).toBeGreaterThanOrEqual(2.9);
    } finally {
      await reader.query('ROLLBACK').catch(() => undefined);
      await Promise.all([reader.end(), migrator.end(), observer.end()]);
      await dropDatabase(db);
    }
  });

  for (const kase of ['good', 'good-env']) {
    it(`${kase}: with lock_timeout = 5s the upgrade gives up`, async () => {
      expect(claims('missing-lock-timeout', kase)).toEqual([]);
      const r = await behindReader(kase);
      expect(r.code, r.output).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.output).toContain('canceling statement due to lock timeout');
      expect(r.seconds).toBeGreaterThanOrEqual(5);
    });
  }
});

// ------------------------------------------------------------------------------------------
// The docs agree with the measurements
// ------------------------------------------------------------------------------------------

function yesNo(v: boolean | null): string {
  return v === null ? '—' : v ? 'wait' : 'go on';
}

function opsTable(): string {
  const lines = ['| operation | SQL Alembic emits | lock on the table (pg_locks) | reads | writes |', '|---|---|---|---|---|'];
  for (const c of OPS) {
    const r = opRows.find((x) => x.name === c.name);
    if (!r) continue;
    lines.push(`| \`${r.name}\` | \`${r.sql.replace(/\s+/g, ' ').replace(/\|/g, '\\|')}\` | ${r.measured.held ?? '—'} | ${yesNo(r.measured.readsWait)} | ${yesNo(r.measured.writesWait)} |`);
  }
  return lines.join('\n');
}

function rulesTable(): string {
  const lines = ['| rule | fixture | statement | lock held | work done meanwhile | reads | writes |', '|---|---|---|---|---|---|---|'];
  for (const rc of RULES) {
    for (const kase of [...rc.bad, ...rc.good]) {
      for (const r of ruleRows.filter((x) => x.rule === rc.rule && x.kase === kase)) {
        const sql = r.measured.sql.replace(/\s+/g, ' ');
        const work = r.measured.work.length ? r.measured.work.join(', ') : r.measured.provedByConstraint ? 'none (proved by the check)' : 'none';
        lines.push(`| ${rc.rule} | ${kase} | \`${sql.length > 90 ? `${sql.slice(0, 87)}…` : sql}\` | ${r.measured.held ?? '—'} | ${work} | ${yesNo(r.measured.readsWait)} | ${yesNo(r.measured.writesWait)} |`);
      }
    }
  }
  return lines.join('\n');
}

function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- measured:${name}:start -->`;
  const end = `<!-- measured:${name}:end -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i === -1 || j === -1) throw new Error(`docs/locks.md lacks the ${start} … ${end} markers`);
  return `${doc.slice(0, i + start.length)}\n${body}\n${doc.slice(j)}`;
}

describe('docs', () => {
  const docPath = path.join(REPO, 'docs', 'locks.md');

  it('docs/locks.md holds exactly the measured tables', () => {
    expect(opRows.length, 'the operations above ran').toBe(OPS.length);
    expect(new Set(ruleRows.map((r) => `${r.rule}/${r.kase}`)).size, 'the fixtures above ran').toBe(RULES.reduce((n, r) => n + r.bad.length + r.good.length, 0));
    const doc = readFileSync(docPath, 'utf8');
    const want = replaceSection(replaceSection(doc, 'operations', opsTable()), 'rules', rulesTable());
    if (process.env.UPDATE_LOCKS_DOC === '1') writeFileSync(docPath, want);
    else expect(doc, 'docs/locks.md is stale: run UPDATE_LOCKS_DOC=1 npm run test:oracle').toBe(want);
  });

  it('every lock mode a rule page names was measured for that rule', () => {
    const byLength = [...LOCK_MODES].sort((a, b) => b.length - a.length);
    for (const rule of [...RULES.map((r) => r.rule), 'concurrent-index-in-transaction', 'missing-lock-timeout']) {
      // Mode names may wrap across lines in the markdown.
      let text = readFileSync(path.join(REPO, 'docs', 'rules', `${rule}.md`), 'utf8').replace(/\s+/g, ' ');
      const named = new Set<LockMode>();
      for (const m of byLength) {
        if (text.includes(m)) named.add(m);
        text = text.split(m).join(' ');
      }
      const measured = extraModes.get(rule) ?? new Set<LockMode>();
      for (const m of named) expect(measured.has(m), `docs/rules/${rule}.md names ${m}; measured for it: ${[...measured].join(', ')}`).toBe(true);
    }
  });
});
