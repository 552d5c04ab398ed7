/**
 * Hostile pull requests: text from the PR's files (names, docstrings, table names, SQL) that tries to issue
 * workflow commands, a token that must never be printed, repository code that must never run, and a GitHub
 * API that fails in every way it can. Through the built CLI and the bundled Action (dist/index.js, run as a
 * runner runs it; test/action owns its functional tests, these are only the attacks).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeApi, makeRepo, pullRequestPayload, runAction, TOKEN, type ActionRun, type Tree } from '../action/harness.js';
import { cli, HERO, HERO_FILE, migration, POWER, POWER_FILE, ROOT, tmpDir, VERSIONS, git as runGit } from './helpers.js';

const SLOW = { timeout: 180_000 };
const DIST = path.join(ROOT, 'dist', 'index.js');
const HAS_DIST = fs.existsSync(DIST);

/**
 * The runner's reading of a step's output: lines end at \r\n, \n or a lone \r (.NET ReadLine), leading
 * whitespace is trimmed, `::stop-commands::<token>` switches commands off until `::<token>::`.
 */
function runnerCommands(stdout: string): string[] {
  const out: string[] = [];
  let stop: string | null = null;
  for (const raw of stdout.split(/\r\n|\r|\n/)) {
    const line = raw.trimStart();
    if (stop !== null) {
      if (line === `::${stop}::`) stop = null;
      continue;
    }
    const m = /^::stop-commands::(.+)$/.exec(line);
    if (m) {
      stop = m[1]!;
      continue;
    }
    if (line.startsWith('::') || line.startsWith('##[')) out.push(line);
  }
  return out;
}

/** @actions/core's escaping, undone: what the runner shows as the property or message. */
function unescape(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

function annotation(line: string): { kind: string; props: Record<string, string>; message: string } | null {
  const m = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line);
  if (!m) return null;
  const props: Record<string, string> = {};
  for (const p of (m[2] ?? '').trim().split(',').filter(Boolean)) {
    const eq = p.indexOf('=');
    props[p.slice(0, eq)] = unescape(p.slice(eq + 1));
  }
  return { kind: m[1]!, props, message: unescape(m[3]!) };
}

// Attacks, each inside a string the rules quote in their messages. In Python source `\\r` is an escape: the
// value holds a real CR, as the message then does.
const EVIL_TABLE = 'evil\\r::error::from-cr%0A::error::from-percent';
const EVIL_COLUMN = 'x\\n::set-output name=errors::0\\n##[set-output name=warnings;]0\\n::add-mask::hero\\n::stop-commands::t';
const EVIL_SQL = 'DELETE FROM hero -- \\n::error file=x::from sql\\r::warning::cr in sql';

function evilMigration(rev: string, down: string): string {
  return migration({
    rev,
    down,
    message: `::warning::docstring %0A::error::x`,
    upgrade: [`op.drop_table('${EVIL_TABLE}')`, `op.drop_column('hero', '${EVIL_COLUMN}')`, `op.execute("${EVIL_SQL}")`],
  });
}

/** File names that carry commands: a lone CR, a line feed, percent-encoding, and a name starting with `::`. */
const EVIL_NAMES = ['c3d4e5f6a7b8_a\r::error::cr-name.py', 'd4e5f6a7b8c9_b\n::error::lf-name.py', 'e5f6a7b8c9d0_%0A::warning::pct.py'];

function evilTree(): { base: Tree; change: Record<string, string> } {
  const base: Tree = {
    'alembic.ini': '[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///app.db\n',
    'alembic/env.py': 'from alembic import context\n',
    'alembic/script.py.mako': fs.readFileSync(path.join(ROOT, 'fixtures/rules/empty-migration/good/alembic/script.py.mako'), 'utf8'),
    [`${VERSIONS}/${HERO_FILE}`]: migration(HERO),
    [`${VERSIONS}/${POWER_FILE}`]: migration(POWER),
  };
  const change: Record<string, string> = {};
  let down = POWER.rev;
  for (const name of EVIL_NAMES) {
    const rev = name.slice(0, 12);
    change[`${VERSIONS}/${name}`] = evilMigration(rev, down);
    down = rev;
  }
  return { base, change };
}

