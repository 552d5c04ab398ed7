/**
 * Python name resolution over the lezer tree: the names a module uses that Python will not find when it
 * runs. Two passes, as a compiler does it: the first walks the tree once, creating a scope for the module,
 * each class, function, lambda and comprehension and recording every binding and every use; the second
 * resolves each use with Python 3's rules. The facts read the result twice: every undefined name
 * (undefined-name) and the uses of `sqlmodel` (missing-sqlmodel-import, template-missing-sqlmodel-import).
 *
 * Where CPython and pyflakes disagree we follow CPython (what raises NameError when `alembic upgrade` runs):
 * names bound only under `if TYPE_CHECKING:` do not count, string annotations and local-variable annotations
 * are never evaluated, and a name bound anywhere in a function is local to all of it (an UnboundLocalError
 * from using it too early is out of scope).
 */
import { children, textOf, withItems, type SyntaxNode } from '../parse/python.js';
import type { Span } from '../model/span.js';
import type { NameUse, UndefinedName } from '../model/facts.js';
import { importBindings } from './imports.js';
import { isTypeChecking } from './runtime.js';

/** `dir(builtins)` of CPython 3.11, the later additions up to 3.13, and the globals every module gets. */
export const PYTHON_BUILTINS: ReadonlySet<string> = new Set(
  (
    'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError ' +
    'BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ' +
    'ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning ' +
    'EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError FloatingPointError ' +
    'FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError ' +
    'InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ' +
    'ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError ' +
    'OverflowError PendingDeprecationWarning PermissionError ProcessLookupError PythonFinalizationError ' +
    'RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration ' +
    'StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError ' +
    'UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError ' +
    'UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__ ' +
    '__import__ __loader__ __name__ __package__ __spec__ abs aiter all anext any ascii bin bool breakpoint ' +
    'bytearray bytes callable chr classmethod compile complex copyright credits delattr dict dir divmod ' +
    'enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input ' +
    'int isinstance issubclass iter len license list locals map max memoryview min next object oct open ' +
    'ord pow print property quit range repr reversed round set setattr slice sorted staticmethod str sum ' +
    'super tuple type vars zip ' +
    // Set by the import system on every module loaded from a file, as Alembic loads revisions.
    '__file__ __cached__ __builtins__ __annotations__'
  ).split(' '),
);

type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

interface Event {
  kind: 'bind' | 'del';
  /** Where the binding takes effect: after the statement that makes it. */
  offset: number;
  /** An `except … as name` binding exists only inside its handler (Python deletes it afterwards). */
  range?: Span;
  /** A `del` under if/while/for/try may not run, so it does not unbind for what follows. */
  conditional: boolean;
}

class Scope {
  readonly events = new Map<string, Event[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | null,
  ) {}

  add(name: string, e: Event): void {
    const list = this.events.get(name);
    if (list) list.push(e);
    else this.events.set(name, [e]);
  }
}

interface Use {
  name: string;
  span: Span;
  scope: Scope;
  /** Inside `try:` with an `except NameError` handler: a missing name is expected and handled. */
  guarded: boolean;
}

const COMPREHENSIONS = new Set(['ComprehensionExpression', 'ArrayComprehensionExpression', 'SetComprehensionExpression', 'DictionaryComprehensionExpression']);

/** What one walk over a module learns of its names, read through the views below. */
export interface NameAnalysis {
  /**
   * Every use Python cannot resolve, in the order the walk meets them (an assignment's value before its
   * target, a comprehension's first iterable before its element), which is not always source order.
   */
  unresolved: (UndefinedName & { guarded: boolean })[];
  /** The module star-imports, so any name might exist. */
  starImport: boolean;
}

/** Walks the module once and resolves each use. A tree with syntax errors is walked as far as it parsed. */
export function analyseNames(top: SyntaxNode, text: string): NameAnalysis {
  const a = new Analyzer(text, top);
  a.statements(children(top), a.module, false);
  const unresolved = a.uses.filter((u) => !a.resolves(u)).map((u) => ({ name: u.name, span: u.span, atImport: runsAtImport(u.scope), guarded: u.guarded }));
  return { unresolved, starImport: a.starImport };
}

/**
 * Every use of a name that raises NameError, in the walk's order; empty when the module star-imports (then
 * any name might exist). Callers skip files that do not parse: Python would not run them at all.
 */
