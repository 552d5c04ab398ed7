import type { LintResult } from '../engine/lint.js';
import type { Rule } from '../rules/types.js';

export interface ReportContext {
  result: LintResult;
  rules: Rule[];
  color: boolean;
  quiet: boolean;
  reportSuppressed: boolean;
  version: string;
  /** Where docs pages live, for links in SARIF and stylish output. */
  docsBase: string;
}

export type Reporter = (ctx: ReportContext) => string;
