/**
 * One Python module of the project as the model reader sees it: what it imports when it runs, what its
 * top-level names are bound to, its classes with their bodies, and its other top-level statements of
 * interest (`X.metadata.naming_convention = {...}`, `sys.path.insert(0, ...)`). Statements under
 * `if TYPE_CHECKING:` never run and are left out; both arms of other `if`s and every `try` branch are read
 * (what runs is not known statically, and an import that may run is an import Alembic may see).
 */
import { children, cutShort, dottedName, parsePython, textOf, toExpr, type SyntaxNode } from '../parse/python.js';
import type { Call, Expr, Kwarg } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { readImportStatement } from '../facts/imports.js';
import { runtimeStatements } from '../facts/runtime.js';

export interface ImportStmt {
  /** `from m import …` or `import m`. */
  from: boolean;
  /** Absolute dotted module (relative imports resolved), or null when a relative import climbs too high. */
  module: string | null;
  /** Names imported with `from … import`, `*` for a star import; null for `import a.b`. */
  names: { name: string; as: string; span: Span }[] | '*' | null;
  span: Span;
  /** Top level of the module (not inside a function or class), for where a fix may add an import. */
  topLevel: boolean;
}

export type Binding =
  | { kind: 'module'; module: string }
  | { kind: 'from'; module: string; name: string }
  | { kind: 'class'; cls: ClassDef }
  | { kind: 'value'; value: Expr; span: Span }
  | { kind: 'def' };

export interface ClassStmt {
  name: string;
  annotation: Expr | null;
  value: Expr | null;
  span: Span;
  /** `@declared_attr def name(cls)` or any other method: its result is not statically known. */
  method?: { declaredAttr: boolean };
}

export interface ClassDef {
  name: string;
  span: Span;
  nameSpan: Span;
  bases: Expr[];
  keywords: Kwarg[];
  decorators: Expr[];
  body: ClassStmt[];
  /** The module it is defined in (absolute path). */
  file: string;
}

export interface Assignment {
  /** `a.b.c` of the target, or null for a target we cannot name. */
  target: string | null;
  value: Expr;
  span: Span;
}

export interface ModuleInfo {
  file: string;
  /** Dotted module name, or null for a file reached by path only (env.py, config `models`). */
  name: string | null;
  isPackage: boolean;
  text: string;
  parseError: boolean;
  imports: ImportStmt[];
  bindings: Map<string, Binding>;
  classes: ClassDef[];
  assignments: Assignment[];
  /** Calls at module level, in order (`sys.path.insert(...)`, `context.configure(...)` inside functions too). */
  calls: Call[];
  /** Calls that are statements of the module itself, run at import (a standalone `Index(...)`), not in a function. */
  topCalls: Call[];
  futureAnnotations: boolean;
}

/** The package a relative import is relative to: the module itself for a package's __init__. */
export function resolveRelative(from: string | null, isPackage: boolean, dots: number, rest: string): string | null {
  if (dots === 0) return rest;
  if (from === null) return null;
  const parts = from.split('.');
  if (!isPackage) parts.pop();
  for (let i = 1; i < dots; i++) {
    if (!parts.length) return null;
    parts.pop();
  }
  if (!parts.length) return null;
  return rest ? `${parts.join('.')}.${rest}` : parts.join('.');
}

function readImport(stmt: SyntaxNode, text: string, mod: { name: string | null; isPackage: boolean }, topLevel: boolean): ImportStmt[] {
  const span = { start: stmt.from, end: stmt.to };
  const s = readImportStatement(stmt, text);
  if ('from' in s) {
    const dots = /^\.*/.exec(s.from)![0].length;
    return [{ from: true, module: resolveRelative(mod.name, mod.isPackage, dots, s.from.slice(dots)), names: s.names, span, topLevel }];
  }
  return s.modules.map(({ path, alias }) => ({ from: false, module: path, names: alias ? [{ name: path, as: alias, span }] : null, span, topLevel }));
}

