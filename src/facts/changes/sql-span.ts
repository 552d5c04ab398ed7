/**
 * Where a SQL statement lies in the Python source: PostgreSQL's parser gives each statement's byte offset in
 * the SQL text; a string literal whose source holds exactly its value (no escapes, one piece) maps it back
 * to the file. Anything else (escapes, implicit concatenation, CRLF inside a triple-quoted string) maps to
 * nothing rather than to a wrong place.
 */
import { dottedName } from '../../parse/python.js';
import type { Expr } from '../../model/expr.js';
import type { Span } from '../../model/span.js';

const OPENING = /^([rRuU]{0,2})('''|"""|'|")/;

/** The source offset of the literal's first character of value, when the source spells the value verbatim. */
export function verbatimStart(e: Expr | undefined, text: string): number | null {
  if (!e) return null;
  if (e.kind === 'call' && e.args.length === 1 && /(^|\.)text$/.test(dottedName(e.callee) ?? '')) return verbatimStart(e.args[0], text);
  if (e.kind !== 'str' || e.formatted) return null;
  const raw = text.slice(e.span.start, e.span.end);
  const m = OPENING.exec(raw);
  if (!m) return null;
  const inner = raw.slice(m[0].length, raw.length - m[2]!.length);
  return inner === e.value ? e.span.start + m[0].length : null;
}

/** UTF-8 byte offset in `s` → UTF-16 offset. */
function charOffset(s: string, bytes: number): number {
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 0x80;
  if (ascii) return Math.min(bytes, s.length);
  return Buffer.from(s, 'utf8').subarray(0, bytes).toString('utf8').length;
}

/** The span of the statement at [byteStart, byteStart + byteLength) of `sql` (length 0: to the end), whitespace trimmed. */
export function statementSpan(sql: string, sourceStart: number, byteStart: number, byteLength: number): Span {
  let start = charOffset(sql, byteStart);
  let end = byteLength === 0 ? sql.length : charOffset(sql, byteStart + byteLength);
  const blank = (i: number) => sql.charCodeAt(i) <= 0x20;
  while (start < end && blank(start)) start++;
  while (end > start && blank(end - 1)) end--;
  return { start: sourceStart + start, end: sourceStart + end };
}
