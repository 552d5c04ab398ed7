/**
 * Finding the models as Alembic does: env.py runs, its imports run (transitively, through the project's own
 * modules only: a module not found under the import roots is a library, and its names stay qualified
 * names like `sqlmodel.SQLModel`), and whatever table classes those modules define land on the metadata
 * env.py hands Alembic. Import roots are the ones `alembic` would have: env.py's `sys.path.insert/append`,
 * alembic.ini's `prepend_sys_path` (default `.`), the folder holding alembic.ini, and `src/` layouts.
 * Pure apart from the `ProjectFiles` it is given.
 */
import path from 'node:path';
import type { ProjectFiles } from '../io/project-files.js';
import type { Binding, ClassDef, ModuleInfo } from './module.js';
import { readModuleCached, type ModuleStore } from './module-cache.js';
import { dottedName } from '../parse/python.js';
import type { Expr } from '../model/expr.js';
import { integer, plainString } from './literal.js';

export type { ProjectFiles };

export interface FindRequest {
  envPy: { file: string; text: string };
  /** Folder of alembic.ini (where `alembic` runs), null when there is none. */
  iniDir: string | null;
  /** `prepend_sys_path` entries (already split), null when the ini does not set it. */
  prependSysPath: string[] | null;
  /** Config `models`: files to read instead of following env.py's imports. */
  configModels: string[] | null;
  files: ProjectFiles;
  /** Modules read in runs before (the engine's cache), or none. */
  store?: ModuleStore | null;
}

export type Resolved =
  | { kind: 'external'; qname: string }
  | { kind: 'class'; cls: ClassDef; module: ModuleInfo }
  | { kind: 'value'; value: Expr; module: ModuleInfo; name: string }
  | { kind: 'module'; module: ModuleInfo }
  | null;

export interface ModelProject {
  env: ModuleInfo;
  roots: string[];
  /** Modules that run when env.py runs (env.py excluded), in the order they first run. */
  reached: ModuleInfo[];
  /** Modules named by config `models` (then `reached` holds them and what they import). */
  fromConfig: boolean;
  load(file: string): ModuleInfo | null;
  moduleByName(name: string): ModuleInfo | null;
  /** What a name means in a module: followed through imports and star imports of project modules. */
  resolveName(module: ModuleInfo, name: string): Resolved;
  /** A name or attribute chain (`sa.Column`, `models.Base`) resolved to a qualified name or project object. */
  resolveValue(module: ModuleInfo, v: Expr): Resolved;
  /** Dotted module name of a file under the roots, or null. */
  nameOfFile(file: string): string | null;
}

/** Evaluates the path expressions env.py puts on sys.path; null when it is not a static path. */
function evalPath(v: Expr, env: ModuleInfo, cwd: string, depth = 0): string | null {
  if (depth > 20) return null;
  const rec = (x: Expr) => evalPath(x, env, cwd, depth + 1);
  switch (v.kind) {
    case 'str': {
      const s = plainString(v);
      return s === null ? null : path.resolve(cwd, s);
    }
    case 'name': {
      if (v.name === '__file__') return env.file;
      const b = env.bindings.get(v.name);
      return b?.kind === 'value' ? rec(b.value) : null;
    }
    case 'attr':
      if (v.attr === 'parent') {
        const p = rec(v.object);
        return p === null ? null : path.dirname(p);
      }
      return null;
    case 'sub': {
      const n = integer(v.index[0]);
      if (v.object.kind === 'attr' && v.object.attr === 'parents' && n !== null) {
        let p = rec(v.object.object);
        for (let i = 0; p !== null && i <= n; i++) p = path.dirname(p);
        return p;
      }
      return null;
    }
    case 'binop': {
      if (v.op !== '/') return null;
      const l = rec(v.left);
      const r = plainString(v.right);
      return l === null || r === null ? null : path.resolve(l, r);
    }
    case 'call': {
      const fn = dottedName(v.callee) ?? (v.callee.kind === 'attr' ? v.callee.attr : null);
      const method = v.callee.kind === 'attr' ? v.callee.attr : null;
      const last = fn ? fn.slice(fn.lastIndexOf('.') + 1) : method;
      if (last === 'getcwd' || (last === 'cwd' && v.args.length === 0)) return cwd;
      if (method && ['resolve', 'absolute', 'expanduser'].includes(method) && v.callee.kind === 'attr') return rec(v.callee.object);
      if (method === 'joinpath' && v.callee.kind === 'attr') {
        let p = rec(v.callee.object);
        for (const a of v.args) {
          const s = plainString(a);
          p = p === null || s === null ? null : path.resolve(p, s);
        }
        return p;
      }
      if (!last) return null;
      if (['abspath', 'realpath', 'normpath', 'str', 'Path', 'PurePath', 'fspath'].includes(last) && v.args.length === 1) return rec(v.args[0]!);
      if (last === 'dirname' && v.args.length === 1) {
        const p = rec(v.args[0]!);
        return p === null ? null : path.dirname(p);
      }
      if (last === 'join' && v.args.length >= 1) {
        let p = rec(v.args[0]!);
        for (const a of v.args.slice(1)) {
          const s = plainString(a) ?? rec(a);
          p = p === null || s === null ? null : path.resolve(p, s);
        }
        return p;
      }
      return null;
    }
    default:
      return null;
  }
}

