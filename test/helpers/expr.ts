import { parsePython, toExpr } from '../../src/parse/python.js';
import type { Expr } from '../../src/model/expr.js';

/** The `Expr` of a one-statement module's expression. */
export function expr(code: string): Expr {
  const node = parsePython(code).topNode.firstChild?.firstChild;
  if (!node) throw new Error(`no expression: ${code}`);
  return toExpr(node, code);
}
