/**
 * GitLab's Code Quality report: the subset of Code Climate's issue format that GitLab documents (description,
 * check_name, fingerprint, severity, location.path, location.lines.begin), as a JSON array. GitLab matches a
 * merge request's findings with its target branch's by fingerprint, so the fingerprint must not move when
 * lines are added above a finding: it hashes the rule, the file and the flagged code with its whitespace
 * normalised, plus the occurrence's index among identical ones, so that two equal findings in a file stay two.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../model/diagnostic.js';
import { linesOf, type SourceLines } from './positions.js';
import type { Reporter } from './types.js';

/**
 * The flagged code without the whitespace Python ignores (kept, as one space, only between two word characters:
 * `not in`); for an empty span, its whole line.
 */
export function flaggedText(d: Diagnostic, lines: SourceLines | null): string {
  if (!lines) return d.message;
  const norm = (s: string) => s.trim().replace(/(\w?)\s+(?=(\w?))/g, (_, before: string, after: string) => (before && after ? `${before} ` : before));
  return norm(lines.slice(d.line, d.column, d.endLine, d.endColumn)) || norm(lines.text(d.line));
}

/** One fingerprint per diagnostic, in order: stable across line shifts, distinct for repeated findings. */
export function fingerprints(diagnostics: Diagnostic[], source: ((file: string) => string | null) | undefined): string[] {
  const lines = linesOf(source);
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const key = JSON.stringify([d.rule, d.file, flaggedText(d, lines(d.file))]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex');
  });
}

export const gitlab: Reporter = ({ result, source }) => {
  const prints = fingerprints(result.diagnostics, source);
  const issues = result.diagnostics.map((d, i) => ({
    description: d.help ? `${d.message} (help: ${d.help})` : d.message,
    check_name: d.rule,
    fingerprint: prints[i]!,
    // GitLab's scale is info < minor < major < critical < blocker: errors rank above warnings in its widget.
    severity: d.severity === 'error' ? 'major' : 'minor',
    location: { path: d.file, lines: { begin: d.line } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
};
