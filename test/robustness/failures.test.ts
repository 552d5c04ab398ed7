/**
 * Every usage, config and environment error: exit 2, one line on stderr that names the problem and the fix,
 * nothing on stdout, no stack trace (even with DEBUG=migration-lint, which adds the stack to internal errors
 * only). Unknown flags, choices, rules and config keys suggest the closest valid one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { cli, expectOneLine, git, HERO, HERO_FILE, migration, project, ROOT, tmpDir } from './helpers.js';

async function run(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main([...argv], { cwd, env, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false });
  return { code, stdout, stderr };
}

function clean(label: string): string {
  return project(tmpDir(label), { [HERO_FILE]: migration(HERO) });
}

interface Case {
  name: string;
  argv: string[];
  setup?: (dir: string) => void;
  /** The whole line, or a pattern for lines that carry a path of the temp folder. */
  line: string | RegExp;
}

const writeConfig = (name: string, text: string) => (dir: string) => fs.writeFileSync(path.join(dir, name), text);

const CASES: Case[] = [
  // Usage.
  { name: 'an unknown flag', argv: ['--formt', 'json'], line: "migration-lint: unknown option '--formt' (did you mean --format?)" },
  { name: 'an unknown negated flag', argv: ['--no-colr'], line: "migration-lint: unknown option '--no-colr' (did you mean --no-color?)" },
  { name: 'an unknown flag with nothing close', argv: ['-x'], line: "migration-lint: unknown option '-x'; see --help" },
  { name: 'an unknown flag of a subcommand', argv: ['summary', '--formt', 'json'], line: "migration-lint: unknown option '--formt' (did you mean --format?)" },
  {
    name: 'an unknown format',
    argv: ['--format', 'jsn'],
    line: "migration-lint: option '-f, --format <format>' argument 'jsn' is invalid. Allowed choices are stylish, json, sarif, github, junit, gitlab, rdjson. (did you mean 'json'?)",
  },
  { name: 'a flag missing its value', argv: ['--output'], line: "migration-lint: option '-o, --output <file>' argument missing; see --help" },
  { name: 'a bad --max-warnings', argv: ['--max-warnings', 'many'], line: "migration-lint: --max-warnings takes a whole number, not 'many'" },
  { name: 'a misspelt rule in --rule', argv: ['--rule', 'empty-migratio=error'], line: "migration-lint: --rule: unknown rule 'empty-migratio' (did you mean 'empty-migration'?)" },
  { name: 'an unknown rule in --rule', argv: ['--rule', 'no-such-rule=error'], line: "migration-lint: --rule: unknown rule 'no-such-rule'; `migration-lint --list-rules` lists them all" },
  { name: 'a malformed --rule', argv: ['--rule', 'empty-migration'], line: "migration-lint: --rule takes <id>=<off|warning|error>, not 'empty-migration'" },
  { name: 'a bad level in --rule', argv: ['--rule', 'empty-migration=loud'], line: 'migration-lint: --rule empty-migration must be "off", "warning" or "error" (or ["error", {options}])' },
  { name: 'two git modes', argv: ['--staged', '--all'], line: 'migration-lint: --staged, --base and --all are alternatives: give one' },
  { name: 'a misspelt command', argv: ['summry'], line: "migration-lint: no such file or folder: summry (did you mean the command 'summary'?)" },
  { name: 'a path that does not exist', argv: ['backend/alembic/versions'], line: 'migration-lint: no such file or folder: backend/alembic/versions' },
  { name: 'a misspelt rule in --explain', argv: ['--explain', 'empty-migratoin'], line: "migration-lint: unknown rule 'empty-migratoin' (did you mean 'empty-migration'?); `migration-lint --list-rules` lists them all" },
  {
    name: 'an --output that cannot be written',
    argv: ['--output', 'alembic.ini/report.txt'],
    line: 'migration-lint: cannot write --output alembic.ini/report.txt (a part of its path is a file): give the path of a file you can write',
  },
  // Config.
  { name: 'an unknown config key', argv: [], setup: writeConfig('migration-lint.config.json', '{"rulez": {}}\n'), line: "migration-lint: migration-lint.config.json: unknown key 'rulez' (did you mean 'rules'?)" },
  {
    name: 'a config key one letter off',
    argv: [],
    setup: writeConfig('.migrationlintrc.json', '{"vagueMessage": ["misc"]}\n'),
    line: "migration-lint: .migrationlintrc.json: unknown key 'vagueMessage' (did you mean 'vagueMessages'?)",
  },
  {
    name: 'an unknown key in pyproject.toml',
    argv: [],
    setup: writeConfig('pyproject.toml', '[tool.migration-lint]\nbaseLine = "main"\n'),
    line: "migration-lint: pyproject.toml [tool.migration-lint]: unknown key 'baseLine' (did you mean 'baseline'?)",
  },
  {
    name: 'an unknown key in package.json',
    argv: [],
    setup: writeConfig('package.json', '{"name": "x", "migrationLint": {"ignores": []}}\n'),
    line: `migration-lint: package.json "migrationLint": unknown key 'ignores' (did you mean 'ignore'?)`,
  },
  {
    name: 'a misspelt rule id in config',
    argv: [],
    setup: writeConfig('migration-lint.config.json', '{"rules": {"raw_sql": "off"}}\n'),
    line: "migration-lint: migration-lint.config.json: unknown rule 'raw_sql' in 'rules' (did you mean 'raw-sql'?)",
  },
  {
    name: 'a bad value in config',
    argv: [],
    setup: writeConfig('migration-lint.config.json', '{"checkDowngrade": "yes"}\n'),
    line: "migration-lint: migration-lint.config.json: 'checkDowngrade' must be true or false",
  },
  {
    name: 'config JSON that does not parse',
    argv: [],
    setup: writeConfig('migration-lint.config.json', '{"rules": {\n'),
    line: /^migration-lint: cannot parse migration-lint\.config\.json: .+$/,
  },
  { name: 'a --config that does not exist', argv: ['--config', 'lint.json'], line: 'migration-lint: config file not found: lint.json' },
  {
    name: 'a JS config that throws',
    argv: [],
    setup: writeConfig('migration-lint.config.mjs', 'throw new Error("settings are broken\\nsecond line");\n'),
    line: 'migration-lint: cannot load migration-lint.config.mjs: settings are broken',
  },
  {
    name: 'config versions that are not a folder',
    argv: [],
    setup: writeConfig('migration-lint.config.json', '{"versions": "db/versions"}\n'),
    line: "migration-lint: config 'versions' names 'db/versions', which is not a folder",
  },
];

