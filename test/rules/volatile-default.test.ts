import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintLock, on } from './lock-helpers.js';

const RULE = 'volatile-default';
const add = (col: string) => `    op.add_column('hero', ${col})`;

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports gen_random_uuid() through sa.text', () => {
    const line = add("sa.Column('uid', sa.String(), server_default=sa.text('gen_random_uuid()'))");
    expect(lintLock(RULE, [line])).toEqual([on(RULE, 10, 5, line.length + 1, 'with the volatile default gen_random_uuid()')]);
  });

  it.each([
    ["sa.text('clock_timestamp()')", 'clock_timestamp'],
    ["sa.text(\"nextval('hero_seq'::regclass)\")", 'nextval'],
    ["sa.text('(random() * 10)::int')", 'random'],
    ['sa.func.uuid_generate_v4()', 'uuid_generate_v4'],
  ])('reports server_default=%s', (def, fn) => {
    expect(lintLock(RULE, [add(`sa.Column('x', sa.String(), server_default=${def})`)]).map((f) => f.message)).toEqual([expect.stringContaining(`${fn}()`)]);
  });

  it.each([["sa.text('now()')"], ["'active'"], ["sa.text('CURRENT_TIMESTAMP')"], ["sa.text('0')"], ['None']])('keeps quiet for server_default=%s', (def) => {
    expect(lintLock(RULE, [add(`sa.Column('x', sa.String(), server_default=${def})`)])).toEqual([]);
  });

  it('leaves identity and SERIAL columns to rewriting-column-add, and reports a user-defined function (volatile unless declared otherwise)', () => {
    expect(lintLock(RULE, [add("sa.Column('n', sa.Integer(), sa.Identity(), nullable=False)")])).toEqual([]);
    expect(lintLock(RULE, [add("sa.Column('code', sa.String(), server_default=sa.text('make_code()'))")]).map((f) => f.message.slice(0, 60))).toEqual([
      "Adds column 'code' to existing table 'hero' with the volatil",
    ]);
  });

  it('leaves new tables alone', () => {
    expect(lintLock(RULE, [add("sa.Column('uid', sa.String(), server_default=sa.text('gen_random_uuid()'))")], [])).toEqual([]);
  });

  it('reads ADD COLUMN … DEFAULT in SQL (serial is rewriting-column-add\'s)', () => {
    const found = lintLock(RULE, [
      "    op.execute('ALTER TABLE hero ADD COLUMN uid uuid DEFAULT gen_random_uuid()')",
      "    op.execute('ALTER TABLE hero ADD COLUMN created timestamptz NOT NULL DEFAULT now()')",
      "    op.execute('ALTER TABLE hero ADD COLUMN n bigserial')",
    ]);
    expect(found.map((f) => [f.line, f.message.slice(0, 24)])).toEqual([
      [10, "SQL adds column 'uid' to"],
    ]);
  });
});
