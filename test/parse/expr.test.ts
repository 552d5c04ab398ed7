/** The kinds of `Expr` beyond names, calls and literals: subscripts, dicts, binary operators, bytes and numbers as written. */
import { describe, expect, it } from 'vitest';
import { expr } from '../helpers/expr.js';

const span = (start: number, end: number) => ({ start, end });
const name = (n: string, start: number) => ({ kind: 'name', name: n, span: span(start, start + n.length) });

describe('subscripts', () => {
  it('reads `Optional[str]` as the object and its one index', () => {
    expect(expr('Optional[str]\n')).toEqual({ kind: 'sub', object: name('Optional', 0), index: [name('str', 9)], span: span(0, 13) });
  });

  it('reads the indices of `Dict[str, int]` and a slice\'s bounds as indices', () => {
    expect(expr('Dict[str, int]\n')).toEqual({ kind: 'sub', object: name('Dict', 0), index: [name('str', 5), name('int', 10)], span: span(0, 14) });
    expect(expr('x[a:b]\n')).toEqual({ kind: 'sub', object: name('x', 0), index: [name('a', 2), name('b', 4)], span: span(0, 6) });
  });

  it('reads `Mapped[Optional[int]]` and `Path(__file__).parents[1]` as nested trees', () => {
    expect(expr('Mapped[Optional[int]]\n')).toEqual({
      kind: 'sub',
      object: name('Mapped', 0),
      index: [{ kind: 'sub', object: name('Optional', 7), index: [name('int', 16)], span: span(7, 20) }],
      span: span(0, 21),
    });
    const e = expr('Path(__file__).parents[1]\n');
    expect(e).toMatchObject({ kind: 'sub', index: [{ kind: 'num', text: '1', span: span(23, 24) }], span: span(0, 25) });
    expect(e.kind === 'sub' && e.object).toMatchObject({ kind: 'attr', attr: 'parents', span: span(0, 22), object: { kind: 'call', span: span(0, 14) } });
  });
});

describe('dicts', () => {
  it('reads the entries in order', () => {
    expect(expr("{'a': 1, b: None}\n")).toEqual({
      kind: 'dict',
      entries: [
        [{ kind: 'str', value: 'a', formatted: false, span: span(1, 4) }, { kind: 'num', text: '1', span: span(6, 7) }],
        [name('b', 9), { kind: 'none', span: span(12, 16) }],
      ],
      open: false,
      span: span(0, 17),
    });
  });

  it('marks a dict that merges `**rest` in as open, with the entries it lists', () => {
    expect(expr("{**base, 'k': v}\n")).toEqual({
      kind: 'dict',
      entries: [[{ kind: 'str', value: 'k', formatted: false, span: span(9, 12) }, name('v', 14)]],
      open: true,
      span: span(0, 16),
    });
  });

  it('leaves a dict comprehension `other`', () => {
    expect(expr('{k: v for k, v in x}\n')).toEqual({ kind: 'other', node: 'DictionaryComprehensionExpression', span: span(0, 20) });
  });
});

describe('binary operators', () => {
  it('reads `X | None` and `Path(__file__) / ".."` with the operator as written', () => {
    expect(expr('X | None\n')).toEqual({ kind: 'binop', op: '|', left: name('X', 0), right: { kind: 'none', span: span(4, 8) }, span: span(0, 8) });
    expect(expr('Path(__file__) / ".."\n')).toMatchObject({
      kind: 'binop',
      op: '/',
      left: { kind: 'call', callee: name('Path', 0), args: [name('__file__', 5)], span: span(0, 14) },
      right: { kind: 'str', value: '..', span: span(17, 21) },
      span: span(0, 21),
    });
  });

  it('nests by precedence, and reads `and`/comparisons as operators too', () => {
    expect(expr('a + b * c\n')).toMatchObject({ kind: 'binop', op: '+', left: name('a', 0), right: { kind: 'binop', op: '*', left: name('b', 4), right: name('c', 8), span: span(4, 9) }, span: span(0, 9) });
    expect(expr('a and b\n')).toMatchObject({ kind: 'binop', op: 'and', span: span(0, 7) });
    expect(expr('a < b\n')).toMatchObject({ kind: 'binop', op: '<', span: span(0, 5) });
  });

  it('leaves `not in` and `is not` (two operator words) `other`', () => {
    expect(expr('a not in b\n')).toEqual({ kind: 'other', node: 'BinaryExpression', span: span(0, 10) });
    expect(expr('a is not b\n')).toEqual({ kind: 'other', node: 'BinaryExpression', span: span(0, 10) });
  });
});

describe('strings and numbers as written', () => {
  it('marks a bytes literal, alone or concatenated, and no other string', () => {
    expect(expr("b'x'\n")).toEqual({ kind: 'str', value: 'x', formatted: false, bytes: true, span: span(0, 4) });
    expect(expr("b'x' b'y'\n")).toEqual({ kind: 'str', value: 'xy', formatted: false, bytes: true, span: span(0, 9) });
    expect(expr("'x' 'y'\n")).not.toHaveProperty('bytes');
  });

  it('marks a concatenation with an f-string part as formatted', () => {
    expect(expr("f'{a}' 'z'\n")).toEqual({ kind: 'str', value: '{a}z', formatted: true, span: span(0, 10) });
  });

  it('keeps a number\'s text (`1_000`, `0x10`, `1.5`)', () => {
    expect(expr('1_000\n')).toEqual({ kind: 'num', text: '1_000', span: span(0, 5) });
    expect(expr('0x10\n')).toEqual({ kind: 'num', text: '0x10', span: span(0, 4) });
    expect(expr('1.5\n')).toEqual({ kind: 'num', text: '1.5', span: span(0, 3) });
  });

  it('reads a starred item of a sequence as `*` followed by its value', () => {
    expect(expr('[*a, b]\n')).toEqual({
      kind: 'seq',
      type: 'list',
      items: [{ kind: 'other', node: '*', span: span(1, 2) }, name('a', 2), name('b', 5)],
      span: span(0, 7),
    });
  });
});
