import { defineRule, type Report } from './types.js';

/**
 * The linter's own failure on one file, reported on that file so that the run goes on: the other files keep
 * their findings, and this one is not silently passed. The engine reports rules that throw under this id too.
 */
export default defineRule({
  meta: {
    id: 'internal-error',
    description: 'migration-lint failed while judging this file (a bug in the linter, not in the file): the file was not checked.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Review this file by hand, and please report the bug to migration-lint with the file (or the smallest file that shows it) and the message.',
    reportsInternalErrors: true,
    messages: {
      failed: 'migration-lint could not judge this file: {error}',
      ruleFailed: 'migration-lint could not judge this file: rule {rule} failed {what}: {error}',
    },
  },
  checkFile({ file, report }) {
    // Asking for the facts is what runs the extraction that may fail.
    void file.facts;
    if (file.internalError) report({ span: { start: 0, end: 0 }, messageId: 'failed', data: { error: file.internalError } });
  },
});

/** What the engine reports when a rule throws (`what`: 'on it' for a file, 'on its environment'). */
export function ruleFailure(rule: string, what: string, error: string): Report {
  return { span: { start: 0, end: 0 }, messageId: 'ruleFailed', data: { rule, what, error } };
}
