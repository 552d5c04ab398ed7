/**
 * The Python parser seam: our fork of the lezer Python grammar (src/parse/grammar, chosen by measurement, see
 * docs/parser.md) plus the conversion of expressions into `Expr`, a small serialisable tree that facts, rules
 * and the model reader read without touching the parser, and the readings of it they share.
 */
import type { PartialParse, SyntaxNode, Tree } from '@lezer/common';
import { parser } from './grammar/parser.js';
import { structuralLimit } from './limits.js';
import { nulByte, type SyntaxProblem } from './strict.js';
import { decodeStringLiteral } from './strings.js';
export { withItems, type WithItem } from './with.js';
import type { Expr, Kwarg } from '../model/expr.js';
import type { Span } from '../model/span.js';

export type { SyntaxNode, Tree };

const cut = new WeakMap<Tree, SyntaxProblem>();
const deferred = new WeakMap<Tree, { problem: SyntaxProblem; text: string }>();

/** Why parsePython stopped before the end of the text (CPython stops there too), or null. */
export function cutShort(tree: Tree): SyntaxProblem | null {
  return cut.get(tree) ?? null;
}

/**
 * A statement CPython parses but cannot build a tree for (RecursionError): it refuses the file for that only
 * when nothing else is wrong with it, so the parser read the file with that statement blanked out (`text`,
 * same offsets and lines), and `problem` stands when the blanked text has no error of its own.
 */
export function tooDeepStatement(tree: Tree): { problem: SyntaxProblem; text: string } | null {
  return deferred.get(tree) ?? null;
}

// The same text is parsed by several readers in one run (env.py: the model reader, its include hooks and
// missing-lock-timeout's check of env.py). lezer's trees are immutable, so the last few are shared.
const RECENT = 4;
const recent: { text: string; tree: Tree }[] = [];

export function parsePython(text: string): Tree {
  const hit = recent.find((r) => r.text === text);
  if (hit) return hit.tree;
  const tree = parseText(text);
  if (recent.unshift({ text, tree }) > RECENT) recent.pop();
  return tree;
}

function parseText(text: string): Tree {
  // CPython refuses the file at a NUL, and past the nesting and depth it allows lezer either cuts its tree short
  // or builds one its cursors cannot walk: parse what comes before either only (offsets stay those of the whole
  // text). A binary file has a NUL within its first bytes, so megabytes of noise cost nothing.
  const nul = nulByte(text);
  const limit = structuralLimit(nul ? text.slice(0, nul.span.start) : text);
  const deep = limit && limit.kind === 'tokenizer' ? limit : nul;
  const blanked = limit && limit.kind === 'depth' && !deep ? blankStatement(text, limit.span.start, limit.end) : null;
  let tree: Tree;
  try {
    tree = parseAll(deep ? text.slice(0, deep.span.start) : (blanked ?? text));
  } catch (err) {
    // A tree too deep for lezer's own recursion that the scan did not foresee: CPython gives up on such
    // nesting as well. The file is refused, never a crash of the run.
    if (!(err instanceof RangeError)) throw err;
    tree = parser.parse('');
    cut.set(tree, { span: { start: 0, end: 0 }, message: 'too complex to parse: expressions nest deeper than the parser can follow' });
    return tree;
  }
  if (deep) cut.set(tree, deep);
  else if (blanked !== null) deferred.set(tree, { problem: limit!, text: blanked });
  return tree;
}

/**
 * lezer's LR runtime forces its way out of a production after 300 reductions that each span 2,000 characters
 * or more from the same start (a guard against trees too deep for its recursive readers), which cuts a long
 * `a or b or …`, comparison or `+` chain short with an error where CPython reads on to about 3,000 terms.
 * limits.ts refuses what CPython refuses before the parser runs, and every reader here walks iteratively, so
 * that guard only costs us false errors: its counter is reset before each step. The field is internal to
 * @lezer/lr (1.4): test/parse/differential.test.ts's long chains fail if it is renamed.
 */
function parseAll(text: string): Tree {
  const parse = parser.startParse(text) as PartialParse & { bigReductionCount?: number };
  for (;;) {
    if (parse.bigReductionCount !== undefined) parse.bigReductionCount = 0;
    const tree = parse.advance();
    if (tree) return tree;
  }
}

/**
 * The text with the statement [start, end) made harmless and the same length: a compound statement's header
 * keeps a header of its kind (its block follows), anything else becomes `pass`; line breaks stay.
 */
