/**
 * GitHub workflow commands (`::error file=…::message`). File contents reach these lines through messages,
 * so every value is escaped exactly as @actions/core escapes it: no text can start a command of its own.
 */
import type { Reporter } from './types.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const github: Reporter = ({ result }) => {
  const lines = result.diagnostics.map((d) => {
    // The property order is @actions/core's (title, file, line, endLine, col, endColumn), so the output is
    // byte for byte what core.error() would print.
    const props = [`title=${escapeProperty(d.rule)}`, `file=${escapeProperty(d.file)}`, `line=${d.line}`, `endLine=${d.endLine}`];
    // GitHub drops columns on annotations that span lines.
    if (d.line === d.endLine) props.push(`col=${d.column}`, `endColumn=${d.endColumn}`);
    const message = d.help ? `${d.message}\nhelp: ${d.help}` : d.message;
    return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(message)}`;
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
};
