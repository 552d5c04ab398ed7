/**
 * Files the fuzz suite found: each a real migration with one mutation, which either crashed the run (stack
 * overflow) or passed as valid although CPython refuses it (so `alembic upgrade` would stop on it while the
 * linter said nothing). Each now gets exactly one parse-error, where CPython puts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { lint } from '../../src/index.js';
import { cli, HAS_PYTHON, project, pythonVerdicts, tmpDir, VERSIONS } from './helpers.js';

const DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'regressions');

interface Expected {
  /** What the fuzz suite saw before the fix. */
  was: 'crash' | 'silent';
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

const at = (was: Expected['was'], line: number, column: number, endLine: number, endColumn: number, message: string): Expected => ({
  was,
  line,
  column,
  endLine,
  endColumn,
  message: `Python syntax error: ${message}`,
});

const CASES: Record<string, Expected> = {
  'annotated-docstring.py': at('silent', 1, 1, 7, 4, 'illegal target for annotation'),
  'assign-to-expression.py': at('silent', 16, 1, 16, 14, 'cannot assign to expression'),
  'bytes-and-str-concatenated.py': at('silent', 33, 19, 33, 29, 'cannot mix bytes and nonbytes literals'),
  'decorator-unindent.py': at('silent', 31, 1, 31, 2, 'unexpected unindent'),
  'deep-nesting-stack-overflow.py': at('crash', 33, 215, 33, 216, 'too many nested parentheses'),
  'invalid-decimal-literal.py': at('silent', 14, 21, 14, 22, 'invalid syntax'),
  'keyword-as-attribute.py': at('silent', 17, 14, 17, 18, 'invalid syntax'),
  'keyword-repeated.py': at('silent', 23, 51, 23, 59, 'keyword argument repeated: nullable'),
  'line-separator-in-name.py': at('silent', 15, 19, 15, 20, 'invalid non-printable character U+2028'),
  'lone-cr-in-string.py': at('silent', 33, 19, 33, 20, 'unterminated string literal'),
  'nul-byte.py': at('silent', 23, 27, 23, 28, 'source code cannot contain null bytes'),
  'positional-follows-keyword.py': at('silent', 23, 37, 23, 49, 'positional argument follows keyword argument'),
  'starred-expression.py': at('silent', 15, 17, 15, 18, "can't use starred expression here"),
  'truncated-unicode-escape.py': at('silent', 33, 20, 33, 22, 'truncated \\uXXXX escape'),
  'unexpected-indent.py': at('silent', 14, 5, 14, 6, 'unexpected indent'),
  'unindent-mismatch.py': at('silent', 28, 3, 28, 4, 'unindent does not match any outer indentation level'),
};

/**
 * A chain of 20,000 `+` that once overflowed lezer's stack. CPython names line 23 (a syntax error inside that
 * same statement, which it parses before it builds the tree); we name the statement's first line, 22: what lies
 * inside a statement too deep to build is not parsed.
 */
const STACK_DEPENDENT = 'operator-chain-stack-overflow.py';

function lintOne(name: string) {
  const root = project(tmpDir('regression'), { [name]: fs.readFileSync(path.join(DIR, name)) });
  const found = discover(root, [], null);
  return lint({ cwd: root, environments: found.environments, config: defaultConfig(root) });
}

describe('regressions found by the fuzz suite', () => {
  it('every fixture in regressions/ has its expectation here', () => {
    expect(fs.readdirSync(DIR).sort()).toEqual([...Object.keys(CASES), STACK_DEPENDENT].sort());
  });

  for (const [name, want] of Object.entries(CASES)) {
    it(`${name}: one parse-error at ${want.line}:${want.column} (was: ${want.was})`, () => {
      const result = lintOne(name);
      expect(result.fileCount).toBe(1);
      const { was: _, ...where } = want;
      expect(result.diagnostics.filter((d) => d.rule === 'parse-error').map(({ line, column, endLine, endColumn, message }) => ({ line, column, endLine, endColumn, message }))).toEqual([where]);
    });
  }

  it(`${STACK_DEPENDENT}: one parse-error at its statement, whatever stack the process has`, () => {
    const result = lintOne(STACK_DEPENDENT);
    expect(result.diagnostics.filter((d) => d.rule === 'parse-error')).toHaveLength(1);
    // The statement too deep for CPython (a chain of 20,000 `+`) never reaches lezer's recursion, so a small
    // stack changes nothing; the rest of the file is read.
    const root = project(tmpDir('stack'), { [STACK_DEPENDENT]: fs.readFileSync(path.join(DIR, STACK_DEPENDENT)) });
    const run = cli(root, ['--format', 'json', '--no-cache']);
    const small = cli(root, ['--format', 'json', '--no-cache'], { nodeArgs: ['--stack-size=200'] });
    for (const r of [run, small]) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      expect(r.json!.summary.files).toBe(1);
      expect(r.json!.diagnostics.filter((d) => d.rule === 'parse-error')).toEqual([
        expect.objectContaining({
          file: `${VERSIONS}/${STACK_DEPENDENT}`,
          line: 22,
          column: 5,
          message: 'Python syntax error: too deeply nested: CPython stops with "maximum recursion depth exceeded during ast construction"',
        }),
      ]);
    }
  });

  it.skipIf(!HAS_PYTHON)('CPython refuses every one of them, on the line we report', () => {
    const names = Object.keys(CASES);
    const verdicts = pythonVerdicts(names.map((n) => fs.readFileSync(path.join(DIR, n))));
    expect(names.map((n, k) => [n, verdicts[k]!.ok, verdicts[k]!.line ?? CASES[n]!.line])).toEqual(names.map((n) => [n, false, CASES[n]!.line]));
    expect(pythonVerdicts([fs.readFileSync(path.join(DIR, STACK_DEPENDENT))])[0]!.ok).toBe(false);
  });
});
