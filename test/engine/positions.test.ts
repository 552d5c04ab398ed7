/**
 * Positions do not depend on how a file is encoded on disk: the bundled example project (real Alembic
 * output, every rule firing) is written out as LF, CRLF, BOM + LF and BOM + CRLF, and each copy must give
 * the same diagnostics at the same lines and columns. Columns count code points.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { lint } from '../../src/engine/lint.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { envFiles, mig, tree } from '../discover/tree.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = path.join(ROOT, 'examples/fastapi-sqlmodel/backend');

type Form = (text: string) => string;
const FORMS: [string, Form][] = [
  ['LF', (s) => s],
  ['CRLF', (s) => s.replace(/\n/g, '\r\n')],
  ['BOM + LF', (s) => `\uFEFF${s}`],
  ['BOM + CRLF', (s) => `\uFEFF${s.replace(/\n/g, '\r\n')}`],
];

/** Every file of the example, its text files rewritten in `form`. */
function copyExample(form: Form): string {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) files[path.relative(EXAMPLE, abs)] = form(fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(EXAMPLE);
  return tree(files);
}

const brief = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.rule} ${d.message}`;

function lintAll(root: string): Diagnostic[] {
  const found = discover(root, [], null);
  return lint({ cwd: root, environments: found.environments, config: defaultConfig(root) }).diagnostics;
}

/** 1-based line and column (code points) of `needle` in an LF text. */
function locate(text: string, needle: string): { line: number; column: number } {
  const i = text.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: [...before[before.length - 1]!].length + 1 };
}

describe('CRLF and BOM give the same positions as LF', () => {
  const baseline = lintAll(copyExample(FORMS[0]![1]));

  it('the LF baseline has findings of many rules, at the positions its text says', () => {
    const rulesSeen = new Set(baseline.map((d) => d.rule));
    expect(rulesSeen.size).toBeGreaterThanOrEqual(10);
    // Independent of the engine: where `op.execute(` stands in the file's own text.
    const rel = 'app/alembic/versions/79069a325e14_add_item_status.py';
    const at = locate(fs.readFileSync(path.join(EXAMPLE, rel), 'utf8'), 'op.execute(');
    expect(baseline.find((d) => d.rule === 'raw-sql' && d.file === rel)).toMatchObject(at);
    expect(baseline.some((d) => d.file.endsWith('script.py.mako'))).toBe(true);
    expect(baseline.some((d) => d.rule === 'parse-error')).toBe(true);
  });

  it.each(FORMS.slice(1))('%s', (_name, form) => {
    expect(lintAll(copyExample(form)).map(brief)).toEqual(baseline.map(brief));
  });
});

describe('columns are code points, after the BOM', () => {
  it.each(FORMS)('%s', (_name, form) => {
    const body = mig('a1b2c3d4e5f6').replace(/    op\.create_table\(.*\n/, `    x = '🦸é'; op.execute("DELETE FROM t")\n`);
    const root = tree({ ...envFiles('alembic', { 'a1b2c3d4e5f6_x.py': form(body) }) });
    const raw = lintAll(root).filter((d) => d.rule === 'raw-sql');
    // "    x = '🦸é'; " is 14 code points (15 UTF-16 units), so op.execute starts at column 15.
    expect(raw.map((d) => [d.line, d.column, d.endLine, d.endColumn])).toEqual([[22, 15, 22, 15 + 'op.execute("DELETE FROM t")'.length]]);
  });
});
