/**
 * Configuration: every place it may live, the walk up from the working directory
 * that stops at the repository root, validation that names the bad key, and its effect on a real run.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { MigrationLintError } from '../../src/errors.js';
import { rules } from '../../src/rules/index.js';
import { run } from '../cli/run.js';
import { envFiles, mig, tree } from '../discover/tree.js';

const RULE_IDS = new Set(rules.map((r) => r.meta.id));
const SETTINGS = { sqlmodelImport: 'always', checkDowngrade: true, rules: { 'raw-sql': 'warning' } };

async function load(cwd: string, explicit: string | null = null) {
  return loadConfig(cwd, explicit, RULE_IDS);
}

async function loadError(cwd: string, explicit: string | null = null): Promise<string> {
  try {
    await load(cwd, explicit);
  } catch (err) {
    expect(err).toBeInstanceOf(MigrationLintError);
    return (err as Error).message;
  }
  throw new Error('expected a config error');
}

describe('where the config lives', () => {
  it.each([
    ['migration-lint.config.json', JSON.stringify(SETTINGS)],
    ['migration-lint.config.js', `export default ${JSON.stringify(SETTINGS)};\n`],
    ['migration-lint.config.mjs', `const config = ${JSON.stringify(SETTINGS)};\nexport default config;\n`],
    ['migration-lint.config.ts', `interface C { sqlmodelImport: 'always' | 'when-used' }\nconst config: C & Record<string, unknown> = ${JSON.stringify(SETTINGS)};\nexport default config;\n`],
    ['.migrationlintrc.json', JSON.stringify(SETTINGS)],
    ['package.json', JSON.stringify({ name: 'x', migrationLint: SETTINGS })],
    ['pyproject.toml', '[project]\nname = "x"\n\n[tool.migration-lint]\nsqlmodelImport = "always"\ncheckDowngrade = true\n\n[tool.migration-lint.rules]\nraw-sql = "warning"\n'],
  ])('%s', async (name, body) => {
    const root = tree({ '.git/': '', [name]: body });
    const cfg = await load(root);
    expect(cfg.file).toBe(path.join(root, name));
    expect(cfg.sqlmodelImport).toBe('always');
    expect(cfg.checkDowngrade).toBe(true);
    expect(cfg.rules).toEqual({ 'raw-sql': { level: 'warning', options: {} } });
  });

  it('a .js config in a CommonJS package (module.exports)', async () => {
    const root = tree({ '.git/': '', 'package.json': '{"name":"x"}', 'migration-lint.config.js': `module.exports = { checkDowngrade: true };\n` });
    expect((await load(root)).checkDowngrade).toBe(true);
  });

  it('walks up from the working directory', async () => {
    const root = tree({ '.git/': '', 'migration-lint.config.json': '{"checkDowngrade": true}', 'backend/app/alembic/': '' });
    const cfg = await load(path.join(root, 'backend/app/alembic'));
    expect(cfg.file).toBe(path.join(root, 'migration-lint.config.json'));
    expect(cfg.checkDowngrade).toBe(true);
  });

  it('the nearest config wins', async () => {
    const root = tree({ '.git/': '', 'migration-lint.config.json': '{"checkDowngrade": true}', 'backend/.migrationlintrc.json': '{"checkDowngrade": false}' });
    const cfg = await load(path.join(root, 'backend'));
    expect(cfg.file).toBe(path.join(root, 'backend/.migrationlintrc.json'));
    expect(cfg.checkDowngrade).toBe(false);
  });

  it('a pyproject.toml or package.json without our settings does not stop the search', async () => {
    const root = tree({
      '.git/': '',
      'migration-lint.config.json': '{"sqlmodelImport": "when-used"}',
      'backend/pyproject.toml': '[project]\nname = "backend"\ndependencies = ["sqlmodel"]\n\n[tool.ruff]\nline-length = 100\n',
      'backend/package.json': '{"name": "tools"}',
    });
    const cfg = await load(path.join(root, 'backend'));
    expect(cfg.file).toBe(path.join(root, 'migration-lint.config.json'));
    expect(cfg.sqlmodelImport).toBe('when-used');
  });

  it('stops at the repository root: a config above it never applies', async () => {
    const outer = tree({ 'migration-lint.config.json': '{"checkDowngrade": true}', 'repo/.git/': '', 'repo/backend/': '' });
    const cfg = await load(path.join(outer, 'repo/backend'));
    expect(cfg.file).toBeNull();
    expect(cfg.checkDowngrade).toBe(false);
  });

  it('a worktree or submodule root (.git is a file) stops the search too', async () => {
    const outer = tree({ 'migration-lint.config.json': '{"checkDowngrade": true}', 'repo/.git': 'gitdir: ../.git/worktrees/repo\n', 'repo/backend/': '' });
    expect((await load(path.join(outer, 'repo/backend'))).file).toBeNull();
  });

  it('--config names a file anywhere, of any supported kind', async () => {
    const root = tree({ '.git/': '', 'ci/lint.json': '{"checkDowngrade": true}', 'ci/py.toml': '[tool.migration-lint]\nsqlmodelImport = "always"\n' });
    expect((await load(root, 'ci/lint.json')).checkDowngrade).toBe(true);
    expect((await load(root, 'ci/py.toml')).sqlmodelImport).toBe('always');
    expect(await loadError(root, 'ci/nope.json')).toBe('config file not found: ci/nope.json');
  });

  it('versions are relative to the config file', async () => {
    const root = tree({ '.git/': '', 'migration-lint.config.json': '{"versions": "backend/db/versions"}', 'backend/': '' });
    const cfg = await load(path.join(root, 'backend'));
    expect(cfg.versions).toEqual([path.join(root, 'backend/db/versions')]);
  });
});

describe('validation', () => {
  const bad = async (body: string, name = 'migration-lint.config.json') => loadError(tree({ '.git/': '', [name]: body }));

  it('an unknown key is named, with a did-you-mean', async () => {
    expect(await bad('{"rulse": {}}')).toBe(`migration-lint.config.json: unknown key 'rulse' (did you mean 'rules'?)`);
    expect(await bad('{"checkDowngrades": true}')).toBe(`migration-lint.config.json: unknown key 'checkDowngrades' (did you mean 'checkDowngrade'?)`);
    expect(await bad('{"colour": true}')).toBe(`migration-lint.config.json: unknown key 'colour'`);
  });

  it('an unknown rule id is named, with a did-you-mean', async () => {
    expect(await bad('{"rules": {"raw-sqll": "off"}}')).toBe(`migration-lint.config.json: unknown rule 'raw-sqll' in 'rules' (did you mean 'raw-sql'?)`);
    expect(await bad('[tool.migration-lint.rules]\ndestructive-operations = "off"\n', 'pyproject.toml')).toBe(
      `pyproject.toml [tool.migration-lint]: unknown rule 'destructive-operations' in 'rules' (did you mean 'destructive-operation'?)`,
    );
  });

  it.each([
    ['{"checkDowngrade": "yes"}', `'checkDowngrade' must be true or false`],
    ['{"sqlmodelImport": "sometimes"}', `'sqlmodelImport' must be "always", "when-used" or "auto"`],
    ['{"versions": 3}', `'versions' must be a folder or a list of folders`],
    ['{"ignore": "*.py"}', `'ignore' must be a list of strings`],
    ['{"vagueMessages": [1]}', `'vagueMessages' must be a list of strings`],
    ['{"baseline": ""}', `'baseline' must be a git ref`],
    ['{"rules": []}', `'rules' must be an object of rule ids`],
    ['{"rules": {"raw-sql": "fatal"}}', `rules.raw-sql must be "off", "warning" or "error" (or ["error", {options}])`],
    ['{"rules": {"raw-sql": ["error", 3]}}', `rules.raw-sql: options must be an object`],
    ['[1, 2]', `the configuration must be an object`],
  ])('%s names the key', async (body, message) => {
    expect(await bad(body)).toBe(`migration-lint.config.json: ${message}`);
  });

  it('package.json: the error names the migrationLint key', async () => {
    expect(await bad(JSON.stringify({ name: 'x', migrationLint: { checkDowngrade: 1 } }), 'package.json')).toBe(`package.json "migrationLint": 'checkDowngrade' must be true or false`);
  });

  it('a config file that does not parse is an error naming it', async () => {
    expect(await bad('{"rules": ', '.migrationlintrc.json')).toMatch(/^cannot parse \.migrationlintrc\.json: /);
    expect(await bad('export default {', 'migration-lint.config.mjs')).toMatch(/^cannot load migration-lint\.config\.mjs: /);
    expect(await bad('const x: = 1;\nexport default {}', 'migration-lint.config.ts')).toMatch(/^cannot load migration-lint\.config\.ts: /);
  });

  it('accepts $schema and the "warn" spelling', async () => {
    const root = tree({ '.git/': '', 'migration-lint.config.json': '{"$schema": "x", "rules": {"raw-sql": "warn", "vague-message": ["error", {}]}}' });
    expect((await load(root)).rules).toEqual({ 'raw-sql': { level: 'warning', options: {} }, 'vague-message': { level: 'error', options: {} } });
  });
});

/** A project whose one migration has raw SQL (error) and a vague message (warning). */
function project(files: Record<string, string> = {}) {
  const body = mig('a1b2c3d4e5f6', null, 'update').replace(
    "    op.create_table('hero_a1b2c3d4e5f6', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))\n",
    "    op.execute(\"UPDATE hero SET name = 'x'\")\n",
  );
  return tree({ '.git/': '', ...envFiles('backend/alembic', { 'a1b2c3d4e5f6_update.py': body }), ...files });
}
const rulesOf = (stdout: string) => (JSON.parse(stdout) as { diagnostics: { rule: string; severity: string }[] }).diagnostics.map((d) => `${d.rule}:${d.severity}`);

