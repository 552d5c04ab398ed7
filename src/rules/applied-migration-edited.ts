import type { Expr } from '../model/expr.js';
import type { MigrationFacts, Operation, SqlCall } from '../model/facts.js';
import { codeTokens, expressionKey, numberValue } from '../parse/code.js';
import { LineIndex } from '../parse/source.js';
import type { Span } from '../model/span.js';
import { resolveHistory } from '../facts/identity.js';
import { defineRule, type EnvironmentContext } from './types.js';
import type { HistoryEntry, MigrationFile } from '../model/migration.js';
import type { Severity } from '../model/diagnostic.js';

const MESSAGES = {
  edited: '{subject} was edited since baseline {baseline}: {detail}',
  renamedEdited: '{subject} was renamed from {oldPath} and edited since baseline {baseline}: {detail}',
  renamed: '{subject} was renamed from {oldPath} since baseline {baseline}; its content is unchanged',
  cosmetic:
    '{subject} was edited since baseline {baseline}; the edit is cosmetic: no operation or revision variable changed (imports, comments, whitespace, docstring, or how a value is written)',
  renamedCosmetic:
    '{subject} was renamed from {oldPath} and edited since baseline {baseline}; the edit is cosmetic: no operation or revision variable changed (imports, comments, whitespace, docstring, or how a value is written)',
  deleted: '{subject} was deleted since baseline {baseline}: {oldPath} is gone',
  deletedReplaced: "{subject} was deleted since baseline {baseline}: {oldPath} now defines '{revision}' instead",
  deletedMispaired:
    "{subject} was deleted since baseline {baseline}: {oldPath} is gone (git pairs it with {pairedPath} as a rename, but that file defines another revision, '{revision}')",
};

/**
 * A revision that already ran somewhere and was edited: the databases that ran it never see the edit, so they
 * silently diverge from the models. Whether an edit matters is judged on the parsed operations, revision
 * variables and code of both versions, not on the text: reformatting, imports, comments and the docstring
 * change nothing a database runs, and are warnings.
 */
export default defineRule({
  meta: {
    id: 'applied-migration-edited',
    description: 'A migration that exists at the applied baseline (git) was modified, deleted or renamed.',
    defaultSeverity: 'error',
    fixable: false,
    help: 'Restore the applied revision as it is at the baseline and make the change in a new revision (`alembic revision --autogenerate -m "…"`).',
    kind: 'history',
    messages: MESSAGES,
  },
  checkEnvironment(ctx) {
    const { history, files } = ctx;
    if (!history) return;
    const byPath = new Map(files.map((f) => [f.path, f]));
    // Renames and deletions by revision id, not by git's pairing (git/identity.ts).
    for (const entry of resolveHistory(history, files).entries) {
      if (!belongs(entry, ctx, byPath)) continue;
      if (entry.status === 'deleted') {
        reportDeletion(ctx, entry);
        continue;
      }
      const file = entry.newPath === null ? undefined : byPath.get(entry.newPath);
      if (file) checkEdit(ctx, entry, file);
    }
  },
});

type Ctx = EnvironmentContext<Record<string, unknown>, keyof typeof MESSAGES>;

function belongs(entry: HistoryEntry, ctx: Ctx, byPath: Map<string, MigrationFile>): boolean {
  if (entry.newPath !== null && byPath.has(entry.newPath)) return true;
  const dir = entry.oldPath.includes('/') ? entry.oldPath.slice(0, entry.oldPath.lastIndexOf('/')) : '';
  return ctx.env.versions.some((v) => entry.oldPath.startsWith(v + '/') || (dir === '' && !v.includes('/')));
}

function onlyValue(values: (string | null)[] | null | undefined): string | null {
  return values && values.length === 1 ? values[0]! : null;
}

function baselineLabel(entry: HistoryEntry): string {
  const short = entry.baselineCommit.slice(0, 7);
  return entry.baselineRef === 'HEAD' ? `${short} (HEAD)` : `${short} (merge-base with ${entry.baselineRef})`;
}