function blankStatement(text: string, start: number, end: number): string {
  const stmt = text.slice(start, end);
  const header = stmt.replace(/#[^\r\n]*$/, '').trimEnd().endsWith(':');
  const kw = /^(elif|except|case|while|if)(?![\w\u0080-\uffff])/.exec(stmt)?.[1];
  const stand = header ? (kw === 'except' ? 'except a:' : kw ? `${kw} 1:` : 'if 1:') : 'pass';
  return text.slice(0, start) + stand + stmt.slice(stand.length).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length)) + text.slice(end);
}

export function spanOf(node: SyntaxNode): Span {
  return { start: node.from, end: node.to };
}

export function textOf(node: SyntaxNode, text: string): string {
  return text.slice(node.from, node.to);
}

/** Children of a node, comments left out: they never change what an expression means. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name !== 'Comment') out.push(c);
  }
  return out;
}

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ';']);

/**
 * Deeper than CPython's own limit (200 nested brackets): a hostile file nested 20,000 deep must not overflow
 * the stack here or in every recursive reader of Expr; what lies below is `other`.
 */
const MAX_EXPR_DEPTH = 200;
let exprDepth = 0;

export function toExpr(node: SyntaxNode, text: string): Expr {
  if (exprDepth >= MAX_EXPR_DEPTH) return { kind: 'other', node: node.name, span: spanOf(node) };
  exprDepth++;
  try {
    return exprOf(node, text);
  } finally {
    exprDepth--;
  }
}

function exprOf(node: SyntaxNode, text: string): Expr {
  const span = spanOf(node);
  switch (node.name) {
    case 'String': {
      const lit = decodeStringLiteral(textOf(node, text));
      if (!lit) return { kind: 'other', node: node.name, span };
      return lit.bytes ? { kind: 'str', value: lit.value, formatted: lit.formatted, bytes: true, span } : { kind: 'str', value: lit.value, formatted: lit.formatted, span };
    }
    case 'FormatString': {
      const lit = decodeStringLiteral(textOf(node, text));
      if (!lit) return { kind: 'other', node: node.name, span };
      return { kind: 'str', value: lit.value, formatted: true, span };
    }
    case 'ContinuedString': {
      // Implicit concatenation: 'a' 'b' is one literal to Python.
      let value = '';
      let formatted = false;
      let bytes = false;
      for (const part of children(node)) {
        const e = toExpr(part, text);
        if (e.kind !== 'str') return { kind: 'other', node: node.name, span };
        value += e.value;
        formatted ||= e.formatted;
        bytes ||= !!e.bytes;
      }
      return bytes ? { kind: 'str', value, formatted, bytes, span } : { kind: 'str', value, formatted, span };
    }
    case 'Number':
      return { kind: 'num', text: textOf(node, text), span };
    case 'Boolean':
      return { kind: 'bool', value: textOf(node, text) === 'True', span };
    case 'None':
      return { kind: 'none', span };
    case 'VariableName':
      return { kind: 'name', name: textOf(node, text), span };
    case 'MemberExpression': {
      const kids = children(node);
      const obj = kids[0];
      if (obj && kids[1]?.name === '[') {
        const inner = kids.slice(2, -1).filter((k) => !PUNCT.has(k.name) && k.name !== ':');
        // `X[a, b]` parses as one TupleExpression inside or as separate items, depending on the form.
        const items = inner.length === 1 && inner[0]!.name === 'TupleExpression' ? children(inner[0]!).filter((k) => !PUNCT.has(k.name)) : inner;
        return { kind: 'sub', object: toExpr(obj, text), index: items.map((k) => toExpr(k, text)), span };
      }
      const prop = kids[kids.length - 1];
      if (!obj || !prop || prop.name !== 'PropertyName') return { kind: 'other', node: node.name, span };
      return { kind: 'attr', object: toExpr(obj, text), attr: textOf(prop, text), span };
    }
    case 'CallExpression': {
      const kids = children(node);
      const callee = kids[0];
      const argList = kids.find((k) => k.name === 'ArgList');
      if (!callee || !argList) return { kind: 'other', node: node.name, span };
      const { args, kwargs, star } = readArgList(argList, text);
      return { kind: 'call', callee: toExpr(callee, text), args, kwargs, star, span };
    }
    case 'TupleExpression':
    case 'ArrayExpression':
    case 'SetExpression': {
      const items = children(node)
        .filter((k) => !PUNCT.has(k.name))
        .map((k) => toExpr(k, text));
      const type = node.name === 'TupleExpression' ? 'tuple' : node.name === 'ArrayExpression' ? 'list' : 'set';
      return { kind: 'seq', type, items, span };
    }
    case 'DictionaryExpression': {
      const kids = children(node).filter((k) => !PUNCT.has(k.name));
      const entries: [Expr, Expr][] = [];
      let open = false;
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i]!;
        if (k.name === '**') {
          open = true;
          i++;
          continue;
        }
        if (kids[i + 1]?.name === ':' && kids[i + 2]) {
          entries.push([toExpr(k, text), toExpr(kids[i + 2]!, text)]);
          i += 2;
        }
      }
      return { kind: 'dict', entries, open, span };
    }
    case 'BinaryExpression': {
      const kids = children(node);
      // `a not in b`, `a is not b` have two operator tokens: not read.
      if (kids.length !== 3) return { kind: 'other', node: node.name, span };
      return { kind: 'binop', op: textOf(kids[1]!, text), left: toExpr(kids[0]!, text), right: toExpr(kids[2]!, text), span };
    }
    case 'ParenthesizedExpression': {
      const inner = children(node).filter((k) => !PUNCT.has(k.name));
      if (inner.length === 1) return toExpr(inner[0]!, text);
      return { kind: 'other', node: node.name, span };
    }
    default:
      return { kind: 'other', node: node.name, span };
  }
}

