import { defineRule } from './types.js';

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
  },
});
