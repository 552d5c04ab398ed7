/**
 * Errors CPython raises that the error-tolerant lezer grammar lets through without an error node: indentation
 * (lezer reads blocks from colons, never from columns), NUL bytes, characters no identifier may hold, a one-line
 * string broken by a lone CR, errors inside strings, assignments to what cannot be assigned, and arguments in
 * an order Python refuses. Without these, a file that stops `alembic upgrade` with a SyntaxError would be
 * linted as if it were fine; the fuzz suite (test/robustness) compares the verdicts with CPython's.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Span } from '../model/span.js';
import { withItems } from './with.js';

export interface SyntaxProblem {
  span: Span;
  message: string;
}

/** CPython refuses a NUL anywhere, before it tokenizes anything. */
export function nulByte(text: string): SyntaxProblem | null {
  const at = text.indexOf('\0');
  return at === -1 ? null : { span: { start: at, end: at + 1 }, message: 'source code cannot contain null bytes' };
}

/** The first of these problems in the file, or null. */
export function strictSyntaxError(top: SyntaxNode, text: string): SyntaxProblem | null {
  let first: SyntaxProblem | null = null;
  const found = (p: SyntaxProblem | null) => {
    if (p && (!first || p.span.start < first.span.start)) first = p;
  };
  found(indentation(top, text));
  top.cursor().iterate((n) => {
    if (first && n.from > first.span.start) return false;
    switch (n.name) {
      case 'String':
      case 'FormatString':
        found(brokenString(n.node, text));
        found(badEscape(n.node, text));
        found(errorInside(n.node));
        // Replacement fields of an f-string hold code: their names are checked below too.
        return n.name === 'FormatString' ? undefined : false;
      case 'VariableName':
      case 'PropertyName': {
        const name = text.slice(n.from, n.to);
        found(badIdentifier(n.from, name));
        // `x.None`: the grammar takes any word after a dot, Python no keyword.
        if (KEYWORDS.has(name)) found({ span: { start: n.from, end: n.to }, message: 'invalid syntax' });
        return false;
      }
      case 'AssignStatement':
        found(assignTargets(n.node));
        found(loneStar(n.node));
        return undefined;
      case 'ParenthesizedExpression':
        found(misplacedAs(n.node));
        found(loneStar(n.node));
        return undefined;
      case 'ExpressionStatement':
      case 'ReturnStatement':
        found(loneStar(n.node));
        return undefined;
      case 'UpdateStatement': {
        let target = n.node.firstChild;
        if (target && target.nextSibling?.name === ',') {
          found({ span: { start: target.from, end: target.to }, message: "'tuple' is an illegal expression for augmented assignment" });
          return undefined;
        }
        // `(o.a) += v`: parentheses around the target change nothing.
        while (target?.name === 'ParenthesizedExpression') {
          const inner: SyntaxNode | null = target.firstChild?.nextSibling ?? null;
          if (!inner || inner.nextSibling?.name !== ')') break;
          target = inner;
        }
        if (target && target.name !== 'VariableName' && target.name !== 'MemberExpression') {
          found({ span: { start: target.from, end: target.to }, message: `'${describe(target)}' is an illegal expression for augmented assignment` });
        }
        return undefined;
      }
      case 'Number':
        found(badNumber(n.from, text.slice(n.from, n.to)));
        return false;
      case 'NamedExpression': {
        const target = n.node.firstChild;
        if (target && target.name !== 'VariableName' && !target.type.isError) {
          found({ span: { start: target.from, end: target.to }, message: `cannot use assignment expressions with ${describe(target)}` });
        }
        return undefined;
      }
      case 'TupleExpression':
        found(misplacedAs(n.node));
        return undefined;
      case 'WithStatement':
        found(withTargets(n.node));
        return undefined;
      case 'PatternArgList':
        found(patternOrder(n.node));
        return undefined;
      case 'ParamList':
        found(parameterOrder(n.node));
        return undefined;
      case 'ContinuedString':
        found(mixedBytes(n.node, text));
        return undefined;
      case 'ArgList':
        found(argumentOrder(n.node, text));
        return undefined;
      case 'DecoratedStatement':
        found(decoratedAt(n.node, text));
        return undefined;
    }
    return undefined;
  });
  return first;
}

