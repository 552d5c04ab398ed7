/**
 * `migration-lint summary` on real Alembic projects: the JSON contract field by field, the agreement of
 * `destructive` with the destructive-operation rule, and the human renderings.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { discover } from '../../src/discover/environments.js';
import { lint } from '../../src/engine/lint.js';
import { buildSummary, loadEnvironment, toJson } from '../../src/summary/build.js';
import { mdCode, mdText, renderMarkdown } from '../../src/summary/render.js';
import { plain } from '../../src/io/terminal.js';
import type { MigrationJson, SummaryJson } from '../../src/summary/types.js';
import { workTree } from '../../src/io/source.js';
import { run } from '../cli/run.js';
import { ROOT, fixtureDir, writeProject } from '../rules/helpers.js';

const HERE = path.join(ROOT, 'test', 'summary', 'fixtures');

async function summaryJson(cwd: string, args: string[] = []): Promise<SummaryJson> {
  const r = await run(['summary', '--format', 'json', ...args], cwd);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as SummaryJson;
}

function byFile(doc: SummaryJson, suffix: string): MigrationJson {
  const m = doc.migrations.find((x) => x.file.endsWith(suffix));
  if (!m) throw new Error(`no migration ${suffix} in ${doc.migrations.map((x) => x.file).join(', ')}`);
  return m;
}

describe('summary JSON on real Alembic fixtures', () => {
  it('lists every migration oldest first with revision variables, ops and heads (batch ops carry their table)', async () => {
    const doc = await summaryJson(fixtureDir('destructive-operation', 'bad-batch'));
    expect(doc).toEqual({
      version: 1,
      environments: [{ versions: ['alembic/versions'], heads: ['85831bd3f59b'] }],
      migrations: [
        {
          file: 'alembic/versions/b4d29a3eeaf0_add_hero_table.py',
          revision: 'b4d29a3eeaf0',
          downRevisions: [],
          branchLabels: [],
          dependsOn: [],
          message: 'add hero table',
          merge: false,
          upgrade: [{ op: 'create_table', line: 22, column: 5, table: 'hero', name: null, destructive: false, lock: 'ACCESS EXCLUSIVE' }],
          downgrade: [{ op: 'drop_table', line: 34, column: 5, table: 'hero', name: null, destructive: true, lock: 'ACCESS EXCLUSIVE' }],
        },
        {
          file: 'alembic/versions/85831bd3f59b_remove_hero_age.py',
          revision: '85831bd3f59b',
          downRevisions: ['b4d29a3eeaf0'],
          branchLabels: [],
          dependsOn: [],
          message: 'remove hero age',
          merge: false,
          upgrade: [{ op: 'drop_column', line: 23, column: 9, table: 'hero', name: 'age', destructive: true, lock: 'ACCESS EXCLUSIVE' }],
          downgrade: [{ op: 'add_column', line: 31, column: 9, table: 'hero', name: 'age', destructive: false, lock: 'ACCESS EXCLUSIVE' }],
        },
      ],
    });
    // The keys in the documented order: tools diff this output.
    expect(Object.keys(doc.migrations[0]!)).toEqual(['file', 'revision', 'downRevisions', 'branchLabels', 'dependsOn', 'message', 'merge', 'upgrade', 'downgrade']);
    expect(Object.keys(doc.migrations[0]!.upgrade[0]!)).toEqual(['op', 'line', 'column', 'table', 'name', 'destructive', 'lock']);
  });

  it('reads a merge revision (tuple down_revision) and puts parents before children', async () => {
    const doc = await summaryJson(fixtureDir('multiple-heads', 'good'));
    expect(doc.environments).toEqual([{ versions: ['alembic/versions'], heads: ['977dbe59c940'] }]);
    expect(doc.migrations.map((m) => [m.revision, m.downRevisions, m.merge])).toEqual([
      ['c2e83112c179', [], false],
      ['19c01a20e8bd', ['c2e83112c179'], false],
      ['4187d523eb21', ['c2e83112c179'], false],
      ['977dbe59c940', ['4187d523eb21', '19c01a20e8bd'], true],
    ]);
    const merge = byFile(doc, '977dbe59c940_merge_hero_power_and_team_table_branches.py');
    expect(merge.message).toBe('merge hero power and team table branches');
    expect(merge.upgrade).toEqual([]);
    expect(merge.downgrade).toEqual([]);
  });

  it('gives every head of a graph with two', async () => {
    const doc = await summaryJson(fixtureDir('multiple-heads', 'bad'));
    expect(doc.environments[0]!.heads).toEqual(['562ced6a9939', '77f22d2c1fca']);
  });

  it('lists op.execute as an operation, not destructive for an UPDATE', async () => {
    const m = byFile(await summaryJson(fixtureDir('raw-sql', 'bad')), '829aa9b20dcf_add_hero_rank.py');
    expect(m.upgrade).toEqual([
      { op: 'add_column', line: 22, column: 5, table: 'hero', name: 'rank', destructive: false, lock: 'ACCESS EXCLUSIVE' },
      { op: 'execute', line: 23, column: 5, table: null, name: null, destructive: false, lock: 'ROW EXCLUSIVE' },
    ]);
  });

  it('reads the annotated template, a branch label bound to a module-level name, and a call as null', async () => {
    const doc = await summaryJson(path.join(HERE, 'annotated'));
    expect(doc.environments).toEqual([{ versions: ['alembic/versions'], heads: ['bb22cc33dd44'] }]);
    expect(doc.migrations.map((m) => m.file)).toEqual([
      'alembic/versions/aa11bb22cc33_create_account_table.py',
      'alembic/versions/bb22cc33dd44_add_account_email.py',
      // Out of the graph (its down_revision is a call): listed after the history, never dropped.
      'alembic/versions/cc33dd44ee55_rename_account_to_member.py',
    ]);
    const first = doc.migrations[0]!;
    expect(first).toMatchObject({ revision: 'aa11bb22cc33', downRevisions: [], branchLabels: [], dependsOn: [], merge: false });
    expect(first.upgrade).toEqual([
      { op: 'create_table', line: 22, column: 5, table: 'account', name: null, destructive: false, lock: 'ACCESS EXCLUSIVE' },
      { op: 'create_index', line: 28, column: 5, table: 'account', name: 'ix_account_name', destructive: false, lock: 'SHARE' },
    ]);
    const second = doc.migrations[1]!;
    expect(second).toMatchObject({ revision: 'bb22cc33dd44', downRevisions: ['aa11bb22cc33'], branchLabels: ['accounts'], dependsOn: [] });
    expect(second.upgrade.map((o) => [o.op, o.line, o.table, o.name])).toEqual([
      ['add_column', 23, 'account', 'email'],
      ['create_unique_constraint', 24, 'account', 'uq_account_email'],
      ['execute', 25, null, null],
    ]);
    const third = doc.migrations[2]!;
    expect(third).toMatchObject({ revision: 'cc33dd44ee55', downRevisions: [null], branchLabels: [], dependsOn: [], merge: false });
    // `op.get_bind().execute(…)` is SQL, not an Alembic directive: not in the JSON.
    expect(third.upgrade).toEqual([{ op: 'rename_table', line: 23, column: 5, table: 'account', name: 'member', destructive: true, lock: 'ACCESS EXCLUSIVE' }]);
  });

  it('reads multidb upgrade_<name>() bodies and leaves the dispatcher out', async () => {
    const doc = await summaryJson(path.join(HERE, 'multidb'));
    expect(doc.environments).toEqual([{ versions: ['alembic/versions'], heads: ['2b3c4d5e6f7a'] }]);
    const [first, second] = doc.migrations;
    expect(first!.upgrade).toEqual([
      { op: 'create_table', line: 31, column: 5, table: 'audit', name: null, destructive: false, lock: 'ACCESS EXCLUSIVE' },
      { op: 'add_column', line: 44, column: 5, table: 'report', name: 'audited', destructive: false, lock: 'ACCESS EXCLUSIVE' },
    ]);
    expect(first!.downgrade).toEqual([
      { op: 'drop_table', line: 40, column: 5, table: 'audit', name: null, destructive: true, lock: 'ACCESS EXCLUSIVE' },
      { op: 'drop_column', line: 48, column: 5, table: 'report', name: 'audited', destructive: true, lock: 'ACCESS EXCLUSIVE' },
    ]);
    expect(second!.upgrade).toEqual([
      { op: 'drop_column', line: 40, column: 9, table: 'report', name: 'legacy', destructive: true, lock: 'ACCESS EXCLUSIVE' },
      { op: 'alter_column', line: 41, column: 9, table: 'report', name: 'title', destructive: false, lock: 'ACCESS EXCLUSIVE' },
    ]);
  });

  it('gives null for each value that cannot be resolved statically', async () => {
    const dir = writeProject({
      versions: {
        'x1_odd.py': `"""odd values"""
from alembic import op
from elsewhere import PARENT, make_id

revision = make_id()
down_revision = PARENT
branch_labels = None
depends_on = ('x0', make_id())


def upgrade():
    op.drop_table(f"t_{revision}")
`,
        'x2_fstring.py': `"""f-string"""
from alembic import op
revision = 'x2'
down_revision = f"x{1}"
branch_labels = label()
depends_on = None


def upgrade():
    pass
`,
      },
    });
    const doc = await summaryJson(dir);
    expect(byFile(doc, 'x1_odd.py')).toMatchObject({
      revision: null,
      downRevisions: [null],
      branchLabels: [],
      dependsOn: ['x0', null],
      upgrade: [{ op: 'drop_table', line: 12, column: 5, table: null, name: null, destructive: true, lock: 'ACCESS EXCLUSIVE' }],
    });
    expect(byFile(doc, 'x2_fstring.py')).toMatchObject({ revision: 'x2', downRevisions: [null], branchLabels: [null], dependsOn: [] });
    expect(doc.environments[0]!.heads).toEqual([]);
  });

  it('reads the FastAPI example: two heads, a duplicated revision listed twice, every file once', async () => {
    const dir = path.join(ROOT, 'examples', 'fastapi-sqlmodel', 'backend');
    const doc = await summaryJson(dir);
    expect(doc.environments).toEqual([{ versions: ['app/alembic/versions'], heads: ['16db34190a95', '51ca2cb925d2'] }]);
    const files = fs.readdirSync(path.join(dir, 'app', 'alembic', 'versions')).filter((f) => f.endsWith('.py'));
    expect(doc.migrations.map((m) => m.file.split('/').pop()).sort()).toEqual(files.sort());
    expect(doc.migrations.filter((m) => m.revision === '457445c907d6')).toHaveLength(2);
    // Oldest first: the first revision leads, the duplicate the graph cannot place comes last.
    expect(doc.migrations[0]!.revision).toBe('c754a58dffc5');
    expect(doc.migrations.at(-1)!.file).toBe('app/alembic/versions/457445c907d6_add_item_price.py');
    expect(byFile(doc, '28563dab2611_remove_user_full_name.py').upgrade).toEqual([
      { op: 'drop_column', line: 21, column: 5, table: 'user', name: 'full_name', destructive: true, lock: 'ACCESS EXCLUSIVE' },
    ]);
    expect(byFile(doc, '7a876d6372a2_add_category_table.py').upgrade.map((o) => [o.op, o.table, o.name])).toEqual([
      ['create_table', 'category', null],
      ['add_column', 'item', 'category_id'],
      ['create_foreign_key', 'item', null],
    ]);
  });

  it('lists only the files given, while heads describe the whole graph', async () => {
    const dir = fixtureDir('multiple-heads', 'good');
    const doc = await summaryJson(dir, ['alembic/versions/19c01a20e8bd_add_hero_power.py']);
    expect(doc.migrations.map((m) => m.revision)).toEqual(['19c01a20e8bd']);
    expect(doc.environments[0]!.heads).toEqual(['977dbe59c940']);
  });

  it('gives PostgreSQL locks only when the dialect is PostgreSQL', async () => {
    const dir = fixtureDir('destructive-operation', 'bad');
    const found = discover(dir, [], null);
    const lockFor = (dialect: string) =>
      toJson(buildSummary({ environments: found.environments.map((e) => loadEnvironment(dir, e, workTree, defaultConfig(dir))), targets: null, dialect })).migrations.flatMap((m) =>
        m.upgrade.map((o) => `${o.op}:${o.lock}`),
      );
    expect(lockFor('postgresql')).toEqual(['create_table:ACCESS EXCLUSIVE', 'drop_column:ACCESS EXCLUSIVE']);
    expect(lockFor('sqlite')).toEqual(['create_table:null', 'drop_column:null']);
  });

  it('takes the message from the file name when there is no docstring', async () => {
    const dir = writeProject({
      versions: { 'abc123def456_add_hero_power.py': "from alembic import op\nrevision = 'abc123def456'\ndown_revision = None\n\ndef upgrade():\n    op.drop_column('hero', 'power')\n" },
    });
    expect(byFile(await summaryJson(dir), 'abc123def456_add_hero_power.py').message).toBe('add hero power');
  });
});

/** Every fixture project, with the files generated for the summary tests. */
function allProjects(): string[] {
  const out: string[] = [path.join(HERE, 'annotated'), path.join(HERE, 'multidb')];
  const rulesDir = path.join(ROOT, 'fixtures', 'rules');
  for (const rule of fs.readdirSync(rulesDir)) {
    for (const kase of fs.readdirSync(path.join(rulesDir, rule))) {
      const dir = path.join(rulesDir, rule, kase);
      if (fs.existsSync(path.join(dir, 'alembic.ini'))) out.push(dir);
    }
  }
  return out.sort();
}

