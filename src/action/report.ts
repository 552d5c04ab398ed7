/**
 * The review text the Action writes: a findings table and the per-migration summary, for the job summary
 * (1 MiB per step) and the sticky pull request comment (65,536 characters). Everything from files is
 * escaped by the summary renderers; what does not fit is cut with a line that says so.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import { mdCode, mdText, renderMarkdown } from '../summary/render.js';
import type { SummaryView } from '../summary/types.js';

/** Finds the sticky comment among the pull request's comments: never shown, never typed by a person. */
export const COMMENT_MARKER = '<!-- migration-lint:sticky-summary -->';

// GitHub caps a step summary at 1 MiB of UTF-8; 300k UTF-16 units stay under it whatever the characters.
export const JOB_SUMMARY_LIMIT = 300_000;
export const COMMENT_LIMIT = 65536 - 256;

export interface ReportInput {
  diagnostics: Diagnostic[];
  suppressed: number;
  summary: SummaryView;
  /** "since `abc1234` (the pull request's base)", or null when every migration was linted. */
  scope: string | null;
  link: (file: string, line: number) => string | null;
  checkRunUrl?: string | null;
  /** "Models vs migrations: …" (reporters/drift.ts driftLine), or null when there are no models to compare. */
  drift?: string | null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function headline(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (!diagnostics.length) return 'No findings';
  return [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
}

function row(d: Diagnostic, link: ReportInput['link']): string {
  const label = `${d.file}:${d.line}:${d.column}`;
  const url = link(d.file, d.line);
  const where = url ? `[${mdCode(label, true)}](${url})` : mdCode(label, true);
  const icon = d.severity === 'error' ? '❌ error' : '⚠️ warning';
  return `| ${icon} | ${mdCode(d.rule, true)} | ${where} | ${mdText(d.message)} |`;
}

/**
 * The whole report within `limit` characters: the header, as many findings rows as fit (in order), then the
 * migrations summary when it fits whole, else a pointer to where the rest is.
 */
export function renderReport(input: ReportInput, limit: number, elsewhere: string): string {
  const { diagnostics } = input;
  const head: string[] = ['## migration-lint', ''];
  const counts = `**${headline(diagnostics)}**${input.suppressed ? ` (${plural(input.suppressed, 'finding')} approved by suppression comments)` : ''}`;
  const migrations = input.summary.migrations.length;
  head.push(`${counts} in ${plural(migrations, input.scope ? 'changed migration' : 'migration')}${input.scope ? ` ${input.scope}` : ''}.`);
  if (input.drift) head.push('', input.drift);
  if (input.checkRunUrl) head.push('', `Every finding is annotated on its line in the [check run](${input.checkRunUrl}).`);
  head.push('');
  let text = `${head.join('\n')}\n`;
  const tail = (s: string) => text.length + s.length + 1 <= limit;
  if (diagnostics.length) {
    const table = ['| Severity | Rule | Where | Message |', '| --- | --- | --- | --- |'].join('\n');
    text += `${table}\n`;
    let shown = 0;
    for (const d of diagnostics) {
      const r = `${row(d, input.link)}\n`;
      // Keep room for the "more findings" line and the summary pointer.
      if (text.length + r.length + 400 > limit) break;
      text += r;
      shown++;
    }
    if (shown < diagnostics.length) text += `\n… and ${plural(diagnostics.length - shown, 'more finding')}: ${elsewhere}.\n`;
    text += '\n';
  }
  const md = renderMarkdown(input.summary, { link: input.link, level: 4, changedOnly: input.scope !== null });
  const section = `### What the migrations do\n\n${md}`;
  if (tail(section)) text += section;
  else {
    const note = `### What the migrations do\n\nThe summary of ${plural(migrations, 'migration')} is too long for this page: ${elsewhere}.\n`;
    if (tail(note)) text += note;
  }
  return text;
}
