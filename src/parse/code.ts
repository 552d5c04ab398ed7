/**
 * Python code reduced to what it means, token by token, so that two versions of a file can be compared for
 * what they run rather than how they are spelt: comments, imports and string-only statements (docstrings) left
 * out; string literals as the value they denote (quotes, prefixes, escapes and implicit concatenation do not
 * count), with an f-string's replacement fields compared as code; numbers as their value (`1_000`, `0x3e8` and
 * `1000` are one number); parentheses that change nothing left out; a trailing comma ignored (except the one
 * that makes a one-item tuple). Blocks are marked, so that moving a statement out of a loop is a change.
 */
import type { Span } from '../model/span.js';
import { parsePython, type SyntaxNode } from './python.js';
import { decodeStringLiteral } from './strings.js';

export interface CodeToken {
  key: string;
  span: Span;
}

const CLOSING = new Set([')', ']', '}']);
const STRINGS = new Set(['String', 'ContinuedString', 'FormatString']);
/** Expressions whose operands bind tighter or looser than a parenthesized operand might: parentheses there may matter. */
const OPERATORS = new Set(['BinaryExpression', 'UnaryExpression', 'ConditionalExpression', 'MemberExpression', 'CallExpression', 'AwaitExpression', 'LambdaExpression', 'NamedExpression']);
/** Operands that are one unit whatever surrounds them: parentheses around them never matter. */
const ATOMS = new Set([
  'VariableName', 'Number', 'String', 'ContinuedString', 'FormatString', 'Boolean', 'None', 'Ellipsis', 'CallExpression', 'MemberExpression',
  'ParenthesizedExpression', 'TupleExpression', 'ArrayExpression', 'DictionaryExpression', 'SetExpression', 'ComprehensionExpression',
  'ArrayComprehensionExpression', 'DictionaryComprehensionExpression', 'SetComprehensionExpression',
]);

/** The tokens of a module, as it runs. */
export function codeTokens(text: string): CodeToken[] {
  const out: CodeToken[] = [];
  visit(parsePython(text).topNode, text, out, true);
  return out;
}

/** One key for the source text of an expression, by the same reduction. */
export function expressionKey(source: string): string {
  const out: CodeToken[] = [];
  // In parentheses, so that an expression over several lines parses; redundant ones are dropped anyway.
  visit(parsePython(`(${source}\n)`).topNode, `(${source}\n)`, out, false);
  return out.map((t) => t.key).join(' ');
}

function visit(node: SyntaxNode, text: string, out: CodeToken[], module: boolean): void {
  for (let c = node.firstChild; c; c = c.nextSibling) emit(c, text, out, module);
}

function emit(c: SyntaxNode, text: string, out: CodeToken[], module: boolean): void {
  const span = { start: c.from, end: c.to };
  if (c.name === 'Comment' || (module && c.name === 'ImportStatement')) return;
  if (module && c.name === 'ExpressionStatement' && c.firstChild && !c.firstChild.nextSibling && STRINGS.has(c.firstChild.name)) return;
  if (STRINGS.has(c.name)) {
    out.push({ key: `s${stringKey(c, text)}`, span });
  } else if (c.name === 'Number') {
    out.push({ key: `n${numberValue(text.slice(c.from, c.to))}`, span });
  } else if (c.name === 'ParenthesizedExpression' && redundant(c, text)) {
    for (let k = c.firstChild; k; k = k.nextSibling) if (k.name !== '(' && k.name !== ')') emit(k, text, out, module);
  } else if (c.name === ',' && c.nextSibling && CLOSING.has(c.nextSibling.name) && !singleTuple(c.parent)) {
    // A trailing comma changes nothing, but the one of `('a',)`.
  } else if (!c.firstChild) {
    const t = text.slice(c.from, c.to).trim();
    if (t) out.push({ key: t, span });
  } else if (c.name === 'Body') {
    out.push({ key: '{', span: { start: c.from, end: c.from } });
    visit(c, text, out, module);
    out.push({ key: '}', span: { start: c.to, end: c.to } });
  } else {
    visit(c, text, out, module);
  }
}

/** `("a")`, `(f(x))`, `x = (a + b)`: parentheses around one operand, or around a whole expression that stands alone. */
function redundant(paren: SyntaxNode, text: string): boolean {
  let inner: SyntaxNode | null = null;
  for (let c = paren.firstChild; c; c = c.nextSibling) {
    if (c.name === '(' || c.name === ')' || c.name === 'Comment') continue;
    if (inner) return false;
    inner = c;
  }
  if (!inner || inner.name === 'YieldExpression' || inner.type.isError) return false;
  const parent = paren.parent;
  if (ATOMS.has(inner.name) || !OPERATORS.has(parent?.name ?? '')) return true;
  // An operand of a binary operator that binds tighter than it: `1 + (2 * 3)`, `(a * b) + c`, `2 ** (-1)`.
  if (parent?.name !== 'BinaryExpression') return false;
  const outer = precedence(parent, text);
  const left = parent.firstChild?.from === paren.from;
  if (inner.name === 'UnaryExpression') {
    // `not x` binds looser than every operator but `and`/`or`; `-x` tighter than all but `**` on its left.
    return inner.firstChild?.name === 'not' ? outer < 3 : outer < 11 || (outer === 12 && !left);
  }
  if (inner.name !== 'BinaryExpression') return false;
  const own = precedence(inner, text);
  if (own > outer) return true;
  // Same level, where grouping is the operator's own: left for all but `**` (right), never for comparisons (chains).
  return own === outer && own !== 4 && (outer === 12 ? !left : left);
}

