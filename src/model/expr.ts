/**
 * A Python expression as facts, rules and the model reader read it: a small serialisable tree that
 * parse/python.ts builds from the syntax tree, so that nothing above the parser touches parser objects (and
 * facts can be cached). What it does not model is `other`, which every reader treats as not statically known.
 */
import type { Span } from './span.js';

/** `name=value` in a call. */
export interface Kwarg {
  name: string;
  value: Expr;
}

export type Expr =
  /**
   * `formatted`: an f-string, whose `value` keeps its replacement fields as written (not the runtime value).
   * `bytes`: a bytes literal (`b'…'`), present only then; facts read its text, the model reader does not.
   */
  | { kind: 'str'; value: string; formatted: boolean; bytes?: true; span: Span }
  /** Any number as written (`1_000`, `0x10`, `1.5`): readers that need a value convert the text themselves. */
  | { kind: 'num'; text: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'none'; span: Span }
  | { kind: 'name'; name: string; span: Span }
  | { kind: 'attr'; object: Expr; attr: string; span: Span }
  | { kind: 'call'; callee: Expr; args: Expr[]; kwargs: Kwarg[]; star: boolean; span: Span }
  | { kind: 'seq'; type: 'tuple' | 'list' | 'set'; items: Expr[]; span: Span }
  /** `{k: v, **rest}`: the `key: value` entries in order; `open` when a `**` merges in entries not listed. */
  | { kind: 'dict'; entries: [Expr, Expr][]; open: boolean; span: Span }
  /** `Mapped[int]`, `X[a, b]`: the subscripted object and its indices (a slice's bounds are indices too). */
  | { kind: 'sub'; object: Expr; index: Expr[]; span: Span }
  /** `X | None`, `Path(__file__) / ".."`: a binary operator as written (`|`, `/`, `and`, `<`). */
  | { kind: 'binop'; op: string; left: Expr; right: Expr; span: Span }
  | { kind: 'other'; node: string; span: Span };

export type Call = Extract<Expr, { kind: 'call' }>;