describe('effect on a run', () => {
  it('default severities', async () => {
    const r = await run(['--format', 'json'], project());
    expect(rulesOf(r.stdout)).toEqual(['vague-message:warning', 'raw-sql:error']);
    expect(r.code).toBe(1);
  });

  it('rules: off, warning, ["error", {}]', async () => {
    const r = await run(['--format', 'json'], project({ 'migration-lint.config.json': '{"rules": {"raw-sql": "warning", "vague-message": ["error", {}]}}' }));
    expect(rulesOf(r.stdout)).toEqual(['vague-message:error', 'raw-sql:warning']);
    const off = await run(['--format', 'json'], project({ 'migration-lint.config.json': '{"rules": {"raw-sql": "off"}}' }));
    expect(rulesOf(off.stdout)).toEqual(['vague-message:warning']);
    expect(off.code).toBe(0);
  });

  it('--rule id=level overrides the config, repeatable', async () => {
    const root = project({ 'migration-lint.config.json': '{"rules": {"raw-sql": "warning"}}' });
    const r = await run(['--format', 'json', '--rule', 'raw-sql=error', '--rule', 'vague-message=off'], root);
    expect(rulesOf(r.stdout)).toEqual(['raw-sql:error']);
  });

  it('--rule with an unknown id or level is exit 2 naming it', async () => {
    const root = project();
    const unknown = await run(['--rule', 'raw-sq=off'], root);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: `migration-lint: --rule: unknown rule 'raw-sq' (did you mean 'raw-sql'?)\n` });
    const level = await run(['--rule', 'raw-sql=loud'], root);
    expect(level.code).toBe(2);
    expect(level.stderr).toBe(`migration-lint: --rule raw-sql must be "off", "warning" or "error" (or ["error", {options}])\n`);
    const shape = await run(['--rule', 'raw-sql'], root);
    expect(shape.stderr).toBe(`migration-lint: --rule takes <id>=<off|warning|error>, not 'raw-sql'\n`);
  });

  it('ignore globs leave matching files unlinted', async () => {
    const r = await run(['--format', 'json'], project({ 'migration-lint.config.json': '{"ignore": ["**/a1b2c3d4e5f6_*.py"]}' }));
    expect(JSON.parse(r.stdout)).toMatchObject({ diagnostics: [], summary: { files: 0 } });
    const other = await run(['--format', 'json'], project({ 'migration-lint.config.json': '{"ignore": ["**/other_*.py"]}' }));
    expect(JSON.parse(other.stdout)).toMatchObject({ summary: { files: 1, errors: 1, warnings: 1 } });
  });

  it('ignore globs are relative to the config file, wherever the run starts', async () => {
    const root = project({ 'migration-lint.config.json': '{"ignore": ["backend/alembic/versions/*.py"]}' });
    const r = await run(['--format', 'json'], path.join(root, 'backend'));
    expect(JSON.parse(r.stdout)).toMatchObject({ diagnostics: [], summary: { files: 0 } });
  });

  it('a config error is exit 2 with one line naming file and key', async () => {
    const r = await run([], project({ 'migration-lint.config.json': '{"rules": {"raw-sql": "fatal"}}' }));
    expect(r).toEqual({ code: 2, stdout: '', stderr: `migration-lint: migration-lint.config.json: rules.raw-sql must be "off", "warning" or "error" (or ["error", {options}])\n` });
  });

  it('options for a rule that takes none are an error naming the rule', async () => {
    const r = await run([], project({ 'migration-lint.config.json': '{"rules": {"raw-sql": ["error", {"allow": true}]}}' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`migration-lint: migration-lint.config.json: rules.raw-sql: this rule takes no options (got 'allow')\n`);
  });

  it('a .ts config applies to a run', async () => {
    const r = await run(['--format', 'json'], project({ 'migration-lint.config.ts': `import type {} from 'node:fs';\nexport default { rules: { 'raw-sql': 'off' as const } };\n` }));
    expect(rulesOf(r.stdout)).toEqual(['vague-message:warning']);
  });
});