const OPERATOR_PRECEDENCE: Record<string, number> = { '|': 5, '^': 6, '&': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '@': 10, '/': 10, '//': 10, '%': 10, '**': 12 };

/** Python's binding strength of a binary expression's operator (higher binds tighter). */
function precedence(node: SyntaxNode, text: string): number {
  for (let c = node.firstChild?.nextSibling ?? null; c; c = c.nextSibling) {
    if (c.name === 'or') return 1;
    if (c.name === 'and') return 2;
    if (c.name === 'CompareOp' || c.name === 'in' || c.name === 'not' || c.name === 'is') return 4;
    if (c.name === 'BitOp' || c.name === 'ArithOp') return OPERATOR_PRECEDENCE[text.slice(c.from, c.to)] ?? 0;
  }
  return 0;
}

/** `('a',)`: the one comma that makes a tuple. */
function singleTuple(node: SyntaxNode | null): boolean {
  if (!node || node.name !== 'TupleExpression') return false;
  let commas = 0;
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === ',') commas++;
  return commas === 1;
}

/**
 * What a string literal, or several implicitly concatenated, denotes: bytes or text, and its parts, literal text
 * (decoded, adjacent pieces joined) and f-string replacement fields (as code, with their conversion and spec).
 */
export function stringKey(node: SyntaxNode, text: string): string {
  const parts: (string | string[])[] = [];
  let bytes = false;
  const literal = (s: string) => {
    const last = parts[parts.length - 1];
    if (typeof last === 'string') parts[parts.length - 1] = last + s;
    else parts.push(s);
  };
  const pieces: SyntaxNode[] = [];
  if (node.name === 'ContinuedString') {
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === 'String' || c.name === 'FormatString') pieces.push(c);
  } else pieces.push(node);
  for (const piece of pieces) {
    const raw = text.slice(piece.from, piece.to);
    const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(raw);
    if (!m || !raw.endsWith(m[2]!) || raw.length < m[0].length + m[2]!.length) {
      literal(raw);
      continue;
    }
    const prefix = m[1]!.toLowerCase();
    const quote = m[2]!;
    bytes ||= prefix.includes('b');
    const decode = (body: string) => decodeStringLiteral(`${prefix.replace('f', '')}${quote}${body}${quote}`)?.value ?? body;
    if (piece.name !== 'FormatString') {
      literal(decode(raw.slice(m[0].length, raw.length - quote.length)));
      continue;
    }
    let at = piece.from + m[0].length;
    const end = piece.to - quote.length;
    for (let c = piece.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'FormatReplacement') continue;
      literal(decode(text.slice(at, c.from).replace(/\{\{/g, '{').replace(/\}\}/g, '}')));
      parts.push(fieldKey(c, text));
      at = c.to;
    }
    literal(decode(text.slice(at, end).replace(/\{\{/g, '{').replace(/\}\}/g, '}')));
  }
  return JSON.stringify([bytes ? 'b' : 't', ...parts]);
}

/** `{expr!r:>10}`: the expression as code; `{expr=}` prints its text, so there the text itself counts. */
function fieldKey(field: SyntaxNode, text: string): string[] {
  const extra: string[] = [];
  const code: CodeToken[] = [];
  let exprFrom = -1;
  for (let c = field.firstChild; c; c = c.nextSibling) {
    if (c.name === '{' || c.name === '}') continue;
    if (c.name === 'FormatConversion' || c.name === 'FormatSpec') extra.push(text.slice(c.from, c.to));
    else if (c.name === 'FormatSelfDoc') extra.push(`=${text.slice(exprFrom, c.from)}`);
    else {
      if (exprFrom === -1) exprFrom = c.from;
      emit(c, text, code, false);
    }
  }
  return [code.map((t) => t.key).join(' '), ...extra];
}

/**
 * The value a number literal denotes, by kind: `i1000` for `1_000`, `0x3e8` and `1000`; `f1` for `1.`, `1.0` and
 * `1e0` (an int and a float are not the same argument to every callee); `j…` for imaginary numbers.
 */
export function numberValue(raw: string): string {
  const s = raw.replace(/_/g, '').toLowerCase();
  if (s.endsWith('j')) return `j${Number(s.slice(0, -1))}`;
  if (/^0[xob]/.test(s)) {
    try {
      return `i${BigInt(s).toString()}`;
    } catch {
      return `?${raw}`;
    }
  }
  if (/^\d+$/.test(s)) return `i${BigInt(s).toString()}`;
  const f = Number(s);
  return Number.isNaN(f) ? `?${raw}` : `f${f}`;
}