/**
 * Positional and keyword arguments of a call. `*args`/`**kw` make the argument list open-ended (`star`), and so
 * does a bare generator (`f(x for x in y)`), read as no arguments; a parenthesized one (`f(a, (x for x in y))`)
 * is one argument, `other`.
 */
export function readArgList(argList: SyntaxNode, text: string): { args: Expr[]; kwargs: Kwarg[]; star: boolean } {
  const out: { args: Expr[]; kwargs: Kwarg[]; star: boolean } = { args: [], kwargs: [], star: false };
  const kids = children(argList);
  if (kids.some((k) => k.name === 'for')) return { ...out, star: true };
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (PUNCT.has(k.name)) continue;
    if (k.name === '*' || k.name === '**') {
      out.star = true;
      i++;
      continue;
    }
    const next = kids[i + 1];
    if (k.name === 'VariableName' && next?.name === 'AssignOp') {
      const value = kids[i + 2];
      // `f(x := 1)` passes the value by position; only `=` names a keyword.
      if (value && textOf(next, text) === '=') out.kwargs.push({ name: textOf(k, text), value: toExpr(value, text) });
      else if (value) out.args.push(toExpr(value, text));
      i += 2;
      continue;
    }
    out.args.push(toExpr(k, text));
  }
  return out;
}

/** `sa.Column` for an attribute chain of names, null for anything else. */
export function dottedName(e: Expr): string | null {
  if (e.kind === 'name') return e.name;
  if (e.kind === 'attr') {
    const base = dottedName(e.object);
    return base === null ? null : `${base}.${e.attr}`;
  }
  return null;
}

/** The keyword argument `name` of a call or an Alembic operation: the one lookup every reader uses. */
export function kwarg(call: { kwargs: readonly Kwarg[] }, name: string): Expr | undefined {
  return call.kwargs.find((k) => k.name === name)?.value;
}

/** An argument that may be given by position (`index`) or by keyword (`name`); the keyword wins, as in Python. */
export function argument(call: { args: readonly Expr[]; kwargs: readonly Kwarg[] }, index: number, name: string): Expr | undefined {
  return kwarg(call, name) ?? call.args[index];
}

/** A literal string, seen through Alembic's `op.f('name')` and SQLAlchemy's `sa.text('…')` wrappers. */
export function literalString(e: Expr | undefined): string | null {
  if (!e) return null;
  if (e.kind === 'str') return e.formatted ? null : e.value;
  if (e.kind === 'call' && e.args.length === 1) {
    const callee = dottedName(e.callee);
    if (callee && /(^|\.)(f|text|conv|quoted_name)$/.test(callee)) return literalString(e.args[0]);
  }
  return null;
}

/** True or false for a literal bool, null for anything else (absent included). */
export function literalBool(e: Expr | undefined): boolean | null {
  return e?.kind === 'bool' ? e.value : null;
}

/** Whether a keyword is given as the literal True; a variable is not assumed either way. */
export function isTrue(e: Expr | undefined): boolean {
  return literalBool(e) === true;
}

export function isFalse(e: Expr | undefined): boolean {
  return literalBool(e) === false;
}

export function isErrorNode(node: SyntaxNode): boolean {
  return node.type.isError;
}
