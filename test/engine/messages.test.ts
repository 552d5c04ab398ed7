/** Message templates in rule metadata (RuleMeta.messages): filled in when reported, their id kept on the diagnostic. */
import { afterEach, describe, expect, it } from 'vitest';
import { ruleById } from '../../src/rules/index.js';
import { resolveReport, type Rule, type RuleMeta } from '../../src/rules/types.js';
import { lintProject, mini } from '../rules/helpers.js';

const META: RuleMeta = {
  id: 'demo',
  description: 'd',
  defaultSeverity: 'error',
  fixable: false,
  help: 'h',
  messages: { drop: "Drops column '{column}' of '{table}'", plain: 'Nothing to fill in' },
};
const span = { start: 0, end: 1 };

describe('resolveReport', () => {
  it('fills the template named by messageId, once (values are not read as templates)', () => {
    expect(resolveReport(META, { span, messageId: 'drop', data: { column: '{table}', table: 'hero' } })).toEqual({ span, message: "Drops column '{table}' of 'hero'", messageId: 'drop' });
    expect(resolveReport(META, { span, messageId: 'plain' })).toEqual({ span, message: 'Nothing to fill in', messageId: 'plain' });
  });

  it('keeps help, fix and severity', () => {
    expect(resolveReport(META, { span, messageId: 'plain', help: 'do this', severity: 'warning' })).toEqual({ span, message: 'Nothing to fill in', messageId: 'plain', help: 'do this', severity: 'warning' });
  });

  it("throws on the rule's bugs: an unknown id (an inherited property is none), a missing value", () => {
    expect(() => resolveReport(META, { span, messageId: 'dorp' })).toThrow("rule demo has no message 'dorp'");
    expect(() => resolveReport(META, { span, messageId: 'drop', data: { column: 'age' } })).toThrow("rule demo: message 'drop' needs {table}");
    expect(() => resolveReport(META, { span, messageId: 'toString' })).toThrow("has no message 'toString'");
  });
});

describe('a report whose messageId the rule does not declare', () => {
  const restore: (() => void)[] = [];
  afterEach(() => restore.splice(0).forEach((f) => f()));

  it('is refused: internal-error on the file names the rule and the id, and every other finding stands', () => {
    const NAME = 'a1b2c3d4e5f6_drop_hero.py';
    const spec = { versions: { [NAME]: mini({ upgrade: ["    op.drop_table('hero')", '    op.execute(statement)'] }) } };
    const before = lintProject(spec).diagnostics;
    expect(before.map((d) => d.rule)).toContain('raw-sql');
    const rule = ruleById.get('raw-sql')! as Rule;
    const original = rule.checkFile!;
    rule.checkFile = (ctx) => ctx.report({ span: { start: 0, end: 0 }, messageId: 'rawSql' });
    restore.push(() => (rule.checkFile = original));
    const after = lintProject(spec).diagnostics;
    expect(after.filter((d) => d.rule === 'internal-error').map((d) => [d.file, d.line, d.column, d.messageId, d.message])).toEqual([
      [`alembic/versions/${NAME}`, 1, 1, 'ruleFailed', "migration-lint could not judge this file: rule raw-sql failed on it: rule raw-sql has no message 'rawSql'"],
    ]);
    expect(after.filter((d) => d.rule !== 'internal-error')).toEqual(before.filter((d) => d.rule !== 'raw-sql'));
  });
});
