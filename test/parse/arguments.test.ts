/** The argument list as the one expression reader (parse/python.ts) sees it, for facts and the model reader alike. */
import { describe, expect, it } from 'vitest';
import { dottedName, parsePython, readArgList, toExpr, type SyntaxNode } from '../../src/parse/python.js';
import type { Expr } from '../../src/model/expr.js';

/** The call of a one-statement module. */
function call(code: string): SyntaxNode {
  const node = parsePython(code).topNode.firstChild?.firstChild;
  if (node?.name !== 'CallExpression') throw new Error(`not a call: ${code}`);
  return node;
}

const exprText = (e: Expr) => dottedName(e) ?? (e.kind === 'num' ? e.text : e.kind);

function read(code: string) {
  const node = call(code);
  const e = readArgList(node.getChild('ArgList')!, code);
  const c = toExpr(node, code);
  if (c.kind !== 'call') throw new Error('toExpr read no call');
  // The call's own arguments are the argument list's.
  expect({ args: c.args, kwargs: c.kwargs, star: c.star }).toEqual(e);
  return { args: e.args.map(exprText), kwargs: e.kwargs.map((k) => [k.name, exprText(k.value)]), star: e.star };
}

describe('argument lists', () => {
  it('reads positional and keyword arguments in order, and `*`/`**` as open-ended', () => {
    expect(read('f(a, b.c, 1, key=d, *rest, **more)\n')).toEqual({ args: ['a', 'b.c', '1'], kwargs: [['key', 'd']], star: true });
    expect(read('f(a, key=1)\n').star).toBe(false);
  });

  it('passes the value of `name := value` by position: only `=` names a keyword', () => {
    expect(read('f(a, y := 2, k=3)\n')).toEqual({ args: ['a', '2'], kwargs: [['k', '3']], star: false });
  });

  it('reads a bare generator argument as an open argument list with nothing known', () => {
    expect(read('f(x for x in y)\n')).toEqual({ args: [], kwargs: [], star: true });
  });

  it('keeps a parenthesized generator as one unknown argument', () => {
    expect(read('f(a, (x for x in y))\n')).toEqual({ args: ['a', 'other'], kwargs: [], star: false });
  });
});
