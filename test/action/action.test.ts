/**
 * The bundled Action, run as a runner runs it, against the loopback API: annotations on the offending lines,
 * job summary and outputs, one sticky comment across runs, the 403 fallback, hundreds of findings, shallow
 * clones, and file text that tries to issue workflow commands.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeApi, TOKEN, forbidden, makeRepo, pullRequestPayload, runAction, shallowClone, treeOf, webhookPayload, type ActionRun, type Tree } from './harness.js';
import { ROOT } from './harness.js';

const FIXTURE = path.join(ROOT, 'fixtures', 'rules', 'destructive-operation', 'bad');
const NEW_FILE = 'alembic/versions/0dc1b27bfae7_remove_hero_age.py';

/** The fixture project without its second revision, which the pull request adds. */
function baseTree(): { base: Tree; added: Record<string, string> } {
  const all = treeOf(FIXTURE);
  const added = { [NEW_FILE]: all[NEW_FILE]! };
  delete all[NEW_FILE];
  return { base: all, added };
}

// Each test runs the Action a few times (a Node process, a wasm parser, git): generous on a busy machine.
const SLOW = { timeout: 120_000 };

/** Each test its own loopback API, so that the tests (each a few Action processes) can run side by side. */
async function withApi(fn: (api: FakeApi) => Promise<void>): Promise<void> {
  const api = new FakeApi();
  await api.start();
  try {
    await fn(api);
  } finally {
    await api.stop();
  }
}

function expectClean(api: FakeApi, run: ActionRun) {
  // Every request was one GitHub documents, with a body its schema accepts.
  expect(api.problems).toEqual([]);
  // The token went to the API and nowhere else.
  expect(run.stdout).not.toContain(TOKEN);
  expect(run.stderr).not.toContain(TOKEN);
  expect(run.summary).not.toContain(TOKEN);
  for (const r of api.requests) expect(r.authorization).toBe(`token ${TOKEN}`);
}

const DROP_AGE = {
  path: NEW_FILE,
  start_line: 22,
  end_line: 22,
  start_column: 5,
  end_column: 34,
  annotation_level: 'failure',
  title: 'destructive-operation',
  message: "Drops column 'age' of table 'hero' and all its values",
};

