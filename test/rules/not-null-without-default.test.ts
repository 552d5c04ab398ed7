import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintProject, mini } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'not-null-without-default';
const NAME = 'a1b2c3d4e5f6_add_hero_power.py';
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
const ADD = "    op.add_column('hero', sa.Column('power', sa.String(), nullable=False))";
const POWER = { column: "'power'", table: "'hero'" };

fixtureSuite(RULE);

describe(`${RULE}: which columns`, () => {
  it('reports add_column of a nullable=False column without server_default, at the call', () => {
    expect(lintRuleIds(RULE, one(mini({ upgrade: [ADD] })))).toEqual([pos(10, 5, 10, 75, 'notNull', POWER)]);
  });

  it('takes server_default=None for no default, and a client-side default does not fill existing rows', () => {
    const text = mini({
      upgrade: [
        "    op.add_column('hero', sa.Column('power', sa.String(), nullable=False, server_default=None))",
        "    op.add_column('hero', sa.Column('level', sa.Integer(), nullable=False, default=1))",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(10, 5, 10, 96, 'notNull', POWER),
      pos(11, 5, 11, 87, 'notNull', { column: "'level'", table: "'hero'" }),
    ]);
  });

  it('accepts a server default, a nullable column, a primary key and identity or computed columns', () => {
    const text = mini({
      upgrade: [
        "    op.add_column('hero', sa.Column('power', sa.String(), nullable=False, server_default='none'))",
        "    op.add_column('hero', sa.Column('level', sa.Integer(), nullable=False, server_default=sa.text('1')))",
        "    op.add_column('hero', sa.Column('nick', sa.String(), nullable=True))",
        "    op.add_column('hero', sa.Column('bio', sa.String()))",
        "    op.add_column('hero', sa.Column('uid', sa.Integer(), primary_key=True, nullable=False))",
        "    op.add_column('hero', sa.Column('seq', sa.Integer(), sa.Identity(), nullable=False))",
        "    op.add_column('hero', sa.Column('total', sa.Integer(), sa.Computed('level * 2'), nullable=False))",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
  });

  it('accepts a table created earlier in the same file, not one created after the add_column', () => {
    const created = mini({ upgrade: ["    op.create_table('hero', sa.Column('id', sa.Integer(), primary_key=True))", ADD] });
    expect(lintRuleIds(RULE, one(created))).toEqual([]);
    const createdAfter = mini({ upgrade: [ADD, "    op.create_table('hero', sa.Column('id', sa.Integer(), primary_key=True))"] });
    expect(lintRuleIds(RULE, one(createdAfter))).toEqual([pos(10, 5, 10, 75, 'notNull', POWER)]);
  });

  it('reads batch_op.add_column with the batch table, and the column= keyword', () => {
    const text = mini({
      upgrade: [
        "    with op.batch_alter_table('hero', schema=None) as batch_op:",
        "        batch_op.add_column(sa.Column('power', sa.String(), nullable=False))",
        "    op.add_column(table_name='team', column=sa.Column('motto', sa.String(), nullable=False))",
      ],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(11, 9, 11, 77, 'notNull', POWER),
      pos(12, 5, 12, 93, 'notNull', { column: "'motto'", table: "'team'" }),
    ]);
  });

  it('leaves downgrade() alone unless checkDowngrade', () => {
    const text = mini({ upgrade: ['    pass'], downgrade: [ADD] });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
    expect(lintRuleIds(RULE, one(text), { checkDowngrade: true })).toEqual([pos(14, 5, 14, 75, 'notNull', POWER)]);
  });

  it('ignores add_column in comments and strings', () => {
    expect(lintRuleIds(RULE, one(mini({ upgrade: [`    # ${ADD.trim()}`, `    """${ADD.trim()}"""`, '    pass'] })))).toEqual([]);
  });
});

describe(`${RULE}: positions and approval`, () => {
  it('gives the same position in CRLF and BOM files, and counts code points', () => {
    const expected = [pos(10, 5, 10, 75, 'notNull', POWER)];
    expect(lintRuleIds(RULE, one(mini({ upgrade: [ADD] }).replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(lintRuleIds(RULE, one(`\uFEFF${mini({ upgrade: [ADD] })}`))).toEqual(expected);
    const astral = mini({ upgrade: [`    x = '𝔥'; ${ADD.trim()}`] });
    expect(lintRuleIds(RULE, one(astral))).toEqual([pos(10, 14, 10, 84, 'notNull', POWER)]);
  });

  it('is approved by a comment with a reason on the line above', () => {
    const text = mini({ upgrade: ['    # migration-lint: ignore not-null-without-default -- hero is empty in every deployment', ADD] });
    const result = lintProject(one(text));
    expect(result.diagnostics.filter((d) => d.rule === RULE || d.rule === 'invalid-suppression')).toEqual([]);
    expect(result.suppressed.filter((d) => d.rule === RULE).map((d) => [d.line, d.column])).toEqual([[11, 5]]);
  });
});
