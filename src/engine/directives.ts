/**
 * `# migration-lint: ignore <rule> -- <reason>`: approval of a finding, which must say why. A suppression
 * without a reason, naming an unknown rule, or `ignore-file` outside the header approves nothing and is
 * reported itself, so an approval can never be silently wrong.
 */
import type { Suppression } from '../model/facts.js';
import { didYouMean } from '../errors.js';
import type { Doc } from './load.js';

export interface SuppressionCheck {
  /** The suppression that approves a finding of `rule` spanning these lines, if any. */
  match(rule: string, startLine: number, endLine: number): Suppression | null;
  problems: { suppression: Suppression; message: string }[];
}

export function checkSuppressions(list: Suppression[], ruleIds: Set<string>): SuppressionCheck {
  const valid: Suppression[] = [];
  const problems: SuppressionCheck['problems'] = [];
  for (const s of list) {
    const unknown = s.rules.filter((r) => !ruleIds.has(r));
    if (s.rules.length === 0) problems.push({ suppression: s, message: 'suppression names no rule: write `# migration-lint: ignore <rule> -- <reason>`' });
    else if (unknown.length) problems.push({ suppression: s, message: `suppression names unknown rule '${unknown[0]}'${didYouMean(unknown[0]!, ruleIds)}` });
    else if (!s.reason) problems.push({ suppression: s, message: `suppression of ${s.rules.join(', ')} gives no reason, so it does not apply: add \` -- <why this is approved>\`` });
    else if (s.misplaced) problems.push({ suppression: s, message: '`ignore-file` must stand in the file header, before the first def; it does not apply here' });
    else valid.push(s);
  }
  return {
    problems,
    match(rule, startLine, endLine) {
      for (const s of valid) {
        if (!s.rules.includes(rule)) continue;
        if (s.file) return s;
        // A trailing comment may sit on any line of a multi-line call; a standalone one approves the line below.
        if (s.targetLine === s.line ? s.line >= startLine && s.line <= endLine : s.targetLine === startLine) return s;
      }
      return null;
    },
  };
}

/** The suppression comments of each document of a pass, checked once per document. */
export class Directives {
  private readonly checks = new Map<string, SuppressionCheck>();

  constructor(private readonly ruleIds: Set<string>) {}

  of(doc: Doc): SuppressionCheck {
    let c = this.checks.get(doc.rel);
    if (!c) {
      c = checkSuppressions(doc.file?.facts.suppressions ?? [], this.ruleIds);
      this.checks.set(doc.rel, c);
    }
    return c;
  }
}