export function undefinedNames(a: NameAnalysis): UndefinedName[] {
  if (a.starImport) return [];
  return a.unresolved.filter((u) => !u.guarded).map(({ name, span, atImport }) => ({ name, span, atImport }));
}

/**
 * The uses of one module's name (`sqlmodel`) that raise NameError, in source order. Unlike other names, a
 * star import does not excuse it: what migrations star-import (sqlmodel itself, a dialect's types) does not
 * export the module's own name.
 */
export function unresolvedUses(a: NameAnalysis, name: string): NameUse[] {
  return a.unresolved
    .filter((u) => u.name === name && !u.guarded)
    .map((u) => ({ name, span: u.span }))
    .sort((x, y) => x.span.start - y.span.start);
}

class Analyzer {
  readonly module = new Scope('module', null);
  readonly uses: Use[] = [];
  starImport = false;
  /** How many enclosing `try:` bodies (in the code running now, not in nested functions) catch NameError. */
  private guards = 0;
  /** `from __future__ import annotations`: annotations are kept as strings, never evaluated. */
  private readonly lazyAnnotations: boolean;

  constructor(
    private readonly text: string,
    top: SyntaxNode,
  ) {
    this.lazyAnnotations = children(top).some(
      (s) => s.name === 'ImportStatement' && importBindings(s, text).some((b) => b.module === '__future__' && b.name === 'annotations'),
    );
  }

  // ---------------------------------------------------------------- resolution

  resolves(use: Use): boolean {
    const { name } = use;
    let deferred = false;
    for (let s: Scope | null = use.scope; s; s = s.parent) {
      // A class body's names are visible to the class body only, not to the functions and
      // comprehensions nested in it.
      if (s.kind === 'class' && s !== use.scope) continue;
      const later: boolean = deferred || s.kind === 'function' || s.kind === 'lambda';
      if (s.kind !== 'module' && s.globals.has(name)) return this.boundAt(this.module, name, later ? Infinity : use.span.start) || PYTHON_BUILTINS.has(name);
      if (s.nonlocals.has(name)) return true;
      if (s.kind === 'module' || s.kind === 'class') {
        // Module and class bodies run top to bottom; code in a function runs later, once the module is loaded.
        if (this.boundAt(s, name, deferred ? Infinity : use.span.start)) return true;
      } else {
        const local = localState(s, name, use.span.start);
        if (local === 'bound') return true;
        if (local === 'unbound') return false;
      }
      deferred = later;
    }
    if (name === '__class__') return hasClassAncestor(use.scope);
    return PYTHON_BUILTINS.has(name);
  }

  private boundAt(s: Scope, name: string, at: number): boolean {
    const events = s.events.get(name);
    if (!events) return false;
    // The state left by the last binding or unconditional `del` before `at`.
    let last: Event | null = null;
    for (const e of events) {
      if (e.range) {
        if (at >= e.range.start && at <= e.range.end) return true;
        continue;
      }
      if (e.offset > at || (e.kind === 'del' && e.conditional)) continue;
      if (!last || e.offset >= last.offset) last = e;
    }
    return last?.kind === 'bind';
  }

  // ---------------------------------------------------------------- bindings and uses

  private use(node: SyntaxNode, scope: Scope): void {
    this.uses.push({ name: textOf(node, this.text), span: { start: node.from, end: node.to }, scope, guarded: this.guards > 0 });
  }

  private bind(scope: Scope, name: string, offset: number, range?: Span): void {
    if (scope.kind !== 'module' && scope.globals.has(name)) {
      // `global x` then `x = …` in a function: x exists at module level once the function has run.
      this.module.add(name, { kind: 'bind', offset: Infinity, conditional: false });
      return;
    }
    if (scope.nonlocals.has(name)) return;
    scope.add(name, { kind: 'bind', offset, conditional: false, ...(range ? { range } : {}) });
  }

  private bindTarget(node: SyntaxNode, scope: Scope, offset: number): void {
    switch (node.name) {
      case 'VariableName':
        this.bind(scope, textOf(node, this.text), offset);
        return;
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression':
        for (const k of children(node)) this.bindTarget(k, scope, offset);
        return;
      default:
        // `a.b = …`, `a[i] = …`: the object and the index are read, nothing is bound.
        this.expr(node, scope);
    }
  }

