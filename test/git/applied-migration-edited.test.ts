/**
 * applied-migration-edited on real repositories: a clone whose origin/main holds the applied revisions and
 * a feature branch that edits, deletes, renames and adds revisions; the CLI's JSON is asserted exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  edited,
  git,
  HERO,
  HERO_FILE,
  messages,
  migration,
  POWER,
  POWER_FILE,
  read,
  runCli,
  TEAM,
  TEAM_FILE,
  upstreamAndClone,
  VERSIONS,
  write,
} from './helpers.js';

const RULE = 'applied-migration-edited';
const TEMPLATE_FILE = 'alembic/script.py.mako';
const SEMANTIC_POWER = "op.add_column('hero', sa.Column('power', sa.Integer(), nullable=False))";

/** An error on one line of the new file: column 5 to the end of the operation, as the op sits at line 22. */
const opAt = (file: string, op: string, line = 22, severity = 'error') => ({ rule: RULE, severity, file, line, column: 5, endLine: line, endColumn: 5 + op.length });

describe('a feature branch against origin/main', () => {
  let repo: string;
  let short: string;

  beforeAll(() => {
    const made = upstreamAndClone('feature');
    repo = made.repo;
    short = made.baseSha.slice(0, 7);
    // Semantic edit of an applied revision, imports-only edit of another, and a revision of the branch's own.
    write(repo, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    write(repo, HERO_FILE, read(repo, HERO_FILE).replace('import sqlmodel\n', 'import sqlmodel\nimport os  # unused\n'));
    write(repo, TEAM_FILE, migration(TEAM));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'feature work');
    // The branch's own revision is free to change after it was committed.
    write(repo, TEAM_FILE, migration({ ...TEAM, upgrade: ["op.create_table('team', sa.Column('id', sa.Integer(), nullable=False))"] }));
    git(repo, 'commit', '-q', '-am', 'rework team');
  });

  const expected = () => [
    { rule: RULE, severity: 'warning', file: HERO_FILE, line: 11, column: 1, endLine: 11, endColumn: 20 },
    opAt(POWER_FILE, SEMANTIC_POWER),
  ];

  it('reports a semantic edit as an error and an imports-only edit as a warning (default mode)', async () => {
    const run = await runCli(repo, []);
    expect(run.status).toBe(1);
    expect(edited(run)).toEqual(expected());
    expect(messages(run)).toEqual([
      `Applied revision 'a1b2c3d4e5f6' was edited since baseline ${short} (merge-base with origin/main); the edit is cosmetic: no operation or revision variable changed (imports, comments, whitespace, docstring, or how a value is written)`,
      `Applied revision 'b2c3d4e5f6a7' was edited since baseline ${short} (merge-base with origin/main): operation \`add_column\` on 'hero' in upgrade() changed`,
    ]);
    const help = run.diagnostics.find((d) => d.rule === RULE && d.severity === 'error') as unknown as { help: string };
    expect(help.help).toContain(`git checkout ${short} -- ${POWER_FILE}`);
    expect(help.help).toContain('alembic revision --autogenerate');
  });

  it('reports the same with --base origin/main and with --base main, and only on changed files', async () => {
    for (const base of ['origin/main', 'main']) {
      const run = await runCli(repo, ['--base', base]);
      expect(run.status).toBe(1);
      expect(edited(run)).toEqual(expected());
      expect(messages(run)[1]).toContain(`since baseline ${short} (merge-base with ${base})`);
      expect(JSON.parse(run.stdout).summary.files).toBe(3);
    }
  });

  it('treats --base HEAD as "nothing is changed": no file is reported', async () => {
    const run = await runCli(repo, ['--base', 'HEAD']);
    expect(run.status).toBe(0);
    expect(run.diagnostics).toEqual([]);
    expect(JSON.parse(run.stdout).summary.files).toBe(0);
  });

  it('honours config `baseline`: with the feature tip as baseline nothing committed is an edit', async () => {
    fs.writeFileSync(path.join(repo, '.migrationlintrc.json'), JSON.stringify({ baseline: 'feature' }));
    try {
      expect(edited(await runCli(repo, []))).toEqual([]);
    } finally {
      fs.rmSync(path.join(repo, '.migrationlintrc.json'));
    }
  });

  it('follows a detached HEAD', async () => {
    const { repo: detached } = upstreamAndClone('detached');
    write(detached, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    git(detached, 'commit', '-q', '-am', 'edit');
    git(detached, 'checkout', '-q', '--detach', 'HEAD');
    expect(edited(await runCli(detached, []))).toEqual([opAt(POWER_FILE, SEMANTIC_POWER)]);
    expect(edited(await runCli(detached, ['--base', 'origin/main']))).toEqual([opAt(POWER_FILE, SEMANTIC_POWER)]);
  });
});

describe('kinds of edit', () => {
  it('catches an uncommitted edit in the work tree against the default baseline', async () => {
    const { repo } = upstreamAndClone('worktree');
    write(repo, POWER_FILE, migration({ ...POWER, downgrade: ["op.drop_column('hero', 'strength')"] }));
    const run = await runCli(repo, []);
    expect(edited(run)).toEqual([opAt(POWER_FILE, "op.drop_column('hero', 'strength')", 28)]);
    expect(messages(run)[0]).toMatch(/: operation `drop_column` on 'hero' in downgrade\(\) changed$/);
  });

  it('without a remote, the baseline is HEAD', async () => {
    const { repo } = upstreamAndClone('noremote');
    git(repo, 'remote', 'remove', 'origin');
    write(repo, HERO_FILE, migration({ ...HERO, message: 'add the hero table' }));
    const run = await runCli(repo, []);
    expect(edited(run)).toEqual([{ rule: RULE, severity: 'warning', file: HERO_FILE, line: 1, column: 1, endLine: 1, endColumn: 22 }]);
    expect(messages(run)[0]).toMatch(/since baseline [0-9a-f]{7} \(HEAD\); the edit is cosmetic/);
  });

  it('reports a changed down_revision at its line, an added and a removed operation at theirs', async () => {
    const { repo } = upstreamAndClone('kinds');
    write(repo, HERO_FILE, migration({ ...HERO, upgrade: [...HERO.upgrade, "op.create_index('ix_hero_name', 'hero', ['name'])"] }));
    write(repo, POWER_FILE, migration({ ...POWER, down: 'ffffffffffff' }));
    git(repo, 'commit', '-q', '-am', 'edits');
    const run = await runCli(repo, ['--base', 'origin/main']);
    expect(edited(run)).toEqual([
      opAt(HERO_FILE, "op.create_index('ix_hero_name', 'hero', ['name'])", 27),
      { rule: RULE, severity: 'error', file: POWER_FILE, line: 15, column: 1, endLine: 15, endColumn: 31 },
    ]);
    expect(messages(run)[0]).toMatch(/: operation `create_index` on 'hero' added to upgrade\(\)$/);
    expect(messages(run)[1]).toMatch(/: `down_revision` changed from 'a1b2c3d4e5f6' to 'ffffffffffff'$/);

    write(repo, HERO_FILE, migration({ ...HERO, downgrade: [] }));
    const removed = await runCli(repo, ['--base', 'origin/main']);
    expect(edited(removed).filter((d) => d.file === HERO_FILE)).toEqual([{ rule: RULE, severity: 'error', file: HERO_FILE, line: 30, column: 5, endLine: 30, endColumn: 14 }]);
    expect(messages(removed)[0]).toMatch(/: operation `drop_table` on 'hero' removed from downgrade\(\)$/);
  });

  it('treats reformatting, comments and a new docstring line as cosmetic', async () => {
    const { repo } = upstreamAndClone('cosmetic');
    const reformatted = read(repo, HERO_FILE)
      .replace("op.create_table('hero',", 'op.create_table(\n        "hero",  # the heroes')
      .replace('"""add hero table\n', '"""add hero table\n\nHeroes and their names.\n')
      .replace(/\n/g, '\r\n');
    write(repo, HERO_FILE, reformatted);
    const run = await runCli(repo, []);
    expect(edited(run)).toEqual([{ rule: RULE, severity: 'warning', file: HERO_FILE, line: 3, column: 1, endLine: 3, endColumn: 24 }]);
  });

  it('reports a deletion at the revision that still names it, or on the template where that one is not reported', async () => {
    const { repo, baseSha } = upstreamAndClone('deleted');
    git(repo, 'rm', '-q', HERO_FILE);
    git(repo, 'commit', '-q', '-m', 'drop hero');
    const message = `Applied revision 'a1b2c3d4e5f6' was deleted since baseline ${baseSha.slice(0, 7)} (merge-base with origin/main): ${HERO_FILE} is gone`;
    // Every file is reported by default: the child's down_revision (line 15) names the deleted revision.
    const all = await runCli(repo, []);
    expect(all.status).toBe(1);
    expect(edited(all)).toEqual([{ rule: RULE, severity: 'error', file: POWER_FILE, line: 15, column: 1, endLine: 15, endColumn: 31 }]);
    expect(messages(all)).toEqual([message]);
    // --base reports only what changed, so the unchanged child is no home: the template is.
    const changed = await runCli(repo, ['--base', 'origin/main']);
    expect(changed.status).toBe(1);
    expect(edited(changed)).toEqual([{ rule: RULE, severity: 'error', file: TEMPLATE_FILE, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    expect(messages(changed)).toEqual([message]);
  });

  it('without a template or a child, reports a deletion at the deleted path itself, in JSON and SARIF', async () => {
    const { repo, baseSha } = upstreamAndClone('deleted-nowhere');
    git(repo, 'rm', '-q', POWER_FILE, TEMPLATE_FILE);
    git(repo, 'commit', '-q', '-m', 'drop power and template');
    for (const args of [[], ['--base', 'origin/main']]) {
      const run = await runCli(repo, args);
      expect(run.status).toBe(1);
      expect(edited(run)).toEqual([{ rule: RULE, severity: 'error', file: POWER_FILE, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
      expect(messages(run)).toEqual([`Applied revision 'b2c3d4e5f6a7' was deleted since baseline ${baseSha.slice(0, 7)} (merge-base with origin/main): ${POWER_FILE} is gone`]);
    }
    const sarif = JSON.parse((await runCli(repo, ['--format', 'sarif'])).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === RULE)!;
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe(POWER_FILE);
    expect(result.locations[0]!.physicalLocation.region.startLine).toBe(1);
  });

  it('does not take git’s rename pairing for identity: a deleted applied revision and an unrelated new one', async () => {
    const { repo, baseSha } = upstreamAndClone('paired');
    // Delete the applied head and add a small unrelated revision on the same parent: the files are alike
    // enough (one template) that git pairs them as a rename.
    git(repo, 'rm', '-q', POWER_FILE);
    const NEW = { ...POWER, rev: 'd4e5f6a7b8c9', message: 'add hero age', upgrade: ["op.add_column('hero', sa.Column('age', sa.Integer(), nullable=True))"], downgrade: ["op.drop_column('hero', 'age')"] };
    const NEW_FILE = `${VERSIONS}/d4e5f6a7b8c9_add_hero_age.py`;
    write(repo, NEW_FILE, migration(NEW));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'replace power with age');
    expect(git(repo, 'diff', '--name-status', '-M', 'origin/main', 'HEAD')).toMatch(/^R\d+\t/);
    for (const args of [[], ['--base', 'origin/main']]) {
      const run = await runCli(repo, args);
      expect(edited(run)).toEqual([{ rule: RULE, severity: 'error', file: TEMPLATE_FILE, line: 1, column: 1, endLine: 1, endColumn: 1 }]);
      expect(messages(run)).toEqual([
        `Applied revision 'b2c3d4e5f6a7' was deleted since baseline ${baseSha.slice(0, 7)} (merge-base with origin/main): ${POWER_FILE} is gone (git pairs it with ${NEW_FILE} as a rename, but that file defines another revision, 'd4e5f6a7b8c9')`,
      ]);
    }
  });

  it('reports an applied file whose `revision` was changed in place as the deletion of that revision, at its revision line', async () => {
    const { repo, baseSha } = upstreamAndClone('rev-changed');
    write(repo, POWER_FILE, migration({ ...POWER, rev: 'eeeeeeeeeeee' }));
    git(repo, 'commit', '-q', '-am', 'new id');
    const run = await runCli(repo, ['--base', 'origin/main']);
    expect(edited(run)).toEqual([{ rule: RULE, severity: 'error', file: POWER_FILE, line: 14, column: 1, endLine: 14, endColumn: 26 }]);
    expect(messages(run)).toEqual([
      `Applied revision 'b2c3d4e5f6a7' was deleted since baseline ${baseSha.slice(0, 7)} (merge-base with origin/main): ${POWER_FILE} now defines 'eeeeeeeeeeee' instead`,
    ]);
  });

  it('follows a revision to the file that now defines it when two applied files swap contents', async () => {
    const { repo } = upstreamAndClone('swapped');
    const hero = read(repo, HERO_FILE);
    const power = read(repo, POWER_FILE);
    write(repo, HERO_FILE, power);
    write(repo, POWER_FILE, hero);
    git(repo, 'commit', '-q', '-am', 'swap');
    const run = await runCli(repo, ['--base', 'origin/main']);
    // Both revisions survive, each under the other's name: two renames with unchanged content, no deletion.
    expect(edited(run)).toEqual([
      { rule: RULE, severity: 'warning', file: HERO_FILE, line: 14, column: 1, endLine: 14, endColumn: 26 },
      { rule: RULE, severity: 'warning', file: POWER_FILE, line: 14, column: 1, endLine: 14, endColumn: 26 },
    ]);
    expect(messages(run).every((m) => /was renamed from .* its content is unchanged$/.test(m))).toBe(true);
  });

  it('reports a rename that keeps the content as a rename (warning, at the revision line)', async () => {
    const { repo } = upstreamAndClone('renamed');
    const renamed = `${VERSIONS}/b2c3d4e5f6a7_hero_power.py`;
    git(repo, 'mv', POWER_FILE, renamed);
    git(repo, 'commit', '-q', '-m', 'rename');
    const run = await runCli(repo, ['--base', 'origin/main']);
    expect(edited(run)).toEqual([{ rule: RULE, severity: 'warning', file: renamed, line: 14, column: 1, endLine: 14, endColumn: 26 }]);
    expect(messages(run)[0]).toMatch(new RegExp(`^Applied revision 'b2c3d4e5f6a7' was renamed from ${POWER_FILE} since baseline [0-9a-f]{7} \\(merge-base with origin/main\\); its content is unchanged$`));
  });

  it('reports a rename with a semantic edit as an error, paired by revision id when git cannot pair it', async () => {
    const { repo } = upstreamAndClone('renamed-edited');
    const renamed = `${VERSIONS}/b2c3d4e5f6a7_hero_strength.py`;
    // A plain mv (the new name untracked) and a rewrite: git sees a deletion; the revision id says rename.
    fs.renameSync(path.join(repo, POWER_FILE), path.join(repo, renamed));
    const op = "op.add_column('hero', sa.Column('strength', sa.Integer(), nullable=True))";
    write(repo, renamed, migration({ ...POWER, message: 'add hero strength', upgrade: [op], downgrade: ["op.drop_column('hero', 'strength')"] }));
    const run = await runCli(repo, []);
    expect(edited(run)).toEqual([opAt(renamed, op)]);
    expect(messages(run)[0]).toMatch(new RegExp(`^Applied revision 'b2c3d4e5f6a7' was renamed from ${POWER_FILE} and edited since baseline [0-9a-f]{7} \\(merge-base with origin/main\\): operation \`add_column\` on 'hero' in upgrade\\(\\) changed$`));
  });

  it('approves an edit through an ignore-file suppression with a reason', async () => {
    const { repo } = upstreamAndClone('approved');
    write(repo, POWER_FILE, `# migration-lint: ignore-file applied-migration-edited -- hotfix approved in #42\n${migration({ ...POWER, upgrade: [SEMANTIC_POWER] })}`);
    const run = await runCli(repo, []);
    expect(edited(run)).toEqual([]);
    expect(JSON.parse(run.stdout).summary.suppressed).toBeGreaterThanOrEqual(1);
  });

  it('is silent when the rule is off, and when nothing applied was touched', async () => {
    const { repo } = upstreamAndClone('quiet');
    write(repo, TEAM_FILE, migration(TEAM));
    expect(edited(await runCli(repo, []))).toEqual([]);
    write(repo, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    expect(edited(await runCli(repo, ['--rule', `${RULE}=off`]))).toEqual([]);
    expect(edited(await runCli(repo, ['--rule', `${RULE}=warning`]))).toEqual([opAt(POWER_FILE, SEMANTIC_POWER, 22, 'warning')]);
  });
});

describe('odd file names', () => {
  const names = ['with space.py', `quote's "double".py`, 'ünïcødé_ß.py', 'new\nline.py', '-leading-dash.py'];

  it('handles spaces, quotes, unicode, a newline and a leading dash in every mode', async () => {
    const { repo } = upstreamAndClone('odd');
    // Each odd file is an applied revision on origin/main...
    const upstream = git(repo, 'remote', 'get-url', 'origin').trim();
    names.forEach((name, i) => {
      const rev = `0dd${i}00000000`;
      write(upstream, `${VERSIONS}/${name}`, migration({ rev, down: i === 0 ? POWER.rev : `0dd${i - 1}00000000`, message: `odd ${i}`, upgrade: [`op.add_column('hero', sa.Column('c${i}', sa.Integer(), nullable=True))`], downgrade: [`op.drop_column('hero', 'c${i}')`] }));
    });
    git(upstream, 'add', '-A');
    git(upstream, 'commit', '-q', '-m', 'odd names');
    git(repo, 'fetch', '-q', 'origin');
    git(repo, 'reset', '-q', '--hard', 'origin/main');
    // ...and the feature branch edits each of them semantically, staged.
    const edits = names.map((name, i) => {
      const op = `op.add_column('hero', sa.Column('c${i}', sa.BigInteger(), nullable=True))`;
      write(repo, `${VERSIONS}/${name}`, read(repo, `${VERSIONS}/${name}`).replace(/sa\.Integer\(\)/, 'sa.BigInteger()'));
      return opAt(`${VERSIONS}/${name}`, op);
    });
    const sorted = [...edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    expect(edited(await runCli(repo, []))).toEqual(sorted);
    git(repo, 'add', '-A');
    expect(edited(await runCli(repo, ['--staged']))).toEqual(sorted);
    git(repo, 'commit', '-q', '-m', 'edit odd');
    expect(edited(await runCli(repo, ['--base', 'origin/main']))).toEqual(sorted);
    // Renamed to another odd name, content unchanged.
    git(repo, 'mv', '--', `${VERSIONS}/-leading-dash.py`, `${VERSIONS}/--two dashes "q".py`);
    const run = await runCli(repo, ['--staged']);
    expect(edited(run).find((d) => d.file === `${VERSIONS}/--two dashes "q".py`)).toEqual({
      rule: RULE,
      severity: 'error',
      file: `${VERSIONS}/--two dashes "q".py`,
      line: 22,
      column: 5,
      endLine: 22,
      endColumn: 5 + "op.add_column('hero', sa.Column('c4', sa.BigInteger(), nullable=True))".length,
    });
  });
});