describe('workflow-command injection through the CLI', () => {
  const { base, change } = evilTree();
  let repo: ReturnType<typeof makeRepo>;
  beforeAll(() => {
    repo = makeRepo(base, change);
  });

  it('--format github: every line is one of our annotations, and the file text stays inside its properties and data', () => {
    const json = cli(repo.dir, ['--format', 'json', '--no-cache', '--base', repo.base]);
    const r = cli(repo.dir, ['--format', 'github', '--no-cache', '--base', repo.base]);
    expect(r.stderr).toBe('');
    const commands = runnerCommands(r.stdout);
    // Exactly one command per finding, and every stdout line is one (nothing else reaches the runner).
    expect(commands).toHaveLength(json.json!.diagnostics.length);
    expect(r.stdout.split(/\r\n|\r|\n/).filter(Boolean)).toHaveLength(commands.length);
    const parsed = commands.map(annotation);
    expect(parsed.every((a) => a !== null && (a.kind === 'error' || a.kind === 'warning'))).toBe(true);
    // The runner decodes each property and message back to exactly what the linter found.
    expect(parsed.map((a) => [a!.props.title, a!.props.file, Number(a!.props.line)])).toEqual(json.json!.diagnostics.map((d) => [d.rule, d.file, d.line]));
    expect(new Set(parsed.map((a) => a!.props.file))).toEqual(new Set(EVIL_NAMES.map((n) => `${VERSIONS}/${n}`)));
    const drop = parsed.find((a) => a!.message.startsWith('Drops table'))!;
    expect(drop.message.split('\nhelp: ')[0]).toBe("Drops table 'evil\r::error::from-cr%0A::error::from-percent' and every row in it");
  });

  it('the default (stylish) output run in CI prints no line the runner would read as a command', () => {
    const r = cli(repo.dir, ['--no-cache', '--base', repo.base]);
    expect(r.status).toBe(1);
    expect(runnerCommands(r.stdout)).toEqual([]);
    // Control characters are shown, not sent: the CR of the table name reads as \x0d.
    expect(r.stdout).toContain("Drops table 'evil\\x0d::error::from-cr%0A::error::from-percent' and every row in it");
    expect(r.stdout).toContain(`${VERSIONS}/c3d4e5f6a7b8_a\\x0d::error::cr-name.py:22:5`);
    expect(r.stdout).not.toMatch(/\x1b\]/);
  });

  it('the summary subcommand, text and markdown, prints no such line either', () => {
    for (const format of ['text', 'markdown']) {
      const r = cli(repo.dir, ['summary', '--format', format, '--base', repo.base]);
      expect([format, r.status]).toEqual([format, 0]);
      expect([format, runnerCommands(r.stdout)]).toEqual([format, []]);
    }
  });
});