describe.concurrent('pull_request, token that can write', SLOW, () => {
  it('annotates through a check run, writes the summary and outputs, and keeps one comment across runs', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const repo = makeRepo(base, added);
      const payload = pullRequestPayload(repo);

      const first = await runAction({ workspace: repo.dir, event: 'pull_request', payload, api });
      expectClean(api, first);
      expect(first.code).toBe(1);
      const errors = Number(first.outputs.errors);
      const warnings = Number(first.outputs.warnings);
      expect(errors).toBe(1);
      expect(first.outputs['sarif-file']).toMatch(/migration-lint\.sarif$/);
      const sarif = JSON.parse(fs.readFileSync(first.outputs['sarif-file']!, 'utf8'));
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0].results).toHaveLength(errors + warnings);

      // The check run: created on the pull request's head commit, every finding annotated, completed as failed.
      expect(api.calls('checks/create').map((r) => r.body)).toEqual([{ name: 'migration-lint', head_sha: repo.head, status: 'in_progress' }]);
      const [run] = [...api.checkRuns.values()];
      expect(run!.status).toBe('completed');
      expect(run!.conclusion).toBe('failure');
      expect(run!.annotations).toHaveLength(errors + warnings);
      expect(run!.annotations.find((a) => a.title === 'destructive-operation')).toMatchObject(DROP_AGE);
      expect(run!.annotations.every((a) => a.path === NEW_FILE)).toBe(true);
      // No workflow-command annotations when the check run took them.
      expect(first.commands.filter((c) => /^::(error|warning) [^:]*file=/.test(c))).toEqual([]);
      // The step still fails, through the runner's own error command.
      expect(first.commands).toContain('::error::migration-lint: 1 error' + (warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '') + ' (fail-on: error)');

      // The job summary: findings table with links into the head commit, then what each migration does.
      const link = `https://github.com/${payload.repository.full_name}/blob/${repo.head}/${NEW_FILE}#L22`;
      expect(first.summary).toContain(`| ❌ error | \`destructive-operation\` | [\`${NEW_FILE}:22:5\`](${link}) | Drops column 'age' of table 'hero' and all its values |`);
      expect(first.summary).toContain('### What the migrations do');
      expect(first.summary).toContain(`- ⚠️ **destructive:** drop column \`hero.age\``);
      expect(first.summary).toContain(`since \`${repo.base.slice(0, 12)}\` (the pull request's base)`);
      // Models vs migrations: the fixture's models lost `age` as its migration drops it.
      expect(first.summary).toContain('\nModels vs migrations: in sync (autogenerate would write nothing).\n');

      // One comment, with the hidden marker.
      expect(api.calls('issues/create-comment')).toHaveLength(1);
      expect(api.calls('issues/create-comment')[0]!.path).toBe(`/repos/${payload.repository.full_name}/issues/${payload.pull_request.number}/comments`);
      expect(api.comments).toHaveLength(1);
      const firstId = api.comments[0]!.id;
      expect(api.comments[0]!.body).toMatch(/^<!-- migration-lint:sticky-summary -->\n## migration-lint\n/);
      expect(api.comments[0]!.body).toContain('\nModels vs migrations: in sync (autogenerate would write nothing).\n');
      // The revision graph around the change, the changed revision highlighted (test/summary/mermaid.test.ts parses such charts).
      expect(api.comments[0]!.body).toMatch(/\n```mermaid\nflowchart TD\n[\s\S]*· changed[\s\S]*class r\d+ changed(head)?\n[\s\S]*```\n/);

      // The next push: the same comment is edited, no second one appears.
      const second = await runAction({ workspace: repo.dir, event: 'pull_request', payload, api });
      expectClean(api, second);
      expect(second.code).toBe(1);
      expect(api.calls('issues/create-comment')).toHaveLength(1);
      expect(api.calls('issues/update-comment').map((r) => r.path)).toEqual([`/repos/${payload.repository.full_name}/issues/comments/${firstId}`]);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toContain('drop column `hero.age`');
    }));

  it('passes with no findings on a clean change, and honours fail-on: never', () =>
    withApi(async (api) => {
      const clean = treeOf(path.join(ROOT, 'fixtures', 'rules', 'destructive-operation', 'good'));
      const file = Object.keys(clean).find((f) => f.endsWith('_add_hero_power.py'))!;
      const added = { [file]: clean[file]! };
      delete clean[file];
      const repo = makeRepo(clean, added);
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { comment: 'false', 'fail-on': 'never' } });
      expectClean(api, r);
      expect(r.code).toBe(0);
      expect(Number(r.outputs.errors)).toBe(0);
      expect(api.calls('issues/list-comments')).toEqual([]);
      const [run] = [...api.checkRuns.values()];
      expect(run!.conclusion === 'success' || run!.conclusion === 'neutral').toBe(true);
    }));
});

describe.concurrent('models vs migrations', SLOW, () => {
  const MODELS = 'models.py';
  it('a model changed with no migration: model-drift on its line, and the line counts the difference in the summary and the comment', () =>
    withApi(async (api) => {
      const tree = treeOf(FIXTURE);
      const changed = tree[MODELS]!.replace('    secret_name: str\n', '    secret_name: str\n    power: int = 0\n');
      expect(changed).not.toBe(tree[MODELS]);
      const repo = makeRepo(tree, { [MODELS]: changed });
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api });
      expectClean(api, r);
      expect(r.code).toBe(1);
      const [run] = [...api.checkRuns.values()];
      expect(run!.annotations.filter((a) => a.title === 'model-drift').map((a) => [a.path, a.start_line])).toEqual([[MODELS, 10]]);
      const line = '\nModels vs migrations: 1 difference (1 add_column): run `alembic revision --autogenerate`.\n';
      expect(r.summary).toContain(line);
      expect(api.comments[0]!.body).toContain(line);
    }));

  it('says nothing about models when model-drift is off', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const repo = makeRepo({ ...base, 'migration-lint.config.json': '{"rules": {"model-drift": "off"}}\n' }, added);
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api });
      expectClean(api, r);
      expect(r.summary).toContain('## migration-lint');
      expect(r.summary).not.toContain('Models vs migrations');
      expect(api.comments[0]!.body).not.toContain('Models vs migrations');
    }));
});

