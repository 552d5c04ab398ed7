/** The default terminal output: grouped by file, each finding as a clickable `path:line:col`. */
import pc from 'picocolors';
import type { Reporter } from './types.js';

export const stylish: Reporter = ({ result, color, reportSuppressed }) => {
  const c = pc.createColors(color);
  const out: string[] = [];
  const byFile = new Map<string, typeof result.diagnostics>();
  for (const d of result.diagnostics) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  for (const [file, list] of byFile) {
    out.push(c.underline(file));
    for (const d of list) {
      const sev = d.severity === 'error' ? c.red('error  ') : c.yellow('warning');
      out.push(`  ${file}:${d.line}:${d.column}  ${sev}  ${d.message}  ${c.dim(d.rule)}`);
      if (d.help) out.push(`    ${c.dim(`help: ${d.help}`)}`);
    }
    out.push('');
  }
  if (reportSuppressed && result.suppressed.length) {
    out.push(c.dim('Approved (suppressed with a reason):'));
    for (const d of result.suppressed) out.push(c.dim(`  ${d.file}:${d.line}:${d.column}  ${d.rule}  ${d.message}`));
    out.push('');
  }
  for (const f of result.fixed) out.push(`${c.green('fixed')} ${f.file}: ${f.description}`);
  if (result.fixed.length) out.push('');
  if (result.environments.length > 1) {
    out.push(c.dim(`Linted ${result.environments.length} Alembic environments: ${result.environments.map((e) => e.name).join(', ')}`));
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
  return `${out.join('\n')}\n`;
};
