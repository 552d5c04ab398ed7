/**
 * Revision identity, for reading git history: what git reports as modified, renamed or deleted is re-read by
 * `revision`, the id Alembic finds a revision by, never by file name or git's similarity score.
 * - a file renamed with its `revision` kept is a rename;
 * - a pairing git made between files with different `revision` values (a rename, or an edit in place that
 *   changed `revision`) is the deletion of the old revision plus a new revision;
 * - a deleted file whose `revision` another file now defines is a rename to that file.
 * The same pass says which of the current files hold applied revisions.
 */
import type { History, HistoryEntry, MigrationFile } from '../model/migration.js';

export interface ResolvedHistory {
  entries: HistoryEntry[];
  /** Paths of the current files that hold a revision applied at the baseline. */
  applied: Set<string>;
}

function onlyValue(values: (string | null)[] | null | undefined): string | null {
  return values && values.length === 1 ? values[0]! : null;
}

const resolved = new WeakMap<History, WeakMap<MigrationFile[], ResolvedHistory>>();

/** Resolved once per history and file list: the rule and the engine's scope both ask. */
export function resolveHistory(history: History, files: MigrationFile[]): ResolvedHistory {
  let byFiles = resolved.get(history);
  if (!byFiles) resolved.set(history, (byFiles = new WeakMap()));
  let hit = byFiles.get(files);
  if (!hit) byFiles.set(files, (hit = resolve(history, files)));
  return hit;
}

function resolve(history: History, files: MigrationFile[]): ResolvedHistory {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const kept: HistoryEntry[] = [];
  /** Old revisions whose file no longer holds them: deleted unless another file now does. */
  const departed: HistoryEntry[] = [];
  /** Current files at an applied path whose revision is not the one applied there. */
  const displaced = new Set<string>();

  for (const entry of history.entries) {
    if (entry.status === 'deleted') {
      departed.push(entry);
      continue;
    }
    const file = entry.newPath === null ? undefined : byPath.get(entry.newPath);
    const oldRev = onlyValue(entry.oldFacts?.revision.values);
    const newRev = file ? onlyValue(file.facts.revision.values) : null;
    if (file && oldRev !== null && newRev !== null && oldRev !== newRev) {
      displaced.add(file.path);
      departed.push({ ...entry, status: 'deleted', newPath: null, pairedWith: { path: file.path, revision: newRev } });
    } else kept.push(entry);
  }

  const claimed = new Set(kept.flatMap((e) => (e.newPath !== null ? [e.newPath] : [])));
  // Files that may hold a departed revision: not applied where they stand (new paths), or displaced.
  const candidates = files.filter((f) => (!history.appliedPaths.has(f.path) || displaced.has(f.path)) && !claimed.has(f.path));
  const entries = [...kept];
  for (const entry of departed) {
    const revision = onlyValue(entry.oldFacts?.revision.values);
    // Prefer the file git paired it with, then any other holding the same revision.
    const holder =
      revision === null
        ? undefined
        : candidates.find((f) => !claimed.has(f.path) && f.path === entry.pairedWith?.path && onlyValue(f.facts.revision.values) === revision) ??
          candidates.find((f) => !claimed.has(f.path) && onlyValue(f.facts.revision.values) === revision);
    if (holder) {
      claimed.add(holder.path);
      displaced.delete(holder.path);
      entries.push({ ...entry, status: holder.path === entry.oldPath ? 'modified' : 'renamed', newPath: holder.path, pairedWith: undefined });
    } else entries.push(entry);
  }

  const applied = new Set<string>();
  for (const f of files) if (history.appliedPaths.has(f.path) && !displaced.has(f.path)) applied.add(f.path);
  for (const e of entries) if (e.status !== 'deleted' && e.newPath !== null) applied.add(e.newPath);
  return { entries, applied };
}
