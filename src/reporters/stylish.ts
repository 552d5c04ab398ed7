/** The default terminal output: grouped by file, each finding as a clickable `path:line:col`. */
import pc from 'picocolors';
import { plain } from '../io/terminal.js';
import type { ReportContext, Reporter } from './types.js';

// File names, messages (table names, SQL) and help come from repository files: control characters are shown as
// escapes, so that no line break can start a line of its own (a `::error::` workflow command when this runs
// in CI) and no escape sequence can restyle the terminal.

export const stylish: Reporter = ({ result, color, reportSuppressed }) => {
  const c = pc.createColors(color);
  const out: string[] = [];
  const byFile = new Map<string, typeof result.diagnostics>();
  for (const d of result.diagnostics) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  for (const [rawFile, list] of byFile) {
    const file = plain(rawFile);
    out.push(c.underline(file));
    for (const d of list) {
      const sev = d.severity === 'error' ? c.red('error  ') : c.yellow('warning');
      out.push(`  ${file}:${d.line}:${d.column}  ${sev}  ${plain(d.message)}  ${c.dim(d.rule)}`);
      if (d.help) out.push(`    ${c.dim(`help: ${plain(d.help)}`)}`);
    }
    out.push('');
  }
  if (reportSuppressed && result.suppressed.length) {
    out.push(c.dim('Approved (suppressed with a reason):'));
    for (const d of result.suppressed) out.push(c.dim(`  ${plain(d.file)}:${d.line}:${d.column}  ${d.rule}  ${plain(d.message)}`));
    out.push('');
  }
  for (const f of result.fixed) out.push(`${c.green('fixed')} ${plain(f.file)}: ${plain(f.description)}`);
  if (result.fixed.length) out.push('');
  if (result.environments.length > 1) {
    out.push(c.dim(`Linted ${result.environments.length} Alembic environments: ${result.environments.map((e) => plain(e.name)).join(', ')}`));
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const fixable = result.diagnostics.filter((d) => d.fixable).length;
  const files = `${result.fileCount} migration${result.fileCount === 1 ? '' : 's'}`;
  const sup = result.suppressed.length ? `, ${result.suppressed.length} suppressed` : '';
  if (errors + warnings === 0) {
    out.push(c.green(`✔ ${files} checked, no problems${sup}`));
  } else {
    const summary = `✖ ${errors + warnings} problem${errors + warnings === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}) in ${files}${sup}`;
    out.push(errors ? c.red(c.bold(summary)) : c.yellow(c.bold(summary)));
    if (fixable) out.push(c.dim(`  ${fixable} fixable with \`npx migration-lint --fix\``));
  }
  for (const line of scopeLines(result)) out.push(c.dim(`  ${line}`));
  return `${out.join('\n')}\n`;
};

/** What the run left to the graph rules, and what the database said (applied revisions are not re-judged; `--database-url`). */
export function scopeLines(result: ReportContext['result']): string[] {
  const lines: string[] = [];
  const n = result.graphOnly ?? 0;
  if (n) lines.push(`${n} applied revision${n === 1 ? '' : 's'}: graph checks only (--all to audit them)`);
  const db = result.database;
  if (db) {
    const at = db.recorded.length ? `at ${db.recorded.map((r) => plain(r)).join(', ')}` : 'no revision applied yet';
    const pending = db.pending.length ? `${db.pending.length} pending: ${db.pending.map((r) => plain(r)).join(', ')}` : 'nothing pending';
    lines.push(`database ${plain(db.shownUrl)}: ${at}; ${pending}`);
  }
  return lines;
}
