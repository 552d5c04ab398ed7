/**
 * Python expressions as the model reader needs them: what facts' `Expr` covers plus subscripts
 * (`Optional[str]`, `Mapped[int]`), `X | None`, dicts and binary operators (`Path(__file__) / ".."`).
 * Anything else is `other`, which every reader treats as "not statically known".
 */
import { argumentNodes, children, kwarg, textOf, type SyntaxNode } from '../parse/python.js';
import type { Kwarg } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { decodeStringLiteral } from '../parse/strings.js';

export type KwValue = Kwarg<Value>;

export type Value =
  | { k: 'str'; v: string; span: Span }
  | { k: 'num'; v: number; span: Span }
  | { k: 'bool'; v: boolean; span: Span }
  | { k: 'none'; span: Span }
  | { k: 'name'; name: string; span: Span }
  | { k: 'attr'; obj: Value; attr: string; span: Span }
  | { k: 'call'; fn: Value; args: Value[]; kwargs: KwValue[]; star: boolean; span: Span }
  | { k: 'seq'; type: 'tuple' | 'list' | 'set'; items: Value[]; span: Span }
  | { k: 'dict'; entries: [Value, Value][]; open: boolean; span: Span }
  | { k: 'sub'; obj: Value; index: Value[]; span: Span }
  | { k: 'binop'; op: string; left: Value; right: Value; span: Span }
  | { k: 'other'; span: Span };

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ';', ':']);
const MAX_DEPTH = 100;

export function toValue(node: SyntaxNode, text: string, depth = 0): Value {
  const span = { start: node.from, end: node.to };
  if (depth > MAX_DEPTH) return { k: 'other', span };
  const sub = (n: SyntaxNode) => toValue(n, text, depth + 1);
  switch (node.name) {
    case 'String': {
      const lit = decodeStringLiteral(textOf(node, text));
      return lit && !lit.formatted && !lit.bytes ? { k: 'str', v: lit.value, span } : { k: 'other', span };
    }
    case 'ContinuedString': {
      let v = '';
      for (const part of children(node)) {
        const p = sub(part);
        if (p.k !== 'str') return { k: 'other', span };
        v += p.v;
      }
      return { k: 'str', v, span };
    }
    case 'Number': {
      const raw = textOf(node, text).replace(/_/g, '');
      const v = /^\d+$/.test(raw) ? Number(raw) : NaN;
      return Number.isFinite(v) ? { k: 'num', v, span } : { k: 'other', span };
    }
    case 'Boolean':
      return { k: 'bool', v: textOf(node, text) === 'True', span };
    case 'None':
      return { k: 'none', span };
    case 'VariableName':
      return { k: 'name', name: textOf(node, text), span };
    case 'ParenthesizedExpression': {
      const inner = children(node).filter((c) => !PUNCT.has(c.name));
      return inner.length === 1 ? sub(inner[0]!) : { k: 'other', span };
    }
    case 'MemberExpression': {
      const kids = children(node);
      const obj = kids[0];
      if (!obj) return { k: 'other', span };
      if (kids[1]?.name === '[') {
        const inner = kids.slice(2, -1).filter((c) => !PUNCT.has(c.name));
        // `X[a, b]` parses as one TupleExpression inside or as separate items, depending on the form.
        const items = inner.length === 1 && inner[0]!.name === 'TupleExpression' ? children(inner[0]!).filter((c) => !PUNCT.has(c.name)) : inner;
        return { k: 'sub', obj: sub(obj), index: items.map(sub), span };
      }
      const prop = kids[kids.length - 1];
      if (!prop || prop.name !== 'PropertyName') return { k: 'other', span };
      return { k: 'attr', obj: sub(obj), attr: textOf(prop, text), span };
    }
    case 'CallExpression': {
      const kids = children(node);
      const argList = kids.find((c) => c.name === 'ArgList');
      if (!kids[0] || !argList) return { k: 'other', span };
      const a = argumentNodes(argList, text);
      const fn = sub(kids[0]);
      // A generator argument (`f(x for x in y)`, `f((x for x in y))`) is not a value we can read.
      if (a.generator || a.args.some((n) => n.name === 'ComprehensionExpression')) return { k: 'call', fn, args: [], kwargs: [], star: true, span };
      const kwargs = a.kwargs.map(({ name, value }) => ({ name, value: sub(value) }));
      return { k: 'call', fn, args: a.args.map(sub), kwargs, star: a.star, span };
    }
    case 'TupleExpression':
    case 'ArrayExpression':
    case 'SetExpression': {
      const kids = children(node).filter((c) => !PUNCT.has(c.name));
      if (kids.some((c) => c.name === 'for' || c.name === '*')) return { k: 'other', span };
      const type = node.name === 'TupleExpression' ? 'tuple' : node.name === 'ArrayExpression' ? 'list' : 'set';
      return { k: 'seq', type, items: kids.map(sub), span };
    }
    case 'DictionaryExpression': {
      const kids = children(node).filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',');
      const entries: [Value, Value][] = [];
      let open = false;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i]!;
        if (c.name === '**') {
          open = true;
          i++;
          continue;
        }
        if (c.name === 'for') return { k: 'other', span };
        if (kids[i + 1]?.name === ':' && kids[i + 2]) {
          entries.push([sub(c), sub(kids[i + 2]!)]);
          i += 2;
        }
      }
      return { k: 'dict', entries, open, span };
    }
    case 'BinaryExpression': {
      const kids = children(node);
      if (kids.length !== 3) return { k: 'other', span };
      return { k: 'binop', op: textOf(kids[1]!, text), left: sub(kids[0]!), right: sub(kids[2]!), span };
    }
    default:
      return { k: 'other', span };
  }
}

/** `a.b.c` for a chain of names, else null. */
export function dotted(v: Value): string | null {
  if (v.k === 'name') return v.name;
  if (v.k === 'attr') {
    const base = dotted(v.obj);
    return base === null ? null : `${base}.${v.attr}`;
  }
  return null;
}

/** parse/python.ts's keyword lookup, over the model reader's values. */
export const kw = (call: Extract<Value, { k: 'call' }>, name: string): Value | undefined => kwarg(call, name);

/** A literal string, seen through `op.f(...)`, `conv(...)`, `quoted_name(...)`. */
export function str(v: Value | undefined): string | null {
  if (!v) return null;
  if (v.k === 'str') return v.v;
  if (v.k === 'call' && v.args.length >= 1) {
    const fn = dotted(v.fn);
    if (fn && /(^|\.)(f|conv|quoted_name)$/.test(fn)) return str(v.args[0]);
  }
  return null;
}

/** True / false for a literal bool, null for anything else (absent included). */
export function bool(v: Value | undefined): boolean | null {
  return v?.k === 'bool' ? v.v : null;
}

/** The items of a list/tuple literal, or null. */
export function items(v: Value | undefined): Value[] | null {
  return v?.k === 'seq' ? v.items : null;
}

/** Reads a string-keyed dict literal; null when a key is not a literal or the dict is open (`**x`). */
export function strDict(v: Value | undefined): Map<string, Value> | null {
  if (v?.k !== 'dict' || v.open) return null;
  const out = new Map<string, Value>();
  for (const [key, val] of v.entries) {
    const s = str(key);
    if (s === null) return null;
    out.set(s, val);
  }
  return out;
}
