import { describe, expect, it } from 'vitest';
import { destructiveSql, stripSql } from '../../src/facts/sql.js';

describe('destructiveSql', () => {
  it('names statements that drop, truncate or delete', () => {
    const cases: [string, string][] = [
      ['DROP TABLE legacy_hero', 'DROP TABLE'],
      ['drop table if exists legacy_hero', 'DROP TABLE'],
      ['ALTER TABLE hero DROP COLUMN age', 'ALTER TABLE … DROP COLUMN'],
      ['ALTER TABLE hero DROP age', 'ALTER TABLE … DROP COLUMN'],
      ['TRUNCATE hero', 'TRUNCATE'],
      ['DELETE FROM hero WHERE age IS NULL', 'DELETE'],
      ['UPDATE hero SET a = 1; delete from team', 'DELETE'],
      ['WITH gone AS (DELETE FROM hero RETURNING id) SELECT count(*) FROM gone', 'DELETE'],
      ['DROP MATERIALIZED VIEW hero_stats', 'DROP MATERIALIZED VIEW'],
    ];
    for (const [sql, what] of cases) expect(destructiveSql(sql), sql).toBe(what);
  });

  it('does not take DELETE in a foreign key action, a trigger event or a grant for a delete', () => {
    // Before the fix each of these read as `DELETE`.
    for (const sql of [
      'ALTER TABLE hero ADD CONSTRAINT fk_team FOREIGN KEY (team_id) REFERENCES team (id) ON DELETE CASCADE',
      'CREATE TRIGGER audit AFTER DELETE ON hero FOR EACH ROW EXECUTE FUNCTION audit()',
      'GRANT SELECT, INSERT, DELETE ON hero TO app',
      'CREATE POLICY p ON hero FOR DELETE USING (true)',
    ]) {
      expect(destructiveSql(sql), sql).toBeNull();
    }
  });

  it('ignores what is dropped inside strings, quoted identifiers, comments and dollar quotes, and non-data drops', () => {
    for (const sql of [
      "UPDATE hero SET note = 'DROP TABLE x'",
      'SELECT 1 -- DROP TABLE x',
      'SELECT 1 /* TRUNCATE x */',
      'SELECT "DELETE FROM x" FROM hero',
      'CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM hero $$ LANGUAGE sql',
      'ALTER TABLE hero ALTER COLUMN age DROP DEFAULT',
      'ALTER TABLE hero ALTER COLUMN age DROP NOT NULL',
      'ALTER TABLE hero DROP CONSTRAINT fk_team',
      'DROP INDEX ix_hero_name',
    ]) {
      expect(destructiveSql(sql), sql).toBeNull();
    }
  });
});

describe('stripSql', () => {
  it('blanks literals and comments but keeps the statement words', () => {
    expect(stripSql("DELETE FROM hero WHERE name = 'it''s' -- gone")).toBe("DELETE FROM hero WHERE name =  'str'   ");
  });
});
