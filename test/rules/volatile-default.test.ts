import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { mini } from './helpers.js';
import { BASE_FILE, lintLock, next, NEXT_FILE, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'volatile-default';
const add = (col: string) => `    op.add_column('hero', ${col})`;

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports gen_random_uuid() through sa.text', () => {
    const line = add("sa.Column('uid', sa.String(), server_default=sa.text('gen_random_uuid()'))");
    expect(lintLockIds(RULE, [line])).toEqual([onId(RULE, 10, 5, line.length + 1, 'volatile', { column: "'uid'", table: "'hero'", function: 'gen_random_uuid' })]);
  });

  it.each([
    ["sa.text('clock_timestamp()')", 'clock_timestamp'],
    ["sa.text(\"nextval('hero_seq'::regclass)\")", 'nextval'],
    ["sa.text('(random() * 10)::int')", 'random'],
    ['sa.func.uuid_generate_v4()', 'uuid_generate_v4'],
  ])('reports server_default=%s', (def, fn) => {
    expect(lintLockIds(RULE, [add(`sa.Column('x', sa.String(), server_default=${def})`)]).map(said)).toEqual([byId(RULE, 'volatile', { column: "'x'", table: "'hero'", function: fn })]);
  });

  it.each([["sa.text('now()')"], ["'active'"], ["sa.text('CURRENT_TIMESTAMP')"], ["sa.text('0')"], ['None']])('keeps quiet for server_default=%s', (def) => {
    expect(lintLock(RULE, [add(`sa.Column('x', sa.String(), server_default=${def})`)])).toEqual([]);
  });

  it('leaves identity and SERIAL columns to rewriting-column-add, and reports a user-defined function (volatile unless declared otherwise)', () => {
    expect(lintLock(RULE, [add("sa.Column('n', sa.Integer(), sa.Identity(), nullable=False)")])).toEqual([]);
    expect(lintLockIds(RULE, [add("sa.Column('code', sa.String(), server_default=sa.text('make_code()'))")]).map(said)).toEqual([
      byId(RULE, 'volatile', { column: "'code'", table: "'hero'", function: 'make_code' }),
    ]);
  });

  it('leaves new tables alone', () => {
    expect(lintLock(RULE, [add("sa.Column('uid', sa.String(), server_default=sa.text('gen_random_uuid()'))")], [])).toEqual([]);
  });

  it('reads ADD COLUMN … DEFAULT in SQL (serial is rewriting-column-add\'s)', () => {
    const found = lintLockIds(RULE, [
      "    op.execute('ALTER TABLE hero ADD COLUMN uid uuid DEFAULT gen_random_uuid()')",
      "    op.execute('ALTER TABLE hero ADD COLUMN created timestamptz NOT NULL DEFAULT now()')",
      "    op.execute('ALTER TABLE hero ADD COLUMN n bigserial')",
    ]);
    expect(found.map((f) => ({ line: f.line, ...said(f) }))).toEqual([{ line: 10, ...byId(RULE, 'sqlVolatile', { column: "'uid'", table: "'hero'", function: 'gen_random_uuid' }) }]);
  });

  describe('a function of the user\'s, judged by its declaration in the history', () => {
    /** hero in a first revision that also runs `sql`, then a revision adding a column whose default calls make_code(). */
    const history = (sql: string[], def = "sa.text('make_code()')") => ({
      [BASE_FILE]: mini({
        rev: 'a1a1a1a1a1a1',
        upgrade: [
          "    op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))",
          ...sql.map((q) => `    op.execute(${JSON.stringify(q)})`),
        ],
      }),
      [NEXT_FILE]: next([add(`sa.Column('code', sa.String(), server_default=${def})`)]),
    });
    const MAKE_CODE = byId(RULE, 'volatile', { column: "'code'", table: "'hero'", function: 'make_code' });
    const fn = (volatility: string) => `CREATE OR REPLACE FUNCTION app.make_code() RETURNS text LANGUAGE plpgsql ${volatility} AS 'BEGIN RETURN 1; END'`;

    it('is silent when an earlier revision declares it IMMUTABLE or STABLE (in CREATE FUNCTION or ALTER FUNCTION)', () => {
      expect(lintLock(RULE, history([fn('IMMUTABLE')]))).toEqual([]);
      expect(lintLock(RULE, history([fn('STABLE')]))).toEqual([]);
      expect(lintLock(RULE, history([fn(''), 'ALTER FUNCTION app.make_code() STABLE']))).toEqual([]);
      expect(lintLock(RULE, history([fn('IMMUTABLE')], 'sa.func.make_code()'))).toEqual([]);
    });

    it('reports it when declared VOLATILE, declared without a volatility (PostgreSQL\'s default), or not declared at all', () => {
      for (const sql of [[fn('VOLATILE')], [fn('')], [], [fn('IMMUTABLE'), 'ALTER FUNCTION app.make_code() VOLATILE']]) {
        expect(lintLockIds(RULE, history(sql)).map(said), sql.join('; ')).toEqual([MAKE_CODE]);
      }
    });

    it('does not take a declaration from a later revision', () => {
      const versions = {
        ...history([]),
        'c3c3c3c3c3c3_declare.py': mini({ rev: 'c3c3c3c3c3c3', down: "'b2b2b2b2b2b2'", message: 'declare', upgrade: [`    op.execute(${JSON.stringify(fn('IMMUTABLE'))})`] }),
      };
      expect(lintLockIds(RULE, versions).map(said)).toEqual([MAKE_CODE]);
    });

    it('keeps a built-in volatile call beside a declared one volatile', () => {
      expect(lintLockIds(RULE, history([fn('IMMUTABLE')], "sa.text('make_code() || random()::text')")).map((f) => f.messageId)).toEqual(['volatile']);
    });
  });
});