function subject(entry: HistoryEntry): string {
  const revision = onlyValue(entry.oldFacts?.revision.values);
  return revision !== null ? `Applied revision '${revision}'` : `Applied migration ${entry.oldPath}`;
}

/** Quoted for a POSIX shell when the path needs it, so that the command in the help can be pasted. */
function shellPath(p: string): string {
  return /^[\w./@%+=:,-]+$/.test(p) && !p.startsWith('-') ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

function restore(entry: HistoryEntry): string {
  return `git checkout ${entry.baselineCommit.slice(0, 7)} -- ${shellPath(entry.oldPath)}`;
}

function checkEdit(ctx: Ctx, entry: HistoryEntry, file: MigrationFile): void {
  const renamed = entry.status === 'renamed';
  if (!renamed && file.text === entry.oldText) return;
  const data = { subject: subject(entry), baseline: baselineLabel(entry), oldPath: entry.oldPath };
  const diff = entry.oldFacts ? semanticDifference(entry.oldFacts, entry.oldText, file.facts, file.text) : { detail: 'its baseline version could not be read', span: { start: 0, end: 0 } };
  if (diff) {
    ctx.report(file.path, {
      span: diff.span,
      messageId: renamed ? 'renamedEdited' : 'edited',
      data: { ...data, detail: diff.detail },
      help: `Databases that already ran it will never run this change: restore it (\`${restore(entry)}\`) and make the change in a new revision (\`alembic revision --autogenerate -m "…"\`).`,
    });
    return;
  }
  const severity: Severity = 'warning';
  if (file.text === entry.oldText) {
    ctx.report(file.path, {
      span: file.facts.revision.span ?? { start: 0, end: 0 },
      severity,
      // Unchanged text is returned early unless the file was renamed.
      messageId: 'renamed',
      data,
      help: `Alembic finds revisions by id, so databases are unaffected, but keep applied files where they were: rename it back (\`git mv ${shellPath(file.path)} ${shellPath(entry.oldPath)}\`). Changes go in a new revision (\`alembic revision --autogenerate\`).`,
    });
    return;
  }
  ctx.report(file.path, {
    span: firstChangedLine(entry.oldText, file.text),
    severity,
    messageId: renamed ? 'renamedCosmetic' : 'cosmetic',
    data,
    help: `No database is affected, but applied revisions should stay as they ran: revert it (\`${restore(entry)}\`), or approve it with \`# migration-lint: ignore-file applied-migration-edited -- <reason>\`. Schema changes go in a new revision (\`alembic revision --autogenerate\`).`,
  });
}

/**
 * The file is gone (or holds another revision now), so the finding needs a home that the run reports: the
 * file at the same path when it now defines another revision, else a revision that still names the deleted
 * one as its parent, else the environment's script.py.mako (never filtered out by --staged/--base), else the
 * deleted path itself, which JSON and SARIF carry though the file is gone. It is never dropped.
 */
function reportDeletion(ctx: Ctx, entry: HistoryEntry): void {
  const revision = onlyValue(entry.oldFacts?.revision.values);
  const reported = (f: MigrationFile) => !ctx.isTarget || ctx.isTarget(f);
  const inPlace = entry.pairedWith && entry.pairedWith.path === entry.oldPath ? ctx.files.find((f) => f.path === entry.oldPath) : undefined;
  const child =
    revision === null ? undefined : ctx.files.find((f) => reported(f) && (f.facts.downRevision.values?.includes(revision) || f.facts.dependsOn.values?.includes(revision)));
  let file = entry.oldPath;
  let span: Span = { start: 0, end: 0 };
  if (inPlace && reported(inPlace)) {
    file = inPlace.path;
    span = inPlace.facts.revision.span ?? span;
  } else if (child) {
    file = child.path;
    const v = child.facts.downRevision.values?.includes(revision!) ? child.facts.downRevision : child.facts.dependsOn;
    span = v.span ?? span;
  } else if (ctx.env.template) file = ctx.env.template.path;
  const paired = entry.pairedWith;
  const data = { subject: subject(entry), baseline: baselineLabel(entry), oldPath: entry.oldPath };
  ctx.report(file, {
    span,
    ...(paired && paired.path === entry.oldPath
      ? { messageId: 'deletedReplaced', data: { ...data, revision: paired.revision } }
      : paired
        ? { messageId: 'deletedMispaired', data: { ...data, pairedPath: paired.path, revision: paired.revision } }
        : { messageId: 'deleted', data }),
    help: `Databases that ran it still record ${revision !== null ? `'${revision}'` : 'its revision'} and Alembic fails to locate it: restore the file (\`${restore(entry)}\`); to undo what it did, create a new revision instead (\`alembic revision --autogenerate\`).`,
  });
}

interface Difference {
  detail: string;
  span: Span;
}

const REVISION_VARS = [
  ['revision', 'revision'],
  ['downRevision', 'down_revision'],
  ['branchLabels', 'branch_labels'],
  ['dependsOn', 'depends_on'],
] as const;

/** The first change that a database or Alembic would see, positioned in the new file; null when there is none. */
export function semanticDifference(oldFacts: MigrationFacts, oldText: string, newFacts: MigrationFacts, newText: string): Difference | null {
  const start = { start: 0, end: 0 };
  for (const [key, name] of REVISION_VARS) {
    if (JSON.stringify(oldFacts[key].values) !== JSON.stringify(newFacts[key].values)) {
      return { detail: `\`${name}\` changed from ${showValues(oldFacts[key].values)} to ${showValues(newFacts[key].values)}`, span: newFacts[key].span ?? start };
    }
  }
  const oldOps = oldFacts.operations.map((o) => opKey(o, oldText));
  const newOps = newFacts.operations.map((o) => opKey(o, newText));
  const i = firstMismatch(oldOps, newOps);
  if (i !== null) {
    const o = oldFacts.operations[i];
    const n = newFacts.operations[i];
    if (n && o && o.op === n.op && o.table === n.table && o.fnName === n.fnName) {
      return { detail: `operation \`${n.op}\`${onTable(n)} in ${n.fnName}() changed`, span: n.span };
    }
    if (n && !oldOps.includes(newOps[i]!)) return { detail: `operation \`${n.op}\`${onTable(n)} added to ${n.fnName}()`, span: n.span };
    if (o && !newOps.includes(oldOps[i]!)) {
      const fn = newFacts.functions.find((f) => f.name === o.fnName);
      return { detail: `operation \`${o.op}\`${onTable(o)} removed from ${o.fnName}()`, span: fn?.nameSpan ?? n?.span ?? start };
    }
    return { detail: 'operations reordered', span: n?.span ?? start };
  }
  const sql = firstMismatch(oldFacts.sqlCalls.map(sqlKey), newFacts.sqlCalls.map(sqlKey));
  if (sql !== null) {
    const n = newFacts.sqlCalls[sql];
    const o = oldFacts.sqlCalls[sql];
    const fnName = n?.fnName ?? o?.fnName ?? 'upgrade';
    return { detail: `SQL run in ${fnName}() changed`, span: n?.span ?? newFacts.functions.find((f) => f.name === fnName)?.nameSpan ?? start };
  }
  const fnKey = (f: MigrationFacts['functions'][number]) => `${f.name}(${f.params.join(',')})${f.empty ? ' empty' : ''}`;
  const fns = firstMismatch(oldFacts.functions.map(fnKey), newFacts.functions.map(fnKey));
  if (fns !== null) {
    const n = newFacts.functions[fns];
    const o = oldFacts.functions[fns];
    return { detail: n ? `function ${n.name}() changed` : `function ${o?.name ?? 'upgrade'}() removed`, span: n?.nameSpan ?? start };
  }
  // Python around the operations: a module constant an operation reads, the list a loop runs over, a helper.
  const oldCode = codeTokens(oldText);
  const newCode = codeTokens(newText);
  const code = firstMismatch(
    oldCode.map((t) => t.key),
    newCode.map((t) => t.key),
  );
  if (code !== null) {
    const token = newCode[code] ?? newCode[newCode.length - 1];
    const at = token?.span.start ?? 0;
    const fn = newFacts.functions.find((f) => f.span.start <= at && at < f.span.end);
    return { detail: `${fn ? `code in ${fn.name}()` : 'module-level code'} changed`, span: token?.span ?? start };
  }
  if (oldFacts.parseError === null && newFacts.parseError !== null) {
    return { detail: 'it no longer parses', span: newFacts.parseError.span };
  }
  return null;
}

function showValues(values: (string | null)[] | null): string {
  if (values === null) return 'an unresolvable value';
  if (!values.length) return 'None';
  return values.map((v) => (v === null ? '?' : `'${v}'`)).join(', ');
}

function onTable(o: Operation): string {
  return o.table !== null ? ` on '${o.table}'` : '';
}

function firstMismatch(oldKeys: string[], newKeys: string[]): number | null {
  const n = Math.max(oldKeys.length, newKeys.length);
  for (let i = 0; i < n; i++) if (oldKeys[i] !== newKeys[i]) return i;
  return null;
}

function opKey(o: Operation, text: string): string {
  return JSON.stringify([o.fn, o.fnName, o.op, o.receiver, o.table, o.name, o.star, o.args.map((a) => exprKey(a, text)), o.kwargs.map((k) => [k.name, exprKey(k.value, text)])]);
}

function sqlKey(s: SqlCall): string {
  return JSON.stringify([s.fn, s.fnName, s.kind, s.sql, s.expression]);
}

/** An expression without its position, by value; what Expr leaves opaque is compared as code (parse/code.ts). */
function exprKey(e: Expr, text: string): unknown {
  switch (e.kind) {
    case 'str':
      // An f-string's fields are code: compared as code, not as the text they are written in.
      return e.formatted ? ['f', expressionKey(text.slice(e.span.start, e.span.end))] : ['s', e.value];
    case 'num':
      return ['n', numberValue(e.text)];
    case 'bool':
      return ['b', e.value];
    case 'none':
      return ['0'];
    case 'name':
      return ['id', e.name];
    case 'attr':
      return ['.', exprKey(e.object, text), e.attr];
    case 'call':
      return ['()', exprKey(e.callee, text), e.args.map((a) => exprKey(a, text)), e.kwargs.map((k) => [k.name, exprKey(k.value, text)]), e.star];
    case 'seq':
      return [e.type, e.items.map((i) => exprKey(i, text))];
    // As code, like `other`, not by structure: the edits that count are those that counted before Expr gave these
    // kinds of their own (facts keep dicts as `other` anyway).
    case 'dict':
    case 'sub':
    case 'binop':
    case 'other':
      return ['?', expressionKey(text.slice(e.span.start, e.span.end))];
  }
}

/** The first line whose text differs, for cosmetic edits: the place a reviewer wants to look. */
function firstChangedLine(oldText: string, newText: string): Span {
  const oldLines = oldText.split(/\r\n|\n|\r/);
  const newLines = newText.split(/\r\n|\n|\r/);
  let i = 0;
  while (i < newLines.length && i < oldLines.length && oldLines[i] === newLines[i]) i++;
  const lines = new LineIndex(newText);
  // Only line breaks changed (CRLF ↔ LF), or lines were removed at the end: the last line is the closest.
  const line = Math.max(1, Math.min(i + 1, lines.lineCount));
  return { start: lines.lineStart(line), end: lines.lineEnd(line) };
}
