import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'unique-on-existing-table';
const UQ = "    op.create_unique_constraint('uq_hero_name', 'hero', ['name'])";

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports create_unique_constraint and create_primary_key on an existing table, with the recipe in help', () => {
    expect(lintLockIds(RULE, [UQ])).toEqual([onId(RULE, 10, 5, UQ.length + 1, 'unique', { name: "'uq_hero_name'", table: "'hero'" })]);
    expect(lintLockIds(RULE, ["    op.create_primary_key('pk_hero', 'hero', ['id'])"]).map(said)).toEqual([byId(RULE, 'primaryKey', { name: "'pk_hero'", table: "'hero'" })]);
  });

  it('leaves new tables alone', () => {
    expect(lintLock(RULE, [UQ], [])).toEqual([]);
  });

  it('accepts the recipe: concurrent unique index, then ADD CONSTRAINT … USING INDEX', () => {
    const recipe = [
      '    with op.get_context().autocommit_block():',
      "        op.create_index('uq_hero_name', 'hero', ['name'], unique=True, postgresql_concurrently=True)",
      "    op.execute('ALTER TABLE hero ADD CONSTRAINT uq_hero_name UNIQUE USING INDEX uq_hero_name')",
    ];
    expect(lintLock(RULE, recipe)).toEqual([]);
  });

  it('reads ADD CONSTRAINT UNIQUE / PRIMARY KEY in SQL', () => {
    const found = lintLockIds(RULE, ["    op.execute('ALTER TABLE hero ADD CONSTRAINT uq UNIQUE (name), ADD PRIMARY KEY (id)')"]);
    expect(found.map(said)).toEqual([byId(RULE, 'sqlUnique', { name: "'uq'", table: "'hero'" }), byId(RULE, 'sqlPrimaryKey', { name: '?', table: "'hero'" })]);
  });
});
