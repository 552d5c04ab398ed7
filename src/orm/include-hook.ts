/**
 * env.py's `include_object=` / `include_name=` hooks: autogenerate asks them about every table, column, index
 * and constraint, and leaves out what they refuse. They are arbitrary Python, so the reader never decides
 * what one returns; it only learns which names a hook is about, and keeps every difference on those names
 * out of the findings (as unknown), so that a project that filters with a hook is not told to undo it.
 */
import { children, parsePython, textOf, toExpr, type SyntaxNode } from '../parse/python.js';
import type { Call, Expr } from '../model/expr.js';
import type { ModuleInfo } from './module.js';
import { items, plainString } from './literal.js';
import type { Diff } from './compare.js';

/** What the hooks say, as far as can be known: the names they mention, or that they cannot be followed. */
export type IncludeHooks =
  | { kind: 'none' }
  /** Names written in the hooks (and in module-level collections they read); `removals`: they test `reflected`/`compare_to` only. */
  | { kind: 'names'; hooks: string[]; names: string[]; removalsOnly: boolean }
  | { kind: 'opaque'; hooks: string[]; reason: string };

/** The values autogenerate passes as `type_`: words of the protocol, not names of the schema. */
const TYPE_WORDS = new Set(['schema', 'table', 'column', 'index', 'unique_constraint', 'foreign_key_constraint', 'primary_key_constraint', 'check_constraint']);

const HOOK_KWS = ['include_object', 'include_name'];

/** The hooks of every `context.configure(...)` in env.py: the online one is what autogenerate runs, not always the first. */
export function readIncludeHooks(env: ModuleInfo, configures: Call[]): IncludeHooks {
  const given = configures.flatMap((c) => c.kwargs.filter((k) => HOOK_KWS.includes(k.name)));
  if (given.length === 0) return { kind: 'none' };
  const hooks = [...new Set(given.map((k) => k.name))];
  const top = parsePython(env.text).topNode;
  const names = new Set<string>();
  let testsReflection = false;
  for (const k of given) {
    const v = k.value;
    if (v.kind === 'none') continue;
    const body = v.kind === 'name' ? functionNamed(top, env.text, v.name) : v.kind === 'other' ? lambdaAt(top, v.span.start) : null;
    if (!body) return { kind: 'opaque', hooks, reason: `env.py's ${k.name}= is not a function defined in env.py` };
    // A call the reader cannot evaluate (config.get_main_option, os.environ.get, re.match) may bring names
    // from elsewhere: what the hook decides is then not known from its literals.
    const foreign = foreignCall(body, env.text);
    if (foreign) return { kind: 'opaque', hooks, reason: `env.py's ${k.name} calls ${foreign}, so the names it decides on are not known` };
    for (const s of stringsIn(body, env.text, env)) if (!TYPE_WORDS.has(s) && s.length > 0) names.add(s);
    // The parameters are always named so: only their use in the code counts.
    const params = body.getChild('ParamList');
    const code = env.text.slice(params ? params.to : body.from, body.to);
    if (/\b(reflected|compare_to)\b/.test(code)) testsReflection = true;
  }
  if (names.size > 0) return { kind: 'names', hooks, names: [...names], removalsOnly: false };
  if (testsReflection) return { kind: 'names', hooks, names: [], removalsOnly: true };
  return { kind: 'opaque', hooks, reason: `env.py's ${hooks.join('/')} decides what autogenerate compares, by no name the reader can see` };
}

/** Whether a hook may leave this difference out of autogenerate, and so out of the findings. */
export function hookMayExclude(h: IncludeHooks, d: Diff): boolean {
  if (h.kind === 'none') return false;
  if (h.kind === 'opaque') return true;
  if (h.removalsOnly) return d.kind.startsWith('remove_');
  const subjects = [d.table, d.column, d.name].filter((x): x is string => !!x);
  // A name the hook writes, whole or as a prefix/suffix it tests: over-matching only leaves a difference unknown.
  return subjects.some((s) => h.names.some((n) => s === n || (n.length >= 3 && s.includes(n))));
}

function functionNamed(top: SyntaxNode, text: string, name: string): SyntaxNode | null {
  for (const st of children(top)) {
    const fn = st.name === 'DecoratedStatement' ? children(st).find((c) => c.name === 'FunctionDefinition') : st;
    if (fn?.name !== 'FunctionDefinition') continue;
    const n = children(fn).find((c) => c.name === 'VariableName');
    if (n && textOf(n, text) === name) return fn;
  }
  return null;
}

function lambdaAt(top: SyntaxNode, at: number): SyntaxNode | null {
  let node: SyntaxNode | null = top.resolveInner(at, 1);
  while (node && node.name !== 'LambdaExpression') node = node.parent;
  return node;
}

/** String literals in the hook, and in module-level string collections it reads by name (`EXCLUDED = {...}`). */
function stringsIn(body: SyntaxNode, text: string, env: ModuleInfo): string[] {
  const out: string[] = [];
  const cursor = body.cursor();
  const addValue = (v: Expr) => {
    const s = plainString(v);
    if (s !== null) out.push(s);
    else for (const item of items(v) ?? []) addValue(item);
  };
  do {
    if (cursor.name === 'String' || cursor.name === 'ContinuedString') addValue(toExpr(cursor.node, text));
    else if (cursor.name === 'VariableName') {
      const b = env.bindings.get(text.slice(cursor.from, cursor.to));
      if (b?.kind === 'value') addValue(b.value);
    }
  } while (cursor.next() && cursor.from < body.to);
  return out;
}

/** Calls a hook may make on the names it is given, whose results come from those names alone. */
const PURE_CALLS = new Set(['startswith', 'endswith', 'lower', 'upper', 'casefold', 'strip', 'lstrip', 'rstrip', 'isinstance', 'hasattr', 'getattr', 'len', 'any', 'all', 'str', 'set', 'frozenset', 'tuple', 'list']);

function foreignCall(body: SyntaxNode, text: string): string | null {
  let found: string | null = null;
  body.cursor().iterate((n) => {
    if (found || n.name !== 'CallExpression') return found ? false : undefined;
    const callee = n.node.firstChild;
    if (!callee) return undefined;
    const name = callee.name === 'MemberExpression' ? textOf(callee.lastChild ?? callee, text) : textOf(callee, text);
    if (!PURE_CALLS.has(name)) found = textOf(callee, text);
    return undefined;
  });
  return found;
}
