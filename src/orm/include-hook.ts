/**
 * env.py's `include_object=` / `include_name=` hooks: autogenerate asks them about every table, column, index
 * and constraint, and leaves out what they refuse. They are arbitrary Python, so the reader never decides
 * what one returns; it only learns which names a hook is about, and keeps every difference on those names
 * out of the findings (as unknown), so that a project that filters with a hook is not told to undo it.
 */
import { children, parsePython, textOf, type SyntaxNode } from '../parse/python.js';
import type { ModuleInfo } from './module.js';
import { toValue, type Value } from './value.js';
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
export function readIncludeHooks(env: ModuleInfo, configures: Extract<Value, { k: 'call' }>[]): IncludeHooks {
  const given = configures.flatMap((c) => c.kwargs.filter((k) => HOOK_KWS.includes(k.name)));
  if (given.length === 0) return { kind: 'none' };
  const hooks = [...new Set(given.map((k) => k.name))];
  const top = parsePython(env.text).topNode;
  const names = new Set<string>();
  let testsReflection = false;
  for (const k of given) {
    const v = k.value;
    if (v.k === 'none') continue;
    const body = v.k === 'name' ? functionNamed(top, env.text, v.name) : v.k === 'other' ? lambdaAt(top, v.span.start) : null;
    if (!body) return { kind: 'opaque', hooks, reason: `env.py's ${k.name}= is not a function defined in env.py` };
    for (const s of stringsIn(body, env.text, env)) if (!TYPE_WORDS.has(s) && s.length > 0) names.add(s);
    if (/\b(reflected|compare_to)\b/.test(textOf(body, env.text))) testsReflection = true;
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
  const addValue = (v: Value) => {
    if (v.k === 'str') out.push(v.v);
    else if (v.k === 'seq') for (const item of v.items) addValue(item);
  };
  do {
    if (cursor.name === 'String' || cursor.name === 'ContinuedString') addValue(toValue(cursor.node, text));
    else if (cursor.name === 'VariableName') {
      const b = env.bindings.get(text.slice(cursor.from, cursor.to));
      if (b?.kind === 'value') addValue(b.value);
    }
  } while (cursor.next() && cursor.from < body.to);
  return out;
}
