/** Where something is in a file's decoded text: UTF-16 offsets, as every layer counts them. */
export interface Span {
  start: number;
  end: number;
}

/** A 1-based line and column (in code points), as users see them; parse/source.ts converts spans into these. */
export interface Position {
  line: number;
  column: number;
}
