/**
 * Runs the bundled Action (dist/index.js) the way a runner does: a child process with the runner's
 * environment (GITHUB_EVENT_PATH with a real webhook payload, INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
 * GITHUB_WORKSPACE a real git repository), against a loopback HTTP server standing in for the REST API that
 * checks every request against GitHub's published OpenAPI description.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------------------
// Webhook payloads and the OpenAPI description, both from GitHub's own published packages.

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}

let examples: WebhookExamples[] | null = null;

/** A real payload of `event` (with `action`, when given), deep-copied so a test may change it. */
export function webhookPayload(event: string, action?: string): Record<string, any> {
  examples ??= require('@octokit/webhooks-examples/api.github.com/index.json') as WebhookExamples[];
  const group = examples.find((e) => e.name === event);
  const found = group?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no ${event}${action ? `.${action}` : ''} example in @octokit/webhooks-examples`);
  return structuredClone(found) as Record<string, any>;
}

interface OpenApiOperation {
  operationId: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}

interface Spec {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

let spec: { doc: Spec; routes: { method: string; template: string; re: RegExp; op: OpenApiOperation }[]; ajv: Ajv } | null = null;

function loadSpec() {
  if (spec) return spec;
  const file = path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Spec;
  const routes = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, op] of Object.entries(methods)) {
      if (typeof op === 'object' && op && 'operationId' in op) routes.push({ method: method.toUpperCase(), template, re, op });
    }
  }
  // OpenAPI 3.0 schemas: `nullable` is understood, its other keywords (example, x-github) are not ours to check.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(doc as object, 'gh');
  spec = { doc, routes, ajv };
  return spec;
}

const validators = new Map<string, ValidateFunction>();

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The request against the description: a documented method and path, and a body its schema accepts. */
export function checkRequest(method: string, urlPath: string, body: unknown): { operationId: string | null; problems: string[] } {
  const { routes, ajv } = loadSpec();
  const route = routes.find((r) => r.method === method && r.re.test(urlPath));
  if (!route) return { operationId: null, problems: [`${method} ${urlPath} is not in GitHub's REST API`] };
  const problems: string[] = [];
  const content = route.op.requestBody?.content?.['application/json'];
  if (content?.schema) {
    if (body === undefined) {
      if (route.op.requestBody?.required) problems.push(`${route.op.operationId}: the body is required`);
    } else {
      const key = `${route.template} ${route.method}`;
      let validate = validators.get(key);
      if (!validate) {
        const ref = `gh#/paths/${escapePointer(route.template)}/${route.method.toLowerCase()}/requestBody/content/application~1json/schema`;
        const compiled = ajv.getSchema(ref);
        if (!compiled) throw new Error(`no schema at ${ref}`);
        validate = compiled;
        validators.set(key, compiled);
      }
      if (!validate(body)) problems.push(...(validate.errors ?? []).map((e) => `${route.op.operationId}: body${e.instancePath} ${e.message}`));
    }
  }
  return { operationId: route.op.operationId, problems };
}

// ---------------------------------------------------------------------------------------------------------
// The loopback API.

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  operationId: string | null;
  body: any;
  authorization: string | undefined;
}

export type Handler = (req: ApiRequest, api: FakeApi) => { status: number; body?: unknown };

export interface Comment {
  id: number;
  body: string;
}

export class FakeApi {
  requests: ApiRequest[] = [];
  problems: string[] = [];
  comments: Comment[] = [];
  checkRuns = new Map<number, { name: string; head_sha: string; status?: string; conclusion?: string; annotations: any[]; outputs: any[] }>();
  overrides = new Map<string, Handler>();
  private server: http.Server | null = null;
  private nextId = 1000;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        let body: unknown;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          this.problems.push(`${req.method} ${url.pathname}: the body is not JSON`);
        }
        const check = checkRequest(req.method ?? 'GET', url.pathname, body);
        this.problems.push(...check.problems);
        const request: ApiRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, operationId: check.operationId, body, authorization: req.headers.authorization };
        this.requests.push(request);
        const handler = (check.operationId && this.overrides.get(check.operationId)) || (check.operationId && DEFAULTS[check.operationId]);
        const out = handler ? handler(request, this) : { status: 404, body: { message: 'Not Found' } };
        res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(out.body === undefined ? '' : JSON.stringify(out.body));
      });
    });
    // Clients reuse connections; a server closing an idle one as a request arrives fails that request.
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 121_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${addr.port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  id(): number {
    return this.nextId++;
  }

  calls(operationId: string): ApiRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }
}

const DEFAULTS: Record<string, Handler> = {
  'checks/create': (req, api) => {
    const id = api.id();
    api.checkRuns.set(id, { name: req.body.name, head_sha: req.body.head_sha, status: req.body.status, annotations: [], outputs: [] });
    return { status: 201, body: { id, name: req.body.name, head_sha: req.body.head_sha, status: req.body.status ?? 'queued', html_url: `https://github.com/o/r/runs/${id}` } };
  },
  'checks/update': (req, api) => {
    const id = Number(req.path.split('/').pop());
    const run = api.checkRuns.get(id);
    if (!run) return { status: 404, body: { message: 'Not Found' } };
    if (req.body.status) run.status = req.body.status;
    if (req.body.conclusion) run.conclusion = req.body.conclusion;
    if (req.body.output) {
      run.outputs.push(req.body.output);
      run.annotations.push(...(req.body.output.annotations ?? []));
    }
    return { status: 200, body: { id, status: run.status, conclusion: run.conclusion ?? null } };
  },
  'issues/list-comments': (req, api) => {
    const perPage = Number(req.query.get('per_page') ?? 30);
    const page = Number(req.query.get('page') ?? 1);
    return { status: 200, body: api.comments.slice((page - 1) * perPage, page * perPage).map((c) => ({ id: c.id, body: c.body, user: { login: 'github-actions[bot]', type: 'Bot' } })) };
  },
  'issues/create-comment': (req, api) => {
    const c = { id: api.id(), body: req.body.body as string };
    api.comments.push(c);
    return { status: 201, body: c };
  },
  'issues/update-comment': (req, api) => {
    const id = Number(req.path.split('/').pop());
    const c = api.comments.find((x) => x.id === id);
    if (!c) return { status: 404, body: { message: 'Not Found' } };
    c.body = req.body.body;
    return { status: 200, body: c };
  },
};

