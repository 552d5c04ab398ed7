/** SPEC's JSON shape; `help` is added to each diagnostic, and `suppressed` lists approvals when asked. */
import type { Reporter } from './types.js';

export const json: Reporter = ({ result, reportSuppressed }) => {
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const doc: Record<string, unknown> = {
    version: 1,
    diagnostics: result.diagnostics,
    summary: { files: result.fileCount, errors, warnings: result.diagnostics.length - errors, suppressed: result.suppressed.length },
  };
  if (reportSuppressed) doc.suppressed = result.suppressed;
  if (result.fixed.length) doc.fixed = result.fixed;
  return `${JSON.stringify(doc, null, 2)}\n`;
};