function assignTargets(s: SyntaxNode, text: string): { targets: SyntaxNode[]; annotation: SyntaxNode | null; value: SyntaxNode | null } {
  const kids = children(s);
  const ops = kids.map((k, i) => (k.name === 'AssignOp' && textOf(k, text) === '=' ? i : -1)).filter((i) => i >= 0);
  const typeDef = kids.find((k) => k.name === 'TypeDef');
  const annotation = typeDef ? (children(typeDef).find((c) => c.name !== ':') ?? null) : null;
  if (!ops.length) {
    // A bare annotation (`name: str`) or an augmented assignment.
    if (kids.some((k) => k.name === 'UpdateOp' || k.name === 'AssignOp')) return { targets: [], annotation: null, value: null };
    return { targets: kids[0] ? [kids[0]] : [], annotation, value: null };
  }
  const targets: SyntaxNode[] = [];
  let prev = 0;
  for (const i of ops) {
    const seg = kids.slice(prev, i).filter((k) => k.name !== 'TypeDef');
    if (seg.length === 1) targets.push(seg[0]!);
    else targets.push(...seg.filter((k) => k.name !== ','));
    prev = i + 1;
  }
  const valueNodes = kids.slice(prev);
  return { targets, annotation, value: valueNodes.length === 1 ? valueNodes[0]! : null };
}

function targetName(n: SyntaxNode, text: string): string | null {
  if (n.name === 'VariableName') return textOf(n, text);
  if (n.name === 'MemberExpression') {
    return dottedName(toExpr(n, text));
  }
  return null;
}

function collectCalls(node: SyntaxNode, text: string, out: Call[]): void {
  // Only statement-level calls matter (sys.path.insert, context.configure); nested ones are read from them.
  const cursor = node.cursor();
  do {
    if (cursor.name === 'ExpressionStatement') {
      const expr = cursor.node.firstChild;
      if (expr?.name === 'CallExpression') {
        const v = toExpr(expr, text);
        if (v.kind === 'call') out.push(v);
      }
    }
  } while (cursor.next() && cursor.from < node.to);
}

function readClass(s: SyntaxNode, text: string, file: string, decorators: Expr[]): ClassDef | null {
  const kids = children(s);
  const nameNode = kids.find((k) => k.name === 'VariableName');
  const argList = kids.find((k) => k.name === 'ArgList');
  const bodyNode = kids.find((k) => k.name === 'Body');
  if (!nameNode || !bodyNode) return null;
  const bases: Expr[] = [];
  const keywords: Kwarg[] = [];
  if (argList) {
    const a = children(argList);
    for (let i = 0; i < a.length; i++) {
      const c = a[i]!;
      if (c.name === '(' || c.name === ')' || c.name === ',') continue;
      if (c.name === '*' || c.name === '**') {
        i++;
        continue;
      }
      if (c.name === 'VariableName' && a[i + 1]?.name === 'AssignOp' && a[i + 2]) {
        keywords.push({ name: textOf(c, text), value: toExpr(a[i + 2]!, text) });
        i += 2;
        continue;
      }
      bases.push(toExpr(c, text));
    }
  }
  const body: ClassStmt[] = [];
  const visit = (st: SyntaxNode, decos: Expr[]) => {
    if (st.name === 'DecoratedStatement') {
      const ds = st.getChildren('Decorator').map((d) => {
        const e = children(d).find((c) => c.name !== 'At');
        return e ? toExpr(e, text) : ({ kind: 'other', node: d.name, span: { start: d.from, end: d.to } } as Expr);
      });
      const inner = children(st).find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
      if (inner) visit(inner, ds);
      return;
    }
    if (st.name === 'FunctionDefinition') {
      const n = children(st).find((c) => c.name === 'VariableName');
      if (n) {
        const declaredAttr = decos.some((d) => /(^|\.)declared_attr\b/.test(text.slice(d.span.start, d.span.end)));
        body.push({ name: textOf(n, text), annotation: null, value: null, span: { start: st.from, end: st.to }, method: { declaredAttr } });
      }
      return;
    }
    if (st.name === 'AssignStatement') {
      const { targets, annotation, value } = assignTargets(st, text);
      for (const t of targets) {
        if (t.name !== 'VariableName') continue;
        body.push({
          name: textOf(t, text),
          annotation: annotation ? toExpr(annotation, text) : null,
          value: value ? toExpr(value, text) : null,
          span: { start: st.from, end: st.to },
        });
      }
    }
  };
  runtimeStatements(children(bodyNode), text, (st) => visit(st, []));
  return {
    name: textOf(nameNode, text),
    span: { start: s.from, end: s.to },
    nameSpan: { start: nameNode.from, end: nameNode.to },
    bases,
    keywords,
    decorators,
    body,
    file,
  };
}

