/**
 * A Python expression as facts and rules read it: a small serialisable tree that parse/python.ts builds from
 * the syntax tree, so that nothing above the parser touches parser objects (and facts can be cached).
 */
import type { Span } from './span.js';

/** `name=value` in a call, whatever a reader makes of the value (`Expr` here, the model reader's own values). */
export interface Kwarg<V = Expr> {
  name: string;
  value: V;
}

export type Expr =
  | { kind: 'str'; value: string; formatted: boolean; span: Span }
  | { kind: 'num'; text: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'attr'; object: Expr; attr: string; span: Span }
  | { kind: 'call'; callee: Expr; args: Expr[]; kwargs: Kwarg[]; star: boolean; span: Span }
  | { kind: 'seq'; type: 'tuple' | 'list' | 'set'; items: Expr[]; span: Span }
  | { kind: 'other'; node: string; span: Span };
