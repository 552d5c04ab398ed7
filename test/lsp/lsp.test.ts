/**
 * `migration-lint lsp` end to end: the built bin spawned as an editor spawns it, driven over stdio by a real
 * protocol client (vscode-languageserver-protocol's node connection). It opens a bad migration that exists
 * only in the editor's buffer (the file on disk is fine), receives the diagnostics at exact UTF-16 positions
 * (a non-BMP character before the finding, CRLF line ends), hovers for the rule's docs, asks for the quick fix,
 * applies its WorkspaceEdit with the protocol's own text-document implementation, sends the change and sees
 * the finding go.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT, migration, SQLMODEL_TEMPLATE, writeProject } from '../rules/helpers.js';

const CLI = path.join(ROOT, 'lib', 'cli.js');

const BASE = migration({ revision: 'a1b2c3d4e5f6', message: 'add hero table', upgrade: "    op.create_table('hero', sa.Column('id', sa.Integer(), nullable=False))\n" });
const NEW_LINE = "    op.add_column('hero', sa.Column('𝒳_name', sqlmodel.sql.sqltypes.AutoString(), nullable=True))";
// Fine on disk; the editor's buffer drops `import sqlmodel` and uses it, with CRLF line ends.
const ON_DISK = migration({ revision: 'b2c3d4e5f6a7', down: 'a1b2c3d4e5f6', message: 'add hero name', upgrade: `${NEW_LINE}\n` });
const BUFFER = migration({ revision: 'b2c3d4e5f6a7', down: 'a1b2c3d4e5f6', message: 'add hero name', upgrade: `${NEW_LINE}\n`, sqlmodel: false }).replace(/\n/g, '\r\n');

let dir: string;
let child: ChildProcess;
let conn: ProtocolConnection;
const received: PublishDiagnosticsParams[] = [];
const waiters: { test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
let stderr = '';

function nextDiagnostics(uri: string, test: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} (got ${JSON.stringify(received.map((r) => r.uri))}; stderr: ${stderr})`)), 20_000);
    waiters.push({
      test: (p) => p.uri === uri && test(p),
      resolve: (p) => {
        clearTimeout(timer);
        resolve(p);
      },
    });
  });
}

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error('lib/cli.js is missing: run `npm run build` first');
  dir = writeProject({ versions: { 'a1b2c3d4e5f6_add_hero_table.py': BASE, 'b2c3d4e5f6a7_add_hero_name.py': ON_DISK }, template: SQLMODEL_TEMPLATE });
  child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    received.push(p);
    const i = waiters.findIndex((w) => w.test(p));
    if (i !== -1) waiters.splice(i, 1)[0]!.resolve(p);
  });
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'project' }],
    capabilities: {
      workspace: { workspaceEdit: { documentChanges: true } },
      textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
    },
  });
  expect(init.capabilities).toMatchObject({ hoverProvider: true, codeActionProvider: { codeActionKinds: ['quickfix'] } });
  await conn.sendNotification(InitializedNotification.type, {});
}, 60_000);

afterAll(async () => {
  if (conn) {
    await conn.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await conn.sendNotification(ExitNotification.type).catch(() => undefined);
  }
  await new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    const t = setTimeout(() => {
      child.kill();
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
  conn?.dispose();
});

describe('migration-lint lsp', () => {
  const file = () => path.join(dir, 'alembic', 'versions', 'b2c3d4e5f6a7_add_hero_name.py');
  const uri = () => pathToFileURL(file()).href;
  let doc: TextDocument;
  let finding: Diagnostic;

  it('publishes the findings of the open buffer (not of the file on disk) at UTF-16 positions', async () => {
    const published = nextDiagnostics(uri());
    doc = TextDocument.create(uri(), 'python', 1, BUFFER);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(), languageId: 'python', version: 1, text: BUFFER } });
    const p = await published;
    expect(p.version).toBe(1);
    const missing = p.diagnostics.filter((d) => d.code === 'missing-sqlmodel-import');
    expect(missing).toHaveLength(1);
    finding = missing[0]!;
    // Independently of the server's arithmetic: JavaScript strings index in UTF-16 units, as the protocol does.
    const lines = BUFFER.split('\r\n');
    const line = lines.findIndex((l) => l === NEW_LINE);
    const character = NEW_LINE.indexOf('sqlmodel.');
    expect(finding.range).toEqual({ start: { line, character }, end: { line, character: character + 'sqlmodel'.length } });
    expect(finding).toMatchObject({ severity: 1, source: 'migration-lint', codeDescription: { href: expect.stringMatching(/\/docs\/rules\/missing-sqlmodel-import\.md$/) } });
    expect(finding.message).toMatch(/`sqlmodel` is used here but never imported/);
    // The same file on disk imports sqlmodel: what was linted is the buffer.
    expect(fs.readFileSync(file(), 'utf8')).toContain('import sqlmodel\n');
  });

  it('hovering over the finding shows the rule documentation (--explain)', async () => {
    const hover = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri() }, position: { line: finding.range.start.line, character: finding.range.start.character + 2 } });
    // The narrowest finding's page first; the add_column call under the pointer also has missing-lock-timeout.
    expect(hover?.contents).toMatchObject({ kind: 'markdown', value: expect.stringMatching(/^# missing-sqlmodel-import\n[\s\S]*\n---\n\n# missing-lock-timeout\n/) });
    const elsewhere = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri() }, position: { line: 0, character: 0 } });
    expect(elsewhere).toBeNull();
  });

  it('offers the fix as a quick fix; applied and sent back, the finding clears', async () => {
    const actions = (await conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uri() },
      range: finding.range,
      context: { diagnostics: [finding], only: ['quickfix'] },
    })) as CodeAction[];
    expect(actions).toHaveLength(1);
    const action = actions[0]!;
    expect(action).toMatchObject({ kind: 'quickfix', isPreferred: true, title: expect.stringContaining('import sqlmodel') });
    const change = action.edit!.documentChanges![0] as TextDocumentEdit;
    expect(change.textDocument).toEqual({ uri: uri(), version: 1 });
    for (const e of change.edits) expect(e).toHaveProperty('newText');
    const fixed = TextDocument.applyEdits(doc, change.edits as TextEdit[]);
    expect(fixed).toContain('import sqlalchemy as sa\r\nimport sqlmodel\r\n');
    const cleared = nextDiagnostics(uri(), (p) => p.version === 2);
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(), version: 2 }, contentChanges: [{ text: fixed }] });
    const p = await cleared;
    expect(p.diagnostics.filter((d) => d.code === 'missing-sqlmodel-import')).toEqual([]);
  });

  it('a quick fix computed on an older version is refused by its version, not applied blindly', async () => {
    // Break it again through an incremental edit (delete the inserted line), then ask with the stale finding.
    const broken = nextDiagnostics(uri(), (p) => p.version === 3);
    const lines = BUFFER.split('\r\n');
    const at = lines.indexOf('import sqlalchemy as sa') + 1;
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri(), version: 3 },
      contentChanges: [{ range: { start: { line: at, character: 0 }, end: { line: at + 1, character: 0 } }, text: '' }],
    });
    const p = await broken;
    const again = p.diagnostics.find((d) => d.code === 'missing-sqlmodel-import');
    expect(again?.range).toEqual(finding.range);
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri() }, range: finding.range, context: { diagnostics: [finding] } })) as CodeAction[];
    // The old finding's fix names version 1: a client applying it checks the version and refuses.
    expect((actions[0]!.edit!.documentChanges![0] as TextDocumentEdit).textDocument.version).toBe(1);
  });

  it('the bin loads the protocol library only for `lsp`: no static import of it in lib/cli.js', () => {
    // esbuild hoists a static import of an external package to the bundle's top, where every command would pay for it.
    const bundle = fs.readFileSync(CLI, 'utf8');
    expect(bundle).toMatch(/await import\("vscode-languageserver\/node"\)/);
    expect(bundle).not.toMatch(/^import [^;]*from "vscode-languageserver/m);
  });

  it('env.py is served too, and closing a document clears its diagnostics', async () => {
    const envPy = pathToFileURL(path.join(dir, 'alembic', 'env.py')).href;
    const served = nextDiagnostics(envPy);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: envPy, languageId: 'python', version: 1, text: 'from alembic import context\n' } });
    expect((await served).diagnostics).toEqual([]);
    const closed = nextDiagnostics(uri(), (p) => p.diagnostics.length === 0);
    await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uri() } });
    await closed;
  });
});
