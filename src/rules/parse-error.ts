import { defineRule } from './types.js';

/**
 * Alembic imports every file in versions/: one that does not compile stops every command, not just its own.
 * So it is judged like the graph, on applied revisions too: an applied file that no longer loads (Python 2
 * syntax under Python 3, a folder named like a module) breaks the deploy today, whatever was applied.
 */
export default defineRule({
  meta: {
    id: 'parse-error',
    description: 'The file is not valid Python (or not UTF-8): Alembic cannot load it, and no Alembic command runs.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Fix the syntax (run `python -m py_compile <file>` to see what Python says), or regenerate the migration.',
    runsOnUnreadable: true,
    kind: 'graph',
    messages: { undecodable: 'File is {reason}', syntax: 'Python syntax error: {error}' },
  },
  checkFile({ file, report }) {
    if (file.decodeError) {
      report({ span: file.decodeError.span, messageId: 'undecodable', data: { reason: file.decodeError.message }, help: file.decodeError.help });
      return;
    }
    const err = file.facts.parseError;
    if (err) report({ span: err.span, messageId: 'syntax', data: { error: err.message } });
  },
});
