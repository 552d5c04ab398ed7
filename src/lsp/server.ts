/**
 * `migration-lint lsp`: a language server over stdio. It publishes the CLI's findings for the open migrations,
 * env.py and script.py.mako as they are edited (debounced), each open buffer linted in the context of the rest
 * of its environment on disk and of the git baseline; offers the fixes as quick fixes; and shows a rule's
 * documentation (`--explain`) when hovering over its finding.
 *
 * Positions: ours are 1-based lines and code-point columns after a BOM is removed; the protocol's are 0-based
 * with `character` in UTF-16 code units of the text the client holds (which may keep the BOM). They are
 * converted on the buffer's own lines (reporters/positions.ts).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic as LspDiagnostic, InitializeParams, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { docsPagePath } from '../cli/explain.js';
import { loadConfig } from '../config/load.js';
import { discover } from '../discover/environments.js';
import { envPyPath } from '../engine/load.js';
import { lintAsync } from '../engine/lint.js';
import { MigrationLintError } from '../errors.js';
import { prepareGitMode } from '../git/mode.js';
import { readText } from '../io/files.js';
import { workTree } from '../io/source.js';
import type { Diagnostic, DiagnosticFix } from '../model/diagnostic.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import type { SourceProvider } from '../model/source.js';
import { SourceLines } from '../reporters/positions.js';
import { rules } from '../rules/index.js';
import { DOCS_BASE } from '../version.js';

/** Quiet time after the last keystroke before a lint: typing never waits for one. */
const DEBOUNCE_MS = 250;

/** What a published diagnostic carries back to us in code action requests. */
interface FindingData {
  rule: string;
  /** The document version the finding (and its fix) was computed on. */
  version: number;
  fix?: DiagnosticFix;
}

/** The open buffers over the work tree: the engine reads them instead of the disk, and sees new unsaved files. */
class BufferSource implements SourceProvider {
  readonly writable = false;

  constructor(private readonly buffers: Map<string, string>) {}

  files(env: DiscoveredEnvironment): string[] {
    const onDisk = workTree.files(env);
    const known = new Set(onDisk);
    const extra = [...this.buffers.keys()].filter((abs) => !known.has(abs) && isMigrationPath(env, abs));
    return [...onDisk, ...extra.sort()];
  }

  read(abs: string): Uint8Array {
    const text = this.buffers.get(abs);
    return text === undefined ? workTree.read(abs) : Buffer.from(text, 'utf8');
  }

  readText(abs: string): string | null {
    const text = this.buffers.get(abs);
    return text === undefined ? workTree.readText(abs) : text.replace(/^\uFEFF/, '');
  }
}

/** A `*.py` that Alembic would load from one of the environment's versions folders. */
function isMigrationPath(env: DiscoveredEnvironment, abs: string): boolean {
  if (!abs.endsWith('.py') || path.basename(abs) === '__init__.py') return false;
  return env.versionDirs.some((dir) => {
    const rel = path.relative(dir, abs);
    return !rel.startsWith('..') && !path.isAbsolute(rel) && (env.recursive || !rel.includes(path.sep));
  });
}

function belongsTo(env: DiscoveredEnvironment, abs: string): boolean {
  return env.files.includes(abs) || isMigrationPath(env, abs) || env.templatePath === abs || envPyPath(env) === abs;
}

function uriToPath(uri: string): string | null {
  try {
    return uri.startsWith('file:') ? path.resolve(fileURLToPath(uri)) : null;
  } catch {
    return null;
  }
}

/** Our 1-based code-point position → the protocol's, on the client's text (BOM kept, if the client keeps it). */
export function toLsp(lines: SourceLines, bom: boolean, line: number, column: number) {
  return { line: line - 1, character: lines.utf16Character(line, column) + (bom && line === 1 ? 1 : 0) };
}

