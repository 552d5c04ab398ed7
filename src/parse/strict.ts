/**
 * Errors CPython raises that the error-tolerant lezer grammar lets through without an error node: indentation
 * (lezer reads blocks from colons, never from columns), NUL bytes, characters no identifier may hold, a one-line
 * string broken by a lone CR, errors inside strings, assignments to what cannot be assigned, and arguments in
 * an order Python refuses. Without these, a file that stops `alembic upgrade` with a SyntaxError would be
 * linted as if it were fine; the fuzz suite (test/robustness) compares the verdicts with CPython's.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Span } from './source.js';

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
        found(errorInside(n.node));
        // Replacement fields of an f-string hold code: their names are checked below too.
        return n.name === 'FormatString' ? undefined : false;
      case 'VariableName':
      case 'PropertyName':
        found(badIdentifier(n.from, text.slice(n.from, n.to)));
        return false;
      case 'AssignStatement':
        found(assignTargets(n.node, text));
        return undefined;
      case 'UpdateStatement': {
        const target = n.node.firstChild;
        if (target && target.name !== 'VariableName' && target.name !== 'MemberExpression') {
          found({ span: { start: target.from, end: target.to }, message: `'${describe(target)}' is an illegal expression for augmented assignment` });
        }
        return undefined;
      }
      case 'ArgList':
        found(argumentOrder(n.node));
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
  let problem: SyntaxProblem | null = null;
  const cursor = top.cursor();
  const visit = (): void => {
    do {
      if (problem) return;
      const atomic = cursor.name === 'String' || cursor.name === 'FormatString' || cursor.name === 'Comment';
      if (!atomic && cursor.firstChild()) {
        visit();
        cursor.parent();
        continue;
      }
      if (cursor.from === cursor.to && cursor.type.isError) continue;
      if (cursor.name === 'Comment') {
        prevEnd = cursor.to;
        continue;
      }
      const gap = text.slice(prevEnd, cursor.from);
      if (depth === 0 && (firstToken || logicalBreak(gap))) {
        const indent = measure(text.slice(lineStartOf(text, cursor.from), cursor.from));
        problem = checkIndent(stack, indent, prevToken === ':' && !firstToken, { start: cursor.from, end: Math.min(cursor.to, cursor.from + 1) });
      }
      firstToken = false;
      if (OPEN.has(cursor.name)) depth++;
      else if (CLOSE.has(cursor.name)) depth = Math.max(0, depth - 1);
      prevEnd = cursor.to;
      prevToken = cursor.name;
    } while (cursor.nextSibling());
  };
  if (cursor.firstChild()) visit();
  return problem;
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** A line break in the whitespace between two tokens that a backslash does not continue. */
function logicalBreak(gap: string): boolean {
  for (let i = 0; i < gap.length; i++) {
    const c = gap[i];
    if (c !== '\n' && c !== '\r') continue;
    if (c === '\n' && gap[i - 1] === '\r') continue;
    if (gap[i - 1] !== '\\') return true;
  }
  return false;
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

/** A one-line string that a lone CR ends: the grammar reads on, CPython sees the line end there. */
function brokenString(node: SyntaxNode, text: string): SyntaxProblem | null {
  const raw = text.slice(node.from, node.to);
  const m = /^[rRbBuUfF]{0,2}('''|"""|'|")/.exec(raw);
  if (!m || m[1]!.length === 3) return null;
  for (let i = m[0].length; i < raw.length; i++) {
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
function assignTargets(stmt: SyntaxNode, _text: string): SyntaxProblem | null {
  const kids: SyntaxNode[] = [];
  for (let c = stmt.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') kids.push(c);
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

/** Positional after keyword arguments, or `*args` after `**kwargs`: CPython's parser refuses both. */
function argumentOrder(list: SyntaxNode): SyntaxProblem | null {
  let keyword = false;
  let doubleStar = false;
  let item: SyntaxNode[] = [];
  const check = (): SyntaxProblem | null => {
    const parts = item;
    item = [];
    if (!parts.length) return null;
    const first = parts[0]!;
    const span = { start: first.from, end: parts[parts.length - 1]!.to };
    if (parts.some((p) => p.name === 'for' || p.name === 'async')) return null;
    if (first.name === '**') {
      doubleStar = true;
      return null;
    }
    if (first.name === '*') return doubleStar ? { span, message: 'iterable argument unpacking follows keyword argument unpacking' } : null;
    if (parts[1]?.name === 'AssignOp') {
      keyword = true;
      return null;
    }
    if (doubleStar) return { span, message: 'positional argument follows keyword argument unpacking' };
    if (keyword) return { span, message: 'positional argument follows keyword argument' };
    return null;
  };
  for (let c = list.firstChild; c; c = c.nextSibling) {
    if (c.name === 'Comment' || c.name === '(' || c.type.isError) continue;
    if (c.name === ',' || c.name === ')') {
      const p = check();
      if (p) return p;
      continue;
    }
    item.push(c);
  }
  return check();
}