describe('destructive agrees with the destructive-operation rule', () => {
  it('on every fixture, upgrade and downgrade (checkDowngrade: true)', () => {
    let compared = 0;
    for (const dir of allProjects()) {
      const config = { ...defaultConfig(dir), checkDowngrade: true };
      const found = discover(dir, [], null);
      const result = lint({ cwd: dir, environments: found.environments, config });
      const fromRule = result.diagnostics
        .filter((d) => d.rule === 'destructive-operation')
        .map((d) => `${d.file}:${d.line}:${d.column}`)
        .sort();
      const view = buildSummary({ environments: found.environments.map((e) => loadEnvironment(dir, e, workTree, config)), targets: null });
      const fromSummary = view.migrations
        .flatMap((m) => [...m.upgrade, ...m.downgrade].filter((o) => o.destructive).map((o) => `${m.file}:${o.line}:${o.column}`))
        .sort();
      expect(fromSummary, dir).toEqual(fromRule);
      compared += fromRule.length;
    }
    // Enough destructive operations to make the comparison mean something.
    expect(compared).toBeGreaterThan(30);
  });
});

describe('markdown and text', () => {
  it('renders a migration for review: what each function does, destructive called out, path:line links', () => {
    const dir = fixtureDir('destructive-operation', 'bad-batch');
    const found = discover(dir, [], null);
    const view = buildSummary({ environments: found.environments.map((e) => loadEnvironment(dir, e, workTree, defaultConfig(dir))), targets: new Set(['alembic/versions/85831bd3f59b_remove_hero_age.py']) });
    const md = renderMarkdown(view, { link: (file, line) => `https://example.test/blob/abc/${file}#L${line}` });
    expect(md).toBe(
      [
        '`alembic/versions`: head `85831bd3f59b`',
        '',
        '```mermaid',
        'flowchart TD',
        '  r0["<b>b4d29a3eeaf0</b><br/>add hero table"]',
        '  r1["<b>85831bd3f59b</b> head · changed<br/>remove hero age"]',
        '  r0 --> r1',
        '  class r1 changedhead',
        '  classDef changedhead fill:#dafbe1,stroke:#1a7f37,stroke-width:3px',
        '```',
        '',
        '### remove hero age',
        '',
        '[`alembic/versions/85831bd3f59b_remove_hero_age.py:1`](https://example.test/blob/abc/alembic/versions/85831bd3f59b_remove_hero_age.py#L1) · revision `85831bd3f59b` · revises `b4d29a3eeaf0` · **⚠️ 1 destructive operation**',
        '',
        '**upgrade()**',
        '',
        '- ⚠️ **destructive:** drop column `hero.age` (takes `ACCESS EXCLUSIVE`) — [`alembic/versions/85831bd3f59b_remove_hero_age.py:23`](https://example.test/blob/abc/alembic/versions/85831bd3f59b_remove_hero_age.py#L23)',
        '',
        '**downgrade()**',
        '',
        "- add column `hero.age` `INTEGER NULL` — [`alembic/versions/85831bd3f59b_remove_hero_age.py:31`](https://example.test/blob/abc/alembic/versions/85831bd3f59b_remove_hero_age.py#L31)",
        '',
      ].join('\n'),
    );
  });

  it('describes columns with types, nullability and defaults, indexes, constraints and SQL', async () => {
    const r = await run(['summary', '--format', 'text'], path.join(HERE, 'annotated'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'alembic/versions: head bb22cc33dd44',
        '',
        'alembic/versions/aa11bb22cc33_create_account_table.py',
        '  create account table  [aa11bb22cc33, first revision]',
        '  upgrade():',
        '    alembic/versions/aa11bb22cc33_create_account_table.py:22:5  create table account: id Integer NOT NULL, name String(100) NOT NULL, PRIMARY KEY (id)',
        '    alembic/versions/aa11bb22cc33_create_account_table.py:28:5  create unique index ix_account_name on account (name)  [takes SHARE]',
        '  downgrade():',
        '    alembic/versions/aa11bb22cc33_create_account_table.py:32:5  drop index ix_account_name on account',
        '    alembic/versions/aa11bb22cc33_create_account_table.py:33:5  drop table account  [destructive]',
        '',
        'alembic/versions/bb22cc33dd44_add_account_email.py',
        '  add account email  [bb22cc33dd44 <- aa11bb22cc33]',
        '  upgrade():',
        '    alembic/versions/bb22cc33dd44_add_account_email.py:23:5  add column account.email String(255) NULL  [takes ACCESS EXCLUSIVE]',
        '    alembic/versions/bb22cc33dd44_add_account_email.py:24:5  add unique constraint uq_account_email on account (email)  [takes ACCESS EXCLUSIVE]',
        "    alembic/versions/bb22cc33dd44_add_account_email.py:25:5  run SQL UPDATE account SET email = name || '@example.com'  [takes ROW EXCLUSIVE]",
        '  downgrade():',
        '    alembic/versions/bb22cc33dd44_add_account_email.py:29:5  drop unique constraint uq_account_email on account',
        '    alembic/versions/bb22cc33dd44_add_account_email.py:30:5  drop column account.email  [destructive]',
        '',
        'alembic/versions/cc33dd44ee55_rename_account_to_member.py',
        '  rename account to member  [cc33dd44ee55 <- ?]  2 destructive',
        '  upgrade():',
        '    alembic/versions/cc33dd44ee55_rename_account_to_member.py:23:5  rename table account to member  [DESTRUCTIVE, takes ACCESS EXCLUSIVE]',
        '    alembic/versions/cc33dd44ee55_rename_account_to_member.py:24:5  run SQL through the connection DELETE FROM member WHERE email IS NULL  [DESTRUCTIVE]',
        '  downgrade():',
        '    alembic/versions/cc33dd44ee55_rename_account_to_member.py:28:5  rename table member to account  [destructive]',
        '',
      ].join('\n'),
    );
  });

  it('describes alter_column, foreign keys, check constraints and server defaults', async () => {
    const dir = writeProject({
      versions: {
        'a1_change.py': `"""change hero"""
from alembic import op
import sqlalchemy as sa
revision = 'a1'
down_revision = None


def upgrade():
    op.add_column('hero', sa.Column('rank', sa.String(length=20), server_default='recruit', nullable=False))
    op.add_column('hero', sa.Column('team_id', sa.Integer(), sa.ForeignKey('team.id'), nullable=True))
    op.alter_column('hero', 'name', existing_type=sa.VARCHAR(length=50), type_=sa.String(length=20), nullable=False)
    op.alter_column('hero', 'age', new_column_name='years', server_default=None)
    op.create_foreign_key('fk_hero_team', 'hero', 'team', ['team_id'], ['id'], postgresql_not_valid=True)
    op.create_check_constraint('ck_age', 'hero', 'age > 0')
    op.create_index('ix_hero_rank', 'hero', ['rank'], postgresql_concurrently=True)
    op.drop_constraint('hero_pkey', 'hero', type_='primary')
    op.bulk_insert(sa.table('hero', sa.column('name')), [{'name': 'a'}, {'name': 'b'}])
    op.execute(sql)
`,
      },
    });
    const r = await run(['summary', '--format', 'text'], dir);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.replace(/^ +\S+:\d+:\d+ {2}/, ''));
    expect(lines).toEqual([
      "add column hero.rank String(20) NOT NULL DEFAULT 'recruit'  [takes ACCESS EXCLUSIVE]",
      'add column hero.team_id Integer NULL REFERENCES team.id  [takes ACCESS EXCLUSIVE]',
      'alter column hero.name: type VARCHAR(50) → String(20), NOT NULL  [DESTRUCTIVE, takes ACCESS EXCLUSIVE]',
      'alter column hero.age: rename to years, drop default  [DESTRUCTIVE, takes ACCESS EXCLUSIVE]',
      'add foreign key fk_hero_team on hero (team_id) → team (id) NOT VALID  [takes SHARE ROW EXCLUSIVE]',
      'add check constraint ck_age on hero: age > 0  [takes ACCESS EXCLUSIVE]',
      'create index ix_hero_rank on hero (rank) concurrently  [takes SHARE UPDATE EXCLUSIVE]',
      'drop primary key hero_pkey on hero  [DESTRUCTIVE, takes ACCESS EXCLUSIVE]',
      'insert 2 rows into hero  [takes ROW EXCLUSIVE]',
      'run SQL built at run time',
    ]);
  });

  it('escapes what comes from files: markup in markdown, control characters in text', () => {
    expect(mdText('a*b_[x](y) <img> | `c`\n# h @org/team')).toBe('a\\*b\\_\\[x\\](y) \\<img\\> \\| \\`c\\` \\# h \\@org/team');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(plain('x\n::error::y\u001b[31m')).toBe('x\\x0a::error::y\\x1b[31m');
  });
});