describe.concurrent('a token that cannot write (fork pull requests)', SLOW, () => {
  it('falls back to workflow commands on 403, still annotates the line and fails the step', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const repo = makeRepo(base, added);
      api.overrides.set('checks/create', forbidden);
      api.overrides.set('issues/list-comments', forbidden);
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api });
      expectClean(api, r);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('annotations: auto: the token cannot create check runs (HTTP 403: Resource not accessible by integration');
      expect(r.stdout).toContain('annotating with workflow commands instead');
      expect(r.commands).toContain(
        `::error title=destructive-operation,file=${NEW_FILE},line=22,endLine=22,col=5,endColumn=34::Drops column 'age' of table 'hero' and all its values%0Ahelp: If the loss is intended, approve it: \`# migration-lint: ignore destructive-operation -- <why>\` on the line.`,
      );
      const annotations = r.commands.filter((c) => /^::(error|warning) title=/.test(c));
      expect(annotations).toHaveLength(Number(r.outputs.errors) + Number(r.outputs.warnings));
      expect(r.stdout).toContain('comment: not written: the token cannot write comments (HTTP 403');
      expect(api.calls('issues/create-comment')).toEqual([]);
      expect(r.summary).toContain('drop column `hero.age`');
    }));

  it('annotates a deleted applied revision on a file that exists, while the SARIF file names the deleted path', () =>
    withApi(async (api) => {
      const base = treeOf(FIXTURE);
      // The pull request deletes the applied head revision and the template: the finding's own home is the deleted path.
      const repo = makeRepo(base, { [NEW_FILE]: null, 'alembic/script.py.mako': null });
      api.overrides.set('checks/create', forbidden);
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { comment: 'false' } });
      expect(r.code).toBe(1);
      const other = Object.keys(base).find((f) => f.startsWith('alembic/versions/') && f !== NEW_FILE)!;
      const deletion = r.commands.find((c) => c.startsWith('::error title=applied-migration-edited,'));
      expect(deletion).toMatch(new RegExp(`^::error title=applied-migration-edited,file=${other.replace(/[.]/g, '\\.')},line=1,endLine=1,col=1,endColumn=1::Applied revision '0dc1b27bfae7' was deleted since baseline`));
      const sarif = JSON.parse(fs.readFileSync(r.outputs['sarif-file']!, 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      const result = sarif.runs[0]!.results.find((x) => x.ruleId === 'applied-migration-edited')!;
      expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe(NEW_FILE);
    }));

  it('fails clearly when annotations: checks is asked for and refused', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const repo = makeRepo(base, added);
      api.overrides.set('checks/create', forbidden);
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { annotations: 'checks', comment: 'false' } });
      expectClean(api, r);
      expect(r.code).toBe(1);
      expect(r.commands).toContain(
        '::error::migration-lint: cannot create the check run (HTTP 403: Resource not accessible by integration - https://docs.github.com/rest): give the job `permissions: checks: write`, or set annotations: commands',
      );
    }));
});

