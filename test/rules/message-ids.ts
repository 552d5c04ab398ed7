/**
 * Rule tests that assert which of the rule's messages (RuleMeta.messages) a finding is, not its wording, as
 * ESLint's RuleTester asserts `messageId` and `data`: positions stay exact, the template's text is the rule's.
 */
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { ruleById } from '../../src/rules/index.js';
import { resolveReport } from '../../src/rules/types.js';
import { brief, fixtureDir, lintDir, lintProject, type ConfigOverrides, type Found, type ProjectSpec } from './helpers.js';

export interface FoundId extends Found {
  messageId: string | null;
}

export function briefId(d: Diagnostic): FoundId {
  return { ...brief(d), messageId: d.messageId ?? null };
}

/**
 * What a finding reported by `messageId` says: with `data`, the rule's template filled with it, so that the
 * values are asserted and the wording is not; without, any text.
 */
export function byId(rule: string, messageId: string, data?: Record<string, string | number>): { messageId: string; message: string } {
  const meta = ruleById.get(rule)?.meta;
  if (!meta) throw new Error(`no rule ${rule}`);
  const message = data ? resolveReport(meta, { span: { start: 0, end: 0 }, messageId, data }).message : (expect.any(String) as unknown as string);
  return { messageId, message };
}

/** Diagnostics of one rule in a throwaway project, with their message ids. */
export function lintRuleIds(rule: string, spec: ProjectSpec, overrides: ConfigOverrides = {}): FoundId[] {
  return lintProject(spec, overrides)
    .diagnostics.filter((d) => d.rule === rule)
    .map(briefId);
}

/** A rule's findings on a fixture case, with their message ids. */
export function lintFixtureIds(rule: string, kase: string, overrides: ConfigOverrides = {}): FoundId[] {
  return lintDir(fixtureDir(rule, kase), overrides)
    .diagnostics.filter((d) => d.rule === rule)
    .map(briefId);
}

/** A finding's message id and message, to compare with byId() where positions are asserted elsewhere. */
export function said(f: FoundId): { messageId: string | null; message: string } {
  return { messageId: f.messageId, message: f.message };
}
