import { describe, expect, it } from 'vitest';
import { lockBlocks } from '../../src/facts/locks.js';
import { fixtureSuite } from './fixture-suite.js';
import { byId, said } from './message-ids.js';
import { BASE_FILE, lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'constraint-validated-under-lock';
const FK = "    op.create_foreign_key('fk_hero_team', 'hero', 'team', ['team_id'], ['id'])";

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports a foreign key on an existing table, with the recipe for its names in help', () => {
    const lock = { lock: 'a SHARE ROW EXCLUSIVE', tables: "'hero' and 'team'", blocks: lockBlocks('SHARE ROW EXCLUSIVE') };
    expect(lintLockIds(RULE, [FK])).toEqual([onId(RULE, 10, 5, FK.length + 1, 'add', { constraint: "foreign key 'fk_hero_team'", table: "'hero'", ...lock })]);
  });

  it('names an unnamed constraint as such', () => {
    expect(lintLockIds(RULE, ["    op.create_foreign_key(None, 'hero', 'team', ['team_id'], ['id'])"]).map(said)).toEqual([
      byId(RULE, 'add', { constraint: 'an unnamed foreign key', table: "'hero'", lock: 'a SHARE ROW EXCLUSIVE', tables: "'hero' and 'team'", blocks: lockBlocks('SHARE ROW EXCLUSIVE') }),
    ]);
  });

  it('leaves a new table alone (with a baseline, the base revision is not applied yet)', () => {
    expect(lintLock(RULE, [FK], [])).toEqual([]);
    expect(lintLock(RULE, [FK], [BASE_FILE])).toHaveLength(1);
  });

  it('accepts NOT VALID followed by VALIDATE in an autocommit block', () => {
    const found = lintLock(RULE, [
      `${FK.slice(0, -1)}, postgresql_not_valid=True)`,
      '    with op.get_context().autocommit_block():',
      "        op.execute('ALTER TABLE hero VALIDATE CONSTRAINT fk_hero_team')",
    ]);
    expect(found).toEqual([]);
  });

  it('reports VALIDATE in the same transaction as the NOT VALID add', () => {
    const validate = "    op.execute('ALTER TABLE hero VALIDATE CONSTRAINT fk_hero_team')";
    const found = lintLockIds(RULE, [`${FK.slice(0, -1)}, postgresql_not_valid=True)`, validate]);
    expect(found).toEqual([
      onId(RULE, 11, 5, validate.length + 1, 'validateSameTransaction', { constraint: "'fk_hero_team'", mode: 'SHARE ROW EXCLUSIVE', table: "'hero'", blocks: lockBlocks('SHARE ROW EXCLUSIVE') }),
    ]);
  });

  it('reads ADD CONSTRAINT in SQL: FOREIGN KEY and CHECK without NOT VALID', () => {
    const found = lintLockIds(RULE, [
      "    op.execute('ALTER TABLE hero ADD CONSTRAINT fk FOREIGN KEY (team_id) REFERENCES team (id)')",
      "    op.execute('ALTER TABLE hero ADD CONSTRAINT ck CHECK (age > 0) NOT VALID')",
      "    op.execute('ALTER TABLE hero ADD CONSTRAINT ck2 CHECK (age > 0)')",
    ]);
    expect(found.map((f) => ({ line: f.line, ...said(f) }))).toEqual([
      { line: 10, ...byId(RULE, 'sqlAdd', { constraint: "a foreign key 'fk'", table: "'hero'", lock: 'a SHARE ROW EXCLUSIVE', tables: "'hero' and 'team'", blocks: lockBlocks('SHARE ROW EXCLUSIVE') }) },
      { line: 12, ...byId(RULE, 'sqlAdd', { constraint: "a check constraint 'ck2'", table: "'hero'", lock: 'an ACCESS EXCLUSIVE', tables: "'hero'", blocks: lockBlocks('ACCESS EXCLUSIVE') }) },
    ]);
  });

  it('applies to PostgreSQL only', () => {
    expect(lintLock(RULE, [FK], null, { dialect: 'sqlite' })).toEqual([]);
  });
});
