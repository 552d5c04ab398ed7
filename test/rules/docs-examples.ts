/**
 * The Bad and Good examples of docs/rules/<id>.md as projects to lint: a page's examples are fragments (an
 * upgrade() body, revision variables, a template), so each is completed the way Alembic would have written
 * the rest (module docstring, imports, revision variables, empty functions) without touching what it shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.js';

export interface ExampleProject {
  /** Paths relative to the project root, as `tree()` takes them. */
  files: Record<string, string>;
}

const ENV_PY = 'from alembic import context\n\nconfig = context.config\n';
const MAKO = '"""${message}"""\nfrom alembic import op\nimport sqlalchemy as sa\nimport sqlmodel\n${imports if imports else ""}\n\ndef upgrade() -> None:\n    ${upgrades if upgrades else "pass"}\n';

/** The fenced blocks of a section (`## Bad`, `## Good`) of a docs page. */
export function sectionBlocks(markdown: string, heading: string): { lang: string; body: string }[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start === -1) return [];
  const end = markdown.indexOf('\n## ', start + heading.length + 5);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

let counter = 0;
const revId = () => (0xa1b2c3d4e5f0 + counter++).toString(16);

/** A fragment made a whole migration: what it lacks is added around it, in Alembic's order. */
function complete(fragment: string, name: string | null): { name: string; text: string } {
  let text = fragment;
  const rev = /^revision\s*=\s*['"]([0-9a-f]+)['"]/m.exec(text)?.[1] ?? /^(\w+?)_/.exec(name ?? '')?.[1] ?? revId();
  const head: string[] = [];
  const docstring = /^\s*(?:"""|''')/.test(text) ? null : `"""add hero power\n\nRevision ID: ${rev}\nRevises:\nCreate Date: 2024-01-02 12:00:00.000000\n\n"""`;
  if (docstring) head.push(docstring);
  if (!/^(?:from|import)\s/m.test(text)) head.push('from alembic import op\nimport sqlalchemy as sa\nimport sqlmodel\n');
  if (!/^revision\s*=/m.test(text)) head.push(`revision = '${rev}'\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n`);
  if (docstring === null) {
    // The docstring comes first; what is added goes after it.
    const m = /^\s*("""[\s\S]*?"""|'''[\s\S]*?''')\n?/.exec(text)!;
    text = `${m[0].trimEnd()}\n${head.join('\n')}\n${text.slice(m[0].length)}`;
  } else text = `${head.join('\n')}\n${text}`;
  if (!/^def upgrade/m.test(text)) text += '\n\ndef upgrade() -> None:\n    pass\n';
  if (!/^def downgrade/m.test(text)) text += '\n\ndef downgrade() -> None:\n    pass\n';
  return { name: name ?? `${rev}_example.py`, text };
}

/** The project one section's examples describe, or null when it has no block to lint. */
export function exampleProject(id: string, heading: 'Bad' | 'Good'): ExampleProject | null {
  const md = fs.readFileSync(path.join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
  const blocks = sectionBlocks(md, heading);
  if (!blocks.length) return null;
  // A SQLModel project, as the pages assume (its dependencies name sqlmodel).
  const files: Record<string, string> = {
    'pyproject.toml': '[project]\nname = "app"\ndependencies = ["sqlmodel"]\n',
    'alembic.ini': '[alembic]\nscript_location = alembic\n',
    'alembic/env.py': ENV_PY,
    'alembic/script.py.mako': MAKO,
    'alembic/versions/': '',
  };
  const migration = (name: string | null, body: string) => {
    const f = complete(body, name);
    files[`alembic/versions/${f.name}`] = f.text;
  };
  for (const { lang, body } of blocks) {
    if (lang === 'mako') files['alembic/script.py.mako'] = body;
    else if (lang === 'text') {
      // `versions/<file>   <python>`: one file a line.
      for (const m of body.matchAll(/^(?:alembic\/)?versions\/(.+?\.py)\s{2,}(.+)$/gm)) migration(m[1]!, `${m[2]!}\n`);
    } else if (lang === 'python') {
      // `# versions/<file>.py` starts another file; otherwise the block is one.
      const parts = body.split(/^# (?:alembic\/)?versions\/(\S+\.py)\b.*\n/m);
      if (parts.length === 1) migration(null, body);
      else {
        if (parts[0]!.trim()) migration(null, parts[0]!);
        for (let i = 1; i < parts.length; i += 2) migration(parts[i]!, parts[i + 1]!);
      }
    }
  }
  return { files };
}
