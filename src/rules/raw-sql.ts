import { defineRule } from './types.js';

/**
 * Custom SQL is the part of a migration that autogenerate did not write and the models do not describe:
 * review has to read it, so it needs an explicit approval.
 */
export default defineRule({
  meta: {
    id: 'raw-sql',
    description: 'The migration runs custom SQL: `op.execute(…)`, `op.get_bind().execute(…)`, `exec_driver_sql(…)`, `sa.text(…)` executed.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Express the change in the models and autogenerate it, or approve the SQL: `# migration-lint: ignore raw-sql -- <why>`.',
    messages: {
      sql: '{function}() runs custom SQL through {call}: {sql}',
      expression: '{function}() runs custom SQL through {call} (a SQL expression)',
      unknown: '{function}() runs custom SQL through {call}',
    },
  },
  checkFile({ file, report }) {
    // The parser's error recovery can fold the rest of a broken file into one call: parse-error says it.
    if (file.facts.parseError) return;
    for (const call of file.facts.sqlCalls) {
      const what =
        call.kind === 'op.execute' ? '`op.execute(…)`' : call.kind === 'exec_driver_sql' ? '`exec_driver_sql(…)`' : '`.execute(…)` on the migration connection';
      const messageId = call.sql !== null ? 'sql' : call.expression ? 'expression' : 'unknown';
      report({ span: call.span, messageId, data: { function: call.fnName, call: what, sql: call.sql === null ? '' : preview(call.sql) } });
    }
  },
});

function preview(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return `"${one.length > 60 ? `${one.slice(0, 57)}…` : one}"`;
}