describe('no repository code runs', () => {
  /** Python and JavaScript that would leave a marker file if anything imported or executed it. */
  function trap(marker: string): Record<string, string> {
    const py = `import pathlib\npathlib.Path(${JSON.stringify(marker)}).write_text('ran')\n`;
    return {
      'alembic/env.py': `${py}from alembic import context\n`,
      [`${VERSIONS}/f6a7b8c9d0e1_trap.py`]: `${py}${migration({ rev: 'f6a7b8c9d0e1', down: POWER.rev, message: 'add hero rank', upgrade: ["op.add_column('hero', sa.Column('rank', sa.Integer(), nullable=True))"] })}`,
      'models.py': py,
      'sitecustomize.py': py,
      'conftest.py': py,
      'setup.py': py,
    };
  }

  it('the CLI never imports Python from the repository, in any mode or subcommand', () => {
    const marker = path.join(tmpDir('marker'), 'ran');
    const { base } = evilTree();
    const repo = makeRepo(base, trap(marker));
    runGit(repo.dir, 'add', '-A');
    for (const args of [['--no-cache'], ['--staged'], ['--base', repo.base], ['--all'], ['--fix', '--no-cache'], ['summary', '--format', 'json']]) {
      const r = cli(repo.dir, args);
      expect([args.join(' '), r.stderr]).toEqual([args.join(' '), '']);
    }
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('the CLI executes a migration-lint.config.js, as ESLint runs its config (documented); --config with JSON never executes', () => {
    const marker = path.join(tmpDir('marker-js'), 'ran');
    const root = tmpDir('config-js');
    fs.cpSync(path.join(ROOT, 'fixtures/rules/empty-migration/good'), root, { recursive: true });
    fs.writeFileSync(path.join(root, 'migration-lint.config.js'), `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(marker)}, 'ran');\nexport default {};\n`);
    fs.writeFileSync(path.join(root, 'settings.json'), '{}\n');
    const json = cli(root, ['--config', 'settings.json', '--no-cache']);
    expect([json.status, fs.existsSync(marker)]).toEqual([0, false]);
    const js = cli(root, ['--no-cache']);
    expect([js.status, fs.existsSync(marker)]).toEqual([0, true]);
  });

  it.skipIf(!HAS_DIST)('the Action refuses a JS or TS config, found or named in `config`, without running it', SLOW, async () => {
    const marker = path.join(tmpDir('marker-action'), 'ran');
    const code = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = {};\n`;
    const { base } = evilTree();
    const api = new FakeApi();
    await api.start();
    try {
      for (const [file, input] of [
        ['tools/lint.config.cjs', 'tools/lint.config.cjs'],
        ['migration-lint.config.ts', ''],
        ['migration-lint.config.js', ''],
      ] as const) {
        const repo = makeRepo({ ...base, [file]: code }, trap(marker));
        const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { config: input, comment: 'false' } });
        expect(r.code).toBe(1);
        expect(runnerCommands(r.stdout).find((c) => c.startsWith('::error::'))).toBe(
          `::error::migration-lint: ${file} is code, and the GitHub Action never runs repository code: move the settings to migration-lint.config.json`,
        );
        expect(fs.existsSync(marker)).toBe(false);
      }
      // And with a JSON config, a whole run (lint, summary, annotations) imports nothing from the repository.
      const repo = makeRepo({ ...base, 'migration-lint.config.json': '{"checkDowngrade": true}\n' }, trap(marker));
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api });
      expect(r.code).toBe(0);
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      await api.stop();
    }
  });
});

describe('a cache committed by the pull request', () => {
  /** The CLI's own cache for the PR's head, with every finding erased, committed as a PR could commit it. */
  function poisoned(): ReturnType<typeof makeRepo> {
    const { base } = evilTree();
    const drop = { [`${VERSIONS}/c3d4e5f6a7b8_drop.py`]: migration({ rev: 'c3d4e5f6a7b8', down: POWER.rev, message: 'drop hero power', upgrade: ["op.drop_column('hero', 'power')"] }) };
    const repo = makeRepo(base, drop);
    // --base: the change is committed, so a plain run would count it as applied (SPEC "Scope") and not judge it.
    const warm = cli(repo.dir, ['--format', 'json', '--base', repo.base]);
    expect(warm.json!.diagnostics.some((d) => d.rule === 'destructive-operation')).toBe(true);
    const cacheDir = path.join(repo.dir, '.migration-lint-cache');
    const results = fs.readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.split(path.sep).includes('results'));
    expect(results.length).toBeGreaterThan(0);
    for (const rel of results) {
      const file = path.join(cacheDir, rel);
      if (!fs.statSync(file).isFile()) continue;
      fs.writeFileSync(file, JSON.stringify({ diagnostics: [], suppressed: [] }));
    }
    runGit(repo.dir, 'add', '-f', '.migration-lint-cache');
    runGit(repo.dir, 'commit', '-q', '-m', 'a cache that says all is well');
    return { ...repo, head: runGit(repo.dir, 'rev-parse', 'HEAD').trim() };
  }

  it('the CLI with --no-cache (what SECURITY.md asks of CI on untrusted pull requests) ignores it', () => {
    const repo = poisoned();
    const r = cli(repo.dir, ['--format', 'json', '--no-cache', '--base', repo.base]);
    expect(r.json!.diagnostics.filter((d) => d.rule === 'destructive-operation').map((d) => [d.file, d.line])).toEqual([[`${VERSIONS}/c3d4e5f6a7b8_drop.py`, 22]]);
  });

  it.skipIf(!HAS_DIST)('the Action never reads it: the finding is reported', SLOW, async () => {
    const repo = poisoned();
    const api = new FakeApi();
    await api.start();
    try {
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { annotations: 'commands', comment: 'false' } });
      expect(r.code).toBe(1);
      expect(runnerCommands(r.stdout).some((c) => c.startsWith(`::error title=destructive-operation,file=${VERSIONS}/c3d4e5f6a7b8_drop.py,line=22,`))).toBe(true);
    } finally {
      await api.stop();
    }
  });
});

describe.skipIf(!HAS_DIST)('the Action', () => {
  it('annotations carry the file text as data; the token is never printed; outputs cannot be forged', SLOW, async () => {
    const { base, change } = evilTree();
    const repo = makeRepo(base, change);
    const api = new FakeApi();
    await api.start();
    let r: ActionRun;
    try {
      r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api, inputs: { annotations: 'commands' } });
    } finally {
      await api.stop();
    }
    const commands = runnerCommands(r.stdout);
    const annotations = commands.map(annotation).filter((a) => a && a.props.title);
    expect(annotations).toHaveLength(Number(r.outputs.errors) + Number(r.outputs.warnings));
    expect(new Set(annotations.map((a) => a!.props.file))).toEqual(new Set(EVIL_NAMES.map((n) => `${VERSIONS}/${n}`)));
    // Besides annotations: the log group, and the failure. No set-output, add-mask or stop-commands of the file's.
    const others = commands.filter((c) => !annotation(c)?.props.title);
    expect(others.map((c) => c.replace(/^(::group::|::error::migration-lint: ).*$/, '$1…'))).toEqual(['::group::…', '::endgroup::', '::error::migration-lint: …']);
    expect(Object.keys(r.outputs).sort()).toEqual(['errors', 'sarif-file', 'warnings']);
    expect(r.summary).not.toMatch(/^(::|##\[)/m);
    // The token went only to the API.
    const sarif = fs.readFileSync(r.outputs['sarif-file']!, 'utf8');
    for (const text of [r.stdout, r.stderr, r.summary, sarif, JSON.stringify(r.outputs), ...api.comments.map((c) => c.body)]) expect(text).not.toContain(TOKEN);
    expect(api.requests.every((q) => q.authorization === `token ${TOKEN}`)).toBe(true);
  });
});

/**
 * A GitHub API that fails: every request gets `status` (with the headers GitHub sends for it). The REST
 * surface is the Action's own (check runs, issue comments); the OpenAPI conformance of the requests is
 * test/action's concern.
 */
class FailingApi {
  requests: { method: string; path: string; authorization?: string }[] = [];
  url = '';
  private server: http.Server | null = null;
  constructor(
    private readonly status: number,
    private readonly headers: Record<string, string> = {},
    private readonly message = 'failure',
  ) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.requests.push({ method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://x').pathname, authorization: req.headers.authorization });
        res.writeHead(this.status, { 'content-type': 'application/json; charset=utf-8', ...this.headers });
        res.end(JSON.stringify({ message: this.message, documentation_url: 'https://docs.github.com/rest' }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe.skipIf(!HAS_DIST)('GitHub API failures degrade to workflow-command annotations', () => {
  const now = Math.floor(Date.now() / 1000);
  const CASES: { name: string; status: number; headers?: Record<string, string>; message: string; log: RegExp }[] = [
    { name: '403 (read-only token)', status: 403, message: 'Resource not accessible by integration', log: /the token cannot create check runs \(HTTP 403: Resource not accessible by integration/ },
    { name: '404', status: 404, message: 'Not Found', log: /the token cannot create check runs \(HTTP 404: Not Found/ },
    { name: '422', status: 422, message: 'Validation Failed', log: /creating the check run failed \(HTTP 422: Validation Failed/ },
    { name: '500', status: 500, message: 'Internal Server Error', log: /creating the check run failed \(HTTP 500: Internal Server Error/ },
    { name: '502', status: 502, message: 'Bad Gateway', log: /creating the check run failed \(HTTP 502: Bad Gateway/ },
    {
      name: 'rate limit (403, remaining 0)',
      status: 403,
      headers: { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now + 3600) },
      message: 'API rate limit exceeded for installation ID 1.',
      log: /HTTP 403: API rate limit exceeded/,
    },
    { name: 'secondary rate limit (429, retry-after)', status: 429, headers: { 'retry-after': '3600' }, message: 'You have exceeded a secondary rate limit.', log: /creating the check run failed \(HTTP 429: You have exceeded a secondary rate limit/ },
  ];

  let repo: ReturnType<typeof makeRepo>;
  beforeAll(() => {
    const { base } = evilTree();
    repo = makeRepo(base, { [`${VERSIONS}/c3d4e5f6a7b8_drop.py`]: migration({ rev: 'c3d4e5f6a7b8', down: POWER.rev, message: 'drop hero power', upgrade: ["op.drop_column('hero', 'power')"] }) });
  });
  const servers: FailingApi[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  for (const c of CASES) {
    it(`${c.name}: annotations by command, a clear log line, the step fails on the finding, not on the API`, SLOW, async () => {
      const api = new FailingApi(c.status, c.headers, c.message);
      servers.push(api);
      await api.start();
      const started = Date.now();
      const r = await runAction({ workspace: repo.dir, event: 'pull_request', payload: pullRequestPayload(repo), api: api as unknown as FakeApi });
      // No retry loop waits out a retry-after of an hour: the fallback is immediate.
      expect(Date.now() - started).toBeLessThan(90_000);
      expect(api.requests.length).toBeLessThanOrEqual(3);
      const lines = r.stdout.split(/\r\n|\r|\n/);
      expect(lines.find((l) => l.startsWith('annotations: auto: '))).toMatch(c.log);
      expect(lines.find((l) => l.startsWith('annotations: auto: '))).toMatch(/; annotating with workflow commands instead$/);
      expect(lines.find((l) => l.startsWith('comment: not written: '))).toMatch(new RegExp(`HTTP ${c.status}`));
      const drop = runnerCommands(r.stdout).map(annotation).find((a) => a?.props.title === 'destructive-operation');
      expect(drop).toMatchObject({ kind: 'error', props: { file: `${VERSIONS}/c3d4e5f6a7b8_drop.py`, line: '22', col: '5' } });
      expect(drop!.message).toMatch(/^Drops column 'power' of table 'hero' and all its values\nhelp: /);
      // Failed by the finding (fail-on: error), with the Action's own line; no crash, no stack, no token.
      expect(r.code).toBe(1);
      expect(runnerCommands(r.stdout).filter((x) => x.startsWith('::error::'))).toEqual([expect.stringMatching(/^::error::migration-lint: 1 error(, \d+ warnings?)? \(fail-on: error\)$/)]);
      expect(r.stderr).not.toMatch(/Unhandled|\bat .+:\d+:\d+|TypeError|RangeError/);
      for (const text of [r.stdout, r.stderr, r.summary]) expect(text).not.toContain(TOKEN);
      expect(r.summary).toContain('destructive-operation');
    });
  }
});
