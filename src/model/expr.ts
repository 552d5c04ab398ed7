/**
 * A Python expression as facts and rules read it: a small serialisable tree that parse/python.ts builds from
 * the syntax tree, so that nothing above the parser touches parser objects (and facts can be cached).
 */
import type { Span } from './span.js';

export interface Kwarg {
  name: string;
  value: Expr;
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
