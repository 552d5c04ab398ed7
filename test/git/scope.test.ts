/**
 * Applied history is immutable (what already ran is not re-judged), on real git repositories: a mature repository's first run is
 * quiet about applied revisions (the graph and history rules still judge them), `--all` audits everything,
 * a new revision on a branch is judged by every rule, and conventions are learnt from applied history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ROOT } from '../rules/helpers.js';
import { git, HERO, HERO_FILE, migration, POWER, POWER_FILE, runCli, TEAM, TEAM_FILE, tmpDir, upstreamAndClone, write, type CliRun } from './helpers.js';

// parse-error too: an applied file that no longer compiles stops every Alembic command now.
// The model rules judge the project's state now (the example's models differ from its migrations on purpose).
const GRAPH_OR_HISTORY = new Set(['model-drift', 'model-not-imported', 'target-metadata-missing', 'parse-error', 'multiple-heads', 'unknown-down-revision', 'duplicate-revision', 'revision-cycle', 'multiple-bases', 'applied-migration-edited', 'template-missing-sqlmodel-import']);
const rulesOf = (run: CliRun) => [...new Set(run.diagnostics.map((d) => d.rule))].sort();
const summaryOf = (run: CliRun) => (JSON.parse(run.stdout) as { summary: Record<string, unknown> }).summary;
const NOT_NULL = "op.add_column('hero', sa.Column('rank', sa.Integer(), nullable=False))";

/** The bundled example project (examples/fastapi-sqlmodel) committed to a new repository, as a clean clone has it. */
function exampleRepo(): string {
  const dir = tmpDir('example');
  fs.cpSync(path.join(ROOT, 'examples/fastapi-sqlmodel'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the project');
  return dir;
}

describe('a clean clone of a mature repository', () => {
  it('reports no content finding on applied revisions; --all gives the full audit, which a run without git also gives', async () => {
    const repo = exampleRepo();
    const quiet = await runCli(repo, ['--no-cache']);
    // Only what is wrong now: the example's graph faults, its file that does not compile, and its template.
    expect(rulesOf(quiet).filter((r) => !GRAPH_OR_HISTORY.has(r))).toEqual([]);
    expect(rulesOf(quiet)).toEqual(['duplicate-revision', 'model-drift', 'multiple-heads', 'parse-error', 'template-missing-sqlmodel-import', 'unknown-down-revision']);
    expect(summaryOf(quiet).appliedGraphOnly).toBe(13);

    const audit = await runCli(repo, ['--all', '--no-cache']);
    expect(audit.diagnostics.length).toBeGreaterThan(quiet.diagnostics.length + 20);
    expect(summaryOf(audit).appliedGraphOnly).toBeUndefined();
    // The same project outside git: nothing is known to be applied, every file is judged.
    const plain = tmpDir('example-plain');
    fs.cpSync(path.join(ROOT, 'examples/fastapi-sqlmodel'), plain, { recursive: true });
    const noGit = await runCli(plain, ['--no-cache']);
    expect(noGit.diagnostics.map((d) => [d.rule, d.file, d.line, d.column])).toEqual(audit.diagnostics.map((d) => [d.rule, d.file, d.line, d.column]));

    // The stylish summary says what was left to the graph rules.
    const stylish = await runCli(repo, ['--format', 'stylish', '--no-cache']);
    expect(stylish.stdout).toContain('\n  13 applied revisions: graph checks only (--all to audit them)\n');
  });

  it('exits 0 when nothing is wrong now, and judges a new revision on a branch with every rule', async () => {
    const { repo } = upstreamAndClone('scope-quiet');
    // Applied on main: power adds a NOT NULL column without a default, and hero lost its markers.
    const upstream = git(repo, 'remote', 'get-url', 'origin').trim();
    write(upstream, POWER_FILE, migration({ ...POWER, upgrade: [NOT_NULL] }));
    git(upstream, 'commit', '-q', '-am', 'as deployed');
    git(repo, 'pull', '-q', 'origin', 'main');
    git(repo, 'fetch', '-q', 'origin');
    const quiet = await runCli(repo, []);
    expect(quiet.status).toBe(0);
    expect(quiet.diagnostics).toEqual([]);
    expect(summaryOf(quiet).appliedGraphOnly).toBe(2);
    expect(rulesOf(await runCli(repo, ['--all']))).toContain('not-null-without-default');

    // A new revision on the branch, with the same fault and no `import sqlmodel`: every rule judges it.
    write(repo, TEAM_FILE, migration({ ...TEAM, upgrade: [...TEAM.upgrade, NOT_NULL] }).replace('import sqlmodel\n', ''));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'team');
    const judged = await runCli(repo, []);
    expect(judged.status).toBe(1);
    expect(new Set(judged.diagnostics.map((d) => d.file))).toEqual(new Set([TEAM_FILE]));
    expect(rulesOf(judged)).toEqual(expect.arrayContaining(['missing-sqlmodel-import', 'not-null-without-default']));
    // --base and --staged judge what changed, as before.
    expect(new Set((await runCli(repo, ['--base', 'origin/main'])).diagnostics.map((d) => d.file))).toEqual(new Set([TEAM_FILE]));
  });

  it('judges an applied revision that was edited since the baseline with every rule again', async () => {
    const { repo } = upstreamAndClone('scope-edited');
    write(repo, POWER_FILE, migration({ ...POWER, upgrade: [NOT_NULL] }));
    const run = await runCli(repo, []);
    expect(rulesOf(run)).toEqual(expect.arrayContaining(['applied-migration-edited', 'not-null-without-default']));
    expect(new Set(run.diagnostics.map((d) => d.file))).toEqual(new Set([POWER_FILE]));
    expect(summaryOf(run).appliedGraphOnly).toBe(1);
  });

  it('config scope "all" audits every revision; an unknown scope is a config error', async () => {
    const { repo } = upstreamAndClone('scope-config');
    const origin = git(repo, 'remote', 'get-url', 'origin').trim();
    write(origin, POWER_FILE, migration({ ...POWER, upgrade: [NOT_NULL] }));
    git(origin, 'commit', '-q', '-am', 'as deployed');
    git(repo, 'pull', '-q', 'origin', 'main');
    git(repo, 'fetch', '-q', 'origin');
    expect(rulesOf(await runCli(repo, []))).toEqual([]);
    fs.writeFileSync(path.join(repo, '.migrationlintrc.json'), JSON.stringify({ scope: 'all' }));
    expect(rulesOf(await runCli(repo, []))).toContain('not-null-without-default');
    fs.writeFileSync(path.join(repo, '.migrationlintrc.json'), JSON.stringify({ scope: 'applied' }));
    const bad = await runCli(repo, []);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`migration-lint: .migrationlintrc.json: 'scope' must be "changed" (revisions not yet applied) or "all" (every revision)\n`);
  });
});

