/**
 * Facts → the summary: one entry per reported migration with its revision variables as read statically and
 * its operations in source order, and each environment's heads over the whole graph.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { Config } from '../config/load.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import { destructiveCalls } from '../facts/destructive.js';
import { parseFileName } from '../facts/filename.js';
import { buildGraph, isMerge, mayBeLeftOut, type RevisionGraph } from '../facts/graph.js';
import { lockOf } from '../facts/locks.js';
import type { Operation } from '../model/facts.js';
import { loadMigration } from '../facts/migration.js';
import { relPath } from '../io/paths.js';
import type { SourceProvider } from '../model/source.js';
import { LineIndex } from '../parse/source.js';
import type { MigrationFile } from '../model/migration.js';
import { databaseView } from '../facts/database.js';
import type { DatabaseRecord } from '../model/database.js';
import { describeOperation, describeSqlCall } from './describe.js';
import type { EnvironmentView, MigrationJson, RevisionNodeView, MigrationView, OpJson, OpView, SummaryJson, SummaryView } from './types.js';

export interface SummaryEnvironment {
  /** Version folders, relative to the working directory. */
  versions: string[];
  /** Every migration of the environment: heads describe the whole graph whatever is reported. */
  files: MigrationFile[];
  fileTemplate: string | null;
}

export interface SummaryInput {
  environments: SummaryEnvironment[];
  /** Relative paths to list; null lists every migration. */
  targets: Set<string> | null;
  /** Config `dialect`: the locks given are PostgreSQL's, and null for any other database. */
  dialect?: string;
  /** `alembic_version` as `--database-url` read it: each environment lists what is pending. */
  database?: DatabaseRecord | null;
}

/** Reads an environment's migrations through the run's source (work tree, index or a commit), as the engine does. */
export function loadEnvironment(cwd: string, env: DiscoveredEnvironment, source: SourceProvider, config: Pick<Config, 'ignore' | 'dir'>): SummaryEnvironment {
  const ignore = config.ignore.length ? picomatch(config.ignore, { dot: true }) : null;
  const files: MigrationFile[] = [];
  for (const abs of source.files(env)) {
    const rel = relPath(cwd, abs);
    if (ignore && (ignore(rel) || ignore(relPath(config.dir, abs)))) continue;
    files.push(loadMigration(rel, source.read(abs)).file);
  }
  return { versions: env.versionDirs.map((d) => relPath(cwd, d)), files, fileTemplate: env.fileTemplate };
}

/** Absolute target paths (as git modes give them) → the relative paths the summary lists. */
export function relativeTargets(cwd: string, targets: Set<string> | null): Set<string> | null {
  return targets === null ? null : new Set([...targets].map((t) => relPath(cwd, path.resolve(t))));
}

export function buildSummary(input: SummaryInput): SummaryView {
  const environments: EnvironmentView[] = [];
  const migrations: MigrationView[] = [];
  for (const env of input.environments) {
    const graph = buildGraph(env.files);
    const ordered = historyOrder(env.files);
    const view: EnvironmentView = {
      versions: env.versions,
      heads: [...graph.heads].sort(),
      unresolved: graph.unresolved.length,
      graph: graphView(graph, ordered, env.fileTemplate, input.targets),
    };
    if (input.database) {
      const others = input.environments.filter((o) => o !== env);
      const defined = (rev: string) => others.some((o) => o.files.some((f) => f.facts.revision.values?.includes(rev)));
      const db = databaseView(input.database.shownUrl, input.database.recorded, env.files, defined);
      view.database = { url: db.shownUrl, recorded: db.recorded, pending: db.pending, missing: db.missing };
    }
    environments.push(view);
    for (const file of ordered) {
      if (input.targets && !input.targets.has(file.path)) continue;
      migrations.push(migrationView(file, env.fileTemplate, (input.dialect ?? 'postgresql').toLowerCase() === 'postgresql'));
    }
  }
  return { environments, migrations };
}

/**
 * Oldest first, as a reviewer reads a change: parents before children (ties by path), then the files the
 * graph leaves out (unreadable revision variables, duplicates) by path.
 */
