/** What a lint run says about a file: findings with their level, and the edits that fix them. */

export type Severity = 'error' | 'warning';
export type Level = Severity | 'off';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  /** What the fix does, in a few words ("insert `import sqlmodel`"). */
  description: string;
  edits: TextEdit[];
  /** The file the edits apply to (relative, `/`), when it is not the file the finding is on. */
  file?: string;
}

/** A finding placed in its file, as reporters print it. */
export interface Diagnostic {
  rule: string;
  severity: Severity;
  /** Relative to the working directory, `/` separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Which of the rule's message templates it is (RuleMeta.messages), when the rule names one; not in any output format. */
  messageId?: string;
  help: string;
  fixable: boolean;
  /**
   * The rule's fix, in the diagnostic's own coordinates (1-based lines, code-point columns, end exclusive), for
   * the outputs that offer it without applying it: reviewdog suggestions, editor code actions.
   */
  fix?: DiagnosticFix;
}

export interface DiagnosticEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

export interface DiagnosticFix {
  description: string;
  edits: DiagnosticEdit[];
}