/** The import roots, in the order Python searches them. */
function importRoots(req: FindRequest, env: ModuleInfo): string[] {
  const cwd = req.iniDir ?? path.dirname(path.dirname(req.envPy.file));
  const front: string[] = [];
  const back: string[] = [];
  for (const call of env.calls) {
    const fn = dottedName(call.callee);
    if (fn !== 'sys.path.insert' && fn !== 'sys.path.append') continue;
    const arg = fn === 'sys.path.insert' ? call.args[1] : call.args[0];
    const p = arg ? evalPath(arg, env, cwd) : null;
    if (p) (fn === 'sys.path.insert' ? front : back).push(p);
  }
  const prepend = (req.prependSysPath ?? ['.']).map((p) => path.resolve(cwd, p));
  const roots = [...front, ...prepend, cwd, path.join(cwd, 'src'), ...back];
  return [...new Set(roots)].filter((r) => req.files.isDir(r));
}

interface Found {
  file: string | null;
  isPackage: boolean;
}

export function findModels(req: FindRequest): ModelProject {
  const { files } = req;
  const env = readModuleCached(req.store, req.envPy.file, null, false, req.envPy.text);
  const roots = importRoots(req, env);
  const byFile = new Map<string, ModuleInfo | null>();
  const byName = new Map<string, Found | null>();

  // Python's finder per path entry: a package (folder with __init__.py) wins over a module of the same name,
  // which wins over a namespace folder; the first root that has the top-level name decides.
  const locate = (name: string): Found | null => {
    if (byName.has(name)) return byName.get(name)!;
    const parts = name.split('.');
    let found: Found | null = null;
    for (const root of roots) {
      let dir = root;
      let ok = true;
      let res: Found | null = null;
      for (const [i, part] of parts.entries()) {
        const pkg = path.join(dir, part);
        const init = path.join(pkg, '__init__.py');
        const mod = `${pkg}.py`;
        const isLast = i === parts.length - 1;
        if (files.isFile(init)) {
          if (isLast) res = { file: init, isPackage: true };
          dir = pkg;
        } else if (files.isFile(mod)) {
          if (isLast) res = { file: mod, isPackage: false };
          else ok = false;
        } else if (files.isDir(pkg)) {
          if (isLast) res = { file: null, isPackage: true };
          dir = pkg;
        } else ok = false;
        if (!ok) break;
      }
      if (ok && res) {
        found = res;
        break;
      }
    }
    byName.set(name, found);
    return found;
  };

  const load = (file: string, name: string | null = null, isPackage = path.basename(file) === '__init__.py'): ModuleInfo | null => {
    if (byFile.has(file)) return byFile.get(file)!;
    const text = files.readText(file);
    const info = text === null ? null : readModuleCached(req.store, file, name ?? nameOfFile(file), isPackage, text);
    byFile.set(file, info);
    return info;
  };

  const nameOfFile = (file: string): string | null => {
    for (const root of roots) {
      const rel = path.relative(root, file);
      if (rel.startsWith('..') || path.isAbsolute(rel) || !rel.endsWith('.py')) continue;
      const parts = rel.slice(0, -3).split(path.sep);
      if (parts[parts.length - 1] === '__init__') parts.pop();
      if (!parts.length || parts.some((p) => !/^[A-Za-z_]\w*$/.test(p))) continue;
      return parts.join('.');
    }
    return null;
  };

  const moduleByName = (name: string): ModuleInfo | null => {
    const f = locate(name);
    return f?.file ? load(f.file, name, f.isPackage) : null;
  };

  // Modules that run when env.py runs, breadth-first over the imports each runs.
  const reached: ModuleInfo[] = [];
  const seen = new Set<string>();
  const queue: ModuleInfo[] = [];
  const run = (m: ModuleInfo | null) => {
    if (!m || seen.has(m.file)) return;
    seen.add(m.file);
    reached.push(m);
    queue.push(m);
  };
  const runName = (name: string) => {
    const parts = name.split('.');
    for (let i = 1; i <= parts.length; i++) run(moduleByName(parts.slice(0, i).join('.')));
  };
  const follow = (m: ModuleInfo, all: boolean) => {
    for (const imp of m.imports) {
      if (!imp.module || (!all && !imp.topLevel)) continue;
      runName(imp.module);
      const target = locate(imp.module);
      // `from pkg import mod` imports the submodule when the package has one by that name.
      if (target?.isPackage && Array.isArray(imp.names)) for (const n of imp.names) if (locate(`${imp.module}.${n.name}`)) runName(`${imp.module}.${n.name}`);
    }
  };
  let fromConfig = false;
  if (req.configModels && req.configModels.length) {
    fromConfig = true;
    for (const f of req.configModels) run(load(f));
  } else follow(env, true);
  while (queue.length) follow(queue.shift()!, false);

  const resolveName = (module: ModuleInfo, name: string, depth = 0): Resolved => {
    if (depth > 30) return null;
    const b: Binding | undefined = module.bindings.get(name);
    if (b) {
      switch (b.kind) {
        case 'class':
          return { kind: 'class', cls: b.cls, module };
        case 'value':
          return { kind: 'value', value: b.value, module, name };
        case 'def':
          return null;
        case 'module': {
          const m = moduleByName(b.module);
          return m ? { kind: 'module', module: m } : { kind: 'external', qname: b.module };
        }
        case 'from': {
          const sub = moduleByName(`${b.module}.${b.name}`);
          const m = moduleByName(b.module);
          if (m) {
            const r = m.bindings.has(b.name) || !sub ? resolveName(m, b.name, depth + 1) : null;
            if (r) return r;
          }
          if (sub) return { kind: 'module', module: sub };
          if (m || locate(b.module)) return null;
          return { kind: 'external', qname: `${b.module}.${b.name}` };
        }
      }
    }
    // Star imports, the last one first (it would have bound the name last).
    for (const imp of [...module.imports].reverse()) {
      if (imp.names !== '*' || !imp.module || !imp.topLevel) continue;
      const m = moduleByName(imp.module);
      if (m) {
        const r = resolveName(m, name, depth + 1);
        if (r) return r;
      }
    }
    if (BUILTIN_TYPES.has(name)) return { kind: 'external', qname: `builtins.${name}` };
    return null;
  };

  const resolveValue = (module: ModuleInfo, v: Expr): Resolved => {
    if (v.kind === 'name') return resolveName(module, v.name);
    if (v.kind === 'attr') {
      const base = resolveValue(module, v.object);
      if (!base) return null;
      if (base.kind === 'external') return { kind: 'external', qname: `${base.qname}.${v.attr}` };
      if (base.kind === 'module') {
        const r = resolveName(base.module, v.attr);
        if (r) return r;
        const sub = base.module.name ? moduleByName(`${base.module.name}.${v.attr}`) : null;
        return sub ? { kind: 'module', module: sub } : null;
      }
      return null;
    }
    const s = plainString(v);
    if (s !== null) {
      // A string forward reference to a plain name (`"Team"`).
      return /^[A-Za-z_][\w.]*$/.test(s) ? resolveValue(module, nameValue(s, v.span)) : null;
    }
    return null;
  };

  return {
    env,
    roots,
    reached,
    fromConfig,
    load: (f) => load(f),
    moduleByName,
    resolveName: (m, n) => resolveName(m, n),
    resolveValue,
    nameOfFile,
  };
}

function nameValue(text: string, span: { start: number; end: number }): Expr {
  const parts = text.split('.');
  let v: Expr = { kind: 'name', name: parts[0]!, span };
  for (const p of parts.slice(1)) v = { kind: 'attr', object: v, attr: p, span };
  return v;
}

const BUILTIN_TYPES = new Set(['str', 'int', 'float', 'bool', 'bytes', 'list', 'dict', 'set', 'tuple', 'object', 'type', 'frozenset']);
