/** What Python's import statements bind: read by the facts (imports, sqlmodel) and by the scope analyser alike. */
import { children, textOf, type SyntaxNode } from '../parse/python.js';

export interface ImportBinding {
  bound: string;
  module: string;
  name: string | null;
}

/** What an import statement binds, with Python's rules: `import a.b` binds `a`, `import a.b as c` binds `c`. */
export function importBindings(stmt: SyntaxNode, text: string): ImportBinding[] {
  const kids = children(stmt).filter((k) => k.name !== '(' && k.name !== ')');
  const out: ImportBinding[] = [];
  if (kids[0]?.name === 'from') {
    const importIdx = kids.findIndex((k) => k.name === 'import');
    const module = kids
      .slice(1, importIdx)
      .map((k) => textOf(k, text))
      .join('');
    const rest = kids.slice(importIdx + 1);
    for (let i = 0; i < rest.length; i++) {
      const k = rest[i]!;
      if (k.name === ',') continue;
      if (k.name === '*') continue;
      if (k.name !== 'VariableName') continue;
      const name = textOf(k, text);
      if (rest[i + 1]?.name === 'as' && rest[i + 2]) {
        out.push({ bound: textOf(rest[i + 2]!, text), module, name });
        i += 2;
      } else out.push({ bound: name, module, name });
    }
    return out;
  }
  // `import a.b.c as d, e.f`: split on commas into dotted paths.
  let path: string[] = [];
  let alias: string | null = null;
  const flush = () => {
    if (path.length) out.push({ bound: alias ?? path[0]!, module: path.join('.'), name: null });
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
  return out;
}