describe('the summary command', () => {
  it('writes to --output and keeps --format choices apart from the lint command', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-summary-'));
    try {
      const out = path.join(dir, 'sub', 'summary.md');
      const r = await run(['summary', '--format', 'markdown', '-o', out], fixtureDir('raw-sql', 'bad'));
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(fs.readFileSync(out, 'utf8')).toContain("- run SQL `UPDATE hero SET rank = 'recruit' WHERE rank IS NULL` (takes `ROW EXCLUSIVE`) — `alembic/versions/829aa9b20dcf_add_hero_rank.py:23`");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const bad = await run(['summary', '--format', 'sarif'], fixtureDir('raw-sql', 'bad'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'sarif' is invalid");
    const both = await run(['summary', '--staged', '--all'], fixtureDir('raw-sql', 'bad'));
    expect(both).toEqual({ code: 2, stdout: '', stderr: 'migration-lint: --staged, --base and --all are alternatives: give one\n' });
    // The lint command still takes its own formats.
    // --all: the fixture is committed in this repository, so its revisions are applied and a plain run leaves them to the graph rules.
    const lintRun = await run(['--format', 'json', '--all'], fixtureDir('raw-sql', 'bad'));
    expect(lintRun.code).toBe(1);
    expect(JSON.parse(lintRun.stdout).diagnostics.map((d: { rule: string }) => d.rule)).toContain('raw-sql');
  });

  it('is an environment error when nothing is found', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-summary-empty-'));
    try {
      const r = await run(['summary'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^migration-lint: no Alembic migrations found: looked in /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('JSON output is the contract only', async () => {
    const view = buildSummary({ environments: [], targets: null });
    expect(toJson(view)).toEqual({ version: 1, environments: [], migrations: [] });
  });
});

describe('git modes', () => {
  function gitIn(cwd: string, ...args: string[]) {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    }).trim();
  }

  it('--base and --staged list the changed migrations; heads still describe the whole graph', async () => {
    const src = fixtureDir('multiple-heads', 'good');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-summary-git-'));
    try {
      fs.cpSync(src, dir, { recursive: true });
      const merge = 'alembic/versions/977dbe59c940_merge_hero_power_and_team_table_branches.py';
      const power = 'alembic/versions/19c01a20e8bd_add_hero_power.py';
      const mergeText = fs.readFileSync(path.join(dir, merge), 'utf8');
      fs.rmSync(path.join(dir, merge));
      gitIn(dir, 'init', '-q', '-b', 'main');
      gitIn(dir, 'add', '-A');
      gitIn(dir, 'commit', '-q', '-m', 'base');
      const base = gitIn(dir, 'rev-parse', 'HEAD');
      fs.writeFileSync(path.join(dir, merge), mergeText);
      gitIn(dir, 'add', '--', merge);
      // --staged: the merge revision is what this commit adds.
      const staged = await summaryJson(dir, ['--staged']);
      expect(staged.migrations.map((m) => m.file)).toEqual([merge]);
      expect(staged.environments[0]!.heads).toEqual(['977dbe59c940']);
      gitIn(dir, 'commit', '-q', '-m', 'merge');
      fs.appendFileSync(path.join(dir, power), '# touched\n');
      const changed = await summaryJson(dir, ['--base', base]);
      expect(changed.migrations.map((m) => m.file)).toEqual([power, merge]);
      expect(changed.environments[0]!.heads).toEqual(['977dbe59c940']);
      const md = await run(['summary', '--base', base, '--format', 'markdown'], dir);
      expect(md.stdout).toContain('### merge hero power and team table branches');
      expect(md.stdout).not.toContain('### add hero table');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
