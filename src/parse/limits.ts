/**
 * CPython's structural limits, found before the parser runs. CPython refuses a file that nests brackets more
 * than 200 deep ("too many nested parentheses"), indents more than 99 levels ("too many levels of
 * indentation"), or holds an expression whose syntax tree is about 3,000 levels deep (a long chain of `+`,
 * attributes, calls, subscripts, unary operators: RecursionError while building the tree, or MemoryError in
 * its parser); Alembic cannot load such a file either. lezer, given the same text, either cuts its tree short
 * with error nodes or builds a tree its own cursors cannot walk, so the text from the offending statement on is
 * kept away from it (see parsePython). Everything here is one linear scan; the token-level depth estimate runs
 * only on logical lines long enough to reach the limit.
 */
import type { SyntaxProblem } from './strict.js';

export interface LimitProblem extends SyntaxProblem {
  /**
   * `tokenizer`: CPython stops where it meets it, whatever follows. `depth`: a statement CPython parses but
   * cannot build a tree for, so any syntax error elsewhere in the file is reported first; it spans to `end`.
   */
  kind: 'tokenizer' | 'depth';
  end: number;
}

/** CPython's tokenizer limit on open brackets (MAXLEVEL). */
export const MAX_NESTING = 200;
/** CPython's tokenizer limit on indentation levels (MAXINDENT, the first level being column 0). */
export const MAX_INDENT = 100;
/**
 * The deepest syntax tree `ast.parse` builds when called from a script's top level: the recursion limit
 * (1,000) times CPython's scale of 3, less the 3 levels each of the two Python frames below it. Called from
 * deeper (Alembic's loader is a few dozen frames down) the limit is a little lower; the files that reach it are
 * hostile or generated, not a few levels either side of it.
 */
export const MAX_AST_DEPTH = 2994;
/** A logical line shorter than this cannot nest an expression MAX_AST_DEPTH deep (each level costs a character). */
const DEPTH_CANDIDATE = MAX_AST_DEPTH - 2 * MAX_INDENT;

export const RECURSION_MESSAGE = 'too deeply nested: CPython stops with "maximum recursion depth exceeded during ast construction"';

/** The first of CPython's structural limits the text exceeds, or null. */
export function structuralLimit(text: string): LimitProblem | null {
  const indents: number[] = [0];
  /** Per indentation level, the `elif`s of the chain being read: CPython nests each in the one before. */
  const elifs: number[] = [0];
  let depth = 0;
  let lineStart = 0;
  /** Start of the current logical line's first token, -1 until it has one. */
  let stmtStart = -1;
  let stmtLevel = 0;
  let indentOk = true;
  const endStatement = (end: number): LimitProblem | null => {
    if (stmtStart !== -1 && end - stmtStart >= DEPTH_CANDIDATE) {
      const deep = expressionTooDeep(text, stmtStart, end, 1 + stmtLevel);
      if (deep) return { ...deep, kind: 'depth', end };
    }
    stmtStart = -1;
    return null;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      lineStart = i + 1;
      if (depth === 0 && text.charCodeAt(i - (text[i] === '\n' && text[i - 1] === '\r' ? 2 : 1)) !== 92) {
        const p = endStatement(i);
        if (p) return p;
      }
      continue;
    }
    if (c === 32 || c === 9 || c === 12) continue;
    if (c === 35) {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      continue;
    }
    if (c === 92) continue;
    if (stmtStart === -1 && depth === 0) {
      // The first token of a logical line: its indentation opens, keeps or closes blocks.
      stmtStart = i;
      if (indentOk && i >= lineStart) {
        const col = column(text, lineStart, i);
        if (col > indents[indents.length - 1]!) {
          if (indents.length >= MAX_INDENT) return tokenizer(i, 'too many levels of indentation');
          indents.push(col);
          elifs.push(0);
        } else {
          while (col < indents[indents.length - 1]!) {
            indents.pop();
            elifs.pop();
          }
          // A dedent to no level is the strict layer's to report; this scan stops following blocks.
          if (col !== indents[indents.length - 1]) indentOk = false;
        }
      }
      const level = elifs.length - 1;
      if (text.startsWith('elif', i) && !/[\w\u0080-\uffff]/.test(text[i + 4] ?? '')) elifs[level]!++;
      else if (!(text.startsWith('else', i) && !/[\w\u0080-\uffff]/.test(text[i + 4] ?? ''))) elifs[level] = 0;
      stmtLevel = indents.length;
      for (const n of elifs) stmtLevel += n;
      // Read as where CPython stops: the chain's statements are all alike, another error in them is unlikely.
      if (elifs[level]! && stmtLevel + 2 > MAX_AST_DEPTH) return tokenizer(i, RECURSION_MESSAGE);
    }
    if (c === 34 || c === 39) {
      i = stringEnd(text, i) - 1;
    } else if (c === 40 || c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return tokenizer(i, 'too many nested parentheses');
    } else if (c === 41 || c === 93 || c === 125) {
      depth = Math.max(0, depth - 1);
    }
  }
  return endStatement(text.length);
}