  // ---------------------------------------------------------------- statements

  statements(list: SyntaxNode[], scope: Scope, conditional: boolean): void {
    for (const s of list) this.statement(s, scope, conditional);
  }

  private statement(node: SyntaxNode, scope: Scope, conditional: boolean): void {
    switch (node.name) {
      case 'Comment':
      case ':':
        return;
      case 'Body':
      case 'StatementGroup':
        this.statements(children(node), scope, conditional);
        return;
      case 'ImportStatement':
        if (children(node).some((k) => k.name === '*')) this.starImport = true;
        for (const b of importBindings(node, this.text)) this.bind(scope, b.bound, node.to);
        return;
      case 'AssignStatement':
        this.assign(node, scope);
        return;
      case 'UpdateStatement': {
        const [target, ...rest] = children(node);
        for (const k of rest) this.expr(k, scope);
        if (!target) return;
        this.expr(target, scope);
        if (target.name === 'VariableName') this.bind(scope, textOf(target, this.text), node.to);
        return;
      }
      case 'DeleteStatement':
        for (const k of children(node)) this.deleteTarget(k, scope, node.to, conditional);
        return;
      case 'ScopeStatement': {
        const kids = children(node);
        const set = kids[0]?.name === 'nonlocal' ? scope.nonlocals : scope.globals;
        for (const k of kids) if (k.name === 'VariableName') set.add(textOf(k, this.text));
        return;
      }
      case 'FunctionDefinition':
        this.functionDef(node, scope);
        return;
      case 'ClassDefinition':
        this.classDef(node, scope);
        return;
      case 'DecoratedStatement':
        for (const k of children(node)) {
          if (k.name === 'Decorator') this.decorator(k, scope);
          else this.statement(k, scope, conditional);
        }
        return;
      case 'IfStatement':
        this.ifStatement(node, scope);
        return;
      case 'WhileStatement':
        for (const k of children(node)) {
          if (k.name === 'Body') this.statement(k, scope, true);
          else this.expr(k, scope);
        }
        return;
      case 'ForStatement':
        this.forStatement(node, scope);
        return;
      case 'TryStatement':
        this.tryStatement(node, scope, conditional);
        return;
      case 'WithStatement':
        this.withStatement(node, scope, conditional);
        return;
      case 'MatchStatement':
        this.matchStatement(node, scope);
        return;
      case 'TypeDefinition': {
        // `type X = …` (3.12): the value is evaluated lazily, on first use of X.__value__.
        const name = node.getChild('VariableName');
        if (name) this.bind(scope, textOf(name, this.text), node.to);
        return;
      }
      default:
        this.expr(node, scope);
    }
  }

  /** A function body runs later, outside the `try:` that surrounds its `def`. */
  private deferred(walk: () => void): void {
    const saved = this.guards;
    this.guards = 0;
    walk();
    this.guards = saved;
  }

  /** Module and class bodies evaluate variable annotations (PEP 526), unless annotations are postponed. */
  private evaluatesAnnotations(scope: Scope): boolean {
    return !this.lazyAnnotations && (scope.kind === 'module' || scope.kind === 'class');
  }

  private assign(node: SyntaxNode, scope: Scope): void {
    const kids = children(node);
    const ops = kids.flatMap((k, i) => (k.name === 'AssignOp' && textOf(k, this.text) === '=' ? [i] : []));
    const last = ops.length ? ops[ops.length - 1]! : kids.length;
    for (const v of kids.slice(last + 1)) this.expr(v, scope);
    let prev = 0;
    for (const end of ops.length ? ops : [kids.length]) {
      for (const t of kids.slice(prev, end)) {
        if (t.name === 'TypeDef') {
          if (this.evaluatesAnnotations(scope)) this.expr(t, scope);
        } else if (ops.length === 0) {
          // `x: int` alone binds nothing; `a.b: int` still reads `a`.
          if (t.name !== 'VariableName') this.expr(t, scope);
        } else this.bindTarget(t, scope, node.to);
      }
      prev = end + 1;
    }
  }