function historyOrder(files: MigrationFile[]): MigrationFile[] {
  const graph = buildGraph(files);
  const byPath = (a: MigrationFile, b: MigrationFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const children = new Map<string, string[]>();
  const pending = new Map<string, number>();
  for (const n of graph.nodes.values()) {
    const parents = n.downs.filter((d) => graph.nodes.has(d) && d !== n.revision);
    pending.set(n.revision, new Set(parents).size);
    for (const p of new Set(parents)) children.set(p, [...(children.get(p) ?? []), n.revision]);
  }
  const ready = [...graph.nodes.values()].filter((n) => pending.get(n.revision) === 0).map((n) => n.file);
  const out: MigrationFile[] = [];
  const placed = new Set<MigrationFile>();
  while (ready.length) {
    ready.sort(byPath);
    const file = ready.shift()!;
    out.push(file);
    placed.add(file);
    const rev = file.facts.revision.values![0]!;
    for (const c of children.get(rev) ?? []) {
      const left = pending.get(c)! - 1;
      pending.set(c, left);
      if (left === 0) ready.push(graph.nodes.get(c)!.file);
    }
  }
  // Cycles, duplicates and unresolved files: listed after the history, never dropped.
  return [...out, ...files.filter((f) => !placed.has(f)).sort(byPath)];
}

function graphView(graph: RevisionGraph, ordered: MigrationFile[], fileTemplate: string | null, targets: Set<string> | null): RevisionNodeView[] {
  const out: RevisionNodeView[] = [];
  for (const file of ordered) {
    const rev = file.facts.revision.values;
    const node = rev?.length === 1 && typeof rev[0] === 'string' ? graph.nodes.get(rev[0]) : undefined;
    if (!node || node.file !== file) continue;
    out.push({
      revision: node.revision,
      downRevisions: node.downs,
      branchLabels: node.labels,
      dependsOn: node.dependsOn,
      message: revisionMessage(file, fileTemplate),
      changed: targets !== null && targets.has(file.path),
      missing: node.downs.filter((d) => !graph.nodes.has(d) && !graph.duplicates.has(d) && !mayBeLeftOut(graph, d, false)),
    });
  }
  return out;
}

/** The revision message, as vague-message reads it: the docstring's first line, else the file name's slug. */
function revisionMessage(file: MigrationFile, fileTemplate: string | null): string | null {
  if (file.facts.message !== null) return file.facts.message;
  const slug = parseFileName(file.path.split('/').pop()!, fileTemplate).slug;
  return slug ? slug.replace(/_/g, ' ') : null;
}

/** A list variable as the contract gives it: each value null when unresolvable, `[null]` when the whole is. */
function listValues(values: (string | null)[] | null): (string | null)[] {
  return values === null ? [null] : [...values];
}

function migrationView(file: MigrationFile, fileTemplate: string | null, postgres: boolean): MigrationView {
  const { facts } = file;
  const lines = new LineIndex(file.text);
  const rev = facts.revision.values;
  // The same judgement destructive-operation makes, on the file alone.
  const destructive = destructiveCalls(file);
  const toOp = (op: Operation): OpView => {
    const at = lines.position(op.span.start);
    return {
      op: op.op,
      line: at.line,
      column: at.column,
      table: op.table,
      name: op.name,
      destructive: destructive.has(op.span.start),
      lock: postgres ? lockOf(op) : null,
      fnName: op.fnName,
      text: describeOperation(op),
      connectionSql: false,
    };
  };
  const ops = (kind: 'upgrade' | 'downgrade'): OpView[] => {
    const list = facts.operations.filter((o) => o.fn === kind).map(toOp);
    // SQL run through the connection is no directive: shown to humans, absent from the JSON.
    for (const call of facts.sqlCalls) {
      if (call.fn !== kind || call.kind === 'op.execute') continue;
      const at = lines.position(call.span.start);
      list.push({
        op: call.kind,
        line: at.line,
        column: at.column,
        table: null,
        name: null,
        destructive: destructive.has(call.span.start),
        lock: null,
        fnName: call.fnName,
        text: describeSqlCall(call),
        connectionSql: true,
      });
    }
    return list.sort((a, b) => a.line - b.line || a.column - b.column);
  };
  const message = revisionMessage(file, fileTemplate);
  const parseError = facts.parseError ?? file.decodeError;
  return {
    file: file.path,
    revision: rev && rev.length === 1 && typeof rev[0] === 'string' ? rev[0] : null,
    downRevisions: listValues(facts.downRevision.values),
    branchLabels: listValues(facts.branchLabels.values),
    dependsOn: listValues(facts.dependsOn.values),
    message,
    merge: isMerge(facts),
    upgrade: ops('upgrade'),
    downgrade: ops('downgrade'),
    parseError: parseError ? { ...lines.position(parseError.span.start), message: parseError.message } : null,
  };
}

function opJson(op: OpView): OpJson {
  return { op: op.op, line: op.line, column: op.column, table: op.table, name: op.name, destructive: op.destructive, lock: op.lock };
}

/** The contract: only Alembic directives, only the documented keys, in the documented order. */
export function toJson(view: SummaryView): SummaryJson {
  return {
    version: 1,
    environments: view.environments.map((e) => ({ versions: e.versions, heads: e.heads, ...(e.database ? { database: e.database } : {}) })),
    migrations: view.migrations.map(
      (m): MigrationJson => ({
        file: m.file,
        revision: m.revision,
        downRevisions: m.downRevisions,
        branchLabels: m.branchLabels,
        dependsOn: m.dependsOn,
        message: m.message,
        merge: m.merge,
        upgrade: m.upgrade.filter((o) => !o.connectionSql).map(opJson),
        downgrade: m.downgrade.filter((o) => !o.connectionSql).map(opJson),
      }),
    ),
  };
}