describe.concurrent('hundreds of findings', SLOW, () => {
  it('sends 300 annotations in batches of 50 and keeps the comment within its limit', () =>
    withApi(async (api) => {
      const { base } = baseTree();
      const lines = Array.from({ length: 300 }, (_, i) => `    op.drop_column('hero', 'c${i}')`);
      const text = `"""drop many columns

Revision ID: 1234abcd5678
Revises: 9d8e082d7e75
Create Date: 2024-01-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision = '1234abcd5678'
down_revision = '9d8e082d7e75'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
${lines.join('\n')}
    # ### end Alembic commands ###


def downgrade() -> None:
    pass
`;
      const file = 'alembic/versions/1234abcd5678_drop_many_columns.py';
      const repo = makeRepo(base, { [file]: text });
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api });
      expectClean(api, r);
      expect(r.code).toBe(1);
      // 300 drops, plus whatever the model rules say about the base tree's models (the drops are counted exactly below).
      expect(Number(r.outputs.errors)).toBeGreaterThanOrEqual(300);
      const updates = api.calls('checks/update');
      const total = Number(r.outputs.errors) + Number(r.outputs.warnings);
      expect(updates).toHaveLength(Math.ceil(total / 50));
      expect(updates.every((u) => (u.body.output.annotations ?? []).length <= 50)).toBe(true);
      expect(updates.slice(0, -1).every((u) => u.body.status === undefined)).toBe(true);
      expect(updates.at(-1)!.body).toMatchObject({ status: 'completed', conclusion: 'failure' });
      const [run] = [...api.checkRuns.values()];
      const drops = run!.annotations.filter((a) => a.title === 'destructive-operation');
      expect(drops.map((a) => a.start_line)).toEqual(Array.from({ length: 300 }, (_, i) => 22 + i));
      expect(drops[299]).toMatchObject({ path: file, start_line: 321, end_line: 321, start_column: 5, end_column: 35, message: "Drops column 'c299' of table 'hero' and all its values" });
      // The job summary holds every finding; the comment what fits, and says where the rest is.
      expect(r.summary.split('\n').filter((l) => l.startsWith('| ❌ error | `destructive-operation`'))).toHaveLength(300);
      expect(r.stdout).toContain('Created the summary comment on pull request #');
      const body = api.comments[0]!.body;
      expect(body.length).toBeLessThanOrEqual(65536);
      expect(body).toMatch(/… and \d+ more findings: see the \[job summary\]\(https:\/\/github\.com\/.+\/actions\/runs\/4242\)\./);
    }));
});

describe.concurrent('shallow clones', SLOW, () => {
  it('fetches the base a depth-1 checkout lacks, then lints the change', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const repo = makeRepo(base, added);
      const ws = shallowClone(repo);
      const r = await runAction({ workspace: ws, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { comment: 'false' } });
      expectClean(api, r);
      expect(r.stdout).toContain(`Fetching ${repo.base} and the last 50 commits of HEAD (the checkout is shallow)`);
      expect(r.stdout).toContain(`Base: ${repo.base} (the pull request's base)`);
      expect(r.code).toBe(1);
      const [run] = [...api.checkRuns.values()];
      expect(run!.annotations.find((a) => a.title === 'destructive-operation')).toMatchObject(DROP_AGE);
    }));

  it('fails with the exact fix when the base cannot be fetched', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const repo = makeRepo(base, added);
      const ws = shallowClone(repo);
      const payload = pullRequestPayload({ base: 'f'.repeat(40), head: repo.head });
      const r = await runAction({ workspace: ws, event: 'pull_request', payload, api, inputs: { comment: 'false' } });
      expectClean(api, r);
      expect(r.code).toBe(1);
      const failure = r.commands.find((c) => c.startsWith('::error::'));
      expect(failure).toMatch(
        new RegExp(
          `^::error::migration-lint: cannot fetch the base ${'f'.repeat(40)} into this shallow checkout \\(.+\\): set \`fetch-depth: 0\` on actions/checkout \\(or run \`git fetch --deepen=<n> origin\` before this step\\)$`,
        ),
      );
      expect(api.requests).toEqual([]);
    }));
});