  private deleteTarget(node: SyntaxNode, scope: Scope, offset: number, conditional: boolean): void {
    switch (node.name) {
      case 'del':
      case ',':
        return;
      case 'VariableName': {
        this.use(node, scope);
        const name = textOf(node, this.text);
        if (scope.kind !== 'module' && (scope.globals.has(name) || scope.nonlocals.has(name))) return;
        scope.add(name, { kind: 'del', offset, conditional });
        return;
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression':
        for (const k of children(node)) this.deleteTarget(k, scope, offset, conditional);
        return;
      default:
        this.expr(node, scope);
    }
  }

  private functionDef(node: SyntaxNode, scope: Scope): void {
    const inner = new Scope('function', scope);
    let name: string | null = null;
    for (const k of children(node)) {
      switch (k.name) {
        case 'VariableName':
          name ??= textOf(k, this.text);
          break;
        case 'TypeParamList':
          this.typeParams(k, inner);
          break;
        case 'ParamList':
          this.params(k, scope, inner);
          break;
        case 'TypeDef':
          // The return annotation, evaluated when `def` runs.
          if (!this.lazyAnnotations) this.expr(k, scope);
          break;
        case 'Body':
          this.deferred(() => this.statement(k, inner, false));
          break;
        default:
          break;
      }
    }
    if (name !== null) this.bind(scope, name, node.to);
  }

  /** Parameters bind in the function; their defaults and annotations are evaluated where `def` runs. */
  private params(list: SyntaxNode, outer: Scope, inner: Scope): void {
    const kids = children(list);
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.name === 'VariableName') this.bind(inner, textOf(k, this.text), -1);
      else if (k.name === 'TypeDef') {
        if (!this.lazyAnnotations) this.expr(k, outer);
      } else if (k.name === 'AssignOp' && kids[i + 1]) {
        this.expr(kids[i + 1]!, outer);
        i++;
      }
    }
  }

  private typeParams(list: SyntaxNode, inner: Scope): void {
    for (const p of children(list)) {
      const name = p.name === 'TypeParam' ? p.getChild('VariableName') : null;
      if (name) this.bind(inner, textOf(name, this.text), -1);
    }
  }

  private classDef(node: SyntaxNode, scope: Scope): void {
    const inner = new Scope('class', scope);
    // The class body namespace starts with these two.
    inner.add('__module__', { kind: 'bind', offset: -1, conditional: false });
    inner.add('__qualname__', { kind: 'bind', offset: -1, conditional: false });
    let name: string | null = null;
    for (const k of children(node)) {
      if (k.name === 'VariableName') name ??= textOf(k, this.text);
      else if (k.name === 'TypeParamList') this.typeParams(k, inner);
      else if (k.name === 'ArgList') this.argList(k, scope);
      else if (k.name === 'Body') this.statement(k, inner, false);
    }
    if (name !== null) this.bind(scope, name, node.to);
  }

  /** `@a.b.c(args)`: only `a` is looked up; the rest are attributes. */
  private decorator(node: SyntaxNode, scope: Scope): void {
    let first = true;
    for (const k of children(node)) {
      if (k.name === 'VariableName') {
        if (first) this.use(k, scope);
        first = false;
      } else if (k.name === 'ArgList') this.argList(k, scope);
      else if (k.name !== 'At' && k.name !== '.') this.expr(k, scope);
    }
  }

  private ifStatement(node: SyntaxNode, scope: Scope): void {
    const kids = children(node);
    let skipBody = false;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.name === 'Body') {
        // `if TYPE_CHECKING:` never runs: what it imports does not exist at runtime, and what it uses is never looked up.
        if (!skipBody) this.statement(k, scope, true);
        skipBody = false;
      } else if (k.name === 'if' || k.name === 'elif' || k.name === 'else') {
        const cond = kids[i + 1];
        skipBody = k.name === 'if' && !!cond && isTypeChecking(cond, this.text);
      } else this.expr(k, scope);
    }
  }

  private forStatement(node: SyntaxNode, scope: Scope): void {
    const kids = children(node);
    const forAt = kids.findIndex((k) => k.name === 'for');
    const inAt = kids.findIndex((k) => k.name === 'in');
    const firstBody = kids.findIndex((k) => k.name === 'Body');
    if (forAt < 0 || inAt < 0 || firstBody < 0) {
      for (const k of kids) this.statement(k, scope, true);
      return;
    }
    for (const k of kids.slice(inAt + 1, firstBody)) this.expr(k, scope);
    const bodyStart = kids[firstBody]!.from;
    for (const t of kids.slice(forAt + 1, inAt)) this.bindTarget(t, scope, bodyStart);
    for (const k of kids.slice(firstBody)) if (k.name === 'Body') this.statement(k, scope, true);
  }

  private tryStatement(node: SyntaxNode, scope: Scope, conditional: boolean): void {
    const kids = children(node);
    // `try: x except NameError: …` is how Python code asks whether a name exists (pyflakes agrees).
    const catchesNameError = kids.some(
      (k, i) => i > 0 && kids[i - 1]!.name === 'except' && /(^|[^\w.])NameError(?!\w)/.test(textOf(k, this.text)),
    );
    let clause = 'try';
    let handlerName: string | null = null;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      switch (k.name) {
        case 'try':
        case 'except':
        case 'else':
        case 'finally':
          clause = k.name;
          handlerName = null;
          break;
        case 'as':
        case ',': {
          const n = kids[i + 1];
          if (clause === 'except' && n?.name === 'VariableName') {
            handlerName = textOf(n, this.text);
            i++;
          }
          break;
        }
        case 'Body':
          if (handlerName !== null) this.bind(scope, handlerName, k.from, { start: k.from, end: k.to });
          if (clause === 'try' && catchesNameError) this.guards++;
          this.statement(k, scope, conditional || clause === 'except' || clause === 'else');
          if (clause === 'try' && catchesNameError) this.guards--;
          break;
        default:
          this.expr(k, scope);
      }
    }
  }

  private withStatement(node: SyntaxNode, scope: Scope, conditional: boolean): void {
    const body = node.getChild('Body');
    for (const { manager, target } of withItems(node)) {
      this.expr(manager, scope);
      if (target) this.bindTarget(target, scope, body?.from ?? node.to);
    }
    if (body) this.statement(body, scope, conditional);
  }

  private matchStatement(node: SyntaxNode, scope: Scope): void {
    for (const k of children(node)) {
      if (k.name !== 'MatchBody') {
        this.expr(k, scope);
        continue;
      }
      for (const clause of children(k)) {
        if (clause.name !== 'MatchClause') continue;
        for (const c of children(clause)) {
          if (c.name === 'Body') this.statement(c, scope, true);
          else if (c.name === 'Guard') this.expr(c, scope);
          else this.pattern(c, scope);
        }
      }
    }
  }

  private pattern(node: SyntaxNode, scope: Scope): void {
    switch (node.name) {
      case 'CapturePattern': {
        const v = node.getChild('VariableName');
        if (v && textOf(v, this.text) !== '_') this.bind(scope, textOf(v, this.text), node.to);
        return;
      }
      case 'AsPattern': {
        const kids = children(node);
        for (let i = 0; i < kids.length; i++) {
          const k = kids[i]!;
          if (k.name === 'as' && kids[i + 1]?.name === 'VariableName') {
            this.bind(scope, textOf(kids[i + 1]!, this.text), node.to);
            i++;
          } else this.pattern(k, scope);
        }
        return;
      }
      case 'KeywordPattern':
        // `Point(x=0)`: x names an attribute, not a variable.
        for (const k of children(node).slice(1)) this.pattern(k, scope);
        return;
      case 'AttributePattern':
      case 'VariableName': {
        // A value pattern (`Color.RED`) or a class (`Point(...)`) is looked up.
        const v = node.name === 'VariableName' ? node : node.getChild('VariableName');
        if (v) this.use(v, scope);
        return;
      }
      case 'LiteralPattern':
        return;
      default:
        for (const k of children(node)) this.pattern(k, scope);
    }
  }

  // ---------------------------------------------------------------- expressions

  private expr(node: SyntaxNode, scope: Scope): void {
    switch (node.name) {
      case 'VariableName':
        this.use(node, scope);
        return;
      case 'PropertyName':
      case 'String':
      case 'Number':
      case 'Comment':
        return;
      case 'LambdaExpression': {
        const inner = new Scope('lambda', scope);
        const kids = children(node);
        const colon = kids.findIndex((k) => k.name === ':');
        for (const k of kids) if (k.name === 'ParamList') this.params(k, scope, inner);
        if (colon >= 0) this.deferred(() => kids.slice(colon + 1).forEach((k) => this.expr(k, inner)));
        return;
      }
      case 'ArgList':
        this.argList(node, scope);
        return;
      case 'NamedExpression': {
        const kids = children(node);
        for (const k of kids.slice(2)) this.expr(k, scope);
        if (kids[0]?.name === 'VariableName') this.walrus(kids[0], scope, node.to);
        return;
      }
      default:
        if (COMPREHENSIONS.has(node.name)) {
          this.comprehension(children(node).slice(1, -1), scope);
          return;
        }
        for (let c = node.firstChild; c; c = c.nextSibling) this.expr(c, scope);
    }
  }

  /** `(y := …)` binds in the nearest enclosing scope that is not a comprehension (PEP 572). */
  private walrus(target: SyntaxNode, scope: Scope, offset: number): void {
    let s = scope;
    while (s.kind === 'comprehension' && s.parent) s = s.parent;
    this.bind(s, textOf(target, this.text), offset);
  }

  private argList(node: SyntaxNode, scope: Scope): void {
    const kids = children(node).filter((k) => k.name !== '(' && k.name !== ')');
    if (kids.some((k) => k.name === 'for')) {
      // `f(x for x in xs)`: a generator expression without parentheses of its own is the only argument.
      this.comprehension(kids, scope);
      return;
    }
    const segments: SyntaxNode[][] = [[]];
    for (const k of kids) {
      if (k.name === ',') segments.push([]);
      else segments[segments.length - 1]!.push(k);
    }
    for (const seg of segments) {
      if (seg[0]?.name === 'VariableName' && seg[1]?.name === 'AssignOp') {
        for (const k of seg.slice(2)) this.expr(k, scope);
        if (textOf(seg[1], this.text) === ':=') this.walrus(seg[0], scope, seg[seg.length - 1]!.to);
      } else for (const k of seg) this.expr(k, scope);
    }
  }

  /**
   * `elt for t in it if c for u in it2`: the first iterable is evaluated where the comprehension stands,
   * everything else in the comprehension's own scope, where the targets are bound.
   */
  private comprehension(nodes: SyntaxNode[], scope: Scope): void {
    const inner = new Scope('comprehension', scope);
    const start = nodes.findIndex((k) => k.name === 'for' || k.name === 'async');
    if (start < 0) {
      for (const k of nodes) this.expr(k, scope);
      return;
    }
    const later: SyntaxNode[] = nodes.slice(0, start);
    let first = true;
    let i = start;
    const isClauseStart = (k: SyntaxNode) => k.name === 'for' || k.name === 'async' || k.name === 'if';
    while (i < nodes.length) {
      const k = nodes[i]!;
      if (k.name === 'for') {
        let j = i + 1;
        while (j < nodes.length && nodes[j]!.name !== 'in') j++;
        for (const t of nodes.slice(i + 1, j)) this.bindTarget(t, inner, -1);
        j++;
        while (j < nodes.length && !isClauseStart(nodes[j]!)) {
          if (first) this.expr(nodes[j]!, scope);
          else later.push(nodes[j]!);
          j++;
        }
        first = false;
        i = j;
      } else if (k.name === 'if') {
        let j = i + 1;
        while (j < nodes.length && !isClauseStart(nodes[j]!)) later.push(nodes[j++]!);
        i = j;
      } else i++;
    }
    for (const k of later) this.expr(k, inner);
  }
}

/**
 * The state of `name` in a function-like scope: bound (a parameter, or assigned anywhere in it), local but
 * unbound at this point (only deleted, or an `except … as` name used outside its handler), or not local.
 */
function localState(s: Scope, name: string, at: number): 'bound' | 'unbound' | 'not-local' {
  const events = s.events.get(name);
  if (!events) return 'not-local';
  if (events.some((e) => e.kind === 'bind' && (!e.range || (at >= e.range.start && at <= e.range.end)))) return 'bound';
  return 'unbound';
}

function runsAtImport(scope: Scope): boolean {
  for (let s: Scope | null = scope; s; s = s.parent) if (s.kind === 'function' || s.kind === 'lambda') return false;
  return true;
}

function hasClassAncestor(scope: Scope): boolean {
  for (let s: Scope | null = scope.parent; s; s = s.parent) if (s.kind === 'class') return true;
  return false;
}