describe('usage and config errors: exit 2, one line, the problem and the fix', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = clean('fail');
      c.setup?.(dir);
      const r = await run(c.argv, dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const line = expectOneLine(r.stderr);
      if (typeof c.line === 'string') expect(line).toBe(c.line);
      else expect(line).toMatch(c.line);
      // DEBUG may add its own notes (cache, parser), never a stack trace for an expected error.
      const debug = await run(c.argv, dir, { DEBUG: 'migration-lint' });
      expect(debug.code).toBe(2);
      expect(debug.stderr).not.toMatch(/\n\s+at /);
      expect(debug.stderr.trimEnd().split('\n').pop()).toBe(line);
    });
  }
});

describe('environment errors, through the built CLI', () => {
  it('nothing to lint: says where it looked and what to do', () => {
    const r = cli(tmpDir('empty'), ['--no-cache']);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(expectOneLine(r.stderr)).toMatch(
      /^migration-lint: no Alembic migrations found: looked in alembic\.ini, backend\/alembic\.ini, backend\/alembic\/versions, the repository \(alembic\.ini, or env\.py \+ script\.py\.mako \+ versions\/\)\. Pass the versions folder as an argument or set "versions" in the config\.$/,
    );
  });

  it('--staged outside a repository, and --staged without git on PATH', () => {
    const dir = clean('nogit');
    const outside = cli(dir, ['--staged', '--no-cache']);
    expect([outside.status, expectOneLine(outside.stderr)]).toEqual([
      2,
      `migration-lint: --staged needs a git repository, and ${dir} is not inside one (run it from the repository, or lint without --staged)`,
    ]);
    git(dir, 'init', '-q');
    const bin = tmpDir('bin-without-git');
    const noGit = cli(dir, ['--staged', '--no-cache'], { env: { PATH: bin } });
    expect([noGit.status, expectOneLine(noGit.stderr)]).toEqual([2, 'migration-lint: --staged needs git, which is not installed or not on PATH']);
  });

  it('--fix with --staged says how to get there', () => {
    const dir = clean('fixstaged');
    git(dir, 'init', '-q');
    const r = cli(dir, ['--fix', '--staged', '--no-cache']);
    expect([r.status, expectOneLine(r.stderr)]).toEqual([2, 'migration-lint: --fix rewrites files in the work tree; run it without --staged, then stage the result']);
  });

  it('an internal error is one line that asks for a report; DEBUG=migration-lint adds the stack trace', () => {
    const dir = clean('internal');
    // A config whose keys cannot be listed: validation fails with a TypeError no code of ours expects.
    fs.writeFileSync(path.join(dir, 'migration-lint.config.mjs'), "export default new Proxy({}, { ownKeys() { throw new TypeError('keys are unavailable'); } });\n");
    const plainRun = cli(dir, ['--no-cache']);
    expect([plainRun.status, plainRun.stdout, expectOneLine(plainRun.stderr)]).toEqual([
      2,
      '',
      'migration-lint: internal error: keys are unavailable (set DEBUG=migration-lint for the stack trace, and please report it)',
    ]);
    const debug = cli(dir, ['--no-cache'], { env: { DEBUG: 'migration-lint' } });
    expect(debug.status).toBe(2);
    expect(debug.stderr).toMatch(/^TypeError: keys are unavailable\n\s+at /);
    expect(debug.stderr.trimEnd().split('\n').pop()).toBe('migration-lint: internal error: keys are unavailable (set DEBUG=migration-lint for the stack trace, and please report it)');
  });

  it('the bin itself never prints a stack for an expected error', () => {
    const r = cli(ROOT, ['--rule', 'nope=error', '--no-cache'], { env: { DEBUG: 'migration-lint' } });
    expect([r.status, expectOneLine(r.stderr)]).toEqual([2, "migration-lint: --rule: unknown rule 'nope'; `migration-lint --list-rules` lists them all"]);
  });
});
