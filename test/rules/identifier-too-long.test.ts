import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'identifier-too-long';
const LONG = 'x'.repeat(64);

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports names over 63 bytes of tables, columns, indexes and constraints, at the call', () => {
    const ix = `    op.create_index('ix_${LONG}', 'hero', ['name'])`;
    expect(lintLockIds(RULE, [ix])).toEqual([onId(RULE, 10, 5, ix.length + 1, 'refused', { a: 'an', what: 'index', name: `'ix_${LONG}'`, bytes: 67 })]);
    const found = lintLockIds(RULE, [
      `    op.create_table('t_${LONG}', sa.Column('id', sa.Integer()))`,
      `    op.add_column('hero', sa.Column('c_${LONG}', sa.Integer()))`,
      `    op.alter_column('hero', 'age', new_column_name='a_${LONG}')`,
      `    op.create_unique_constraint('uq_${LONG}', 'hero', ['name'])`,
    ]);
    const long = (messageId: string, what: string, name: string) => byId(RULE, messageId, { a: 'a', what, name: `'${name}'`, bytes: Buffer.byteLength(name) });
    expect(found.map((f) => ({ line: f.line, ...said(f) }))).toEqual([
      { line: 10, ...long('cut', 'table', `t_${LONG}`) },
      { line: 11, ...long('cut', 'column', `c_${LONG}`) },
      { line: 12, ...long('cut', 'column', `a_${LONG}`) },
      { line: 13, ...long('refused', 'constraint', `uq_${LONG}`) },
    ]);
  });

  it('counts bytes, not characters, and leaves 63 bytes alone', () => {
    expect(lintLock(RULE, [`    op.add_column('hero', sa.Column('${'x'.repeat(63)}', sa.Integer()))`])).toEqual([]);
    expect(lintLockIds(RULE, [`    op.add_column('hero', sa.Column('${'é'.repeat(32)}', sa.Integer()))`]).map(said)).toEqual([
      byId(RULE, 'cut', { a: 'a', what: 'column', name: `'${'é'.repeat(32)}'`, bytes: 64 }),
    ]);
  });

  it('leaves the names SQLAlchemy derives from its naming convention to SQLAlchemy', () => {
    expect(lintLock(RULE, [`    op.add_column('hero', sa.Column('c_${'y'.repeat(55)}', sa.Integer(), index=True))`])).toEqual([]);
  });

  it('sees the full name in SQL, though PostgreSQL\'s scanner cuts it before the parse tree holds it', () => {
    const found = lintLockIds(RULE, [
      `    op.execute('ALTER TABLE hero ADD COLUMN c_${LONG} int')`,
      `    op.execute('CREATE INDEX IX_${LONG} ON hero (name)')`,
      `    op.execute('ALTER TABLE hero ADD CONSTRAINT "Ck_${LONG}" CHECK (age > 0)')`,
      `    op.execute('ALTER TABLE hero RENAME COLUMN name TO n_${'é'.repeat(32)}')`,
      `    op.execute('ALTER TABLE hero ADD COLUMN ${'x'.repeat(63)} int')`,
    ]);
    expect(found.map((f) => ({ line: f.line, ...said(f) }))).toEqual([
      { line: 10, ...byId(RULE, 'cut', { a: 'a', what: 'column', name: `'c_${LONG}'`, bytes: 66 }) },
      { line: 11, ...byId(RULE, 'cutDropFails', { a: 'an', what: 'index', name: `'ix_${LONG}'`, bytes: 67 }) },
      { line: 12, ...byId(RULE, 'cutDropFails', { a: 'a', what: 'constraint', name: `'Ck_${LONG}'`, bytes: 67 }) },
      { line: 13, ...byId(RULE, 'cut', { a: 'a', what: 'column', name: `'n_${'é'.repeat(32)}'`, bytes: 66 }) },
    ]);
  });
});
