/**
 * The summary rendered for people (markdown for pull requests and job summaries, text for terminals) and
 * for tools (JSON, the contract). Names, SQL and messages come from repository files: markdown escapes
 * them and text output removes control characters, so a file cannot restyle the page or the terminal.
 */
import { plain } from '../io/terminal.js';
import { toJson } from './build.js';
import { renderMermaid } from './mermaid.js';
import type { EnvironmentView, MigrationView, OpView, Phrase, SummaryView } from './types.js';

/** `summary --format mermaid`: the whole revision graph of every environment, for a `.mmd` file or a docs page. */
export function renderMermaidGraph(view: SummaryView): string {
  return renderMermaid(
    view.environments.map((e) => ({ name: e.versions.join(', '), heads: e.heads, graph: e.graph })),
    { focus: false },
  ) ?? 'flowchart TD\n';
}

export function renderJson(view: SummaryView): string {
  return `${JSON.stringify(toJson(view), null, 2)}\n`;
}

/**
 * Markdown text with every character that could start markup escaped, `@` included (a table named
 * `@org/team` must not notify a team from a pull request comment); line breaks become spaces.
 */
export function mdText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]<>#|~&@]/g, '\\$&');
}

/** An inline code span that holds any text: the fence is longer than any run of backticks inside. */
export function mdCode(s: string, inTable = false): string {
  let text = s.replace(/[\r\n]+/g, ' ');
  if (inTable) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function phraseMd(p: Phrase, inTable = false): string {
  return p.map((part) => (typeof part === 'string' ? mdText(part) : mdCode(part.code, inTable))).join('');
}

function phraseText(p: Phrase): string {
  return p.map((part) => plain(typeof part === 'string' ? part : part.code)).join('');
}

export interface MarkdownOptions {
  /** A URL for `file` at `line` (the Action links into the pull request's commit); plain `path:line` without. */
  link?: (file: string, line: number) => string | null;
  /** Heading level of each migration (the document's title is one above). */
  level?: number;
  /** Say that only changed migrations are listed. */
  changedOnly?: boolean;
}

function where(file: string, line: number, opts: MarkdownOptions): string {
  const label = `${file}:${line}`;
  const url = opts.link?.(file, line);
  return url ? `[${mdCode(label)}](${url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})` : mdCode(label);
}

function revisionsMd(values: (string | null)[]): string {
  return values.map((v) => (v === null ? '*unknown*' : mdCode(v))).join(', ');
}

/** Operations grouped by function, so multidb `upgrade_<engine>()` bodies stay apart. */
function byFunction(ops: OpView[]): Map<string, OpView[]> {
  const out = new Map<string, OpView[]>();
  for (const op of ops) out.set(op.fnName, [...(out.get(op.fnName) ?? []), op]);
  return out;
}

/** Locks matter where an upgrade waits on live traffic; a table being created blocks no one. */
function showLock(op: OpView, kind: 'upgrade' | 'downgrade'): boolean {
  return op.lock !== null && kind === 'upgrade' && op.op !== 'create_table';
}

function destructiveCount(m: MigrationView): number {
  return m.upgrade.filter((o) => o.destructive).length;
}

export function renderMarkdown(view: SummaryView, opts: MarkdownOptions = {}): string {
  const level = opts.level ?? 3;
  const h = '#'.repeat(level);
  const out: string[] = [];
  for (const env of view.environments) {
    const heads = env.heads.length ? env.heads.map((r) => mdCode(r)).join(', ') : '*none*';
    const warn = env.heads.length > 1 ? ' ⚠️ more than one head' : '';
    const dirs = env.versions.map((v) => mdCode(v)).join(', ');
    out.push(`${dirs}: ${env.heads.length === 1 ? 'head' : 'heads'} ${heads}${warn}${env.unresolved ? ` (${env.unresolved} migration${env.unresolved === 1 ? '' : 's'} with revision variables that cannot be read statically)` : ''}`);
    if (env.database) out.push('', databaseLine(env.database, mdCode));
    out.push('');
    // The graph around the listed revisions (or, listing every migration, all of it): GitHub and GitLab draw it.
    const chart = renderMermaid([{ name: env.versions.join(', '), heads: env.heads, graph: env.graph }], { focus: env.graph.some((n) => n.changed) });
    if (chart) out.push('```mermaid', chart.trimEnd(), '```', '');
  }
  if (!view.migrations.length) {
    out.push(opts.changedOnly ? 'No migration changed.' : 'No migrations.');
    return `${out.join('\n')}\n`;
  }
  for (const m of view.migrations) {
    out.push(`${h} ${m.message ? mdText(m.message) : '*no message*'}`);
    out.push('');
    const facts: string[] = [where(m.file, 1, opts)];
    facts.push(m.revision === null ? 'revision *unknown*' : `revision ${mdCode(m.revision)}`);
    if (m.merge) facts.push(`merges ${revisionsMd(m.downRevisions)}`);
    else if (m.downRevisions.length) facts.push(`revises ${revisionsMd(m.downRevisions)}`);
    else facts.push('first revision');
    if (m.branchLabels.length) facts.push(`branch ${revisionsMd(m.branchLabels)}`);
    if (m.dependsOn.length) facts.push(`depends on ${revisionsMd(m.dependsOn)}`);
    const d = destructiveCount(m);
    if (d) facts.push(`**⚠️ ${d} destructive operation${d === 1 ? '' : 's'}**`);
    out.push(facts.join(' · '));
    out.push('');
    if (m.parseError) {
      out.push(`**Does not parse** (line ${m.parseError.line}): ${mdText(m.parseError.message)}; what follows was read around the error.`);
      out.push('');
    }
    for (const kind of ['upgrade', 'downgrade'] as const) {
      const ops = m[kind];
      const groups = byFunction(ops);
      if (!groups.size) {
        out.push(`**${kind}()**: ${m.merge && kind === 'upgrade' ? 'nothing (a merge)' : 'no operations'}`);
        out.push('');
        continue;
      }
      for (const [fnName, list] of groups) {
        out.push(`**${mdText(fnName)}()**`);
        out.push('');
        for (const op of list) {
          // Every create has a destructive downgrade: only the upgrade's losses need a reviewer's yes.
          const flag = op.destructive && kind === 'upgrade' ? '⚠️ **destructive:** ' : '';
          const after = op.destructive && kind === 'downgrade' ? ' *(destructive)*' : '';
          const lock = showLock(op, kind) ? ` (takes ${mdCode(op.lock!)})` : '';
          out.push(`- ${flag}${phraseMd(op.text)}${after}${lock} — ${where(m.file, op.line, opts)}`);
        }
        out.push('');
      }
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

export function renderText(view: SummaryView, opts: { changedOnly?: boolean } = {}): string {
  const out: string[] = [];
  for (const env of view.environments) {
    const heads = env.heads.length ? env.heads.map(plain).join(', ') : 'none';
    out.push(`${env.versions.map(plain).join(', ')}: ${env.heads.length === 1 ? 'head' : 'heads'} ${heads}${env.heads.length > 1 ? '  (more than one head)' : ''}`);
    if (env.database) out.push(`  ${databaseLine(env.database, plain)}`);
  }
  for (const m of view.migrations) {
    out.push('');
    const revs = m.downRevisions.map((v) => plain(v ?? '?')).join(', ');
    const rev = plain(m.revision ?? '?');
    out.push(`${plain(m.file)}`);
    const d = destructiveCount(m);
    out.push(
      `  ${m.message === null ? '(no message)' : plain(m.message)}  [${rev}${m.downRevisions.length ? ` <- ${revs}` : ', first revision'}${m.merge ? ', merge' : ''}]${d ? `  ${d} destructive` : ''}`,
    );
    if (m.parseError) out.push(`  does not parse (line ${m.parseError.line}): ${plain(m.parseError.message)}`);
    for (const kind of ['upgrade', 'downgrade'] as const) {
      const groups = byFunction(m[kind]);
      if (!groups.size) out.push(`  ${kind}(): ${m.merge && kind === 'upgrade' ? 'nothing (a merge)' : 'no operations'}`);
      for (const [fnName, list] of groups) {
        out.push(`  ${plain(fnName)}():`);
        for (const op of list) {
          const notes = [op.destructive ? (kind === 'upgrade' ? 'DESTRUCTIVE' : 'destructive') : '', showLock(op, kind) ? `takes ${op.lock}` : ''].filter(Boolean).join(', ');
          out.push(`    ${plain(m.file)}:${op.line}:${op.column}  ${phraseText(op.text)}${notes ? `  [${notes}]` : ''}`);
        }
      }
    }
  }
  if (!view.migrations.length) out.push(opts.changedOnly ? 'No migration changed.' : 'No migrations.');
  return `${out.join('\n')}\n`;
}

/** What the database has run and not run yet, in one line. */
function databaseLine(db: NonNullable<EnvironmentView['database']>, code: (s: string) => string): string {
  const at = db.recorded.length ? `at ${db.recorded.map((r) => code(r)).join(', ')}` : 'no revision applied yet';
  const pending = db.pending.length ? `${db.pending.length} pending: ${db.pending.map((r) => code(r)).join(', ')}` : 'nothing pending';
  const missing = db.missing.length ? `; records ${db.missing.map((r) => code(r)).join(', ')}, which no file defines` : '';
  return `database ${code(db.url)}: ${at}; ${pending}${missing}`;
}
