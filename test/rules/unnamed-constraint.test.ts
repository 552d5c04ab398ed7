import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { lintProject, mini } from './helpers.js';
import { byId, lintRuleIds } from './message-ids.js';

const RULE = 'unnamed-constraint';
const NAME = 'a1b2c3d4e5f6_add_hero_team_id.py';
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

describe(`${RULE}: which calls`, () => {
  it('reports unnamed unique and check constraints', () => {
    const text = mini({ upgrade: ["    op.create_unique_constraint(None, 'hero', ['name'])", "    op.create_check_constraint(None, 'hero', 'age > 0')"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(10, 5, 10, 56, 'create', { op: 'create_unique_constraint', table: "'hero'" }),
      pos(11, 5, 11, 56, 'create', { op: 'create_check_constraint', table: "'hero'" }),
    ]);
  });

  it('reads constraint_name=None given by keyword', () => {
    const text = mini({
      upgrade: ["    op.create_foreign_key(constraint_name=None, source_table='hero', referent_table='team', local_cols=['team_id'], remote_cols=['id'])"],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 5, 10, 136, 'create', { op: 'create_foreign_key', table: "'hero'" })]);
  });

  it('accepts op.f() names, literal names and names it cannot see (*args)', () => {
    const text = mini({
      upgrade: [
        "    op.create_foreign_key(op.f('fk_hero_team_id_team'), 'hero', 'team', ['team_id'], ['id'])",
        "    op.create_unique_constraint('uq_hero_name', 'hero', ['name'])",
        '    op.create_foreign_key(*FK_ARGS)',
      ],
      downgrade: ["    op.drop_constraint(op.f('fk_hero_team_id_team'), 'hero', type_='foreignkey')"],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
  });

  it('reads batch_op calls, with the batch table', () => {
    const text = mini({
      upgrade: [
        "    with op.batch_alter_table('hero', schema=None) as batch_op:",
        "        batch_op.create_foreign_key(None, 'team', ['team_id'], ['id'])",
        "        batch_op.create_foreign_key(batch_op.f('fk_hero_team_id_team'), 'team', ['team_id'], ['id'])",
      ],
      downgrade: ["    with op.batch_alter_table('hero', schema=None) as batch_op:", "        batch_op.drop_constraint(None, type_='foreignkey')"],
    });
    expect(lintRuleIds(RULE, one(text))).toEqual([
      pos(11, 9, 11, 71, 'create', { op: 'create_foreign_key', table: "'hero'" }),
      pos(17, 9, 17, 59, 'drop', { table: "'hero'", function: 'downgrade()' }),
    ]);
  });

  it('reads downgrade() whatever checkDowngrade says, and ignores comments', () => {
    const text = mini({ upgrade: ["    # op.create_foreign_key(None, 'hero', 'team', ['team_id'], ['id'])", '    pass'], downgrade: ["    op.drop_constraint(None, 'hero', type_='foreignkey')"] });
    const expected = [pos(15, 5, 15, 57, 'drop', { table: "'hero'", function: 'downgrade()' })];
    expect(lintRuleIds(RULE, one(text))).toEqual(expected);
    expect(lintRuleIds(RULE, one(text), { checkDowngrade: false })).toEqual(expected);
  });
});

describe(`${RULE}: positions and approval`, () => {
  const text = mini({ upgrade: ["    op.create_unique_constraint(None, 'hero', ['name'])"] });

  it('gives the same position in CRLF and BOM files, and counts code points', () => {
    const expected = [pos(10, 5, 10, 56, 'create')];
    expect(lintRuleIds(RULE, one(text.replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(lintRuleIds(RULE, one(`\uFEFF${text}`))).toEqual(expected);
    expect(lintRuleIds(RULE, one(mini({ upgrade: ["    x = '🔑'; op.create_unique_constraint(None, 'hero', ['name'])"] })))).toEqual([
      pos(10, 14, 10, 65, 'create'),
    ]);
  });

  it('is approved by a trailing comment with a reason', () => {
    const approved = mini({ upgrade: ["    op.create_unique_constraint(None, 'hero', ['name'])  # migration-lint: ignore unnamed-constraint -- SQLite only, never dropped"] });
    const result = lintProject(one(approved));
    expect(result.diagnostics.filter((d) => d.rule === RULE || d.rule === 'invalid-suppression')).toEqual([]);
    expect(result.suppressed.filter((d) => d.rule === RULE).map((d) => [d.line, d.column])).toEqual([[10, 5]]);
  });
});