describe.concurrent('file text cannot issue workflow commands', SLOW, () => {
  it('escapes %0A::error::, ::set-output and ##[ in names, SQL, messages and file names', () =>
    withApi(async (api) => {
      const { base } = baseTree();
      const evil = `"""::warning::docstring %0A::error::x

Revision ID: 5e1f0c0ffee1
Revises: 9d8e082d7e75
Create Date: 2024-01-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision = '5e1f0c0ffee1'
down_revision = '9d8e082d7e75'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table('evil%0A::error::injected')
    op.drop_column('hero', 'x\\n::set-output name=errors::0\\n##[set-output name=warnings;]0\\n::add-mask::hero')
    op.execute("DELETE FROM hero -- \\n::error file=x::from sql")
    # ### end Alembic commands ###


def downgrade() -> None:
    pass
`;
      const file = 'alembic/versions/5e1f0c0ffee1_::set-output name=x::y.py';
      const repo = makeRepo(base, { [file]: evil });
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { annotations: 'commands' } });
      expectClean(api, r);
      expect(r.code).toBe(1);
      // Only the Action's own commands: groups, stop-commands, one annotation per finding, the failure.
      const annotations = r.commands.filter((c) => /^::(error|warning) title=[\w-]+,file=/.test(c));
      expect(annotations).toHaveLength(Number(r.outputs.errors) + Number(r.outputs.warnings));
      const others = r.commands.filter((c) => !annotations.includes(c));
      expect(others.map((c) => c.replace(/^::error::migration-lint: .*$/, '::error::<failure>'))).toEqual(['::group::' + others[0]!.slice('::group::'.length), '::endgroup::', '::error::<failure>']);
      expect(others[0]).toMatch(/^::group::migration-lint \S+: \d+ errors?/);
      // The injected text is inside escaped data: no line break survives, no property is forged.
      const drop = annotations.find((a) => a.includes('evil'))!;
      expect(drop).toContain("Drops table 'evil%250A::error::injected' and every row in it");
      const setOutput = annotations.find((a) => a.includes('set-output name=errors'))!;
      expect(setOutput).toContain("Drops column 'x%0A::set-output name=errors::0%0A##[set-output name=warnings;]0%0A::add-mask::hero' of table 'hero'");
      expect(setOutput).toContain(`file=alembic/versions/5e1f0c0ffee1_%3A%3Aset-output name=x%3A%3Ay.py,`);
      // Outputs are the Action's three, untouched by the file.
      expect(Object.keys(r.outputs).sort()).toEqual(['errors', 'sarif-file', 'warnings']);
      expect(Number(r.outputs.errors)).toBeGreaterThanOrEqual(3);
      // The summary escapes markup from the file.
      expect(r.summary).toContain('drop table `evil%0A::error::injected`');
      expect(r.summary).not.toMatch(/^::/m);
    }));
});

describe.concurrent('other events', SLOW, () => {
  it('push: lints what changed since `before`', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const repo = makeRepo(base, added);
      const payload = webhookPayload('push');
      payload.before = repo.base;
      payload.after = repo.head;
      const r = await runAction({ workspace: repo.dir, event: 'push', payload, api, inputs: { comment: 'true' } });
      expectClean(api, r);
      expect(r.stdout).toContain(`Base: ${repo.base} (the commit before the push)`);
      expect(api.calls('checks/create')[0]!.body.head_sha).toBe(repo.head);
      // No pull request, no comment.
      expect(api.calls('issues/list-comments')).toEqual([]);
      expect(r.code).toBe(1);
    }));

  it('workflow_dispatch: the base input names the baseline', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const repo = makeRepo(base, added);
      const payload = webhookPayload('workflow_dispatch');
      payload.inputs = { base: repo.base };
      const r = await runAction({ workspace: repo.dir, event: 'workflow_dispatch', payload, api, inputs: { annotations: 'commands' } });
      expectClean(api, r);
      expect(r.stdout).toContain(`Base: ${repo.base} (the workflow_dispatch input 'base')`);
      expect(api.requests).toEqual([]);
      expect(r.commands.some((c) => c.startsWith(`::error title=destructive-operation,file=${NEW_FILE},line=22,`))).toBe(true);
    }));

  it('refuses a JavaScript config instead of running it', () =>
    withApi(async (api) => {
      const { base, added } = baseTree();
      const marker = path.join(ROOT, 'node_modules', '.ml-action-ran-config');
      fs.rmSync(marker, { force: true });
      const repo = makeRepo({ ...base, 'migration-lint.config.mjs': `import fs from 'node:fs'; fs.writeFileSync(${JSON.stringify(marker)}, 'ran'); export default {};\n` }, added);
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { comment: 'false' } });
      expect(r.code).toBe(1);
      expect(fs.existsSync(marker)).toBe(false);
      expect(r.commands.find((c) => c.startsWith('::error::'))).toBe(
        '::error::migration-lint: migration-lint.config.mjs is code, and the GitHub Action never runs repository code: move the settings to migration-lint.config.json',
      );
    }));
});