export function readModule(file: string, name: string | null, isPackage: boolean, text: string): ModuleInfo {
  const tree = parsePython(text);
  const top = tree.topNode;
  const info: ModuleInfo = {
    file,
    name,
    isPackage,
    text,
    parseError: false,
    imports: [],
    bindings: new Map(),
    classes: [],
    assignments: [],
    calls: [],
    topCalls: [],
    futureAnnotations: false,
  };
  if (cutShort(tree)) info.parseError = true;
  let hasError = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) hasError = true;
      return !hasError;
    },
  });
  info.parseError ||= hasError;
  const mod = { name, isPackage };
  const visit = (s: SyntaxNode, decorators: Expr[] = []) => {
    switch (s.name) {
      case 'ImportStatement':
        for (const imp of readImport(s, text, mod, true)) {
          info.imports.push(imp);
          if (imp.module === '__future__' && Array.isArray(imp.names) && imp.names.some((n) => n.name === 'annotations')) info.futureAnnotations = true;
          if (imp.module === null) continue;
          if (imp.names === null) {
            const root = imp.module.split('.')[0]!;
            info.bindings.set(root, { kind: 'module', module: root });
          } else if (imp.names !== '*') {
            for (const n of imp.names) {
              if (!imp.from) info.bindings.set(n.as, { kind: 'module', module: imp.module });
              else info.bindings.set(n.as, { kind: 'from', module: imp.module, name: n.name });
            }
          }
        }
        break;
      case 'DecoratedStatement': {
        const ds = s.getChildren('Decorator').map((d) => {
          const e = children(d).find((c) => c.name !== 'At');
          return e ? toExpr(e, text) : ({ kind: 'other', node: d.name, span: { start: d.from, end: d.to } } as Expr);
        });
        const inner = children(s).find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        if (inner) visit(inner, ds);
        break;
      }
      case 'ClassDefinition': {
        const cls = readClass(s, text, file, decorators);
        if (cls) {
          info.classes.push(cls);
          info.bindings.set(cls.name, { kind: 'class', cls });
        }
        break;
      }
      case 'FunctionDefinition': {
        const n = children(s).find((c) => c.name === 'VariableName');
        if (n) info.bindings.set(textOf(n, text), { kind: 'def' });
        // env.py configures Alembic inside run_migrations_online(): its calls and imports run too.
        collectCalls(s, text, info.calls);
        const body = children(s).find((c) => c.name === 'Body');
        if (body) {
          runtimeStatements(children(body), text, (st) => {
            if (st.name === 'ImportStatement') for (const imp of readImport(st, text, mod, false)) info.imports.push(imp);
          });
        }
        break;
      }
      case 'AssignStatement': {
        const { targets, value } = assignTargets(s, text);
        if (!value) break;
        const v = toExpr(value, text);
        for (const t of targets) {
          const target = targetName(t, text);
          info.assignments.push({ target, value: v, span: { start: s.from, end: s.to } });
          if (target && !target.includes('.')) info.bindings.set(target, { kind: 'value', value: v, span: { start: s.from, end: s.to } });
        }
        break;
      }
      case 'ExpressionStatement': {
        const e = s.firstChild;
        if (e?.name === 'CallExpression') {
          const v = toExpr(e, text);
          if (v.kind === 'call') {
            info.calls.push(v);
            info.topCalls.push(v);
          }
        }
        break;
      }
      default:
        break;
    }
  };
  runtimeStatements(children(top), text, (s) => visit(s));
  return info;
}

/**
 * env.py's `context.configure(...)` calls, in order. The template has one for offline and one for online mode,
 * and autogenerate runs online: a setting counts wherever it is passed, not only in the first.
 */
export function configureCalls(env: ModuleInfo): Call[] {
  return env.calls.filter((c) => /(^|\.)configure$/.test(dottedName(c.callee) ?? ''));
}
