import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintLock, lintLockIds, onId } from './lock-helpers.js';

const RULE = 'set-not-null';
const ALTER = "    op.alter_column('hero', 'age', existing_type=sa.INTEGER(), nullable=False)";

fixtureSuite(RULE);

describe(`${RULE}`, () => {
  it('reports alter_column(nullable=False) on an existing table', () => {
    expect(lintLockIds(RULE, [ALTER])).toEqual([onId(RULE, 10, 5, ALTER.length + 1, 'setNotNull', { column: "'age'", table: "'hero'" })]);
  });

  it('ignores nullable=True and new tables', () => {
    expect(lintLock(RULE, ["    op.alter_column('hero', 'age', nullable=True)"])).toEqual([]);
    expect(lintLock(RULE, [ALTER], [])).toEqual([]);
  });

  it('accepts the recipe: a validated CHECK (age IS NOT NULL) before the alter', () => {
    const recipe = [
      "    op.create_check_constraint('ck_hero_age_nn', 'hero', 'age IS NOT NULL', postgresql_not_valid=True)",
      '    with op.get_context().autocommit_block():',
      "        op.execute('ALTER TABLE hero VALIDATE CONSTRAINT ck_hero_age_nn')",
      ALTER,
    ];
    expect(lintLock(RULE, recipe)).toEqual([]);
  });

  it('still reports when the check is NOT VALID and never validated, or proves another column', () => {
    expect(lintLock(RULE, ["    op.create_check_constraint('ck', 'hero', 'age IS NOT NULL', postgresql_not_valid=True)", ALTER]).map((f) => f.line)).toEqual([11]);
    expect(lintLock(RULE, ["    op.create_check_constraint('ck', 'hero', 'name IS NOT NULL')", ALTER]).map((f) => f.line)).toEqual([11]);
  });

  it('reads SET NOT NULL in SQL, and a SQL check recipe', () => {
    const sql = "    op.execute('ALTER TABLE hero ALTER COLUMN age SET NOT NULL')";
    expect(lintLockIds(RULE, [sql])).toEqual([
      onId(RULE, 10, 5, sql.length + 1, 'sqlSetNotNull', { column: "'age'", table: "'hero'" }),
    ]);
    const sqlRecipe = [
      "    op.execute('ALTER TABLE hero ADD CONSTRAINT ck CHECK (\"age\" IS NOT NULL) NOT VALID')",
      "    op.execute('ALTER TABLE hero VALIDATE CONSTRAINT ck')",
      "    op.execute('ALTER TABLE hero ALTER COLUMN age SET NOT NULL')",
    ];
    expect(lintLock(RULE, sqlRecipe)).toEqual([]);
  });

  it('applies to PostgreSQL only', () => {
    expect(lintLock(RULE, [ALTER], null, { dialect: 'mssql' })).toEqual([]);
  });
});