export async function runLanguageServer(opts: { cwd: string; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream }): Promise<number> {
  // Imported here, not at the top: in the bundled bin (lib/cli.js) a static import of an external package would
  // be hoisted and loaded by every command.
  const { CodeActionKind, createConnection, DiagnosticSeverity, MarkupKind, ProposedFeatures, StreamMessageReader, StreamMessageWriter, TextDocuments, TextDocumentSyncKind } =
    await import('vscode-languageserver/node');
  const textDocument = await import('vscode-languageserver-textdocument');
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(opts.input ?? process.stdin), new StreamMessageWriter(opts.output ?? process.stdout));
  const documents = new TextDocuments(textDocument.TextDocument);
  let roots: string[] = [opts.cwd];
  let documentChanges = false;
  /** What was last published per URI, for hover. */
  const published = new Map<string, LspDiagnostic[]>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  connection.onInitialize((params: InitializeParams) => {
    const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== null);
    const root = params.rootUri ? uriToPath(params.rootUri) : (params.rootPath ?? null);
    if (folders.length) roots = folders;
    else if (root) roots = [path.resolve(root)];
    documentChanges = params.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
      },
      serverInfo: { name: 'migration-lint' },
    };
  });

  /** The workspace folder a file lies in (the innermost), else the first. */
  const rootOf = (abs: string) =>
    roots.filter((r) => abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep)).sort((a, b) => b.length - a.length)[0] ?? roots[0]!;

  const schedule = (uri: string, delay: number) => {
    pending.add(uri);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const uris = [...pending];
      pending.clear();
      running = running.then(() => lintRoots(uris)).catch((err: unknown) => connection.console.error(`migration-lint: ${(err as Error).stack ?? String(err)}`));
    }, delay);
  };

  /** Lints every environment that holds one of `uris`, and publishes for every open document of those environments. */
  async function lintRoots(uris: string[]): Promise<void> {
    const byRoot = new Map<string, string[]>();
    for (const uri of uris) {
      const abs = uriToPath(uri);
      if (!abs) continue;
      const root = rootOf(abs);
      byRoot.set(root, [...(byRoot.get(root) ?? []), abs]);
    }
    for (const [root, paths] of byRoot) await lintRoot(root, paths);
  }

  async function lintRoot(root: string, changed: string[]): Promise<void> {
    const open = new Map<string, TextDocument>();
    for (const doc of documents.all()) {
      const abs = uriToPath(doc.uri);
      if (abs && rootOf(abs) === root) open.set(abs, doc);
    }
    const buffers = new Map([...open].map(([abs, doc]) => [abs, doc.getText()]));
    const versions = new Map([...open].map(([abs, doc]) => [abs, doc.version]));
    let results: Diagnostic[];
    let envs: DiscoveredEnvironment[];
    try {
      const config = await loadConfig(root, null, new Set(rules.map((r) => r.meta.id)));
      const git = await prepareGitMode({ cwd: root, staged: false, base: null, all: false, configBaseline: config.baseline });
      const source = new BufferSource(buffers);
      const found = discover(root, [], config.versions);
      envs = found.environments.filter((env) => [...open.keys(), ...changed].some((abs) => belongsTo(env, abs)));
      // Another Python file (a models module) may be what some rule reads: every environment is linted then.
      if (changed.some((abs) => abs.endsWith('.py') && !found.environments.some((env) => belongsTo(env, abs)))) envs = found.environments;
      if (!envs.length) {
        for (const abs of changed) publish(abs, [], versions.get(abs) ?? 0, buffers.get(abs) ?? '');
        return;
      }
      const result = await lintAsync({ cwd: root, environments: envs, config, source, history: git.history(envs), targets: null });
      results = result.diagnostics;
    } catch (err) {
      // A broken config or repository is the user's to fix: say so once, keep serving.
      if (err instanceof MigrationLintError) {
        connection.window.showWarningMessage(`migration-lint: ${err.message}`);
        return;
      }
      throw err;
    }
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of results) {
      const abs = path.resolve(root, d.file);
      byFile.set(abs, [...(byFile.get(abs) ?? []), d]);
    }
    for (const [abs, doc] of open) {
      // Findings on any open file are published (a model file, once rules read models); files of no linted
      // environment keep what they had unless they had findings, which this run would have repeated.
      const mine = byFile.get(abs) ?? [];
      if (!mine.length && !envs.some((env) => belongsTo(env, abs)) && !published.get(doc.uri)?.length) continue;
      publish(abs, mine, doc.version, buffers.get(abs)!);
    }
  }

  function publish(abs: string, found: Diagnostic[], version: number, text: string): void {
    const uri = pathToFileURL(abs).href;
    const uriOfDoc = documents.all().find((d) => uriToPath(d.uri) === abs)?.uri ?? uri;
    const bom = text.startsWith('\uFEFF');
    const lines = new SourceLines(bom ? text.slice(1) : text);
    const diagnostics = found.map((d): LspDiagnostic => {
      const data: FindingData = { rule: d.rule, version, ...(d.fix ? { fix: d.fix } : {}) };
      return {
        range: { start: toLsp(lines, bom, d.line, d.column), end: toLsp(lines, bom, d.endLine, d.endColumn) },
        severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        code: d.rule,
        codeDescription: { href: `${DOCS_BASE}/${d.rule}.md` },
        source: 'migration-lint',
        message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
        data,
      };
    });
    published.set(uriOfDoc, diagnostics);
    void connection.sendDiagnostics({ uri: uriOfDoc, version, diagnostics });
  }

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => schedule(e.document.uri, DEBOUNCE_MS));
  documents.onDidSave((e) => schedule(e.document.uri, 0));
  documents.onDidClose((e) => {
    published.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    // Others may have findings that depended on the buffer (a second head that was never saved).
    schedule(e.document.uri, DEBOUNCE_MS);
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      const data = d.data as FindingData | undefined;
      if (d.source !== 'migration-lint' || !data?.fix) continue;
      // Without versioned edits a fix for an older text could land in the wrong place: offer none then.
      if (!documentChanges && data.version !== doc.version) continue;
      const text = doc.getText();
      const bom = text.startsWith('\uFEFF');
      const lines = new SourceLines(bom ? text.slice(1) : text);
      const edits: LspTextEdit[] = data.fix.edits.map((e) => ({
        range: { start: toLsp(lines, bom, e.line, e.column), end: toLsp(lines, bom, e.endLine, e.endColumn) },
        newText: e.text,
      }));
      const edit: WorkspaceEdit = documentChanges
        ? { documentChanges: [{ textDocument: { uri: doc.uri, version: data.version }, edits }] }
        : { changes: { [doc.uri]: edits } };
      actions.push({ title: `${data.fix.description} (migration-lint)`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit });
    }
    return actions;
  });

  connection.onHover((params) => {
    const { line, character } = params.position;
    const here = (published.get(params.textDocument.uri) ?? []).filter((d) => {
      const { start, end } = d.range;
      const after = line > start.line || (line === start.line && character >= start.character);
      const before = line < end.line || (line === end.line && character <= end.character);
      return after && before;
    });
    // The narrowest finding first: the one the pointer is most likely on.
    const size = (d: LspDiagnostic) => [d.range.end.line - d.range.start.line, d.range.end.character - d.range.start.character];
    here.sort((a, b) => size(a)[0]! - size(b)[0]! || size(a)[1]! - size(b)[1]!);
    const ids = [...new Set(here.map((d) => String(d.code)))];
    if (!ids.length) return null;
    const pages = ids.map((id) => readText(docsPagePath(id)) ?? `${id}: ${DOCS_BASE}/${id}.md`);
    return { contents: { kind: MarkupKind.Markdown, value: pages.join('\n\n---\n\n') } };
  });

  const exited = new Promise<number>((resolve) => {
    let shutdown = false;
    connection.onShutdown(() => {
      shutdown = true;
    });
    connection.onExit(() => resolve(shutdown ? 0 : 1));
  });
  documents.listen(connection);
  connection.listen();
  return exited;
}