describe('conventions learnt from applied history', () => {
  const unmarked = (m: Parameters<typeof migration>[0]) => migration(m).replace(/ {4}# ### (commands auto generated by Alembic - please adjust!|end Alembic commands) ###\n/g, '');

  async function explain(cwd: string, id: string): Promise<string> {
    let out = '';
    await main(['--explain', id, '--no-color'], { cwd, env: { ...process.env }, stdout: (s) => void (out += s), stderr: () => {}, isTTY: false });
    return out.slice(out.indexOf('## In this project'));
  }

  it('manual-migration is silent in a project that strips the autogenerate markers, and --explain says why', async () => {
    const { repo } = upstreamAndClone('strip');
    const origin = git(repo, 'remote', 'get-url', 'origin').trim();
    write(origin, HERO_FILE, unmarked(HERO));
    write(origin, POWER_FILE, unmarked(POWER));
    git(origin, 'commit', '-q', '-am', 'house style: no markers');
    git(repo, 'pull', '-q', 'origin', 'main');
    git(repo, 'fetch', '-q', 'origin');
    write(repo, TEAM_FILE, unmarked(TEAM));
    const run = await runCli(repo, []);
    expect(rulesOf(run)).not.toContain('manual-migration');
    // An audit holds every revision to the default, as before.
    expect((await runCli(repo, ['--all'])).diagnostics.filter((d) => d.rule === 'manual-migration').map((d) => d.file).sort()).toEqual([HERO_FILE, POWER_FILE, TEAM_FILE]);
    const base = git(repo, 'merge-base', 'HEAD', 'origin/main').trim().slice(0, 7);
    expect(await explain(repo, 'manual-migration')).toBe(
      `## In this project\nalembic/versions: not expected: only 0 of the 2 applied revisions with operations (at the git baseline ${base} (merge-base with origin/main)) carry Alembic's autogenerate block, so this project does not keep that convention: a revision without the block cannot be told from a hand-written one, and manual-migration is silent.\n`,
    );
  });

  it('manual-migration expects the markers where the applied revisions carry them, and where nothing is applied yet', async () => {
    const { repo } = upstreamAndClone('keep');
    write(repo, TEAM_FILE, unmarked(TEAM));
    const run = await runCli(repo, []);
    expect(run.diagnostics.filter((d) => d.rule === 'manual-migration').map((d) => d.file)).toEqual([TEAM_FILE]);
    expect(await explain(repo, 'manual-migration')).toMatch(/^## In this project\nalembic\/versions: expected: 2 of the 2 applied revisions with operations \(at the git baseline [0-9a-f]{7} \(merge-base with origin\/main\)\) carry Alembic's autogenerate block\.\n$/);

    const fresh = tmpDir('fresh');
    fs.cpSync(repo, fresh, { recursive: true });
    fs.rmSync(path.join(fresh, '.git'), { recursive: true });
    write(fresh, HERO_FILE, unmarked(HERO));
    expect((await runCli(fresh, [])).diagnostics.filter((d) => d.rule === 'manual-migration').map((d) => d.file).sort()).toEqual([HERO_FILE, TEAM_FILE]);
    expect(await explain(fresh, 'manual-migration')).toBe(
      "## In this project\nalembic/versions: expected: no revision with operations is applied yet (no git baseline or database), so the default holds: revisions carry Alembic's autogenerate block.\n",
    );
  });

  it('revision-mismatch leaves file names alone in a project whose names do not carry their revision ids', async () => {
    const { repo } = upstreamAndClone('names');
    const origin = git(repo, 'remote', 'get-url', 'origin').trim();
    // The house names files after a ticket hash, not the revision.
    git(origin, 'mv', HERO_FILE, 'alembic/versions/deadbeef01_add_hero_table.py');
    git(origin, 'mv', POWER_FILE, 'alembic/versions/deadbeef02_add_hero_power.py');
    git(origin, 'commit', '-q', '-m', 'ticket names');
    git(repo, 'pull', '-q', 'origin', 'main');
    git(repo, 'fetch', '-q', 'origin');
    write(repo, 'alembic/versions/deadbeef03_add_team_table.py', migration(TEAM));
    expect((await runCli(repo, [])).diagnostics.filter((d) => d.rule === 'revision-mismatch')).toEqual([]);
    expect(await explain(repo, 'revision-mismatch')).toContain('not expected: only 0 of the 2 applied revisions with an id-like file name');
    // Where names carry the ids, the new file is held to it.
    const { repo: kept } = upstreamAndClone('names-kept');
    write(kept, 'alembic/versions/deadbeef03_add_team_table.py', migration(TEAM));
    expect((await runCli(kept, [])).diagnostics.filter((d) => d.rule === 'revision-mismatch').map((d) => d.message)).toEqual([
      `revision = '${TEAM.rev}' but the file name carries revision id 'deadbeef03'`,
    ]);
  });
});