interface Indent {
  col: number;
  /** The column with tabs counted as one, as CPython keeps it to refuse ambiguous mixes of tabs and spaces. */
  alt: number;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

/**
 * CPython's tokenizer on indentation: every logical line (first token on its line, outside brackets, not
 * after a backslash) is compared with the stack of open indents.
 */
function indentation(top: SyntaxNode, text: string): SyntaxProblem | null {
  const stack: Indent[] = [{ col: 0, alt: 0 }];
  let depth = 0;
  let prevEnd = 0;
  let prevToken = '';
  let firstToken = true;
  const cursor = top.cursor();
  // Iterative, not recursive: a hostile file's tree may be thousands of levels deep.
  let level = 0;
  if (!cursor.firstChild()) return null;
  for (;;) {
    const atomic = cursor.name === 'String' || cursor.name === 'FormatString' || cursor.name === 'Comment';
    if (!atomic && cursor.firstChild()) {
      level++;
      continue;
    }
    if (cursor.name === 'Comment') {
      prevEnd = cursor.to;
    } else if (!(cursor.from === cursor.to && cursor.type.isError)) {
      const gap = text.slice(prevEnd, cursor.from);
      const lineStart = logicalLineStart(gap);
      if (depth === 0 && (firstToken || lineStart !== -1)) {
        // A logical line's indentation is that of its first physical line, before any backslash continuation.
        const from = lineStart === -1 ? lineStartOf(text, cursor.from) : prevEnd + lineStart;
        const indent = measure(/^[ \t\f]*/.exec(text.slice(from, cursor.from))![0]);
        const problem = checkIndent(stack, indent, prevToken === ':' && !firstToken, { start: cursor.from, end: Math.min(cursor.to, cursor.from + 1) });
        if (problem) return problem;
      }
      firstToken = false;
      if (OPEN.has(cursor.name)) depth++;
      else if (CLOSE.has(cursor.name)) depth = Math.max(0, depth - 1);
      prevEnd = cursor.to;
      prevToken = cursor.name;
    }
    while (!cursor.nextSibling()) {
      if (level === 0 || !cursor.parent()) return null;
      level--;
    }
  }
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Where the last logical line in the whitespace between two tokens starts (after a line break no backslash continues), or -1. */
function logicalLineStart(gap: string): number {
  let start = -1;
  for (let i = 0; i < gap.length; i++) {
    const c = gap[i];
    if (c !== '\n' && c !== '\r') continue;
    const continued = gap[i - 1] === '\\';
    if (c === '\r' && gap[i + 1] === '\n') i++;
    if (!continued) start = i + 1;
  }
  return start;
}

function measure(ws: string): Indent {
  let col = 0;
  let alt = 0;
  for (const c of ws) {
    if (c === ' ') {
      col++;
      alt++;
    } else if (c === '\t') {
      col = (Math.floor(col / 8) + 1) * 8;
      alt++;
    } else if (c === '\f') {
      col = 0;
      alt = 0;
    }
  }
  return { col, alt };
}

function checkIndent(stack: Indent[], at: Indent, opensBlock: boolean, span: Span): SyntaxProblem | null {
  const tabs = { span, message: 'inconsistent use of tabs and spaces in indentation' };
  let top = stack[stack.length - 1]!;
  if (at.col > top.col) {
    if (at.alt <= top.alt) return tabs;
    if (!opensBlock) return { span, message: 'unexpected indent' };
    if (stack.length >= 100) return { span, message: 'too many levels of indentation' };
    stack.push(at);
    return null;
  }
  if (at.col < top.col) {
    while (stack.length > 1 && at.col < top.col) {
      stack.pop();
      top = stack[stack.length - 1]!;
    }
    if (at.col !== top.col) return { span, message: 'unindent does not match any outer indentation level' };
  }
  if (at.alt !== top.alt) return tabs;
  if (opensBlock) return { span, message: 'expected an indented block' };
  return null;
}

/** The `def`/`class` under decorators starts its own line, at the decorators' indentation. */
function decoratedAt(node: SyntaxNode, text: string): SyntaxProblem | null {
  let def: SyntaxNode | null = null;
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') def = c;
  if (!def) return null;
  const lead = (at: number) => text.slice(lineStartOf(text, at), at);
  const defLead = lead(def.from);
  const span = { start: def.from, end: Math.min(def.to, def.from + 1) };
  if (!/^[ \t\f]*$/.test(defLead)) return { span, message: 'invalid syntax' };
  const want = measure(lead(node.from)).col;
  const got = measure(defLead).col;
  if (got === want) return null;
  return { span, message: got > want ? 'unexpected indent' : 'unexpected unindent' };
}

/** A one-line string that a lone CR ends: the grammar reads on, CPython sees the line end there. */
function brokenString(node: SyntaxNode, text: string): SyntaxProblem | null {
  const raw = text.slice(node.from, node.to);
  const m = /^[rRbBuUfF]{0,2}('''|"""|'|")/.exec(raw);
  if (!m || m[1]!.length === 3) return null;
  // Replacement fields of an f-string are code, which may span lines (PEP 701, 3.12).
  const fields: [number, number][] = [];
  if (node.name === 'FormatString') for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === 'FormatReplacement') fields.push([c.from - node.from, c.to - node.from]);
  for (let i = m[0].length; i < raw.length; i++) {
    const field = fields.find(([from, to]) => i >= from && i < to);
    if (field) {
      i = field[1] - 1;
      continue;
    }
    if (raw[i] === '\\') {
      i++;
      continue;
    }
    if (raw[i] === '\r' || raw[i] === '\n') return { span: { start: node.from, end: node.from + m[0].length }, message: 'unterminated string literal' };
  }
  return null;
}

function errorInside(node: SyntaxNode): SyntaxProblem | null {
  let err: SyntaxProblem | null = null;
  node.cursor().iterate((n) => {
    if (err) return false;
    if (n.type.isError) err = { span: { start: n.from, end: Math.max(n.to, n.from + 1) }, message: 'invalid syntax' };
    return undefined;
  });
  return err;
}

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Escapes CPython refuses when it compiles the literal: `\x` without two hex digits, `\u`/`\U`/`\N{…}` cut short. */
function badEscape(node: SyntaxNode, text: string): SyntaxProblem | null {
  const raw = text.slice(node.from, node.to);
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(raw);
  if (!m || /r/i.test(m[1]!) || !raw.includes('\\')) return null;
  const bytes = /b/i.test(m[1]!);
  const hex = (at: number, n: number) => new RegExp(`^[0-9a-fA-F]{${n}}`).test(raw.slice(at, at + n));
  for (let i = m[0].length; i < raw.length; i++) {
    if (raw[i] !== '\\') continue;
    const next = raw[i + 1];
    const span = { start: node.from + i, end: node.from + i + 2 };
    if (next === 'x' && !hex(i + 2, 2)) return { span, message: bytes ? 'invalid \\x escape' : 'truncated \\xXX escape' };
    if (!bytes && next === 'u' && !hex(i + 2, 4)) return { span, message: 'truncated \\uXXXX escape' };
    if (!bytes && next === 'U') {
      if (!hex(i + 2, 8)) return { span, message: 'truncated \\UXXXXXXXX escape' };
      if (parseInt(raw.slice(i + 2, i + 10), 16) > 0x10ffff) return { span, message: 'illegal Unicode character' };
    }
    if (!bytes && next === 'N' && !/^\{[^}\r\n]+\}/.test(raw.slice(i + 2))) return { span, message: 'malformed \\N character escape' };
    i++;
  }
  return null;
}

const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;

function badIdentifier(start: number, name: string): SyntaxProblem | null {
  if (IDENTIFIER.test(name)) return null;
  let offset = 0;
  let first = true;
  for (const ch of name) {
    if (!(first ? /[\p{XID_Start}_]/u : /\p{XID_Continue}/u).test(ch)) {
      const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      const message = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch) ? `invalid character '${ch}' (${code})` : `invalid non-printable character ${code}`;
      return { span: { start: start + offset, end: start + offset + ch.length }, message };
    }
    offset += ch.length;
    first = false;
  }
  return null;
}

const TARGETS = new Set(['VariableName', 'MemberExpression']);
const SEQUENCES = new Set(['TupleExpression', 'ArrayExpression', 'ParenthesizedExpression']);
const PUNCTUATION = new Set(['(', ')', '[', ']', ',', '*']);

function describe(node: SyntaxNode): string {
  switch (node.name) {
    case 'CallExpression':
      return 'function call';
    case 'Number':
    case 'String':
    case 'FormatString':
    case 'ContinuedString':
    case 'Boolean':
    case 'None':
      return 'literal';
    default:
      return 'expression';
  }
}

/** Everything left of an `=` must be a name, attribute, subscript, or a tuple or list of them. */
function assignTargets(stmt: SyntaxNode): SyntaxProblem | null {
  const kids: SyntaxNode[] = [];
  for (let c = stmt.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') kids.push(c);
  const typeDef = kids.findIndex((k) => k.name === 'TypeDef');
  if (typeDef > 0) {
    // `x: int = 1`: one name, attribute or subscript, perhaps in parentheses.
    const first = kids[0]!;
    const span = { start: first.from, end: first.to };
    if (typeDef > 1 || first.name === 'TupleExpression') return { span, message: 'only single target (not tuple) can be annotated' };
    if (first.name === 'ArrayExpression') return { span, message: 'only single target (not list) can be annotated' };
    if (!first.type.isError && (first.name === 'ParenthesizedExpression' ? invalidTarget(first) : !TARGETS.has(first.name))) {
      return { span, message: 'illegal target for annotation' };
    }
  }
  const lastAssign = kids.map((k) => k.name).lastIndexOf('AssignOp');
  if (lastAssign === -1) return null;
  for (const k of kids.slice(0, lastAssign)) {
    if (k.name === 'AssignOp' || k.name === ',' || k.name === '*' || k.name === 'TypeDef' || k.type.isError) continue;
    const bad = invalidTarget(k);
    if (bad) return { span: { start: bad.from, end: bad.to }, message: `cannot assign to ${describe(bad)}` };
  }
  return null;
}

function invalidTarget(node: SyntaxNode): SyntaxNode | null {
  if (TARGETS.has(node.name) || node.type.isError) return null;
  if (SEQUENCES.has(node.name)) {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (PUNCTUATION.has(c.name) || c.name === 'Comment') continue;
      const bad = invalidTarget(c);
      if (bad) return bad;
    }
    return null;
  }
  return node;
}

/** `b'a' 'b'`: implicit concatenation of bytes and str. */
function mixedBytes(node: SyntaxNode, text: string): SyntaxProblem | null {
  const kinds = new Set<boolean>();
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'String' || c.name === 'FormatString') kinds.add(/^[rRuUfF]?[bB]/.test(text.slice(c.from, c.from + 2)));
  }
  return kinds.size > 1 ? { span: { start: node.from, end: node.to }, message: 'cannot mix bytes and nonbytes literals' } : null;
}

/** `x = *a` or `*a` alone: a starred expression stands only in a tuple, list, set or call. */
function loneStar(node: SyntaxNode): SyntaxProblem | null {
  let star: SyntaxNode | null = null;
  let comma = false;
  const check = (): SyntaxProblem | null => (star && !comma ? { span: { start: star.from, end: star.to }, message: "can't use starred expression here" } : null);
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'AssignOp' || c.name === 'TypeDef') {
      const p = check();
      if (p) return p;
      star = null;
      comma = false;
    } else if (c.name === '*') star ??= c;
    else if (c.name === ',') comma = true;
  }
  return check();
}

/** Positional after keyword arguments, or `*args` after `**kwargs`: CPython's parser refuses both. */
function argumentOrder(list: SyntaxNode, text: string): SyntaxProblem | null {
  const names = new Set<string>();
  let keyword = false;
  let doubleStar = false;
  let item: SyntaxNode[] = [];
  const check = (): SyntaxProblem | null => {
    const parts = item;
    item = [];
    if (!parts.length) return null;
    const first = parts[0]!;
    const span = { start: first.from, end: parts[parts.length - 1]!.to };
    if (parts.some((p) => p.name === 'for' || p.name === 'async')) {
      // `f(x for x in y)` alone, or the generator in parentheses.
      return count > 1 ? { span, message: 'Generator expression must be parenthesized' } : null;
    }
    if (first.name === '**') {
      doubleStar = true;
      return null;
    }
    if (first.name === '*') return doubleStar ? { span, message: 'iterable argument unpacking follows keyword argument unpacking' } : null;
    if (parts[1]?.name === 'AssignOp' && text.slice(parts[1].from, parts[1].to) === '=') {
      keyword = true;
      const name = text.slice(first.from, first.to);
      if (names.has(name)) return { span: { start: first.from, end: first.to }, message: `keyword argument repeated: ${name}` };
      names.add(name);
      return null;
    }
    if (doubleStar) return { span, message: 'positional argument follows keyword argument unpacking' };
    if (keyword) return { span, message: 'positional argument follows keyword argument' };
    return null;
  };
  // The commas that separate arguments, not those between a comprehension's `for` and `in` (`for _, x in y`).
  const separators = new Set<number>();
  let inFor = false;
  for (let c = list.firstChild; c; c = c.nextSibling) {
    if (c.name === 'for') inFor = true;
    else if (c.name === 'in') inFor = false;
    else if (c.name === ',' && !inFor) separators.add(c.from);
  }
  // A generator argument stands alone: even a trailing comma after it is refused.
  const count = 1 + separators.size;
  for (let c = list.firstChild; c; c = c.nextSibling) {
    if (c.name === 'Comment' || c.name === '(' || c.type.isError) continue;
    if ((c.name === ',' && separators.has(c.from)) || c.name === ')') {
      const p = check();
      if (p) return p;
      continue;
    }
    item.push(c);
  }
  return check();
}

/** Messages of errors CPython's tokenizer raises (the rest come from its parser or compiler). */
const TOKENIZER_MESSAGE =
  /^(unterminated|unmatched|closing parenthesis|'.' was never closed|invalid (character|non-printable|decimal|hexadecimal|octal|binary)|leading zeros|unindent does not match|inconsistent use of tabs|too many|source code cannot)/;

export function isTokenizerError(p: SyntaxProblem): boolean {
  return TOKENIZER_MESSAGE.test(p.message);
}

/** Words CPython 3.11 still lets follow a number without a space (`1if x else 2`). */
const AFTER_NUMBER = /^(and|else|for|if|in|is|not|or)(?![\w\u0080-\uffff])/;

/**
 * After a syntax error, CPython tokenizes the rest of the file and reports the first tokenizer error it finds
 * there instead (a Python 2 file's `0777` or `10L` below its first `print "x"`): that error after `from`, or null.
 */
export function tokenizerErrorAfter(top: SyntaxNode, text: string, from: number): SyntaxProblem | null {
  let found: SyntaxProblem | null = null;
  top.cursor().iterate((n) => {
    // A number that ends where the error starts is in: `123L` is a parser error at `L` to lezer, a tokenizer one to CPython.
    if (found || n.to < from) return false;
    if (n.name === 'Number') {
      const raw = text.slice(n.from, n.to);
      found = badNumber(n.from, raw);
      if (!found && /[\w\u0080-\uffff]/.test(text[n.to] ?? '') && !AFTER_NUMBER.test(text.slice(n.to, n.to + 4))) {
        const kind = /^0[xX]/.test(raw) ? 'hexadecimal' : /^0[oO]/.test(raw) ? 'octal' : /^0[bB]/.test(raw) ? 'binary' : 'decimal';
        found = { span: { start: n.from, end: n.to + 1 }, message: `invalid ${kind} literal` };
      }
      return false;
    }
    if (n.from < from) return undefined;
    if (n.name === 'VariableName' || n.name === 'PropertyName') {
      found = badIdentifier(n.from, text.slice(n.from, n.to));
      return false;
    }
    if (n.name === 'String' || n.name === 'FormatString') {
      found = brokenString(n.node, text);
      return n.name === 'FormatString' && !found ? undefined : false;
    }
    return undefined;
  });
  return found;
}

const DIGITS = '\\d(?:_?\\d)*';
const EXPONENT = `[eE][+-]?${DIGITS}`;
const VALID_NUMBER = new RegExp(
  `^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?\\d)*|` +
    `(?:(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.)(?:${EXPONENT})?|${DIGITS}${EXPONENT}|${DIGITS})[jJ]|` +
    `(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.)(?:${EXPONENT})?|${DIGITS}${EXPONENT})$`,
);

/** CPython's tokenizer on numbers: `0777` (Python 2's octal), `1__0`, `1_` and friends. */
function badNumber(start: number, raw: string): SyntaxProblem | null {
  if (VALID_NUMBER.test(raw)) return null;
  const span = { start, end: start + raw.length };
  if (/^0\d(?:_?\d)*$/.test(raw)) return { span, message: 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers' };
  const kind = /^0[xX]/.test(raw) ? 'hexadecimal' : /^0[oO]/.test(raw) ? 'octal' : /^0[bB]/.test(raw) ? 'binary' : 'decimal';
  return { span, message: `invalid ${kind} literal` };
}

/**
 * `as` inside parentheses (which the grammar lets through for `with (a as x, b as y):`) stands only in the one
 * parenthesized list that is a `with` statement's whole list of items.
 */
function misplacedAs(node: SyntaxNode): SyntaxProblem | null {
  const as = node.getChild('as');
  if (!as) return null;
  const parent = node.parent;
  const span = { start: as.from, end: as.to };
  if (parent?.name !== 'WithStatement') return { span, message: 'invalid syntax' };
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (c.from === node.from || c.name === 'with' || c.name === 'async' || c.name === 'Body' || c.name === 'Comment') continue;
    return { span, message: 'invalid syntax' };
  }
  return null;
}

/** What `with … as` binds must be a target: a name, attribute, subscript, or a tuple or list of them. */
function withTargets(node: SyntaxNode): SyntaxProblem | null {
  for (const { target } of withItems(node)) {
    const bad = target && invalidTarget(target);
    if (bad) return { span: { start: bad.from, end: bad.to }, message: `cannot assign to ${describe(bad)}` };
  }
  return null;
}

/** `case Point(x=0, 1):` */
function patternOrder(list: SyntaxNode): SyntaxProblem | null {
  let keyword = false;
  for (let c = list.firstChild; c; c = c.nextSibling) {
    if (c.name === 'KeywordPattern') keyword = true;
    else if (keyword && c.type.is('Pattern')) return { span: { start: c.from, end: c.to }, message: 'positional patterns follow keyword patterns' };
  }
  return null;
}

/** Parameters in the order Python requires: `/` once and before `*`, no parameter without a default after one with. */
function parameterOrder(list: SyntaxNode): SyntaxProblem | null {
  let slash = false;
  let star = false;
  let defaulted = false;
  for (let c = list.firstChild; c; c = c.nextSibling) {
    const span = { start: c.from, end: c.to };
    if (c.name === '/') {
      if (slash) return { span, message: '/ may appear only once' };
      if (star) return { span, message: '/ must be ahead of *' };
      slash = true;
    } else if (c.name === '*') {
      if (star) return { span, message: '* argument may appear only once' };
      star = true;
    } else if (c.name === '**') {
      // Nothing may follow `**kwargs`; the grammar already refuses what does.
      star = true;
    } else if (c.name === 'VariableName' && !star && c.prevSibling?.name !== 'AssignOp') {
      // A parameter's name (not a default value that is a name): with or without its default.
      let next = c.nextSibling;
      if (next?.name === 'TypeDef') next = next.nextSibling;
      if (next?.name === 'AssignOp') defaulted = true;
      else if (defaulted) return { span, message: 'non-default argument follows default argument' };
    }
  }
  return null;
}

const LOOPS = new Set(['ForStatement', 'WhileStatement']);
const COMPREHENSIONS: Record<string, string> = {
  ArrayComprehensionExpression: 'list comprehension',
  SetComprehensionExpression: 'set comprehension',
  DictionaryComprehensionExpression: 'dict comprehension',
  ComprehensionExpression: 'generator expression',
};

/**
 * Errors of CPython's compiler, which it reports only when the file parses (so after every syntax error):
 * `return`, `yield` and `await` outside the function that allows them, `break` and `continue` outside a loop.
 */
export function compileError(top: SyntaxNode, text: string): SyntaxProblem | null {
  let first: SyntaxProblem | null = lateFuture(top, text);
  top.cursor().iterate((n) => {
    if (first) return false;
    switch (n.name) {
      case 'String':
      case 'Comment':
        return false;
      case 'ReturnStatement':
        first = outsideFunction(n.node, "'return' outside function", false);
        return undefined;
      case 'yield':
        first = outsideFunction(n.node, "'yield' outside function", true);
        return undefined;
      case 'AwaitExpression':
        first = awaitOutside(n.node);
        return undefined;
      case 'AssignStatement':
        first = manyStars(n.node);
        return undefined;
      case 'ScopeStatement':
        if (n.node.getChild('nonlocal') && !enclosing(n.node, 'FunctionDefinition')) {
          first = { span: spanOf(n.node), message: 'nonlocal declaration not allowed at module level' };
        }
        return undefined;
      case 'NamedExpression':
        first = rebindsIteration(n.node, text);
        return undefined;
      case 'BreakStatement':
      case 'ContinueStatement':
        first = outsideLoop(n.node, n.name === 'BreakStatement' ? "'break' outside loop" : "'continue' not properly in loop");
        return undefined;
    }
    return undefined;
  });
  return first;
}

const FUTURE_FEATURES = new Set(['nested_scopes', 'generators', 'division', 'absolute_import', 'with_statement', 'print_function', 'unicode_literals', 'barry_as_FLUFL', 'generator_stop', 'annotations']);

/** `from __future__ import …` after anything but the docstring and other such imports, or of a feature Python does not know. */
function lateFuture(top: SyntaxNode, text: string): SyntaxProblem | null {
  let other = false;
  let index = 0;
  const statements: SyntaxNode[] = [];
  for (let c = top.firstChild; c; c = c.nextSibling) {
    if (c.name === 'StatementGroup') for (let k = c.firstChild; k; k = k.nextSibling) statements.push(k);
    else statements.push(c);
  }
  for (const c of statements) {
    if (c.name === 'Comment' || c.name === ';') continue;
    index++;
    const future = c.name === 'ImportStatement' && /^from\s+__future__\s+import\b/.test(text.slice(c.from, c.to));
    if (future && other) return { span: spanOf(c), message: 'from __future__ imports must occur at the beginning of the file' };
    if (future) {
      for (let k = c.getChild('import')?.nextSibling ?? null; k; k = k.nextSibling) {
        if (k.name !== 'VariableName' || k.prevSibling?.name === 'as') continue;
        const feature = text.slice(k.from, k.to);
        if (feature === 'braces') return { span: spanOf(k), message: 'not a chance' };
        if (!FUTURE_FEATURES.has(feature)) return { span: spanOf(k), message: `future feature ${feature} is not defined` };
      }
    }
    const docstring = index === 1 && c.name === 'ExpressionStatement' && c.firstChild?.name === 'String' && !c.firstChild.nextSibling;
    if (!future && !docstring) other = true;
  }
  return null;
}

/** `[y for x in xs if (x := f(x))]`: a walrus may not rebind the iteration variable of its comprehension. */
function rebindsIteration(named: SyntaxNode, text: string): SyntaxProblem | null {
  const target = named.firstChild;
  if (target?.name !== 'VariableName') return null;
  const name = text.slice(target.from, target.to);
  for (let p = named.parent; p; p = p.parent) {
    if (p.name === 'FunctionDefinition' || p.name === 'LambdaExpression' || p.name === 'ClassDefinition') break;
    if (!(p.name in COMPREHENSIONS)) continue;
    let binding = false;
    for (let c = p.firstChild; c; c = c.nextSibling) {
      if (c.name === 'for') binding = true;
      else if (c.name === 'in') binding = false;
      else if (binding) {
        let hit = false;
        c.toTree().iterate({ enter: (v) => void (v.name === 'VariableName' && text.slice(c.from + v.from, c.from + v.to) === name && (hit = true)) });
        if (hit) return { span: spanOf(target), message: `assignment expression cannot rebind comprehension iteration variable '${name}'` };
      }
    }
  }
  return null;
}

/** `a, *b, *c = d`: one starred target per tuple or list of targets. */
function manyStars(stmt: SyntaxNode): SyntaxProblem | null {
  const star = (from: SyntaxNode | null, stop: (c: SyntaxNode) => boolean): SyntaxProblem | null => {
    let seen = false;
    for (let c = from; c && !stop(c); c = c.nextSibling) {
      if (c.name !== '*') continue;
      if (seen) return { span: spanOf(c), message: 'multiple starred expressions in assignment' };
      seen = true;
    }
    return null;
  };
  let segment: SyntaxNode | null = stmt.firstChild;
  for (let c = stmt.firstChild; c; c = c.nextSibling) {
    if (c.name === 'AssignOp') {
      const p = star(segment, (x) => x.name === 'AssignOp');
      if (p) return p;
      segment = c.nextSibling;
    } else if ((c.name === 'TupleExpression' || c.name === 'ArrayExpression') && c.nextSibling?.name === 'AssignOp') {
      const p = star(c.firstChild, () => false);
      if (p) return p;
    }
  }
  return null;
}

function outsideFunction(node: SyntaxNode, message: string, isYield: boolean): SyntaxProblem | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'FunctionDefinition' || (isYield && p.name === 'LambdaExpression')) return null;
    if (isYield && p.name in COMPREHENSIONS && !inFirstIterable(p, node)) return { span: spanOf(node), message: `'yield' inside ${COMPREHENSIONS[p.name]}` };
    if (p.name === 'ClassDefinition') break;
  }
  return { span: spanOf(node), message };
}

/** The outermost iterable of a comprehension (`[x for x in HERE]`) is evaluated in the enclosing scope. */
function inFirstIterable(comprehension: SyntaxNode, node: SyntaxNode): boolean {
  let afterIn = false;
  for (let c = comprehension.firstChild; c; c = c.nextSibling) {
    if (c.name === 'in') afterIn = true;
    else if (afterIn) return node.from >= c.from && node.to <= c.to;
  }
  return false;
}

function awaitOutside(node: SyntaxNode): SyntaxProblem | null {
  for (let p = node.parent; p; p = p.parent) {
    // `(await f(x) for x in y)` is an asynchronous generator expression, legal in any function (3.7+).
    if (p.name === 'ComprehensionExpression') return null;
    if (p.name === 'FunctionDefinition') return p.getChild('async') ? null : { span: spanOf(node), message: "'await' outside async function" };
    if (p.name === 'LambdaExpression') return { span: spanOf(node), message: "'await' outside async function" };
    if (p.name === 'ClassDefinition') break;
  }
  return { span: spanOf(node), message: "'await' outside function" };
}

function outsideLoop(node: SyntaxNode, message: string): SyntaxProblem | null {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    // The loop's own body, not its `else:` block.
    if (LOOPS.has(p.name) && child.name === 'Body' && p.getChild('Body')?.from === child.from) return null;
    if (p.name === 'FunctionDefinition' || p.name === 'ClassDefinition') break;
  }
  return { span: spanOf(node), message };
}

function enclosing(node: SyntaxNode, name: string): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) if (p.name === name) return p;
  return null;
}

function spanOf(node: SyntaxNode): Span {
  return { start: node.from, end: node.to };
}
