/**
 * invalid-suppression has no fixture project (an explicit exception in test/registry.test.ts): Alembic
 * never writes suppression comments, so every case here is inline.
 */
import { describe, expect, it } from 'vitest';
import { lintProject, mini } from './helpers.js';
import { briefId, byId } from './message-ids.js';

const RULE = 'invalid-suppression';
const NAME = 'a1b2c3d4e5f6_drop_hero.py';
const FILE = `alembic/versions/${NAME}`;
const one = (text: string) => ({ versions: { [NAME]: text } });
const DROP = "    op.drop_table('hero')";
const pos = (rule: string, line: number, column: number, endLine: number, endColumn: number, messageId: string, data?: Record<string, string>) => ({
  rule,
  file: FILE,
  line,
  column,
  endLine,
  endColumn,
  ...byId(rule, messageId, data),
});
/** Findings of this rule and of destructive-operation, the rule the comments try to approve. */
const found = (text: string, overrides = {}) =>
  lintProject(one(text), overrides)
    .diagnostics.filter((d) => d.rule === RULE || d.rule === 'destructive-operation')
    .map(briefId);
const DROPPED = pos('destructive-operation', 10, 5, 10, 26, 'dropTable', { table: "'hero'" });

describe(`${RULE}: what does not approve`, () => {
  it('a suppression without a reason: reported at the comment, and the finding stands', () => {
    expect(found(mini({ upgrade: [`${DROP}  # migration-lint: ignore destructive-operation`] }))).toEqual([
      DROPPED,
      pos(RULE, 10, 28, 10, 74, 'noReason', { rules: 'destructive-operation' }),
    ]);
  });

  it('an empty reason after `--`, on the line above', () => {
    expect(found(mini({ upgrade: ['    # migration-lint: ignore destructive-operation --   ', DROP] }))).toEqual([
      pos(RULE, 10, 5, 10, 57, 'noReason', { rules: 'destructive-operation' }),
      pos('destructive-operation', 11, 5, 11, 26, 'dropTable', { table: "'hero'" }),
    ]);
  });

  it('an unknown rule, with a suggestion', () => {
    expect(found(mini({ upgrade: [`${DROP}  # migration-lint: ignore destructive-operations -- table moved`] }))).toEqual([
      DROPPED,
      pos(RULE, 10, 28, 10, 90, 'unknownRuleSuggestion', { rule: 'destructive-operations', suggestion: 'destructive-operation' }),
    ]);
    expect(found(mini({ upgrade: [`${DROP}  # migration-lint: ignore zzzz -- table moved`] }))).toEqual([DROPPED, pos(RULE, 10, 28, 10, 72, 'unknownRule', { rule: 'zzzz' })]);
  });

  it('no rule at all', () => {
    expect(found(mini({ upgrade: [`${DROP}  # migration-lint: ignore -- table moved`] }))).toEqual([DROPPED, pos(RULE, 10, 28, 10, 67, 'noRule')]);
  });

  it('ignore-file below the first def', () => {
    const text = mini({ upgrade: ['    # migration-lint: ignore-file destructive-operation -- legacy tables', DROP] });
    expect(found(text)).toEqual([
      pos(RULE, 10, 5, 10, 73, 'misplaced'),
      pos('destructive-operation', 11, 5, 11, 26, 'dropTable', { table: "'hero'" }),
    ]);
  });
});

describe(`${RULE}: what approves`, () => {
  it('a reason, for one rule or several', () => {
    const text = mini({ upgrade: [`${DROP}  # migration-lint: ignore destructive-operation, raw-sql -- moved to heroes in 0041`, "    op.execute('DROP TABLE team')  # migration-lint: ignore raw-sql destructive-operation -- team retired"] });
    const result = lintProject(one(text));
    expect(result.diagnostics.filter((d) => [RULE, 'destructive-operation', 'raw-sql'].includes(d.rule))).toEqual([]);
    expect(result.suppressed.map((d) => [d.rule, d.line])).toEqual([
      ['destructive-operation', 10],
      ['destructive-operation', 11],
      ['raw-sql', 11],
    ]);
  });

  it('is not read from strings, and the rule can be turned off', () => {
    expect(found(mini({ upgrade: [`${DROP}; note = '# migration-lint: ignore destructive-operation'`] }))).toEqual([DROPPED]);
    const text = mini({ upgrade: [`${DROP}  # migration-lint: ignore destructive-operation`] });
    expect(found(text, { rules: { [RULE]: { level: 'off', options: {} } } })).toEqual([DROPPED]);
  });
});

describe(`${RULE}: positions`, () => {
  const text = mini({ upgrade: [`${DROP}  # migration-lint: ignore destructive-operation`] });
  const expected = [DROPPED, pos(RULE, 10, 28, 10, 74, 'noReason', { rules: 'destructive-operation' })];

  it('gives the same position in CRLF and BOM files', () => {
    expect(found(text.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(found(`\uFEFF${text}`)).toEqual(expected);
  });

  it('counts code points', () => {
    const astral = mini({ upgrade: [`${DROP}  # 🦸 migration-lint: ignore destructive-operation`] });
    // Not a suppression: the marker must open the comment.
    expect(found(astral)).toEqual([DROPPED]);
    const after = mini({ upgrade: [`    x = '🦸'; op.drop_table('hero')  # migration-lint: ignore destructive-operation`] });
    expect(found(after)).toEqual([pos('destructive-operation', 10, 14, 10, 35, 'dropTable', { table: "'hero'" }), pos(RULE, 10, 37, 10, 83, 'noReason', { rules: 'destructive-operation' })]);
  });
});
