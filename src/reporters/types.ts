import type { LintResult } from '../model/result.js';
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
  /**
   * The text the run linted for a reported path (BOM removed), when it can still be had: the outputs that count
   * columns in other units (reviewdog's UTF-8 bytes) or fingerprint the flagged code (GitLab) read it.
   */
  source?: (file: string) => string | null;
}

export type Reporter = (ctx: ReportContext) => string;