function tokenizer(at: number, message: string): LimitProblem {
  return { span: { start: at, end: at + 1 }, message, kind: 'tokenizer', end: at + 1 };
}

function column(text: string, from: number, to: number): number {
  let col = 0;
  for (let k = from; k < to; k++) {
    const c = text[k];
    if (c === '\t') col = (Math.floor(col / 8) + 1) * 8;
    else if (c === '\f') col = 0;
    else col++;
  }
  return col;
}

/** Where the string literal opening at `start` ends (a one-line string also at its line break). */
export function stringEnd(text: string, start: number): number {
  const q = text[start]!;
  const triple = text[start + 1] === q && text[start + 2] === q;
  let i = start + (triple ? 3 : 1);
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
    } else if (!triple && (c === '\n' || c === '\r')) {
      return i;
    } else if (c === q && (!triple || (text[i + 1] === q && text[i + 2] === q))) {
      return i + (triple ? 3 : 1);
    }
  }
  return text.length;
}

// ---------------------------------------------------------------------------------------------------------
// The depth of CPython's syntax tree for one logical line, estimated from its tokens by operator precedence
// (a shunting-yard over depths instead of nodes, with an explicit stack of brackets: no recursion).

interface Op {
  prec: number;
  right: boolean;
  /** Operands joined into one node by CPython (`a and b and c` is one BoolOp): the same kind adds no level. */
  flat: string | null;
  unary: boolean;
  /** Adds no node of its own (the `if` half of `x if c else y`, counted at its `else`). */
  free: boolean;
}

interface Frame {
  /** `(` that groups or makes a tuple, `[`/`{` display, call arguments, subscript. */
  kind: 'group' | 'display' | 'call' | 'subscript' | 'top';
  /** Depth of what is called or subscripted. */
  base: number;
  ops: Op[];
  /** The operands' depths, and the kind of flat node each is (parallel arrays: nothing to collect). */
  depths: number[];
  flats: (string | null)[];
  best: number;
  commas: boolean;
  /** Added to the item being read: a keyword argument or a slice is a node around its value. */
  bonus: number;
  forPending: boolean;
  comprehension: boolean;
  /** Pending `if` halves of conditional expressions, which an `else` completes. */
  conditionals: number;
  expectOperand: boolean;
}

const BINARY: Record<string, [number, string | null]> = {
  or: [2, 'or'],
  and: [3, 'and'],
  '<': [5, 'cmp'],
  '>': [5, 'cmp'],
  '==': [5, 'cmp'],
  '>=': [5, 'cmp'],
  '<=': [5, 'cmp'],
  '!=': [5, 'cmp'],
  '<>': [5, 'cmp'],
  in: [5, 'cmp'],
  is: [5, 'cmp'],
  '|': [6, null],
  '^': [7, null],
  '&': [8, null],
  '<<': [9, null],
  '>>': [9, null],
  '+': [10, null],
  '-': [10, null],
  '*': [11, null],
  '/': [11, null],
  '//': [11, null],
  '%': [11, null],
  '@': [11, null],
  '**': [13, null],
};

/** Tokens that end one expression and start another at the same level (statement keywords, `=`, `:`, …). */
const SEPARATORS = new Set([
  ',', ';', '=', ':', '->', '+=', '-=', '*=', '/=', '//=', '%=', '@=', '&=', '|=', '^=', '>>=', '<<=', '**=',
  'return', 'del', 'assert', 'raise', 'from', 'import', 'global', 'nonlocal', 'as', 'with', 'while', 'elif',
  'else', 'try', 'except', 'finally', 'def', 'class', 'pass', 'break', 'continue', 'async', 'print', 'exec',
]);

const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '<>', '+=', '-=', '*=', '/=', '%=', '@=', '&=', '|=', '^='];

