import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintProject, mini } from './helpers.js';
import { briefId, byId, lintRuleIds, said } from './message-ids.js';

const RULE = 'destructive-operation';
const one = (text: string) => ({ versions: { 'a1b2c3d4e5f6_drop.py': text } });
const FILE = 'alembic/versions/a1b2c3d4e5f6_drop.py';
const pos = (line: number, column: number, endLine: number, endColumn: number, messageId: string, data?: Record<string, string | number>) => ({
  rule: RULE,
  file: FILE,
  line,
  column,
  endLine,
  endColumn,
  ...byId(RULE, messageId, data),
});

fixtureSuite(RULE);

describe(`${RULE}: operations`, () => {
  it('reports drop_table in upgrade() at the call', () => {
    expect(lintRuleIds(RULE, one(mini({ upgrade: ["    op.drop_table('hero')"] })))).toEqual([pos(10, 5, 10, 26, 'dropTable', { table: "'hero'" })]);
  });

  it('leaves downgrade() alone by default and reads it with checkDowngrade', () => {
    const text = mini({ upgrade: ['    pass'], downgrade: ["    op.drop_table('hero')"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
    expect(lintRuleIds(RULE, one(text), { checkDowngrade: true })).toEqual([pos(14, 5, 14, 26, 'dropTable', { table: "'hero'" })]);
  });

  it('reports batch_op.drop_column with the table of batch_alter_table', () => {
    const text = mini({ upgrade: ["    with op.batch_alter_table('hero', schema=None) as batch_op:", "        batch_op.drop_column('age')"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(11, 9, 11, 36, 'dropColumn', { column: "'age'", table: "'hero'" })]);
  });

  it('reports dropping a primary key, not other constraints', () => {
    const text = mini({
      upgrade: ["    op.drop_constraint('hero_pkey', 'hero', type_='primary')", "    op.drop_constraint(op.f('fk_hero_team_id_team'), 'hero', type_='foreignkey')"],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 5, 10, 61, 'dropPrimaryKey', { name: "'hero_pkey'", table: "'hero'" })]);
  });

  it('reports renames of tables and columns', () => {
    const text = mini({ upgrade: ["    op.rename_table('hero', 'heroes')", "    op.alter_column('hero', 'name', new_column_name='title')"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(10, 5, 10, 38, 'renameTable', { table: "'hero'", newName: "'heroes'" }),
      pos(11, 5, 11, 61, 'renameColumnTo', { column: "'name'", table: "'hero'", newName: 'title' }),
    ]);
  });

  it('reports a narrowing or unknown type change, not a widening one', () => {
    const text = mini({
      upgrade: [
        "    op.alter_column('hero', 'name', existing_type=sa.String(length=100), type_=sa.String(length=50))",
        "    op.alter_column('hero', 'bio', existing_type=sa.String(length=50), type_=sa.Text())",
        "    op.alter_column('hero', 'age', type_=sa.Integer())",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(10, 5, 10, 101, 'typeChange', { column: "'name'", table: "'hero'", from: 'varchar(100)', to: 'varchar(50)' }),
      pos(12, 5, 12, 55, 'typeChangeUnknown', { column: "'age'", table: "'hero'", to: 'integer' }),
    ]);
  });

  it('judges integer and numeric sizes by what fits (test/oracle/numeric-sizes.test.ts), not by the nearest measured size', () => {
    const text = mini({
      upgrade: [
        "    op.alter_column('hero', 'age', existing_type=sa.Integer(), type_=sa.Numeric(20, 4))",
        "    op.alter_column('hero', 'age', existing_type=sa.Integer(), type_=sa.Numeric(9, 0))",
        "    op.alter_column('hero', 'price', existing_type=sa.Numeric(10, 2), type_=sa.Numeric(20, 4))",
        "    op.alter_column('hero', 'price', existing_type=sa.Numeric(20, 4), type_=sa.Numeric(20, 2))",
      ],
    });
    expect(lintRuleIds(RULE, one(text)).map((f) => ({ line: f.line, ...said(f) }))).toEqual([
      { line: 11, ...byId(RULE, 'typeChange', { column: "'age'", table: "'hero'", from: 'integer', to: 'numeric(9,0)' }) },
      { line: 13, ...byId(RULE, 'typeChange', { column: "'price'", table: "'hero'", from: 'numeric(20,4)', to: 'numeric(20,2)' }) },
    ]);
  });

  it('reports raw SQL that drops, truncates or deletes, through op.execute and the connection', () => {
    const text = mini({
      upgrade: [
        "    op.execute('DROP TABLE legacy_hero')",
        '    conn = op.get_bind()',
        "    conn.execute(sa.text('TRUNCATE hero'))",
        "    op.execute('UPDATE hero SET rank = 1')",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 5, 10, 41, 'dropTable', { table: "'legacy_hero'" }), pos(12, 5, 12, 43, 'truncate', { table: "'hero'", function: 'upgrade' })]);
  });

  it('reports DROP DATABASE with the name of the database, in the migration\'s transaction, an autocommit block or a multi-statement string', () => {
    // DROP DATABASE is its own node in PostgreSQL's parse tree (DropdbStmt), not a DropStmt: it once went unread.
    const text = mini({
      upgrade: [
        "    op.execute('DROP DATABASE reports')",
        '    with op.get_context().autocommit_block():',
        "        op.execute('DROP DATABASE IF EXISTS \"Archive\" WITH (FORCE)')",
        "    op.execute('SELECT 1; DROP DATABASE old_reports')",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(10, 5, 10, 40, 'dropObject', { object: 'database', name: "'reports'", function: 'upgrade' }),
      pos(12, 9, 12, 69, 'dropObject', { object: 'database', name: "'Archive'", function: 'upgrade' }),
      pos(13, 5, 13, 54, 'dropObject', { object: 'database', name: "'old_reports'", function: 'upgrade' }),
    ]);
  });

  it('names what a SQL DROP of a schema, type, view or materialized view drops, qualified as written', () => {
    // A schema is a bare String in the parse tree and a type a TypeName, not a List of names as a table is:
    // both names were once lost ("Drops schema ?").
    const text = mini({
      upgrade: [
        "    op.execute('DROP SCHEMA app CASCADE')",
        "    op.execute('DROP SCHEMA IF EXISTS audit, staging')",
        "    op.execute('DROP TYPE app.mood')",
        "    op.execute('DROP VIEW hero_stats')",
        "    op.execute('DROP MATERIALIZED VIEW app.hero_totals')",
      ],
    });
    const drop = (line: number, end: number, object: string, name: string) => pos(line, 5, line, end, 'dropObject', { object, name: `'${name}'`, function: 'upgrade' });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      drop(10, 42, 'schema', 'app'),
      drop(11, 55, 'schema', 'audit'),
      drop(11, 55, 'schema', 'staging'),
      drop(12, 37, 'type', 'app.mood'),
      drop(13, 39, 'view', 'hero_stats'),
      drop(14, 57, 'materialized view', 'app.hero_totals'),
    ]);
  });

  it('leaves alone SQL drops of code and indexes: functions, sequences, extensions, domains, DROP INDEX', () => {
    const text = mini({
      upgrade: [
        "    op.execute('DROP FUNCTION app.touch(integer)')",
        "    op.execute('DROP SEQUENCE hero_code_seq')",
        "    op.execute('DROP EXTENSION hstore')",
        "    op.execute('DROP DOMAIN app.positive')",
        "    op.execute('DROP INDEX ix_hero_name')",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
  });

  it('does not take ON DELETE CASCADE, AFTER DELETE triggers or GRANT DELETE for a DELETE', () => {
    // Before the fix, any DELETE word in the SQL counted as deleting rows.
    const text = mini({
      upgrade: [
        "    op.execute('ALTER TABLE hero ADD CONSTRAINT fk_team FOREIGN KEY (team_id) REFERENCES team (id) ON DELETE CASCADE')",
        "    op.execute('CREATE TRIGGER audit AFTER DELETE ON hero FOR EACH ROW EXECUTE FUNCTION audit()')",
        "    op.execute('GRANT SELECT, DELETE ON hero TO app')",
        "    op.execute('DELETE FROM hero WHERE age IS NULL')",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(13, 5, 13, 53, 'deleteRows', { table: "'hero'", function: 'upgrade' })]);
  });

  it('ignores op.drop_table in comments, strings and docstrings', () => {
    const text = mini({
      message: "op.drop_table('hero')",
      upgrade: ['    """Would op.drop_table(\'hero\') here."""', "    # op.drop_table('hero')", "    note = \"op.drop_table('hero')\"", "    op.add_column('hero', sa.Column('age', sa.Integer()))"],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
  });

  it('reads multidb upgrade_<name>() bodies and Quay-style upgrade(op, tables, tester)', () => {
    const multidb = [
      'from alembic import op',
      "revision = 'a1b2c3d4e5f6'",
      'down_revision = None',
      '',
      'def upgrade(engine_name: str) -> None:',
      '    globals()["upgrade_%s" % engine_name]()',
      '',
      'def upgrade_engine1() -> None:',
      "    op.drop_table('hero')",
      '',
    ].join('\n');
    expect(lintRuleIds(RULE, one(multidb))).toEqual([pos(9, 5, 9, 26, 'dropTable', { table: "'hero'" })]);
    const quay = ["revision = 'a1b2c3d4e5f6'", 'down_revision = None', '', 'def upgrade(op, tables, tester):', "    op.drop_column('hero', 'age')", ''].join('\n');
    expect(lintRuleIds(RULE, one(quay))).toEqual([pos(5, 5, 5, 34, 'dropColumn', { column: "'age'", table: "'hero'" })]);
  });

  it('follows `from alembic import op as alembic_op`', () => {
    const text = ['from alembic import op as alembic_op', "revision = 'a1b2c3d4e5f6'", '', 'def upgrade():', "    alembic_op.drop_table('hero')", ''].join('\n');
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(5, 5, 5, 34, 'dropTable', { table: "'hero'" })]);
  });
});

describe(`${RULE}: positions`, () => {
  const text = mini({ upgrade: ["    op.drop_table('hero')"] });

  it('gives the same line and column for CRLF and BOM files as for LF', () => {
    const expected = [pos(10, 5, 10, 26, 'dropTable', { table: "'hero'" })];
    expect(lintRuleIds(RULE, one(text.replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(lintRuleIds(RULE, one(`\uFEFF${text}`))).toEqual(expected);
    expect(lintRuleIds(RULE, one(`\uFEFF${text.replace(/\n/g, '\r\n')}`))).toEqual(expected);
  });

  it('counts columns in code points after a non-BMP character on the same line', () => {
    const astral = mini({ upgrade: ["    x = '😀'; op.drop_table('hero')"] });
    expect(lintRuleIds(RULE, one(astral))).toEqual([pos(10, 14, 10, 35, 'dropTable', { table: "'hero'" })]);
  });
});

describe(`${RULE}: approval`, () => {
  it('is approved by a trailing comment with a reason', () => {
    const result = lintProject(one(mini({ upgrade: ["    op.drop_table('hero')  # migration-lint: ignore destructive-operation -- hero moved to heroes in 0041"] })));
    expect(result.diagnostics.filter((d) => d.rule === RULE)).toEqual([]);
    expect(result.suppressed.map(briefId)).toEqual([pos(10, 5, 10, 26, 'dropTable', { table: "'hero'" })]);
  });

  it('is approved by a comment alone on the line above, and only there', () => {
    const text = mini({
      upgrade: ['    # migration-lint: ignore destructive-operation -- data exported to S3 first', "    op.drop_table('hero')", "    op.drop_table('team')"],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(12, 5, 12, 26, 'dropTable', { table: "'team'" })]);
  });

  it('is approved for the whole file by ignore-file in the header', () => {
    const text = mini({ line4: '# migration-lint: ignore-file destructive-operation -- legacy tables retired (TICKET-12)', upgrade: ["    op.drop_table('hero')", "    op.drop_table('team')"] });
    const result = lintProject(one(text));
    expect(result.diagnostics.filter((d) => d.rule === RULE || d.rule === 'invalid-suppression')).toEqual([]);
    expect(result.suppressed.map((d) => d.line)).toEqual([10, 11]);
  });

  it('stands when the suppression gives no reason, and the suppression is reported', () => {
    const text = mini({ upgrade: ["    op.drop_table('hero')  # migration-lint: ignore destructive-operation"] });
    const found = lintProject(one(text)).diagnostics.filter((d) => d.rule === RULE || d.rule === 'invalid-suppression');
    expect(found.filter((d) => d.rule === RULE).map(briefId)).toEqual([pos(10, 5, 10, 26, 'dropTable', { table: "'hero'" })]);
    expect(found.filter((d) => d.rule !== RULE).map(briefId)).toEqual([
      { rule: 'invalid-suppression', file: FILE, line: 10, column: 28, endLine: 10, endColumn: 74, ...byId('invalid-suppression', 'noReason', { rules: RULE }) },
    ]);
  });
});
