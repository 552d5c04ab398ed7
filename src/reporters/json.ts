/**
 * The `--format json` report (version, diagnostics, summary: the shape tools parse), built field by field so that nothing internal leaks into the contract. `help` is part
 * of each diagnostic; `suppressed` (with --report-suppressed) and `fixed` (after --fix) are added only then.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Reporter } from './types.js';

function entry(d: Diagnostic) {
  return {
    rule: d.rule,
    severity: d.severity,
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    message: d.message,
    fixable: d.fixable,
    help: d.help,
  };
}

export const json: Reporter = ({ result, reportSuppressed }) => {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const doc: Record<string, unknown> = {
    version: 1,
    diagnostics: result.diagnostics.map(entry),
    summary: { files: result.fileCount, errors, warnings: result.diagnostics.length - errors, suppressed: result.suppressed.length },
  };
  // Present only when there is something to say, as `suppressed` and `fixed` below: the documented shape otherwise.
  if (result.graphOnly) (doc.summary as Record<string, unknown>).appliedGraphOnly = result.graphOnly;
  if (result.database) {
    const { shownUrl, recorded, pending, missing } = result.database;
    (doc.summary as Record<string, unknown>).database = { url: shownUrl, recorded, pending, missing };
  }
  if (reportSuppressed) doc.suppressed = result.suppressed.map(entry);
  if (result.fixed.length) doc.fixed = result.fixed;
  return `${JSON.stringify(doc, null, 2)}\n`;
};
