/**
 * reviewdog's Diagnostic Format (`reviewdog -f=rdjson`): one DiagnosticResult with every finding, its range,
 * its rule as a code with the docs page's URL, and, for fixable rules, the fix's edits as suggestions that
 * reviewdog turns into suggested changes. reviewdog counts columns in UTF-8 bytes and ends ranges exclusively;
 * ours are code points, so each column is converted on its line's text. Without the text (a deleted file)
 * columns are left out: reviewdog then treats the range as whole lines.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import { linesOf, type SourceLines } from './positions.js';
import type { Reporter } from './types.js';

interface RdPosition {
  line: number;
  column?: number;
}

export const rdjson: Reporter = ({ result, docsBase, source }) => {
  const fileLines = linesOf(source);
  const position = (lines: SourceLines | null, line: number, column: number): RdPosition =>
    lines ? { line, column: lines.utf8Column(line, column) } : { line };
  const range = (lines: SourceLines | null, r: { line: number; column: number; endLine: number; endColumn: number }) => ({
    start: position(lines, r.line, r.column),
    end: position(lines, r.endLine, r.endColumn),
  });
  const diagnostic = (d: Diagnostic) => {
    const lines = fileLines(d.file);
    const out: Record<string, unknown> = {
      message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
      location: { path: d.file, range: range(lines, d) },
      severity: d.severity === 'error' ? 'ERROR' : 'WARNING',
      code: { value: d.rule, url: `${docsBase}/${d.rule}.md` },
    };
    // A suggestion replaces an exact range: without the text to count bytes in, none is offered.
    if (d.fix && lines) out.suggestions = d.fix.edits.map((e) => ({ range: range(lines, e), text: e.text }));
    return out;
  };
  const doc = {
    source: { name: 'migration-lint', url: 'https://www.npmjs.com/package/migration-lint' },
    diagnostics: result.diagnostics.map(diagnostic),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
};