const WORD = /[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/y;
const ATTRIBUTE = /\s*[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/y;
const NUMBER = /(?:[\w.]|(?<=[eE])[+-])*/y;

function newFrame(kind: Frame['kind'], base: number): Frame {
  return { kind, base, ops: [], depths: [], flats: [], best: 0, commas: false, bonus: 0, forPending: false, comprehension: false, conditionals: 0, expectOperand: true };
}

function apply(f: Frame): void {
  const op = f.ops.pop()!;
  if (op.free) f.conditionals--;
  const top = f.depths.length - 1;
  if (op.unary) {
    if (top < 0) {
      f.depths.push(2);
      f.flats.push(null);
    } else {
      f.depths[top]!++;
      f.flats[top] = null;
    }
    return;
  }
  if (top < 1) return;
  const r = f.depths.pop()!;
  f.flats.pop();
  const l = f.depths[top - 1]!;
  if (op.free) f.depths[top - 1] = Math.max(l, r);
  else if (op.flat && f.flats[top - 1] === op.flat) f.depths[top - 1] = Math.max(l, r + 1);
  else f.depths[top - 1] = Math.max(l, r) + 1;
  f.flats[top - 1] = op.free ? null : op.flat;
}

function op(prec: number, right: boolean, flat: string | null, unary: boolean, free = false): Op {
  return { prec, right, flat, unary, free };
}

/** One object per kind of operator, shared: operators are pushed by the thousand. */
const IF_HALF = op(1.5, true, null, false, true);
const ELSE_HALF = op(1, true, null, false);
const NOT = op(4, true, null, true);
const AWAIT = op(14, true, null, true);
const LOW_PREFIX = op(0, true, null, true);
const WALRUS = op(0.5, true, null, false);
const SIGN = op(12, true, null, true);
const STAR = op(1.8, true, null, true);
const BINARY_OPS = new Map(Object.entries(BINARY).map(([t, [prec, flat]]) => [t, op(prec, t === '**', flat, false)]));

function pushOp(f: Frame, op: Op): void {
  if (!op.unary) {
    while (f.ops.length) {
      const top = f.ops[f.ops.length - 1]!;
      if (top.prec > op.prec || (top.prec === op.prec && !op.right)) apply(f);
      else break;
    }
  }
  f.ops.push(op);
  f.expectOperand = true;
}

/** Ends the item being read in a frame: its depth counts, and the next item starts empty. */
function endItem(f: Frame): void {
  while (f.ops.length) apply(f);
  const v = f.depths.pop();
  if (v !== undefined) f.best = Math.max(f.best, v + f.bonus);
  f.depths.length = 0;
  f.flats.length = 0;
  f.bonus = 0;
  f.expectOperand = true;
}

function operand(f: Frame, depth: number): void {
  if (!f.expectOperand) {
    // Two operands in a row (`'a' 'b'`, a statement keyword the scan does not know): a new item.
    if (depth === 1 && f.depths[f.depths.length - 1] === 1) return;
    endItem(f);
  }
  f.depths.push(depth);
  f.flats.push(null);
  f.expectOperand = false;
}

function expressionTooDeep(text: string, start: number, end: number, stmtDepth: number): SyntaxProblem | null {
  const frames: Frame[] = [newFrame('top', 0)];
  const problem = { span: { start, end: start + 1 }, message: RECURSION_MESSAGE };
  let prevWord = '';
  for (let i = start; i < end; ) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r' || c === '\\') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < end && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    const f = frames[frames.length - 1]!;
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    const quote = word && /^[rRbBuUfF]{1,2}$/.test(word[0]) && (text[i + word[0].length] === '"' || text[i + word[0].length] === "'");
    if (c === '"' || c === "'" || quote) {
      const q = quote ? i + word![0].length : i;
      const close = stringEnd(text, q);
      // An f-string's fields are an expression two levels down (JoinedStr, FormattedValue): a long one is
      // estimated as code, its braces as brackets.
      const formatted = /f/i.test(text.slice(i, q));
      if (formatted && close - q >= DEPTH_CANDIDATE && expressionTooDeep(text, q + 1, close - 1, stmtDepth + frames.length + 2)) return problem;
      operand(f, formatted ? 3 : 1);
      i = close;
      prevWord = '';
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && text[i + 1]! >= '0' && text[i + 1]! <= '9')) {
      NUMBER.lastIndex = i;
      NUMBER.exec(text);
      operand(f, 1);
      i = Math.max(i + 1, NUMBER.lastIndex);
      prevWord = '';
      continue;
    }
    if (word) {
      const w = word[0];
      i += w.length;
      if (w === 'not' && !f.expectOperand) {
        prevWord = w;
        continue; // `not in`: the `in` that follows is the operator.
      }
      if (w === 'not' && prevWord === 'is') {
        prevWord = w;
        continue;
      }
      prevWord = w;
      if (w === 'for') {
        endItem(f);
        f.forPending = true;
        f.comprehension = true;
      } else if (w === 'in' && f.forPending) {
        endItem(f);
        f.forPending = false;
      } else if (w === 'if' && (f.comprehension || f.expectOperand)) {
        endItem(f);
      } else if (w === 'if') {
        pushOp(f, IF_HALF);
        f.conditionals++;
      } else if (w === 'else' && !f.expectOperand && f.conditionals > 0) {
        pushOp(f, ELSE_HALF);
      } else if (w in BINARY && !f.expectOperand) {
        pushOp(f, BINARY_OPS.get(w)!);
      } else if (w === 'not') {
        pushOp(f, NOT);
      } else if (w === 'await') {
        pushOp(f, AWAIT);
      } else if (w === 'lambda' || w === 'yield') {
        // The parameters (or `from`) up to the colon at this level are shallow; the body is one level down.
        if (w === 'lambda') {
          let d = 0;
          while (i < end && !(d === 0 && text[i] === ':')) {
            if ('([{'.includes(text[i]!)) d++;
            else if (')]}'.includes(text[i]!)) d--;
            if (d < 0) break;
            i++;
          }
          i++;
        }
        pushOp(f, LOW_PREFIX);
      } else if (SEPARATORS.has(w)) {
        endItem(f);
      } else {
        operand(f, 1);
      }
      continue;
    }
    prevWord = '';
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const tok = OPERATORS.includes(three) ? three : OPERATORS.includes(two) ? two : c;
    i += tok.length;
    if (tok === '(' || tok === '[' || tok === '{') {
      if (!f.expectOperand) {
        f.flats.pop();
        frames.push(newFrame(tok === '(' ? 'call' : 'subscript', f.depths.pop() ?? 1));
      } else {
        frames.push(newFrame(tok === '(' ? 'group' : 'display', 0));
      }
      continue;
    }
    if (tok === ')' || tok === ']' || tok === '}') {
      if (frames.length === 1) continue;
      endItem(f);
      frames.pop();
      const outer = frames[frames.length - 1]!;
      let depth: number;
      if (f.kind === 'call' || f.kind === 'subscript') depth = Math.max(f.base, f.best + (f.commas && f.kind === 'subscript' ? 1 : 0)) + 1;
      else if (f.kind === 'group' && !f.commas && !f.comprehension) depth = Math.max(1, f.best);
      else depth = f.best + 1;
      outer.depths.push(depth);
      outer.flats.push(null);
      outer.expectOperand = false;
      if (depth + stmtDepth + frames.length - 1 > MAX_AST_DEPTH) return problem;
      continue;
    }
    if (tok === '.' || tok === '...') {
      if (tok === '.' && !f.expectOperand) {
        const top = f.depths.length - 1;
        const v = top < 0 ? 1 : f.depths[top]!;
        if (top < 0) {
          f.depths.push(2);
          f.flats.push(null);
        } else {
          f.depths[top] = v + 1;
          f.flats[top] = null;
        }
        // The attribute's name follows: skip it so it is no operand.
        ATTRIBUTE.lastIndex = i;
        const name = ATTRIBUTE.exec(text);
        if (name) i += name[0].length;
        if (v + 1 + stmtDepth > MAX_AST_DEPTH) return problem;
      } else if (tok === '...') operand(f, 1);
      continue;
    }
    if (tok === ':=') {
      pushOp(f, WALRUS);
      continue;
    }
    if (tok === ',') {
      endItem(f);
      f.commas = true;
      continue;
    }
    if (tok === '=' && (f.kind === 'call' || f.kind === 'group')) {
      endItem(f);
      f.bonus = 1;
      continue;
    }
    if (tok === ':' && f.kind === 'subscript') {
      endItem(f);
      f.bonus = 1;
      continue;
    }
    if (SEPARATORS.has(tok)) {
      endItem(f);
      continue;
    }
    if (f.expectOperand && (tok === '-' || tok === '+' || tok === '~')) {
      pushOp(f, SIGN);
      if (f.ops.length + stmtDepth > MAX_AST_DEPTH) return problem;
      continue;
    }
    if (f.expectOperand && (tok === '*' || tok === '**' || tok === '@')) {
      if (tok !== '@') pushOp(f, STAR);
      continue;
    }
    const bin = BINARY[tok];
    if (bin && !f.expectOperand) {
      pushOp(f, BINARY_OPS.get(tok)!);
      if (tok === '**' && f.ops.length + stmtDepth > MAX_AST_DEPTH) return problem;
      continue;
    }
    // Anything else (a stray character, `!`, `$`): the strict layer or the parser reports it.
  }
  // Depth of the item still open in each frame, innermost first: for a line cut short, that is what CPython sees.
  for (let k = frames.length - 1; k >= 0; k--) {
    const f = frames[k]!;
    endItem(f);
    if (f.best + k + stmtDepth > MAX_AST_DEPTH) return problem;
  }
  return null;
}
