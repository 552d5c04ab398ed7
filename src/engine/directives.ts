/**
 * `# migration-lint: ignore <rule> -- <reason>`: approval of a finding, which must say why. A suppression
 * without a reason, naming an unknown rule, or `ignore-file` outside the header approves nothing and is
 * reported itself, so an approval can never be silently wrong.
 */
import type { Suppression } from '../model/facts.js';
import { closest } from '../errors.js';
import type { SuppressionProblem } from '../rules/invalid-suppression.js';
import type { Doc } from './load.js';

export interface SuppressionCheck {
  /** The suppression that approves a finding of `rule` spanning these lines, if any. */
  match(rule: string, startLine: number, endLine: number): Suppression | null;
  /** Reported under the rule that holds directive problems, by the id of its message (rules/invalid-suppression.ts). */
  problems: { suppression: Suppression; messageId: SuppressionProblem; data?: Record<string, string> }[];
}

export function checkSuppressions(list: Suppression[], ruleIds: Set<string>): SuppressionCheck {
  const valid: Suppression[] = [];
  const problems: SuppressionCheck['problems'] = [];
  for (const s of list) {
    const unknown = s.rules.filter((r) => !ruleIds.has(r));
    if (s.rules.length === 0) problems.push({ suppression: s, messageId: 'noRule' });
    else if (unknown.length) {
      const suggestion = closest(unknown[0]!, ruleIds);
      problems.push(
        suggestion
          ? { suppression: s, messageId: 'unknownRuleSuggestion', data: { rule: unknown[0]!, suggestion } }
          : { suppression: s, messageId: 'unknownRule', data: { rule: unknown[0]! } },
      );
    } else if (!s.reason) problems.push({ suppression: s, messageId: 'noReason', data: { rules: s.rules.join(', ') } });
    else if (s.misplaced) problems.push({ suppression: s, messageId: 'misplaced' });
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
