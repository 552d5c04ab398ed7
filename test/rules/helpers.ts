/**
 * Shared by the rule tests: lint a real fixture project, or a small project written to a temp dir, through
 * the same library path the CLI takes (discover → lint), and reduce diagnostics to what the tests assert.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, type Config } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { lint } from '../../src/engine/lint.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { LintResult } from '../../src/model/result.js';
import { SQLMODEL_TEMPLATE, STOCK_TEMPLATE } from '../helpers/alembic.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Found {
  rule: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export function brief(d: Diagnostic): Found {
  return { rule: d.rule, file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, message: d.message };
}

export type ConfigOverrides = Partial<Omit<Config, 'file' | 'dir'>>;

/** Lints the project at `dir` as `npx migration-lint` run there would (no git flags, default discovery). */
export function lintDir(dir: string, overrides: ConfigOverrides = {}, opts: { paths?: string[]; fix?: boolean } = {}): LintResult {
  const config: Config = { ...defaultConfig(dir), ...overrides };
  const found = discover(dir, opts.paths ?? [], config.versions);
  return lint({ cwd: dir, environments: found.environments, config, fix: opts.fix ?? false });
}

export function fixtureDir(rule: string, kase: string): string {
  return path.join(ROOT, 'fixtures', 'rules', rule, kase);
}

export function fixtureCases(rule: string): string[] {
  const dir = path.join(ROOT, 'fixtures', 'rules', rule);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort() : [];
}

/** Every diagnostic of `rule` (suppressed ones excluded) in a fixture case, positions relative to the case. */
export function lintFixture(rule: string, kase: string, overrides: ConfigOverrides = {}): Found[] {
  return lintDir(fixtureDir(rule, kase), overrides)
    .diagnostics.filter((d) => d.rule === rule)
    .map(brief);
}

export function readFixture(rule: string, kase: string, rel: string): string {
  return fs.readFileSync(path.join(fixtureDir(rule, kase), rel), 'utf8');
}

// One parent per process, removed when it exits: the helpers also run outside vitest (scratch scripts).
let tempRoot: string | null = null;
function tempDir(): string {
  if (!tempRoot) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-rules-'));
    tempRoot = root;
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(tempRoot, 'p-'));
}

export { SQLMODEL_TEMPLATE, STOCK_TEMPLATE };

export interface ProjectSpec {
  /** File name → contents of the migrations in `alembic/versions/`. */
  versions: Record<string, string | Uint8Array>;
  /** script.py.mako; the stock Alembic one (no sqlmodel) unless given; null for none. */
  template?: string | null;
  /** Other files, by path relative to the project root (pyproject.toml, alembic.ini…). */
  extra?: Record<string, string>;
}

/** Writes an Alembic environment (`alembic/env.py`, `script.py.mako`, `versions/`) to a fresh temp dir. */
export function writeProject(spec: ProjectSpec): string {
  const dir = tempDir();
  const env = path.join(dir, 'alembic');
  fs.mkdirSync(path.join(env, 'versions'), { recursive: true });
  fs.writeFileSync(path.join(env, 'env.py'), 'from alembic import context\n');
  const template = spec.template === undefined ? STOCK_TEMPLATE : spec.template;
  if (template !== null) fs.writeFileSync(path.join(env, 'script.py.mako'), template);
  for (const [name, body] of Object.entries(spec.versions)) fs.writeFileSync(path.join(env, 'versions', name), body);
  for (const [rel, body] of Object.entries(spec.extra ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

/** Lints a throwaway project and returns every diagnostic (all rules), for rules that interact. */
export function lintProject(spec: ProjectSpec, overrides: ConfigOverrides = {}): LintResult {
  return lintDir(writeProject(spec), overrides);
}

/** Diagnostics of one rule in a throwaway project. */
export function lintRule(rule: string, spec: ProjectSpec, overrides: ConfigOverrides = {}): Found[] {
  return lintProject(spec, overrides)
    .diagnostics.filter((d) => d.rule === rule)
    .map(brief);
}

/** A rule's findings in a throwaway project as `line:column messageId`. */
export function lintIds(rule: string, spec: ProjectSpec, overrides: ConfigOverrides = {}): string[] {
  return lintProject(spec, overrides)
    .diagnostics.filter((d) => d.rule === rule)
    .map((d) => `${d.line}:${d.column} ${d.messageId ?? '(no id)'}`);
}

/** A migration as `alembic revision --autogenerate` writes it, with the upgrade/downgrade bodies given. */
export function migration(opts: {
  revision: string;
  down?: string | null;
  message?: string;
  imports?: string;
  upgrade?: string;
  downgrade?: string;
  sqlmodel?: boolean;
}): string {
  const down = opts.down === undefined || opts.down === null ? 'None' : `'${opts.down}'`;
  const imports = opts.imports ?? (opts.sqlmodel === false ? '' : 'import sqlmodel\n');
  const block = (body: string | undefined) =>
    `    # ### commands auto generated by Alembic - please adjust! ###\n${body ?? '    pass\n'}    # ### end Alembic commands ###\n`;
  return `"""${opts.message ?? 'add hero table'}

Revision ID: ${opts.revision}
Revises: ${opts.down ?? ''}
Create Date: 2024-01-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
${imports}

# revision identifiers, used by Alembic.
revision = '${opts.revision}'
down_revision = ${down}
branch_labels = None
depends_on = None


def upgrade() -> None:
${block(opts.upgrade)}

def downgrade() -> None:
${block(opts.downgrade)}`;
}

/**
 * A small migration with fixed line numbers, for inline tests:
 *   1 `"""<message>"""`, 2 `from alembic import op`, 3 `import sqlalchemy as sa`, 4 `<line4>` (blank by default),
 *   5 `revision = '<rev>'`, 6 `down_revision = <down>`, 7–8 blank, 9 `def upgrade():`, 10… the upgrade body,
 *   then two blank lines, `def downgrade():` and its body (`pass` by default).
 * So upgrade line k (0-based) is line 10 + k; with n upgrade lines, downgrade line k is 13 + n + k.
 */
export function mini(opts: { upgrade: string[]; downgrade?: string[]; rev?: string; down?: string; message?: string; line4?: string }): string {
  return [
    `"""${opts.message ?? 'add hero table'}"""`,
    'from alembic import op',
    'import sqlalchemy as sa',
    opts.line4 ?? '',
    `revision = '${opts.rev ?? 'a1b2c3d4e5f6'}'`,
    `down_revision = ${opts.down ?? 'None'}`,
    '',
    '',
    'def upgrade():',
    ...opts.upgrade,
    '',
    '',
    'def downgrade():',
    ...(opts.downgrade ?? ['    pass']),
    '',
  ].join('\n');
}
