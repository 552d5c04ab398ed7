/** What Python's import statements bind: read by the facts (imports, sqlmodel) and by the scope analyser alike. */
import type { Span } from '../model/span.js';
import { children, textOf, type SyntaxNode } from '../parse/python.js';

export interface ImportBinding {
  bound: string;
  module: string;
  name: string | null;
}

/** One name of `from m import a as b`: the name, what it binds, and where both are written. */
export interface ImportedName {
  name: string;
  as: string;
  span: Span;
}

/**
 * An import statement as written: `from <head> import …` (head with its leading dots; `names` '*' for a star
 * import), or `import a.b.c as d, e.f` split on its commas into dotted paths.
 */
export type ImportStatement = { from: string; names: ImportedName[] | '*' } | { modules: { path: string; alias: string | null }[] };

export function readImportStatement(stmt: SyntaxNode, text: string): ImportStatement {
  const kids = children(stmt).filter((k) => k.name !== '(' && k.name !== ')');
  if (kids[0]?.name === 'from') {
    const importIdx = kids.findIndex((k) => k.name === 'import');
    const head = kids
      .slice(1, importIdx)
      .map((k) => textOf(k, text))
      .join('');
    const rest = kids.slice(importIdx + 1);
    if (rest.some((k) => k.name === '*')) return { from: head, names: '*' };
    const names: ImportedName[] = [];
    for (let i = 0; i < rest.length; i++) {
      const k = rest[i]!;
      if (k.name !== 'VariableName') continue;
      const name = textOf(k, text);
      const alias = rest[i + 1]?.name === 'as' ? rest[i + 2] : undefined;
      names.push({ name, as: alias ? textOf(alias, text) : name, span: { start: k.from, end: (alias ?? k).to } });
      if (alias) i += 2;
    }
    return { from: head, names };
  }
  const modules: { path: string; alias: string | null }[] = [];
  let path: string[] = [];
  let alias: string | null = null;
  const flush = () => {
    if (path.length) modules.push({ path: path.join('.'), alias });
    path = [];
    alias = null;
  };
  for (let i = 1; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.name === ',') flush();
    else if (k.name === 'as' && kids[i + 1]) {
      alias = textOf(kids[i + 1]!, text);
      i++;
    } else if (k.name === 'VariableName') path.push(textOf(k, text));
  }
  flush();
  return { modules };
}

/** What an import statement binds, with Python's rules: `import a.b` binds `a`, `import a.b as c` binds `c`. */
export function importBindings(stmt: SyntaxNode, text: string): ImportBinding[] {
  const s = readImportStatement(stmt, text);
  if ('from' in s) return s.names === '*' ? [] : s.names.map((n) => ({ bound: n.as, module: s.from, name: n.name }));
  return s.modules.map((m) => ({ bound: m.alias ?? m.path.split('.')[0]!, module: m.path, name: null }));
}
