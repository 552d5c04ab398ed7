/** Message templates in rule metadata (RuleMeta.messages): filled in when reported, their id kept on the diagnostic. */
import { describe, expect, it } from 'vitest';
import { resolveReport, type RuleMeta } from '../../src/rules/types.js';

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

  it('passes a literal message through with no id, and keeps help, fix and severity', () => {
    expect(resolveReport(META, { span, message: 'as written', help: 'do this', severity: 'warning' })).toEqual({ span, message: 'as written', help: 'do this', severity: 'warning', messageId: null });
  });

  it("throws on the rule's bugs: an unknown id, a missing value, no message at all", () => {
    expect(() => resolveReport(META, { span, messageId: 'dorp' })).toThrow("rule demo has no message 'dorp'");
    expect(() => resolveReport(META, { span, messageId: 'drop', data: { column: 'age' } })).toThrow("rule demo: message 'drop' needs {table}");
    expect(() => resolveReport(META, { span })).toThrow('rule demo reported neither a message nor a messageId');
    expect(() => resolveReport({ ...META, messages: undefined }, { span, messageId: 'toString' })).toThrow("has no message 'toString'");
  });
});
