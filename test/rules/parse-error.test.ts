import { describe, expect, it } from 'vitest';
import { fixtureSuite } from './fixture-suite.js';
import { fixtureDir, lintDir, lintProject, mini } from './helpers.js';
import { briefId, lintRuleIds } from './message-ids.js';

const RULE = 'parse-error';
const NAME = 'a1b2c3d4e5f6_add_hero_power.py';
const FILE = `alembic/versions/${NAME}`;
const one = (text: string | Uint8Array) => ({ versions: { [NAME]: text } });
/** A finding by its message id; the parser's or decoder's own words (the message's data) as far as given. */
const pos = (line: number, column: number, endLine: number, endColumn: number, messageId: 'syntax' | 'undecodable', said: string) => ({
  rule: RULE,
  file: FILE,
  line,
  column,
  endLine,
  endColumn,
  messageId,
  message: expect.stringContaining(said),
});
/** Cut off as the fixture is: right after `sa.Column('power', `. */
const TRUNCATED = `${mini({ upgrade: ["    op.add_column('hero', sa.Column('power', sa.String(), nullable=True))"] }).split("sa.String()")[0]}\n`;

fixtureSuite(RULE);

describe(`${RULE}: the fixture`, () => {
  it('still lints the intact revision beside the broken one', () => {
    const result = lintDir(fixtureDir(RULE, 'bad'));
    expect(result.fileCount).toBe(2);
    expect(result.environments[0]!.files.map((f) => [f.path.split('/').pop(), f.facts.parseError === null])).toEqual([
      ['a42e8671de8c_add_hero_power.py', false],
      ['dda01a70de1f_add_hero_table.py', true],
    ]);
  });
});

describe(`${RULE}: where Python would stop`, () => {
  it('points at the bracket a truncated file leaves open, as CPython does', () => {
    // Before the fix it pointed at the end of the file, on an empty line.
    expect(lintRuleIds(RULE, one(TRUNCATED))).toEqual([pos(10, 36, 10, 37, 'syntax', "'(' was never closed")]);
  });

  it('reports a one-line string left open, which the parser accepts silently', () => {
    // Before the fix this file was not reported at all.
    const text = mini({ upgrade: ["    op.execute(\"UPDATE hero SET rank = 'recruit')"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 16, 10, 17, 'syntax', 'unterminated string literal')]);
  });

  it('reports a docstring left open at its opening quotes', () => {
    const text = `"""add hero\n\nrevision = 'a1b2c3d4e5f6'\n\ndef upgrade():\n    pass\n`;
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(1, 1, 1, 4, 'syntax', 'unterminated triple-quoted string literal')]);
  });

  it('points at the bracket left open mid-file, not where the parser gave up', () => {
    const text = mini({ upgrade: ["    op.add_column('hero', sa.Column('age', sa.Integer()", "    op.drop_table('team')"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 36, 10, 37, 'syntax', "'(' was never closed")]);
  });

  it('reports closing brackets that do not match, as CPython does', () => {
    expect(lintRuleIds(RULE, one(mini({ upgrade: ['    x = [1, 2)'] })))).toEqual([pos(10, 14, 10, 15, 'syntax', "closing parenthesis ')' does not match opening parenthesis '['")]);
    expect(lintRuleIds(RULE, one(mini({ upgrade: ['    x = 1)'] })))).toEqual([pos(10, 10, 10, 11, 'syntax', "unmatched ')'")]);
  });

  it('reports merge-conflict markers where they start', () => {
    const text = mini({ upgrade: ['<<<<<<< HEAD', "    op.add_column('hero', sa.Column('age', sa.Integer()))", '=======', '    pass', '>>>>>>> feature'] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 1, 10, 2, 'syntax', 'invalid syntax')]);
  });

  it('reports bytes that are not UTF-8, at the byte, in code points', () => {
    const [before, after] = mini({ upgrade: ["    op.execute('UPDATE hero SET name = \"🦸@\"')"] }).split('@') as [string, string];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
    expect(lintRuleIds(RULE, one(bytes))).toEqual([pos(10, 42, 10, 43, 'undecodable', 'not valid UTF-8: invalid byte 0xff at byte offset 177')]);
    // The byte offset is the file's own; line and column are the same with a BOM and CRLF.
    const crlf = Buffer.concat([Buffer.from(`\uFEFF${before.replace(/\n/g, '\r\n')}`), Buffer.from([0xff]), Buffer.from(after.replace(/\n/g, '\r\n'))]);
    expect(lintRuleIds(RULE, one(crlf))).toEqual([pos(10, 42, 10, 43, 'undecodable', 'invalid byte 0xff at byte offset 189')]);
  });

  it('accepts valid Python that only looks odd: raw strings ending in backslashes, implicit concatenation', () => {
    const text = mini({ upgrade: ["    op.execute(r'SELECT 1 -- \\\\' 'AND 2')", "    x = ''", '    y = f\'{x!r}\'', "    z = '''a'''"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([]);
  });
});

describe(`${RULE}: positions`, () => {
  it('gives the same position in CRLF and BOM files', () => {
    const expected = [pos(10, 36, 10, 37, 'syntax', "'(' was never closed")];
    expect(lintRuleIds(RULE, one(TRUNCATED.replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(lintRuleIds(RULE, one(`\uFEFF${TRUNCATED}`))).toEqual(expected);
  });

  it('counts code points before the error', () => {
    const text = mini({ upgrade: ["    op.execute('🦸'); op.execute(\"UPDATE hero SET rank = 'recruit')"] });
    expect(lintRuleIds(RULE, one(text))).toEqual([pos(10, 33, 10, 34, 'syntax', 'unterminated string literal')]);
  });
});

describe(`${RULE}: other rules`, () => {
  it('leave the broken file to parse-error, while other files are still linted', () => {
    const broken = mini({
      message: 'update',
      upgrade: ["    op.drop_table('hero')", "    op.execute('DELETE FROM team')", "    op.create_unique_constraint(None, 'hero', ['name'])", "    op.add_column('hero', sa.Column('x', sa.Integer(), nullable=False))", '    x = ('],
    });
    const intact = mini({ rev: 'b2b2b2b2b2b2', down: "'a1b2c3d4e5f6'", message: 'drop team', upgrade: ["    op.drop_table('team')"] });
    const result = lintProject({ versions: { [NAME]: broken, 'b2b2b2b2b2b2_drop_team.py': intact } });
    const mine = new Set(['parse-error', 'manual-migration', 'destructive-operation', 'raw-sql', 'unnamed-constraint', 'not-null-without-default', 'vague-message', 'empty-migration']);
    const found = result.diagnostics.filter((d) => mine.has(d.rule)).map(briefId);
    expect(found.filter((d) => d.file === FILE)).toEqual([pos(14, 9, 14, 10, 'syntax', "'(' was never closed")]);
    expect(found.filter((d) => d.file !== FILE).map((d) => [d.rule, d.line, d.column])).toEqual([
      ['manual-migration', 9, 1],
      ['destructive-operation', 10, 5],
    ]);
    expect(found.filter((d) => d.file !== FILE).map((d) => d.file)).toEqual(['alembic/versions/b2b2b2b2b2b2_drop_team.py', 'alembic/versions/b2b2b2b2b2b2_drop_team.py']);
  });
});
