/** The argument list as both expression readers see it: facts' `Expr` (parse/python.ts) and the model reader's values (orm/value.ts). */
import { describe, expect, it } from 'vitest';
import { dottedName, parsePython, readArgList, type SyntaxNode } from '../../src/parse/python.js';
import type { Expr } from '../../src/model/expr.js';
import { dotted, toValue, type Value } from '../../src/orm/value.js';

/** The call of a one-statement module. */
function call(code: string): SyntaxNode {
  const node = parsePython(code).topNode.firstChild?.firstChild;
  if (node?.name !== 'CallExpression') throw new Error(`not a call: ${code}`);
  return node;
}

const exprText = (e: Expr) => dottedName(e) ?? (e.kind === 'num' ? e.text : e.kind);
const valueText = (v: Value) => dotted(v) ?? (v.k === 'num' ? String(v.v) : v.k);

function both(code: string) {
  const node = call(code);
  const e = readArgList(node.getChild('ArgList')!, code);
  const v = toValue(node, code);
  if (v.k !== 'call') throw new Error('toValue read no call');
  return {
    expr: { args: e.args.map(exprText), kwargs: e.kwargs.map((k) => [k.name, exprText(k.value)]), star: e.star },
    value: { args: v.args.map(valueText), kwargs: v.kwargs.map((k) => [k.name, valueText(k.value)]), star: v.star },
  };
}

describe('argument lists', () => {
  it('reads positional and keyword arguments in order, and `*`/`**` as open-ended', () => {
    const { expr, value } = both('f(a, b.c, 1, key=d, *rest, **more)\n');
    expect(expr).toEqual({ args: ['a', 'b.c', '1'], kwargs: [['key', 'd']], star: true });
    expect(value).toEqual(expr);
    expect(both('f(a, key=1)\n').expr.star).toBe(false);
  });

  it('passes the value of `name := value` by position: only `=` names a keyword', () => {
    const { expr, value } = both('f(a, y := 2, k=3)\n');
    expect(expr).toEqual({ args: ['a', '2'], kwargs: [['k', '3']], star: false });
    expect(value).toEqual(expr);
  });

  it('reads a bare generator argument as an open argument list with nothing known', () => {
    const { expr, value } = both('f(x for x in y)\n');
    expect(expr).toEqual({ args: [], kwargs: [], star: true });
    expect(value).toEqual(expr);
  });

  it('keeps a parenthesized generator as one unknown argument for facts; the model reader reads no arguments', () => {
    const { expr, value } = both('f(a, (x for x in y))\n');
    expect(expr).toEqual({ args: ['a', 'other'], kwargs: [], star: false });
    expect(value).toEqual({ args: [], kwargs: [], star: true });
  });
});
