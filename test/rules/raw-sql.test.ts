import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintIds, lintProject, mini } from './helpers.js';
import { briefId, byId, lintRuleIds } from './message-ids.js';

const RULE = 'raw-sql';
const NAME = 'a1b2c3d4e5f6_backfill_rank.py';
const FILE = `alembic/versions/${NAME}`;
const one = (text: string) => ({ versions: { [NAME]: text } });
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

describe(`${RULE}: what runs SQL`, () => {
  it('names its message by what it could read of the SQL', () => {
    const text = mini({ upgrade: ['    op.execute("UPDATE hero SET x = 1")', "    op.execute(hero.update().values(rank='recruit'))", '    op.execute(statement)'] });
    expect(lintIds(RULE, one(text))).toEqual(['10:5 sql', '11:5 expression', '12:5 unknown']);
  });

  it('reports op.execute of a string or sa.text, quoting the SQL', () => {
    const text = mini({ upgrade: ['    op.execute(sa.text("UPDATE hero SET x = 1"))'] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 5, 10, 49, 'sql', { function: 'upgrade', call: '`op.execute(…)`', sql: '"UPDATE hero SET x = 1"' })]);
  });

  it('reports execute on the migration connection, however it is reached, and exec_driver_sql', () => {
    const text = mini({
      upgrade: [
        '    conn = op.get_bind()',
        "    conn.execute(sa.text('SELECT 1'))",
        "    op.get_bind().exec_driver_sql('VACUUM hero')",
        "    op.get_context().connection.execute(sa.text('SELECT 1'))",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(11, 5, 11, 38, 'sql', { function: 'upgrade', call: '`.execute(…)` on the migration connection', sql: '"SELECT 1"' }),
      pos(12, 5, 12, 49, 'sql', { function: 'upgrade', call: '`exec_driver_sql(…)`', sql: '"VACUUM hero"' }),
      pos(13, 5, 13, 61, 'sql', { function: 'upgrade', call: '`.execute(…)` on the migration connection', sql: '"SELECT 1"' }),
    ]);
  });

  it('reports op.execute of a SQL expression', () => {
    const text = mini({ upgrade: ["    op.execute(hero.update().values(rank='recruit'))"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 5, 10, 53, 'expression', { function: 'upgrade', call: '`op.execute(…)`', sql: '' })]);
  });

  it('shortens long SQL in the message', () => {
    const sql = `UPDATE hero SET rank = 'recruit' WHERE rank IS NULL AND created_at < now() - interval '1 day'`;
    const [d] = lintRuleIds(RULE, one(mini({ upgrade: [`    op.execute("${sql}")`] })));
    expect(d!.message).toBe(`upgrade() runs custom SQL through \`op.execute(…)\`: "${sql.slice(0, 57)}…"`);
  });

  it('reports SQL in downgrade() too', () => {
    const text = mini({ upgrade: ['    pass'], downgrade: ["    op.execute('UPDATE hero SET rank = 1')"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(14, 5, 14, 43, 'sql', { function: 'downgrade', call: '`op.execute(…)`', sql: '"UPDATE hero SET rank = 1"' })]);
  });

  it('does not report sa.text that is not executed, nor SQL in comments and strings', () => {
    const text = mini({
      upgrade: [
        "    op.create_index('ix_active', 'hero', ['name'], postgresql_where=sa.text('active'))",
        "    op.add_column('hero', sa.Column('created', sa.DateTime(), server_default=sa.text('now()')))",
        "    # op.execute('UPDATE hero SET rank = 1')",
        "    note = \"op.execute('UPDATE hero SET rank = 1')\"",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
  });

  it('reads multidb upgrade_<name>() bodies', () => {
    const text = ['from alembic import op', "revision = 'a1b2c3d4e5f6'", '', 'def upgrade_engine1():', "    op.execute('UPDATE hero SET rank = 1')", ''].join('\n');
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(5, 5, 5, 43, 'sql', { function: 'upgrade_engine1', call: '`op.execute(…)`', sql: '"UPDATE hero SET rank = 1"' })]);
  });
});

describe(`${RULE}: positions and approval`, () => {
  const RANK = { function: 'upgrade', call: '`op.execute(…)`', sql: '"UPDATE hero SET rank = 1"' };
  const text = mini({ upgrade: ["    op.execute('UPDATE hero SET rank = 1')"] });

  it('gives the same position in CRLF and BOM files, and counts code points', () => {
    const expected = [pos(10, 5, 10, 43, 'sql', RANK)];
    expect(lintRuleIds(RULE, one(text.replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(lintRuleIds(RULE, one(`\uFEFF${text}`))).toEqual(expected);
    const astral = mini({ upgrade: ["    hero = '🦸'; op.execute('UPDATE hero SET rank = 1')"] });
    expect(lintRuleIds(RULE, one(astral))).toEqual([pos(10, 17, 10, 55, 'sql', RANK)]);
  });

  it('is approved by a trailing comment with a reason; without one it stands', () => {
    const approved = lintProject(one(mini({ upgrade: ["    op.execute('UPDATE hero SET rank = 1')  # migration-lint: ignore raw-sql -- backfill reviewed in PR 412"] })));
    expect(approved.diagnostics.filter((d) => d.rule === RULE || d.rule === 'invalid-suppression')).toEqual([]);
    expect(approved.suppressed.map(briefId)).toEqual([pos(10, 5, 10, 43, 'sql', RANK)]);
    const unexplained = lintProject(one(mini({ upgrade: ["    op.execute('UPDATE hero SET rank = 1')  # migration-lint: ignore raw-sql --"] })));
    expect(unexplained.diagnostics.map((d) => [d.rule, d.line, d.column])).toContainEqual([RULE, 10, 5]);
    expect(unexplained.diagnostics.map((d) => [d.rule, d.line, d.column])).toContainEqual(['invalid-suppression', 10, 45]);
  });
});
