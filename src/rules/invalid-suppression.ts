import { defineRule } from './types.js';

/** What is wrong with a suppression comment: the id of the message the engine reports it with (engine/directives.ts). */
export type SuppressionProblem = 'noRule' | 'unknownRule' | 'unknownRuleSuggestion' | 'noReason' | 'misplaced';

const MESSAGES: Record<SuppressionProblem, string> = {
  noRule: 'suppression names no rule: write `# migration-lint: ignore <rule> -- <reason>`',
  unknownRule: "suppression names unknown rule '{rule}'",
  unknownRuleSuggestion: "suppression names unknown rule '{rule}' (did you mean '{suggestion}'?)",
  noReason: 'suppression of {rules} gives no reason, so it does not apply: add ` -- <why this is approved>`',
  misplaced: '`ignore-file` must stand in the file header, before the first def; it does not apply here',
};

/**
 * Suppressions are approvals, so a broken one must be visible. The engine checks them (it owns
 * suppression); this entry gives the finding its id, level, docs and config key.
 */
export default defineRule({
  meta: {
    id: 'invalid-suppression',
    description: 'A `# migration-lint: ignore` comment that approves nothing: no reason, an unknown rule, or `ignore-file` outside the header.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Write `# migration-lint: ignore <rule>[, <rule>] -- <reason>`; `ignore-file` goes before the first def.',
    reportsDirectiveProblems: true,
    messages: MESSAGES,
  },
});