export const forbidden: Handler = () => ({
  status: 403,
  body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' },
});

// ---------------------------------------------------------------------------------------------------------
// Workspaces: real git repositories made from file trees.

let tempRoot: string | null = null;
export function tempDir(prefix: string): string {
  if (!tempRoot) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-action-'));
    tempRoot = root;
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(tempRoot, `${prefix}-`));
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

export type Tree = Record<string, string>;

/** Every file of a folder, by relative path. */
export function treeOf(dir: string, under = ''): Tree {
  const out: Tree = {};
  for (const e of fs.readdirSync(path.join(dir, under), { withFileTypes: true })) {
    const rel = under ? `${under}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, treeOf(dir, rel));
    else out[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  }
  return out;
}

function writeTree(dir: string, tree: Tree): void {
  for (const [rel, text] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

export interface Repo {
  dir: string;
  base: string;
  head: string;
}

/** A repository whose first commit is `base` and second adds `change` (a null value deletes the file). */
export function makeRepo(base: Tree, change: Record<string, string | null>): Repo {
  const dir = tempDir('repo');
  git(dir, 'init', '-q', '-b', 'main');
  writeTree(dir, base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  for (const [rel, text] of Object.entries(change)) {
    if (text === null) fs.rmSync(path.join(dir, rel));
    else writeTree(dir, { [rel]: text });
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'change');
  return { dir, base: baseSha, head: git(dir, 'rev-parse', 'HEAD') };
}

/** A depth-1 clone of `repo` (as actions/checkout makes by default), with `origin` pointing at it. */
export function shallowClone(repo: Repo): string {
  const dir = tempDir('shallow');
  fs.rmSync(dir, { recursive: true });
  git(repo.dir, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  git(os.tmpdir(), 'clone', '-q', '--depth=1', '--no-local', `file://${repo.dir}`, dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------------------
// The run.

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Workflow commands as the runner would read them: every stdout line starting with `::`, outside stop-commands. */
  commands: string[];
}

export interface RunOptions {
  workspace: string;
  event: string;
  payload: Record<string, unknown>;
  api: FakeApi;
  inputs?: Record<string, string>;
  sha?: string;
  token?: string;
}

export const TOKEN = 'ghs_loopbackTestToken0123456789abcdefABCDEF';

/** GitHub's runner: the command parser, with `::stop-commands::<token>` honoured, as the runner honours it. */
export function workflowCommands(stdout: string): string[] {
  const out: string[] = [];
  let stopToken: string | null = null;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (stopToken !== null) {
      if (line === `::${stopToken}::`) stopToken = null;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) {
      stopToken = stop[1]!;
      continue;
    }
    if (line.startsWith('::') || line.startsWith('##[')) out.push(line);
  }
  return out;
}

function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
      out[m[1]!] = value.join('\n');
    } else if (lines[i]!.includes('=')) {
      const [k, ...v] = lines[i]!.split('=');
      out[k!] = v.join('=');
    }
  }
  return out;
}

export async function runAction(opts: RunOptions): Promise<ActionRun> {
  const tmp = tempDir('runner');
  const eventPath = path.join(tmp, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify(opts.payload));
  const outputFile = path.join(tmp, 'output');
  const summaryFile = path.join(tmp, 'summary');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  const repoName = (opts.payload.repository as { full_name?: string } | undefined)?.full_name ?? 'octo/repo';
  const inputs: Record<string, string> = {
    path: '',
    base: '',
    config: '',
    'fail-on': 'error',
    'github-token': opts.token ?? TOKEN,
    annotations: 'auto',
    comment: 'true',
    ...opts.inputs,
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmp,
    ...GIT_ENV,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_REPOSITORY: repoName,
    GITHUB_SHA: opts.sha ?? git(opts.workspace, 'rev-parse', 'HEAD'),
    GITHUB_REF: 'refs/pull/2/merge',
    GITHUB_API_URL: opts.api.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: `${opts.api.url}/graphql`,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: tmp,
    // The loopback API must be reached directly whatever proxy the machine has.
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'dist', 'index.js')], { cwd: opts.workspace, env, maxBuffer: 64 * 1024 * 1024, timeout: 100_000 }, (err, out, errOut) => {
      const c = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code: c, stdout: String(out), stderr: String(errOut) });
    });
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    commands: workflowCommands(stdout),
  };
}

/** A pull_request payload from @octokit/webhooks-examples, pointed at the commits of `repo`. */
export function pullRequestPayload(repo: { base: string; head: string }): Record<string, any> {
  const payload = webhookPayload('pull_request', 'opened');
  payload.pull_request.base.sha = repo.base;
  payload.pull_request.head.sha = repo.head;
  return payload;
}
